//! The parameters of a request: gathered from its own `requires`, its included field sets and
//! its own `accepts`, checked one by one, then their `required_when` conditions and the
//! request's `tld_from`.

use std::collections::HashMap;

use super::decl::{CondDecl, FieldsetDecl, GroupDecl, ParamDecl, RequestDecl, Str};
use super::located::{Located, Param, seq, text};
use super::suggest::hint;
use super::types::{Types, valid_wire_name};
use crate::diag::Sink;
use crate::ident;
use crate::model::{Condition, FlagSpelling, ParamMeta, ValueType};

/// A parameter as a request sees it.
pub(crate) struct Gathered<'r> {
    pub decl: &'r ParamDecl,
    pub required: bool,
    /// An optional include makes every field optional, conditions included (contact-modify
    /// changes only what it is given).
    pub keeps_conditions: bool,
}

/// A group as a request sees it: optional when its field set is included optionally.
pub(crate) type GatheredGroup<'r> = (&'r GroupDecl, bool);

/// The field sets by name.
pub(crate) type Fieldsets<'r> = HashMap<&'r str, &'r FieldsetDecl>;

/// Parameters in wire order (own requires, included field sets, own accepts) and groups.
pub(crate) fn gather<'r>(
    sink: &mut Sink<'_>,
    fieldsets: &Fieldsets<'r>,
    r: &'r RequestDecl,
) -> (Vec<Gathered<'r>>, Vec<GatheredGroup<'r>>) {
    let own = |decl, required| Gathered {
        decl,
        required,
        keeps_conditions: true,
    };
    let mut params: Vec<Gathered<'r>> = r.params.requires.iter().map(|p| own(p, true)).collect();
    let mut groups: Vec<GatheredGroup<'r>> = Vec::new();
    for inc in &r.include {
        let Some(fs) = fieldsets.get(inc.name.value.as_str()) else {
            let names: Vec<&str> = fieldsets.keys().copied().collect();
            sink.error(
                &inc.name.loc,
                format!(
                    "unknown field set `{}`{}",
                    inc.name.value,
                    hint(&inc.name.value, &names)
                ),
            );
            continue;
        };
        let keeps_conditions = !inc.optional;
        let included = |decl, required| Gathered {
            decl,
            required,
            keeps_conditions,
        };
        params.extend(
            fs.params
                .requires
                .iter()
                .map(|p| included(p, !inc.optional)),
        );
        params.extend(fs.params.accepts.iter().map(|p| included(p, false)));
        groups.extend(fs.params.groups.iter().map(|g| (g, inc.optional)));
    }
    params.extend(r.params.accepts.iter().map(|p| own(p, false)));
    groups.extend(r.params.groups.iter().map(|g| (g, false)));
    // Then the field sets that apply without an include, in name order.
    let mut applying: Vec<&FieldsetDecl> = fieldsets
        .values()
        .copied()
        .filter(
            |fs| match fs.applies_to.as_ref().map(|a| a.value.as_str()) {
                Some("every-request") => true,
                Some("every-change") => r.changes,
                _ => false,
            },
        )
        .filter(|fs| !r.include.iter().any(|i| i.name.value == fs.name.value))
        .collect();
    applying.sort_by(|a, b| a.name.value.cmp(&b.name.value));
    for fs in applying {
        params.extend(fs.params.accepts.iter().map(|p| own(p, false)));
    }
    (params, groups)
}

/// Resolves the gathered parameters (each name once, each Rust name once), with the
/// conditions each keeps (in the same order).
pub(crate) fn resolve_params<'r>(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RequestDecl,
    gathered: &[Gathered<'r>],
) -> (Vec<Param>, Vec<&'r [CondDecl]>) {
    let mut params: Vec<Param> = Vec::new();
    let mut conds: Vec<&[CondDecl]> = Vec::new();
    for g in gathered {
        let p = g.decl;
        if let Some(first) = params.iter().find(|q| q.name == p.name.value) {
            sink.error(
                &p.name.loc,
                format!(
                    "parameter `{}` appears twice in `{}` (first at {})",
                    p.name.value,
                    r.name.value,
                    sink.describe(&first.loc)
                ),
            );
            continue;
        }
        check_rust_name(sink, &p.name);
        check_aliases(sink, r, p, &params);
        if let Some(param) = resolve_param(sink, types, p, g.required) {
            params.push(param);
            conds.push(if g.keeps_conditions {
                &p.required_when
            } else {
                &[]
            });
        }
    }
    (params, conds)
}

