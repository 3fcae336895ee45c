//! Walks a JPEG's scans code by code, the way libjpeg reads them (`jdhuff.c` for sequential
//! scans, `jdphuff.c` for progressive ones), to find damage a decoder paints over: a code no
//! table holds, a scan that runs out before its last block (cut short and closed with an end
//! marker), data left over after it (the walk lost its place on a flipped bit), a restart marker
//! missing where the interval puts one.

mod runs;
mod split;
mod walker;

use runs::{Run, RUN_BITS};
use walker::Walker;

/// One Huffman table in canonical form: for each code length, the first code and where its
/// symbols start.
#[derive(Clone)]
struct Table {
    counts: [u16; 16],
    first: [u32; 16],
    index: [u16; 16],
    symbols: Vec<u8>,
    /// For each value of the next `FAST` bits whose code is that short: its length and symbol
    /// (`length << 8 | symbol`), 0 where the code is longer.
    fast: Box<[u16; 1 << FAST]>,
    /// The same codes as whole steps of a sequential scan (`Step`), 0 where the code is longer.
    steps: Box<[u16; 1 << FAST]>,
}

impl Default for Table {
    fn default() -> Table {
        Table::new([0; 16], Vec::new(), Class::Dc)
    }
}

/// How many bits the lookup of short codes covers; longer codes are found length by length.
const FAST: u32 = 11;

/// Which coefficients a table codes, so what follows each of its codes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A DC difference: the symbol is the number of magnitude bits after the code.
    Dc,
    /// AC coefficients: a run of zeros (high nibble) and magnitude bits (low nibble); no bits
    /// with a run of sixteen zeros (0xF0) or the end of the block (a size of 0).
    Ac,
}

/// One code and what follows it as one step of a sequential scan, packed in a `u16`: the bits
/// the code and its magnitude bits take (bits 0–5, never 0 for a code), how far an AC code
/// moves along the block (bits 8–12: the run and the coefficient, 16 for sixteen zeros, 0 for
/// the end of the block), and whether it places a coefficient (bit 13), which must stay in the
/// block.
#[derive(Clone, Copy)]
struct Step(u16);

impl Step {
    const COEFFICIENT: u16 = 1 << 13;

    fn of(class: Class, length: u32, symbol: u8) -> Step {
        let (run, size) = (u16::from(symbol >> 4), u16::from(symbol & 15));
        let (extra, advance) = match class {
            Class::Dc => (u16::from(symbol.min(16)), 0),
            Class::Ac if size != 0 => (size, (run + 1) << 8 | Step::COEFFICIENT),
            Class::Ac if run == 15 => (0, 16 << 8),
            Class::Ac => (0, 0),
        };
        Step((length as u16 + extra) | advance)
    }

    #[inline(always)]
    fn bits(self) -> u32 {
        u32::from(self.0 & 63)
    }

    #[inline(always)]
    fn advance(self) -> u32 {
        u32::from(self.0 >> 8 & 31)
    }

    #[inline(always)]
    fn places_coefficient(self) -> bool {
        self.0 & Step::COEFFICIENT != 0
    }
}

impl Table {
    /// Whether the two tables hold the same codes.
    fn same_codes(&self, other: &Table) -> bool {
        self.counts == other.counts && self.symbols == other.symbols
    }

    fn new(counts: [u16; 16], symbols: Vec<u8>, class: Class) -> Table {
        let (mut first, mut index) = ([0u32; 16], [0u16; 16]);
        let (mut code, mut k) = (0u32, 0u16);
        for len in 0..16 {
            first[len] = code;
            index[len] = k;
            code = (code + u32::from(counts[len])) << 1;
            k = k.saturating_add(counts[len]);
        }
        let (mut fast, mut steps) = (Box::new([0u16; 1 << FAST]), Box::new([0u16; 1 << FAST]));
        for len in 0..FAST as usize {
            let spare = FAST as usize - len - 1;
            for offset in 0..u32::from(counts[len]) {
                let Some(&symbol) = symbols.get(usize::from(index[len]) + offset as usize) else { break };
                let code = (first[len] + offset) as usize;
                let step = Step::of(class, len as u32 + 1, symbol);
                for (entry, s) in fast.iter_mut().zip(steps.iter_mut()).skip(code << spare).take(1 << spare) {
                    *entry = (len as u16 + 1) << 8 | u16::from(symbol);
                    *s = step.0;
                }
            }
        }
        Table { counts, first, index, symbols, fast, steps }
    }
}

/// A frame component: its id and how many blocks it has across and down in one MCU.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: u8,
    v: u8,
    /// Its quantization table.
    tq: u8,
}

