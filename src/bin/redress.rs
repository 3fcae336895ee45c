//! The `redress` command line: the same engine as the app, for batch work, scripts and tests.
//! Exit status: 0 done, 1 the input is wrong or the work failed, 2 the command line is wrong.

use anyhow::{anyhow, Context};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use clap::{Parser, Subcommand};
use redress::model::{Moment, Program, Service, Urgency};
use redress::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// A build reads every exhibit into a buffer of its own: mimalloc keeps the pages freed for the
/// next, where the system allocator takes fresh ones (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "redress", version, about = "Assemble a health-plan appeal packet and keep the clock on its deadlines")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// A new case folder from what a file holds: `--case DIR`, with `--set` and `--clear` to give or
/// take away values.
#[derive(clap::Args, Debug, Default)]
struct NewCaseArgs {
    /// Make a new case folder DIR (which must not exist) from the values read.
    #[arg(long, value_name = "DIR")]
    case: Option<PathBuf>,
    /// A value to use instead of what was read, or that the file does not give, as case.toml's
    /// KEY=VALUE (case.notice_date=2026-03-02); repeat for each (a list key takes each as one
    /// entry, in place of what was read).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_set, requires = "case")]
    set: Vec<(String, String)>,
    /// Leave out what was read for KEY (case.authorization_number); repeat for each.
    #[arg(long, value_name = "KEY", requires = "case")]
    clear: Vec<String>,
}

/// The letters `redress letter` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LetterKind {
    /// The member's request for a free copy of the claim file and the criteria used.
    ClaimFile,
}

