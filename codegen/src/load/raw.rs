//! The spec as written: one derived serde type per kind of table, every key optional and held
//! as a [`Val`] (value or the kind found instead, with its span). Nothing here fails; the
//! reader ([`super::read`]) reports what is missing, misplaced or of the wrong kind.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess};

use super::de::{Entries, Found, Kinds, OneOrMany, Probed, Take, Val};

/// A key of a table: absent, or its value.
pub(crate) type Key<T> = Option<Val<T>>;

/// An array of strings, each with its span.
pub(crate) type Strs = Vec<Val<String>>;

/// An array of tables of type `T`.
pub(crate) type Tables<T> = Key<Vec<Val<T>>>;

/// The keys that refine a type (`values` of an enum, `item` of a list, ...).
#[derive(Debug, Default)]
pub(crate) struct Refine {
    pub values: Key<Strs>,
    pub spelling: Key<String>,
    pub item: Key<String>,
    pub delimiter: Key<String>,
    pub min: Key<i64>,
    pub max: Key<i64>,
}

/// A table that declares a type: it has the keys of [`Refine`] besides its own.
pub(crate) trait Typed {
    /// Takes the refining keys out of the table.
    fn refine(&mut self) -> Refine;
}

/// Declares a table type with the keys of [`Refine`] added.
macro_rules! typed_table {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize)]
        pub(crate) struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            pub values: Key<Strs>,
            pub spelling: Key<String>,
            pub item: Key<String>,
            pub delimiter: Key<String>,
            pub min: Key<i64>,
            pub max: Key<i64>,
        }

        impl Typed for $name {
            fn refine(&mut self) -> Refine {
                Refine {
                    values: self.values.take(),
                    spelling: self.spelling.take(),
                    item: self.item.take(),
                    delimiter: self.delimiter.take(),
                    min: self.min.take(),
                    max: self.max.take(),
                }
            }
        }
    };
}

typed_table! {
    /// `[type.<name>]`
    NamedType {
        doc: Key<String>,
        base: Key<String>,
        open: Key<bool>,
    }
}

typed_table! {
    /// An item of `requires` or `accepts`.
    Param {
        name: Key<String>,
        r#type: Key<String>,
        doc: Key<String>,
        secret: Key<bool>,
        allow_empty: Key<bool>,
        aliases: Key<Strs>,
        deprecated: Key<String>,
        indexed: Key<i64>,
        default: Key<String>,
        example: Key<String>,
        required_when: Key<OneOrMany<Cond>>,
    }
}

typed_table! {
    /// A header, column or key of `returns`.
    Field {
        name: Key<String>,
        field: Key<String>,
        r#type: Key<String>,
        doc: Key<String>,
        required: Key<bool>,
        none: Key<String>,
        quoted: Key<bool>,
        repeated: Key<bool>,
        registry_tlds: Key<Strs>,
        registry_days: Key<i64>,
    }
}

/// A `required_when` condition.
#[derive(Debug, Deserialize)]
pub(crate) struct Cond {
    pub tld: Key<Strs>,
    pub params: Key<Entries<OneOrMany<String>>>,
}

/// An item of `groups`.
#[derive(Debug, Deserialize)]
pub(crate) struct Group {
    pub name: Key<String>,
    pub kind: Key<String>,
    pub doc: Key<String>,
    /// Each a parameter name or an array of names.
    pub alternatives: Key<Vec<Val<OneOrMany<String>>>>,
}

/// `[fieldset.<name>]`
#[derive(Debug, Deserialize)]
pub(crate) struct Fieldset {
    pub doc: Key<String>,
    pub applies_to: Key<String>,
    pub requires: Tables<Param>,
    pub accepts: Tables<Param>,
    pub groups: Tables<Group>,
}

/// `[request.<name>]`
#[derive(Debug, Deserialize)]
pub(crate) struct Request {
    pub summary: Key<String>,
    pub docs: Key<String>,
    pub deprecated: Key<String>,
    pub alias_of: Key<String>,
    pub extension: Key<String>,
    pub path: Key<String>,
    pub method: Key<String>,
    pub kind: Key<String>,
    pub effect: Key<String>,
    pub costs: Key<bool>,
    pub changes: Key<bool>,
    pub auth: Key<bool>,
    pub tld_from: Key<String>,
    pub requires: Tables<Param>,
    pub accepts: Tables<Param>,
    pub groups: Tables<Group>,
    pub include: Tables<Include>,
    pub returns: Key<Returns>,
    pub result: Key<ResultTable>,
    pub examples: Tables<Example>,
}

/// The `result` table of a queued request.
#[derive(Debug, Deserialize)]
pub(crate) struct ResultTable {
    pub doc: Key<String>,
    pub keys: Tables<Field>,
}

/// An item of `examples`: a request URL, and an answer with the output it parses to.
#[derive(Debug, Deserialize)]
pub(crate) struct Example {
    pub source: Key<String>,
    pub url: Key<String>,
    pub erratum: Key<String>,
    pub problems: Key<Strs>,
    pub answer: Key<String>,
    pub answer_from: Key<String>,
    pub output: Key<String>,
}

/// An item of `include`: a field set name or `{ fieldset = "...", optional = true }`.
#[derive(Debug)]
pub(crate) enum Include {
    Name(String),
    Table(Probed<IncludeTable>),
}

/// The table form of an include.
#[derive(Debug, Deserialize)]
pub(crate) struct IncludeTable {
    pub fieldset: Key<String>,
    pub optional: Key<bool>,
}

impl<'de> Deserialize<'de> for Include {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Kinds(std::marker::PhantomData))
    }
}

impl<'de> Take<'de> for Include {
    fn take<D: Deserializer<'de>>(d: D, found: Found) -> Result<Self, D::Error> {
        if found == Found::String {
            String::deserialize(d).map(Include::Name)
        } else {
            Err(serde::de::Error::custom("an include is a name or a table"))
        }
    }

    fn take_table<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Probed::take_table(map).map(Include::Table)
    }
}

/// The `returns` table of a request.
#[derive(Debug, Deserialize)]
pub(crate) struct Returns {
    pub body: Key<String>,
    pub doc: Key<String>,
    pub headers: Tables<Field>,
    pub columns: Tables<Field>,
    pub keys: Tables<Field>,
    pub extra_columns: Tables<Extra>,
    pub separator: Key<String>,
    pub field: Key<String>,
    /// The parameter whose value chooses the answer among `cases`.
    pub by: Key<String>,
    /// The answer for each value of `by`.
    pub cases: Tables<Returns>,
    /// In a case: the value of `by` it answers.
    pub when: Key<String>,
    /// The `Status-Code` of a successful answer, when it is not the protocol's first.
    pub status: Key<i64>,
}

/// An item of `extra_columns`.
#[derive(Debug, Deserialize)]
pub(crate) struct Extra {
    pub flag: Key<String>,
    pub columns: Tables<Field>,
}
