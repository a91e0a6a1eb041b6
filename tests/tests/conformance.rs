//! Spec conformance against the DMAPI documentation.
//!
//! - Coverage: the spec has exactly the requests of the docs' table of contents
//!   (`data/toc-requests.txt`), in the same sections; anything else must be an `extension`.
//! - Doc examples: every example request URL of the docs (`data/doc-examples.txt`) is checked
//!   against the spec's metadata. Examples that are wrong in the docs are listed, with the exact
//!   problems and the reason, in `data/doc-errata.txt`; they must keep failing in exactly that
//!   way, so a spec change that makes one pass (or fail differently) is noticed.

use std::collections::BTreeMap;

use dmapi::metadata;
use dmapi::validate::{Problem, validate};

const TOC: &str = include_str!("../data/toc-requests.txt");
const EXAMPLES: &str = include_str!("../data/doc-examples.txt");
const ERRATA: &str = include_str!("../data/doc-errata.txt");

/// The hosts a DMAPI URL may name: production and OT&E.
const HOSTS: [&str; 2] = ["dmapi.joker.com", "dmapi.ote.joker.com"];

/// Non-comment, non-blank lines split at ` | ` into exactly `n` fields.
fn records(text: &'static str, n: usize) -> Vec<Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.splitn(n, " | ").map(str::trim).collect();
            assert_eq!(fields.len(), n, "malformed line: {l}");
            fields
        })
        .collect()
}

#[test]
fn every_request_of_the_table_of_contents_is_in_the_spec_and_nothing_else() {
    let toc = records(TOC, 2);
    let mut missing = Vec::new();
    for rec in &toc {
        let (section, name) = (rec[0], rec[1]);
        match metadata::find(name) {
            None => missing.push(name),
            Some(meta) => assert_eq!(meta.section, section, "section of `{name}`"),
        }
    }
    assert!(
        missing.is_empty(),
        "requests missing from the spec: {missing:?}"
    );

    let unlisted: Vec<&str> = metadata::REQUESTS
        .iter()
        .filter(|m| m.extension.is_none() && !toc.iter().any(|rec| rec[1] == m.name))
        .map(|m| &*m.name)
        .collect();
    assert!(
        unlisted.is_empty(),
        "requests the docs do not name (mark them `extension = \"why\"`): {unlisted:?}"
    );
    for m in metadata::REQUESTS.iter().filter(|m| m.extension.is_some()) {
        assert!(
            !m.extension.as_deref().unwrap_or_default().trim().is_empty(),
            "extension `{}` needs a reason",
            m.name
        );
    }
    assert_eq!(toc.len(), 45);
    assert_eq!(metadata::REQUESTS.len(), toc.len());
    let aliases = metadata::REQUESTS.iter().filter(|m| m.alias_of.is_some());
    assert_eq!(aliases.count(), 3, "host-create, host-modify, host-delete");
}

/// A docs example URL, split up. Values are taken literally (the docs write `+1.422.8001`
/// and `John Doe` unencoded), except that `%XX` escapes are decoded.
struct Example {
    scheme: String,
    host: String,
    request: String,
    params: Vec<(String, String)>,
    /// The URL has no query: the docs show only the endpoint (the Python sample POSTs its
    /// parameters), so only the request and host are checked.
    endpoint_only: bool,
}

fn parse_url(url: &str) -> Result<Example, String> {
    let (scheme, rest) = url.split_once("://").ok_or("no scheme")?;
    let (host, rest) = rest.split_once('/').ok_or("no path")?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let request = path
        .strip_prefix("request/")
        .ok_or_else(|| format!("path `/{path}` is not /request/<name>"))?;
    let params = query
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    Ok(Example {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        request: request.to_owned(),
        params,
        endpoint_only: query.is_none(),
    })
}

