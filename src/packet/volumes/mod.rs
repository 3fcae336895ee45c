//! Split volumes: a packet too long or too large for one file, written as a set
//! (`packet-vol1-of-3.pdf`, …) whose Bates numbers, "Page i of N" and contents run on across
//! the files.
//!
//! Stages, each handing the next plain data:
//!
//! 1. [`survey`]: each exhibit's pages (separator included) and the bytes it is expected to
//!    take, opened one at a time and cheaply (a photo is one page and its file's size; nothing
//!    is decoded);
//! 2. [`partition`] (pure): which pages go in which volume under the [`Limits`]; no exhibit is
//!    split unless it alone exceeds a volume, and then at a page boundary ([`Piece`]);
//! 3. the build writes each volume with the existing stages (merge, stamps, write) and a page
//!    number offset, then renames the whole set into place together.
//!
//! **Volume covers and page labels.** Every volume opens with a cover of its own that names
//! it ("Volume 2 of 3 · pages 141–288 · HAYES-000141 to HAYES-000288"). It is not one of the
//! packet's numbered pages: it carries no stamp, and its page label (what a viewer's page box
//! shows) is the volume's name, "Volume 2 of 3"; every other page's label is its Bates number.

pub mod build;

use super::canvas::{fit, Canvas, ACCENT, BLACK, GREY, LETTER, SHADE};
use super::flow::MARGIN;
use super::font::{Face, Metrics};
use super::merge::Opened;
use super::sections::{ExhibitEntry, SectionEntry, SectionKind};
use super::write::OutlineItem;
use crate::size::human_bytes;
use std::path::{Path, PathBuf};

/// What the destination accepts: pages and bytes per file, files, and bytes in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    pub pages: Option<usize>,
    pub bytes: Option<u64>,
    pub files: Option<usize>,
    pub total: Option<u64>,
}

impl Limits {
    pub fn of(opts: &super::BuildOptions) -> Limits {
        // In fax mode a volume's fax cover sheet takes one of its file's pages.
        let pages = opts.max_pages.map(|p| if opts.fax { p.saturating_sub(1).max(1) } else { p });
        Limits { pages, bytes: opts.max_bytes, files: opts.max_files, total: opts.max_total_bytes }
    }
}

/// Bytes every file takes besides its pages: the fonts' subsets, the page tree, the
/// bookmarks, the document information and the cross references.
pub const FILE_BYTES: u64 = 60_000;
/// Bytes a generated page (cover, contents, separator, manifest) takes, about.
pub const GENERATED_PAGE_BYTES: u64 = 3_000;
/// Bytes each exhibit page takes besides its own content: its stamp and wrapping.
pub const PAGE_BYTES: u64 = 1_000;

/// An exhibit as the survey found it, in plan order.
#[derive(Debug, Clone, PartialEq)]
pub struct Surveyed {
    /// Numbered, hashed (when asked), with its pages, separator included.
    pub entry: ExhibitEntry,
    /// The bytes it is expected to take in the packet.
    pub bytes: u64,
    /// Of those, what photos take (JPEG, PNG, HEIC): what a size budget can shrink.
    pub photo_bytes: u64,
}

/// A run of one exhibit's own pages (its separator not counted) placed in one volume:
/// `from..to`, part `part` of `parts`. A whole exhibit is part 1 of 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// The exhibit's position in the plan's order.
    pub exhibit: usize,
    pub from: usize,
    pub to: usize,
    pub part: usize,
    pub parts: usize,
}

impl Piece {
    /// Pages the piece takes, its separator included.
    pub fn pages(&self) -> usize {
        1 + self.to - self.from
    }
}

/// Where part of an exhibit goes, carried on its [`ExhibitEntry`] into the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub part: usize,
    pub parts: usize,
    /// Its own pages, `from..to` of `of`.
    pub from: usize,
    pub to: usize,
    pub of: usize,
}

