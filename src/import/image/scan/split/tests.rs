//! The split walk against the walk in one piece: the same verdict and the same scan end for
//! photos as they are, with B started anywhere, with bits flipped around where B starts and
//! where A meets it, and cut short.

use super::super::tests::{next, photo};
use super::super::{walk, walk_ahead, ScanEnd, Walked};
use super::{B_AT, IN_ONE_PIECE, MET, SPLIT_BLOCKS};
use jpeg_encoder::{ColorType, SamplingFactor};

/// The verdict and, for a sequential photo found whole, its scan's end.
type Judged = (Walked, Option<ScanEnd>);

fn judged(jpeg: &[u8]) -> Judged {
    (walk(jpeg), walk_ahead(jpeg))
}

/// The walk in one piece, as the split walk must judge.
fn in_one_piece(jpeg: &[u8]) -> Judged {
    IN_ONE_PIECE.set(true);
    let judged = judged(jpeg);
    IN_ONE_PIECE.set(false);
    judged
}

/// The split walk with B started at `b_at` (the middle where `None`), and where A met B.
fn split(jpeg: &[u8], b_at: Option<usize>) -> (Judged, Option<usize>) {
    B_AT.set(b_at);
    MET.set(None);
    let judged = judged(jpeg);
    B_AT.set(None);
    (judged, MET.get())
}

/// Photos of more blocks than are split: colour 4:4:4, 4:2:0 and grey, half noise (stuffed
/// 0xFF bytes, long codes) and half smooth, and a photo as a camera makes one.
fn photos() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("4:4:4", photo(576, SamplingFactor::F_1_1, ColorType::Rgb, 0)),
        ("4:2:0", photo(640, SamplingFactor::F_2_2, ColorType::Rgb, 0)),
        ("grey", photo(768, SamplingFactor::F_1_1, ColorType::Luma, 0)),
        ("camera", crate::demo::fixtures::jpeg_plain_at(1024, 768, 3, 90)),
    ]
}

/// Where the scan's data starts: past the scan header.
fn scan_start(jpeg: &[u8]) -> usize {
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    sos + 2 + usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]))
}

/// Where B starts unless told: the middle of the file past the scan's start.
fn middle(jpeg: &[u8]) -> usize {
    scan_start(jpeg) + (jpeg.len() - scan_start(jpeg)) / 2
}

/// The places of the first `n` stuffed 0xFF bytes from `from` on.
fn stuffed_from(jpeg: &[u8], from: usize, n: usize) -> Vec<usize> {
    (from..jpeg.len() - 1).filter(|&i| jpeg[i] == 0xFF && jpeg[i + 1] == 0).take(n).collect()
}

#[test]
fn b_started_anywhere_judges_as_the_walk_in_one_piece() {
    for (what, photo) in photos() {
        let one = in_one_piece(&photo);
        assert_eq!(one.0, Walked::Whole, "{what}");
        let (judged, met) = split(&photo, None);
        assert_eq!(judged, one, "{what}");
        let met = met.unwrap_or_else(|| panic!("{what}: A never met B"));
        let (start, middle) = (scan_start(&photo), middle(&photo));
        assert!(met > middle && met < middle + (photo.len() - middle) / 4, "{what}: met at {met}, the middle {middle}");
        // Around the middle; at and around stuffed 0xFF bytes after it (on the 0xFF, on its
        // zero); at the scan's start, next to the end marker and past the end of the file.
        let mut places: Vec<usize> = (middle - 8..middle + 8).collect();
        for ff in stuffed_from(&photo, middle, 6) {
            places.extend(ff - 1..ff + 3);
        }
        places.extend([start, start + 1, start + 2, photo.len() - 3, photo.len() - 2, photo.len() - 1, photo.len(), photo.len() + 5]);
        let mut met_anywhere = 0;
        for at in places {
            let (judged, met) = split(&photo, Some(at));
            assert_eq!(judged, one, "{what}, B from {at}");
            met_anywhere += usize::from(met.is_some());
        }
        assert!(met_anywhere > 20, "{what}: A met B {met_anywhere} times");
    }
}

