//! Destination profiles: what a channel (a portal, a fax machine, a court's filing system,
//! paper) accepts, as named presets of the build's limits. `apply` sets them on a build's
//! options; a caller's own flags are set after it, so they win.
//!
//! The built-ins hold the limits people meet most (see `docs/profiles.md` for where each comes
//! from); a person's own profiles are read from a small TOML file whose path the caller gives
//! (the library reads neither the environment nor a configuration folder of its own).

use super::BuildOptions;
use crate::error::{Error, Problem, Result};
use crate::size::{human_bytes, parse_size};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// A PDF version as a file's header declares it (`%PDF-1.7`); serialised as `"1.7"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PdfVersion {
    pub major: u8,
    pub minor: u8,
}

impl PdfVersion {
    /// `1.7` → 1.7; anything else (`1`, `1.x`, `v1.7`) → `None`.
    pub fn parse(text: &str) -> Option<PdfVersion> {
        let (major, minor) = text.trim().split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        (digits(major) && digits(minor)).then(|| PdfVersion { major: major.parse().unwrap_or(0), minor: minor.parse().unwrap_or(0) })
    }

    /// The version a PDF's header (`%PDF-1.7`, in its first 1024 bytes) declares.
    pub fn of_file(bytes: &[u8]) -> Option<PdfVersion> {
        let head = &bytes[..bytes.len().min(1024)];
        let at = head.windows(5).position(|w| w == b"%PDF-")? + 5;
        let rest = &head[at..];
        let end = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b'.')).unwrap_or(rest.len());
        PdfVersion::parse(std::str::from_utf8(&rest[..end]).ok()?)
    }
}

impl fmt::Display for PdfVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl serde::Serialize for PdfVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The version every packet's header declares (`writer.rs` writes `%PDF-1.7`). A profile's
/// `pdf_version` is the newest its destination accepts; one older than this is refused when
/// the profile is read, since no packet could keep to it.
pub const WRITTEN_PDF_VERSION: PdfVersion = PdfVersion { major: 1, minor: 7 };

/// How the pages are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Colour {
    /// As the exhibits are, with the generated pages in colour.
    Colour,
    /// Every page 1-bit black and white: fax mode.
    BlackAndWhite,
}

impl Colour {
    fn parse(text: &str) -> Option<Colour> {
        match text {
            "colour" | "color" => Some(Colour::Colour),
            "black-and-white" => Some(Colour::BlackAndWhite),
            _ => None,
        }
    }
}

/// One destination's limits.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    /// How it is chosen (`--profile portal-10mb`): letters, digits, `-`, `_` and `.`.
    pub name: String,
    /// What it is for, in a line.
    pub description: String,
    /// The most bytes one file may have; images are shrunk, then the packet is split.
    pub max_bytes: Option<u64>,
    /// The most pages one file may have; a longer packet is split into volumes.
    pub max_pages: Option<usize>,
    /// The most files (volumes) the destination takes, and the most bytes in all of them.
    pub max_files: Option<usize>,
    pub max_total_bytes: Option<u64>,
    /// Fax mode: every page 1-bit black and white, and a fax cover sheet.
    pub fax: bool,
    /// File names of ASCII letters, digits, `-`, `_` and `.` only.
    pub safe_names: bool,
    /// The newest PDF version the destination accepts (`None`: any).
    pub pdf_version: Option<PdfVersion>,
    pub colour: Colour,
}

impl Profile {
    /// Sets the build's limits to this profile's (all of them: a limit the profile does not
    /// have is lifted). Flags a person gives are set after this, so they override it.
    pub fn apply(&self, opts: &mut BuildOptions) {
        opts.max_bytes = self.max_bytes;
        opts.max_pages = self.max_pages;
        opts.max_files = self.max_files;
        opts.max_total_bytes = self.max_total_bytes;
        opts.fax = self.fax || self.colour == Colour::BlackAndWhite;
        opts.safe_names = self.safe_names;
    }

    /// What it enforces, one short phrase each, as `redress profiles` and the app list them.
    pub fn enforces(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(b) = self.max_bytes {
            out.push(format!("at most {} a file", human_bytes(b)));
        }
        if let Some(p) = self.max_pages {
            out.push(format!("at most {p} pages a file"));
        }
        if let Some(n) = self.max_files {
            out.push(format!("at most {n} file{}", if n == 1 { "" } else { "s" }));
        }
        if let Some(b) = self.max_total_bytes {
            out.push(format!("at most {} in all", human_bytes(b)));
        }
        if self.max_bytes.is_none() && self.max_pages.is_none() && self.max_files.is_none() && self.max_total_bytes.is_none() {
            out.push("no size or page limit".into());
        }
        out.push(match self.colour {
            Colour::Colour => "colour".into(),
            Colour::BlackAndWhite => "black and white (fax mode: 1-bit pages, a fax cover sheet)".into(),
        });
        if self.safe_names {
            out.push("safe file names (A-Z a-z 0-9 . _ -)".into());
        }
        if let Some(v) = self.pdf_version {
            out.push(format!("PDF {v} or older"));
        }
        out
    }
}

