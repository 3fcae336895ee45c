//! The few pieces of PDF's lexical rules that byte scanners share (`limits` measuring a file's
//! nesting before it is parsed, `packet::wrap` balancing a page's content, `packet::fax` reading
//! its colours): where a literal string, a comment or an inline image ends, so that brackets
//! inside them are not counted, and which characters make up a token.

/// Where the literal string whose opening parenthesis comes just before `from` ends: the index
/// after its closing parenthesis (nested pairs and backslash escapes counted), and how many
/// parentheses are still open when the bytes end inside it (0 when it closes).
pub(crate) fn string_end(bytes: &[u8], from: usize) -> (usize, usize) {
    let (mut depth, mut i) = (1usize, from);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (i + 1, 0);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), depth)
}

/// Where the comment that starts at `from` ends: the index of the end of its line (a carriage
/// return or a line feed), or of the end of the bytes.
pub(crate) fn comment_end(bytes: &[u8], from: usize) -> usize {
    let from = from.min(bytes.len());
    bytes[from..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(bytes.len(), |n| from + n)
}

/// Where `needle` first occurs in `hay`, as the byte scanners look for keywords.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    // memchr's vectorised search: a build looks for keywords through every exhibit's bytes.
    memchr::memmem::find(hay, needle)
}

/// Whether `c` is one of PDF's six white-space characters (NUL and form feed among them).
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

/// Whether `c` is a regular character: one that is neither white space nor a delimiter, so
/// part of a number, a keyword or a name.
pub(crate) fn is_regular(c: u8) -> bool {
    !is_space(c) && !matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// The index after the `EI` that ends an inline image whose data starts at `from`.
pub(crate) fn skip_inline_image(s: &[u8], from: usize) -> Option<usize> {
    let space = |c: Option<&u8>| c.is_none_or(|c| !is_regular(*c));
    (from..s.len().saturating_sub(1))
        .find(|&k| &s[k..k + 2] == b"EI" && space(k.checked_sub(1).and_then(|p| s.get(p))) && space(s.get(k + 2)))
        .map(|k| k + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_ends_after_its_balanced_closing_parenthesis() {
        let s = b"(a (b) \\) c) rest";
        assert_eq!(string_end(s, 1), (12, 0));
        assert_eq!(&s[..12], b"(a (b) \\) c)");
        // Cut inside the nested pair: two still open.
        assert_eq!(string_end(b"(a (b", 1), (5, 2));
        // An escape at the very end does not read past the bytes.
        assert_eq!(string_end(b"(a\\", 1), (3, 1));
    }

    #[test]
    fn a_comment_ends_at_either_line_end() {
        assert_eq!(comment_end(b"% note\n1 0 obj", 0), 6);
        assert_eq!(comment_end(b"% note\r1 0 obj", 0), 6);
        assert_eq!(comment_end(b"% note", 0), 6);
        assert_eq!(comment_end(b"%", 5), 1);
    }
}
