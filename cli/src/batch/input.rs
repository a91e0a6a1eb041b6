//! Reading a batch file: JSON lines (`{"request": NAME, PARAM: VALUE, ...}`) or CSV with a
//! header row naming the parameters, each line checked against its request's metadata
//! before anything is sent.

use std::path::Path;

use dmapi::meta::{ParamMeta, RequestMeta, ValueType};
use dmapi::metadata;
use serde_json::Value;

use super::csv;

/// The key (JSON) or column (CSV) that names a line's request. The batch format's own word,
/// not a DMAPI parameter (a test checks that no request has a parameter of that name).
pub(crate) const REQUEST_KEY: &str = "request";

/// The two formats of a batch file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// One JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
}

impl Format {
    /// The `--format` values, in the order of [`Format::from_name`].
    pub(crate) const NAMES: [&'static str; 2] = ["jsonl", "csv"];

    /// The format `--format` names, or the one the file's extension says.
    pub(crate) fn of(path: &Path, given: Option<&str>) -> Result<Format, String> {
        if let Some(name) = given {
            return Format::from_name(name)
                .ok_or_else(|| format!("--format: `{name}` is neither jsonl nor csv"));
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("jsonl" | "json" | "ndjson") => Ok(Format::Jsonl),
            Some("csv") => Ok(Format::Csv),
            _ => Err(format!(
                "cannot tell the format of {} by its extension (.jsonl, .json or .csv); give \
                 --format jsonl or --format csv",
                path.display()
            )),
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        match name {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// One request of the batch: its line number, the request, and its wire parameters in the
/// order given.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) number: usize,
    pub(crate) meta: &'static RequestMeta,
    pub(crate) params: Vec<(String, String)>,
}

/// Every line of `text`, each checked against its request's metadata; `Err` lists every bad
/// line as `line N: ...`. `default` is the request of lines (rows) that name none.
pub(crate) fn read(
    text: &str,
    format: Format,
    default: Option<&'static RequestMeta>,
) -> Result<Vec<Line>, Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = match format {
        Format::Jsonl => jsonl(text, default),
        Format::Csv => csv_lines(text, default),
    };
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for item in parsed {
        match item.and_then(checked) {
            Ok(line) => lines.push(line),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// A parsed line against its request's spec: the same validation as
/// [`dmapi::Client::send_raw`], and no session request (the batch keeps one session).
fn checked(line: Line) -> Result<Line, String> {
    let n = line.number;
    let name = &*line.meta.name;
    let session = &metadata::SESSION;
    if name == &*session.login || name == &*session.logout {
        return Err(format!(
            "line {n}: {name}: the batch logs in once and keeps its session; leave {name} out"
        ));
    }
    let given = line.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    match dmapi::validate::validate(line.meta, given) {
        Ok(()) => Ok(line),
        Err(problems) => {
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Err(format!("line {n}: {name}: {}", all.join("; ")))
        }
    }
}

fn request_named(n: usize, name: &str) -> Result<&'static RequestMeta, String> {
    metadata::find(name).ok_or_else(|| format!("line {n}: unknown request `{name}`"))
}

/// A value as sent: checked by its type, a Unicode domain name in its punycode form, as the
/// CLI's flags take it.
fn wire_value(param: Option<&ParamMeta>, value: String) -> Result<String, String> {
    match param {
        // As the CLI's flags take it; an unknown parameter is left to the spec's validation.
        Some(p) => {
            crate::args::value_to_send(p, value).map_err(|e| format!("parameter `{}`: {e}", p.name))
        }
        None => Ok(value),
    }
}

fn jsonl(text: &str, default: Option<&'static RequestMeta>) -> Vec<Result<Line, String>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| json_line(i + 1, l, default))
        .collect()
}

fn json_line(n: usize, text: &str, default: Option<&'static RequestMeta>) -> Result<Line, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("line {n}: not JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err(format!(
            "line {n}: not a JSON object (one object per line: {{\"{REQUEST_KEY}\": NAME, \
             PARAMETER: VALUE, ...}})"
        ));
    };
    let meta = match object.get(REQUEST_KEY) {
        Some(Value::String(name)) => request_named(n, name)?,
        Some(other) => {
            return Err(format!(
                "line {n}: `{REQUEST_KEY}` must be a request name, not {other}"
            ));
        }
        None => default.ok_or_else(|| {
            format!("line {n}: no `{REQUEST_KEY}` (or give --request NAME for lines without one)")
        })?,
    };
    let mut params = Vec::new();
    let mut problems = Vec::new();
    for (key, value) in object.into_iter().filter(|(k, _)| k != REQUEST_KEY) {
        if let Err(e) = json_param(meta, key, value, &mut params) {
            problems.push(e);
        }
    }
    finish_line(n, meta, params, &problems)
}

/// The line, or every problem found in it.
fn finish_line(
    n: usize,
    meta: &'static RequestMeta,
    params: Vec<(String, String)>,
    problems: &[String],
) -> Result<Line, String> {
    if !problems.is_empty() {
        return Err(format!("line {n}: {}: {}", meta.name, problems.join("; ")));
    }
    Ok(Line {
        number: n,
        meta,
        params,
    })
}

/// One JSON member as wire parameters: strings as they are, numbers as written, `true` and
/// `false` in a flag's spelling, an array as an indexed parameter's values (`name-1`, ...),
/// `null` as absent.
fn json_param(
    meta: &RequestMeta,
    key: String,
    value: Value,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let param = meta.param(&key);
    let scalar = |value: Value| -> Result<String, String> {
        match value {
            Value::String(s) => wire_value(param, s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => match param.map(|p| &p.ty) {
                Some(ValueType::Flag(spelling)) => Ok(spelling.encode(b).to_owned()),
                _ => Err(format!(
                    "`{key}`: true or false only for a flag parameter; give the value as text"
                )),
            },
            other => Err(format!("`{key}`: a string, number or flag, not {other}")),
        }
    };
    match value {
        Value::Null => {}
        Value::Array(items) => match param.and_then(|p| p.indexed.map(|_| p)) {
            Some(p) => {
                for (i, item) in items.into_iter().enumerate() {
                    out.push((format!("{}-{}", p.name, i + 1), scalar(item)?));
                }
            }
            None => {
                return Err(format!(
                    "`{key}`: a list of values only for an indexed parameter"
                ));
            }
        },
        other => {
            let v = scalar(other)?;
            out.push((key, v));
        }
    }
    Ok(())
}

fn csv_lines(text: &str, default: Option<&'static RequestMeta>) -> Vec<Result<Line, String>> {
    let records = match csv::records(text) {
        Ok(r) => r,
        Err(e) => return vec![Err(e)],
    };
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Vec::new();
    };
    let columns: Vec<String> = header.fields.iter().map(|c| c.trim().to_owned()).collect();
    let request_at = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(REQUEST_KEY));
    let mut header_problems = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if c.is_empty() {
            header_problems.push(format!(
                "line {}: column {} has no name",
                header.line,
                i + 1
            ));
        } else if columns[..i].iter().any(|d| d.eq_ignore_ascii_case(c)) {
            header_problems.push(format!("line {}: column `{c}` twice", header.line));
        }
    }
    if request_at.is_none() && default.is_none() {
        header_problems.push(format!(
            "line {}: no `{REQUEST_KEY}` column; give --request NAME for a file of one request",
            header.line
        ));
    }
    if !header_problems.is_empty() {
        return header_problems.into_iter().map(Err).collect();
    }
    records
        .map(|record| {
            let n = record.line;
            if record.fields.len() != columns.len() {
                return Err(format!(
                    "line {n}: {} fields, the header has {}",
                    record.fields.len(),
                    columns.len()
                ));
            }
            let meta = match request_at.map(|i| record.fields[i].trim()) {
                Some(name) if !name.is_empty() => request_named(n, name)?,
                _ => default.ok_or_else(|| format!("line {n}: no request named"))?,
            };
            let mut params = Vec::new();
            let mut problems = Vec::new();
            for (i, (column, value)) in columns.iter().zip(record.fields).enumerate() {
                // An empty cell: the parameter is not given.
                if Some(i) == request_at || value.is_empty() {
                    continue;
                }
                match wire_value(meta.param(column), value) {
                    Ok(v) => params.push((column.clone(), v)),
                    Err(e) => problems.push(e),
                }
            }
            finish_line(n, meta, params, &problems)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_request_has_a_parameter_named_like_the_request_column() {
        for meta in metadata::REQUESTS {
            assert!(
                meta.param(REQUEST_KEY).is_none(),
                "{}: a parameter `{REQUEST_KEY}` would clash with the batch format's column",
                meta.name
            );
        }
    }

    #[test]
    fn the_format_comes_from_the_option_or_the_extension() {
        let of = |p: &str, g| Format::of(Path::new(p), g);
        assert_eq!(of("a.jsonl", None), Ok(Format::Jsonl));
        assert_eq!(of("a.JSON", None), Ok(Format::Jsonl));
        assert_eq!(of("a.csv", None), Ok(Format::Csv));
        assert_eq!(of("a.txt", Some("csv")), Ok(Format::Csv));
        assert!(of("a.txt", None).is_err());
        assert!(of("a.csv", Some("xml")).is_err());
    }

    #[test]
    fn json_values_become_wire_parameters() {
        let meta = metadata::REQUESTS
            .iter()
            .copied()
            .find(|m| {
                m.params
                    .iter()
                    .any(|p| matches!(p.ty, ValueType::Flag(_)) && !p.required)
            })
            .expect("a request with an optional flag");
        let flag = meta
            .params
            .iter()
            .find(|p| matches!(p.ty, ValueType::Flag(_)))
            .expect("a flag");
        let ValueType::Flag(spelling) = &flag.ty else {
            panic!("{} was found as a flag", flag.name)
        };
        let mut out = Vec::new();
        json_param(meta, flag.name.to_string(), Value::Bool(true), &mut out).unwrap();
        json_param(meta, "x".into(), Value::Null, &mut out).unwrap();
        assert_eq!(
            out,
            vec![(flag.name.to_string(), spelling.encode(true).into())]
        );
        assert!(json_param(meta, "x".into(), Value::Bool(true), &mut out).is_err());
        assert!(json_param(meta, "x".into(), serde_json::json!({}), &mut out).is_err());
    }
}
