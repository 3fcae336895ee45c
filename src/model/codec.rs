//! How each field of the case goes between its raw form (text and numbers as case.toml, the
//! app's form and the store's document hold them) and the model, with every problem collected.
//!
//! A [`Codec`] reads one raw field into the model, naming its key when the value is wrong, and
//! writes it back. The tables in `shape.rs` pair each field with its codec once; case.toml, the
//! app's document and the store all go through them.

use super::{Moment, PageSelection, Vocabulary};
use crate::error::Problem;
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;
use std::path::{Component, Path};

/// Where a field is, as problems name it: `member.dob`, `exhibit 2 (docs/x.pdf): date`.
#[derive(Debug, Clone)]
pub struct Loc {
    pub text: String,
    /// The key alone (`dob`), for messages that name it.
    pub key: &'static str,
}

/// A table or array entry, for naming its keys.
#[derive(Debug, Clone)]
pub struct At {
    pub name: String,
    /// `.` for tables, `: ` for array entries.
    pub sep: &'static str,
}

impl At {
    pub fn table(name: &str) -> At {
        At { name: name.to_string(), sep: "." }
    }
    pub fn entry(name: String) -> At {
        At { name, sep: ": " }
    }
    pub fn key(&self, key: &'static str) -> Loc {
        Loc { text: format!("{}{}{}", self.name, self.sep, key), key }
    }
}

/// Collects the problems of one case, and which keys its source left out or gave a value of
/// the wrong type (already reported), so a codec neither reports them twice nor misnames them.
#[derive(Debug, Default)]
pub struct Checker {
    pub problems: Vec<Problem>,
    /// The file problems are reported in (`case.toml`).
    file: &'static str,
    missing: HashSet<String>,
    failed: HashSet<String>,
}

impl Checker {
    pub fn new(file: &'static str) -> Checker {
        Checker { file, ..Checker::default() }
    }
    pub fn problem(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(self.file, location.into(), message));
    }
    /// The source has no value for this key.
    pub fn mark_missing(&mut self, loc: &Loc) {
        self.missing.insert(loc.text.clone());
    }
    /// The source's value was of the wrong type, and that was reported.
    pub fn mark_failed(&mut self, location: &str) {
        self.failed.insert(location.to_string());
    }
    pub fn failed(&self, location: &str) -> bool {
        self.failed.contains(location)
    }
    fn missing(&self, loc: &Loc) -> bool {
        self.missing.contains(&loc.text)
    }
}

/// Reads one field from its raw form `R` into the model's `M`, and writes it back.
pub trait Codec<M, R> {
    /// `None` when the value is wrong (the problem is in `c`).
    fn read(&self, raw: &R, at: &Loc, c: &mut Checker) -> Option<M>;
    fn write(&self, model: &M) -> R;
    /// What the field holds, for a value of the wrong type: "must be {expects}".
    fn expects(&self) -> &'static str {
        "text in quotes"
    }
}

/// A value as a file gives it, before its field's type is known.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, as written.
    Date(String),
    List(Vec<FieldValue>),
    Table,
}

impl FieldValue {
    /// The value's type in words: "must be a number, not text".
    pub fn kind_text(&self) -> &'static str {
        match self {
            FieldValue::Text(_) => "text",
            FieldValue::Integer(_) => "a whole number",
            FieldValue::Float(_) => "a number",
            FieldValue::Bool(_) => "true/false",
            FieldValue::Date(_) => "a date",
            FieldValue::List(_) => "a list",
            FieldValue::Table => "a table",
        }
    }
}

/// The types a raw field can have, read from a [`FieldValue`].
pub trait RawField: Sized + Default {
    /// `None` when the value is of another type.
    fn from_value(v: &FieldValue) -> Option<Self>;
}

