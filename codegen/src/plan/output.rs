//! The names of a request's answer: its output struct, rows and enums.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{EnumPlan, names, pascal, rust_ty, snake};
use crate::diag::Sink;
use crate::ident::{pascal_case, snake_case};
use crate::model::*;

/// What a request's answer parses into.
pub(crate) struct OutputPlan<'s> {
    /// The struct holding headers and typed keys, if the answer needs one.
    pub ty: Option<Ident>,
    /// The table's row types.
    pub row: Option<RowPlan<'s>>,
    /// Headers, then typed keys.
    pub fields: Vec<FieldPlan<'s>>,
    /// Enums of headers and keys declared inline.
    pub enums: Vec<EnumPlan<'s>>,
    /// The payload's field in the output struct.
    pub body_field: Ident,
    /// The typed result of a queued request whose spec declares result keys.
    pub result: Option<ResultPlan<'s>>,
    /// For an answer chosen by a parameter's value: the enum `ty` names, a variant per case.
    pub cases: Vec<CasePlan<'s>>,
}

/// One answer of a request whose answer a parameter's value chooses.
pub(crate) struct CasePlan<'s> {
    /// The parameter's value.
    pub when: &'s str,
    /// The case's variant of the output enum (and of the parameter's enum).
    pub variant: Ident,
    /// The case's answer.
    pub ret: &'s ReturnsMeta,
    /// Its types, named `{Request}{Variant}...`.
    pub output: OutputPlan<'s>,
}

impl CasePlan<'_> {
    /// Whether the case's answer carries nothing (a unit variant).
    pub fn is_unit(&self) -> bool {
        self.ret.body == BodyKind::None && self.output.ty.is_none()
    }
}

/// The struct of a queued request's result: a field per declared key, and `all`.
pub(crate) struct ResultPlan<'s> {
    pub ty: Ident,
    pub keys: Vec<FieldPlan<'s>>,
}

/// Where an output field comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Header,
    Key,
    /// A key family (`domain-price-<type>`): every key with its prefix.
    Family,
    /// A `repeated` key: every line of it.
    Repeated,
}

impl Source {
    /// The word for docs and errors.
    pub fn word(self) -> &'static str {
        match self {
            Source::Header => "header",
            Source::Key => "key",
            Source::Family | Source::Repeated => "keys",
        }
    }
}

/// A header or typed key of the output struct.
pub(crate) struct FieldPlan<'s> {
    pub f: &'s FieldMeta,
    pub source: Source,
    pub field: Ident,
    /// The name of the field's enum, when its type is an inline `enum`.
    pub inline: Ident,
    pub ty: TokenStream,
}

/// The owned and the borrowed row of a table answer.
pub(crate) struct RowPlan<'s> {
    pub row: Ident,
    pub row_ref: Ident,
    pub columns: Vec<ColumnPlan<'s>>,
    /// Enums of columns declared inline.
    pub enums: Vec<EnumPlan<'s>>,
}

/// A column of a row.
pub(crate) struct ColumnPlan<'s> {
    pub c: &'s FieldMeta,
    /// The flag parameter that adds the column, for an extra column.
    pub extra_flag: Option<&'s str>,
    pub field: Ident,
    /// The name of the column's enum, when its type is an inline `enum`.
    pub inline: Ident,
    /// The local holding the column's position.
    pub index: Ident,
    pub ty: TokenStream,
}

pub(super) fn output<'s>(r: &'s Request, base: &Ident) -> OutputPlan<'s> {
    if r.returns.by.is_none() {
        return shape(r, &r.returns, base, &r.name);
    }
    let cases = r
        .returns
        .cases
        .iter()
        .map(|c| {
            let variant = pascal(&c.when);
            let prefix = format!("{}-{}", r.name, c.when);
            CasePlan {
                when: &c.when,
                output: shape(r, &c.returns, &format_ident!("{base}{variant}"), &prefix),
                variant,
                ret: &c.returns,
            }
        })
        .collect();
    OutputPlan {
        ty: Some(format_ident!("{base}Output")),
        cases,
        ..shape(r, &ReturnsMeta::EMPTY, base, &r.name)
    }
}