#[derive(Subcommand)]
enum Command {
    /// Build the packet for a case folder, or for a case in the database by its id.
    Build {
        /// A case folder, or the id of a case in the database (see `redress cases`).
        #[arg(value_name = "CASE_DIR|CASE_ID")]
        case_dir: PathBuf,
        /// Where to write the packet (default: CASE_DIR/packet.pdf, or ./CASE_ID-packet.pdf).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print what was made as one JSON object.
        #[arg(long)]
        json: bool,
        /// The database to find a case id in (default: the app's own, or $REDRESS_DB).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Where the packet goes: a destination profile's name (see `redress profiles`) or a
        /// TOML file holding one profile. Its limits apply unless a flag below says otherwise.
        #[arg(long, value_name = "NAME|FILE")]
        profile: Option<String>,
        /// A size budget such as 10MB: photos and scanned pages are downsampled (never below 150 dpi)
        /// until the packet fits; past that it is split into volumes under it.
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        max_bytes: Option<u64>,
        /// The most pages one file may hold; a longer packet is split into volumes.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        max_pages: Option<u32>,
        /// Fax mode: every page pure black and white (scans and photos 1-bit at 200 dpi, Group 4),
        /// with a fax cover sheet in front.
        #[arg(long)]
        fax: bool,
        /// The fax number (and name) the fax cover sheet is addressed to, in place of the
        /// plan's appeal fax from the case: "Appeals unit, 555-0199".
        #[arg(long, value_name = "NUMBER")]
        fax_to: Option<String>,
        /// Add a "Coverage criteria" page after the letter and charts: each item of the
        /// checklist of the case's `service`, met, a gap or contradicted.
        #[arg(long)]
        checklist: bool,
        /// Make scanned pages searchable: Tesseract reads each scanned page of the exhibits
        /// and its words are laid over the page as invisible text. Readings are kept (in the
        /// case folder's .redress/ocr/) so a rebuild does not read a page again.
        #[arg(long)]
        ocr: bool,
    },
    /// Validate a case folder without building: every problem, not only the first.
    Check {
        /// A case folder, or the id of a case in the database.
        #[arg(value_name = "CASE_DIR|CASE_ID")]
        case_dir: PathBuf,
        #[arg(long)]
        json: bool,
        /// The database to find a case id in.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Pin "today" (YYYY-MM-DD), which dates must not be after, instead of the build's
        /// clock (SOURCE_DATE_EPOCH, else the system clock).
        #[arg(long, value_name = "DATE")]
        today: Option<NaiveDate>,
    },
    /// List the open deadlines and missed promises of case folders (none given: of every case
    /// in the database), soonest first.
    Deadlines {
        case_dirs: Vec<PathBuf>,
        /// The database whose cases to list when no folder is given.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Pin "today" (YYYY-MM-DD) instead of the system clock.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        today: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
        /// Also write the deadlines as an iCalendar file with reminders.
        #[arg(long)]
        ics: Option<PathBuf>,
    },
    /// Compute the deadlines of one notice, without a case: the filing window, and the plan's
    /// clocks when the filing or the prior-authorization request is given.
    Deadline {
        /// The program the plan falls under (see `redress rules`).
        #[arg(long, value_name = "ID", value_parser = program_arg)]
        program: Program,
        /// The date printed on the notice (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        notice_date: NaiveDate,
        /// The day the notice actually arrived; replaces the presumed receipt both ways.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        received_date: Option<NaiveDate>,
        /// standard or expedited: selects the expedited decision clock where the program has one.
        #[arg(long, default_value = "standard", value_name = "URGENCY", value_parser = urgency_arg)]
        urgency: Urgency,
        /// What was requested: service, payment, part-b-drug or drug (selects the plan's clock);
        /// home-oxygen, home-health, wound-care, dme and home-infusion count as service.
        #[arg(long, value_name = "KIND", value_parser = service_arg)]
        service: Option<Service>,
        /// Days allowed by the contract (program `contract`), or by the state's law for a complaint
        /// (program `state-doi`, where you know them): a whole number from 1 to 3650.
        #[arg(long, value_name = "N", value_parser = days_arg, allow_negative_numbers = true)]
        contract_days: Option<u32>,
        /// The filing deadline printed on the notice; the earlier date is used.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        notice_deadline: Option<NaiveDate>,
        /// The level being filed, by rule id or name (default: the program's first).
        #[arg(long, value_name = "LEVEL")]
        level: Option<String>,
        /// When the appeal was filed (2026-03-06, 2026-03-06T15:00 or with a UTC offset):
        /// counts the plan's decision clock.
        #[arg(long, value_name = "WHEN", value_parser = moment_arg)]
        filed: Option<Moment>,
        /// When prior authorization was requested: counts the plan's initial decision clock.
        #[arg(long, value_name = "WHEN", value_parser = moment_arg)]
        pa_requested: Option<Moment>,
        /// Pin "today" (YYYY-MM-DD) instead of the system clock.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        today: Option<NaiveDate>,
        /// Print the deadlines as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a letter of its own from a case. `claim-file`: the member's request for a free
    /// copy of the claim file and of the criteria used, citing the right where the program's
    /// rules state one.
    Letter {
        #[arg(value_enum)]
        kind: LetterKind,
        /// A case folder, or the id of a case in the database.
        #[arg(value_name = "CASE_DIR|CASE_ID")]
        case_dir: PathBuf,
        /// Where to write: a PDF, or the Markdown when the name ends in .md (default:
        /// CASE_DIR/claim-file-request.pdf, or ./CASE_ID-claim-file-request.pdf).
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The database to find a case id in.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// List the destination profiles `build --profile` takes, with what each enforces: the
    /// built-ins, then your own (profiles.toml beside the database; see docs/profiles.md).
    Profiles {
        #[arg(long)]
        json: bool,
        /// The database whose folder holds your profiles.toml (default: the app's own, or
        /// $REDRESS_DB).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// List the deadline rules with their citations.
    Rules {
        #[arg(long)]
        json: bool,
    },
    /// Read a claim file (FHIR ExplanationOfBenefit or ClaimResponse JSON, or an X12 835
    /// remittance) and print what it holds for a case, each value with where it came from; with
    /// --case, make a new case folder from it.
    ImportClaim {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Which claim of the file makes the case (from 1; default: the first denied or
        /// adjusted one).
        #[arg(long, value_name = "N", requires = "case")]
        claim: Option<usize>,
        #[command(flatten)]
        new_case: NewCaseArgs,
    },
    /// Read a denial notice (a PDF with its own text, or a scanned PDF, photo, scan or fax read
    /// by OCR) and print what it gives for a case, each value with its page, confidence and the
    /// line it came from; with --case, write a new case folder from it, the notice copied into
    /// docs/ as the case's denial letter.
    ReadNotice {
        file: PathBuf,
        /// Print the reading as one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        new_case: NewCaseArgs,
    },
    /// Copy a case folder into the database; prints the new case's id.
    Import {
        case_dir: PathBuf,
        /// The database (default: the app's own, or $REDRESS_DB).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Write a case from the database out as a case folder (DIR must be new or empty).
    Export {
        case_id: String,
        dir: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// List the cases in the database.
    Cases {
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write an unlocked (decrypted, unencrypted) copy of a password-protected PDF. The password
    /// comes from $REDRESS_PDF_PASSWORD, else it is asked for (or read from stdin when piped).
    Unlock {
        /// The password-protected PDF.
        input: PathBuf,
        /// Where to write the unlocked copy (a new name: the original is kept).
        output: PathBuf,
    },
    /// Write a realistic sample case folder (documents included) and build its packet.
    Demo {
        /// Where to write it (default: ./redress-demo).
        dir: Option<PathBuf>,
    },
    /// Encrypt the database and everything beside it (documents, packets, OCR readings) under a
    /// passphrase: from $REDRESS_PASSPHRASE, else asked twice. Every command then needs it.
    /// Run again to finish an encryption that was stopped.
    Encrypt {
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Decrypt an encrypted store back to plain files (its passphrase from $REDRESS_PASSPHRASE,
    /// else asked). Run again to finish a decryption that was stopped.
    Decrypt {
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Back up the whole database and every document its cases use into one file (replaced
    /// whole when it exists).
    Backup {
        file: PathBuf,
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// Replace the database with a backup, every file checked first; a database with changes
    /// newer than the backup is refused unless --force.
    Restore {
        file: PathBuf,
        /// Replace the database even when it has changes the backup does not.
        #[arg(long)]
        force: bool,
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
}

/// `println!` that returns the error instead of panicking, so a closed stdout (`| head`) ends
/// the command cleanly.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)?;
    }};
}

/// Whether the failure is only that the reader of stdout went away.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            match refused_value(&e) {
                Some(said) => eprintln!("error: {said}"),
                None => {
                    let _ = e.print();
                }
            }
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<ReportedError>().is_none() {
                eprintln!("error: {}", causes(&e));
            }
            ExitCode::from(if e.is::<Usage>() { 2 } else { 1 })
        }
    }
}

/// A command-line value refused by one of the parsers below, in the sentence the library says
/// for the same mistake in case.toml.
#[derive(Debug)]
struct BadValue(String);

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadValue {}

/// `--notice-date: `3/2/26` is not a date: …`: the flag, then why its value was refused (clap's
/// own wording, which repeats the value before the reason, is left for values clap refuses).
fn refused_value(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let why = std::error::Error::source(e)?.downcast_ref::<BadValue>()?;
    match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(format!("{}: {why}", arg.split(' ').next().unwrap_or(arg))),
        _ => Some(why.to_string()),
    }
}

fn date_arg(text: &str) -> Result<NaiveDate, BadValue> {
    redress::model::dates::read_date(text).map_err(|e| BadValue(e.to_string()))
}

fn moment_arg(text: &str) -> Result<Moment, BadValue> {
    redress::model::dates::read_moment(text).map_err(|e| BadValue(e.to_string()))
}

fn days_arg(text: &str) -> Result<u32, BadValue> {
    redress::model::dates::read_window_days(text).map_err(|e| BadValue(e.to_string()))
}

fn program_arg(text: &str) -> Result<Program, BadValue> {
    Program::parse(text).ok_or_else(|| BadValue(format!("unknown program `{text}` (expected one of: {})", Program::choices())))
}

fn urgency_arg(text: &str) -> Result<Urgency, BadValue> {
    Urgency::parse(text).ok_or_else(|| BadValue(format!("unknown urgency `{text}` (expected {})", Urgency::choices())))
}

fn service_arg(text: &str) -> Result<Service, BadValue> {
    Service::parse(text).ok_or_else(|| BadValue(format!("unknown service `{text}` (expected one of: {})", Service::choices())))
}

/// A command line whose values each read but that cannot be answered as asked (a level the
/// program lacks, a received date before the notice date): exit 2, as for a value refused alone.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The error and its causes, each said once. A library error is whole in its own words (a
/// full disk said plainly), so the system's or SQLite's wording beneath it is left out.
fn causes(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let said = cause.to_string();
        if !text.contains(&said) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&said);
        }
        if cause.is::<redress::Error>() {
            break;
        }
    }
    text
}

#[derive(Debug)]
struct ReportedError;
impl std::fmt::Display for ReportedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported")
    }
}
impl std::error::Error for ReportedError {}

