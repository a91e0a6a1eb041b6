//! The queries beyond the docs (spec/beyond.toml), through the typed client: query-price-list
//! agrees with domain-check, query-tld-list with login, query-request-list follows the access
//! level; whois, inquire-tld, version and wa-email-query-status; query-domain-list's
//! `jokerns`; result-list's filter by client transaction id; and login's answer to a
//! malformed username.

mod common;

use common::wire::{Wire, env};
use common::{client_for, domain, key_client, sign};

use dmapi::{
    Client, DomainCheckCheckPrice, Envelope, Months, QueryPriceListOperation as Op, Requests,
    Results, StatusCode, metadata,
};
use dmapi_sandbox::Sandbox;

/// The operation of domain-check that prices a price-list operation.
fn check_of(op: &Op) -> Option<DomainCheckCheckPrice> {
    match op {
        Op::Create => Some(DomainCheckCheckPrice::Create),
        Op::Renew => Some(DomainCheckCheckPrice::Renew),
        Op::Transfer => Some(DomainCheckCheckPrice::Transfer),
        Op::Rgp => Some(DomainCheckCheckPrice::Restore),
        _ => None,
    }
}

#[tokio::test]
async fn the_price_list_agrees_with_domain_check_and_the_charges() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let rows = client.query_price_list().await.unwrap().output;
    let tlds = client.query_tld_list().await.unwrap().output;
    assert_eq!(rows.len(), tlds.len() * 7, "one row per TLD and operation");
    for row in &rows {
        assert!(tlds.contains(&row.tld), "{row:?}");
        let prices = [
            &row.price_1y,
            &row.price_2y,
            &row.price_3y,
            &row.price_4y,
            &row.price_5y,
            &row.price_6y,
            &row.price_7y,
            &row.price_8y,
            &row.price_9y,
            &row.price_10y,
        ];
        if row.operation == Op::Trustee {
            assert!(prices.iter().all(|p| p.is_none()), "not offered: {row:?}");
            continue;
        }
        let Some(check) = check_of(&row.operation) else {
            continue;
        };
        for (years, listed) in (1..=10).zip(prices) {
            // domain-check prices a period in years below 12.
            let answer = client
                .domain_check(domain(&format!("price-probe.{}", row.tld)))
                .with(|r| r.check_price(check).period(years))
                .await
                .unwrap()
                .output;
            let (_, checked) = answer.prices.first().expect("a price").clone();
            match listed {
                Some(p) => assert_eq!(checked, format!("{p} {} {years}y", row.currency), "{row:?}"),
                // Offered for one year only (transfer, restore).
                None => assert!(years > 1, "{row:?}"),
            }
        }
    }
    // What a registration with privacy costs is the sum of the two rows.
    let row = |op: Op| {
        rows.iter()
            .find(|r| r.tld == "com" && r.operation == op)
            .and_then(|r| r.price_2y.clone())
            .unwrap()
    };
    let cents = |p: String| p.replace('.', "").parse::<i64>().unwrap();
    let expected = cents(row(Op::Create)) + cents(row(Op::PrivacyPro));
    let balance = sandbox.balance_cents();
    let submitted = client
        .domain_register(
            domain("priced-right.com"),
            Months::years(2).unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            [domain("x.ns.joker.com"), domain("y.ns.joker.com")],
        )
        .with(|r| r.privacy(dmapi::Privacy::Pro))
        .await
        .unwrap()
        .output;
    assert!(client.wait(&submitted).await.unwrap().is_ack());
    assert_eq!(balance - sandbox.balance_cents(), expected);
    // The v2 alias lists the same.
    assert_eq!(client.v2_query_price_list().await.unwrap().output, rows);
}

/// Logs in over plain HTTP: login's answer.
async fn raw_login(sandbox: &Sandbox, username: &str) -> (Envelope, String) {
    let s = &metadata::SESSION;
    let password = &sandbox.credentials().password;
    let form = [(&*s.username, username), (&*s.password, password.as_str())];
    let (_, _, text) = Wire::new(sandbox).post(&s.login, &form).await;
    (env(&text), text)
}

#[tokio::test]
async fn the_tld_list_is_logins() {
    let sandbox = Sandbox::start().await.unwrap();
    let (env, _) = raw_login(&sandbox, &sandbox.credentials().username).await;
    assert!(env.is_success(), "{env:?}");
    let from_login = dmapi::output::lines(&env);
    let client = client_for(&sandbox);
    let tlds = client.query_tld_list().await.unwrap().output;
    assert!(!tlds.is_empty());
    assert_eq!(tlds, from_login);
}

