//! Deleting and restoring domains: domain-delete (`immediate`, `endoflife`, `transit`), the
//! redemption grace period a deleted domain spends in, and domain-redeem.
//!
//! A domain deleted now (or at the end of its life, when it expires) is kept, whole, for the
//! sandbox's redemption grace period; the name stays taken meanwhile. domain-redeem brings it
//! back at the TLD's restore price; after the period it is gone for good ([`sweep`]). A
//! `transit` deletion hands the domain to its registry (it is then registered elsewhere, not
//! redeemable).

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{DomainCheckCheckPrice, DomainDeleteType};

use crate::clock::Day;
use crate::state::{Deleted, State, money};

use super::refund;
use crate::handlers::{
    Fields, HOUR_MS, account, charge, domain_mut, fail, need_domain, price_for, tld_of, yearly,
};

/// The TLDs whose registries take a domain back through a transit (withdraw) procedure: the
/// sandbox's version of the rule Joker's panel applies.
const TRANSIT_TLDS: [&str; 2] = ["de", "at"];

/// Checks what `domain-delete` alone decides: the domain is the account's, and a transit
/// deletion is for a TLD that has one.
pub(in crate::handlers) fn precheck_delete(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainDelete,
) -> Result<(), Refusal> {
    let name = r.domain.as_str();
    need_domain(st, acct, name)?;
    let transit = DomainDeleteType::Transit;
    if r.r#type == Some(transit) && !TRANSIT_TLDS.contains(&tld_of(name)) {
        return Err(fail(
            S::ParameterValuePolicyError,
            format!(
                "type {transit} is only for .{} domains, not `{name}`",
                TRANSIT_TLDS.join(" and .")
            ),
        ));
    }
    Ok(())
}

pub(in crate::handlers) fn delete(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainDelete,
    now: i64,
) -> Fields {
    let name = r.domain.as_str();
    let kind = r.r#type.unwrap_or(DomainDeleteType::Immediate);
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    if d.lock {
        return Err(format!("domain `{name}` is locked"));
    }
    let mut out = dmapi::DomainDeleteResult::default();
    out.domain = Some(r.domain.clone());
    if kind == DomainDeleteType::Endoflife {
        // It stays until it expires, and does not renew itself meanwhile.
        d.autorenew = false;
        account(st, acct)
            .map_err(|f| f.errors.join("; "))?
            .endoflife
            .insert(name.to_owned());
        out.refund = Some(money(0));
        return Ok(out.to_fields());
    }
    let young = now - d.created_ms < 72 * HOUR_MS;
    if !young && r.force != Some(true) {
        return Err(format!(
            "domain `{name}` was registered more than 72 hours ago: deleting it needs force"
        ));
    }
    let (created, expires) = (d.created_ms, d.expires_ms);
    let refund_amount = if young {
        let months = Day::of_ms(created).months_until(Day::of_ms(expires));
        yearly(st, name, DomainCheckCheckPrice::Create).map_or(0, |y| price_for(y, months))
    } else {
        0
    };
    let grace = st.settings.redemption_grace_ms;
    let auth_id = st.token(16);
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    a.endoflife.remove(name);
    let Some(domain) = a.domains.remove(name) else {
        return Err(format!("domain `{name}` is not in this account"));
    };
    if kind == DomainDeleteType::Transit {
        // With the registry now: registered, but not here.
        st.registry.remove(name);
        st.elsewhere.insert(name.to_owned(), auth_id);
    } else {
        let grace_until_ms = now.saturating_add(grace);
        let deleted = Deleted {
            domain,
            deleted_ms: now,
            grace_until_ms,
        };
        a.redemption.insert(name.to_owned(), deleted);
    }
    refund(st, acct, refund_amount);
    out.refund = Some(money(refund_amount));
    Ok(out.to_fields())
}

/// The domain `name` of the account as deleted and still redeemable at `now`.
fn in_grace<'a>(st: &'a State, acct: usize, name: &str, now: i64) -> Option<&'a Deleted> {
    let a = st.accounts.get(acct)?;
    a.redemption.get(name).filter(|d| d.grace_until_ms > now)
}

/// Checks what `domain-redeem` can tell at once: the domain is in this account's redemption
/// grace period.
pub(in crate::handlers) fn precheck_redeem(
    st: &mut State,
    acct: usize,
    name: &str,
    now: i64,
) -> Result<(), Refusal> {
    if account(st, acct)?.domains.contains_key(name) {
        return Err(fail(
            S::StatusProhibitsOperation,
            format!("domain `{name}` is not deleted: there is nothing to restore"),
        ));
    }
    match in_grace(st, acct, name, now) {
        Some(_) => Ok(()),
        None => Err(fail(
            S::ObjectDoesNotExist,
            format!("domain `{name}` is not in this account's redemption grace period"),
        )),
    }
}

/// Restores a domain from the redemption grace period, charging the TLD's restore price (and a
/// year's renewal when it has expired meanwhile, which it is renewed by).
pub(in crate::handlers) fn redeem(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainRedeem,
    now: i64,
) -> Fields {
    let name = r.domain.as_str();
    let Some(deleted) = in_grace(st, acct, name, now).cloned() else {
        return Err(format!(
            "domain `{name}` is not in this account's redemption grace period"
        ));
    };
    let not_offered = || format!("the TLD `.{}` is not offered", tld_of(name));
    let mut total = yearly(st, name, DomainCheckCheckPrice::Restore).ok_or_else(not_offered)?;
    let mut domain = deleted.domain;
    if domain.expires_ms <= now {
        total += yearly(st, name, DomainCheckCheckPrice::Renew).ok_or_else(not_offered)?;
        domain.expires_ms = Day::of_ms(domain.expires_ms).plus_months(12).to_ms();
    }
    charge(st, acct, total, None)?;
    let expires = Day::of_ms(domain.expires_ms);
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    a.redemption.remove(name);
    a.domains.insert(name.to_owned(), domain);
    st.registry.insert(name.to_owned(), acct);
    let mut out = dmapi::DomainRedeemResult::default();
    out.domain = Some(r.domain.clone());
    out.expiration_date = Some(expires.iso());
    out.amount = Some(money(total));
    Ok(out.to_fields())
}

/// Moves the domains deleted at end of life whose expiration has come into the grace period,
/// and forgets those whose grace period is over (their names are free again).
pub(crate) fn sweep(st: &mut State, now: i64) {
    let grace = st.settings.redemption_grace_ms;
    let mut purged = Vec::new();
    for (i, a) in st.accounts.iter_mut().enumerate() {
        let due: Vec<String> = a
            .endoflife
            .iter()
            .filter(|n| a.domains.get(*n).is_none_or(|d| d.expires_ms <= now))
            .cloned()
            .collect();
        for name in due {
            a.endoflife.remove(&name);
            if let Some(domain) = a.domains.remove(&name) {
                let at = domain.expires_ms;
                let deleted = Deleted {
                    domain,
                    deleted_ms: at,
                    grace_until_ms: at.saturating_add(grace),
                };
                a.redemption.insert(name, deleted);
            }
        }
        let gone: Vec<String> = a
            .redemption
            .iter()
            .filter(|(_, d)| d.grace_until_ms <= now)
            .map(|(n, _)| n.clone())
            .collect();
        for name in gone {
            a.redemption.remove(&name);
            purged.push((i, name));
        }
    }
    for (i, name) in purged {
        if st.holder(&name) == Some(i) {
            st.registry.remove(&name);
        }
    }
}