/// Prints every problem of a library error on its own line.
fn report(e: redress::Error) -> anyhow::Error {
    match &e {
        redress::Error::Invalid(problems) => {
            eprintln!("error: the case cannot be built ({} problem{}):", problems.len(), if problems.len() == 1 { "" } else { "s" });
            for p in problems {
                eprintln!("  {p}");
            }
            anyhow!(ReportedError)
        }
        _ => anyhow!(e),
    }
}

/// `import-claim`: what a claim file holds, as text (one line per value) or JSON; with `--case`,
/// a new case folder from it.
fn import_claim(file: &std::path::Path, json: bool, claim: Option<usize>, new_case: &NewCaseArgs) -> anyhow::Result<()> {
    let found = redress::claims::read_file(file).map_err(report)?;
    if new_case.case.is_some() {
        return claim_case(file, &found, claim, new_case, json);
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&found)?);
    } else {
        use std::io::Write as _;
        write!(std::io::stdout().lock(), "{}", redress::claims::to_text(&found))?;
    }
    Ok(())
}

/// `import-claim --case`: the case folder from one claim of the file.
fn claim_case(
    file: &std::path::Path,
    found: &redress::claims::Imported,
    claim: Option<usize>,
    args: &NewCaseArgs,
    json: bool,
) -> anyhow::Result<()> {
    use redress::claims::prefill;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if found.claims.is_empty() {
        return Err(anyhow!("{}: the file holds no claim to make a case from", file.display()));
    }
    let index = match claim {
        Some(n) if n >= 1 && n <= found.claims.len() => n - 1,
        Some(n) => return Err(anyhow!("{}: --claim {n}: the file holds {} claim(s)", file.display(), found.claims.len())),
        None => prefill::default_claim(found),
    };
    let reading = prefill::reading_of(&file_name, found, index);
    let Some(dir) = args.case.as_deref() else { return Ok(()) };
    write_new_case("the claim file", dir, &reading.values, &args.set, &args.clear, None)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&serde_json::json!({"case": dir, "claim": index + 1, "reading": reading}))?);
    } else {
        say!("made {} from claim {} of {}", dir.display(), index + 1, file.display());
        for v in &reading.values {
            say!("  {}: {} ({})", v.target, v.value, v.source.text);
        }
        for n in &reading.notes {
            say!("  note: {n}");
        }
    }
    Ok(())
}

/// `--case DIR` of `read-notice` and `import-claim`: a new case folder from the values read,
/// corrected by `--set` and `--clear`, and for a notice the notice as its denial letter. A key
/// `--set` cannot fill, and every required key still missing, is named; nothing is written then.
fn write_new_case(
    from: &str,
    dir: &std::path::Path,
    read: &[redress::cases::Prefill],
    set: &[(String, String)],
    clear: &[String],
    notice: Option<&std::path::Path>,
) -> anyhow::Result<PathBuf> {
    let accepted = redress::cases::accept_with(read, set, clear);
    let mut doc = redress::casefile::CaseDoc::default();
    doc.case.urgency = Urgency::Standard.as_str().into();
    if let Err(problems) = redress::cases::apply(&mut doc.clone(), &accepted) {
        return Err(report(redress::Error::Invalid(problems)));
    }
    let missing = redress::cases::missing_keys(&doc, &accepted);
    if !missing.is_empty() {
        eprintln!("error: {from} does not give every key a case needs; give each of these with --set KEY=VALUE:");
        for (key, what) in missing {
            eprintln!("  {key}: {what}");
        }
        return Err(anyhow!(ReportedError));
    }
    redress::cases::write_case_from_reading(dir, &doc, &accepted, notice).map_err(report)
}

/// `read-notice`: what a notice gives for a case, as text or JSON; with `--case`, a new case
/// folder from the values read, corrected by `--set` and `--clear`.
fn read_notice(file: &std::path::Path, json: bool, new_case: &NewCaseArgs) -> anyhow::Result<()> {
    let reading = redress::notice::read_file(file, &redress::ocr::Tesseract::default())?;
    if json {
        say!("{}", serde_json::to_string_pretty(&reading)?);
    } else {
        use std::io::Write as _;
        write!(std::io::stdout().lock(), "{}", redress::notice::to_text(&reading))?;
    }
    let Some(dir) = &new_case.case else { return Ok(()) };
    let out = write_new_case("the notice", dir, &reading.values, &new_case.set, &new_case.clear, Some(file))?;
    if !json {
        say!("Case folder written: {}", out.display());
    }
    Ok(())
}

fn parse_set(text: &str) -> Result<(String, String), BadValue> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.trim().to_string())),
        _ => Err(BadValue(format!("`{text}` is not KEY=VALUE (for example member.dob=1950-04-02)"))),
    }
}

/// `SOURCE_DATE_EPOCH`, when set, fixes the build's clock so the same case gives the same bytes.
fn source_date_epoch() -> anyhow::Result<Option<DateTime<Utc>>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"))?;
            Ok(Some(DateTime::from_timestamp(secs, 0).ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH `{v}` is out of range"))?))
        }
        Err(_) => Ok(None),
    }
}

/// A rule as `rules --json` prints it: the table's columns, and how it is counted.
fn rule_json(r: &redress::deadline::Rule) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "program": r.program.as_str(),
        "program_label": r.program_label,
        "level": r.level,
        "purpose": r.purpose,
        "window": r.window_text,
        "counting": r.window,
        "counted_from": r.counted_from,
        "counted_from_text": r.counted_from_text,
        "presumed_receipt_days": r.presumed_receipt_days,
        "weekend_rule": if r.moves_off_weekend { "next-business-day" } else { "kept, with a warning to file earlier" },
        "extension": r.extension,
        "earlier": r.earlier,
        "citation": r.citation,
        "checked": r.checked,
        "note": r.note,
    })
}

/// The DTSTAMP of a calendar: `SOURCE_DATE_EPOCH`, else the pinned day's noon in `tz`, else now.
fn stamp_for(today: Option<NaiveDate>, tz: chrono_tz::Tz) -> anyhow::Result<DateTime<Utc>> {
    if let Some(t) = source_date_epoch()? {
        return Ok(t);
    }
    Ok(match today.and_then(|d| redress::deadline::calendar::localize(tz, now_for(Some(d), tz))) {
        Some(t) => t.with_timezone(&Utc),
        None => Utc::now(),
    })
}

/// A build's "now": `SOURCE_DATE_EPOCH` when set, so the same case gives the same bytes, else
/// the wall-clock time in `tz`.
fn build_now(tz: chrono_tz::Tz) -> anyhow::Result<NaiveDateTime> {
    Ok(source_date_epoch()?.map(|c| c.naive_utc()).unwrap_or_else(|| now_for(None, tz)))
}