impl RawField for String {
    fn from_value(v: &FieldValue) -> Option<Self> {
        match v {
            FieldValue::Text(s) | FieldValue::Date(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// Optional text also takes a whole number (`stage = 3`).
impl RawField for Option<String> {
    fn from_value(v: &FieldValue) -> Option<Self> {
        match v {
            FieldValue::Integer(i) => Some(Some(i.to_string())),
            other => String::from_value(other).map(Some),
        }
    }
}

impl RawField for f64 {
    fn from_value(v: &FieldValue) -> Option<Self> {
        match v {
            FieldValue::Integer(i) => Some(*i as f64),
            FieldValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl RawField for Option<f64> {
    fn from_value(v: &FieldValue) -> Option<Self> {
        f64::from_value(v).map(Some)
    }
}

impl RawField for Vec<String> {
    fn from_value(v: &FieldValue) -> Option<Self> {
        match v {
            FieldValue::List(items) => items.iter().map(|i| if let FieldValue::Text(s) = i { Some(s.clone()) } else { None }).collect(),
            _ => None,
        }
    }
}

/// Where raw fields are read from: a case.toml table, for one.
pub trait Source {
    /// The raw value of `key`; the type's default when it is missing or of the wrong type
    /// (then marked, and the wrong type reported, in the source's checker).
    fn field<R: RawField>(&mut self, key: &'static str, expects: &'static str) -> R;
}

/// Required text, trimmed, not empty; optional text, with blank as absent.
pub struct Text;

impl Codec<String, String> for Text {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<String> {
        if c.failed(&at.text) {
            return None;
        }
        if c.missing(at) {
            c.problem(&at.text, "missing (required)");
            return None;
        }
        let t = raw.trim();
        if t.is_empty() {
            c.problem(&at.text, "must not be empty");
            return None;
        }
        Some(t.to_string())
    }
    fn write(&self, model: &String) -> String {
        model.clone()
    }
}

impl Codec<Option<String>, Option<String>> for Text {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<String>> {
        if c.failed(&at.text) {
            return None;
        }
        Some(raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string))
    }
    fn write(&self, model: &Option<String>) -> Option<String> {
        model.clone()
    }
}

/// Text that may be empty or left out (a score's unit).
pub struct AnyText;

impl Codec<String, String> for AnyText {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<String> {
        (!c.failed(&at.text)).then(|| raw.trim().to_string())
    }
    fn write(&self, model: &String) -> String {
        model.clone()
    }
}

/// Optional text that passes `check`, or the message naming what is wrong.
pub struct Checked(pub fn(&str) -> Result<(), String>);

impl Codec<Option<String>, Option<String>> for Checked {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<String>> {
        let text = Text.read(raw, at, c)?;
        if let Some(t) = &text {
            if let Err(why) = (self.0)(t) {
                c.problem(&at.text, why);
            }
        }
        Some(text)
    }
    fn write(&self, model: &Option<String>) -> Option<String> {
        model.clone()
    }
}

/// An exhibit's file: a relative path that stays inside the case folder.
pub struct FilePath;

/// Whether `file` is a relative path with no `..`.
pub fn inside_folder(file: &str) -> bool {
    let p = Path::new(file);
    !p.is_absolute() && !p.components().any(|c| matches!(c, Component::ParentDir))
}

impl Codec<String, String> for FilePath {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<String> {
        if !c.failed(&at.text) && !c.missing(at) && raw.trim().is_empty() {
            c.problem(&at.text, "is empty: give the document's path inside the case folder");
            return None;
        }
        let f = Text.read(raw, at, c)?;
        if !inside_folder(&f) {
            c.problem(&at.text, format!("`{f}` must be a path inside the case folder (relative, no ..)"));
        }
        Some(f)
    }
    fn write(&self, model: &String) -> String {
        model.clone()
    }
}

/// A date alone, `YYYY-MM-DD`.
pub struct Date;

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Codec<NaiveDate, String> for Date {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<NaiveDate> {
        if c.failed(&at.text) {
            return None;
        }
        if c.missing(at) || raw.trim().is_empty() {
            c.problem(&at.text, "missing (required; a date such as 2025-09-10)");
            return None;
        }
        Codec::<Option<NaiveDate>, Option<String>>::read(self, &Some(raw.clone()), at, c)?
    }
    fn write(&self, model: &NaiveDate) -> String {
        date_text(*model)
    }
    fn expects(&self) -> &'static str {
        "a date such as 2025-09-10"
    }
}

impl Codec<Option<NaiveDate>, Option<String>> for Date {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<NaiveDate>> {
        let Some(text) = Text.read(raw, at, c)? else { return Some(None) };
        match super::dates::read_date(&text) {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                c.problem(&at.text, e.to_string());
                None
            }
        }
    }
    fn write(&self, model: &Option<NaiveDate>) -> Option<String> {
        model.map(date_text)
    }
    fn expects(&self) -> &'static str {
        "a date such as 2025-09-10"
    }
}

/// A date of birth: a date no earlier than 1880.
pub struct Birth;

/// A date of birth identifies the member: its problems never repeat the value (they may be
/// logged or shown over a shoulder), only what is wrong with it.
impl Codec<NaiveDate, String> for Birth {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<NaiveDate> {
        if c.failed(&at.text) {
            return None;
        }
        if c.missing(at) || raw.trim().is_empty() {
            c.problem(&at.text, "missing (required; a date such as 1950-04-02)");
            return None;
        }
        let d = match super::dates::read_date(raw) {
            Ok(d) => d,
            Err(e) => {
                c.problem(&at.text, e.unquoted("1950-04-02"));
                return None;
            }
        };
        if d.year_ce().1 < 1880 {
            c.problem(&at.text, "is before 1880: it cannot be a date of birth");
        }
        Some(d)
    }
    fn write(&self, model: &NaiveDate) -> String {
        date_text(*model)
    }
    fn expects(&self) -> &'static str {
        "a date such as 2025-09-10"
    }
}

/// A date or time as [`Moment`] reads it.
pub struct When;

impl Codec<Moment, String> for When {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<Moment> {
        if c.failed(&at.text) {
            return None;
        }
        if c.missing(at) || raw.trim().is_empty() {
            c.problem(&at.text, "missing (required; a date or time such as 2025-09-03T10:15)");
            return None;
        }
        Codec::<Option<Moment>, Option<String>>::read(self, &Some(raw.clone()), at, c)?
    }
    fn write(&self, model: &Moment) -> String {
        model.to_string()
    }
    fn expects(&self) -> &'static str {
        "a date or time"
    }
}

impl Codec<Option<Moment>, Option<String>> for When {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<Moment>> {
        let Some(text) = Text.read(raw, at, c)? else { return Some(None) };
        match super::dates::read_moment(&text) {
            Ok(m) => Some(Some(m)),
            Err(e) => {
                c.problem(&at.text, e.to_string());
                None
            }
        }
    }
    fn write(&self, model: &Option<Moment>) -> Option<String> {
        model.map(|m| m.to_string())
    }
    fn expects(&self) -> &'static str {
        "a date or time"
    }
}

