//! The text of case.toml, letter.md and a profiles file: UTF-8 (its byte order mark left out),
//! or UTF-16 with its byte order mark (Windows Notepad's "Unicode"), read as the text importer
//! reads it; any other bytes are named by their line.

use crate::error::{Location, Problem};

/// The text of `file` (`case.toml`, named so in the problem) from its bytes, or the problem people read: the line of the
/// first byte that is not UTF-8, and that byte.
pub(crate) fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Problem> {
    if let Some(text) = crate::import::text::utf16(&bytes) {
        return text.map_err(|why| Problem::new(file, Location::File, why.to_string()));
    }
    // UTF-8's byte order mark, which some Windows editors write, is not part of the text.
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(body) => body.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let (bytes, at) = (e.as_bytes(), e.utf8_error().valid_up_to());
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Problem::new(file, Location::Line(line), not_utf8(bytes[at]))
    })
}

/// What to do about `byte`, the first that is not UTF-8, with the character it is in
/// Windows-1252 (what an editor that does not write UTF-8 most often wrote), so it can be found
/// on its line.
fn not_utf8(byte: u8) -> String {
    let c = crate::import::text::cp1252(byte);
    let seen = if c.is_control() { String::new() } else { format!(" ({c} in Windows-1252)") };
    format!("byte 0x{byte:02X}{seen} is not UTF-8: save the file as UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_utf16_with_its_mark_are_text() {
        let text = "[case]\ntitle = \"Café\"\r\n";
        assert_eq!(decode("case.toml", text.as_bytes().to_vec()).unwrap(), text);
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode("case.toml", le.clone()).unwrap(), text);
        assert_eq!(decode("case.toml", be).unwrap(), text);
        assert_eq!(decode("case.toml", [b"\xEF\xBB\xBF", text.as_bytes()].concat()).unwrap(), text);
        let cut = decode("case.toml", le[..le.len() - 1].to_vec()).unwrap_err();
        assert_eq!(cut.to_string(), "case.toml: is a UTF-16 text file with a broken character; save it again as text");
    }

    #[test]
    fn other_bytes_are_named_with_their_line() {
        let p = decode("case.toml", b"[case]\nkind = \"a\"\ntitle = \"Caf\xe9\"\n".to_vec()).unwrap_err();
        assert_eq!(p.to_string(), "case.toml: line 3: byte 0xE9 (é in Windows-1252) is not UTF-8: save the file as UTF-8");
        let p = decode("letter.md", b"\x81".to_vec()).unwrap_err();
        assert_eq!(p.to_string(), "letter.md: line 1: byte 0x81 is not UTF-8: save the file as UTF-8");
    }
}