/// The bits of one scan's entropy-coded data, with stuffed zero bytes removed, read through a
/// 64-bit buffer that stops filling at a marker.
#[derive(Clone, Copy)]
struct Bits<'a> {
    data: &'a [u8],
    /// The next byte not yet in the buffer.
    pos: usize,
    /// Buffered bits, the next one highest.
    buffer: u64,
    count: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], pos: usize) -> Bits<'a> {
        Bits { data, pos, buffer: 0, count: 0 }
    }

    /// Buffers whole bytes up to the next marker or the end of the file.
    #[inline(always)]
    fn fill(&mut self) {
        if !self.refill() {
            (self.pos, self.buffer, self.count) = fill_bytewise(self.data, self.pos, self.buffer, self.count);
        }
    }

    /// Buffers at least 56 bits without a branch on how many are buffered, where the bytes it
    /// takes hold at most one 0xFF, a stuffed one (most of the data); false where they hold a
    /// marker or two 0xFF bytes, or the data ends first. The bits past `count` it leaves are
    /// zeros or the bits that follow: every reader checks `count` before it takes a bit, and a
    /// later fill adds the same bits there.
    #[inline(always)]
    fn refill(&mut self) -> bool {
        let Some(chunk) = self.data.get(self.pos..self.pos + 8) else { return false };
        let word = u64::from_be_bytes(std::array::from_fn(|i| chunk[i]));
        let inverted = !word;
        if inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080 != 0 {
            return self.refill_stuffed(word);
        }
        // Fewer than 64 bits are ever buffered, so the shift is in range.
        self.buffer |= word >> self.count;
        self.pos += ((63 - self.count) / 8) as usize;
        self.count |= 56;
        true
    }

    /// `refill` where the eight bytes at `pos` (`word`) hold an 0xFF: the bytes it takes are
    /// read around one stuffed zero, the zero itself dropped.
    #[inline(always)]
    fn refill_stuffed(&mut self, word: u64) -> bool {
        let take = (63 - self.count) / 8;
        // The bytes taken, highest first (`take` is at most 7: at least one byte is left over).
        let taken = !(u64::MAX >> (8 * take));
        let first_ff = ff_bytes(word).leading_zeros() / 8;
        let word = if first_ff >= take {
            word & taken
        } else {
            // The 0xFF's zero: the bytes after it are read one further on.
            let Some(chunk) = self.data.get(self.pos + 1..self.pos + 9) else { return false };
            let after = u64::from_be_bytes(std::array::from_fn(|i| chunk[i]));
            let kept = !(u64::MAX >> (8 * (first_ff + 1)));
            let joined = (word & kept) | (after & !kept);
            // A marker (the byte after the 0xFF not zero), or another 0xFF in the bytes taken.
            if chunk[first_ff as usize] != 0 || ff_bytes(joined) & taken & !kept != 0 {
                return false;
            }
            self.pos += 1;
            joined & taken
        };
        self.buffer |= word >> self.count;
        self.pos += take as usize;
        self.count |= 56;
        true
    }

    /// Decodes a symbol (a progressive AC scan's, whose bits after it depend on the block).
    #[inline(always)]
    fn decode(&mut self, table: &Table) -> Option<u8> {
        if self.count < 32 {
            self.fill();
        }
        let entry = table.fast[(self.buffer >> (64 - FAST)) as usize];
        let (symbol, len) = if entry == 0 { decode_long(table, self.buffer, self.count)? } else { (entry as u8, u32::from(entry >> 8)) };
        if len > self.count {
            return None;
        }
        self.buffer <<= len;
        self.count -= len;
        Some(symbol)
    }

    /// Takes one code and the magnitude bits after it as a step of a sequential scan, through
    /// one lookup where the code is short (the walk's innermost step); `None` where no code
    /// matches or the bits run out.
    #[inline(always)]
    fn step(&mut self, table: &Table, class: Class) -> Option<Step> {
        if self.count < 32 {
            self.fill();
        }
        let mut step = Step(table.steps[(self.buffer >> (64 - FAST)) as usize]);
        if step.0 == 0 {
            let (symbol, len) = decode_long(table, self.buffer, self.count)?;
            step = Step::of(class, len, symbol);
        }
        // At most 16 + 16 bits: a fill leaves fewer than 32 only at a marker or the end.
        let total = step.bits();
        if total > self.count {
            return None;
        }
        self.buffer <<= total;
        self.count -= total;
        Some(step)
    }

    /// The run the next bits start through `lookup` (`runs::at`), as far as they are
    /// buffered; none where `runs` holds no such lookup.
    #[inline(always)]
    fn run(&mut self, runs: &[Run], lookup: usize) -> Run {
        if self.count < 32 {
            self.fill();
        }
        let run = runs.get(runs::at(lookup, self.buffer >> (64 - RUN_BITS))).map_or(Run::NONE, |&run| run);
        // Fewer bits than a lookup covers only at a marker or the end of the file.
        if self.count < RUN_BITS {
            return run.within(self.count);
        }
        run
    }

    /// The run the next bits start through `lookup`, where a refill has buffered them.
    #[inline(always)]
    fn peek(&self, runs: &[Run], at: usize) -> Run {
        runs.get(at | (self.buffer >> (64 - RUN_BITS)) as usize).map_or(Run::NONE, |&run| run)
    }

    /// Takes the bits of a run.
    #[inline(always)]
    fn take(&mut self, run: Run) {
        self.shift(run);
        self.count -= run.bits();
    }

    /// Takes the bits of a run out of the buffer, leaving `count` to be lowered after.
    #[inline(always)]
    fn shift(&mut self, run: Run) {
        self.buffer = self.buffer.wrapping_shl(run.shift());
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.buffer <<= n;
        self.count -= n;
    }

    /// Takes the next `n` bits (at most 16) as a number; `None` when a marker or the end of the
    /// file comes first.
    #[inline(always)]
    fn value(&mut self, n: u8) -> Option<u32> {
        let n = u32::from(n);
        if n == 0 {
            return Some(0);
        }
        if self.count < n {
            self.fill();
            if self.count < n {
                return None;
            }
        }
        let value = (self.buffer >> (64 - n)) as u32;
        self.buffer <<= n;
        self.count -= n;
        Some(value)
    }

    fn skip(&mut self, n: u8) -> Option<()> {
        self.value(n).map(drop)
    }

    /// Drops the rest of the current byte; true when a marker follows (no data bytes left over).
    fn at_marker(&mut self) -> bool {
        let whole_bytes = self.count / 8;
        (self.buffer, self.count) = (0, 0);
        whole_bytes == 0 && self.data.get(self.pos) == Some(&0xFF) && self.data.get(self.pos + 1).is_some_and(|&b| b != 0)
    }

    /// Steps over the restart marker that must come next, noting whether it comes in turn.
    fn restart(&mut self, restarts: &mut Restarts) -> Option<()> {
        let code = *self.data.get(self.pos + 1)?;
        (self.at_marker() && (0xD0..=0xD7).contains(&code)).then(|| {
            self.pos += 2;
            restarts.met(code);
        })
    }
}

