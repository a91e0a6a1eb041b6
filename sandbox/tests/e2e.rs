//! The generated client against the sandbox over real HTTP on loopback: a scenario per docs
//! section, sessions and access levels, and every request of the spec served.

mod common;

use common::{
    client_for, domain, done, handle, invite_colleague, key_client, move_to_capital,
    submit_contact, submit_transfer, submit_txt,
};

use std::time::Duration;

use dmapi::meta::RequestKind;
use dmapi::{
    Client, CompletionStatus, ContactName, DomainCheckDomainStatus, Error, Form, GrantRole,
    GrantsRevokeType, Handle, Months, Requests, ResultId, Results, StatusCode, Term, WhoisObject,
    Year, metadata,
};
use dmapi_sandbox::{Sandbox, Seed};

async fn create_contact(client: &Client) -> Handle {
    let submitted = submit_contact(client, "Jane Doe").await;
    let result = done(client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    result
        .result
        .and_then(|r| r.handle)
        .expect("the new handle")
}

#[tokio::test]
async fn domains_scenario_from_login_to_logout() {
    let sandbox = Sandbox::builder()
        // Long enough that "still running" is observable on a loaded CI machine.
        .async_delay(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let info = client.login().await.unwrap();
    assert_eq!(info.user_access.as_deref(), Some("@full"));
    assert_eq!(info.timeout, Some(Duration::from_secs(3600)));

    let owner = create_contact(&client).await;
    let check = client.domain_check(domain("fresh-name.com")).await.unwrap();
    assert_eq!(
        check.output.domain_status,
        DomainCheckDomainStatus::Available
    );
    let orders: Vec<&str> = check
        .output
        .prices
        .iter()
        .map(|(o, _)| o.as_str())
        .collect();
    assert_eq!(orders, ["create", "renew", "transfer", "restore"]);

    let balance_before = sandbox.balance_cents();
    let submitted = client
        .domain_register(
            domain("fresh-name.com"),
            Months::years(1).unwrap(),
            owner.clone(),
            owner.clone(),
            owner.clone(),
            owner.clone(),
            [domain("a.ns.joker.com"), domain("b.ns.joker.com")],
        )
        .await
        .unwrap()
        .output;
    // Queued: not done before the delay.
    let pending = client.completion(&submitted.proc_id).await.unwrap();
    assert!(pending.is_none(), "completes after the configured delay");
    let result = done(&client, &submitted).await;
    assert!(result.is_ack(), "{}", result.error_text());
    assert_eq!(sandbox.balance_cents(), balance_before - 890);

    let list = client
        .query_domain_list()
        .with(|r| r.pattern("fresh*".parse().unwrap()).showstatus(true))
        .await
        .unwrap()
        .output;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].domain, domain("fresh-name.com"));

    let put = submit_txt(&client, "fresh-name.com", "_acme-challenge", "token-1").await;
    assert!(done(&client, &put).await.is_ack());
    let got = client
        .dns_zone_get(domain("fresh-name.com"))
        .await
        .unwrap()
        .output;
    assert_eq!(got.records().count(), 1);

    // Renewing up to a year twice renews once: the second is a no-op, not a second charge.
    let expyear = Year::new(2030).unwrap();
    let first = client
        .domain_renew(domain("fresh-name.com"), Term::Expyear(expyear))
        .await
        .unwrap()
        .output;
    assert!(done(&client, &first).await.is_ack());
    let charged = sandbox.balance_cents();
    let second = client
        .domain_renew(domain("fresh-name.com"), Term::Expyear(expyear))
        .await
        .unwrap()
        .output;
    let again = done(&client, &second).await;
    assert!(again.is_ack(), "{}", again.error_text());
    assert_eq!(
        sandbox.balance_cents(),
        charged,
        "the second renewal is free"
    );
    let whois = client
        .query_whois(WhoisObject::Domain(domain("fresh-name.com")))
        .await
        .unwrap()
        .output;
    assert!(whois.domain_expires.unwrap().starts_with("2030"));

    // Grants: an immediate grant to the colleague account, listed, then revoked.
    invite_colleague(&client, "fresh-name.com").await;
    let grants = client
        .grants_list(domain("fresh-name.com"))
        .await
        .unwrap()
        .output;
    assert_eq!(grants.len(), 1);
    let scope = grants[0].scope.clone();
    client
        .grants_revoke(
            domain("fresh-name.com"),
            GrantRole::Admin,
            scope,
            GrantsRevokeType::Grant,
        )
        .await
        .unwrap();
    assert!(
        client
            .grants_list(domain("fresh-name.com"))
            .await
            .unwrap()
            .output
            .is_empty()
    );

    let results = client.result_list().await.unwrap().output;
    let Results::Rows(rows) = results else {
        panic!("rows expected")
    };
    assert!(rows.iter().any(|r| r.proc_id == submitted.proc_id));
    client.logout().await.unwrap();
    assert_eq!(sandbox.session_count(), 0);
    assert_eq!(sandbox.effects("domain-register"), 1);
    assert_eq!(
        sandbox.effects("domain-renew"),
        2,
        "ran twice, charged once"
    );
}

