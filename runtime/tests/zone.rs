//! The zone model against the docs' dns-zone-get section and the server's observed behaviour
//! (WIRE-NOTES.md).

use std::net::{Ipv4Addr, Ipv6Addr};

use dmapi_runtime::Secret;
use dmapi_runtime::zone::{
    Directive, Dyndns, Entry, Frame, GenericRecord, Naptr, Record, RecordData, Srv, Token, Upsert,
    Zone,
};

fn one_record(line: &str) -> Record {
    let zone = Zone::parse(line);
    match zone.entries() {
        [Entry::Record(r)] => r.clone(),
        other => panic!("`{line}` did not read as one record: {other:?}"),
    }
}

/// Every example record of the docs' dns-zone-get section, with what it must read as. Each is
/// already in canonical form, so it must be written back byte for byte.
#[test]
fn every_docs_example_record_reads_typed_and_writes_back_unchanged() {
    let frame = Frame {
        url: "http://joker.com".into(),
        headers: "Header: Frame-Forward".into(),
        head: "head".into(),
        title: "title".into(),
        body: "body".into(),
    };
    let examples: Vec<(&str, &str, u32, u64, RecordData)> = vec![
        (
            "www A 0 127.0.0.1 86400",
            "www",
            86400,
            0,
            RecordData::A(Ipv4Addr::LOCALHOST),
        ),
        (
            "www AAAA 0 fec0::17 86400",
            "www",
            86400,
            0,
            RecordData::Aaaa("fec0::17".parse::<Ipv6Addr>().unwrap()),
        ),
        (
            "@ MX 10 mail.example.com. 86400",
            "@",
            86400,
            0,
            RecordData::Mx {
                priority: 10,
                host: "mail.example.com.".into(),
            },
        ),
        (
            "redirect URL 0 http://joker.com 86400",
            "redirect",
            86400,
            0,
            RecordData::Url("http://joker.com".into()),
        ),
        (
            "frame FRAME 0 http://joker.com 86400 0 0 \"Header: Frame-Forward\" \"head\" \"title\" \"body\"",
            "frame",
            86400,
            0,
            RecordData::Frame(frame),
        ),
        (
            "username MAILFW 0 redirected@example.com 86400 0 0 1",
            "username",
            86400,
            0,
            RecordData::Mailfw {
                to: "redirected@example.com".into(),
                spam_filter: Some(true),
            },
        ),
        (
            "naptr NAPTR 10/100 replacement 86400 0 0 \"flags\" \"service\" \"regex\"",
            "naptr",
            86400,
            0,
            RecordData::Naptr(Naptr {
                order: 10,
                preference: 100,
                replacement: "replacement".into(),
                flags: "flags".into(),
                service: "service".into(),
                regex: "regex".into(),
            }),
        ),
        (
            "_ldap._tcp SRV 10/100 ldap.example.com:389 60",
            "_ldap._tcp",
            60,
            0,
            RecordData::Srv(Srv {
                priority: 10,
                weight: 100,
                host: "ldap.example.com".into(),
                port: 389,
            }),
        ),
        (
            "txt TXT 0 \"key=value\" 86400",
            "txt",
            86400,
            0,
            RecordData::Txt("key=value".into()),
        ),
        (
            "www CNAME 0 example.com. 86400",
            "www",
            86400,
            0,
            RecordData::Cname("example.com.".into()),
        ),
    ];
    for (line, label, ttl, valid, data) in examples {
        let r = one_record(line);
        assert_eq!(
            r,
            Record {
                label: label.into(),
                ttl,
                valid_from: valid,
                valid_to: valid,
                data,
            },
            "{line}"
        );
        assert_eq!(r.to_line().unwrap(), line);
        let zone = Zone::parse(line);
        assert_eq!(zone.to_text().unwrap(), format!("{line}\n"));
    }
}

#[test]
fn the_dyndns_example_and_dyn_records() {
    let zone = Zone::parse(
        "$dyndns=yes:username:password\nhome DYNA 0 192.0.2.7 60\nhome DYNAAAA 0 2001:db8::7 60\n",
    );
    assert_eq!(
        zone.dyndns(),
        Some(&Dyndns {
            enabled: true,
            user: "username".into(),
            password: Secret::new("password"),
        })
    );
    let types: Vec<&str> = zone.records().map(Record::record_type).collect();
    assert_eq!(types, ["DYNA", "DYNAAAA"]);
    assert!(format!("{zone:?}").contains("Secret(***)"));
    assert!(!format!("{zone:?}").contains("password\""));
}

