//! Domains: query-domain-list, domain-register, -renew, -modify, -delete, -owner-change,
//! -lock, -unlock and domain-check; the properties are in [`property`], the transfers in
//! [`transfer`].

pub(super) mod grace;
mod property;
pub(super) mod transfer;

pub(super) use property::{get_property, set_property};

use dmapi::StatusCode as S;
use dmapi::dnssec::DnssecKey;
use dmapi::meta::RequestMeta;
use dmapi::metadata::PROTOCOL;
use dmapi::serve::Refusal;
use dmapi::{
    DomainCheckCheckPrice, DomainCheckDomainClass, DomainCheckOutput, GrantRole, Privacy,
    QueryDomainListRow, RenewPrivacy, Term,
};

use crate::clock::Day;
use crate::state::{Contact, Domain, Job, OwnerChange, State, Verification, cents, money};

use super::table::window_bounds;
use super::{
    DAY_MS, Fields, HOUR_MS, account, charge, domain_mut, fail, glob, is_premium, need_contact,
    need_domain, price_for, privacy_yearly, sld_of, status_flags, stored, tld_of, yearly,
};

/// Checks what `domain-register` alone decides: the TLD is offered, and a premium name comes
/// with a `max-price` that covers it.
pub(in crate::handlers) fn precheck_register(
    st: &State,
    r: &dmapi::DomainRegister,
) -> Result<(), Refusal> {
    let name = r.domain.as_str();
    let Some(price) = yearly(st, name, DomainCheckCheckPrice::Create) else {
        return Err(fail(
            S::ParameterValuePolicyError,
            format!("the TLD `.{}` is not offered", tld_of(name)),
        ));
    };
    if !is_premium(name) {
        return Ok(());
    }
    let total = price_for(price, i64::from(r.period.get()));
    match &r.max_price {
        None => Err(fail(
            S::ParameterValuePolicyError,
            premium_needs_max_price(st, name, total),
        )),
        Some(max) if cents(max.as_str()) < total => Err(fail(
            S::ParameterValuePolicyError,
            format!(
                "the premium price {} is above max-price {max}",
                money(total)
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// Why a premium price is not charged without `max-price` (a registration or a renewal).
fn premium_needs_max_price(st: &State, name: &str, total: i64) -> String {
    format!(
        "`{name}` is a premium domain ({} {}): max-price is required",
        money(total),
        st.settings.currency
    )
}

pub(super) fn domain_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::QueryDomainList,
) -> Result<Vec<QueryDomainListRow>, Refusal> {
    let a = account(st, acct)?;
    let pattern = r.pattern.as_ref().map(dmapi::Pattern::as_str);
    // Names are stored lowercase and sorted: a pattern's literal prefix bounds the scan.
    let prefix = pattern
        .map(|p| p[..p.find(['*', '?']).unwrap_or(p.len())].to_ascii_lowercase())
        .unwrap_or_default();
    let matching = a
        .domains
        .range::<str, _>((
            std::ops::Bound::Included(prefix.as_str()),
            std::ops::Bound::Unbounded,
        ))
        .take_while(|(name, _)| name.starts_with(prefix.as_str()))
        .map(|(_, d)| d)
        .filter(|d| pattern.is_none_or(|p| glob(p, &d.name)));
    let (skip, take) = window_bounds(r.from, r.to);
    let mut rows = Vec::new();
    for d in matching.skip(skip).take(take) {
        let mut row =
            QueryDomainListRow::new(stored(&d.name)?, stored(&Day::of_ms(d.expires_ms).iso())?);
        if r.showstatus == Some(true) {
            row.domain_status = Some(status_flags(d));
        }
        if r.showgrants == Some(true) {
            let confirmed = d.grants.iter().filter(|g| g.accepted).count();
            let pending = match d.grants.iter().filter(|g| !g.accepted).count() {
                0 => "undef".to_owned(),
                n => n.to_string(),
            };
            let creator = GrantRole::Creator.as_str();
            row.grants = Some(format!("{creator} true {confirmed} {pending}"));
        }
        if r.showjokerns == Some(true) {
            row.jokerns = Some(uses_joker_ns(d));
        }
        if r.showprivacy == Some(true) {
            row.privacy_status.clone_from(&d.privacy);
            row.privacy_origin.clone_from(&d.privacy_origin);
            row.privacy_expiration = d.privacy_expires_ms.map(|ms| Day::of_ms(ms).iso());
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Joker.com's default name servers (the protocol's), for a domain that names none.
pub(crate) fn joker_ns() -> Vec<String> {
    PROTOCOL
        .name_servers
        .iter()
        .map(|n| n.to_string())
        .collect()
}

/// Whether a domain uses Joker.com's name servers, today's or the former ones: it has some,
/// all of them Joker's.
fn uses_joker_ns(d: &Domain) -> bool {
    let p = &PROTOCOL;
    let all = p.name_servers.iter().chain(p.former_name_servers.iter());
    let joker = |n: &String| all.clone().any(|j| j.eq_ignore_ascii_case(n));
    !d.ns.is_empty() && d.ns.iter().all(joker)
}

/// Whether a name is blocked by the registry (the sandbox's rule: the label starts with
/// `reserved`).
fn is_reserved(domain: &str) -> bool {
    sld_of(domain).starts_with("reserved")
}

fn refund(st: &mut State, acct: usize, amount: i64) {
    if let Some(a) = st.accounts.get_mut(acct) {
        a.balance += amount;
    }
}

pub(super) fn register(st: &mut State, acct: usize, r: &dmapi::DomainRegister, now: i64) -> Fields {
    let name = r.domain.as_str();
    if st.holder(name).is_some() || st.elsewhere.contains_key(name) || is_reserved(name) {
        return Err(format!("domain `{name}` is not available"));
    }
    for h in [&r.owner_c, &r.admin_c, &r.tech_c, &r.billing_c] {
        need_contact(st, acct, h.as_str())?;
    }
    let months = i64::from(r.period.get());
    if months > 120 {
        return Err("the period must not exceed 10 years".into());
    }
    let yearly_price = yearly(st, name, DomainCheckCheckPrice::Create)
        .ok_or_else(|| format!("the TLD `.{}` is not offered", tld_of(name)))?;
    let privacy = r.privacy.filter(|p| *p != Privacy::None);
    let mut total = price_for(yearly_price, months);
    if let Some(p) = privacy {
        total += price_for(privacy_yearly(st, p.as_str()), months);
    }
    charge(
        st,
        acct,
        total,
        r.max_price.as_ref().map(dmapi::Price::as_str),
    )?;
    let expires = Day::of_ms(now).plus_months(months).to_ms();
    // Not given: the account's `autorenew` property says.
    let autorenew = r
        .autorenew
        .unwrap_or_else(|| crate::handlers::properties::autorenew(st, acct));
    let mut domain = Domain::new(
        name,
        r.owner_c.as_str(),
        now,
        expires,
        r.ns_list.iter().map(ToString::to_string).collect(),
    );
    domain.admin = r.admin_c.to_string();
    domain.tech = r.tech_c.to_string();
    domain.billing = r.billing_c.to_string();
    domain.autorenew = autorenew;
    domain.privacy = privacy.map(|p| p.as_str().to_owned());
    domain.privacy_origin.clone_from(&domain.privacy);
    domain.privacy_expires_ms = privacy.map(|_| expires);
    st.registry.insert(name.to_owned(), acct);
    let owner_email = st.accounts.get(acct).and_then(|a| {
        a.contacts
            .get(r.owner_c.as_str())
            .and_then(|c| c.email().map(str::to_owned))
    });
    let deadline = now + 15 * DAY_MS;
    let key = st.token(24);
    if let Some(a) = st.accounts.get_mut(acct) {
        a.domains.insert(name.to_owned(), domain);
        // A new owner address must be verified (ICANN whois accuracy).
        if let Some(email) = owner_email
            && !a.verifications.iter().any(|v| v.email == email)
        {
            a.verifications.push(Verification {
                email,
                key,
                deadline_ms: deadline,
                answer: None,
                mails_sent: 1,
            });
        }
    }
    let mut out = dmapi::DomainRegisterResult::default();
    out.domain = Some(r.domain.clone());
    out.expiration_date = Some(Day::of_ms(expires).iso());
    out.amount = Some(money(total));
    Ok(out.to_fields())
}

pub(super) fn renew(st: &mut State, acct: usize, r: &dmapi::DomainRenew, now: i64) -> Fields {
    let name = r.domain.as_str();
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    let (expires, last) = (Day::of_ms(d.expires_ms), d.last_renewal_ms);
    let months = match r.term {
        Term::Period(m) => i64::from(m.get()),
        Term::Expyear(y) => {
            let want = i64::from(y.get());
            if expires.year() >= want {
                // Renewing "up to a year" that is reached already does nothing: safe to repeat.
                let mut out = dmapi::DomainRenewResult::default();
                out.domain = Some(r.domain.clone());
                out.expiration_date = Some(expires.iso());
                out.amount = Some(money(0));
                out.message =
                    Some("the domain expires in that year already; nothing renewed".into());
                return Ok(out.to_fields());
            }
            (want - expires.year()) * 12
        }
    };
    if let Some(last) = last
        && now - last < 6 * HOUR_MS
    {
        return Err("the domain was renewed less than 6 hours ago".into());
    }
    let new_expiry = expires.plus_months(months);
    if new_expiry > Day::of_ms(now).plus_months(120) {
        return Err("a domain cannot be renewed beyond 10 years from today".into());
    }
    let yearly_price = yearly(st, name, DomainCheckCheckPrice::Renew)
        .ok_or_else(|| format!("the TLD `.{}` is not offered", tld_of(name)))?;
    let mut total = price_for(yearly_price, months);
    // As for a registration: a premium price is charged only to a caller who named a limit.
    if is_premium(name) && r.max_price.is_none() {
        return Err(premium_needs_max_price(st, name, total));
    }
    let current = domain_mut(st, acct, name)
        .map_err(|f| f.errors.join("; "))?
        .privacy
        .clone();
    let privacy = match r.privacy.unwrap_or(RenewPrivacy::Keep) {
        RenewPrivacy::Keep => current,
        RenewPrivacy::None => None,
        other => Some(other.as_str().to_owned()),
    };
    if let Some(level) = &privacy {
        total += price_for(privacy_yearly(st, level), months);
    }
    charge(
        st,
        acct,
        total,
        r.max_price.as_ref().map(dmapi::Price::as_str),
    )?;
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    d.expires_ms = new_expiry.to_ms();
    d.last_renewal_ms = Some(now);
    if privacy.is_some() {
        d.privacy_origin.clone_from(&privacy);
        d.privacy_expires_ms = Some(d.expires_ms);
    }
    d.privacy = privacy;
    let mut out = dmapi::DomainRenewResult::default();
    out.domain = Some(r.domain.clone());
    out.expiration_date = Some(new_expiry.iso());
    out.amount = Some(money(total));
    Ok(out.to_fields())
}

/// Checks what `domain-modify` alone decides: each DNSSEC key is in the form the TLD's
/// registry takes (inquire-tld's `dnssec`), as the spec's `[protocol.dnssec]` gives it.
pub(in crate::handlers) fn precheck_modify(r: &dmapi::DomainModify) -> Result<(), Refusal> {
    if r.dnssec != Some(true) {
        return Ok(());
    }
    let tld = tld_of(r.domain.as_str());
    let form = super::beyond::dnssec_form(tld);
    for (i, ds) in r.ds.iter().enumerate() {
        if let Err(e) = DnssecKey::from_wire(ds, form, &PROTOCOL.dnssec) {
            let message = format!(
                "`ds-{}`: .{tld} takes {} data: {e}",
                i + 1,
                form.record_type()
            );
            return Err(fail(S::ParameterValueSyntaxError, message));
        }
    }
    Ok(())
}

pub(super) fn modify(st: &mut State, acct: usize, r: &dmapi::DomainModify) -> Fields {
    for h in [&r.admin_c, &r.tech_c, &r.billing_c].into_iter().flatten() {
        need_contact(st, acct, h.as_str())?;
    }
    let d = domain_mut(st, acct, r.domain.as_str()).map_err(|f| f.errors.join("; "))?;
    if let Some(h) = &r.admin_c {
        d.admin = h.to_string();
    }
    if let Some(h) = &r.tech_c {
        d.tech = h.to_string();
    }
    if let Some(h) = &r.billing_c {
        d.billing = h.to_string();
    }
    if let Some(ns) = &r.ns_list {
        d.ns = ns.iter().map(ToString::to_string).collect();
    }
    match r.dnssec {
        Some(true) => d.dnssec.clone_from(&r.ds),
        Some(false) => d.dnssec.clear(),
        None => {}
    }
    let mut out = dmapi::DomainModifyResult::default();
    out.domain = Some(r.domain.clone());
    Ok(out.to_fields())
}

pub(super) fn owner_change(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainOwnerChange,
    job: &Job,
) -> Fields {
    need_domain(st, acct, r.domain.as_str()).map_err(|f| f.errors.join("; "))?;
    // The new owner becomes a contact; the change waits for confirmation (cor-verify).
    let n = st.next();
    let handle = format!("C{n}-{}", tld_of(r.domain.as_str()).to_ascii_uppercase());
    let key = st.token(24);
    let now = st.now_ms();
    // The contact fields are every parameter but the domain (the request's first).
    let skip = first_param(<dmapi::DomainOwnerChange as dmapi::Request>::meta());
    let params: Vec<(String, String)> = job
        .params
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case(skip))
        .cloned()
        .collect();
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    a.contacts.insert(
        handle.clone(),
        Contact {
            handle: handle.clone(),
            tld: tld_of(r.domain.as_str()).to_owned(),
            email: Some(r.email.to_string()),
            fields: params,
            created_ms: now,
        },
    );
    a.owner_changes.push(OwnerChange {
        key,
        domain: r.domain.to_string(),
        new_owner: handle.clone(),
        answered: false,
    });
    let mut out = dmapi::DomainOwnerChangeResult::default();
    out.domain = Some(r.domain.clone());
    out.new_owner = dmapi::Handle::new(&handle).ok();
    out.message = Some("waiting for the change of registrant to be confirmed".into());
    Ok(out.to_fields())
}

/// The first parameter of a request (its object, e.g. the domain of domain-owner-change).
fn first_param(meta: &'static RequestMeta) -> &'static str {
    meta.params.first().map_or("", |p| &*p.name)
}

pub(super) fn set_lock(st: &mut State, acct: usize, name: &str, lock: bool) -> Fields {
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    d.lock = lock;
    let domain = dmapi::DomainName::new(name).ok();
    Ok(if lock {
        let mut out = dmapi::DomainLockResult::default();
        out.domain = domain;
        out.to_fields()
    } else {
        let mut out = dmapi::DomainUnlockResult::default();
        out.domain = domain;
        out.to_fields()
    })
}

pub(super) fn check(st: &mut State, r: &dmapi::DomainCheck) -> DomainCheckOutput {
    use dmapi::DomainCheckDomainStatus as Status;
    let name = r.domain.as_str();
    let currency = st.settings.currency.clone();
    let offered = st.prices.contains_key(tld_of(name));
    let taken = st.holder(name).is_some() || st.elsewhere.contains_key(name);
    let (status, reason) = if !offered {
        (Status::Unavailable, Some("tld not offered"))
    } else if taken {
        (Status::Unavailable, Some("registered"))
    } else if is_reserved(name) {
        (Status::Unavailable, Some("blocked"))
    } else if is_premium(name) {
        (Status::Premium, None)
    } else {
        (Status::Available, None)
    };
    // A period under 12 is in years, else in months.
    let years = match r.period {
        Some(p) if p >= 12 => (p + 11) / 12,
        Some(p) => p.max(1),
        None => 1,
    };
    let ops: Vec<DomainCheckCheckPrice> = match r.check_price {
        Some(op) => vec![op],
        None => DomainCheckCheckPrice::ALL.to_vec(),
    };
    let prices: Vec<(DomainCheckCheckPrice, String)> = ops
        .into_iter()
        .filter(|_| offered)
        .filter_map(|op| {
            let y = yearly(st, name, op)?;
            Some((op, format!("{} {currency} {years}y", money(y * years))))
        })
        .collect();
    let mut out = DomainCheckOutput::new(status);
    out.domain_status_reason = reason.map(str::to_owned);
    out.domain_class = Some(match is_premium(name) {
        true => DomainCheckDomainClass::Premium,
        false => DomainCheckDomainClass::Standard,
    });
    out.prices = prices
        .into_iter()
        .map(|(order, price)| (order.as_str().to_owned(), price))
        .collect();
    out
}
