//! One walk through the blocks of a sequential scan that no restart marker parts, step by step:
//! where it stands between its steps is all a `Walker` holds, so two walks of one scan that
//! stand at the same place go on alike (`split.rs`).

use super::runs::{self, Run, RUN_BITS};
use super::{after, Bits, Class, Table};

/// Where a walk of a sequential scan stands between its steps: its bits, the lookup of the place
/// the next step starts at (`runs::at`: before a block's DC difference or inside its AC
/// coefficients, for the block's position in the MCU's order of tables), the coefficient that
/// step codes (1 before the DC difference, where the AC coefficients start), and how many
/// blocks are left, the one it is in among them.
#[derive(Clone, Copy)]
pub(super) struct Walker<'a> {
    pub(super) bits: Bits<'a>,
    pub(super) lookup: usize,
    pub(super) k: u32,
    pub(super) count: u64,
}

impl<'a> Walker<'a> {
    /// A walk of `count` blocks from the start of a block at position 0 of the order.
    pub(super) fn new(bits: Bits<'a>, count: u64) -> Walker<'a> {
        Walker { bits, lookup: 0, k: 1, count }
    }

    /// One step, while blocks are left: four runs where `GROUPED` and they lie whole in the bits
    /// a refill buffers, else one run, else one code with its magnitude bits. Each block is a DC
    /// difference and up to 63 AC coefficients, run-length coded; runs take several steps
    /// through one lookup, on into the blocks after. `None` where the data is damaged. The
    /// steps taken are the same codes however they are grouped.
    #[inline(always)]
    pub(super) fn advance<const GROUPED: bool>(&mut self, order: &[(&Table, &Table)], runs: &[Run]) -> Option<()> {
        // Four runs lie whole in the 56 bits a refill buffers: they are taken without a check on
        // how many bits are left, which no branch predictor could foretell.
        if GROUPED && self.may_group() && self.bits.refill() && self.four_runs(runs) {
            return Some(());
        }
        let run = self.bits.run(runs, self.lookup);
        if run.fits(self.k) {
            if u64::from(run.ended()) < self.count {
                self.bits.take(run);
                self.count -= u64::from(run.ended());
                (self.lookup, self.k) = (run.lookup(), run.k(self.k));
            } else {
                // The last block of the restart interval or scan: no further.
                self.bits.consume(run.block_bits());
                self.end_block(order.len());
            }
            return Some(());
        }
        let (dc, ac) = order[self.lookup / 2];
        if self.lookup.is_multiple_of(2) {
            self.bits.step(dc, Class::Dc)?;
            self.lookup += 1;
            return Some(());
        }
        let step = self.bits.step(ac, Class::Ac)?;
        // Past the run to the coefficient: where that passes the block's end (k > 63 before
        // the step's one for the coefficient itself), the block is damaged. Sixteen zeros may
        // run past it, as libjpeg lets them.
        self.k += step.advance();
        if step.places_coefficient() && self.k > 64 {
            return None;
        }
        if step.advance() == 0 || self.k >= 64 {
            self.end_block(order.len());
        }
        Some(())
    }

    /// Up to four runs from the bits a refill has just buffered; true when it took all four.
    /// The bits they take and the blocks they end are counted once, after them (`Run::taken`).
    #[inline(always)]
    fn four_runs(&mut self, runs: &[Run]) -> bool {
        let (mut left, mut at, mut taken) = (4, runs::at(self.lookup, 0), 0);
        while left > 0 {
            let run = self.bits.peek(runs, at);
            if !run.fits(self.k) {
                break;
            }
            self.bits.shift(run);
            taken += run.taken();
            (at, self.k) = (run.lookup_at(), run.k(self.k));
            left -= 1;
        }
        self.bits.count -= taken & 63;
        self.count -= u64::from(taken >> 6);
        self.lookup = at >> RUN_BITS;
        left == 0
    }

    /// Whether four runs may be taken at once: more blocks are left than they can end.
    #[inline(always)]
    pub(super) fn may_group(&self) -> bool {
        self.count > u64::from(4 * runs::MOST_ENDED)
    }

    #[inline(always)]
    fn end_block(&mut self, positions: usize) {
        (self.count, self.lookup, self.k) = (self.count - 1, after(self.lookup, positions), 1);
    }
}

/// Up to four runs of each of two walks whose refills have just buffered their bits, one of
/// each in turn, so that the processor overlaps their lookups; for each, true when it took all
/// four (`Walker::four_runs`). A run that does not fit leaves the walk as it was, so each one
/// after it is the same run and does not fit either.
#[inline(always)]
pub(super) fn four_runs_each(a: &mut Walker<'_>, b: &mut Walker<'_>, runs: &[Run]) -> (bool, bool) {
    let (mut a_group, mut b_group) = (Group::new(a), Group::new(b));
    for _ in 0..4 {
        a_group.take(a, runs);
        b_group.take(b, runs);
    }
    (a_group.end(a), b_group.end(b))
}

/// Four runs of one walk under way: the lookup next, the bits and blocks taken, how many runs.
struct Group {
    at: usize,
    taken: u32,
    left: u32,
}

impl Group {
    #[inline(always)]
    fn new(walker: &Walker<'_>) -> Group {
        Group { at: runs::at(walker.lookup, 0), taken: 0, left: 4 }
    }

    #[inline(always)]
    fn take(&mut self, walker: &mut Walker<'_>, runs: &[Run]) {
        let run = walker.bits.peek(runs, self.at);
        if run.fits(walker.k) {
            walker.bits.shift(run);
            self.taken += run.taken();
            (self.at, walker.k) = (run.lookup_at(), run.k(walker.k));
            self.left -= 1;
        }
    }

    #[inline(always)]
    fn end(self, walker: &mut Walker<'_>) -> bool {
        walker.bits.count -= self.taken & 63;
        walker.count -= u64::from(self.taken >> 6);
        walker.lookup = self.at >> RUN_BITS;
        self.left == 0
    }
}
