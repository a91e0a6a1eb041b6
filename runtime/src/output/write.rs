//! Typed writers that generated `write_output` functions call: the writing side of the readers
//! in `read` ([`Fields`](super::Fields), [`TableReader`](super::TableReader)).
//!
//! An answer is written so that the request's own parser reads it back as the value written:
//! `parse_output(write_output(x)) == x`. What the text format cannot carry (a line end in a
//! value, a key with a colon, a cell that would split or vanish, a value that reads back as
//! another one) is an error naming the field, never a silently different answer. Error
//! messages never quote values (a value may be a secret).

use std::fmt;

mod table;

pub use table::{RowWriter, TableWriter};

use super::{CellDecoder, KeyValues, List, ResultRow, ResultStatus, Results, Submitted, Wire};
use crate::Request;
use crate::envelope::Envelope;
use crate::meta::{FlagSpelling, ProtocolMeta, Separator};
use crate::reply::Reply;
use crate::values::{FromWire, ToWire};
use crate::zone::Zone;

/// An answer value the DMAPI text format cannot carry as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the `{field}` of the {request} answer: {message}")]
pub struct WriteError {
    /// The request's wire name.
    pub request: &'static str,
    /// The header, column, key or payload part that cannot be written.
    pub field: String,
    /// Why.
    pub message: String,
}

