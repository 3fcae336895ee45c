// Which screen the app opens on for each store, and a new passphrase typed twice.
import { describe, expect, it } from "vitest";
import { gateFor, newPassphraseProblem, strengthHint } from "./encryption";

describe("the screen the app opens on", () => {
  it("asks for the passphrase of an encrypted or half-switched store not yet open", () => {
    expect(gateFor({ protection: "Encrypted", unlocked: false, first_run: false })).toBe("unlock");
    expect(gateFor({ protection: "Switching", unlocked: false, first_run: false })).toBe("unlock");
    expect(gateFor({ protection: "Encrypted", unlocked: true, first_run: false })).toBe("open");
  });

  it("offers protection on a first run only, and opens a plain store at once", () => {
    expect(gateFor({ protection: "Plain", unlocked: false, first_run: true })).toBe("offer");
    expect(gateFor({ protection: "Plain", unlocked: false, first_run: false })).toBe("open");
    expect(gateFor({ protection: "Plain", unlocked: true, first_run: false })).toBe("open");
  });
});

describe("a new passphrase", () => {
  it("must be typed, not only spaces, and the same twice", () => {
    expect(newPassphraseProblem("", "")).toBe("Type a passphrase.");
    expect(newPassphraseProblem("   ", "   ")).toContain("spaces only");
    expect(newPassphraseProblem("river stone", "")).toContain("again");
    expect(newPassphraseProblem("river stone", "river stones")).toBe("The two passphrases differ.");
    expect(newPassphraseProblem("river stone", "river stone")).toBeNull();
  });

  it("gets advice on its length, never a refusal", () => {
    expect(strengthHint("abc")).toContain("3 characters: longer is safer");
    expect(strengthHint("a")).toContain("1 character:");
    expect(strengthHint("correct horse battery")).toBe("21 characters.");
  });
});
