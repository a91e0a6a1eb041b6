//! Typed readers that generated `parse_output` and `borrow_rows` functions call: a table's rows
//! cell by cell ([`TableReader`], [`RowCells`]) and headers or key-value keys ([`Fields`]), with
//! the error texts every generated parser shares.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use super::{KeyValues, OutputError, Row, Table};
use crate::envelope::Envelope;
use crate::meta::{FlagSpelling, Separator, ValueType};
use crate::values::{FromWire, ValueError};

/// How the text of a cell, header or key becomes a value.
///
/// Implemented by [`Wire`] (any [`FromWire`] type), [`FlagSpelling`] (a flag), [`List`] (a
/// delimited list), [`Checked`] (text kept borrowed after its type's check) and [`Text`] (text
/// kept borrowed as is).
pub trait CellDecoder<'a> {
    /// The value read.
    type Value;
    /// Why the text is rejected; shown after the row's line number, if any.
    type Error: fmt::Display;
    /// Reads `raw`, a non-empty cell or a header or key value.
    fn read_cell(&self, raw: &'a str) -> Result<Self::Value, Self::Error>;
}

/// Decoder of a [`FromWire`] value `T`; see [`wire`].
pub struct Wire<T>(PhantomData<fn() -> T>);

impl<T> Clone for Wire<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Wire<T> {}

impl<T> fmt::Debug for Wire<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Wire<{}>", std::any::type_name::<T>())
    }
}

/// The decoder of a [`FromWire`] value `T` (for the items of a [`list`]).
#[inline]
pub fn wire<T: FromWire>() -> Wire<T> {
    Wire(PhantomData)
}

impl<'a, T: FromWire> CellDecoder<'a> for Wire<T> {
    type Value = T;
    type Error = ValueError;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<T, ValueError> {
        T::from_wire(raw)
    }
}

/// Why a text is not a flag: displays as ``` `{text}` is not a flag value ```.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAFlag<'a>(pub &'a str);

impl fmt::Display for NotAFlag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a flag value", self.0)
    }
}

impl<'a> CellDecoder<'a> for FlagSpelling {
    type Value = bool;
    type Error = NotAFlag<'a>;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<bool, NotAFlag<'a>> {
        FlagSpelling::decode(*self, raw).ok_or(NotAFlag(raw))
    }
}

/// Decoder of a value written in double quotes: one pair of surrounding quotes is taken off
/// (a value without them is read as it is), then the rest is read by `item`; see [`quoted`].
#[derive(Clone, Copy, Debug)]
pub struct Quoted<D>(pub D);

/// The decoder of a value in double quotes, read by `item`.
#[inline]
pub fn quoted<D>(item: D) -> Quoted<D> {
    Quoted(item)
}

impl<'a, D: CellDecoder<'a>> CellDecoder<'a> for Quoted<D> {
    type Value = D::Value;
    type Error = D::Error;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<D::Value, D::Error> {
        self.0.read_cell(unquote(raw))
    }
}

/// `text` in double quotes: how a `quoted` key or header is written ([`unquote`] reads it).
pub fn quote(text: &str) -> String {
    format!("\"{text}\"")
}

/// `raw` without one pair of surrounding double quotes (and the spaces around them); `raw`
/// itself when it is not quoted.
pub fn unquote(raw: &str) -> &str {
    raw.trim()
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(raw)
}

/// Decoder of a list: the text split at `delimiter`, items trimmed, empty items left out, each
/// read by `item`; see [`list`].
#[derive(Clone, Copy, Debug)]
pub struct List<D> {
    /// What separates the items.
    pub delimiter: char,
    /// The decoder of each item.
    pub item: D,
}

/// The decoder of a list of `item`s separated by `delimiter`.
#[inline]
pub fn list<D>(delimiter: char, item: D) -> List<D> {
    List { delimiter, item }
}

impl<'a, D: CellDecoder<'a>> CellDecoder<'a> for List<D> {
    type Value = Vec<D::Value>;
    type Error = D::Error;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<Self::Value, D::Error> {
        raw.split(self.delimiter)
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| self.item.read_cell(item))
            .collect()
    }
}

/// Decoder of borrowed text: the text itself, once [`ValueType::check`] accepts it.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'t>(pub &'t ValueType);

