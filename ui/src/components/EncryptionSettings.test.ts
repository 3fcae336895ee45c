// The Settings screen's Encryption section: switching on takes a new passphrase typed twice,
// switching off the current one (a wrong one refused in words, nothing changed); while the shell
// switches, the window says it is working and takes no other click.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import EncryptionSettings from "./EncryptionSettings.svelte";
import { commands, type EncryptionStatus } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { focus, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

const status = vi.mocked(commands.encryptionStatus);
const encryptStore = vi.mocked(commands.encryptStore);
const decryptStore = vi.mocked(commands.decryptStore);

let current: EncryptionStatus;

async function typeInto(testId: string, text: string): Promise<void> {
  await focus(screen.getByTestId(testId));
  await type(text);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await tick();
}

beforeEach(() => {
  app.toasts = [];
  current = { protection: "Plain", unlocked: true, first_run: false };
  status.mockImplementation(async () => ({ ...current }));
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  app.gate = "checking";
});

describe("the Encryption section", () => {
  it("switches encryption on with a passphrase typed twice, showing that it works meanwhile", async () => {
    const onswitched = vi.fn();
    render(EncryptionSettings, { onswitched });
    await vi.waitFor(() => expect(screen.getByTestId("encryption-state").textContent).toContain("not encrypted"));
    await typeInto("encrypt-first", "harbour light");
    await typeInto("encrypt-again", "harbour lihgt");
    await fireEvent.click(screen.getByTestId("encrypt"));
    await settle();
    expect(encryptStore).not.toHaveBeenCalled();
    expect(screen.getByTestId("encryption-problem").textContent).toBe("The two passphrases differ.");

    let finish: () => void = () => {};
    encryptStore.mockImplementation(
      () =>
        new Promise((ok) => {
          finish = () => {
            current = { ...current, protection: "Encrypted" };
            ok(null);
          };
        }),
    );
    const again = screen.getByTestId("encrypt-again") as HTMLInputElement;
    again.value = "";
    await fireEvent.input(again);
    await typeInto("encrypt-again", "harbour light");
    await fireEvent.click(screen.getByTestId("encrypt"));
    await settle();
    expect(encryptStore).toHaveBeenCalledWith("harbour light");
    const working = screen.getByTestId("encryption-working");
    expect(working.getAttribute("role")).toBe("alertdialog");
    expect(working.textContent).toContain("Encrypting your cases");
    expect((screen.getByTestId("encrypt") as HTMLButtonElement).disabled).toBe(true);
    finish();
    await vi.waitFor(() => expect(screen.getByTestId("encryption-state").textContent).toContain("encrypted on this computer"));
    expect(screen.queryByTestId("encryption-working")).toBeNull();
    expect(onswitched, "the backups shown beside it are read again").toHaveBeenCalledOnce();
    expect(app.protection).toBe("Encrypted");
    expect(app.toasts.map((t) => t.message).join(" ")).toContain("are encrypted");
  });

  it("refuses a wrong passphrase to switch off, and switches off with the right one", async () => {
    current = { protection: "Encrypted", unlocked: true, first_run: false };
    decryptStore.mockImplementation(async (p) => {
      if (p !== "harbour light") throw { kind: "wrong-passphrase", message: "the passphrase is not the one this store was encrypted with", problems: [] };
      current = { ...current, protection: "Plain" };
      return null;
    });
    render(EncryptionSettings);
    await vi.waitFor(() => expect(screen.getByTestId("encryption-state").textContent).toContain("encrypted on this computer"));
    await fireEvent.click(screen.getByTestId("decrypt"));
    await settle();
    expect(decryptStore).not.toHaveBeenCalled();
    expect(screen.getByTestId("encryption-problem").textContent).toContain("Type the passphrase");

    await typeInto("decrypt-passphrase", "harbour night");
    await fireEvent.click(screen.getByTestId("decrypt"));
    await settle();
    expect(decryptStore).toHaveBeenCalledWith("harbour night");
    await vi.waitFor(() => expect(screen.getByTestId("encryption-problem").textContent).toContain("does not open these cases. Nothing was changed"));
    expect(screen.getByTestId("encryption-state").textContent).toContain("encrypted on this computer");

    const field = screen.getByTestId("decrypt-passphrase") as HTMLInputElement;
    field.value = "";
    await fireEvent.input(field);
    await typeInto("decrypt-passphrase", "harbour light");
    await fireEvent.click(screen.getByTestId("decrypt"));
    await vi.waitFor(() => expect(screen.getByTestId("encryption-state").textContent).toContain("not encrypted"));
    expect(app.toasts.map((t) => t.message).join(" ")).toContain("no longer encrypted");
  });

  it("goes to the Unlock screen when a switch that failed part-way left the store closed", async () => {
    app.gate = "open";
    encryptStore.mockImplementation(async () => {
      current = { protection: "Switching", unlocked: false, first_run: false };
      throw { kind: "io", message: "/home/ana/.local/share/redress/vault: no space left on the disk", problems: [] };
    });
    render(EncryptionSettings);
    await vi.waitFor(() => expect(screen.getByTestId("encryption-state").textContent).toContain("not encrypted"));
    await typeInto("encrypt-first", "harbour light");
    await typeInto("encrypt-again", "harbour light");
    await fireEvent.click(screen.getByTestId("encrypt"));
    await vi.waitFor(() => expect(app.gate).toBe("unlock"));
    expect(app.protection).toBe("Switching");
    expect(app.toasts.map((t) => t.message).join(" ")).toContain("no space left on the disk");
  });
});