/// The restart markers of a scan, against the order they count in (RST0, RST1… RST7, RST0…),
/// each counted on from the one before it. The walk itself takes them in any order, as the
/// decoder does; the passthrough refuses a scan whose markers are out of turn.
struct Restarts {
    next: u8,
    in_order: bool,
}

impl Restarts {
    fn new() -> Restarts {
        Restarts { next: 0xD0, in_order: true }
    }

    fn met(&mut self, code: u8) {
        self.in_order &= code == self.next;
        self.next = if code == 0xD7 { 0xD0 } else { code + 1 };
    }
}

/// The high bit of each byte of `word` that is 0xFF, and no other bit.
#[inline(always)]
fn ff_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let inverted = !word;
    // A byte's low seven bits plus 0x7F carry into its high bit unless they are all zero, and
    // never into the next byte.
    !(((inverted & LOW) + LOW) | inverted | LOW)
}

/// Buffers whole bytes one at a time up to the next marker or the end of the file (taking
/// stuffed zeros out): `Bits::fill` where an 0xFF is near. Values in and out, so the bit
/// buffer of the walk stays in registers.
#[cold]
#[inline(never)]
fn fill_bytewise(data: &[u8], mut pos: usize, mut buffer: u64, mut count: u32) -> (usize, u64, u32) {
    while count <= 55 {
        let Some(&byte) = data.get(pos) else { break };
        if byte == 0xFF {
            if data.get(pos + 1) != Some(&0) {
                break;
            }
            pos += 1;
        }
        pos += 1;
        buffer |= u64::from(byte) << (56 - count);
        count += 8;
    }
    (pos, buffer, count)
}

/// A code longer than the lookup covers: the lengths past it tried in turn (the tables the
/// walk judges are canonical prefix codes, so no shorter code can match here). The symbol and
/// the code's length.
#[cold]
#[inline(never)]
fn decode_long(table: &Table, buffer: u64, count: u32) -> Option<(u8, u32)> {
    for l in FAST as usize..16 {
        let bits = l as u32 + 1;
        if bits > count {
            return None;
        }
        let code = (buffer >> (64 - bits)) as u32;
        if let Some(offset) = code.checked_sub(table.first[l]).filter(|&o| o < u32::from(table.counts[l])) {
            return table.symbols.get(usize::from(table.index[l]) + offset as usize).map(|&s| (s, bits));
        }
    }
    None
}

/// What the walk has learnt from the headers so far.
#[derive(Default)]
struct State {
    dc: [Table; 4],
    ac: [Table; 4],
    components: Vec<Component>,
    width: u32,
    height: u32,
    restart_interval: u32,
    /// Which quantization tables a DQT segment has defined.
    quant: [bool; 4],
    /// SOF2: each scan codes the DC coefficients or one band of AC coefficients, first or
    /// refining them by one bit.
    progressive: bool,
    /// For each component of a progressive frame and each of its blocks, which AC coefficients
    /// (bit `k` for zigzag position `k`) earlier scans made nonzero: a refining scan reads a
    /// correction bit for each of those.
    coded: Vec<Vec<u64>>,
}

/// What one scan codes: every coefficient of its blocks, or in a progressive frame one band.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Sequential,
    Progressive(Band),
}

/// The coefficients a progressive scan codes (T.81 G.1.2.1: the spectral band `ss..=se` and
/// whether it refines).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Band {
    DcFirst,
    DcRefine,
    AcFirst { ss: u32, se: u32 },
    AcRefine { ss: u32, se: u32 },
}

/// What the walk of a JPEG's scans found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Walked {
    /// Every scan holds exactly its blocks.
    Whole,
    /// A scan is damaged: a code no table holds, cut short, data left over, a restart out of turn.
    Damaged,
    /// What the walk does not judge: other frames, scans relying on the standard tables,
    /// unreadable headers (which the marker walk has already refused).
    NotJudged,
}

