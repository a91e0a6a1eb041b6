//! Typed results of queued requests: every queued request of the spec declares its result, and
//! what a server writes with `to_fields` reads back as the same typed result.

use dmapi::meta::RequestKind;
use dmapi::metadata::{PROTOCOL, REQUESTS};
use dmapi::reply::{Reply, push_key_value};
use dmapi::{
    DomainRegisterResult, DomainTransferGetAuthIdResult, Envelope, KeyValues, QueuedResult, Secret,
};

#[test]
fn every_queued_request_declares_its_result_keys() {
    let queued: Vec<_> = REQUESTS
        .iter()
        .filter(|r| r.kind == RequestKind::Async)
        .collect();
    assert!(queued.len() >= 17);
    for r in queued {
        assert!(!r.result.keys.is_empty(), "{} declares no result", r.name);
    }
    for r in REQUESTS.iter().filter(|r| r.kind == RequestKind::Sync) {
        assert!(r.result.keys.is_empty(), "{} is not queued", r.name);
    }
}

/// The answer of the result request carrying `fields`.
fn answer(fields: &[(String, String)]) -> Envelope {
    let mut payload = String::new();
    push_key_value(&mut payload, "Completion-Status", "ack");
    for (k, v) in fields {
        push_key_value(&mut payload, k, v);
    }
    let text = Reply::new(&PROTOCOL, 0, "ok").finish(&payload);
    Envelope::parse(&text, &PROTOCOL).unwrap()
}

fn read<T: QueuedResult>(env: &Envelope) -> T {
    T::from_result("result-retrieve", env, KeyValues::parse(env.payload())).unwrap()
}

#[test]
fn the_auth_id_is_written_quoted_and_read_back_as_a_secret() {
    let mut out = DomainTransferGetAuthIdResult::default();
    out.domain = Some("example.com".parse().unwrap());
    out.auth_id = Some(Secret::new("a\"b c"));
    let fields = out.to_fields();
    assert_eq!(fields[1].1, "\"a\"b c\"");
    let env = answer(&fields);
    let back: DomainTransferGetAuthIdResult = read(&env);
    assert_eq!(back.domain, out.domain);
    assert_eq!(back.auth_id, out.auth_id);
    assert_eq!(format!("{back:?}").matches("a\"b c").count(), 0, "{back:?}");
}

#[test]
fn undeclared_keys_are_kept_and_written_back_after_the_declared_ones() {
    let env = answer(&[
        ("note".into(), "kept".into()),
        ("amount".into(), "12.50".into()),
        ("domain".into(), "example.com".into()),
    ]);
    let r: DomainRegisterResult = read(&env);
    assert_eq!(r.amount.as_deref(), Some("12.50"));
    assert_eq!(r.expiration_date, None);
    assert_eq!(r.all.get("note"), Some("kept"));
    let fields = r.to_fields();
    let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["domain", "amount", "Completion-Status", "note"]);
    let again: DomainRegisterResult = read(&answer(&fields));
    assert_eq!(again.domain, r.domain);
    assert_eq!(again.amount, r.amount);
    assert_eq!(again.all.get("note"), Some("kept"));
}

#[test]
fn a_result_value_of_the_wrong_type_is_an_error_naming_the_key() {
    let env = answer(&[("domain".into(), "not a domain!".into())]);
    let err =
        DomainRegisterResult::from_result("result-retrieve", &env, KeyValues::parse(env.payload()))
            .unwrap_err();
    assert_eq!(err.field, "domain");
    assert_eq!(err.request, "result-retrieve");
}
