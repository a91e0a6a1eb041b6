//! Printing answers: an aligned table or `key: value` lines for people, JSON for scripts, or
//! the DMAPI text as received. The session id is never printed except in `--raw`.

use dmapi::meta::{BodyKind, RequestMeta, ReturnsMeta, Separator, ValueType};
use dmapi::output::Table;
use dmapi::{Completion, Envelope, KeyValues};
use serde_json::{Map, Value, json};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Aligned columns, or `key: value` lines (`--output table`, the default).
    Human,
    /// One JSON document (`--output json`, `--json`).
    Json,
    /// One JSON object per row (`--output jsonl`).
    Jsonl,
    /// RFC 4180 CSV (`--output csv`).
    Csv,
    /// The DMAPI text as received (`--raw`).
    Raw,
}

/// What to print of an answer: the format, the columns chosen (`--columns`, all when `None`),
/// and whether tables and CSV start with a header line (`--no-header` turns it off).
#[derive(Clone, Debug)]
pub(crate) struct Style {
    pub(crate) format: Format,
    pub(crate) columns: Option<Vec<String>>,
    pub(crate) header: bool,
}

impl Style {
    /// The default: a table with its header.
    #[cfg(test)]
    pub(crate) fn of(format: Format) -> Style {
        Style {
            format,
            columns: None,
            header: true,
        }
    }

    /// `cols` and `rows` cut to the chosen columns, in the order given; an unknown column is an
    /// error that names the ones the answer has.
    fn select(
        &self,
        cols: Vec<String>,
        rows: Vec<Vec<String>>,
    ) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
        let Some(chosen) = &self.columns else {
            return Ok((cols, rows));
        };
        let mut at = Vec::with_capacity(chosen.len());
        for c in chosen {
            match cols.iter().position(|have| have.eq_ignore_ascii_case(c)) {
                Some(i) => at.push(i),
                None => {
                    return Err(format!(
                        "--columns: the answer has no column `{c}`; it has: {}",
                        cols.join(", ")
                    ));
                }
            }
        }
        let pick = |row: &[String]| -> Vec<String> {
            at.iter()
                .map(|&i| row.get(i).cloned().unwrap_or_default())
                .collect()
        };
        let rows = rows.iter().map(|r| pick(r)).collect();
        Ok((pick(&cols), rows))
    }
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
    style: &Style,
) -> Result<String, String> {
    if style.format == Format::Raw {
        return Ok(raw(env));
    }
    if is_tabular(ret, env) && env.proc_id().is_none() {
        let (cols, rows) = table_of(ret, env);
        let (cols, rows) = style.select(cols, rows)?;
        return Ok(match style.format {
            Format::Json => json_answer(meta, ret, env, Some((&cols, &rows))).to_string() + "\n",
            Format::Jsonl => rows
                .iter()
                .map(|r| row_object(&cols, r).to_string() + "\n")
                .collect(),
            Format::Csv => csv(style.header.then_some(&cols[..]), &rows),
            _ => {
                let mut out = headers_text(ret, env);
                out.push_str(&aligned(style.header.then_some(&cols[..]), &rows));
                out
            }
        });
    }
    if style.columns.is_some() {
        return Err(format!(
            "--columns: the answer of {} is not a table",
            meta.name
        ));
    }
    Ok(match style.format {
        Format::Json | Format::Jsonl => json_answer(meta, ret, env, None).to_string() + "\n",
        Format::Csv if ret.body == BodyKind::KeyValue => {
            let kv = KeyValues::parse(env.payload());
            let rows: Vec<Vec<String>> = kv
                .iter()
                .map(|(k, v)| vec![k.to_owned(), v.to_owned()])
                .collect();
            csv(
                style.header.then_some(&["key".into(), "value".into()]),
                &rows,
            )
        }
        _ => human(ret, env),
    })
}

/// RFC 4180: a cell with a comma, a quote or a line break is quoted, quotes doubled.
fn csv(header: Option<&[String]>, rows: &[Vec<String>]) -> String {
    let cell = |c: &str| {
        if c.contains([',', '"', '\r', '\n']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c.to_owned()
        }
    };
    header
        .into_iter()
        .chain(rows.iter().map(Vec::as_slice))
        .map(|r| r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + "\r\n")
        .collect()
}

/// A row as a JSON object keyed by column (`column3` past the named ones).
fn row_object(cols: &[String], row: &[String]) -> Value {
    let mut o = Map::new();
    for (i, c) in row.iter().enumerate() {
        let key = cols
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column{}", i + 1));
        o.insert(key, json!(c));
    }
    Value::Object(o)
}

