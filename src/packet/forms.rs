//! Interactive forms: each exhibit's `/AcroForm` carried into the packet's catalog, so a
//! filled form whose fields have no appearance of their own (`/NeedAppearances`, left for the
//! viewer to draw from the field's value) still shows its values. Each exhibit's fields go
//! under one field named after the exhibit: two exhibits' "name" fields stay two fields.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// One exhibit's form, in its own numbering until renumbered into the packet.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Form {
    /// The exhibit's top-level fields.
    pub fields: Vec<Object>,
    /// The default appearance its fields inherit (`/DA`).
    pub appearance: Option<Object>,
    /// Its default resources (`/DR`: the fonts `/DA` names).
    pub resources: Option<Object>,
    pub need_appearances: bool,
}

/// A form's fields as the packet holds them: under the field `group`, named `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct FormGroup {
    pub group: ObjectId,
    pub name: String,
    pub form: Form,
}

impl Form {
    /// Every object reference in it, for renumbering into the packet.
    pub fn objects_mut(&mut self) -> impl Iterator<Item = &mut Object> {
        self.fields.iter_mut().chain(self.appearance.as_mut()).chain(self.resources.as_mut())
    }

    /// The exhibit's top-level fields, in its numbering: each gets the group as its parent.
    pub fn roots(&self) -> impl Iterator<Item = ObjectId> + '_ {
        self.fields.iter().filter_map(|f| f.as_reference().ok())
    }
}

/// The exhibit's form, `None` when it has no fields.
pub fn read(doc: &Document) -> Option<Form> {
    let catalog = doc.catalog().ok()?;
    let (_, form) = doc.dereference(catalog.get(b"AcroForm").ok()?).ok()?;
    let form = form.as_dict().ok()?;
    let fields: Vec<Object> = match doc.dereference(form.get(b"Fields").ok()?).ok()? {
        (_, Object::Array(a)) => a.iter().filter(|f| f.as_reference().is_ok()).cloned().collect(),
        _ => return None,
    };
    if fields.is_empty() {
        return None;
    }
    let need_appearances = form.get(b"NeedAppearances").ok().and_then(|n| n.as_bool().ok()).unwrap_or(false);
    Some(Form { fields, appearance: form.get(b"DA").ok().cloned(), resources: resources(doc, form), need_appearances })
}

/// The form's `/DR` and its kinds of resource as dictionaries written out, so exhibits' fonts
/// can be merged by name; what they refer to stays a reference.
fn resources(doc: &Document, form: &Dictionary) -> Option<Object> {
    let (_, dr) = doc.dereference(form.get(b"DR").ok()?).ok()?;
    let mut dr = dr.as_dict().ok()?.clone();
    for (_, kind) in dr.iter_mut() {
        if let Ok((_, Object::Dictionary(d))) = doc.dereference(kind) {
            *kind = Object::Dictionary(d.clone());
        }
    }
    Some(Object::Dictionary(dr))
}

/// A widget drawn at `scale` (its page's content shrunk or enlarged): the font size of the
/// default appearance it uses — its own `/DA`, or the one it inherits from its field or the
/// form — scaled alike and written on the widget, so a value a viewer draws still fits its
/// box. A size of 0 (fit the box) stays 0; the field's and the form's own `/DA` are left as
/// they are, since other pages may place the field's other widgets otherwise.
pub fn scale_appearance(doc: &Document, widget: &mut Dictionary, scale: f64) {
    if (scale - 1.0).abs() < 1e-6 || widget.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Widget") {
        return;
    }
    let Some(da) = default_appearance(doc, widget) else { return };
    if let Some(scaled) = scaled_font_size(&da, scale) {
        widget.set("DA", Object::String(scaled, lopdf::StringFormat::Literal));
    }
}

/// The `/DA` a widget uses: its own, its nearest field's, or the form's.
fn default_appearance(doc: &Document, widget: &Dictionary) -> Option<Vec<u8>> {
    let mut node = widget.clone();
    for _ in 0..32 {
        if let Ok(da) = node.get(b"DA").and_then(|d| doc.dereference(d)).map(|(_, d)| d) {
            return da.as_str().ok().map(<[u8]>::to_vec);
        }
        let Ok((_, Object::Dictionary(parent))) = node.get(b"Parent").and_then(|p| doc.dereference(p)) else { break };
        node = parent.clone();
    }
    let catalog = doc.catalog().ok()?;
    let (_, form) = doc.dereference(catalog.get(b"AcroForm").ok()?).ok()?;
    let (_, da) = doc.dereference(form.as_dict().ok()?.get(b"DA").ok()?).ok()?;
    da.as_str().ok().map(<[u8]>::to_vec)
}

