//! Reads object streams that lopdf passes over because their `/Type` is not `/ObjStm`: the
//! cross-reference table still says its objects are there, and qpdf and poppler read them
//! there (qpdf with a warning), so a page tree stored in one is not lost.

use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, ObjectStream};
use std::collections::BTreeSet;

/// Adds the objects the table places in a stream lopdf did not read as an object stream;
/// objects already read are never replaced. Returns how many were added.
pub fn read_mistyped(doc: &mut Document) -> usize {
    let mut added = 0;
    for container in unread_containers(doc) {
        let Some(Object::Stream(stream)) = doc.objects.get(&(container, 0)) else { continue };
        // A stream that is not laid out as an object stream (no /N or /First) is left alone.
        if !(stream.dict.has(b"N") && stream.dict.has(b"First")) {
            continue;
        }
        let Ok(read) = ObjectStream::new_with_limit(stream, Some(crate::limits::STREAM_DECODED)) else { continue };
        for (id, object) in read.objects {
            if is_placed_in(doc, id, container) && !doc.objects.contains_key(&id) {
                doc.objects.insert(id, object);
                added += 1;
            }
        }
    }
    added
}

/// Containers the table names for objects the document does not hold.
fn unread_containers(doc: &Document) -> BTreeSet<u32> {
    doc.reference_table
        .entries
        .iter()
        .filter_map(|(number, entry)| match entry {
            XrefEntry::Compressed { container, .. } if !doc.objects.contains_key(&(*number, 0)) => Some(*container),
            _ => None,
        })
        .collect()
}

fn is_placed_in(doc: &Document, id: ObjectId, container: u32) -> bool {
    id.1 == 0 && matches!(doc.reference_table.entries.get(&id.0), Some(XrefEntry::Compressed { container: c, .. }) if *c == container)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    #[test]
    fn an_object_stream_with_another_type_is_read_where_the_table_says() {
        let mut doc = Document::with_version("1.5");
        let content = b"2 0 3 2 6 7".to_vec();
        let dict = dictionary! { "Type" => "Potato", "N" => 2, "First" => 8 };
        doc.objects.insert((1, 0), Object::Stream(Stream::new(dict, content)));
        for (n, index) in [(2, 0), (3, 1)] {
            doc.reference_table.entries.insert(n, XrefEntry::Compressed { container: 1, index });
        }
        assert_eq!(read_mistyped(&mut doc), 2);
        assert_eq!(doc.objects.get(&(3, 0)), Some(&Object::Integer(7)));
        assert_eq!(read_mistyped(&mut doc), 0, "nothing read twice");
    }
}
