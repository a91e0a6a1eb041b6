//! The `[protocol]` table: the envelope's header names by role, status codes, what counts as
//! success, what means "log in again", completion statuses and the result-list row.

use serde::Deserialize;

use super::cx::Cx;
use super::de::Val;
use super::decl::Str;
use super::raw::{Key, Strs, Tables};
use crate::diag::{Loc, Sink};
use crate::model::{
    CompletionWords, DnssecField, DnssecForms, Framing, HeaderNames, ProtocolMeta,
    ResultRowColumns, ResultRowMeta, StatusMeta, Text,
};

/// `[protocol]`
#[derive(Debug, Deserialize)]
pub(crate) struct RawProtocol {
    doc: Key<String>,
    success: Key<Vec<Val<Vec<Val<i64>>>>>,
    relogin: Key<RawRelogin>,
    headers: Key<RawHeaders>,
    separators: Key<RawSeparators>,
    completion: Key<RawCompletion>,
    result_row: Key<RawResultRow>,
    framing: Key<RawFraming>,
    dnssec: Key<RawDnssec>,
    name_servers: Key<Strs>,
    former_name_servers: Key<Strs>,
    status: Tables<RawStatus>,
}

#[derive(Debug, Deserialize)]
struct RawFraming {
    final_newline: Key<bool>,
    tracking_id_hex: Key<i64>,
    session_id_hex: Key<i64>,
}

#[derive(Debug, Deserialize)]
struct RawDnssec {
    delimiter: Key<String>,
    dsdata: Key<Strs>,
    keydata: Key<Strs>,
}

#[derive(Debug, Deserialize)]
struct RawRelogin {
    http: Key<Vec<Val<i64>>>,
    status: Key<Vec<Val<i64>>>,
}

/// Declares the raw table of header roles and its reader in one list, so the roles, the
/// struct fields and the keys cannot drift apart.
macro_rules! header_roles {
    ($($role:ident),* $(,)?) => {
        #[derive(Debug, Deserialize)]
        struct RawHeaders {
            $($role: Key<String>,)*
        }

        fn headers(cx: &mut Cx<'_, '_>, h: RawHeaders) -> Option<HeaderNames> {
            $(let $role = cx.req_str(stringify!($role), h.$role);)*
            Some(HeaderNames { $($role: text($role?),)* })
        }
    };
}

header_roles!(
    status_code,
    status_text,
    tracking_id,
    tracking_id_old,
    proc_id,
    error,
    warning,
    columns,
    separator,
    row_count,
    version,
    session_id,
);

#[derive(Debug, Deserialize)]
struct RawSeparators {
    tab: Key<String>,
    space: Key<String>,
}

#[derive(Debug, Deserialize)]
struct RawCompletion {
    ack: Key<String>,
    nack: Key<String>,
    pending: Key<Strs>,
}

#[derive(Debug, Deserialize)]
struct RawResultRow {
    columns: Key<Strs>,
    none: Key<String>,
    count_key: Key<String>,
}

#[derive(Debug, Deserialize)]
struct RawStatus {
    code: Key<i64>,
    name: Key<String>,
    text: Key<String>,
    doc: Key<String>,
}

/// The roles of the result-list row's columns, in the docs' words: each column must be one.
const RESULT_COLUMNS: [&str; 7] = [
    "timestamp",
    "svtrid",
    "proc-id",
    "request-type",
    "object",
    "status",
    "cltrid",
];

fn text(s: Str) -> Text {
    Text::Owned(s.value)
}

/// Reads a `[protocol]` table; every key is required.
pub(crate) fn read(cx: &mut Cx<'_, '_>, p: RawProtocol) -> Option<ProtocolMeta> {
    let doc = cx.text("doc", p.doc);
    let success = ranges(cx, p.success);
    let (relogin_http, relogin_status) = table(cx, "relogin", p.relogin, |cx, r| {
        let http = codes(cx, "http", r.http)?;
        let status = codes(cx, "status", r.status)?;
        Some((http, status))
    })?;
    let headers = table(cx, "headers", p.headers, headers);
    let separators = table(cx, "separators", p.separators, |cx, s| {
        let tab = cx.req_str("tab", s.tab);
        let space = cx.req_str("space", s.space);
        Some((text(tab?), text(space?)))
    });
    let completion = table(cx, "completion", p.completion, |cx, c| {
        let ack = cx.req_str("ack", c.ack);
        let nack = cx.req_str("nack", c.nack);
        if c.pending.is_none() {
            cx.missing("pending");
        }
        let pending = cx.strs("pending", c.pending)?;
        Some(CompletionWords {
            ack: text(ack?),
            nack: text(nack?),
            pending: pending.into_iter().map(text).collect(),
        })
    });
    let result_row = table(cx, "result_row", p.result_row, result_row);
    let framing = table(cx, "framing", p.framing, framing);
    let dnssec = table(cx, "dnssec", p.dnssec, dnssec);
    let name_servers = names(cx, "name_servers", p.name_servers);
    let former_name_servers = names(cx, "former_name_servers", p.former_name_servers);
    if p.status.is_none() {
        cx.missing("status");
    }
    let statuses = cx.tables("status", p.status, "a status code", |cx, s| {
        let code = code(cx, "code", s.code);
        let name = cx.req_str("name", s.name);
        let text = cx.req_str("text", s.text);
        let doc = cx.text("doc", s.doc);
        Some(StatusMeta {
            code: code?,
            name: self::text(name?),
            text: self::text(text?),
            doc: doc.into(),
        })
    });
    Some(ProtocolMeta {
        doc: doc.into(),
        headers: headers?,
        separator_tab: separators.as_ref()?.0.clone(),
        separator_space: separators?.1,
        success: success?.into(),
        relogin_http: relogin_http.into(),
        relogin_status: relogin_status.into(),
        statuses: statuses.into(),
        completion: completion?,
        result_row: result_row?,
        framing: framing?,
        dnssec: dnssec?,
        name_servers: name_servers?.into(),
        former_name_servers: former_name_servers?.into(),
    })
}

