//! One function per field of a notice. Each looks where the forms put the field, records what
//! it finds with the spot it came from, or notes that it found nothing.

use super::dates::{dates_in, only_date};
use super::program::{COMPILED, SIGNS};
use super::text::{Doc, Spot};
use super::{Found, Value};
use crate::model::{is_cpt_or_hcpcs, is_icd10cm};
use chrono::NaiveDate;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the notice patterns are valid")
}

/// How sure a value read after its own label is (`Member ID: …`), before the words' confidence.
const LABELLED: f32 = 0.95;

/// An identifier after a label: letters, digits and inner hyphens, with at least one digit.
const ID: &str = r"(?P<v>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)";

/// The first line matching `pattern` (whose group `v` is the value) from line `from` on, where
/// `accept` takes the value; the line and the value's range in it.
fn labelled(doc: &Doc, pattern: &Regex, from: usize, accept: impl Fn(&str) -> bool) -> Option<(usize, Range<usize>)> {
    doc.lines.iter().enumerate().skip(from).find_map(|(i, l)| {
        pattern.captures_iter(&l.line.text).filter_map(|c| c.name("v")).find(|v| accept(v.as_str())).map(|v| (i, v.range()))
    })
}

/// A label as it reads inside a sentence: "Member ID" → "member ID".
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

/// Records the labelled value `pattern` finds, or notes that none was found.
fn labelled_field(doc: &Doc, found: &mut Found, pattern: &Regex, target: &str, label: &str, accept: impl Fn(&str) -> bool) {
    match labelled(doc, pattern, 0, accept) {
        Some((i, range)) => {
            let value = doc.lines[i].line.text[range.clone()].to_string();
            found.add(doc, &doc.line_spot(i, range), Value { target, label, value, sure: LABELLED, note: None });
        }
        None => found.note(format!("No {} was found", lower_first(label))),
    }
}

/// The notice's date: after a "Date:" label (CMS-10003 and CMS-10146 head the notice with
/// "Date:"; the MSN with "Date of This Notice"; other letters "Letter date:", "Date mailed:"; an explanation of
/// benefits "Statement date:"), else a date standing alone on a line at the
/// head of a letter.
pub(super) fn notice_date(doc: &Doc, found: &mut Found) -> Option<NaiveDate> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:(?:notice|letter|mailing|mail|issue|statement|processed|print)\s+date|date\s+(?:mailed|sent|issued)|date(?:\s+of\s+(?:this|the)\s+(?:notice|letter))?)\s*:?\s*",
        )
    });
    for (i, l) in doc.lines.iter().enumerate() {
        let Some(m) = LABEL.find(&l.line.text) else { continue };
        let Some((date, r)) = dates_in(&l.line.text).into_iter().find(|(_, r)| r.start == m.end()) else { continue };
        let v = Value { target: "case.notice_date", label: "Notice date", value: date.to_string(), sure: LABELLED, note: None };
        if found.add(doc, &doc.line_spot(i, r), v) {
            return Some(date);
        }
    }
    let head = doc.lines.iter().enumerate().take_while(|(_, l)| l.page == 0).take(15);
    for (i, l) in head {
        let Some(date) = only_date(&l.line.text) else { continue };
        let note = Some("a date standing alone at the head of the letter, where a letter is dated".to_string());
        let v = Value { target: "case.notice_date", label: "Notice date", value: date.to_string(), sure: 0.8, note };
        if found.add(doc, &doc.line_spot(i, 0..l.line.text.len()), v) {
            return Some(date);
        }
    }
    found.note("No notice date was found");
    None
}

/// The plan's name: after a "Plan:" label, else the letterhead: the first line of the first
/// page (where CMS-10146 puts the plan's name under its logo) unless it is the form's title or
/// a label, else the first line at the head of the notice that names a plan as plans name
/// themselves, ending in a word such as "Health Plan" or its kind in brackets ("… Medicare
/// Advantage (HMO)"), the form's title above it.
pub(super) fn plan_name(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)^(?:group\s+plan|group\s+health\s+plan|health\s+plan|plan\s+name|plan)\s*:\s*(?P<v>\S.*?)\s*$"));
    // A plan names itself with a word such as these last, or its kind in brackets.
    static PLAN_END: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:health|plan|care|healthcare|insurance|medicare|medicaid|advantage|assurance|mutual|cross|shield|company|inc\.?|network|partners)$|\((?:HMO|PPO|EPO|PDP|PFFS|SNP|HMO-POS|MSA)[^)]*\)$",
        )
    });
    let (target, label) = ("member.payer", "Plan");
    if let Some((i, range)) = labelled(doc, &LABEL, 0, |_| true) {
        let value = doc.lines[i].line.text[range.clone()].to_string();
        found.add(doc, &doc.line_spot(i, range), Value { target, label, value, sure: LABELLED, note: None });
        return;
    }
    let head: Vec<usize> = (0..doc.lines.len().min(8)).filter(|&i| doc.lines[i].page == 0).collect();
    let letterhead = head.first().copied().filter(|&i| may_name_a_plan(&doc.lines[i].line.text));
    let named = || {
        head.iter().copied().find(|&i| {
            let text = &doc.lines[i].line.text;
            let name = &text[name_only(text)];
            may_name_a_plan(text) && PLAN_END.is_match(name) && title_case(name)
        })
    };
    let Some(i) = letterhead.or_else(named) else {
        found.note("No plan name was found");
        return;
    };
    let text = &doc.lines[i].line.text;
    let name = name_only(text);
    let note = Some(match i {
        0 => "the first line of the notice, its letterhead".to_string(),
        _ => "a line at the head of the notice that names a plan".to_string(),
    });
    let v = Value { target, label, value: text[name.clone()].to_string(), sure: 0.75, note };
    found.add(doc, &doc.line_spot(i, name), v);
}

