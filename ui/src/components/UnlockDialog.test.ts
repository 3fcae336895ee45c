import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import UnlockDialog from "./UnlockDialog.svelte";
import LockedDocuments from "./LockedDocuments.svelte";
import { commands } from "../lib/api";
import type { AddedDocuments, RefusedDocument } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { detail } from "../test/sample";
import { focus, type } from "../test/keys";

// The IPC boundary: the shell's commands are stubbed, the dialog and the app's logic are real.
vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

afterEach(() => {
  cleanup();
  app.locked = [];
  vi.clearAllMocks();
});

const locked: RefusedDocument = { location: "locked.pdf", message: "is encrypted and needs a password to open", path: "/t/locked.pdf", reason: "needs-password" };

async function submit(password: string): Promise<void> {
  const field = screen.getByTestId("unlock-password") as HTMLInputElement;
  if (document.activeElement !== field) await focus(field);
  await type(password);
  await fireEvent.submit(field.form!);
  await tick();
  await tick();
}

describe("the unlock dialog", () => {
  it("asks for the password at once, in a masked field that has the focus", async () => {
    render(UnlockDialog, { file: "locked.pdf", onunlock: vi.fn(), onskip: vi.fn() });
    await tick();
    const dialog = screen.getByRole("dialog", { name: "locked.pdf needs a password" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const field = screen.getByLabelText("Password for locked.pdf") as HTMLInputElement;
    expect(field.type).toBe("password");
    expect(document.activeElement).toBe(field);
  });

  it("says a wrong password beside the field, keeps the dialog and empties the field", async () => {
    const onunlock = vi.fn(async (p: string) => (p === "right" ? null : "locked.pdf does not open with that password"));
    render(UnlockDialog, { file: "locked.pdf", onunlock, onskip: vi.fn() });
    await tick();
    await submit("guess");
    expect(onunlock).toHaveBeenCalledWith("guess");
    expect(screen.getByRole("alert").textContent).toBe("locked.pdf does not open with that password");
    const field = screen.getByTestId("unlock-password") as HTMLInputElement;
    expect(field.value).toBe("");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    // The focus is back in the field (it was disabled while the password was tried), so the
    // next try is typed straight in.
    await vi.waitFor(() => expect(document.activeElement).toBe(field));
    await submit("right");
    expect(onunlock).toHaveBeenLastCalledWith("right");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("keeps Tab inside the dialog", async () => {
    render(UnlockDialog, { file: "locked.pdf", onunlock: vi.fn(), onskip: vi.fn() });
    await tick();
    const dialog = screen.getByRole("dialog");
    const order = ["unlock-password", "unlock-skip", "unlock-submit", "unlock-password"];
    for (const next of order.slice(1)) {
      await fireEvent.keyDown(dialog, { key: "Tab" });
      expect((document.activeElement as HTMLElement).dataset.testid).toBe(next);
    }
    await fireEvent.keyDown(dialog, { key: "Tab", shiftKey: true });
    expect((document.activeElement as HTMLElement).dataset.testid).toBe("unlock-submit");
  });

  it("asks for something before trying an empty password", async () => {
    const onunlock = vi.fn();
    render(UnlockDialog, { file: "locked.pdf", onunlock, onskip: vi.fn() });
    await fireEvent.submit((screen.getByTestId("unlock-password") as HTMLInputElement).form!);
    expect(onunlock).not.toHaveBeenCalled();
    expect(screen.getByRole("alert").textContent).toContain("Enter the password");
  });

  it("is left with the button or Escape, adding nothing", async () => {
    const onskip = vi.fn();
    const onunlock = vi.fn();
    render(UnlockDialog, { file: "locked.pdf", waiting: 1, onunlock, onskip });
    expect(screen.getByText("1 more password-protected file waits after this one.")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("unlock-skip"));
    await fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    expect(onskip).toHaveBeenCalledTimes(2);
    expect(onunlock).not.toHaveBeenCalled();
  });
});

describe("adding a password-protected PDF", () => {
  function openCase(): string {
    const d = detail();
    app.closeAll();
    app.adopt(d);
    app.navigate({ name: "case", id: d.id, tab: "documents" });
    return d.id;
  }

  it("opens the dialog as soon as the file is refused, and adds the unlocked copy with the right password", async () => {
    const id = openCase();
    vi.mocked(commands.addDocuments).mockResolvedValue({ detail: detail(), added: [], refused: [locked], dates: [] });
    render(LockedDocuments);
    await app.addDocuments(["/t/locked.pdf"]);
    await tick();
    expect(screen.getByRole("dialog", { name: "locked.pdf needs a password" })).toBeTruthy();

    // A wrong password: the library's sentence in the dialog, nothing added, the dialog stays.
    vi.mocked(commands.unlockDocument).mockRejectedValueOnce({ kind: "wrong-password", message: "locked.pdf does not open with that password; check the password (it is case-sensitive) and try again", problems: [] });
    await submit("guess");
    expect(commands.unlockDocument).toHaveBeenCalledWith(id, "/t/locked.pdf", "guess");
    expect(screen.getByTestId("unlock-problem").textContent).toContain("does not open with that password");
    expect(app.locked).toHaveLength(1);

    // The right one: the case gets the document and the dialog closes.
    const after = detail();
    after.doc.exhibit.push({ file: "docs/locked.pdf", kind: "progress-note", date: "2026-11-20", title: "locked" });
    const unlocked: AddedDocuments = { detail: after, added: ["docs/locked.pdf"], refused: [], dates: [] };
    vi.mocked(commands.unlockDocument).mockResolvedValueOnce(unlocked);
    await submit("user-secret");
    expect(commands.unlockDocument).toHaveBeenLastCalledWith(id, "/t/locked.pdf", "user-secret");
    expect(app.locked).toHaveLength(0);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(app.sessions.get(id)?.detail?.doc.exhibit.some((e) => e.file === "docs/locked.pdf")).toBe(true);
    expect(app.toasts.map((t) => t.message)).toContain("Added locked.pdf (an unlocked copy; the password is not kept).");
  });

  it("offers each locked file in turn and leaves a skipped one out", async () => {
    openCase();
    const second = { ...locked, location: "second.pdf", path: "/t/second.pdf" };
    const damaged: RefusedDocument = { location: "cut.pdf", message: "is truncated", path: "/t/cut.pdf", reason: "truncated" };
    vi.mocked(commands.addDocuments).mockResolvedValue({ detail: detail(), added: [], refused: [locked, damaged, second], dates: [] });
    render(LockedDocuments);
    await app.addDocuments(["/t/locked.pdf", "/t/cut.pdf", "/t/second.pdf"]);
    await tick();
    expect(app.locked.map((l) => l.document.location)).toEqual(["locked.pdf", "second.pdf"]);
    await fireEvent.click(screen.getByTestId("unlock-skip"));
    await tick();
    expect(screen.getByRole("dialog", { name: "second.pdf needs a password" })).toBeTruthy();
    await fireEvent.click(screen.getByTestId("unlock-skip"));
    await tick();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(commands.unlockDocument).not.toHaveBeenCalled();
  });
});
