//! Tolerant serde plumbing for the raw layer: every value is read with its span, and a value
//! of the wrong kind or an unknown key is recorded instead of failing the table around it, so
//! one problem never hides the others.
//!
//! The derived types of [`super::raw`] hold their values as [`Val`]. A [`Val`] never fails to
//! deserialize: it keeps the value if it has the wanted shape, and otherwise the kind of TOML
//! value that was found. A table read as a derived struct also keeps all its keys with their
//! spans and the struct's fields, so the reader reports unknown keys (with "did you mean")
//! and points at keys. (`deny_unknown_fields` would stop at the first unknown key, and a
//! `flatten`ed catch-all map would lose the spans of the other fields.)

use std::marker::PhantomData;
use std::ops::Range;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer, I128Deserializer,
    MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, StringDeserializer,
    U64Deserializer, U128Deserializer,
};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

/// The kind of TOML value found where another was wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    String,
    Integer,
    /// An integer beyond `i64` (wanted or not: the reader tells which).
    OutOfRange,
    Float,
    Boolean,
    Datetime,
    Array,
    Table,
}

impl Found {
    /// As in "found a string".
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Found::String => "a string",
            Found::Integer | Found::OutOfRange => "an integer",
            Found::Float => "a float",
            Found::Boolean => "a boolean",
            Found::Datetime => "a date-time",
            Found::Array => "an array",
            Found::Table => "a table",
        }
    }
}

/// A value read without its span: its content or the kind found instead, plus the keys of a
/// table read as a struct.
#[derive(Debug)]
pub(crate) struct Probed<T> {
    pub value: Result<T, Found>,
    /// The keys of the table, with their spans, in order.
    pub keys: Vec<Spanned<String>>,
    /// The fields of `T` when it is a struct (the keys it takes).
    pub fields: &'static [&'static str],
}

impl<T> Probed<T> {
    fn judge<E>(value: Result<T, E>, found: Found) -> Self {
        Probed {
            value: value.map_err(|_| found),
            keys: Vec::new(),
            fields: &[],
        }
    }

    /// Attaches the span of the value this was read from.
    pub(crate) fn at(self, span: Range<usize>) -> Val<T> {
        Val {
            span,
            value: self.value,
            keys: self.keys,
            fields: self.fields,
        }
    }
}

/// A value of the spec with its span (see the module docs).
#[derive(Debug)]
pub(crate) struct Val<T> {
    pub span: Range<usize>,
    pub value: Result<T, Found>,
    /// The keys of the table, with their spans, in order.
    pub keys: Vec<Spanned<String>>,
    /// The fields of `T` when it is a struct (the keys it takes).
    pub fields: &'static [&'static str],
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Val<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Probed<T>>::deserialize(d)?;
        let span = spanned.span();
        Ok(spanned.into_inner().at(span))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Probed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `Kinds` takes every value, so only TOML itself fails here: on a number too large for
        // any Rust type, an integer beyond 128 bits or a float beyond `f64` ("floating-point
        // number overflowed").
        Ok(d.deserialize_any(Kinds(PhantomData)).unwrap_or_else(|e| {
            let found = if e.to_string().contains("floating-point") {
                Found::Float
            } else {
                Found::OutOfRange
            };
            Probed::judge(Err::<T, ()>(()), found)
        }))
    }
}

/// A type built from a value of any TOML kind, handed over as a deserializer of its own.
pub(crate) trait Take<'de>: Sized {
    /// Builds from a scalar (or anything else), `found` being its kind.
    fn take<D: Deserializer<'de>>(d: D, found: Found) -> Result<Self, D::Error>;

    /// Builds from an array.
    fn take_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Self::take(SeqAccessDeserializer::new(seq), Found::Array)
    }

    /// Builds from a table.
    fn take_table<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Self::take(MapAccessDeserializer::new(map), Found::Table)
    }
}

impl<'de, T: Deserialize<'de>> Take<'de> for Probed<T> {
    fn take<D: Deserializer<'de>>(d: D, found: Found) -> Result<Self, D::Error> {
        Ok(Probed::judge(T::deserialize(d), found))
    }

    fn take_table<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut keys = KeyLog::default();
        let value = T::deserialize(TableDe {
            map,
            log: &mut keys,
        });
        let found = if keys.not_a_table {
            Found::Datetime
        } else {
            Found::Table
        };
        Ok(Probed {
            value: value.map_err(|_| found),
            keys: keys.keys,
            fields: keys.fields,
        })
    }
}

/// The visitor that hands every kind of value to a [`Take`].
pub(crate) struct Kinds<T>(pub PhantomData<T>);