#[tokio::test]
async fn a_malformed_username_is_a_failed_command_without_a_session() {
    let sandbox = Sandbox::start().await.unwrap();
    let s = &metadata::SESSION;
    let want = format!("Parameter {}: expected: valid username", s.username);
    for bad in [
        "",
        " ",
        "has space@example.com",
        "a@b@c",
        "tab\there",
        "nö@example.com",
    ] {
        let (env, text) = raw_login(&sandbox, bad).await;
        assert_eq!(
            env.status_code(),
            Some(StatusCode::CommandFailed.code()),
            "{bad:?}: {text}"
        );
        assert_eq!(env.errors().collect::<Vec<_>>(), [want.as_str()], "{bad:?}");
        assert!(env.header(&metadata::PROTOCOL.headers.session_id).is_none());
    }
    assert_eq!(sandbox.session_count(), 0);
    // Through the client too.
    let client = sandbox
        .client_builder()
        .password("not a username", "whatever")
        .build()
        .unwrap();
    let err = client.login().await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::CommandFailed.code()),
        "{err}"
    );
    // A well-formed one with a wrong password stays an authentication error.
    let client = sandbox
        .client_builder()
        .password("someone@example.com", "wrong")
        .build()
        .unwrap();
    let err = client.login().await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::AuthenticationError.code()),
        "{err}"
    );
}

#[tokio::test]
async fn the_request_list_follows_the_access_level() {
    let sandbox = Sandbox::start().await.unwrap();
    let creds = sandbox.credentials().clone();
    let list = |client: Client| async move { client.query_request_list().await.unwrap().output };
    let full = list(client_for(&sandbox)).await;
    let read_only = list(key_client(&sandbox, &creds.read_only_key)).await;
    let modify_only = list(key_client(&sandbox, &creds.modify_only_key)).await;
    let all: Vec<String> = metadata::REQUESTS
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(full, all, "a full session may use every request");
    for (list, allowed) in [
        (
            &read_only,
            (|m: &dmapi::meta::RequestMeta| !m.changes) as fn(&_) -> bool,
        ),
        (&modify_only, |m| !m.costs),
    ] {
        let want: Vec<String> = metadata::REQUESTS
            .iter()
            .filter(|m| allowed(m))
            .map(|m| m.name.to_string())
            .collect();
        assert_eq!(list, &want);
    }
    let has = |list: &[String], name: &str| list.iter().any(|n| n == name);
    assert!(has(&read_only, &metadata::QUERY_DOMAIN_LIST.name));
    assert!(!has(&read_only, &metadata::DOMAIN_LOCK.name));
    assert!(has(&modify_only, &metadata::DOMAIN_LOCK.name));
    assert!(!has(&modify_only, &metadata::DOMAIN_REDEEM.name));
    assert!(read_only.len() < modify_only.len() && modify_only.len() < full.len());
}

#[tokio::test]
async fn whois_tells_dnssec_and_inquire_tld_its_form() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let whois = client.whois(domain("example.com")).await.unwrap().output;
    assert_eq!(whois.dnssec, Some(dmapi::WhoisDnssec::Unsigned));
    assert!(whois.all.get_all("Name Server").count() >= 1, "{whois:?}");
    sign(&client, "example.com").await;
    let whois = client.whois(domain("example.com")).await.unwrap().output;
    assert_eq!(whois.dnssec, Some(dmapi::WhoisDnssec::SignedDelegation));
    let err = client.whois(domain("not-here.com")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::ObjectDoesNotExist.code()));

    let form = |tld: &'static str| {
        let client = client.clone();
        async move { client.inquire_tld(tld).await.map(|r| r.output.dnssec) }
    };
    assert_eq!(
        form("de").await.unwrap(),
        Some(dmapi::InquireTldDnssec::Keydata)
    );
    assert_eq!(
        form(".COM").await.unwrap(),
        Some(dmapi::InquireTldDnssec::Dsdata)
    );
    let err = form("zz").await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::ParameterValuePolicyError.code())
    );
    assert!(err.to_string().contains("not offered"), "{err}");
}

