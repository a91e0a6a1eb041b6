//! The protocol table: the generated `StatusCode` and the runtime tests' copy of the table
//! agree with `spec/protocol.toml`.

use dmapi::StatusCode;
use dmapi::metadata::PROTOCOL;

#[path = "../../runtime/tests/support/protocol.rs"]
mod runtime_copy;

#[test]
fn the_runtime_tests_protocol_is_the_spec_s_with_fewer_status_codes() {
    let copy = &runtime_copy::PROTOCOL;
    let mut spec = PROTOCOL.clone();
    spec.statuses = spec
        .statuses
        .iter()
        .filter(|s| copy.statuses.iter().any(|c| c.code == s.code))
        .cloned()
        .collect::<Vec<_>>()
        .into();
    assert_eq!(*copy, spec);
    assert!(!copy.statuses.is_empty());
}

#[test]
fn every_status_code_of_the_spec_has_a_variant_that_round_trips() {
    assert!(PROTOCOL.statuses.len() >= 27);
    for s in PROTOCOL.statuses.iter() {
        let code = StatusCode::from(s.code);
        assert!(!matches!(code, StatusCode::Other(_)), "{}", s.code);
        assert_eq!(code.code(), s.code);
        assert_eq!(code.meta(), Some(s));
        assert_eq!(code.to_string(), s.code.to_string());
    }
    assert_eq!(StatusCode::from(2999), StatusCode::Other(2999));
    assert_eq!(StatusCode::Other(2999).meta(), None);
}

#[test]
fn success_and_relogin_follow_the_table() {
    assert!(StatusCode::Ok.is_success());
    assert!(StatusCode::Completed.is_success());
    assert!(StatusCode::from(1999).is_success());
    assert!(!StatusCode::from(2000).is_success());
    assert!(!StatusCode::CommandFailed.is_success());
    assert!(PROTOCOL.relogin_on_status(StatusCode::AuthenticationError.code()));
    assert!(!PROTOCOL.relogin_on_status(StatusCode::AuthorizationError.code()));
    assert!(PROTOCOL.relogin_on_http(401));
    assert!(!PROTOCOL.relogin_on_http(403));
}

/// The `ds-1` values of domain-modify's wire examples, by the example URL's domain.
fn ds_examples() -> Vec<(String, String)> {
    let modify = dmapi::metadata::find("domain-modify").expect("domain-modify is in the spec");
    let mut out = Vec::new();
    for e in modify.examples.iter() {
        let query = e.url.split_once('?').map_or("", |(_, q)| q);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let (Some(domain), Some(ds)) = (get("domain"), get("ds-1")) {
            out.push((domain, ds));
        }
    }
    out
}

#[test]
fn the_docs_dnssec_examples_read_in_the_spec_s_forms_but_the_de_one_has_flags_first() {
    use dmapi::dnssec::{DnssecForm, DnssecKey};
    let forms = &PROTOCOL.dnssec;
    let examples = ds_examples();
    let (mut com, mut de) = (0, 0);
    for (domain, ds) in &examples {
        if domain.ends_with(".com") {
            com += 1;
            let key = DnssecKey::from_wire(ds, DnssecForm::DsData, forms).unwrap();
            assert_eq!(key.to_wire(forms), *ds);
            assert_eq!(key.to_string(), format!("DS {}", ds.replace(':', " ")));
            continue;
        }
        // The .de examples are a DNSKEY in its record's order (flags 256, protocol 3,
        // algorithm 5); the docs' parameter table and Joker's WHMCS module send
        // protocol:alg:flags:pubkey. The examples' errata say so.
        de += 1;
        assert!(domain.ends_with(".de"), "{domain}");
        assert!(DnssecKey::from_wire(ds, DnssecForm::KeyData, forms).is_err());
        let record: DnssecKey = format!("DNSKEY {}", ds.replace(':', " ")).parse().unwrap();
        let (flags, rest) = ds.split_once(':').unwrap();
        let (protocol, rest) = rest.split_once(':').unwrap();
        let (algorithm, public_key) = rest.split_once(':').unwrap();
        let want = format!("{protocol}:{algorithm}:{flags}:{public_key}");
        assert_eq!(record.to_wire(forms), want);
    }
    assert_eq!((com, de), (2, 2), "{examples:?}");
}
