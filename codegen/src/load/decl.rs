//! The declarations of the spec once their shape is checked: every value has the wanted kind
//! and a location. Resolution ([`super::types`], [`super::params`], ...) works on these.

use crate::diag::Loc;

/// A string with the place it came from.
#[derive(Clone, Debug)]
pub(crate) struct Str {
    pub value: String,
    pub loc: Loc,
}

/// An integer with the place it came from.
pub(crate) type Int = (i64, Loc);

/// A type as declared: a base name and the keys that refine it.
#[derive(Clone, Debug)]
pub(crate) struct TypeDecl {
    pub base: Str,
    pub values: Option<Vec<Str>>,
    pub spelling: Option<Str>,
    pub item: Option<Str>,
    pub delimiter: Option<Str>,
    pub min: Option<Int>,
    pub max: Option<Int>,
}

impl TypeDecl {
    /// A bare type name (a list's `item`).
    pub fn named(base: Str) -> Self {
        TypeDecl {
            base,
            values: None,
            spelling: None,
            item: None,
            delimiter: None,
            min: None,
            max: None,
        }
    }
}

/// A `required_when` condition.
#[derive(Clone, Debug)]
pub(crate) struct CondDecl {
    pub tlds: Vec<Str>,
    pub params: Vec<(Str, Vec<Str>)>,
}

/// A parameter.
#[derive(Clone, Debug)]
pub(crate) struct ParamDecl {
    pub name: Str,
    pub ty: TypeDecl,
    pub doc: String,
    pub secret: bool,
    pub allow_empty: bool,
    pub aliases: Vec<Str>,
    pub deprecated: Option<String>,
    pub indexed: Option<Int>,
    pub required_when: Vec<CondDecl>,
    pub default: Option<Str>,
    pub example: Option<Str>,
}

/// A group of alternatives.
#[derive(Clone, Debug)]
pub(crate) struct GroupDecl {
    pub name: Str,
    pub kind: Str,
    pub alternatives: Vec<Vec<Str>>,
    pub doc: String,
}

/// The parameters and groups of a request or field set.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParamsDecl {
    pub requires: Vec<ParamDecl>,
    pub accepts: Vec<ParamDecl>,
    pub groups: Vec<GroupDecl>,
}

/// An `include` of a field set.
#[derive(Clone, Debug)]
pub(crate) struct IncludeDecl {
    pub name: Str,
    pub optional: bool,
}

/// A header, column or key of a response.
#[derive(Clone, Debug)]
pub(crate) struct FieldDecl {
    pub name: Str,
    pub field: Option<Str>,
    pub ty: TypeDecl,
    pub doc: String,
    pub required: bool,
    /// A column value that means "absent" (`-` in query-ns-list).
    pub none: Option<Str>,
    /// `quoted = true`: the value is in double quotes (where it was set, if it was).
    pub quoted: Option<(bool, Loc)>,
    /// `repeated = true`: a key the answer may carry on several lines (where it was set).
    pub repeated: Option<(bool, Loc)>,
    /// `registry_tlds` and `registry_days`: for a date column, the TLDs whose dates the server
    /// reports this many days off the registry's.
    pub registry: (Option<Vec<Str>>, Option<Int>),
}

/// The `result` table of a queued request.
#[derive(Clone, Debug)]
pub(crate) struct ResultDecl {
    pub loc: Loc,
    pub doc: String,
    pub keys: Vec<FieldDecl>,
}

/// The `returns` table of a request.
#[derive(Clone, Debug)]
pub(crate) struct ReturnsDecl {
    pub loc: Loc,
    pub body: Option<Str>,
    pub doc: String,
    pub headers: Vec<FieldDecl>,
    pub columns: Vec<FieldDecl>,
    pub extra_columns: Vec<(Str, Vec<FieldDecl>)>,
    pub separator: Option<Str>,
    pub keys: Vec<FieldDecl>,
    pub field: Option<Str>,
    /// The parameter whose value chooses the answer among `cases`.
    pub by: Option<Str>,
    /// `status = 1000`: the `Status-Code` of a successful answer.
    pub status: Option<Int>,
    /// The answer for each value of `by`.
    pub cases: Vec<ReturnsDecl>,
    /// In a case: the value of `by` it answers.
    pub when: Option<Str>,
}

/// A request.
#[derive(Clone, Debug)]
pub(crate) struct RequestDecl {
    pub name: Str,
    pub section: String,
    pub summary: String,
    pub docs: String,
    pub kind: Option<Str>,
    pub effect: Option<Str>,
    pub costs: bool,
    pub changes: bool,
    pub auth: bool,
    pub deprecated: Option<String>,
    pub alias_of: Option<Str>,
    pub extension: Option<String>,
    pub path: Option<Str>,
    pub method: Option<Str>,
    pub tld_from: Option<Str>,
    pub params: ParamsDecl,
    pub include: Vec<IncludeDecl>,
    pub returns: Option<ReturnsDecl>,
    pub result: Option<ResultDecl>,
    /// Wire examples, checked.
    pub examples: Vec<crate::model::ExampleMeta>,
    /// Keys that an alias must not carry, with their locations.
    pub non_alias_keys: Vec<(String, Loc)>,
}

/// A field set.
#[derive(Clone, Debug)]
pub(crate) struct FieldsetDecl {
    pub name: Str,
    /// `every-request` or `every-change`: included by those requests without an `include`.
    pub applies_to: Option<Str>,
    pub params: ParamsDecl,
}

/// A named type.
#[derive(Clone, Debug)]
pub(crate) struct NamedTypeDecl {
    pub name: Str,
    pub doc: String,
    pub ty: TypeDecl,
    /// `open = true`: an enum of answer words, which keeps words it does not list.
    pub open: Option<(bool, Loc)>,
}

/// Everything declared by the spec files.
#[derive(Default)]
pub(crate) struct Decls {
    pub types: Vec<NamedTypeDecl>,
    pub fieldsets: Vec<FieldsetDecl>,
    pub requests: Vec<RequestDecl>,
    /// The `[session]` tables (one allowed), with where each is.
    pub sessions: Vec<(Loc, Vec<(&'static str, Str)>)>,
    /// The `[protocol]` tables (one allowed), with where each is.
    pub protocols: Vec<(Loc, crate::model::ProtocolMeta)>,
}