impl<'a> CellDecoder<'a> for Checked<'_> {
    type Value = &'a str;
    type Error = ValueError;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<&'a str, ValueError> {
        self.0.check(raw).map(|()| raw)
    }
}

/// Decoder of borrowed text taken as is (plain text, and enums, whose unknown values are kept).
#[derive(Clone, Copy, Debug)]
pub struct Text;

impl<'a> CellDecoder<'a> for Text {
    type Value = &'a str;
    type Error = Infallible;
    #[inline]
    fn read_cell(&self, raw: &'a str) -> Result<&'a str, Infallible> {
        Ok(raw)
    }
}

/// Reads the rows of a tabular answer into typed values.
///
/// The columns the parser declares with [`column`](Self::column) are read by position; the cells
/// of any other column (named by the `Columns` header) are kept by
/// [`RowCells::other_columns`].
///
/// ```ignore
/// // (`dmapi` bakes the protocol; this crate's doc tests cannot depend on it.)
/// use dmapi::{Date, DomainName, Envelope, meta::Separator, metadata::PROTOCOL, output::TableReader};
///
/// let env = Envelope::parse("Status-Code: 0\n\nexample.com 2030-01-31\n", &PROTOCOL)?;
/// let mut table = TableReader::new("query-test", &env, &["domain", "expiration_date"], Separator::Whitespace);
/// let i_domain = table.column("domain");
/// let i_date = table.column("expiration_date");
/// let rows = table.read(|row| {
///     let domain: DomainName = row.required(i_domain, "domain")?;
///     let date: Option<Date> = row.optional(i_date, "expiration_date")?;
///     Ok((domain, date))
/// })?;
/// assert_eq!(rows[0].1, Date::from_ymd(2030, 1, 31).ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct TableReader<'a> {
    request: &'static str,
    env: &'a Envelope,
    table: Table<'a>,
    declared: Vec<usize>,
}

impl<'a> TableReader<'a> {
    /// The table of `request`'s answer `env`, read like [`Table::parse`].
    pub fn new(
        request: &'static str,
        env: &'a Envelope,
        default_columns: &[&str],
        default_separator: Separator,
    ) -> Self {
        TableReader {
            request,
            env,
            table: Table::parse(env, default_columns, default_separator),
            declared: Vec::with_capacity(default_columns.len()),
        }
    }

    /// The position of the declared column `name` ([`Table::index_of`]), `None` if the answer
    /// does not have it.
    pub fn column(&mut self, name: &str) -> Option<usize> {
        let idx = self.table.index_of(name);
        self.declared.extend(idx);
        idx
    }

    /// The table read.
    pub fn table(&self) -> &Table<'a> {
        &self.table
    }

    /// Every row through `read`, in payload order; stops at the first error.
    ///
    /// Each row is split once into a reused buffer; `read` looks its cells up by position.
    #[inline]
    pub fn read<T>(
        &self,
        mut read: impl FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>,
    ) -> Result<Vec<T>, OutputError> {
        let other: Vec<usize> = (0..self.table.columns().len())
            .filter(|i| !self.declared.contains(i))
            .collect();
        let mut rows = Vec::with_capacity(self.table.row_capacity());
        let mut cells: Vec<&'a str> = Vec::with_capacity(self.table.columns().len());
        for row in self.table.rows() {
            cells.clear();
            cells.extend(row.cells());
            rows.push(read(&RowCells {
                reader: self,
                other: &other,
                cells: &cells,
                row,
            })?);
        }
        Ok(rows)
    }
}

/// The cells of one row, for [`TableReader::read`].
///
/// A cell that is absent or empty, or whose column the answer does not have, counts as missing.
/// Errors name the request, the column and the row's line: `line {n}: the column is missing`,
/// `line {n}: {why the value is rejected}`.
#[derive(Clone, Copy, Debug)]
pub struct RowCells<'r, 'a> {
    reader: &'r TableReader<'a>,
    other: &'r [usize],
    cells: &'r [&'a str],
    row: Row<'a>,
}

