//! Several steps of a sequential scan taken through one lookup: the walk's fast path. A block
//! of a photo is some thirty bits of a handful of short codes; taking each code on its own is
//! bound by its length being known only once the code before it is read, so one lookup here
//! takes every code (with its magnitude bits) that lies whole in the next `RUN_BITS` bits, on
//! past the end of a block into the blocks after it: an MCU's blocks follow one another in an
//! order the scan fixes, so each next block's tables are known ahead, and each place in that
//! order (a position) has lookups of its own.

use std::sync::{Arc, Mutex};

use super::{Step, Table, FAST};

/// How many bits a lookup of several steps at once covers (two lookups of 64 KB for each
/// position).
pub(super) const RUN_BITS: u32 = 14;

// A run's lookup lies at bits `RUN_BITS` on, between its other fields (`Run`).
const _: () = assert!(RUN_BITS == 14);

/// The most positions an MCU's order of tables may take before it repeats (libjpeg takes at
/// most ten blocks in an MCU); a scan whose order repeats later is walked a code at a time.
pub(super) const MOST_POSITIONS: usize = 10;

/// The most blocks one lookup ends.
pub(super) const MOST_ENDED: u32 = 7;

/// The lookups of each position, one after the other: for position `p`, lookup `2p` starts
/// before a block's DC difference, `2p + 1` inside its AC coefficients (found through `at`).
pub(super) type Runs = Arc<[Run]>;

/// Steps taken together, and where they leave the walk: the bits they take (bits 0–3; bits 4
/// and 5 are 0, so that the run itself is the shift that takes them), the blocks they end
/// (bits 6–8), the lookup of the place they stop at (bits 14–18, so that masked it is the
/// lookup's start in `Runs`) and the coefficient the next step there codes (bits 26–31, added
/// to the block's coefficient before the steps where bit 13 is set: steps that end no block).
/// Where the walk may take them: as far as the block's end they move along it by bits 19–24 (at
/// most 62, so that taken from any place short of its end they stay in the block; 63 where
/// not even the first step lies whole in the lookup, so that it is never taken), and take bits
/// 9–12.
#[derive(Clone, Copy)]
pub(super) struct Run(pub(super) u32);

impl Run {
    const KEEP: u32 = 1 << 13;

    /// No steps: the walk takes the next code on its own.
    pub(super) const NONE: Run = Run(63 << 19);

    #[inline(always)]
    pub(super) fn bits(self) -> u32 {
        self.0 & 15
    }

    /// The bits as a shift count (a shift takes the low six bits of its count).
    #[inline(always)]
    pub(super) fn shift(self) -> u32 {
        self.0
    }

    /// Whether the walk may take the steps from coefficient `k` of the block: they stay in
    /// the block (and there are steps).
    #[inline(always)]
    pub(super) fn fits(self, k: u32) -> bool {
        k + self.advance() <= 63
    }

    /// The coefficient the next step codes, from `k` before these steps.
    #[inline(always)]
    pub(super) fn k(self, k: u32) -> u32 {
        let kept = if self.0 & Run::KEEP != 0 { k } else { 0 };
        kept + (self.0 >> 26)
    }

    /// The lookup the next step is taken through.
    #[inline(always)]
    pub(super) fn lookup(self) -> usize {
        (self.0 >> RUN_BITS & 31) as usize
    }

    /// The start in `Runs` of the lookup the next step is taken through (`at`).
    #[inline(always)]
    pub(super) fn lookup_at(self) -> usize {
        (self.0 & 31 << RUN_BITS) as usize
    }

    /// The bits taken and the blocks ended in one number (bits 0–5, and 6 on), so that those
    /// of four runs add up without a carry from one into the other (at most 60 bits).
    #[inline(always)]
    pub(super) fn taken(self) -> u32 {
        self.0 & 0x1CF
    }

    #[inline(always)]
    pub(super) fn ended(self) -> u32 {
        self.0 >> 6 & 7
    }