impl<'de, T: Take<'de>> Visitor<'de> for Kinds<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::take(BoolDeserializer::new(v), Found::Boolean)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::take(I64Deserializer::new(v), Found::Integer)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => T::take(U64Deserializer::new(v), Found::OutOfRange),
        }
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => T::take(I128Deserializer::new(v), Found::OutOfRange),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => T::take(U128Deserializer::new(v), Found::OutOfRange),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::take(F64Deserializer::new(v), Found::Float)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::take(StrDeserializer::new(v), Found::String)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<T, E> {
        T::take(BorrowedStrDeserializer::new(v), Found::String)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        T::take(StringDeserializer::new(v), Found::String)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::take_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::take_table(map)
    }
}

/// What reading a table's keys found out.
#[derive(Default)]
struct KeyLog {
    keys: Vec<Spanned<String>>,
    fields: &'static [&'static str],
    /// The "table" was a date-time (whose keys carry no spans).
    not_a_table: bool,
}

/// `deserialize_*` methods of [`TableDe`] for types that take no table.
macro_rules! not_a_table {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
                self.refuse(visitor)
            }
        )*
    };
}

/// A table as a deserializer: as a struct, it skips the keys the struct lacks (the reader
/// reports them).
struct TableDe<'l, M> {
    map: M,
    log: &'l mut KeyLog,
}

impl<'de, M: MapAccess<'de>> Deserializer<'de> for TableDe<'_, M> {
    type Error = M::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        visitor.visit_map(Keys {
            map: self.map,
            fields: None,
            log: self.log,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, M::Error> {
        self.log.fields = fields;
        visitor.visit_map(Keys {
            map: self.map,
            fields: Some(fields),
            log: self.log,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        self.deserialize_any(visitor)
    }

    not_a_table! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_option
        deserialize_unit deserialize_seq deserialize_identifier deserialize_ignored_any
    }

    serde::forward_to_deserialize_any! {
        unit_struct newtype_struct tuple tuple_struct enum
    }
}

impl<'de, M: MapAccess<'de>> TableDe<'_, M> {
    /// Fails for a type that takes no table, noting whether the value is a date-time (which
    /// serde sees as a map whose keys have no spans).
    fn refuse<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, M::Error> {
        if self.map.next_key::<Spanned<String>>().is_err() {
            self.log.not_a_table = true;
        }
        Err(de::Error::invalid_type(de::Unexpected::Map, &visitor))
    }
}

/// The entries of a table, keys with spans, all logged; keys outside `fields` (if given) are
/// skipped.
struct Keys<'l, M> {
    map: M,
    fields: Option<&'static [&'static str]>,
    log: &'l mut KeyLog,
}

impl<'de, M: MapAccess<'de>> MapAccess<'de> for Keys<'_, M> {
    type Error = M::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        loop {
            let key = match self.map.next_key::<Spanned<String>>() {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(None),
                Err(e) => {
                    self.log.not_a_table = true;
                    return Err(e);
                }
            };
            self.log.keys.push(key.clone());
            if self
                .fields
                .is_none_or(|fields| fields.contains(&key.get_ref().as_str()))
            {
                let span = key.span();
                let value = Spanned::new(span, DeValue::String(key.into_inner().into()));
                return seed
                    .deserialize(ValueDeserializer::from(value))
                    .map(Some)
                    .map_err(de::Error::custom);
            }
            self.map.next_value::<de::IgnoredAny>()?;
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, M::Error> {
        self.map.next_value_seed(seed)
    }
}

/// The entries of a table (`[request.<name>]`, a condition's `params`), in order.
#[derive(Debug)]
pub(crate) struct Entries<T>(pub Vec<(Spanned<String>, Val<T>)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

struct EntriesVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
    type Value = Entries<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = map.next_entry()? {
            out.push(entry);
        }
        Ok(Entries(out))
    }
}

/// One value or an array of them (`required_when`, a condition's values, an alternative).
#[derive(Debug)]
pub(crate) enum OneOrMany<T> {
    One(Probed<T>),
    Many(Vec<Val<T>>),
}

impl<T> Val<OneOrMany<T>> {
    /// The items: the array's, or the lone value (spanning the whole).
    pub(crate) fn into_items(self) -> Vec<Val<T>> {
        match self.value {
            Ok(OneOrMany::One(one)) => vec![one.at(self.span)],
            Ok(OneOrMany::Many(items)) => items,
            Err(found) => vec![Val {
                span: self.span,
                value: Err(found),
                keys: self.keys,
                fields: self.fields,
            }],
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Kinds(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Take<'de> for OneOrMany<T> {
    fn take<D: Deserializer<'de>>(d: D, found: Found) -> Result<Self, D::Error> {
        Probed::take(d, found).map(OneOrMany::One)
    }

    fn take_seq<A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
    }

    fn take_table<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Probed::take_table(map).map(OneOrMany::One)
    }
}
