//! Requests: names checked once, each resolved from its parameters, groups and returns, then
//! aliases copied from their targets, in declaration order.

use std::collections::HashMap;

use super::decl::{Decls, RequestDecl, Str};
use super::groups::resolve_groups;
use super::located::{Group, Param, Parts, Returns, text};
use super::params::{Fieldsets, gather, resolve_conditions, resolve_params, tld_from};
use super::returns::{resolve_result, resolve_returns};
use super::suggest::hint;
use super::types::{Types, keyword, valid_wire_name};
use crate::diag::Sink;
use crate::model::{Effect, Method, NamedEnum, Request, RequestKind, ResultMeta};

/// Requests by name: the first declaration of each.
type ByName<'r> = HashMap<&'r str, &'r RequestDecl>;

/// Resolves every declaration into requests and named enums.
pub(crate) fn resolve(sink: &mut Sink<'_>, decls: &Decls) -> (Vec<Request>, Vec<NamedEnum>) {
    let types = Types::new(sink, &decls.types);
    let enums = types.enums(sink, &decls.types);
    let fieldsets = fieldsets(sink, decls);
    let by_name = by_name(sink, &decls.requests);
    let is_first = |r: &RequestDecl| {
        by_name
            .get(r.name.value.as_str())
            .is_some_and(|f| std::ptr::eq(*f, r))
    };
    // Aliases come later; a duplicate was reported and is not resolved again.
    let mut out: Vec<Request> = decls
        .requests
        .iter()
        .filter(|r| r.alias_of.is_none() && is_first(r))
        .filter_map(|r| resolve_request(sink, &types, &fieldsets, r))
        .collect();
    let aliases: Vec<Request> = decls
        .requests
        .iter()
        .filter(|r| is_first(r))
        .filter_map(|r| Some((r, r.alias_of.as_ref()?)))
        .filter_map(|(r, target)| alias(sink, &by_name, &out, r, target))
        .collect();
    // Keep declaration order across requests and aliases.
    out.extend(aliases);
    let order: HashMap<&str, usize> = decls
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.value.as_str(), i))
        .collect();
    out.sort_by_key(|r| order.get(&*r.name).copied().unwrap_or(usize::MAX));
    // Every generated name is claimed once by the plan; a collision is an error here.
    crate::plan::Plan::build(sink, &out, &enums, None);
    (out, enums)
}

fn fieldsets<'r>(sink: &mut Sink<'_>, decls: &'r Decls) -> Fieldsets<'r> {
    let mut fieldsets = Fieldsets::new();
    for f in &decls.fieldsets {
        if let Some(a) = &f.applies_to {
            if !APPLIES_TO.contains(&a.value.as_str()) {
                sink.error(
                    &a.loc,
                    format!(
                        "unknown `applies_to` `{}` (expected one of: {}){}",
                        a.value,
                        APPLIES_TO.join(", "),
                        hint(&a.value, &APPLIES_TO)
                    ),
                );
            }
            if !f.params.requires.is_empty() || !f.params.groups.is_empty() {
                sink.error(
                    &a.loc,
                    format!(
                        "field set `{}` applies to requests that do not name it, so it can only \
                         have `accepts` (no `requires` or `groups`)",
                        f.name.value
                    ),
                );
            }
        }
        if let Some(first) = fieldsets.insert(&f.name.value, f) {
            sink.error(
                &f.name.loc,
                format!(
                    "field set `{}` is defined twice (first at {})",
                    f.name.value,
                    sink.describe(&first.name.loc)
                ),
            );
        }
    }
    fieldsets
}

/// What a field set may apply to without an `include`: every request, or every request that
/// changes something.
pub(crate) const APPLIES_TO: [&str; 2] = ["every-request", "every-change"];

/// Request names must be wire names and unique.
fn by_name<'r>(sink: &mut Sink<'_>, requests: &'r [RequestDecl]) -> ByName<'r> {
    let mut by_name = ByName::new();
    for r in requests {
        check_name_and_path(sink, r);
        if let Some(first) = by_name.get(r.name.value.as_str()) {
            sink.error(
                &r.name.loc,
                format!(
                    "request `{}` is defined twice (first at {})",
                    r.name.value,
                    sink.describe(&first.name.loc)
                ),
            );
        } else {
            by_name.insert(&r.name.value, r);
        }
    }
    by_name
}

/// A name is a wire name, or `/`-separated wire names (`v2/contact/create`) when the request
/// has a `path` of its own; a path is an absolute URL path without query or fragment.
fn check_name_and_path(sink: &mut Sink<'_>, r: &RequestDecl) {
    let name = &r.name.value;
    if !name.split('/').all(valid_wire_name) {
        sink.error(
            &r.name.loc,
            format!(
                "request name `{name}` must be lowercase letters, digits and `-` \
                 (`/`-separated parts with a `path`)"
            ),
        );
    } else if name.contains('/') && r.path.is_none() {
        sink.error(
            &r.name.loc,
            format!(
                "request `{name}` has a `/` in its name: give its URL with `path = \"/{name}\"`"
            ),
        );
    }
    if let Some(p) = &r.path {
        let ok = p.value.starts_with('/')
            && p.value.len() > 1
            && !p.value.contains("//")
            && p.value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_./".contains(&b));
        if !ok {
            sink.error(
                &p.loc,
                format!(
                    "path `{}` must start with `/` and hold only lowercase letters, digits, \
                     `-`, `_`, `.` and single `/`s",
                    p.value
                ),
            );
        }
    }
}

