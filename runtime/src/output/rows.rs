//! Reading a table's rows into typed values, all at once ([`TableReader::read`]) or one at a
//! time ([`TableReader::into_rows`]), with the error texts every generated parser shares.

use std::fmt;

use super::read::{CellDecoder, wire};
use super::split::RowScanner;
use super::{OutputError, Row, Table};
use crate::envelope::Envelope;
use crate::meta::Separator;
use crate::values::FromWire;

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
    #[inline]
    pub fn read<T>(
        &self,
        read: impl FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>,
    ) -> Result<Vec<T>, OutputError> {
        self.clone().into_rows(read).collect_all()
    }

    /// The rows through `read`, one at a time, in payload order: memory stays the answer plus
    /// one row. After an error the iterator ends.
    ///
    /// Each row is split once into a reused buffer; `read` looks its cells up by position.
    pub fn into_rows<T, F>(self, read: F) -> TypedRows<'a, F>
    where
        F: FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>,
    {
        let width = self.table.columns().len();
        let other = (0..width).filter(|i| !self.declared.contains(i)).collect();
        let separator = self.table.separator();
        TypedRows {
            scanner: RowScanner::new(self.env.payload()),
            cells: Vec::with_capacity(width.max(1)),
            separator,
            width,
            other,
            reader: self,
            read,
        }
    }
}

/// The typed rows of a table, one at a time: from [`TableReader::into_rows`] (and the
/// generated `rows` methods).
pub struct TypedRows<'a, F> {
    reader: TableReader<'a>,
    scanner: RowScanner<'a>,
    cells: Vec<&'a str>,
    separator: Separator,
    width: usize,
    other: Vec<usize>,
    read: F,
}

impl<F> fmt::Debug for TypedRows<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedRows")
            .field("request", &self.reader.request)
            .field("scanner", &self.scanner)
            .finish_non_exhaustive()
    }
}

impl<'a, T, F> TypedRows<'a, F>
where
    F: FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>,
{
    /// Every remaining row in a vector (reserved from the payload's line count), or the first
    /// error.
    pub fn collect_all(self) -> Result<Vec<T>, OutputError> {
        let mut rows = Vec::with_capacity(self.reader.table.row_capacity());
        for row in self {
            rows.push(row?);
        }
        Ok(rows)
    }
}

impl<'a, T, F> Iterator for TypedRows<'a, F>
where
    F: FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>,
{
    type Item = Result<T, OutputError>;

    #[inline]
    fn next(&mut self) -> Option<Result<T, OutputError>> {
        let (line, number) = self
            .scanner
            .next_row(self.separator, self.width, &mut self.cells)?;
        let row = Row {
            line,
            number,
            separator: self.separator,
            width: self.width,
        };
        let result = (self.read)(&RowCells {
            reader: &self.reader,
            other: &self.other,
            cells: &self.cells,
            row,
        });
        if result.is_err() {
            self.scanner.finish();
        }
        Some(result)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.scanner.is_done() {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

impl<'a, T, F> std::iter::FusedIterator for TypedRows<'a, F> where
    F: FnMut(&RowCells<'_, 'a>) -> Result<T, OutputError>
{
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
        self.required_with(idx, column, wire::<T>())
    }

    /// The value of `column`, `None` if the cell is missing; an error if it is not a `T`.
    #[inline]
    pub fn optional<T: FromWire>(
        &self,
        idx: Option<usize>,
        column: &str,
    ) -> Result<Option<T>, OutputError> {
        self.optional_with(idx, column, wire::<T>())
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
        self.optional_unless_with(idx, column, none, wire::<T>())
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