/// The wall-clock time now in `tz`, or the pinned day's noon.
fn now_for(today: Option<NaiveDate>, tz: chrono_tz::Tz) -> NaiveDateTime {
    match today {
        // A pinned day is looked at from its noon, so "today" is the same in every zone.
        Some(d) => d.and_hms_opt(12, 0, 0).unwrap_or_default(),
        None => Utc::now().with_timezone(&tz).naive_local(),
    }
}

/// The user's time zone, read once a command; a `TZ` that names no known zone is said once.
fn zone() -> chrono_tz::Tz {
    let zone = redress::deadline::local_zone();
    if let Some(w) = &zone.warning {
        eprintln!("warning: {w}");
    }
    zone.tz
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build { case_dir, out, json, db, profile, max_bytes, max_pages, fax, fax_to, checklist, ocr } => {
            let profile = match &profile {
                Some(arg) => Some(redress::packet::profile::find(arg, Some(&user_profiles(db.as_deref()))).map_err(report_profiles)?),
                None => None,
            };
            let flags = BuildFlags { profile, max_bytes, max_pages: max_pages.map(|n| n as usize), fax, fax_to, checklist, ocr };
            build_command(&case_dir, out, json, db, &flags)
        }
        Command::Profiles { json, db } => list_profiles(&user_profiles(db.as_deref()), json),
        Command::Check { case_dir, json, db, today } => {
            let today = match today {
                Some(d) => d,
                None => build_now(zone())?.date(),
            };
            let folder = match stored_case(&case_dir, db)? {
                Some((store, id)) => store.load(&id),
                None => redress::casefile::load(&case_dir),
            };
            let result = folder.and_then(|f| redress::packet::check(&f, today).map(|r| (f, r)));
            match result {
                Ok((_, r)) => {
                    if json {
                        say!(
                            "{}",
                            serde_json::json!({"ok": true, "exhibits": r.exhibits, "pages": r.pages, "warnings": r.warnings, "problems": [], "checklist": r.checklist})
                        );
                    } else {
                        for w in &r.warnings {
                            eprintln!("warning: {w}");
                        }
                        say!(
                            "ok: {} exhibit{}, {} page{} of documents",
                            r.exhibits,
                            if r.exhibits == 1 { "" } else { "s" },
                            r.pages,
                            if r.pages == 1 { "" } else { "s" }
                        );
                        // Gaps and contradictions are shown, never a failing exit.
                        if let Some(checklist) = &r.checklist {
                            say!("\n{}", checklist.to_text().trim_end());
                        }
                    }
                    Ok(())
                }
                Err(e) => {
                    if json {
                        say!("{}", serde_json::json!({"ok": false, "problems": e.problems()}));
                        Err(anyhow!(ReportedError))
                    } else {
                        Err(report(e))
                    }
                }
            }
        }
        Command::Deadlines { case_dirs, db, today, json, ics } => deadlines_command(&case_dirs, db, today, json, ics),
        Command::Deadline {
            program,
            notice_date,
            received_date,
            urgency,
            service,
            contract_days,
            notice_deadline,
            level,
            filed,
            pa_requested,
            today,
            json,
        } => {
            let q = redress::deadline::Quick {
                received_date,
                urgency,
                service,
                contract_days,
                notice_deadline,
                level,
                filed,
                pa_requested,
                ..redress::deadline::Quick::new(program, notice_date)
            };
            deadline_command(&q, today, json)
        }
        Command::Rules { json } => {
            let rules = redress::deadline::rules();
            if json {
                let v: Vec<_> = rules.iter().map(rule_json).collect();
                say!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for r in rules {
                    say!("{:<34} {:<22} {:<28} {}", r.id, r.program.as_str(), r.window_text, r.citation);
                }
            }
            Ok(())
        }
        Command::ImportClaim { file, json, claim, new_case } => import_claim(&file, json, claim, &new_case),
        Command::ReadNotice { file, json, new_case } => read_notice(&file, json, &new_case),
        Command::Import { case_dir, db } => {
            let folder = redress::casefile::load(&case_dir).map_err(report)?;
            let mut store = open_store(db)?;
            let id = store.import_folder(&folder).map_err(report)?;
            say!("{id}");
            Ok(())
        }
        Command::Export { case_id, dir, db } => {
            let Some(mut store) = open_existing_store(db.clone())? else {
                return Err(anyhow!("no case `{case_id}`: there is no database at {}", db.unwrap_or_else(Store::default_path).display()));
            };
            let out = store.export(&case_id, &dir).map_err(report)?;
            say!("{}", out.display());
            Ok(())
        }
        Command::Cases { db, json } => {
            let path = db.clone().unwrap_or_else(Store::default_path);
            let cases = match open_existing_store(db)? {
                Some(store) => store.cases().map_err(report)?,
                None => Vec::new(),
            };
            if json {
                say!("{}", serde_json::to_string_pretty(&cases)?);
            } else if cases.is_empty() {
                say!("No cases in {}. Add one with `redress import CASE_DIR`.", path.display());
            } else {
                let w = cases.iter().map(|c| c.id.len()).max().unwrap_or(2).max(2);
                say!("{:<w$}  {:<10}  {:<21}  {:>8}  {:<22}  TITLE", "ID", "NOTICE", "PROGRAM", "EXHIBITS", "MEMBER");
                for c in &cases {
                    say!(
                        "{:<w$}  {}  {:<21}  {:>8}  {:<22}  {}",
                        c.id,
                        c.notice_date,
                        c.program.as_str(),
                        c.exhibits,
                        c.member_name,
                        c.title
                    );
                }
            }
            Ok(())
        }
        Command::Letter { kind: LetterKind::ClaimFile, case_dir, out, db } => {
            let (case, default_out) = match stored_case(&case_dir, db)? {
                Some((store, id)) => (store.load(&id).map_err(report)?.case, PathBuf::from(format!("{id}-claim-file-request.pdf"))),
                None => (redress::casefile::load(&case_dir).map_err(report)?.case, case_dir.join("claim-file-request.pdf")),
            };
            let out = out.unwrap_or(default_out);
            // A fixed creation time (SOURCE_DATE_EPOCH) fixes the letter's date too.
            let created = source_date_epoch()?;
            let today = created.map(|c| c.date_naive()).unwrap_or_else(|| chrono::Local::now().date_naive());
            redress::packet::letters::write_claim_file_letter(&case, today, &out, created.unwrap_or_else(Utc::now)).map_err(report)?;
            say!("{}", out.display());
            Ok(())
        }
        Command::Unlock { input, output } => unlock(&input, &output),
        Command::Encrypt { db } => switch(db, true),
        Command::Decrypt { db } => switch(db, false),
        Command::Demo { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("redress-demo"));
            let today = chrono::Local::now().date_naive();
            let folder_path = redress::demo::write_demo(&dir, today).map_err(report)?;
            let folder = redress::casefile::load(&folder_path).map_err(report)?;
            let r = build(&folder, None, &BuildFlags::default())?;
            say!("Demo case written to {}", folder_path.display());
            print_build(&r, false)
        }
        Command::Backup { file, db } => {
            let path = db.unwrap_or_else(Store::default_path);
            if !path.exists() {
                return Err(anyhow!("there is no database at {} to back up", path.display()));
            }
            let store = open_store(Some(path))?;
            let b = redress::backup::backup(&store, &file, Utc::now()).map_err(report)?;
            let m = &b.manifest;
            say!("{}: {} case(s), {} document(s), {}", b.path.display(), m.cases, m.documents.len(), redress::size::human_bytes(b.bytes));
            Ok(())
        }
        Command::Restore { file, force, db } => {
            let path = db.unwrap_or_else(Store::default_path);
            // A forced restore may replace newer changes: the store as it was goes into its backups first.
            let now = Utc::now();
            let keep_current = force.then(|| (redress::cases::backup_file(&path, now), now));
            let r = restore(&file, &path, redress::backup::RestoreOptions { force, keep_current, passphrase: None })?;
            let m = &r.manifest;
            say!(
                "{} restored from {} (backed up {}): {} case(s), {} document(s)",
                path.display(),
                file.display(),
                m.created,
                m.cases,
                m.documents.len()
            );
            if let Some(kept) = &r.kept {
                say!("the database as it was before is backed up in {}", kept.display());
            }
            if let Some(why) = &r.not_kept {
                eprintln!("warning: the database as it was before could not be backed up first: {why}");
            }
            Ok(())
        }
    }
}

