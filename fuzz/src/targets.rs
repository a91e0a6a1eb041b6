//! The fuzz targets' bodies: the libFuzzer targets in `fuzz/libfuzzer/fuzz_targets/` (one
//! `fuzz_target!` each) and the mutation fuzzer (`fuzz/src/main.rs`) call these, and the
//! workspace's lints and tests reach them (the corpus replay in `fuzz/tests/corpus.rs`). Each
//! function reads one input and panics only on a broken invariant, which libFuzzer reports as
//! a crash.
//!
//! - [`envelope`], [`outputs`] and [`zone`] are also the three targets of the stable mutation
//!   fuzzer, so their coverage can be compared;
//! - [`reply`]: the response writer (`dmapi::reply::Reply`) read back by `Envelope::parse`;
//! - [`form`]: a request as the sandbox receives it, `form::parse_strict` then
//!   `AnyRequest::decode`, and the client's form encoder read back by `form::parse_strict`;
//! - [`validate`]: the CLI's path from argument values to a checked form.
//!
//! Inputs of `form` and `validate` start with a request name on their first line.

use std::sync::LazyLock;

use dmapi::form::parse_strict;
use dmapi::meta::{ParamMeta, RequestMeta, ValueType};
use dmapi::reply::Reply;
use dmapi::{AnyRequest, DomainName, Envelope, Form, Zone, metadata, validate as check};

/// Every request of the spec that decodes from its example parameters: whose answer parsers
/// [`outputs`] runs.
pub static REQUESTS: LazyLock<Vec<AnyRequest>> = LazyLock::new(|| {
    metadata::REQUESTS
        .iter()
        .filter_map(|m| {
            let params = m.example_params();
            let raw: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            AnyRequest::decode(&m.name, &raw)?.1.ok()
        })
        .collect()
});

/// The answer as the client reads it (reqwest's `text()` replaces bad UTF-8 the same way).
fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

/// The request name on the first line, and the rest.
fn split_name(input: &[u8]) -> (String, &[u8]) {
    match input.iter().position(|&b| b == b'\n') {
        Some(i) => (text(&input[..i]), &input[i + 1..]),
        None => (text(input), &[]),
    }
}

/// `Envelope::parse` and every accessor.
pub fn envelope(input: &[u8]) {
    if let Ok(env) = Envelope::parse(&text(input), &dmapi::metadata::PROTOCOL) {
        let _ = (
            env.status_code(),
            env.is_success(),
            env.tracking_id(),
            env.proc_id(),
        );
        let _ = env.headers().count() + env.errors().count() + env.warnings().count();
        assert!(env.payload().len() <= input.len() * 3 + 3);
    }
}

/// The answer parser of every request of the spec on every envelope.
pub fn outputs(input: &[u8]) {
    if let Ok(env) = Envelope::parse(&text(input), &dmapi::metadata::PROTOCOL) {
        for r in REQUESTS.iter() {
            let _ = r.check_output(&env);
        }
    }
}

/// `Zone::parse`, `validate`, and: whatever `to_text` writes reads back as the same zone.
pub fn zone(input: &[u8]) {
    let z = Zone::parse(&text(input));
    let _ = z.validate();
    if let Ok(written) = z.to_text() {
        assert_eq!(Zone::parse(&written), z, "write/read round trip");
    }
}

/// What a header name may hold, as `Envelope::parse` reads one.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// The response writer read back: the input's first line is `STATUS TEXT`, the following
/// lines up to a blank one are `Key: value` headers (keys reduced to header-name characters,
/// since the server's keys are constants), the rest is the payload. `Reply` writes it and
/// `Envelope::parse` must give back the status, every header (a CR or LF in a value written
/// as a space) and the payload exactly.
pub fn reply(input: &[u8]) {
    let input = text(input);
    let mut lines = input.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    let first = first.strip_suffix('\n').unwrap_or(first);
    let (status, status_text) = first.split_once(' ').unwrap_or((first, ""));
    let status: u16 = status.parse().unwrap_or(0);
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut payload = String::new();
    for line in lines.by_ref() {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if bare.is_empty() {
            break;
        }
        let (k, v) = bare.split_once(':').unwrap_or((bare, ""));
        let mut key: String = k.chars().filter(|&c| is_key_char(c)).collect();
        if key.is_empty() {
            key.push('X');
        }
        headers.push((key, v.strip_prefix(' ').unwrap_or(v).to_owned()));
    }
    for line in lines {
        payload.push_str(line);
    }

    let mut written = Reply::new(&dmapi::metadata::PROTOCOL, status, status_text);
    for (k, v) in &headers {
        written.push_header(k, v);
    }
    let written = written.finish(&payload);
    let env =
        Envelope::parse(&written, &dmapi::metadata::PROTOCOL).expect("a written reply parses");
    let one_line = |v: &str| -> String {
        v.chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect()
    };
    let mut expected = vec![
        ("Status-Code".to_owned(), status.to_string()),
        ("Status-Text".to_owned(), one_line(status_text)),
    ];
    expected.extend(headers.iter().map(|(k, v)| (k.clone(), one_line(v))));
    let got: Vec<(String, String)> = env
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, expected, "headers written then read");
    assert_eq!(env.payload(), payload, "payload written then read");
    assert_eq!(env.status_code(), Some(status), "status written then read");
}