impl<'r, 'a> RowCells<'r, 'a> {
    /// The cell at `idx`, `None` if it is missing or empty.
    #[inline]
    pub fn cell(&self, idx: Option<usize>) -> Option<&'a str> {
        idx.and_then(|i| self.cells.get(i).copied())
            .filter(|s| !s.is_empty())
    }

    /// The value of `column`; an error if the cell is missing or not a `T`.
    #[inline]
    pub fn required<T: FromWire>(
        &self,
        idx: Option<usize>,
        column: &str,
    ) -> Result<T, OutputError> {
        self.required_with(idx, column, Wire(PhantomData))
    }

    /// The value of `column`, `None` if the cell is missing; an error if it is not a `T`.
    #[inline]
    pub fn optional<T: FromWire>(
        &self,
        idx: Option<usize>,
        column: &str,
    ) -> Result<Option<T>, OutputError> {
        self.optional_with(idx, column, Wire(PhantomData))
    }

    /// The value of `column`, `None` if the cell is missing or is the `none` marker (e.g. `-`);
    /// an error if it is not a `T`.
    #[inline]
    pub fn optional_unless<T: FromWire>(
        &self,
        idx: Option<usize>,
        column: &str,
        none: &str,
    ) -> Result<Option<T>, OutputError> {
        self.optional_unless_with(idx, column, none, Wire(PhantomData))
    }

    /// The text of the cell as is, empty if it is missing.
    #[inline]
    pub fn text_or_default(&self, idx: Option<usize>) -> String {
        self.cell(idx).unwrap_or_default().to_owned()
    }

    /// [`required`](Self::required), read by `decoder` (a flag, a list, borrowed text).
    #[inline]
    pub fn required_with<D: CellDecoder<'a>>(
        &self,
        idx: Option<usize>,
        column: &str,
        decoder: D,
    ) -> Result<D::Value, OutputError> {
        match self.cell(idx) {
            Some(raw) => decoder.read_cell(raw).map_err(|e| self.error(column, &e)),
            None => Err(self.error(column, &"the column is missing")),
        }
    }

    /// [`optional`](Self::optional), read by `decoder` (a flag, a list, borrowed text).
    #[inline]
    pub fn optional_with<D: CellDecoder<'a>>(
        &self,
        idx: Option<usize>,
        column: &str,
        decoder: D,
    ) -> Result<Option<D::Value>, OutputError> {
        self.decode(self.cell(idx), column, decoder)
    }

    /// [`optional_unless`](Self::optional_unless), read by `decoder` (a flag, a list, borrowed
    /// text).
    #[inline]
    pub fn optional_unless_with<D: CellDecoder<'a>>(
        &self,
        idx: Option<usize>,
        column: &str,
        none: &str,
        decoder: D,
    ) -> Result<Option<D::Value>, OutputError> {
        self.decode(self.cell(idx).filter(|s| *s != none), column, decoder)
    }

    /// The cells of the columns the parser did not declare, as `(column, value)`, in order.
    pub fn other_columns(&self) -> Vec<(String, String)> {
        if self.other.is_empty() {
            return Vec::new();
        }
        let columns = self.reader.table.columns();
        self.other
            .iter()
            .filter_map(|&i| Some((columns[i].clone(), (*self.cells.get(i)?).to_owned())))
            .collect()
    }

    /// The whole payload line, without its line end.
    #[inline]
    pub fn line(&self) -> &'a str {
        self.row.line()
    }

    /// The row's 1-based payload line number.
    #[inline]
    pub fn number(&self) -> usize {
        self.row.number()
    }

    #[inline]
    fn decode<D: CellDecoder<'a>>(
        &self,
        cell: Option<&'a str>,
        column: &str,
        decoder: D,
    ) -> Result<Option<D::Value>, OutputError> {
        match cell {
            Some(raw) => match decoder.read_cell(raw) {
                Ok(v) => Ok(Some(v)),
                Err(e) => Err(self.error(column, &e)),
            },
            None => Ok(None),
        }
    }

    #[cold]
    #[inline(never)]
    fn error(&self, column: &str, why: &dyn fmt::Display) -> OutputError {
        let message = format!("line {}: {why}", self.row.number());
        OutputError::new(self.reader.request, column, message, self.reader.env)
    }
}

/// Reads the named values of an answer — its headers, or the keys of its key-value payload —
/// for generated `parse_output` functions.
///
/// Errors name the request and the header or key: `the header is missing`, `the key is
/// missing`, or why the value is rejected.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'e> {
    request: &'static str,
    env: &'e Envelope,
    keys: Option<&'e KeyValues>,
}

