//! How an exhibit page's own content is wrapped in the packet: before it, the matrix that
//! places it and the clip to its visible box; after it, the restores that bring the graphics
//! state back to the page's own before the stamp is drawn. Real files are not always balanced:
//! a stray `Q` would undo the placement half-way through the page, and a `q` left open would
//! draw the stamp shrunk and clipped away with the content. So the content's saves and
//! restores are counted first.

use super::stamp::Placement;

/// How the content's saves (`q`) and restores (`Q`) fall: restores with no save of their own
/// before them, and saves still open at its end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    pub unmatched: usize,
    pub open: usize,
}

/// Counts the saves and restores of a content stream, skipping strings, comments and inline
/// image data, where the letters are not operators.
pub fn nesting(content: &[u8]) -> Nesting {
    let mut n = Nesting::default();
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        i = match c {
            b'(' => skip_string(content, i + 1),
            b'<' if content.get(i + 1) != Some(&b'<') => skip_past(content, i + 1, b'>'),
            b'%' => skip_past(content, i + 1, b'\n'),
            _ if is_regular(c) => {
                let end = (i..content.len()).find(|&k| !is_regular(content[k])).unwrap_or(content.len());
                match &content[i..end] {
                    b"q" => n.open += 1,
                    b"Q" if n.open > 0 => n.open -= 1,
                    b"Q" => n.unmatched += 1,
                    // Past the image's data, which may hold any bytes.
                    b"ID" => i = skip_inline_image(content, end).unwrap_or(content.len()),
                    _ => {}
                }
                i.max(end)
            }
            _ => i + 1,
        };
    }
    n
}

fn is_regular(c: u8) -> bool {
    !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' | b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// The index after a literal string's closing parenthesis (nested ones and escapes counted).
fn skip_string(s: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

fn skip_past(s: &[u8], from: usize, end: u8) -> usize {
    s[from.min(s.len())..].iter().position(|&c| c == end).map_or(s.len(), |k| from + k + 1)
}

/// The index after the `EI` that ends an inline image whose data starts at `from`.
fn skip_inline_image(s: &[u8], from: usize) -> Option<usize> {
    let space = |c: Option<&u8>| c.is_none_or(|c| !is_regular(*c));
    (from..s.len().saturating_sub(1))
        .find(|&k| &s[k..k + 2] == b"EI" && space(k.checked_sub(1).and_then(|p| s.get(p))) && space(s.get(k + 2)))
        .map(|k| k + 2)
}

/// What precedes the page's own content: the matrix it is placed with, when it moves a clip
/// to its visible box (what the original hid outside its CropBox stays hidden and does not
/// reach the stamp band), and a save for each restore the content does not match.
pub fn prelude(place: &Placement, visible: [f64; 4], n: Nesting) -> String {
    let m = place.content;
    let mut ops = format!("q {} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5]);
    if place.moves() {
        let [x0, y0, x1, y1] = visible;
        ops.push_str(&format!("{x0} {y0} {} {} re W n\n", x1 - x0, y1 - y0));
    }
    ops.push_str(&"q\n".repeat(n.unmatched));
    ops
}

/// What follows the page's own content: a restore for each save it left open, then the
/// prelude's own.
pub fn postlude(n: Nesting) -> String {
    format!("\n{}Q\n", "Q\n".repeat(n.open))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_content_needs_nothing_more() {
        assert_eq!(nesting(b"q 1 0 0 1 0 0 cm BT (q Q) Tj ET Q q Q"), Nesting::default());
    }

    #[test]
    fn stray_restores_and_open_saves_are_counted() {
        assert_eq!(nesting(b"Q 0 g Q q 0 0 10 10 re f q"), Nesting { unmatched: 2, open: 2 });
        assert_eq!(nesting(b"q\nQ\nQ"), Nesting { unmatched: 1, open: 0 });
    }

    #[test]
    fn operators_inside_strings_comments_and_images_are_not_counted() {
        let content = b"q (a \\) Q q) Tj <51> Tj % Q Q\nBI /W 1 /H 1 /BPC 8 /CS /G ID Q q\xff EI Q q";
        assert_eq!(nesting(content), Nesting { unmatched: 0, open: 1 });
    }

    #[test]
    fn the_wrapping_leaves_the_stamp_outside_whatever_the_content_does() {
        let n = Nesting { unmatched: 2, open: 3 };
        let place = crate::packet::stamp::place([0.0, 0.0, 612.0, 792.0], 0, 1.0, false, 400.0);
        let whole = format!("{}Q Q q q q{}", prelude(&place, [0.0, 0.0, 612.0, 792.0], n), postlude(n));
        assert_eq!(nesting(whole.as_bytes()), Nesting::default(), "{whole}");
    }
}