impl WriteError {
    /// An error about `field` of `request`'s answer.
    pub fn new(
        request: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        WriteError {
            request,
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A request whose answers can be written: implemented by every generated request type on the
/// server side (the `server` feature of `dmapi`). The server side of
/// [`Request::parse_output`].
pub trait WriteOutput: Request<Output: PartialEq + fmt::Debug> {
    /// Writes `output` as the answer to this request: the headers of `reply` (its status and
    /// whatever else the server adds), then the answer's declared headers, then its payload.
    ///
    /// [`parse_output`](Request::parse_output) reads the text back as `output`. A value the
    /// format cannot carry is an error ([`WriteError`]), e.g. a header value with a CR or LF
    /// (which [`Reply`] would turn into a space); so is a header `reply` already has with
    /// another value. One normalisation: a typed key whose value the key-value payload
    /// does not hold is written before the payload's lines, so the payload read back holds it
    /// too.
    fn write_output(&self, output: &Self::Output, reply: Reply) -> Result<String, WriteError>;
}

/// Code generic over the request type, called by `AnyRequest::visit` with the typed request
/// it holds: how a server or a test reaches every request of the spec without naming one.
pub trait VisitOutput {
    /// What the visit returns.
    type Result;
    /// Called with the request.
    fn visit<R: WriteOutput>(self, request: &R) -> Self::Result;
}

/// How a value becomes the text of a cell, header or key: the writing side of
/// [`CellDecoder`], implemented by [`Wire`] (any [`ToWire`] type), [`FlagSpelling`] and
/// [`List`].
pub trait CellEncoder {
    /// The value written.
    type Value;
    /// The text of `value`, or why it has none.
    fn write_cell(&self, value: &Self::Value) -> Result<String, String>;
}

impl<T: ToWire> CellEncoder for Wire<T> {
    type Value = T;
    fn write_cell(&self, value: &T) -> Result<String, String> {
        Ok(value.to_wire().into_owned())
    }
}

impl CellEncoder for FlagSpelling {
    type Value = bool;
    fn write_cell(&self, value: &bool) -> Result<String, String> {
        Ok(self.encode(*value).to_owned())
    }
}

/// The value in double quotes (a `quoted` key or header).
impl<D: CellEncoder> CellEncoder for super::Quoted<D> {
    type Value = D::Value;
    fn write_cell(&self, value: &D::Value) -> Result<String, String> {
        self.0.write_cell(value).map(|text| super::quote(&text))
    }
}

/// Items joined by the delimiter. The reader trims items and leaves empty ones out, so an item
/// that is empty, has blanks around it or holds the delimiter cannot be written.
impl<D: CellEncoder> CellEncoder for List<D> {
    type Value = Vec<D::Value>;
    fn write_cell(&self, value: &Vec<D::Value>) -> Result<String, String> {
        let mut out = String::new();
        for (i, item) in value.iter().enumerate() {
            let text = self.item.write_cell(item)?;
            if text.trim().is_empty() || text.trim() != text {
                return Err(format!(
                    "list item {} is empty or has blanks around it",
                    i + 1
                ));
            }
            if text.contains(self.delimiter) {
                return Err(format!(
                    "list item {} holds the delimiter `{}`",
                    i + 1,
                    self.delimiter
                ));
            }
            if i > 0 {
                out.push(self.delimiter);
            }
            out.push_str(&text);
        }
        Ok(out)
    }
}

/// The text of `value` by `encoder`, checked to read back as `value` by the same codec.
pub(crate) fn encode<V, E>(encoder: &E, value: &V) -> Result<String, String>
where
    V: PartialEq,
    E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
{
    let text = encoder.write_cell(value)?;
    let back = match encoder.read_cell(&text) {
        Ok(back) if back == *value => Ok(()),
        Ok(_) => Err("the value's text reads back as another value".to_owned()),
        Err(e) => Err(format!("the value's text does not read back: {e}")),
    };
    back.map(|()| text)
}

/// Whether `text` fits on one line of the format: no CR or LF.
fn one_line(text: &str) -> Result<(), String> {
    if text.contains(['\r', '\n']) {
        Err("it holds a line end (CR or LF)".to_owned())
    } else {
        Ok(())
    }
}

/// Writes one answer: the headers of a [`Reply`], the answer's declared headers, its payload.
///
/// ```ignore
/// use dmapi::{Envelope, metadata::PROTOCOL, reply::Reply, output::AnswerWriter};
///
/// let mut w = AnswerWriter::new("query-test", Reply::new(&PROTOCOL, 0, "OK"));
/// w.header("Session-Timeout", Some(&3600_i64))?;
/// w.lines(&["com".to_owned(), "net".to_owned()])?;
/// let env = Envelope::parse(&w.finish(), &PROTOCOL)?;
/// assert_eq!(env.header("Session-Timeout"), Some("3600"));
/// assert_eq!(env.payload(), "com\nnet");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "finish the writer to get the answer's text"]
pub struct AnswerWriter {
    request: &'static str,
    reply: Reply,
    /// The headers `reply` came with, as a reader sees them.
    given: Option<Envelope>,
    payload: String,
    /// The payload is a zone or free text, written as is: its final LF (if any) stays.
    verbatim: bool,
}

impl AnswerWriter {
    /// A writer of `request`'s answer after the headers of `reply`.
    pub fn new(request: &'static str, reply: Reply) -> Self {
        let given = Envelope::parse_owned(reply.clone().finish(""), reply.protocol()).ok();
        AnswerWriter {
            request,
            reply,
            given,
            payload: String::new(),
            verbatim: false,
        }
    }

    /// The request's wire name.
    pub fn request(&self) -> &'static str {
        self.request
    }

    /// The error about `field`.
    pub(crate) fn error(&self, field: &str, message: impl Into<String>) -> WriteError {
        WriteError::new(self.request, field, message)
    }

    /// The value of header `name` in the reply the writer started from.
    fn given(&self, name: &str) -> Option<&str> {
        self.given.as_ref().and_then(|env| env.header(name))
    }

    /// Header `name` with `value` (`None`: not written) of a [`FromWire`] type.
    pub fn header<T: ToWire + FromWire + PartialEq>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), WriteError> {
        self.header_with(name, value, super::wire::<T>())
    }

    /// [`header`](Self::header), written by `encoder` (a flag, a list).
    ///
    /// An error if the text has a line end, if it does not read back as `value`, or if the
    /// reply already has the header with another value (or at all, for `None`): a reader
    /// takes the first.
    pub fn header_with<V, E>(
        &mut self,
        name: &str,
        value: Option<&V>,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        match value {
            Some(value) => {
                let text = encode(&encoder, value).map_err(|m| self.error(name, m))?;
                self.raw_header(name, &text)
            }
            None if self.given(name).is_some() => Err(self.error(
                name,
                "the reply already has the header, and the answer has none",
            )),
            None => Ok(()),
        }
    }

    /// Header `name: text`, unless the reply has it already with the same text.
    pub(crate) fn raw_header(&mut self, name: &str, text: &str) -> Result<(), WriteError> {
        one_line(text).map_err(|m| self.error(name, m))?;
        // The reader drops a trailing CR only at the line end, which `one_line` excludes.
        match self.given(name) {
            Some(given) if given == text => Ok(()),
            Some(_) => {
                Err(self.error(name, "the reply already has the header, with another value"))
            }
            None => {
                self.reply.push_header(name, text);
                Ok(())
            }
        }
    }

    /// The protocol the answer is written in (its header names, separators, result row).
    pub fn protocol(&self) -> &'static ProtocolMeta {
        self.reply.protocol()
    }