/// `deadlines`: the open deadlines of every case that reads, soonest first; each folder that
/// does not read is named with its problems, and the command fails once the rest are listed.
fn deadlines_command(
    case_dirs: &[PathBuf],
    db: Option<PathBuf>,
    today: Option<NaiveDate>,
    json: bool,
    ics: Option<PathBuf>,
) -> anyhow::Result<()> {
    let tz = zone();
    let now = now_for(today, tz);
    let ToList { cases, unread } = cases_to_list(case_dirs, db)?;
    let mut all = Vec::new();
    let mut missed = Vec::new();
    for (name, case) in &cases {
        for w in case.dates_after(now.date()) {
            eprintln!("warning: {name}: {w}");
        }
        let d = redress::deadline::case_deadlines(case, Some(name), now, tz);
        all.extend(d.deadlines);
        missed.extend(d.missed_promises);
    }
    // Open ones only: not met, and not done late (those stay in the packet as evidence).
    all.retain(|d| d.status != redress::deadline::Status::Met && !d.closed);
    all.sort_by_key(|d| (d.due_time.unwrap_or_else(|| d.due.and_hms_opt(23, 59, 59).unwrap_or_default()), d.case.clone()));
    if let Some(path) = &ics {
        let text = redress::deadline::to_ics(&all, stamp_for(today, tz)?);
        redress::atomic::write_atomically(path, text.as_bytes()).map_err(|e| match e {
            // Says itself which file cannot be written, and why.
            e @ redress::Error::Unwritable { .. } => anyhow!(e),
            e => anyhow!(e).context(format!("{}: cannot write the calendar", path.display())),
        })?;
    }
    if json {
        say!("{}", serde_json::to_string_pretty(&all.iter().map(DeadlineJson::from).collect::<Vec<_>>())?);
    } else {
        print_deadlines(&all, &missed)?;
    }
    match unread_said(&unread, ics.is_some()) {
        Some(said) => Err(anyhow!(said)),
        None => Ok(()),
    }
}

/// "typo and missing could not be read: their deadlines are not listed", when any could not.
fn unread_said(unread: &[String], calendar: bool) -> Option<String> {
    let (last, first) = unread.split_last()?;
    let (names, whose) = if first.is_empty() { (last.clone(), "its") } else { (format!("{} and {last}", first.join(", ")), "their") };
    let calendar = if calendar { " nor in the calendar" } else { "" };
    Some(format!("{names} could not be read: {whose} deadlines are not listed{calendar}"))
}

/// The cases `deadlines` lists, by name, and the names of those that could not be read.
struct ToList {
    cases: Vec<(String, redress::model::Case)>,
    unread: Vec<String>,
}

/// The cases `deadlines` lists: the folders given, else every case in the database; each that
/// cannot be read is named with its problems as it is met.
fn cases_to_list(case_dirs: &[PathBuf], db: Option<PathBuf>) -> anyhow::Result<ToList> {
    let mut cases = Vec::new();
    let mut unread = Vec::new();
    for dir in case_dirs {
        match redress::casefile::load(dir) {
            Ok(folder) => cases.push((folder.name(), folder.case)),
            Err(e) => {
                for line in problems_in(dir, &e) {
                    eprintln!("error: {line}");
                }
                unread.push(dir.display().to_string());
            }
        }
    }
    if case_dirs.is_empty() {
        if let Some(store) = open_existing_store(db)? {
            for summary in store.cases().map_err(report)? {
                match store.case(&summary.id) {
                    Ok(case) => cases.push((summary.id, case)),
                    Err(e) => {
                        eprintln!("error: case {}: {e}", summary.id);
                        unread.push(format!("case {}", summary.id));
                    }
                }
            }
        }
    }
    Ok(ToList { cases, unread })
}

/// The problems of a folder that did not read, each naming the folder: `d2/case.toml: …`.
fn problems_in(dir: &std::path::Path, e: &redress::Error) -> Vec<String> {
    let folder = dir.display().to_string();
    match e {
        redress::Error::Invalid(problems) => problems
            .iter()
            .map(|p| {
                let file = if p.file.is_empty() { folder.clone() } else { dir.join(&p.file).display().to_string() };
                redress::Problem { file, ..p.clone() }.to_string()
            })
            .collect(),
        other => {
            let said = other.to_string();
            vec![if said.contains(&folder) { said } else { format!("{folder}: {said}") }]
        }
    }
}