/// Whether every scan of a sequential or progressive Huffman JPEG holds exactly its blocks.
pub(super) fn walk(jpeg: &[u8]) -> Walked {
    let mut judged = true;
    match whole(jpeg, &mut judged, None) {
        None => Walked::Damaged,
        Some(()) if judged => Walked::Whole,
        Some(()) => Walked::NotJudged,
    }
}

/// Where a scan's entropy-coded data starts and ends (the next marker), and whether its restart
/// markers came in turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScanEnd {
    pub start: usize,
    pub end: usize,
    pub restarts_in_order: bool,
}

/// The walk of a JPEG as it arrives, before its metadata is stripped: its one scan's end where
/// the walk finds a single scan of a sequential frame whole, `None` otherwise (a progressive
/// frame is not walked here: its walk keeps a word for each block, which the limits must
/// allow first). What `jpeg::strip` makes of the file is the walk's verdict too where the
/// strip only drops segments the walk passes over (`jpeg::open`).
pub(super) fn walk_ahead(jpeg: &[u8]) -> Option<ScanEnd> {
    let (mut judged, mut ends) = (true, Vec::new());
    match whole(jpeg, &mut judged, Some(&mut ends)) {
        Some(()) if judged => ends.first().copied(),
        _ => None,
    }
}

/// The walk with every code taken on its own, never several through one lookup.
#[cfg(test)]
pub(super) fn walk_step_by_step(jpeg: &[u8]) -> Walked {
    runs::STEP_BY_STEP.set(true);
    let walked = walk(jpeg);
    runs::STEP_BY_STEP.set(false);
    walked
}

/// `None` when a scan is damaged; `judged` is cleared where the walk stops without judging.
/// Where `ahead` is given, each scan's end is noted in it, and a progressive frame is not
/// walked.
fn whole(jpeg: &[u8], judged: &mut bool, mut ahead: Option<&mut Vec<ScanEnd>>) -> Option<()> {
    let mut state = State::default();
    let mut pos = 2;
    let mut scans = 0;
    while let (Some(&0xFF), Some(&code)) = (jpeg.get(pos), jpeg.get(pos + 1)) {
        if code == 0xD9 {
            // Judged only when it reached the end marker past one scan: the decoder reads the
            // headers up to the first scan on its own (`verify.rs`), but not a later scan's.
            *judged &= scans == 1;
            return Some(());
        }
        let length = usize::from(u16::from_be_bytes([*jpeg.get(pos + 2)?, *jpeg.get(pos + 3)?]));
        let payload = jpeg.get(pos + 4..pos + 2 + length)?;
        pos += 2 + length;
        match code {
            0xC4 => *judged &= read_tables(&mut state, payload),
            // Headers the walk does not model are left to the decoder, but their scans are
            // still walked.
            0xDB => *judged &= read_quant(&mut state, payload),
            0xDD => state.restart_interval = u32::from(u16::from_be_bytes([*payload.first()?, *payload.get(1)?])),
            0xC2 if ahead.is_some() => {
                *judged = false;
                return Some(());
            }
            0xC0..=0xC2 => {
                read_frame(&mut state, payload);
                state.progressive = code == 0xC2;
            }
            // Other frames: left to the decoder.
            0xC3..=0xCF => {
                *judged = false;
                return Some(());
            }
            0xDA => {
                let pass = pass(&state, payload)?;
                // A scan that names a table the file never defines relies on the standard
                // tables (motion-JPEG frames); libjpeg supplies them, and the walk leaves the
                // file alone.
                if !tables_defined(&state, payload, pass) {
                    *judged = false;
                    return Some(());
                }
                *judged &= headers_modelled(&state, payload);
                let (end, restarts_in_order) = walk_scan(&mut state, payload, pass, jpeg, pos)?;
                if let Some(ends) = ahead.as_deref_mut() {
                    ends.push(ScanEnd { start: pos, end, restarts_in_order });
                }
                pos = end;
                scans += 1;
            }
            _ => {}
        }
    }
    *judged = false;
    Some(())
}

/// The pass a scan header asks for; `None` for a band no decoder accepts (libjpeg stops with
/// "invalid progressive parameters").
fn pass(state: &State, header: &[u8]) -> Option<Pass> {
    if !state.progressive {
        return Some(Pass::Sequential);
    }
    let count = usize::from(*header.first()?);
    let (ss, se, ah) = match header.get(1 + 2 * count..4 + 2 * count)? {
        &[ss, se, a] => (u32::from(ss), u32::from(se), a >> 4),
        _ => return None,
    };
    match (ss, ah) {
        (0, _) if se != 0 => None,
        (0, 0) => Some(Pass::Progressive(Band::DcFirst)),
        (0, _) => Some(Pass::Progressive(Band::DcRefine)),
        _ if count != 1 || se < ss || se > 63 => None,
        (_, 0) => Some(Pass::Progressive(Band::AcFirst { ss, se })),
        _ => Some(Pass::Progressive(Band::AcRefine { ss, se })),
    }
}

