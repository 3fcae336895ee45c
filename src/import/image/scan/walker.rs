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
        if GROUPED && self.count > u64::from(4 * runs::MOST_ENDED) && self.bits.refill() && self.four_runs(runs) {
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

    #[inline(always)]
    fn end_block(&mut self, positions: usize) {
        (self.count, self.lookup, self.k) = (self.count - 1, after(self.lookup, positions), 1);
    }
}
