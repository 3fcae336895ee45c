//! Walks a sequential (baseline) JPEG's scans code by code, the way libjpeg reads them, to find
//! damage a decoder paints over: a code no table holds, a scan that runs out before its last
//! block (cut short and closed with an end marker), data left over after it (the walk lost its
//! place on a flipped bit), a restart marker missing where the interval puts one.

/// One Huffman table in canonical form: for each code length, the first code and where its
/// symbols start.
#[derive(Clone, Default)]
struct Table {
    counts: [u16; 16],
    first: [u32; 16],
    index: [u16; 16],
    symbols: Vec<u8>,
}

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
        Table { counts, first, index, symbols }
    }
}

/// A frame component: its id and how many blocks it has across and down in one MCU.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: u8,
    v: u8,
}

/// The bits of one scan's entropy-coded data, with stuffed zero bytes removed.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    byte: u8,
    left: u8,
}

impl Bits<'_> {
    /// The next bit, or `None` at a marker or the end of the file.
    fn bit(&mut self) -> Option<u32> {
        if self.left == 0 {
            let byte = *self.data.get(self.pos)?;
            if byte == 0xFF {
                if *self.data.get(self.pos + 1)? != 0 {
                    return None;
                }
                self.pos += 1;
            }
            self.pos += 1;
            self.byte = byte;
            self.left = 8;
        }
        self.left -= 1;
        Some(u32::from(self.byte >> self.left) & 1)
    }

    fn skip(&mut self, n: u8) -> Option<()> {
        (0..n).try_for_each(|_| self.bit().map(drop))
    }

    fn decode(&mut self, table: &Table) -> Option<u8> {
        let mut code = 0u32;
        for len in 0..16 {
            code = (code << 1) | self.bit()?;
            let offset = code.checked_sub(table.first[len]).filter(|&o| o < u32::from(table.counts[len]));
            if let Some(offset) = offset {
                return table.symbols.get(usize::from(table.index[len]) + offset as usize).copied();
            }
        }
        None
    }

    /// Drops the rest of the current byte; true when a marker follows (no data bytes left over).
    fn at_marker(&mut self) -> bool {
        self.left = 0;
        self.data.get(self.pos) == Some(&0xFF) && self.data.get(self.pos + 1).is_some_and(|&b| b != 0)
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
}

/// Whether every scan of a sequential JPEG holds exactly its blocks. `None` when it does not;
/// `Some(())` also for what the walk does not judge (progressive frames, unreadable headers,
/// which the marker walk has already refused).
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
            0xC0 | 0xC1 => read_frame(&mut state, payload),
            // Progressive and other frames: left to the decoder.
            0xC2..=0xCF => return Some(()),
            // A scan that names a table the file never defines relies on the standard tables
            // (motion-JPEG frames); libjpeg supplies them, and the walk leaves the file alone.
            0xDA if !tables_defined(&state, payload) => return Some(()),
            0xDA => pos = walk_scan(&state, payload, jpeg, pos)?,
            _ => {}
        }
    }
    Some(())
}

fn tables_defined(state: &State, header: &[u8]) -> bool {
    let count = usize::from(header.first().copied().unwrap_or(0));
    (0..count)
        .filter_map(|i| header.get(2 + 2 * i))
        .all(|&tables| !state.dc[usize::from(tables >> 4 & 3)].symbols.is_empty() && !state.ac[usize::from(tables & 3)].symbols.is_empty())
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
    }
}

/// Walks the scan whose header is `header` and whose data starts at `from`; returns where the
/// data ends (the next marker), or `None` when the data is damaged.
fn walk_scan(state: &State, header: &[u8], jpeg: &[u8], from: usize) -> Option<usize> {
    let count = usize::from(*header.first()?);
    let mut plan = Vec::with_capacity(count);
    for i in 0..count {
        let (id, tables) = (*header.get(1 + 2 * i)?, *header.get(2 + 2 * i)?);
        let component = *state.components.iter().find(|c| c.id == id)?;
        plan.push((component, &state.dc[usize::from(tables >> 4 & 3)], &state.ac[usize::from(tables & 3)]));
    }
    let (hmax, vmax) = state.components.iter().fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
    let (mcus, blocks) = layout(state, &plan, hmax, vmax)?;
    let mut bits = Bits { data: jpeg, pos: from, byte: 0, left: 0 };
    for mcu in 0..mcus {
        if state.restart_interval > 0 && mcu > 0 && mcu % u64::from(state.restart_interval) == 0 {
            bits.restart()?;
        }
        for (component, dc, ac) in &plan {
            for _ in 0..blocks.unwrap_or(u32::from(component.h) * u32::from(component.v)) {
                block(&mut bits, dc, ac)?;
            }
        }
    }
    bits.at_marker().then_some(bits.pos)
}

/// How many MCUs the scan holds, and for a scan of one component that each MCU is one block.
fn layout(state: &State, plan: &[(Component, &Table, &Table)], hmax: u8, vmax: u8) -> Option<(u64, Option<u32>)> {
    let (width, height) = (u64::from(state.width), u64::from(state.height));
    if let [(component, _, _)] = plan {
        // A lone component is coded block by block over its own, subsampled size.
        let across = (width * u64::from(component.h)).div_ceil(u64::from(hmax)).div_ceil(8);
        let down = (height * u64::from(component.v)).div_ceil(u64::from(vmax)).div_ceil(8);
        return Some((across * down, Some(1)));
    }
    let across = width.div_ceil(8 * u64::from(hmax));
    let down = height.div_ceil(8 * u64::from(vmax));
    Some((across * down, None))
}

/// One 8 × 8 block: a DC difference and up to 63 AC coefficients, run-length coded.
fn block(bits: &mut Bits<'_>, dc: &Table, ac: &Table) -> Option<()> {
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