/// One of a [`Vocabulary`]'s spellings; `KindOr(v)` takes `v` when the key is left out.
pub struct Kind;
pub struct KindOr<K>(pub K);

fn parse_kind<K: Vocabulary>(text: &str, at: &Loc, c: &mut Checker) -> Option<K> {
    let k = K::parse(text);
    if k.is_none() {
        c.problem(&at.text, format!("unknown {} `{text}` (expected one of: {})", at.key, K::choices()));
    }
    k
}

impl<K: Vocabulary> Codec<K, String> for Kind {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<K> {
        let text = Text.read(raw, at, c)?;
        parse_kind(&text, at, c)
    }
    fn write(&self, model: &K) -> String {
        model.as_str().to_string()
    }
}

impl<K: Vocabulary> Codec<Option<K>, Option<String>> for Kind {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<K>> {
        match Text.read(raw, at, c)? {
            None => Some(None),
            Some(text) => parse_kind(&text, at, c).map(Some),
        }
    }
    fn write(&self, model: &Option<K>) -> Option<String> {
        model.map(|k| k.as_str().to_string())
    }
}

impl<K: Vocabulary> Codec<K, String> for KindOr<K> {
    fn read(&self, raw: &String, at: &Loc, c: &mut Checker) -> Option<K> {
        if c.missing(at) && !c.failed(&at.text) {
            return Some(self.0);
        }
        Kind.read(raw, at, c)
    }
    fn write(&self, model: &K) -> String {
        model.as_str().to_string()
    }
}

/// A number from `min` to `max`.
pub struct Number(pub f64, pub f64);

impl Number {
    fn check(&self, v: f64, at: &Loc, c: &mut Checker) -> Option<f64> {
        if !(self.0..=self.1).contains(&v) || !v.is_finite() {
            c.problem(&at.text, format!("{v} is out of range ({} to {})", self.0, self.1));
            return None;
        }
        Some(v)
    }
}