    /// The answer of a queued request: the Proc-ID header, and the tracking id when it has
    /// one.
    pub fn submitted<T>(&mut self, submitted: &Submitted<T>) -> Result<(), WriteError> {
        let h = &self.protocol().headers;
        let id = &submitted.proc_id;
        if id.trim().is_empty() || id.trim() != id {
            return Err(self.error(&h.proc_id, "empty, or blanks around it"));
        }
        self.raw_header(&h.proc_id, id)?;
        // What a reader takes for the tracking id: the first non-empty of two headers.
        let given = [&h.tracking_id, &h.tracking_id_old]
            .into_iter()
            .find_map(|h| self.given(h).map(str::trim).filter(|v| !v.is_empty()));
        match (given, submitted.tracking_id.as_deref()) {
            (Some(g), Some(t)) if g == t => Ok(()),
            (None, None) => Ok(()),
            (Some(_), _) => Err(self.error(
                &h.tracking_id,
                "the reply already has a tracking id, and not the answer's",
            )),
            (None, Some(t)) if t.trim().is_empty() || t.trim() != t => {
                Err(self.error(&h.tracking_id, "empty, or blanks around it"))
            }
            (None, Some(t)) => self.raw_header(&h.tracking_id, t),
        }
    }

    /// A payload of lines. A line cannot be blank (the reader skips blank lines), hold a LF or
    /// end in a CR.
    pub fn lines(&mut self, lines: &[String]) -> Result<(), WriteError> {
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() || line.contains('\n') || line.ends_with('\r') {
                let why = "blank, holds a LF or ends in a CR";
                return Err(self.error(&format!("payload line {}", i + 1), why));
            }
            self.payload.push_str(line);
            self.payload.push('\n');
        }
        Ok(())
    }

    /// A free-text payload, as is.
    pub fn text(&mut self, text: &str) {
        self.verbatim = true;
        self.payload.push_str(text);
    }

    /// A zone payload, in the zone's written form ([`Zone::to_text_in`], in the reply's
    /// [`zone_style`](Reply::zone_style)).
    pub fn zone(&mut self, zone: &Zone) -> Result<(), WriteError> {
        let text = zone
            .to_text_in(self.reply.zone_style_of())
            .map_err(|e| self.error("zone", e.to_string()))?;
        self.verbatim = true;
        self.payload.push_str(&text);
        Ok(())
    }

    /// Typed key `name` of the key-value payload `all`, with `value` (`None`: absent) of a
    /// [`FromWire`] type. Call before [`key_values`](Self::key_values).
    pub fn key<T: ToWire + FromWire + PartialEq>(
        &mut self,
        all: &KeyValues,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), WriteError> {
        self.key_with(all, name, value, super::wire::<T>())
    }

    /// [`key`](Self::key), written by `encoder` (a flag, a list).
    ///
    /// The key's value is read from `all`, so `value` must be what `all` holds for `name`
    /// (an error otherwise). If `all` has no such key, `value` (if any) is written as a line of
    /// its own, before the lines of `all`.
    pub fn key_with<V, E>(
        &mut self,
        all: &KeyValues,
        name: &str,
        value: Option<&V>,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        match (all.get(name), value) {
            (None, None) => Ok(()),
            (None, Some(value)) => {
                let text = encode(&encoder, value).map_err(|m| self.error(name, m))?;
                self.pair(name, &text)
            }
            (Some(raw), Some(value)) if encoder.read_cell(raw).is_ok_and(|v| v == *value) => Ok(()),
            (Some(_), _) => Err(self.error(
                name,
                "the field differs from the value the key-value payload holds for it",
            )),
        }
    }

    /// The repeated key `name` of the key-value payload `all`, with `values` of a [`FromWire`]
    /// type. Call before [`key_values`](Self::key_values).
    pub fn repeated<T: ToWire + FromWire + PartialEq>(
        &mut self,
        all: &KeyValues,
        name: &str,
        values: &[T],
    ) -> Result<(), WriteError> {
        self.repeated_with(all, name, values, super::wire::<T>())
    }

    /// [`repeated`](Self::repeated), written by `encoder` (a flag, a list).
    ///
    /// The key's lines are read from `all`, so `values` must be what `all` holds for `name`
    /// (an error otherwise). If `all` has no such line, `values` are written as lines of their
    /// own, before the lines of `all`.
    pub fn repeated_with<V, E>(
        &mut self,
        all: &KeyValues,
        name: &str,
        values: &[V],
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        let held: Vec<&str> = all.get_all(name).collect();
        if !held.is_empty() {
            let same = held.len() == values.len()
                && held
                    .iter()
                    .zip(values)
                    .all(|(raw, want)| encoder.read_cell(raw).is_ok_and(|v| v == *want));
            if same {
                return Ok(());
            }
            let why = "the field differs from the lines the key-value payload holds for it";
            return Err(self.error(name, why));
        }
        for value in values {
            let text = encode(&encoder, value).map_err(|m| self.error(name, m))?;
            self.pair(name, &text)?;
        }
        Ok(())
    }

    /// The key family `prefix` of the key-value payload `all` (see
    /// [`Fields::family`](super::Fields::family)), with `values` (each the rest of a key and
    /// its value) of a [`FromWire`] type. Call before [`key_values`](Self::key_values).
    pub fn family<T: ToWire + FromWire + PartialEq>(
        &mut self,
        all: &KeyValues,
        prefix: &str,
        declared: &[&str],
        values: &[(String, T)],
    ) -> Result<(), WriteError> {
        self.family_with(all, prefix, declared, values, super::wire::<T>())
    }

    /// [`family`](Self::family), written by `encoder` (a flag, a list).
    ///
    /// The family is read from `all`, so `values` must be what `all` holds for it (an error
    /// otherwise). If `all` holds none of it, `values` are written as lines of their own, before
    /// the lines of `all`: each rest of a key must then be non-empty, without a colon, blanks
    /// around it or a line end, and must not make a declared key.
    pub fn family_with<V, E>(
        &mut self,
        all: &KeyValues,
        prefix: &str,
        declared: &[&str],
        values: &[(String, V)],
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        let held: Vec<(&str, &str)> = all.family(prefix, declared).collect();
        if !held.is_empty() {
            let same = held.len() == values.len()
                && held
                    .iter()
                    .zip(values)
                    .all(|((rest, raw), (want_rest, want))| {
                        rest == want_rest && encoder.read_cell(raw).is_ok_and(|v| v == *want)
                    });
            if same {
                return Ok(());
            }
            let why = "the family differs from the lines the key-value payload holds for it";
            return Err(self.error(&format!("{prefix}*"), why));
        }
        for (rest, value) in values {
            let key = format!("{prefix}{rest}");
            let member = super::family_member(&key, prefix).is_some_and(|r| r == rest);
            if !member || declared.iter().any(|d| d.eq_ignore_ascii_case(&key)) {
                let why = "the rest of the key is empty, or the key is a declared one";
                return Err(self.error(&key, why));
            }
            let text = encode(&encoder, value).map_err(|m| self.error(&key, m))?;
            self.pair(&key, &text)?;
        }
        Ok(())
    }

    /// The lines of a key-value payload, in order.
    pub fn key_values(&mut self, all: &KeyValues) -> Result<(), WriteError> {
        for (key, value) in all.iter() {
            self.pair(key, value)?;
        }
        Ok(())
    }

    /// One `key: value` line. The reader splits lines at LF, then at the first colon, and
    /// trims both sides (a CR inside is kept).
    fn pair(&mut self, key: &str, value: &str) -> Result<(), WriteError> {
        if key.contains(':') || key.trim() != key || value.trim() != value {
            let why = "the key holds a colon, or the key or value has blanks around it";
            return Err(self.error(key, why));
        }
        if key.contains('\n') || value.contains('\n') {
            return Err(self.error(key, "it holds a LF"));
        }
        for part in [key, ": ", value, "\n"] {
            self.payload.push_str(part);
        }
        Ok(())
    }

    /// A result-list payload: rows (with a `Row-Count` header), or the `Records: N` line of a
    /// count.
    ///
    /// Rows are separated as a reader of this reply expects: by its `Separator` header if it
    /// has one, else by spaces, or by tabs (with a `Separator: TAB` header) when a cell is
    /// empty or holds blanks. A status must read back as itself, a cltrid cannot be `-` (which
    /// means none), and the first row cannot read as a `Records:` line.
    pub fn results(&mut self, results: &Results) -> Result<(), WriteError> {
        let p = self.protocol();
        let rows = match results {
            Results::Count(n) => {
                self.payload
                    .push_str(&format!("{}: {n}\n", p.result_row.count_key));
                return Ok(());
            }
            Results::Rows(rows) => rows,
        };
        self.raw_header(&p.headers.row_count, &rows.len().to_string())?;
        let separators: &[Separator] = match self.given.as_ref() {
            Some(env) if env.header(&p.headers.separator).is_some() => {
                match super::separator_of(env, Separator::Whitespace) {
                    Separator::Tab => &[Separator::Tab],
                    Separator::Whitespace => &[Separator::Whitespace],
                }
            }
            _ => &[Separator::Whitespace, Separator::Tab],
        };
        let mut error = None;
        for &sep in separators {
            match result_lines(p, rows, sep) {
                Ok(payload) => {
                    if sep == Separator::Tab && separators.len() > 1 {
                        self.raw_header(&p.headers.separator, &p.separator_tab)?;
                    }
                    self.payload.push_str(&payload);
                    return Ok(());
                }
                Err(e) => error = Some(e),
            }
        }
        let (field, why) = error.unwrap_or_default();
        Err(self.error(&field, why))
    }

    /// Appends to the payload (for [`TableWriter`]).
    pub(crate) fn push_payload(&mut self, text: &str) {
        self.payload.push_str(text);
    }

    /// The answer's text. Lines of a list, of `key: value` pairs or of text are joined by LF;
    /// the last ends with one only where the protocol's framing says so
    /// ([`Framing::final_newline`](crate::meta::Framing::final_newline)): the live server sends
    /// none, and clients that split on LF read one as an empty row. A zone keeps its own.
    pub fn finish(mut self) -> String {
        if !self.verbatim && !self.protocol().framing.final_newline && self.payload.ends_with('\n')
        {
            self.payload.pop();
        }
        self.reply.finish(&self.payload)
    }
}

