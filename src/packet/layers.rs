//! Optional content (layers): what each exhibit's catalog says about its layers, carried into
//! the packet's catalog so every exhibit opens with its own default view. A layer an exhibit
//! hides by default (a redaction box, a draft watermark) stays hidden in the packet; each
//! exhibit's layers are listed under its number, and their names say which exhibit they are in.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::HashSet;

/// The packet's layers: every exhibit's, in the packet's numbering.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Layers {
    /// Every optional content group.
    pub groups: Vec<Object>,
    /// Those hidden in the default view.
    pub off: Vec<Object>,
    /// The layer panel: one labelled list per exhibit.
    pub order: Vec<Object>,
    /// `/AS`: when a viewer switches layers by itself (zoom, print, export).
    pub usage: Vec<Object>,
    pub locked: Vec<Object>,
    /// `/RBGroups`: layers of which at most one is shown.
    pub radio: Vec<Object>,
}

impl Layers {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Adds one exhibit's layers, already renumbered into the packet.
    pub fn extend(&mut self, other: Layers) {
        self.groups.extend(other.groups);
        self.off.extend(other.off);
        self.order.extend(other.order);
        self.usage.extend(other.usage);
        self.locked.extend(other.locked);
        self.radio.extend(other.radio);
    }

    /// Every object reference in it, for renumbering into the packet.
    pub fn objects_mut(&mut self) -> impl Iterator<Item = &mut Object> {
        [&mut self.groups, &mut self.off, &mut self.order, &mut self.usage, &mut self.locked, &mut self.radio].into_iter().flatten()
    }

    /// The catalog's `/OCProperties`: the default view shows every layer but those an
    /// exhibit hid (`/BaseState` is left at its default, on).
    pub fn properties(&self) -> Dictionary {
        let mut d = Dictionary::new();
        d.set("Name", Object::string_literal("Packet"));
        d.set("Order", self.order.clone());
        for (key, list) in [("OFF", &self.off), ("AS", &self.usage), ("Locked", &self.locked), ("RBGroups", &self.radio)] {
            if !list.is_empty() {
                d.set(key, list.clone());
            }
        }
        let mut oc = Dictionary::new();
        oc.set("OCGs", self.groups.clone());
        oc.set("D", d);
        oc
    }
}

/// One exhibit's layers as its catalog gives them, in its own numbering, with each group's
/// name prefixed by the exhibit's number in `doc`. `None` when it has none.
pub fn read(doc: &mut Document, exhibit: usize) -> Option<Layers> {
    let oc = catalog_entry(doc, b"OCProperties")?;
    let groups: Vec<ObjectId> = array(doc, oc.get(b"OCGs").ok()?).iter().filter_map(|o| o.as_reference().ok()).collect();
    if groups.is_empty() {
        return None;
    }
    let d = oc.get(b"D").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok()).cloned().unwrap_or_default();
    let refs = |key: &[u8]| -> Vec<ObjectId> {
        d.get(key).ok().map(|o| array(doc, o)).unwrap_or_default().iter().filter_map(|o| o.as_reference().ok()).collect()
    };
    let off: Vec<ObjectId> = if d.get(b"BaseState").ok().and_then(|b| b.as_name().ok()) == Some(b"OFF") {
        let on: HashSet<ObjectId> = refs(b"ON").into_iter().collect();
        groups.iter().filter(|g| !on.contains(g)).copied().collect()
    } else {
        refs(b"OFF")
    };
    let label = format!("Exhibit {exhibit}");
    let items = match d.get(b"Order") {
        Ok(o) => array(doc, o),
        Err(_) => groups.iter().map(|g| Object::Reference(*g)).collect(),
    };
    let mut order = Vec::new();
    if !items.is_empty() {
        let mut list = vec![Object::String(label.clone().into_bytes(), StringFormat::Literal)];
        list.extend(items);
        order.push(Object::Array(list));
    }
    let list = |key: &[u8]| d.get(key).ok().map(|o| array(doc, o)).unwrap_or_default();
    let layers = Layers {
        groups: groups.iter().map(|g| Object::Reference(*g)).collect(),
        off: off.into_iter().map(Object::Reference).collect(),
        order,
        usage: list(b"AS"),
        locked: list(b"Locked"),
        radio: list(b"RBGroups"),
    };
    for g in &groups {
        name_after(doc, *g, &label);
    }
    Some(layers)
}

/// The catalog's dictionary entry `key`, followed through a reference.
fn catalog_entry(doc: &Document, key: &[u8]) -> Option<Dictionary> {
    let catalog = doc.catalog().ok()?;
    let (_, o) = doc.dereference(catalog.get(key).ok()?).ok()?;
    o.as_dict().ok().cloned()
}

