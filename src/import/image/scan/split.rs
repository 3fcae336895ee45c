//! A sequential scan without restart markers walked as two walks at once in one thread, as
//! speculative Huffman decoders do: each code's length is known only once the one before it is
//! read, so one walk waits on its lookups, and a second walk, independent of it, fills the
//! wait. The first walk (A) starts at the scan's start; the second (B) at the middle of its
//! data, at a byte boundary, guessing that a block of the MCU's first position starts there.
//! A guess is almost always wrong, but a Huffman code finds its own way back to the true codes
//! within a few of them, and B notes where it stands every so many blocks. Once A reaches the
//! middle it compares where it stands with B's marks: where it stands exactly as B did (the same
//! bit, the same place in the MCU and the block), its walk goes on as B's did from there, so A
//! takes B's place and the blocks B ended since. What B found before that mark (a code no table
//! holds, a block overrun, how many blocks it counted) is dropped. Where A meets none of B's
//! first marks, A walks on alone: the walk is A's throughout, and judges what the walk in one
//! piece (`super::sequential`) judges.

use super::runs::Run;
use super::walker::{four_runs_each, Walker};
use super::{Bits, Table};

/// A scan of fewer blocks than this is walked in one piece.
pub(super) const SPLIT_BLOCKS: u64 = 8192;

/// B's first marks, close together, are the ones A may meet; past them B's walk serves only as
/// far as it goes, and A gives up on B when it has passed them all.
const NEAR_MARKS: usize = 64;

/// How many blocks B walks between its first marks, and between its later ones (from which A
/// takes over where B stopped at the end of the scan or at damage).
const NEAR_EVERY: u64 = 16;
const FAR_EVERY: u64 = 1024;

#[cfg(test)]
thread_local! {
    /// Where B starts, in place of the middle of the data, for tests: a place in the file.
    pub(super) static B_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    /// The scan walked in one piece, as the split walk is checked against.
    pub(super) static IN_ONE_PIECE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The byte where A last met B, if it did.
    pub(super) static MET: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
mod tests;

/// Whether a scan of `count` blocks, without restart markers, is walked as two walks at once.
pub(super) fn worth(count: u64) -> bool {
    #[cfg(test)]
    if IN_ONE_PIECE.get() {
        return false;
    }
    count >= SPLIT_BLOCKS
}

/// `count` blocks from `bits`, the first at position 0 of `order`, as `super::sequential` walks
/// them: `None` where it finds damage, else `bits` left where it left them.
pub(super) fn walk(bits: &mut Bits<'_>, order: &[(&Table, &Table)], runs: &[Run], count: u64) -> Option<()> {
    let (data, from) = (bits.data, bits.pos);
    let middle = b_start(data, from);
    let mut a = Walker::new(*bits, count);
    let mut b = Ahead::new(Bits::new(data, middle), middle);
    // A up to where B started, B from there, one step each in turn.
    while a.count > 0 && raw(&a.bits) < 8 * b.start as u64 {
        both(&mut a, &mut b, order, runs)?;
    }
    b.may_restart = false;
    // A on from there a run or a code at a time, so that each place B stood at between its
    // steps is one of A's too, looking for a mark of B's that it stands at; B on too.
    let mut next = 0;
    while a.count > 0 && next < NEAR_MARKS {
        let Some(mark) = b.marks.get(next) else { break };
        if raw(&a.bits) >= mark.at {
            if let Some(met) = meets(&a, from, &b.marks, &mut next) {
                #[cfg(test)]
                MET.set(b.marks.get(met).map(|mark| (mark.at / 8) as usize));
                a = b.take_over(met, a).unwrap_or(a);
                break;
            }
        }
        a.advance::<false>(order, runs)?;
        b.advance(order, runs);
    }
    while a.count > 0 {
        a.advance::<true>(order, runs)?;
    }
    *bits = a.bits;
    Some(())
}

/// One step of A's and one of B's, their runs one of each in turn where both refill; `None`
/// where A finds damage.
#[inline(always)]
fn both<'a>(a: &mut Walker<'a>, b: &mut Ahead<'a>, order: &[(&Table, &Table)], runs: &[Run]) -> Option<()> {
    if b.stopped || !a.may_group() || !a.bits.refill() || !b.walker.bits.refill() {
        // A refill of A's again in its step adds the same bits.
        a.advance::<true>(order, runs)?;
        b.advance(order, runs);
        return Some(());
    }
    let (a_all, b_all) = four_runs_each(a, &mut b.walker, runs);
    if !a_all {
        a.advance::<false>(order, runs)?;
    }
    let stepped = if b_all { Some(()) } else { b.walker.advance::<false>(order, runs) };
    b.stepped(stepped);
    Some(())
}

/// Where B starts: at the middle of the rest of the file (where the scan's data ends is not
/// known ahead), or past it where the byte before is an 0xFF, whose stuffed zero it would read
/// as data.
fn b_start(data: &[u8], from: usize) -> usize {
    let at = from + data.len().saturating_sub(from) / 2;
    #[cfg(test)]
    let at = B_AT.get().map_or(at, |b_at| b_at.max(from));
    past_ff(data, at)
}

