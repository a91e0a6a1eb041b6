//! Payload readers that generated `parse_output` functions call, and the writers that
//! generated `write_output` functions call (the server side).

use crate::envelope::Envelope;
use crate::meta::Separator;
use crate::values::{FromWire, ValueError};

mod read;
mod write;
pub use read::{
    CellDecoder, Checked, Fields, List, NotAFlag, RowCells, TableReader, Text, Wire, list, wire,
};
pub use write::{
    AnswerWriter, CellEncoder, RowWriter, TableWriter, VisitOutput, WriteError, WriteOutput,
};

/// A successful response whose payload does not read as the request's output.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the `{field}` of the {request} response: {message}")]
pub struct OutputError {
    /// The request's wire name.
    pub request: &'static str,
    /// The header, column or key that could not be read.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// The payload text.
    pub raw: String,
}

impl OutputError {
    /// An error about `field` of `request`'s response `env`; keeps the payload.
    pub fn new(
        request: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
        env: &Envelope,
    ) -> Self {
        OutputError {
            request,
            field: field.into(),
            message: message.into(),
            raw: env.payload().to_owned(),
        }
    }
}

/// Outcome of a queued (async) request: the server accepted it and answered a Proc-ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The id to look the outcome up with.
    pub proc_id: String,
    /// The tracking id of the submission, if sent.
    pub tracking_id: Option<String>,
}

/// Reads the [`Submitted`] answer of a queued request; an error if `Proc-ID` is missing or empty.
pub fn submitted(request: &'static str, env: &Envelope) -> Result<Submitted, OutputError> {
    match env.proc_id() {
        Some(proc_id) => Ok(Submitted {
            proc_id: proc_id.to_owned(),
            tracking_id: env.tracking_id().map(str::to_owned),
        }),
        None => Err(OutputError::new(
            request,
            crate::names::PROC_ID,
            "the response has no Proc-ID header",
            env,
        )),
    }
}

/// The payload's lines with their 1-based line numbers, `\r` trimmed, blank lines left out.
fn payload_lines(payload: &str) -> impl Iterator<Item = (usize, &str)> {
    // memchr finds the line ends (much faster than `str::lines` on large lists).
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', payload.as_bytes())
        .map(Some)
        .chain(std::iter::once(None));
    ends.map_while(move |end| {
        let line = match end {
            Some(end) => payload.get(start..end),
            None if start < payload.len() => payload.get(start..),
            None => None,
        };
        start = end.map_or(payload.len(), |e| e + 1);
        line
    })
    .enumerate()
    .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
    .filter(|(_, line)| !line.trim().is_empty())
}

/// The payload lines, trimmed of `\r`, without blank lines.
pub fn lines(env: &Envelope) -> Vec<String> {
    payload_lines(env.payload())
        .map(|(_, line)| line.to_owned())
        .collect()
}

/// The payload as is.
pub fn text(env: &Envelope) -> String {
    env.payload().to_owned()
}

/// Ordered `key: value` pairs from a payload (split at the first `:`, values trimmed, repeats
/// and order kept).
///
/// Keys are trimmed too. A non-blank line without a colon becomes a key with an empty value, so
/// that nothing in the payload is lost.
///
/// ```
/// use dmapi_runtime::KeyValues;
///
/// let kv = KeyValues::parse("domain.status: lock\nnserver.host: a.ns.example\nnserver.host: b.ns.example\n");
/// assert_eq!(kv.get("Domain.Status"), Some("lock"));
/// assert_eq!(kv.get_all("nserver.host").collect::<Vec<_>>(), ["a.ns.example", "b.ns.example"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyValues {
    pairs: Vec<(String, String)>,
}

impl KeyValues {
    /// Reads `key: value` lines.
    pub fn parse(payload: &str) -> KeyValues {
        let pairs = payload_lines(payload)
            .map(|(_, line)| match line.split_once(':') {
                Some((key, value)) => (key.trim().to_owned(), value.trim().to_owned()),
                None => (line.trim().to_owned(), String::new()),
            })
            .collect();
        KeyValues { pairs }
    }

    /// The first value of `key` (ASCII case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// Every value of `key` (ASCII case-insensitive), in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// All pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The separator a response declares in its `Separator` header (`TAB` or `SPACE`), else `default`.
fn separator_of(env: &Envelope, default: Separator) -> Separator {
    match env.header(crate::names::SEPARATOR).map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case(crate::names::TAB) => Separator::Tab,
        Some(s) if s.eq_ignore_ascii_case(crate::names::SPACE) => Separator::Whitespace,
        _ => default,
    }
}

/// The cells of one line: at most `width` of them (0 = no limit), the last one taking the
/// remainder of the line.
#[derive(Clone, Debug)]
struct Cells<'s> {
    rest: Option<&'s str>,
    left: usize,
    separator: Separator,
}

