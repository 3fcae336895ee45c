import { describe, expect, it, beforeEach, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { folderOf, lastFolder, shell } from "./api";

// The shell's side of IPC: what the UI asks of it, and what it answers.
vi.mock("@tauri-apps/api/core", async (original) => ({ ...(await original<typeof import("@tauri-apps/api/core")>()), invoke: vi.fn() }));

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

describe("the dialogs, which the shell opens (it keeps what is picked: the only paths it takes)", () => {
  beforeEach(() => {
    localStorage.clear();
    vi.mocked(invoke).mockReset();
  });

  it("asks for documents in the folder last used, and remembers the new one", async () => {
    lastFolder.remember(["/home/me/Old/x.pdf"]);
    vi.mocked(invoke).mockResolvedValueOnce(["/home/me/Hayes/denial.pdf", "/home/me/Hayes/order.pdf"]);
    expect(await shell.pickDocuments()).toEqual(["/home/me/Hayes/denial.pdf", "/home/me/Hayes/order.pdf"]);
    expect(invoke).toHaveBeenCalledWith("pick_documents", { startIn: "/home/me/Old" });
    expect(lastFolder.get()).toBe("/home/me/Hayes");
  });

  it("gives null when the person cancels, and keeps the folder", async () => {
    lastFolder.remember(["/home/me/Old/x.pdf"]);
    vi.mocked(invoke).mockResolvedValue(null);
    expect(await shell.pickDocuments()).toBeNull();
    expect(await shell.pickFile("claim")).toBeNull();
    expect(lastFolder.get()).toBe("/home/me/Old");
    expect(invoke).toHaveBeenLastCalledWith("pick_claim_file", { startIn: "/home/me/Old" });
  });

  it("has a dialog of its own for each purpose", async () => {
    vi.mocked(invoke).mockResolvedValue("/home/me/x");
    await shell.pickFile("notice");
    expect(invoke).toHaveBeenLastCalledWith("pick_notice", { startIn: null });
    await shell.pickFolder("import");
    expect(invoke).toHaveBeenLastCalledWith("pick_case_folder");
    await shell.pickFolder("export");
    expect(invoke).toHaveBeenLastCalledWith("pick_export_folder");
    await shell.pickSavePath("Hayes-packet.pdf");
    expect(invoke).toHaveBeenLastCalledWith("pick_save_path", { defaultName: "Hayes-packet.pdf", title: "Save a copy of the packet" });
    vi.mocked(invoke).mockResolvedValue(true);
    expect(await shell.confirm("Close?", "Unsaved changes", "Close", "Keep working")).toBe(true);
    expect(invoke).toHaveBeenLastCalledWith("ask", { message: "Close?", title: "Unsaved changes", yes: "Close", no: "Keep working" });
  });
});
