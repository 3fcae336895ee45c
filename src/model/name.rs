//! A person's name as a payer prints it: the surname and the first given name, for the footer
//! stamp (`Smith, J`) and the default Bates prefix (`SMITH`). Pure.
//!
//! Names are taken as people and payers write them:
//! - "First \[Middle\] Last", or "Last, First \[Middle\]" (a comma with given names after it);
//! - honorifics before the name (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Rev…) are left out;
//! - suffixes (Jr, Sr, II, III, IV) and credentials (MD, RN, NP, PhD, Esq…) after the name
//!   are left out, with or without a dot or comma. DO and PA are surnames too (Do, Pa): they
//!   are credentials only after a comma, written with dots, or in capitals after a name that is
//!   not written in capitals ("Ann Lee DO"); "Ann Do" and "ANN LEE DO" keep them as surnames;
//! - a surname is kept as written, hyphen and all ("Smith-Jones"), with the lowercase-or-not
//!   particles that precede it ("de la Cruz", "van der Berg", "St. John"), as payers file
//!   "DE LA CRUZ, ANA"; the first word is always a given name ("Van Morrison" is Morrison's);
//! - the Bates prefix is the surname's letters and digits in capitals, accented Latin letters
//!   folded to ASCII (é to E, ß to SS, Ł to L), at most 20: "de la Cruz" gives `DELACRUZ`.
//!   A surname with no Latin letter (李小龙, Петров) gives none: the case's prefix then is
//!   [`FALLBACK_BATES_PREFIX`] unless case.toml sets `bates_prefix`.

/// The Bates prefix of a case whose member's surname has no Latin letter or digit, when
/// case.toml sets no `bates_prefix`.
pub const FALLBACK_BATES_PREFIX: &str = "REDRESS";

/// The longest Bates prefix, derived or written (case.toml's `bates_prefix` rule).
pub const MAX_BATES_PREFIX: usize = 20;

/// The parts of a name the packet prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameParts {
    /// The surname as written, particles included (`Smith-Jones`, `de la Cruz`); empty for a
    /// blank name.
    pub surname: String,
    /// The first given name, when the name has one.
    pub given: Option<String>,
}

const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "hon", "sir", "dame", "fr"];
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "2nd", "3rd"];
const CREDENTIALS: &[&str] = &[
    "md", "do", "pa", "rn", "np", "lpn", "lvn", "aprn", "fnp", "crnp", "cnm", "dnp", "msn", "bsn", "phd", "psyd", "pharmd", "dds", "dmd",
    "dpm", "dc", "od", "pt", "dpt", "otr", "lcsw", "msw", "mph", "facp", "facs", "esq", "jd",
];
/// Credentials that are surnames too.
const SURNAMES_TOO: &[&str] = &["do", "pa"];
/// Words that join the surname after them.
const PARTICLES: &[&str] =
    &["da", "das", "de", "del", "della", "der", "den", "di", "dos", "du", "la", "van", "von", "ter", "ten", "bin", "ibn", "st", "ste"];

/// A word lowercased with its dots left out: `Ph.D.` is `phd`.
fn bare(word: &str) -> String {
    word.chars().filter(|&c| c != '.').flat_map(char::to_lowercase).collect()
}

/// How a name is written, for telling a credential from a surname.
#[derive(Clone, Copy)]
struct Writing {
    /// The word follows a comma.
    after_comma: bool,
    /// The whole name is in capitals ("HAYES, WALTER").
    capitals: bool,
}

/// Whether `word` is a suffix or credential after a name; `left` words would remain before it.
fn is_after_name(word: &str, left: usize, how: Writing) -> bool {
    let b = bare(word);
    if SUFFIXES.contains(&b.as_str()) {
        return true;
    }
    if !CREDENTIALS.contains(&b.as_str()) {
        return false;
    }
    if !SURNAMES_TOO.contains(&b.as_str()) || how.after_comma || word.contains('.') {
        return true;
    }
    // "Ann Lee DO": a given name and a surname stay before it.
    left >= 2 && !how.capitals && word.chars().all(|c| c.is_ascii_uppercase())
}

