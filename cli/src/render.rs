//! Printing answers: an aligned table or `key: value` lines for people, JSON for scripts, or
//! the DMAPI text as received. The session id is never printed except in `--raw`.

use dmapi::meta::{BodyKind, RequestMeta, ReturnsMeta, Separator, ValueType};
use dmapi::output::Table;
use dmapi::{Completion, Envelope, KeyValues};
use serde_json::{Map, Value, json};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Raw,
}

/// Whether a header carries the session id (never printed outside `--raw`).
fn is_session_header(key: &str) -> bool {
    key.eq_ignore_ascii_case(&dmapi::metadata::PROTOCOL.headers.session_id)
}

/// The columns a table answer has by default: the spec's, plus every extra set (the server's
/// `Columns` header, when sent, wins).
fn default_columns(ret: &ReturnsMeta) -> Vec<&str> {
    let mut cols: Vec<&str> = ret.columns.iter().map(|c| &*c.name).collect();
    for extra in ret.extra_columns.iter() {
        cols.extend(extra.columns.iter().map(|c| &*c.name));
    }
    cols
}

/// Rows of a table answer as cells, with their column names.
fn table_of(ret: &ReturnsMeta, env: &Envelope) -> (Vec<String>, Vec<Vec<String>>) {
    match ret.body {
        BodyKind::Results => {
            let cols: Vec<&str> = env
                .protocol()
                .result_row
                .columns
                .iter()
                .map(|c| &**c)
                .collect();
            let t = Table::parse(env, &cols, Separator::Whitespace);
            // Result rows are positional: ignore any Columns header.
            let rows = t
                .rows()
                .map(|r| r.cells().map(str::to_owned).collect())
                .collect();
            (cols.iter().map(|c| (*c).to_owned()).collect(), rows)
        }
        _ => {
            let t = Table::parse(env, &default_columns(ret), ret.separator);
            let rows = t
                .rows()
                .map(|r| r.cells().map(str::to_owned).collect())
                .collect();
            (t.columns().to_vec(), rows)
        }
    }
}

fn is_tabular(ret: &ReturnsMeta, env: &Envelope) -> bool {
    match ret.body {
        BodyKind::Table => true,
        // count-only answers a single `Records: N` line instead.
        BodyKind::Results => !env
            .payload()
            .trim_start()
            .starts_with(&*env.protocol().result_row.count_key),
        _ => false,
    }
}

/// Headers worth showing people: those the spec documents for the request, and warnings.
fn shown_headers<'e>(ret: &ReturnsMeta, env: &'e Envelope) -> Vec<(&'e str, &'e str)> {
    env.headers()
        .filter(|(k, _)| !is_session_header(k))
        .filter(|(k, _)| {
            ret.headers.iter().any(|h| h.name.eq_ignore_ascii_case(k))
                || k.eq_ignore_ascii_case(&env.protocol().headers.warning)
        })
        .collect()
}

/// Prints a successful answer of `meta`'s request, shaped as `ret` (the request's answer, or
/// the case its parameters chose).
pub(crate) fn answer(
    meta: &RequestMeta,
    ret: &ReturnsMeta,
    env: &Envelope,
    format: Format,
) -> String {
    match format {
        Format::Raw => raw(env),
        Format::Json => json_answer(meta, ret, env).to_string() + "\n",
        Format::Human => human(ret, env),
    }
}

