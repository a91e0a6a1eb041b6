//! A request's wire examples (`[[request.<name>.examples]]`): a request URL as the docs print
//! it (or as the spec adds it), errata with the problems they are known to have, and answers
//! shaped like the live server's with the typed output they parse to. Checked here for what
//! the spec alone can tell; the conformance tests check them against the generated code.

use super::cx::Cx;
use super::decl::Str;
use super::located::{seq, text};
use super::raw::{self, Tables};
use super::suggest::hint;
use crate::model::ExampleMeta;

/// Where an answer's shape comes from.
pub(crate) const ANSWER_FROM: [&str; 3] = ["docs", "spec", "wire"];

/// The examples of request `request` (at URL path `path`, when it has its own), every problem
/// reported.
pub(crate) fn examples(
    cx: &mut Cx<'_, '_>,
    request: &str,
    path: Option<&str>,
    value: Tables<raw::Example>,
) -> Vec<ExampleMeta> {
    let read = cx.tables("examples", value, "an example", |cx, e| {
        example(cx, (request, path), e)
    });
    // A docs example is listed once: the same source twice is a copy-and-paste slip.
    let mut seen: Vec<&Str> = Vec::new();
    for source in read.iter().filter_map(|(_, source)| source.as_ref()) {
        match seen.iter().find(|s| s.value == source.value) {
            Some(first) => {
                let message = format!(
                    "example source `{}` is listed twice (first at {})",
                    source.value,
                    cx.sink.describe(&first.loc)
                );
                cx.error(&source.loc, message);
            }
            None => seen.push(source),
        }
    }
    read.into_iter().map(|(ex, _)| ex).collect()
}

/// One example, and its source with where it is.
fn example(
    cx: &mut Cx<'_, '_>,
    request: (&str, Option<&str>),
    e: raw::Example,
) -> Option<(ExampleMeta, Option<Str>)> {
    let url = cx.req_str("url", e.url);
    let source = cx.str("source", e.source);
    let erratum = cx.str("erratum", e.erratum);
    let problems = cx.strs("problems", e.problems);
    let answer = cx.str("answer", e.answer);
    let answer_from = cx.str("answer_from", e.answer_from);
    let output = cx.str("output", e.output);
    if let Some(url) = &url {
        check_url(cx, request, url);
    }
    if let Some(s) = &source {
        check_source(cx, s);
    }
    match (&erratum, &problems) {
        (Some(e), None) => cx.error(
            &e.loc,
            "an erratum needs `problems`: what a check of its URL reports, in order",
        ),
        (None, Some(_)) => {
            cx.error_here("`problems` belong to an erratum: add `erratum = \"why\"`")
        }
        (Some(e), Some(p)) if p.is_empty() => cx.error(
            &e.loc,
            "an erratum needs at least one of `problems`; a URL without problems is no erratum",
        ),
        _ => {}
    }
    if let Some(e) = &erratum {
        if source.is_none() {
            cx.error(
                &e.loc,
                "an erratum is a docs example: add `source = \"<file>:<line>\"`",
            );
        }
        if let Some(a) = &answer {
            cx.error(
                &a.loc,
                "an erratum's URL is wrong, so it carries no answer; give the answer with a correct URL",
            );
        }
    }
    match (&answer, &output) {
        (Some(_), None) => {
            cx.error_here("an example with an `answer` needs the `output` it parses to")
        }
        (None, Some(o)) => cx.error(&o.loc, "`output` needs the `answer` it is parsed from"),
        _ => {}
    }
    if let Some(a) = &answer {
        check_answer(cx, a);
        if answer_from.is_none() {
            cx.error_here(format!(
                "an example with an `answer` needs `answer_from` (one of: {})",
                ANSWER_FROM.join(", ")
            ));
        }
    } else if let Some(f) = &answer_from {
        cx.error(&f.loc, "`answer_from` needs an `answer`");
    }
    if let Some(f) = &answer_from
        && !ANSWER_FROM.contains(&f.value.as_str())
    {
        let message = format!(
            "`answer_from` is one of: {} (found `{}`){}",
            ANSWER_FROM.join(", "),
            f.value,
            hint(&f.value, &ANSWER_FROM)
        );
        cx.error(&f.loc, message);
    }
    let meta = ExampleMeta {
        source: source.as_ref().map(|s| text(&s.value)),
        url: text(url?.value),
        erratum: erratum.map(|e| text(e.value)),
        problems: seq(problems
            .unwrap_or_default()
            .into_iter()
            .map(|p| text(p.value))),
        answer: answer.map(|a| text(a.value)),
        answer_from: answer_from.map(|f| text(f.value)),
        output: output.map(|o| text(o.value)),
    };
    Some((meta, source))
}

/// `<scheme>://<host>/request/<name>[?<query>]`, naming this request; for a request with a
/// path of its own, `<scheme>://<host><path>[?<query>]`.
fn check_url(cx: &mut Cx<'_, '_>, (request, own): (&str, Option<&str>), url: &Str) {
    let path = url
        .value
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| path.split_once('?').map_or(path, |(p, _)| p));
    if let Some(own) = own {
        if path != Some(own.trim_start_matches('/')) {
            let message = format!(
                "an example `url` of `{request}` is `https://<host>{own}`, optionally with `?<parameters>`"
            );
            cx.error(&url.loc, message);
        }
        return;
    }
    match path.and_then(|p| p.strip_prefix("request/")) {
        None => cx.error(
            &url.loc,
            "an example `url` is `https://<host>/request/<name>`, optionally with `?<parameters>`",
        ),
        Some(name) if !name.eq_ignore_ascii_case(request) => cx.error(
            &url.loc,
            format!(
                "the example URL is a `{name}` request, not `{request}`; put it under `{name}`"
            ),
        ),
        Some(_) => {}
    }
}

/// `<file>:<line>`, the line a positive number.
fn check_source(cx: &mut Cx<'_, '_>, source: &Str) {
    let ok = source.value.rsplit_once(':').is_some_and(|(file, line)| {
        !file.trim().is_empty()
            && !line.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && !line.starts_with('0')
    });
    if !ok {
        cx.error(
            &source.loc,
            format!(
                "an example `source` is `<file>:<line>` (like `dmapi-reference.txt:99`), found `{}`",
                source.value
            ),
        );
    }
}

/// Header lines first: the answer starts with a `Key: value` line.
fn check_answer(cx: &mut Cx<'_, '_>, answer: &Str) {
    let first = answer.value.lines().next().unwrap_or_default();
    let header = first
        .split_once(':')
        .is_some_and(|(k, _)| !k.is_empty() && !k.contains(char::is_whitespace));
    if !header {
        cx.error(
            &answer.loc,
            format!(
                "an example `answer` starts with its headers (`Status-Code: 0`, ...), found `{first}`"
            ),
        );
    }
}