/// The answer as received (`--raw`): the session id included.
fn raw(env: &Envelope) -> String {
    let mut out = String::new();
    for (k, v) in env.headers() {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(env.payload());
    out
}

/// The headers people see above an answer.
fn headers_text(ret: &ReturnsMeta, env: &Envelope) -> String {
    shown_headers(ret, env)
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}\n"))
        .collect()
}

fn human(ret: &ReturnsMeta, env: &Envelope) -> String {
    let mut out = headers_text(ret, env);
    if let Some(proc_id) = env.proc_id() {
        out.push_str(&format!("queued: proc id {proc_id}"));
        if let Some(t) = env.tracking_id() {
            out.push_str(&format!(" (tracking id {t})"));
        }
        out.push('\n');
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

/// Columns padded to their widest cell, under a header line unless `cols` is `None`; the last
/// column is not padded.
pub(crate) fn aligned(cols: Option<&[String]>, rows: &[Vec<String>]) -> String {
    let width = rows
        .iter()
        .map(Vec::len)
        .chain(cols.map(<[String]>::len))
        .max()
        .unwrap_or(0);
    let mut widths = vec![0usize; width];
    for row in cols.into_iter().chain(rows.iter().map(Vec::as_slice)) {
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
    let mut out = cols.map(line).unwrap_or_default();
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

/// The answer as one JSON object; `table` is a tabular answer's (chosen) columns and rows.
fn json_answer(
    meta: &RequestMeta,
    ret: &ReturnsMeta,
    env: &Envelope,
    table: Option<(&[String], &[Vec<String>])>,
) -> Value {
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
    if let Some((cols, rows)) = table {
        let rows: Vec<Value> = rows.iter().map(|r| row_object(cols, r)).collect();
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
        Format::Csv => {
            let rows: Vec<Vec<String>> = [
                vec!["proc_id".to_owned(), done.proc_id.to_string()],
                vec!["ack".to_owned(), done.is_ack().to_string()],
            ]
            .into_iter()
            .chain(
                done.fields
                    .iter()
                    .map(|(k, v)| vec![k.to_owned(), v.to_owned()]),
            )
            .collect();
            csv(None, &rows)
        }
        Format::Json | Format::Jsonl => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let rows = vec![strings(&["a.com", "x,y", "say \"hi\"", "two\nlines", ""])];
        let out = csv(Some(&strings(&["d", "c", "q", "l", "e"])), &rows);
        assert_eq!(
            out,
            "d,c,q,l,e\r\na.com,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
        assert_eq!(csv(None, &rows).lines().count(), 2, "no header line");
    }

    #[test]
    fn columns_are_chosen_by_name_in_the_order_given() {
        let style = Style {
            columns: Some(strings(&["status", "DOMAIN"])),
            ..Style::of(Format::Csv)
        };
        let (cols, rows) = style
            .select(
                strings(&["domain", "expiration_date", "status"]),
                vec![
                    strings(&["a.com", "2030-01-01", "lock"]),
                    strings(&["b.com", "2031-01-01"]),
                ],
            )
            .expect("known columns");
        assert_eq!(cols, strings(&["status", "domain"]));
        assert_eq!(
            rows,
            vec![strings(&["lock", "a.com"]), strings(&["", "b.com"])]
        );
        let unknown = Style {
            columns: Some(strings(&["owner"])),
            ..Style::of(Format::Human)
        };
        let e = unknown
            .select(strings(&["domain"]), Vec::new())
            .expect_err("an unknown column");
        assert!(e.contains("`owner`") && e.contains("domain"), "{e}");
    }

    #[test]
    fn aligned_tables_with_and_without_a_header() {
        let rows = vec![strings(&["a.com", "x"]), strings(&["bb.com", "y"])];
        let head = strings(&["domain", "s"]);
        assert_eq!(
            aligned(Some(&head), &rows),
            "domain  s\na.com   x\nbb.com  y\n"
        );
        assert_eq!(aligned(None, &rows), "a.com   x\nbb.com  y\n");
    }

    #[test]
    fn rows_past_the_named_columns_get_positional_keys() {
        let v = row_object(&strings(&["domain"]), &strings(&["a.com", "extra"]));
        assert_eq!(v, json!({"domain": "a.com", "column2": "extra"}));
    }
}
