//! A letter printed on its own: the packet's letter pages (the same layout, fonts and writer),
//! without Bates stamps, written atomically.

use crate::atomic::AtomicFile;
use crate::error::Result;
use crate::packet::canvas::Canvas;
use crate::packet::font::metrics;
use crate::packet::sections::{self, SectionEntry, SectionKind};
use crate::packet::write::{Finish, PacketWriter};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::io::BufWriter;
use std::path::Path;

/// Writes a letter to `out`: its Markdown when `out` ends in `.md`, else a PDF of its own.
pub fn write_letter(markdown: &str, out: &Path, title: &str, author: Option<&str>, created: DateTime<Utc>) -> Result<()> {
    let markdown_wanted = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if markdown_wanted {
        crate::atomic::write_atomically(out, markdown.as_bytes())
    } else {
        write_letter_pdf(markdown, out, title, author, created).map(|_| ())
    }
}

/// Writes `markdown` as a PDF of its own at `out`, titled `title` and stamped as created at
/// `created`; returns its page count.
pub fn write_letter_pdf(markdown: &str, out: &Path, title: &str, author: Option<&str>, created: DateTime<Utc>) -> Result<usize> {
    let pages = sections::letter(metrics(), markdown);
    let target = AtomicFile::create(out)?;
    let io = |e: std::io::Error| target.error(e);
    let file = target.file.try_clone().map_err(io)?;
    let mut w = PacketWriter::new(BufWriter::new(file), false).map_err(io)?;
    let ids: Vec<lopdf::ObjectId> = pages.iter().map(|_| w.w.alloc()).collect();
    let blank = Canvas::letter();
    for (c, id) in pages.iter().zip(&ids) {
        let page = w.page(c, *id, &ids).map_err(io)?;
        w.stamp(&page, &blank).map_err(io)?;
    }
    let sections = [SectionEntry { kind: SectionKind::Letter, title: title.to_string(), first_page: 1, pages: pages.len() }];
    let mut h = Sha256::new();
    h.update(markdown.as_bytes());
    h.update(created.to_rfc3339().as_bytes());
    let mut file_id = [0u8; 16];
    file_id.copy_from_slice(&h.finalize()[..16]);
    let finish = Finish {
        pages: &ids,
        outline: crate::packet::write::outline_items(&sections, &[]),
        labels: Vec::new(),
        title: title.to_string(),
        author: author.map(str::to_string),
        subject: title.to_string(),
        created,
        file_id,
        layers: &Default::default(),
        forms: &[],
    };
    let mut sink = w.finish(&finish).map_err(io)?;
    std::io::Write::flush(&mut sink).map_err(io)?;
    drop(sink);
    target.commit()?;
    Ok(pages.len())
}
