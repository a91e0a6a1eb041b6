//! Other: domain-privacy-order, query-object, query-whois, the whois verification
//! (wa-email-list, -details, -validate, -verify) and cor-verify.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{
    DomainName, DomainStatus, Handle, Term, WaEmailDetailsRow, WaEmailListRow, WhoisObject,
};

use crate::clock::{Day, stamp};
use crate::state::{Contact, State, money};

use super::stored;
use super::{Fields, account, charge, domain_mut, fail, price_for, privacy_yearly, status_flags};

pub(super) fn privacy_order(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainPrivacyOrder,
    now: i64,
) -> Fields {
    let name = r.domain.as_str();
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    let expires = Day::of_ms(d.expires_ms);
    let from = Day::of_ms(d.privacy_expires_ms.unwrap_or(now).max(now));
    let until = match &r.term {
        None => expires,
        Some(Term::Period(m)) => from.plus_months(i64::from(m.get())),
        Some(Term::Expyear(y)) => expires.in_year(y.get()),
    };
    if until <= from {
        let mut out = dmapi::DomainPrivacyOrderResult::default();
        out.domain = Some(r.domain.clone());
        out.amount = Some(money(0));
        return Ok(out.to_fields());
    }
    if until > expires {
        return Err("privacy cannot run past the domain's expiration".into());
    }
    let months = from.months_until(until);
    let total = price_for(privacy_yearly(st, r.privacy.as_str()), months.max(1));
    charge(st, acct, total, None)?;
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    d.privacy = Some(r.privacy.as_str().to_owned());
    d.privacy_origin = Some(r.privacy.as_str().to_owned());
    d.privacy_expires_ms = Some(until.to_ms());
    let mut out = dmapi::DomainPrivacyOrderResult::default();
    out.domain = Some(r.domain.clone());
    out.amount = Some(money(total));
    Ok(out.to_fields())
}

/// What whois shows of an object: a domain's, a contact's or a host's data.
#[derive(Default)]
pub(super) struct Whois {
    pub(super) domain: Option<DomainName>,
    pub(super) status: Vec<DomainStatus>,
    pub(super) created: Option<String>,
    pub(super) expires: Option<String>,
    pub(super) owner: Option<Handle>,
    pub(super) admin: Option<Handle>,
    pub(super) tech: Option<Handle>,
    pub(super) billing: Option<Handle>,
    pub(super) nameservers: Vec<DomainName>,
    /// Whether the domain is DNSSEC-signed (domain-modify gave it DS records).
    pub(super) signed: bool,
    pub(super) contact: Option<Handle>,
    pub(super) contact_fields: Vec<(String, String)>,
    pub(super) contact_created: Option<String>,
    pub(super) host: Option<DomainName>,
    pub(super) ipv4: Option<String>,
    pub(super) ipv6: Option<String>,
}

/// The typed answer of a whois request (`query-whois`, and the older `query-object` with the
/// same keys) from what [`whois`] found.
macro_rules! whois_output {
    ($output:ident, $found:expr) => {{
        let w: $crate::handlers::other::Whois = $found;
        let mut out = dmapi::$output::new();
        out.domain_status = w.domain.as_ref().map(|_| w.status);
        out.domain = w.domain;
        out.domain_created_date = w.created;
        out.domain_expires = w.expires;
        out.domain_owner_c = w.owner;
        out.domain_admin_c = w.admin;
        out.domain_tech_c = w.tech;
        out.domain_billing_c = w.billing;
        out.nameserver_numbers = (1..=w.nameservers.len() as i64).collect();
        out.nameservers = w.nameservers;
        out.contact_handle = w.contact;
        out.contact = w.contact_fields;
        out.contact_created_date = w.contact_created;
        out.host_fqdn = w.host;
        out.host_ipaddr = w.ipv4.and_then(|ip| ip.parse().ok());
        out.host_ipaddr6 = w.ipv6.and_then(|ip| ip.parse().ok());
        out
    }};
}
pub(super) use whois_output;

