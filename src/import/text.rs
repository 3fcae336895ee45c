//! Text exhibits: decoded as UTF-8 (or Windows-1252 when they are not UTF-8), or as UTF-16 when
//! they open with its byte order mark (Windows Notepad's "Unicode"), refusing binaries; of the
//! control characters only tab, newline and form feed are kept.

/// The text of a .txt or .md exhibit, and a warning when it was not UTF-8.
pub fn decode(bytes: &[u8]) -> super::Result<(String, Option<String>)> {
    crate::limits::check_text(bytes.len() as u64)?;
    let binary = || super::Error::NotTheFormat("is not a text file (it contains binary data)".into());
    if let Some(text) = utf16(bytes) {
        let text = text?;
        return if text.contains('\0') { Err(binary()) } else { Ok((clean(&text), None)) };
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(binary());
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

/// The text of a file that opens with UTF-16's byte order mark (little- or big-endian), or
/// `None` when it does not; a file cut inside a character or holding a lone surrogate is
/// refused as damaged.
pub(crate) fn utf16(bytes: &[u8]) -> Option<super::Result<String>> {
    let (body, little) = match bytes {
        [0xFF, 0xFE, body @ ..] => (body, true),
        [0xFE, 0xFF, body @ ..] => (body, false),
        _ => return None,
    };
    let damaged = || super::Error::Damaged("is a UTF-16 text file with a broken character; save it again as text".into());
    if body.len() % 2 != 0 {
        return Some(Err(damaged()));
    }
    let units = body.chunks_exact(2).map(|u| if little { u16::from_le_bytes([u[0], u[1]]) } else { u16::from_be_bytes([u[0], u[1]]) });
    Some(char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| damaged()))
}

/// Normalises line ends and drops control characters other than tab, newline and form feed
/// (which starts a new page, as a printer takes it).
fn clean(t: &str) -> String {
    t.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| !c.is_control() || matches!(*c, '\n' | '\t' | FORM_FEED)).collect()
}

/// The form feed, which a text keeps: a plain text starts a new page at it.
pub const FORM_FEED: char = '\u{c}';

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

pub(crate) fn cp1252(b: u8) -> char {
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
        // A form feed is kept, for the page it starts; other controls are dropped.
        assert_eq!(decode(b"one\x0ctwo\x07\r\n").unwrap().0, "one\u{c}two\n");
    }

    #[test]
    fn utf16_with_its_byte_order_mark_is_text() {
        let text = "Señora Müller — ref 7\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&le).unwrap(), ("Señora Müller — ref 7\n".to_string(), None));
        assert_eq!(decode(&be).unwrap(), ("Señora Müller — ref 7\n".to_string(), None));
        // Cut inside a character, or holding a lone surrogate: not text.
        assert!(decode(&le[..le.len() - 1]).is_err());
        assert!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).is_err());
        // Binary data that happens to open with the mark.
        assert!(decode(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00]).is_err());
    }
}
