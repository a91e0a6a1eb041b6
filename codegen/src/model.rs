//! The checked model of the spec that code is generated from: the runtime's own model
//! ([`dmapi_runtime::meta`]), owned, plus where each part was declared.
//!
//! The generated crate writes the same values back as `static` tables, so codegen and the
//! runtime share one definition of every type, parameter and answer.

use std::ops::Deref;

pub use dmapi_runtime::meta::{
    BodyKind, Builtin, CaseMeta, CompletionWords, Condition, DnssecField, DnssecForms, Effect,
    ExampleMeta, ExtraColumns, FieldMeta, FlagSpelling, Framing, GroupKind, GroupMeta, HeaderNames,
    ItemType, Method, ParamMeta, ProtocolMeta, RegistryDate, RequestKind, RequestMeta, ResultMeta,
    ResultRowColumns, ResultRowMeta, ReturnsMeta, Separator, Seq, SessionMeta, StatusMeta, Text,
    ValueType,
};

use crate::diag::Loc;

/// Every request, type and field set of the spec, in a deterministic order.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The files the spec was read from (for locations).
    pub files: Vec<crate::diag::SourceFile>,
    /// Requests in file order (files sorted by name), then declaration order.
    pub requests: Vec<Request>,
    /// Named enum types (`[type.<name>]` with `base = "enum"`), in declaration order.
    pub enums: Vec<NamedEnum>,
    /// How clients open, carry and use sessions (the spec's `[session]` table), if declared.
    pub session: Option<SessionMeta>,
    /// The protocol's own vocabulary (the spec's `[protocol]` table), if declared.
    pub protocol: Option<ProtocolMeta>,
}

/// A named enum type from `[type.<name>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedEnum {
    /// Spec name, e.g. `privacy`.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Wire values.
    pub values: Seq<Text>,
    /// An enum of answer words (`open = true`): its type keeps a word it does not list, and
    /// only answers use it.
    pub open: bool,
}

/// A request of the spec and where its parts were declared.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The request as the runtime sees it.
    pub meta: RequestMeta,
    /// Where it is declared.
    pub loc: Loc,
    /// Where its parameters, groups and answer fields are declared.
    pub locs: Locs,
}

/// Where the parts of a [`Request`] are declared, index for index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Locs {
    /// Of [`RequestMeta::params`].
    pub params: Vec<Loc>,
    /// Of [`RequestMeta::groups`].
    pub groups: Vec<Loc>,
    /// Of [`ReturnsMeta::columns`].
    pub columns: Vec<Loc>,
    /// Of the columns of each of [`ReturnsMeta::extra_columns`].
    pub extra_columns: Vec<Vec<Loc>>,
    /// Of [`ReturnsMeta::keys`].
    pub keys: Vec<Loc>,
    /// Of [`ReturnsMeta::headers`].
    pub headers: Vec<Loc>,
    /// Of the fields of each of [`ReturnsMeta::cases`].
    pub cases: Vec<Locs>,
}

impl Deref for Request {
    type Target = RequestMeta;

    fn deref(&self) -> &RequestMeta {
        &self.meta
    }
}

impl Request {
    /// The parameter declared with exactly this wire name.
    pub fn declared(&self, name: &str) -> Option<&ParamMeta> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Where the parameter at `index` is declared.
    pub fn param_loc(&self, index: usize) -> Loc {
        self.locs.params.get(index).cloned().unwrap_or_default()
    }

    /// Where the group at `index` is declared.
    pub fn group_loc(&self, index: usize) -> Loc {
        self.locs.groups.get(index).cloned().unwrap_or_default()
    }

    /// The group a parameter belongs to.
    pub fn group_of(&self, name: &str) -> Option<&GroupMeta> {
        self.groups.iter().find(|g| {
            g.alternatives
                .iter()
                .flat_map(|a| a.iter())
                .any(|m| m == name)
        })
    }

    /// Every answer field (columns, extra columns, keys, headers, in that order) with where it
    /// is declared.
    pub fn fields(&self) -> impl Iterator<Item = (&FieldMeta, Loc)> {
        let ret = &self.returns;
        let extra = ret
            .extra_columns
            .iter()
            .enumerate()
            .flat_map(move |(i, e)| {
                e.columns.iter().enumerate().map(move |(j, c)| {
                    let loc = self.locs.extra_columns.get(i).and_then(|l| l.get(j));
                    (c, loc.cloned().unwrap_or_default())
                })
            });
        let at = |locs: &[Loc], i: usize| locs.get(i).cloned().unwrap_or_default();
        ret.columns
            .iter()
            .enumerate()
            .map(move |(i, c)| (c, at(&self.locs.columns, i)))
            .chain(extra)
            .chain(
                ret.keys
                    .iter()
                    .enumerate()
                    .map(move |(i, k)| (k, at(&self.locs.keys, i))),
            )
            .chain(
                ret.headers
                    .iter()
                    .enumerate()
                    .map(move |(i, h)| (h, at(&self.locs.headers, i))),
            )
    }
}
