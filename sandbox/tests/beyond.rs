//! The requests beyond the docs (spec/beyond.toml) that change something, through the typed
//! client: deleting (immediate, at end of life, transit) and redeeming within the redemption
//! grace period, v2/contact/create, domain-transfer-in, account properties (kept in the state
//! file). result-list's client transaction id filter is with the queries.

mod common;

use common::{client_for, domain, done};

use std::time::Duration;

use dmapi::{
    Client, ContactName, DomainCheckCheckPrice, DomainDeleteType, Handle, Months, Requests,
    StatusCode, WhoisObject,
};
use dmapi_sandbox::{Sandbox, Seed};

const DAY: Duration = Duration::from_secs(86_400);

/// The status a refused call answered.
fn status(err: &dmapi::Error) -> Option<StatusCode> {
    err.status().map(StatusCode::from)
}

async fn listed(client: &Client, name: &str) -> bool {
    let rows = client.query_domain_list().await.unwrap().output;
    rows.iter().any(|r| r.domain.as_str() == name)
}

async fn delete(client: &Client, name: &str, kind: Option<DomainDeleteType>) {
    let submitted = client
        .domain_delete(domain(name))
        .with(|r| {
            let r = r.force(true);
            match kind {
                Some(k) => r.r#type(k),
                None => r,
            }
        })
        .await
        .unwrap()
        .output;
    let result = done(client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
}

/// The restore price domain-check answers for `name`, in cents.
async fn restore_price(client: &Client, name: &str) -> i64 {
    let check = client
        .domain_check(domain(name))
        .with(|r| r.check_price(DomainCheckCheckPrice::Restore))
        .await
        .unwrap()
        .output;
    let (_, price) = check.prices.first().expect("a restore price").clone();
    let amount = price.split(' ').next().unwrap();
    cents(amount)
}

fn cents(amount: &str) -> i64 {
    let (int, frac) = amount.split_once('.').unwrap();
    int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

#[tokio::test]
async fn a_deleted_domain_is_redeemed_within_grace_at_the_restore_price() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let before = client.query_domain_list().await.unwrap().output;
    let expires = before
        .iter()
        .find(|r| r.domain.as_str() == "example.com")
        .unwrap()
        .expiration_date;
    let rgp = restore_price(&client, "example.com").await;

    // Not deleted: nothing to restore, refused at once.
    let err = client
        .domain_redeem(domain("example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        status(&err),
        Some(StatusCode::StatusProhibitsOperation),
        "{err}"
    );

    delete(&client, "example.com", None).await;
    assert!(!listed(&client, "example.com").await);
    // The name stays taken while it can be redeemed.
    let check = client.domain_check(domain("example.com")).await.unwrap();
    assert_eq!(
        check.output.domain_status,
        dmapi::DomainCheckDomainStatus::Unavailable
    );

    sandbox.advance_clock(10 * DAY);
    let balance = sandbox.balance_cents();
    let submitted = client
        .domain_redeem(domain("example.com"))
        .await
        .unwrap()
        .output;
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    let out = result.result.expect("the redeem's result");
    assert_eq!(out.domain, Some(domain("example.com")));
    assert_eq!(
        out.expiration_date.as_deref(),
        Some(expires.to_string().as_str())
    );
    assert_eq!(cents(out.amount.as_deref().unwrap()), rgp);
    assert_eq!(
        sandbox.balance_cents(),
        balance - rgp,
        "charged the rgp price"
    );
    assert!(listed(&client, "example.com").await, "restored");
    assert_eq!(sandbox.effects("domain-redeem"), 1);

    // Outside the grace period it is gone for good: refused, and the name is free again.
    delete(&client, "example.com", None).await;
    sandbox.advance_clock(31 * DAY);
    let err = client
        .domain_redeem(domain("example.com"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(StatusCode::ObjectDoesNotExist), "{err}");
    let check = client.domain_check(domain("example.com")).await.unwrap();
    assert_eq!(
        check.output.domain_status,
        dmapi::DomainCheckDomainStatus::Available
    );
    // Never deleted here at all.
    let err = client
        .domain_redeem(domain("never-here.com"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(StatusCode::ObjectDoesNotExist), "{err}");
}

#[tokio::test]
async fn the_grace_period_is_a_setting_and_a_late_redeem_is_a_nack() {
    let sandbox = Sandbox::builder()
        .redemption_grace(Duration::from_secs(3600))
        .async_delay(Duration::from_secs(600))
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let submitted = client
        .domain_delete(domain("example.com"))
        .with(|r| r.force(true))
        .await
        .unwrap()
        .output;
    sandbox.advance_clock(Duration::from_secs(601));
    let deleted = client.completion(&submitted.proc_id).await.unwrap();
    assert!(deleted.is_some_and(|c| c.is_ack()));
    // Accepted within the hour, due after it.
    let submitted = client
        .domain_redeem(domain("example.com"))
        .await
        .unwrap()
        .output;
    sandbox.advance_clock(Duration::from_secs(3600));
    let result = client.completion(&submitted.proc_id).await.unwrap();
    let result = result.expect("due by now");
    assert!(!result.is_ack());
    assert!(
        result.error_text().contains("grace"),
        "{}",
        result.error_text()
    );
    assert!(!listed(&client, "example.com").await);
}

#[tokio::test]
async fn end_of_life_deletes_at_expiration_and_transit_is_for_de_and_at() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    // The seed's expiring-soon.net expires in 20 days.
    delete(
        &client,
        "expiring-soon.net",
        Some(DomainDeleteType::Endoflife),
    )
    .await;
    assert!(
        listed(&client, "expiring-soon.net").await,
        "kept until it expires"
    );
    sandbox.advance_clock(21 * DAY);
    assert!(
        !listed(&client, "expiring-soon.net").await,
        "deleted when it expired"
    );
    // Redeemed after its expiration: restored and renewed for a year.
    let balance = sandbox.balance_cents();
    let submitted = client
        .domain_redeem(domain("expiring-soon.net"))
        .await
        .unwrap()
        .output;
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    let charged = balance - sandbox.balance_cents();
    let rgp = restore_price(&client, "expiring-soon.net").await;
    assert!(charged > rgp, "the restore and a renewal: {charged}");
    assert!(listed(&client, "expiring-soon.net").await);

    // Transit is a .de/.at procedure: refused for .com before anything is queued.
    let err = client
        .domain_delete(domain("example.com"))
        .with(|r| r.force(true).r#type(DomainDeleteType::Transit))
        .await
        .unwrap_err();
    assert_eq!(
        status(&err),
        Some(StatusCode::ParameterValuePolicyError),
        "{err}"
    );
    assert!(listed(&client, "example.com").await);
}

async fn v2_contact(client: &Client) -> Handle {
    client
        .v2_contact_create(
            "com",
            "v2@example.org".parse().unwrap(),
            "Main Street 2",
            "Springfield",
            "12345",
            "US".parse().unwrap(),
            "+1.5555550000",
            ContactName::Name("Vee Two".into()),
        )
        .with(|r| r.client_ip("192.0.2.10"))
        .await
        .unwrap()
        .output
        .handle
}

#[tokio::test]
async fn v2_contact_create_answers_a_handle_usable_at_once() {
    let sandbox = Sandbox::builder().seed(Seed::Empty).start().await.unwrap();
    let client = client_for(&sandbox);
    let handle = v2_contact(&client).await;
    let contacts = client.query_contact_list().await.unwrap().output;
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].handle, handle);
    let whois = client
        .query_whois(WhoisObject::Contact(handle.clone()))
        .await
        .unwrap()
        .output;
    assert_eq!(whois.contact_handle.as_ref(), Some(&handle));
    // Only the contact's fields, not the request's (its client transaction id, client-ip).
    let session = &dmapi::metadata::SESSION;
    assert!(!whois.contact.is_empty());
    assert!(
        whois
            .contact
            .iter()
            .all(|(k, _)| *k != *session.cltrid && k != "client-ip"),
        "{:?}",
        whois.contact
    );
    // A registration with it, right away.
    let submitted = client
        .domain_register(
            domain("v2-owner.com"),
            Months::years(1).unwrap(),
            handle.clone(),
            handle.clone(),
            handle.clone(),
            handle.clone(),
            [domain("x.ns.joker.com"), domain("y.ns.joker.com")],
        )
        .await
        .unwrap()
        .output;
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
}

#[tokio::test]
async fn domain_transfer_in_follows_the_reseller_transfer_with_only_billing_c() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let balance = sandbox.balance_cents();
    let owner: Handle = "COCO-4711".parse().unwrap();
    // A wrong AUTH-ID fails when carried out.
    let submitted = client
        .domain_transfer_in(domain("transfer-me.com"), "WRONG".into(), owner.clone())
        .await
        .unwrap()
        .output;
    assert!(!done(&client, &submitted).await.is_ack());
    let submitted = client
        .domain_transfer_in(
            domain("transfer-me.com"),
            "TRANSFER-ME-2026".into(),
            owner.clone(),
        )
        .await
        .unwrap()
        .output;
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    let out = result.result.expect("the transfer's result");
    assert_eq!(out.domain, Some(domain("transfer-me.com")));
    assert!(out.expiration_date.is_some());
    assert_eq!(
        sandbox.balance_cents(),
        balance - 890,
        "the .com transfer price"
    );
    let whois = client
        .query_whois(WhoisObject::Domain(domain("transfer-me.com")))
        .await
        .unwrap()
        .output;
    assert_eq!(whois.domain_billing_c, Some(owner.clone()));
    assert_eq!(whois.domain_owner_c, Some(owner));
    // A TLD the sandbox does not offer is refused at once.
    let err = client
        .domain_transfer_in(
            domain("nope.example"),
            "x".into(),
            "COCO-4711".parse().unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        status(&err),
        Some(StatusCode::ParameterValuePolicyError),
        "{err}"
    );
}

async fn property(client: &Client, name: &str) -> Vec<(String, String)> {
    client
        .user_get_property()
        .with(|r| r.pname(name))
        .await
        .unwrap()
        .output
        .properties
}

#[tokio::test]
async fn account_properties_are_set_queued_and_kept_in_the_state_file() {
    let dir = std::env::temp_dir().join(format!("dmapi-sandbox-props-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.sqlite");
    let _ = std::fs::remove_file(&file);
    let sandbox = Sandbox::builder().state_file(&file).start().await.unwrap();
    let client = client_for(&sandbox);
    let all = client.user_get_property().await.unwrap().output.properties;
    assert_eq!(
        all,
        [("autorenew".to_owned(), "0".to_owned())],
        "the default"
    );

    let submitted = client
        .user_set_property("autorenew", "1")
        .await
        .unwrap()
        .output;
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    let out = result.result.unwrap();
    assert_eq!(out.pname.as_deref(), Some("autorenew"));
    assert_eq!(out.pvalue.as_deref(), Some("1"));
    assert_eq!(property(&client, "autorenew").await[0].1, "1");
    // New domains take it.
    let submitted = client
        .domain_register(
            domain("auto-renewing.com"),
            Months::years(1).unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            "COCO-4711".parse().unwrap(),
            [domain("x.ns.joker.com"), domain("y.ns.joker.com")],
        )
        .await
        .unwrap()
        .output;
    assert!(done(&client, &submitted).await.is_ack());
    let got = client
        .domain_get_property(
            domain("auto-renewing.com"),
            dmapi::DomainProperty::Autorenew,
        )
        .await
        .unwrap()
        .output;
    let dmapi::DomainGetPropertyOutput::Autorenew(got) = got else {
        panic!("{got:?}")
    };
    assert_eq!(got.autorenew, Some(true));

    // Refused at once: an unknown property, a bad value, another user.
    let err = client
        .user_set_property("colour", "blue")
        .await
        .unwrap_err();
    assert_eq!(
        status(&err),
        Some(StatusCode::ParameterValuePolicyError),
        "{err}"
    );
    let err = client
        .user_set_property("autorenew", "maybe")
        .await
        .unwrap_err();
    assert_eq!(
        status(&err),
        Some(StatusCode::ParameterValueSyntaxError),
        "{err}"
    );
    let err = client
        .user_set_property("autorenew", "0")
        .with(|r| r.uid("999999"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(StatusCode::AuthorizationError), "{err}");
    let err = client
        .user_get_property()
        .with(|r| r.pname("colour"))
        .await
        .unwrap_err();
    assert_eq!(status(&err), Some(StatusCode::ObjectDoesNotExist), "{err}");

    sandbox.shutdown().await.unwrap();
    let again = Sandbox::builder().state_file(&file).start().await.unwrap();
    let client = client_for(&again);
    assert_eq!(
        property(&client, "auto*").await[0].1,
        "1",
        "kept across the restart"
    );
    again.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
