//! Reads spec files into raw, located structures, then checks and resolves them into
//! the [`Spec`] model. Every problem is collected; nothing stops at the first error.

use std::collections::{BTreeMap, HashMap};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostics, Loc, Sink, SourceFile};
use crate::ident;
use crate::model::*;
use crate::reader::{Str, TableReader, closest, str_item, type_name};

/// Built-in type names of the spec language.
pub const BUILTIN_TYPES: &[&str] = &[
    "string", "text", "secret", "domain", "handle", "email", "pattern", "country", "language",
    "date", "months", "year", "price", "ipv4", "ipv6", "int", "enum", "flag", "list", "zone",
];

/// Method names a parameter's setter must not take.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "encode",
    "meta",
    "parse_output",
    "to_form",
    "validate",
];

#[derive(Clone, Debug)]
struct RawType {
    base: Str,
    values: Option<Vec<Str>>,
    spelling: Option<Str>,
    item: Option<Str>,
    delimiter: Option<Str>,
    min: Option<(i64, Loc)>,
    max: Option<(i64, Loc)>,
}

#[derive(Clone, Debug)]
struct RawCond {
    tlds: Vec<Str>,
    params: Vec<(Str, Vec<Str>)>,
}

#[derive(Clone, Debug)]
struct RawParam {
    name: Str,
    ty: RawType,
    doc: String,
    secret: bool,
    allow_empty: bool,
    deprecated: Option<String>,
    indexed: Option<(i64, Loc)>,
    required_when: Vec<RawCond>,
    default: Option<Str>,
    example: Option<Str>,
}

#[derive(Clone, Debug)]
struct RawGroup {
    name: Str,
    kind: Str,
    alternatives: Vec<Vec<Str>>,
    doc: String,
}

#[derive(Clone, Debug, Default)]
struct RawParams {
    requires: Vec<RawParam>,
    accepts: Vec<RawParam>,
    groups: Vec<RawGroup>,
}

#[derive(Clone, Debug)]
struct RawInclude {
    name: Str,
    optional: bool,
}

#[derive(Clone, Debug)]
struct RawField {
    name: Str,
    field: Option<Str>,
    ty: RawType,
    doc: String,
    required: bool,
    /// A column value that means "absent" (`-` in query-ns-list).
    none: Option<Str>,
}

#[derive(Clone, Debug)]
struct RawReturns {
    loc: Loc,
    body: Option<Str>,
    doc: String,
    headers: Vec<RawField>,
    columns: Vec<RawField>,
    extra_columns: Vec<(Str, Vec<RawField>)>,
    separator: Option<Str>,
    keys: Vec<RawField>,
    field: Option<Str>,
}

#[derive(Clone, Debug)]
struct RawRequest {
    name: Str,
    section: String,
    summary: String,
    docs: String,
    kind: Option<Str>,
    costs: bool,
    changes: bool,
    auth: bool,
    deprecated: Option<String>,
    alias_of: Option<Str>,
    extension: Option<String>,
    tld_from: Option<Str>,
    params: RawParams,
    include: Vec<RawInclude>,
    returns: Option<RawReturns>,
    /// Keys that an alias must not carry, with their locations.
    non_alias_keys: Vec<(String, Loc)>,
}

#[derive(Clone, Debug)]
struct RawFieldset {
    name: Str,
    params: RawParams,
}

#[derive(Clone, Debug)]
struct RawNamedType {
    name: Str,
    doc: String,
    ty: RawType,
}