/// Whether a line at a notice's head may be the plan's name: words, not the form's title, a
/// date, a label, a sentence or a number.
fn may_name_a_plan(text: &str) -> bool {
    static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:notice|summary|date|dear|page|important|adverse|determination|denial|denied|decision|explanation|appeal|your|were|was|reduced|stopped)\b|\d{3}|:|\.$|^re\b",
        )
    });
    text.contains(' ') && text.len() <= 100 && !NOT_A_NAME.is_match(text)
}

/// Whether `name` is written as a name: each word of four letters or more capitalised, at most
/// eight words ("Sunrise Health Medicare Advantage (HMO)", not "Home health skilled nursing
/// visits").
fn title_case(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() <= 8
        && words.iter().all(|w| {
            let letters = w.trim_matches(|c: char| !c.is_alphanumeric());
            letters.chars().count() < 4 || letters.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// The plan's name in its line: up to a dash or bar that sets off what follows ("… Health Plan -
/// Medicaid Managed Care"), less a bracket of more than one word after it ("(self-funded,
/// administered by …)"); a bracketed kind of plan ("(HMO)") stays.
fn name_only(text: &str) -> Range<usize> {
    let mut end = [" - ", " | ", " – ", " — "].iter().filter_map(|sep| text.find(sep)).min().unwrap_or(text.len());
    if let Some(open) = text[..end].find(" (") {
        let inside = text[open + 2..end].split(')').next().unwrap_or_default();
        if inside.contains([' ', ',']) {
            end = open;
        }
    }
    0..text[..end].trim_end().len()
}

/// The program: from the notice's own form where it names one, else from its wording
/// (`program::SIGNS`, most telling first), with why in the note.
pub(super) fn program(doc: &Doc, found: &mut Found) {
    for (sign, (pattern, with)) in SIGNS.iter().zip(COMPILED.iter()) {
        if with.as_ref().is_some_and(|w| doc.find_line(w, 0).is_none()) {
            continue;
        }
        let Some((i, m)) = doc.find_line(pattern, 0) else { continue };
        let note = Some(format!("{} (\"{}\")", sign.why, m.as_str()));
        let spot = doc.line_spot(i, m.range());
        let v = Value { target: "case.program", label: "Program", value: sign.program.as_str().into(), sure: sign.sure, note };
        if found.add(doc, &spot, v) {
            return;
        }
    }
    found.note("No program was found: the notice names no form, rule or program Redress knows");
}

/// The member's name, after the label the forms use ("Name:", "Member:", "Enrollee's Name:",
/// "Participant:"; the MSN's "Notice for"), alone on its line or before the next label (the
/// 2007 NDMC sets "Beneficiary's name:" and "Member ID Number:" on one line).
pub(super) fn member_name(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| re(&format!(r"^(?i:(?:{NAME_LABEL})\s*:|notice\s+for)\s*(?P<v>{NAME_WORDS}){NAME_ENDS}")));
    static TO: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^(?i:to)\s*:\s*(?P<v>{NAME_WORDS}){NAME_ENDS}")));
    static DEAR: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^Dear\s+(?P<v>{NAME_WORDS})\s*[:,]\s*$")));
    if labelled(doc, &LABEL, 0, |_| true).is_none() {
        // A letter addressed "To:" the member at its head, as some plans' notices are, else
        // greeting the member by full name ("Dear Luis Ortega:"; never "Dear Ms. Rivera:" or
        // "Dear Dr. …", which may be the provider).
        let to =
            labelled(doc, &TO, 0, |_| true).filter(|(i, _)| in_head(doc, *i)).map(|at| (at, 0.85, "the name the notice is addressed to"));
        let dear = || labelled(doc, &DEAR, 0, |v| !honorific(v)).map(|at| (at, 0.7, "the name the letter greets"));
        if let Some(((i, range), sure, why)) = to.or_else(dear) {
            let value = doc.lines[i].line.text[range.clone()].to_string();
            let note = Some(why.to_string());
            found.add(doc, &doc.line_spot(i, range), Value { target: "member.name", label: "Member name", value, sure, note });
            return;
        }
    }
    labelled_field(doc, found, &LABEL, "member.name", "Member name", |_| true);
}

/// Whether a name starts with a title (Mr., Ms., Dr.…) or is a greeting's stock words: a
/// surname alone, or a provider, not the member's full name.
fn honorific(name: &str) -> bool {
    static TITLE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:mr|mrs|ms|miss|mx|dr|doctor|sir|madam|member|provider|valued)\b"));
    TITLE.is_match(name)
}

/// A person's name after its label: two to four capitalised words, as few as reach the end of
/// the line or the next label.
const NAME_WORDS: &str = r"[A-Z][A-Za-z.'’-]+(?:\s+[A-Z][A-Za-z.'’-]+){1,3}?";

/// The labels a member's name follows ("Member:", "Enrollee's Name:", "Name:"), the colon after.
const NAME_LABEL: &str = r"(?:member|enrollee|beneficiary|participant|patient)(?:'s|’s)?(?:\s+name)?|name";

/// What may follow a name on its line: the end, or the next label (the member's ID or number, a
/// bare "ID:", a date, a claim, reference, provider, group or plan number, a date of birth).
const NAME_ENDS: &str =
    r"(?:\s*$|\s+(?i:member\s+(?:ID|number)\b|ID\s*[:#]|date\b|claim\b|reference\b|provider\b|group\b|plan\b|NPI\b|tax\b|DOB\b))";

/// Whether line `i` is at the head of the notice: among the first fifteen lines of its first page.
fn in_head(doc: &Doc, i: usize) -> bool {
    i < 15 && doc.lines[i].page == 0
}

/// The member's ID, after its label ("Member number:", "Member ID:", "Medicaid ID"…, a
/// Medicaid agency's "MID:" or New York's "CIN:"). A number
/// printed masked (the MSN prints the Medicare number as `XXXXXXX789A`) is not the ID: noted.
pub(super) fn member_id(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"(?i)\b(?:(?:member|subscriber|enrollee|medicaid|medicare|beneficiary|participant)(?:'s|’s)?(?:\s+(?:ID|identification)(?:\s+(?:number|no\.?))?|\s+(?:number|no\.?)|\s*#)\s*[:#]?|(?-i:MID|CIN)\s*[:#])\s*{ID}"
        ))
    });
    let masked = |v: &str| v.to_ascii_uppercase().contains("XXX");
    if let Some((i, r)) = labelled(doc, &LABEL, 0, |v| has_digit(v) && masked(v)) {
        if labelled(doc, &LABEL, 0, |v| has_digit(v) && !masked(v)).is_none() {
            let page = doc.lines[i].page + 1;
            found.note(format!("The member number on page {page} is masked ({}): enter the member ID", &doc.lines[i].line.text[r]));
            return;
        }
    }
    if labelled(doc, &LABEL, 0, |v| has_digit(v) && !masked(v)).is_none() {
        if let Some((i, r)) = labelled(doc, &BARE, 0, has_digit).filter(|(i, _)| in_head(doc, *i) && only_a_name(&doc.lines[*i].line.text))
        {
            let value = doc.lines[i].line.text[r.clone()].to_string();
            let note = Some("the ID beside the member's name".to_string());
            found.add(doc, &doc.line_spot(i, r), Value { target: "member.member_id", label: "Member ID", value, sure: 0.85, note });
            return;
        }
    }
    labelled_field(doc, found, &LABEL, "member.member_id", "Member ID", |v| has_digit(v) && !masked(v));
}

