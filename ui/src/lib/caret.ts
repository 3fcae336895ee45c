// Where a list offered at the caret of a text area goes: under the caret's line where it fits
// in the window, else above it, so it is never opened out of sight below the text area.

/** The caret's line, in pixels from the text area's top-left border corner as it is scrolled. */
export interface CaretLine {
  top: number;
  bottom: number;
}

/** The styles that lay out a text area's text, copied onto the mirror that measures it. */
const LAYOUT = [
  "boxSizing",
  "width",
  "borderTopWidth",
  "borderRightWidth",
  "borderBottomWidth",
  "borderLeftWidth",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "fontFamily",
  "fontSize",
  "fontWeight",
  "fontStyle",
  "letterSpacing",
  "lineHeight",
  "tabSize",
  "textTransform",
  "wordSpacing",
] as const;

/**
 * The line of the caret at `index` in `area`, measured on a hidden copy of its text laid out as
 * the text area lays it out (the usual way: a text area does not say where its caret is drawn).
 */
export function caretLine(area: HTMLTextAreaElement, index: number): CaretLine {
  const style = getComputedStyle(area);
  const mirror = document.createElement("div");
  for (const p of LAYOUT) mirror.style[p] = style[p];
  Object.assign(mirror.style, { position: "absolute", visibility: "hidden", top: "0", left: "-9999px", whiteSpace: "pre-wrap", overflowWrap: "break-word", overflow: "hidden" });
  mirror.textContent = area.value.slice(0, index);
  const mark = document.createElement("span");
  // The rest of the text, so the caret's word wraps where it does in the text area.
  mark.textContent = area.value.slice(index) || ".";
  mirror.appendChild(mark);
  document.body.appendChild(mirror);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2 || 16;
  const top = mark.offsetTop - area.scrollTop;
  mirror.remove();
  return { top, bottom: top + lineHeight };
}

/**
 * Where to put the list: `top` pixels down from the text area's top (under the caret's line) or
 * `bottom` pixels up from its bottom (over the line), at most `maxHeight` tall.
 */
export type Placement = { below: true; top: number; maxHeight: number } | { below: false; bottom: number; maxHeight: number };

/** What `placeOffer` needs, in pixels: the caret's line, the text area's place, the window's part the list may use. */
export interface OfferRoom {
  line: CaretLine;
  /** The text area's top in the window, and its height. */
  areaTop: number;
  areaHeight: number;
  /** The list's height when it shows all it can (its own largest). */
  height: number;
  /** The window's part that is not covered: below what stays on top (the case's header), above its bottom. */
  viewTop: number;
  viewBottom: number;
}

/**
 * Places the offer by the caret's line: under it where the whole list fits in the window, else
 * over it where there is more room there (the caret at the end of a long letter is near the
 * window's bottom). A caret scrolled out of the text area counts as at its nearest edge.
 */
export function placeOffer(r: OfferRoom): Placement {
  const top = Math.min(Math.max(r.line.top, 0), r.areaHeight);
  const bottom = Math.min(Math.max(r.line.bottom, 0), r.areaHeight);
  const roomBelow = r.viewBottom - (r.areaTop + bottom);
  const roomAbove = r.areaTop + top - r.viewTop;
  const fit = (room: number) => Math.max(48, Math.min(r.height, room - 8));
  if (roomBelow >= r.height || roomBelow >= roomAbove) return { below: true, top: bottom, maxHeight: fit(roomBelow) };
  return { below: false, bottom: r.areaHeight - top, maxHeight: fit(roomAbove) };
}

/** The list's style for a placement ("" until it is placed). */
export function placementStyle(p: Placement | null): string {
  if (!p) return "";
  return p.below ? `top: ${p.top}px; max-height: ${p.maxHeight}px` : `bottom: ${p.bottom}px; max-height: ${p.maxHeight}px`;
}
