//! Walks a JPEG's scans code by code, the way libjpeg reads them (`jdhuff.c` for sequential
//! scans, `jdphuff.c` for progressive ones), to find damage a decoder paints over: a code no
//! table holds, a scan that runs out before its last block (cut short and closed with an end
//! marker), data left over after it (the walk lost its place on a flipped bit), a restart marker
//! missing where the interval puts one.

/// One Huffman table in canonical form: for each code length, the first code and where its
/// symbols start.
#[derive(Clone, Default)]
struct Table {
    counts: [u16; 16],
    first: [u32; 16],
    index: [u16; 16],
    symbols: Vec<u8>,
    /// For each value of the next `FAST` bits whose code is that short: its length and symbol.
    fast: Vec<Option<(u8, u8)>>,
}

/// How many bits the lookup of short codes covers; longer codes are found length by length.
const FAST: u32 = 9;

impl Table {
    fn new(counts: [u16; 16], symbols: Vec<u8>) -> Table {
        let (mut first, mut index) = ([0u32; 16], [0u16; 16]);
        let (mut code, mut k) = (0u32, 0u16);
        for len in 0..16 {
            first[len] = code;
            index[len] = k;
            code = (code + u32::from(counts[len])) << 1;
            k = k.saturating_add(counts[len]);
        }
        let mut fast = vec![None; 1 << FAST];
        for len in 0..FAST as usize {
            let spare = FAST as usize - len - 1;
            for offset in 0..u32::from(counts[len]) {
                let Some(&symbol) = symbols.get(usize::from(index[len]) + offset as usize) else { break };
                let code = (first[len] + offset) as usize;
                for entry in fast.iter_mut().skip(code << spare).take(1 << spare) {
                    *entry = Some((len as u8 + 1, symbol));
                }
            }
        }
        Table { counts, first, index, symbols, fast }
    }
}

/// A frame component: its id and how many blocks it has across and down in one MCU.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: u8,
    v: u8,
}

/// The bits of one scan's entropy-coded data, with stuffed zero bytes removed, read through a
/// 64-bit buffer that stops filling at a marker.
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
    fn fill(&mut self) {
        while self.count <= 56 {
            let Some(&byte) = self.data.get(self.pos) else { return };
            if byte == 0xFF {
                if self.data.get(self.pos + 1) != Some(&0) {
                    return;
                }
                self.pos += 1;
            }
            self.pos += 1;
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    /// Takes the next `n` bits (at most 16) as a number; `None` when a marker or the end of the
    /// file comes first.
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

    fn decode(&mut self, table: &Table) -> Option<u8> {
        if self.count < 16 {
            self.fill();
        }
        if let Some((len, symbol)) = table.fast.get((self.buffer >> (64 - FAST)) as usize).copied().flatten() {
            if u32::from(len) <= self.count {
                self.buffer <<= len;
                self.count -= u32::from(len);
                return Some(symbol);
            }
        }
        let mut code = 0u32;
        for len in 0..16u32 {
            if len >= self.count {
                return None;
            }
            code = (code << 1) | (self.buffer >> (63 - len)) as u32 & 1;
            let l = len as usize;
            if let Some(offset) = code.checked_sub(table.first[l]).filter(|&o| o < u32::from(table.counts[l])) {
                self.buffer <<= len + 1;
                self.count -= len + 1;
                return table.symbols.get(usize::from(table.index[l]) + offset as usize).copied();
            }
        }
        None
    }

    /// Drops the rest of the current byte; true when a marker follows (no data bytes left over).
    fn at_marker(&mut self) -> bool {
        let whole_bytes = self.count / 8;
        (self.buffer, self.count) = (0, 0);
        whole_bytes == 0 && self.data.get(self.pos) == Some(&0xFF) && self.data.get(self.pos + 1).is_some_and(|&b| b != 0)
    }

    /// Steps over the restart marker that must come next.
    fn restart(&mut self) -> Option<()> {
        let code = *self.data.get(self.pos + 1)?;
        (self.at_marker() && (0xD0..=0xD7).contains(&code)).then(|| self.pos += 2)
    }
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
    /// SOF2: each scan codes the DC coefficients or one band of AC coefficients, first or
    /// refining them by one bit.
    progressive: bool,
    /// For each component of a progressive frame and each of its blocks, which AC coefficients
    /// (bit `k` for zigzag position `k`) earlier scans made nonzero: a refining scan reads a
    /// correction bit for each of those.
    coded: Vec<Vec<u64>>,
}

/// What one scan codes (T.81 G.1.2.1: the spectral band `ss..=se` and whether it refines).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Sequential,
    DcFirst,
    DcRefine,
    AcFirst { ss: u32, se: u32 },
    AcRefine { ss: u32, se: u32 },
}