/// A bare "ID:" label right after the member's name on its labelled line ("To: Ana Ruiz ID:
/// 4471-09"): the member's ID, never a provider's, claim's or group's (`only_a_name`).
static BARE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(?i:to|{NAME_LABEL})\s*:\s*(?P<n>{NAME_WORDS})\s+(?i:ID)\s*(?:number|no\.?)?\s*[:#]\s*{ID}")));

/// Whether the words before a bare "ID:" on `line` (`BARE`'s name) are a name alone, not a
/// name and the label of another number ("Ana Ruiz Provider ID:").
fn only_a_name(line: &str) -> bool {
    static OTHER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:provider|claim|group|plan|NPI|tax|employer|member|patient|account)\b"));
    BARE.captures(line).and_then(|c| c.name("n")).is_some_and(|n| !OTHER.is_match(n.as_str()))
}

/// The plan's own reference for the decision ("Reference number", "Case number").
pub(super) fn reference(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| re(&format!(r"(?i)\b(?:reference|ref\.?|case|tracking|appeal|request)\s*(?:number|no\.?|#|ID)\s*[:#]?\s*{ID}")));
    labelled_field(doc, found, &LABEL, "case.reference", "Reference number", has_digit);
}

/// The claim number.
pub(super) fn claim_number(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)\bclaim\s*(?:number|no\.?|#|ID)\s*[:#]?\s*{ID}")));
    labelled_field(doc, found, &LABEL, "case.claim_number", "Claim number", has_digit);
}

/// The (prior) authorization number.
pub(super) fn authorization_number(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(r"(?i)\b(?:prior\s+)?(?:authorization|auth\.?)(?:\s+request)?\s*(?:(?:number|no\.?|#|ID)\s*[:#]?|[:#])\s*{ID}"))
    });
    labelled_field(doc, found, &LABEL, "case.authorization_number", "Authorization number", has_digit);
}