    /// How far the steps move along the first block, up to its end.
    #[inline(always)]
    pub(super) fn advance(self) -> u32 {
        self.0 >> 19 & 63
    }

    /// The bits the steps take up to the first block's end.
    #[inline(always)]
    pub(super) fn block_bits(self) -> u32 {
        self.0 >> 9 & 15
    }

    /// The run where `count` bits are buffered (fewer than a lookup covers, at a marker or the
    /// end of the file): none where its steps are not all there.
    #[cold]
    pub(super) fn within(self, count: u32) -> Run {
        if self.bits() > count {
            Run::NONE
        } else {
            self
        }
    }
}

/// Where the steps of a lookup leave the walk: the bits taken, blocks ended, the lookup and the
/// coefficient next, with the first block's advance and bits.
struct Outcome {
    bits: u32,
    ended: u32,
    lookup: usize,
    k: u32,
    keep: bool,
    advance: u32,
    block_bits: u32,
}

impl Outcome {
    fn run(&self) -> Run {
        Run(self.bits
            | self.ended << 6
            | self.block_bits << 9
            | if self.keep { Run::KEEP } else { 0 }
            | (self.lookup as u32) << RUN_BITS
            | self.advance << 19
            | self.k << 26)
    }
}

/// The lookups of the last few orders of Huffman tables walked, shared by the threads that
/// open exhibits: photos from one camera share their tables, and making them takes as long as
/// walking a small photo.
static MADE: Mutex<Vec<Made>> = Mutex::new(Vec::new());

/// An order of tables and its lookups.
type Made = (Vec<(Table, Table)>, Runs);

