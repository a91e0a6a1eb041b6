//! The client under injected faults (the fault matrix of RELIABILITY.md): queries are retried
//! until they succeed; a request that changes something is never sent twice, and a lost
//! answer is `OutcomeUnknown` with the query that shows whether it was carried out. The
//! sandbox counts effects, so a double registration or renewal cannot go unnoticed.

use std::time::Duration;

use dmapi::{Client, DomainName, Error, Handle, Months, Requests, Results, RetryPolicy, Term};
use dmapi_sandbox::{Fault, Sandbox};

fn client_for(sandbox: &Sandbox) -> Client {
    sandbox
        .client_builder()
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy {
            attempts: 3,
            backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
        .build()
        .unwrap()
}

fn domain(s: &str) -> DomainName {
    s.parse().unwrap()
}

fn faults() -> Vec<(&'static str, Fault)> {
    vec![
        ("delay 50 ms", Fault::Delay(Duration::from_millis(50))),
        (
            "delay past the timeout",
            Fault::Delay(Duration::from_secs(2)),
        ),
        ("drop before processing", Fault::DropBefore),
        ("drop after processing", Fault::DropAfter),
        ("HTTP 500", Fault::Status(500)),
        ("HTTP 502", Fault::Status(502)),
        ("HTTP 503", Fault::Status(503)),
        ("truncated body", Fault::Truncate),
        ("HTML page", Fault::Html),
        ("session expired", Fault::ExpireSession),
    ]
}

#[tokio::test]
async fn queries_are_retried_through_every_fault() {
    for (what, fault) in faults() {
        let sandbox = Sandbox::start().await.unwrap();
        let client = client_for(&sandbox);
        client.login().await.unwrap();
        sandbox.inject("query-domain-list", fault, 1);
        let list = client.query_domain_list().await;
        let list = list.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(list.output.len(), 2, "{what}");
        let sent = sandbox.received("query-domain-list");
        let expected = match fault {
            Fault::Delay(d) if d < Duration::from_millis(500) => 1,
            _ => 2,
        };
        assert_eq!(sent, expected, "{what}: requests sent");
        println!("query-domain-list | {what} | ok after {sent} request(s)");
    }
}

/// A change under a fault: returns (outcome, effects, requests received).
async fn change_under(
    fault: Fault,
    request: &'static str,
) -> (Result<(), Error>, u64, u64, Sandbox, Client) {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    client.login().await.unwrap();
    sandbox.inject(request, fault, 1);
    let owner: Handle = "COCO-4711".parse().unwrap();
    let result = match request {
        "domain-renew" => client
            .domain_renew(
                domain("example.com"),
                Term::Period(Months::years(1).unwrap()),
            )
            .await
            .map(drop),
        _ => client
            .domain_register(
                domain("brand-new.com"),
                Months::years(1).unwrap(),
                owner.clone(),
                owner.clone(),
                owner.clone(),
                owner,
                [domain("a.ns.joker.com")],
            )
            .await
            .map(drop),
    };
    // Let anything the server may still be doing finish before counting.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let effects = sandbox.effects(request);
    let received = sandbox.received(request);
    (result, effects, received, sandbox, client)
}

#[tokio::test]
async fn changes_are_never_sent_twice_and_a_lost_answer_says_how_to_check() {
    for request in ["domain-renew", "domain-register"] {
        for (what, fault) in faults() {
            let (result, effects, received, _sandbox, client) = change_under(fault, request).await;
            let outcome = match &result {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("error: {}", short(e)),
            };
            println!("{request} | {what} | {outcome} | effects {effects} | sent {received}");
            assert!(
                effects <= 1,
                "{request} / {what}: carried out {effects} times"
            );
            match fault {
                Fault::Delay(d) if d < Duration::from_millis(500) => {
                    assert!(result.is_ok(), "{what}: {result:?}");
                    assert_eq!((effects, received), (1, 1), "{what}");
                }
                Fault::ExpireSession => {
                    // Refused before processing (HTTP 401): logged in again and replayed once.
                    assert!(result.is_ok(), "{what}: {result:?}");
                    assert_eq!((effects, received), (1, 2), "{what}");
                    assert_eq!(client.login_count().await, 2);
                }
                _ => {
                    assert_eq!(received, 1, "{request} / {what}: sent again");
                    let Err(Error::OutcomeUnknown {
                        request: name,
                        object,
                        check,
                        ..
                    }) = &result
                    else {
                        panic!("{request} / {what}: {result:?}")
                    };
                    assert_eq!(*name, request);
                    assert!(object.is_some(), "{what}: the object is named");
                    // The ready query tells whether it happened.
                    let env = client.send_raw(check.request, &check.form).await.unwrap();
                    let Results::Rows(rows) =
                        dmapi::output::result_list("result-list", &env).unwrap()
                    else {
                        panic!("rows")
                    };
                    let carried_out = matches!(fault, Fault::DropAfter | Fault::Truncate);
                    assert_eq!(rows.len(), usize::from(carried_out), "{request} / {what}");
                    assert_eq!(effects, u64::from(carried_out), "{request} / {what}");
                }
            }
        }
    }
}

fn short(e: &Error) -> String {
    match e {
        Error::OutcomeUnknown { cause, .. } => format!("outcome unknown ({})", short(cause)),
        Error::Transport { source, .. } if source.is_timeout() => "timeout".into(),
        Error::Transport { .. } => "connection broken".into(),
        Error::Http { status, .. } => format!("HTTP {status}"),
        Error::Protocol { .. } => "not a DMAPI answer".into(),
        other => other.to_string(),
    }
}

/// Two renewals of the same domain, the second's answer lost: the check asks the result list
/// for the second one's client transaction id, so it tells whether that renewal went through,
/// where the request name and object alone would also find the first.
#[tokio::test]
async fn the_client_transaction_id_tells_which_of_two_renewals_went_through() {
    let renew = |client: &Client| {
        let client = client.clone();
        async move {
            client
                .domain_renew(
                    domain("example.com"),
                    Term::Period(Months::years(1).unwrap()),
                )
                .await
        }
    };
    for (fault, went_through) in [(Fault::DropBefore, false), (Fault::DropAfter, true)] {
        let sandbox = Sandbox::start().await.unwrap();
        let client = client_for(&sandbox);
        let first = renew(&client).await.unwrap();
        let first_id = first.cltrid.clone().expect("the client gives it an id");
        // The sandbox renews a domain at most once in 6 hours.
        sandbox.advance_clock(Duration::from_secs(6 * 3600 + 1));
        client.query_profile().await.unwrap(); // a fresh session before the fault
        sandbox.inject("domain-renew", fault, 1);
        let Err(Error::OutcomeUnknown { cltrid, check, .. }) = renew(&client).await else {
            panic!("{fault:?}: the second answer was lost")
        };
        let second_id = cltrid.expect("sent with an id");
        assert_ne!(first_id, second_id, "unique per request");
        assert_eq!(
            check.form.get(&dmapi::metadata::SESSION.results_cltrid),
            Some(second_id.as_str()),
            "the check asks for that very request"
        );
        let env = client.send_raw(check.request, &check.form).await.unwrap();
        let Results::Rows(rows) = dmapi::output::result_list("result-list", &env).unwrap() else {
            panic!("rows")
        };
        let found: Vec<Option<&str>> = rows.iter().map(|r| r.cltrid.as_deref()).collect();
        let want = if went_through {
            vec![Some(second_id.as_str())]
        } else {
            vec![]
        };
        assert_eq!(found, want, "{fault:?}");
        assert_eq!(
            sandbox.effects("domain-renew"),
            1 + u64::from(went_through),
            "{fault:?}"
        );
        println!(
            "second renewal | {fault:?} | check by cltrid {second_id}: {} row(s)",
            rows.len()
        );
    }
}

/// The simulated round trip: every request waits (a lower bound, which cannot be flaky), and
/// the check by client transaction id that `OutcomeCheck::by_cltrid` builds is the one a
/// lost answer's error carries.
#[tokio::test]
async fn latency_delays_every_request_and_the_cltrid_check_is_the_errors_own() {
    let latency = Duration::from_millis(150);
    let sandbox = Sandbox::builder().latency(latency).start().await.unwrap();
    let client = client_for(&sandbox);
    let started = std::time::Instant::now();
    client.login().await.unwrap();
    assert!(started.elapsed() >= latency, "the login waited too");
    let started = std::time::Instant::now();
    client.query_profile().await.unwrap();
    assert!(started.elapsed() >= latency, "every request waits");

    sandbox.inject("domain-renew", Fault::DropAfter, 1);
    let Err(Error::OutcomeUnknown { cltrid, check, .. }) = client
        .domain_renew(
            domain("example.com"),
            Term::Period(Months::years(1).unwrap()),
        )
        .await
    else {
        panic!("the answer was lost")
    };
    let rebuilt = dmapi::OutcomeCheck::by_cltrid::<dmapi::Dmapi>(&cltrid.unwrap());
    assert_eq!(rebuilt.request.name, check.request.name);
    let pairs = |f: &dmapi::Form| -> Vec<(String, String)> {
        f.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    assert_eq!(pairs(&rebuilt.form), pairs(&check.form));
}