/// The service, item or drug denied, as the case's title: after a label ("Service denied:"),
/// on the line after the form's "…listed below…:" / "…the following…:", or in "the request for
/// …" / "the claim for …"; up to its codes or details (the first comma or parenthesis).
pub(super) fn service(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:services?|items?|drugs?|medications?|service\s+or\s+item|requested\s+(?:services?|items?)|description\s+of\s+services?)(?:\s*\(s\))?(?:\s+(?:denied|requested|provided))?\s*:\s*(?P<v>\S.*)$",
        )
    });
    static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:den(?:y|ied)|reduced|stopped|suspended|partially\s+approved)\b.*\b(?:listed below|the following)\b[^:]*:?\s*$")
    });
    static REASONS_FOLLOW: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bthe\s+following\s+reasons?\b"));
    static SENTENCE: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?:request|claim)\s+for\s+(?:the\s+)?(?:following\s+[^:]{0,40}:\s*)?(?P<v>[a-z][^,.;:(]*[a-z])"));
    let (target, label) = ("case.title", "Service denied");
    let note = Some("the service denied, as the case's title".to_string());
    let cut = |text: &str, range: Range<usize>| {
        let s = &text[range.clone()];
        let end = [", ", " (", " - ", "; "].iter().filter_map(|sep| s.find(sep)).min().unwrap_or(s.len());
        let s = s[..end].trim_end_matches(['.', ',', ':', ' ']);
        range.start..range.start + s.len()
    };
    let mut spot = labelled(doc, &LABEL, 0, |_| true).map(|(i, r)| doc.line_spot(i, cut(&doc.lines[i].line.text, r)));
    if spot.is_none() {
        spot = (0..doc.lines.len().saturating_sub(1)).find_map(|i| {
            let two = if i > 0 && !doc.starts_paragraph(i) { i - 1..i + 1 } else { i..i + 1 };
            let (lead, _) = doc.joined(two);
            let (next, item) = (i + 1, doc.lines[i + 1].line.text.trim());
            // Without its colon the lead-in may still run on: the item starts as a name does.
            let ends = lead.trim_end().ends_with(':') || (item.starts_with(char::is_uppercase) && !item.ends_with(':'));
            let ok = LEAD_IN.is_match(&lead) && !REASONS_FOLLOW.is_match(&lead) && ends && !item.is_empty();
            ok.then(|| doc.line_spot(next, cut(&doc.lines[next].line.text, 0..doc.lines[next].line.text.len())))
        });
    }
    if spot.is_none() {
        spot = doc.paragraphs().into_iter().find_map(|p| {
            let (text, _) = doc.joined(p.clone());
            SENTENCE.captures(&text).and_then(|c| c.name("v")).map(|v| Spot { lines: p.clone(), range: cut(&text, v.range()) })
        });
    }
    let Some(spot) = spot.filter(|s| !s.range.is_empty()) else {
        found.note("No service, item or drug denied was found");
        return;
    };
    let (text, _) = doc.joined(spot.lines.clone());
    let value = text[spot.range.clone()].to_string();
    found.add(doc, &spot, Value { target, label, value, sure: 0.85, note });
}

/// HCPCS/CPT and ICD-10-CM codes: a code-shaped word on a line after the word that says which
/// it is ("CPT", "HCPCS", "procedure"; "diagnosis", "ICD-10", "Dx"), with nothing but other
/// codes and separators between, and that passes the model's check for its kind. One value per
/// code.
pub(super) fn codes(doc: &Doc, found: &mut Found) {
    static KEYWORD: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?P<p>CPT|HCPCS|procedures?(?:\s+codes?)?)\b|\b(?P<d>ICD-10(?:-CM)?|ICD|diagnos[ie]s|dx)\b"));
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"\b[A-Z0-9][A-Z0-9.]*[A-Z0-9]\b"));
    static FILLER: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)^(?:[\s,;:#()&/]|\band\b|\bor\b|\bcodes?\b|\b[A-Z0-9][A-Z0-9.]*[A-Z0-9]\b)*$"));
    for (i, l) in doc.lines.iter().enumerate() {
        let text = &l.line.text;
        for t in TOKEN.find_iter(text) {
            let before = text[..t.start()].chars().last();
            let after = text[t.end()..].chars().next();
            if before.is_some_and(|c| c == '-' || c == '/') || after.is_some_and(|c| c == '-' || c == '/') {
                continue;
            }
            let Some(k) = KEYWORD.captures_iter(&text[..t.start()]).last() else { continue };
            let Some(kw) = k.get(0) else { continue };
            if !FILLER.is_match(&text[kw.end()..t.start()]) {
                continue;
            }
            let read = t.as_str();
            let procedure = k.name("p").is_some();
            let (target, label) = if procedure { ("case.procedures", "HCPCS/CPT code") } else { ("case.diagnoses", "ICD-10-CM code") };
            let Some((code, note)) = code_as_read(read, procedure) else { continue };
            if !found.values.iter().any(|v| v.target == target && v.value == code) {
                let sure = if note.is_some() { 0.7 } else { 0.9 };
                found.add(doc, &doc.line_spot(i, t.range()), Value { target, label, value: code, sure, note });
            }
        }
    }
    bracketed_hcpcs(doc, found);
    for (target, what) in [("case.procedures", "HCPCS/CPT"), ("case.diagnoses", "ICD-10-CM")] {
        if !found.has(target) {
            found.note(format!("No {what} code was found"));
        }
    }
}

/// HCPCS Level II codes alone in brackets after the service they code, as notices print them
/// with no "HCPCS" before them ("Service: oxygen concentrator (E1390)"): a letter A to V and
/// four digits, on a line about a service or item and not about a diagnosis (an ICD-10-CM code
/// written without its dot, "E1165", takes the same shape, and so does a Medicare plan's
/// contract number, "(H1234)", which stands beside no service).
fn bracketed_hcpcs(doc: &Doc, found: &mut Found) {
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| re(r"\((?P<v>[A-V][0-9]{4})\)"));
    static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:services?|items?|equipment|suppl(?:y|ies)|drugs?|therapy|visits?|requested|denied|concentrator|oxygen|wheelchair|bed|infusion)\b",
        )
    });
    static DIAGNOSIS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:diagnos[ie]s|dx|ICD)\b"));
    for (i, l) in doc.lines.iter().enumerate() {
        if !SERVICE.is_match(&l.line.text) || DIAGNOSIS.is_match(&l.line.text) {
            continue;
        }
        for c in BRACKETED.captures_iter(&l.line.text) {
            let Some(v) = c.name("v") else { continue };
            let code = v.as_str().to_string();
            if !is_cpt_or_hcpcs(&code)
                || found
                    .values
                    .iter()
                    .any(|f| (f.target == "case.procedures" || f.target == "case.diagnoses") && f.value.replace('.', "") == code)
            {
                continue;
            }
            let note = Some("a HCPCS code's shape in brackets after what it codes".to_string());
            let value = Value { target: "case.procedures", label: "HCPCS/CPT code", value: code, sure: 0.8, note };
            found.add(doc, &doc.line_spot(i, v.range()), value);
        }
    }
}

