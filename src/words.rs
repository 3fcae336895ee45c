//! Words read from a page, with where they are. A PDF's text layer and Tesseract's OCR hand the
//! notice reader and the packet's searchable layer the same plain data: each word's text, its box
//! on the page and how sure the reading is, grouped into lines in reading order.

use serde::{Deserialize, Serialize};

/// A box on a page, in the page's own units (points for a PDF page, pixels for an image),
/// measured from the page's top-left corner with y growing downwards, as a person sees the page
/// (a PDF page's `/Rotate` already applied).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// The smallest box holding both.
    pub fn union(self, other: Rect) -> Rect {
        let (x0, y0) = (self.x.min(other.x), self.y.min(other.y));
        let x1 = (self.x + self.w).max(other.x + other.w);
        let y1 = (self.y + self.h).max(other.y + other.h);
        Rect { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
    }
}

/// Where a page's words came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WordSource {
    /// The PDF's own text, as its content draws it.
    TextLayer,
    /// Tesseract's reading of the page's picture.
    Ocr,
}

/// One word on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Word {
    pub text: String,
    pub rect: Rect,
    /// How sure the reading is, from 0 to 1: 1 for a text layer, Tesseract's own confidence
    /// (divided by 100) for OCR.
    pub confidence: f32,
    /// The line the word is on, counted from 0 in reading order on its page.
    pub line: u32,
}

/// The words of one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PageWords {
    /// Counted from 1.
    pub page: u32,
    /// The page's size in the units of its words' boxes.
    pub width: f32,
    pub height: f32,
    pub source: WordSource,
    /// In reading order: by line, then left to right.
    pub words: Vec<Word>,
}

/// One line of a page as text, with where each word of it sits, so that a match found in the
/// line's text leads back to the words (and so the box and confidence) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The page, counted from 1.
    pub page: u32,
    /// The line's words joined by single spaces.
    pub text: String,
    /// For each word: its byte range in `text` and its index in the page's `words`.
    pub spans: Vec<(std::ops::Range<usize>, usize)>,
}

impl PageWords {
    /// The page's lines in reading order.
    pub fn lines(&self) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut current: Option<u32> = None;
        for (i, w) in self.words.iter().enumerate() {
            if current != Some(w.line) {
                current = Some(w.line);
                lines.push(Line { page: self.page, text: String::new(), spans: Vec::new() });
            }
            let line = lines.last_mut().expect("a line was pushed for this word");
            if !line.text.is_empty() {
                line.text.push(' ');
            }
            let start = line.text.len();
            line.text.push_str(&w.text);
            line.spans.push((start..line.text.len(), i));
        }
        lines
    }

    /// The box and the lowest confidence of the words a byte range of `line`'s text touches, or
    /// `None` when it touches none.
    pub fn locate(&self, line: &Line, range: std::ops::Range<usize>) -> Option<(Rect, f32)> {
        line.spans
            .iter()
            .filter(|(span, _)| span.start < range.end && range.start < span.end)
            .map(|(_, i)| (self.words[*i].rect, self.words[*i].confidence))
            .reduce(|(a, ca), (b, cb)| (a.union(b), ca.min(cb)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x: f32, line: u32, confidence: f32) -> Word {
        let rect = Rect { x, y: 10.0 * line as f32, w: 8.0 * text.len() as f32, h: 9.0 };
        Word { text: text.into(), rect, confidence, line }
    }

    #[test]
    fn a_match_in_a_line_leads_back_to_its_words_box_and_confidence() {
        let words =
            vec![word("Member", 0.0, 0, 0.96), word("ID:", 60.0, 0, 0.91), word("XJK-4471", 90.0, 0, 0.83), word("Claim", 0.0, 1, 0.97)];
        let page = PageWords { page: 2, width: 612.0, height: 792.0, source: WordSource::Ocr, words };
        let lines = page.lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "Member ID: XJK-4471");
        assert_eq!(lines[1].text, "Claim");
        assert_eq!(lines[1].page, 2);
        let at = lines[0].text.find("XJK").unwrap();
        let (rect, confidence) = page.locate(&lines[0], at..at + 8).unwrap();
        assert_eq!(rect, Rect { x: 90.0, y: 0.0, w: 64.0, h: 9.0 });
        assert_eq!(confidence, 0.83);
        let (both, lowest) = page.locate(&lines[0], 7..lines[0].text.len()).unwrap();
        assert_eq!(both, Rect { x: 60.0, y: 0.0, w: 94.0, h: 9.0 });
        assert_eq!(lowest, 0.83);
        assert_eq!(page.locate(&lines[0], 6..7), None, "the space between words touches none");
    }
}
