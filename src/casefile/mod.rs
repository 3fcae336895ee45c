//! Reads a case folder (`case.toml`, `letter.md`, the exhibit files) into the model, collecting
//! every problem instead of stopping at the first; and writes a case back as a folder.

mod doc;
mod write;

pub use doc::*;
pub use write::to_toml;

use crate::error::{Error, Problem, Result};
use crate::model::*;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

pub const CASE_FILE: &str = "case.toml";
pub const LETTER_FILE: &str = "letter.md";

/// A case read from a folder, with the folder it came from.
#[derive(Debug, Clone)]
pub struct CaseFolder {
    pub dir: PathBuf,
    pub case: Case,
    /// Where each exhibit's bytes really are, by its `file` as written in case.toml, when
    /// not under `dir` (a case from the database reads its documents from the vault).
    pub sources: Option<std::collections::HashMap<String, PathBuf>>,
    /// The case's name when it does not come from the folder's name (a database case).
    pub display_name: Option<String>,
}

impl CaseFolder {
    /// The path of an exhibit's file.
    pub fn exhibit_path(&self, exhibit: &Exhibit) -> PathBuf {
        match self.sources.as_ref().and_then(|s| s.get(&exhibit.file)) {
            Some(p) => p.clone(),
            None => self.dir.join(&exhibit.file),
        }
    }
    /// The name people know the case by: the folder's name.
    pub fn name(&self) -> String {
        if let Some(n) = &self.display_name {
            return n.clone();
        }
        self.dir
            .canonicalize()
            .unwrap_or_else(|_| self.dir.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "case".into())
    }
}

/// Reads and validates a case folder's `case.toml` and `letter.md`, and checks that every
/// exhibit file exists. Opening the exhibits themselves is the importer's work.
pub fn load(dir: &Path) -> Result<CaseFolder> {
    let path = dir.join(CASE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let what = if dir.is_dir() { "not found in the case folder" } else { "the case folder does not exist" };
            return Err(Error::Invalid(vec![Problem::new(CASE_FILE, "", format!("{what} ({})", dir.display()))]));
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Err(Error::Invalid(vec![Problem::new(CASE_FILE, "", "is not UTF-8 text")]));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let letter = match std::fs::read(dir.join(LETTER_FILE)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => Some(t),
            Err(_) => return Err(Error::Invalid(vec![Problem::new(LETTER_FILE, "", "is not UTF-8 text")])),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(dir.join(LETTER_FILE), e)),
    };
    let mut case = match parse(&text) {
        Ok(c) => c,
        Err(Error::Invalid(mut problems)) => {
            // Report the exhibits' own problems in the same run: missing files, and files the
            // build would refuse, read from the entries that name a file.
            let stubs = exhibit_stubs(&text);
            problems.extend(exhibit_problems(dir, stubs.iter().map(|(i, e)| (*i, e)), true));
            return Err(Error::Invalid(problems));
        }
        Err(e) => return Err(e),
    };
    case.letter = letter;
    let problems = exhibit_problems(dir, case.exhibits.iter().enumerate(), false);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(CaseFolder { dir: dir.to_path_buf(), case, sources: None, display_name: None })
}

/// Missing exhibit files, and (with `open`) files whose content the build would refuse.
fn exhibit_problems<'a>(dir: &Path, exhibits: impl IntoIterator<Item = (usize, &'a Exhibit)>, open: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, ex) in exhibits {
        let p = dir.join(&ex.file);
        let at = crate::error::Location::Exhibit { number: i + 1, file: ex.file.clone() };
        if !p.is_file() {
            let what = if p.exists() { "is not a file" } else { "file not found" };
            problems.push(Problem::new(CASE_FILE, at, what));
        } else if open {
            match std::fs::read(&p) {
                Ok(bytes) => {
                    if let Err(why) = crate::packet::check_exhibit(ex, &bytes) {
                        // Located like the build's own refusals: "exhibit N (file): why".
                        problems.push(Problem::new("", at, why.to_string()));
                    }
                }
                Err(e) => problems.push(Problem::new("", at, format!("cannot be read: {e}"))),
            }
        }
    }
    problems
}

