//! What a request returns: the body kind and its headers, columns and keys.

use std::collections::BTreeMap;

use super::decl::{FieldDecl, RequestDecl, ReturnsDecl};
use super::located::{Field, Located, Param, Returns, text};
use super::types::{Types, keyword};
use crate::diag::{Loc, Sink};
use crate::ident;
use crate::model::{BodyKind, FieldMeta, RequestKind, ResultMeta, Separator, ValueType};

/// The Rust name of the payload field when the output also carries headers.
const PAYLOAD: &str = "payload";

/// Rust names already taken in an output, with where.
type Names = BTreeMap<String, Loc>;

/// The returns of a request (nothing when it declares none).
pub(crate) fn resolve_returns(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RequestDecl,
    kind: RequestKind,
    params: &[Param],
) -> Option<Returns> {
    let Some(rr) = &r.returns else {
        return Some(returns(
            BodyKind::None,
            String::new(),
            Separator::Whitespace,
        ));
    };
    if let Some(w) = &rr.when {
        sink.error(&w.loc, "`when` belongs to an item of `cases`");
    }
    let mut out = match &rr.by {
        Some(by) => resolve_cases(sink, types, r, rr, by, kind, params),
        None => {
            if !rr.cases.is_empty() {
                sink.error(
                    &rr.loc,
                    "`cases` needs `by`: the parameter whose value chooses one",
                );
            }
            resolve_shape(sink, types, r, rr, kind, params)
        }
    }?;
    out.status = status(sink, rr);
    Some(out)
}

/// `status = 1000`: a status code (checked against the protocol's success codes once both are
/// read), on the answer itself, not on a case.
fn status(sink: &mut Sink<'_>, rr: &ReturnsDecl) -> Option<u16> {
    for case in &rr.cases {
        if let Some((_, loc)) = &case.status {
            sink.error(loc, "`status` belongs to the answer, not to a case");
        }
    }
    let (code, loc) = rr.status.as_ref()?;
    match u16::try_from(*code) {
        Ok(code) if code <= 9999 => Some(code),
        _ => {
            let why = format!("`status` must be a status code (0 to 9999), found {code}");
            sink.error(loc, why);
            None
        }
    }
}

