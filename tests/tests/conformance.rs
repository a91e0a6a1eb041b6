//! Spec conformance against the DMAPI documentation.
//!
//! - Coverage: the spec has exactly the requests of the docs' table of contents
//!   (`data/toc-requests.txt`), in the same sections; anything else is "beyond the docs"
//!   (`data/beyond-docs.txt`), an `extension` that names its sources.
//! - Doc examples: every example request URL of the docs is kept in the spec, under its
//!   request (`[[request.<name>.examples]]` with its docs `source`), and checked against the
//!   spec's metadata. Examples that are wrong in the docs are marked there (`erratum`), with
//!   the exact `problems`; they must keep failing in exactly that way, so a spec change that
//!   makes one pass (or fail differently) is noticed.

mod wire_url;

use dmapi::metadata;
use wire_url::{check, examples};

const TOC: &str = include_str!("../data/toc-requests.txt");
const BEYOND: &str = include_str!("../data/beyond-docs.txt");
/// The docs section of the requests beyond the docs.
const BEYOND_SECTION: &str = "Beyond the docs";

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

    let beyond = records(BEYOND, 2);
    let unlisted: Vec<&str> = metadata::REQUESTS
        .iter()
        .filter(|m| !toc.iter().any(|rec| rec[1] == m.name))
        .filter(|m| !beyond.iter().any(|rec| rec[0] == m.name))
        .map(|m| &*m.name)
        .collect();
    assert!(
        unlisted.is_empty(),
        "requests neither in the docs nor in data/beyond-docs.txt: {unlisted:?}"
    );
    for m in metadata::REQUESTS.iter() {
        let in_toc = toc.iter().any(|rec| rec[1] == m.name);
        assert_eq!(
            m.extension.is_some(),
            !in_toc,
            "`{}`: a request beyond the docs, and only one, has an `extension` naming its sources",
            m.name
        );
    }
    assert_eq!(toc.len(), 45);
    assert_eq!(metadata::REQUESTS.len(), toc.len() + beyond.len());
    let aliases = metadata::REQUESTS.iter().filter(|m| m.alias_of.is_some());
    assert_eq!(
        aliases.count(),
        5,
        "host-create, host-modify, host-delete; query-host-list, v2/query-price-list"
    );
}

#[test]
fn every_request_beyond_the_docs_names_its_sources() {
    println!("beyond the docs:");
    for rec in records(BEYOND, 2) {
        let (name, sources) = (rec[0], rec[1]);
        let meta = metadata::find(name)
            .unwrap_or_else(|| panic!("`{name}` of data/beyond-docs.txt is not in the spec"));
        assert_eq!(meta.section, BEYOND_SECTION, "section of `{name}`");
        let said = meta.extension.as_deref().unwrap_or_default();
        for tag in sources.split_whitespace() {
            assert!(
                said.contains(tag),
                "`{name}`'s extension names no {tag} source: {said}"
            );
        }
        println!("  {name:24} {said}");
    }
}

#[test]
fn every_doc_example_conforms_or_is_a_listed_erratum() {
    let mut count = 0;
    let mut conforming = 0;
    let mut errata = 0;
    let mut failures = Vec::new();
    for (meta, ex) in examples() {
        let Some(source) = ex.source.as_deref() else {
            continue;
        };
        count += 1;
        let name = &meta.name;
        let got = check(&ex.url).join(" ; ");
        let expected = ex.problems.join(" ; ");
        match ex.erratum.as_deref() {
            None if got.is_empty() => conforming += 1,
            None => failures.push(format!(
                "{source} ({name}) does not conform; fix the spec or mark it an erratum:\n  erratum = \"<why>\"\n  problems = [{}]",
                check(&ex.url)
                    .iter()
                    .map(|p| format!("{p:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some(_) if got == expected => errata += 1,
            Some(reason) if got.is_empty() => failures.push(format!(
                "{source} ({name}) is a listed erratum ({reason}) but now conforms; expected: {expected}"
            )),
            Some(_) => failures.push(format!(
                "{source} ({name}) fails differently than listed:\n  expected: {expected}\n  got:      {got}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Recorded in the note: how many examples there are and how many conform.
    assert_eq!(count, 61);
    assert_eq!(errata, 19);
    assert_eq!(conforming + errata, count);
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