#[cfg(test)]
thread_local! {
    /// Runs that hold no step, so that the walk takes every code on its own: what the runs
    /// are checked against.
    pub(super) static STEP_BY_STEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A scan of fewer blocks than this for each position is walked a code at a time.
pub(super) const WORTH_BLOCKS: u64 = 4096;

/// How many orders of tables are kept.
const KEPT: usize = 4;

/// The index in `Runs` of the run the lookup `lookup` holds for `window`.
#[inline(always)]
pub(super) fn at(lookup: usize, window: u64) -> usize {
    lookup << RUN_BITS | window as usize
}

/// No lookups: every code is taken on its own.
pub(super) fn none() -> Runs {
    Arc::new([])
}

/// The lookups of each position of an MCU's order of DC and AC tables (`order[p]` for the
/// block at position `p`, the order starting again after its last), made once for each order
/// met (a thread that meets it while another makes it waits for those).
pub(super) fn of(order: &[(&Table, &Table)]) -> Runs {
    #[cfg(test)]
    if STEP_BY_STEP.get() {
        return none();
    }
    // A thread that panicked holding the lock left the list whole: entries are pushed whole.
    let mut made = MADE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let same = |kept: &[(Table, Table)]| {
        kept.len() == order.len() && kept.iter().zip(order).all(|((d, a), (dc, ac))| d.same_codes(dc) && a.same_codes(ac))
    };
    let entry = match made.iter().position(|(kept, _)| same(kept)) {
        Some(i) => made.remove(i),
        None => (order.iter().map(|&(dc, ac)| (dc.clone(), ac.clone())).collect(), make(order)),
    };
    let runs = Arc::clone(&entry.1);
    if made.len() == KEPT {
        made.remove(0);
    }
    made.push(entry);
    runs
}

fn make(order: &[(&Table, &Table)]) -> Runs {
    (0..2 * order.len())
        .flat_map(|lookup| (0..1u32 << RUN_BITS).map(move |window| run(window, order, lookup / 2, lookup % 2 == 0).run()))
        .collect()
}

/// The steps `window` holds whole for the block at `position`, from its DC difference where
/// `first`, and on past its end into the blocks after it where it ends inside the window.
fn run(window: u32, order: &[(&Table, &Table)], position: usize, first: bool) -> Outcome {
    let next = |position: usize| (position + 1) % order.len();
    let (dc, ac) = order[position];
    let Some((used, advance, ends)) = block(window, 0, first.then_some(dc), ac) else {
        return Outcome { bits: 0, ended: 0, lookup: 0, k: 0, keep: false, advance: 63, block_bits: 0 };
    };
    if !ends {
        return Outcome { bits: used, ended: 0, lookup: 2 * position + 1, k: advance, keep: true, advance, block_bits: used };
    }
    // On into the blocks after it, each from its DC difference.
    let mut end = Outcome { bits: used, ended: 1, lookup: 2 * next(position), k: 1, keep: false, advance, block_bits: used };
    while end.ended < MOST_ENDED {
        let position = end.lookup / 2;
        let (dc, ac) = order[position];
        let Some((to, advance, ends)) = block(window, end.bits, Some(dc), ac) else { break };
        end.bits = to;
        if !ends {
            (end.lookup, end.k) = (2 * position + 1, 1 + advance);
            break;
        }
        (end.ended, end.lookup) = (end.ended + 1, 2 * next(position));
    }
    end
}

/// The steps of one block that lie whole in `window` from bit `used`, a DC difference first
/// where `dc` is given: the bit they reach, how far they move along the block, whether they
/// end it; `None` where they hold no step. They move at most 62 along the block past its
/// DC, so that taken from any place short of its end they stay in the block (the walk takes
/// them only where they do).
fn block(window: u32, mut used: u32, dc: Option<&Table>, ac: &Table) -> Option<(u32, u32, bool)> {
    let start = used;
    if let Some(dc) = dc {
        used += step_at(window, used, dc)?.bits();
    }
    let mut advance = 0;
    while let Some(step) = step_at(window, used, ac) {
        if step.advance() == 0 {
            return Some((used + step.bits(), advance, true));
        }
        if advance + step.advance() > 62 {
            break;
        }
        used += step.bits();
        advance += step.advance();
    }
    (used > start).then_some((used, advance, false))
}

/// The step at bit `used` of `window`, when it lies whole inside the window.
fn step_at(window: u32, used: u32, table: &Table) -> Option<Step> {
    let rest = u64::from(window).checked_shl(64 - RUN_BITS + used).unwrap_or(0);
    let step = Step(table.steps[(rest >> (64 - FAST)) as usize]);
    (step.0 != 0 && step.bits() <= RUN_BITS - used).then_some(step)
}

#[cfg(test)]
mod tests {
    use super::super::Class;
    use super::*;

    /// The standard luminance DC table (T.81 K.3) and the first codes of its AC table.
    fn tables() -> (Table, Table) {
        let dc = Table::new([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], (0..12).collect(), Class::Dc);
        let ac = Table::new([0, 2, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], vec![0x01, 0x02, 0x03, 0x00, 0x04, 0x11], Class::Ac);
        (dc, ac)
    }

    /// The lookup's index for these bits, written with spaces between codes.
    fn window(bits: &str) -> u32 {
        let bits: String = bits.split_whitespace().collect();
        assert_eq!(bits.len(), RUN_BITS as usize);
        u32::from_str_radix(&bits, 2).unwrap()
    }

    /// What the run of `bits` at `position` of `order` does, from a block's start where
    /// `first`, else from its coefficient 5: the bits it takes, blocks it ends, the lookup and
    /// coefficient it leaves the walk at, and as far as the first block's end the coefficients
    /// it moves over and bits it takes.
    fn taken(order: &[(&Table, &Table)], position: usize, first: bool, bits: &str) -> (u32, u32, usize, u32, u32, u32) {
        let run = run(window(bits), order, position, first).run();
        let k = run.k(if first { 1 } else { 5 });
        (run.bits(), run.ended(), run.lookup(), k, run.advance(), run.block_bits())
    }

    #[test]
    fn a_lookup_takes_the_steps_it_holds_whole_up_to_the_end_of_the_block() {
        let (dc, ac) = tables();
        let order = [(&dc, &ac)];
        // A DC difference of 0 ("00"), 0x01 ("00" and one bit), the end of the block ("1010");
        // the bits after it hold no whole DC difference: the next step is the next block's.
        assert_eq!(taken(&order, 0, true, "00 00 1 1010 11111"), (9, 1, 0, 1, 1, 9));
        // 0x11 ("1100", a zero then a coefficient, one bit), 0x02 ("01", two bits); 0x04 ("1011")
        // would need four bits more than the lookup holds.
        assert_eq!(taken(&order, 0, false, "1100 1 01 10 1011 0"), (9, 0, 1, 8, 3, 9));
        // No code starts "111" in this table: no run.
        assert_eq!(run(window("111 00000000000"), &order, 0, false).run().0, Run::NONE.0);
        // Four times 0x01 and a 0x02 short of its bits: the block goes on.
        assert_eq!(taken(&order, 0, false, "00 1 00 1 00 1 00 1 01"), (12, 0, 1, 9, 4, 12));
    }

    #[test]
    fn a_lookup_goes_on_past_the_end_of_a_block_into_the_blocks_after_it() {
        let (dc, ac) = tables();
        let order = [(&dc, &ac)];
        // The end of the block ("1010"); the next block's DC difference of 0 ("00"), 0x01 ("00"
        // and one bit) and end ("1010"); the "0" after is not a whole DC difference.
        assert_eq!(taken(&order, 0, false, "1010 00 00 1 1010 0"), (13, 2, 0, 1, 0, 4));
        // A DC difference of 0 and the end of the block; the next block's DC difference of size
        // 1 ("010" and one bit) and 0x01: it stops before the next block's second coefficient.
        assert_eq!(taken(&order, 0, true, "00 1010 010 1 00 1 0"), (13, 1, 1, 2, 0, 6));
    }

    #[test]
    fn a_crossing_reads_each_next_block_with_its_own_tables() {
        let (dc, ac) = tables();
        // Colour's tables: DC differences of size 0 to 2 in two bits, the end of a block "00".
        let dc2 = Table::new([0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], vec![0, 1, 2, 3], Class::Dc);
        let ac2 = Table::new([0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], vec![0x00, 0x01, 0x02], Class::Ac);
        let order = [(&dc, &ac), (&dc2, &ac2)];
        // After the end of a luminance block, a colour block (a DC difference of size 1, "01"
        // and one bit, and its end, "00"), then a luminance block's DC difference of size 1.
        assert_eq!(taken(&order, 0, false, "1010 01 1 00 010 1 0"), (13, 2, 1, 1, 0, 4));
        // The same bits read with the luminance tables throughout: a DC difference of size 2
        // ("011" and two bits), 0x02 ("01" and two bits), one block ended.
        assert_eq!(taken(&order[..1], 0, false, "1010 01 1 00 010 1 0"), (13, 1, 1, 2, 0, 4));
        // From the colour block's place in the order: its own end, a luminance block whole,
        // then a colour block's DC difference that does not lie whole in the lookup.
        assert_eq!(taken(&order, 1, false, "00 010 1 1010 1111"), (10, 2, 2, 1, 0, 2));
    }

    #[test]
    fn a_run_is_taken_only_where_all_its_bits_are_buffered() {
        let (dc, ac) = tables();
        let run = run(window("1010 00 00 1 1010 0"), &[(&dc, &ac)], 0, false).run();
        assert_eq!(run.within(13).0, run.0);
        assert_eq!(run.within(12).0, Run::NONE.0);
    }

    #[test]
    fn an_order_of_tables_has_two_lookups_for_each_position() {
        let (dc, ac) = tables();
        let runs = make(&[(&dc, &ac), (&dc, &ac), (&dc, &ac)]);
        assert_eq!(runs.len(), 6 << RUN_BITS);
        // The third block's lookup inside its coefficients: after its end, the first block's.
        let run = runs[at(5, u64::from(window("1010 1111111111")))];
        assert_eq!((run.bits(), run.ended(), run.lookup()), (4, 1, 0));
    }
}
