//! Property tests of the zone format: reading then writing is exact, and no value can change a
//! zone's structure. 10,000 cases each (`PROPTEST_CASES` overrides).

use std::net::Ipv4Addr;

use dmapi_runtime::Secret;
use dmapi_runtime::zone::{
    Directive, Dyndns, Entry, Frame, GenericRecord, Naptr, Record, RecordData, Srv, Token, Zone,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings biased towards what matters to the format: quotes, whitespace, line ends,
/// backslashes, `$`, `:`, `/`, digits, separators, plus arbitrary Unicode.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just(" ".to_owned()),
        Just("  ".to_owned()),
        Just("\t".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("\r\n".to_owned()),
        Just("\\".to_owned()),
        Just("\\n".to_owned()),
        Just("$".to_owned()),
        Just(":".to_owned()),
        Just("/".to_owned()),
        Just("=".to_owned()),
        Just("0".to_owned()),
        Just("60".to_owned()),
        Just("10/20".to_owned()),
        Just("A".to_owned()),
        Just("TXT".to_owned()),
        Just("192.0.2.1".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("\u{85}".to_owned()),
        Just("\u{a0}".to_owned()),
        "[a-z.@*_-]{1,6}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// Lines that look like zone lines, with their fields mangled now and then.
fn zone_line() -> impl Strategy<Value = String> {
    let label = prop_oneof!["@", "[a-z_*][a-z0-9._-]{0,12}", nasty()];
    let rtype = prop_oneof![
        Just("A"),
        Just("AAAA"),
        Just("MX"),
        Just("CNAME"),
        Just("URL"),
        Just("FRAME"),
        Just("MAILFW"),
        Just("TXT"),
        Just("NAPTR"),
        Just("DYNA"),
        Just("DYNAAAA"),
        Just("SRV"),
        Just("CAA"),
        Just("a"),
    ];
    let pri = prop_oneof!["0", "[0-9]{1,5}", "[0-9]{1,5}/[0-9]{1,5}", nasty()];
    let target = prop_oneof![
        any::<Ipv4Addr>().prop_map(|ip| ip.to_string()),
        any::<std::net::Ipv6Addr>().prop_map(|ip| ip.to_string()),
        "[a-z0-9.-]{1,12}(:[0-9]{1,5})?",
        nasty().prop_map(|s| format!("\"{s}\"")),
        nasty(),
    ];
    let ttl = prop_oneof!["0", "60", "[0-9]{1,10}", nasty()];
    let tail = prop_oneof![
        Just(String::new()),
        "( [0-9]{1,3}){2}",
        prop::collection::vec(prop_oneof!["\"[^\"\n]{0,8}\"", "[01]", nasty()], 0..5)
            .prop_map(|p| format!(" 0 0 {}", p.join(" "))),
    ];
    let record = (label, rtype, pri, target, ttl, tail, "[ \t]{1,3}")
        .prop_map(|(l, t, p, g, ttl, tail, sep)| format!("{l}{sep}{t} {p} {g}{sep}{ttl}{tail}"));
    let directive = prop_oneof![
        "\\$dnssec=(yes|no|maybe)",
        "\\$dyndns=(yes|no):[a-z:]{0,5}:[a-z:]{0,5}",
        nasty().prop_map(|s| format!("${s}")),
    ];
    prop_oneof![
        6 => record,
        2 => directive,
        1 => "[ \t]{0,3}",
        1 => nasty(),
    ]
}

fn zone_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(zone_line(), 0..12),
        prop_oneof!["\n", "\r\n"],
        any::<bool>(),
    )
        .prop_map(|(lines, end, last)| {
            let mut text = lines.join(&end);
            if last {
                text.push_str(&end);
            }
            text
        })
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the reader accepts (and it accepts everything), the writer writes, and reading
    /// that gives the same zone; writing again gives the same text.
    #[test]
    fn round_trip(text in zone_text()) {
        let zone = Zone::parse(&text);
        let written = zone.to_text().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = Zone::parse(&written);
        prop_assert_eq!(&again, &zone);
        prop_assert_eq!(again.to_text().unwrap(), written.clone());
        prop_assert_eq!(written.matches('\n').count(), zone.entries().len());
    }

    /// Any string in any field of any entry: either the zone is refused naming that entry's
    /// line, or it is written as exactly one line that reads back as the same entry, so the
    /// rest of the zone is untouched and nothing is added.
    #[test]
    fn no_value_changes_the_structure(s in nasty(), t in nasty()) {
        let base = "$dnssec=no\nwww A 0 192.0.2.1 60\nlast TXT 0 \"end\" 60\n";
        for (entry, values) in entries_with(&s, &t) {
            let mut zone = Zone::parse(base);
            zone.entries_mut().insert(2, entry.clone());
            match zone.to_text() {
                Ok(written) => {
                    prop_assert!(!values.iter().any(|v| breaks_structure(v)), "written: {:?}", written);
                    let back = Zone::parse(&written);
                    prop_assert_eq!(&back, &zone);
                    prop_assert_eq!(written.matches('\n').count(), 4);
                    prop_assert_eq!(back.unparsed().count(), 0);
                }
                Err(err) => {
                    let lines: Vec<_> = err.problems().iter().map(|p| p.line).collect();
                    prop_assert_eq!(lines, vec![Some(3)], "{:?}: {}", entry, err);
                    prop_assert!(!err.to_string().contains(['\n', '\r']));
                    prop_assert!(zone.validate().is_err());
                }
            }
        }
    }
}

/// Whether a value can never be written: it would end a line or a quoted field.
fn breaks_structure(s: &str) -> bool {
    s.contains(['\n', '\r', '"'])
}

/// Entries carrying `s` and `t` in every field that holds text, each with the values it holds.
fn entries_with<'v>(s: &'v str, t: &'v str) -> Vec<(Entry, Vec<&'v str>)> {
    let rec = |data| Entry::Record(Record::new("x", 60, data));
    let naptr = |replacement: &str, flags: &str, service: &str, regex: &str| {
        rec(RecordData::Naptr(Naptr {
            order: 1,
            preference: 2,
            replacement: replacement.into(),
            flags: flags.into(),
            service: service.into(),
            regex: regex.into(),
        }))
    };
    let both = vec![s, t];
    vec![
        (
            Entry::Record(Record::new(s, 60, RecordData::Txt(t.into()))),
            both.clone(),
        ),
        (rec(RecordData::Txt(format!("{s}{t}"))), both.clone()),
        (
            rec(RecordData::Mx {
                priority: 10,
                host: s.into(),
            }),
            vec![s],
        ),
        (rec(RecordData::Cname(s.into())), vec![s]),
        (rec(RecordData::Url(t.into())), vec![t]),
        (
            rec(RecordData::Frame(Frame {
                url: s.into(),
                headers: t.into(),
                head: s.into(),
                title: t.into(),
                body: s.into(),
            })),
            both.clone(),
        ),
        (
            rec(RecordData::Mailfw {
                to: s.into(),
                spam_filter: Some(true),
            }),
            vec![s],
        ),
        (naptr(s, t, s, t), both.clone()),
        (naptr(".", "", "", s), vec![s]),
        (
            rec(RecordData::Srv(Srv {
                priority: 1,
                weight: 2,
                host: s.into(),
                port: 5060,
            })),
            vec![s],
        ),
        (
            rec(RecordData::Other(GenericRecord {
                record_type: "CAA".into(),
                priority: "0".into(),
                target: Token::quoted(s),
                params: vec![Token::bare(t), Token::quoted(t)],
            })),
            both.clone(),
        ),
        (
            rec(RecordData::Other(GenericRecord {
                record_type: "CAA".into(),
                priority: s.into(),
                target: Token::bare(t),
                params: vec![],
            })),
            both.clone(),
        ),
        (
            Entry::Directive(Directive::Dyndns(Dyndns {
                enabled: true,
                user: s.into(),
                password: Secret::new(t),
            })),
            both,
        ),
        (
            Entry::Directive(Directive::Other {
                name: "x".into(),
                value: s.into(),
            }),
            vec![s],
        ),
    ]
}
