//! TOML syntax errors in the words of the person who wrote the file, each at its line: a quote
//! not closed, a control character inside quotes, a key set twice (named with its table), a
//! missing `=`, a table name not written as one, a backslash read as an escape, a value not in
//! quotes, a date that does not exist.
//!
//! The `toml` crate's error gives two things: its message, which is the parser's fixed
//! description of the mistake followed by ", expected …", and the span it points at. The
//! description says which mistake it is; the span's text (a key, a character, a date) and its
//! line say what it concerns. The rare rest keeps the parser's message.

use crate::error::{Location, Problem};
use crate::model::dates::{read_date, Why};

/// A TOML syntax error in `file` (`what` it is: "a case file") as the problem people read, at
/// its line.
pub(crate) fn toml_problem(file: &str, what: &str, text: &str, e: &toml::de::Error) -> Problem {
    let message = e.message().trim();
    let Some(span) = e.span() else { return Problem::new(file, Location::File, parsers_words(message, what)) };
    let at = Spot::new(text, span);
    let (line, sentence) = explain(&at, message).unwrap_or_else(|| (at.line, parsers_words(message, what)));
    Problem::new(file, Location::Line(line), sentence)
}

/// The parser's sentence, except where it speaks of its own workings.
fn parsers_words(message: &str, what: &str) -> String {
    if message.contains("recurs") {
        // The parser stops nesting before its stack runs out, and says so in its own terms.
        return format!("nests arrays, tables or dotted keys too deeply; {what} needs only a few levels");
    }
    message.to_string()
}

/// Where the parser stopped: the span it points at and the line it is on.
struct Spot<'a> {
    text: &'a str,
    /// The span, within the text and on its characters' boundaries.
    start: usize,
    end: usize,
    /// The span's line (1-based), where that line starts, and its text without its line end.
    line: usize,
    line_start: usize,
    line_text: &'a str,
}

impl<'a> Spot<'a> {
    fn new(text: &'a str, span: std::ops::Range<usize>) -> Spot<'a> {
        let fit = |i: usize| (0..=i.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let (start, end) = (fit(span.start), fit(span.end.max(span.start)));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        Spot { text, start, end, line, line_start, line_text: text[line_start..line_end].trim_end_matches('\r') }
    }
    /// The text the span covers.
    fn covered(&self) -> &'a str {
        &self.text[self.start..self.end]
    }
    /// The line from the span on, without a comment.
    fn rest(&self) -> &'a str {
        let rest = self.line_text.get(self.start - self.line_start..).unwrap_or("");
        rest.split(" #").next().unwrap_or(rest).trim()
    }
    /// The key the line sets: what stands before its `=`.
    fn key(&self) -> &'a str {
        self.line_text.split('=').next().unwrap_or("").trim()
    }
    /// Whether the line is meant as a table's name (`[member`, `case]`, `[[exhibit]`).
    fn on_header(&self) -> bool {
        let t = self.line_text.trim();
        t.starts_with('[') || (!t.contains('=') && t.ends_with(']'))
    }
}

/// The sentence for the parser's `message` at `at`, and the line it belongs to, for the
/// mistakes people make; `None` for the rest.
fn explain(at: &Spot, message: &str) -> Option<(usize, String)> {
    let described = message.split(", expected ").next().unwrap_or(message);
    let sentence = match described {
        "duplicate key" => set_twice(at),
        "unclosed table" | "unclosed array table" | "key with no value" | "unexpected key or value" if at.on_header() => header(at),
        "key with no value" => no_equals(at)?,
        "unexpected key or value" => after_value(at),
        "string values must be quoted" => unquoted(at),
        "missing escaped value" | "too few unicode value digits" => escape(at),
        d if d.starts_with("invalid") && d.ends_with("string") => return Some(string(at, d)),
        "invalid date" | "invalid time" => not_a_date(at)?,
        _ => return None,
    };
    Some((at.line, sentence))
}

/// A key set twice, or a table named twice, with where it was first.
fn set_twice(at: &Spot) -> String {
    let key = at.covered();
    let before = &at.text[..at.line_start];
    if at.on_header() {
        let name = header_name(at.line_text).map_or(key, |(n, _)| n);
        let first = before.lines().position(|l| header_name(l).is_some_and(|(n, _)| n == name));
        return format!("[{name}] is written twice{}: put all its keys under one [{name}]", first_on(first));
    }
    let lines: Vec<&str> = before.lines().collect();
    let (place, from) = match enclosing_table(&lines) {
        Some((line, name)) => (format!(" in {name}"), line + 1),
        None => (String::new(), 0),
    };
    let sets = |l: &&str| {
        let unquoted = l.trim_start().trim_start_matches('"');
        unquoted.strip_prefix(key).is_some_and(|r| r.trim_start_matches('"').trim_start().starts_with('='))
    };
    let first = lines[from..].iter().position(sets).map(|i| from + i);
    format!("`{key}` is set twice{place}{}", first_on(first))
}

