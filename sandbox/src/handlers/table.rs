//! Tabular answers, for the list requests of every section: rows joined by the spec's
//! separator, the columns and the row count.

use dmapi::meta::{RequestMeta, Separator, ValueType};
use dmapi::{AnyRequest as R, decode};

use super::Done;

/// The columns a tabular answer has: the spec's, plus those of every flag set in `raw`.
fn columns_of<'m>(meta: &'m RequestMeta, raw: &[(&str, &str)]) -> Vec<&'m str> {
    let mut cols: Vec<&str> = meta.returns.columns.iter().map(|c| &*c.name).collect();
    for extra in meta.returns.extra_columns.iter() {
        if flag_set(meta, raw, &extra.flag) {
            cols.extend(extra.columns.iter().map(|c| &*c.name));
        }
    }
    cols
}

fn flag_set(meta: &RequestMeta, raw: &[(&str, &str)], flag: &str) -> bool {
    let spelling = match meta.param(flag).map(|p| &p.ty) {
        Some(ValueType::Flag(s)) => *s,
        _ => return false,
    };
    decode::first(raw, flag)
        .and_then(|v| spelling.decode(v))
        .unwrap_or(false)
}

/// A tabular answer: rows of cells joined by the spec's separator.
pub(super) fn table(
    req: &R,
    raw: &[(&str, &str)],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Done {
    let mut out = TableWriter::new(req);
    for row in rows {
        out.row(row.iter().map(String::as_str));
    }
    out.finish(req, raw)
}

/// Writes table rows straight into the payload.
pub(super) struct TableWriter {
    payload: String,
    pub(super) sep: char,
    count: usize,
    in_row: bool,
}

impl TableWriter {
    pub(super) fn new(req: &R) -> TableWriter {
        TableWriter {
            payload: String::new(),
            sep: match req.meta().returns.separator {
                Separator::Tab => '\t',
                _ => ' ',
            },
            count: 0,
            in_row: false,
        }
    }

    pub(super) fn row<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) {
        for cell in cells {
            self.cell(cell);
        }
        self.end_row();
    }

    /// Appends a cell to the current row.
    pub(super) fn cell(&mut self, text: &str) {
        self.cell_with(|p| p.push_str(text));
    }

    /// Appends a cell written by `write`.
    pub(super) fn cell_with(&mut self, write: impl FnOnce(&mut String)) {
        if self.in_row {
            self.payload.push(self.sep);
        }
        self.in_row = true;
        write(&mut self.payload);
    }

    pub(super) fn end_row(&mut self) {
        self.payload.push('\n');
        self.in_row = false;
        self.count += 1;
    }

    pub(super) fn finish(self, req: &R, raw: &[(&str, &str)]) -> Done {
        let meta = req.meta();
        Done {
            code: 0,
            headers: vec![(
                &*dmapi::metadata::PROTOCOL.headers.row_count,
                self.count.to_string(),
            )],
            columns: Some((columns_of(meta, raw), meta.returns.separator)),
            payload: self.payload,
            typed: None,
        }
    }
}

/// `from` and `to` (1-based, inclusive) as rows to skip and rows to take.
pub(super) fn window_bounds(from: Option<i64>, to: Option<i64>) -> (usize, usize) {
    let skip = usize::try_from(from.unwrap_or(1).max(1) - 1).unwrap_or(0);
    let to = to.map_or(usize::MAX, |t| {
        usize::try_from(t.max(0)).unwrap_or(usize::MAX)
    });
    (skip, to.saturating_sub(skip))
}