#[derive(Default)]
struct Raw {
    types: Vec<RawNamedType>,
    fieldsets: Vec<RawFieldset>,
    requests: Vec<RawRequest>,
    /// The `[session]` tables (one allowed), with where each is.
    sessions: Vec<(Loc, Vec<(&'static str, Str)>)>,
}

/// Keys of the `[session]` table: how a client opens, carries and uses a session.
const SESSION_KEYS: [&str; 25] = [
    "production",
    "ote",
    "path",
    "param",
    "login",
    "username",
    "password",
    "api_key",
    "logout",
    "sid_header",
    "timeout_header",
    "access_header",
    "cookie",
    "access_full",
    "access_read_only",
    "access_modify_only",
    "result",
    "result_id",
    "results",
    "results_type",
    "results_object",
    "results_pending",
    "status_key",
    "ack",
    "nack",
];

/// Loads, checks and resolves spec files (in the order given).
pub fn load(files: Vec<SourceFile>) -> Result<Spec, Diagnostics> {
    let spec = {
        let mut sink = Sink::new(&files);
        let mut raw = Raw::default();
        for (i, file) in files.iter().enumerate() {
            read_file(&mut sink, i, file, &mut raw);
        }
        let session = resolve_session(&mut sink, &raw);
        let spec = resolve(&mut sink, raw);
        let session = session.filter(|s| check_session(&mut sink, s, &spec.0));
        (spec, session, sink.finish())
    };
    let (spec, session, diags) = (spec.0, spec.1, spec.2);
    if diags.0.is_empty() {
        Ok(Spec {
            files,
            requests: spec.0,
            enums: spec.1,
            session: session.map(|s| s.0),
        })
    } else {
        Err(diags)
    }
}

fn loc(file: usize, span: std::ops::Range<usize>) -> Loc {
    Loc { file, span }
}

fn read_file(sink: &mut Sink<'_>, fi: usize, file: &SourceFile, raw: &mut Raw) {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    let had_errors = !errors.is_empty();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        sink.error(&loc(fi, span), format!("TOML syntax: {}", e.message()));
    }
    if had_errors {
        return;
    }
    let top = doc.get_ref();
    let mut r = TableReader::new(fi, top, loc(fi, 0..0), "the file");
    let section = r.str(sink, "section");
    if section.is_none() && top.contains_key("request") {
        sink.error(
            &r.key_loc("request").unwrap_or_else(|| loc(fi, 0..0)),
            "a file with requests needs `section = \"<docs section title>\"` at the top",
        );
    }
    let section = section.map(|s| s.value).unwrap_or_default();
    for_each_entry(sink, &mut r, "type", |sink, name, t, anchor| {
        let mut tr = TableReader::new(fi, t, anchor, format!("type `{}`", name.value));
        let doc = tr.str(sink, "doc").map(|s| s.value).unwrap_or_default();
        if let Some(ty) = read_type(sink, &mut tr, "base") {
            raw.types.push(RawNamedType { name, doc, ty });
        }
        tr.finish(sink);
    });
    for_each_entry(sink, &mut r, "fieldset", |sink, name, t, anchor| {
        let mut fr = TableReader::new(fi, t, anchor, format!("field set `{}`", name.value));
        fr.str(sink, "doc");
        let params = read_params(sink, &mut fr);
        fr.finish(sink);
        raw.fieldsets.push(RawFieldset { name, params });
    });
    for_each_entry(sink, &mut r, "request", |sink, name, t, anchor| {
        if let Some(req) = read_request(sink, fi, &section, name, t, anchor) {
            raw.requests.push(req);
        }
    });
    if let Some((t, at)) = r.table(sink, "session") {
        let mut sr = TableReader::new(fi, t, at.clone(), "the session table");
        sr.str(sink, "doc");
        let fields = SESSION_KEYS
            .iter()
            .filter_map(|k| sr.req_str(sink, k).map(|v| (*k, v)))
            .collect();
        sr.finish(sink);
        raw.sessions.push((at, fields));
    }
    r.finish(sink);
}

/// The session facts, with the location of each value (for [`check_session`]).
struct ResolvedSession(Session, Vec<(&'static str, Loc)>);

fn resolve_session(sink: &mut Sink<'_>, raw: &Raw) -> Option<ResolvedSession> {
    let (at, fields) = raw.sessions.first()?;
    if let Some((again, _)) = raw.sessions.get(1) {
        sink.error(
            again,
            format!(
                "`[session]` is defined twice (first at {})",
                sink.describe(at)
            ),
        );
    }
    if fields.len() != SESSION_KEYS.len() {
        return None; // the missing keys were reported
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.value.clone())
            .unwrap_or_default()
    };
    let session = Session {
        production: get("production"),
        ote: get("ote"),
        path: get("path"),
        param: get("param"),
        login: get("login"),
        username: get("username"),
        password: get("password"),
        api_key: get("api_key"),
        logout: get("logout"),
        sid_header: get("sid_header"),
        timeout_header: get("timeout_header"),
        access_header: get("access_header"),
        cookie: get("cookie"),
        access_full: get("access_full"),
        access_read_only: get("access_read_only"),
        access_modify_only: get("access_modify_only"),
        result: get("result"),
        result_id: get("result_id"),
        results: get("results"),
        results_type: get("results_type"),
        results_object: get("results_object"),
        results_pending: get("results_pending"),
        status_key: get("status_key"),
        ack: get("ack"),
        nack: get("nack"),
    };
    let locs = fields.iter().map(|(k, v)| (*k, v.loc.clone())).collect();
    Some(ResolvedSession(session, locs))
}

/// The session's requests and parameters must exist; its parameter must not be declared.
fn check_session(sink: &mut Sink<'_>, s: &ResolvedSession, requests: &[Request]) -> bool {
    let errors = sink.count();
    let at = |k: &str| {
        s.1.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    let find = |name: &str| requests.iter().find(|r| r.name == name);
    let ses = &s.0;
    for (key, request, params) in [
        (
            "login",
            &ses.login,
            vec![
                ("username", &ses.username),
                ("password", &ses.password),
                ("api_key", &ses.api_key),
            ],
        ),
        ("logout", &ses.logout, vec![]),
        ("result", &ses.result, vec![("result_id", &ses.result_id)]),
        (
            "results",
            &ses.results,
            vec![
                ("results_type", &ses.results_type),
                ("results_object", &ses.results_object),
                ("results_pending", &ses.results_pending),
            ],
        ),
    ] {
        match find(request) {
            None => sink.error(
                &at(key),
                format!("session `{key}` names `{request}`, which is not a request"),
            ),
            Some(r) => {
                for (pk, p) in params {
                    if r.param(p).is_none() {
                        sink.error(&at(pk), format!("session `{pk}` names `{p}`, which is not a parameter of `{request}`"));
                    }
                }
            }
        }
    }
    if find(&ses.login).is_some_and(|r| r.auth) {
        sink.error(
            &at("login"),
            format!("the login request `{}` must have `auth = false`", ses.login),
        );
    }
    for r in requests {
        if let Some(p) = r.param(&ses.param) {
            sink.error(
                &p.loc,
                format!(
                    "`{}` is the session parameter (see `[session]`); requests must not declare it",
                    ses.param
                ),
            );
        }
    }
    for (key, url) in [("production", &ses.production), ("ote", &ses.ote)] {
        if !url.starts_with("https://") {
            sink.error(&at(key), format!("session `{key}` must be an https:// URL"));
        }
    }
    sink.count() == errors
}

/// Calls `f` for every `[key.<name>]` sub-table.
fn for_each_entry<'t, 'i>(
    sink: &mut Sink<'_>,
    r: &mut TableReader<'t, 'i>,
    key: &'static str,
    mut f: impl FnMut(&mut Sink<'_>, Str, &'t DeTable<'i>, Loc),
) {
    let Some((table, _)) = r.table(sink, key) else {
        return;
    };
    for (k, v) in table.iter() {
        let kloc = r.loc(k.span());
        let name = Str {
            value: k.get_ref().to_string(),
            loc: kloc.clone(),
        };
        match v.get_ref() {
            DeValue::Table(t) => f(sink, name, t, kloc),
            other => sink.error(
                &r.loc(v.span()),
                format!(
                    "`{key}.{}` must be a table, found {}",
                    name.value,
                    type_name(other)
                ),
            ),
        }
    }
}

fn read_type(
    sink: &mut Sink<'_>,
    r: &mut TableReader<'_, '_>,
    base_key: &'static str,
) -> Option<RawType> {
    let base = r.req_str(sink, base_key);
    let values = r.str_array(sink, "values");
    let spelling = r.str(sink, "spelling");
    let item = r.str(sink, "item");
    let delimiter = r.str(sink, "delimiter");
    let min = r.int(sink, "min");
    let max = r.int(sink, "max");
    Some(RawType {
        base: base?,
        values,
        spelling,
        item,
        delimiter,
        min,
        max,
    })
}

/// Reads a `[...]` array of inline tables, calling `f` with a reader for each.
fn for_each_table<'t, 'i>(
    sink: &mut Sink<'_>,
    r: &mut TableReader<'t, 'i>,
    key: &'static str,
    what: &str,
    mut f: impl FnMut(&mut Sink<'_>, &mut TableReader<'t, 'i>),
) {
    let file = r.anchor().file;
    let Some(items) = r.array(sink, key) else {
        return;
    };
    for item in items {
        match item.get_ref() {
            DeValue::Table(t) => {
                let mut ir = TableReader::new(file, t, loc(file, item.span()), what);
                f(sink, &mut ir);
                ir.finish(sink);
            }
            other => sink.error(
                &loc(file, item.span()),
                format!(
                    "items of `{key}` in {} must be tables ({what}), found {}",
                    r.what(),
                    type_name(other)
                ),
            ),
        }
    }
}

fn read_params(sink: &mut Sink<'_>, r: &mut TableReader<'_, '_>) -> RawParams {
    let mut out = RawParams::default();
    for (key, list) in [
        ("requires", &mut out.requires),
        ("accepts", &mut out.accepts),
    ] {
        for_each_table(sink, r, key, "a parameter", |sink, pr| {
            if let Some(p) = read_param(sink, pr) {
                list.push(p);
            }
        });
    }
    for_each_table(sink, r, "groups", "a group", |sink, gr| {
        if let Some(g) = read_group(sink, gr) {
            out.groups.push(g);
        }
    });
    out
}

fn read_param(sink: &mut Sink<'_>, r: &mut TableReader<'_, '_>) -> Option<RawParam> {
    let name = r.req_str(sink, "name");
    let ty = read_type(sink, r, "type");
    let doc = r.str(sink, "doc").map(|s| s.value).unwrap_or_default();
    let secret = r.bool(sink, "secret").unwrap_or(false);
    let allow_empty = r.bool(sink, "allow_empty").unwrap_or(false);
    let deprecated = r.str(sink, "deprecated").map(|s| s.value);
    let indexed = r.int(sink, "indexed");
    let default = r.str(sink, "default");
    let example = r.str(sink, "example");
    let required_when = read_conditions(sink, r);
    Some(RawParam {
        name: name?,
        ty: ty?,
        doc,
        secret,
        allow_empty,
        deprecated,
        indexed,
        required_when,
        default,
        example,
    })
}

fn read_conditions(sink: &mut Sink<'_>, r: &mut TableReader<'_, '_>) -> Vec<RawCond> {
    let file = r.anchor().file;
    let Some(v) = r.value("required_when") else {
        return Vec::new();
    };
    let items: Vec<&Spanned<DeValue<'_>>> = match v.get_ref() {
        DeValue::Array(a) => a.iter().collect(),
        _ => vec![v],
    };
    let mut out = Vec::new();
    for item in items {
        let DeValue::Table(t) = item.get_ref() else {
            sink.error(
                &loc(file, item.span()),
                format!(
                    "`required_when` must be a table like {{ tld = [\"fi\"], params = {{ x-ficora-type = [\"company\"] }} }} or an array of them, found {}",
                    type_name(item.get_ref())
                ),
            );
            continue;
        };
        let mut cr = TableReader::new(
            file,
            t,
            loc(file, item.span()),
            "a `required_when` condition",
        );
        let tlds = cr.str_array(sink, "tld").unwrap_or_default();
        let mut params = Vec::new();
        if let Some((pt, _)) = cr.table(sink, "params") {
            for (k, pv) in pt.iter() {
                let key = Str {
                    value: k.get_ref().to_string(),
                    loc: loc(file, k.span()),
                };
                let values: Vec<Str> = match pv.get_ref() {
                    DeValue::Array(a) => a
                        .iter()
                        .filter_map(|i| str_item(sink, file, i, &key.value, "a condition"))
                        .collect(),
                    _ => str_item(sink, file, pv, &key.value, "a condition")
                        .into_iter()
                        .collect(),
                };
                params.push((key, values));
            }
        }
        if tlds.is_empty() && params.is_empty() {
            sink.error(
                &loc(file, item.span()),
                "a `required_when` condition needs `tld` and/or `params`",
            );
        }
        cr.finish(sink);
        out.push(RawCond { tlds, params });
    }
    out
}

fn read_group(sink: &mut Sink<'_>, r: &mut TableReader<'_, '_>) -> Option<RawGroup> {
    let file = r.anchor().file;
    let name = r.req_str(sink, "name");
    let kind = r.req_str(sink, "kind");
    let doc = r.str(sink, "doc").map(|s| s.value).unwrap_or_default();
    let mut alternatives = Vec::new();
    let present = r.key_loc("alternatives").is_some();
    if let Some(items) = r.array(sink, "alternatives") {
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => alternatives.push(vec![Str {
                    value: s.to_string(),
                    loc: loc(file, item.span()),
                }]),
                DeValue::Array(a) => alternatives.push(
                    a.iter()
                        .filter_map(|i| str_item(sink, file, i, "alternatives", "a group"))
                        .collect(),
                ),
                other => sink.error(
                    &loc(file, item.span()),
                    format!(
                        "an alternative is a parameter name or an array of names, found {}",
                        type_name(other)
                    ),
                ),
            }
        }
    } else if !present {
        r.missing(sink, "alternatives");
    }
    Some(RawGroup {
        name: name?,
        kind: kind?,
        alternatives,
        doc,
    })
}

fn read_field(sink: &mut Sink<'_>, r: &mut TableReader<'_, '_>) -> Option<RawField> {
    let name = r.req_str(sink, "name");
    let field = r.str(sink, "field");
    let ty = read_type(sink, r, "type");
    let doc = r.str(sink, "doc").map(|s| s.value).unwrap_or_default();
    let required = r.bool(sink, "required").unwrap_or(false);
    let none = r.str(sink, "none");
    Some(RawField {
        name: name?,
        field,
        ty: ty?,
        doc,
        required,
        none,
    })
}

fn read_fields(
    sink: &mut Sink<'_>,
    r: &mut TableReader<'_, '_>,
    key: &'static str,
    what: &str,
) -> Vec<RawField> {
    let mut out = Vec::new();
    for_each_table(sink, r, key, what, |sink, fr| {
        if let Some(f) = read_field(sink, fr) {
            out.push(f);
        }
    });
    out
}

fn read_request(
    sink: &mut Sink<'_>,
    fi: usize,
    section: &str,
    name: Str,
    t: &DeTable<'_>,
    anchor: Loc,
) -> Option<RawRequest> {
    let mut r = TableReader::new(fi, t, anchor, format!("request `{}`", name.value));
    let summary = r
        .req_str(sink, "summary")
        .map(|s| s.value)
        .unwrap_or_default();
    let docs = r.str(sink, "docs").map(|s| s.value).unwrap_or_default();
    let deprecated = r.str(sink, "deprecated").map(|s| s.value);
    let alias_of = r.str(sink, "alias_of");
    let extension = r.str(sink, "extension").map(|s| s.value);
    let non_alias_keys: Vec<(String, Loc)> = [
        "kind", "costs", "changes", "auth", "tld_from", "requires", "accepts", "groups", "include",
        "returns",
    ]
    .iter()
    .filter_map(|k| r.key_loc(k).map(|l| (k.to_string(), l)))
    .collect();
    let kind = r.str(sink, "kind");
    let costs = r.bool(sink, "costs").unwrap_or(false);
    // Unmarked requests count as changing state: the safe side for retries and access levels.
    let changes = r.bool(sink, "changes").unwrap_or(true);
    if costs
        && !changes
        && let Some(l) = r.key_loc("changes")
    {
        sink.error(
            &l,
            format!(
                "request `{}` costs money, so it changes state: drop `changes = false`",
                name.value
            ),
        );
    }
    let auth = r.bool(sink, "auth").unwrap_or(true);
    let tld_from = r.str(sink, "tld_from");
    let params = read_params(sink, &mut r);
    let mut include = Vec::new();
    if let Some(items) = r.array(sink, "include") {
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => include.push(RawInclude {
                    name: Str {
                        value: s.to_string(),
                        loc: loc(fi, item.span()),
                    },
                    optional: false,
                }),
                DeValue::Table(it) => {
                    let mut ir = TableReader::new(fi, it, loc(fi, item.span()), "an include");
                    let n = ir.req_str(sink, "fieldset");
                    let optional = ir.bool(sink, "optional").unwrap_or(false);
                    ir.finish(sink);
                    if let Some(n) = n {
                        include.push(RawInclude { name: n, optional });
                    }
                }
                other => sink.error(
                    &loc(fi, item.span()),
                    format!(
                        "an include is a field set name or {{ fieldset = \"...\", optional = true }}, found {}",
                        type_name(other)
                    ),
                ),
            }
        }
    }
    let returns = match r.table(sink, "returns") {
        Some((rt, rloc)) => {
            let mut rr = TableReader::new(
                fi,
                rt,
                rloc.clone(),
                format!("the returns of `{}`", name.value),
            );
            let body = rr.str(sink, "body");
            let doc = rr.str(sink, "doc").map(|s| s.value).unwrap_or_default();
            let headers = read_fields(sink, &mut rr, "headers", "a header");
            let columns = read_fields(sink, &mut rr, "columns", "a column");
            let keys = read_fields(sink, &mut rr, "keys", "a key");
            let mut extra_columns = Vec::new();
            for_each_table(
                sink,
                &mut rr,
                "extra_columns",
                "extra columns",
                |sink, er| {
                    let flag = er.req_str(sink, "flag");
                    let cols = read_fields(sink, er, "columns", "a column");
                    if let Some(flag) = flag {
                        extra_columns.push((flag, cols));
                    }
                },
            );
            let separator = rr.str(sink, "separator");
            let field = rr.str(sink, "field");
            rr.finish(sink);
            Some(RawReturns {
                loc: rloc,
                body,
                doc,
                headers,
                columns,
                extra_columns,
                separator,
                keys,
                field,
            })
        }
        None => None,
    };
    r.finish(sink);
    Some(RawRequest {
        name,
        section: section.to_string(),
        summary,
        docs,
        kind,
        costs,
        changes,
        auth,
        deprecated,
        alias_of,
        extension,
        tld_from,
        params,
        include,
        returns,
        non_alias_keys,
    })
}