/// One volume's share of the packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// 1-based; the front matter is in volume 1, the manifest in the last.
    pub number: usize,
    pub front: bool,
    pub pieces: Vec<Piece>,
    pub manifest: bool,
    /// The packet page number (as stamped) of its first numbered page, and how many it holds
    /// (its cover not counted).
    pub first: usize,
    pub pages: usize,
    /// What it is expected to take.
    pub bytes: u64,
}

impl Share {
    fn new(number: usize, first: usize) -> Share {
        Share { number, front: false, pieces: Vec::new(), manifest: false, first, pages: 0, bytes: FILE_BYTES + GENERATED_PAGE_BYTES }
    }

    /// Pages in the file: the numbered ones and the cover.
    pub fn file_pages(&self) -> usize {
        self.pages + 1
    }

    pub fn last(&self) -> usize {
        self.first + self.pages - 1
    }
}

/// The sizes a partition works from.
#[derive(Debug, Clone)]
pub struct Sizes {
    pub front_pages: usize,
    pub manifest_pages: usize,
    /// Per exhibit in plan order: pages (separator included) and expected bytes.
    pub exhibits: Vec<(usize, u64)>,
}

/// Why a packet cannot be written under the limits; nothing is written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    #[error("the packet needs {needed} files of at most {per_file} each, but the destination takes at most {limit} files")]
    TooManyFiles { needed: usize, limit: usize, per_file: String },
    #[error("the packet would take about {} in all, but the destination takes at most {} in all", human_bytes(*needed), human_bytes(*limit))]
    TooLarge { needed: u64, limit: u64 },
    #[error("the front matter (cover, contents, timeline, letter) alone takes {pages} pages and about {}, more than one file may hold ({limit})", human_bytes(*bytes))]
    FrontTooLarge { pages: usize, bytes: u64, limit: String },
    #[error("exhibit {number} has a page of about {} alone, more than one file may hold ({})", human_bytes(*bytes), human_bytes(*limit))]
    PageTooLarge { number: usize, bytes: u64, limit: u64 },
    #[error(
        "at most {limit} pages a file leaves no room for a volume's cover, an exhibit's separator and one of its pages (at least 3 pages)"
    )]
    TooFewPages { limit: usize },
    #[error("the manifest alone takes {pages} pages, more than one file may hold ({limit})")]
    ManifestTooLarge { pages: usize, limit: String },
    #[error("volume {number} came out at {}, over the {} a file may hold, even after its exhibits were measured and the set divided again", human_bytes(*bytes), human_bytes(*limit))]
    VolumeTooLarge { number: usize, bytes: u64, limit: u64 },
}

impl From<LimitError> for crate::Error {
    fn from(e: LimitError) -> Self {
        crate::Error::Limits(e)
    }
}

/// A file's limits in words: "200 pages and 10.0 MB".
fn per_file(limits: &Limits) -> String {
    let mut parts = Vec::new();
    if let Some(p) = limits.pages {
        parts.push(format!("{p} pages"));
    }
    if let Some(b) = limits.bytes {
        parts.push(human_bytes(b));
    }
    if parts.is_empty() {
        "any size".into()
    } else {
        parts.join(" and ")
    }
}