/// The profiles every Redress has. The limits are the ones the channels are known for; a
/// destination's own instructions come first (its numbers go in a profile of your own).
pub fn builtins() -> Vec<Profile> {
    const MB: u64 = 1_000_000;
    let portal = |name: &str, description: &str, max: u64| Profile {
        name: name.into(),
        description: description.into(),
        max_bytes: Some(max * MB),
        max_pages: None,
        max_files: None,
        max_total_bytes: None,
        fax: false,
        safe_names: true,
        pdf_version: Some(WRITTEN_PDF_VERSION),
        colour: Colour::Colour,
    };
    vec![
        portal("portal-10mb", "An upload portal taking 10 MB a file (some state insurance departments' complaint portals)", 10),
        Profile {
            max_files: Some(10),
            max_total_bytes: Some(150 * MB),
            ..portal("portal-60mb", "A payer's or Medicare contractor's portal: 60 MB a file, 10 files, 150 MB in all", 60)
        },
        Profile {
            name: "fax".into(),
            description: "A fax machine: black and white at 200 dpi, at most 200 pages a file, with a cover sheet".into(),
            max_bytes: None,
            max_pages: Some(200),
            max_files: None,
            max_total_bytes: None,
            fax: true,
            safe_names: false,
            pdf_version: None,
            colour: Colour::BlackAndWhite,
        },
        Profile {
            name: "print".into(),
            description: "Paper: one file in colour, no limits".into(),
            max_bytes: None,
            max_pages: None,
            max_files: None,
            max_total_bytes: None,
            fax: false,
            safe_names: false,
            pdf_version: None,
            colour: Colour::Colour,
        },
        portal("court-25mb", "A court's electronic filing system taking 25 MB a file", 25),
    ]
}

/// The built-in profile of this name.
pub fn builtin(name: &str) -> Option<Profile> {
    builtins().into_iter().find(|p| p.name == name)
}

/// Where a person's own profiles are kept: `profiles.toml` in the folder given (the app and
/// the command line give the folder of the database they share).
pub fn user_file(dir: &Path) -> PathBuf {
    dir.join(USER_FILE)
}

/// The name of a person's own profiles file.
pub const USER_FILE: &str = "profiles.toml";

/// The built-ins, then the profiles of `user` (a file that does not exist holds none).
pub fn all(user: Option<&Path>) -> Result<Vec<Profile>> {
    let mut out = builtins();
    if let Some(path) = user.filter(|p| p.exists()) {
        out.extend(read_file(path)?);
    }
    Ok(out)
}

/// The profile `--profile` names: a TOML file (a path that ends in `.toml` or is a file)
/// holding exactly one profile, else a built-in or one of `user`'s profiles by name.
pub fn find(arg: &str, user: Option<&Path>) -> Result<Profile> {
    let path = Path::new(arg);
    if arg.ends_with(".toml") || path.is_file() {
        let mut found = read_file(path)?;
        if found.len() != 1 {
            let names: Vec<String> = found.iter().map(|p| p.name.clone()).collect();
            return Err(Error::Invalid(vec![Problem::new(
                path.display().to_string(),
                "",
                format!(
                    "holds {} profiles ({}): a file given as the profile must hold one; keep several in your own profiles file and choose one by name",
                    found.len(),
                    names.join(", ")
                ),
            )]));
        }
        return Ok(found.remove(0));
    }
    find_named(arg, user)
}

/// The built-in or `user`'s profile called `name` (never a path: what the app asks for).
pub fn find_named(name: &str, user: Option<&Path>) -> Result<Profile> {
    let profiles = all(user)?;
    let known: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    profiles.into_iter().find(|p| p.name == name).ok_or_else(|| Error::UnknownProfile { name: name.to_string(), known })
}