#[test]
fn bits_flipped_around_where_b_starts_and_a_meets_it_are_judged_as_in_one_piece() {
    let mut state = 0x5DEE_CE66_D1CE_4E5B;
    let (mut whole, mut damaged) = (0, 0);
    for (what, photo) in photos() {
        let (_, met) = split(&photo, None);
        let (start, middle, met) = (scan_start(&photo), middle(&photo), met.unwrap());
        let mut places: Vec<usize> = (0..12).map(|i| middle - 24 + 4 * i).collect();
        places.extend((0..12).map(|i| met - 24 + 4 * i));
        places.extend((0..8).map(|_| start + next(&mut state) as usize % (photo.len() - start - 2)));
        // An 0xFF near the middle and its stuffed zero: a marker, or a lost stuffing.
        for ff in stuffed_from(&photo, middle - 64, 2) {
            places.extend([ff, ff + 1]);
        }
        for at in places {
            let mut flipped = photo.clone();
            flipped[at] ^= 1 << (next(&mut state) % 8);
            let one = in_one_piece(&flipped);
            assert_eq!(split(&flipped, None).0, one, "{what}, bit flipped at {at}");
            // B started just past the flip: B sees none of it, A walks through it.
            assert_eq!(split(&flipped, Some(at + 1)).0, one, "{what}, bit flipped at {at}, B from after it");
            whole += usize::from(one.0 == Walked::Whole);
            damaged += usize::from(one.0 == Walked::Damaged);
        }
    }
    assert!(whole > 5 && damaged > 40, "{whole} whole, {damaged} damaged");
}

/// Another picture after the end marker (as a camera appends its preview), where B starts in
/// the other picture's data and never meets A.
#[test]
fn a_picture_after_the_end_marker_is_judged_as_in_one_piece() {
    for (what, photo) in photos() {
        let mut two = photo.clone();
        two.extend(&photo);
        let one = in_one_piece(&two);
        assert_eq!(split(&two, None).0, one, "{what}");
        for at in [photo.len() - 2, photo.len(), photo.len() + middle(&photo)] {
            assert_eq!(split(&two, Some(at)).0, one, "{what}, B from {at}");
        }
    }
}

#[test]
fn photos_cut_short_are_judged_as_in_one_piece() {
    let mut state = 0x2F3A_7C41_99B0_E1D3;
    for (what, photo) in photos() {
        let (_, met) = split(&photo, None);
        let (start, middle, met) = (scan_start(&photo), middle(&photo), met.unwrap());
        let mut cuts = vec![middle - 1, middle, middle + 1, met - 2, met, met + 2, photo.len() - 2, photo.len() - 1];
        cuts.extend((0..6).map(|_| start + next(&mut state) as usize % (photo.len() - start)));
        for cut in cuts {
            // Cut short, and cut short then closed with an end marker.
            let mut short = photo[..cut].to_vec();
            assert_eq!(split(&short, None).0, in_one_piece(&short), "{what}, cut at {cut}");
            short.extend([0xFF, 0xD9]);
            assert_eq!(split(&short, None).0, in_one_piece(&short), "{what}, cut at {cut} and closed");
        }
    }
}

#[test]
fn a_small_scan_is_walked_in_one_piece() {
    // 90 × 90 blocks, just under the size split; 92 × 92, just over it.
    const { assert!(90 * 90 < SPLIT_BLOCKS && 92 * 92 >= SPLIT_BLOCKS) };
    for (size, splits) in [(8, false), (720, false), (736, true)] {
        let photo = photo(size, SamplingFactor::F_1_1, ColorType::Luma, 0);
        let (judged, met) = split(&photo, None);
        assert_eq!(judged, in_one_piece(&photo), "{size} pixels");
        assert_eq!(met.is_some(), splits, "{size} pixels");
    }
}

