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