/// Reads a profiles file; every problem is reported, each with the file and its key.
pub fn read_file(path: &Path) -> Result<Vec<Profile>> {
    let file = path.display().to_string();
    if let Some(problem) = crate::casefile::too_large(path, &file, "a profiles file") {
        return Err(Error::Invalid(vec![problem]));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::casefile::decode_text(&file, bytes).map_err(|p| Error::Invalid(vec![p]))?;
    parse(&text, &file)
}

/// The keys a profile may have.
pub const KEYS: &[&str] =
    &["description", "max_bytes", "max_pages", "max_files", "max_total_bytes", "fax", "safe_names", "pdf_version", "colour"];

/// Parses the text of a profiles file called `file` (for the messages): `[profile.NAME]`
/// tables of [`KEYS`].
pub fn parse(text: &str, file: &str) -> Result<Vec<Profile>> {
    let root: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return Err(Error::Invalid(vec![crate::casefile::toml_problem(file, "a profiles file", text, &e)])),
    };
    let mut r = Reader { file, problems: Vec::new() };
    for key in root.keys().filter(|k| *k != "profile") {
        r.problem(key, "unknown table (a profiles file holds [profile.NAME] tables)");
    }
    let mut out = Vec::new();
    match root.get("profile") {
        None => r.problem("", "holds no profile: write each as a [profile.NAME] table (see docs/profiles.md)"),
        Some(Value::Table(t)) => {
            for (name, v) in t {
                if let Some(p) = r.profile(name, v) {
                    out.push(p);
                }
            }
        }
        Some(other) => r.problem("profile", format!("must be a table of profiles ([profile.NAME]), not {}", kind(other))),
    }
    if r.problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(r.problems))
    }
}

/// Collects a file's problems.
struct Reader<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, key: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(self.file, key, message));
    }

    fn profile(&mut self, name: &str, v: &Value) -> Option<Profile> {
        let at = format!("profile.{name}");
        let before = self.problems.len();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
            self.problem(&at, "a profile's name may hold only letters, digits, '-', '_' and '.'");
        } else if builtin(name).is_some() {
            self.problem(&at, "is the name of a built-in profile; give yours another name");
        }
        let Value::Table(t) = v else {
            self.problem(&at, format!("must be a table of the profile's keys, not {}", kind(v)));
            return None;
        };
        for key in t.keys().filter(|k| !KEYS.contains(&k.as_str())) {
            self.problem(&format!("{at}.{key}"), format!("unknown key (expected one of: {})", KEYS.join(", ")));
        }
        let mut k = Keys { r: self, t, at: &at };
        let description = k.text("description").unwrap_or_default();
        let max_bytes = k.size("max_bytes");
        let max_pages = k.count("max_pages");
        let max_files = k.count("max_files");
        let max_total_bytes = k.size("max_total_bytes");
        let fax = k.flag("fax");
        let safe_names = k.flag("safe_names").unwrap_or(false);
        let pdf_version = k.version("pdf_version");
        let colour = k.colour("colour");
        let colour = match (fax, colour) {
            (Some(true), Some(Colour::Colour)) => {
                self.problem(&format!("{at}.colour"), "is \"colour\", but fax = true sends black and white; leave one out");
                Colour::Colour
            }
            (Some(false), Some(Colour::BlackAndWhite)) => {
                self.problem(&format!("{at}.colour"), "is \"black-and-white\", which is fax mode, but fax = false; leave one out");
                Colour::Colour
            }
            (Some(true), _) => Colour::BlackAndWhite,
            (_, c) => c.unwrap_or(Colour::Colour),
        };
        if let (Some(one), Some(all)) = (max_bytes, max_total_bytes) {
            if all < one {
                self.problem(
                    &format!("{at}.max_total_bytes"),
                    format!("is {}, less than max_bytes ({}) allows one file", human_bytes(all), human_bytes(one)),
                );
            }
        }
        (self.problems.len() == before).then(|| Profile {
            name: name.to_string(),
            description,
            max_bytes,
            max_pages,
            max_files,
            max_total_bytes,
            fax: colour == Colour::BlackAndWhite,
            safe_names,
            pdf_version,
            colour,
        })
    }
}

/// One profile's keys, each read with its checks.
struct Keys<'r, 'a> {
    r: &'r mut Reader<'a>,
    t: &'r Table,
    at: &'r str,
}

impl Keys<'_, '_> {
    fn fail<T>(&mut self, key: &str, message: impl Into<String>) -> Option<T> {
        self.r.problem(&format!("{}.{key}", self.at), message);
        None
    }

    fn text(&mut self, key: &str) -> Option<String> {
        match self.t.get(key)? {
            Value::String(s) => Some(s.clone()),
            v => self.fail(key, format!("must be text, not {}", kind(v))),
        }
    }

    fn flag(&mut self, key: &str) -> Option<bool> {
        match self.t.get(key)? {
            Value::Boolean(b) => Some(*b),
            v => self.fail(key, format!("must be true or false, not {}", kind(v))),
        }
    }

