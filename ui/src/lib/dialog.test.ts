import { describe, expect, it, beforeEach } from "vitest";
import { folderOf, lastFolder } from "./api";

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