/// Divides the packet into volumes under `limits`: the front matter opens volume 1, the
/// exhibits follow in order, each whole in the first volume with room for it (a new volume
/// when the current one has none), and one that alone exceeds a volume is split at page
/// boundaries, filling the current volume first; the manifest ends the last volume. Every
/// volume has a cover of one page besides its numbered pages.
pub fn partition(s: &Sizes, limits: &Limits) -> Result<Vec<Share>, LimitError> {
    let max_pages = limits.pages.unwrap_or(usize::MAX);
    let max_bytes = limits.bytes.unwrap_or(u64::MAX);
    if max_pages < 3 {
        return Err(LimitError::TooFewPages { limit: max_pages });
    }
    let fits = |v: &Share, pages: usize, bytes: u64| v.file_pages() + pages <= max_pages && v.bytes + bytes <= max_bytes;
    let mut done = Vec::new();
    let mut cur = Share::new(1, 1);
    let front_bytes = s.front_pages as u64 * GENERATED_PAGE_BYTES;
    if !fits(&cur, s.front_pages, front_bytes) {
        return Err(LimitError::FrontTooLarge { pages: s.front_pages, bytes: front_bytes, limit: per_file(limits) });
    }
    cur.front = true;
    cur.pages = s.front_pages;
    cur.bytes += front_bytes;
    for (i, &(pages, bytes)) in s.exhibits.iter().enumerate() {
        if !fits(&cur, pages, bytes) && fits(&Share::new(0, 0), pages, bytes) {
            let next = Share::new(cur.number + 1, cur.last() + 1);
            done.push(std::mem::replace(&mut cur, next));
        }
        if fits(&cur, pages, bytes) {
            cur.pieces.push(Piece { exhibit: i, from: 0, to: pages - 1, part: 1, parts: 1 });
            cur.pages += pages;
            cur.bytes += bytes;
            continue;
        }
        split(&mut cur, &mut done, i, (pages - 1, bytes), (max_pages, max_bytes))?;
    }
    let manifest_bytes = s.manifest_pages as u64 * GENERATED_PAGE_BYTES;
    if !fits(&Share::new(0, 0), s.manifest_pages, manifest_bytes) {
        return Err(LimitError::ManifestTooLarge { pages: s.manifest_pages, limit: per_file(limits) });
    }
    if !fits(&cur, s.manifest_pages, manifest_bytes) {
        let next = Share::new(cur.number + 1, cur.last() + 1);
        done.push(std::mem::replace(&mut cur, next));
    }
    cur.manifest = true;
    cur.pages += s.manifest_pages;
    cur.bytes += manifest_bytes;
    done.push(cur);
    check_set(&done, limits)?;
    Ok(done)
}

/// Splits exhibit `i` (`own` pages, `bytes` in all) at page boundaries: as many pages as fit
/// in the current volume, then in fresh ones.
fn split(
    cur: &mut Share,
    done: &mut Vec<Share>,
    i: usize,
    (own, bytes): (usize, u64),
    (max_pages, max_bytes): (usize, u64),
) -> Result<(), LimitError> {
    let per_page = bytes.div_ceil(own.max(1) as u64).max(1);
    if own == 0 {
        // Its separator alone is over the limit.
        return Err(LimitError::PageTooLarge { number: i + 1, bytes, limit: max_bytes });
    }
    let first_piece = done.iter().map(|v| v.pieces.len()).sum::<usize>() + cur.pieces.len();
    let mut from = 0;
    let mut parts = 0;
    while from < own {
        let room_pages = max_pages.saturating_sub(cur.file_pages() + 1);
        let room_bytes = max_bytes.saturating_sub(cur.bytes + GENERATED_PAGE_BYTES) / per_page;
        let n = room_pages.min(usize::try_from(room_bytes).unwrap_or(usize::MAX)).min(own - from);
        if n == 0 {
            if cur.pieces.is_empty() && !cur.front {
                return Err(LimitError::PageTooLarge { number: i + 1, bytes: per_page, limit: max_bytes });
            }
            let next = Share::new(cur.number + 1, cur.last() + 1);
            done.push(std::mem::replace(cur, next));
            continue;
        }
        parts += 1;
        cur.pieces.push(Piece { exhibit: i, from, to: from + n, part: parts, parts: 0 });
        cur.pages += 1 + n;
        cur.bytes += GENERATED_PAGE_BYTES + per_page * n as u64;
        from += n;
    }
    for p in done.iter_mut().chain(std::iter::once(cur)).flat_map(|v| v.pieces.iter_mut()).skip(first_piece) {
        p.parts = parts;
    }
    Ok(())
}

/// The set's own limits: how many files, how many bytes in all.
fn check_set(shares: &[Share], limits: &Limits) -> Result<(), LimitError> {
    if let Some(limit) = limits.files.filter(|l| shares.len() > *l) {
        return Err(LimitError::TooManyFiles { needed: shares.len(), limit, per_file: per_file(limits) });
    }
    let needed: u64 = shares.iter().map(|v| v.bytes).sum();
    check_total(needed, limits)
}