/// The code `read` holds, checked as a HCPCS/CPT (`procedure`) or ICD-10-CM code; where it
/// fails only because OCR took a zero for the letter O or a one for the letter I in the places
/// a code has digits (HCPCS `GO156`, CPT `971O1`, ICD-10 `LO3.115`'s second character), the code
/// with the digits, and a note saying what was read. Only a token with at least two digits of its
/// own is mended, so no word becomes a code.
fn code_as_read(read: &str, procedure: bool) -> Option<(String, Option<String>)> {
    let check = if procedure { is_cpt_or_hcpcs } else { is_icd10cm };
    if check(read) {
        return Some((read.to_string(), None));
    }
    // A word ("HOME", "COPD") is never read as a code: only a token already mostly digits is.
    if read.chars().filter(char::is_ascii_digit).count() < 2 {
        return None;
    }
    let digit = |c: char| match c {
        'O' => '0',
        'I' => '1',
        c => c,
    };
    let mended: String = read
        .chars()
        .enumerate()
        .map(|(n, c)| match (procedure, n) {
            (true, 0) if read.chars().all(|c| c.is_ascii_digit() || c == 'O' || c == 'I') => digit(c),
            (true, 0) => c,
            (true, _) => digit(c),
            (false, 1) => digit(c),
            (false, _) => c,
        })
        .collect();
    (mended != read && check(&mended)).then(|| {
        let note = format!("read as “{read}”: the letter O or I where a code has a digit taken as 0 or 1");
        (mended, Some(note))
    })
}

/// A heading a section of the notice starts with: the reason's ("Why did we deny your
/// request?" of CMS-10003 and CMS-10146, "We denied this request because:" of their older
/// editions, "Reason for denial", the MSN's "Notes for Your Claims"), or any other short
/// question or title ending in a colon.
static REASON_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:why\s+did\s+we\s+(?:deny|stop|reduce|suspend|partially\s+approve)\s+(?:your|this|the)\s+(?:request|services?|items?|coverage|payment)\??|why\s+we\s+denied\s+(?:your|this|the)\s+(?:request|claim|item|service)|why\s+(?:was|is)\s+[^?]{0,40}\s+denied\??|(?:the\s+)?reasons?\s+for\s+(?:the\s+|this\s+|our\s+)?(?:denial|decision|determination)|(?:the\s+)?basis\s+for\s+(?:the\s+|this\s+|our\s+)?(?:denial|decision|determination)|reasons?\s*:|denial\s+reason|explanation\s+of\s+(?:the\s+|this\s+|our\s+)?(?:denial|decision)|we\s+denied\s+this\s+request\s+because\s*:|we\s+made\s+(?:our|this)\s+decision\s+because\s*:?|why\s+did\s+we\s+(?:decide|make)\s+this(?:\s+decision)?\??|(?:remark|reason|explanation|denial|adjustment)\s+codes?\s*:|notes\s+for\s+your\s+claims?)\s*:?\s*",
    )
});

/// The first line of what a notice says after the reason, which ends the reason where no gap
/// sets it apart: "Share a copy of this decision with your doctor" and "You have the right to
/// appeal our decision" (CMS-10003), "Your right to appeal", "How to appeal", "If you disagree
/// with this decision".
static APPEAL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:you\s+have\s+the\s+right\s+to\s+(?:appeal|ask|request)|your\s+(?:appeal\s+)?rights?\b|how\s+to\s+(?:ask\s+for\s+|file\s+|request\s+)?(?:an\s+)?appeal|if\s+you\s+(?:disagree|do\s+not\s+agree|don['’]t\s+agree|want\s+to\s+appeal|are\s+not\s+satisfied)|appeal\s+rights|important\s+information\s+about\s+your\s+(?:appeal\s+)?rights|(?:you\s+should\s+)?share\s+a\s+copy\s+of\s+this\s+(?:decision|notice)|you\s+(?:have|may|can)\b[^.]{0,60}\b(?:appeal|review)\b)",
    )
});

fn is_heading(text: &str) -> bool {
    let t = text.trim();
    REASON_HEADING.is_match(t) || (t.len() <= 70 && (t.ends_with('?') || t.ends_with(':')) && !t.contains(". "))
}

/// Whether `next` starts what follows the reason, after the reason's line `line`: a heading, or
/// the appeal section's first words where `line` ends a sentence (so that "your right knee" on
/// a wrapped line stays in the reason).
fn ends_reason(line: &str, next: &str) -> bool {
    let ended = line.trim_end().ends_with(['.', '!', '?', ':']);
    is_heading(next) || (ended && APPEAL_HEADING.is_match(next.trim()))
}

