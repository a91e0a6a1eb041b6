//! Reading a table's payload row by row without a branch per byte.
//!
//! A row of a long list is a few dozen bytes with a cell boundary every ten or so: a byte loop
//! mispredicts at each boundary, and a `memchr` per line and per cell pays a call each time.
//! Here each 8-byte word of the payload gives the positions of its bytes below `0x21` at once
//! (SWAR: plain `u64` arithmetic, no `unsafe`); only those bytes can end a cell or a line, so
//! the row's cells and its end are read off them: one pass over the row's bytes.

use crate::meta::Separator;

/// Every byte of the word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// `0x80` in each byte of `x` below `0x21` (space, tab, line ends and the other control
/// characters), `0` in the others: exact, with no false positives.
#[inline(always)]
fn low_bytes(x: u64) -> u64 {
    const LOW7: u64 = splat(0x7f);
    !(((x & LOW7).wrapping_add(splat(0x80 - 0x21))) | x) & splat(0x80)
}

/// The 8 bytes at `at` as a little-endian word (byte `k` in bits `8k..8k+8`); past the end of
/// `bytes` it reads line ends, so a scan stops there.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(w) => u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        None => {
            let mut padded = [b'\n'; 8];
            let tail = bytes.get(at..).unwrap_or_default();
            padded[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(padded)
        }
    }
}

/// Whether `b` separates cells of a whitespace-separated row.
fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `s` without the blanks at either end.
#[inline]
fn trim_blanks(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| !is_blank(c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !is_blank(c))
        .map_or(start, |i| i + 1);
    // Blanks are ASCII: both ends are char boundaries.
    &s[start..end.max(start)]
}

/// The rows of a table's payload, one line at a time: each line's cells split like
/// [`Row::cells`](super::Row::cells), `\r` before a line end dropped, blank lines skipped.
#[derive(Clone, Debug)]
pub(crate) struct RowScanner<'a> {
    payload: &'a str,
    /// Where the next line starts; at or past the end when done.
    pos: usize,
    /// The 1-based number of the last line read.
    number: usize,
}

impl<'a> RowScanner<'a> {
    pub(crate) fn new(payload: &'a str) -> Self {
        RowScanner {
            payload,
            pos: 0,
            number: 0,
        }
    }

