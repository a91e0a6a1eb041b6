//! Answers are symmetric with requests: for every request of the spec, an answer shaped from
//! its metadata is read by the request's parser, written by its writer, and read again as the
//! same value (`parse(write(x)) == x`); writing that value again gives the same text. No test
//! code per request: `AnyRequest::visit` hands each typed request to one generic check.
//!
//! 64 cases per request (`PROPTEST_CASES` overrides), so the whole spec runs in seconds.

#[path = "answers/shapes.rs"]
mod shapes;

#[allow(dead_code, deprecated)] // the whole generated API; the fixture deprecates on purpose
mod fixture {
    include!("../../codegen/tests/golden/fixture.rs");
}

use dmapi::meta::{ProtocolMeta, RequestMeta};
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
    protocol: &'static ProtocolMeta,
}

impl VisitOutput for RoundTrip<'_> {
    type Result = Result<(), String>;

    fn visit<R: WriteOutput>(self, request: &R) -> Result<(), String> {
        let reply = || Reply::new(self.protocol, 0, "Command completed successfully");
        let x = request
            .parse_output(self.env)
            .map_err(|e| format!("the generated answer does not parse: {e}"))?;
        let written = request
            .write_output(&x, reply())
            .map_err(|e| format!("{e}\nvalue: {x:?}"))?;
        let env =
            Envelope::parse(&written, self.protocol).map_err(|e| format!("{e}\n{written}"))?;
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

/// The parameters of `meta`'s request: `flags` (and the value choosing the answer), completed
/// with example values.
fn params(meta: &RequestMeta, flags: &[(String, String)]) -> Vec<(String, String)> {
    meta.example_params_with(flags.to_vec())
}

/// Runs the round trip for every request in `requests`; `round_trip` decodes the request from
/// its name and parameters and visits it with [`RoundTrip`].
fn check_spec(
    protocol: &'static ProtocolMeta,
    requests: &[&'static RequestMeta],
    round_trip: impl Fn(&RequestMeta, &[(&str, &str)], &Envelope) -> Result<(), String>,
) {
    let mut checked = 0;
    // An alias decodes as its target, which is checked under its own name.
    for &meta in requests.iter().filter(|m| m.alias_of.is_none()) {
        let mut runner = TestRunner::new(config());
        let result = runner.run(&shapes::case(protocol, meta), |(flags, text)| {
            let env =
                Envelope::parse(&text, protocol).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let params = params(meta, &flags);
            let raw: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            round_trip(meta, &raw, &env)
                .map_err(|e| TestCaseError::fail(format!("{e}\nanswer:\n{text}")))
        });
        if let Err(e) = result {
            panic!("{}: {e}", meta.name);
        }
        checked += 1;
    }
    assert!(checked > 3, "only {checked} requests");
}

#[test]
fn every_answer_of_the_spec_reads_back_as_written() {
    let protocol = &metadata::PROTOCOL;
    check_spec(
        protocol,
        metadata::REQUESTS,
        |meta, raw, env| match AnyRequest::decode(&meta.name, raw) {
            Some((_, Ok(request))) => request.visit(RoundTrip { env, protocol }),
            other => Err(format!("the example parameters do not decode: {other:?}")),
        },
    );
}

/// The codegen's fixture has what the project spec lacks (a "none" marker, headers of more
/// types, ...).
#[test]
fn every_answer_of_the_fixture_reads_back_as_written() {
    let protocol = &fixture::metadata::PROTOCOL;
    check_spec(protocol, fixture::metadata::REQUESTS, |meta, raw, env| {
        match fixture::AnyRequest::decode(&meta.name, raw) {
            Some((_, Ok(request))) => request.visit(RoundTrip { env, protocol }),
            other => Err(format!("the example parameters do not decode: {other:?}")),
        }
    });
}

/// `quoted = true` on an answer's header or key: written in double quotes, read without them
/// (and a value sent without quotes is read as it is).
#[test]
fn quoted_headers_and_keys_are_written_in_quotes_and_read_without() {
    use dmapi::Request;
    use fixture::{Level, ThingView, ThingViewOutput, ThingViewProOutput};
    let protocol = &fixture::metadata::PROTOCOL;
    let request = ThingView::new(Level::Pro);
    let mut out = ThingViewProOutput::new(7);
    out.view_name = Some("two words".into());
    out.owner = Some("COCO-1".parse().unwrap());
    let out = ThingViewOutput::Pro(out);
    let text = request
        .write_output(&out, Reply::new(protocol, 0, "OK"))
        .unwrap();
    assert!(text.contains("\nView-Name: \"two words\"\n"), "{text}");
    assert!(text.contains("\nowner: \"COCO-1\"\n"), "{text}");
    // Read back: the typed fields as written (`payload` now also holds the line written for
    // `owner`, the writer's one normalisation), and written again, the same text.
    let env = Envelope::parse(&text, protocol).unwrap();
    let back = request.parse_output(&env).unwrap();
    let ThingViewOutput::Pro(read) = &back else {
        panic!("level=pro reads keys");
    };
    assert_eq!(read.view_name.as_deref(), Some("two words"));
    assert_eq!(read.owner.as_ref().map(|h| h.as_str()), Some("COCO-1"));
    let again = request.write_output(&back, Reply::new(protocol, 0, "OK"));
    assert_eq!(again.unwrap(), text);
    let bare = "Status-Code: 0\nView-Id: 7\nView-Name: plain\n\nowner: COCO-1\n";
    let ThingViewOutput::Pro(read) = request
        .parse_output(&Envelope::parse(bare, protocol).unwrap())
        .unwrap()
    else {
        panic!("level=pro reads keys");
    };
    assert_eq!(read.view_name.as_deref(), Some("plain"));
}

/// An open named enum (`open = true`): one type for every answer that uses it, which keeps a
/// word the spec does not list, and writes it back as it came.
#[test]
fn open_enums_keep_unknown_words_and_write_them_back() {
    use dmapi::Request;
    use fixture::{Level, Mood, ThingView, ThingViewOutput};
    let protocol = &fixture::metadata::PROTOCOL;
    let request = ThingView::new(Level::Pro);
    let text = "Status-Code: 0\nView-Id: 7\n\nmoods: calm,angry\n";
    let out = request
        .parse_output(&Envelope::parse(text, protocol).unwrap())
        .unwrap();
    let ThingViewOutput::Pro(read) = &out else {
        panic!("level=pro reads keys");
    };
    let moods = [Mood::Calm, Mood::Unknown("angry".into())];
    assert_eq!(read.moods.as_deref(), Some(&moods[..]));
    let again = request
        .write_output(&out, Reply::new(protocol, 0, "OK"))
        .unwrap();
    assert!(again.ends_with("\nmoods: calm,angry\n"), "{again}");
}