#[tokio::test]
async fn domain_modify_refuses_a_dnssec_key_not_in_the_tld_s_form() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let modify = |name: &'static str, ds: String| {
        let client = client.clone();
        async move {
            client
                .domain_modify(domain(name))
                .with(|r| r.dnssec(true).ds([ds]))
                .await
        }
    };
    let forms = &dmapi::metadata::PROTOCOL.dnssec;
    let ds: dmapi::dnssec::DnssecKey = common::DS_RECORD.parse().unwrap();
    // A DS record where the registry takes DNSKEYs (.de), refused when submitted.
    let dnskey: dmapi::dnssec::DnssecKey = "DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
        .parse()
        .unwrap();
    let err = modify("example.com", dnskey.to_wire(forms))
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::ParameterValueSyntaxError.code())
    );
    assert!(
        err.to_string().contains("`ds-1`: .com takes DS data"),
        "{err}"
    );
    // Digits short of a SHA-256 digest.
    let short = "12345:13:2:0123456789abcdef".to_string();
    let err = modify("example.com", short).await.unwrap_err();
    assert!(
        err.to_string().contains("has 64 hex digits, found 16"),
        "{err}"
    );
    // The right form is taken.
    let submitted = modify("example.com", ds.to_wire(forms))
        .await
        .unwrap()
        .output;
    assert!(client.wait(&submitted).await.unwrap().is_ack());
}

#[tokio::test]
async fn version_answers_the_headers_version() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let response = client.version().await.unwrap();
    let header = response
        .envelope
        .header(&metadata::PROTOCOL.headers.version)
        .unwrap();
    assert_eq!(response.output.version, header);
}

#[tokio::test]
async fn wa_email_query_status_follows_the_verification() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let status = |email: &'static str| {
        let client = client.clone();
        async move {
            let email = email.parse().unwrap();
            client.wa_email_query_status(email).await.unwrap().output
        }
    };
    // The seed's owner address waits for its verification.
    assert_eq!(status("owner@example.com").await.trim(), "pending");
    assert_eq!(status("nobody@example.com").await.trim(), "unverified");
    let key = sandbox.verification_key("owner@example.com").unwrap();
    client
        .wa_email_verify(key.into(), dmapi::Answer::Yes)
        .await
        .unwrap();
    assert_eq!(status("OWNER@example.com").await.trim(), "verified");
}

#[tokio::test]
async fn the_domain_list_says_which_domains_use_jokers_name_servers() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let rows = client
        .query_domain_list()
        .with(|r| r.showjokerns(true))
        .await
        .unwrap()
        .output;
    let jokerns = |name: &str| {
        rows.iter()
            .find(|r| r.domain.as_str() == name)
            .and_then(|r| r.jokerns)
    };
    // example.com has a name server of its own; expiring-soon.net only a/b.ns.joker.com.
    assert_eq!(jokerns("example.com"), Some(false));
    assert_eq!(jokerns("expiring-soon.net"), Some(true));
    let plain = client.query_domain_list().await.unwrap().output;
    assert!(plain.iter().all(|r| r.jokerns.is_none()));
}

#[tokio::test]
async fn result_list_finds_a_job_by_its_client_transaction_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let mut proc_ids = Vec::new();
    for id in ["order-a", "order-b"] {
        let response = client
            .domain_lock(domain("example.com"))
            .with(|r| r.cltrid(id))
            .await
            .unwrap();
        assert_eq!(response.cltrid.as_deref(), Some(id));
        proc_ids.push(response.output.proc_id.clone());
        client.wait(&response.output).await.unwrap();
    }
    // One the client names itself.
    let auto = client.domain_unlock(domain("example.com")).await.unwrap();
    let auto_id = auto.cltrid.clone().expect("the client gives it an id");

    let rows = |cltrid: &str| {
        let client = client.clone();
        let cltrid = cltrid.to_owned();
        async move {
            let out = client
                .result_list()
                .with(|r| r.cltrid(cltrid.parse().unwrap()))
                .await
                .unwrap()
                .output;
            let Results::Rows(rows) = out else {
                panic!("rows")
            };
            rows
        }
    };
    let found = rows("order-b").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].proc_id, proc_ids[1]);
    assert_eq!(found[0].cltrid.as_deref(), Some("order-b"));
    assert_eq!(rows("order-?").await.len(), 2);
    assert_eq!(rows("ORDER-*").await.len(), 2, "patterns ignore case");
    let found = rows(&auto_id).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].proc_id, auto.output.proc_id);
    assert!(rows("no-such-order").await.is_empty());
    // Unfiltered, each row shows its own.
    let Results::Rows(all) = client.result_list().await.unwrap().output else {
        panic!("rows")
    };
    let a = all.iter().find(|r| r.proc_id == proc_ids[0]).unwrap();
    assert_eq!(a.cltrid.as_deref(), Some("order-a"));
}