impl<'e> Fields<'e> {
    /// The headers of `request`'s answer `env`.
    pub fn headers(request: &'static str, env: &'e Envelope) -> Self {
        Fields {
            request,
            env,
            keys: None,
        }
    }

    /// The keys of `all`, the key-value payload of `request`'s answer `env`.
    pub fn keys(request: &'static str, env: &'e Envelope, all: &'e KeyValues) -> Self {
        Fields {
            request,
            env,
            keys: Some(all),
        }
    }

    /// The value of `name`; an error if it is missing or not a `T`.
    pub fn required<T: FromWire>(&self, name: &str) -> Result<T, OutputError> {
        self.required_with(name, Wire(PhantomData))
    }

    /// The value of `name`, `None` if it is missing; an error if it is not a `T`.
    pub fn optional<T: FromWire>(&self, name: &str) -> Result<Option<T>, OutputError> {
        self.optional_with(name, Wire(PhantomData))
    }

    /// [`required`](Self::required), read by `decoder` (a flag, a list).
    pub fn required_with<D: CellDecoder<'e>>(
        &self,
        name: &str,
        decoder: D,
    ) -> Result<D::Value, OutputError> {
        match self.optional_with(name, decoder)? {
            Some(v) => Ok(v),
            None => Err(self.error(name, &self.missing())),
        }
    }

    /// [`optional`](Self::optional), read by `decoder` (a flag, a list).
    pub fn optional_with<D: CellDecoder<'e>>(
        &self,
        name: &str,
        decoder: D,
    ) -> Result<Option<D::Value>, OutputError> {
        let value = match self.keys {
            Some(all) => all.get(name),
            None => self.env.header(name),
        };
        match value.map(|raw| decoder.read_cell(raw)) {
            Some(Ok(v)) => Ok(Some(v)),
            Some(Err(e)) => Err(self.error(name, &e)),
            None => Ok(None),
        }
    }

    /// Every value of the repeated key `name` (a name server line of a whois answer), in
    /// answer order; an error if one is not a `T`. Headers do not repeat: on a header reader
    /// this is the header's one value, if any.
    pub fn repeated<T: FromWire>(&self, name: &str) -> Result<Vec<T>, OutputError> {
        self.repeated_with(name, Wire(PhantomData))
    }

    /// [`repeated`](Self::repeated), read by `decoder` (a flag, a list).
    pub fn repeated_with<D: CellDecoder<'e>>(
        &self,
        name: &str,
        decoder: D,
    ) -> Result<Vec<D::Value>, OutputError> {
        let Some(all) = self.keys else {
            return Ok(self.optional_with(name, decoder)?.into_iter().collect());
        };
        all.get_all(name)
            .map(|raw| decoder.read_cell(raw).map_err(|e| self.error(name, &e)))
            .collect()
    }

    /// The key family `prefix` (e.g. `domain-price-` of `domain-price-<type>` lines): every key
    /// of the payload that starts with it and is not one of the `declared` keys, as
    /// `(the rest of the key, value)` in answer order; an error if a value is not a `T`.
    /// Headers have no families: on a header reader this is empty.
    pub fn family<T: FromWire>(
        &self,
        prefix: &str,
        declared: &[&str],
    ) -> Result<Vec<(String, T)>, OutputError> {
        self.family_with(prefix, declared, Wire(PhantomData))
    }

    /// [`family`](Self::family), read by `decoder` (a flag, a list).
    pub fn family_with<D: CellDecoder<'e>>(
        &self,
        prefix: &str,
        declared: &[&str],
        decoder: D,
    ) -> Result<Vec<(String, D::Value)>, OutputError> {
        let Some(all) = self.keys else {
            return Ok(Vec::new());
        };
        all.family(prefix, declared)
            .map(|(rest, raw)| match decoder.read_cell(raw) {
                Ok(v) => Ok((rest.to_owned(), v)),
                Err(e) => Err(self.error(&format!("{prefix}{rest}"), &e)),
            })
            .collect()
    }

    fn missing(&self) -> &'static str {
        match self.keys {
            Some(_) => "the key is missing",
            None => "the header is missing",
        }
    }

    #[cold]
    fn error(&self, name: &str, why: &dyn fmt::Display) -> OutputError {
        OutputError::new(self.request, name, why.to_string(), self.env)
    }
}