/// Whether `line` reads as the `Records: N` line of a count.
fn is_records_line(p: &ProtocolMeta, line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(key, _)| key.trim().eq_ignore_ascii_case(&p.result_row.count_key))
}

/// The payload of result `rows` separated by `sep`, or the cell that cannot be written and why.
fn result_lines(
    p: &ProtocolMeta,
    rows: &[ResultRow],
    sep: Separator,
) -> Result<String, (String, &'static str)> {
    let mut payload = String::new();
    for (i, row) in rows.iter().enumerate() {
        let line = result_line(p, row, sep)
            .map_err(|(cell, why)| (format!("result row {}: {cell}", i + 1), why))?;
        if i == 0 && is_records_line(p, &line) {
            return Err((
                "result row 1".to_owned(),
                "it would read as a `Records:` line",
            ));
        }
        payload.push_str(&line);
        payload.push('\n');
    }
    Ok(payload)
}

/// The payload line of `row` (without its LF), or the cell that cannot be written and why.
/// With blanks between cells, a cell cannot be empty or hold blanks (the last one: around
/// it); with tabs, only the last one may hold a tab. No cell holds a LF, and the line cannot
/// end in a CR or be blank.
fn result_line(
    p: &ProtocolMeta,
    row: &ResultRow,
    sep: Separator,
) -> Result<String, (String, &'static str)> {
    let meta = &p.result_row;
    let at = meta.at;
    let status = row.status.word(&p.completion);
    if ResultStatus::read(status, &p.completion) != row.status {
        return Err((
            meta.columns[at.status].to_string(),
            "it reads back as another status",
        ));
    }
    if row.cltrid.as_deref() == Some(&*meta.none) {
        let why = "the protocol's \"none\" cell reads back as no cltrid";
        return Err((meta.columns[at.cltrid].to_string(), why));
    }
    let mut by_position = vec![""; meta.columns.len()];
    by_position[at.timestamp] = &row.timestamp;
    by_position[at.svtrid] = &row.svtrid;
    by_position[at.proc_id] = &row.proc_id;
    by_position[at.request_type] = &row.request_type;
    by_position[at.object] = &row.object;
    by_position[at.status] = status;
    by_position[at.cltrid] = row.cltrid.as_deref().unwrap_or(&meta.none);
    let cells: Vec<(&str, &str)> = meta.columns.iter().map(|c| &**c).zip(by_position).collect();
    let t = at.timestamp;
    if sep == Separator::Whitespace
        && cells
            .get(t + 1)
            .is_some_and(|next| super::is_iso_date(cells[t].1) && super::is_clock_time(next.1))
    {
        // A blank-separated reader takes `YYYY-MM-DD HH:MM:SS` for one timestamp.
        let why = "a date then a clock time read back as one timestamp";
        return Err((cells[t + 1].0.to_owned(), why));
    }
    let blank = |c: char| c == ' ' || c == '\t';
    let mut line = String::new();
    for (i, &(name, cell)) in cells.iter().enumerate() {
        let last = i + 1 == cells.len();
        let fits = !cell.contains('\n')
            && match sep {
                Separator::Whitespace if last => {
                    !cell.is_empty() && !cell.starts_with(blank) && !cell.ends_with(blank)
                }
                Separator::Whitespace => !cell.is_empty() && !cell.contains(blank),
                Separator::Tab => last || !cell.contains('\t'),
            };
        if !fits {
            return Err((
                name.to_owned(),
                "the cell is empty or holds blanks, a tab or a LF where the separator cannot carry it",
            ));
        }
        if i > 0 {
            line.push(match sep {
                Separator::Tab => '\t',
                Separator::Whitespace => ' ',
            });
        }
        line.push_str(cell);
    }
    let last = cells.last().map_or("", |c| c.0);
    if line.ends_with('\r') {
        return Err((
            last.to_owned(),
            "the line would end in a CR, which a reader drops",
        ));
    }
    if line.trim().is_empty() {
        return Err((
            last.to_owned(),
            "the line would be blank, which a reader skips",
        ));
    }
    Ok(line)
}
