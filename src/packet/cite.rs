//! Citations of exhibits in a letter: `{{exhibit:oximetry}}` names an exhibit by its stable
//! `id`, and is written out only where the packet's pages are known, so a reorder, an added or
//! a removed exhibit never leaves a stale number or page in the letter.
//!
//! The pages cited are the exhibit's own pages, without its separator: the citation points a
//! reviewer at the evidence, and a one-page document is cited as one page.

use super::sections::ExhibitEntry;
use crate::error::{Error, Location, Problem};
use crate::model::Case;

const OPEN: &str = "{{exhibit:";
const CLOSE: &str = "}}";

/// One `{{exhibit:…}}` in a text: the id as written (trimmed) and where the whole reference is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'t> {
    pub id: &'t str,
    pub span: std::ops::Range<usize>,
}

/// Every exhibit reference in `text`, in order. An opening `{{exhibit:` that is never closed is
/// not a reference (it stays as written).
pub fn references(text: &str) -> Vec<Reference<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(OPEN).map(|i| from + i) {
        let inner = at + OPEN.len();
        let Some(len) = text[inner..].find(CLOSE) else { break };
        // A reference never spans lines; `{{exhibit:` followed by a line break is plain text.
        if text[inner..inner + len].contains('\n') {
            from = inner;
            continue;
        }
        let end = inner + len + CLOSE.len();
        out.push(Reference { id: text[inner..inner + len].trim(), span: at..end });
        from = end;
    }
    out
}

/// Where a citation points: the exhibit's number and, once the packet is laid out, its Bates
/// numbers.
pub struct Cited<'a> {
    pub exhibit: &'a ExhibitEntry,
    /// The Bates prefix, when the exhibit's pages are known (`first_page` is set).
    pub prefix: Option<&'a str>,
}

impl Cited<'_> {
    /// `Exhibit 4, pages HAYES-000031–HAYES-000036`; `Exhibit 4, page HAYES-000031` for one
    /// page; `Exhibit 4` while the pages are not known.
    pub fn text(&self) -> String {
        let e = self.exhibit;
        let number = format!("Exhibit {}", e.number);
        let Some(prefix) = self.prefix.filter(|_| e.first_page > 0 && e.pages > 1) else { return number };
        let stamp = super::stamp::StampText { lead: String::new(), prefix: prefix.to_string(), total: 0 };
        let bates = |page: usize| stamp.bates(page);
        let (first, last) = (e.first_page + 1, e.first_page + e.pages - 1);
        if first == last {
            format!("{number}, page {}", bates(first))
        } else {
            format!("{number}, pages {}–{}", bates(first), bates(last))
        }
    }
}

/// The exhibit of `exhibits` whose case entry has `id`.
pub fn find<'a>(case: &Case, exhibits: &'a [ExhibitEntry], id: &str) -> Option<&'a ExhibitEntry> {
    exhibits.iter().find(|e| case.exhibits.get(e.index).and_then(|x| x.id.as_deref()) == Some(id))
}

/// `text` with every reference written out; `prefix` is `None` before the pages are known. A
/// reference to no exhibit is left as written ([`check`] refuses such a letter first).
pub fn resolve(text: &str, case: &Case, exhibits: &[ExhibitEntry], prefix: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in references(text) {
        out.push_str(&text[at..r.span.start]);
        match find(case, exhibits, r.id) {
            Some(exhibit) => out.push_str(&Cited { exhibit, prefix }.text()),
            None => out.push_str(&text[r.span.clone()]),
        }
        at = r.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What a citation of each exhibit (in `case.exhibits` order) reads in the app's letter
/// preview: its number, since its pages are known only once a packet is laid out.
pub fn preview_citations(case: &Case) -> Vec<String> {
    let mut out = vec![String::new(); case.exhibits.len()];
    for e in super::plan::numbered_exhibits(case) {
        if let Some(slot) = out.get_mut(e.index) {
            *slot = Cited { exhibit: &e, prefix: None }.text();
        }
    }
    out
}

/// Which letter a citation is in, as problems name it: the case's `letter.md`, or the template.
pub fn letter_file(case: &Case) -> &'static str {
    if case.letter.is_some() {
        crate::casefile::LETTER_FILE
    } else {
        "the template letter"
    }
}

/// One problem for each reference in `letter` to an id no exhibit of `case` has.
pub fn dangling(letter: &str, case: &Case) -> Vec<Problem> {
    let file = letter_file(case);
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for r in references(letter) {
        if seen.contains(&r.id) || case.exhibits.iter().any(|e| e.id.as_deref() == Some(r.id)) {
            continue;
        }
        seen.push(r.id);
        let ids: Vec<&str> = case.exhibits.iter().filter_map(|e| e.id.as_deref()).collect();
        let known = if ids.is_empty() { "no exhibit has an id".to_string() } else { format!("the exhibits' ids are {}", ids.join(", ")) };
        out.push(Problem::new(
            file,
            Location::Key(format!("{{{{exhibit:{}}}}}", r.id)),
            format!("cites the exhibit \"{}\", but no exhibit has that id ({known})", r.id),
        ));
    }
    out
}

/// Refuses a letter that cites an exhibit the case does not have, naming each id.
pub fn check(letter: &str, case: &Case) -> Result<(), Error> {
    let problems = dangling(letter, case);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExhibitKind;

    fn entry(number: usize, first_page: usize, pages: usize) -> ExhibitEntry {
        ExhibitEntry {
            number,
            index: 0,
            kind: ExhibitKind::OxygenLog,
            date: chrono::NaiveDate::MIN,
            title: String::new(),
            source: String::new(),
            sha256: String::new(),
            first_page,
            pages,
            part: None,
        }
    }

    #[test]
    fn a_reference_is_one_line_closed_and_trimmed() {
        let ids = |t: &str| references(t).iter().map(|r| r.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids("see {{exhibit:oximetry}} and {{exhibit: order }}."), ["oximetry", "order"]);
        assert_eq!(ids("{{exhibit:open\n}} then {{exhibit:next}}"), ["next"]);
        assert!(ids("{{exhibit:never closed").is_empty());
        assert!(ids("{{other:thing}} {{ exhibit:x}}").is_empty(), "only the exact opening is a reference");
        assert_eq!(ids("{{exhibit:}}"), [""], "an empty id is a reference to no exhibit, so it is refused");
    }

    #[test]
    fn a_citation_names_the_exhibits_own_pages_without_its_separator() {
        let prefix = Some("HAYES");
        // Separator on page 30, pages 31 to 36.
        assert_eq!(Cited { exhibit: &entry(4, 30, 7), prefix }.text(), "Exhibit 4, pages HAYES-000031–HAYES-000036");
        assert_eq!(Cited { exhibit: &entry(4, 30, 2), prefix }.text(), "Exhibit 4, page HAYES-000031");
        assert_eq!(Cited { exhibit: &entry(4, 30, 7), prefix: None }.text(), "Exhibit 4", "the preview knows no pages");
        assert_eq!(Cited { exhibit: &entry(4, 0, 0), prefix }.text(), "Exhibit 4", "not yet laid out");
    }
}
