//! How an exhibit page's own content is wrapped in the packet: before it, the matrix that
//! places it and the clip to its visible box; after it, the restores that bring the graphics
//! state back to the page's own before the stamp is drawn. Real files are not always balanced:
//! a stray `Q` would undo the placement half-way through the page, and a `q` left open would
//! draw the stamp shrunk and clipped away with the content. So the content's saves and
//! restores are counted first.

use super::stamp::Placement;
use crate::pdflex::{is_regular, skip_inline_image};

/// The name the page's own content goes by when it is drawn as a form of its own.
pub const CONTENT_FORM: &str = "RdContent";

/// How the content's saves (`q`) and restores (`Q`) fall: restores with no save of their own
/// before them, and saves still open at its end; and what it leaves open at its end (an
/// array, a dictionary or a string cut off by damage), which would otherwise swallow the
/// restores and the stamp that follow it, since readers read a page's streams as one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Nesting {
    pub unmatched: usize,
    pub open: usize,
    /// The closing delimiters the content's end needs, innermost first.
    pub unclosed: Vec<u8>,
    /// An operator has fewer operands than it takes: poppler stops reading the page's content
    /// there (so does the input's own rendering), and would never reach the stamp drawn after
    /// it; such content is drawn as a form of its own, which a reader stops reading alone.
    pub stops_reader: bool,
}

/// What is open while the content is read: arrays and dictionaries, innermost last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Array,
    Dict,
}

/// Counts the saves and restores of a content stream, skipping strings, comments and inline
/// image data, where the letters are not operators, and arrays and dictionaries, where a
/// reader takes them as values, not operators.
pub fn nesting(content: &[u8]) -> Nesting {
    let mut n = Nesting::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut tail: Vec<u8> = Vec::new();
    // Operands read since the last operator, at the top level.
    let mut operands = 0usize;
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        let top = stack.is_empty();
        i = match c {
            b'(' => {
                let (end, depth) = crate::pdflex::string_end(content, i + 1);
                tail = vec![b')'; depth];
                operands += usize::from(top);
                end
            }
            b'<' if content.get(i + 1) == Some(&b'<') => {
                stack.push(Open::Dict);
                i + 2
            }
            b'>' if content.get(i + 1) == Some(&b'>') => {
                if stack.last() == Some(&Open::Dict) {
                    stack.pop();
                    operands += usize::from(stack.is_empty());
                }
                i + 2
            }
            b'<' => match content[i + 1..].iter().position(|&c| c == b'>') {
                Some(k) => {
                    operands += usize::from(top);
                    i + 1 + k + 1
                }
                None => {
                    tail = vec![b'>'];
                    content.len()
                }
            },
            b'[' => {
                stack.push(Open::Array);
                i + 1
            }
            b']' => {
                if stack.last() == Some(&Open::Array) {
                    stack.pop();
                    operands += usize::from(stack.is_empty());
                }
                i + 1
            }
            b'/' => {
                operands += usize::from(top);
                (i + 1..content.len()).find(|&k| !is_regular(content[k])).unwrap_or(content.len())
            }
            b'%' => crate::pdflex::comment_end(content, i + 1),
            _ if is_regular(c) => {
                let mut end = (i..content.len()).find(|&k| !is_regular(content[k])).unwrap_or(content.len());
                // A number ends at its first letter that is not a digit or a point, as
                // readers lex it: `76r.1` is the number 76 and then an operator `r.1`.
                if matches!(c, b'0'..=b'9' | b'+' | b'-' | b'.') {
                    end = (i + 1..end).find(|&k| !matches!(content[k], b'0'..=b'9' | b'.')).unwrap_or(end);
                }
                let token = &content[i..end];
                match token {
                    // Inside an array or a dictionary these are values, not operators.
                    _ if !top => {}
                    [b'0'..=b'9' | b'+' | b'-' | b'.', ..] | b"true" | b"false" | b"null" => operands += 1,
                    _ => {
                        n.stops_reader |= operands < takes(token);
                        operands = 0;
                        match token {
                            b"q" => n.open += 1,
                            b"Q" if n.open > 0 => n.open -= 1,
                            b"Q" => n.unmatched += 1,
                            // Past the image's data, which may hold any bytes.
                            b"ID" => i = skip_inline_image(content, end).unwrap_or(content.len()),
                            _ => {}
                        }
                    }
                }
                i.max(end)
            }
            _ => i + 1,
        };
    }
    n.unclosed = tail;
    n.unclosed.extend(stack.iter().rev().flat_map(|o| match o {
        Open::Array => &b" ]"[..],
        Open::Dict => &b" >>"[..],
    }));
    n
}