/// Refuses a set of `bytes` in all over the destination's total.
pub fn check_total(bytes: u64, limits: &Limits) -> Result<(), LimitError> {
    match limits.total {
        Some(limit) if bytes > limit => Err(LimitError::TooLarge { needed: bytes, limit }),
        _ => Ok(()),
    }
}

/// The exhibits as the layout places them: a split exhibit takes a separator for each part.
pub fn placed_entries(survey: &[Surveyed], shares: &[Share]) -> Vec<ExhibitEntry> {
    let mut entries: Vec<ExhibitEntry> = survey.iter().map(|s| s.entry.clone()).collect();
    for p in shares.iter().flat_map(|v| &v.pieces).filter(|p| p.parts > 1) {
        if p.part == 1 {
            entries[p.exhibit].pages = 0;
        }
        entries[p.exhibit].pages += p.pages();
    }
    entries
}

/// Per exhibit (plan order), the volume and packet page of each of its parts, for the
/// contents of volume 1; and the number of volumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Where {
    pub of: usize,
    pub parts: Vec<Vec<(usize, usize)>>,
}

impl Where {
    pub fn of(shares: &[Share], front_pages: usize, exhibits: usize) -> Where {
        let mut parts = vec![Vec::new(); exhibits];
        for v in shares {
            for (p, first) in pieces_at(v, front_pages) {
                parts[p.exhibit].push((v.number, first));
            }
        }
        Where { of: shares.len(), parts }
    }
}

/// A volume's pieces with the packet page each starts on.
pub fn pieces_at(v: &Share, front_pages: usize) -> Vec<(Piece, usize)> {
    let mut page = v.first + if v.front { front_pages } else { 0 };
    v.pieces
        .iter()
        .map(|p| {
            let at = page;
            page += p.pages();
            (*p, at)
        })
        .collect()
}

/// The entries the merge places for a volume: each piece's exhibit, with its part when split.
pub fn volume_entries(v: &Share, survey: &[Surveyed]) -> Vec<ExhibitEntry> {
    v.pieces
        .iter()
        .map(|p| {
            let e = &survey[p.exhibit].entry;
            let part = (p.parts > 1).then_some(Part { part: p.part, parts: p.parts, from: p.from, to: p.to, of: e.pages - 1 });
            ExhibitEntry { part, ..e.clone() }
        })
        .collect()
}

/// A warning for every exhibit split across volumes, naming where each part went.
pub fn split_warnings(shares: &[Share], survey: &[Surveyed]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in survey.iter().enumerate() {
        let parts: Vec<String> = shares
            .iter()
            .flat_map(|v| v.pieces.iter().map(move |p| (v.number, p)))
            .filter(|(_, p)| p.exhibit == i && p.parts > 1)
            .map(|(v, p)| match p.to - p.from {
                1 => format!("its page {} in volume {v}", p.to),
                _ => format!("its pages {}–{} in volume {v}", p.from + 1, p.to),
            })
            .collect();
        if !parts.is_empty() {
            out.push(format!(
                "exhibit {} ({}, {} pages) is larger than one volume: it is split at page boundaries, {}",
                s.entry.number,
                s.entry.title,
                s.entry.pages - 1,
                parts.join(", ")
            ));
        }
    }
    out
}

/// The note a part's separator carries: "Part 2 of 3: its pages 41–80 of 120".
pub fn part_note(e: &ExhibitEntry) -> Option<String> {
    let p = e.part?;
    let pages = match p.to - p.from {
        1 => format!("page {}", p.to),
        _ => format!("pages {}–{}", p.from + 1, p.to),
    };
    Some(format!("Part {} of {}: the exhibit's {pages} of {} (split across volumes)", p.part, p.parts, p.of))
}

