import { describe, expect, it, beforeEach } from "vitest";
import { documentFilters, filterExtension, folderOf, lastFolder } from "./api";

/** GTK's own glob rule for a filter pattern: `*` any run, `[..]` one of, else the character itself. */
function gtkMatches(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${re}$`).test(name);
}

function shown(linux: boolean, name: string): boolean {
  return documentFilters(linux)[0].extensions.some((e) => gtkMatches(`*.${e}`, name));
}

describe("the add-documents dialog's filter", () => {
  it("shows files whatever the case of their extension on Linux", () => {
    for (const name of ["IMG_4471.JPG", "IMG_4471.jpg", "scan.Pdf", "IMG_0042.HEIC", "TX_Report_0417.TIF", "note.MD", "photo.jpeg"]) {
      expect(shown(true, name), name).toBe(true);
    }
    expect(shown(true, "letter.docx")).toBe(false);
    expect(shown(true, "archive.pdf.zip")).toBe(false);
  });

  it("keeps plain extensions where the platform matches them whatever their case", () => {
    expect(documentFilters(false)[0].extensions).toContain("jpg");
    expect(documentFilters(false)[0].extensions.every((e) => !e.includes("["))).toBe(true);
    expect(filterExtension("tif", true)).toBe("[tT][iI][fF]");
    expect(filterExtension("*", true)).toBe("*");
  });
});

describe("the folder the dialog opens in", () => {
  beforeEach(() => localStorage.clear());

  it("is the folder of the files last picked", () => {
    expect(lastFolder.get()).toBeUndefined();
    lastFolder.remember(["/home/me/Downloads/Hayes/denial.pdf", "/home/me/Downloads/Hayes/order.pdf"]);
    expect(lastFolder.get()).toBe("/home/me/Downloads/Hayes");
    lastFolder.remember([]);
    expect(lastFolder.get()).toBe("/home/me/Downloads/Hayes");
  });

  it("reads Windows and root paths", () => {
    expect(folderOf("C:\\Users\\me\\scan.pdf")).toBe("C:\\Users\\me");
    expect(folderOf("/scan.pdf")).toBe("/");
    expect(folderOf("scan.pdf")).toBeNull();
  });
});
