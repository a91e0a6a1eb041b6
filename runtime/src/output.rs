//! Payload readers that generated `parse_output` functions call, and the writers that
//! generated `write_output` functions call (the server side).

use std::fmt;
use std::marker::PhantomData;

use crate::envelope::Envelope;
use crate::meta::{CompletionWords, Separator};
use crate::values::FromWire;

mod read;
mod results;
mod rows;
mod split;
mod write;
pub use read::{
    CellDecoder, Checked, Fields, List, NotAFlag, Quoted, Text, Wire, list, quote, quoted, unquote,
    wire,
};
pub use results::{ResultRow, ResultStatus, Results, result_list};
pub(crate) use results::{is_clock_time, is_iso_date};
pub use rows::{RowCells, TableReader, TypedRows};
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
///
/// `T` is the request's result once done ([`QueuedResult`]): the generated `{Request}Result`,
/// or [`KeyValues`] where the spec declares no result keys (and for a Proc-ID from elsewhere,
/// [`Submitted::new`]). `client.wait(&submitted)` returns it.
pub struct Submitted<T = KeyValues> {
    /// The id to look the outcome up with.
    pub proc_id: String,
    /// The tracking id of the submission, if sent.
    pub tracking_id: Option<String>,
    result: PhantomData<fn() -> T>,
}

impl<T> Submitted<T> {
    /// A submission known by its Proc-ID (and tracking id, if known).
    pub fn new(proc_id: impl Into<String>, tracking_id: Option<String>) -> Self {
        Submitted {
            proc_id: proc_id.into(),
            tracking_id,
            result: PhantomData,
        }
    }
}

impl<T> Clone for Submitted<T> {
    fn clone(&self) -> Self {
        Submitted::new(self.proc_id.clone(), self.tracking_id.clone())
    }
}

impl<T> PartialEq for Submitted<T> {
    fn eq(&self, other: &Self) -> bool {
        self.proc_id == other.proc_id && self.tracking_id == other.tracking_id
    }
}

impl<T> Eq for Submitted<T> {}

impl<T> fmt::Debug for Submitted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Submitted")
            .field("proc_id", &self.proc_id)
            .field("tracking_id", &self.tracking_id)
            .finish()
    }
}

/// Reads the [`Submitted`] answer of a queued request; an error if `Proc-ID` is missing or empty.
pub fn submitted<T>(request: &'static str, env: &Envelope) -> Result<Submitted<T>, OutputError> {
    match env.proc_id() {
        Some(proc_id) => Ok(Submitted::new(
            proc_id,
            env.tracking_id().map(str::to_owned),
        )),
        None => Err(OutputError::new(
            request,
            env.protocol().headers.proc_id.to_string(),
            "the response has no Proc-ID header",
            env,
        )),
    }
}

/// The result of a queued request, read from the `key: value` lines of the result request's
/// answer once the request is done.
pub trait QueuedResult: Sized {
    /// Reads the result from `all`, the key-value payload of `env`, the answer of `request`
    /// (the result request).
    fn from_result(
        request: &'static str,
        env: &Envelope,
        all: KeyValues,
    ) -> Result<Self, OutputError>;
}

/// Every `key: value` line, untyped: the result of a request whose spec declares no keys.
impl QueuedResult for KeyValues {
    fn from_result(_: &'static str, _: &Envelope, all: KeyValues) -> Result<Self, OutputError> {
        Ok(all)
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

/// The rows as the plain line and cell iterators read them, for checking the fast scanner.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::{Cells, payload_lines};
    use crate::meta::Separator;

    /// `(line number, line, cells)` of every row.
    pub(crate) fn reference_rows(
        payload: &str,
        separator: Separator,
        width: usize,
    ) -> Vec<(usize, String, Vec<&str>)> {
        payload_lines(payload)
            .map(|(n, line)| {
                (
                    n,
                    line.to_owned(),
                    Cells::new(line, separator, width).collect(),
                )
            })
            .collect()
    }
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

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for KeyValues {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        KeyValues {
            pairs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
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

    /// Appends a `key: value` line.
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((key.into(), value.into()));
    }

    /// The first value of `key` (ASCII case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// Every value of `key` (ASCII case-insensitive), in order.
    pub fn get_all<'a, 'k>(&'a self, key: &'k str) -> impl Iterator<Item = &'a str> + use<'a, 'k> {
        self.iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The pairs of a key family: each key that starts with `prefix` (ASCII case-insensitive)
    /// and is not one of the `declared` keys, as `(the rest of the key, value)`, in order. A key
    /// that is the prefix alone is not in the family.
    pub fn family<'a, 'p>(
        &'a self,
        prefix: &'p str,
        declared: &'p [&'p str],
    ) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a, 'p> {
        self.iter().filter_map(move |(k, v)| {
            let rest = family_member(k, prefix)?;
            let own = declared.iter().any(|d| d.eq_ignore_ascii_case(k));
            (!own).then_some((rest, v))
        })
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
    let p = env.protocol();
    match env.header(&p.headers.separator).map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case(&p.separator_tab) => Separator::Tab,
        Some(s) if s.eq_ignore_ascii_case(&p.separator_space) => Separator::Whitespace,
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
/// ```ignore
/// // (`dmapi` bakes the protocol; this crate's doc tests cannot depend on it.)
/// use dmapi::{Envelope, meta::Separator, metadata::PROTOCOL, output::Table};
///
/// let env = Envelope::parse("Status-Code: 0\n\nexample.com 2030-01-01 @creator true 0 undef\n", &PROTOCOL)?;
/// let table = Table::parse(&env, &["domain", "expiration_date", "grants"], Separator::Whitespace);
/// let row = table.rows().next().unwrap();
/// assert_eq!(row.cell(table.index_of("grants").unwrap()), Some("@creator true 0 undef"));
/// # Ok::<(), dmapi::EnvelopeError>(())
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
            .header(&env.protocol().headers.columns)
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

/// The rest of `key` after `prefix` (ASCII case-insensitive), if `key` is longer than it.
pub(crate) fn family_member<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
    let head = key.get(..prefix.len())?;
    let rest = &key[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}