/// Whether the headers are ones the walk models, so that the strict decoder has nothing left to
/// judge in them: every frame component's quantization table defined (as the decoder requires
/// before the first scan), and the scan's table selectors within 0–3. Anything else is left to
/// the decoder, which then decides as it always has.
fn headers_modelled(state: &State, header: &[u8]) -> bool {
    let count = usize::from(header.first().copied().unwrap_or(0));
    let quant = state.components.iter().all(|c| state.quant.get(usize::from(c.tq)).copied().unwrap_or(false));
    let selectors = (0..count).filter_map(|i| header.get(2 + 2 * i)).all(|&t| t >> 4 <= 3 && t & 15 <= 3);
    quant && selectors && !state.components.is_empty()
}

/// Notes the quantization tables a DQT segment defines; false when it does not read cleanly
/// (a table number past 3, a precision other than 8 or 16 bits, a length that does not fit).
fn read_quant(state: &mut State, mut payload: &[u8]) -> bool {
    while let Some((&pq_tq, rest)) = payload.split_first() {
        let (precision, id) = (pq_tq >> 4, usize::from(pq_tq & 15));
        let size = match precision {
            0 => 64,
            1 => 128,
            _ => return false,
        };
        if id > 3 || rest.len() < size {
            return false;
        }
        state.quant[id] = true;
        payload = &rest[size..];
    }
    true
}

fn tables_defined(state: &State, header: &[u8], pass: Pass) -> bool {
    let count = usize::from(header.first().copied().unwrap_or(0));
    let dc = matches!(pass, Pass::Sequential | Pass::Progressive(Band::DcFirst));
    let ac = matches!(pass, Pass::Sequential | Pass::Progressive(Band::AcFirst { .. } | Band::AcRefine { .. }));
    (0..count).filter_map(|i| header.get(2 + 2 * i)).all(|&tables| {
        (!dc || !state.dc[usize::from(tables >> 4 & 3)].symbols.is_empty())
            && (!ac || !state.ac[usize::from(tables & 3)].symbols.is_empty())
    })
}

/// Reads a DHT segment's tables; false when one is not what the walk models, so the decoder
/// judges the file (a class past 1 or a number past 3, more than 256 symbols, code lengths
/// that overflow their code space, a table cut short).
fn read_tables(state: &mut State, mut payload: &[u8]) -> bool {
    let mut modelled = true;
    while let Some((&class_id, rest)) = payload.split_first() {
        let Some(counts) = rest.get(..16) else { return false };
        let counts: [u16; 16] = std::array::from_fn(|i| u16::from(counts[i]));
        let total = counts.iter().map(|&c| usize::from(c)).sum::<usize>();
        let Some(symbols) = rest.get(16..16 + total) else { return false };
        // The decoder refuses a DC table with a size past 15.
        let sizes = class_id >> 4 != 0 || symbols.iter().all(|&s| s <= 15);
        modelled &= class_id >> 4 <= 1 && class_id & 15 <= 3 && total <= 256 && fits_code_space(&counts) && sizes;
        let class = if class_id >> 4 == 0 { Class::Dc } else { Class::Ac };
        let table = Table::new(counts, symbols.to_vec(), class);
        let slot = usize::from(class_id & 3);
        if class_id >> 4 == 0 {
            state.dc[slot] = table;
        } else {
            state.ac[slot] = table;
        }
        payload = &rest[16 + total..];
    }
    modelled
}

/// Whether canonical codes of these lengths fit as libjpeg requires: at each length with codes,
/// the next code left over (the all-ones code is never assigned).
fn fits_code_space(counts: &[u16; 16]) -> bool {
    let mut code = 0u32;
    for (len, &count) in counts.iter().enumerate() {
        code += u32::from(count);
        if count > 0 && code >= 1 << (len + 1) {
            return false;
        }
        code <<= 1;
    }
    true
}

fn read_frame(state: &mut State, payload: &[u8]) {
    if let Some(&[_, h1, h0, w1, w0, n]) = payload.get(..6) {
        state.height = u32::from(u16::from_be_bytes([h1, h0]));
        state.width = u32::from(u16::from_be_bytes([w1, w0]));
        state.components = (0..usize::from(n))
            .filter_map(|i| payload.get(6 + 3 * i..9 + 3 * i))
            .map(|c| Component { id: c[0], h: (c[1] >> 4).max(1), v: (c[1] & 15).max(1), tq: c[2] })
            .collect();
        state.coded = vec![Vec::new(); state.components.len()];
    }
}

