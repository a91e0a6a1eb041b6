//! From the raw serde types to checked declarations: one reader per kind of table, each
//! reporting what is missing, unknown or of the wrong kind.

use super::cx::{Cx, key_loc};
use super::de::{Found, OneOrMany, Probed, Val};
use super::decl::*;
use super::raw::{self, Key, Tables, Typed};
use crate::diag::Loc;

/// Keys a request that is an alias must not have.
const NON_ALIAS_KEYS: [&str; 12] = [
    "kind", "effect", "costs", "changes", "auth", "tld_from", "requires", "accepts", "groups",
    "include", "returns", "result",
];

/// A type from the key `base_key` (`type` or `base`) and the refining keys of `table`.
fn read_type(
    cx: &mut Cx<'_, '_>,
    base_key: &str,
    base: Key<String>,
    table: &mut impl Typed,
) -> Option<TypeDecl> {
    let r = table.refine();
    let base = cx.req_str(base_key, base);
    let values = cx.strs("values", r.values);
    let spelling = cx.str("spelling", r.spelling);
    let item = cx.str("item", r.item);
    let delimiter = cx.str("delimiter", r.delimiter);
    let min = cx.int("min", r.min);
    let max = cx.int("max", r.max);
    Some(TypeDecl {
        base: base?,
        values,
        spelling,
        item,
        delimiter,
        min,
        max,
    })
}

/// `[type.<name>]`
pub(crate) fn named_type(
    cx: &mut Cx<'_, '_>,
    name: Str,
    mut t: raw::NamedType,
) -> Option<NamedTypeDecl> {
    let doc = cx.text("doc", t.doc.take());
    let open = cx.want("open", t.open.take(), "true or false");
    let ty = read_type(cx, "base", t.base.take(), &mut t)?;
    Some(NamedTypeDecl {
        name,
        doc,
        ty,
        open,
    })
}

/// `[fieldset.<name>]`
pub(crate) fn fieldset(cx: &mut Cx<'_, '_>, name: Str, f: raw::Fieldset) -> FieldsetDecl {
    cx.str("doc", f.doc);
    let applies_to = cx.str("applies_to", f.applies_to);
    let params = params(cx, f.requires, f.accepts, f.groups);
    FieldsetDecl {
        name,
        applies_to,
        params,
    }
}

fn params(
    cx: &mut Cx<'_, '_>,
    requires: Tables<raw::Param>,
    accepts: Tables<raw::Param>,
    groups: Tables<raw::Group>,
) -> ParamsDecl {
    ParamsDecl {
        requires: cx.tables("requires", requires, "a parameter", param),
        accepts: cx.tables("accepts", accepts, "a parameter", param),
        groups: cx.tables("groups", groups, "a group", group),
    }
}

