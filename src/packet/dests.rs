//! Where an exhibit's links and buttons go, made to work in the packet. A link may name its
//! destination (`/Dest (chapter2)`, or a GoTo action's `/D`) for the exhibit's catalog to look
//! up (its `/Names /Dests` tree or the older `/Dests` dictionary); the packet has neither, so
//! each name is replaced by the explicit destination it stands for, whose page the copy then
//! renumbers as it does any explicit one. A link to a page a selection leaves out goes
//! nowhere in the packet: its destination is dropped, and a link left with none is left out.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};

/// The exhibit's named destinations, read when a link first names one.
#[derive(Default)]
pub(super) struct NamedDests(Option<HashMap<Vec<u8>, Object>>);

impl NamedDests {
    fn get(&mut self, doc: &Document, name: &[u8]) -> Option<Object> {
        self.0.get_or_insert_with(|| read(doc)).get(name).cloned()
    }
}

/// The pages of the exhibit: those the packet carries, and every one.
pub(super) struct Pages<'a> {
    pub kept: &'a HashMap<ObjectId, ObjectId>,
    pub all: &'a HashSet<ObjectId>,
}

/// A page's annotations (`annots`, as the packet page will list them) with every named
/// destination made explicit and every destination on a page left out dropped; a link left
/// with nowhere to go is left out. Annotations held as objects are changed in `doc`.
pub(super) fn resolve(doc: &mut Document, annots: Object, names: &mut NamedDests, pages: &Pages) -> Object {
    let Object::Array(items) = annots else { return annots };
    let mut kept = Vec::with_capacity(items.len());
    for mut item in items {
        let live = match &mut item {
            Object::Reference(id) => match doc.objects.get(id).and_then(|o| o.as_dict().ok()).cloned() {
                Some(mut d) => {
                    let (changed, live) = retarget(doc, &mut d, names, pages);
                    if changed {
                        doc.objects.insert(*id, Object::Dictionary(d));
                    }
                    live
                }
                None => true,
            },
            Object::Dictionary(d) => retarget(doc, d, names, pages).1,
            _ => true,
        };
        if live {
            kept.push(item);
        }
    }
    Object::Array(kept)
}

/// Makes one annotation's `/Dest` or GoTo action explicit, or drops it when its page is left
/// out or its name is not found; says whether anything changed and whether the annotation is
/// still worth carrying (a link with nowhere to go is not).
fn retarget(doc: &Document, a: &mut Dictionary, names: &mut NamedDests, pages: &Pages) -> (bool, bool) {
    let mut changed = false;
    if let Ok(dest) = a.get(b"Dest").cloned() {
        match explicit(doc, &dest, names) {
            Some(arr) if lands(&arr, pages) => {
                if arr != dest {
                    a.set("Dest", arr);
                    changed = true;
                }
            }
            None if !is_name(doc, &dest) => {}
            _ => {
                a.remove(b"Dest");
                changed = true;
            }
        }
    }
    let action = a.get(b"A").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok()).cloned();
    if let Some(mut action) = action.filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"GoTo")) {
        let dest = action.get(b"D").cloned().unwrap_or(Object::Null);
        match explicit(doc, &dest, names) {
            Some(arr) if lands(&arr, pages) => {
                if arr != dest {
                    action.set("D", arr);
                    a.set("A", action);
                    changed = true;
                }
            }
            None if !is_name(doc, &dest) => {}
            _ => {
                a.remove(b"A");
                changed = true;
            }
        }
    }
    let link = a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Link");
    let nowhere = changed && link && a.get(b"Dest").is_err() && a.get(b"A").is_err();
    (changed, !nowhere)
}

/// Whether a destination is given by name (a string, or a name of the older dictionary).
fn is_name(doc: &Document, dest: &Object) -> bool {
    matches!(doc.dereference(dest), Ok((_, Object::String(..) | Object::Name(_))))
}

/// The explicit destination (`[page /XYZ …]`) `dest` is or names, if any.
fn explicit(doc: &Document, dest: &Object, names: &mut NamedDests) -> Option<Object> {
    let found = match doc.dereference(dest).ok()?.1 {
        Object::String(name, _) | Object::Name(name) => names.get(doc, name)?,
        other => other.clone(),
    };
    // A name may stand for a dictionary whose `/D` is the destination.
    let found = match doc.dereference(&found).ok()?.1 {
        Object::Dictionary(d) => doc.dereference(d.get(b"D").ok()?).ok()?.1.clone(),
        other => other.clone(),
    };
    matches!(found, Object::Array(_)).then_some(found)
}

/// Whether an explicit destination's page is one the packet carries (or not a page of the
/// exhibit at all: then it is left for the copy as it is).
fn lands(dest: &Object, pages: &Pages) -> bool {
    match dest.as_array().ok().and_then(|a| a.first()) {
        Some(Object::Reference(page)) => pages.kept.contains_key(page) || !pages.all.contains(page),
        Some(Object::Null) | None => false,
        Some(_) => true,
    }
}

/// Every named destination of the document: the older `/Dests` dictionary's, then the
/// `/Names /Dests` tree's (whose entry wins where both name one).
fn read(doc: &Document) -> HashMap<Vec<u8>, Object> {
    let mut map = HashMap::new();
    let Ok(catalog) = doc.catalog() else { return map };
    let dict = |o| dict_of(doc, o);
    if let Some(old) = catalog.get(b"Dests").ok().and_then(dict) {
        map.extend(old.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(tree) = catalog.get(b"Names").ok().and_then(dict).and_then(|n| n.get(b"Dests").ok()) {
        name_tree(doc, tree, &mut map, &mut HashSet::new());
    }
    map
}

/// Adds a name tree's entries, each node visited once (a tree that loops ends).
fn name_tree(doc: &Document, node: &Object, map: &mut HashMap<Vec<u8>, Object>, seen: &mut HashSet<ObjectId>) {
    if let Object::Reference(id) = node {
        if !seen.insert(*id) {
            return;
        }
    }
    let Some(d) = doc.dereference(node).ok().and_then(|(_, o)| o.as_dict().ok()) else { return };
    let array = |key: &[u8]| d.get(key).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_array().ok());
    for pair in array(b"Names").into_iter().flat_map(|a| a.chunks_exact(2)) {
        if let Ok((_, Object::String(name, _))) = doc.dereference(&pair[0]) {
            map.insert(name.clone(), pair[1].clone());
        }
    }
    for kid in array(b"Kids").into_iter().flatten() {
        name_tree(doc, kid, map, seen);
    }
}

fn dict_of<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(o).ok()?.1.as_dict().ok()
}