/// A zone as the server sends it (recorded from the live API): directives first, TXT with the
/// extra spaces.
const SERVER_ZONE: &str = "$dnssec=no\n$dyndns=no::\nlocalhost A 0 127.0.0.1 3600\n\
docs CNAME 0 docs.example.com 3600\n_acme-challenge.fqdn TXT 0  \"challengetoken \" 3600\n\
_acme-challenge.createrecordset TXT 0  \"challengetoken1 \" 3600\n\
_acme-challenge.createrecordset TXT 0  \"challengetoken2 \" 3600\n";

#[test]
fn the_servers_txt_quirk_reads_as_the_value_sent() {
    let zone = Zone::parse(SERVER_ZONE);
    assert_eq!(zone.unparsed().count(), 0);
    assert_eq!(zone.dnssec(), Some(false));
    assert_eq!(
        zone.dyndns(),
        Some(&Dyndns {
            enabled: false,
            user: String::new(),
            password: Secret::new(""),
        })
    );
    let values: Vec<_> = zone
        .find("_acme-challenge.createrecordset", "TXT")
        .map(|r| r.value().into_owned())
        .collect();
    assert_eq!(values, ["challengetoken1", "challengetoken2"]);
    // Written back as clients send it; the directives survive.
    assert_eq!(
        zone.to_text().unwrap(),
        "$dnssec=no\n$dyndns=no::\nlocalhost A 0 127.0.0.1 3600\n\
docs CNAME 0 docs.example.com 3600\n_acme-challenge.fqdn TXT 0 \"challengetoken\" 3600\n\
_acme-challenge.createrecordset TXT 0 \"challengetoken1\" 3600\n\
_acme-challenge.createrecordset TXT 0 \"challengetoken2\" 3600\n"
    );
}

#[test]
fn a_txt_value_with_real_trailing_spaces_is_kept_as_written() {
    // One space is the server's; a second one is not ours to drop or keep: keep the line.
    let r = one_record("t TXT 0  \"v  \" 60");
    assert_eq!(
        r.data,
        RecordData::Other(GenericRecord {
            record_type: "TXT".into(),
            priority: "0".into(),
            target: Token::quoted("v  "),
            params: vec![],
        })
    );
    assert_eq!(r.to_line().unwrap(), "t TXT 0 \"v  \" 60");
    let mut zone = Zone::new();
    zone.push(Record::new("t", 60, RecordData::Txt("v ".into())));
    let err = zone.to_text().unwrap_err();
    assert!(err.to_string().contains("ends in a space"), "{err}");
}

#[test]
fn a_txt_value_that_would_end_in_a_backslash_is_kept_as_written() {
    // Found by zone_props: `"\ "` minus the server's space is `\`, which no writer may end a
    // value with; the line is kept as written instead, and writes back the same.
    let text = "@ TXT 0 \"\\ \" 0";
    let r = one_record(text);
    assert!(matches!(r.data, RecordData::Other(_)), "{:?}", r.data);
    let zone = Zone::parse(text);
    let written = zone.to_text().expect("written");
    assert_eq!(Zone::parse(&written), zone);
}

#[test]
fn acme_upsert_changes_only_its_own_line() {
    // Everything but the TXT quirk is canonical, so every other line stays byte for byte.
    let fetched = "$dnssec=no\n$dyndns=yes:joe:pw\n@ A 0 192.0.2.1 86400\n@ MX 10 mx.example.net. 86400\n\
frame FRAME 0 http://example.org 86400 0 0 \"X-A: 1\\nX-B: 2\" \"\" \"t\" \"\"\n\
odd LOC 0 \"52 22 23.000 N\" 3600\n; not a record\nwww CAA 0 letsencrypt.org 3600 0 0 issue\n";
    let mut zone = Zone::parse(fetched);
    assert_eq!(
        zone.unparsed().map(|(line, _)| line).collect::<Vec<_>>(),
        [7]
    );
    assert_eq!(
        zone.upsert_txt("_acme-challenge", "tok", 300).unwrap(),
        Upsert::Added
    );
    assert_eq!(
        zone.upsert_txt("_acme-challenge", "tok", 300).unwrap(),
        Upsert::Unchanged
    );
    assert_eq!(
        zone.upsert_txt("_acme-challenge", "tok", 600).unwrap(),
        Upsert::Updated
    );
    assert_eq!(
        zone.upsert_txt("_ACME-challenge", "tok2", 600).unwrap(),
        Upsert::Added
    );
    let text = zone.to_text().unwrap();
    assert_eq!(
        text,
        format!("{fetched}_acme-challenge TXT 0 \"tok\" 600\n_ACME-challenge TXT 0 \"tok2\" 600\n")
    );
    // Cleanup removes exactly that value.
    assert_eq!(zone.remove("_acme-challenge", "TXT", Some("tok")), 1);
    assert_eq!(zone.remove("_acme-challenge", "TXT", Some("tok")), 0);
    assert_eq!(zone.find("_acme-challenge", "TXT").count(), 1);
    let frame = zone.find("frame", "FRAME").next().unwrap();
    assert!(matches!(&frame.data, RecordData::Frame(f) if f.headers == "X-A: 1\nX-B: 2"));
}

