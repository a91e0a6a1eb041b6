//! Other: domain-privacy-order, query-object, query-whois, the whois verification
//! (wa-email-list, -details, -validate, -verify) and cor-verify.

use dmapi::StatusCode as S;
use dmapi::reply::push_key_value;
use dmapi::{AnyRequest as R, Term, WhoisObject};

use crate::clock::{Day, stamp};
use crate::state::{Contact, State, money};
use crate::words as w;

use super::table::table;
use super::{
    Done, Fail, Fields, account, charge, domain_mut, fail, price_for, privacy_yearly, status_words,
};

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

pub(super) fn whois(
    st: &mut State,
    acct: usize,
    object: &WhoisObject,
    internal: bool,
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let mut p = String::new();
    let mut kv = |k: &str, v: &str| push_key_value(&mut p, k, v);
    match object {
        WhoisObject::Domain(name) => {
            let d = a.domains.get(name.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("domain `{name}` is not registered with Joker.com here"),
                )
            })?;
            kv(w::WD_NAME, &d.name);
            let mut status = String::new();
            status_words(d, &mut status);
            kv(w::WD_STATUS, &status);
            kv(w::WD_CREATED, &Day::of_ms(d.created_ms).whois());
            kv(w::WD_EXPIRES, &Day::of_ms(d.expires_ms).whois());
            let masked = d.privacy.is_some() && !internal;
            let owner = if masked {
                w::PRIVACY_PROTECTED
            } else {
                d.owner.as_str()
            };
            kv(w::WD_OWNER, owner);
            kv(w::WD_ADMIN, &d.admin);
            kv(w::WD_TECH, &d.tech);
            kv(w::WD_BILLING, &d.billing);
            kv(
                w::WD_PRIVACY,
                d.privacy.as_deref().unwrap_or(w::PRIVACY_NONE),
            );
            for ns in &d.ns {
                kv(w::WD_NAMESERVER, ns);
            }
            if !d.dnssec.is_empty() {
                kv(w::WD_DNSSEC, "yes");
            }
        }
        WhoisObject::Contact(handle) => {
            let c = a.contacts.get(handle.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("contact `{handle}` does not exist"),
                )
            })?;
            kv(w::WC_HANDLE, &c.handle);
            for (k, v) in &c.fields {
                kv(
                    &format!("{}.{}", w::WHOIS_CONTACT, k.to_ascii_lowercase()),
                    v,
                );
            }
            kv(w::WC_CREATED, &Day::of_ms(c.created_ms).whois());
        }
        WhoisObject::Host(host) => {
            let h = a.hosts.get(host.as_str()).ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("name server `{host}` does not exist"),
                )
            })?;
            kv(w::WH_FQDN, &h.name);
            if let Some(ip) = &h.ipv4 {
                kv(w::WH_IPV4, ip);
            }
            if let Some(ip) = &h.ipv6 {
                kv(w::WH_IPV6, ip);
            }
        }
    }
    Ok(Done::payload(p))
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
    req: &R,
    raw: &[(&str, &str)],
    now: i64,
) -> Result<Done, Fail> {
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
                rows.push(vec![
                    v.email.clone(),
                    d.name.clone(),
                    iso_time(v.deadline_ms),
                ]);
            }
        }
    }
    Ok(table(req, raw, rows))
}

pub(super) fn wa_details(
    st: &mut State,
    acct: usize,
    req: &R,
    raw: &[(&str, &str)],
    key: &str,
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let mut rows = Vec::new();
    if let Some(v) = a.verifications.iter().find(|v| v.key == key) {
        for d in a.domains.values() {
            if a.contacts.get(&d.owner).and_then(Contact::email) == Some(v.email.as_str()) {
                rows.push(vec![
                    w::VERIFICATION.to_owned(),
                    v.email.clone(),
                    d.name.clone(),
                ]);
            }
        }
    }
    Ok(table(req, raw, rows))
}

/// Sends the verification mail for `email` again: whether there was one to send.
pub(super) fn wa_validate(
    st: &mut State,
    acct: usize,
    email: &str,
    now: i64,
) -> Result<bool, Fail> {
    let a = account(st, acct)?;
    let pending = a
        .verifications
        .iter_mut()
        .find(|v| v.email.eq_ignore_ascii_case(email) && v.answer.is_none() && v.deadline_ms > now);
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
) -> Result<bool, Fail> {
    let a = account(st, acct)?;
    let found = a
        .verifications
        .iter_mut()
        .find(|v| v.key == key && v.answer.is_none() && v.deadline_ms > now);
    Ok(match found {
        Some(v) => {
            v.answer = Some(yes);
            true
        }
        None => false,
    })
}

/// Takes the answer to the owner change with `key`: whether there was one pending.
pub(super) fn cor_verify(st: &mut State, acct: usize, key: &str, yes: bool) -> Result<bool, Fail> {
    let a = account(st, acct)?;
    let Some(change) = a
        .owner_changes
        .iter_mut()
        .find(|c| c.key == key && !c.answered)
    else {
        return Ok(false);
    };
    change.answered = true;
    let (domain, owner) = (change.domain.clone(), change.new_owner.clone());
    if yes && let Some(d) = a.domains.get_mut(&domain) {
        d.owner = owner;
    }
    Ok(true)
}
