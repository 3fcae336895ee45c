//! A copy of a TIFF whose header points at a rewritten copy of one page's image directory: some
//! entries replaced or added, the rest kept as they are. It lets the `tiff` crate read a page
//! whose tags it would refuse (no Photometric tag, samples of 12 bits) as one it reads.

use super::tiff::Layout;

/// A directory entry to write: its tag, TIFF type, value count and value bytes (already in the
/// file's byte order).
pub(super) struct Entry {
    pub tag: u16,
    pub kind: u16,
    pub count: u64,
    pub value: Vec<u8>,
}

/// TIFF's SHORT and LONG types.
pub(super) const SHORT: u16 = 3;
pub(super) const LONG: u16 = 4;

impl Entry {
    /// One SHORT value.
    pub(super) fn short(layout: Layout, tag: u16, value: u16) -> Entry {
        Entry { tag, kind: SHORT, count: 1, value: layout.encode(u64::from(value), 2) }
    }

    /// One LONG value.
    pub(super) fn long(layout: Layout, tag: u16, value: u32) -> Entry {
        Entry { tag, kind: LONG, count: 1, value: layout.encode(u64::from(value), 4) }
    }
}

/// `file` with the directory at `offset` copied to its end, `entries` written into the copy
/// (replacing entries of the same tag), and the header pointing at it. `None` when the
/// directory runs past the end of the file.
pub(super) fn rewritten(file: &[u8], layout: Layout, offset: u64, entries: Vec<Entry>) -> Option<Vec<u8>> {
    let (count_width, entry_width, inline) = if layout.big_tiff { (8, 20, 8) } else { (2, 12, 4) };
    let count = layout.uint(file, offset, count_width)?;
    let first = usize::try_from(offset).ok()? + count_width;
    let mut kept: Vec<(u16, Vec<u8>)> = (0..usize::try_from(count).ok()?)
        .map(|i| {
            let raw = file.get(first + i * entry_width..first + (i + 1) * entry_width)?;
            Some((u16::try_from(layout.uint(raw, 0, 2)?).ok()?, raw.to_vec()))
        })
        .collect::<Option<_>>()?;
    let mut copy = file.to_vec();
    for entry in entries {
        let mut raw = layout.encode(u64::from(entry.tag), 2);
        raw.extend(layout.encode(u64::from(entry.kind), 2));
        raw.extend(layout.encode(entry.count, inline));
        if entry.value.len() <= inline {
            let mut value = entry.value;
            value.resize(inline, 0);
            raw.extend(value);
        } else {
            copy.resize(copy.len().next_multiple_of(2), 0);
            raw.extend(layout.encode(copy.len() as u64, inline));
            copy.extend(entry.value);
        }
        kept.retain(|(tag, _)| *tag != entry.tag);
        kept.push((entry.tag, raw));
    }
    kept.sort_by_key(|(tag, _)| *tag);
    copy.resize(copy.len().next_multiple_of(2), 0);
    let directory = copy.len() as u64;
    copy.extend(layout.encode(kept.len() as u64, count_width));
    kept.into_iter().for_each(|(_, raw)| copy.extend(raw));
    copy.extend(layout.encode(0, inline));
    let (field, width) = layout.first_offset_field();
    copy.get_mut(field..field + width)?.copy_from_slice(&layout.encode(directory, width));
    Some(copy)
}
