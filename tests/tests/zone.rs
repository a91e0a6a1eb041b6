//! dns-zone-get gives a `Zone`, dns-zone-put takes one: an ACME-style edit over HTTP changes
//! only its own line, and a zone that is unsafe to write or breaks the documented rules is
//! refused before anything is sent.

mod support;

use dmapi::validate::{Problem, validate};
use dmapi::zone::{Record, RecordData, Upsert};
use dmapi::{DnsZonePut, DomainName, Error, Request, Requests, Zone};
use support::{Fake, client, form, start};

/// A zone as the live server answers it: directives, and TXT with its extra spaces.
const FETCHED: &str = "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 3600\n@ MX 10 mx.example.com. 3600\n\
_acme-challenge TXT 0  \"old \" 300\nodd LOC 0 \"52 22 23.000 N\" 3600\n";

fn domain() -> DomainName {
    DomainName::new("example.com").unwrap()
}

#[tokio::test]
async fn acme_challenge_get_upsert_put_changes_one_line() {
    let mut fake = Fake::default();
    fake.canned.insert(
        "dns-zone-get".into(),
        (
            200,
            format!("Status-Code: 0\nTracking-Id: t-zone\n\n{FETCHED}"),
        ),
    );
    fake.canned.insert(
        "dns-zone-put".into(),
        (200, "Status-Code: 0\nProc-ID: 4242\n\n".into()),
    );
    let (url, fake) = start(fake).await;
    let client = client(&url);

    let mut zone = client.dns_zone_get(domain()).await.unwrap().output;
    assert_eq!(zone.unparsed().count(), 0);
    let label = Zone::label_of("_acme-challenge.example.com", "example.com").unwrap();
    assert_eq!(
        zone.upsert_txt(&label, "Xt0k3n", 300).unwrap(),
        Upsert::Added
    );
    let submitted = client.dns_zone_put(domain(), zone).await.unwrap();
    assert_eq!(submitted.output.proc_id, "4242");

    let f = fake.lock().unwrap();
    let (_, _, body, _) = f.seen.iter().find(|s| s.0 == "dns-zone-put").unwrap();
    let sent = form(body);
    assert_eq!(sent["domain"], "example.com");
    assert_eq!(
        sent["zone"],
        "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 3600\n@ MX 10 mx.example.com. 3600\n\
_acme-challenge TXT 0 \"old\" 300\nodd LOC 0 \"52 22 23.000 N\" 3600\n\
_acme-challenge TXT 0 \"Xt0k3n\" 300\n"
    );
}

#[tokio::test]
async fn unsafe_or_invalid_zones_are_never_sent() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);

    let mut injected = Zone::parse(FETCHED);
    injected.push(Record::new(
        "_acme-challenge",
        300,
        RecordData::Txt("x\" 300\nevil A 0 203.0.113.66 60\ny TXT 0 \"".into()),
    ));
    let request = DnsZonePut::new(domain(), injected);
    assert!(
        !request.to_form().iter().any(|(name, _)| name == "zone"),
        "an unwritable zone is left out of the form"
    );
    let Err(Error::Invalid { request, problems }) = client.send(request).await else {
        panic!("an injected zone must be refused");
    };
    assert_eq!(request, "dns-zone-put");
    let [Problem::Zone { param, problem }] = problems.as_slice() else {
        panic!("one zone problem, not also a missing parameter: {problems:?}");
    };
    assert_eq!(param, "zone");
    assert_eq!(problem.line, Some(7));
    assert!(problem.message.contains("control character"), "{problem}");

    let low_ttl = Zone::parse("www A 0 192.0.2.1 30\n");
    let Err(Error::Invalid { problems, .. }) = client.dns_zone_put(domain(), low_ttl).await else {
        panic!("a TTL below 60 must be refused");
    };
    assert_eq!(
        problems[0].to_string(),
        "parameter `zone`: line 1 (`www A 0 192.0.2.1 30`): TTL 30 is below 60 (only NAPTR and SRV records may use 0, for no caching)"
    );

    let Err(Error::Invalid { problems, .. }) = client.dns_zone_put(domain(), Zone::new()).await
    else {
        panic!("an empty zone must be refused");
    };
    assert!(problems[0].to_string().contains("2400"), "{problems:?}");

    assert!(
        fake.lock().unwrap().seen.is_empty(),
        "nothing reached the server"
    );
}

#[test]
fn zone_text_is_checked_from_metadata_too() {
    // The CLI and the sandbox check raw parameters with the same rules.
    let meta = DnsZonePut::meta();
    let problems = validate(
        meta,
        [
            ("domain", "example.com"),
            (
                "zone",
                "$dnssec=no\nn NAPTR 1/2 t 0 0 0 \"u\" \"s\" \"r\"\n",
            ),
        ],
    )
    .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].to_string().contains("line 2"), "{problems:?}");
    assert!(validate(meta, [("domain", "example.com"), ("zone", FETCHED)]).is_ok());
}