/// How many operands an operator takes at the least, as poppler's table has it (those with
/// a variable count, and unknown operators, which poppler skips, take none).
fn takes(op: &[u8]) -> usize {
    match op {
        b"Tm" | b"c" | b"cm" | b"d1" => 6,
        b"K" | b"k" | b"re" | b"v" | b"y" => 4,
        b"\"" | b"RG" | b"rg" => 3,
        b"BDC" | b"DP" | b"TD" | b"Td" | b"Tf" | b"d" | b"d0" | b"l" | b"m" => 2,
        b"'" | b"BMC" | b"CS" | b"Do" | b"G" | b"J" | b"M" | b"MP" | b"TJ" | b"TL" | b"Tc" | b"Tj" | b"Tr" | b"Ts" | b"Tw" | b"Tz"
        | b"cs" | b"g" | b"gs" | b"i" | b"j" | b"ri" | b"sh" | b"w" => 1,
        _ => 0,
    }
}

/// What precedes the page's own content: the matrix it is placed with, when it moves a clip
/// to its visible box (what the original hid outside its CropBox stays hidden and does not
/// reach the stamp band), and a save for each restore the content does not match.
pub fn prelude(place: &Placement, visible: [f64; 4], n: &Nesting) -> String {
    let m = place.content;
    let mut ops = format!("q {} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5]);
    if place.moves() {
        let [x0, y0, x1, y1] = visible;
        ops.push_str(&format!("{x0} {y0} {} {} re W n\n", x1 - x0, y1 - y0));
    }
    ops.push_str(&"q\n".repeat(n.unmatched));
    ops
}

/// What follows the page's own content: the closing delimiters of what damage left open (so
/// the restores and the stamp are read as operators), a restore for each save it left open,
/// then the prelude's own.
pub fn postlude(n: &Nesting) -> String {
    let close = String::from_utf8_lossy(&n.unclosed);
    format!("\n{close}\n{}Q\n", "Q\n".repeat(n.open))
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
        assert_eq!(nesting(b"Q 0 g Q q 0 0 10 10 re f q"), Nesting { unmatched: 2, open: 2, ..Nesting::default() });
        assert_eq!(nesting(b"q\nQ\nQ"), Nesting { unmatched: 1, open: 0, ..Nesting::default() });
    }

    #[test]
    fn operators_inside_strings_comments_and_images_are_not_counted() {
        let content = b"q (a \\) Q q) Tj <51> Tj % Q Q\nBI /W 1 /H 1 /BPC 8 /CS /G ID Q q\xff EI Q q";
        assert_eq!(nesting(content), Nesting { unmatched: 0, open: 1, ..Nesting::default() });
    }

    #[test]
    fn the_wrapping_leaves_the_stamp_outside_whatever_the_content_does() {
        let n = Nesting { unmatched: 2, open: 3, ..Nesting::default() };
        let place = crate::packet::stamp::place([0.0, 0.0, 612.0, 792.0], 0, 1.0, false, 400.0);
        let whole = format!("{}Q Q q q q{}", prelude(&place, [0.0, 0.0, 612.0, 792.0], &n), postlude(&n));
        assert_eq!(nesting(whole.as_bytes()), Nesting::default(), "{whole}");
    }

    #[test]
    fn what_damage_leaves_open_is_closed_before_the_stamp() {
        // A damaged stream (a real file in qpdf's suite) ends inside arrays it opened: a
        // reader would take the restores and the stamp after it as the arrays' values.
        let content = b"q 0 0 10 10 re W n Q q /Im4 Do ['j 23 cm /Im4 Do ['j 23 cm << /A [ (x \\) (y";
        let n = nesting(content);
        assert_eq!((n.unmatched, n.open), (0, 1), "q and Q inside the arrays are values");
        // The prelude's own save, the content, the postlude, then the stamp.
        let whole = [&b"q "[..], content, postlude(&n).as_bytes(), b" q (stamp) Tj Q"].concat();
        let again = nesting(&whole);
        assert_eq!(again, Nesting::default(), "{}", String::from_utf8_lossy(&whole));
        assert_eq!(nesting(b"0 g <00ff").unclosed, b">");
        assert_eq!(nesting(b"[ (a) ] << /K 1 >> q Q").unclosed, b"");
    }

    #[test]
    fn an_operator_short_of_operands_is_seen() {
        // poppler stops reading a page at such an operator (a real file in qpdf's suite).
        assert!(nesting(b"q 0 0 595 842 re W* n Q q 2`1 76r.1 113.2 23.2 re W* n").stops_reader);
        assert!(nesting(b"23.3 cm").stops_reader);
        let whole = b"q 1 0 0 1 0 0 cm /F1 12 Tf [(a) 2 (b)] TJ (c) Tj 1 0 0 RG /GS0 gs /Span << /MCID 0 >> BDC EMC \
            BI /W 1 /H 1 /BPC 8 /CS /G ID \x01 EI 0 0 10 10 re f Q";
        assert!(!nesting(whole).stops_reader, "{}", String::from_utf8_lossy(whole));
    }
}