/// Checks what the client's encoder makes of `params` reads back the same in the sandbox.
fn form_round_trip(params: &[(String, String)]) {
    let mut form = Form::new();
    for (k, v) in params {
        form.push(k.clone(), v.clone());
    }
    let body = form.to_urlencoded();
    let back = parse_strict(body.as_bytes()).expect("an encoded form parses");
    assert_eq!(back, params, "form encoded then parsed");
}

/// Checks that the spec's checker and the typed decoder agree: what `validate` accepts
/// decodes (the server would not refuse what the client let through).
fn decode_agrees(name: &str, raw: &[(&str, &str)]) {
    if let Some((meta, decoded)) = AnyRequest::decode(name, raw) {
        let checked = check::validate(meta, raw.iter().copied());
        if checked.is_ok()
            && let Err(problems) = &decoded
        {
            panic!("validate accepts what decode refuses: {problems:?}");
        }
        if let Ok(req) = decoded {
            let _ = req.meta();
        }
    }
}

/// A request as the sandbox receives it: the first line names the request, the rest is the
/// form body (percent-encoding, `+`, bytes that are not UTF-8). `form::parse_strict`, then
/// `AnyRequest::decode` with that name; the decoded parameters written by the client's
/// `Form` encoder read back the same.
pub fn form(input: &[u8]) {
    let (name, body) = split_name(input);
    let Ok(params) = parse_strict(body) else {
        return;
    };
    form_round_trip(&params);
    let raw: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    decode_agrees(&name, &raw);
}

/// The check the CLI's value parser makes of one flag's value (`cli/src/args.rs`,
/// `checked` and the enums' possible values): the value to send, or a usage error.
fn cli_value(p: &ParamMeta, value: &str) -> Option<String> {
    match &p.ty {
        ValueType::Enum { values, .. } => {
            values.iter().any(|v| v == value).then(|| value.to_owned())
        }
        ValueType::Zone => Some(value.to_owned()),
        _ => match (value.is_empty(), p.allow_empty) {
            (true, true) => Some(String::new()),
            (true, false) => None,
            _ if p.ty == ValueType::Domain => {
                DomainName::from_unicode(value).ok().map(String::from)
            }
            _ => p.ty.check(value).ok().map(|()| value.to_owned()),
        },
    }
}

/// The CLI's path from arguments to a checked form: the first line names the request
/// (`metadata::find`, as the CLI does), each further line is `name=value` as given on the
/// command line. Values of known parameters go through the CLI's value check; then the form
/// is checked by `validate_form` (what `Client::send_raw` does before sending), which must
/// agree with `validate`, with the typed decoder, and survive the wire to the sandbox.
pub fn validate(input: &[u8]) {
    let (name, rest) = split_name(input);
    let Some(meta): Option<&RequestMeta> = metadata::find(&name) else {
        return;
    };
    let rest = text(rest);
    let mut params: Vec<(String, String)> = Vec::new();
    for line in rest.split('\n') {
        let (k, v) = line.split_once('=').unwrap_or((line, ""));
        let v = match meta.param(k) {
            Some(p) => match cli_value(p, v) {
                Some(v) => v,
                None => return, // a usage error: nothing is sent
            },
            None => v.to_owned(),
        };
        params.push((k.to_owned(), v));
    }
    let mut form = Form::new();
    for (k, v) in &params {
        form.push(k.clone(), v.clone());
    }
    let by_form = check::validate_form(meta, &form);
    let raw: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let direct = check::validate(meta, raw.iter().copied());
    assert_eq!(by_form, direct, "validate_form and validate disagree");
    if by_form.is_ok() {
        form_round_trip(&params);
        decode_agrees(&meta.name, &raw);
    }
}