/// An exhibit's opened pages cut to its part (whole when it has none).
pub(super) fn window(opened: Opened, part: Option<Part>) -> Opened {
    let Some(p) = part else { return opened };
    match opened {
        Opened::Pdf(mut src) => {
            src.pages = src.pages.get(p.from..p.to).map(<[_]>::to_vec).unwrap_or_default();
            Opened::Pdf(src)
        }
        Opened::Photos(photos, format) => Opened::Photos(window_pages(photos, part), format),
        text => text,
    }
}

/// A text exhibit's laid-out pages cut to its part.
pub fn window_pages<T>(pages: Vec<T>, part: Option<Part>) -> Vec<T> {
    match part {
        Some(p) if !pages.is_empty() => pages.into_iter().skip(p.from).take(p.to - p.from).collect(),
        _ => pages,
    }
}

/// The file of volume `number` of `of`, beside `out`: `packet-vol2-of-3.pdf`.
pub fn volume_path(out: &Path, number: usize, of: usize) -> PathBuf {
    let (stem, ext) = stem_and_extension(out);
    out.with_file_name(format!("{stem}-vol{number}-of-{of}.{ext}"))
}

fn stem_and_extension(out: &Path) -> (String, String) {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "packet".into());
    let ext = out.extension().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "pdf".into());
    (stem, ext)
}

/// `out` with its file name made of ASCII letters, digits, `-`, `_` and `.` only (any other
/// character becomes `_`), when `safe` is set.
pub fn safe_path(out: PathBuf, safe: bool) -> PathBuf {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()).filter(|_| safe) else { return out };
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    out.with_file_name(clean)
}

/// Whether `name` is a volume of a packet written to `out` (`packet-vol2-of-3.pdf`).
pub(super) fn is_volume_of(name: &str, out: &Path) -> bool {
    let (stem, ext) = stem_and_extension(out);
    let Some(rest) = name.strip_prefix(&format!("{stem}-vol")).and_then(|r| r.strip_suffix(&format!(".{ext}"))) else { return false };
    let Some((k, n)) = rest.split_once("-of-") else { return false };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    number(k) && number(n)
}

/// Removes the volumes of an earlier build to `out` that are not among `keep`, and `out`
/// itself when the packet is now a set of volumes: what is left beside the new files is only
/// ever the current packet. Returns the files removed.
pub fn remove_stale(out: &Path, keep: &[PathBuf]) -> Vec<PathBuf> {
    let dir = crate::atomic::dir_of(out);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = dir.join(&name);
        let stale_volume = is_volume_of(&name, out) && !keep.iter().any(|k| k.file_name() == Some(entry.file_name().as_os_str()));
        let stale_whole = !keep.is_empty() && out.file_name() == Some(entry.file_name().as_os_str());
        if (stale_volume || stale_whole) && entry.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// The page labels of one volume: its cover named, then each numbered page its Bates number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The cover's label ("Volume 2 of 3").
    pub cover: String,
    pub prefix: String,
    /// The Bates number of the first numbered page.
    pub first: usize,
    pub pages: usize,
}

/// One `/PageLabels` range: from page `index` (0-based in the file), the label `prefix`
/// followed, when `start` is set, by decimal numbers counting from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRange {
    pub index: usize,
    pub prefix: String,
    pub start: Option<usize>,
}

/// The ranges that make each page's label its Bates number (`HAYES-000141`): a decimal
/// numbering after a prefix holding the zeros, a new range wherever the number gains a digit.
pub fn label_ranges(l: &Labels) -> Vec<LabelRange> {
    let mut out = vec![LabelRange { index: 0, prefix: l.cover.clone(), start: None }];
    let mut digits = 0;
    for k in 0..l.pages {
        let n = l.first + k;
        let d = n.to_string().len();
        if d != digits {
            digits = d;
            out.push(LabelRange { index: 1 + k, prefix: format!("{}-{}", l.prefix, "0".repeat(6usize.saturating_sub(d))), start: Some(n) });
        }
    }
    out
}

