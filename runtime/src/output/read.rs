//! Typed readers that generated `parse_output` functions call for headers and key-value keys
//! ([`Fields`]), and the cell decoders every reader shares, with their error texts.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use super::{KeyValues, OutputError};
use crate::envelope::Envelope;
use crate::meta::{FlagSpelling, ValueType};
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
        let Ok(d) = u8::try_from(self.delimiter)
            .map_err(drop)
            .and_then(|d| if d.is_ascii() { Ok(d) } else { Err(()) })
        else {
            return raw
                .split(self.delimiter)
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| self.item.read_cell(item))
                .collect();
        };
        // An ASCII delimiter (all of the spec's): one exact allocation, items found by byte.
        let bytes = raw.as_bytes();
        let mut items = Vec::with_capacity(bytes.iter().filter(|&&b| b == d).count() + 1);
        let mut start = 0;
        for end in (0..bytes.len())
            .filter(|&i| bytes[i] == d)
            .chain([bytes.len()])
        {
            // The delimiter is ASCII: both ends are char boundaries.
            let item = trim(&raw[start..end]);
            if !item.is_empty() {
                items.push(self.item.read_cell(item)?);
            }
            start = end + 1;
        }
        Ok(items)
    }
}

/// `s` without surrounding whitespace ([`str::trim`]), looking no further when it starts and
/// ends with a visible ASCII character.
#[inline]
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Decoder of borrowed text: the text itself, once [`ValueType::check`] accepts it.
#[derive(Clone, Copy, Debug)]
pub struct Checked<'t>(pub &'t ValueType);

impl<'a> CellDecoder<'a> for Checked<'_> {
    type Value = &'a str;
    type Error = ValueError;
    // Always inlined, so that the type (a constant in generated parsers) picks its check at
    // compile time.
    #[inline(always)]
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
