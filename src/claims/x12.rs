//! X12 835 (Health Care Claim Payment/Advice): a small tokenizer that takes its separators
//! from the ISA header as X12 requires; the payment (BPR, TRN, the remittance's date, PLB
//! provider-level adjustments), then one claim per CLP with its patient, dates, amounts, service
//! lines, adjustments (CAS, with group codes, amounts and quantities) and remarks (LQ, MOA, MIA).
//! Dates become YYYY-MM-DD and amounts decimals; one that is neither is refused naming its
//! element, its meaning and the claim.

use super::{ClaimError, ClaimFound, Field, Found};
use chrono::NaiveDate;

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

    /// Where the segment is, for an error: `claim 3 (segment 20)`, or `segment 4` outside a claim.
    fn place(&self, claim: Option<usize>) -> String {
        match claim {
            Some(k) => format!("claim {k} (segment {})", self.index),
            None => format!("segment {}", self.index),
        }
    }

    fn bad(&self, n: usize, meaning: &'static str, claim: Option<usize>, expected: &'static str) -> ClaimError {
        let element = format!("{}{n:02}", self.id());
        ClaimError::BadValue { element, meaning, place: self.place(claim), value: self.get(n).to_string(), expected }
    }

    /// Element `n` as an amount (`None` when empty), or an error naming it.
    fn amount(&self, n: usize, meaning: &'static str, claim: Option<usize>) -> Result<Option<String>, ClaimError> {
        match self.get(n) {
            "" => Ok(None),
            v => amount(v).map(Some).ok_or_else(|| self.bad(n, meaning, claim, "an amount")),
        }
    }

    /// Element `n` as a date (CCYYMMDD), or an error naming it.
    fn date(&self, n: usize, meaning: &'static str, claim: Option<usize>) -> Result<Option<String>, ClaimError> {
        match self.get(n) {
            "" => Ok(None),
            v => date(v).map(Some).ok_or_else(|| self.bad(n, meaning, claim, "a date (CCYYMMDD)")),
        }
    }

    /// Element `n` as a range of dates (CCYYMMDD-CCYYMMDD, the first not after the second).
    fn range(&self, n: usize, meaning: &'static str, claim: Option<usize>) -> Result<(String, String), ClaimError> {
        let bad = || self.bad(n, meaning, claim, "a range of dates (CCYYMMDD-CCYYMMDD)");
        let (from, to) = self.get(n).split_once('-').ok_or_else(bad)?;
        match (date(from), date(to)) {
            (Some(f), Some(t)) if f <= t => Ok((f, t)),
            _ => Err(bad()),
        }
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

/// An X12 decimal (`R`): an optional minus sign, digits with at most one decimal point, at most
/// 18 digits; written with at least two places (`212.5` is `212.50`, `-0` is `0.00`).
fn amount(text: &str) -> Option<String> {
    let (minus, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, places) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if whole.len() + places.len() == 0 || whole.len() + places.len() > 18 || !all_digits(whole) || !all_digits(places) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let places = format!("{places:0<2}");
    let zero = whole == "0" && places.chars().all(|c| c == '0');
    Some(format!("{}{whole}.{places}", if minus && !zero { "-" } else { "" }))
}

/// An X12 date (CCYYMMDD) as YYYY-MM-DD.
fn date(text: &str) -> Option<String> {
    if text.len() != 8 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok().map(|d| d.format("%Y-%m-%d").to_string())
}

pub(super) fn read(text: &str) -> Result<(Vec<Found>, Vec<ClaimFound>), ClaimError> {
    let d = delimiters(text)?;
    let segs = segments(text, &d)?;
    segs[0].needs(16)?;
    let mut claims: Vec<ClaimFound> = Vec::new();
    let mut payment: Vec<Found> = Vec::new();
    let mut payer: Option<(String, String)> = None;
    let mut in_835 = false;
    // Whether the segments read belong to the last claim (a CLP's loop runs to the next CLP, a
    // PLB or SE).
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
            "BPR" => bpr(&mut payment, s)?,
            "TRN" if s.get(1) == "1" => {
                s.needs(2)?;
                payment.push(Found::new(Field::TraceNumber, s.get(2), s.at(2)));
            }
            "DTM" if !open && s.get(1) == "405" => {
                if let Some(v) = s.date(2, "remittance date", None)? {
                    payment.push(Found::new(Field::RemittanceDate, &v, s.at(2)));
                }
            }
            "PLB" => {
                open = false;
                plb(&mut payment, s, d.component)?;
            }
            "N1" if s.get(1) == "PR" => {
                s.needs(2)?;
                payer = Some((s.get(2).to_string(), s.at(2)));
            }
            "CLP" => {
                claims.push(clp(s, payer.as_ref(), claims.len() + 1)?);
                open = true;
            }
            _ => {
                let k = claims.len();
                if let Some(c) = claims.last_mut().filter(|_| open) {
                    in_claim(c, s, d.component, k)?;
                }
            }
        }
    }
    if !in_835 {
        return Err(ClaimError::No835);
    }
    Ok((payment, claims))
}