/// Other spellings are wire names, of a plain parameter, and no other parameter's name or
/// spelling (in either order of declaration).
fn check_aliases(sink: &mut Sink<'_>, r: &RequestDecl, p: &ParamDecl, before: &[Param]) {
    let spellings = |q: &ParamMeta| {
        std::iter::once(q.name.to_string())
            .chain(q.aliases.iter().map(|a| a.to_string()))
            .collect::<Vec<_>>()
    };
    let taken: Vec<String> = before.iter().flat_map(|q| spellings(&q.meta)).collect();
    for a in &p.aliases {
        let problem = if !valid_wire_name(&a.value) {
            Some(format!(
                "parameter alias `{}` must be lowercase letters, digits, `-` or `_`",
                a.value
            ))
        } else if p.indexed.is_some() {
            Some(format!(
                "indexed parameter `{}` cannot have aliases",
                p.name.value
            ))
        } else if a.value == p.name.value || taken.contains(&a.value) {
            Some(format!(
                "`{}` already names a parameter of `{}`",
                a.value, r.name.value
            ))
        } else {
            None
        };
        if let Some(why) = problem {
            sink.error(&a.loc, why);
        }
    }
    if let Some(q) = before
        .iter()
        .find(|q| q.aliases.iter().any(|a| *a == p.name.value))
    {
        sink.error(
            &p.name.loc,
            format!(
                "`{}` is another spelling of `{}` in `{}`",
                p.name.value, q.name, r.name.value
            ),
        );
    }
}

/// A parameter must have a Rust name (the plan claims it, see `crate::plan`).
fn check_rust_name(sink: &mut Sink<'_>, name: &Str) {
    if ident::snake_case(&name.value).is_none() {
        sink.error(
            &name.loc,
            format!(
                "parameter `{}` has no letters or digits to name it in Rust",
                name.value
            ),
        );
    }
}

fn resolve_param(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    p: &ParamDecl,
    required: bool,
) -> Option<Param> {
    let ty = types.resolve(sink, &p.ty)?;
    if let Some(name) = types.open_enum(&ty) {
        let why = format!(
            "`{name}` is an open enum of answer words: a parameter takes a closed one (no `open`)"
        );
        sink.error(&p.ty.base.loc, why);
    }
    if !valid_wire_name(&p.name.value) {
        sink.error(
            &p.name.loc,
            format!(
                "parameter name `{}` must be lowercase letters, digits, `-` or `_`",
                p.name.value
            ),
        );
    }
    let indexed = indexed(sink, p, &ty, required);
    if let Some(d) = &p.default
        && !is_value_of(&d.value, &ty)
    {
        sink.error(
            &d.loc,
            format!(
                "default `{}` is not a value of the parameter's type",
                d.value
            ),
        );
    }
    Some(param(p, ty, required, indexed))
}

/// The model of a checked parameter (its conditions come later).
fn param(p: &ParamDecl, ty: ValueType, required: bool, indexed: Option<u8>) -> Param {
    let meta = ParamMeta {
        name: text(&p.name.value),
        secret: p.secret || matches!(p.ty.base.value.as_str(), "secret"),
        ty,
        doc: text(&p.doc),
        required,
        allow_empty: p.allow_empty,
        aliases: seq(p.aliases.iter().map(|a| text(&a.value))),
        deprecated: p.deprecated.clone().map(text),
        indexed,
        required_when: seq([]),
        default: p.default.as_ref().map(|d| text(&d.value)),
        example: p.example.as_ref().map(|d| text(&d.value)),
    };
    Located {
        meta,
        loc: p.name.loc.clone(),
    }
}

