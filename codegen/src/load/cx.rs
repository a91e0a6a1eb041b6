//! Checking the shape of raw values: [`Cx`] turns the [`Val`]s of one table into located
//! values, reporting missing keys, unknown keys and values of the wrong kind as
//! "... in {what}".

use std::ops::Range;

use toml::Spanned;

use super::de::{Found, Val};
use super::decl::{Int, Str};
use super::raw::{Key, Strs, Tables};
use super::suggest::hint;
use crate::diag::{Loc, Sink};

/// What an integer key must be.
const AN_INTEGER: &str = "an integer";

/// A table entered by [`Cx::enter`].
pub(crate) struct Entered<'a, 'f, T> {
    pub value: T,
    /// The reader for its values.
    pub cx: Cx<'a, 'f>,
    /// Its keys, with their spans.
    pub keys: Vec<Spanned<String>>,
}

/// Reads the values of one table (described as `what`, e.g. "request `a`").
pub(crate) struct Cx<'a, 'f> {
    pub sink: &'a mut Sink<'f>,
    pub file: usize,
    what: String,
    /// Where "missing key" errors point (usually the table's own key).
    anchor: Loc,
}

impl<'a, 'f> Cx<'a, 'f> {
    /// A reader for a table of file `file`; missing keys are reported at `anchor`.
    pub fn new(sink: &'a mut Sink<'f>, file: usize, what: impl Into<String>, anchor: Loc) -> Self {
        Cx {
            sink,
            file,
            what: what.into(),
            anchor,
        }
    }

    /// A reader for a table inside this one.
    pub fn nested(&mut self, what: impl Into<String>, anchor: Loc) -> Cx<'_, 'f> {
        Cx::new(self.sink, self.file, what, anchor)
    }

    /// A span of this reader's file as a location.
    pub fn loc(&self, span: Range<usize>) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// Reports a problem at `loc`.
    pub fn error(&mut self, loc: &Loc, message: impl Into<String>) {
        self.sink.error(loc, message);
    }

    /// Where problems of the table as a whole are reported.
    pub fn anchor(&self) -> &Loc {
        &self.anchor
    }

    /// Reports a problem of the table as a whole (at its anchor).
    pub fn error_here(&mut self, message: impl Into<String>) {
        self.sink.error(&self.anchor, message);
    }

    /// Reports that the table lacks the required `key`.
    pub fn missing(&mut self, key: &str) {
        let message = format!("{} is missing the required key `{key}`", self.what);
        self.sink.error(&self.anchor, message);
    }

    /// Reports the keys of a table outside `fields`, with a suggestion when one is close.
    pub fn unknown_keys(&mut self, keys: &[Spanned<String>], fields: &[&str]) {
        let mut expected = fields.to_vec();
        expected.sort_unstable();
        for key in keys {
            let key_str = key.get_ref().as_str();
            if expected.contains(&key_str) {
                continue;
            }
            let message = format!(
                "unknown key `{key_str}` in {} (expected one of: {}){}",
                self.what,
                expected.join(", "),
                hint(key_str, &expected)
            );
            self.error(&self.loc(key.span()), message);
        }
    }

    /// Enters a table read as a derived struct: a reader for it (anchored at `anchor`, or at the
    /// table) with its unknown keys reported, or the kind found instead of a table.
    pub fn enter<T>(
        &mut self,
        table: Val<T>,
        what: impl Into<String>,
        anchor: Option<Loc>,
    ) -> Result<Entered<'_, 'f, T>, (Loc, Found)> {
        let loc = self.loc(table.span);
        match table.value {
            Ok(value) => {
                let mut cx = self.nested(what, anchor.unwrap_or(loc));
                // A plain table (not a struct) takes any key.
                if !table.fields.is_empty() {
                    cx.unknown_keys(&table.keys, table.fields);
                }
                Ok(Entered {
                    value,
                    cx,
                    keys: table.keys,
                })
            }
            Err(found) => Err((loc, found)),
        }
    }

