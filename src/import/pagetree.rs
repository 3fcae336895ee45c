//! Reads a PDF's page tree as qpdf and poppler read it, so that Redress carries the pages they
//! show and no others: a page written as a direct dictionary in `/Kids` is a page (it is made
//! an object of its own, so it can be copied like any other), a page listed twice is shown
//! twice, a branch that loops back is followed once, and an entry that is not a dictionary (a
//! lost object, a `null`) is no page at all. lopdf's own walk differs on the last three.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// The pages in reading order, and what was wrong with the tree that holds them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageTree {
    pub pages: Vec<ObjectId>,
    /// Branches reached a second time (a loop, or a branch listed twice): not followed again.
    pub loops: usize,
    /// Pages listed again after their first place: carried each time, as readers show them.
    pub repeats: usize,
    /// Entries of `/Kids` that are not dictionaries (`null`, numbers): left out, as readers
    /// leave them out.
    pub not_pages: usize,
    /// Where the tree names an object the file does not hold (lost, or written so that it
    /// cannot be read): the page number it would have had, from 1.
    pub lost: Vec<usize>,
    /// The catalog named a page where its page tree belongs; the tree was found from that
    /// page's `/Parent`, as qpdf and poppler find it.
    pub root_was_a_page: bool,
}

impl PageTree {
    /// What the person should know about the tree, in their words.
    pub fn warnings(&self) -> Vec<String> {
        let times = |n: usize| if n == 1 { "once".to_string() } else { format!("{n} times") };
        let mut out = Vec::new();
        if self.loops > 0 {
            out.push(format!(
                "page tree is damaged: it reaches the same pages more than once (it loops back {}); each page is carried once, as PDF readers show it; check the pages",
                times(self.loops)
            ));
        }
        if self.repeats > 0 {
            out.push(format!(
                "lists the same page more than once ({} more); it is carried each time, as PDF readers show it; check the pages",
                times(self.repeats)
            ));
        }
        for n in &self.lost {
            out.push(format!(
                "page {n} cannot be read from the file (it is damaged) and is left out; get a fresh copy from whoever sent it"
            ));
        }
        if self.root_was_a_page {
            out.push(
                "page tree is damaged: the document points to a page where its list of pages belongs; the list is found from that page, as PDF readers find it; check the pages"
                    .to_string(),
            );
        }
        if self.not_pages > 0 {
            let s = if self.not_pages == 1 { "entry that is not a page" } else { "entries that are not pages" };
            out.push(format!(
                "page tree is damaged: it has {} {s}, left out as PDF readers leave them out; compare the pages with the original",
                self.not_pages
            ));
        }
        out
    }
}

/// Walks the page tree from the catalog's `/Pages`, turning direct page dictionaries into
/// objects of their own and pointing a catalog that names a page at the tree above it (the
/// only changes made to `doc`).
pub fn read(doc: &mut Document) -> PageTree {
    let mut tree = PageTree::default();
    let Some(named) = doc.catalog().ok().and_then(|c| c.get(b"Pages").ok()).and_then(|p| p.as_reference().ok()) else {
        return tree;
    };
    let root = tree_root(doc, named);
    tree.root_was_a_page = root != named;
    if tree.root_was_a_page {
        // The rest of the import (the stated page count among it) reads the tree from here.
        if let Ok(catalog) = doc.catalog_mut() {
            catalog.set("Pages", root);
        }
    }
    let mut branches = HashSet::from([root]);
    let mut seen_pages = HashSet::new();
    // Each frame is a branch and the next of its kids to look at; no recursion, so a deep tree
    // cannot overflow the stack, and `branches` bounds the walk by the number of objects.
    let mut stack = vec![(root, 0usize)];
    while let Some((branch, index)) = stack.pop() {
        let Some(kid) = kids(doc, branch).and_then(|k| k.get(index).cloned()) else { continue };
        stack.push((branch, index + 1));
        let id = match kid {
            Object::Reference(id) => id,
            Object::Dictionary(d) => {
                // A damaged file's own count of its objects may be short: never reuse a number.
                doc.max_id = doc.max_id.max(doc.objects.keys().next_back().map_or(0, |k| k.0));
                let id = doc.add_object(d);
                if let Some(k) = kids_mut(doc, branch) {
                    k[index] = Object::Reference(id);
                }
                id
            }
            _ => {
                tree.not_pages += 1;
                continue;
            }
        };
        match doc.objects.get(&id) {
            Some(Object::Dictionary(d)) if is_branch(d) => {
                if branches.insert(id) {
                    stack.push((id, 0));
                } else {
                    tree.loops += 1;
                }
            }
            Some(Object::Dictionary(_)) => {
                if !seen_pages.insert(id) {
                    tree.repeats += 1;
                }
                tree.pages.push(id);
            }
            None => tree.lost.push(tree.pages.len() + tree.lost.len() + 1),
            Some(_) => tree.not_pages += 1,
        }
    }
    tree
}

/// A node with kids, unless it says it is a page (qpdf's rule; poppler agrees on every file
/// that says what it is).
fn is_branch(d: &Dictionary) -> bool {
    match d.get(b"Type").and_then(Object::as_name) {
        Ok(b"Pages") => true,
        Ok(b"Page") => false,
        _ => d.has(b"Kids"),
    }
}