#[tokio::test]
async fn an_expired_session_logs_in_again_once_and_nothing_is_doubled() {
    let sandbox = Sandbox::builder()
        .session_timeout(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    client.query_profile().await.unwrap();
    sandbox.advance_clock(Duration::from_secs(61));
    let submitted = client
        .domain_renew(
            domain("example.com"),
            Term::Period(Months::years(1).unwrap()),
        )
        .await
        .unwrap()
        .output;
    assert_eq!(client.login_count().await, 2, "logged in again once");
    assert!(done(&client, &submitted).await.is_ack());
    assert_eq!(sandbox.effects("domain-renew"), 1, "renewed exactly once");
}

#[tokio::test]
async fn access_levels_refuse_changes_and_costs() {
    let sandbox = Sandbox::start().await.unwrap();
    let read_only = key_client(&sandbox, &sandbox.credentials().read_only_key);
    assert_eq!(
        read_only.login().await.unwrap().user_access.as_deref(),
        Some("@read-only")
    );
    read_only.query_domain_list().await.unwrap();
    let err = read_only
        .domain_lock(domain("example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(StatusCode::from),
        Some(StatusCode::AuthorizationError),
        "{err}"
    );

    let modify_only = key_client(&sandbox, &sandbox.credentials().modify_only_key);
    modify_only
        .domain_lock(domain("example.com"))
        .await
        .unwrap();
    let err = modify_only
        .domain_renew(
            domain("example.com"),
            Term::Period(Months::years(1).unwrap()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(StatusCode::from),
        Some(StatusCode::AuthorizationError),
        "{err}"
    );
    assert_eq!(sandbox.effects("domain-renew"), 0);

    let wrong = key_client(&sandbox, "not-a-key");
    let err = wrong.query_profile().await.unwrap_err();
    assert!(err.to_string().contains("API key is invalid"), "{err}");
}

/// Values only the running sandbox knows, for requests whose example parameters name objects.
struct Known {
    proc_id: String,
    scope: String,
    /// The account's user id (query-profile's customer id).
    uid: String,
    /// A domain deleted just now, in its redemption grace period.
    deleted: String,
}

#[tokio::test]
async fn every_request_in_the_spec_is_served() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let creds = sandbox.credentials().clone();
    // A queued request and a grant, so that result and grant requests have something to name.
    let submitted = client
        .domain_lock(domain("example.com"))
        .await
        .unwrap()
        .output;
    invite_colleague(&client, "example.com").await;
    let grants = client
        .grants_list(domain("example.com"))
        .await
        .unwrap()
        .output;
    let known = Known {
        proc_id: submitted.proc_id,
        scope: grants
            .iter()
            .find(|r| r.r#type == dmapi::GrantsListType::Grant)
            .unwrap()
            .scope
            .clone(),
        uid: client
            .query_profile()
            .await
            .unwrap()
            .output
            .customer_id
            .unwrap(),
        deleted: "expiring-soon.net".to_owned(),
    };
    let deletion = client
        .domain_delete(domain(&known.deleted))
        .with(|r| r.force(true))
        .await
        .unwrap()
        .output;
    assert!(done(&client, &deletion).await.is_ack());
    let session = &metadata::SESSION;
    let mut served = Vec::new();
    for meta in metadata::REQUESTS {
        let mut form = Form::new();
        for (name, value) in meta.example_params() {
            let value = if meta.name == session.login {
                if name == session.username {
                    creds.username.clone()
                } else {
                    creds.password.clone()
                }
            } else if name == session.result_id {
                known.proc_id.clone()
            } else if meta.name == "grants-revoke" && name == "scope" {
                known.scope.clone()
            } else if name == "uid" {
                known.uid.clone()
            } else if meta.name == metadata::DOMAIN_REDEEM.name && name == "domain" {
                known.deleted.clone()
            } else {
                value
            };
            form.push(name, value);
        }
        let answer = client.send_raw(meta, &form).await;
        let env = answer.unwrap_or_else(|e| panic!("{} was not served: {e}", meta.name));
        if meta.kind == RequestKind::Async {
            assert!(env.proc_id().is_some(), "{}: no Proc-ID", meta.name);
        }
        served.push(&*meta.name);
    }
    assert_eq!(served.len(), metadata::REQUESTS.len());
}

#[tokio::test]
async fn deleting_follows_the_72_hour_rule_and_renewing_the_6_hour_rule() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    // Old domain: needs force.
    let s = client
        .domain_delete(domain("example.com"))
        .await
        .unwrap()
        .output;
    let r = done(&client, &s).await;
    assert_eq!(r.status, CompletionStatus::Nack);
    assert!(r.error_text().contains("force"), "{}", r.error_text());
    let s = client
        .domain_delete(domain("example.com"))
        .with(|r| r.force(true))
        .await
        .unwrap()
        .output;
    assert!(done(&client, &s).await.is_ack());

    // Renewal twice within 6 hours is refused; after that it works.
    let renew = || {
        client.domain_renew(
            domain("expiring-soon.net"),
            Term::Period(Months::years(1).unwrap()),
        )
    };
    let s = renew().await.unwrap().output;
    assert!(done(&client, &s).await.is_ack());
    let s = renew().await.unwrap().output;
    let r = done(&client, &s).await;
    assert!(r.error_text().contains("6 hours"), "{}", r.error_text());
    sandbox.advance_clock(Duration::from_secs(6 * 3600 + 1));
    let s = renew().await.unwrap().output;
    assert!(done(&client, &s).await.is_ack());
    assert_eq!(sandbox.effects("domain-renew"), 2);
}

#[tokio::test]
async fn premium_names_need_max_price_and_empty_zones_are_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let check = client
        .domain_check(domain("premium-one.com"))
        .await
        .unwrap();
    assert_eq!(check.output.domain_status, DomainCheckDomainStatus::Premium);
    let owner = handle("COCO-4711");
    let register = |max: Option<&str>| {
        let max = max.map(|m| m.parse().unwrap());
        client
            .domain_register(
                domain("premium-one.com"),
                Months::years(1).unwrap(),
                owner.clone(),
                owner.clone(),
                owner.clone(),
                owner.clone(),
                [domain("a.ns.joker.com")],
            )
            .with(move |r| match max {
                Some(m) => r.max_price(m),
                None => r,
            })
    };
    let err = register(None).await.unwrap_err();
    assert_eq!(
        err.status().map(StatusCode::from),
        Some(StatusCode::ParameterValuePolicyError)
    );
    assert!(err.to_string().contains("max-price"), "{err}");
    let err = register(Some("10")).await.unwrap_err();
    assert_eq!(
        err.status().map(StatusCode::from),
        Some(StatusCode::ParameterValuePolicyError)
    );
    let s = register(Some("600")).await.unwrap().output;
    assert!(done(&client, &s).await.is_ack());
    assert_eq!(sandbox.effects("domain-register"), 1);

    // The client refuses an empty zone itself; sent raw, the server answers 2400.
    let meta = metadata::find("dns-zone-put").unwrap();
    let mut form = Form::new();
    form.push("domain", "example.com");
    form.push("zone", "");
    let err = client.send_raw(meta, &form).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err}");
}

