//! The layout stage (pure): the front matter (cover, contents, timeline, letter, clinical
//! charts, and the coverage criteria when asked for) and the manifest as display lists, with every page number in them final.
//!
//! The contents and the cover print page numbers that depend on how many pages the front
//! matter itself takes, so layout is a fixed point on the sections' page counts: guess the
//! counts, draw, and draw again with the counts just drawn until they no longer change. A
//! layout that does not settle within [`MAX_PASSES`] is an error, never a silent give-up.

use super::canvas::Canvas;
use super::cite;
use super::font::Metrics;
use super::plan::Plan;
use super::sections::{self, ExhibitEntry, Front, SectionEntry, SectionKind};
use super::volumes::Where;
use crate::error::{Error, Result};

/// How many times the front matter may be drawn before layout gives up.
pub const MAX_PASSES: usize = 8;

/// The front matter's sections, in packet order, with their titles.
pub const FRONT: [(SectionKind, &str); 6] = [
    (SectionKind::Cover, "Cover"),
    (SectionKind::Contents, "Contents"),
    (SectionKind::Timeline, "Timeline"),
    (SectionKind::Letter, "Letter"),
    (SectionKind::Charts, "Clinical charts"),
    (SectionKind::Checklist, "Coverage criteria"),
];

/// One generated section and its pages.
#[derive(Debug, Clone)]
pub struct Part {
    #[cfg_attr(not(test), allow(dead_code))]
    pub kind: SectionKind,
    pub pages: Vec<Canvas>,
}

/// The settled layout: what the writer draws and what the report and bookmarks list.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The front matter's sections in order (a section with no pages has an empty list).
    pub front: Vec<Part>,
    pub manifest: Vec<Canvas>,
    /// Every section with its pages, exhibits included, tiling the packet.
    pub sections: Vec<SectionEntry>,
    /// The exhibits with their first pages.
    pub exhibits: Vec<ExhibitEntry>,
    pub total_pages: usize,
    /// How many passes it took to settle (read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub passes: usize,
}

impl Layout {
    /// The generated front matter in packet order.
    pub fn front_pages(&self) -> impl Iterator<Item = &Canvas> {
        self.front.iter().flat_map(|p| p.pages.iter())
    }
}

/// Page counts of the front matter's sections (in [`FRONT`] order) and of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts {
    front: [usize; 6],
    manifest: usize,
}

/// Lays out the front matter and the manifest around `body_pages` pages of exhibits
/// (`exhibits` as merged: numbered, hashed, with their page counts).
pub fn layout(fonts: &Metrics, plan: &Plan, exhibits: &[ExhibitEntry], body_pages: usize) -> Result<Layout> {
    layout_in(fonts, plan, exhibits, body_pages, None)
}

/// As [`layout`], for a packet in volumes (`vols`: where each exhibit's parts are), whose
/// contents give the volume and page of every line.
pub fn layout_in(fonts: &Metrics, plan: &Plan, exhibits: &[ExhibitEntry], body_pages: usize, vols: Option<&Where>) -> Result<Layout> {
    // The first guess: one page for each of the first four sections, none for the rest.
    let mut counts = Counts { front: [1, 1, 1, 1, 0, 0], manifest: 0 };
    for pass in 1..=MAX_PASSES {
        let drawn = draw(fonts, plan, exhibits, body_pages, &counts, vols);
        let now = Counts { front: std::array::from_fn(|i| drawn.front[i].pages.len()), manifest: drawn.manifest.len() };
        if now == counts {
            return Ok(Layout { passes: pass, ..drawn });
        }
        counts = now;
    }
    Err(Error::Other(format!(
        "the front matter's page count did not settle after {MAX_PASSES} layouts (the contents or the cover keep changing length); shorten the denial reason or the letter"
    )))
}

/// One layout pass with the page counts assumed to be `counts`.
fn draw(fonts: &Metrics, plan: &Plan, exhibits: &[ExhibitEntry], body_pages: usize, counts: &Counts, vols: Option<&Where>) -> Layout {
    let front_pages: usize = counts.front.iter().sum();
    let total_pages = front_pages + body_pages + counts.manifest;
    let exhibits = place_exhibits(exhibits, front_pages + 1);
    let sections = section_entries(&counts.front, &exhibits, front_pages + body_pages + 1, counts.manifest);
    let f = Front {
        case: plan.case,
        exhibits: &exhibits,
        sections: &sections,
        deadlines: &plan.deadlines,
        missed: &plan.missed,
        missed_clocks: &plan.missed_clocks,
        total_pages,
        prepared: plan.prepared,
    };
    let front: Vec<Part> = FRONT
        .iter()
        .map(|&(kind, _)| {
            let pages = match kind {
                SectionKind::Cover => sections::cover(fonts, &f),
                SectionKind::Contents => sections::contents_in(fonts, &f, vols),
                SectionKind::Timeline => sections::timeline(fonts, &f),
                SectionKind::Letter => {
                    sections::letter(fonts, &cite::resolve(&plan.letter, plan.case, &exhibits, Some(&plan.bates_prefix)))
                }
                SectionKind::Checklist => coverage(fonts, plan, &exhibits),
                _ => super::charts::charts(fonts, &plan.charts),
            };
            Part { kind, pages }
        })
        .collect();
    let manifest = sections::manifest(fonts, &f);
    Layout { front, manifest, sections, exhibits, total_pages, passes: 0 }
}