/// The types of one answer `ret` of `r`: rows and structs named after `base`, inline enums
/// after `prefix` (the request's name, or the request's and the case's).
fn shape<'s>(r: &'s Request, ret: &'s ReturnsMeta, base: &Ident, prefix: &str) -> OutputPlan<'s> {
    let sync = r.kind == RequestKind::Sync;
    let inline = |f: &FieldMeta| pascal(&format!("{prefix}-{}", f.field));
    // Inline enums of answer values (only a sync request's answer is parsed).
    let enum_of = |f: &'s FieldMeta, doc: String| match &f.ty {
        ValueType::Enum { name: None, values } if sync => {
            Some(EnumPlan::new(inline(f), doc, values))
        }
        _ => None,
    };
    let row = (ret.body == BodyKind::Table && sync).then(|| {
        let all = ret.columns.iter().map(|c| (c, None)).chain(
            ret.extra_columns
                .iter()
                .flat_map(|e| e.columns.iter().map(move |c| (c, Some(&*e.flag)))),
        );
        let mut enums = Vec::new();
        let columns = all
            .map(|(c, extra_flag)| {
                let doc = format!("Values of the `{}` column of `{}`.", c.name, r.name);
                enums.extend(enum_of(c, doc));
                ColumnPlan {
                    c,
                    extra_flag,
                    field: snake(&c.field),
                    inline: inline(c),
                    index: format_ident!(
                        "i_{}",
                        snake_case(&c.field)
                            .unwrap_or_default()
                            .trim_start_matches("r#")
                    ),
                    ty: rust_ty(&c.ty, &inline(c)),
                }
            })
            .collect();
        RowPlan {
            row: format_ident!("{base}Row"),
            row_ref: format_ident!("{base}RowRef"),
            columns,
            enums,
        }
    });
    let sources = ret
        .headers
        .iter()
        .map(|f| (f, Source::Header))
        .chain(ret.keys.iter().map(|f| match f.family {
            Some(_) => (f, Source::Family),
            None if f.repeated => (f, Source::Repeated),
            None => (f, Source::Key),
        }));
    let mut fields = Vec::new();
    let mut enums = Vec::new();
    for (f, source) in sources {
        let doc = format!("Values of `{}` in the `{}` response.", f.name, r.name);
        enums.extend(enum_of(f, doc));
        let ty = rust_ty(&f.ty, &inline(f));
        fields.push(FieldPlan {
            f,
            source,
            field: snake(&f.field),
            inline: inline(f),
            ty: match source {
                Source::Family => quote!(Vec<(String, #ty)>),
                Source::Repeated => quote!(Vec<#ty>),
                _ => ty,
            },
        });
    }
    // Result keys are never inline enums (the loader says so), so `inline` is unused.
    let result = (!r.result.keys.is_empty()).then(|| ResultPlan {
        ty: format_ident!("{base}Result"),
        keys: r
            .result
            .keys
            .iter()
            .map(|f| FieldPlan {
                f,
                source: Source::Key,
                field: snake(&f.field),
                inline: inline(f),
                ty: rust_ty(&f.ty, &inline(f)),
            })
            .collect(),
    });
    OutputPlan {
        ty: (sync && has_output_struct(ret)).then(|| format_ident!("{base}Output")),
        row,
        fields,
        enums,
        body_field: snake(&ret.field),
        result,
        cases: Vec::new(),
    }
}

/// Whether the answer needs a struct of its own: headers, or typed keys.
fn has_output_struct(ret: &ReturnsMeta) -> bool {
    !ret.headers.is_empty() || (ret.body == BodyKind::KeyValue && !ret.keys.is_empty())
}

/// Claims the names of `r`'s answer types: whatever the request's kind, so that a spec does not
/// become invalid when a request turns queued.
pub(super) fn claim_output(
    sink: &mut Sink<'_>,
    claims: &mut names::Claims,
    r: &Request,
    base: &Ident,
) {
    let ret = &r.returns;
    let what = |kind: &'static str| move || format!("the {kind} type of `{}`", r.name);
    if ret.body == BodyKind::Table {
        claims.claim(sink, Some(format!("{base}Row")), &r.loc, what("row"));
        claims.claim(
            sink,
            Some(format!("{base}RowRef")),
            &r.loc,
            what("borrowed row"),
        );
    }
    if has_output_struct(ret) || ret.by.is_some() {
        claims.claim(sink, Some(format!("{base}Output")), &r.loc, what("output"));
    }
    for c in ret.cases.iter() {
        let case = format!("{base}{}", pascal(&c.when));
        let what = |kind: &'static str| {
            move || format!("the {kind} type of `{}` for `{}`", r.name, c.when)
        };
        if c.returns.body == BodyKind::Table {
            claims.claim(sink, Some(format!("{case}Row")), &r.loc, what("row"));
        }
        if has_output_struct(&c.returns) {
            claims.claim(sink, Some(format!("{case}Output")), &r.loc, what("output"));
        }
        let fields = c.returns.columns.iter().chain(c.returns.keys.iter());
        for f in fields.chain(c.returns.headers.iter()) {
            if inline_enum(&f.ty) {
                let name = pascal_case(&format!("{}-{}-{}", r.name, c.when, f.field));
                claims.claim(sink, name, &r.loc, || format!("the enum of `{}`", f.name));
            }
        }
    }
    if !r.result.keys.is_empty() {
        claims.claim(sink, Some(format!("{base}Result")), &r.loc, what("result"));
    }
    for (f, loc) in r.fields().filter(|(f, _)| inline_enum(&f.ty)) {
        claims.claim(
            sink,
            pascal_case(&format!("{}-{}", r.name, f.field)),
            &loc,
            || format!("the enum of `{}`", f.name),
        );
    }
}

/// Whether an answer's field is of an inline enum (which gets a type of the request's own).
fn inline_enum(ty: &ValueType) -> bool {
    matches!(ty, ValueType::Enum { name: None, .. })
}