/// The root of the page tree: what the catalog names, or, where it names a page, the topmost
/// branch above that page (qpdf's correction; poppler shows the same pages).
fn tree_root(doc: &Document, named: ObjectId) -> ObjectId {
    let is_page = |id: &ObjectId| doc.get_dictionary(*id).is_ok_and(|d| !is_branch(d));
    if !is_page(&named) {
        return named;
    }
    let mut root = named;
    let mut seen = HashSet::from([named]);
    // `seen` stops a chain of parents that loops; each step climbs to a branch only.
    while let Some(parent) = doc.get_dictionary(root).ok().and_then(|d| d.get(b"Parent").ok()).and_then(|p| p.as_reference().ok()) {
        let is_branch = doc.get_dictionary(parent).is_ok_and(is_branch);
        if !is_branch || !seen.insert(parent) {
            break;
        }
        root = parent;
    }
    root
}

fn kids(doc: &Document, branch: ObjectId) -> Option<&Vec<Object>> {
    let node = doc.get_dictionary(branch).ok()?;
    match node.get(b"Kids").ok()? {
        Object::Reference(r) => doc.objects.get(r)?.as_array().ok(),
        Object::Array(a) => Some(a),
        _ => None,
    }
}

fn kids_mut(doc: &mut Document, branch: ObjectId) -> Option<&mut Vec<Object>> {
    let held_apart = match doc.get_dictionary(branch).ok()?.get(b"Kids").ok()? {
        Object::Reference(r) => Some(*r),
        _ => None,
    };
    match held_apart {
        Some(r) => doc.objects.get_mut(&r)?.as_array_mut().ok(),
        None => doc.get_dictionary_mut(branch).ok()?.get_mut(b"Kids").ok()?.as_array_mut().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A document whose page tree root has the given kids; objects 10.. are pages.
    fn doc_with(kids: Vec<Object>, extra: Vec<(ObjectId, Object)>) -> Document {
        let mut doc = Document::with_version("1.7");
        for (id, o) in extra {
            doc.objects.insert(id, o);
        }
        doc.objects.insert((2, 0), Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 1 }));
        doc.objects.insert((1, 0), Object::Dictionary(dictionary! { "Type" => "Catalog", "Pages" => (2, 0) }));
        doc.trailer.set("Root", (1, 0));
        doc
    }

    fn page() -> Object {
        Object::Dictionary(dictionary! { "Type" => "Page", "Parent" => (2, 0) })
    }

    #[test]
    fn direct_pages_become_objects_and_count() {
        let mut doc = doc_with(vec![page(), page()], vec![]);
        let tree = read(&mut doc);
        assert_eq!(tree.pages.len(), 2);
        assert_ne!(tree.pages[0], tree.pages[1]);
        assert!(tree.warnings().is_empty());
        let kids = kids(&doc, (2, 0)).unwrap();
        assert!(kids.iter().all(|k| k.as_reference().is_ok()), "the tree now names them");
    }

    #[test]
    fn a_page_listed_twice_is_shown_twice_and_said() {
        let mut doc = doc_with(vec![(10, 0).into(), (10, 0).into()], vec![((10, 0), page())]);
        let tree = read(&mut doc);
        assert_eq!(tree.pages, vec![(10, 0), (10, 0)]);
        assert_eq!(tree.repeats, 1);
        assert!(tree.warnings()[0].contains("same page more than once"));
    }

    #[test]
    fn a_loop_is_followed_once_and_lost_entries_are_not_pages() {
        let mut doc = doc_with(vec![(10, 0).into(), (2, 0).into(), (99, 0).into(), Object::Null, 5.into()], vec![((10, 0), page())]);
        let tree = read(&mut doc);
        assert_eq!(tree.pages, vec![(10, 0)]);
        assert_eq!((tree.loops, tree.not_pages, tree.lost.clone()), (1, 2, vec![2]));
        let said = tree.warnings().join(" ");
        assert!(said.contains("loops back once") && said.contains("2 entries that are not pages"), "{said}");
        assert!(said.contains("page 2 cannot be read from the file"), "{said}");
    }

    #[test]
    fn a_kid_without_type_is_a_page_unless_it_has_kids() {
        let branch = Object::Dictionary(dictionary! { "Kids" => vec![Object::from((10, 0))] });
        let mut doc = doc_with(
            vec![(11, 0).into(), (12, 0).into()],
            vec![((10, 0), page()), ((11, 0), branch), ((12, 0), Object::Dictionary(Dictionary::new()))],
        );
        assert_eq!(read(&mut doc).pages, vec![(10, 0), (12, 0)]);
    }

    #[test]
    fn a_catalog_naming_a_page_finds_the_tree_above_it() {
        let mut doc = doc_with(vec![(10, 0).into()], vec![((10, 0), page())]);
        doc.get_dictionary_mut((1, 0)).unwrap().set("Pages", (10, 0));
        let tree = read(&mut doc);
        assert_eq!(tree.pages, vec![(10, 0)]);
        assert!(tree.warnings()[0].contains("points to a page where its list of pages belongs"));
    }

    #[test]
    fn a_document_without_a_tree_has_no_pages() {
        let mut doc = Document::with_version("1.7");
        assert_eq!(read(&mut doc), PageTree::default());
    }
}