/// "Volume 2 of 3 · pages 141–288 · HAYES-000141 to HAYES-000288".
pub fn volume_line(v: &Share, of: usize, prefix: &str) -> String {
    let bates = |n: usize| format!("{prefix}-{n:06}");
    format!("Volume {} of {of} · pages {}–{} · {} to {}", v.number, v.first, v.last(), bates(v.first), bates(v.last()))
}

/// What a volume's cover lists.
pub struct CoverText<'a> {
    pub title: String,
    pub member: &'a str,
    pub case_title: &'a str,
    pub total_pages: usize,
    /// "Cover, contents, timeline and letter", "Exhibit 3 · Progress note (part 2 of 3)", …
    pub holds: Vec<(String, usize)>,
}

/// Lines a cover lists before it sums up the rest.
const COVER_LINES: usize = 30;

/// The cover of one volume: one page, unnumbered.
pub fn cover(fonts: &Metrics, v: &Share, of: usize, prefix: &str, t: &CoverText) -> Canvas {
    let mut c = Canvas::letter();
    let (l, r) = (MARGIN, LETTER.0 - MARGIN);
    let mut y = LETTER.1 - MARGIN - 40.0;
    c.fill_rect(0.0, y - 14.0, LETTER.0, 70.0, SHADE);
    c.text(Face::Bold, 30.0, l, y + 14.0, ACCENT, &format!("Volume {} of {of}", v.number));
    c.text(Face::Regular, 11.0, l, y - 6.0, BLACK, &fit(fonts, Face::Regular, 11.0, r - l, &volume_line(v, of, prefix)));
    y -= 50.0;
    c.text(Face::Bold, 14.0, l, y, BLACK, &fit(fonts, Face::Bold, 14.0, r - l, &t.title));
    y -= 18.0;
    c.text(Face::Regular, 11.0, l, y, BLACK, &fit(fonts, Face::Regular, 11.0, r - l, &format!("{} · {}", t.member, t.case_title)));
    y -= 22.0;
    let note = format!(
        "One packet of {} numbered pages in {of} files; its contents, in volume 1, list where every exhibit is. This cover is not numbered.",
        t.total_pages
    );
    for line in super::canvas::wrap(fonts, Face::Regular, 9.0, r - l, &note) {
        c.text(Face::Regular, 9.0, l, y, GREY, &line);
        y -= 12.0;
    }
    y -= 14.0;
    c.text(Face::Bold, 11.0, l, y, BLACK, "In this volume");
    for (text, page) in t.holds.iter().take(COVER_LINES) {
        y -= 15.0;
        let num = format!("page {page}");
        let nw = fonts.width(Face::Regular, &num, 9.5);
        c.text(Face::Regular, 9.5, l + 10.0, y, BLACK, &fit(fonts, Face::Regular, 9.5, r - l - nw - 30.0, text));
        c.text_right(fonts, Face::Regular, 9.5, r, y, GREY, &num);
    }
    if t.holds.len() > COVER_LINES {
        y -= 15.0;
        c.text(Face::Regular, 9.5, l + 10.0, y, GREY, &format!("and {} more", t.holds.len() - COVER_LINES));
    }
    c
}

/// What a volume holds, for its cover: the sections of the front matter or the manifest it
/// has, and each exhibit or part of one, with the packet page each starts on.
pub fn holds(v: &Share, sections: &[SectionEntry], exhibits: &[ExhibitEntry], front_pages: usize) -> Vec<(String, usize)> {
    let generated = |s: &&SectionEntry| s.kind != SectionKind::Exhibit && s.first_page >= v.first && s.first_page <= v.last();
    let (front, manifest): (Vec<&SectionEntry>, Vec<&SectionEntry>) =
        sections.iter().filter(generated).partition(|s| s.kind != SectionKind::Manifest);
    let mut out: Vec<(String, usize)> = front.iter().map(|s| (s.title.clone(), s.first_page)).collect();
    out.extend(pieces_at(v, front_pages).into_iter().map(|(p, at)| (piece_title(&exhibits[p.exhibit], &p), at)));
    out.extend(manifest.iter().map(|s| (s.title.clone(), s.first_page)));
    out
}

