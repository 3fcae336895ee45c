// The Unlock screen and the first-run offer: the passphrase typed key by key into masked
// fields, a wrong one refused in words with the screen kept, the offer's two fields compared
// before anything is asked of the shell, and "Not now" leaving the cases unencrypted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import Unlock from "./Unlock.svelte";
import ProtectOffer from "../components/ProtectOffer.svelte";
import { commands } from "../lib/api";
import { app } from "../lib/stores/app.svelte";
import { focus, type } from "../test/keys";

vi.mock("../lib/api", async (original) => (await import("../test/api-mock")).mockedApi(original));

const unlockStore = vi.mocked(commands.unlockStore);
const encryptStore = vi.mocked(commands.encryptStore);
const status = vi.mocked(commands.encryptionStatus);

async function typeInto(testId: string, text: string): Promise<HTMLInputElement> {
  const field = screen.getByTestId(testId) as HTMLInputElement;
  await focus(field);
  await type(text);
  return field;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await tick();
}

beforeEach(() => {
  app.toasts = [];
  vi.mocked(commands.listCases).mockResolvedValue([]);
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  app.gate = "checking";
  app.protection = "Plain";
  app.offerProtection = false;
});

describe("the app at start", () => {
  it("shows the Unlock screen for an encrypted store and reads no case before it is unlocked", async () => {
    status.mockResolvedValue({ protection: "Encrypted", unlocked: false, first_run: false });
    await app.checkEncryption();
    expect(app.gate).toBe("unlock");
    expect(commands.listCases).not.toHaveBeenCalled();
    expect(app.offerProtection).toBe(false);
    // A first run opens on the cases, the offer below them: nothing is asked before starting.
    status.mockResolvedValue({ protection: "Plain", unlocked: false, first_run: true });
    await app.checkEncryption();
    expect(app.gate).toBe("open");
    expect(app.offerProtection).toBe(true);
  });
});

describe("the Unlock screen", () => {
  beforeEach(() => {
    app.gate = "unlock";
    app.protection = "Encrypted";
  });

  it("asks for the passphrase in a masked field that has the focus", async () => {
    render(Unlock);
    await tick();
    const field = screen.getByLabelText("Passphrase") as HTMLInputElement;
    expect(field.type).toBe("password");
    expect(document.activeElement).toBe(field);
    expect(screen.queryByTestId("unlock-switching")).toBeNull();
  });

  it("refuses a wrong passphrase in words, keeps the screen, and opens the cases with the right one", async () => {
    unlockStore.mockImplementation(async (p) => {
      if (p !== "river stone") throw { kind: "wrong-passphrase", message: "the passphrase is not the one this store was encrypted with", problems: [] };
      return null;
    });
    render(Unlock);
    await typeInto("unlock-passphrase", "river ston");
    await fireEvent.click(screen.getByTestId("unlock"));
    await settle();
    expect(unlockStore).toHaveBeenCalledWith("river ston");
    expect(screen.getByTestId("unlock-problem").textContent).toContain("does not open these cases. Nothing was changed");
    expect(app.gate).toBe("unlock");
    const field = screen.getByTestId("unlock-passphrase") as HTMLInputElement;
    expect(field.value).toBe("");
    await vi.waitFor(() => expect(document.activeElement).toBe(field));

    await type("river stone");
    await fireEvent.submit(field.form!);
    await settle();
    expect(unlockStore).toHaveBeenLastCalledWith("river stone");
    expect(app.gate).toBe("open");
    await vi.waitFor(() => expect(commands.listCases).toHaveBeenCalled());
  });

  it("asks for something typed before asking the shell, and says a stopped switch is finished by unlocking", async () => {
    app.protection = "Switching";
    render(Unlock);
    await tick();
    expect(screen.getByTestId("unlock-switching").textContent).toContain("stopped part-way");
    await fireEvent.click(screen.getByTestId("unlock"));
    await settle();
    expect(unlockStore).not.toHaveBeenCalled();
    expect(screen.getByTestId("unlock-problem").textContent).toContain("Type the passphrase");
  });
});

describe("the first-run offer", () => {
  beforeEach(() => {
    app.gate = "open";
    app.offerProtection = true;
  });

  it("says what a forgotten passphrase means and compares the two fields before encrypting", async () => {
    render(ProtectOffer);
    await tick();
    expect(screen.getByTestId("protect-warning").textContent).toContain("cannot be opened again");
    expect((screen.getByTestId("protect-first") as HTMLInputElement).type).toBe("password");
    expect((screen.getByTestId("protect-again") as HTMLInputElement).type).toBe("password");
    await typeInto("protect-first", "tulip meadow");
    await typeInto("protect-again", "tulip medow");
    await fireEvent.click(screen.getByTestId("protect"));
    await settle();
    expect(encryptStore).not.toHaveBeenCalled();
    expect(screen.getByTestId("protect-problem").textContent).toBe("The two passphrases differ.");
    expect(app.offerProtection).toBe(true);

    let finish: () => void = () => {};
    encryptStore.mockImplementation(() => new Promise((ok) => (finish = () => ok(null))));
    const again = screen.getByTestId("protect-again") as HTMLInputElement;
    await focus(again);
    again.value = "";
    await fireEvent.input(again);
    await type("tulip meadow");
    await fireEvent.click(screen.getByTestId("protect"));
    await settle();
    expect(encryptStore).toHaveBeenCalledWith("tulip meadow");
    expect(screen.getByTestId("protect-busy")).toBeTruthy();
    expect((screen.getByTestId("not-now") as HTMLButtonElement).disabled).toBe(true);
    finish();
    await settle();
    expect(app.offerProtection).toBe(false);
    expect(app.protection).toBe("Encrypted");
    expect(app.toasts.map((t) => t.message).join(" ")).toContain("Your cases are protected");
  });

  it("goes on unencrypted with Not now, asking the shell nothing", async () => {
    render(ProtectOffer);
    await fireEvent.click(screen.getByTestId("not-now"));
    await settle();
    expect(app.offerProtection).toBe(false);
    expect(app.protection).toBe("Plain");
    expect(encryptStore).not.toHaveBeenCalled();
  });

  it("stays on the offer and says why when encrypting fails", async () => {
    encryptStore.mockRejectedValue({ kind: "io", message: "/home/ana/.local/share/redress/vault: no space left on the disk", problems: [] });
    render(ProtectOffer);
    await typeInto("protect-first", "tulip meadow");
    await typeInto("protect-again", "tulip meadow");
    await fireEvent.click(screen.getByTestId("protect"));
    await settle();
    expect(app.offerProtection).toBe(true);
    expect(screen.getByTestId("protect-problem").textContent).toContain("no space left on the disk");
  });
});