// ---------------------------------------------------------------------------------------
// Resolution and checks
// ---------------------------------------------------------------------------------------

struct Types<'r> {
    named: HashMap<String, &'r RawNamedType>,
}

impl Types<'_> {
    fn resolve(&self, sink: &mut Sink<'_>, raw: &RawType, depth: u8) -> Option<Type> {
        let base = raw.base.value.as_str();
        let not_for = |sink: &mut Sink<'_>, key: &str, l: &Loc, applies: &str| {
            sink.error(
                l,
                format!("`{key}` only applies to type {applies}, not `{base}`"),
            );
        };
        if base != "enum"
            && let Some(v) = raw.values.as_ref().and_then(|v| v.first())
        {
            not_for(sink, "values", &v.loc, "`enum`");
        }
        if base != "flag"
            && let Some(s) = &raw.spelling
        {
            not_for(sink, "spelling", &s.loc, "`flag`");
        }
        if base != "list" {
            for (k, v) in [("item", &raw.item), ("delimiter", &raw.delimiter)] {
                if let Some(s) = v {
                    not_for(sink, k, &s.loc, "`list`");
                }
            }
        }
        if base != "int" {
            for (k, v) in [("min", &raw.min), ("max", &raw.max)] {
                if let Some((_, l)) = v {
                    not_for(sink, k, l, "`int`");
                }
            }
        }
        Some(match base {
            "string" => Type::String,
            "text" => Type::Text,
            "secret" => Type::Secret,
            "domain" => Type::Domain,
            "handle" => Type::Handle,
            "email" => Type::Email,
            "pattern" => Type::Pattern,
            "country" => Type::Country,
            "language" => Type::Language,
            "date" => Type::Date,
            "months" => Type::Months,
            "year" => Type::Year,
            "price" => Type::Price,
            "ipv4" => Type::Ipv4,
            "ipv6" => Type::Ipv6,
            "zone" => Type::Zone,
            "int" => {
                let (min, max) = (raw.min.as_ref().map(|m| m.0), raw.max.as_ref().map(|m| m.0));
                if let (Some(lo), Some(hi), Some((_, l))) = (min, max, &raw.max)
                    && lo > hi
                {
                    sink.error(l, format!("`max` ({hi}) is below `min` ({lo})"));
                }
                Type::Int { min, max }
            }
            "enum" => {
                let Some(values) = &raw.values else {
                    sink.error(&raw.base.loc, "type `enum` needs `values = [\"...\", ...]`");
                    return None;
                };
                if values.is_empty() {
                    sink.error(&raw.base.loc, "an enum needs at least one value");
                    return None;
                }
                check_variants(sink, values.iter(), "enum value");
                Type::Enum {
                    name: None,
                    values: values.iter().map(|v| v.value.clone()).collect(),
                }
            }
            "flag" => Type::Flag(keyword(
                sink,
                raw.spelling.as_ref(),
                "flag spelling",
                Spelling::ZeroOne,
                &[
                    ("0/1", Spelling::ZeroOne),
                    ("yes/no", Spelling::YesNo),
                    ("Y/N", Spelling::YN),
                    ("1/Y", Spelling::OneY),
                ],
            )?),
            "list" => {
                let Some(item) = &raw.item else {
                    sink.error(&raw.base.loc, "type `list` needs `item = \"<type>\"`");
                    return None;
                };
                let delimiter = match &raw.delimiter {
                    Some(d) => {
                        let mut cs = d.value.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => c,
                            _ => {
                                sink.error(&d.loc, "`delimiter` must be exactly one character");
                                return None;
                            }
                        }
                    }
                    None => {
                        sink.error(&raw.base.loc, "type `list` needs `delimiter = \"<char>\"`");
                        return None;
                    }
                };
                let item_raw = RawType {
                    base: item.clone(),
                    values: None,
                    spelling: None,
                    item: None,
                    delimiter: None,
                    min: None,
                    max: None,
                };
                let item_ty = self.resolve(sink, &item_raw, depth + 1)?;
                if matches!(item_ty, Type::List { .. } | Type::Zone) {
                    sink.error(&item.loc, "a list item cannot be a list or a zone");
                    return None;
                }
                Type::List {
                    item: Box::new(item_ty),
                    delimiter,
                }
            }
            other => {
                if let Some(named) = self.named.get(other) {
                    for (k, present) in [
                        (
                            "values",
                            raw.values
                                .as_ref()
                                .and_then(|v| v.first())
                                .map(|s| s.loc.clone()),
                        ),
                        ("spelling", raw.spelling.as_ref().map(|s| s.loc.clone())),
                        ("item", raw.item.as_ref().map(|s| s.loc.clone())),
                        ("delimiter", raw.delimiter.as_ref().map(|s| s.loc.clone())),
                        ("min", raw.min.as_ref().map(|m| m.1.clone())),
                        ("max", raw.max.as_ref().map(|m| m.1.clone())),
                    ] {
                        if let Some(l) = present {
                            sink.error(&l, format!("`{k}` cannot refine the named type `{other}`; declare a new type instead"));
                        }
                    }
                    if depth > 4 {
                        sink.error(&raw.base.loc, format!("type `{other}` refers to itself"));
                        return None;
                    }
                    let ty = self.resolve(sink, &named.ty, depth + 1)?;
                    return Some(match ty {
                        Type::Enum { values, .. } => Type::Enum {
                            name: Some(other.to_string()),
                            values,
                        },
                        t => t,
                    });
                }
                let mut all: Vec<&str> = BUILTIN_TYPES.to_vec();
                let mut names: Vec<&str> = self.named.keys().map(String::as_str).collect();
                names.sort_unstable();
                all.extend(names.iter().copied());
                let hint = closest(other, &all)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                sink.error(
                    &raw.base.loc,
                    format!(
                        "unknown type `{other}` (built-in types: {}{}){hint}",
                        BUILTIN_TYPES.join(", "),
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!("; named types: {}", names.join(", "))
                        }
                    ),
                );
                return None;
            }
        })
    }
}

