//! Answers are symmetric with requests: for every request of the spec, an answer shaped from
//! its metadata is read by the request's parser, written by its writer, and read again as the
//! same value (`parse(write(x)) == x`); writing that value again gives the same text. No test
//! code per request: `AnyRequest::visit` hands each typed request to one generic check.
//!
//! 64 cases per request (`PROPTEST_CASES` overrides), so the whole spec runs in seconds.

#[path = "answers/shapes.rs"]
mod shapes;

use dmapi::meta::RequestMeta;
use dmapi::metadata;
use dmapi::output::{VisitOutput, WriteOutput};
use dmapi::reply::Reply;
use dmapi::{AnyRequest, Envelope};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The round trip of one answer, for any request type.
struct RoundTrip<'e> {
    env: &'e Envelope,
}

impl VisitOutput for RoundTrip<'_> {
    type Result = Result<(), String>;

    fn visit<R: WriteOutput>(self, request: &R) -> Result<(), String> {
        let reply = || Reply::new(0, "Command completed successfully");
        let x = request
            .parse_output(self.env)
            .map_err(|e| format!("the generated answer does not parse: {e}"))?;
        let written = request
            .write_output(&x, reply())
            .map_err(|e| format!("{e}\nvalue: {x:?}"))?;
        let env = Envelope::parse(&written).map_err(|e| format!("{e}\n{written}"))?;
        let back = request
            .parse_output(&env)
            .map_err(|e| format!("the written answer does not parse: {e}\n{written}"))?;
        if back != x {
            return Err(format!(
                "read back as\n{back:?}\nnot\n{x:?}\nfrom\n{written}"
            ));
        }
        let again = request
            .write_output(&back, reply())
            .map_err(|e| e.to_string())?;
        if again != written {
            return Err(format!("written again as\n{again}\nnot\n{written}"));
        }
        Ok(())
    }
}

/// The request `meta` names, decoded from its example parameters and `flags`.
fn request(meta: &RequestMeta, flags: &[(String, String)]) -> AnyRequest {
    let mut params = meta.example_params();
    params.retain(|(k, _)| !flags.iter().any(|(f, _)| f == k));
    params.extend(flags.iter().cloned());
    let raw: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    match AnyRequest::decode(&meta.name, &raw) {
        Some((_, Ok(request))) => request,
        other => panic!("{}: {other:?}", meta.name),
    }
}

#[test]
fn every_answer_reads_back_as_written() {
    let mut checked = 0;
    // An alias decodes as its target, which is checked under its own name.
    for &meta in metadata::REQUESTS.iter().filter(|m| m.alias_of.is_none()) {
        let mut runner = TestRunner::new(config());
        let result = runner.run(&shapes::case(meta), |(flags, text)| {
            let env = Envelope::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            request(meta, &flags)
                .visit(RoundTrip { env: &env })
                .map_err(|e| TestCaseError::fail(format!("{e}\nanswer:\n{text}")))
        });
        if let Err(e) = result {
            panic!("{}: {e}", meta.name);
        }
        checked += 1;
    }
    assert!(checked > 30, "only {checked} requests");
}
