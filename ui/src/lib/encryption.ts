// Encryption at rest in words: which screen the app opens on, and what is wrong with a
// passphrase typed twice. Pure functions.

import type { EncryptionStatus } from "./bindings.gen";

/** What the window shows: the Unlock screen, or the cases (with the first-run offer below them: "offer"). */
export type Gate = "checking" | "unlock" | "offer" | "open";

/** The screen the app opens on for the store's status. */
export function gateFor(s: EncryptionStatus): Gate {
  if (s.protection !== "Plain" && !s.unlocked) return "unlock";
  if (s.first_run) return "offer";
  return "open";
}

/** Why a new passphrase typed twice cannot be used, or null when it can. */
export function newPassphraseProblem(first: string, again: string): string | null {
  if (first === "") return "Type a passphrase.";
  if (first.trim() === "") return "A passphrase of spaces only is too easy to guess.";
  if (again === "") return "Type the same passphrase again below.";
  if (first !== again) return "The two passphrases differ.";
  return null;
}

/** A word on a new passphrase's length (advice only: any passphrase is taken). */
export function strengthHint(first: string): string {
  const n = [...first].length;
  if (n === 0) return "Several words are easier to remember and harder to guess than one.";
  if (n < 12) return `${n} ${n === 1 ? "character" : "characters"}: longer is safer (several words, 12 characters or more).`;
  return `${n} characters.`;
}

/** What the store being encrypted means, said before it is switched on. */
export const FORGOTTEN_WARNING =
  "If the passphrase is forgotten, the cases and documents cannot be opened again, by anyone: Redress keeps no copy of it and has no way around it. Write it down somewhere safe.";
