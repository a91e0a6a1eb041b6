//! What a new sandbox holds: the reseller account, the price table, and optional demo data.

use std::collections::BTreeMap;

use dmapi::Zone;

use crate::TestCredentials;
use crate::clock::Day;
use crate::state::{
    Access, Account, ApiKey, Contact, Domain, Grant, Host, State, TldPrices, Verification,
};

const DAY_MS: i64 = 86_400_000;

/// Data a sandbox starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seed {
    /// The reseller account only (balance, no objects).
    Empty,
    /// A small realistic account: contact `COCO-4711`, name server `ns1.example.com`, the
    /// domains `example.com` (with a zone, an invitation and a pending owner e-mail
    /// verification) and `expiring-soon.net` (expires in 20 days), and `transfer-me.com`
    /// registered elsewhere (AUTH-ID `TRANSFER-ME-2026`), ready to transfer in.
    #[default]
    Demo,
}

/// Prices per year in cents: create, renew, transfer, restore.
pub(crate) fn default_prices() -> BTreeMap<String, TldPrices> {
    let table: [(&str, i64, i64, i64); 12] = [
        ("com", 890, 990, 890),
        ("net", 1050, 1150, 1050),
        ("org", 990, 1090, 990),
        ("info", 1200, 1900, 1200),
        ("de", 500, 500, 0),
        ("eu", 600, 600, 600),
        ("us", 800, 900, 800),
        ("uk", 700, 700, 0),
        ("fi", 2000, 2000, 2000),
        ("se", 1500, 1500, 1500),
        ("nu", 1800, 1800, 1800),
        ("io", 3500, 3500, 3500),
    ];
    table
        .into_iter()
        .map(|(tld, create, renew, transfer)| {
            (
                tld.to_owned(),
                TldPrices {
                    create,
                    renew,
                    transfer,
                    restore: 6000,
                },
            )
        })
        .collect()
}

pub(crate) fn generate_credentials(st: &mut State) -> TestCredentials {
    TestCredentials {
        username: "reseller@example.com".to_owned(),
        password: st.token(20),
        api_key: st.token(32),
        read_only_key: st.token(32),
        modify_only_key: st.token(32),
    }
}

/// The credentials of the first account of a loaded state.
pub(crate) fn credentials_of(st: &State) -> Option<TestCredentials> {
    let a = st.accounts.first()?;
    let key = |access: Access| {
        a.api_keys
            .iter()
            .find(|k| k.access == access)
            .map(|k| k.key.clone())
            .unwrap_or_default()
    };
    Some(TestCredentials {
        username: a.username.clone(),
        password: a.password.clone(),
        api_key: key(Access::Full),
        read_only_key: key(Access::ReadOnly),
        modify_only_key: key(Access::ModifyOnly),
    })
}

/// Adds the reseller account, and a second account to grant roles to.
pub(crate) fn account(st: &mut State, creds: &TestCredentials, balance: i64) {
    st.accounts.push(Account {
        uid: "1001".to_owned(),
        username: creds.username.clone(),
        password: creds.password.clone(),
        api_keys: vec![
            ApiKey {
                key: creds.api_key.clone(),
                access: Access::Full,
            },
            ApiKey {
                key: creds.read_only_key.clone(),
                access: Access::ReadOnly,
            },
            ApiKey {
                key: creds.modify_only_key.clone(),
                access: Access::ModifyOnly,
            },
        ],
        balance,
        ..Account::default()
    });
    let password = st.token(20);
    st.accounts.push(Account {
        uid: "1002".to_owned(),
        username: "colleague@example.com".to_owned(),
        password,
        ..Account::default()
    });
}

/// A contact as `contact-create` would make it: its fields are the request's parameters.
fn contact(handle: &str, tld: &str, email: &str, name: &str, now: i64) -> Contact {
    let request = dmapi::ContactCreate::new(
        tld,
        email.parse().expect("a seed e-mail address"),
        "Example Street 1",
        "Hamburg",
        "20095",
        "DE".parse().expect("a country code"),
        "+49.4012345678",
        dmapi::ContactName::Name(name.to_owned()),
    );
    let fields = dmapi::Request::to_form(&request)
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Contact {
        handle: handle.to_owned(),
        tld: tld.to_owned(),
        email: Some(email.to_owned()),
        fields,
        created_ms: now,
    }
}