/// An answer chosen by the value of parameter `by`: one case per value of that enum.
fn resolve_cases(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RequestDecl,
    rr: &ReturnsDecl,
    by: &crate::load::decl::Str,
    kind: RequestKind,
    params: &[Param],
) -> Option<Returns> {
    if kind == RequestKind::Async {
        sink.error(
            &by.loc,
            "an async request answers only `Proc-ID`: it has no `by`",
        );
    }
    let declared = [
        ("body", rr.body.as_ref().map(|b| &b.loc)),
        ("separator", rr.separator.as_ref().map(|b| &b.loc)),
        ("field", rr.field.as_ref().map(|b| &b.loc)),
        ("headers", rr.headers.first().map(|f| &f.name.loc)),
        ("columns", rr.columns.first().map(|f| &f.name.loc)),
        ("keys", rr.keys.first().map(|f| &f.name.loc)),
        ("extra_columns", rr.extra_columns.first().map(|f| &f.0.loc)),
    ];
    for (key, loc) in declared {
        if let Some(loc) = loc {
            sink.error(
                loc,
                format!("an answer chosen by `by` declares its shapes in `cases`, not `{key}`"),
            );
        }
    }
    let values: Vec<&str> = match params.iter().find(|p| p.name == by.value) {
        Some(p) if p.required && p.default.is_none() => match &p.ty {
            ValueType::Enum { values, .. } => values.iter().map(|v| &**v).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    if values.is_empty() {
        sink.error(
            &by.loc,
            format!(
                "`by` names `{}`, which is not a required enum parameter (without a default) of `{}`",
                by.value, r.name.value
            ),
        );
        return None;
    }
    let mut out = returns(BodyKind::None, rr.doc.clone(), Separator::Whitespace);
    out.by = Some(by.value.clone());
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    for case in &rr.cases {
        if let Some(b) = &case.by {
            sink.error(
                &b.loc,
                "a case cannot be chosen again: `by` belongs to the answer",
            );
        }
        if let Some(c) = case.cases.first() {
            sink.error(&c.loc, "a case cannot have `cases` of its own");
        }
        let Some(when) = &case.when else {
            sink.error(
                &case.loc,
                "an answer case is missing the required key `when`",
            );
            continue;
        };
        if !values.contains(&when.value.as_str()) {
            sink.error(
                &when.loc,
                format!(
                    "`{}` is not a value of `{}` (one of: {}){}",
                    when.value,
                    by.value,
                    values.join(", "),
                    crate::load::suggest::hint(&when.value, &values)
                ),
            );
            continue;
        }
        if let Some(first) = seen.insert(when.value.clone(), when.loc.clone()) {
            sink.error(
                &when.loc,
                format!(
                    "the case `{}` is declared twice (first at {})",
                    when.value,
                    sink.describe(&first)
                ),
            );
            continue;
        }
        if let Some(shape) = resolve_shape(sink, types, r, case, kind, params) {
            out.cases.push((when.value.clone(), shape));
        }
    }
    let missing: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| !seen.contains_key(*v))
        .collect();
    if !missing.is_empty() {
        sink.error(
            &by.loc,
            format!(
                "`cases` lacks the answer to `{}` = {}: every value needs its case",
                by.value,
                missing.join(", ")
            ),
        );
    }
    // Cases in the order of the parameter's values.
    out.cases
        .sort_by_key(|(when, _)| values.iter().position(|v| v == when));
    Some(out)
}

/// One shape of answer: the body and its headers, columns and keys.
fn resolve_shape(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RequestDecl,
    rr: &ReturnsDecl,
    kind: RequestKind,
    params: &[Param],
) -> Option<Returns> {
    let body = keyword(
        sink,
        rr.body.as_ref(),
        "body",
        BodyKind::None,
        &[
            ("none", BodyKind::None),
            ("lines", BodyKind::Lines),
            ("key-value", BodyKind::KeyValue),
            ("table", BodyKind::Table),
            ("zone", BodyKind::Zone),
            ("results", BodyKind::Results),
            ("text", BodyKind::Text),
        ],
    )?;
    check_body(sink, rr, kind, body);
    let separator = keyword(
        sink,
        rr.separator.as_ref(),
        "separator",
        Separator::Whitespace,
        &[
            ("whitespace", Separator::Whitespace),
            ("tab", Separator::Tab),
        ],
    )
    .unwrap_or(Separator::Whitespace);
    let mut out = returns(body, rr.doc.clone(), separator);
    let mut out_names = Names::new();
    out.headers = resolve_fields(sink, types, &rr.headers, "header", &mut out_names);
    out.keys = resolve_fields(sink, types, &rr.keys, "key", &mut out_names);
    check_families(sink, &out.keys);
    if let Some(f) = &rr.field {
        out.field = f.value.clone();
    }
    if !out.headers.is_empty() && body != BodyKind::KeyValue {
        check_payload_field(sink, rr, &out.field, &mut out_names);
    }
    let mut col_names = Names::new();
    out.columns = resolve_fields(sink, types, &rr.columns, "column", &mut col_names);
    for (flag, cols) in &rr.extra_columns {
        match params.iter().find(|p| p.name == flag.value) {
            None => sink.error(
                &flag.loc,
                format!(
                    "extra columns depend on `{}`, which is not a parameter of `{}`",
                    flag.value, r.name.value
                ),
            ),
            Some(p) if !matches!(p.ty, ValueType::Flag(_)) => sink.error(
                &flag.loc,
                format!(
                    "extra columns depend on `{}`, which is not a flag",
                    flag.value
                ),
            ),
            Some(_) => {}
        }
        let columns = resolve_fields(sink, types, cols, "column", &mut col_names);
        out.extra_columns.push((flag.value.clone(), columns));
    }
    let all: Vec<&Field> = out
        .columns
        .iter()
        .chain(out.extra_columns.iter().flat_map(|(_, c)| c))
        .collect();
    super::registry::check_domain_column(sink, &out.columns, &all);
    Some(out)
}

/// What the fields of a queued request's result are called in errors.
const RESULT_KEY: &str = "result key";

/// The result of a queued request: its keys, all optional, none an inline enum (a result is read
/// into a plain struct that servers fill in).
pub(crate) fn resolve_result(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RequestDecl,
    kind: RequestKind,
) -> ResultMeta {
    let Some(rd) = &r.result else {
        return ResultMeta::EMPTY;
    };
    if kind != RequestKind::Async {
        sink.error(
            &rd.loc,
            format!(
                "`{}` is not queued: only an async request has a `result`",
                r.name.value
            ),
        );
    }
    // The names of the struct's own field `all` and of the keys share one namespace.
    let mut names = Names::new();
    names.insert(ALL.into(), rd.loc.clone());
    let keys = resolve_fields(sink, types, &rd.keys, RESULT_KEY, &mut names);
    for (k, d) in keys.iter().zip(&rd.keys) {
        if k.required {
            sink.error(
                &k.loc,
                format!(
                    "result key `{}` cannot be `required`: results are free-form, every key is optional",
                    k.name
                ),
            );
        }
        if matches!(k.ty, ValueType::Enum { name: None, .. }) {
            sink.error(
                &d.ty.base.loc,
                format!(
                    "result key `{}` cannot be an enum: declare it a `string`",
                    k.name
                ),
            );
        }
    }
    ResultMeta {
        doc: text(&rd.doc),
        keys: keys.into_iter().map(|k| k.meta).collect(),
    }
}

/// The field of a result struct that keeps every key.
const ALL: &str = "all";

/// The model of returns without fields (they are filled in after).
fn returns(body: BodyKind, doc: String, separator: Separator) -> Returns {
    Returns {
        body,
        doc,
        headers: Vec::new(),
        columns: Vec::new(),
        extra_columns: Vec::new(),
        separator,
        keys: Vec::new(),
        field: PAYLOAD.into(),
        by: None,
        cases: Vec::new(),
        status: None,
    }
}

/// Which keys go with which body, and what an async request may answer.
fn check_body(sink: &mut Sink<'_>, rr: &ReturnsDecl, kind: RequestKind, body: BodyKind) {
    if kind == RequestKind::Async && body != BodyKind::None {
        sink.error(
            &rr.loc,
            "an async request answers only `Proc-ID`; its `body` must be `none` (the outcome comes from result-retrieve)",
        );
    }
    if body != BodyKind::Table {
        if let Some(c) = rr.columns.first() {
            sink.error(&c.name.loc, "`columns` only applies to `body = \"table\"`");
        }
        if let Some((f, _)) = rr.extra_columns.first() {
            sink.error(&f.loc, "`extra_columns` only applies to `body = \"table\"`");
        }
        if let Some(s) = &rr.separator {
            sink.error(&s.loc, "`separator` only applies to `body = \"table\"`");
        }
    } else if rr.columns.is_empty() {
        sink.error(&rr.loc, "a table needs `columns`");
    }
    if body != BodyKind::KeyValue
        && let Some(k) = rr.keys.first()
    {
        sink.error(&k.name.loc, "`keys` only applies to `body = \"key-value\"`");
    }
}

/// The payload field sits beside the headers: it needs a Rust name of its own.
fn check_payload_field(sink: &mut Sink<'_>, rr: &ReturnsDecl, field: &str, names: &mut Names) {
    let l = rr.field.as_ref().map_or(&rr.loc, |f| &f.loc);
    match ident::snake_case(field) {
        None => sink.error(l, format!("`field` `{field}` has no letters or digits")),
        Some(id) => {
            if let Some(first) = names.insert(id.clone(), l.clone()) {
                sink.error(
                    l,
                    format!(
                        "payload field `{id}` is already used at {}",
                        sink.describe(&first)
                    ),
                );
            }
        }
    }
}

fn resolve_fields(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    decls: &[FieldDecl],
    what: &str,
    names: &mut Names,
) -> Vec<Field> {
    decls
        .iter()
        .filter_map(|f| resolve_field(sink, types, f, what, names))
        .collect()
}

fn resolve_field(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    f: &FieldDecl,
    what: &str,
    names: &mut Names,
) -> Option<Field> {
    let ty = types.resolve(sink, &f.ty)?;
    let named = match &ty {
        ValueType::List { item, .. } => item,
        ty => ty,
    };
    if let ValueType::Enum { name: Some(n), .. } = named
        && types.open_enum(named).is_none()
    {
        sink.error(
            &f.ty.base.loc,
            format!(
                "{what} `{}` uses the closed enum `{n}`; answer values need an open one (`open = true` on the type) or an inline one (`type = \"enum\", values = [...]`), which keep unknown values",
                f.name.value
            ),
        );
    }
    if matches!(ty, ValueType::Secret) && what != "header" && what != RESULT_KEY {
        sink.error(
            &f.ty.base.loc,
            format!(
                "{what} `{}`: only headers and result keys may be `secret`",
                f.name.value
            ),
        );
    }
    let quoted = match &f.quoted {
        Some((true, loc)) if what == "column" => {
            sink.error(loc, "`quoted` applies to keys and headers, not to a column");
            false
        }
        Some((q, _)) => *q,
        None => false,
    };
    let field = f.field.as_ref().unwrap_or(&f.name);
    match ident::snake_case(&field.value) {
        None => sink.error(
            &field.loc,
            format!(
                "{what} `{}` has no letters or digits to name it in Rust",
                field.value
            ),
        ),
        Some(id) => {
            if let Some(first) = names.insert(id.clone(), field.loc.clone()) {
                sink.error(
                    &field.loc,
                    format!(
                        "{what} `{}` becomes the Rust field `{id}`, already used at {}",
                        field.value,
                        sink.describe(&first)
                    ),
                );
            }
        }
    }
    let family = family_prefix(sink, f, what, quoted);
    let repeated = repeated(sink, f, what, family.is_some());
    let registry = super::registry::registry(sink, f, what, &ty);
    let meta = FieldMeta {
        name: text(&f.name.value),
        field: text(&field.value),
        ty,
        doc: text(&f.doc),
        required: f.required,
        none: none_marker(sink, f, what).map(text),
        quoted,
        family: family.map(text),
        repeated,
        registry,
    };
    Some(Located {
        meta,
        loc: f.name.loc.clone(),
    })
}

/// The prefix of a key family, a key named `<prefix><placeholder>` (`domain-price-<type>`):
/// only among key-value `keys`, never required or quoted.
fn family_prefix(sink: &mut Sink<'_>, f: &FieldDecl, what: &str, quoted: bool) -> Option<String> {
    let name = &f.name.value;
    let open = name.find(['<', '>'])?;
    let loc = &f.name.loc;
    let placeholder = &name[open..];
    let prefix = &name[..open];
    let well_formed = placeholder.len() > 2
        && placeholder.starts_with('<')
        && placeholder.ends_with('>')
        && placeholder[1..placeholder.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !well_formed || prefix.trim().is_empty() {
        sink.error(
            loc,
            format!(
                "`{name}`: a key family is named `<prefix><placeholder>`, like `domain-price-<type>`: a non-empty prefix, then one placeholder at the end"
            ),
        );
        return None;
    }
    if what != "key" {
        sink.error(
            loc,
            format!("`{name}`: only a key of a key-value answer can be a family, not a {what}"),
        );
        return None;
    }
    if f.required {
        sink.error(
            loc,
            format!(
                "key family `{name}` cannot be `required`: an answer may have none of its keys"
            ),
        );
    }
    if quoted {
        sink.error(
            loc,
            format!("`quoted` does not apply to the key family `{name}`"),
        );
    }
    Some(prefix.to_owned())
}

/// `repeated = true`: only on a key of a key-value answer that is neither required nor a
/// family (a family holds every line of its keys already).
fn repeated(sink: &mut Sink<'_>, f: &FieldDecl, what: &str, family: bool) -> bool {
    let Some((true, loc)) = &f.repeated else {
        return false;
    };
    let name = &f.name.value;
    let why = if what != "key" {
        format!("`repeated` applies to keys of a key-value answer, not to the {what} `{name}`")
    } else if f.required {
        format!("the repeated key `{name}` cannot be `required`: an answer may have none of it")
    } else if family {
        format!("the key family `{name}` holds every line of its keys already: no `repeated`")
    } else {
        return true;
    };
    sink.error(loc, why);
    false
}

/// Two key families whose prefixes overlap would both claim a key.
fn check_families(sink: &mut Sink<'_>, keys: &[Field]) {
    let families: Vec<(&Field, String)> = keys
        .iter()
        .filter_map(|k| Some((k, k.meta.family.as_deref()?.to_ascii_lowercase())))
        .collect();
    for (i, (k, p)) in families.iter().enumerate() {
        if let Some((first, _)) = families[..i]
            .iter()
            .find(|(_, q)| p.starts_with(q.as_str()) || q.starts_with(p.as_str()))
        {
            sink.error(
                &k.loc,
                format!(
                    "key family `{}` overlaps `{}` (at {}): a key would belong to both",
                    k.meta.name,
                    first.meta.name,
                    sink.describe(&first.loc)
                ),
            );
        }
    }
}

/// `none = "-"`: only on columns, and a visible marker.
fn none_marker(sink: &mut Sink<'_>, f: &FieldDecl, what: &str) -> Option<String> {
    let none = f.none.as_ref()?;
    if what != "column" {
        sink.error(
            &none.loc,
            format!("`none` only applies to table columns, not to a {what}"),
        );
    } else if none.value.is_empty() || none.value.chars().any(char::is_whitespace) {
        sink.error(
            &none.loc,
            "`none` must be a non-empty marker without whitespace, e.g. \"-\"",
        );
    } else {
        return Some(none.value.clone());
    }
    None
}