/// The data whois shows of `object`; the owner of a privacy-protected domain only when
/// `internal`.
pub(super) fn whois(
    st: &mut State,
    acct: usize,
    object: &WhoisObject,
    internal: bool,
) -> Result<Whois, Refusal> {
    let a = account(st, acct)?;
    let handle = |h: &str| Handle::new(h).ok();
    let mut w = Whois::default();
    match object {
        WhoisObject::Domain(name) => {
            let d = a.domains.get(name.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("domain `{name}` is not registered with Joker.com here"),
                )
            })?;
            w.domain = Some(stored(&d.name)?);
            w.status = status_flags(d);
            w.created = Some(Day::of_ms(d.created_ms).whois());
            w.expires = Some(Day::of_ms(d.expires_ms).whois());
            if d.privacy.is_none() || internal {
                w.owner = handle(&d.owner);
            }
            (w.admin, w.tech, w.billing) = (handle(&d.admin), handle(&d.tech), handle(&d.billing));
            w.signed = !d.dnssec.is_empty();
            w.nameservers =
                d.ns.iter()
                    .filter_map(|n| DomainName::new(n).ok())
                    .collect();
        }
        WhoisObject::Contact(h) => {
            let c = a.contacts.get(h.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("contact `{h}` does not exist"),
                )
            })?;
            w.contact = handle(&c.handle);
            // The contact's fields are the whois key family; those that make a declared key
            // (the handle) are that key's.
            let keys = &<dmapi::QueryWhois as dmapi::Request>::meta().returns.keys;
            let prefix = keys.iter().find_map(|k| k.family.as_deref()).unwrap_or("");
            let declared = |field: &str| {
                keys.iter().any(|k| {
                    k.family.is_none() && k.name.eq_ignore_ascii_case(&format!("{prefix}{field}"))
                })
            };
            w.contact_fields = c
                .fields
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .filter(|(k, _)| !declared(k))
                .collect();
            w.contact_created = Some(Day::of_ms(c.created_ms).whois());
        }
        WhoisObject::Host(host) => {
            let h = a.hosts.get(host.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("name server `{host}` does not exist"),
                )
            })?;
            w.host = Some(stored(&h.name)?);
            (w.ipv4, w.ipv6) = (h.ipv4.clone(), h.ipv6.clone());
        }
    }
    Ok(w)
}

fn iso_time(ms: i64) -> String {
    let s = stamp(ms);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[8..10],
        &s[10..12],
        &s[12..14]
    )
}

pub(super) fn wa_list(
    st: &mut State,
    acct: usize,
    now: i64,
) -> Result<Vec<WaEmailListRow>, Refusal> {
    let a = account(st, acct)?;
    let mut rows = Vec::new();
    for v in a
        .verifications
        .iter()
        .filter(|v| v.answer.is_none() && v.deadline_ms > now)
    {
        for d in a.domains.values() {
            let owner_email = a.contacts.get(&d.owner).and_then(Contact::email);
            if owner_email == Some(v.email.as_str()) {
                let (email, domain) = (stored(&v.email)?, stored(&d.name)?);
                rows.push(WaEmailListRow::new(email, domain, iso_time(v.deadline_ms)));
            }
        }
    }
    Ok(rows)
}

pub(super) fn wa_details(
    st: &mut State,
    acct: usize,
    key: &str,
) -> Result<Vec<WaEmailDetailsRow>, Refusal> {
    use dmapi::WaEmailDetailsStatus as Status;
    let a = account(st, acct)?;
    let mut rows = Vec::new();
    if let Some(v) = a.verifications.iter().find(|v| v.key == key) {
        for d in a.domains.values() {
            if a.contacts.get(&d.owner).and_then(Contact::email) == Some(v.email.as_str()) {
                let (email, domain) = (stored(&v.email)?, stored(&d.name)?);
                rows.push(WaEmailDetailsRow::new(Status::Verification, email, domain));
            }
        }
    }
    Ok(rows)
}

/// Sends the verification mail for `email` again: whether there was one to send.
pub(super) fn wa_validate(
    st: &mut State,
    acct: usize,
    email: &str,
    now: i64,
) -> Result<bool, Refusal> {
    let a = account(st, acct)?;
    let pending = a.verifications.find_mut(|v| {
        v.email.eq_ignore_ascii_case(email) && v.answer.is_none() && v.deadline_ms > now
    });
    Ok(match pending {
        Some(v) => {
            v.mails_sent += 1;
            true
        }
        None => false,
    })
}

/// Takes the answer to the verification with `key`: whether there was one pending.
pub(super) fn wa_verify(
    st: &mut State,
    acct: usize,
    key: &str,
    yes: bool,
    now: i64,
) -> Result<bool, Refusal> {
    let a = account(st, acct)?;
    let found = a
        .verifications
        .find_mut(|v| v.key == key && v.answer.is_none() && v.deadline_ms > now);
    Ok(match found {
        Some(v) => {
            v.answer = Some(yes);
            true
        }
        None => false,
    })
}

/// Takes the answer to the owner change with `key`: whether there was one pending.
pub(super) fn cor_verify(
    st: &mut State,
    acct: usize,
    key: &str,
    yes: bool,
) -> Result<bool, Refusal> {
    let a = account(st, acct)?;
    let Some(change) = a.owner_changes.find_mut(|c| c.key == key && !c.answered) else {
        return Ok(false);
    };
    change.answered = true;
    let (domain, owner) = (change.domain.clone(), change.new_owner.clone());
    if yes && let Some(d) = a.domains.get_mut(&domain) {
        d.owner = owner;
    }
    Ok(true)
}
