// Typing as a person does, one key at a time, in jsdom: each key goes to whatever element has
// the focus at that moment (so a field that loses focus mid-word stops receiving keys), is
// inserted at the caret, honours `maxlength` as a browser does, and lets the UI update before
// the next key.
import { fireEvent } from "@testing-library/svelte";
import { tick } from "svelte";

type Editable = HTMLInputElement | HTMLTextAreaElement;

function editable(el: Element | null): el is Editable {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

async function settle(): Promise<void> {
  await tick();
  await Promise.resolve();
  await tick();
}

/** Number inputs have no caret that scripts can read or set: "select all" is remembered here. */
const allSelected = new WeakSet<Element>();

function selectable(el: Editable): boolean {
  return el instanceof HTMLTextAreaElement || ["text", "search", "tel", "url", "password", ""].includes(el.type);
}

/** Inserts `text` at the focused element's caret as one input event (a key, or a paste). */
async function insert(text: string): Promise<void> {
  const el = document.activeElement;
  if (!editable(el)) return;
  let start: number;
  let end: number;
  if (selectable(el)) {
    start = el.selectionStart ?? el.value.length;
    end = el.selectionEnd ?? start;
  } else {
    start = allSelected.has(el) ? 0 : el.value.length;
    end = el.value.length;
    allSelected.delete(el);
  }
  let add = text;
  if (el.maxLength >= 0) add = add.slice(0, Math.max(0, el.maxLength - (el.value.length - (end - start))));
  el.value = el.value.slice(0, start) + add + el.value.slice(end);
  if (selectable(el)) el.setSelectionRange(start + add.length, start + add.length);
  await fireEvent.input(el);
  await settle();
}

/** Focuses `el` (as a click does) with the caret at the end of what it holds. */
export async function focus(el: HTMLElement): Promise<void> {
  el.focus();
  if (editable(el) && selectable(el)) el.setSelectionRange(el.value.length, el.value.length);
  await settle();
}

/** Selects all of the focused field (Ctrl+A). */
export async function selectAll(): Promise<void> {
  const el = document.activeElement;
  if (editable(el)) {
    if (selectable(el)) el.setSelectionRange(0, el.value.length);
    else allSelected.add(el);
  }
  await settle();
}

/** Types `text` key by key into whatever has the focus. */
export async function type(text: string): Promise<void> {
  for (const ch of text) await insert(ch);
}

/** Pastes `text` into the focused field at once (one input event, `maxlength` applies). */
export async function paste(text: string): Promise<void> {
  await insert(text);
}

/** Presses Enter on the focused element. */
export async function enter(): Promise<void> {
  const el = document.activeElement ?? document.body;
  await fireEvent.keyDown(el, { key: "Enter", code: "Enter" });
  await settle();
}

/** Moves the focus away from the focused element (Tab to `next`, or to nothing). */
export async function leave(next?: HTMLElement): Promise<void> {
  const el = document.activeElement as HTMLElement | null;
  if (next) next.focus();
  else el?.blur();
  await settle();
}

/** Presses a key, or a shortcut (`press("a", { ctrl: true })`), on the focused element. */
export async function press(key: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean } = {}): Promise<void> {
  const el = document.activeElement ?? document.body;
  await fireEvent.keyDown(el, { key, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, shiftKey: !!mods.shift });
  await settle();
}