/// BPR01: how the payment and the remittance travel (X12 element 305).
fn handling(code: &str) -> Option<&'static str> {
    Some(match code {
        "C" => "payment accompanies remittance advice",
        "D" => "make payment only",
        "H" => "notification only",
        "I" => "remittance information only",
        "P" => "prenotification of future transfers",
        "U" => "split payment and remittance",
        "X" => "handling party's option to split payment and remittance",
        _ => return None,
    })
}

/// BPR04: the payment method (X12 element 591).
fn method(code: &str) -> Option<&'static str> {
    Some(match code {
        "ACH" => "automated clearing house (ACH) transfer",
        "BOP" => "financial institution option",
        "CHK" => "check",
        "FWT" => "federal reserve funds or wire transfer",
        "NON" => "non-payment data",
        _ => return None,
    })
}

/// BPR: handling (01), the total (02), the method (04) and the date (16).
fn bpr(payment: &mut Vec<Found>, s: &Segment) -> Result<(), ClaimError> {
    s.needs(4)?;
    if let Some(v) = s.amount(2, "payment", None)? {
        payment.push(Found::new(Field::PaymentAmount, &v, s.at(2)).meaning(handling(s.get(1))));
    }
    payment.push(Found::new(Field::PaymentMethod, s.get(4), s.at(4)).meaning(method(s.get(4))));
    if let Some(v) = s.date(16, "payment date", None)? {
        payment.push(Found::new(Field::PaymentDate, &v, s.at(16)));
    }
    Ok(())
}

/// PLB: the provider (01), the fiscal period's end (02), then up to six pairs of a reason (with
/// its reference, `WO:REF`) and an amount.
fn plb(payment: &mut Vec<Found>, s: &Segment, component: char) -> Result<(), ClaimError> {
    s.needs(4)?;
    if let Some(v) = s.date(2, "fiscal period end", None)? {
        payment.push(Found::new(Field::FiscalPeriodEnd, &v, s.at(2)));
    }
    for n in (3..=13).step_by(2) {
        let code = s.get(n).split(component).next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        payment.push(Found::new(Field::ProviderAdjustmentReason, code, format!("segment {} PLB{n:02}-1", s.index)));
        if let Some(v) = s.amount(n + 1, "provider-level adjustment", None)? {
            let mut f = Found::new(Field::ProviderAdjustment, &v, s.at(n + 1))
                .meaning(Some("a negative amount adds to the payment, a positive one is taken from it"));
            f.reason = Some(code.to_string());
            payment.push(f);
        }
    }
    Ok(())
}

/// CLP: patient control number, status, charge, paid, patient responsibility, payer claim
/// control number (CLP07).
fn clp(s: &Segment, payer: Option<&(String, String)>, k: usize) -> Result<ClaimFound, ClaimError> {
    s.needs(7)?;
    let mut c = ClaimFound::new("835 CLP", &format!("segment {}", s.index));
    c.push(Field::ClaimNumber, s.get(7), s.at(7));
    c.push(Field::PatientControlNumber, s.get(1), s.at(1));
    c.push(Field::Outcome, s.get(2), s.at(2));
    let amounts =
        [(3, Field::ChargeAmount, "charged"), (4, Field::PaidAmount, "paid"), (5, Field::PatientResponsibility, "patient responsibility")];
    for (n, field, meaning) in amounts {
        if let Some(v) = s.amount(n, meaning, Some(k))? {
            c.values.push(Found::new(field, &v, s.at(n)).meaning(Some("the claim's")));
        }
    }
    if let Some((name, at)) = payer {
        c.push(Field::Payer, name, at.clone());
    }
    Ok(c)
}

