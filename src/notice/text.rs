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
    /// The height of the middle of its first word: lines that start at the same margin are
    /// as far apart here as their baselines, even on a page scanned a little askew (where the
    /// boxes of whole lines grow and overlap).
    pub mid: f32,
}

/// Every line of a notice in reading order, page after page.
pub(super) struct Doc<'a> {
    pub pages: &'a [PageWords],
    pub lines: Vec<DocLine>,
    /// For each page, the usual distance from one line to the next (the first quartile of the
    /// distances between consecutive lines, most of which are within a paragraph).
    spacing: Vec<f32>,
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
        let mut spacing = Vec::new();
        for (p, page) in pages.iter().enumerate() {
            let first = lines.len();
            for line in page.lines() {
                let Some((rect, _)) = page.locate(&line, 0..line.text.len()) else { continue };
                let Some(w) = line.spans.first().map(|(_, i)| &page.words[*i]) else { continue };
                lines.push(DocLine { page: p, mid: w.rect.y + w.rect.h / 2.0, line, rect });
            }
            let mut steps: Vec<f32> = lines[first..].windows(2).map(|w| w[1].mid - w[0].mid).filter(|d| *d > 0.0).collect();
            steps.sort_by(f32::total_cmp);
            spacing.push(steps.get(steps.len() / 4).copied().unwrap_or(0.0));
        }
        Doc { pages, lines, spacing }
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

    /// Whether a new paragraph starts at line `i`: the first line of a page, one above the line
    /// before it (another column), or one set apart from the line above by half as much again
    /// as the page's usual line spacing (a blank line between them). A page of fewer lines than
    /// make a usual spacing compares with the line's own height.
    pub fn starts_paragraph(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1).map(|p| &self.lines[p]) else { return true };
        let this = &self.lines[i];
        if prev.page != this.page {
            return true;
        }
        let step = this.mid - prev.mid;
        let usual = match self.spacing[this.page] {
            s if s > 0.0 => s,
            _ => 1.4 * prev.rect.h.max(this.rect.h),
        };
        step <= 0.0 || step > 1.5 * usual
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