/// Walks the scan whose header is `header` and whose data starts at `from`; returns where the
/// data ends (the next marker) and whether its restart markers came in turn, or `None` when
/// the data is damaged.
fn walk_scan(state: &mut State, header: &[u8], pass: Pass, jpeg: &[u8], from: usize) -> Option<(usize, bool)> {
    let count = usize::from(*header.first()?);
    let mut plan = Vec::with_capacity(count);
    for i in 0..count {
        let (id, tables) = (*header.get(1 + 2 * i)?, *header.get(2 + 2 * i)?);
        let index = state.components.iter().position(|c| c.id == id)?;
        plan.push((index, usize::from(tables >> 4 & 3), usize::from(tables & 3)));
    }
    let (mcus, blocks) = layout(state, &plan)?;
    let band = match pass {
        Pass::Sequential => return sequential_scan(state, &plan, (mcus, blocks), jpeg, from),
        Pass::Progressive(band) => band,
    };
    // An AC scan codes one component, one block per MCU; its blocks remember what was coded.
    let ac_scan = matches!(band, Band::AcFirst { .. } | Band::AcRefine { .. });
    if ac_scan && state.coded[plan[0].0].is_empty() {
        state.coded[plan[0].0] = vec![0; usize::try_from(mcus).ok()?];
    }
    let mut bits = Bits::new(jpeg, from);
    let mut restarts = Restarts::new();
    let (mut eobrun, mut unused) = (0u32, 0u64);
    for mcu in 0..mcus {
        if state.restart_interval > 0 && mcu > 0 && mcu % u64::from(state.restart_interval) == 0 {
            bits.restart(&mut restarts)?;
            eobrun = 0;
        }
        for &(index, dc, ac) in &plan {
            let component = state.components[index];
            let coded = if ac_scan { state.coded[index].get_mut(usize::try_from(mcu).ok()?)? } else { &mut unused };
            let (dc, ac) = (&state.dc[dc], &state.ac[ac]);
            for _ in 0..blocks.unwrap_or(u32::from(component.h) * u32::from(component.v)) {
                match band {
                    Band::DcFirst => bits.step(dc, Class::Dc).map(drop)?,
                    Band::DcRefine => bits.skip(1)?,
                    Band::AcFirst { ss, se } => ac_first(&mut bits, ac, (ss, se), coded, &mut eobrun)?,
                    Band::AcRefine { ss, se } => ac_refine(&mut bits, ac, (ss, se), coded, &mut eobrun)?,
                }
            }
        }
    }
    bits.at_marker().then_some((bits.pos, restarts.in_order))
}

/// A sequential scan's MCUs walked, through a loop of its own whose bit reader nothing else
/// borrows (so it stays in registers: this is most of a build's time).
fn sequential_scan(
    state: &State,
    plan: &[(usize, usize, usize)],
    (mcus, blocks): (u64, Option<u32>),
    jpeg: &[u8],
    from: usize,
) -> Option<(usize, bool)> {
    let mut bits = Bits::new(jpeg, from);
    let mut restarts = Restarts::new();
    // The tables of each block of an MCU in turn, as far as they first repeat.
    let mut order = Vec::new();
    for &(index, dc, ac) in plan {
        let count = blocks.unwrap_or(u32::from(state.components[index].h) * u32::from(state.components[index].v));
        order.extend(std::iter::repeat_n((dc, ac), count as usize));
    }
    let per_mcu = order.len();
    let repeats = |p: usize| per_mcu % p == 0 && (p..per_mcu).all(|i| order[i] == order[i - p]);
    let positions = (1..=per_mcu.min(runs::MOST_POSITIONS)).find(|&p| repeats(p)).unwrap_or(per_mcu.max(1));
    let order: Vec<(&Table, &Table)> = order[..positions.min(per_mcu)].iter().map(|&(dc, ac)| (&state.dc[dc], &state.ac[ac])).collect();
    // A small scan is walked a code at a time: making the runs' tables would take longer (and a
    // file of many small scans with ever other tables would make them again and again).
    let small = mcus.saturating_mul(per_mcu as u64) < runs::WORTH_BLOCKS * positions as u64;
    let runs = if small || positions > runs::MOST_POSITIONS { runs::none() } else { runs::of(&order) };
    let interval = if state.restart_interval > 0 { u64::from(state.restart_interval) } else { mcus };
    if interval >= mcus && split::worth(mcus * per_mcu as u64) {
        split::walk(&mut bits, &order, &runs, mcus * per_mcu as u64)?;
        return bits.at_marker().then_some((bits.pos, restarts.in_order));
    }
    let mut mcu = 0;
    while mcu < mcus {
        if mcu > 0 {
            bits.restart(&mut restarts)?;
        }
        let count = interval.min(mcus - mcu);
        sequential(&mut bits, &order, &runs, count * per_mcu as u64)?;
        mcu += count;
    }
    bits.at_marker().then_some((bits.pos, restarts.in_order))
}

/// How many MCUs the scan holds, and for a scan of one component that each MCU is one block.
fn layout(state: &State, plan: &[(usize, usize, usize)]) -> Option<(u64, Option<u32>)> {
    let (hmax, vmax) = state.components.iter().fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
    let (width, height) = (u64::from(state.width), u64::from(state.height));
    if let [(index, _, _)] = plan {
        // A lone component is coded block by block over its own, subsampled size.
        let component = state.components.get(*index)?;
        let across = (width * u64::from(component.h)).div_ceil(u64::from(hmax)).div_ceil(8);
        let down = (height * u64::from(component.v)).div_ceil(u64::from(vmax)).div_ceil(8);
        return Some((across * down, Some(1)));
    }
    let across = width.div_ceil(8 * u64::from(hmax));
    let down = height.div_ceil(8 * u64::from(vmax));
    Some((across * down, None))
}

