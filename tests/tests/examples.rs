//! Protocol tests generated from the spec's wire examples (`[[request.<name>.examples]]`,
//! read through `metadata::REQUESTS`), after smithy-rs: no per-request test code, so a request
//! added with its examples gets its tests.
//!
//! For every example of every request:
//! - its URL decodes (`AnyRequest::decode`) to the typed request, whose `encode()` gives back
//!   the URL's parameters (the session parameter aside; a placeholder like `<key-to-use>`
//!   stands for the spec's example value of its parameter). A URL that does not decode must be
//!   a docs erratum whose listed `problems` say why.
//! - its answer is a DMAPI envelope shaped like the live server's (LF line ends, a success
//!   status) that the request's own parser (`parse_output`) reads to the recorded `output`
//!   (`{:#?}` of the typed value), and that value, written by the request's generated writer
//!   (`WriteOutput`), gives an answer the parser reads back as equal.
//!
//! Every request needs a URL that decodes and an answer, unless it is on [`KNOWN_GAPS`].

mod wire_url;

use dmapi::meta::{ExampleMeta, RequestMeta};
use dmapi::output::{VisitOutput, WriteOutput};
use dmapi::reply::Reply;
use dmapi::{AnyRequest, Envelope, metadata};
use wire_url::{examples, is_placeholder, parse_url, variants};

/// Requests allowed without a decodable URL example or without an answer example, and why.
/// Empty: every request of the spec has both.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// The problems of one example, as messages.
fn check_example(meta: &RequestMeta, ex: &ExampleMeta) -> Vec<String> {
    let mut problems = Vec::new();
    let url = match parse_url(&ex.url) {
        Ok(url) => url,
        Err(e) => return vec![format!("not a request URL: {e}")],
    };
    if url.endpoint_only {
        // The docs show only the endpoint: nothing to decode, and no answer to pair with.
        if ex.answer.is_some() {
            problems.push("an answer needs a URL with its parameters".to_owned());
        }
        return problems;
    }
    for params in variants(&url.params) {
        let params = with_values(meta, params);
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some((_, decoded)) = AnyRequest::decode(&url.request, &pairs) else {
            problems.push(format!("`{}` is not a request", url.request));
            continue;
        };
        let request = match decoded {
            Ok(request) => request,
            Err(found) => {
                // Only an erratum may fail, and only with the problems it lists.
                for p in found.iter().map(ToString::to_string) {
                    if ex.erratum.is_none() || !ex.problems.iter().any(|l| **l == p) {
                        problems.push(format!("does not decode: {p}"));
                    }
                }
                continue;
            }
        };
        match request.encode() {
            Ok(form) => {
                let want = sorted(
                    pairs
                        .iter()
                        .filter(|(k, _)| !is_session(meta, k))
                        .map(|&(k, v)| (spelled(meta, k), v)),
                );
                let got = sorted(form.iter());
                if got != want {
                    problems.push(format!(
                        "encodes to other parameters:\n    url:     {want:?}\n    encoded: {got:?}"
                    ));
                }
            }
            Err(e) => problems.push(format!("does not encode: {e}")),
        }
        if let (Some(answer), Some(output)) = (&ex.answer, &ex.output) {
            problems.extend(check_answer(&request, answer, output));
        }
    }
    problems
}

/// The parameters with each placeholder (`<key-to-use>`) replaced by the spec's example value
/// of its parameter.
fn with_values<'p>(meta: &RequestMeta, params: Vec<(&'p str, &'p str)>) -> Vec<(&'p str, String)> {
    params
        .into_iter()
        .map(|(k, v)| match meta.param(k) {
            Some(p) if is_placeholder(v) => (k, p.example_value().into_owned()),
            _ => (k, v.to_owned()),
        })
        .collect()
}

/// Whether `name` is the session parameter (which `encode` leaves to the client).
fn is_session(meta: &RequestMeta, name: &str) -> bool {
    let session = meta.session_param.as_deref().unwrap_or("auth-sid");
    name.eq_ignore_ascii_case(session)
}

/// Parameters in a comparable order, names in lower case.
fn sorted<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = params
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .collect();
    out.sort();
    out
}

/// The answer's problems: its shape, and whether it parses to `output`.
fn check_answer(request: &AnyRequest, answer: &str, output: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if answer.contains('\r') {
        problems.push("the answer has CR line ends; the live server sends LF".to_owned());
    }
    let env = match Envelope::parse(answer, &dmapi::metadata::PROTOCOL) {
        Ok(env) => env,
        Err(e) => return vec![format!("the answer is not an envelope: {e}")],
    };
    if !env.is_success() {
        problems.push(format!(
            "the answer is not a success (Status-Code {:?})",
            env.header("Status-Code")
        ));
    }
    match request.output_debug(&env).map(|o| compact(&o)) {
        Ok(got) if got == output.trim_end() => {}
        Ok(got) => problems.push(format!("parses to another output:\n<<<\n{got}\n>>>")),
        Err(e) => problems.push(format!("does not parse: {e}")),
    }
    if let Err(e) = request.visit(WriteBack { env: &env }) {
        problems.push(e);
    }
    problems
}