    /// Whether every line has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.pos >= self.payload.len()
    }

    /// Stops the scan: [`next_row`](Self::next_row) gives nothing more.
    pub(crate) fn finish(&mut self) {
        self.pos = self.payload.len();
    }

    /// The next non-blank line (without its line end) and its 1-based number, its cells in
    /// `out` (cleared first): at most `width` of them (0: no limit), the last taking the rest
    /// of the line.
    #[inline]
    pub(crate) fn next_row(
        &mut self,
        separator: Separator,
        width: usize,
        out: &mut Vec<&'a str>,
    ) -> Option<(&'a str, usize)> {
        let limit = if width == 0 { usize::MAX } else { width };
        loop {
            if self.is_done() {
                return None;
            }
            out.clear();
            let start = self.pos;
            let line = match separator {
                Separator::Whitespace => self.blank_row(start, limit, out),
                Separator::Tab => self.tab_row(start, limit, out),
            };
            self.number += 1;
            let Some(&first) = out.first() else {
                continue;
            };
            // Other whitespace (a form feed, a no-break space) also makes a line blank.
            if !first.as_bytes().first().is_some_and(u8::is_ascii_graphic) && line.trim().is_empty()
            {
                continue;
            }
            return Some((line, self.number));
        }
    }

    /// The line at `start` split at runs of blanks; moves past its line end.
    ///
    /// Only the bytes below `0x21` can end a cell or the line; a word of the payload gives
    /// them all at once, and each is then looked at: about 7 per row of a domain list.
    #[inline]
    fn blank_row(&mut self, start: usize, limit: usize, out: &mut Vec<&'a str>) -> &'a str {
        let text = self.payload;
        let bytes = text.as_bytes();
        // Where the next cell may start: just after the last separator.
        let mut from = start;
        // Whether the last column has started: from there only the line end matters.
        let mut rest = limit == 1;
        let mut at = start;
        let nl = 'scan: loop {
            let mut low = low_bytes(word_at(bytes, at));
            while low != 0 {
                let p = at + (low.trailing_zeros() >> 3) as usize;
                low &= low - 1;
                match bytes.get(p).copied().unwrap_or(b'\n') {
                    b'\n' => break 'scan p,
                    b' ' | b'\t' if !rest => {
                        if p > from {
                            // Separators are ASCII: both ends are char boundaries.
                            out.push(&text[from..p]);
                            rest = out.len() + 1 == limit;
                        }
                        from = p + 1;
                    }
                    // Other control characters belong to the cell.
                    _ => {}
                }
            }
            at += 8;
        };
        let nl = nl.min(bytes.len());
        self.pos = nl + 1;
        let line_end = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        let last = &text[from.min(line_end)..line_end];
        let last = if rest { trim_blanks(last) } else { last };
        if !last.is_empty() {
            out.push(last);
        }
        &text[start..line_end]
    }

    /// The line at `start` split at each tab; moves past its line end.
    fn tab_row(&mut self, start: usize, limit: usize, out: &mut Vec<&'a str>) -> &'a str {
        let text = self.payload;
        let nl = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        self.pos = nl + 1;
        let line = &text[start..nl];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.bytes().all(is_blank) {
            // Blank: no cells (the caller skips the line).
            return line;
        }
        let mut from = 0;
        for tab in memchr::memchr_iter(b'\t', line.as_bytes()) {
            if out.len() + 1 == limit {
                break;
            }
            out.push(&line[from..tab]);
            from = tab + 1;
        }
        out.push(&line[from..]);
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests_support::reference_rows;

    fn scan(payload: &str, separator: Separator, width: usize) -> Vec<(usize, String, Vec<&str>)> {
        let mut rows = RowScanner::new(payload);
        let mut cells = Vec::new();
        let mut out = Vec::new();
        while let Some((line, number)) = rows.next_row(separator, width, &mut cells) {
            out.push((number, line.to_owned(), cells.clone()));
        }
        out
    }

    #[test]
    fn low_bytes_flags_exactly_the_bytes_below_0x21() {
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut word = [b'a'; 8];
                word[k] = b;
                let want = if b < 0x21 { 0x80 << (8 * k) } else { 0 };
                assert_eq!(low_bytes(u64::from_le_bytes(word)), want, "{b:#x} at {k}");
            }
        }
    }

    fn check(payload: &str) {
        for separator in [Separator::Whitespace, Separator::Tab] {
            for width in 0..5 {
                assert_eq!(
                    scan(payload, separator, width),
                    reference_rows(payload, separator, width),
                    "{payload:?} {separator:?} width {width}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_the_line_and_cell_iterators() {
        let payloads = [
            "",
            "\n",
            "\n\n",
            " \n\t\n",
            "a",
            "a\n",
            " a \n",
            "a\r\nb \r\n \r\nc\r",
            "a \r\n",
            "\r\n\r",
            "example.com 2030-01-31 lock,production pro pro 2031-05-01\nb.org 2030-02-01 production - - -",
            "a  b\t\tc   d\n\u{a0}\n\x0c\nx \tü  y\tz \n",
            "@creator true 0 undef\n\n\nlast",
        ];
        for p in payloads {
            check(p);
        }
    }

    #[test]
    fn agrees_across_word_boundaries() {
        // Cells and line ends at every offset of the 8-byte words, blank runs of every kind.
        let parts = [
            "a",
            "bb",
            "ccccccc",
            "dddddddddd",
            " ",
            "\t",
            "  \t",
            "\n",
            "\r\n",
            "\r",
            "\x01",
            "é",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            let mut payload = String::new();
            for _ in 0..(seed % 14) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                payload.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            check(&payload);
        }
    }
}