fn domain(name: &str, handle: &str, created_ms: i64, expires_ms: i64, ns: &[&str]) -> Domain {
    let ns = ns.iter().map(|s| (*s).to_owned()).collect();
    Domain::new(name, handle, created_ms, expires_ms, ns)
}

pub(crate) fn apply(st: &mut State, seed: Seed) {
    if seed != Seed::Demo {
        return;
    }
    let now = st.now_ms();
    let today = Day::of_ms(now);
    let key = st.token(24);
    let invite_key = st.token(16);
    let (nr, scope) = (st.next(), st.next().to_string());
    let joker = crate::handlers::joker_ns();
    let joker: Vec<&str> = joker.iter().map(String::as_str).collect();
    let example_ns: Vec<&str> = ["ns1.example.com"]
        .into_iter()
        .chain(joker.first().copied())
        .collect();
    let Some(a) = st.accounts.first_mut() else {
        return;
    };
    let owner = contact(
        "COCO-4711",
        "com",
        "owner@example.com",
        "Coco Owner",
        now - 400 * DAY_MS,
    );
    a.contacts.insert(owner.handle.clone(), owner);
    a.hosts.insert(
        "ns1.example.com".to_owned(),
        Host {
            name: "ns1.example.com".to_owned(),
            ipv4: Some("192.0.2.53".to_owned()),
            ipv6: None,
        },
    );
    let mut example = domain(
        "example.com",
        "COCO-4711",
        now - 400 * DAY_MS,
        today.plus_months(8).to_ms(),
        &example_ns,
    );
    example.zone = Zone::parse(
        "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 86400\nwww CNAME 0 example.com 86400\n@ MX 10 mail.example.com 86400\n",
    )
    .to_text()
    .ok();
    example.grants.push(Grant {
        nr,
        scope,
        key: invite_key,
        role: "@tech".to_owned(),
        email: "admin@partner.example".to_owned(),
        nick: "partner".to_owned(),
        invitee_uid: None,
        accepted: false,
    });
    let soon = domain(
        "expiring-soon.net",
        "COCO-4711",
        now - 345 * DAY_MS,
        now + 20 * DAY_MS,
        &joker,
    );
    a.verifications.push(Verification {
        email: "owner@example.com".to_owned(),
        key,
        deadline_ms: now + 15 * DAY_MS,
        answer: None,
        mails_sent: 1,
    });
    for d in [example, soon] {
        let name = d.name.clone();
        a.domains.insert(name.clone(), d);
        st.registry.insert(name, 0);
    }
    st.elsewhere
        .insert("transfer-me.com".to_owned(), "TRANSFER-ME-2026".to_owned());
}

/// `count` generated domains in the first account, for load tests.
pub(crate) fn bulk(st: &mut State, count: usize) {
    if count == 0 {
        return;
    }
    let now = st.now_ms();
    let Some(a) = st.accounts.first_mut() else {
        return;
    };
    let handle = "BULK-1";
    let joker = crate::handlers::joker_ns();
    let ns: Vec<&str> = joker.iter().map(String::as_str).collect();
    a.contacts
        .entry(handle.to_owned())
        .or_insert_with(|| contact(handle, "com", "bulk@example.com", "Bulk Owner", now));
    let mut names = Vec::with_capacity(count);
    for i in 1..=count {
        let name = format!("bulk-{i:06}.com");
        let expires = now + i64::try_from(i % 700).unwrap_or(0) * DAY_MS + 30 * DAY_MS;
        a.domains.insert(
            name.clone(),
            domain(&name, handle, now - 30 * DAY_MS, expires, &ns),
        );
        names.push(name);
    }
    for name in names {
        st.registry.insert(name, 0);
    }
}