impl<'s> Cells<'s> {
    fn new(line: &'s str, separator: Separator, width: usize) -> Self {
        Cells {
            rest: Some(line),
            left: if width == 0 { usize::MAX } else { width },
            separator,
        }
    }
}

impl<'s> Iterator for Cells<'s> {
    type Item = &'s str;

    fn next(&mut self) -> Option<&'s str> {
        if self.left == 0 {
            return None;
        }
        let rest = self.rest?;
        let (cell, rest) = match self.separator {
            Separator::Whitespace => {
                // Bytes, not chars: space and tab are ASCII, so every index found is a char
                // boundary.
                let blank = |b: &u8| *b == b' ' || *b == b'\t';
                let start = rest.bytes().position(|b| !blank(&b))?;
                let rest = &rest[start..];
                match rest.bytes().position(|b| blank(&b)) {
                    Some(end) if self.left > 1 => (&rest[..end], Some(&rest[end..])),
                    _ => {
                        let end = rest.bytes().rposition(|b| !blank(&b)).map_or(0, |i| i + 1);
                        (&rest[..end], None)
                    }
                }
            }
            Separator::Tab => match rest.split_once('\t') {
                Some((cell, after)) if self.left > 1 => (cell, Some(after)),
                _ => (rest, None),
            },
        };
        self.rest = rest;
        self.left -= 1;
        Some(cell)
    }
}

/// A tabular payload: the effective column names and the rows split into cells.
///
/// ```
/// use dmapi_runtime::{Envelope, meta::Separator, output::Table};
///
/// let env = Envelope::parse("Status-Code: 0\n\nexample.com 2030-01-01 @creator true 0 undef\n")?;
/// let table = Table::parse(&env, &["domain", "expiration_date", "grants"], Separator::Whitespace);
/// let row = table.rows().next().unwrap();
/// assert_eq!(row.cell(table.index_of("grants").unwrap()), Some("@creator true 0 undef"));
/// # Ok::<(), dmapi_runtime::EnvelopeError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Table<'a> {
    env: &'a Envelope,
    columns: Vec<String>,
    separator: Separator,
}

impl<'a> Table<'a> {
    /// Reads the table of `env`.
    ///
    /// Column names come from the `Columns` header (comma-separated, trimmed) when present and
    /// not blank, else `default_columns`. The separator comes from the `Separator` header (`TAB`,
    /// `SPACE`, case-insensitive) else `default_separator` (Whitespace = runs of spaces/tabs).
    /// Each non-blank payload line is a row; the row is split into at most `columns.len()`
    /// cells — the LAST column receives the remainder of the line (so `@creator true 0 undef`
    /// stays one cell), missing cells are absent. With no columns at all, rows split without
    /// limit.
    pub fn parse(
        env: &'a Envelope,
        default_columns: &[&str],
        default_separator: Separator,
    ) -> Table<'a> {
        let columns = match env
            .header(crate::names::COLUMNS)
            .filter(|c| !c.trim().is_empty())
        {
            Some(header) => header.split(',').map(|c| c.trim().to_owned()).collect(),
            None => default_columns.iter().map(|&c| c.to_owned()).collect(),
        };
        Table {
            env,
            columns,
            separator: separator_of(env, default_separator),
        }
    }

    /// The effective column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The effective separator.
    pub fn separator(&self) -> Separator {
        self.separator
    }

    /// The position of `column`: case-insensitive, and `-` and `_` count as equal.
    pub fn index_of(&self, column: &str) -> Option<usize> {
        let norm = |b: u8| match b {
            b'_' => b'-',
            b => b.to_ascii_lowercase(),
        };
        self.columns.iter().position(|c| {
            c.len() == column.len()
                && c.bytes()
                    .zip(column.bytes())
                    .all(|(a, b)| norm(a) == norm(b))
        })
    }

    /// At most how many rows there are (the payload's line count; blank lines are skipped
    /// by [`rows`](Self::rows)): for reserving space.
    pub fn row_capacity(&self) -> usize {
        let p = self.env.payload().as_bytes();
        memchr::memchr_iter(b'\n', p).count() + usize::from(!p.ends_with(b"\n"))
    }

    /// The rows, in payload order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'a>> + use<'a> {
        let width = self.columns.len();
        let separator = self.separator;
        payload_lines(self.env.payload()).map(move |(number, line)| Row {
            line,
            number,
            separator,
            width,
        })
    }
}

/// One row of a [`Table`].
#[derive(Clone, Copy, Debug)]
pub struct Row<'t> {
    line: &'t str,
    number: usize,
    separator: Separator,
    width: usize,
}