fn raw(env: &Envelope) -> String {
    let mut out = String::new();
    for (k, v) in env.headers() {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(env.payload());
    out
}

fn human(ret: &ReturnsMeta, env: &Envelope) -> String {
    let mut out = String::new();
    for (k, v) in shown_headers(ret, env) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    if let Some(proc_id) = env.proc_id() {
        out.push_str(&format!("queued: proc id {proc_id}"));
        if let Some(t) = env.tracking_id() {
            out.push_str(&format!(" (tracking id {t})"));
        }
        out.push('\n');
        return out;
    }
    if is_tabular(ret, env) {
        let (cols, rows) = table_of(ret, env);
        out.push_str(&aligned(&cols, &rows));
        return out;
    }
    match ret.body {
        BodyKind::KeyValue => out.push_str(&key_values(&KeyValues::parse(env.payload()))),
        _ => out.push_str(env.payload()),
    }
    if out.is_empty() {
        out.push_str("ok");
        if let Some(t) = env.tracking_id() {
            out.push_str(&format!(" (tracking id {t})"));
        }
        out.push('\n');
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Columns padded to their widest cell; the last column is not padded.
pub(crate) fn aligned(cols: &[String], rows: &[Vec<String>]) -> String {
    let width = rows
        .iter()
        .map(Vec::len)
        .chain([cols.len()])
        .max()
        .unwrap_or(0);
    let mut widths = vec![0usize; width];
    for row in std::iter::once(cols).chain(rows.iter().map(Vec::as_slice)) {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < cells.len() {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            } else {
                s.push_str(c);
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line(cols);
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn key_values(kv: &KeyValues) -> String {
    let w = kv.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    kv.iter()
        .map(|(k, v)| format!("{:<w$}  {v}\n", format!("{k}:")))
        .collect()
}

fn json_answer(meta: &RequestMeta, ret: &ReturnsMeta, env: &Envelope) -> Value {
    let headers: Vec<Value> = env
        .headers()
        .map(|(k, v)| {
            if is_session_header(k) {
                json!([k, "***"])
            } else {
                json!([k, v])
            }
        })
        .collect();
    let mut obj = Map::new();
    obj.insert("request".into(), json!(meta.name));
    obj.insert("status".into(), json!(env.status_code()));
    obj.insert("tracking_id".into(), json!(env.tracking_id()));
    if let Some(p) = env.proc_id() {
        obj.insert("proc_id".into(), json!(p));
    }
    obj.insert("headers".into(), Value::Array(headers));
    if is_tabular(ret, env) {
        let (cols, rows) = table_of(ret, env);
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                let mut o = Map::new();
                for (i, c) in r.iter().enumerate() {
                    let key = cols
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("column{}", i + 1));
                    o.insert(key, json!(c));
                }
                Value::Object(o)
            })
            .collect();
        obj.insert("rows".into(), Value::Array(rows));
    } else {
        match ret.body {
            BodyKind::KeyValue | BodyKind::Results => {
                let pairs: Vec<Value> = KeyValues::parse(env.payload())
                    .iter()
                    .map(|(k, v)| json!([k, v]))
                    .collect();
                obj.insert("fields".into(), Value::Array(pairs));
            }
            BodyKind::Lines => {
                let lines: Vec<&str> = env
                    .payload()
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .collect();
                obj.insert("lines".into(), json!(lines));
            }
            _ => {
                obj.insert("payload".into(), json!(env.payload()));
            }
        }
    }
    Value::Object(obj)
}

/// The result keys the spec declares for `meta`, typed for JSON: by their Rust field names,
/// numbers and flags as such, quotes taken off; keys the result does not carry are left out.
fn typed_result(meta: &RequestMeta, fields: &KeyValues) -> Value {
    let mut obj = Map::new();
    for k in meta.result.keys.iter() {
        let Some(raw) = fields.get(&k.name) else {
            continue;
        };
        let raw = if k.quoted {
            dmapi::output::unquote(raw)
        } else {
            raw.trim()
        };
        let value = match &k.ty {
            ValueType::Int { .. } => raw.parse::<i64>().map_or_else(|_| json!(raw), Value::from),
            ValueType::Flag(spelling) => {
                spelling.decode(raw).map_or_else(|| json!(raw), Value::Bool)
            }
            _ => json!(raw),
        };
        // The Rust field's name (`expiration-date` is `expiration_date`).
        let name = k.field.to_ascii_lowercase().replace(['-', ' ', '.'], "_");
        obj.insert(name, value);
    }
    Value::Object(obj)
}

/// Prints the outcome of a queued request.
pub(crate) fn completion(meta: &RequestMeta, done: &Completion, format: Format) -> String {
    match format {
        Format::Raw => raw(&done.envelope),
        Format::Json => {
            let pairs: Vec<Value> = done.fields.iter().map(|(k, v)| json!([k, v])).collect();
            json!({
                "proc_id": done.proc_id,
                "ack": done.is_ack(),
                "result": typed_result(meta, &done.fields),
                "fields": pairs,
            })
            .to_string()
                + "\n"
        }
        Format::Human => {
            let head = if done.is_ack() {
                format!("done: proc id {} succeeded\n", done.proc_id)
            } else {
                format!("failed: proc id {}: {}\n", done.proc_id, done.error_text())
            };
            head + &key_values(&done.fields)
        }
    }
}
