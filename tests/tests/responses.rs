//! Response-shape fixtures: for every payload kind of the spec, a response text (from the docs
//! where they give one, else written from WIRE-NOTES.md) parsed by the generated parser into
//! the typed output, checked field by field.

use dmapi::{
    Answer, CorVerify, CorVerifyResult, DnsZoneGet, DnsZoneList, DomainName, Envelope, GrantsList,
    GrantsListType, HostAddresses, HostCreate, Logout, QueryContactList, QueryNsList, QueryWhois,
    Request, ResultDelete, ResultId, Secret, Submitted, WaEmailDetails, WaEmailList,
    WaEmailValidate, WaEmailValidateResult, WhoisObject, metadata,
};

fn domain(s: &str) -> DomainName {
    s.parse().expect("valid domain")
}

fn env(text: &str) -> Envelope {
    Envelope::parse(text, &dmapi::metadata::PROTOCOL).expect("a DMAPI response")
}

/// The fixtures below cover these kinds; a spec without one of them would mean a shape the
/// runtime no longer exercises here.
#[test]
fn the_spec_uses_every_payload_kind_these_fixtures_cover() {
    use dmapi::meta::BodyKind::*;
    let kinds: Vec<_> = metadata::REQUESTS.iter().map(|m| m.returns.body).collect();
    for kind in [None, Lines, KeyValue, Table, Zone, Results, Text] {
        assert!(kinds.contains(&kind), "no request returns {kind:?}");
    }
}

#[test]
fn none_body_outputs_unit_and_async_requests_a_proc_id() {
    let () = Logout::new()
        .parse_output(&env("Status-Code: 0\nStatus-Text: OK\n\n"))
        .unwrap();
    // WIRE-NOTES: state-changing requests answer Proc-ID and an empty payload.
    let host = HostCreate::new(
        domain("ns1.example.com"),
        HostAddresses::Ip("192.0.2.53".parse().unwrap()),
    );
    let submitted = host
        .parse_output(&env(
            "Status-Code: 0\nTracking-Id: 1234-5678\nProc-ID: 4711\nVersion: 1.2.53\n\n",
        ))
        .unwrap();
    assert_eq!(submitted, Submitted::new("4711", Some("1234-5678".into())));
    assert!(host.parse_output(&env("Status-Code: 0\n\n")).is_err());
}

#[test]
fn query_ns_list_reads_the_docs_example_with_dash_for_a_missing_address() {
    // The docs' example of a list with IPs (tab-separated, `-` where an address is not set).
    let text = "Status-Code: 0\n\nns.example.com\t1.2.3.4\t-\n\
                ns6.example.com\t-\tFE80:0000:0000:0000:0202:B3FF:FE1E:8329\n";
    let rows = QueryNsList::new()
        .full(true)
        .parse_output(&env(text))
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].host, domain("ns.example.com"));
    assert_eq!(rows[0].ipv4, Some("1.2.3.4".parse().unwrap()));
    assert_eq!(rows[0].ipv6, None);
    assert_eq!(rows[1].host, domain("ns6.example.com"));
    assert_eq!(rows[1].ipv4, None);
    assert_eq!(
        rows[1].ipv6,
        Some("fe80::202:b3ff:fe1e:8329".parse().unwrap())
    );
    // Without `full`: one host per line.
    let rows = QueryNsList::new()
        .parse_output(&env("Status-Code: 0\n\nns.example.com\n"))
        .unwrap();
    assert_eq!(rows[0].ipv4, None);
}

#[test]
fn query_contact_list_keeps_extended_columns() {
    let plain = QueryContactList::new()
        .parse_output(&env("Status-Code: 0\n\nCOCO-4711\nCOCO-4712\n"))
        .unwrap();
    let handles: Vec<&str> = plain.iter().map(|r| r.handle.as_str()).collect();
    assert_eq!(handles, ["COCO-4711", "COCO-4712"]);

    let text = "Status-Code: 0\nColumns: handle,name,organization\nSeparator: TAB\n\n\
                COCO-4711\tJohn Doe\tExample Ltd\n";
    let rows = QueryContactList::new()
        .extended_format(true)
        .parse_output(&env(text))
        .unwrap();
    assert_eq!(rows[0].handle.as_str(), "COCO-4711");
    assert_eq!(
        rows[0].other_columns,
        [
            ("name".to_owned(), "John Doe".to_owned()),
            ("organization".to_owned(), "Example Ltd".to_owned())
        ]
    );
}