/// `indexed = N`: between 1 and 99, optional, and not a zone.
fn indexed(sink: &mut Sink<'_>, p: &ParamDecl, ty: &ValueType, required: bool) -> Option<u8> {
    let (n, l) = p.indexed.as_ref()?;
    let Ok(n @ 1..=99) = u8::try_from(*n) else {
        sink.error(l, format!("`indexed` must be between 1 and 99, found {n}"));
        return None;
    };
    if *ty == ValueType::Zone {
        sink.error(&p.name.loc, "a zone parameter cannot be indexed");
    }
    if required {
        sink.error(
            &p.name.loc,
            format!("indexed parameter `{}` must be in `accepts`", p.name.value),
        );
    }
    Some(n)
}

/// Whether a default fits the type (types without fixed values take anything).
fn is_value_of(value: &str, ty: &ValueType) -> bool {
    match ty {
        ValueType::Enum { values, .. } => values.iter().any(|v| v == value),
        ValueType::Flag(FlagSpelling::ZeroOne | FlagSpelling::OneY) => value == "0" || value == "1",
        ValueType::Flag(FlagSpelling::YesNo) => value == "yes" || value == "no",
        ValueType::Flag(FlagSpelling::YN) => value == "Y" || value == "N",
        _ => true,
    }
}

/// `tld_from` must name a string or domain parameter of the request.
pub(crate) fn tld_from(sink: &mut Sink<'_>, r: &RequestDecl, params: &[Param]) -> Option<String> {
    let t = r.tld_from.as_ref()?;
    match params.iter().find(|p| p.name == t.value) {
        None => sink.error(
            &t.loc,
            format!(
                "`tld_from` names `{}`, which is not a parameter of `{}`",
                t.value, r.name.value
            ),
        ),
        Some(p)
            if !matches!(
                p.ty,
                ValueType::String | ValueType::Domain | ValueType::Pattern
            ) =>
        {
            sink.error(
                &t.loc,
                format!(
                    "`tld_from` must name a string or domain parameter; `{}` is not",
                    t.value
                ),
            )
        }
        Some(_) => {}
    }
    Some(t.value.clone())
}

/// Resolves each parameter's conditions (`conds[i]` belongs to `params[i]`).
pub(crate) fn resolve_conditions(
    sink: &mut Sink<'_>,
    r: &RequestDecl,
    params: &mut [Param],
    conds: &[&[CondDecl]],
    has_tld: bool,
) {
    let resolved: Vec<Vec<Condition>> = conds
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| condition(sink, r, params, c, has_tld))
                .collect()
        })
        .collect();
    for (p, required_when) in params.iter_mut().zip(resolved) {
        if !required_when.is_empty() && p.required {
            sink.error(
                &p.loc,
                format!(
                    "`{}` is always required; `required_when` only applies to `accepts`",
                    p.name
                ),
            );
        }
        p.required_when = seq(required_when);
    }
}

fn condition(
    sink: &mut Sink<'_>,
    r: &RequestDecl,
    params: &[Param],
    c: &CondDecl,
    has_tld: bool,
) -> Condition {
    if let Some(first) = c.tlds.first()
        && !has_tld
    {
        sink.error(
            &first.loc,
            format!(
                "a TLD condition needs `tld_from` on request `{}` (which parameter carries the TLD)",
                r.name.value
            ),
        );
    }
    for (pn, _) in &c.params {
        if !params.iter().any(|p| p.name == pn.value) {
            sink.error(
                &pn.loc,
                format!(
                    "condition names `{}`, which is not a parameter of `{}`",
                    pn.value, r.name.value
                ),
            );
        }
    }
    Condition {
        tlds: seq(c
            .tlds
            .iter()
            .map(|t| text(t.value.trim_start_matches('.').to_ascii_lowercase()))),
        params: seq(c
            .params
            .iter()
            .map(|(k, vs)| (text(&k.value), seq(vs.iter().map(|v| text(&v.value)))))),
    }
}