/// The open deadlines as `deadlines` prints them, then the missed promises.
fn print_deadlines(all: &[redress::deadline::Deadline], missed: &[redress::deadline::MissedPromise]) -> anyhow::Result<()> {
    if all.is_empty() {
        say!("No open deadlines.");
    }
    for d in all {
        say!(
            "{}  {:>4} days  {:<9} {}  {} — {} ({})",
            d.due_text,
            d.days_left,
            d.status.as_str(),
            d.case.as_deref().unwrap_or("-"),
            d.label,
            d.citation,
            d.rule
        );
        for line in d.explanation().iter().skip(1) {
            say!("    {line}");
        }
    }
    if !all.is_empty() {
        say!("{}", redress::deadline::NOTICE_GOVERNS);
    }
    if !missed.is_empty() {
        say!("\nMissed promises:");
        for m in missed {
            say!(
                "{}  {}  {} (promised on {}{}{})",
                m.promised.display_short(),
                m.case.as_deref().unwrap_or("-"),
                m.summary,
                m.event_at.display_short(),
                m.counterpart.as_ref().map(|c| format!(" by {c}")).unwrap_or_default(),
                m.reference.as_ref().map(|r| format!(", ref {r}")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// `deadline`: one notice's deadlines, without a case. A question the library cannot answer
/// as asked is the command line's mistake (exit 2).
fn deadline_command(q: &redress::deadline::Quick, today: Option<NaiveDate>, json: bool) -> anyhow::Result<()> {
    let tz = zone();
    let now = now_for(today, tz);
    let given = [("--notice-date", Some(q.notice_date)), ("--received-date", q.received_date)];
    for w in given.iter().filter_map(|&(flag, date)| redress::model::after_today(flag, date?, now.date())) {
        eprintln!("warning: {w}");
    }
    let list = redress::deadline::quick(q, now, tz).map_err(|e| anyhow!(Usage(e.to_string())))?;
    if json {
        say!("{}", serde_json::to_string_pretty(&list.iter().map(DeadlineJson::from).collect::<Vec<_>>())?);
        return Ok(());
    }
    if list.is_empty() {
        say!("No fixed federal deadline for {}: see the notice or state law.", q.program.label());
    }
    for d in &list {
        // A met deadline says what met it, not how far past it today is.
        let standing = d.met_text().unwrap_or_else(|| format!("{}, {}", days_left(d.days_left), d.status.as_str()));
        say!("{}: {} ({standing})", d.label, d.due_text);
        for line in d.explanation() {
            say!("  {line}");
        }
    }
    say!("{}", redress::deadline::NOTICE_GOVERNS);
    Ok(())
}

/// Opens (creating if needed) the database given with `--db`, or the default one; an encrypted
/// one with its passphrase ([`passphrase`]).
fn open_store(db: Option<PathBuf>) -> anyhow::Result<Store> {
    let path = db.unwrap_or_else(Store::default_path);
    let pass = match redress::store::protection(&path).map_err(report)? {
        redress::store::Protection::Plain => None,
        _ => Some(passphrase(&path, false)?),
    };
    Store::open_with(&path, pass.as_ref()).map_err(report)
}

/// The environment variable that gives an encrypted store's passphrase.
const PASSPHRASE_ENV: &str = "REDRESS_PASSPHRASE";

/// `restore`: an encrypted store replaced, or an encrypted backup restored, takes the passphrase
/// (asked for the backup once it is known to be encrypted).
fn restore(
    file: &std::path::Path,
    db: &std::path::Path,
    mut opts: redress::backup::RestoreOptions,
) -> anyhow::Result<redress::backup::Restored> {
    use redress::store::{Protection, StoreError};
    if redress::store::protection(db).map_err(report)? != Protection::Plain {
        opts.passphrase = Some(passphrase(db, false)?);
    }
    loop {
        match redress::backup::restore(file, db, &opts) {
            Err(redress::Error::Store(StoreError::NeedsPassphrase { .. })) if opts.passphrase.is_none() => {
                opts.passphrase = Some(passphrase(file, false)?)
            }
            r => return r.map_err(report),
        }
    }
}

/// The store's passphrase: `$REDRESS_PASSPHRASE`, else asked without echo (twice, and the
/// same both times, when it is a new one).
fn passphrase(db: &std::path::Path, new: bool) -> anyhow::Result<redress::store::Passphrase> {
    use redress::store::Passphrase;
    if let Some(p) = std::env::var_os(PASSPHRASE_ENV) {
        let p = Passphrase::new(p.into_string().map_err(|_| anyhow!("${PASSPHRASE_ENV} is not valid text"))?);
        if p.is_empty() {
            return Err(anyhow!("${PASSPHRASE_ENV} is empty: give the passphrase in it, or unset it to be asked"));
        }
        return Ok(p);
    }
    let ask = |prompt: String| password::ask(&prompt).map(Passphrase::new).context("no passphrase could be read");
    let first = ask(format!("Passphrase for {}: ", db.display()))?;
    if first.is_empty() {
        return Err(anyhow!("no passphrase was given"));
    }
    if new && std::io::stdin().is_terminal() {
        let again = ask("The same passphrase again: ".into())?;
        if !first.same_as(&again) {
            return Err(anyhow!("the two passphrases differ; nothing was changed"));
        }
    }
    Ok(first)
}

/// `encrypt` and `decrypt`.
fn switch(db: Option<PathBuf>, encrypt: bool) -> anyhow::Result<()> {
    use redress::store::Protection;
    let path = db.unwrap_or_else(Store::default_path);
    let now = redress::store::protection(&path).map_err(report)?;
    let (word, done) = if encrypt { ("encrypted", Protection::Encrypted) } else { ("plain", Protection::Plain) };
    if now == done {
        say!("{} is already {word}; nothing was changed", path.display());
        return Ok(());
    }
    let pass = passphrase(&path, encrypt && now == Protection::Plain)?;
    let switched = if encrypt { redress::store::encrypt(&path, &pass) } else { redress::store::decrypt(&path, &pass) }.map_err(report)?;
    for p in &switched.damaged {
        eprintln!("warning: {}: is damaged (its content no longer matches its name) and was left as it is", p.display());
    }
    let files = if switched.files == 1 { "1 file".to_string() } else { format!("{} files", switched.files) };
    say!("{} is now {word} (the database and {files} beside it converted)", path.display());
    Ok(())
}

/// Opens the database when it exists: commands that only read do not create one.
fn open_existing_store(db: Option<PathBuf>) -> anyhow::Result<Option<Store>> {
    let path = db.unwrap_or_else(Store::default_path);
    if !path.exists() {
        return Ok(None);
    }
    open_store(Some(path)).map(Some)
}

/// For `build`: the store and case id when the argument names a case in the database rather
/// than a folder. An existing folder always wins; anything that cannot be a case id is left to
/// the folder loader, whose message says what is missing.
fn stored_case(arg: &std::path::Path, db: Option<PathBuf>) -> anyhow::Result<Option<(Store, String)>> {
    let Some(id) = arg
        .to_str()
        .filter(|s| !arg.is_dir() && !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    else {
        return Ok(None);
    };
    let path = db.clone().unwrap_or_else(Store::default_path);
    // A file of that name is no case folder, and the folder reader says so.
    let neither = || match arg.is_file() {
        true => Ok(None),
        false => Err(anyhow!("`{id}` is neither a case folder nor a case in the database {} (see `redress cases`)", path.display())),
    };
    let Some(store) = open_existing_store(db)? else { return neither() };
    if !store.contains(id).map_err(report)? {
        return neither();
    }
    Ok(Some((store, id.to_string())))
}

fn parse_size(text: &str) -> Result<u64, BadValue> {
    redress::size::parse_size(text).ok_or_else(|| BadValue(format!("`{text}` is not a size (use for example 10MB, 500KB or 20MiB)")))
}

/// What `build` was asked for besides the case and where to write.
#[derive(Default)]
struct BuildFlags {
    profile: Option<redress::packet::Profile>,
    max_bytes: Option<u64>,
    max_pages: Option<usize>,
    fax: bool,
    fax_to: Option<String>,
    checklist: bool,
    ocr: bool,
}

fn build_command(
    case_dir: &std::path::Path,
    out: Option<PathBuf>,
    json: bool,
    db: Option<PathBuf>,
    flags: &BuildFlags,
) -> anyhow::Result<()> {
    match stored_case(case_dir, db)? {
        Some((mut store, id)) => {
            let folder = store.load(&id).map_err(report)?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{id}-packet.pdf")));
            let report_ = build(&folder, Some(out), flags)?;
            let shown = report_.output.canonicalize().unwrap_or_else(|_| report_.output.clone());
            store.note(&id, &format!("packet built: {} (SHA-256 {})", shown.display(), report_.sha256)).map_err(report)?;
            print_build(&report_, json)
        }
        None => {
            let folder = redress::casefile::load(case_dir).map_err(report)?;
            let report_ = build(&folder, out, flags)?;
            print_build(&report_, json)
        }
    }
}

/// A person's own profiles file: `profiles.toml` in the folder of the database (`--db`, else
/// the one the app and the command line share).
fn user_profiles(db: Option<&std::path::Path>) -> PathBuf {
    let db = db.map(std::path::Path::to_path_buf).unwrap_or_else(Store::default_path);
    redress::packet::profile::user_file(db.parent().unwrap_or(std::path::Path::new("")))
}

/// A profiles file's problems, one a line.
fn report_profiles(e: redress::Error) -> anyhow::Error {
    match &e {
        redress::Error::Invalid(problems) => {
            eprintln!("error: the profile cannot be used ({} problem{}):", problems.len(), if problems.len() == 1 { "" } else { "s" });
            for p in problems {
                eprintln!("  {p}");
            }
            anyhow!(ReportedError)
        }
        _ => anyhow!(e),
    }
}

/// `redress profiles`: each profile with what it enforces, then where your own are kept.
fn list_profiles(user: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let builtins = redress::packet::profile::builtins();
    let all = redress::packet::profile::all(Some(user)).map_err(report_profiles)?;
    if json {
        let v: Vec<serde_json::Value> = all
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut v = serde_json::to_value(p).unwrap_or_default();
                v["enforces"] = serde_json::json!(p.enforces());
                v["source"] = if i < builtins.len() { "built-in".into() } else { user.display().to_string().into() };
                v
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    for p in &all {
        say!("{:<14} {}", p.name, p.description);
        say!("{:<14} {}", "", p.enforces().join("; "));
    }
    let own = all.len() - builtins.len();
    say!();
    match own {
        0 => say!("Your own profiles go in {} (none yet; the format is in docs/profiles.md).", user.display()),
        n => say!("{n} of your own, from {}.", user.display()),
    }
    Ok(())
}

fn build(folder: &redress::casefile::CaseFolder, out: Option<PathBuf>, flags: &BuildFlags) -> anyhow::Result<redress::packet::BuildReport> {
    // The edge reads the clock and the zone; the library is given them. A fixed creation time
    // (SOURCE_DATE_EPOCH) fixes "now" too, so the same case gives the same bytes.
    let created = source_date_epoch()?;
    let tz = zone();
    let now = build_now(tz)?;
    let base = redress::packet::BuildOptions::new(now, created.unwrap_or_else(Utc::now), tz);
    let ocr = flags.ocr.then(|| redress::packet::OcrOptions::beside(folder));
    let checked = Some(redress::packet::verdicts::beside(folder));
    let mut opts = redress::packet::BuildOptions { out, checklist: flags.checklist, ocr, checked, ..base };
    // The profile first, then what the flags say over it.
    if let Some(p) = &flags.profile {
        p.apply(&mut opts);
    }
    opts.max_bytes = flags.max_bytes.or(opts.max_bytes);
    opts.max_pages = flags.max_pages.or(opts.max_pages);
    opts.fax |= flags.fax;
    opts.fax_to = flags.fax_to.clone();
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(1);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let b = bar.clone();
        opts.progress = Some(std::sync::Arc::new(move |p: &redress::packet::Progress| {
            b.set_length(p.total as u64);
            b.set_position(p.done as u64);
            b.set_message(p.message.clone());
        }));
        Some(bar)
    } else {
        if opts.ocr.is_some() {
            // Without a terminal for the bar, each page read is a line: OCR takes seconds a page.
            opts.progress = Some(std::sync::Arc::new(|p: &redress::packet::Progress| {
                if p.message.starts_with("OCR: ") {
                    eprintln!("{}", p.message);
                }
            }));
        }
        None
    };
    let result = redress::packet::build(folder, &opts);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result.map_err(|e| match e {
        // The default packet goes into the case folder, which may be read-only: say how to
        // write it elsewhere.
        redress::Error::Unwritable { why: redress::error::Unwritable::FolderNotWritable { .. }, .. } => {
            anyhow!("{e}; use --out FILE to write the packet to another folder")
        }
        e => report(e),
    })
}

fn print_build(r: &redress::packet::BuildReport, json: bool) -> anyhow::Result<()> {
    if json {
        let mut v = serde_json::to_value(r)?;
        v["deadlines"] = serde_json::to_value(r.deadlines.iter().map(DeadlineJson::from).collect::<Vec<_>>())?;
        say!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(o) = &r.ocr {
        eprintln!(
            "OCR: {} scanned page{} ({} with text): {} read in {:.1} s, {} kept from an earlier build",
            o.pages,
            if o.pages == 1 { "" } else { "s" },
            o.with_text,
            o.read,
            o.seconds,
            o.cached
        );
    }
    let n = r.exhibits.len();
    say!(
        "{} ({} pages, {}, {n} exhibit{})",
        r.output.display(),
        r.pages,
        redress::size::human_bytes(r.bytes),
        if n == 1 { "" } else { "s" }
    );
    if r.volumes.len() > 1 {
        for v in &r.volumes {
            say!(
                "  volume {} of {}: {} (pages {}–{}, {})",
                v.number,
                v.of,
                v.output.display(),
                v.first_page,
                v.last_page,
                redress::size::human_bytes(v.bytes)
            );
        }
    }
    for d in r
        .deadlines
        .iter()
        .filter(|d| d.status != redress::deadline::Status::Met && !d.closed && d.kind != redress::deadline::DeadlineKind::Promise)
    {
        say!("  {} by {} ({}) — {}", d.label, d.due, days_left(d.days_left), d.citation);
    }
    Ok(())
}

/// `12 days left`, `due today`, `overdue by 3 days`.
fn days_left(n: i64) -> String {
    match n {
        0 => "due today".into(),
        1 => "1 day left".into(),
        -1 => "overdue by 1 day".into(),
        n if n > 0 => format!("{n} days left"),
        n => format!("overdue by {} days", -n),
    }
}

/// A deadline as `deadline --json`, `deadlines --json` and `build --json` print it (cli.md): the
/// documented fields first, under their documented names (`rule` is the program, `rule_id` the
/// rule), then the rest.
#[derive(serde::Serialize)]
struct DeadlineJson<'a> {
    case: &'a Option<String>,
    kind: redress::deadline::DeadlineKind,
    due: NaiveDate,
    due_time: Option<NaiveDateTime>,
    rule: &'a str,
    citation: &'a str,
    counted_from: NaiveDate,
    days: Option<u32>,
    counting: &'a str,
    days_left: i64,
    status: redress::deadline::Status,
    rule_id: &'a str,
    label: &'a str,
    warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<u32>,
    notice_governs: &'a str,
    basis: redress::deadline::Basis,
    basis_given: bool,
    basis_text: &'a str,
    due_text: &'a str,
    time_zone: &'a Option<String>,
    due_at: Option<DateTime<chrono::FixedOffset>>,
    checked: bool,
    safe_due: Option<NaiveDate>,
    closed: bool,
}

impl<'a> From<&'a redress::deadline::Deadline> for DeadlineJson<'a> {
    fn from(d: &'a redress::deadline::Deadline) -> Self {
        DeadlineJson {
            case: &d.case,
            kind: d.kind,
            due: d.due,
            due_time: d.due_time,
            rule: &d.program,
            citation: &d.citation,
            counted_from: d.counted_from,
            days: d.days,
            counting: d.counting,
            days_left: d.days_left,
            status: d.status,
            rule_id: &d.rule,
            label: &d.label,
            warnings: &d.warnings,
            months: d.months,
            hours: d.hours,
            notice_governs: d.notice_governs,
            basis: d.basis,
            basis_given: d.basis_given,
            basis_text: &d.basis_text,
            due_text: &d.due_text,
            time_zone: &d.time_zone,
            due_at: d.due_at,
            checked: d.checked,
            safe_due: d.safe_due,
            closed: d.closed,
        }
    }
}

/// `unlock IN OUT`: the password from the environment or asked for, the copy written atomically.
fn unlock(input: &std::path::Path, output: &std::path::Path) -> anyhow::Result<()> {
    if output == input || output.canonicalize().ok().is_some_and(|o| input.canonicalize().ok() == Some(o)) {
        return Err(anyhow!("{}: write the unlocked copy under a new name; the original is kept", output.display()));
    }
    let bytes = std::fs::read(input).with_context(|| format!("{}: cannot be read", input.display()))?;
    let password = match std::env::var("REDRESS_PDF_PASSWORD") {
        Ok(p) => p,
        Err(_) => password::ask(&format!("Password for {}: ", input.display()))
            .with_context(|| format!("{}: no password given (set REDRESS_PDF_PASSWORD or type it when asked)", input.display()))?,
    };
    let file = input.display().to_string();
    let unlocked = redress::import::pdf::unlock(&bytes, &password).map_err(|why| report(redress::Error::Document { file, why }))?;
    let mut target = redress::atomic::AtomicFile::create(output).map_err(report)?;
    std::io::Write::write_all(&mut target.file, &unlocked).map_err(|e| report(target.error(e)))?;
    target.commit().map_err(report)?;
    say!("{}", output.display());
    Ok(())
}

mod password {
    //! Asking for a password: on a terminal without echoing it, else one line from stdin.

    use std::io::{BufRead, IsTerminal, Write};

    pub fn ask(prompt: &str) -> std::io::Result<String> {
        let stdin = std::io::stdin();
        let terminal = stdin.is_terminal();
        if terminal {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
        }
        let echo = if terminal { Echo::off() } else { None };
        let mut line = zeroize::Zeroizing::new(String::new());
        let read = stdin.lock().read_line(&mut line);
        drop(echo);
        if terminal {
            eprintln!();
        }
        if read? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "stdin ended before a password"));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }

    /// The terminal's echo, switched off while it lives (Unix); elsewhere the password shows.
    struct Echo {
        #[cfg(unix)]
        before: rustix::termios::Termios,
    }

    impl Echo {
        #[cfg(unix)]
        fn off() -> Option<Echo> {
            use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
            let stdin = std::io::stdin();
            let before = tcgetattr(&stdin).ok()?;
            let mut quiet = before.clone();
            quiet.local_modes.remove(LocalModes::ECHO);
            tcsetattr(&stdin, OptionalActions::Now, &quiet).ok()?;
            Some(Echo { before })
        }
        #[cfg(not(unix))]
        fn off() -> Option<Echo> {
            None
        }
    }

    impl Drop for Echo {
        fn drop(&mut self) {
            #[cfg(unix)]
            let _ = rustix::termios::tcsetattr(std::io::stdin(), rustix::termios::OptionalActions::Now, &self.before);
        }
    }
}