#[tokio::test]
async fn transfer_in_walks_the_documented_states() {
    let sandbox = Sandbox::builder()
        .async_delay(Duration::from_millis(40))
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let wrong = submit_transfer(&client, "wrong-code").await;
    let r = done(&client, &wrong).await;
    assert!(r.error_text().contains("AUTH-ID"), "{}", r.error_text());

    let s = submit_transfer(&client, "TRANSFER-ME-2026").await;
    tokio::time::sleep(Duration::from_millis(60)).await;
    let answer = client
        .domain_transfer_control(dmapi::DomainTransferControlAction::Show)
        .with(|r| r.domain(domain("transfer-me.com")))
        .await
        .unwrap();
    // The spec's declared success status for this request (the docs: 1000).
    let declared = <dmapi::DomainTransferControl as dmapi::Request>::meta()
        .returns
        .status;
    assert_eq!(answer.envelope.status_code(), declared, "{answer:?}");
    assert!(
        declared.is_some(),
        "domain-transfer-control declares its status"
    );
    let show = answer.output;
    let dmapi::DomainTransferControlOutput::Show(show) = show else {
        panic!("`action=show` answers keys: {show:?}");
    };
    assert_eq!(show.domain, Some(domain("transfer-me.com")));
    assert!(
        show.status.is_some() && show.transfer_id.is_some(),
        "{show:?}"
    );
    let r = done(&client, &s).await;
    assert!(r.is_ack(), "{}", r.error_text());
    let list = client
        .domain_transfer_control(dmapi::DomainTransferControlAction::List)
        .await
        .unwrap()
        .output;
    let dmapi::DomainTransferControlOutput::List(rows) = list else {
        panic!("`action=list` answers rows: {list:?}");
    };
    let row = rows.iter().find(|r| r.domain.as_str() == "transfer-me.com");
    assert_eq!(
        row.map(|r| &r.state),
        Some(&dmapi::TransferState::TransferProcessedSuccessfully),
        "{rows:?}"
    );
    assert!(sandbox.domain_count() >= 3);

    // The AUTH-ID for a transfer away arrives in the result.
    let s = client
        .domain_transfer_get_auth_id(domain("transfer-me.com"))
        .await
        .unwrap()
        .output;
    let r = done(&client, &s).await;
    // On the wire the code is quoted (WIRE-NOTES); the typed result has it without quotes,
    // as a secret.
    let auth_id = r
        .result
        .as_ref()
        .and_then(|t| t.auth_id.clone())
        .expect("an AUTH-ID");
    assert!(!auth_id.expose().is_empty() && !auth_id.expose().contains('"'));
    assert_eq!(format!("{auth_id:?}"), "Secret(***)");
    let raw = r
        .fields
        .iter()
        .map(|(_, v)| v)
        .find(|v| v.contains(auth_id.expose()))
        .expect("the raw line");
    assert_eq!(raw, format!("\"{}\"", auth_id.expose()));
}