/// `words` without the honorifics before them and the suffixes and credentials after them,
/// keeping at least one word.
fn core<'w>(mut words: &'w [&'w str], how: Writing) -> &'w [&'w str] {
    while words.len() > 1 && HONORIFICS.contains(&bare(words[0]).as_str()) {
        words = &words[1..];
    }
    while let [rest @ .., last] = words {
        if rest.is_empty() || !is_after_name(last, rest.len(), how) {
            break;
        }
        words = rest;
    }
    words
}

/// The surname and first given name of `name`.
pub fn parts(name: &str) -> NameParts {
    let capitals = name.chars().any(char::is_alphabetic) && !name.chars().any(char::is_lowercase);
    let plain = Writing { after_comma: false, capitals };
    let after = Writing { after_comma: true, ..plain };
    let mut segments = name.split(',').map(str::split_whitespace).map(Iterator::collect::<Vec<&str>>).filter(|s| !s.is_empty());
    let Some(first) = segments.next() else {
        return NameParts { surname: String::new(), given: None };
    };
    // Segments after the first that are only suffixes and credentials: "Ann Lee, MD", "Lee, Ann, Jr.".
    let given: Option<Vec<&str>> = segments.find(|s| !s.iter().all(|w| is_after_name(w, 2, after)));
    if let Some(given) = given {
        // "Last, First [Middle]".
        let surname = core(&first, plain).join(" ");
        return NameParts { surname, given: core(&given, plain).first().map(|g| g.to_string()) };
    }
    match core(&first, plain) {
        [one] => NameParts { surname: one.to_string(), given: None },
        words => {
            let mut start = words.len() - 1;
            while start > 1 && PARTICLES.contains(&bare(words[start - 1]).as_str()) {
                start -= 1;
            }
            NameParts { surname: words[start..].join(" "), given: Some(words[0].to_string()) }
        }
    }
}

/// `Smith, J`: the surname and the first given name's initial, or the surname alone.
pub fn short(name: &str) -> String {
    let p = parts(name);
    let initial = p.given.as_deref().and_then(|g| g.chars().find(|c| c.is_alphabetic()));
    match initial {
        Some(i) if !p.surname.is_empty() => format!("{}, {}", p.surname, i.to_uppercase()),
        _ => p.surname,
    }
}

/// The Bates prefix a surname gives: its letters and digits in capitals, accented Latin
/// letters folded to ASCII, at most [`MAX_BATES_PREFIX`]; none when nothing is left.
pub fn bates_prefix(surname: &str) -> Option<String> {
    let mut p = String::new();
    for c in surname.chars().flat_map(char::to_uppercase) {
        if c.is_ascii_alphanumeric() {
            p.push(c);
        } else if let Some(folded) = fold(c) {
            p.push_str(folded);
        }
    }
    p.truncate(MAX_BATES_PREFIX);
    (!p.is_empty()).then_some(p)
}

/// A capital Latin letter with a mark (Latin-1, Latin Extended-A, Romanian's comma below) as
/// the ASCII letters it is written with when marks are left out.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Æ' => "AE",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'Ð' | 'Ď' | 'Đ' => "D",
        'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ĥ' | 'Ħ' => "H",
        'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'Ĳ' => "IJ",
        'Ĵ' => "J",
        'Ķ' => "K",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'Œ' => "OE",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
        'Þ' => "TH",
        'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ŵ' => "W",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stamp's name and the Bates prefix of `name`.
    fn both(name: &str) -> (String, Option<String>) {
        (short(name), bates_prefix(&parts(name).surname))
    }

    fn is(name: &str, stamp: &str, prefix: &str) {
        assert_eq!(both(name), (stamp.to_string(), Some(prefix.to_string())), "{name}");
    }

    #[test]
    fn first_last_and_last_first() {
        is("Walter Hayes", "Hayes, W", "HAYES");
        is("John Smith", "Smith, J", "SMITH");
        is("John Michael Smith", "Smith, J", "SMITH");
        is("  John   Smith  ", "Smith, J", "SMITH");
        is("Smith, John", "Smith, J", "SMITH");
        is("Smith, John Michael", "Smith, J", "SMITH");
        is("HAYES, WALTER", "HAYES, W", "HAYES");
        is("Smith,John", "Smith, J", "SMITH");
        is("Smith, J.", "Smith, J", "SMITH");
        is("smith, john", "smith, J", "SMITH");
        is("Smith", "Smith", "SMITH");
        is("Smith,", "Smith", "SMITH");
    }

    #[test]
    fn suffixes_are_left_out_with_or_without_a_dot_or_comma() {
        for name in [
            "John Smith Jr.",
            "John Smith Jr",
            "John Smith, Jr.",
            "John Smith, Jr",
            "John Smith Sr.",
            "John Smith II",
            "John Smith III",
            "John Smith IV",
            "John Smith, III",
            "Smith, John Jr.",
            "Smith, John, Jr.",
            "Smith Jr., John",
            "SMITH, JOHN JR",
            "John Smith 3rd",
        ] {
            assert_eq!(both(name).1.as_deref(), Some("SMITH"), "{name}");
            assert!(short(name).eq_ignore_ascii_case("Smith, J"), "{name}: {}", short(name));
        }
    }

    #[test]
    fn honorifics_before_and_credentials_after_are_left_out() {
        is("Dr. Ann Lee, MD", "Lee, A", "LEE");
        for name in [
            "Dr Ann Lee",
            "Mr. Ann Lee",
            "Mrs Ann Lee",
            "Ms. Ann Lee",
            "Miss Ann Lee",
            "Prof. Ann Lee",
            "Ann Lee MD",
            "Ann Lee, M.D.",
            "Ann Lee, RN",
            "Ann Lee NP",
            "Ann Lee, PhD",
            "Ann Lee Ph.D.",
            "Ann Lee, Esq.",
            "Ann Lee, MD, PhD",
            "Ann Lee MD PhD",
            "Lee, Ann, MD",
            "Lee, Dr. Ann",
            "LEE, MRS ANN",
            "Ann Lee, DO",
            "Ann Lee D.O.",
            "Ann Lee DO",
            "Ann Lee, PA",
            "Dr. Ann Lee Jr., MD",
        ] {
            assert_eq!(both(name).1.as_deref(), Some("LEE"), "{name}");
            assert!(short(name).eq_ignore_ascii_case("Lee, A"), "{name}: {}", short(name));
        }
    }

    #[test]
    fn surnames_that_are_also_credentials_or_honorifics_stay() {
        is("Ann Do", "Do, A", "DO");
        is("ANN LEE DO", "DO, A", "DO");
        is("Mai Pa", "Pa, M", "PA");
        is("Do, Ann", "Do, A", "DO");
        is("Dr. Smith", "Smith", "SMITH");
        is("Miss", "Miss", "MISS");
        is("Jr", "Jr", "JR");
    }

    #[test]
    fn hyphenated_and_multi_word_surnames_as_written() {
        is("Mary Smith-Jones", "Smith-Jones, M", "SMITHJONES");
        is("Ana de la Cruz", "de la Cruz, A", "DELACRUZ");
        is("Ana De La Cruz", "De La Cruz, A", "DELACRUZ");
        is("de la Cruz, Ana", "de la Cruz, A", "DELACRUZ");
        is("Ludwig van der Berg", "van der Berg, L", "VANDERBERG");
        is("Mary St. John", "St. John, M", "STJOHN");
        is("Maria do Carmo Silva", "Silva, M", "SILVA");
        is("Van Morrison", "Morrison, V", "MORRISON");
        is("Patrick O'Brien", "O'Brien, P", "OBRIEN");
    }

    #[test]
    fn accented_letters_fold_to_ascii_in_the_prefix_only() {
        is("José Núñez", "Núñez, J", "NUNEZ");
        is("Émile Zoë Brontë", "Brontë, É", "BRONTE");
        is("Hans Weiß", "Weiß, H", "WEISS");
        is("Lech Wałęsa", "Wałęsa, L", "WALESA");
        is("Søren Kierkegaard-Ærø", "Kierkegaard-Ærø, S", "KIERKEGAARDAERO");
        is("Ion Țărușă", "Țărușă, I", "TARUSA");
        assert_eq!(bates_prefix("Wolfeschlegelsteinhausenbergerdorff").as_deref(), Some("WOLFESCHLEGELSTEINHA"));
    }

    #[test]
    fn no_latin_surname_gives_no_prefix() {
        assert_eq!(both("李小龙"), ("李小龙".to_string(), None));
        assert_eq!(both("Иван Петров"), ("Петров, И".to_string(), None));
        assert_eq!(both("Bruce 李"), ("李, B".to_string(), None));
        assert_eq!(both("---"), ("---".to_string(), None));
        assert_eq!(both(""), (String::new(), None));
        assert_eq!(both(" , "), (String::new(), None));
        assert_eq!(parts("MD").surname, "MD");
    }
}