/// Enum values / variants must be unique and map to distinct Rust names.
fn check_variants<'a>(sink: &mut Sink<'_>, values: impl Iterator<Item = &'a Str>, what: &str) {
    let mut seen: BTreeMap<String, &Str> = BTreeMap::new();
    let mut wire: BTreeMap<&str, &Str> = BTreeMap::new();
    for v in values {
        if let Some(first) = wire.insert(&v.value, v) {
            sink.error(
                &v.loc,
                format!(
                    "duplicate {what} `{}` (first at {})",
                    v.value,
                    sink.describe(&first.loc)
                ),
            );
            continue;
        }
        match ident::pascal_case(&v.value) {
            None => sink.error(
                &v.loc,
                format!(
                    "{what} `{}` has no letters or digits to name it in Rust",
                    v.value
                ),
            ),
            Some(id) => {
                if let Some(first) = seen.insert(id.clone(), v) {
                    sink.error(
                        &v.loc,
                        format!(
                            "{what} `{}` and `{}` (at {}) both become the Rust name `{id}`",
                            v.value,
                            first.value,
                            sink.describe(&first.loc)
                        ),
                    );
                }
            }
        }
    }
}

/// One of a fixed set of spellings; `default` when absent; reported (and `None`) when unknown.
fn keyword<T: Copy>(
    sink: &mut Sink<'_>,
    value: Option<&Str>,
    what: &str,
    default: T,
    choices: &[(&str, T)],
) -> Option<T> {
    let Some(v) = value else {
        return Some(default);
    };
    if let Some((_, t)) = choices.iter().find(|(name, _)| *name == v.value) {
        return Some(*t);
    }
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let hint = closest(&v.value, &names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    sink.error(
        &v.loc,
        format!(
            "unknown {what} `{}` (expected one of: {}){hint}",
            v.value,
            names.join(", ")
        ),
    );
    None
}

fn valid_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

type Resolved = (Vec<Request>, Vec<NamedEnum>);

fn resolve(sink: &mut Sink<'_>, raw: Raw) -> Resolved {
    // Named types.
    let mut named: HashMap<String, &RawNamedType> = HashMap::new();
    for t in &raw.types {
        if BUILTIN_TYPES.contains(&t.name.value.as_str()) {
            sink.error(
                &t.name.loc,
                format!("type `{}` shadows a built-in type", t.name.value),
            );
        } else if let Some(first) = named.insert(t.name.value.clone(), t) {
            sink.error(
                &t.name.loc,
                format!(
                    "type `{}` is defined twice (first at {})",
                    t.name.value,
                    sink.describe(&first.name.loc)
                ),
            );
        }
    }
    let types = Types { named };
    let mut enums = Vec::new();
    for t in &raw.types {
        if let Some(Type::Enum { values, .. }) = types.resolve(sink, &t.ty, 0) {
            enums.push(NamedEnum {
                name: t.name.value.clone(),
                doc: t.doc.clone(),
                values,
            });
        }
    }

    // Field sets.
    let mut fieldsets: HashMap<&str, &RawFieldset> = HashMap::new();
    for f in &raw.fieldsets {
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

    // Requests.
    let mut by_name: HashMap<&str, &RawRequest> = HashMap::new();
    for r in &raw.requests {
        if !valid_wire_name(&r.name.value) {
            sink.error(
                &r.name.loc,
                format!(
                    "request name `{}` must be lowercase letters, digits and `-`",
                    r.name.value
                ),
            );
        }
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
    let mut out: Vec<Request> = Vec::new();
    for r in &raw.requests {
        // Aliases come later; a duplicate was reported above and is not resolved again.
        let first = by_name
            .get(r.name.value.as_str())
            .is_some_and(|f| std::ptr::eq(*f, r));
        if r.alias_of.is_some() || !first {
            continue;
        }
        if let Some(req) = resolve_request(sink, &types, &fieldsets, r) {
            out.push(req);
        }
    }
    // Aliases take everything but their names and docs from their target.
    let mut aliases = Vec::new();
    for r in &raw.requests {
        let Some(target) = &r.alias_of else { continue };
        if !by_name
            .get(r.name.value.as_str())
            .is_some_and(|f| std::ptr::eq(*f, r))
        {
            continue;
        }
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
                let hint = closest(&target.value, &names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                sink.error(
                    &target.loc,
                    format!(
                        "`{}` is an alias of `{}`, which is not a request{hint}",
                        r.name.value, target.value
                    ),
                );
            }
            Some(t) if t.alias_of.is_some() => sink.error(
                &target.loc,
                format!(
                    "`{}` is an alias of `{}`, which is itself an alias; point at the request",
                    r.name.value, target.value
                ),
            ),
            Some(_) => {
                if let Some(t) = out.iter().find(|q| q.name == target.value) {
                    let mut a = t.clone();
                    a.name = r.name.value.clone();
                    a.loc = r.name.loc.clone();
                    a.section = r.section.clone();
                    a.summary = r.summary.clone();
                    a.docs = r.docs.clone();
                    a.deprecated = r.deprecated.clone();
                    a.extension = r.extension.clone();
                    a.alias_of = Some(target.value.clone());
                    aliases.push(a);
                }
            }
        }
    }
    // Keep declaration order across requests and aliases.
    out.extend(aliases);
    let order: HashMap<&str, usize> = raw
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.value.as_str(), i))
        .collect();
    out.sort_by_key(|r| order.get(r.name.as_str()).copied().unwrap_or(usize::MAX));
    // Every generated name is claimed once by the plan; a collision is an error here.
    crate::plan::Plan::build(sink, &out, &enums, None);
    (out, enums)
}

