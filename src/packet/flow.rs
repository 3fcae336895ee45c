//! Pours text onto as many generated pages as it needs: paragraphs with bold runs, lists,
//! headings (the Markdown subset of letter.md and .md exhibits) and plain monospaced text.

use super::canvas::{Canvas, Color, BLACK, GREY};
use super::font::{Face, Metrics};

/// Bottom of the writable area on generated pages: the stamp band lies below.
pub const BOTTOM: f64 = 54.0;
pub const MARGIN: f64 = 54.0;

/// A run of text in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub face: Face,
}

impl Span {
    pub fn new(text: impl Into<String>, face: Face) -> Span {
        Span { text: text.into(), face }
    }
}

/// A block of the Markdown subset.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, Vec<Span>),
    Paragraph(Vec<Span>),
    Item { marker: String, spans: Vec<Span> },
}

/// Parses the Markdown subset: `#` headings, paragraphs, `-`/`*`/`1.` list items, `**bold**`.
pub fn parse_markdown(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush = |para: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(inline(&para.join(" "))));
            para.clear();
        }
    };
    for raw in text.lines() {
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.is_empty() {
            flush(&mut para, &mut blocks);
            continue;
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Heading(hashes as u8, inline(t[hashes..].trim())));
            continue;
        }
        let bullet = ["- ", "* ", "+ "].iter().find(|b| t.starts_with(**b));
        let ordered = t.find(". ").filter(|&i| i > 0 && i <= 3 && t[..i].chars().all(|c| c.is_ascii_digit()));
        if let Some(b) = bullet {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Item { marker: "•".into(), spans: inline(t[b.len()..].trim()) });
        } else if let Some(i) = ordered {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Item { marker: format!("{}.", &t[..i]), spans: inline(t[i + 2..].trim()) });
        } else if let (Some(Block::Item { spans, .. }), true) = (blocks.last_mut(), para.is_empty() && line.starts_with("  ")) {
            // An indented line continues the list item above it.
            spans.push(Span::new(" ", Face::Regular));
            spans.extend(inline(t));
        } else {
            para.push(t.to_string());
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Splits `**bold**` runs out of a line.
pub fn inline(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut bold = false;
    for (i, part) in text.split("**").enumerate() {
        if i > 0 {
            bold = !bold;
        }
        if !part.is_empty() {
            spans.push(Span::new(part, if bold { Face::Bold } else { Face::Regular }));
        }
    }
    spans
}

/// Lays text onto pages, starting new ones as each fills.
pub struct Flow<'f> {
    pub fonts: &'f Metrics,
    pub pages: Vec<Canvas>,
    /// A line repeated at the top of each page after the first ("Timeline (continued)").
    running: Option<String>,
    pub y: f64,
    pub left: f64,
    pub right: f64,
}

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Metrics, running: Option<String>) -> Flow<'f> {
        let mut f = Flow { fonts, pages: Vec::new(), running, y: 0.0, left: MARGIN, right: super::canvas::LETTER.0 - MARGIN };
        f.new_page();
        f
    }

    pub fn width(&self) -> f64 {
        self.right - self.left
    }

    pub fn new_page(&mut self) {
        let mut c = Canvas::letter();
        self.y = c.height - MARGIN;
        if !self.pages.is_empty() {
            if let Some(r) = &self.running {
                let r = format!("{r} (continued)");
                c.text(Face::Regular, 8.0, self.left, self.y, GREY, &r);
                self.y -= 22.0;
            }
        }
        self.pages.push(c);
    }

    /// Starts a new page unless `h` points of space remain.
    pub fn need(&mut self, h: f64) {
        if self.y - h < BOTTOM {
            self.new_page();
        }
    }

    pub fn gap(&mut self, h: f64) {
        self.y -= h;
    }

    /// A section title at the top of a section.
    pub fn title(&mut self, text: &str) {
        self.need(40.0);
        self.y -= 18.0;
        let (l, y) = (self.left, self.y);
        let n = self.pages.len() - 1;
        self.pages[n].text(Face::Bold, 18.0, l, y, super::canvas::ACCENT, text);
        self.y -= 10.0;
        let (r, y) = (self.right, self.y);
        self.pages[n].line(l, y, r, y, 0.8, super::canvas::ACCENT);
        self.y -= 16.0;
    }

    /// A paragraph of spans, wrapped, with an optional hanging marker (for list items).
    pub fn paragraph(&mut self, spans: &[Span], size: f64, indent: f64, marker: Option<&str>, color: Color) {
        let leading = size * 1.38;
        let width = self.width() - indent;
        let lines = wrap_spans(self.fonts, spans, size, width);
        for (i, line) in lines.iter().enumerate() {
            self.need(leading);
            self.y -= leading;
            let mut x = self.left + indent;
            let y = self.y;
            let n = self.pages.len() - 1;
            if i == 0 {
                if let Some(m) = marker {
                    let mw = self.fonts.width(Face::Regular, m, size);
                    self.pages[n].text(Face::Regular, size, x - mw - 5.0, y, color, m);
                }
            }
            for span in line {
                self.pages[n].text(span.face, size, x, y, color, &span.text);
                x += self.fonts.width(span.face, &span.text, size);
            }
        }
    }

    /// Sets Markdown blocks.
    pub fn markdown(&mut self, blocks: &[Block], size: f64) {
        for (n, b) in blocks.iter().enumerate() {
            match b {
                Block::Heading(level, spans) => {
                    let s = match level {
                        1 => size + 5.0,
                        2 => size + 3.0,
                        _ => size + 1.0,
                    };
                    // A heading never ends a page: it keeps the first line of what follows.
                    self.need(s * 3.0 + size * 1.5);
                    self.gap(s * 0.6);
                    let bold: Vec<Span> = spans.iter().map(|sp| Span::new(sp.text.clone(), Face::Bold)).collect();
                    self.paragraph(&bold, s, 0.0, None, BLACK);
                    self.gap(s * 0.3);
                }
                Block::Paragraph(spans) => {
                    // A paragraph after a list stands as far from it as from another paragraph.
                    if n > 0 && matches!(blocks[n - 1], Block::Item { .. }) {
                        self.gap(size * 0.45);
                    }
                    self.paragraph(spans, size, 0.0, None, BLACK);
                    self.gap(size * 0.7);
                }
                Block::Item { marker, spans } => {
                    self.paragraph(spans, size, 18.0, Some(marker), BLACK);
                    self.gap(size * 0.25);
                }
            }
        }
    }

    /// Plain text in the mono face, each line wrapped, keeping its spacing; a form feed starts a
    /// new page, as a printer takes it, except one before the first line or after the last (no
    /// blank page). A sheet's blank lines before its form feed (a report padded to a printer's
    /// 66 lines) are left out, so they do not run onto a page of their own.
    pub fn plain(&mut self, text: &str, size: f64) {
        let sheets: Vec<&str> = text.split(crate::import::text::FORM_FEED).collect();
        let blank = |s: &&str| s.trim().is_empty();
        let from = usize::from(sheets.len() > 1 && sheets.first().is_some_and(blank));
        let to = sheets.len() - usize::from(sheets.len() > from + 1 && sheets.last().is_some_and(blank));
        let fed = sheets.len() > 1;
        for (k, sheet) in sheets[from..to].iter().enumerate() {
            if k > 0 {
                self.new_page();
            }
            let sheet = if fed { sheet.trim_end() } else { sheet };
            self.plain_lines(sheet, size);
        }
    }

    fn plain_lines(&mut self, text: &str, size: f64) {
        let leading = size * 1.3;
        let width = self.width();
        for raw in text.lines() {
            let line = raw.replace('\t', "    ");
            let pieces = super::canvas::wrap(self.fonts, Face::Mono, size, width, &line);
            for piece in pieces {
                self.need(leading);
                self.y -= leading;
                let (l, y) = (self.left, self.y);
                let n = self.pages.len() - 1;
                self.pages[n].text(Face::Mono, size, l, y, BLACK, &piece);
            }
        }
    }

    pub fn finish(self) -> Vec<Canvas> {
        self.pages
    }
}