/// Whether every scan of a sequential or progressive Huffman JPEG holds exactly its blocks.
/// `None` when it does not; `Some(())` also for what the walk does not judge (other frames,
/// unreadable headers, which the marker walk has already refused).
pub(super) fn whole(jpeg: &[u8]) -> Option<()> {
    let mut state = State::default();
    let mut pos = 2;
    while let (Some(&0xFF), Some(&code)) = (jpeg.get(pos), jpeg.get(pos + 1)) {
        if code == 0xD9 {
            break;
        }
        let length = usize::from(u16::from_be_bytes([*jpeg.get(pos + 2)?, *jpeg.get(pos + 3)?]));
        let payload = jpeg.get(pos + 4..pos + 2 + length)?;
        pos += 2 + length;
        match code {
            0xC4 => read_tables(&mut state, payload),
            0xDD => state.restart_interval = u32::from(u16::from_be_bytes([*payload.first()?, *payload.get(1)?])),
            0xC0..=0xC2 => {
                read_frame(&mut state, payload);
                state.progressive = code == 0xC2;
            }
            // Other frames: left to the decoder.
            0xC3..=0xCF => return Some(()),
            0xDA => {
                let pass = pass(&state, payload)?;
                // A scan that names a table the file never defines relies on the standard
                // tables (motion-JPEG frames); libjpeg supplies them, and the walk leaves the
                // file alone.
                if !tables_defined(&state, payload, pass) {
                    return Some(());
                }
                pos = walk_scan(&mut state, payload, pass, jpeg, pos)?;
            }
            _ => {}
        }
    }
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
        (0, 0) => Some(Pass::DcFirst),
        (0, _) => Some(Pass::DcRefine),
        _ if count != 1 || se < ss || se > 63 => None,
        (_, 0) => Some(Pass::AcFirst { ss, se }),
        _ => Some(Pass::AcRefine { ss, se }),
    }
}

fn tables_defined(state: &State, header: &[u8], pass: Pass) -> bool {
    let count = usize::from(header.first().copied().unwrap_or(0));
    let dc = matches!(pass, Pass::Sequential | Pass::DcFirst);
    let ac = matches!(pass, Pass::Sequential | Pass::AcFirst { .. } | Pass::AcRefine { .. });
    (0..count).filter_map(|i| header.get(2 + 2 * i)).all(|&tables| {
        (!dc || !state.dc[usize::from(tables >> 4 & 3)].symbols.is_empty())
            && (!ac || !state.ac[usize::from(tables & 3)].symbols.is_empty())
    })
}

fn read_tables(state: &mut State, mut payload: &[u8]) {
    while let Some((&class_id, rest)) = payload.split_first() {
        let Some(counts) = rest.get(..16) else { return };
        let counts: [u16; 16] = std::array::from_fn(|i| u16::from(counts[i]));
        let total = counts.iter().map(|&c| usize::from(c)).sum::<usize>();
        let Some(symbols) = rest.get(16..16 + total) else { return };
        let table = Table::new(counts, symbols.to_vec());
        let slot = usize::from(class_id & 3);
        if class_id >> 4 == 0 {
            state.dc[slot] = table;
        } else {
            state.ac[slot] = table;
        }
        payload = &rest[16 + total..];
    }
}