/// A takes B's place only where B ended fewer blocks since the mark than A has left: past
/// them B may stand inside a block after the scan's last, where A must stop and judge.
#[test]
fn a_takes_over_short_of_its_last_block() {
    use super::super::walker::Walker;
    use super::super::Bits;
    use super::{Ahead, Mark};
    let data = [0u8; 4];
    let place = |count, k| Walker { bits: Bits::new(&data, 0), lookup: 1, k, count };
    let mut b = Ahead::new(Bits::new(&data, 0), 0);
    b.marks = vec![Mark { at: 0, walker: place(100, 1) }, Mark { at: 8, walker: place(97, 2) }, Mark { at: 16, walker: place(95, 3) }];
    b.walker = place(90, 4);
    // B walking on, 10 blocks past the first mark: for A with 11 blocks left, its place now.
    let taken = |b: &Ahead<'_>, met, left| b.take_over(met, place(left, 1)).map(|a| (a.k, a.count));
    assert_eq!(taken(&b, 0, 11), Some((4, 1)));
    // With 10 left, its last mark before: 5 blocks on, A's ninth and tenth left to A.
    assert_eq!(taken(&b, 0, 10), Some((3, 5)));
    // With 3 left, the mark 3 blocks on would take A's last: the mark met itself.
    assert_eq!(taken(&b, 0, 3), Some((1, 3)));
    // Met at the second mark, 7 blocks on to B's place now.
    assert_eq!(taken(&b, 1, 8), Some((4, 1)));
    // Stopped, B's place now is not one: its last mark.
    b.stopped = true;
    assert_eq!(taken(&b, 0, 11), Some((3, 6)));
    // Nothing past the mark fits: the mark itself.
    assert_eq!(taken(&b, 0, 1), Some((1, 1)));
}

/// Two readers at the same bit of the data stand at the same place in the file however much
/// they have buffered, a stuffed zero among it or not; the byte a reader starts at is data.
#[test]
fn a_place_is_the_same_however_much_is_buffered() {
    use super::super::Bits;
    use super::place;
    let data = [0x12, 0xFF, 0x00, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x11, 0x22];
    // Three bits into the 0x34 (the third byte of data): with that byte's last five buffered,
    // with those and the next byte, and with everything up to the end.
    let at = |pos, count| place(&Bits { data: &data, pos, buffer: 0, count }, 0);
    assert_eq!(at(4, 5), 8 * 3 + 3);
    assert_eq!(at(5, 13), 8 * 3 + 3);
    assert_eq!(at(12, 8 * 9 - 3), 8 * 3 + 3);
    // In the 0xFF, the stuffed zero after it buffered too.
    assert_eq!(at(3, 6), 8 + 2);
    assert_eq!(at(4, 14), 8 + 2);
    // A reader that starts at the zero reads it as data.
    let from_zero = |pos, count| place(&Bits { data: &data, pos, buffer: 0, count }, 2);
    assert_eq!(from_zero(4, 12), 8 * 2 + 4);
}

/// A meets B only at a mark where it stands at the same place, lookup and coefficient; the
/// marks before where it stands are passed over.
#[test]
fn a_meets_a_mark_only_standing_exactly_as_b_did() {
    use super::super::walker::Walker;
    use super::super::Bits;
    use super::{meets, Mark};
    let data = [0u8; 16];
    // A at bit 40 (byte 5 read whole, nothing buffered), before the AC coefficient 7 of the
    // block at position 1.
    let walker = |pos, lookup, k| Walker { bits: Bits { data: &data, pos, buffer: 0, count: 0 }, lookup, k, count: 9 };
    let a = walker(5, 3, 7);
    let mark = |at, lookup, k| Mark { at, walker: walker(0, lookup, k) };
    let marks = [mark(16, 3, 7), mark(40, 3, 7)];
    let mut next = 0;
    assert_eq!(meets(&a, 0, &marks, &mut next), Some(1));
    assert_eq!(next, 1);
    for other in [mark(40, 2, 7), mark(40, 1, 7), mark(40, 3, 6), mark(48, 3, 7)] {
        let mut next = 0;
        assert_eq!(meets(&a, 0, &[other], &mut next), None);
    }
}