#[test]
fn find_add_remove_replace() {
    let mut zone = Zone::parse(
        "a A 0 192.0.2.1 60\nb A 0 192.0.2.2 60\na A 0 192.0.2.3 60\nc TXT 0 \"x\" 60\n",
    );
    assert_eq!(zone.find("A", "A").count(), 2);
    assert!(zone.find_value("a", "A", "192.0.2.3").is_some());
    assert!(!zone.add(Record::new(
        "a",
        60,
        RecordData::A(Ipv4Addr::new(192, 0, 2, 3))
    )));
    let removed = zone.replace(
        "a",
        "A",
        [Record::new(
            "a",
            300,
            RecordData::A(Ipv4Addr::new(198, 51, 100, 1)),
        )],
    );
    assert_eq!(removed, 2);
    assert_eq!(
        zone.to_text().unwrap(),
        "a A 0 198.51.100.1 300\nb A 0 192.0.2.2 60\nc TXT 0 \"x\" 60\n"
    );
    assert_eq!(
        zone.replace(
            "new",
            "MX",
            [Record::new(
                "new",
                60,
                RecordData::Mx {
                    priority: 5,
                    host: "mx".into()
                }
            )]
        ),
        0
    );
    assert_eq!(
        zone.records().last().unwrap().to_line().unwrap(),
        "new MX 5 mx 60"
    );
    assert_eq!(zone.remove("b", "A", None), 1);
}

#[test]
fn unreadable_lines_are_kept_verbatim_with_their_line_numbers() {
    let text = "a A 0 192.0.2.1 60\nb TXT 0 \"unbalanced 60\n  c\tA 0 192.0.2.2  60  \nd A 0 192.0.2.3 60 7\n$nonsense\n";
    let zone = Zone::parse(text);
    let unparsed: Vec<(usize, &str, &str)> = zone
        .unparsed()
        .map(|(line, u)| (line, u.text(), u.reason()))
        .collect();
    assert_eq!(
        unparsed,
        [
            (2, "b TXT 0 \"unbalanced 60", "field 4: unbalanced quote"),
            (4, "d A 0 192.0.2.3 60 7", "<valid-from> without <valid-to>"),
            (5, "$nonsense", "a directive needs `=` (as in `$dnssec=no`)"),
        ]
    );
    // Kept lines come back unchanged; the readable odd spacing is normalised.
    assert_eq!(
        zone.to_text().unwrap(),
        "a A 0 192.0.2.1 60\nb TXT 0 \"unbalanced 60\nc A 0 192.0.2.2 60\nd A 0 192.0.2.3 60 7\n$nonsense\n"
    );
    let err = text.parse::<Zone>().unwrap_err();
    let lines: Vec<_> = err.problems().iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(2), Some(4), Some(5)]);
    assert!(
        err.to_string()
            .starts_with("line 2 (`b TXT 0 \\\"unbalanced 60`): field 4: unbalanced quote"),
        "{err}"
    );
}

#[test]
fn known_types_in_other_forms_stay_generic_and_validation_says_why() {
    for (line, why) in [
        ("www A 5 192.0.2.1 60", "pri must be 0"),
        ("www A 0 not-an-ip 60", "is not an address"),
        ("s SRV 10 host:1 60", "`priority/weight`"),
        ("s SRV 1/2 host 60", "`host:port`"),
        (
            "n NAPTR 1/2 . 60 0 0 \"a\" \"b\"",
            "three quoted parameters",
        ),
        ("m MAILFW 0 a@b.example 60 0 0 yes", "spam filter"),
        ("c CNAME 0 \"quoted\" 60", "quoted but holds no space"),
        ("u URL 0 http://x 60 0 0 extra", "take no parameters"),
    ] {
        let r = one_record(line);
        assert!(matches!(r.data, RecordData::Other(_)), "{line}");
        assert_eq!(r.to_line().unwrap(), line);
        let err = Zone::parse(line).validate().unwrap_err();
        assert!(err.to_string().contains(why), "{line}: {err}");
    }
    // A type the docs do not list is fine.
    assert!(
        Zone::parse("@ CAA 0 letsencrypt.org 3600 0 0 issue")
            .validate()
            .is_ok()
    );
}