    /// A size as text (`"10MB"`, `"20MiB"`) or a whole number of bytes.
    fn size(&mut self, key: &str) -> Option<u64> {
        match self.t.get(key)? {
            Value::Integer(n) if *n >= 1 => Some(*n as u64),
            Value::Integer(n) => self.fail(key, format!("must be a size of at least 1 byte, not {n}")),
            Value::String(s) => match parse_size(s) {
                Some(n) => Some(n),
                None => self.fail(key, format!("\"{s}\" is not a size (write for example \"10MB\", \"500KB\" or \"20MiB\")")),
            },
            v => self.fail(key, format!("must be a size such as \"10MB\" or a whole number of bytes, not {}", kind(v))),
        }
    }

    /// A whole number of 1 or more.
    fn count(&mut self, key: &str) -> Option<usize> {
        match self.t.get(key)? {
            Value::Integer(n) if *n >= 1 => Some(usize::try_from(*n).unwrap_or(usize::MAX)),
            Value::Integer(n) => self.fail(key, format!("must be 1 or more, not {n}")),
            v => self.fail(key, format!("must be a whole number, not {}", kind(v))),
        }
    }

    fn version(&mut self, key: &str) -> Option<PdfVersion> {
        let text = match self.t.get(key)? {
            Value::String(s) => s.clone(),
            Value::Float(f) => format!("{f}"),
            v => return self.fail(key, format!("must be a PDF version such as \"1.7\", not {}", kind(v))),
        };
        match PdfVersion::parse(&text) {
            None => self.fail(key, format!("\"{text}\" is not a PDF version (write for example \"1.7\")")),
            Some(v) if v < WRITTEN_PDF_VERSION => {
                self.fail(key, format!("is {v}, but Redress writes PDF {WRITTEN_PDF_VERSION} files: it cannot keep to an older version"))
            }
            Some(v) => Some(v),
        }
    }

    fn colour(&mut self, key: &str) -> Option<Colour> {
        match self.t.get(key)? {
            Value::String(s) => match Colour::parse(s) {
                Some(c) => Some(c),
                None => self.fail(key, format!("must be \"colour\" or \"black-and-white\", not \"{s}\"")),
            },
            v => self.fail(key, format!("must be \"colour\" or \"black-and-white\", not {}", kind(v))),
        }
    }
}

