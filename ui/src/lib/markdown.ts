// The letter's Markdown subset (paragraphs, **bold**, lists, # headings), read into blocks that
// the preview renders as text nodes, and written as HTML with every character of the user's
// text escaped. Nothing the user types ever becomes markup.

export interface Span {
  text: string;
  bold: boolean;
}

export type Block =
  | { type: "heading"; level: 1 | 2 | 3; spans: Span[] }
  | { type: "paragraph"; spans: Span[] }
  | { type: "list"; ordered: boolean; items: Span[][] };

/** `a **b** c` → spans; an unmatched `**` stays as typed. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  const push = (t: string, bold: boolean) => {
    if (!t) return;
    const last = spans[spans.length - 1];
    if (last && last.bold === bold) last.text += t;
    else spans.push({ text: t, bold });
  };
  let rest = text;
  for (;;) {
    const open = rest.indexOf("**");
    if (open === -1) break;
    const close = rest.indexOf("**", open + 2);
    if (close === -1) break;
    const inner = rest.slice(open + 2, close);
    if (inner.trim() === "") {
      push(rest.slice(0, close + 2), false);
    } else {
      push(rest.slice(0, open), false);
      push(inner, true);
    }
    rest = rest.slice(close + 2);
  }
  push(rest, false);
  return spans;
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;

export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flushPara = () => {
    if (para.length) blocks.push({ type: "paragraph", spans: parseInline(para.join(" ")) });
    para = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: "list", ordered: list.ordered, items: list.items.map(parseInline) });
    list = null;
  };
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      flushPara();
      flushList();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flushPara();
      flushList();
      blocks.push({ type: "heading", level: Math.min(h[1].length, 3) as 1 | 2 | 3, spans: parseInline(h[2].trim()) });
      continue;
    }
    const b = BULLET.exec(line);
    const n = b ? null : NUMBERED.exec(line);
    if (b || n) {
      const ordered = n !== null;
      flushPara();
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push((b ?? n)![1]);
      continue;
    }
    if (list && /^\s+\S/.test(raw)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return blocks;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function spansHtml(spans: Span[]): string {
  return spans.map((s) => (s.bold ? `<strong>${escapeHtml(s.text)}</strong>` : escapeHtml(s.text))).join("");
}

/** The blocks as HTML, every piece of text escaped (for copying the letter as rich text). */
export function toHtml(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case "heading":
          return `<h${b.level}>${spansHtml(b.spans)}</h${b.level}>`;
        case "paragraph":
          return `<p>${spansHtml(b.spans)}</p>`;
        case "list": {
          const tag = b.ordered ? "ol" : "ul";
          return `<${tag}>${b.items.map((i) => `<li>${spansHtml(i)}</li>`).join("")}</${tag}>`;
        }
      }
    })
    .join("\n");
}

/** The letter as plain text, without the Markdown marks (for the clipboard). */
export function toPlainText(blocks: Block[]): string {
  const text = (spans: Span[]) => spans.map((s) => s.text).join("");
  return blocks
    .map((b) => {
      if (b.type === "list") return b.items.map((i, n) => `${b.ordered ? `${n + 1}.` : "•"} ${text(i)}`).join("\n");
      return text(b.spans);
    })
    .join("\n\n");
}
