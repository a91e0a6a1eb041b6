//! The shared model's parts with where they are declared, while the loader resolves them; a
//! finished request splits them into the model ([`RequestMeta`]) and its [`Locs`].

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use crate::diag::Loc;
use crate::model::{
    BodyKind, CaseMeta, Effect, ExampleMeta, ExtraColumns, FieldMeta, GroupKind, GroupMeta, Locs,
    Method, ParamMeta, RequestKind, RequestMeta, ResultMeta, ReturnsMeta, Separator, Seq, Text,
};

/// A part of the model and where it is declared.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Located<T> {
    pub meta: T,
    pub loc: Loc,
}

impl<T> Deref for Located<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.meta
    }
}

impl<T> DerefMut for Located<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.meta
    }
}

/// A parameter being resolved.
pub(crate) type Param = Located<ParamMeta>;
/// A group being resolved.
pub(crate) type Group = Located<GroupMeta>;
/// An answer field being resolved.
pub(crate) type Field = Located<FieldMeta>;

/// Owned text of the model.
pub(crate) fn text(s: impl Into<String>) -> Text {
    Cow::Owned(s.into())
}

/// An owned list of the model.
pub(crate) fn seq<T: Clone>(items: impl IntoIterator<Item = T>) -> Seq<T> {
    Cow::Owned(items.into_iter().collect())
}

/// A group of the model.
pub(crate) fn group(
    name: &str,
    loc: Loc,
    kind: GroupKind,
    alternatives: Vec<Vec<String>>,
    doc: &str,
) -> Group {
    let alternatives = alternatives
        .into_iter()
        .map(|a| seq(a.into_iter().map(text)));
    Located {
        meta: GroupMeta {
            name: text(name),
            kind,
            alternatives: seq(alternatives),
            doc: text(doc),
        },
        loc,
    }
}

/// What a request returns, its fields located.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Returns {
    pub body: BodyKind,
    pub doc: String,
    pub headers: Vec<Field>,
    pub columns: Vec<Field>,
    pub extra_columns: Vec<(String, Vec<Field>)>,
    pub separator: Separator,
    pub keys: Vec<Field>,
    pub field: String,
    /// The parameter whose value chooses among `cases`.
    pub by: Option<String>,
    /// Each value of `by` and its answer.
    pub cases: Vec<(String, Returns)>,
    /// The `Status-Code` of a successful answer, when not the protocol's first.
    pub status: Option<u16>,
}

impl Returns {
    /// The model of the answer and where its fields are declared.
    fn into_meta(self) -> (ReturnsMeta, Locs) {
        let (headers, header_locs) = split(self.headers);
        let (columns, column_locs) = split(self.columns);
        let (keys, key_locs) = split(self.keys);
        let mut extra_columns = Vec::new();
        let mut extra_locs = Vec::new();
        for (flag, cols) in self.extra_columns {
            let (columns, locs) = split(cols);
            extra_columns.push(ExtraColumns {
                flag: text(flag),
                columns,
            });
            extra_locs.push(locs);
        }
        let mut cases = Vec::new();
        let mut case_locs = Vec::new();
        for (when, returns) in self.cases {
            let (returns, locs) = returns.into_meta();
            cases.push(CaseMeta {
                when: text(when),
                returns,
            });
            case_locs.push(locs);
        }
        let meta = ReturnsMeta {
            body: self.body,
            doc: text(self.doc),
            headers,
            columns,
            extra_columns: Cow::Owned(extra_columns),
            separator: self.separator,
            keys,
            field: text(self.field),
            by: self.by.map(text),
            cases: Cow::Owned(cases),
            status: self.status,
        };
        let locs = Locs {
            columns: column_locs,
            extra_columns: extra_locs,
            keys: key_locs,
            headers: header_locs,
            cases: case_locs,
            ..Locs::default()
        };
        (meta, locs)
    }
}

/// The fields' models and their locations.
fn split(fields: Vec<Field>) -> (Seq<FieldMeta>, Vec<Loc>) {
    let (metas, locs): (Vec<_>, Vec<_>) = fields.into_iter().map(|f| (f.meta, f.loc)).unzip();
    (Cow::Owned(metas), locs)
}

/// The parts of a resolved request.
pub(crate) struct Parts {
    pub name: String,
    pub loc: Loc,
    pub section: String,
    pub summary: String,
    pub docs: String,
    pub kind: RequestKind,
    pub effect: Effect,
    pub costs: bool,
    pub changes: bool,
    pub auth: bool,
    pub deprecated: Option<String>,
    pub alias_of: Option<String>,
    pub extension: Option<String>,
    pub path: Option<String>,
    pub method: Method,
    pub tld_from: Option<String>,
    pub params: Vec<Param>,
    pub groups: Vec<Group>,
    pub returns: Returns,
    pub result: ResultMeta,
    pub examples: Vec<ExampleMeta>,
}

impl Parts {
    /// The request of the model, with its locations.
    pub fn into_request(self) -> crate::model::Request {
        let (params, param_locs): (Vec<_>, Vec<_>) =
            self.params.into_iter().map(|p| (p.meta, p.loc)).unzip();
        let (groups, group_locs): (Vec<_>, Vec<_>) =
            self.groups.into_iter().map(|g| (g.meta, g.loc)).unzip();
        let (returns, locs) = self.returns.into_meta();
        crate::model::Request {
            meta: RequestMeta {
                name: text(self.name),
                section: text(self.section),
                summary: text(self.summary),
                docs: text(self.docs),
                kind: self.kind,
                effect: self.effect,
                costs: self.costs,
                changes: self.changes,
                auth: self.auth,
                session_param: None,
                deprecated: self.deprecated.map(text),
                alias_of: self.alias_of.map(text),
                extension: self.extension.map(text),
                path: self.path.map(text),
                method: self.method,
                tld_from: self.tld_from.map(text),
                params: Cow::Owned(params),
                groups: Cow::Owned(groups),
                returns,
                result: self.result,
                examples: Cow::Owned(self.examples),
            },
            loc: self.loc,
            locs: Locs {
                params: param_locs,
                groups: group_locs,
                ..locs
            },
        }
    }
}