/// What a TOML value is, in words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn opts() -> BuildOptions {
        let now = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
        BuildOptions::new(now, now.and_utc(), chrono_tz::UTC)
    }

    fn messages(text: &str) -> Vec<String> {
        match parse(text, "my.toml") {
            Err(Error::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn each_builtin_sets_the_limits_it_lists() {
        /// Name, then the options it sets: bytes, pages, files, total bytes, fax, safe names.
        type Limits = (&'static str, Option<u64>, Option<usize>, Option<usize>, Option<u64>, bool, bool);
        let cases: &[Limits] = &[
            ("portal-10mb", Some(10_000_000), None, None, None, false, true),
            ("portal-60mb", Some(60_000_000), None, Some(10), Some(150_000_000), false, true),
            ("fax", None, Some(200), None, None, true, false),
            ("print", None, None, None, None, false, false),
            ("court-25mb", Some(25_000_000), None, None, None, false, true),
        ];
        assert_eq!(builtins().len(), cases.len());
        for &(name, bytes, pages, files, total, fax, safe) in cases {
            // Start from options another profile set, so `apply` is seen to lift limits too.
            let mut o = opts();
            builtin("portal-60mb").unwrap().apply(&mut o);
            builtin("fax").unwrap().apply(&mut o);
            builtin(name).unwrap().apply(&mut o);
            assert_eq!(
                (o.max_bytes, o.max_pages, o.max_files, o.max_total_bytes, o.fax, o.safe_names),
                (bytes, pages, files, total, fax, safe),
                "{name}"
            );
        }
    }

    #[test]
    fn each_builtin_lists_what_it_enforces() {
        let list = |n: &str| builtin(n).unwrap().enforces().join("; ");
        assert_eq!(list("portal-60mb"), "at most 60.0 MB a file; at most 10 files; at most 150.0 MB in all; colour; safe file names (A-Z a-z 0-9 . _ -); PDF 1.7 or older");
        assert_eq!(list("fax"), "at most 200 pages a file; black and white (fax mode: 1-bit pages, a fax cover sheet)");
        assert_eq!(list("print"), "no size or page limit; colour");
    }

    #[test]
    fn a_good_file_gives_its_profiles() {
        let text = r#"
[profile.state-portal]
description = "The state's complaint portal"
max_bytes = "8MB"
max_pages = 300
max_files = 5
max_total_bytes = 40000000
safe_names = true
pdf_version = 1.7

[profile.clinic-fax]
fax = true
max_pages = 50
"#;
        let p = parse(text, "my.toml").unwrap();
        assert_eq!(p.len(), 2);
        // Listed by name, as TOML's tables are read.
        let (b, a) = (&p[0], &p[1]);
        assert_eq!(
            (a.name.as_str(), a.max_bytes, a.max_pages, a.max_files, a.max_total_bytes),
            ("state-portal", Some(8_000_000), Some(300), Some(5), Some(40_000_000))
        );
        assert!(a.safe_names && !a.fax && a.colour == Colour::Colour);
        assert_eq!(a.pdf_version, Some(WRITTEN_PDF_VERSION));
        assert_eq!((b.name.as_str(), b.fax, b.colour, b.max_pages), ("clinic-fax", true, Colour::BlackAndWhite, Some(50)));
        // A colour of black and white alone is fax mode too.
        let c = parse("[profile.bw]\ncolour = \"black-and-white\"\n", "my.toml").unwrap();
        assert!(c[0].fax);
    }

    #[test]
    fn a_bad_file_names_the_file_the_key_and_what_is_wrong() {
        let text = r#"
[profile.portal]
max_byte = "10MB"
max_bytes = "ten megabytes"
max_pages = -3
max_files = "5"
max_total_bytes = -1
fax = "yes"
pdf_version = "1.4"
colour = "grey"
"#;
        assert_eq!(
            messages(text),
            [
                "my.toml: profile.portal.max_byte: unknown key (expected one of: description, max_bytes, max_pages, max_files, max_total_bytes, fax, safe_names, pdf_version, colour)",
                "my.toml: profile.portal.max_bytes: \"ten megabytes\" is not a size (write for example \"10MB\", \"500KB\" or \"20MiB\")",
                "my.toml: profile.portal.max_pages: must be 1 or more, not -3",
                "my.toml: profile.portal.max_files: must be a whole number, not text",
                "my.toml: profile.portal.max_total_bytes: must be a size of at least 1 byte, not -1",
                "my.toml: profile.portal.fax: must be true or false, not text",
                "my.toml: profile.portal.pdf_version: is 1.4, but Redress writes PDF 1.7 files: it cannot keep to an older version",
                "my.toml: profile.portal.colour: must be \"colour\" or \"black-and-white\", not \"grey\"",
            ]
        );
        assert_eq!(
            messages("[profile.fax]\n[profile.\"my portal\"]\n[profile.x]\nfax = true\ncolour = \"colour\"\n[profile.y]\nmax_bytes = \"20MB\"\nmax_total_bytes = \"10MB\"\n[other]\n"),
            [
                "my.toml: other: unknown table (a profiles file holds [profile.NAME] tables)",
                "my.toml: profile.fax: is the name of a built-in profile; give yours another name",
                "my.toml: profile.my portal: a profile's name may hold only letters, digits, '-', '_' and '.'",
                "my.toml: profile.x.colour: is \"colour\", but fax = true sends black and white; leave one out",
                "my.toml: profile.y.max_total_bytes: is 10.0 MB, less than max_bytes (20.0 MB) allows one file",
            ]
        );
        assert_eq!(messages("profile = 3\n"), ["my.toml: profile: must be a table of profiles ([profile.NAME]), not a whole number"]);
        assert_eq!(messages("# nothing yet\n"), ["my.toml: holds no profile: write each as a [profile.NAME] table (see docs/profiles.md)"]);
        assert_eq!(
            messages("[profile.a]\nmax_pages = 3\nmax_pages = 4\n"),
            ["my.toml: line 3: `max_pages` is set twice in [profile.a] (first on line 2)"]
        );
    }

    #[test]
    fn pdf_versions_read_from_text_and_headers() {
        assert_eq!(PdfVersion::parse("1.7"), Some(WRITTEN_PDF_VERSION));
        assert_eq!(PdfVersion::parse("2.0").map(|v| v > WRITTEN_PDF_VERSION), Some(true));
        for bad in ["", "1", "1.", "v1.7", "1.7.1", "one.seven"] {
            assert_eq!(PdfVersion::parse(bad), None, "{bad}");
        }
        assert_eq!(PdfVersion::of_file(b"%PDF-1.4\n%\xE2\xE3\n1 0 obj"), Some(PdfVersion { major: 1, minor: 4 }));
        assert_eq!(PdfVersion::of_file(b"GIF89a"), None);
    }
}