fn resolve_param(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    p: &RawParam,
    required: bool,
) -> Option<Param> {
    let ty = types.resolve(sink, &p.ty, 0)?;
    if !valid_wire_name(&p.name.value) {
        sink.error(
            &p.name.loc,
            format!(
                "parameter name `{}` must be lowercase letters, digits, `-` or `_`",
                p.name.value
            ),
        );
    }
    let indexed = match &p.indexed {
        None => None,
        Some((n, l)) => match u8::try_from(*n) {
            Ok(n @ 1..=99) => Some(n),
            _ => {
                sink.error(l, format!("`indexed` must be between 1 and 99, found {n}"));
                None
            }
        },
    };
    if indexed.is_some() && ty == Type::Zone {
        sink.error(&p.name.loc, "a zone parameter cannot be indexed");
    }
    if indexed.is_some() && required {
        sink.error(
            &p.name.loc,
            format!("indexed parameter `{}` must be in `accepts`", p.name.value),
        );
    }
    if let Some(d) = &p.default {
        let ok = match &ty {
            Type::Enum { values, .. } => values.contains(&d.value),
            Type::Flag(Spelling::ZeroOne | Spelling::OneY) => d.value == "0" || d.value == "1",
            Type::Flag(Spelling::YesNo) => d.value == "yes" || d.value == "no",
            Type::Flag(Spelling::YN) => d.value == "Y" || d.value == "N",
            _ => true,
        };
        if !ok {
            sink.error(
                &d.loc,
                format!(
                    "default `{}` is not a value of the parameter's type",
                    d.value
                ),
            );
        }
    }
    Some(Param {
        name: p.name.value.clone(),
        loc: p.name.loc.clone(),
        ty,
        doc: p.doc.clone(),
        required,
        secret: p.secret || matches!(p.ty.base.value.as_str(), "secret"),
        allow_empty: p.allow_empty,
        deprecated: p.deprecated.clone(),
        indexed,
        required_when: Vec::new(),
        default: p.default.as_ref().map(|d| d.value.clone()),
        example: p.example.as_ref().map(|d| d.value.clone()),
    })
}