/// `at`, or past it where the byte before is an 0xFF; never past the data's end.
fn past_ff(data: &[u8], mut at: usize) -> usize {
    while at > 0 && data.get(at - 1) == Some(&0xFF) {
        at += 1;
    }
    at.min(data.len())
}

/// The bits read so far as a place in the file: eight for each byte taken into the buffer,
/// stuffed zeros too, less those buffered: never less than `place`, cheaper to reckon.
#[inline(always)]
fn raw(bits: &Bits<'_>) -> u64 {
    (8 * bits.pos as u64).saturating_sub(u64::from(bits.count))
}

/// The place in the file of the next bit the walk reads: eight for each byte before it, and
/// the bits of its byte before it; the same for two walks that stand at the same bit of the
/// data, however much of it they have buffered. `floor` is where the walk started: the byte
/// there is data, whatever comes before it.
fn place(bits: &Bits<'_>, floor: usize) -> u64 {
    let (mut at, mut bytes) = (bits.pos, bits.count.div_ceil(8));
    while bytes > 0 && at > 0 {
        at -= 1;
        let stuffed = at > floor && bits.data.get(at) == Some(&0) && bits.data.get(at - 1) == Some(&0xFF);
        bytes -= u32::from(!stuffed);
    }
    8 * at as u64 + u64::from((8 - bits.count % 8) % 8)
}

/// A's next mark of B's, from `next` on: `next` moved past the marks before where A stands,
/// and the mark's index where A stands exactly as B stood there.
fn meets(a: &Walker<'_>, from: usize, marks: &[Mark<'_>], next: &mut usize) -> Option<usize> {
    let here = place(&a.bits, from);
    while marks.get(*next).is_some_and(|mark| mark.at < here) {
        *next += 1;
    }
    let mark = marks.get(*next)?;
    (mark.at == here && mark.walker.lookup == a.lookup && mark.walker.k == a.k).then_some(*next)
}

/// Where B stood at a place in the file (`place`).
struct Mark<'a> {
    at: u64,
    walker: Walker<'a>,
}

/// B: its walk, counting down from as many blocks as it could ever end, until damage or the
/// end of the data stops it; its marks, in the order it made them. Where a guess of B's runs
/// into a code no table holds, a block overrun or a marker before its first marks are made,
/// and A has not reached it, B guesses again after it, its marks dropped.
struct Ahead<'a> {
    walker: Walker<'a>,
    stopped: bool,
    may_restart: bool,
    marks: Vec<Mark<'a>>,
    /// B's count at which it makes its next mark.
    next_mark: u64,
    start: usize,
}

impl<'a> Ahead<'a> {
    fn new(bits: Bits<'a>, start: usize) -> Ahead<'a> {
        let walker = Walker::new(bits, u64::MAX);
        Ahead { walker, stopped: false, may_restart: true, marks: Vec::with_capacity(NEAR_MARKS * 2), next_mark: u64::MAX, start }
    }

    /// One step of B's, and a mark where it has walked far enough since the last.
    #[inline(always)]
    fn advance(&mut self, order: &[(&Table, &Table)], runs: &[Run]) {
        if self.stopped {
            return;
        }
        let stepped = self.walker.advance::<true>(order, runs);
        self.stepped(stepped);
    }

    /// After a step of B's: stopped or guessing again where it found damage, a mark where it
    /// has walked far enough since the last.
    #[inline(always)]
    fn stepped(&mut self, stepped: Option<()>) {
        if stepped.is_none() {
            self.stop_or_restart();
        } else if self.walker.count <= self.next_mark {
            self.mark();
        }
    }

    #[cold]
    fn stop_or_restart(&mut self) {
        let bits = self.walker.bits;
        if !self.may_restart || self.marks.len() >= NEAR_MARKS || bits.pos >= bits.data.len() {
            self.stopped = true;
            return;
        }
        // On at least a byte, so that a marker it stopped at does not stop it again there.
        self.start = past_ff(bits.data, bits.pos.max(self.start + 1));
        self.walker = Walker::new(Bits::new(bits.data, self.start), u64::MAX);
        self.marks.clear();
        self.next_mark = u64::MAX;
    }

    #[cold]
    fn mark(&mut self) {
        let at = place(&self.walker.bits, self.start);
        self.marks.push(Mark { at, walker: self.walker });
        let every = if self.marks.len() < NEAR_MARKS { NEAR_EVERY } else { FAR_EVERY };
        self.next_mark = self.walker.count.saturating_sub(every);
    }

    /// A, which stands as B did at mark `met`, moved to the furthest place B reached since
    /// without ending more blocks than A has left (short of its last: A ends that itself), its
    /// count less the blocks B ended on the way: B's place now where it is still walking and
    /// within those blocks, else its last mark that is.
    fn take_over(&self, met: usize, a: Walker<'a>) -> Option<Walker<'a>> {
        let at_mark = self.marks.get(met)?.walker.count;
        let walking = (!self.stopped).then_some(&self.walker);
        let mut places = walking.into_iter().chain(self.marks.get(met..)?.iter().rev().map(|mark| &mark.walker));
        let (place, ended) = places.find_map(|place| Some((place, at_mark.checked_sub(place.count).filter(|&e| e < a.count)?)))?;
        Some(Walker { count: a.count - ended, ..*place })
    }
}
