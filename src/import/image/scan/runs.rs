//! Several steps of a sequential scan taken through one lookup: the walk's fast path. A block
//! of a photo is some thirty bits of a handful of short codes; taking each code on its own is
//! bound by its length being known only once the code before it is read, so one lookup here
//! takes every code (with its magnitude bits) that lies whole in the next `RUN_BITS` bits.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Step, Table, FAST};

/// How many bits a lookup of several steps at once covers (two tables of 32 KB for each pair
/// of DC and AC tables).
pub(super) const RUN_BITS: u32 = 14;

/// Several steps of a sequential scan taken through one lookup of the next `RUN_BITS` bits:
/// every code with its magnitude bits that lies whole inside them, up to and including the end
/// of a block. `first` starts with a block's DC difference, `ac` inside its AC coefficients.
pub(super) struct Runs {
    pub(super) first: [Run; 1 << RUN_BITS],
    pub(super) ac: [Run; 1 << RUN_BITS],
}

/// Steps taken together: the bits they take (bits 0–4), how far they move along the block
/// (bits 5–10), whether the last one ends the block (bit 11); 0 where not even the first step
/// lies whole in the lookup.
#[derive(Clone, Copy)]
pub(super) struct Run(pub(super) u16);

impl Run {
    const ENDS_BLOCK: u16 = 1 << 11;

    /// Steps that take `bits` (at most 31) and move `advance` (at most 63) along the block.
    fn new(bits: u32, advance: u32, ends_block: bool) -> Run {
        Run((bits | advance << 5) as u16 | if ends_block { Run::ENDS_BLOCK } else { 0 })
    }

    #[inline(always)]
    pub(super) fn bits(self) -> u32 {
        u32::from(self.0 & 31)
    }

    #[inline(always)]
    pub(super) fn advance(self) -> u32 {
        u32::from(self.0 >> 5 & 63)
    }

    #[inline(always)]
    pub(super) fn ends_block(self) -> bool {
        self.0 & Run::ENDS_BLOCK != 0
    }
}

/// The tables of the last few pairs of Huffman tables this thread walked: photos from one
/// camera share their tables, and making them takes as long as walking a small photo.
type Made = Vec<((Table, Table), Rc<Runs>)>;

thread_local! {
    static MADE: RefCell<Made> = const { RefCell::new(Vec::new()) };
}

#[cfg(test)]
thread_local! {
    /// Runs that hold no step, so that the walk takes every code on its own: what the runs
    /// are checked against.
    pub(super) static STEP_BY_STEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A scan of fewer blocks than this is walked a code at a time.
pub(super) const WORTH_BLOCKS: u64 = 4096;

thread_local! {
    static NONE: Rc<Runs> = Rc::new(Runs { first: [Run(0); 1 << RUN_BITS], ac: [Run(0); 1 << RUN_BITS] });
}

/// How many pairs of tables a thread keeps.
const KEPT: usize = 4;

impl Runs {
    /// Runs that hold no step: every code is taken on its own.
    pub(super) fn none() -> Rc<Runs> {
        NONE.with(Rc::clone)
    }

    /// The runs of a DC and an AC table, made once for each pair a thread meets.
    pub(super) fn of(dc: &Table, ac: &Table) -> Rc<Runs> {
        #[cfg(test)]
        if STEP_BY_STEP.get() {
            return Runs::none();
        }
        MADE.with_borrow_mut(|made| {
            let entry = match made.iter().position(|((d, a), _)| d.same_codes(dc) && a.same_codes(ac)) {
                Some(i) => made.remove(i),
                None => ((dc.clone(), ac.clone()), Rc::new(Runs::new(dc, ac))),
            };
            let runs = Rc::clone(&entry.1);
            if made.len() == KEPT {
                made.remove(0);
            }
            made.push(entry);
            runs
        })
    }

    fn new(dc: &Table, ac: &Table) -> Runs {
        let mut runs = Runs { first: [Run(0); 1 << RUN_BITS], ac: [Run(0); 1 << RUN_BITS] };
        for window in 0..1u32 << RUN_BITS {
            runs.first[window as usize] = Runs::run(window, Some(dc), ac);
            runs.ac[window as usize] = Runs::run(window, None, ac);
        }
        runs
    }

    /// The steps `window` holds whole, a DC difference first where `dc` is given. A run moves
    /// at most 62 along the block past its DC, so that taken from any place short of its end
    /// it stays in the block (the walk takes a run only where it does).
    fn run(window: u32, dc: Option<&Table>, ac: &Table) -> Run {
        let (mut used, mut advance) = (0u32, 0u32);
        if let Some(dc) = dc {
            match Runs::step_at(window, used, dc) {
                Some(step) => used += step.bits(),
                None => return Run(0),
            }
        }
        while let Some(step) = Runs::step_at(window, used, ac) {
            if step.advance() == 0 {
                return Run::new(used + step.bits(), advance, true);
            }
            if advance + step.advance() > 62 {
                break;
            }
            used += step.bits();
            advance += step.advance();
        }
        Run::new(used, advance, false)
    }

    /// The step at bit `used` of `window`, when it lies whole inside the window.
    fn step_at(window: u32, used: u32, table: &Table) -> Option<Step> {
        let rest = u64::from(window).checked_shl(64 - RUN_BITS + used).unwrap_or(0);
        let step = Step(table.steps[(rest >> (64 - FAST)) as usize]);
        (step.0 != 0 && step.bits() <= RUN_BITS - used).then_some(step)
    }
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
    fn window(bits: &str) -> usize {
        let bits: String = bits.split_whitespace().collect();
        assert_eq!(bits.len(), RUN_BITS as usize);
        usize::from_str_radix(&bits, 2).unwrap()
    }

    #[test]
    fn a_lookup_takes_the_steps_it_holds_whole_up_to_the_end_of_the_block() {
        let (dc, ac) = tables();
        let runs = Runs::new(&dc, &ac);
        // A DC difference of 0 ("00"), 0x01 ("00" and one bit), the end of the block ("1010");
        // the bits after it are the next block's.
        let run = runs.first[window("00 00 1 1010 11111")];
        assert_eq!((run.bits(), run.advance(), run.ends_block()), (9, 1, true));
        // 0x11 ("1100", a zero then a coefficient, one bit), 0x02 ("01", two bits); 0x04 ("1011")
        // would need four bits more than the lookup holds.
        let run = runs.ac[window("1100 1 01 10 1011 0")];
        assert_eq!((run.bits(), run.advance(), run.ends_block()), (9, 3, false));
        // No code starts "111" in this table: no run.
        assert_eq!(runs.ac[window("111 00000000000")].0, 0);
    }
}