/// `framing`: the final newline and the ids' lengths (1 to 128 hex digits).
fn framing(cx: &mut Cx<'_, '_>, f: RawFraming) -> Option<Framing> {
    if f.final_newline.is_none() {
        cx.missing("final_newline");
    }
    let final_newline = cx.bool("final_newline", f.final_newline, false);
    let hex = |cx: &mut Cx<'_, '_>, key: &str, value: Key<i64>| {
        if value.is_none() {
            cx.missing(key);
        }
        let (n, loc) = cx.int(key, value)?;
        match usize::try_from(n) {
            Ok(n) if (1..=128).contains(&n) => Some(n),
            _ => {
                cx.error(
                    &loc,
                    format!("`{key}` is a number of hex digits (1 to 128), found {n}"),
                );
                None
            }
        }
    };
    let tracking_id_hex = hex(cx, "tracking_id_hex", f.tracking_id_hex);
    let session_id_hex = hex(cx, "session_id_hex", f.session_id_hex);
    Some(Framing {
        final_newline,
        tracking_id_hex: tracking_id_hex?,
        session_id_hex: session_id_hex?,
    })
}

/// `dnssec`: a one-character delimiter, and each form the fields of its record, each once.
fn dnssec(cx: &mut Cx<'_, '_>, d: RawDnssec) -> Option<DnssecForms> {
    let delimiter = cx.req_str("delimiter", d.delimiter);
    let mut chars = delimiter.as_ref().map(|s| s.value.chars());
    let delimiter = match chars.as_mut().map(|c| (c.next(), c.next())) {
        Some((Some(c), None)) if !c.is_alphanumeric() && !c.is_whitespace() => Some(c),
        Some(_) => {
            let d = delimiter.as_ref()?;
            let message = format!(
                "`delimiter` must be one character, not a letter, digit or space; found `{}`",
                d.value
            );
            cx.error(&d.loc, message);
            None
        }
        None => None,
    };
    let ds_data = dnssec_form(cx, "dsdata", d.dsdata, &DnssecField::DS, "a DS");
    let key_data = dnssec_form(cx, "keydata", d.keydata, &DnssecField::DNSKEY, "a DNSKEY");
    Some(DnssecForms {
        delimiter: delimiter?,
        ds_data: ds_data?.into(),
        key_data: key_data?.into(),
    })
}

/// One form of `dnssec`: the fields of `record`, in any order, each once.
fn dnssec_form(
    cx: &mut Cx<'_, '_>,
    key: &str,
    value: Key<Strs>,
    record: &[DnssecField],
    what: &str,
) -> Option<Vec<DnssecField>> {
    let anchor = cx.anchor().clone();
    if value.is_none() {
        cx.missing(key);
    }
    let names = cx.strs(key, value)?;
    let fields_of = || {
        let names: Vec<_> = record.iter().map(|f| format!("`{}`", f.name())).collect();
        names.join(", ")
    };
    let mut out = Vec::new();
    for n in names {
        match DnssecField::from_name(&n.value).filter(|f| record.contains(f)) {
            Some(f) if out.contains(&f) => {
                cx.error(&n.loc, format!("`{key}` lists `{}` twice", n.value))
            }
            Some(f) => out.push(f),
            None => cx.error(
                &n.loc,
                format!(
                    "`{key}`: `{}` is not a field of {what} record ({})",
                    n.value,
                    fields_of()
                ),
            ),
        }
    }
    if let Some(f) = record.iter().find(|f| !out.contains(f)) {
        let message = format!("`{key}` lacks the field `{}` of {what} record", f.name());
        cx.error(&anchor, message);
        return None;
    }
    Some(out)
}

/// A required array of host names.
fn names(cx: &mut Cx<'_, '_>, key: &str, value: Key<Strs>) -> Option<Vec<Text>> {
    if value.is_none() {
        cx.missing(key);
    }
    let names = cx.strs(key, value)?;
    let mut out = Vec::new();
    for n in names {
        if n.value.parse::<dmapi_runtime::DomainName>().is_err() {
            cx.error(&n.loc, format!("`{key}`: `{}` is not a host name", n.value));
        } else {
            out.push(text(n));
        }
    }
    Some(out)
}

