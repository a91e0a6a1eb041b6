//! Writing a tabular payload: the writing side of [`TableReader`](crate::output::TableReader).

use super::{AnswerWriter, CellEncoder, WriteError, encode};
use crate::meta::Separator;
use crate::output::{CellDecoder, wire};
use crate::values::{FromWire, ToWire};

/// One cell as written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cell {
    /// Nothing: read back as missing (an empty cell, or none at the end of the line).
    Absent,
    /// The column's "none" marker: read back as missing, written whenever the column is.
    Marker(String),
    /// Text read back as is.
    Text(String),
}

impl Cell {
    fn text(&self) -> &str {
        match self {
            Cell::Absent => "",
            Cell::Marker(t) | Cell::Text(t) => t,
        }
    }
}

/// A row as collected: its declared cells, and its other columns as `(column, value)`.
type Collected = (Vec<Cell>, Vec<(String, String)>);

/// The rows of a tabular answer, collected before they are laid out.
///
/// The declared columns a row has no value in are left out of the `Columns` header, unless the
/// request asks for them (`wanted`). The columns the parser does not declare (each row's
/// `other_columns`) come after the declared ones. The rows are written with the declared
/// separator if it can carry every cell, else with tabs (which carry empty cells and cells
/// with spaces); the `Columns` and `Separator` headers say which, as the reader expects. A
/// cell no separator can carry is an error.
///
/// ```ignore
/// use dmapi::{Date, DomainName, Envelope, meta::Separator, metadata::PROTOCOL, reply::Reply};
/// use dmapi::output::{AnswerWriter, TableWriter};
///
/// let rows = [(DomainName::new("example.com")?, Date::from_ymd(2030, 1, 31)?)];
/// let mut table = TableWriter::new("query-test", Separator::Whitespace);
/// let i_domain = table.column("domain", true);
/// let i_date = table.column("expiration_date", true);
/// table.write(&rows, |(domain, date), cells| {
///     cells.required(i_domain, "domain", domain)?;
///     cells.required(i_date, "expiration_date", date)
/// })?;
/// let mut w = AnswerWriter::new("query-test", Reply::new(&PROTOCOL, 0, "OK"));
/// w.table(table)?;
/// let env = Envelope::parse(&w.finish(), &PROTOCOL)?;
/// assert_eq!(env.header("Columns"), Some("domain,expiration_date"));
/// assert_eq!(env.payload(), "example.com 2030-01-31\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct TableWriter {
    request: &'static str,
    separator: Separator,
    /// The declared columns, and whether each is written whatever the rows hold.
    columns: Vec<(String, bool)>,
    /// Each row's declared cells and other columns.
    rows: Vec<Collected>,
}