/// The reason for the denial, quoted as written: the paragraph under the reason's heading (or
/// after it on the heading's own line), its lines joined, up to a gap or the next heading.
pub(super) fn denial_reason(doc: &Doc, found: &mut Found) {
    let Some((h, m)) = doc.find_line(&REASON_HEADING, 0) else {
        found.note("No reason for the denial was found (no \"Why did we deny…\" or \"Reason for denial\" heading)");
        return;
    };
    let rest_on_heading = m.end() < doc.lines[h].line.text.len();
    let first = if rest_on_heading { h } else { h + 1 };
    if first >= doc.lines.len() {
        found.note("No reason for the denial was found under its heading");
        return;
    }
    let mut last = first;
    while last + 1 < doc.lines.len()
        && !doc.starts_paragraph(last + 1)
        && !ends_reason(&doc.lines[last].line.text, &doc.lines[last + 1].line.text)
    {
        last += 1;
    }
    let (text, _) = doc.joined(first..last + 1);
    let start = if rest_on_heading { m.end() } else { 0 };
    let value = text[start..].trim().to_string();
    if value.is_empty() || is_heading(&value) {
        found.note("No reason for the denial was found under its heading");
        return;
    }
    let note = (last > first).then(|| format!("{} lines joined", last - first + 1));
    let v = Value { target: "case.denial_reason", label: "Reason for the denial", value, sure: 0.9, note };
    found.add(doc, &Spot { lines: first..last + 1, range: start..text.len() }, v);
}

/// A number of days as notices write it: digits or the words the forms use.
fn day_count(text: &str) -> Option<i64> {
    let words = [
        ("thirty", 30),
        ("forty-five", 45),
        ("sixty", 60),
        ("sixty-five", 65),
        ("ninety", 90),
        ("one hundred twenty", 120),
        ("one hundred eighty", 180),
    ];
    text.parse().ok().or_else(|| words.iter().find(|(w, _)| text.eq_ignore_ascii_case(w)).map(|(_, n)| *n))
}

const DAYS: &str = r"(?P<n>\d{1,3}|thirty|forty-five|sixty(?:-five)?|ninety|one hundred (?:twenty|eighty))";

/// The appeal deadline the notice states: "within 65 days of the date of this notice" (counted
/// from the notice date, said so in the note) or "by June 30, 2026" in a paragraph about the
/// appeal. A window counted from when the member receives the notice cannot be counted without
/// that day: it is a note (the deadline rules count it from `received_date` or the presumed
/// receipt). A sentence about keeping services going during the appeal states no appeal
/// deadline: its window is a note of its own.
pub(super) fn deadline(doc: &Doc, notice_date: Option<NaiveDate>, found: &mut Found) {
    static BY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)(?:\bby|no\s+later\s+than|on\s+or\s+before|deadline[^.]{0,30}?:?)\s*$"));
    static ABOUT_APPEAL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:appeal|review|redetermination|reconsideration)\b"));
    let (target, label) = ("case.notice_deadline", "Appeal deadline stated");
    let (mut continuation_noted, mut receipt_days) = (false, None);
    for p in doc.paragraphs() {
        let (text, starts) = doc.joined(p.clone());
        if !ABOUT_APPEAL.is_match(&text) {
            continue;
        }
        let kept = kept_services(&text, &starts);
        if !continuation_noted {
            continuation_noted = continuation(&text, &kept, notice_date, found);
        }
        let outside = |r: &Range<usize>| !kept.iter().any(|k| k.start < r.end && r.start < k.end);
        if window_from_notice(doc, (&p, &text), &outside, notice_date, found) {
            return;
        }
        if let Some((date, r)) = dates_in(&text).into_iter().find(|(_, r)| outside(r) && BY.is_match(&text[..r.start])) {
            let spot = Spot { lines: p.clone(), range: r };
            found.add(doc, &spot, Value { target, label, value: date.to_string(), sure: 0.9, note: None });
            return;
        }
        // A window from receipt is noted only where no later paragraph gives a date to count.
        let from_receipt = FROM_RECEIPT.captures_iter(&text).find(|c| c.get(0).is_some_and(|m| outside(&m.range())));
        receipt_days = receipt_days.or_else(|| from_receipt.and_then(|c| c.name("n")).and_then(|n| day_count(n.as_str())));
    }
    match receipt_days {
        Some(n) => found.note(format!(
            "The notice allows {n} days after the member receives it: the deadline is counted from the day it arrived (received_date), or the presumed day of receipt"
        )),
        None => found.note("No appeal deadline stated on the notice was found"),
    }
}

/// Records the first window counted from the notice's date in paragraph `p` (its joined `text`),
/// where `outside` the sentences about keeping services going; or notes it, without a notice
/// date to count from. False where the paragraph states none.
fn window_from_notice(
    doc: &Doc,
    (p, text): (&Range<usize>, &str),
    outside: &dyn Fn(&Range<usize>) -> bool,
    notice_date: Option<NaiveDate>,
    found: &mut Found,
) -> bool {
    let (target, label) = ("case.notice_deadline", "Appeal deadline stated");
    let first = FROM_NOTICE.captures_iter(text).find(|c| c.get(0).is_some_and(|m| outside(&m.range())));
    let Some((whole, n)) = first.and_then(|c| Some((c.get(0)?.range(), day_count(c.name("n")?.as_str())?))) else { return false };
    let Some(date) = notice_date else {
        found.note(format!("The notice allows {n} days from its date, but no notice date was found to count from"));
        return true;
    };
    let Some(due) = date.checked_add_days(chrono::Days::new(n.unsigned_abs())) else { return false };
    let note = Some(format!("{n} days from the notice date {date}, as the notice states"));
    found.add(doc, &Spot { lines: p.clone(), range: whole }, Value { target, label, value: due.to_string(), sure: 0.9, note });
    true
}