/// The `[[exhibit]]` entries of a case.toml that does not parse as a whole, as far as each can
/// be read (a file path inside the folder; the rest defaulted), with its 0-based position.
fn exhibit_stubs(text: &str) -> Vec<(usize, Exhibit)> {
    let Ok(table) = text.parse::<Table>() else { return Vec::new() };
    let Some(Value::Array(items)) = table.get("exhibit") else { return Vec::new() };
    let str_of = |t: &Table, k: &str| t.get(k).and_then(Value::as_str).map(str::to_string);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let t = item.as_table()?;
            let file = str_of(t, "file").filter(|f| {
                let p = Path::new(f);
                !p.is_absolute() && !p.components().any(|c| matches!(c, std::path::Component::ParentDir))
            })?;
            let kind = str_of(t, "kind").and_then(|k| ExhibitKind::parse(&k)).unwrap_or(ExhibitKind::Other);
            let pages = str_of(t, "pages").and_then(|p| PageSelection::parse(&p));
            Some((i, Exhibit { file, kind, date: NaiveDate::MIN, title: String::new(), pages, caption: None }))
        })
        .collect()
}

/// Parses the text of a case.toml. Every problem found is reported at once.
pub fn parse(text: &str) -> Result<Case> {
    let table: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let e: toml::de::Error = e;
            let line = e.span().map(|s| text.get(..s.start).unwrap_or(text).lines().count().max(1));
            let loc = line.map(crate::error::Location::Line).unwrap_or(crate::error::Location::File);
            return Err(Error::Invalid(vec![Problem::new(CASE_FILE, loc, e.message().trim().to_string())]));
        }
    };
    let mut r = Reader { problems: Vec::new() };
    let case = r.case(&table);
    match case {
        Some(c) if r.problems.is_empty() => Ok(c),
        _ => Err(Error::Invalid(r.problems)),
    }
}

struct Reader {
    problems: Vec<Problem>,
}

/// A table in case.toml and how to name it in messages (`member`, `exhibit 3 (docs/x.pdf)`).
struct Ctx<'a> {
    table: &'a Table,
    name: String,
    /// Separator between the table name and a key: `.` for tables, `: ` for array entries.
    sep: &'static str,
}

impl Ctx<'_> {
    fn at(&self, key: &str) -> String {
        format!("{}{}{}", self.name, self.sep, key)
    }
}

impl Reader {
    fn problem(&mut self, location: String, message: impl Into<String>) {
        self.problems.push(Problem::new(CASE_FILE, location, message));
    }

    fn case(&mut self, root: &Table) -> Option<Case> {
        let known = ["case", "member", "provider", "submitter", "exhibit", "event", "spo2", "wound", "mobility", "submission"];
        for key in root.keys() {
            if !known.contains(&key.as_str()) {
                self.problem(key.clone(), format!("unknown table (expected one of: {})", known.join(", ")));
            }
        }
        let info = self.table(root, "case", true).and_then(|t| self.case_info(&t));
        let member = self.table(root, "member", true).and_then(|t| self.member(&t));
        let provider = self.table(root, "provider", false).map(|t| self.provider(&t));
        let submitter = self.table(root, "submitter", false).and_then(|t| self.submitter(&t));
        let exhibits = self.array(root, "exhibit", |r, c, _| r.exhibit(c));
        let events = self.array(root, "event", |r, c, _| r.event(c));
        let spo2 = self.array(root, "spo2", |r, c, _| r.spo2(c));
        let wounds = self.array(root, "wound", |r, c, _| r.wound(c));
        let mobility = self.array(root, "mobility", |r, c, _| r.mobility(c));
        let submissions = self.array(root, "submission", |r, c, _| r.submission(c));
        if let (Some(info), Some(m)) = (&info, &member) {
            if m.dob > info.notice_date {
                self.problem(
                    "member.dob".into(),
                    format!("{} is after the notice date {}: it cannot be the member's date of birth", m.dob, info.notice_date),
                );
            }
        }
        if let Some(info) = &info {
            if info.program == Program::Contract && info.contract_days.is_none() {
                self.problem("case.contract_days".into(), "required when program = \"contract\" (the number of days the contract allows)");
            }
        }
        Some(Case {
            info: info?,
            member: member?,
            provider: provider.flatten(),
            submitter,
            exhibits,
            events,
            spo2,
            wounds,
            mobility,
            submissions,
            letter: None,
        })
    }