/// `da` with the size operand of its `Tf` times `scale`; `None` when it sets no size to scale.
fn scaled_font_size(da: &[u8], scale: f64) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(da);
    let mut tokens: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let at = tokens.iter().rposition(|t| t == "Tf")?.checked_sub(1)?;
    let size: f64 = tokens[at].parse().ok().filter(|s: &f64| *s > 0.0 && s.is_finite())?;
    tokens[at] = format!("{:.2}", size * scale).trim_end_matches('0').trim_end_matches('.').to_owned();
    Some(tokens.join(" ").into_bytes())
}

/// What a field holds, as against how one of its widgets shows it: the keys a field and its
/// widget share no longer when the two are split.
const FIELD_KEYS: [&[u8]; 14] = [b"FT", b"T", b"TU", b"TM", b"Ff", b"V", b"DV", b"Opt", b"TI", b"I", b"MaxLen", b"Lock", b"SV", b"RV"];

/// Puts `copy`, a copy of widget `original` made for a page placed otherwise, into the form's
/// field tree beside it, so viewers and `qpdf` find it as a widget of the same field. A widget
/// with a field above it joins that field's `/Kids`; a widget that is its own field (one
/// dictionary for both) is split: a new field takes its field keys and both widgets as kids,
/// and takes its place under its parent or among the form's top-level fields.
pub fn adopt(doc: &mut Document, original: ObjectId, copy: ObjectId, form: &mut Form) {
    let Some(Object::Dictionary(widget)) = doc.objects.get(&original) else { return };
    if widget.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Widget") {
        return;
    }
    let parent = widget.get(b"Parent").ok().and_then(|p| p.as_reference().ok());
    if let (false, Some(parent)) = (widget.has(b"T"), parent) {
        edit_kids(doc, parent, |kids| kids.push(Object::Reference(copy)));
        return;
    }
    let field_id = super::merge::unused_id(doc);
    let mut field = Dictionary::new();
    for id in [original, copy] {
        let Some(Object::Dictionary(w)) = doc.objects.get_mut(&id) else { continue };
        for key in FIELD_KEYS {
            if let Some(value) = w.remove(key) {
                field.set(key.to_vec(), value);
            }
        }
        w.set("Parent", Object::Reference(field_id));
    }
    if let Some(parent) = parent {
        field.set("Parent", Object::Reference(parent));
        edit_kids(doc, parent, |kids| {
            kids.iter_mut().filter(|k| k.as_reference().ok() == Some(original)).for_each(|k| *k = Object::Reference(field_id))
        });
    } else {
        form.fields.iter_mut().filter(|f| f.as_reference().ok() == Some(original)).for_each(|f| *f = Object::Reference(field_id));
    }
    field.set("Kids", vec![Object::Reference(original), Object::Reference(copy)]);
    doc.objects.insert(field_id, Object::Dictionary(field));
}

/// Changes the `/Kids` of field `parent`, written in the field or as an array of its own.
fn edit_kids(doc: &mut Document, parent: ObjectId, change: impl FnOnce(&mut Vec<Object>)) {
    let kids = match doc.objects.get(&parent) {
        Some(Object::Dictionary(d)) => d.get(b"Kids").ok().and_then(|k| k.as_reference().ok()),
        _ => return,
    };
    let array = match kids {
        Some(id) => doc.objects.get_mut(&id),
        None => doc.objects.get_mut(&parent).and_then(|p| p.as_dict_mut().ok()?.get_mut(b"Kids").ok()),
    };
    if let Some(Object::Array(kids)) = array {
        change(kids);
    }
}

/// The group field of one exhibit: its name and its fields, with the appearance they inherit.
pub fn group_field(g: &FormGroup) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("T", Object::string_literal(g.name.as_str()));
    d.set("Kids", g.form.fields.clone());
    if let Some(da) = &g.form.appearance {
        d.set("DA", da.clone());
    }
    d
}

