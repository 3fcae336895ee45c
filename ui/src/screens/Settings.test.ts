// The Settings screen's backups: the number to keep typed key by key and saved as the case's
// fields are (a pause, leaving the field, Enter, or leaving the screen), a number it cannot
// take named and never saved, Back up now, the folder, the last backup and a failure shown.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import Settings from "./Settings.svelte";
import { commands, type BackupSettings } from "../lib/api";
import { app, AUTOSAVE_MS } from "../lib/stores/app.svelte";
import { describeLast, keepProblem } from "../lib/backups";
import { enter, focus, leave, selectAll, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

const get = vi.mocked(commands.backupSettings);
const setKeep = vi.mocked(commands.setBackupKeep);
const backUp = vi.mocked(commands.backUpNow);

function settings(over: Partial<BackupSettings> = {}): BackupSettings {
  return { keep: 7, folder: "/home/ana/.local/share/redress/backups", last: "2026-12-05T09:30:00Z", count: 4, failure: null, ...over };
}

const keepInput = () => screen.getByTestId("backup-keep") as HTMLInputElement;

async function shown(over: Partial<BackupSettings> = {}) {
  get.mockResolvedValue(settings(over));
  const r = render(Settings);
  await vi.waitFor(() => expect(keepInput().value).toBe(String(settings(over).keep)));
  return r;
}

async function retype(text: string): Promise<void> {
  await focus(keepInput());
  await selectAll();
  await type(text);
}

beforeEach(() => {
  app.toasts = [];
  vi.mocked(commands.encryptionStatus).mockResolvedValue({ protection: "Plain", unlocked: true, first_run: false });
  setKeep.mockImplementation(async (keep) => settings({ keep }));
});
afterEach(() => {
  vi.clearAllMocks();
  vi.useRealTimers();
});

describe("the backups on the Settings screen", () => {
  it("shows the number kept, the folder and when the last backup was made", async () => {
    await shown();
    expect(screen.getByTestId("backup-folder").textContent).toBe("/home/ana/.local/share/redress/backups");
    const last = new Date("2026-12-05T09:30:00Z");
    expect(screen.getByTestId("backup-last").textContent).toBe(describeLast(settings()));
    expect(screen.getByTestId("backup-last").textContent).toContain(`${last.getDate()} Dec 2026`);
    expect(screen.getByTestId("backup-last").textContent).toContain("(4 backups in the folder)");
    expect(screen.getByTestId("backup-keep-hint").textContent).toContain("The newest 7 backups are kept");
    expect(screen.queryByTestId("backup-failure")).toBeNull();
  });

  it("saves a number typed key by key once typing pauses, and only once", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await shown();
    await retype("14");
    expect(setKeep).not.toHaveBeenCalled();
    expect(screen.getByTestId("backup-keep-hint").textContent).toBe("Not saved yet");
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS + 50);
    expect(setKeep).toHaveBeenCalledTimes(1);
    expect(setKeep).toHaveBeenCalledWith(14);
    await vi.waitFor(() => expect(screen.getByTestId("backup-keep-hint").textContent).toContain("The newest 14 backups are kept"));
    await leave();
    expect(setKeep).toHaveBeenCalledTimes(1);
  });

  it("saves at once on Enter and on leaving the field", async () => {
    await shown();
    await retype("3");
    await enter();
    await vi.waitFor(() => expect(setKeep).toHaveBeenCalledWith(3));
    await retype("0");
    await leave();
    await vi.waitFor(() => expect(setKeep).toHaveBeenCalledWith(0));
    await vi.waitFor(() => expect(screen.getByTestId("backup-keep-hint").textContent).toContain("Automatic backups are off"));
  });

  it("keeps a number typed but not yet saved when the screen is left", async () => {
    const r = await shown();
    await retype("30");
    r.unmount();
    await vi.waitFor(() => expect(setKeep).toHaveBeenCalledWith(30));
  });

  it("names what is wrong with a number it cannot take, and saves nothing", async () => {
    await shown();
    for (const [text, why] of [["ten", "is not a whole number"], ["-1", "is not a whole number"], ["400", "At most 365"], ["", "Type a number"]]) {
      await retype(text);
      if (text === "") {
        // Everything selected and deleted.
        keepInput().value = "";
        await fireEvent.input(keepInput());
      }
      await enter();
      expect(screen.getByTestId("backup-keep-hint").textContent).toContain(why);
      expect(keepInput().getAttribute("aria-invalid")).toBe("true");
    }
    await leave();
    expect(setKeep).not.toHaveBeenCalled();
    expect(keepProblem("365")).toBeNull();
  });

  it("backs up now and shows the new backup", async () => {
    await shown();
    let finish: (s: BackupSettings) => void = () => {};
    backUp.mockImplementation(() => new Promise((ok) => (finish = ok)));
    await fireEvent.click(screen.getByTestId("back-up-now"));
    const button = screen.getByTestId("back-up-now") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain("Backing up…");
    finish(settings({ last: "2026-12-06T18:00:00Z", count: 5 }));
    await vi.waitFor(() => expect(screen.getByTestId("backup-last").textContent).toContain("(5 backups in the folder)"));
    expect(button.disabled).toBe(false);
    expect(app.toasts.map((t) => t.message)).toContain("Backed up every case and document.");
  });

  it("says why the last backup failed, and why Back up now did", async () => {
    await shown({ failure: "/media/usb/backups: no space left on the disk" });
    expect(screen.getByTestId("backup-failure").textContent).toContain("no space left on the disk");
    backUp.mockRejectedValue({ kind: "io", message: "/media/usb/backups: permission denied", problems: [] });
    get.mockResolvedValue(settings({ failure: "/media/usb/backups: permission denied" }));
    await fireEvent.click(screen.getByTestId("back-up-now"));
    await vi.waitFor(() => expect(screen.getByTestId("backup-failure").textContent).toContain("permission denied"));
    expect(app.toasts.some((t) => t.kind === "error" && t.message.includes("Backing up failed"))).toBe(true);
  });

  it("opens the folder in the file manager, and says why when it cannot", async () => {
    await shown();
    const open = vi.mocked(commands.openBackupFolder);
    open.mockResolvedValue(null);
    await fireEvent.click(screen.getByTestId("open-backup-folder"));
    expect(open).toHaveBeenCalledOnce();
    open.mockRejectedValue({ kind: "io", message: "cannot open the folder /home/ana/.local/share/redress/backups: no file manager", problems: [] });
    await fireEvent.click(screen.getByTestId("open-backup-folder"));
    await vi.waitFor(() => expect(app.toasts.some((t) => t.kind === "error" && t.message.includes("Opening the backups folder failed"))).toBe(true));
  });

  it("says so when there is no backup yet", () => {
    expect(describeLast({ last: null, count: 0 })).toBe("None yet");
    expect(describeLast({ last: "2026-12-06T18:00:00Z", count: 1 })).toContain("(1 backup in the folder)");
  });
});