fn percent_decode(s: &str) -> String {
    // Not form decoding: a `+` in the docs' examples is a literal plus (`+1.422.8001`).
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `<your-current-session-id>` and the like (also when the docs lost the closing `>`).
fn is_placeholder(value: &str) -> bool {
    value.starts_with('<')
}

/// `[yes|no]`: the docs offer alternatives; each must be valid.
fn alternatives(value: &str) -> Option<Vec<&str>> {
    value
        .strip_prefix('[')?
        .strip_suffix(']')
        .map(|inner| inner.split('|').collect())
}

/// Every problem of an example, as messages, in a stable order.
fn check(url: &str) -> Vec<String> {
    let ex = match parse_url(url) {
        Ok(ex) => ex,
        Err(e) => return vec![format!("not a request URL: {e}")],
    };
    let mut problems = Vec::new();
    if !HOSTS.contains(&ex.host.as_str()) {
        problems.push(format!("host `{}` is not a DMAPI endpoint", ex.host));
    }
    if ex.scheme != "https" {
        problems.push(format!("plain `{}`, not https", ex.scheme));
    }
    let Some(meta) = metadata::find(&ex.request) else {
        problems.push(format!("unknown request `{}`", ex.request));
        return problems;
    };
    if ex.endpoint_only {
        return problems;
    }
    let has_sid = ex
        .params
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("auth-sid"));
    if meta.auth && !has_sid {
        problems.push("no `auth-sid`".to_owned());
    }
    // One parameter list per combination of `[a|b]` alternatives (the docs use at most one).
    let variants: Vec<Vec<(&str, &str)>> = match ex
        .params
        .iter()
        .position(|(_, v)| alternatives(v).is_some())
    {
        None => vec![
            ex.params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        ],
        Some(at) => alternatives(&ex.params[at].1)
            .unwrap_or_default()
            .into_iter()
            .map(|alt| {
                ex.params
                    .iter()
                    .enumerate()
                    .map(|(i, (k, v))| (k.as_str(), if i == at { alt } else { v.as_str() }))
                    .collect()
            })
            .collect(),
    };
    for params in &variants {
        let placeholders: Vec<&str> = params
            .iter()
            .filter(|(_, v)| is_placeholder(v))
            .map(|(k, _)| *k)
            .collect();
        if let Err(found) = validate(meta, params.iter().copied()) {
            for p in found {
                // A placeholder stands for a valid value; only its presence is checked.
                let on_placeholder = matches!(&p, Problem::Invalid { param, .. }
                    if placeholders.iter().any(|k| k.eq_ignore_ascii_case(param)));
                let message = p.to_string();
                if !on_placeholder && !problems.contains(&message) {
                    problems.push(message);
                }
            }
        }
    }
    problems
}

#[test]
fn every_doc_example_conforms_or_is_a_listed_erratum() {
    let examples = records(EXAMPLES, 3);
    let errata: BTreeMap<&str, (&str, &str)> = records(ERRATA, 3)
        .into_iter()
        .map(|r| (r[0], (r[1], r[2])))
        .collect();
    let mut conforming = 0;
    let mut failures = Vec::new();
    for rec in &examples {
        let (section, source, url) = (rec[0], rec[1], rec[2]);
        let got = check(url).join(" ; ");
        match errata.get(source) {
            None if got.is_empty() => conforming += 1,
            None => failures.push(format!(
                "{source} ({section}) does not conform; fix the spec or add to doc-errata.txt:\n  {source} | {got} | <why>"
            )),
            Some((expected, _)) if got == *expected => {}
            Some((expected, reason)) if got.is_empty() => failures.push(format!(
                "{source} is a listed erratum ({reason}) but now conforms; expected: {expected}"
            )),
            Some((expected, _)) => failures.push(format!(
                "{source} fails differently than listed:\n  expected: {expected}\n  got:      {got}"
            )),
        }
    }
    for source in errata.keys() {
        if !examples.iter().any(|rec| rec[1] == *source) {
            failures.push(format!("erratum {source} names no example"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Recorded in the note: how many examples there are and how many conform.
    assert_eq!(examples.len(), 61);
    assert_eq!(conforming + errata.len(), examples.len());
}

#[test]
fn the_example_checker_catches_what_it_claims_to() {
    // Guard against a checker that accepts everything.
    let sid = "auth-sid=<your-current-session-id>";
    let ok = format!("https://dmapi.joker.com/request/domain-lock?domain=example.com&{sid}");
    assert_eq!(check(&ok), Vec::<String>::new());
    let cases = [
        (
            format!("https://dmapi.joker.com/request/domain-lokc?domain=example.com&{sid}"),
            "unknown request `domain-lokc`",
        ),
        (
            format!("https://dmapi.joker.com/request/domain-lock?{sid}"),
            "missing required parameter `domain`",
        ),
        (
            format!("https://dmapi.joker.com/request/domain-lock?domain=ex ample.com&{sid}"),
            "invalid domain name",
        ),
        (
            format!(
                "https://dmapi.joker.com/request/domain-lock?domain=example.com&colour=1&{sid}"
            ),
            "unknown parameter `colour`",
        ),
        (
            "https://dmapi.joker.com/request/domain-lock?domain=example.com".to_owned(),
            "no `auth-sid`",
        ),
        (
            format!(
                "https://dmapi.joker.com/request/domain-renew?domain=example.com&period=12&expyear=2030&{sid}"
            ),
            "exclude each other",
        ),
        (
            format!(
                "https://dmapi.joker.com/request/wa-email-verify?key=<k>&answer=[yes|maybe]&{sid}"
            ),
            "answer",
        ),
    ];
    for (url, expected) in cases {
        let got = check(&url).join(" ; ");
        assert!(
            got.contains(expected),
            "{url}: expected `{expected}` in `{got}`"
        );
    }
}