impl Codec<f64, f64> for Number {
    fn read(&self, raw: &f64, at: &Loc, c: &mut Checker) -> Option<f64> {
        if c.failed(&at.text) {
            return None;
        }
        if c.missing(at) {
            c.problem(&at.text, "missing (required number)");
            return None;
        }
        self.check(*raw, at, c)
    }
    fn write(&self, model: &f64) -> f64 {
        *model
    }
    fn expects(&self) -> &'static str {
        "a number"
    }
}

impl Codec<Option<f64>, Option<f64>> for Number {
    fn read(&self, raw: &Option<f64>, at: &Loc, c: &mut Checker) -> Option<Option<f64>> {
        match raw {
            _ if c.failed(&at.text) => None,
            None => Some(None),
            Some(v) => self.check(*v, at, c).map(Some),
        }
    }
    fn write(&self, model: &Option<f64>) -> Option<f64> {
        *model
    }
    fn expects(&self) -> &'static str {
        "a number"
    }
}

/// A number that is 0 when left out (oxygen flow: room air).
impl Codec<f64, Option<f64>> for Number {
    fn read(&self, raw: &Option<f64>, at: &Loc, c: &mut Checker) -> Option<f64> {
        Codec::<Option<f64>, Option<f64>>::read(self, raw, at, c).map(|v| v.unwrap_or(0.0))
    }
    fn write(&self, model: &f64) -> Option<f64> {
        Some(*model)
    }
    fn expects(&self) -> &'static str {
        "a number"
    }
}

/// A count, its fraction dropped (a pulse).
impl Codec<Option<u32>, Option<f64>> for Number {
    fn read(&self, raw: &Option<f64>, at: &Loc, c: &mut Checker) -> Option<Option<u32>> {
        Codec::<Option<f64>, Option<f64>>::read(self, raw, at, c).map(|v| v.map(|v| v as u32))
    }
    fn write(&self, model: &Option<u32>) -> Option<f64> {
        model.map(f64::from)
    }
    fn expects(&self) -> &'static str {
        "a number"
    }
}

/// A window of days (a contract's, or a state law's): a whole number that
/// [`dates::window_days`](super::dates::window_days) takes, the check the command line makes too.
pub struct Days;

impl Codec<Option<u32>, Option<f64>> for Days {
    fn read(&self, raw: &Option<f64>, at: &Loc, c: &mut Checker) -> Option<Option<u32>> {
        match raw {
            _ if c.failed(&at.text) => None,
            None => Some(None),
            Some(v) => match super::dates::window_days(*v) {
                Ok(days) => Some(Some(days)),
                Err(e) => {
                    c.problem(&at.text, e.to_string());
                    None
                }
            },
        }
    }
    fn write(&self, model: &Option<u32>) -> Option<f64> {
        model.map(f64::from)
    }
    fn expects(&self) -> &'static str {
        "a number"
    }
}

/// A list of codes, each passing `check` (`what` names the code system).
pub struct Codes(pub fn(&str) -> bool, pub &'static str);

impl Codec<Vec<String>, Vec<String>> for Codes {
    fn read(&self, raw: &Vec<String>, at: &Loc, c: &mut Checker) -> Option<Vec<String>> {
        if c.failed(&at.text) {
            return None;
        }
        let mut out = Vec::new();
        for code in raw {
            let t = code.trim();
            if t.is_empty() {
                continue;
            }
            if (self.0)(t) {
                out.push(t.to_string());
            } else {
                c.problem(&at.text, format!("`{code}` cannot be a {} code", self.1));
            }
        }
        Some(out)
    }
    fn write(&self, model: &Vec<String>) -> Vec<String> {
        model.clone()
    }
    fn expects(&self) -> &'static str {
        "a list of codes in quotes"
    }
}

/// A page selection such as `1-3,5`.
pub struct Pages;

impl Codec<Option<PageSelection>, Option<String>> for Pages {
    fn read(&self, raw: &Option<String>, at: &Loc, c: &mut Checker) -> Option<Option<PageSelection>> {
        let Some(text) = Text.read(raw, at, c)? else { return Some(None) };
        let s = PageSelection::parse(&text);
        if s.is_none() {
            c.problem(&at.text, format!("`{text}` is not a page selection (expected pages and ranges such as 1-3,5)"));
            return None;
        }
        Some(s)
    }
    fn write(&self, model: &Option<PageSelection>) -> Option<String> {
        model.as_ref().map(|p| p.text.clone())
    }
}