/// The coverage-criteria page, when the build asks for it: each exhibit cited as the
/// letter cites it, with the Bates pages this pass placed.
fn coverage(fonts: &Metrics, plan: &Plan, exhibits: &[ExhibitEntry]) -> Vec<super::canvas::Canvas> {
    let Some(evaluation) = plan.checklist.as_ref().filter(|_| plan.checklist_page) else { return Vec::new() };
    let mut evaluation = evaluation.clone();
    evaluation.cite_exhibits(|index| {
        let exhibit = exhibits.iter().find(|e| e.index == index)?;
        Some(cite::Cited { exhibit, prefix: Some(&plan.bates_prefix) }.text())
    });
    super::coverage::pages(fonts, &evaluation)
}

/// The exhibits with their first pages, the first starting at `first`.
fn place_exhibits(exhibits: &[ExhibitEntry], first: usize) -> Vec<ExhibitEntry> {
    let mut page = first;
    exhibits
        .iter()
        .map(|e| {
            let placed = ExhibitEntry { first_page: page, ..e.clone() };
            page += e.pages;
            placed
        })
        .collect()
}

/// Every section that has pages, in packet order, from the assumed counts.
fn section_entries(front: &[usize; 6], exhibits: &[ExhibitEntry], manifest_first: usize, manifest: usize) -> Vec<SectionEntry> {
    let mut out = Vec::new();
    let mut page = 1;
    for (&(kind, title), &pages) in FRONT.iter().zip(front) {
        if pages > 0 {
            out.push(SectionEntry { kind, title: title.into(), first_page: page, pages });
            page += pages;
        }
    }
    for e in exhibits {
        out.push(SectionEntry {
            kind: SectionKind::Exhibit,
            title: format!("Exhibit {} · {}", e.number, e.kind.label()),
            first_page: e.first_page,
            pages: e.pages,
        });
    }
    out.push(SectionEntry { kind: SectionKind::Manifest, title: "Manifest".into(), first_page: manifest_first, pages: manifest });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExhibitKind;
    use chrono::NaiveDate;

    fn case(tag: &str) -> crate::model::Case {
        let dir = std::env::temp_dir().join(format!("redress-layout-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = crate::demo::write_demo(&dir, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let case = crate::casefile::load(&folder).unwrap().case;
        let _ = std::fs::remove_dir_all(&dir);
        case
    }

    fn now() -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap()
    }

    /// The plan's exhibits as a merge would give them, each `pages` long.
    fn merged(plan: &Plan, pages: usize) -> Vec<ExhibitEntry> {
        plan.exhibits.iter().map(|e| ExhibitEntry { pages, sha256: "ab".repeat(32), ..e.clone() }).collect()
    }

    /// The page number printed at the end of the contents line that starts with `title`.
    fn contents_page(l: &Layout, title: &str) -> Option<usize> {
        let contents = l.front.iter().find(|p| p.kind == SectionKind::Contents)?;
        contents.pages.iter().find_map(|c| {
            let texts: Vec<&str> = c.texts().collect();
            // A line is its title, its leader dots, then the number (the page's heading is
            // followed by no number).
            (0..texts.len()).find_map(|at| texts[at].starts_with(title).then(|| texts.get(at + 2)?.parse().ok()).flatten())
        })
    }

    #[test]
    fn the_contents_prints_the_pages_the_sections_really_start_on() {
        let case = case("pages");
        let plan = super::super::plan::plan(&case, "demo", now(), chrono_tz::America::Chicago);
        let exhibits = merged(&plan, 3);
        let l = layout(super::super::font::metrics(), &plan, &exhibits, exhibits.len() * 3).unwrap();
        // Sections tile the packet.
        let mut next = 1;
        for s in &l.sections {
            assert_eq!(s.first_page, next, "{s:?}");
            next += s.pages;
        }
        assert_eq!(next - 1, l.total_pages);
        for s in l.sections.iter().filter(|s| s.kind != SectionKind::Exhibit) {
            assert_eq!(contents_page(&l, &s.title), Some(s.first_page), "{}", s.title);
        }
        let first = &l.exhibits[0];
        assert_eq!(first.first_page, l.front_pages().count() + 1);
        let title = format!("Exhibit 1 · {}", first.kind.label());
        assert_eq!(contents_page(&l, &title), Some(first.first_page));
        // The cover states the page count.
        let cover: Vec<&str> = l.front[0].pages.iter().flat_map(|c| c.texts()).collect();
        let at = cover.iter().position(|t| *t == "Pages in this packet").unwrap();
        assert_eq!(cover[at + 1], l.total_pages.to_string());
    }

    #[test]
    fn contents_that_spill_onto_a_second_page_move_every_page_number() {
        let mut case = case("spill");
        let template = case.exhibits[0].clone();
        for n in 0..60 {
            case.exhibits.push(crate::model::Exhibit {
                title: format!("Progress note {n}"),
                kind: ExhibitKind::ProgressNote,
                ..template.clone()
            });
        }
        let plan = super::super::plan::plan(&case, "demo", now(), chrono_tz::America::Chicago);
        let exhibits = merged(&plan, 2);
        let l = layout(super::super::font::metrics(), &plan, &exhibits, exhibits.len() * 2).unwrap();
        let contents = l.front.iter().find(|p| p.kind == SectionKind::Contents).unwrap();
        assert!(contents.pages.len() >= 2, "60 more exhibits take a second contents page");
        assert!(l.passes >= 2, "the first guess of one contents page was wrong: {}", l.passes);
        for e in &l.exhibits {
            let title = format!("Exhibit {} · {}", e.number, e.kind.label());
            assert_eq!(contents_page(&l, &title), Some(e.first_page), "{title}");
        }
        // Every contents line links to the page it prints.
        let links: Vec<usize> = contents.pages.iter().flat_map(|c| c.links.iter().map(|k| k.page + 1)).collect();
        assert!(links.contains(&l.exhibits.last().unwrap().first_page));
    }
}