/// Reads an answer, writes the value it reads as, and reads that again.
struct WriteBack<'e> {
    env: &'e Envelope,
}

impl VisitOutput for WriteBack<'_> {
    type Result = Result<(), String>;

    fn visit<R: WriteOutput>(self, request: &R) -> Result<(), String> {
        let protocol = &metadata::PROTOCOL;
        let Ok(x) = request.parse_output(self.env) else {
            return Ok(()); // reported above
        };
        let reply = Reply::status(protocol, self.env.status_code().unwrap_or(0), 0);
        let written = request
            .write_output(&x, reply)
            .map_err(|e| format!("the output cannot be written back: {e}"))?;
        let back = Envelope::parse(&written, protocol)
            .map_err(|e| e.to_string())
            .and_then(|env| request.parse_output(&env).map_err(|e| e.to_string()))
            .map_err(|e| format!("the written answer does not parse: {e}\n{written}"))?;
        if back != x {
            return Err(format!(
                "written back, it reads as\n{back:?}\nfrom\n{written}"
            ));
        }
        Ok(())
    }
}

/// Widest line a group of `{:#?}` output is joined into.
const WIDTH: usize = 92;

/// `{:#?}` text with every group (`(..)`, `[..]`, `{..}`) that fits in [`WIDTH`] columns on one
/// line, innermost first: `Some(\n    "x",\n)` becomes `Some("x")`.
fn compact(pretty: &str) -> String {
    let lines: Vec<&str> = pretty.lines().collect();
    let (out, _) = group(&lines, 0);
    out.join("\n")
}

/// The lines from `at` up to the end of the group opened just before it (or of the text),
/// compacted, and the index after them.
fn group(lines: &[&str], mut at: usize) -> (Vec<String>, usize) {
    let mut out: Vec<String> = Vec::new();
    while at < lines.len() {
        let line = lines[at];
        let trimmed = line.trim_start();
        if trimmed.starts_with([')', ']', '}']) {
            return (out, at);
        }
        at += 1;
        let Some(close) = opener(line) else {
            out.push(line.to_owned());
            continue;
        };
        let (inner, end) = group(lines, at);
        let Some(closing) = lines.get(end) else {
            out.push(line.to_owned());
            out.extend(inner);
            return (out, end);
        };
        at = end + 1;
        let items: Vec<&str> = inner.iter().map(|l| l.trim()).collect();
        let joined = if items.is_empty() {
            format!("{line}{}", closing.trim_start())
        } else {
            let body = items.join(" ");
            let body = body.strip_suffix(',').unwrap_or(&body);
            let pad = if close == '}' { " " } else { "" };
            format!("{line}{pad}{body}{pad}{}", closing.trim_start())
        };
        if inner.iter().all(|l| opener(l).is_none()) && joined.len() <= WIDTH {
            out.push(joined);
        } else {
            out.push(line.to_owned());
            out.extend(inner);
            out.push((*closing).to_owned());
        }
    }
    (out, at)
}

/// The closing bracket of a line that opens a group.
fn opener(line: &str) -> Option<char> {
    match line.chars().last()? {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        _ => None,
    }
}

#[test]
fn debug_output_is_compacted_exactly() {
    let pretty = "Out {\n    a: Some(\n        \"x(\",\n    ),\n    b: [],\n    c: Date {\n        year: 2027,\n        day: 1,\n    },\n}";
    assert_eq!(
        compact(pretty),
        "Out { a: Some(\"x(\"), b: [], c: Date { year: 2027, day: 1 } }"
    );
    let long = format!("[\n    \"{}\",\n    \"b\",\n]", "a".repeat(WIDTH));
    assert_eq!(compact(&long), long, "a group too wide stays as it is");
}

#[test]
fn every_request_has_wire_examples_that_round_trip() {
    let mut failures = Vec::new();
    for meta in metadata::REQUESTS.iter() {
        let gap = KNOWN_GAPS.iter().any(|(name, _)| *name == meta.name);
        let decodable = meta
            .examples
            .iter()
            .any(|ex| ex.erratum.is_none() && parse_url(&ex.url).is_ok_and(|u| !u.endpoint_only));
        let answered = meta.examples.iter().any(|ex| ex.answer.is_some());
        match (gap, decodable && answered) {
            (false, false) => failures.push(format!(
                "{}: needs an example with a URL that decodes and one with an answer",
                meta.name
            )),
            (true, true) => failures.push(format!(
                "{}: is on KNOWN_GAPS but has its examples; take it off",
                meta.name
            )),
            _ => {}
        }
    }
    for (i, (meta, ex)) in examples().enumerate() {
        let problems = check_example(meta, ex);
        if !problems.is_empty() {
            failures.push(format!(
                "{} example #{i} ({}): {}",
                meta.name,
                ex.source.as_deref().unwrap_or(&ex.url),
                problems.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A parameter's name for any of its spellings (another spelling is sent as the name).
fn spelled<'a>(meta: &'a dmapi::meta::RequestMeta, k: &'a str) -> &'a str {
    match meta.param(k) {
        Some(p) if p.indexed.is_none() => &p.name,
        _ => k,
    }
}
