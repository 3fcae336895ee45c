//! A notice's words as lines and paragraphs, and the way back from a match in their text to the
//! page, box, words' confidence and lines it came from.

use crate::words::{Line, PageWords, Rect};
use std::ops::Range;

/// One line of the notice, on its page.
pub(super) struct DocLine {
    /// Index into the pages given to [`Doc::new`].
    pub page: usize,
    pub line: Line,
    /// The box holding the whole line.
    pub rect: Rect,
}

/// Every line of a notice in reading order, page after page.
pub(super) struct Doc<'a> {
    pub pages: &'a [PageWords],
    pub lines: Vec<DocLine>,
}

/// Where a match is: the lines it was searched in (consecutive, on one page) and the byte range
/// in their text joined by single spaces ([`Doc::joined`]).
#[derive(Debug, Clone)]
pub(super) struct Spot {
    pub lines: Range<usize>,
    pub range: Range<usize>,
}

/// What a [`Spot`] leads back to.
pub(super) struct Placed {
    /// From 1.
    pub page: u32,
    pub rect: Rect,
    /// The lowest confidence of the words it touches.
    pub confidence: f32,
    /// The lines it touches, one per row of text.
    pub text: String,
}

impl<'a> Doc<'a> {
    pub fn new(pages: &'a [PageWords]) -> Doc<'a> {
        let mut lines = Vec::new();
        for (p, page) in pages.iter().enumerate() {
            for line in page.lines() {
                let Some((rect, _)) = page.locate(&line, 0..line.text.len()) else { continue };
                lines.push(DocLine { page: p, line, rect });
            }
        }
        Doc { pages, lines }
    }

    /// The text of `lines` joined by single spaces, and where each line starts in it.
    pub fn joined(&self, lines: Range<usize>) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut starts = Vec::new();
        for l in &self.lines[lines] {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push(text.len());
            text.push_str(&l.line.text);
        }
        (text, starts)
    }

    /// Whether a new paragraph starts at line `i`: the first line of a page, or one set apart
    /// from the line above by more than most of a line's height (a blank line between them).
    pub fn starts_paragraph(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1).map(|p| &self.lines[p]) else { return true };
        let this = &self.lines[i];
        if prev.page != this.page {
            return true;
        }
        let gap = this.rect.y - (prev.rect.y + prev.rect.h);
        gap > 0.8 * prev.rect.h.max(this.rect.h)
    }

    /// The paragraphs: runs of lines with no gap between them, each as a range of lines.
    pub fn paragraphs(&self) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for i in 0..self.lines.len() {
            match out.last_mut() {
                Some(p) if !self.starts_paragraph(i) => p.end = i + 1,
                _ => out.push(i..i + 1),
            }
        }
        out
    }

    /// The page, box, confidence and lines of a match.
    pub fn place(&self, spot: &Spot) -> Option<Placed> {
        let (_, starts) = self.joined(spot.lines.clone());
        let mut found: Option<(Rect, f32)> = None;
        let mut rows = Vec::new();
        let mut page = None;
        for (k, i) in spot.lines.clone().enumerate() {
            let l = &self.lines[i];
            let start = starts[k];
            let end = start + l.line.text.len();
            if spot.range.end <= start || spot.range.start >= end {
                continue;
            }
            let local = spot.range.start.saturating_sub(start)..(spot.range.end.min(end) - start);
            let Some((rect, confidence)) = self.pages[l.page].locate(&l.line, local) else { continue };
            found = Some(match found {
                Some((r, c)) => (r.union(rect), c.min(confidence)),
                None => (rect, confidence),
            });
            rows.push(l.line.text.as_str());
            page = Some(self.pages[l.page].page);
        }
        let (rect, confidence) = found?;
        Some(Placed { page: page?, rect, confidence, text: rows.join("\n") })
    }

    /// A spot covering the whole of line `i` from byte `start`.
    pub fn line_spot(&self, i: usize, range: Range<usize>) -> Spot {
        Spot { lines: i..i + 1, range }
    }

    /// The first line (in reading order) whose text matches `re`, from line `from` on.
    pub fn find_line(&self, re: &regex::Regex, from: usize) -> Option<(usize, regex::Match<'_>)> {
        self.lines.iter().enumerate().skip(from).find_map(|(i, l)| re.find(&l.line.text).map(|m| (i, m)))
    }
}
