//! Format checks for clinical and provider identifiers.
//!
//! The functions are the checks; the patterns say the same as regular expressions for the
//! UI, which checks while a person types (exported through the generated bindings). The
//! examples are exported with the functions' verdicts, and the UI's tests check its validators
//! agree with every one, so the two cannot drift apart.

/// [`is_icd10cm`] as a regular expression.
pub const ICD10CM_PATTERN: &str = r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$";
/// [`is_cpt_or_hcpcs`] as a regular expression.
pub const CPT_OR_HCPCS_PATTERN: &str = r"^(?:[A-V][0-9]{4}|[0-9]{4}[0-9FTU])$";
/// The prefix an NPI's Luhn check digit is computed over, before its first nine digits.
pub const NPI_LUHN_PREFIX: &str = "80840";

/// Codes that the checks accept or refuse, at the edges of each shape.
pub const CODE_EXAMPLES: &[&str] = &[
    "J44.1",
    "R09.02",
    "E11",
    "S72.001A",
    "L89.623",
    "U07.1",
    "J441",
    "J4",
    "44.1",
    "j44.1",
    "J44.",
    "J44.12345",
    "R09-02",
    "E1390",
    "K0001",
    "94760",
    "0001F",
    "0042T",
    "0012U",
    "E139",
    "W1390",
    "Z1390",
    "9476",
    "ABCDE",
    "E13900",
    "0001X",
    "e1390",
    "",
];

/// NPIs that the check accepts or refuses.
pub const NPI_EXAMPLES: &[&str] =
    &["1234567893", "1829475635", "1234567890", "123456789", "12345678a3", "12345678931", "0000000000", "1234567894", ""];

/// An NPI is 10 digits whose last is a Luhn check digit computed over `80840` + the first nine.
pub fn npi_is_valid(npi: &str) -> bool {
    let digits: Vec<u32> = npi.chars().filter_map(|c| c.to_digit(10)).collect();
    if npi.len() != 10 || digits.len() != 10 {
        return false;
    }
    // Luhn over "80840" + all ten digits: the sum must be a multiple of ten.
    let full: Vec<u32> = [8, 0, 8, 4, 0].into_iter().chain(digits).collect();
    let sum: u32 = full
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ICD-10-CM: a letter, a digit, a letter or digit, then optionally a dot and 1–4 letters or digits.
pub fn is_icd10cm(code: &str) -> bool {
    let c: Vec<char> = code.chars().collect();
    if c.len() < 3 {
        return false;
    }
    if !c[0].is_ascii_uppercase() || !c[1].is_ascii_digit() || !(c[2].is_ascii_digit() || c[2].is_ascii_uppercase()) {
        return false;
    }
    let rest: &[char] = &c[3..];
    let rest = match rest.first() {
        Some('.') => &rest[1..],
        _ => rest,
    };
    if c.len() > 3 && rest.is_empty() {
        return false;
    }
    rest.len() <= 4 && rest.iter().all(|ch| ch.is_ascii_digit() || ch.is_ascii_uppercase())
}

/// HCPCS Level II (`E1390`: a letter A–V and four digits) or CPT (`94760`, `0001F`, `0042T`).
pub fn is_cpt_or_hcpcs(code: &str) -> bool {
    let c: Vec<char> = code.chars().collect();
    if c.len() != 5 {
        return false;
    }
    let hcpcs = ('A'..='V').contains(&c[0]) && c[1..].iter().all(|d| d.is_ascii_digit());
    let cpt = c[..4].iter().all(|d| d.is_ascii_digit()) && (c[4].is_ascii_digit() || matches!(c[4], 'F' | 'T' | 'U'));
    hcpcs || cpt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npi_check_digit() {
        // The CMS example NPI.
        assert!(npi_is_valid("1234567893"));
        assert!(!npi_is_valid("1234567890"));
        assert!(!npi_is_valid("123456789"));
        assert!(!npi_is_valid("12345678a3"));
    }

    #[test]
    fn icd10_shapes() {
        for ok in ["J44.1", "R09.02", "E11", "S72.001A", "L89.623", "U07.1", "J441"] {
            assert!(is_icd10cm(ok), "{ok}");
        }
        for bad in ["J4", "44.1", "j44.1", "J44.", "J44.12345", "R09-02"] {
            assert!(!is_icd10cm(bad), "{bad}");
        }
    }

    #[test]
    fn procedure_shapes() {
        for ok in ["E1390", "K0001", "94760", "0001F", "0042T"] {
            assert!(is_cpt_or_hcpcs(ok), "{ok}");
        }
        for bad in ["E139", "Z1390", "9476", "ABCDE", "E13900"] {
            assert!(!is_cpt_or_hcpcs(bad), "{bad}");
        }
    }
}
