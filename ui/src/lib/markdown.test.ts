import { describe, expect, it } from "vitest";
import { escapeHtml, parseInline, parseMarkdown, toHtml, toPlainText } from "./markdown";

describe("the letter's Markdown subset", () => {
  it("reads headings, paragraphs and lists", () => {
    const blocks = parseMarkdown("# Request\n\nDear plan,\nwe ask.\n\n- one\n- **two**\n\n1. first\n2. second");
    expect(blocks).toEqual([
      { type: "heading", level: 1, spans: [{ text: "Request", bold: false }] },
      { type: "paragraph", spans: [{ text: "Dear plan, we ask.", bold: false }] },
      { type: "list", ordered: false, items: [[{ text: "one", bold: false }], [{ text: "two", bold: true }]] },
      { type: "list", ordered: true, items: [[{ text: "first", bold: false }], [{ text: "second", bold: false }]] },
    ]);
  });

  it("reads bold inside text and leaves an unclosed ** as typed", () => {
    expect(parseInline("a **b** c **d")).toEqual([
      { text: "a ", bold: false },
      { text: "b", bold: true },
      { text: " c **d", bold: false },
    ]);
    expect(parseInline("****")).toEqual([{ text: "****", bold: false }]);
  });

  it("caps heading depth at three and continues an indented list item", () => {
    const b = parseMarkdown("#### Deep\n- item\n  continued");
    expect(b[0]).toEqual({ type: "heading", level: 3, spans: [{ text: "Deep", bold: false }] });
    expect(b[1]).toEqual({ type: "list", ordered: false, items: [[{ text: "item continued", bold: false }]] });
  });

  it("escapes every piece of the user's text in HTML", () => {
    const html = toHtml(parseMarkdown('# <script>alert(1)</script>\n\n**<img src=x onerror="x()">** & \'q\''));
    expect(html).toBe('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>\n<p><strong>&lt;img src=x onerror=&quot;x()&quot;&gt;</strong> &amp; &#39;q&#39;</p>');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(escapeHtml("<&>")).toBe("&lt;&amp;&gt;");
  });

  it("writes plain text for the clipboard", () => {
    expect(toPlainText(parseMarkdown("# T\n\n- a\n- **b**"))).toBe("T\n\n• a\n• b");
  });
});