/// What a DTM or DTP date qualifier in a claim's loop means (X12 element 374).
fn date_kind(qualifier: &str) -> Option<(Field, &'static str)> {
    Some(match qualifier {
        "472" => (Field::ServiceDate, "date of service"),
        "150" => (Field::ServiceDate, "service period start"),
        "151" => (Field::ServiceDate, "service period end"),
        "232" => (Field::ServiceDate, "claim statement period start"),
        "233" => (Field::ServiceDate, "claim statement period end"),
        "050" => (Field::ReceivedDate, "received by the payer"),
        "036" => (Field::CoverageExpired, "coverage expiration"),
        _ => return None,
    })
}

/// A DTM (date in 02, or a range in 06 when 05 is RD8) or DTP (format in 02, date or range in
/// 03) in a claim's loop.
fn claim_date(c: &mut ClaimFound, s: &Segment, k: usize) -> Result<(), ClaimError> {
    let Some((field, meaning)) = date_kind(s.get(1)) else { return Ok(()) };
    let (format, n) = match s.id() {
        "DTP" => (s.get(2), 3),
        _ if s.get(5) == "RD8" => ("RD8", 6),
        _ => ("D8", 2),
    };
    s.needs(n)?;
    if format == "RD8" {
        let (from, to) = s.range(n, meaning, Some(k))?;
        c.values.push(Found::new(field, &from, format!("{} from", s.at(n))).meaning(Some(meaning)));
        c.values.push(Found::new(field, &to, format!("{} to", s.at(n))).meaning(Some(meaning)));
    } else if let Some(v) = s.date(n, meaning, Some(k))? {
        c.values.push(Found::new(field, &v, s.at(n)).meaning(Some(meaning)));
    }
    Ok(())
}

/// A segment inside a claim's loop (claim `k`, from 1).
fn in_claim(c: &mut ClaimFound, s: &Segment, component: char, k: usize) -> Result<(), ClaimError> {
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
            for (n, field, meaning) in [(2, Field::ChargeAmount, "charged"), (3, Field::PaidAmount, "paid")] {
                if let Some(v) = s.amount(n, meaning, Some(k))? {
                    c.values.push(Found::new(field, &v, s.at(n)).meaning(Some("the service line's")));
                }
            }
        }
        "DTM" | "DTP" => claim_date(c, s, k)?,
        "REF" if s.get(1) == "G1" => {
            s.needs(2)?;
            c.push(Field::Authorization, s.get(2), s.at(2));
        }
        "CAS" => cas(c, s, k)?,
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
fn cas(c: &mut ClaimFound, s: &Segment, k: usize) -> Result<(), ClaimError> {
    s.needs(3)?;
    let group = s.get(1);
    for n in (2..=17).step_by(3) {
        let reason = s.get(n);
        if reason.is_empty() {
            continue;
        }
        c.push_group(Field::AdjustmentReason, reason, s.at(n), Some(group));
        let amount = s.amount(n + 1, "adjusted amount", Some(k))?;
        let quantity = match s.get(n + 2) {
            "" => None,
            q => Some(amount_or_number(q).ok_or_else(|| s.bad(n + 2, "adjusted units", Some(k), "a number"))?),
        };
        for (field, value, m) in [(Field::AdjustmentAmount, amount, n + 1), (Field::AdjustmentQuantity, quantity, n + 2)] {
            let Some(value) = value else { continue };
            let mut f = Found::new(field, &value, s.at(m)).meaning(super::group_meaning(group));
            f.group = Some(group.to_string());
            f.reason = Some(reason.to_string());
            c.values.push(f);
        }
    }
    Ok(())
}

/// A quantity as X12 writes it, kept as written once it is a number.
fn amount_or_number(text: &str) -> Option<String> {
    amount(text).map(|_| text.to_string())
}