    fn table<'a>(&mut self, root: &'a Table, key: &str, required: bool) -> Option<Ctx<'a>> {
        match root.get(key) {
            Some(Value::Table(t)) => Some(Ctx { table: t, name: key.to_string(), sep: "." }),
            Some(_) => {
                self.problem(key.into(), format!("must be a table ([{key}])"));
                None
            }
            None => {
                if required {
                    self.problem(key.into(), format!("missing table [{key}]"));
                }
                None
            }
        }
    }

    fn array<T>(&mut self, root: &Table, key: &str, mut each: impl FnMut(&mut Self, &Ctx, usize) -> Option<T>) -> Vec<T> {
        let Some(v) = root.get(key) else { return Vec::new() };
        let Value::Array(items) = v else {
            self.problem(key.into(), format!("must be an array of tables ([[{key}]])"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Table(t) = item else {
                self.problem(format!("{key} {}", i + 1), "must be a table");
                continue;
            };
            let mut name = format!("{key} {}", i + 1);
            if key == "exhibit" {
                if let Some(Value::String(f)) = t.get("file") {
                    name = format!("exhibit {} ({f})", i + 1);
                }
            }
            let ctx = Ctx { table: t, name, sep: ": " };
            if let Some(x) = each(self, &ctx, i) {
                out.push(x);
            }
        }
        out
    }

    fn unknown_keys(&mut self, c: &Ctx, known: &[&str]) {
        for key in c.table.keys() {
            if !known.contains(&key.as_str()) {
                self.problem(c.at(key), format!("unknown key (expected one of: {})", known.join(", ")));
            }
        }
    }

    /// An optional string; an empty string counts as absent.
    fn opt_str(&mut self, c: &Ctx, key: &str) -> Option<String> {
        match c.table.get(key) {
            None => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                self.problem(c.at(key), format!("must be text in quotes, not {}", other.kind_text()));
                None
            }
        }
    }

    fn req_str(&mut self, c: &Ctx, key: &str) -> Option<String> {
        let present = c.table.contains_key(key);
        let v = self.opt_str(c, key);
        if v.is_none() && (!present || matches!(c.table.get(key), Some(Value::String(_)))) {
            self.problem(c.at(key), if present { "must not be empty" } else { "missing (required)" });
        }
        v
    }

    fn date_value(&mut self, c: &Ctx, key: &str, required: bool) -> Option<NaiveDate> {
        match c.table.get(key) {
            None => {
                if required {
                    self.problem(c.at(key), "missing (required; a date such as 2025-09-10)");
                }
                None
            }
            Some(Value::Datetime(d)) => match (d.date, d.time) {
                (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32),
                _ => {
                    self.problem(c.at(key), format!("`{d}` must be a date alone, such as 2025-09-10"));
                    None
                }
            },
            Some(Value::String(s)) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    self.problem(c.at(key), format!("`{s}` is not a date (expected YYYY-MM-DD, such as 2025-09-10)"));
                    None
                }
            },
            Some(other) => {
                self.problem(c.at(key), format!("must be a date such as 2025-09-10, not {}", other.kind_text()));
                None
            }
        }
    }

    fn moment(&mut self, c: &Ctx, key: &str, required: bool) -> Option<Moment> {
        let text = match c.table.get(key) {
            None => {
                if required {
                    self.problem(c.at(key), "missing (required; a date or time such as 2025-09-03T10:15)");
                }
                return None;
            }
            Some(Value::Datetime(d)) => d.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                self.problem(c.at(key), format!("must be a date or time, not {}", other.kind_text()));
                return None;
            }
        };
        let m = Moment::parse(&text);
        if m.is_none() {
            self.problem(
                c.at(key),
                format!("`{text}` is not a date or time (expected 2025-09-03, 2025-09-03T10:15 or 2025-09-03T10:15:00-05:00)"),
            );
        }
        m
    }

    fn number(&mut self, c: &Ctx, key: &str, required: bool, min: f64, max: f64) -> Option<f64> {
        let v = match c.table.get(key) {
            None => {
                if required {
                    self.problem(c.at(key), "missing (required number)");
                }
                return None;
            }
            Some(Value::Integer(i)) => *i as f64,
            Some(Value::Float(f)) => *f,
            Some(other) => {
                self.problem(c.at(key), format!("must be a number, not {}", other.kind_text()));
                return None;
            }
        };
        if !(min..=max).contains(&v) || !v.is_finite() {
            self.problem(c.at(key), format!("{v} is out of range ({min} to {max})"));
            return None;
        }
        Some(v)
    }

    fn kind<K>(&mut self, c: &Ctx, key: &str, required: bool, parse: fn(&str) -> Option<K>, choices: String) -> Option<K> {
        let s = if required { self.req_str(c, key)? } else { self.opt_str(c, key)? };
        let k = parse(&s);
        if k.is_none() {
            self.problem(c.at(key), format!("unknown {key} `{s}` (expected one of: {choices})"));
        }
        k
    }

    fn codes(&mut self, c: &Ctx, key: &str, check: fn(&str) -> bool, what: &str) -> Vec<String> {
        let Some(v) = c.table.get(key) else { return Vec::new() };
        let Value::Array(items) = v else {
            self.problem(c.at(key), format!("must be a list of {what} codes in quotes"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if check(s.trim()) => out.push(s.trim().to_string()),
                Value::String(s) => self.problem(c.at(key), format!("`{s}` cannot be a {what} code")),
                other => self.problem(c.at(key), format!("{other} must be a {what} code in quotes")),
            }
        }
        out
    }

    fn case_info(&mut self, c: &Ctx) -> Option<CaseInfo> {
        self.unknown_keys(
            c,
            &[
                "kind",
                "title",
                "program",
                "level",
                "contract_days",
                "urgency",
                "service",
                "pa_requested",
                "notice_date",
                "received_date",
                "notice_deadline",
                "reference",
                "claim_number",
                "authorization_number",
                "denial_reason",
                "requested_action",
                "diagnoses",
                "procedures",
                "bates_prefix",
            ],
        );
        let kind = self.kind(c, "kind", true, CaseKind::parse, CaseKind::choices());
        let title = self.req_str(c, "title");
        let program = self.kind(c, "program", true, Program::parse, Program::choices());
        let urgency = if c.table.contains_key("urgency") {
            self.kind(c, "urgency", true, Urgency::parse, Urgency::choices())
        } else {
            Some(Urgency::Standard)
        };
        let service = self.kind(c, "service", false, Service::parse, Service::choices());
        let pa_requested = self.moment(c, "pa_requested", false);
        let contract_days = self.number(c, "contract_days", false, 1.0, 3650.0);
        if let Some(d) = contract_days {
            if d.fract() != 0.0 {
                self.problem(c.at("contract_days"), "must be a whole number of days");
            }
        }
        let notice_date = self.date_value(c, "notice_date", true);
        let received_date = self.date_value(c, "received_date", false);
        let notice_deadline = self.date_value(c, "notice_deadline", false);
        if let (Some(n), Some(r)) = (notice_date, received_date) {
            if r < n {
                self.problem(c.at("received_date"), format!("{r} is before the notice date {n}"));
            }
        }
        let bates_prefix = self.opt_str(c, "bates_prefix");
        if let Some(p) = &bates_prefix {
            if p.len() > 20 || !p.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
                self.problem(c.at("bates_prefix"), format!("`{p}` must be up to 20 letters, digits, - or _"));
            }
        }
        Some(CaseInfo {
            level: self.opt_str(c, "level"),
            reference: self.opt_str(c, "reference"),
            claim_number: self.opt_str(c, "claim_number"),
            authorization_number: self.opt_str(c, "authorization_number"),
            denial_reason: self.opt_str(c, "denial_reason"),
            requested_action: self.opt_str(c, "requested_action"),
            diagnoses: self.codes(c, "diagnoses", is_icd10cm, "ICD-10-CM"),
            procedures: self.codes(c, "procedures", is_cpt_or_hcpcs, "HCPCS/CPT"),
            kind: kind?,
            title: title?,
            program: program?,
            urgency: urgency?,
            service,
            pa_requested,
            contract_days: contract_days.map(|d| d as u32),
            notice_date: notice_date?,
            received_date,
            notice_deadline,
            bates_prefix,
        })
    }

    fn member(&mut self, c: &Ctx) -> Option<Member> {
        self.unknown_keys(c, &["name", "dob", "member_id", "payer", "phone"]);
        let name = self.req_str(c, "name");
        let dob = self.date_value(c, "dob", true);
        if let Some(d) = dob {
            if d.year_ce().1 < 1880 {
                self.problem(c.at("dob"), format!("{d} cannot be a date of birth"));
            }
        }
        let member_id = self.req_str(c, "member_id");
        let payer = self.req_str(c, "payer");
        let phone = self.opt_str(c, "phone");
        Some(Member { name: name?, dob: dob?, member_id: member_id?, payer: payer?, phone })
    }

    fn provider(&mut self, c: &Ctx) -> Option<Provider> {
        self.unknown_keys(c, &["organization", "clinician", "npi", "phone", "fax"]);
        let npi = self.opt_str(c, "npi");
        if let Some(n) = &npi {
            if !npi_is_valid(n) {
                let why =
                    if n.len() == 10 && n.chars().all(|ch| ch.is_ascii_digit()) { "fails its check digit" } else { "must be 10 digits" };
                self.problem(c.at("npi"), format!("`{n}` is not a valid NPI: {why}"));
            }
        }
        Some(Provider {
            organization: self.opt_str(c, "organization"),
            clinician: self.opt_str(c, "clinician"),
            npi,
            phone: self.opt_str(c, "phone"),
            fax: self.opt_str(c, "fax"),
        })
    }

    fn submitter(&mut self, c: &Ctx) -> Option<Submitter> {
        self.unknown_keys(c, &["name", "role", "phone"]);
        let name = self.req_str(c, "name");
        Some(Submitter { name: name?, role: self.opt_str(c, "role"), phone: self.opt_str(c, "phone") })
    }

    fn exhibit(&mut self, c: &Ctx) -> Option<Exhibit> {
        self.unknown_keys(c, &["file", "kind", "date", "title", "pages", "caption"]);
        let file = self.req_str(c, "file");
        if let Some(f) = &file {
            let p = Path::new(f);
            if p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                self.problem(c.at("file"), format!("`{f}` must be a path inside the case folder (relative, no ..)"));
            }
        }
        let kind = self.kind(c, "kind", true, ExhibitKind::parse, ExhibitKind::choices());
        let date = self.date_value(c, "date", true);
        let title = self.req_str(c, "title");
        let pages = self.opt_str(c, "pages").and_then(|p| {
            let s = PageSelection::parse(&p);
            if s.is_none() {
                self.problem(c.at("pages"), format!("`{p}` is not a page selection (expected pages and ranges such as 1-3,5)"));
            }
            s
        });
        let caption = self.opt_str(c, "caption");
        Some(Exhibit { file: file?, kind: kind?, date: date?, title: title?, pages, caption })
    }

    fn event(&mut self, c: &Ctx) -> Option<Event> {
        self.unknown_keys(c, &["at", "kind", "summary", "reference", "counterpart", "promised"]);
        let at = self.moment(c, "at", true);
        let kind = self.kind(c, "kind", true, EventKind::parse, EventKind::choices());
        let summary = self.req_str(c, "summary");
        let promised = self.moment(c, "promised", false);
        Some(Event {
            at: at?,
            kind: kind?,
            summary: summary?,
            reference: self.opt_str(c, "reference"),
            counterpart: self.opt_str(c, "counterpart"),
            promised,
        })
    }

    fn spo2(&mut self, c: &Ctx) -> Option<Spo2Reading> {
        self.unknown_keys(c, &["at", "percent", "activity", "oxygen_lpm", "pulse"]);
        let at = self.moment(c, "at", true);
        let percent = self.number(c, "percent", true, 1.0, 100.0);
        let activity = self.kind(c, "activity", true, Activity::parse, Activity::choices());
        let oxygen_lpm = self.number(c, "oxygen_lpm", false, 0.0, 60.0).unwrap_or(0.0);
        let pulse = self.number(c, "pulse", false, 10.0, 300.0).map(|p| p as u32);
        Some(Spo2Reading { at: at?, percent: percent?, activity: activity?, oxygen_lpm, pulse })
    }

    fn wound(&mut self, c: &Ctx) -> Option<WoundMeasurement> {
        self.unknown_keys(c, &["at", "site", "length_cm", "width_cm", "depth_cm", "stage"]);
        let at = self.moment(c, "at", true);
        let site = self.req_str(c, "site");
        let length_cm = self.number(c, "length_cm", true, 0.0, 200.0);
        let width_cm = self.number(c, "width_cm", true, 0.0, 200.0);
        let depth_cm = self.number(c, "depth_cm", false, 0.0, 50.0);
        let stage = match c.table.get("stage") {
            Some(Value::Integer(i)) => Some(i.to_string()),
            _ => self.opt_str(c, "stage"),
        };
        Some(WoundMeasurement { at: at?, site: site?, length_cm: length_cm?, width_cm: width_cm?, depth_cm, stage })
    }

    fn mobility(&mut self, c: &Ctx) -> Option<MobilityScore> {
        self.unknown_keys(c, &["at", "instrument", "value", "unit"]);
        let at = self.moment(c, "at", true);
        let instrument = self.req_str(c, "instrument");
        let value = self.number(c, "value", true, -1e9, 1e9);
        let unit = self.opt_str(c, "unit").unwrap_or_default();
        Some(MobilityScore { at: at?, instrument: instrument?, value: value?, unit })
    }

    fn submission(&mut self, c: &Ctx) -> Option<Submission> {
        self.unknown_keys(c, &["at", "method", "to", "confirmation", "packet_sha256"]);
        let at = self.moment(c, "at", true);
        let method = self.kind(c, "method", true, SubmissionMethod::parse, SubmissionMethod::choices());
        let to = self.req_str(c, "to");
        let packet_sha256 = self.opt_str(c, "packet_sha256");
        if let Some(h) = &packet_sha256 {
            if h.len() != 64 || !h.chars().all(|ch| ch.is_ascii_hexdigit()) {
                self.problem(c.at("packet_sha256"), "must be 64 hexadecimal digits");
            }
        }
        Some(Submission { at: at?, method: method?, to: to?, confirmation: self.opt_str(c, "confirmation"), packet_sha256 })
    }
}

trait TypeStr {
    fn kind_text(&self) -> &'static str;
}

impl TypeStr for Value {
    fn kind_text(&self) -> &'static str {
        match self {
            Value::String(_) => "text",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Boolean(_) => "true/false",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

use chrono::Datelike;

#[cfg(test)]
mod tests;