/// "Exhibit 3 (part 2 of 3) · Progress note · 2025-09-03 — Title": the part first, where a
/// narrow line cannot cut it off.
fn piece_title(e: &ExhibitEntry, p: &Piece) -> String {
    let part = if p.parts > 1 { format!(" (part {} of {})", p.part, p.parts) } else { String::new() };
    format!("Exhibit {}{part} · {} · {} — {}", e.number, e.kind.label(), e.date, e.title)
}

/// A volume's bookmarks, pointing at its own pages (1-based in the file, the cover being the
/// first): its cover, the sections it holds, and its exhibits' parts under "Exhibits".
pub fn outline(v: &Share, of: usize, sections: &[SectionEntry], exhibits: &[ExhibitEntry], front_pages: usize) -> Vec<OutlineItem> {
    let file_page = |p: usize| p + 2 - v.first;
    let inside = |p: usize| p >= v.first && p <= v.last();
    let mut items = vec![OutlineItem { title: format!("Volume {} of {of}", v.number), page: 1, children: vec![] }];
    let front = sections.iter().filter(|s| !matches!(s.kind, SectionKind::Exhibit | SectionKind::Manifest) && inside(s.first_page));
    items.extend(front.map(|s| OutlineItem { title: s.title.clone(), page: file_page(s.first_page), children: vec![] }));
    let children: Vec<OutlineItem> = pieces_at(v, front_pages)
        .into_iter()
        .map(|(p, at)| OutlineItem { title: piece_title(&exhibits[p.exhibit], &p), page: file_page(at), children: vec![] })
        .collect();
    if let Some(first) = children.first() {
        items.push(OutlineItem { title: "Exhibits".into(), page: first.page, children });
    }
    if let Some(m) = sections.iter().find(|s| s.kind == SectionKind::Manifest && v.manifest) {
        items.push(OutlineItem { title: m.title.clone(), page: file_page(m.first_page), children: vec![] });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(front: usize, exhibits: &[usize], manifest: usize) -> Sizes {
        Sizes { front_pages: front, manifest_pages: manifest, exhibits: exhibits.iter().map(|p| (*p, *p as u64 * 1000)).collect() }
    }

    fn pages_only(n: usize) -> Limits {
        Limits { pages: Some(n), ..Limits::default() }
    }

    /// Every numbered page is in exactly one volume, in order, and each file keeps its limit.
    fn tiles(shares: &[Share], s: &Sizes, limit: usize) {
        let mut next = 1;
        for v in shares {
            assert_eq!(v.first, next, "{shares:?}");
            assert!(v.file_pages() <= limit, "{v:?}");
            next += v.pages;
        }
        let total = s.front_pages + s.manifest_pages + placed_pages(shares, s);
        assert_eq!(next - 1, total);
    }

    fn placed_pages(shares: &[Share], s: &Sizes) -> usize {
        let whole: usize = s.exhibits.iter().map(|e| e.0).sum();
        let extra: usize = shares.iter().flat_map(|v| &v.pieces).filter(|p| p.part > 1).count();
        whole + extra
    }

    #[test]
    fn exhibits_stay_whole_when_each_fits_a_volume() {
        let s = sizes(5, &[40, 40, 40, 10], 2);
        let shares = partition(&s, &pages_only(60)).unwrap();
        tiles(&shares, &s, 60);
        assert_eq!(shares.len(), 3, "{shares:?}");
        assert!(shares.iter().flat_map(|v| &v.pieces).all(|p| p.parts == 1));
        assert!(shares[0].front && shares[2].manifest && !shares[1].front && !shares[1].manifest);
        assert_eq!(shares[0].pieces.len(), 1, "the second exhibit does not fit beside the first: it opens volume 2");
    }

    #[test]
    fn an_exhibit_larger_than_a_volume_is_split_at_page_boundaries() {
        let s = sizes(4, &[10, 150, 5], 1);
        let shares = partition(&s, &pages_only(60)).unwrap();
        tiles(&shares, &s, 60);
        let parts: Vec<&Piece> = shares.iter().flat_map(|v| &v.pieces).filter(|p| p.exhibit == 1).collect();
        assert!(parts.len() >= 3, "{parts:?}");
        assert_eq!(parts[0].from, 0);
        for w in parts.windows(2) {
            assert_eq!(w[0].to, w[1].from, "the parts follow each other page by page");
        }
        assert_eq!(parts.last().unwrap().to, 149);
        assert!(parts.iter().all(|p| p.parts == parts.len()));
        // It starts in volume 1 beside the first exhibit, filling it.
        assert_eq!(shares[0].pieces.len(), 2);
        assert_eq!(shares[0].file_pages(), 60);
    }

    #[test]
    fn bytes_divide_the_packet_too() {
        let s = Sizes { front_pages: 3, manifest_pages: 1, exhibits: vec![(5, 400_000), (5, 400_000), (5, 400_000)] };
        let limits = Limits { bytes: Some(1_000_000), ..Limits::default() };
        let shares = partition(&s, &limits).unwrap();
        assert_eq!(shares.len(), 2, "{shares:?}");
        assert!(shares.iter().all(|v| v.bytes <= 1_000_000));
    }

    #[test]
    fn the_set_limits_refuse_with_what_it_would_take() {
        let s = sizes(4, &[50, 50, 50], 1);
        let e = partition(&s, &Limits { pages: Some(60), files: Some(2), ..Limits::default() }).unwrap_err();
        assert_eq!(e, LimitError::TooManyFiles { needed: 3, limit: 2, per_file: "60 pages".into() });
        assert!(e.to_string().contains("3 files") && e.to_string().contains("at most 2"), "{e}");
        let e = partition(&s, &Limits { total: Some(10_000), ..Limits::default() }).unwrap_err();
        assert!(matches!(e, LimitError::TooLarge { limit: 10_000, .. }), "{e:?}");
        assert!(matches!(partition(&s, &pages_only(2)), Err(LimitError::TooFewPages { .. })));
        assert!(matches!(partition(&sizes(80, &[1], 1), &pages_only(60)), Err(LimitError::FrontTooLarge { pages: 80, .. })));
        assert!(matches!(partition(&sizes(4, &[1], 70), &pages_only(60)), Err(LimitError::ManifestTooLarge { pages: 70, .. })));
    }

    #[test]
    fn page_labels_are_the_bates_numbers_with_their_zeros() {
        let l = Labels { cover: "Volume 2 of 3".into(), prefix: "HAYES".into(), first: 95, pages: 10 };
        let r = label_ranges(&l);
        assert_eq!(r[0], LabelRange { index: 0, prefix: "Volume 2 of 3".into(), start: None });
        assert_eq!(r[1], LabelRange { index: 1, prefix: "HAYES-0000".into(), start: Some(95) });
        assert_eq!(r[2], LabelRange { index: 6, prefix: "HAYES-000".into(), start: Some(100) });
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn volume_names_and_safe_names() {
        let out = PathBuf::from("/cases/Hayes appeal (2).pdf");
        assert_eq!(volume_path(&out, 2, 3), PathBuf::from("/cases/Hayes appeal (2)-vol2-of-3.pdf"));
        let safe = safe_path(out, true);
        assert_eq!(safe, PathBuf::from("/cases/Hayes_appeal__2_.pdf"));
        assert_eq!(volume_path(&safe, 1, 2).file_name().unwrap(), "Hayes_appeal__2_-vol1-of-2.pdf");
        assert!(is_volume_of("packet-vol12-of-12.pdf", Path::new("packet.pdf")));
        assert!(!is_volume_of("packet-vol1-of-.pdf", Path::new("packet.pdf")));
        assert!(!is_volume_of("other-vol1-of-2.pdf", Path::new("packet.pdf")));
    }
}