/// Wraps runs of mixed faces into lines of runs.
pub fn wrap_spans(fonts: &Metrics, spans: &[Span], size: f64, width: f64) -> Vec<Vec<Span>> {
    // Words keep their face; a space is measured in the face of the word before it.
    let mut words: Vec<(String, Face, bool)> = Vec::new(); // text, face, space before
    let mut space_pending = false;
    for span in spans {
        let mut first = true;
        for part in span.text.split(' ') {
            if !first {
                space_pending = true;
            }
            first = false;
            if part.is_empty() {
                continue;
            }
            words.push((part.to_string(), span.face, space_pending && !words.is_empty()));
            space_pending = false;
        }
    }
    let mut lines: Vec<Vec<Span>> = Vec::new();
    let mut line: Vec<Span> = Vec::new();
    let mut x = 0.0;
    for (word, face, space) in words {
        let sw = if space && !line.is_empty() { fonts.width(face, " ", size) } else { 0.0 };
        let ww = fonts.width(face, &word, size);
        if !line.is_empty() && x + sw + ww > width {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
        }
        let text = if space && !line.is_empty() { format!(" {word}") } else { word };
        let pieces = if line.is_empty() && ww > width { super::canvas::wrap(fonts, face, size, width, &text) } else { vec![text] };
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            x += fonts.width(face, &piece, size);
            match line.last_mut() {
                Some(last) if last.face == face => last.text.push_str(&piece),
                _ => line.push(Span::new(piece, face)),
            }
            if i + 1 < count {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_feed_starts_a_new_page_as_a_printer_takes_it() {
        let fonts = crate::packet::font::metrics();
        let pages = |text: &str| {
            let mut flow = Flow::new(fonts, None);
            flow.plain(text, 9.0);
            flow.finish().len()
        };
        assert_eq!(pages("one\ntwo\n"), 1);
        assert_eq!(pages("one\n\u{c}two\n"), 2);
        assert_eq!(pages("one\u{c}two\u{c}three"), 3);
        assert_eq!(pages("one\n\u{c}\u{c}three\n"), 3, "two in a row leave a blank page between");
        assert_eq!(pages("one\ntwo\n\u{c}"), 1, "one at the very end adds no blank page");
        assert_eq!(pages("one\ntwo\n\u{c}\n"), 1, "nor one that ends the last line");
        assert_eq!(pages("\u{c}one\n"), 1, "nor one before the first line");
        // A printed report: sheets of 66 lines, 40 of text and 26 blank, each ended by a form
        // feed: one page a sheet, no page of blank lines.
        let sheet = format!("{}{}", "a report line\n".repeat(40), "\n".repeat(26));
        assert_eq!(pages(&[sheet.as_str(); 3].join("\u{c}")), 3);
    }

    #[test]
    fn markdown_subset_blocks() {
        let b = parse_markdown("# Note\n\nSpO₂ **86 %** at rest\non room air.\n\n- walks 40 m\n- needs rest\n1. first\n");
        assert_eq!(b[0], Block::Heading(1, vec![Span::new("Note", Face::Regular)]));
        assert_eq!(
            b[1],
            Block::Paragraph(vec![
                Span::new("SpO₂ ", Face::Regular),
                Span::new("86 %", Face::Bold),
                Span::new(" at rest on room air.", Face::Regular)
            ])
        );
        assert!(matches!(&b[2], Block::Item { marker, .. } if marker == "•"));
        assert!(matches!(&b[4], Block::Item { marker, .. } if marker == "1."));
        assert_eq!(b.len(), 5);
    }
}