#[tokio::test]
async fn whois_verification_and_change_of_registrant() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    // The demo owner address is pending verification, for both of its domains.
    let pending = client.wa_email_list().await.unwrap().output;
    assert_eq!(pending.len(), 2);
    assert!(
        pending
            .iter()
            .all(|r| r.email.as_str() == "owner@example.com")
    );
    let resent = client
        .wa_email_validate("owner@example.com".parse().unwrap())
        .await
        .unwrap()
        .output;
    assert_eq!(resent.result, dmapi::WaEmailValidateResult::Ack);
    let wrong = client
        .wa_email_verify("wrong-key".into(), dmapi::Answer::Yes)
        .await
        .unwrap()
        .output;
    assert_eq!(wrong.result, dmapi::WaEmailVerifyResult::Nack);
    let key = sandbox.verification_key("owner@example.com").unwrap();
    let details = client
        .wa_email_details(key.as_str().into())
        .await
        .unwrap()
        .output;
    assert_eq!(details.len(), 2);
    assert_eq!(details[0].status, dmapi::WaEmailDetailsStatus::Verification);
    let verified = client
        .wa_email_verify(key.into(), dmapi::Answer::Yes)
        .await
        .unwrap()
        .output;
    assert_eq!(verified.result, dmapi::WaEmailVerifyResult::Ack);
    assert!(client.wa_email_list().await.unwrap().output.is_empty());

    // A change of registrant waits for confirmation with its key.
    let s = client
        .domain_owner_change(
            domain("example.com"),
            "new-owner@example.net".parse().unwrap(),
            "Other Street 2",
            "Shelbyville",
            "54321",
            "DE".parse().unwrap(),
            "+49.301234567",
            ContactName::Name("New Owner".into()),
        )
        .await
        .unwrap()
        .output;
    let r = done(&client, &s).await;
    let new_owner = r.result.and_then(|t| t.new_owner).unwrap().to_string();
    let whois = |c: Client| async move {
        c.query_whois(WhoisObject::Domain(domain("example.com")))
            .await
            .unwrap()
            .output
            .domain_owner_c
            .map(|h| h.to_string())
    };
    assert_eq!(whois(client.clone()).await.as_deref(), Some("COCO-4711"));
    let cor = client
        .cor_verify("wrong-key".into(), dmapi::Answer::Yes)
        .await
        .unwrap()
        .output;
    assert_eq!(cor.result, dmapi::CorVerifyResult::Nack);
    let key = sandbox.owner_change_key("example.com").unwrap();
    let cor = client
        .cor_verify(key.into(), dmapi::Answer::Yes)
        .await
        .unwrap()
        .output;
    assert_eq!(cor.result, dmapi::CorVerifyResult::Ack);
    assert_eq!(whois(client.clone()).await, Some(new_owner));
}

