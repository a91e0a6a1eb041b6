//! Helpers shared by the sandbox's client tests (each test file uses its own part).
#![allow(dead_code)]

pub mod wire;

use dmapi::{Client, ContactName, DomainName, GrantRole, Handle, Requests, Submitted};
use dmapi_sandbox::Sandbox;

/// A client of `sandbox`'s demo account.
pub fn client_for(sandbox: &Sandbox) -> Client {
    sandbox.client_builder().build().unwrap()
}

/// A client of `sandbox` logging in with API key `key`.
pub fn key_client(sandbox: &Sandbox, key: &str) -> Client {
    sandbox.client_builder().api_key(key).build().unwrap()
}

pub fn domain(s: &str) -> DomainName {
    s.parse().unwrap()
}

pub fn handle(s: &str) -> Handle {
    s.parse().unwrap()
}

/// The outcome of a queued request, waited for.
pub async fn done<T: dmapi::QueuedResult>(
    client: &Client,
    submitted: &Submitted<T>,
) -> dmapi::Completion<T> {
    client.wait(submitted).await.unwrap()
}

/// Submits a `.com` contact named `name` (Jane's address).
pub async fn submit_contact(client: &Client, name: &str) -> Submitted<dmapi::ContactCreateResult> {
    client
        .contact_create(
            "com",
            "jane@example.org".parse().unwrap(),
            "Main Street 1",
            "Springfield",
            "12345",
            "US".parse().unwrap(),
            "+1.5555551234",
            ContactName::Name(name.into()),
        )
        .await
        .unwrap()
        .output
}

/// Grants the colleague account (uid 1002) the admin role on `name`, at once.
pub async fn invite_colleague(client: &Client, name: &str) {
    client
        .grants_invite(
            domain(name),
            "colleague@example.com".parse().unwrap(),
            GrantRole::Admin,
        )
        .with(|r| r.client_uid("1002"))
        .await
        .unwrap();
}

/// A DS record of algorithm 13 with a SHA-256 digest.
pub const DS_RECORD: &str =
    "DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

/// Signs `name` with [`DS_RECORD`] (domain-modify), waited for.
pub async fn sign(client: &Client, name: &str) {
    let key: dmapi::dnssec::DnssecKey = DS_RECORD.parse().unwrap();
    let value = key.to_wire(&dmapi::metadata::PROTOCOL.dnssec);
    let submitted = client
        .domain_modify(domain(name))
        .with(|r| r.dnssec(true).ds([value]))
        .await
        .unwrap()
        .output;
    assert!(client.wait(&submitted).await.unwrap().is_ack());
}

/// Submits the transfer of the demo's `transfer-me.com` to COCO-4711 with `auth_id`.
pub async fn submit_transfer(
    client: &Client,
    auth_id: &str,
) -> Submitted<dmapi::DomainTransferInResellerResult> {
    client
        .domain_transfer_in_reseller(
            domain("transfer-me.com"),
            auth_id.into(),
            handle("COCO-4711"),
        )
        .await
        .unwrap()
        .output
}

/// Submits a zone for `name` with one TXT record, `label` = `value`.
pub async fn submit_txt(
    client: &Client,
    name: &str,
    label: &str,
    value: &str,
) -> Submitted<dmapi::DnsZonePutResult> {
    let mut zone = dmapi::Zone::new();
    zone.upsert_txt(label, value, 300).unwrap();
    client
        .dns_zone_put(domain(name), zone)
        .await
        .unwrap()
        .output
}

/// Moves contact `handle` to Capital City (contact-modify), waited for.
pub async fn move_to_capital(client: &Client, handle: &Handle) {
    let s = client
        .contact_modify(handle.clone())
        .with(|r| r.city("Capital City"))
        .await
        .unwrap()
        .output;
    assert!(done(client, &s).await.is_ack());
}