/// A window counted from the notice's date: "within 65 days of the date of this notice".
static FROM_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:within\s+)?{DAYS}\s+(?:calendar\s+)?days\s+(?:of|from|after)\s+the\s+date\s+(?:(?:listed|shown|printed|given)\s+)?(?:at\s+the\s+top\s+)?(?:of|on)\s+(?:this|the|your|our)\s+(?:notice|letter|denial|decision|determination)"
    ))
});

/// A window counted from the notice's receipt: "within 180 days after you receive this notice".
static FROM_RECEIPT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b{DAYS}\s+(?:calendar\s+)?days\s+(?:of|from|after)\s+(?:(?:the\s+date\s+of\s+)?(?:your\s+)?receipt\s+of|(?:the\s+date\s+)?(?:you|the\s+member)\s+(?:receive|get|got))\s+(?:this|the|our|that)\s+(?:notice|letter|denial|decision|determination|adverse)"
    ))
});

/// The sentences of a paragraph about keeping services or benefits going while the appeal is
/// decided (Medicaid's continuation of benefits, 42 CFR 438.420, asks for the appeal within 10
/// days): their window is not the appeal's. A sentence must say the services go on meanwhile
/// ("while", "during", "until", "pending", "aid paid pending"): "continued coverage" alone is
/// what an appeal may be about.
fn kept_services(text: &str, starts: &[usize]) -> Vec<Range<usize>> {
    static KEPT: LazyLock<Regex> = LazyLock::new(|| {
        let going = r"(?:continue|continuing|keep|kept|keeping)";
        let what = r"(?:services?|benefits?|care|treatment|coverage)";
        let meanwhile = r"(?:while|during|until|pending)";
        re(&format!(
            r"(?i)\b{going}\b[^.]{{0,100}}\b{what}\b[^.]{{0,80}}\b{meanwhile}\b|\b{what}\b[^.]{{0,40}}\b{going}\b[^.]{{0,40}}\b{meanwhile}\b|\baid\s+(?:paid\s+)?pending\b|\bcontinuation\s+of\s+(?:your\s+)?(?:benefits|services)\b"
        ))
    });
    sentences(text, starts).into_iter().filter(|s| KEPT.is_match(&text[s.clone()])).collect()
}

/// Notes the window the notice gives for keeping services going during the appeal, counted from
/// its date where it says so; true when it noted one.
fn continuation(text: &str, kept: &[Range<usize>], notice_date: Option<NaiveDate>, found: &mut Found) -> bool {
    for s in kept {
        let sentence = &text[s.clone()];
        let Some(n) = FROM_NOTICE.captures(sentence).and_then(|c| c.name("n")).and_then(|n| day_count(n.as_str())) else { continue };
        let by = notice_date.and_then(|d| d.checked_add_days(chrono::Days::new(n.unsigned_abs())));
        let by = by.map(|d| format!(": by {d}")).unwrap_or_default();
        found.note(format!(
            "To keep services going during the appeal, the notice asks for the appeal within {n} days of its date{by} (\"{sentence}\")"
        ));
        return true;
    }
    false
}

/// The first line from which the notice speaks of the appeal: the plan's phone and fax numbers
/// above it (a letterhead's customer service line) are not the appeal's.
fn appeal_section(doc: &Doc) -> usize {
    static APPEAL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:appeal|redetermination|reconsideration)"));
    doc.find_line(&APPEAL, 0).map_or(doc.lines.len(), |(i, _)| i)
}

/// The address the notice says to send the appeal to: after "Mail … to:" / "Send your appeal
/// to:" / a list's "- Mail:", on the same line or the lines below, up to the line ending with a state and ZIP code.
pub(super) fn appeal_address(doc: &Doc, found: &mut Found) {
    static LEAD_IN: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?:mail|send|deliver|write|fax)\b[^:]{0,80}\bto\b[^:]{0,60}:\s*|^\W{0,3}mail\s*:\s*"));
    static ZIP: LazyLock<Regex> = LazyLock::new(|| re(r"\b[A-Za-z]{2},?\s+\d{5}(?:-\d{4})?\s*$"));
    let from = appeal_section(doc);
    for i in from..doc.lines.len() {
        let Some(m) = LEAD_IN.find(&doc.lines[i].line.text) else { continue };
        let same_line = m.end() < doc.lines[i].line.text.len();
        let first = if same_line { i } else { i + 1 };
        let Some(last) = (first..doc.lines.len().min(first + 4)).find(|&j| ZIP.is_match(&doc.lines[j].line.text)) else { continue };
        if doc.lines[last].page != doc.lines[i].page {
            continue;
        }
        let (text, starts) = doc.joined(first..last + 1);
        let start = if same_line { m.end() } else { 0 };
        let mut parts: Vec<&str> = Vec::new();
        for (k, s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(text.len(), |n| n - 1);
            let piece = text[(*s).max(start)..end].trim().trim_end_matches(',');
            if !piece.is_empty() {
                parts.push(piece);
            }
        }
        let note = (parts.len() > 1).then(|| format!("{} lines joined", parts.len()));
        let v = Value { target: "case.appeal_address", label: "Appeal address", value: parts.join(", "), sure: 0.85, note };
        found.add(doc, &Spot { lines: first..last + 1, range: start..text.len() }, v);
        return;
    }
    found.note("No address to send the appeal to was found");
}

