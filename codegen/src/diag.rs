//! Spec sources and diagnostics with `file:line:column` locations.

use std::fmt;
use std::ops::Range;

/// One loaded spec file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path as shown in diagnostics.
    pub path: String,
    /// File contents.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps file contents for location lookups.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// A place in the spec: file index and byte range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    /// Index into the loaded files.
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<usize>,
}

/// A located problem found in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// File path as given to the loader.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// Every problem found in a spec, in file and position order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(
            f,
            "{} error{} in the spec",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics while the spec is read and checked.
#[derive(Debug)]
pub(crate) struct Sink<'f> {
    pub files: &'f [SourceFile],
    raw: Vec<(Loc, String)>,
}

impl<'f> Sink<'f> {
    pub fn new(files: &'f [SourceFile]) -> Self {
        Sink {
            files,
            raw: Vec::new(),
        }
    }

    pub fn error(&mut self, loc: &Loc, message: impl Into<String>) {
        self.raw.push((loc.clone(), message.into()));
    }

    /// How many errors so far.
    pub fn count(&self) -> usize {
        self.raw.len()
    }

    /// `path:line:col`, for messages that point at a second place.
    pub fn describe(&self, loc: &Loc) -> String {
        let file = &self.files[loc.file];
        let (line, col) = file.line_col(loc.span.start);
        format!("{}:{line}:{col}", file.path)
    }

    pub fn finish(self) -> Diagnostics {
        let mut raw = self.raw;
        raw.sort_by(|a, b| {
            a.0.file
                .cmp(&b.0.file)
                .then(a.0.span.start.cmp(&b.0.span.start))
        });
        raw.dedup();
        Diagnostics(
            raw.into_iter()
                .map(|(loc, message)| {
                    let file = &self.files[loc.file];
                    let (line, column) = file.line_col(loc.span.start);
                    Diagnostic {
                        path: file.path.clone(),
                        line,
                        column,
                        message,
                    }
                })
                .collect(),
        )
    }
}