#[tokio::test]
async fn a_state_file_keeps_the_data_across_restarts() {
    let dir = std::env::temp_dir().join(format!("dmapi-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.sqlite");
    let _ = std::fs::remove_file(&file);
    let sandbox = Sandbox::builder()
        .seed(Seed::Empty)
        .state_file(&file)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let owner = create_contact(&client).await;
    let password = sandbox.credentials().password.clone();
    sandbox.shutdown().await.unwrap();

    let again = Sandbox::builder().state_file(&file).start().await.unwrap();
    assert_eq!(again.credentials().password, password);
    let client = client_for(&again);
    let contacts = client.query_contact_list().await.unwrap().output;
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].handle, owner);
    again.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn result_requests_follow_the_queue() {
    let sandbox = Sandbox::builder()
        // Long enough that "still running" is observable on a loaded CI machine.
        .async_delay(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let s = client
        .domain_unlock(domain("example.com"))
        .await
        .unwrap()
        .output;
    let pending = client
        .result_list()
        .with(|r| r.pending(true))
        .await
        .unwrap()
        .output;
    let Results::Rows(rows) = pending else {
        panic!("rows")
    };
    assert!(
        rows.iter()
            .any(|r| r.proc_id == s.proc_id && r.status == dmapi::ResultStatus::Pending)
    );
    assert!(done(&client, &s).await.is_ack());
    let count = client
        .result_list()
        .with(|r| r.count_only(true))
        .await
        .unwrap()
        .output;
    assert_eq!(count, Results::Count(1));
    client
        .result_delete(ResultId::ProcId(s.proc_id.clone()))
        .await
        .unwrap();
    let after = client
        .result_list()
        .with(|r| r.count_only(true))
        .await
        .unwrap()
        .output;
    assert_eq!(after, Results::Count(0), "deleted results are not listed");
    let kept = client
        .result_list()
        .with(|r| r.count_only(true).showall(true))
        .await
        .unwrap()
        .output;
    assert_eq!(kept, Results::Count(1), "unless showall");
}

#[tokio::test]
async fn contacts_and_name_servers_scenario() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let jane = create_contact(&client).await;
    assert!(
        jane.as_str().ends_with("-COM"),
        "handles are made per TLD: {jane}"
    );
    move_to_capital(&client, &jane).await;
    let whois = client
        .query_whois(WhoisObject::Contact(jane.clone()))
        .await
        .unwrap()
        .output;
    let city = whois.contact.iter().find(|(field, _)| field == "city");
    assert_eq!(city.map(|(_, v)| v.as_str()), Some("Capital City"));
    let listed = client
        .query_contact_list()
        .with(|r| r.tld("com"))
        .await
        .unwrap()
        .output;
    assert!(listed.iter().any(|c| c.handle == jane));

    // A name server through the host-* alias, with both address families.
    let host = domain("ns2.example.com");
    let s = client
        .host_create(
            host.clone(),
            dmapi::HostAddresses::IpIpv6 {
                ip: "192.0.2.54".parse().unwrap(),
                ipv6: "2001:db8::54".parse().unwrap(),
            },
        )
        .await
        .unwrap()
        .output;
    assert!(done(&client, &s).await.is_ack());
    let again = client
        .ns_create(
            host.clone(),
            dmapi::HostAddresses::Ip("192.0.2.55".parse().unwrap()),
        )
        .await
        .unwrap()
        .output;
    assert!(done(&client, &again).await.error_text().contains("exists"));
    let hosts = client
        .query_ns_list()
        .with(|r| r.full(true))
        .await
        .unwrap()
        .output;
    let row = hosts.iter().find(|h| h.host == host).unwrap();
    assert_eq!(row.ipv4, Some("192.0.2.54".parse().unwrap()));
    assert_eq!(row.ipv6, Some("2001:db8::54".parse().unwrap()));

    // Objects in use cannot be deleted; once free they can.
    let s = client
        .ns_delete(domain("ns1.example.com"))
        .await
        .unwrap()
        .output;
    assert!(done(&client, &s).await.error_text().contains("in use"));
    let s = client.ns_delete(host.clone()).await.unwrap().output;
    assert!(done(&client, &s).await.is_ack());
    let s = client
        .contact_delete(handle("COCO-4711"))
        .await
        .unwrap()
        .output;
    assert!(done(&client, &s).await.error_text().contains("in use"));
    let s = client.contact_delete(jane).await.unwrap().output;
    assert!(done(&client, &s).await.is_ack());
}

#[tokio::test]
async fn zones_keep_their_directives_and_records_through_put_and_get() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);
    let mut zone = client
        .dns_zone_get(domain("example.com"))
        .await
        .unwrap()
        .output;
    assert_eq!(zone.dnssec(), Some(false));
    assert!(zone.dyndns().is_some());
    let records = zone.records().count();
    zone.upsert_txt("_acme-challenge", "abc", 300).unwrap();
    let s = client
        .dns_zone_put(domain("example.com"), zone.clone())
        .await
        .unwrap()
        .output;
    assert!(done(&client, &s).await.is_ack());
    let back = client
        .dns_zone_get(domain("example.com"))
        .await
        .unwrap()
        .output;
    assert_eq!(back.records().count(), records + 1);
    assert_eq!(
        back.dnssec(),
        Some(false),
        "directives survive the round trip"
    );
    assert!(back.dyndns().is_some());
    let listed = client.dns_zone_list().await.unwrap().output;
    assert!(listed.iter().any(|z| z.zone == domain("example.com")));
}
