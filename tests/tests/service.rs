//! The generated `Service` trait: a server that implements no method still answers every
//! request of the spec (and each case of an answer a parameter chooses) in its declared shape,
//! and the client's own parser reads each answer. A refusal from a method becomes the
//! `ServeError` the server turns into an answer.

use dmapi::meta::RequestMeta;
use dmapi::reply::Reply;
use dmapi::serve::{Refusal, ServeError};
use dmapi::{AnyRequest, DomainCheck, DomainCheckOutput, Envelope, Service, StatusCode, metadata};

/// A server with no rules of its own: every answer is the default.
struct Defaults;

impl Service for Defaults {}

/// A server that knows one rule.
struct NoDomains;

impl Service for NoDomains {
    fn domain_check(&mut self, request: &DomainCheck) -> Result<DomainCheckOutput, ServeError> {
        let why = format!("`{}` is not in this registry", request.domain);
        Err(Refusal::new(StatusCode::ObjectDoesNotExist.code(), why).into())
    }
}

/// Each parameter set a request is checked with: its examples, and for an answer chosen by a
/// parameter, its examples with each of that parameter's values.
fn param_sets(meta: &RequestMeta) -> Vec<Vec<(String, String)>> {
    match &meta.returns.by {
        None => vec![meta.example_params()],
        Some(by) => meta
            .returns
            .cases
            .iter()
            .map(|c| meta.example_params_with(vec![(by.to_string(), c.when.to_string())]))
            .collect(),
    }
}

fn reply() -> Reply {
    Reply::new(&metadata::PROTOCOL, 0, "Command completed successfully")
}

#[test]
fn a_service_with_no_rules_answers_every_request_in_its_declared_shape() {
    let mut served = 0;
    for meta in metadata::REQUESTS.iter().filter(|m| m.alias_of.is_none()) {
        for params in param_sets(meta) {
            let raw: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let request = match AnyRequest::decode(&meta.name, &raw) {
                Some((_, Ok(request))) => request,
                other => panic!(
                    "{}: the example parameters do not decode: {other:?}",
                    meta.name
                ),
            };
            let text = request
                .serve(&mut Defaults, reply())
                .unwrap_or_else(|e| panic!("{}: {e}", meta.name));
            let env = Envelope::parse(&text, &metadata::PROTOCOL).unwrap();
            assert!(env.is_success(), "{}: {text}", meta.name);
            if let Err(e) = request.check_output(&env) {
                panic!("{} {params:?}: {e}\n{text}", meta.name);
            }
            served += 1;
        }
    }
    // Every request once, and a request whose answer a parameter chooses once per case.
    let expected: usize = metadata::REQUESTS
        .iter()
        .filter(|m| m.alias_of.is_none())
        .map(|m| m.returns.cases.len().max(1))
        .sum();
    assert_eq!(served, expected);
    assert!(metadata::REQUESTS.iter().any(|m| m.returns.cases.len() > 1));
}

#[test]
fn a_method_that_refuses_is_the_error_and_the_others_keep_their_default() {
    let check = AnyRequest::DomainCheck(DomainCheck::new("example.com".parse().unwrap()));
    match check.serve(&mut NoDomains, reply()) {
        Err(ServeError::Refused(r)) => {
            assert_eq!(r.status, StatusCode::ObjectDoesNotExist.code());
            assert_eq!(r.errors, ["`example.com` is not in this registry"]);
        }
        other => panic!("a refusal, not {other:?}"),
    }
    let default = check.serve(&mut Defaults, reply()).unwrap();
    assert!(
        default.ends_with("\n\ndomain-status: available"),
        "{default}"
    );
}

#[test]
fn a_successful_answer_has_its_declared_status_or_the_protocols_first_success_code() {
    use dmapi::{DomainTransferControl, Request};
    let p = &metadata::PROTOCOL;
    // The docs: domain-transfer-control succeeds with 1000; other requests with 0.
    assert_eq!(
        p.success_status(&DomainTransferControl::meta().returns),
        1000
    );
    assert_eq!(p.success_status(&DomainCheck::meta().returns), 0);
}