/// The packet's `/AcroForm`: one field per exhibit with a form, their default resources
/// merged (the first exhibit to name a font keeps the name), appearances drawn by the viewer
/// if any exhibit asked for that.
pub fn acro_form(groups: &[FormGroup]) -> Dictionary {
    let mut resources = Dictionary::new();
    for g in groups {
        let Some(Object::Dictionary(dr)) = &g.form.resources else { continue };
        for (kind, entries) in dr.iter() {
            match (resources.get_mut(kind), entries) {
                (Ok(Object::Dictionary(have)), Object::Dictionary(more)) => {
                    for (name, value) in more.iter() {
                        if !have.has(name) {
                            have.set(name.clone(), value.clone());
                        }
                    }
                }
                (Err(_), _) => resources.set(kind.clone(), entries.clone()),
                _ => {}
            }
        }
    }
    let mut d = Dictionary::new();
    d.set("Fields", groups.iter().map(|g| Object::Reference(g.group)).collect::<Vec<_>>());
    if groups.iter().any(|g| g.form.need_appearances) {
        d.set("NeedAppearances", true);
    }
    if !resources.is_empty() {
        d.set("DR", resources);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn doc_with(form: Dictionary) -> Document {
        let mut doc = Document::with_version("1.7");
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "AcroForm" => form });
        doc.trailer.set("Root", catalog);
        doc
    }

    #[test]
    fn a_form_is_read_with_what_its_fields_inherit() {
        let doc = doc_with(dictionary! {
            "Fields" => vec![Object::Reference((7, 0)), Object::Reference((8, 0))],
            "DA" => Object::string_literal("/Helv 0 Tf 0 g"),
            "NeedAppearances" => true,
        });
        let form = read(&doc).unwrap();
        assert_eq!(form.roots().collect::<Vec<_>>(), vec![(7, 0), (8, 0)]);
        assert!(form.need_appearances);
        let g = FormGroup { group: (100, 0), name: "Exhibit 2".into(), form };
        let field = group_field(&g);
        assert_eq!(field.get(b"T").unwrap().as_str().unwrap(), b"Exhibit 2");
        assert!(field.has(b"DA"), "the fields inherit the exhibit's default appearance");
    }

    #[test]
    fn a_font_size_scales_and_a_size_that_fits_the_box_stays() {
        assert_eq!(scaled_font_size(b"/Helv 12 Tf 0 g", 0.9).unwrap(), b"/Helv 10.8 Tf 0 g");
        assert_eq!(scaled_font_size(b"0 0 1 rg /F1 10 Tf", 0.5).unwrap(), b"0 0 1 rg /F1 5 Tf");
        assert!(scaled_font_size(b"/Helv 0 Tf 0 g", 0.9).is_none());
        assert!(scaled_font_size(b"0 g", 0.9).is_none());
    }

    #[test]
    fn a_catalog_without_fields_has_no_form() {
        assert!(read(&doc_with(dictionary! { "Fields" => Vec::<Object>::new() })).is_none());
    }

    #[test]
    fn two_forms_share_one_acroform_and_keep_the_first_font_of_a_name() {
        let form = |font: u32, need| Form {
            fields: vec![Object::Reference((font + 1, 0))],
            appearance: None,
            resources: Some(Object::Dictionary(dictionary! { "Font" => dictionary! { "Helv" => Object::Reference((font, 0)) } })),
            need_appearances: need,
        };
        let groups = [
            FormGroup { group: (50, 0), name: "Exhibit 1".into(), form: form(10, false) },
            FormGroup { group: (51, 0), name: "Exhibit 2".into(), form: form(20, true) },
        ];
        let a = acro_form(&groups);
        assert_eq!(a.get(b"Fields").unwrap().as_array().unwrap().len(), 2);
        assert!(a.get(b"NeedAppearances").unwrap().as_bool().unwrap());
        let fonts = a.get(b"DR").unwrap().as_dict().unwrap().get(b"Font").unwrap().as_dict().unwrap();
        assert_eq!(fonts.get(b"Helv").unwrap().as_reference().unwrap(), (10, 0));
    }
}
