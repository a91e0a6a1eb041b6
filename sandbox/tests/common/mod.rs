//! Helpers shared by the sandbox's client tests (each test file uses its own part).
#![allow(dead_code)]

use dmapi::{Client, DomainName, Handle, Submitted};
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