/// The table the last of `lines` are in: the line of the last table name among them, and the
/// table as problems name it (`[case]`, or `exhibit 2` for the second entry of [[exhibit]]).
fn enclosing_table(lines: &[&str]) -> Option<(usize, String)> {
    let line = lines.iter().rposition(|l| header_name(l).is_some())?;
    match header_name(lines[line])? {
        (name, true) => {
            let n = lines[..=line].iter().filter(|l| header_name(l) == Some((name, true))).count();
            Some((line, format!("{name} {n}")))
        }
        (name, false) => Some((line, format!("[{name}]"))),
    }
}

/// " (first on line N)" for a 0-based line, when it was found.
fn first_on(line: Option<usize>) -> String {
    line.map(|l| format!(" (first on line {})", l + 1)).unwrap_or_default()
}

/// The name a line gives a table, and whether it is an entry of a list (`[[exhibit]]`), when
/// the line is a table's name.
fn header_name(line: &str) -> Option<(&str, bool)> {
    let t = line.trim();
    if let Some(inner) = t.strip_prefix("[[") {
        return Some((inner.split("]]").next()?.trim(), true));
    }
    let inner = t.strip_prefix('[')?;
    Some((inner.split(']').next()?.trim(), false))
}

/// A table's name not written as one: `[member`, `case]`, `[case]]`, `[[exhibit]`.
fn header(at: &Spot) -> String {
    let written = at.line_text.trim();
    let name = written.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace());
    let brackets = match written.bytes().take_while(|&b| b == b'[').count() {
        0 => written.bytes().rev().take_while(|&b| b == b']').count(),
        n => n,
    };
    let (open, close) = if brackets >= 2 { ("[[", "]]") } else { ("[", "]") };
    format!("`{written}` is not a table name as TOML writes it: write {open}{name}{close}")
}

/// A key with no `=` after it (`title "Test"`).
fn no_equals(at: &Spot) -> Option<String> {
    let key = at.line_text.get(..at.start - at.line_start)?.trim();
    (!key.is_empty()).then(|| format!("`=` is missing after `{key}`: write {key} = and its value"))
}

/// More on the line after a value: most often a quote inside the text that ended it early.
fn after_value(at: &Spot) -> String {
    let rest = at.rest();
    if rest.contains('"') {
        format!("`{rest}` follows the text's closing quote: a quote inside the text is written \\\"")
    } else {
        format!("`{rest}` follows the value: a line holds one key = value (a comment starts with #)")
    }
}

/// A value that should be in straight quotes: left empty, in curly quotes, or bare.
fn unquoted(at: &Spot) -> String {
    let value = at.covered().trim();
    if value.is_empty() {
        return format!("`{}` has no value after =", at.key());
    }
    let curly = ['“', '”', '„', '‘', '’'];
    let quoted = format!("\"{}\"", value.trim_matches(curly));
    // The key with it where it is the line's whole value, not an item of a list.
    let whole = at.line_text.split_once('=').is_some_and(|(_, v)| v.split(" #").next().unwrap_or(v).trim() == value);
    let written = if whole { format!("{} = {quoted}", at.key()) } else { quoted };
    if value.starts_with(curly) {
        format!("{value} is in curly quotes: write straight ones, {written}")
    } else {
        format!("`{value}` must be in quotes: {written}")
    }
}

/// A backslash inside "…", which starts an escape: most often a Windows path.
fn escape(at: &Spot) -> String {
    // The parser stops on the letter after the backslash, or after it when it takes digits.
    let from = at.text[at.line_start..at.start].rfind('\\').map_or(at.start, |i| at.line_start + i);
    let escape: String = at.text[from..].chars().take(2).collect();
    format!(
        "`{escape}`: a backslash inside \"…\" starts an escape: write paths with / (such as docs/note.pdf), and a backslash itself as \\\\"
    )
}

/// A string the parser could not end: a control character inside it, or no closing quote (at
/// the line the text started on).
fn string(at: &Spot, described: &str) -> (usize, String) {
    if let Some(c) = at.covered().chars().next().filter(|c| c.is_control()) {
        let code = c as u32;
        return (at.line, format!("a control character (0x{code:02X}) inside quotes: delete it (most editors do not show it)"));
    }
    let quote = if described.contains("literal") { "'" } else { "\"" };
    if !described.contains("multi-line") {
        return (at.line, format!("the text started with {quote} is not closed: end it with {quote} on the same line"));
    }
    let quotes = quote.repeat(3);
    let opened = at.text[..at.start].rfind(&quotes).map_or(at.line, |i| at.text[..i].matches('\n').count() + 1);
    (opened, format!("the text started with {quotes} is not closed: end it with {quotes}"))
}

/// A TOML date or date-time that does not exist, said as every date of case.toml says it; a
/// date of birth's value is never repeated.
fn not_a_date(at: &Spot) -> Option<String> {
    let written = at.covered();
    let e = match read_date(written.get(..10)?) {
        Err(e) if !matches!(e.why, Why::Form | Why::HasTime(_)) => e,
        _ => return None,
    };
    Some(match at.key() {
        k if k == "dob" || k.ends_with(".dob") => e.unquoted("1950-04-02"),
        _ if written.len() > 10 => format!("`{written}` is not a date or time: {}", e.reason("2025-09-10")),
        _ => e.to_string(),
    })
}
