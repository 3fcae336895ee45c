//! X12 835 (Health Care Claim Payment/Advice): a small tokenizer that takes its separators
//! from the ISA header as X12 requires, then one claim per CLP with its patient, service lines,
//! adjustments (CAS, with group codes) and remarks (LQ).

use super::{ClaimError, ClaimFound, Field};

/// A segment: its index in the file (the ISA is 1) and its elements (the first is its id).
struct Segment<'a> {
    index: usize,
    elements: Vec<&'a str>,
}

impl Segment<'_> {
    fn id(&self) -> &str {
        self.elements[0]
    }

    /// Element `n` (1-based, as X12 numbers them), empty when absent.
    fn get(&self, n: usize) -> &str {
        self.elements.get(n).copied().unwrap_or("").trim()
    }

    fn at(&self, n: usize) -> String {
        format!("segment {} {}{:02}", self.index, self.id(), n)
    }

    /// Refuses a segment with fewer elements than the ones read from it.
    fn needs(&self, needed: usize) -> Result<(), ClaimError> {
        let found = self.elements.len() - 1;
        if found < needed {
            return Err(ClaimError::ShortSegment { index: self.index, id: self.id().to_string(), found, needed });
        }
        Ok(())
    }
}

/// The separators the ISA header declares.
struct Delimiters {
    element: char,
    component: char,
    segment: char,
}

/// ISA is fixed: `ISA`, its element separator, 16 elements, the component separator as ISA16
/// and the segment terminator after it.
fn delimiters(text: &str) -> Result<Delimiters, ClaimError> {
    if !text.starts_with("ISA") {
        return Err(ClaimError::NoIsa);
    }
    let mut chars = text.chars().skip(3);
    let element = chars.next().ok_or(ClaimError::ShortIsa)?;
    let mut seen = 1;
    for c in chars.by_ref() {
        if c == element {
            seen += 1;
            if seen == 16 {
                break;
            }
        }
    }
    let (Some(component), Some(segment)) = (chars.next(), chars.next()) else {
        return Err(ClaimError::ShortIsa);
    };
    if seen < 16 || element.is_alphanumeric() || segment.is_alphanumeric() {
        return Err(ClaimError::ShortIsa);
    }
    Ok(Delimiters { element, component, segment })
}

fn segments<'a>(text: &'a str, d: &Delimiters) -> Result<Vec<Segment<'a>>, ClaimError> {
    let mut out = Vec::new();
    let pieces: Vec<&str> = text.split(d.segment).collect();
    let last = pieces.len() - 1;
    for (i, raw) in pieces.into_iter().enumerate() {
        // Line breaks after a terminator are layout, not data (and trailing blanks after the last).
        let raw = raw.trim_matches(['\r', '\n']);
        let raw = if i == last { raw.trim() } else { raw };
        if raw.is_empty() {
            continue;
        }
        let segment = Segment { index: out.len() + 1, elements: raw.split(d.element).collect() };
        if i == last {
            return Err(ClaimError::Truncated { index: segment.index, id: segment.id().to_string() });
        }
        out.push(segment);
    }
    Ok(out)
}

pub(super) fn read(text: &str) -> Result<Vec<ClaimFound>, ClaimError> {
    let d = delimiters(text)?;
    let segs = segments(text, &d)?;
    segs[0].needs(16)?;
    let mut claims: Vec<ClaimFound> = Vec::new();
    let mut payer: Option<(String, String)> = None;
    let mut in_835 = false;
    // Whether the segments read belong to the last claim (a CLP's loop runs to the next CLP or SE).
    let mut open = false;
    for s in &segs {
        match s.id() {
            "SE" => open = false,
            "ST" => {
                open = false;
                s.needs(1)?;
                if s.get(1) != "835" {
                    return Err(ClaimError::Not835 { index: s.index, found: s.get(1).to_string() });
                }
                in_835 = true;
            }
            "N1" if s.get(1) == "PR" => {
                s.needs(2)?;
                payer = Some((s.get(2).to_string(), s.at(2)));
            }
            "CLP" => {
                claims.push(clp(s, payer.as_ref())?);
                open = true;
            }
            _ => {
                if let Some(c) = claims.last_mut().filter(|_| open) {
                    in_claim(c, s, d.component)?;
                }
            }
        }
    }
    if !in_835 {
        return Err(ClaimError::No835);
    }
    Ok(claims)
}

/// CLP: patient control number, status, charge, paid, payer claim control number (CLP07).
fn clp(s: &Segment, payer: Option<&(String, String)>) -> Result<ClaimFound, ClaimError> {
    s.needs(7)?;
    let mut c = ClaimFound::new("835 CLP", &format!("segment {}", s.index));
    c.push(Field::ClaimNumber, s.get(7), s.at(7));
    c.push(Field::PatientControlNumber, s.get(1), s.at(1));
    c.push(Field::Outcome, s.get(2), s.at(2));
    c.push(Field::ChargeAmount, s.get(3), s.at(3));
    c.push(Field::PaidAmount, s.get(4), s.at(4));
    if let Some((name, at)) = payer {
        c.push(Field::Payer, name, at.clone());
    }
    Ok(c)
}

/// A segment inside a claim's loop.
fn in_claim(c: &mut ClaimFound, s: &Segment, component: char) -> Result<(), ClaimError> {
    match s.id() {
        "NM1" if matches!(s.get(1), "QC" | "IL") => {
            s.needs(3)?;
            if s.get(1) == "QC" {
                let name: Vec<&str> = [s.get(4), s.get(3)].into_iter().filter(|p| !p.is_empty()).collect();
                c.push(Field::MemberName, &name.join(" "), format!("segment {} NM103-04", s.index));
            }
            if s.get(8) == "MI" || s.get(1) == "IL" {
                c.push(Field::MemberId, s.get(9), s.at(9));
            }
        }
        "SVC" => {
            s.needs(3)?;
            let composite: Vec<&str> = s.get(1).split(component).collect();
            if matches!(composite[0], "HC" | "AD" | "") {
                let code = composite.get(1).copied().unwrap_or("");
                c.push(Field::ServiceCode, code, format!("segment {} SVC01-2", s.index));
            }
            c.push(Field::ChargeAmount, s.get(2), s.at(2));
            c.push(Field::PaidAmount, s.get(3), s.at(3));
        }
        "DTM" if matches!(s.get(1), "472" | "232" | "233" | "150" | "151") => {
            s.needs(2)?;
            c.push(Field::ServiceDate, s.get(2), s.at(2));
        }
        "CAS" => cas(c, s)?,
        "LQ" if s.get(1) == "HE" => {
            s.needs(2)?;
            c.push(Field::RemarkCode, s.get(2), s.at(2));
        }
        "MIA" | "MOA" => {
            // Claim-level remark codes: MOA03–07, MIA05, 20–22.
            let places: &[usize] = if s.id() == "MOA" { &[3, 4, 5, 6, 7] } else { &[5, 20, 21, 22] };
            for &n in places {
                c.push(Field::RemarkCode, s.get(n), s.at(n));
            }
        }
        _ => {}
    }
    Ok(())
}

/// CAS: a group code, then up to six (reason, amount, quantity) triples.
fn cas(c: &mut ClaimFound, s: &Segment) -> Result<(), ClaimError> {
    s.needs(3)?;
    let group = s.get(1);
    for n in (2..=17).step_by(3) {
        c.push_group(Field::AdjustmentReason, s.get(n), s.at(n), Some(group));
    }
    Ok(())
}