fn param(cx: &mut Cx<'_, '_>, mut p: raw::Param) -> Option<ParamDecl> {
    let name = cx.req_str("name", p.name.take());
    let ty = read_type(cx, "type", p.r#type.take(), &mut p);
    let doc = cx.text("doc", p.doc);
    let secret = cx.bool("secret", p.secret, false);
    let allow_empty = cx.bool("allow_empty", p.allow_empty, false);
    let aliases = cx.strs("aliases", p.aliases).unwrap_or_default();
    let deprecated = cx.note("deprecated", p.deprecated);
    let indexed = cx.int("indexed", p.indexed);
    let default = cx.str("default", p.default);
    let example = cx.str("example", p.example);
    let required_when = p
        .required_when
        .map(|c| conditions(cx, c))
        .unwrap_or_default();
    Some(ParamDecl {
        name: name?,
        ty: ty?,
        doc,
        secret,
        allow_empty,
        aliases,
        deprecated,
        indexed,
        required_when,
        default,
        example,
    })
}

fn conditions(cx: &mut Cx<'_, '_>, value: Val<OneOrMany<raw::Cond>>) -> Vec<CondDecl> {
    let mut out = Vec::new();
    for item in value.into_items() {
        match cx.enter(item, "a `required_when` condition", None) {
            Ok(mut e) => out.push(condition(&mut e.cx, e.value)),
            Err((loc, found)) => cx.error(
                &loc,
                format!(
                    "`required_when` must be a table like {{ tld = [\"fi\"], params = {{ x-ficora-type = [\"company\"] }} }} or an array of them, found {}",
                    found.describe()
                ),
            ),
        }
    }
    out
}

fn condition(cx: &mut Cx<'_, '_>, c: raw::Cond) -> CondDecl {
    let tlds = cx.strs("tld", c.tld).unwrap_or_default();
    let mut params = Vec::new();
    if let Some((entries, _)) = cx.want("params", c.params, "a table") {
        for (key, values) in entries.0 {
            let key = Str {
                loc: cx.loc(key.span()),
                value: key.into_inner(),
            };
            let values = values
                .into_items()
                .into_iter()
                .filter_map(|v| cx.item_str(&key.value, "a condition", v))
                .collect();
            params.push((key, values));
        }
    }
    if tlds.is_empty() && params.is_empty() {
        cx.error_here("a `required_when` condition needs `tld` and/or `params`");
    }
    CondDecl { tlds, params }
}

fn group(cx: &mut Cx<'_, '_>, g: raw::Group) -> Option<GroupDecl> {
    let name = cx.req_str("name", g.name);
    let kind = cx.req_str("kind", g.kind);
    let doc = cx.text("doc", g.doc);
    let mut alternatives = Vec::new();
    if g.alternatives.is_none() {
        cx.missing("alternatives");
    }
    for alt in cx
        .want("alternatives", g.alternatives, "an array")
        .map(|a| a.0)
        .unwrap_or_default()
    {
        let loc = cx.loc(alt.span.clone());
        match alt.value {
            Ok(OneOrMany::One(Probed {
                value: Ok(value), ..
            })) => {
                alternatives.push(vec![Str { value, loc }]);
            }
            Ok(OneOrMany::Many(names)) => alternatives.push(
                names
                    .into_iter()
                    .filter_map(|n| cx.item_str("alternatives", "a group", n))
                    .collect(),
            ),
            Ok(OneOrMany::One(Probed {
                value: Err(found), ..
            }))
            | Err(found) => cx.error(
                &loc,
                format!(
                    "an alternative is a parameter name or an array of names, found {}",
                    found.describe()
                ),
            ),
        }
    }
    Some(GroupDecl {
        name: name?,
        kind: kind?,
        alternatives,
        doc,
    })
}

fn field(cx: &mut Cx<'_, '_>, mut f: raw::Field) -> Option<FieldDecl> {
    let name = cx.req_str("name", f.name.take());
    let field = cx.str("field", f.field.take());
    let ty = read_type(cx, "type", f.r#type.take(), &mut f);
    let doc = cx.text("doc", f.doc);
    let required = cx.bool("required", f.required, false);
    let none = cx.str("none", f.none);
    let quoted = cx.want("quoted", f.quoted, "true or false");
    let repeated = cx.want("repeated", f.repeated, "true or false");
    let registry = (
        cx.strs("registry_tlds", f.registry_tlds),
        cx.int("registry_days", f.registry_days),
    );
    Some(FieldDecl {
        name: name?,
        field,
        ty: ty?,
        doc,
        required,
        none,
        quoted,
        repeated,
        registry,
    })
}

fn fields(cx: &mut Cx<'_, '_>, key: &str, value: Tables<raw::Field>, what: &str) -> Vec<FieldDecl> {
    cx.tables(key, value, what, field)
}

/// `[request.<name>]`, in a file of docs section `section`; `keys` are the request's keys.
pub(crate) fn request(
    cx: &mut Cx<'_, '_>,
    name: Str,
    section: &str,
    r: raw::Request,
    keys: &[toml::Spanned<String>],
) -> RequestDecl {
    let summary = cx
        .req_str("summary", r.summary)
        .map(|s| s.value)
        .unwrap_or_default();
    let docs = cx.text("docs", r.docs);
    let deprecated = cx.note("deprecated", r.deprecated);
    let alias_of = cx.str("alias_of", r.alias_of);
    let extension = cx.note("extension", r.extension);
    let path = cx.str("path", r.path);
    let method = cx.str("method", r.method);
    let non_alias_keys = NON_ALIAS_KEYS
        .iter()
        .filter_map(|k| key_loc(cx.file, keys, k).map(|l| (k.to_string(), l)))
        .collect();
    let kind = cx.str("kind", r.kind);
    let effect = cx.str("effect", r.effect);
    let costs = cx.bool("costs", r.costs, false);
    // Unmarked requests count as changing state: the safe side for retries and access levels.
    let changes = cx.bool("changes", r.changes, true);
    if costs
        && !changes
        && let Some(l) = key_loc(cx.file, keys, "changes")
    {
        cx.error(
            &l,
            format!(
                "request `{}` costs money, so it changes state: drop `changes = false`",
                name.value
            ),
        );
    }
    let auth = cx.bool("auth", r.auth, true);
    let tld_from = cx.str("tld_from", r.tld_from);
    let params = params(cx, r.requires, r.accepts, r.groups);
    let include = includes(cx, r.include);
    let returns = r.returns.and_then(|rt| {
        let what = format!("the returns of `{}`", name.value);
        match cx.enter(rt, what, None) {
            Ok(mut e) => Some(returns(&mut e.cx, e.value)),
            Err((loc, found)) => {
                cx.mismatch("returns", &loc, "a table", found);
                None
            }
        }
    });
    let result = r.result.and_then(|rt| {
        let what = format!("the result of `{}`", name.value);
        match cx.enter(rt, what, None) {
            Ok(mut e) => {
                let loc = e.cx.anchor().clone();
                let doc = e.cx.text("doc", e.value.doc);
                let keys = fields(&mut e.cx, "keys", e.value.keys, "a result key");
                Some(ResultDecl { loc, doc, keys })
            }
            Err((loc, found)) => {
                cx.mismatch("result", &loc, "a table", found);
                None
            }
        }
    });
    let own_path = path.as_ref().map(|p| p.value.as_str());
    let examples = super::examples::examples(cx, &name.value, own_path, r.examples);
    RequestDecl {
        name,
        section: section.to_string(),
        summary,
        docs,
        kind,
        effect,
        costs,
        changes,
        auth,
        deprecated,
        alias_of,
        extension,
        path,
        method,
        tld_from,
        params,
        include,
        returns,
        result,
        examples,
        non_alias_keys,
    }
}

fn includes(cx: &mut Cx<'_, '_>, value: Tables<raw::Include>) -> Vec<IncludeDecl> {
    let mut out = Vec::new();
    for item in cx
        .want("include", value, "an array")
        .map(|a| a.0)
        .unwrap_or_default()
    {
        let loc = cx.loc(item.span.clone());
        match item.value {
            Ok(raw::Include::Name(value)) => out.push(IncludeDecl {
                name: Str { value, loc },
                optional: false,
            }),
            Ok(raw::Include::Table(table)) => {
                match cx.enter(table.at(item.span), "an include", None) {
                    Ok(mut e) => {
                        let name = e.cx.req_str("fieldset", e.value.fieldset);
                        let optional = e.cx.bool("optional", e.value.optional, false);
                        out.extend(name.map(|name| IncludeDecl { name, optional }));
                    }
                    Err((loc, found)) => bad_include(cx, &loc, found),
                }
            }
            Err(found) => bad_include(cx, &loc, found),
        }
    }
    out
}

fn bad_include(cx: &mut Cx<'_, '_>, loc: &Loc, found: Found) {
    cx.error(
        loc,
        format!(
            "an include is a field set name or {{ fieldset = \"...\", optional = true }}, found {}",
            found.describe()
        ),
    );
}

fn returns(cx: &mut Cx<'_, '_>, r: raw::Returns) -> ReturnsDecl {
    let loc: Loc = cx.anchor().clone();
    let body = cx.str("body", r.body);
    let doc = cx.text("doc", r.doc);
    let headers = fields(cx, "headers", r.headers, "a header");
    let columns = fields(cx, "columns", r.columns, "a column");
    let keys = fields(cx, "keys", r.keys, "a key");
    let extra_columns = cx.tables(
        "extra_columns",
        r.extra_columns,
        "extra columns",
        |cx, e| {
            let flag = cx.req_str("flag", e.flag);
            let cols = fields(cx, "columns", e.columns, "a column");
            flag.map(|flag| (flag, cols))
        },
    );
    let separator = cx.str("separator", r.separator);
    let field = cx.str("field", r.field);
    let by = cx.str("by", r.by);
    let cases = cx.tables("cases", r.cases, "an answer case", |cx, c| {
        Some(returns(cx, c))
    });
    let when = cx.str("when", r.when);
    let status = cx.int("status", r.status);
    ReturnsDecl {
        status,
        by,
        cases,
        when,
        loc,
        body,
        doc,
        headers,
        columns,
        extra_columns,
        separator,
        keys,
        field,
    }
}