    /// The value of `key` and where it is, if it is `want`; reported otherwise.
    pub fn want<T>(&mut self, key: &str, value: Key<T>, want: &str) -> Option<(T, Loc)> {
        let value = value?;
        let loc = self.loc(value.span);
        match value.value {
            Ok(v) => Some((v, loc)),
            Err(found) => {
                self.mismatch(key, &loc, want, found);
                None
            }
        }
    }

    /// Reports that `key` (at `loc`) is not `want`.
    pub fn mismatch(&mut self, key: &str, loc: &Loc, want: &str, found: Found) {
        let message = if found == Found::OutOfRange && want == AN_INTEGER {
            format!("`{key}` is out of range")
        } else {
            format!(
                "`{key}` in {} must be {want}, found {}",
                self.what,
                found.describe()
            )
        };
        self.error(loc, message);
    }

    /// A string value with its location.
    pub fn str(&mut self, key: &str, value: Key<String>) -> Option<Str> {
        self.want(key, value, "a string")
            .map(|(value, loc)| Str { value, loc })
    }

    /// A string that must be present.
    pub fn req_str(&mut self, key: &str, value: Key<String>) -> Option<Str> {
        if value.is_none() {
            self.missing(key);
        }
        self.str(key, value)
    }

    /// A string's value, empty when absent.
    pub fn text(&mut self, key: &str, value: Key<String>) -> String {
        self.str(key, value).map(|s| s.value).unwrap_or_default()
    }

    /// A string's value without its location.
    pub fn note(&mut self, key: &str, value: Key<String>) -> Option<String> {
        self.str(key, value).map(|s| s.value)
    }

    /// A boolean, `default` when absent or of the wrong kind.
    pub fn bool(&mut self, key: &str, value: Key<bool>, default: bool) -> bool {
        self.want(key, value, "true or false")
            .map_or(default, |(b, _)| b)
    }

    /// An integer with its location ("out of range" beyond `i64`).
    pub fn int(&mut self, key: &str, value: Key<i64>) -> Option<Int> {
        self.want(key, value, AN_INTEGER)
    }

    /// An array of strings; other items are reported.
    pub fn strs(&mut self, key: &str, value: Key<Strs>) -> Option<Vec<Str>> {
        let (items, _) = self.want(key, value, "an array")?;
        let what = self.what.clone();
        Some(
            items
                .into_iter()
                .filter_map(|item| self.item_str(key, &what, item))
                .collect(),
        )
    }

    /// An item of an array of strings (`key` in `what`).
    pub fn item_str(&mut self, key: &str, what: &str, item: Val<String>) -> Option<Str> {
        let loc = self.loc(item.span);
        match item.value {
            Ok(value) => Some(Str { value, loc }),
            Err(found) => {
                let message = format!(
                    "items of `{key}` in {what} must be strings, found {}",
                    found.describe()
                );
                self.error(&loc, message);
                None
            }
        }
    }

    /// The tables of the array `key`, each read by `read` (items described as `what`).
    pub fn tables<T, R>(
        &mut self,
        key: &str,
        value: Tables<T>,
        what: &str,
        mut read: impl FnMut(&mut Cx<'_, 'f>, T) -> Option<R>,
    ) -> Vec<R> {
        let Some((items, _)) = self.want(key, value, "an array") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match self.enter(item, what, None) {
                Ok(mut e) => out.extend(read(&mut e.cx, e.value)),
                Err((loc, found)) => {
                    let message = format!(
                        "items of `{key}` in {} must be tables ({what}), found {}",
                        self.what,
                        found.describe()
                    );
                    self.error(&loc, message);
                }
            }
        }
        out
    }
}

/// Where `key` is among `keys`.
pub(crate) fn key_loc(file: usize, keys: &[Spanned<String>], key: &str) -> Option<Loc> {
    keys.iter().find(|k| k.get_ref() == key).map(|k| Loc {
        file,
        span: k.span(),
    })
}