#[test]
fn validation_reports_every_documented_rule_with_its_record() {
    let zone = Zone::parse(
        "a A 0 192.0.2.1 59\nn NAPTR 1/2 target 0 0 0 \"u\" \"E2U+sip\" \"!^.*$!sip:x@example.com!\"\n\
s SRV 0/0 h:5060 0\nok NAPTR 1/2 . 0 0 0 \"u\" \"E2U+sip\" \"!^.*$!sip:x@example.com!\"\n\
x MX 1 mx 30\n$dyndns=yes:user:pa:ss\n",
    );
    let err = zone.validate().unwrap_err();
    let got: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "line 1 (`a A 0 192.0.2.1 59`): TTL 59 is below 60 (only NAPTR and SRV records may use 0, for no caching)",
            "line 2 (`n NAPTR 1/2 target 0 0 0 \"u\" \"E2U+sip\" \"!^.*$!sip:x@example.com!\"`): NAPTR has both a replacement and a regex: with a regex, the replacement must be `.`",
            "line 5 (`x MX 1 mx 30`): TTL 30 is below 60 (only NAPTR and SRV records may use 0, for no caching)",
            "line 6 (`$dyndns=yes:user:***`): the DynDNS password contains `:`, which the docs do not allow",
        ]
    );
    let empty = Zone::parse("\n\n").validate().unwrap_err();
    assert_eq!(empty.problems()[0].line, None);
    assert!(empty.to_string().contains("2400"));
    assert!(Zone::parse(SERVER_ZONE).validate().is_ok());
}

#[test]
fn values_that_would_change_the_structure_are_refused() {
    let base = || Zone::parse("$dnssec=no\nwww A 0 192.0.2.1 60\n");
    let evil = [
        "v\nevil A 0 192.0.2.66 60",
        "v\" 60\nevil A 0 192.0.2.66 60\nx TXT 0 \"",
        "v\r",
        "quote\"inside",
        "ends with backslash\\",
        "line\u{2028}separator",
        "nul\0",
    ];
    for value in evil {
        let mut zone = base();
        assert!(
            zone.upsert_txt("_acme-challenge", value, 60).is_err(),
            "{value:?}"
        );
        assert_eq!(zone, base(), "the zone is untouched after a refused upsert");

        let mut zone = base();
        zone.push(Record::new("t", 60, RecordData::Txt(value.into())));
        zone.push(Record::new(value, 60, RecordData::A(Ipv4Addr::LOCALHOST)));
        zone.push(Record::new("c", 60, RecordData::Cname(value.into())));
        zone.entries_mut()
            .push(Entry::Directive(Directive::Dyndns(Dyndns {
                enabled: true,
                user: value.into(),
                password: Secret::new(value),
            })));
        let err = zone.to_text().unwrap_err();
        let lines: Vec<_> = err.problems().iter().map(|p| p.line).collect();
        assert_eq!(
            lines,
            [Some(3), Some(4), Some(5), Some(6)],
            "{value:?}: {err}"
        );
        assert!(
            !err.to_string().contains('\n'),
            "messages stay on one line: {err}"
        );
        assert!(zone.validate().is_err());
    }
    // A generic record that would read back as a typed one, or a directive name with `=`.
    let mut zone = Zone::new();
    zone.push(Record::new(
        "g",
        60,
        RecordData::Other(GenericRecord {
            record_type: "A".into(),
            priority: "0".into(),
            target: Token::bare("192.0.2.1"),
            params: vec![],
        }),
    ));
    zone.entries_mut().push(Entry::Directive(Directive::Other {
        name: "a=b".into(),
        value: "c".into(),
    }));
    let err = zone.to_text().unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
    assert!(
        err.problems()[0].message.contains("different entry"),
        "{err}"
    );
}

#[test]
fn frame_headers_escape_line_breaks() {
    let mut zone = Zone::new();
    zone.push(Record::new(
        "f",
        60,
        RecordData::Frame(Frame {
            url: "http://example.org/a b".into(),
            headers: "A: 1\nB: 2".into(),
            ..Frame::default()
        }),
    ));
    let text = zone.to_text().unwrap();
    assert_eq!(
        text,
        "f FRAME 0 \"http://example.org/a b\" 60 0 0 \"A: 1\\nB: 2\" \"\" \"\" \"\"\n"
    );
    assert_eq!(Zone::parse(&text), zone);
    if let Some(Entry::Record(r)) = zone.entries_mut().first_mut()
        && let RecordData::Frame(f) = &mut r.data
    {
        f.headers = "literal \\n".into();
    }
    assert!(
        zone.to_text()
            .unwrap_err()
            .to_string()
            .contains("real line breaks")
    );
}

#[test]
fn labels_of_names_in_a_zone() {
    assert_eq!(
        Zone::label_of("a.b.example.com", "example.com").as_deref(),
        Some("a.b")
    );
    assert_eq!(Zone::label_of("xexample.com", "example.com"), None);
    assert_eq!(Zone::label_of("com", "example.com"), None);
    assert_eq!(
        Zone::label_of("é.example.com", "example.com").as_deref(),
        Some("é")
    );
}