impl<'t> Row<'t> {
    /// The cell in column `idx`, if the row has it.
    pub fn cell(&self, idx: usize) -> Option<&'t str> {
        self.cells().nth(idx)
    }

    /// The row's cells in order.
    pub fn cells(&self) -> impl Iterator<Item = &'t str> + use<'t> {
        Cells::new(self.line, self.separator, self.width)
    }

    /// The whole line, without its line end.
    pub fn line(&self) -> &'t str {
        self.line
    }

    /// The 1-based payload line number.
    pub fn number(&self) -> usize {
        self.number
    }
}

/// Typed cell reading for generated row parsers.
///
/// `Ok(None)` if `idx` is `None` (the column is not in the response) or the cell is absent or
/// empty; an error names the request, the column and the row's line number.
pub fn cell<T: FromWire>(
    request: &'static str,
    column: &str,
    row: &Row<'_>,
    idx: Option<usize>,
    env: &Envelope,
) -> Result<Option<T>, OutputError> {
    let Some(raw) = idx.and_then(|i| row.cell(i)).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    T::from_wire(raw).map(Some).map_err(|e| {
        OutputError::new(
            request,
            column,
            format!("payload line {}: {e}", row.number()),
            env,
        )
    })
}

/// A result-list payload: rows `timestamp svtrid proc-id request-type object status cltrid`
/// (7 whitespace-separated columns), or a single `Records: N` line for a count-only request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Results {
    /// The results, in payload order.
    Rows(Vec<ResultRow>),
    /// The number of results (count-only).
    Count(u64),
}

/// One result of a queued request.
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
    /// The client's transaction id; `-` on the wire means none.
    pub cltrid: Option<String>,
}

/// The state of a queued request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResultStatus {
    /// Completed successfully (`ack`).
    Ack,
    /// Failed (`nack`).
    Nack,
    /// Still running (`?` or `pending`).
    Pending,
    /// A status this crate does not know, as sent.
    Unknown(String),
}

impl From<&str> for ResultStatus {
    /// Reads a status word (case-insensitive); never fails.
    fn from(raw: &str) -> Self {
        if raw.eq_ignore_ascii_case("ack") {
            ResultStatus::Ack
        } else if raw.eq_ignore_ascii_case("nack") {
            ResultStatus::Nack
        } else if raw == "?" || raw.eq_ignore_ascii_case("pending") {
            ResultStatus::Pending
        } else {
            ResultStatus::Unknown(raw.to_owned())
        }
    }
}

impl ResultStatus {
    /// The wire word: `ack`, `nack`, `?` (pending), or an unknown word as sent.
    pub fn as_str(&self) -> &str {
        match self {
            ResultStatus::Ack => "ack",
            ResultStatus::Nack => "nack",
            ResultStatus::Pending => "?",
            ResultStatus::Unknown(s) => s,
        }
    }
}

impl FromWire for ResultStatus {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        Ok(ResultStatus::from(s))
    }
}

/// Reads a result-list payload: result rows, or the count of a count-only request.
///
/// The columns are positional; a `Separator` header is honoured. A row with fewer than seven
/// cells is an error naming its line.
pub fn result_list(request: &'static str, env: &Envelope) -> Result<Results, OutputError> {
    const WIDTH: usize = 7;
    let payload = env.payload();
    let mut lines = payload_lines(payload).peekable();
    if let Some(&(_, first)) = lines.peek()
        && let Some((key, count)) = first.split_once(':')
        && key.trim().eq_ignore_ascii_case(crate::names::RECORDS)
    {
        return match count.trim().parse() {
            Ok(n) if payload_lines(payload).nth(1).is_none() => Ok(Results::Count(n)),
            _ => Err(OutputError::new(
                request,
                crate::names::RECORDS,
                format!(
                    "expected a single line `Records: N`, got `{}`",
                    first.trim()
                ),
                env,
            )),
        };
    }
    let separator = separator_of(env, Separator::Whitespace);
    let mut rows = Vec::new();
    for (number, line) in lines {
        let mut cells = Cells::new(line, separator, WIDTH);
        let cells: [Option<&str>; WIDTH] = std::array::from_fn(|_| cells.next());
        let [
            Some(timestamp),
            Some(svtrid),
            Some(proc_id),
            Some(request_type),
            Some(object),
            Some(status),
            Some(cltrid),
        ] = cells
        else {
            return Err(OutputError::new(
                request,
                "result row",
                format!(
                    "payload line {number}: expected {WIDTH} columns \
                     (timestamp svtrid proc-id request-type object status cltrid)"
                ),
                env,
            ));
        };
        rows.push(ResultRow {
            timestamp: timestamp.to_owned(),
            svtrid: svtrid.to_owned(),
            proc_id: proc_id.to_owned(),
            request_type: request_type.to_owned(),
            object: object.to_owned(),
            status: ResultStatus::from(status),
            cltrid: (cltrid != "-").then(|| cltrid.to_owned()),
        });
    }
    Ok(Results::Rows(rows))
}