impl TableWriter {
    /// An empty table of `request`'s answer, whose spec declares `separator`.
    pub fn new(request: &'static str, separator: Separator) -> Self {
        TableWriter {
            request,
            separator,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Declares column `name`, returning its position for [`RowWriter`]. With `wanted` (a base
    /// column, or an extra column whose flag the request sets) it is written even when no row
    /// has a value in it.
    pub fn column(&mut self, name: &str, wanted: bool) -> usize {
        self.columns.push((name.to_owned(), wanted));
        self.columns.len() - 1
    }

    /// Adds `rows`, each through `write`, which sets its cells; stops at the first error.
    pub fn write<R>(
        &mut self,
        rows: &[R],
        mut write: impl FnMut(&R, &mut RowWriter) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        self.rows.reserve(rows.len());
        for row in rows {
            let mut cells = RowWriter {
                request: self.request,
                number: self.rows.len() + 1,
                cells: vec![Cell::Absent; self.columns.len()],
                other: Vec::new(),
            };
            write(row, &mut cells)?;
            self.rows.push((cells.cells, cells.other));
        }
        Ok(())
    }
}

/// The cells of one row, for [`TableWriter::write`]: the writing side of
/// [`RowCells`](crate::output::RowCells). Each value is checked to read back as itself; errors
/// name the column and the row (`row {n}: ...`).
#[derive(Debug)]
pub struct RowWriter {
    request: &'static str,
    number: usize,
    cells: Vec<Cell>,
    other: Vec<(String, String)>,
}

impl RowWriter {
    /// The value of `column` (position `idx`).
    pub fn required<T: ToWire + FromWire + PartialEq>(
        &mut self,
        idx: usize,
        column: &str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.required_with(idx, column, value, wire::<T>())
    }

    /// The value of `column`, `None` for a missing cell.
    pub fn optional<T: ToWire + FromWire + PartialEq>(
        &mut self,
        idx: usize,
        column: &str,
        value: Option<&T>,
    ) -> Result<(), WriteError> {
        self.optional_with(idx, column, value, wire::<T>())
    }

    /// The value of `column`, `None` written as the `none` marker (e.g. `-`).
    pub fn optional_unless<T: ToWire + FromWire + PartialEq>(
        &mut self,
        idx: usize,
        column: &str,
        none: &str,
        value: Option<&T>,
    ) -> Result<(), WriteError> {
        self.optional_unless_with(idx, column, none, value, wire::<T>())
    }

    /// Text read as is, an empty text being a missing cell (the writing side of
    /// [`RowCells::text_or_default`](crate::output::RowCells::text_or_default)).
    pub fn text_or_default(&mut self, idx: usize, value: &str) {
        self.cells[idx] = if value.is_empty() {
            Cell::Absent
        } else {
            Cell::Text(value.to_owned())
        };
    }

    /// [`required`](Self::required), written by `encoder` (a flag, a list).
    pub fn required_with<V, E>(
        &mut self,
        idx: usize,
        column: &str,
        value: &V,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        self.set(idx, column, None, Some(value), encoder)
    }

    /// [`optional`](Self::optional), written by `encoder` (a flag, a list).
    pub fn optional_with<V, E>(
        &mut self,
        idx: usize,
        column: &str,
        value: Option<&V>,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        self.set(idx, column, None, value, encoder)
    }

    /// [`optional_unless`](Self::optional_unless), written by `encoder` (a flag, a list).
    pub fn optional_unless_with<V, E>(
        &mut self,
        idx: usize,
        column: &str,
        none: &str,
        value: Option<&V>,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        self.set(idx, column, Some(none), value, encoder)
    }

    /// The cells of the columns the parser does not declare, as `(column, value)` in order:
    /// every row's must be the same columns, or the first of them.
    pub fn other_columns(&mut self, other: &[(String, String)]) {
        self.other = other.to_vec();
    }

    fn set<V, E>(
        &mut self,
        idx: usize,
        column: &str,
        none: Option<&str>,
        value: Option<&V>,
        encoder: E,
    ) -> Result<(), WriteError>
    where
        V: PartialEq,
        E: CellEncoder<Value = V> + for<'a> CellDecoder<'a, Value = V>,
    {
        let error = |why: &str| {
            let message = format!("row {}: {why}", self.number);
            WriteError::new(self.request, column, message)
        };
        self.cells[idx] = match (value, none) {
            (None, None) => Cell::Absent,
            (None, Some(none)) => Cell::Marker(none.to_owned()),
            (Some(value), _) => {
                let text = encode(&encoder, value).map_err(|m| error(&m))?;
                if text.is_empty() {
                    return Err(error("the value's text is empty, which reads as missing"));
                }
                if Some(&*text) == none {
                    return Err(error("the value's text is the column's none marker"));
                }
                Cell::Text(text)
            }
        };
        Ok(())
    }
}

/// Whether the reader takes column names `a` and `b` as one (ASCII case-insensitive, `-` and
/// `_` alike; [`Table::index_of`](crate::output::Table::index_of)).
fn same_column(a: &str, b: &str) -> bool {
    let norm = |b: u8| match b {
        b'_' => b'-',
        b => b.to_ascii_lowercase(),
    };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| norm(x) == norm(y))
}

impl AnswerWriter {
    /// A tabular payload with its `Columns`, `Separator` and `Row-Count` headers; see
    /// [`TableWriter`].
    pub fn table(&mut self, table: TableWriter) -> Result<(), WriteError> {
        let err = |field: &str, why: String| WriteError::new(table.request, field, why);
        // The other columns: every row's are the longest row's, or the first of them.
        let other: &[(String, String)] = table
            .rows
            .iter()
            .map(|(_, o)| o.as_slice())
            .max_by_key(|o| o.len())
            .unwrap_or_default();
        for (i, (_, o)) in table.rows.iter().enumerate() {
            if o.iter().zip(other).any(|(a, b)| a.0 != b.0) {
                let why = format!("row {}: not the other columns of the other rows", i + 1);
                return Err(err("other columns", why));
            }
        }
        // A declared column is written if asked for, if a row has a value in it, or if an
        // other column has its name (which the reader would otherwise take for it).
        let included: Vec<usize> = (0..table.columns.len())
            .filter(|&j| {
                let (name, wanted) = &table.columns[j];
                *wanted
                    || table
                        .rows
                        .iter()
                        .any(|(c, _)| matches!(c[j], Cell::Text(_)))
                    || other.iter().any(|(o, _)| same_column(o, name))
            })
            .collect();
        let names: Vec<&str> = included
            .iter()
            .map(|&j| table.columns[j].0.as_str())
            .chain(other.iter().map(|(o, _)| o.as_str()))
            .collect();
        for name in &names {
            if name.contains([',', '\r', '\n']) || name.trim() != *name {
                let why =
                    "a column name cannot hold a comma or a line end, or have blanks around it";
                return Err(err(name, why.to_owned()));
            }
        }
        let header = names.join(",");
        if !names.is_empty() && header.trim().is_empty() {
            let why = "a blank header would stand for the default columns".to_owned();
            return Err(err(&self.protocol().headers.columns, why));
        }
        self.layout(&table, &included, names.len(), &header)
    }

    fn layout(
        &mut self,
        table: &TableWriter,
        included: &[usize],
        width: usize,
        header: &str,
    ) -> Result<(), WriteError> {
        let separators: &[Separator] = match table.separator {
            Separator::Whitespace => &[Separator::Whitespace, Separator::Tab],
            Separator::Tab => &[Separator::Tab],
        };
        let mut last_error = None;
        for &sep in separators {
            match lines(table, included, width, sep) {
                Ok(payload) => {
                    let p = self.protocol();
                    let word = match sep {
                        Separator::Tab => &p.separator_tab,
                        Separator::Whitespace => &p.separator_space,
                    };
                    self.raw_header(&p.headers.columns, header)?;
                    self.raw_header(&p.headers.separator, word)?;
                    self.raw_header(&p.headers.row_count, &table.rows.len().to_string())?;
                    self.push_payload(&payload);
                    return Ok(());
                }
                Err((field, why)) => last_error = Some(WriteError::new(table.request, field, why)),
            }
        }
        Err(last_error.unwrap_or_else(|| WriteError::new(table.request, "table", "no separator")))
    }
}

/// The payload of `table` with separator `sep` (`width` columns), or the column that cannot be
/// written and why.
fn lines(
    table: &TableWriter,
    included: &[usize],
    width: usize,
    sep: Separator,
) -> Result<String, (String, String)> {
    let mut payload = String::new();
    for (i, (cells, other)) in table.rows.iter().enumerate() {
        let mut row: Vec<(&str, &Cell)> = included
            .iter()
            .map(|&j| (table.columns[j].0.as_str(), &cells[j]))
            .collect();
        let other: Vec<(&str, Cell)> = other
            .iter()
            .map(|(n, v)| (n.as_str(), Cell::Text(v.clone())))
            .collect();
        row.extend(other.iter().map(|(n, c)| (*n, c)));
        while row.last().is_some_and(|(_, c)| **c == Cell::Absent) {
            row.pop();
        }
        let why = |column: &str, why: &str| (column.to_owned(), format!("row {}: {why}", i + 1));
        let mut line = String::new();
        for (k, (column, cell)) in row.iter().enumerate() {
            let text = cell.text();
            let last = k + 1 == width;
            let blank = |c: char| c == ' ' || c == '\t';
            if text.contains('\n') {
                return Err(why(column, "the cell holds a LF"));
            }
            match sep {
                Separator::Whitespace if text.is_empty() => {
                    return Err(why(column, "an empty cell before others"));
                }
                Separator::Whitespace if !last && text.contains(blank) => {
                    return Err(why(column, "blanks in a cell before the last column"));
                }
                Separator::Whitespace if text.starts_with(blank) || text.ends_with(blank) => {
                    return Err(why(column, "blanks around the cell"));
                }
                Separator::Tab if !last && text.contains('\t') => {
                    return Err(why(column, "a tab in a cell before the last column"));
                }
                _ => {}
            }
            if k > 0 {
                line.push(match sep {
                    Separator::Tab => '\t',
                    Separator::Whitespace => ' ',
                });
            }
            line.push_str(text);
        }
        if line.ends_with('\r') {
            return Err(why(
                "row",
                "the line would end in a CR, which a reader drops",
            ));
        }
        if line.trim().is_empty() {
            return Err(why("row", "the line would be blank, which a reader skips"));
        }
        payload.push_str(&line);
        payload.push('\n');
    }
    Ok(payload)
}