/// A required sub-table, read by `read`.
fn table<T, R>(
    cx: &mut Cx<'_, '_>,
    key: &str,
    value: Key<T>,
    read: impl FnOnce(&mut Cx<'_, '_>, T) -> Option<R>,
) -> Option<R> {
    let Some(value) = value else {
        cx.missing(key);
        return None;
    };
    match cx.enter(value, format!("`protocol.{key}`"), None) {
        Ok(mut e) => read(&mut e.cx, e.value),
        Err((loc, found)) => {
            cx.mismatch(key, &loc, "a table", found);
            None
        }
    }
}

/// A status code: an integer from 0 to 9999.
fn code(cx: &mut Cx<'_, '_>, key: &str, value: Key<i64>) -> Option<u16> {
    if value.is_none() {
        cx.missing(key);
    }
    let (n, loc) = cx.int(key, value)?;
    in_range(cx, key, n, &loc)
}

fn in_range(cx: &mut Cx<'_, '_>, key: &str, n: i64, loc: &Loc) -> Option<u16> {
    match u16::try_from(n) {
        Ok(code) if code <= 9999 => Some(code),
        _ => {
            cx.error(
                loc,
                format!("`{key}` must be a status code (0 to 9999), found {n}"),
            );
            None
        }
    }
}

/// An array of codes.
fn codes(cx: &mut Cx<'_, '_>, key: &str, value: Key<Vec<Val<i64>>>) -> Option<Vec<u16>> {
    if value.is_none() {
        cx.missing(key);
    }
    let (items, _) = cx.want(key, value, "an array of integers")?;
    let mut out = Vec::new();
    for item in items {
        let loc = cx.loc(item.span);
        match item.value {
            Ok(n) => out.extend(in_range(cx, key, n, &loc)),
            Err(found) => cx.mismatch(key, &loc, "an integer", found),
        }
    }
    Some(out)
}

/// `success`: an array of `[low, high]` ranges.
fn ranges(cx: &mut Cx<'_, '_>, value: Key<Vec<Val<Vec<Val<i64>>>>>) -> Option<Vec<(u16, u16)>> {
    if value.is_none() {
        cx.missing("success");
    }
    let (items, _) = cx.want("success", value, "an array of [low, high] ranges")?;
    let mut out = Vec::new();
    for item in items {
        let loc = cx.loc(item.span.clone());
        let pair = codes(cx, "success", Some(item));
        match pair.as_deref() {
            Some(&[low, high]) if low <= high => out.push((low, high)),
            Some(_) => cx.error(&loc, "a `success` range is `[low, high]` with low <= high"),
            None => {}
        }
    }
    Some(out)
}

/// `result_row`: the columns must be the seven roles, each once.
fn result_row(cx: &mut Cx<'_, '_>, r: RawResultRow) -> Option<ResultRowMeta> {
    let anchor = cx.anchor().clone();
    if r.columns.is_none() {
        cx.missing("columns");
    }
    let columns = cx.strs("columns", r.columns)?;
    let none = cx.req_str("none", r.none);
    let count_key = cx.req_str("count_key", r.count_key);
    let mut at = [usize::MAX; RESULT_COLUMNS.len()];
    for (i, c) in columns.iter().enumerate() {
        match RESULT_COLUMNS.iter().position(|r| *r == c.value) {
            Some(role) if at[role] == usize::MAX => at[role] = i,
            Some(_) => cx.error(
                &c.loc,
                format!("result column `{}` is listed twice", c.value),
            ),
            None => cx.error(
                &c.loc,
                format!(
                    "unknown result column `{}` (the columns are {})",
                    c.value,
                    RESULT_COLUMNS.join(", ")
                ),
            ),
        }
    }
    if let Some(role) = at.iter().position(|&i| i == usize::MAX) {
        let message = format!(
            "`columns` lacks the result column `{}`",
            RESULT_COLUMNS[role]
        );
        cx.error(&anchor, message);
        return None;
    }
    let [
        timestamp,
        svtrid,
        proc_id,
        request_type,
        object,
        status,
        cltrid,
    ] = at;
    Some(ResultRowMeta {
        columns: columns.into_iter().map(text).collect(),
        at: ResultRowColumns {
            timestamp,
            svtrid,
            proc_id,
            request_type,
            object,
            status,
            cltrid,
        },
        none: text(none?),
        count_key: text(count_key?),
    })
}

/// The first `[protocol]` table; a second one is reported.
pub(crate) fn first(sink: &mut Sink<'_>, found: &[(Loc, ProtocolMeta)]) -> Option<ProtocolMeta> {
    let (at, protocol) = found.first()?;
    if let Some((again, _)) = found.get(1) {
        let message = format!(
            "`[protocol]` is defined twice (first at {})",
            sink.describe(at)
        );
        sink.error(again, message);
    }
    Some(protocol.clone())
}