/// An array, followed through a reference; anything else is empty.
fn array(doc: &Document, o: &Object) -> Vec<Object> {
    match doc.dereference(o) {
        Ok((_, Object::Array(a))) => a.clone(),
        _ => Vec::new(),
    }
}

/// Prefixes the name of the group `id` with the exhibit's label: two exhibits' "Layer 1"
/// stay apart in the packet's layer panel.
fn name_after(doc: &mut Document, id: ObjectId, label: &str) {
    let Some(Object::Dictionary(g)) = doc.objects.get_mut(&id) else { return };
    let name = match g.get(b"Name") {
        Ok(Object::String(bytes, _)) => bytes.clone(),
        _ => Vec::new(),
    };
    let named = match name.strip_prefix(&[0xFE, 0xFF]) {
        // UTF-16BE, as its byte order mark says: the prefix is written the same way.
        Some(rest) => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(format!("{label}: ").encode_utf16().flat_map(|u| u.to_be_bytes()));
            out.extend_from_slice(rest);
            out
        }
        None => {
            let mut out = format!("{label}: ").into_bytes();
            out.extend(name);
            out
        }
    };
    g.set("Name", Object::String(named, StringFormat::Literal));
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A document whose catalog declares groups A, B and C, with `d` as the default view.
    fn doc_with(d: Dictionary) -> (Document, [ObjectId; 3]) {
        let mut doc = Document::with_version("1.7");
        let ids = ["A", "B", "C"].map(|n| doc.add_object(dictionary! { "Type" => "OCG", "Name" => Object::string_literal(n) }));
        let oc = dictionary! { "OCGs" => ids.iter().map(|i| Object::Reference(*i)).collect::<Vec<_>>(), "D" => d };
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "OCProperties" => oc });
        doc.trailer.set("Root", catalog);
        (doc, ids)
    }

    fn doc_id(n: u32) -> ObjectId {
        (n, 0)
    }

    #[test]
    fn a_layer_hidden_by_default_stays_hidden() {
        let (mut doc, [_, _, c]) = doc_with(dictionary! { "OFF" => vec![Object::Reference(doc_id(3))] });
        let layers = read(&mut doc, 4).unwrap();
        assert_eq!(layers.off, vec![Object::Reference(c)]);
        assert_eq!(layers.groups.len(), 3);
    }

    #[test]
    fn base_state_off_hides_every_layer_not_turned_on() {
        let (mut doc, [a, b, c]) = doc_with(dictionary! { "BaseState" => "OFF", "ON" => vec![Object::Reference(doc_id(2))] });
        let layers = read(&mut doc, 1).unwrap();
        assert_eq!(layers.off, vec![Object::Reference(a), Object::Reference(c)]);
        assert!(!layers.off.contains(&Object::Reference(b)));
    }

    #[test]
    fn layers_are_listed_and_named_under_their_exhibit() {
        let (mut doc, [a, ..]) = doc_with(Dictionary::new());
        let layers = read(&mut doc, 7).unwrap();
        let Object::Array(list) = &layers.order[0] else { panic!("{:?}", layers.order) };
        assert_eq!(list[0], Object::string_literal("Exhibit 7"));
        assert_eq!(list.len(), 4, "the exhibit's groups, in order, when it gives no /Order");
        let name = doc.get_dictionary(a).unwrap().get(b"Name").unwrap().as_str().unwrap().to_vec();
        assert_eq!(name, b"Exhibit 7: A");
    }

    #[test]
    fn two_exhibits_merge_into_one_default_view() {
        let (mut one, _) = doc_with(dictionary! { "OFF" => vec![Object::Reference(doc_id(1))] });
        let (mut two, _) = doc_with(dictionary! { "BaseState" => "OFF" });
        let mut packet = Layers::default();
        packet.extend(read(&mut one, 1).unwrap());
        packet.extend(read(&mut two, 2).unwrap());
        assert_eq!((packet.groups.len(), packet.off.len(), packet.order.len()), (6, 4, 2));
        let oc = packet.properties();
        let d = oc.get(b"D").unwrap().as_dict().unwrap();
        assert!(d.get(b"BaseState").is_err(), "the packet's default shows what no exhibit hid");
        assert_eq!(d.get(b"OFF").unwrap().as_array().unwrap().len(), 4);
    }

    #[test]
    fn a_file_without_layers_adds_none() {
        let mut doc = Document::with_version("1.7");
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog" });
        doc.trailer.set("Root", catalog);
        assert!(read(&mut doc, 1).is_none());
    }
}
