//! Text exhibits: decoded as UTF-8 (or Windows-1252 when they are not UTF-8), refusing binaries.

/// The text of a .txt or .md exhibit, and a warning when it was not UTF-8.
pub fn decode(bytes: &[u8]) -> super::Result<(String, Option<String>)> {
    crate::limits::check_text(bytes.len() as u64)?;
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(super::Error::NotTheFormat("is not a text file (it contains binary data)".into()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((clean(t), None)),
        Err(_) => {
            let t: String = bytes.iter().map(|&b| cp1252(b)).collect();
            Ok((clean(&t), Some("is not UTF-8; read as Windows-1252 text".into())))
        }
    }
}

/// Normalises line ends and drops control characters other than tab and newline.
fn clean(t: &str) -> String {
    t.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// The Windows-1252 byte of a character, `None` when the code page has none for it.
pub(crate) fn to_cp1252(c: char) -> Option<u8> {
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => Some(c as u8),
        _ => HIGH.iter().position(|h| *h == c && !('\u{80}'..='\u{9F}').contains(h)).map(|i| 0x80 + i as u8),
    }
}

/// What Windows-1252 puts at 0x80–0x9F; the five bytes it leaves undefined read as the C1
/// controls of the same number.
const HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–',
    '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_latin1_and_binary() {
        assert_eq!(decode("SpO₂ 86 %\r\n".as_bytes()).unwrap(), ("SpO₂ 86 %\n".to_string(), None));
        let (t, w) = decode(b"Jos\xe9 \x93quoted\x94").unwrap();
        assert_eq!(t, "José “quoted”");
        assert!(w.is_some());
        assert!(decode(b"\x00\x01\x02").is_err());
    }
}