/// `count` blocks of a sequential scan that no restart marker parts, the first at position 0 of
/// `order`, walked in one piece (`Walker`).
#[inline(always)]
fn sequential(bits: &mut Bits<'_>, order: &[(&Table, &Table)], runs: &[Run], count: u64) -> Option<()> {
    let mut walker = Walker::new(*bits, count);
    while walker.count > 0 {
        walker.advance::<true>(order, runs)?;
    }
    *bits = walker.bits;
    Some(())
}

/// The lookup before the DC difference of the block after the one `lookup` is in, in an order
/// of `positions` blocks.
#[inline(always)]
fn after(lookup: usize, positions: usize) -> usize {
    if lookup / 2 + 1 == positions {
        0
    } else {
        lookup / 2 * 2 + 2
    }
}

/// One block's band in a first AC scan (`decode_mcu_AC_first`): coefficients run-length coded,
/// or the block inside a run of blocks with nothing in the band (an EOB run).
fn ac_first(bits: &mut Bits<'_>, ac: &Table, (ss, se): (u32, u32), coded: &mut u64, eobrun: &mut u32) -> Option<()> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Some(());
    }
    let mut k = ss;
    while k <= se {
        let symbol = bits.decode(ac)?;
        let (run, size) = (symbol >> 4, symbol & 15);
        if size == 0 {
            if run != 15 {
                *eobrun = (1u32 << run) + bits.value(run)? - 1;
                return Some(());
            }
            k += 16;
            continue;
        }
        k += u32::from(run);
        if k > se {
            return None;
        }
        bits.skip(size)?;
        *coded |= 1 << k;
        k += 1;
    }
    Some(())
}