/// `effect = "on-acceptance" | "on-completion"`: when a queued request's effect becomes
/// visible. Every queued request says it; a request answered at once has none to say (its
/// effect is there when it answers).
fn effect(sink: &mut Sink<'_>, r: &RequestDecl, kind: RequestKind) -> Effect {
    let choices = [
        ("on-acceptance", Effect::OnAcceptance),
        ("on-completion", Effect::OnCompletion),
    ];
    match (kind, &r.effect) {
        (RequestKind::Async, Some(_)) => keyword(
            sink,
            r.effect.as_ref(),
            "effect",
            Effect::OnCompletion,
            &choices,
        )
        .unwrap_or(Effect::OnCompletion),
        (RequestKind::Async, None) => {
            sink.error(
                &r.name.loc,
                format!(
                    "queued request `{}` needs `effect = \"on-acceptance\"` or \
                     `\"on-completion\"`: when its effect becomes visible",
                    r.name.value
                ),
            );
            Effect::OnCompletion
        }
        (RequestKind::Sync, Some(e)) => {
            sink.error(
                &e.loc,
                format!(
                    "`effect` is for queued requests (`kind = \"async\"`); `{}` is answered at \
                     once, its effect with it",
                    r.name.value
                ),
            );
            Effect::OnAcceptance
        }
        (RequestKind::Sync, None) => Effect::OnAcceptance,
    }
}

/// `method = "post"` (the default) or `"get"` (a request the server takes only as a GET).
fn method(sink: &mut Sink<'_>, r: &RequestDecl) -> Method {
    keyword(
        sink,
        r.method.as_ref(),
        "method",
        Method::Post,
        &[("post", Method::Post), ("get", Method::Get)],
    )
    .unwrap_or(Method::Post)
}

fn resolve_request(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    fieldsets: &Fieldsets<'_>,
    r: &RequestDecl,
) -> Option<Request> {
    let kind = keyword(
        sink,
        r.kind.as_ref(),
        "request kind",
        RequestKind::Sync,
        &[("sync", RequestKind::Sync), ("async", RequestKind::Async)],
    )
    .unwrap_or(RequestKind::Sync);
    let effect = effect(sink, r, kind);
    let method = method(sink, r);
    if r.summary.trim().is_empty() {
        sink.error(
            &r.name.loc,
            format!("request `{}` needs a non-empty `summary`", r.name.value),
        );
    }
    let (gathered, gathered_groups) = gather(sink, fieldsets, r);
    let (mut params, conds) = resolve_params(sink, types, r, &gathered);
    let tld_from = tld_from(sink, r, &params);
    resolve_conditions(sink, r, &mut params, &conds, tld_from.is_some());
    let groups = resolve_groups(sink, r, &gathered_groups, &params);
    let returns = resolve_returns(sink, types, r, kind, &params)?;
    let result = resolve_result(sink, types, r, kind);
    Some(request(
        r,
        (kind, effect, method),
        tld_from,
        params,
        groups,
        (returns, result),
    ))
}

/// The model of a resolved request.
fn request(
    r: &RequestDecl,
    (kind, effect, method): (RequestKind, Effect, Method),
    tld_from: Option<String>,
    params: Vec<Param>,
    groups: Vec<Group>,
    (returns, result): (Returns, ResultMeta),
) -> Request {
    Parts {
        name: r.name.value.clone(),
        loc: r.name.loc.clone(),
        section: r.section.clone(),
        summary: r.summary.clone(),
        docs: r.docs.clone(),
        kind,
        effect,
        costs: r.costs,
        changes: r.changes,
        auth: r.auth,
        deprecated: r.deprecated.clone(),
        alias_of: None,
        extension: r.extension.clone(),
        path: r.path.as_ref().map(|p| p.value.clone()),
        method,
        tld_from,
        params,
        groups,
        returns,
        result,
        examples: r.examples.clone(),
    }
    .into_request()
}

/// An alias takes everything but its names and docs from its target.
fn alias(
    sink: &mut Sink<'_>,
    by_name: &ByName<'_>,
    resolved: &[Request],
    r: &RequestDecl,
    target: &Str,
) -> Option<Request> {
    for (k, l) in &r.non_alias_keys {
        sink.error(
            l,
            format!(
                "`{k}` is not allowed on an alias: `{}` takes it from `{}`",
                r.name.value, target.value
            ),
        );
    }
    match by_name.get(target.value.as_str()) {
        None => {
            let names: Vec<&str> = by_name.keys().copied().collect();
            sink.error(
                &target.loc,
                format!(
                    "`{}` is an alias of `{}`, which is not a request{}",
                    r.name.value,
                    target.value,
                    hint(&target.value, &names)
                ),
            );
            None
        }
        Some(t) if t.alias_of.is_some() => {
            sink.error(
                &target.loc,
                format!(
                    "`{}` is an alias of `{}`, which is itself an alias; point at the request",
                    r.name.value, target.value
                ),
            );
            None
        }
        Some(_) => {
            let t = resolved.iter().find(|q| q.name == target.value)?;
            // The target's parameters and answer, with the alias's own names and docs.
            let mut a = t.clone();
            a.loc = r.name.loc.clone();
            a.meta.name = text(&r.name.value);
            a.meta.section = text(&r.section);
            a.meta.summary = text(&r.summary);
            a.meta.docs = text(&r.docs);
            a.meta.deprecated = r.deprecated.clone().map(text);
            a.meta.extension = r.extension.clone().map(text);
            a.meta.path = r.path.as_ref().map(|p| text(&p.value));
            a.meta.method = method(sink, r);
            a.meta.alias_of = Some(text(&target.value));
            a.meta.examples = r.examples.clone().into();
            Some(a)
        }
    }
}