/// A US phone number with its area code.
const PHONE: &str = r"(?:\+?1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}\b";

/// The first number after `label` (at the end of the text before it) from the appeal section on.
fn labelled_number(doc: &Doc, found: &mut Found, label: &Regex, target: &str, what: &str) {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(PHONE));
    for i in appeal_section(doc)..doc.lines.len() {
        let text = &doc.lines[i].line.text;
        if let Some(m) = NUMBER.find_iter(text).find(|m| label.is_match(&text[..m.start()])) {
            let v = Value { target, label: what, value: m.as_str().to_string(), sure: LABELLED, note: None };
            found.add(doc, &doc.line_spot(i, m.range()), v);
            return;
        }
    }
    found.note(format!("No {} was found", lower_first(what)));
}

/// The phone number for appeals: after "Phone:" (or "Phone (fast appeals only):"), "Call".
pub(super) fn appeal_phone(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?:phone|telephone|tel\.?|call(?:\s+us)?(?:\s+at)?)\s*(?:number)?\s*(?:\([^)]{0,40}\))?\s*:?\s*$"));
    labelled_number(doc, found, &LABEL, "case.appeal_phone", "Appeal phone");
}

/// The fax number for appeals: after "Fax:".
pub(super) fn appeal_fax(doc: &Doc, found: &mut Found) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bfax(?:\s+(?:number|no\.?))?\s*:?\s*$"));
    labelled_number(doc, found, &LABEL, "case.appeal_fax", "Appeal fax");
}

/// The sentences of a paragraph's text (its lines' texts joined, each starting where `starts`
/// says): up to each full stop followed by a space, and at a line break after a line that does
/// not run on (one ending in a colon, a number or a bracket, as an address or a phone line does).
fn sentences(text: &str, starts: &[usize]) -> Vec<Range<usize>> {
    let runs_on = |end: usize| text[..end].chars().last().is_some_and(|c| c.is_ascii_lowercase() || matches!(c, ',' | '-' | '.'));
    let mut cuts: Vec<(usize, usize)> = text.match_indices(". ").map(|(i, _)| (i + 1, i + 2)).collect();
    cuts.extend(starts.iter().skip(1).filter(|&&s| !runs_on(s - 1)).map(|&s| (s - 1, s)));
    cuts.sort();
    let mut out = Vec::new();
    let mut start = 0;
    for (end, next) in cuts {
        if end > start {
            out.push(start..end);
        }
        start = start.max(next);
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// What the notice says of an expedited (fast) appeal, as a note; and where it says the
/// decision itself was made on the expedited process, `urgency = expedited`.
pub(super) fn expedited(doc: &Doc, found: &mut Found) {
    static FAST: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:expedited|fast)\b[^.]{0,30}\b(?:appeal|review|decision|redetermination|reconsideration|process|determination|hearing)|\burgent\s+care\s+claims?\b",
        )
    });
    static DECIDED_FAST: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:made|reviewed|decided|processed|handled)\b[^.]{0,40}\b(?:expedited|fast)\b|\b(?:this|your\s+request|the\s+request|the\s+decision)\s+(?:is|was)\s+(?:an?\s+)?(?:expedited|fast)\b",
        )
    });
    static NOT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bnot\b"));
    let mut noted = false;
    for p in doc.paragraphs() {
        let (text, starts) = doc.joined(p.clone());
        for s in sentences(&text, &starts) {
            let sentence = &text[s.clone()];
            if !FAST.is_match(sentence) {
                continue;
            }
            let page = doc.lines[p.start].page + 1;
            if DECIDED_FAST.is_match(sentence) && !NOT.is_match(sentence) && !found.has("case.urgency") {
                let note = Some("the notice says the decision was made on the expedited (fast) process".to_string());
                let v = Value { target: "case.urgency", label: "Urgency", value: "expedited".into(), sure: 0.85, note };
                found.add(doc, &Spot { lines: p.clone(), range: s }, v);
            } else if !noted {
                found.note(format!("Expedited (fast) appeal, page {page}: \"{sentence}\""));
                noted = true;
            }
        }
    }
    if !noted && !found.has("case.urgency") {
        found.note("No wording about an expedited (fast) appeal was found");
    }
}

#[cfg(test)]
mod code_tests {
    use super::code_as_read;

    #[test]
    fn a_code_ocr_read_with_a_letter_for_a_digit_is_mended_with_a_note_and_nothing_else_is() {
        assert_eq!(code_as_read("G0156", true), Some(("G0156".into(), None)));
        let (code, note) = code_as_read("GO156", true).unwrap();
        assert_eq!(code, "G0156");
        assert!(note.unwrap().contains("“GO156”"));
        assert_eq!(code_as_read("971O1", true).unwrap().0, "97101");
        assert_eq!(code_as_read("LO3.115", false).unwrap().0, "L03.115");
        // A letter where a code has a letter stays: no code is made up from a word.
        assert_eq!(code_as_read("OXYGEN", true), None);
        assert_eq!(code_as_read("L89.623", false), Some(("L89.623".into(), None)));
        assert_eq!(code_as_read("HOME", false), None);
        assert_eq!(code_as_read("COPD", false), None);
    }
}