fn resolve_request(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    fieldsets: &HashMap<&str, &RawFieldset>,
    r: &RawRequest,
) -> Option<Request> {
    let kind = keyword(
        sink,
        r.kind.as_ref(),
        "request kind",
        Kind::Sync,
        &[("sync", Kind::Sync), ("async", Kind::Async)],
    )
    .unwrap_or(Kind::Sync);
    if r.summary.trim().is_empty() {
        sink.error(
            &r.name.loc,
            format!("request `{}` needs a non-empty `summary`", r.name.value),
        );
    }

    // Parameters: own requires, included field sets, own accepts.
    // (parameter, required, keeps its `required_when`): an optional include makes every field
    // optional, conditions included (contact-modify changes only what it is given).
    let mut raw_params: Vec<(&RawParam, bool, bool)> = Vec::new();
    let mut raw_groups: Vec<(&RawGroup, bool)> = Vec::new();
    raw_params.extend(r.params.requires.iter().map(|p| (p, true, true)));
    for inc in &r.include {
        match fieldsets.get(inc.name.value.as_str()) {
            None => {
                let names: Vec<&str> = fieldsets.keys().copied().collect();
                let hint = closest(&inc.name.value, &names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                sink.error(
                    &inc.name.loc,
                    format!("unknown field set `{}`{hint}", inc.name.value),
                );
            }
            Some(fs) => {
                raw_params.extend(
                    fs.params
                        .requires
                        .iter()
                        .map(|p| (p, !inc.optional, !inc.optional)),
                );
                raw_params.extend(fs.params.accepts.iter().map(|p| (p, false, !inc.optional)));
                raw_groups.extend(fs.params.groups.iter().map(|g| (g, inc.optional)));
            }
        }
    }
    raw_params.extend(r.params.accepts.iter().map(|p| (p, false, true)));
    raw_groups.extend(r.params.groups.iter().map(|g| (g, false)));

    let mut params: Vec<Param> = Vec::new();
    let mut conds: Vec<&[RawCond]> = Vec::new();
    let mut rust_names: BTreeMap<String, Loc> = BTreeMap::new();
    for (p, required, keeps_conditions) in &raw_params {
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
        match ident::snake_case(&p.name.value) {
            None => sink.error(
                &p.name.loc,
                format!(
                    "parameter `{}` has no letters or digits to name it in Rust",
                    p.name.value
                ),
            ),
            Some(id) => {
                if RESERVED_METHODS.contains(&id.as_str()) {
                    sink.error(&p.name.loc, format!("parameter `{}` would generate a setter `{id}` that clashes with a method of every request", p.name.value));
                }
                if let Some(first) = rust_names.insert(id.clone(), p.name.loc.clone()) {
                    sink.error(
                        &p.name.loc,
                        format!(
                            "parameter `{}` and the parameter at {} both become the Rust name `{id}` in `{}`",
                            p.name.value,
                            sink.describe(&first),
                            r.name.value
                        ),
                    );
                }
            }
        }
        if let Some(param) = resolve_param(sink, types, p, *required) {
            params.push(param);
            conds.push(if *keeps_conditions {
                &p.required_when
            } else {
                &[]
            });
        }
    }

    // TLD source.
    let tld_from = r.tld_from.as_ref().map(|t| {
        match params.iter().find(|p| p.name == t.value) {
            None => sink.error(
                &t.loc,
                format!(
                    "`tld_from` names `{}`, which is not a parameter of `{}`",
                    t.value, r.name.value
                ),
            ),
            Some(p) if !matches!(p.ty, Type::String | Type::Domain | Type::Pattern) => sink.error(
                &t.loc,
                format!(
                    "`tld_from` must name a string or domain parameter; `{}` is not",
                    t.value
                ),
            ),
            Some(_) => {}
        }
        t.value.clone()
    });

    // Conditions.
    for (i, cs) in conds.iter().enumerate() {
        let mut resolved = Vec::new();
        for c in cs.iter() {
            if !c.tlds.is_empty() && tld_from.is_none() {
                sink.error(
                    &c.tlds[0].loc,
                    format!("a TLD condition needs `tld_from` on request `{}` (which parameter carries the TLD)", r.name.value),
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
            resolved.push(Condition {
                tlds: c
                    .tlds
                    .iter()
                    .map(|t| t.value.trim_start_matches('.').to_ascii_lowercase())
                    .collect(),
                params: c
                    .params
                    .iter()
                    .map(|(k, vs)| {
                        (
                            k.value.clone(),
                            vs.iter().map(|v| v.value.clone()).collect(),
                        )
                    })
                    .collect(),
            });
        }
        if !resolved.is_empty() && params[i].required {
            sink.error(
                &params[i].loc,
                format!(
                    "`{}` is always required; `required_when` only applies to `accepts`",
                    params[i].name
                ),
            );
        }
        params[i].required_when = resolved;
    }

    // Groups.
    let mut groups: Vec<Group> = Vec::new();
    // Member name -> (its group, where it first appears).
    let mut member_of: BTreeMap<String, (String, Loc)> = BTreeMap::new();
    for (g, optional) in &raw_groups {
        let kind = match g.kind.value.as_str() {
            "exactly-one" if *optional => GroupKind::AtMostOne,
            "exactly-one" => GroupKind::ExactlyOne,
            "at-most-one" => GroupKind::AtMostOne,
            other => {
                sink.error(
                    &g.kind.loc,
                    format!(
                        "unknown group kind `{other}` (expected `exactly-one` or `at-most-one`)"
                    ),
                );
                continue;
            }
        };
        if ident::pascal_case(&g.name.value).is_none() {
            sink.error(
                &g.name.loc,
                format!("group name `{}` has no letters or digits", g.name.value),
            );
        }
        if g.alternatives.len() < 2 {
            sink.error(
                &g.name.loc,
                format!("group `{}` needs at least two alternatives", g.name.value),
            );
        }
        let mut alts = Vec::new();
        for alt in &g.alternatives {
            if alt.is_empty() {
                sink.error(
                    &g.name.loc,
                    format!("group `{}` has an empty alternative", g.name.value),
                );
            }
            for m in alt {
                match params.iter().find(|p| p.name == m.value) {
                    None => {
                        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                        let hint = closest(&m.value, &names).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
                        sink.error(
                            &m.loc,
                            format!("group `{}` names `{}`, which is not a parameter of `{}`{hint}", g.name.value, m.value, r.name.value),
                        );
                    }
                    Some(p) if p.required => sink.error(
                        &m.loc,
                        format!("`{}` is in group `{}` and must be declared in `accepts`, not `requires` (the group says whether it is needed)", m.value, g.name.value),
                    ),
                    Some(p) if p.indexed.is_some() => sink.error(&m.loc, format!("indexed parameter `{}` cannot be in a group", m.value)),
                    Some(_) => {}
                }
                // Alternatives of one group may share members (`ip`, `ipv6`, or both).
                let other_group = member_of
                    .get(&m.value)
                    .filter(|(group, _)| *group != g.name.value)
                    .map(|(_, loc)| loc.clone());
                member_of
                    .entry(m.value.clone())
                    .or_insert_with(|| (g.name.value.clone(), m.loc.clone()));
                if let Some(first) = other_group {
                    sink.error(
                        &m.loc,
                        format!(
                            "`{}` is in more than one group (also at {})",
                            m.value,
                            sink.describe(&first)
                        ),
                    );
                }
            }
            let mut set: Vec<String> = alt.iter().map(|m| m.value.clone()).collect();
            set.sort();
            if alts.iter().any(|a: &Vec<String>| {
                let mut b = a.clone();
                b.sort();
                b == set
            }) {
                sink.error(
                    &g.name.loc,
                    format!(
                        "group `{}` lists the alternative `{}` twice",
                        g.name.value,
                        set.join("` with `")
                    ),
                );
            }
            alts.push(alt.iter().map(|m| m.value.clone()).collect::<Vec<_>>());
        }
        let variants: Vec<Str> = g
            .alternatives
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| Str {
                value: a
                    .iter()
                    .map(|m| m.value.as_str())
                    .collect::<Vec<_>>()
                    .join("-"),
                loc: a[0].loc.clone(),
            })
            .collect();
        check_variants(sink, variants.iter(), "group alternative");
        groups.push(Group {
            name: g.name.value.clone(),
            loc: g.name.loc.clone(),
            kind,
            alternatives: alts,
            doc: g.doc.clone(),
        });
    }

    let returns = resolve_returns(sink, types, r, kind, &params);

    Some(Request {
        name: r.name.value.clone(),
        loc: r.name.loc.clone(),
        section: r.section.clone(),
        summary: r.summary.clone(),
        docs: r.docs.clone(),
        kind,
        costs: r.costs,
        changes: r.changes,
        auth: r.auth,
        deprecated: r.deprecated.clone(),
        alias_of: None,
        extension: r.extension.clone(),
        tld_from,
        params,
        groups,
        returns: returns?,
    })
}

fn resolve_fields(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    raw: &[RawField],
    what: &str,
    names: &mut BTreeMap<String, Loc>,
) -> Vec<Field> {
    let mut out = Vec::new();
    for f in raw {
        let Some(ty) = types.resolve(sink, &f.ty, 0) else {
            continue;
        };
        if let Type::Enum { name: Some(n), .. } = &ty {
            sink.error(
                &f.ty.base.loc,
                format!("{what} `{}` uses the named enum `{n}`; response values need an inline enum (`type = \"enum\", values = [...]`), which keeps unknown values", f.name.value),
            );
        }
        if matches!(ty, Type::Secret) && what != "header" {
            sink.error(
                &f.ty.base.loc,
                format!("{what} `{}`: only headers may be `secret`", f.name.value),
            );
        }
        let field = f
            .field
            .as_ref()
            .map_or(f.name.value.as_str(), |s| s.value.as_str());
        let loc = f.field.as_ref().map_or(&f.name.loc, |s| &s.loc);
        match ident::snake_case(field) {
            None => sink.error(
                loc,
                format!("{what} `{field}` has no letters or digits to name it in Rust"),
            ),
            Some(id) => {
                if let Some(first) = names.insert(id.clone(), loc.clone()) {
                    sink.error(
                        loc,
                        format!(
                            "{what} `{field}` becomes the Rust field `{id}`, already used at {}",
                            sink.describe(&first)
                        ),
                    );
                }
            }
        }
        out.push(Field {
            name: f.name.value.clone(),
            field: field.to_string(),
            loc: f.name.loc.clone(),
            ty,
            doc: f.doc.clone(),
            required: f.required,
            none: None,
        });
        if let Some(none) = &f.none {
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
            } else if let Some(last) = out.last_mut() {
                last.none = Some(none.value.clone());
            }
        }
    }
    out
}

fn resolve_returns(
    sink: &mut Sink<'_>,
    types: &Types<'_>,
    r: &RawRequest,
    kind: Kind,
    params: &[Param],
) -> Option<Returns> {
    let Some(rr) = &r.returns else {
        return Some(Returns {
            body: Body::None,
            doc: String::new(),
            headers: Vec::new(),
            columns: Vec::new(),
            extra_columns: Vec::new(),
            separator: Separator::Whitespace,
            keys: Vec::new(),
            field: "payload".into(),
        });
    };
    let body = keyword(
        sink,
        rr.body.as_ref(),
        "body",
        Body::None,
        &[
            ("none", Body::None),
            ("lines", Body::Lines),
            ("key-value", Body::KeyValue),
            ("table", Body::Table),
            ("zone", Body::Zone),
            ("results", Body::Results),
            ("text", Body::Text),
        ],
    )?;
    if kind == Kind::Async && body != Body::None {
        sink.error(&rr.loc, "an async request answers only `Proc-ID`; its `body` must be `none` (the outcome comes from result-retrieve)");
    }
    if body != Body::Table {
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
    if body != Body::KeyValue
        && let Some(k) = rr.keys.first()
    {
        sink.error(&k.name.loc, "`keys` only applies to `body = \"key-value\"`");
    }
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
    let mut out_names = BTreeMap::new();
    let headers = resolve_fields(sink, types, &rr.headers, "header", &mut out_names);
    let keys = resolve_fields(sink, types, &rr.keys, "key", &mut out_names);
    let field = rr
        .field
        .as_ref()
        .map_or("payload".to_string(), |f| f.value.clone());
    if !headers.is_empty() && body != Body::KeyValue {
        let l = rr.field.as_ref().map_or(&rr.loc, |f| &f.loc);
        match ident::snake_case(&field) {
            None => sink.error(l, format!("`field` `{field}` has no letters or digits")),
            Some(id) => {
                if let Some(first) = out_names.insert(id.clone(), l.clone()) {
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
    let mut col_names = BTreeMap::new();
    let columns = resolve_fields(sink, types, &rr.columns, "column", &mut col_names);
    let mut extra_columns = Vec::new();
    for (flag, cols) in &rr.extra_columns {
        match params.iter().find(|p| p.name == flag.value) {
            None => sink.error(
                &flag.loc,
                format!(
                    "extra columns depend on `{}`, which is not a parameter of `{}`",
                    flag.value, r.name.value
                ),
            ),
            Some(p) if !matches!(p.ty, Type::Flag(_)) => sink.error(
                &flag.loc,
                format!(
                    "extra columns depend on `{}`, which is not a flag",
                    flag.value
                ),
            ),
            Some(_) => {}
        }
        extra_columns.push(ExtraColumns {
            flag: flag.value.clone(),
            columns: resolve_fields(sink, types, cols, "column", &mut col_names),
        });
    }
    Some(Returns {
        body,
        doc: rr.doc.clone(),
        headers,
        columns,
        extra_columns,
        separator,
        keys,
        field,
    })
}
