//! The result list (`result-list`): its rows and their completion statuses.

use super::*;

/// A result-list payload: result rows, or the count of a count-only listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Results {
    /// The results, in payload order.
    Rows(Vec<ResultRow>),
    /// The number of results (count-only).
    Count(u64),
}

/// One result of a queued request: a row of the result list, its columns placed by the
/// protocol's [`ResultRowMeta`](crate::meta::ResultRowMeta).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// When the request was made, as sent (`YYYYMMDDHHMMSS`).
    pub timestamp: String,
    /// The server's tracking id.
    pub svtrid: String,
    /// The processing id.
    pub proc_id: String,
    /// The request's wire name.
    pub request_type: String,
    /// The object: a domain, contact handle or host.
    pub object: String,
    /// How it ended, so far.
    pub status: ResultStatus,
    /// The client's transaction id; the protocol's "none" cell means none.
    pub cltrid: Option<String>,
}

impl ResultRow {
    /// The day the request was made, from either timestamp form the server sends: the
    /// documented `YYYYMMDDHHMMSS` or the newer ISO `YYYY-MM-DD HH:MM:SS` (also with `T`).
    /// `None` for anything else (the text stays in [`timestamp`](Self::timestamp)).
    pub fn date(&self) -> Option<crate::Date> {
        let t = self.timestamp.as_str();
        let iso = t.get(..10).filter(|d| d.as_bytes().get(4) == Some(&b'-'));
        let day = match iso {
            Some(d) => d.to_owned(),
            None => {
                let d = t
                    .get(..8)
                    .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
                format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
            }
        };
        crate::Date::new(day).ok()
    }
}

/// The state of a queued request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResultStatus {
    /// Completed successfully.
    Ack,
    /// Failed.
    Nack,
    /// Still running.
    Pending,
    /// A status this crate does not know, as sent.
    Unknown(String),
}

impl ResultStatus {
    /// Reads a completion status word (ASCII case-insensitive); never fails.
    pub fn read(raw: &str, words: &CompletionWords) -> Self {
        if raw.eq_ignore_ascii_case(&words.ack) {
            ResultStatus::Ack
        } else if raw.eq_ignore_ascii_case(&words.nack) {
            ResultStatus::Nack
        } else if words.pending.iter().any(|p| raw.eq_ignore_ascii_case(p)) {
            ResultStatus::Pending
        } else {
            ResultStatus::Unknown(raw.to_owned())
        }
    }

    /// The wire word: the protocol's ack, nack or first pending word, or an unknown word as
    /// sent.
    pub fn word<'w>(&'w self, words: &'w CompletionWords) -> &'w str {
        match self {
            ResultStatus::Ack => &words.ack,
            ResultStatus::Nack => &words.nack,
            ResultStatus::Pending => words.pending.first().map_or("", |w| w),
            ResultStatus::Unknown(s) => s,
        }
    }
}

/// `YYYY-MM-DD`.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `HH:MM:SS`.
pub(crate) fn is_clock_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && b.iter().enumerate().all(|(i, c)| {
            if i == 2 || i == 5 {
                *c == b':'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Where `part`, a slice of `line`, starts in it.
fn offset_in(line: &str, part: &str) -> usize {
    part.as_ptr() as usize - line.as_ptr() as usize
}

/// Reads a result-list payload: result rows, or the count of a count-only request.
///
/// The columns are positional, as the protocol places them; a `Separator` header is honoured.
/// A row with fewer cells than the protocol's columns is an error naming its line.
pub fn result_list(request: &'static str, env: &Envelope) -> Result<Results, OutputError> {
    let meta = &env.protocol().result_row;
    let payload = env.payload();
    let mut lines = payload_lines(payload).peekable();
    if let Some(&(_, first)) = lines.peek()
        && let Some((key, count)) = first.split_once(':')
        && key.trim().eq_ignore_ascii_case(&meta.count_key)
    {
        return match count.trim().parse() {
            Ok(n) if payload_lines(payload).nth(1).is_none() => Ok(Results::Count(n)),
            _ => Err(OutputError::new(
                request,
                meta.count_key.to_string(),
                format!(
                    "expected a single line `{}: N`, got `{}`",
                    meta.count_key,
                    first.trim()
                ),
                env,
            )),
        };
    }
    let separator = separator_of(env, Separator::Whitespace);
    let width = meta.columns.len();
    let words = &env.protocol().completion;
    let at = meta.at;
    let mut rows = Vec::new();
    let mut cells: Vec<&str> = Vec::with_capacity(width + 1);
    for (number, line) in lines {
        cells.clear();
        // A timestamp written `YYYY-MM-DD HH:MM:SS` (DMAPI v2, WIRE-NOTES) is one cell.
        cells.extend(Cells::new(line, separator, width + 1));
        let t = at.timestamp;
        if cells.len() == width + 1 && is_iso_date(cells[t]) && is_clock_time(cells[t + 1]) {
            let start = offset_in(line, cells[t]);
            let end = offset_in(line, cells[t + 1]) + cells[t + 1].len();
            cells[t] = &line[start..end];
            cells.remove(t + 1);
            if cells.len() == width + 1 {
                // The rest of the line stays in the last cell, as below.
                let start = offset_in(line, cells[width - 1]);
                cells.truncate(width - 1);
                cells.push(&line[start..]);
            }
        } else {
            cells.clear();
            cells.extend(Cells::new(line, separator, width));
        }
        if cells.len() < width {
            return Err(OutputError::new(
                request,
                "result row",
                format!(
                    "payload line {number}: expected {width} columns ({})",
                    meta.columns.join(" ")
                ),
                env,
            ));
        }
        let cell = |i: usize| cells[i].to_owned();
        rows.push(ResultRow {
            timestamp: cell(at.timestamp),
            svtrid: cell(at.svtrid),
            proc_id: cell(at.proc_id),
            request_type: cell(at.request_type),
            object: cell(at.object),
            status: ResultStatus::read(cells[at.status], words),
            cltrid: (cells[at.cltrid] != &*meta.none).then(|| cell(at.cltrid)),
        });
    }
    Ok(Results::Rows(rows))
}
