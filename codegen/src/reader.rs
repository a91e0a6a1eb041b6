//! A reader over span-carrying TOML tables that reports every unknown key,
//! missing key and wrongly typed value instead of stopping at the first.

use crate::diag::{Loc, Sink};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A string with the place it came from.
#[derive(Clone, Debug)]
pub(crate) struct Str {
    pub value: String,
    pub loc: Loc,
}

/// Reads the keys of one table; `finish` reports the keys nobody asked for.
pub(crate) struct TableReader<'t, 'i> {
    file: usize,
    table: &'t DeTable<'i>,
    anchor: Loc,
    what: String,
    asked: Vec<&'static str>,
}

pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// `anchor` is where "missing key" errors point (usually the table's own key).
    pub fn new(file: usize, table: &'t DeTable<'i>, anchor: Loc, what: impl Into<String>) -> Self {
        TableReader {
            file,
            table,
            anchor,
            what: what.into(),
            asked: Vec::new(),
        }
    }

    pub fn loc(&self, span: std::ops::Range<usize>) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    pub fn anchor(&self) -> &Loc {
        &self.anchor
    }

    pub fn what(&self) -> &str {
        &self.what
    }

    pub fn value(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.asked.push(key);
        self.table.get(key)
    }

    fn expect(&self, sink: &mut Sink<'_>, key: &str, v: &Spanned<DeValue<'_>>, want: &str) {
        sink.error(
            &self.loc(v.span()),
            format!(
                "`{key}` in {} must be {want}, found {}",
                self.what,
                type_name(v.get_ref())
            ),
        );
    }

    pub fn missing(&self, sink: &mut Sink<'_>, key: &str) {
        sink.error(
            &self.anchor,
            format!("{} is missing the required key `{key}`", self.what),
        );
    }

    pub fn str(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<Str> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Str {
                value: s.to_string(),
                loc: self.loc(v.span()),
            }),
            _ => {
                self.expect(sink, key, v, "a string");
                None
            }
        }
    }

    pub fn req_str(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<Str> {
        let present = self.table.contains_key(key);
        let s = self.str(sink, key);
        if !present {
            self.missing(sink, key);
        }
        s
    }

    pub fn bool(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<bool> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.expect(sink, key, v, "true or false");
                None
            }
        }
    }

    pub fn int(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<(i64, Loc)> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Some((n, self.loc(v.span()))),
                    Err(_) => {
                        sink.error(&self.loc(v.span()), format!("`{key}` is out of range"));
                        None
                    }
                }
            }
            _ => {
                self.expect(sink, key, v, "an integer");
                None
            }
        }
    }

    pub fn array(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Option<&'t [Spanned<DeValue<'i>>]> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Array(a) => Some(&a[..]),
            _ => {
                self.expect(sink, key, v, "an array");
                None
            }
        }
    }

    /// An array of strings; other elements are reported.
    pub fn str_array(&mut self, sink: &mut Sink<'_>, key: &'static str) -> Option<Vec<Str>> {
        let file = self.file;
        let what = self.what.clone();
        let items = self.array(sink, key)?;
        Some(
            items
                .iter()
                .filter_map(|item| str_item(sink, file, item, key, &what))
                .collect(),
        )
    }

    pub fn table(
        &mut self,
        sink: &mut Sink<'_>,
        key: &'static str,
    ) -> Option<(&'t DeTable<'i>, Loc)> {
        let v = self.value(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, self.loc(v.span()))),
            _ => {
                self.expect(sink, key, v, "a table");
                None
            }
        }
    }

    /// The span of a key of this table, if present.
    pub fn key_loc(&self, key: &str) -> Option<Loc> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(k, _)| self.loc(k.span()))
    }

    /// Reports keys that were never asked for, with a suggestion when one is close.
    pub fn finish(self, sink: &mut Sink<'_>) {
        for (k, _) in self.table.iter() {
            let key: &str = k.get_ref();
            if self.asked.contains(&key) {
                continue;
            }
            let mut expected: Vec<&str> = self.asked.clone();
            expected.sort_unstable();
            expected.dedup();
            let hint = closest(key, &expected)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            sink.error(
                &self.loc(k.span()),
                format!(
                    "unknown key `{key}` in {} (expected one of: {}){hint}",
                    self.what,
                    expected.join(", ")
                ),
            );
        }
    }
}

pub(crate) fn str_item(
    sink: &mut Sink<'_>,
    file: usize,
    item: &Spanned<DeValue<'_>>,
    key: &str,
    what: &str,
) -> Option<Str> {
    let loc = Loc {
        file,
        span: item.span(),
    };
    match item.get_ref() {
        DeValue::String(s) => Some(Str {
            value: s.to_string(),
            loc,
        }),
        other => {
            sink.error(
                &loc,
                format!(
                    "items of `{key}` in {what} must be strings, found {}",
                    type_name(other)
                ),
            );
            None
        }
    }
}

/// The candidate within edit distance 2 of `word`, if any.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