/// One block's band in a refining AC scan (`decode_mcu_AC_refine`): each coefficient an earlier
/// scan made nonzero takes a correction bit, and newly nonzero ones are run-length coded
/// between them.
fn ac_refine(bits: &mut Bits<'_>, ac: &Table, (ss, se): (u32, u32), coded: &mut u64, eobrun: &mut u32) -> Option<()> {
    let mut k = ss;
    while *eobrun == 0 && k <= se {
        let symbol = bits.decode(ac)?;
        let (mut run, size) = (symbol >> 4, symbol & 15);
        if size == 0 && run != 15 {
            *eobrun = (1u32 << run) + bits.value(run)?;
            break;
        }
        if size != 0 {
            bits.skip(1)?;
        }
        // Past the coefficients already nonzero (a correction bit each) and `run` zeros, to
        // the zero the new coefficient takes.
        while k <= se {
            if *coded >> k & 1 == 1 {
                bits.skip(1)?;
            } else if run == 0 {
                break;
            } else {
                run -= 1;
            }
            k += 1;
        }
        if size != 0 {
            if k > se {
                return None;
            }
            *coded |= 1 << k;
        }
        k += 1;
    }
    if *eobrun > 0 {
        // The rest of the band lies in an EOB run: only its nonzero coefficients' corrections.
        for k in k..=se {
            if *coded >> k & 1 == 1 {
                bits.skip(1)?;
            }
        }
        *eobrun -= 1;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The next number of a small generator (xorshift), for test data.
    pub(super) fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Scan data of `len` bytes with a stuffed 0xFF at each place of `ff` (those past `len` left
    /// out), then `fill` 0xFF fill bytes and a restart marker: the bytes, and the bits a
    /// decoder reads from them.
    fn scan_data(len: usize, ff: &[usize], fill: usize, state: &mut u64) -> (Vec<u8>, Vec<bool>) {
        let (mut data, mut bits) = (Vec::new(), Vec::new());
        for i in 0..len {
            let byte = if ff.contains(&i) { 0xFF } else { (next(state) % 0xFF) as u8 };
            data.push(byte);
            if byte == 0xFF {
                data.push(0);
            }
            bits.extend((0..8).rev().map(|b| byte >> b & 1 == 1));
        }
        data.extend(std::iter::repeat_n(0xFF, fill));
        data.extend([0xFF, 0xD3, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0]);
        (data, bits)
    }

    /// The buffer holds the next `count` bits, and past them only the bits after or zeros.
    fn check_buffer(bits: &Bits<'_>, expected: &[bool], read: usize) {
        for i in 0..64 {
            let bit = bits.buffer >> (63 - i) & 1 == 1;
            match expected.get(read + i as usize) {
                Some(&e) if i < bits.count => assert_eq!(bit, e, "buffered bit {i}"),
                Some(&e) => assert!(!bit || e, "bit {i} past the buffered ones"),
                None => assert!(!bit && i >= bits.count, "bit {i} past the marker"),
            }
        }
    }

    /// Reads `data` to its marker through refills, fills and values of any width in a random
    /// mix, checking each against the bits `expected`.
    fn read_to_the_marker(data: &[u8], expected: &[bool], state: &mut u64, what: &str) {
        let mut bits = Bits::new(data, 0);
        let mut read = 0;
        loop {
            match next(state) % 3 {
                0 if bits.refill() => assert!(bits.count >= 56, "{what}"),
                1 => bits.fill(),
                _ => {}
            }
            check_buffer(&bits, expected, read);
            let n = 1 + (next(state) % 16) as u8;
            let Some(value) = bits.value(n) else { break };
            let want = expected[read..read + usize::from(n)].iter().fold(0, |v, &b| v << 1 | u32::from(b));
            assert_eq!(value, want, "{what}, {n} bits at {read}");
            read += usize::from(n);
        }
        while bits.value(1).is_some() {
            read += 1;
        }
        assert_eq!(read, expected.len(), "{what}");
        assert!(bits.at_marker(), "{what}");
        assert!(data[bits.pos..].starts_with(&[0xFF]) && data[bits.pos..].iter().find(|&&b| b != 0xFF) == Some(&0xD3), "{what}");
    }

    /// Bits read through refills (which buffer up to eight bytes at once without looking at
    /// how many are buffered), fills and values of any width are the scan's bytes with their
    /// stuffed zeros taken out, up to the marker: with the 0xFF at each place in and around
    /// the eight bytes a refill reads, and the marker at each place after.
    #[test]
    fn refills_read_the_bytes_with_stuffing_taken_out_up_to_the_marker() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for len in 1..40 {
            for ff_at in (0..len + 1).chain([len + 20]) {
                let (data, expected) = scan_data(len, &[ff_at, ff_at + 9], 0, &mut state);
                read_to_the_marker(&data, &expected, &mut state, &format!("{len} bytes, 0xFF at {ff_at}"));
            }
        }
    }

    /// A refill reads around one stuffed zero in the bytes it takes and stops short of a second
    /// or of a marker: two 0xFF bytes at each pair of places up to ten bytes apart (side by
    /// side too), each at every place of the bytes a refill takes and the byte after them, with
    /// the marker at each place after them, straight or after fill bytes.
    #[test]
    fn refills_read_around_a_stuffed_zero_and_stop_at_a_second_or_a_marker() {
        let mut state = 0x0F1E_2D3C_4B5A_6978;
        for len in 1..28 {
            for first in 0..len {
                for second in (first + 1..first + 11).chain([usize::MAX]) {
                    for fill in [0, 2] {
                        let (data, expected) = scan_data(len, &[first, second], fill, &mut state);
                        for _ in 0..4 {
                            let what = format!("{len} bytes, 0xFF at {first} and {second}, {fill} fill bytes");
                            read_to_the_marker(&data, &expected, &mut state, &what);
                        }
                    }
                }
            }
        }
    }

    /// A photo half noise (long codes, blocks coded up to their last coefficient, stuffed 0xFF
    /// bytes) and half smooth (blocks of a few bits, several to a lookup), with a restart marker
    /// every `restart` MCUs.
    pub(super) fn photo(size: u16, sampling: jpeg_encoder::SamplingFactor, color: jpeg_encoder::ColorType, restart: u16) -> Vec<u8> {
        let mut state = 0x2545_F491_4F6C_DD1D;
        let channels = if color == jpeg_encoder::ColorType::Luma { 1 } else { 3 };
        let pixels: Vec<u8> = (0..usize::from(size) * usize::from(size) * channels)
            .map(|i| {
                let (x, y) = (i / channels % usize::from(size), i / channels / usize::from(size));
                if y < usize::from(size) / 2 {
                    next(&mut state) as u8
                } else {
                    ((x + y) / 4 + i % channels * 40) as u8
                }
            })
            .collect();
        let mut made = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut made, 90);
        encoder.set_sampling_factor(sampling);
        encoder.set_restart_interval(restart);
        encoder.encode(&pixels, size, size, color).unwrap();
        made
    }

    /// Four runs are taken at once only where more blocks are left before the restart marker
    /// than they can end; around that many (grey: one block an MCU; colour: three), and with
    /// single bits flipped in the picture data, the walk judges as one code at a time does.
    #[test]
    fn runs_taken_four_at_once_judge_as_one_code_at_a_time_does_around_restart_markers() {
        use jpeg_encoder::{ColorType, SamplingFactor};
        let photos = [
            photo(512, SamplingFactor::F_1_1, ColorType::Luma, 28),
            photo(512, SamplingFactor::F_1_1, ColorType::Luma, 29),
            photo(512, SamplingFactor::F_1_1, ColorType::Luma, 0),
            photo(512, SamplingFactor::F_1_1, ColorType::Rgb, 10),
        ];
        let mut state = 0x0123_4567_89AB_CDEF;
        let (mut whole, mut damaged) = (0, 0);
        for (i, photo) in photos.iter().enumerate() {
            assert!(photo.windows(2).any(|w| w == [0xFF, 0x00]), "photo {i} has stuffed bytes");
            assert_eq!(walk(photo), Walked::Whole, "photo {i}");
            assert_eq!(walk_step_by_step(photo), Walked::Whole, "photo {i}");
            for _ in 0..12 {
                let mut flipped = photo.clone();
                let at = photo.len() / 8 + (next(&mut state) as usize) % (photo.len() * 7 / 8 - 2);
                flipped[at] ^= 1 << (next(&mut state) % 8);
                let walked = walk(&flipped);
                assert_eq!(walked, walk_step_by_step(&flipped), "photo {i}, bit flipped at {at}");
                whole += usize::from(walked == Walked::Whole);
                damaged += usize::from(walked == Walked::Damaged);
            }
        }
        assert!(whole > 2 && damaged > 10, "{whole} whole, {damaged} damaged");
    }
}