#[test]
fn grants_list_rows_of_both_kinds() {
    // The docs' two row formats (space-separated).
    let text = "Status-Code: 0\n\n\
        invitation 1 123 KEY123 domain example.com @admin - - - jane@example.net Jane\n\
        grant 2 456 domain example.com @tech reseller jane 4711 jane@example.net Jane\n\
        revoked 3 789 domain example.com @tech x y z w v\n";
    let rows = GrantsList::new(domain("example.com"))
        .showkey(true)
        .parse_output(&env(text))
        .unwrap();
    assert_eq!(rows[0].r#type, GrantsListType::Invitation);
    assert_eq!(rows[0].nr, 1);
    assert_eq!(rows[0].scope, "123");
    assert_eq!(
        rows[0].details,
        "KEY123 domain example.com @admin - - - jane@example.net Jane"
    );
    assert_eq!(rows[1].r#type, GrantsListType::Grant);
    assert_eq!(rows[1].scope, "456");
    assert_eq!(
        rows[2].r#type,
        GrantsListType::Unknown("revoked".to_owned()),
        "unknown row kinds are kept"
    );
}

#[test]
fn whois_verification_lists_are_tab_separated() {
    let rows = WaEmailList::new()
        .parse_output(&env(
            "Status-Code: 0\n\nowner@example.com\texample.com\t2026-12-08 10:00:00\n",
        ))
        .unwrap();
    assert_eq!(rows[0].email.as_str(), "owner@example.com");
    assert_eq!(rows[0].domain, domain("example.com"));
    assert_eq!(rows[0].expiration, "2026-12-08 10:00:00");

    let rows = WaEmailDetails::new(Secret::new("k3y"))
        .parse_output(&env(
            "Status-Code: 0\n\nverification\towner@example.com\texample.com\n\
             verification\towner@example.com\texample.net\n",
        ))
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].status, dmapi::WaEmailDetailsStatus::Verification);
    assert_eq!(rows[1].domain, domain("example.net"));
}

#[test]
fn ack_and_nack_come_from_the_result_header() {
    let validate = WaEmailValidate::new("owner@example.com".parse().unwrap());
    let out = validate
        .parse_output(&env("Status-Code: 0\nResult: ACK\n\n"))
        .unwrap();
    assert_eq!(out.result, WaEmailValidateResult::Ack);
    let out = validate
        .parse_output(&env("result: NACK\nStatus-Code: 0\n"))
        .unwrap();
    assert_eq!(out.result, WaEmailValidateResult::Nack);
    // The header is documented as always present.
    assert!(validate.parse_output(&env("Status-Code: 0\n\n")).is_err());

    let out = CorVerify::new(Secret::new("k"), Answer::Yes)
        .parse_output(&env("Status-Code: 0\nResult: NACK\n\n"))
        .unwrap();
    assert_eq!(out.result, CorVerifyResult::Nack);
}

#[test]
fn whois_keys_are_typed_with_repeated_name_servers_and_contact_fields() {
    let text = "Status-Code: 0\n\ndomain: example.com\ndomain.status: lock,autorenew\n\
                domain.nservers.nserver.no: 1\n\
                domain.nservers.nserver.handle: a.ns.joker.com\n\
                domain.nservers.nserver.no: 2\n\
                domain.nservers.nserver.handle: b.ns.joker.com\n\
                domain.expires: 20301231235959\n\
                contact.name: Jane Doe\ncontact.handle: C1-COM\n";
    let out = QueryWhois::new(WhoisObject::Domain(domain("example.com")))
        .parse_output(&env(text))
        .unwrap();
    use dmapi::DomainStatus as Flag;
    assert_eq!(out.domain, Some(domain("example.com")));
    assert_eq!(out.domain_status, Some(vec![Flag::Lock, Flag::Autorenew]));
    assert_eq!(out.nameserver_numbers, [1, 2]);
    assert_eq!(
        out.nameservers,
        [domain("a.ns.joker.com"), domain("b.ns.joker.com")]
    );
    assert_eq!(out.domain_expires.as_deref(), Some("20301231235959"));
    // The contact family leaves out the declared `contact.handle`.
    assert_eq!(out.contact, [("name".to_owned(), "Jane Doe".to_owned())]);
    assert_eq!(
        out.contact_handle.map(|h| h.to_string()).as_deref(),
        Some("C1-COM")
    );
    assert_eq!(out.all.len(), 9, "every line is kept");

    // A name server that is not a host name is an error, not a silent drop.
    let bad = "Status-Code: 0\n\ndomain.nservers.nserver.handle: not a host\n";
    let err = QueryWhois::new(WhoisObject::Domain(domain("example.com")))
        .parse_output(&env(bad))
        .unwrap_err();
    assert!(
        err.to_string().contains("domain.nservers.nserver.handle"),
        "{err}"
    );
}

#[test]
fn zones_come_back_typed_with_directives() {
    // WIRE-NOTES: directives and the server's TXT spacing must survive.
    let zone =
        "$dnssec=no\n$dyndns=no::\nwww A 0 192.0.2.1 86400\ntxt TXT 0  \"key=value \" 86400\n";
    let text = format!("Status-Code: 0\n\n{zone}");
    let got = DnsZoneGet::new(domain("example.com"))
        .parse_output(&env(&text))
        .unwrap();
    assert_eq!(got.dnssec(), Some(false));
    assert!(got.dyndns().is_some_and(|d| !d.enabled));
    assert_eq!(
        got.find_value("txt", "TXT", "key=value").map(|r| r.ttl),
        Some(86400)
    );
    assert_eq!(
        got.to_text().unwrap(),
        "$dnssec=no\n$dyndns=no::\nwww A 0 192.0.2.1 86400\ntxt TXT 0 \"key=value\" 86400\n"
    );

    let rows = DnsZoneList::new()
        .parse_output(&env(
            "Status-Code: 0\n\nexample.com 2030-01-01\nexample.net 2031-06-30\n",
        ))
        .unwrap();
    assert_eq!(rows[1].zone, domain("example.net"));
    assert_eq!(rows[1].expiration, "2031-06-30");
}

#[test]
fn text_body_is_the_payload() {
    let out = ResultDelete::new(ResultId::ProcId("4711".into()))
        .parse_output(&env("Status-Code: 0\n\nResult deleted\n"))
        .unwrap();
    assert_eq!(out.trim_end(), "Result deleted");
}