fn read_frame(state: &mut State, payload: &[u8]) {
    if let Some(&[_, h1, h0, w1, w0, n]) = payload.get(..6) {
        state.height = u32::from(u16::from_be_bytes([h1, h0]));
        state.width = u32::from(u16::from_be_bytes([w1, w0]));
        state.components = (0..usize::from(n))
            .filter_map(|i| payload.get(6 + 3 * i..8 + 3 * i))
            .map(|c| Component { id: c[0], h: (c[1] >> 4).max(1), v: (c[1] & 15).max(1) })
            .collect();
        state.coded = vec![Vec::new(); state.components.len()];
    }
}

/// Walks the scan whose header is `header` and whose data starts at `from`; returns where the
/// data ends (the next marker), or `None` when the data is damaged.
fn walk_scan(state: &mut State, header: &[u8], pass: Pass, jpeg: &[u8], from: usize) -> Option<usize> {
    let count = usize::from(*header.first()?);
    let mut plan = Vec::with_capacity(count);
    for i in 0..count {
        let (id, tables) = (*header.get(1 + 2 * i)?, *header.get(2 + 2 * i)?);
        let index = state.components.iter().position(|c| c.id == id)?;
        plan.push((index, usize::from(tables >> 4 & 3), usize::from(tables & 3)));
    }
    let (mcus, blocks) = layout(state, &plan)?;
    // An AC scan codes one component, one block per MCU; its blocks remember what was coded.
    let band = matches!(pass, Pass::AcFirst { .. } | Pass::AcRefine { .. });
    if band && state.coded[plan[0].0].is_empty() {
        state.coded[plan[0].0] = vec![0; usize::try_from(mcus).ok()?];
    }
    let mut bits = Bits::new(jpeg, from);
    let (mut eobrun, mut unused) = (0u32, 0u64);
    for mcu in 0..mcus {
        if state.restart_interval > 0 && mcu > 0 && mcu % u64::from(state.restart_interval) == 0 {
            bits.restart()?;
            eobrun = 0;
        }
        for &(index, dc, ac) in &plan {
            let component = state.components[index];
            let coded = if band { state.coded[index].get_mut(usize::try_from(mcu).ok()?)? } else { &mut unused };
            let (dc, ac) = (&state.dc[dc], &state.ac[ac]);
            for _ in 0..blocks.unwrap_or(u32::from(component.h) * u32::from(component.v)) {
                match pass {
                    Pass::Sequential => sequential(&mut bits, dc, ac)?,
                    Pass::DcFirst => bits.decode(dc).and_then(|size| bits.skip(size.min(16)))?,
                    Pass::DcRefine => bits.skip(1)?,
                    Pass::AcFirst { ss, se } => ac_first(&mut bits, ac, (ss, se), coded, &mut eobrun)?,
                    Pass::AcRefine { ss, se } => ac_refine(&mut bits, ac, (ss, se), coded, &mut eobrun)?,
                }
            }
        }
    }
    bits.at_marker().then_some(bits.pos)
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

/// One 8 × 8 block of a sequential scan: a DC difference and up to 63 AC coefficients,
/// run-length coded.
fn sequential(bits: &mut Bits<'_>, dc: &Table, ac: &Table) -> Option<()> {
    let size = bits.decode(dc)?;
    bits.skip(size.min(16))?;
    let mut k = 1u32;
    while k < 64 {
        let symbol = bits.decode(ac)?;
        let (run, size) = (u32::from(symbol >> 4), symbol & 15);
        if size == 0 {
            if run != 15 {
                return Some(());
            }
            k += 16;
            continue;
        }
        k += run;
        if k > 63 {
            return None;
        }
        bits.skip(size)?;
        k += 1;
    }
    Some(())
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
