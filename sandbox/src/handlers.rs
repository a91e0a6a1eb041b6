//! What each request does to the sandbox's state, on typed requests ([`AnyRequest`]).
//!
//! Requests are decoded (and so validated) before they get here; handlers only apply the
//! semantics the DMAPI docs describe. Queued requests are checked at once where the request
//! alone decides ([`precheck`]), and carried out when they come due ([`complete`]). A request
//! this module does not know (one added to the spec later) is answered generically from its
//! metadata ([`answers::by_default`], or an acknowledged queued job), so it is served from day one.

use dmapi::StatusCode as S;
use dmapi::meta::{RequestMeta, Separator, ValueType};
use dmapi::reply::push_key_value;
use dmapi::{
    Answer, AnyRequest as R, DomainCheckCheckPrice, DomainProperty, DomainTransferControlAction,
    GrantRole, GrantsListType, GrantsRevokeType, HostAddresses, Privacy, RenewPrivacy, ResultId,
    ResultListStatus, Term, WhoisObject, decode,
};

use crate::answers::{self, CheckFound, Typed};
use crate::clock::{Day, stamp};
use crate::state::{
    Access, Account, Contact, Domain, Grant, Host, Job, JobStatus, OwnerChange, State, Transfer,
    Verification, cents, money,
};
use crate::words as w;
use std::fmt::Write as _;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// A successful answer.
#[derive(Debug, Default)]
pub(crate) struct Done {
    /// `Status-Code`: 0, or 1000 where the docs say so.
    pub(crate) code: u16,
    /// Extra headers.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// `Columns` and `Separator` of a tabular payload.
    pub(crate) columns: Option<(Vec<&'static str>, Separator)>,
    /// The payload.
    pub(crate) payload: String,
    /// A typed answer, written by the request's generated writer in place of `headers`,
    /// `columns` and `payload`.
    pub(crate) typed: Option<Typed>,
}

impl Done {
    fn payload(payload: String) -> Done {
        Done {
            payload,
            ..Done::default()
        }
    }
}

/// A refusal: an EPP status code and one message per problem.
#[derive(Debug)]
pub(crate) struct Fail {
    pub(crate) code: u16,
    pub(crate) errors: Vec<String>,
}

pub(crate) fn fail(code: S, message: impl Into<String>) -> Fail {
    Fail {
        code: code.code(),
        errors: vec![message.into()],
    }
}

/// How a queued request ended when it came due.
pub(crate) enum Completion {
    Ack(Vec<(String, String)>),
    Nack(String),
    /// Not done yet (a transfer in progress): look again later.
    Wait,
}

/// Matches a glob pattern (`*`, `?`) ASCII case-insensitively.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

fn tld_of(domain: &str) -> &str {
    domain.rsplit('.').next().unwrap_or(domain)
}

fn sld_of(domain: &str) -> &str {
    domain.split('.').next().unwrap_or(domain)
}

/// Whether a name is offered at a premium (the sandbox's rule: the label starts with `premium`).
fn is_premium(domain: &str) -> bool {
    sld_of(domain).starts_with("premium")
}

/// Whether a name is blocked by the registry (the sandbox's rule: the label starts with
/// `reserved`).
fn is_reserved(domain: &str) -> bool {
    sld_of(domain).starts_with("reserved")
}

fn account(st: &mut State, acct: usize) -> Result<&mut Account, Fail> {
    st.accounts
        .get_mut(acct)
        .ok_or_else(|| fail(S::CommandFailed, "the session's account no longer exists"))
}

fn domain_mut<'s>(st: &'s mut State, acct: usize, name: &str) -> Result<&'s mut Domain, Fail> {
    account(st, acct)?.domains.get_mut(name).ok_or_else(|| {
        fail(
            S::ObjectDoesNotExist,
            format!("domain `{name}` is not in this account"),
        )
    })
}

fn need_domain(st: &mut State, acct: usize, name: &str) -> Result<(), Fail> {
    domain_mut(st, acct, name).map(drop)
}

fn need_contact(st: &State, acct: usize, handle: &str) -> Result<(), String> {
    match st.accounts.get(acct) {
        Some(a) if a.contacts.contains_key(handle) => Ok(()),
        _ => Err(format!("contact `{handle}` does not exist")),
    }
}

/// Charges `amount` cents, unless it exceeds `max_price` or the balance.
fn charge(st: &mut State, acct: usize, amount: i64, max_price: Option<&str>) -> Result<(), String> {
    if let Some(max) = max_price
        && cents(max) < amount
    {
        return Err(format!(
            "the price {} {} is above max-price {max}",
            money(amount),
            st.settings.currency
        ));
    }
    let currency = st.settings.currency.clone();
    let a = st
        .accounts
        .get_mut(acct)
        .ok_or_else(|| "the account no longer exists".to_owned())?;
    if a.balance < amount {
        return Err(format!(
            "insufficient funds: {} {currency} needed, {} {currency} available",
            money(amount),
            money(a.balance)
        ));
    }
    a.balance -= amount;
    Ok(())
}

fn refund(st: &mut State, acct: usize, amount: i64) {
    if let Some(a) = st.accounts.get_mut(acct) {
        a.balance += amount;
    }
}

/// The yearly price of an operation on a TLD, if the TLD is offered.
fn yearly(st: &State, domain: &str, op: DomainCheckCheckPrice) -> Option<i64> {
    let p = st.prices.get(tld_of(domain))?;
    let base = match op {
        DomainCheckCheckPrice::Create if is_premium(domain) => st.settings.premium_price,
        DomainCheckCheckPrice::Create => p.create,
        DomainCheckCheckPrice::Renew => p.renew,
        DomainCheckCheckPrice::Transfer => p.transfer,
        DomainCheckCheckPrice::Restore => p.restore,
        _ => p.create,
    };
    Some(base)
}

/// Price for `months` (a started year counts as a year).
fn price_for(yearly: i64, months: i64) -> i64 {
    yearly * ((months + 11) / 12).max(1)
}

fn privacy_yearly(st: &State, level: &str) -> i64 {
    if level == Privacy::Pro.as_str() {
        st.settings.privacy_prices.1
    } else {
        st.settings.privacy_prices.0
    }
}

/// The object a queued request is about, for result-list (the domain, contact or host).
fn object_of(req: &R, raw: &[(&str, &str)]) -> String {
    match req {
        R::DomainRegister(r) => r.domain.to_string(),
        R::DomainRenew(r) => r.domain.to_string(),
        R::DomainModify(r) => r.domain.to_string(),
        R::DomainDelete(r) => r.domain.to_string(),
        R::DomainOwnerChange(r) => r.domain.to_string(),
        R::DomainLock(r) => r.domain.to_string(),
        R::DomainUnlock(r) => r.domain.to_string(),
        R::DomainTransferInReseller(r) => r.domain.to_string(),
        R::DomainTransferGetAuthId(r) => r.domain.to_string(),
        R::DomainPrivacyOrder(r) => r.domain.to_string(),
        R::DnsZonePut(r) => r.domain.to_string(),
        R::ContactModify(r) => r.handle.to_string(),
        R::ContactDelete(r) => r.handle.to_string(),
        R::NsCreate(r) => r.host.to_string(),
        R::NsModify(r) => r.host.to_string(),
        R::NsDelete(r) => r.host.to_string(),
        // A request the sandbox does not know: its first domain-typed parameter, if any.
        other => other
            .meta()
            .params
            .iter()
            .filter(|p| p.ty == ValueType::Domain || p.ty == ValueType::Handle)
            .find_map(|p| decode::first(raw, &p.name))
            .unwrap_or("-")
            .to_owned(),
    }
}

/// Checks what the request alone decides, before it is queued; answers the result's object.
pub(crate) fn precheck(
    st: &mut State,
    acct: usize,
    req: &R,
    raw: &[(&str, &str)],
) -> Result<String, Fail> {
    match req {
        R::DomainRegister(r) => {
            let name = r.domain.as_str();
            let Some(price) = yearly(st, name, DomainCheckCheckPrice::Create) else {
                return Err(fail(
                    S::ParameterValuePolicyError,
                    format!("the TLD `.{}` is not offered", tld_of(name)),
                ));
            };
            if is_premium(name) {
                let total = price_for(price, i64::from(r.period.get()));
                match &r.max_price {
                    None => {
                        return Err(fail(
                            S::ParameterValuePolicyError,
                            format!(
                                "`{name}` is a premium domain ({} {}): max-price is required",
                                money(total),
                                st.settings.currency
                            ),
                        ));
                    }
                    Some(max) if cents(max.as_str()) < total => {
                        return Err(fail(
                            S::ParameterValuePolicyError,
                            format!(
                                "the premium price {} is above max-price {}",
                                money(total),
                                max
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        R::DomainRenew(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainModify(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainDelete(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainOwnerChange(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainLock(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainUnlock(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainTransferGetAuthId(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainPrivacyOrder(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DnsZonePut(r) => need_domain(st, acct, r.domain.as_str())?,
        R::DomainTransferInReseller(r)
            if yearly(st, r.domain.as_str(), DomainCheckCheckPrice::Transfer).is_none() =>
        {
            return Err(fail(
                S::ParameterValuePolicyError,
                format!("the TLD `.{}` is not offered", tld_of(r.domain.as_str())),
            ));
        }
        R::ContactCreate(r) => {
            // The handle is made now so that the result can be looked up by it.
            let n = st.next();
            let tld = r.tld.trim_start_matches('.').to_ascii_uppercase();
            return Ok(format!("C{n}-{tld}"));
        }
        R::ContactModify(r) => {
            need_contact(st, acct, r.handle.as_str()).map_err(|e| fail(S::ObjectDoesNotExist, e))?
        }
        R::ContactDelete(r) => {
            need_contact(st, acct, r.handle.as_str()).map_err(|e| fail(S::ObjectDoesNotExist, e))?
        }
        R::NsModify(r) => need_host(st, acct, r.host.as_str())?,
        R::NsDelete(r) => need_host(st, acct, r.host.as_str())?,
        _ => {}
    }
    Ok(object_of(req, raw))
}

fn need_host(st: &mut State, acct: usize, host: &str) -> Result<(), Fail> {
    if account(st, acct)?.hosts.contains_key(host) {
        Ok(())
    } else {
        Err(fail(
            S::ObjectDoesNotExist,
            format!("name server `{host}` does not exist"),
        ))
    }
}

/// Carries out a queued request that came due.
pub(crate) fn complete(st: &mut State, acct: usize, job: &Job, req: &R) -> Completion {
    let now = st.now_ms();
    let result = match req {
        R::DomainRegister(r) => register(st, acct, r, now),
        R::DomainRenew(r) => renew(st, acct, r, now),
        R::DomainModify(r) => modify(st, acct, r),
        R::DomainDelete(r) => delete(st, acct, r, now),
        R::DomainOwnerChange(r) => owner_change(st, acct, r, job),
        R::DomainLock(r) => set_lock(st, acct, r.domain.as_str(), true),
        R::DomainUnlock(r) => set_lock(st, acct, r.domain.as_str(), false),
        R::DomainTransferInReseller(r) => return transfer_in(st, acct, r, job, now),
        R::DomainTransferGetAuthId(r) => auth_id(st, acct, r.domain.as_str()),
        R::DomainPrivacyOrder(r) => privacy_order(st, acct, r, now),
        R::DnsZonePut(r) => zone_put(st, acct, r),
        R::ContactCreate(r) => contact_create(st, acct, r, job, now),
        R::ContactModify(r) => contact_modify(st, acct, r, job),
        R::ContactDelete(r) => contact_delete(st, acct, r.handle.as_str()),
        R::NsCreate(r) => host_set(st, acct, r.host.as_str(), &r.host_addresses, true),
        R::NsModify(r) => host_set(st, acct, r.host.as_str(), &r.host_addresses, false),
        R::NsDelete(r) => host_delete(st, acct, r.host.as_str()),
        _ => Ok(Vec::new()),
    };
    match result {
        Ok(fields) => {
            st.effect(&job.request);
            Completion::Ack(fields)
        }
        Err(e) => Completion::Nack(e),
    }
}

type Fields = Result<Vec<(String, String)>, String>;

fn register(st: &mut State, acct: usize, r: &dmapi::DomainRegister, now: i64) -> Fields {
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
    domain.autorenew = r.autorenew.unwrap_or(false);
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

fn renew(st: &mut State, acct: usize, r: &dmapi::DomainRenew, now: i64) -> Fields {
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

fn modify(st: &mut State, acct: usize, r: &dmapi::DomainModify) -> Fields {
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

fn delete(st: &mut State, acct: usize, r: &dmapi::DomainDelete, now: i64) -> Fields {
    let name = r.domain.as_str();
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    if d.lock {
        return Err(format!("domain `{name}` is locked"));
    }
    let young = now - d.created_ms < 72 * HOUR_MS;
    if !young && r.force != Some(true) {
        return Err(format!(
            "domain `{name}` was registered more than 72 hours ago: deleting it needs force"
        ));
    }
    let created = d.created_ms;
    let expires = d.expires_ms;
    let refund_amount = if young {
        let months = Day::of_ms(created).months_until(Day::of_ms(expires));
        yearly(st, name, DomainCheckCheckPrice::Create).map_or(0, |y| price_for(y, months))
    } else {
        0
    };
    if let Some(a) = st.accounts.get_mut(acct) {
        a.domains.remove(name);
    }
    st.registry.remove(name);
    refund(st, acct, refund_amount);
    let mut out = dmapi::DomainDeleteResult::default();
    out.domain = Some(r.domain.clone());
    out.refund = Some(money(refund_amount));
    Ok(out.to_fields())
}

fn owner_change(st: &mut State, acct: usize, r: &dmapi::DomainOwnerChange, job: &Job) -> Fields {
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

fn set_lock(st: &mut State, acct: usize, name: &str, lock: bool) -> Fields {
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

fn auth_id(st: &mut State, acct: usize, name: &str) -> Fields {
    let code = st.token(16);
    let d = domain_mut(st, acct, name).map_err(|f| f.errors.join("; "))?;
    if d.lock {
        return Err(format!("domain `{name}` is locked: unlock it first"));
    }
    d.auth_id = Some(code.clone());
    let mut out = dmapi::DomainTransferGetAuthIdResult::default();
    out.domain = dmapi::DomainName::new(name).ok();
    out.auth_id = Some(dmapi::Secret::new(code));
    Ok(out.to_fields())
}

fn privacy_order(st: &mut State, acct: usize, r: &dmapi::DomainPrivacyOrder, now: i64) -> Fields {
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

fn zone_put(st: &mut State, acct: usize, r: &dmapi::DnsZonePut) -> Fields {
    let text = r.zone.to_text().map_err(|e| e.to_string())?;
    let d = domain_mut(st, acct, r.domain.as_str()).map_err(|f| f.errors.join("; "))?;
    d.zone = Some(text);
    let mut out = dmapi::DnsZonePutResult::default();
    out.domain = Some(r.domain.clone());
    Ok(out.to_fields())
}

/// The contact fields of a create/modify request: every parameter but the session's.
fn contact_fields(job: &Job) -> Vec<(String, String)> {
    job.params.clone()
}

fn contact_create(
    st: &mut State,
    acct: usize,
    r: &dmapi::ContactCreate,
    job: &Job,
    now: i64,
) -> Fields {
    let handle = job.object.clone();
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    a.contacts.insert(
        handle.clone(),
        Contact {
            handle: handle.clone(),
            tld: r.tld.trim_start_matches('.').to_ascii_lowercase(),
            email: Some(r.email.to_string()),
            fields: contact_fields(job),
            created_ms: now,
        },
    );
    let mut out = dmapi::ContactCreateResult::default();
    out.handle = dmapi::Handle::new(&handle).ok();
    Ok(out.to_fields())
}

fn contact_modify(st: &mut State, acct: usize, r: &dmapi::ContactModify, job: &Job) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    let c = a
        .contacts
        .get_mut(r.handle.as_str())
        .ok_or_else(|| format!("contact `{}` does not exist", r.handle))?;
    if let Some(email) = &r.email {
        c.email = Some(email.to_string());
    }
    for (k, v) in contact_fields(job) {
        match c
            .fields
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&k))
        {
            Some(slot) => slot.1 = v,
            None => c.fields.push((k, v)),
        }
    }
    let mut out = dmapi::ContactModifyResult::default();
    out.handle = Some(r.handle.clone());
    Ok(out.to_fields())
}

fn contact_delete(st: &mut State, acct: usize, handle: &str) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    if let Some(d) = a.domains.values().find(|d| {
        [&d.owner, &d.admin, &d.tech, &d.billing]
            .iter()
            .any(|h| *h == handle)
    }) {
        return Err(format!("contact `{handle}` is in use by `{}`", d.name));
    }
    a.contacts
        .remove(handle)
        .ok_or_else(|| format!("contact `{handle}` does not exist"))?;
    let mut out = dmapi::ContactDeleteResult::default();
    out.handle = dmapi::Handle::new(handle).ok();
    Ok(out.to_fields())
}

fn host_set(
    st: &mut State,
    acct: usize,
    host: &str,
    addrs: &HostAddresses,
    create: bool,
) -> Fields {
    let (ipv4, ipv6) = match addrs {
        HostAddresses::Ip(v4) => (Some(v4.to_string()), None),
        HostAddresses::Ipv6(v6) => (None, Some(v6.to_string())),
        HostAddresses::IpIpv6 { ip, ipv6 } => (Some(ip.to_string()), Some(ipv6.to_string())),
    };
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    match (a.hosts.get_mut(host), create) {
        (Some(_), true) => Err(format!("name server `{host}` exists already")),
        (None, false) => Err(format!("name server `{host}` does not exist")),
        (Some(h), false) => {
            h.ipv4 = ipv4;
            h.ipv6 = ipv6;
            let mut out = dmapi::NsModifyResult::default();
            out.host = dmapi::DomainName::new(host).ok();
            Ok(out.to_fields())
        }
        (None, true) => {
            a.hosts.insert(
                host.to_owned(),
                Host {
                    name: host.to_owned(),
                    ipv4,
                    ipv6,
                },
            );
            let mut out = dmapi::NsCreateResult::default();
            out.host = dmapi::DomainName::new(host).ok();
            Ok(out.to_fields())
        }
    }
}

fn host_delete(st: &mut State, acct: usize, host: &str) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    if let Some(d) = a.domains.values().find(|d| d.ns.iter().any(|n| n == host)) {
        return Err(format!("name server `{host}` is in use by `{}`", d.name));
    }
    a.hosts
        .remove(host)
        .ok_or_else(|| format!("name server `{host}` does not exist"))?;
    let mut out = dmapi::NsDeleteResult::default();
    out.host = dmapi::DomainName::new(host).ok();
    Ok(out.to_fields())
}

/// The transfer's current state index (one step of the path per async delay).
fn transfer_state(st: &State, t: &Transfer, now: i64) -> usize {
    let step_ms = st.settings.async_delay_ms.max(1);
    let steps = usize::try_from((now - t.started_ms).max(0) / step_ms).unwrap_or(usize::MAX);
    let i = t.step.max(steps).min(w::TRANSFER_PATH.len() - 1);
    w::TRANSFER_PATH[i]
}

fn transfer_in(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainTransferInReseller,
    job: &Job,
    now: i64,
) -> Completion {
    let name = r.domain.as_str();
    let existing = st
        .accounts
        .get(acct)
        .and_then(|a| a.transfers.get(name))
        .filter(|t| t.proc_id == job.proc_id)
        .cloned();
    let Some(t) = existing else {
        // First time due: check and start the transfer.
        if st.holder(name).is_some() {
            return Completion::Nack(format!("domain `{name}` is already with Joker.com"));
        }
        match st.elsewhere.get(name) {
            None => return Completion::Nack(format!("domain `{name}` is not registered")),
            Some(code) if code != r.transfer_auth_id.expose() => {
                return Completion::Nack("the AUTH-ID is invalid".into());
            }
            Some(_) => {}
        }
        for h in [
            Some(&r.owner_c),
            r.admin_c.as_ref(),
            r.tech_c.as_ref(),
            r.billing_c.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if let Err(e) = need_contact(st, acct, h.as_str()) {
                return Completion::Nack(e);
            }
        }
        let price = yearly(st, name, DomainCheckCheckPrice::Transfer).unwrap_or(0);
        if let Err(e) = charge(
            st,
            acct,
            price,
            r.max_price.as_ref().map(dmapi::Price::as_str),
        ) {
            return Completion::Nack(e);
        }
        let email = |h: Option<&dmapi::Handle>| {
            h.and_then(|h| {
                st.accounts
                    .get(acct)?
                    .contacts
                    .get(h.as_str())?
                    .email()
                    .map(str::to_owned)
            })
            .unwrap_or_default()
        };
        let (owner_email, admin_email) = (email(Some(&r.owner_c)), email(r.admin_c.as_ref()));
        let transfer_id = st.next().to_string();
        if let Some(a) = st.accounts.get_mut(acct) {
            a.transfers.insert(
                name.to_owned(),
                Transfer {
                    domain: name.to_owned(),
                    transfer_id,
                    proc_id: job.proc_id.clone(),
                    started_ms: now,
                    step: 0,
                    cancelled: false,
                    owner_email,
                    admin_email,
                },
            );
        }
        return Completion::Wait;
    };
    if t.cancelled {
        let price = yearly(st, name, DomainCheckCheckPrice::Transfer).unwrap_or(0);
        refund(st, acct, price);
        return Completion::Nack("the transfer was cancelled".into());
    }
    if transfer_state(st, &t, now) != w::TRANSFER_PATH[w::TRANSFER_PATH.len() - 1] {
        return Completion::Wait;
    }
    let owner = r.owner_c.to_string();
    let expires = Day::of_ms(now).plus_months(12).to_ms();
    st.elsewhere.remove(name);
    st.registry.insert(name.to_owned(), acct);
    if let Some(a) = st.accounts.get_mut(acct) {
        let mut d = Domain::new(
            name,
            &owner,
            now,
            expires,
            r.ns_list
                .iter()
                .flatten()
                .map(ToString::to_string)
                .collect(),
        );
        for (slot, given) in [
            (&mut d.admin, &r.admin_c),
            (&mut d.tech, &r.tech_c),
            (&mut d.billing, &r.billing_c),
        ] {
            if let Some(h) = given {
                *slot = h.to_string();
            }
        }
        d.lock = r.status == Some(dmapi::DomainTransferInResellerStatus::Lock);
        d.autorenew = r.autorenew.unwrap_or(true);
        d.privacy = r
            .privacy
            .filter(|p| *p != Privacy::None)
            .map(|p| p.as_str().to_owned());
        a.domains.insert(name.to_owned(), d);
    }
    st.effect(&job.request);
    let mut out = dmapi::DomainTransferInResellerResult::default();
    out.domain = Some(r.domain.clone());
    out.expiration_date = Some(Day::of_ms(expires).iso());
    Completion::Ack(out.to_fields())
}

impl Contact {
    /// The contact's e-mail address, if it has one.
    pub(crate) fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
}

/// Answers a request that needs no queue.
#[allow(deprecated)] // query-object is deprecated for callers, still served
pub(crate) fn sync(
    st: &mut State,
    acct: usize,
    access: Access,
    req: &R,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let now = st.now_ms();
    match req {
        R::QueryProfile(_) => profile(st, acct, access),
        R::QueryDomainList(r) => domain_list(st, acct, req, r, raw),
        R::QueryContactList(r) => contact_list(st, acct, req, r, raw),
        R::QueryNsList(r) => ns_list(st, acct, req, r, raw),
        R::DomainSetProperty(r) => set_property(st, acct, r),
        R::DomainGetProperty(r) => get_property(st, acct, r),
        R::DomainTransferControl(r) => transfer_control(st, acct, r, now),
        R::DomainCheck(r) => check(st, r),
        R::GrantsList(r) => grants_list(st, acct, req, r, raw),
        R::GrantsInvite(r) => grants_invite(st, acct, r),
        R::GrantsRevoke(r) => grants_revoke(st, acct, r),
        R::QueryObject(r) => whois(st, acct, &r.whois_object, false),
        R::QueryWhois(r) => whois(st, acct, &r.whois_object, r.internal == Some(true)),
        R::WaEmailList(_) => wa_list(st, acct, req, raw, now),
        R::WaEmailDetails(r) => wa_details(st, acct, req, raw, r.key.expose()),
        R::WaEmailValidate(r) => wa_validate(st, acct, r.email.as_str(), now)
            .map(|sent| answers::wa_email_validate(r, sent)),
        R::WaEmailVerify(r) => wa_verify(st, acct, r.key.expose(), r.answer == Answer::Yes, now)
            .map(|taken| answers::wa_email_verify(r, taken)),
        R::CorVerify(r) => cor_verify(st, acct, r.key.expose(), r.answer == Answer::Yes)
            .map(|taken| answers::cor_verify(r, taken)),
        R::DnsZoneList(r) => zone_list(st, acct, req, r, raw),
        R::DnsZoneGet(r) => zone_get(st, acct, r.domain.as_str()),
        R::ResultList(r) => result_list(st, acct, r, now),
        R::ResultRetrieve(r) => result_retrieve(st, acct, &r.result_id),
        R::ResultDelete(r) => result_delete(st, acct, &r.result_id),
        other => Ok(answers::by_default(other)),
    }
}

/// The columns a tabular answer has: the spec's, plus those of every flag set in `raw`.
fn columns_of<'m>(meta: &'m RequestMeta, raw: &[(&str, &str)]) -> Vec<&'m str> {
    let mut cols: Vec<&str> = meta.returns.columns.iter().map(|c| &*c.name).collect();
    for extra in meta.returns.extra_columns.iter() {
        if flag_set(meta, raw, &extra.flag) {
            cols.extend(extra.columns.iter().map(|c| &*c.name));
        }
    }
    cols
}

fn flag_set(meta: &RequestMeta, raw: &[(&str, &str)], flag: &str) -> bool {
    let spelling = match meta.param(flag).map(|p| &p.ty) {
        Some(ValueType::Flag(s)) => *s,
        _ => return false,
    };
    decode::first(raw, flag)
        .and_then(|v| spelling.decode(v))
        .unwrap_or(false)
}

/// A tabular answer: rows of cells joined by the spec's separator.
fn table(req: &R, raw: &[(&str, &str)], rows: impl IntoIterator<Item = Vec<String>>) -> Done {
    let mut out = TableWriter::new(req);
    for row in rows {
        out.row(row.iter().map(String::as_str));
    }
    out.finish(req, raw)
}

/// Writes table rows straight into the payload.
struct TableWriter {
    payload: String,
    sep: char,
    count: usize,
    in_row: bool,
}

impl TableWriter {
    fn new(req: &R) -> TableWriter {
        TableWriter {
            payload: String::new(),
            sep: match req.meta().returns.separator {
                Separator::Tab => '\t',
                _ => ' ',
            },
            count: 0,
            in_row: false,
        }
    }

    fn row<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) {
        for cell in cells {
            self.cell(cell);
        }
        self.end_row();
    }

    /// Appends a cell to the current row.
    fn cell(&mut self, text: &str) {
        self.cell_with(|p| p.push_str(text));
    }

    /// Appends a cell written by `write`.
    fn cell_with(&mut self, write: impl FnOnce(&mut String)) {
        if self.in_row {
            self.payload.push(self.sep);
        }
        self.in_row = true;
        write(&mut self.payload);
    }

    fn end_row(&mut self) {
        self.payload.push('\n');
        self.in_row = false;
        self.count += 1;
    }

    fn finish(self, req: &R, raw: &[(&str, &str)]) -> Done {
        let meta = req.meta();
        Done {
            code: 0,
            headers: vec![(
                &*dmapi::metadata::PROTOCOL.headers.row_count,
                self.count.to_string(),
            )],
            columns: Some((columns_of(meta, raw), meta.returns.separator)),
            payload: self.payload,
            typed: None,
        }
    }
}

/// `from` and `to` (1-based, inclusive) as rows to skip and rows to take.
fn window_bounds(from: Option<i64>, to: Option<i64>) -> (usize, usize) {
    let skip = usize::try_from(from.unwrap_or(1).max(1) - 1).unwrap_or(0);
    let to = to.map_or(usize::MAX, |t| {
        usize::try_from(t.max(0)).unwrap_or(usize::MAX)
    });
    (skip, to.saturating_sub(skip))
}

fn profile(st: &mut State, acct: usize, access: Access) -> Result<Done, Fail> {
    let currency = st.settings.currency.clone();
    let a = account(st, acct)?;
    let mut payload = String::new();
    push_key_value(&mut payload, w::P_UID, &a.uid);
    push_key_value(&mut payload, w::P_USERNAME, &a.username);
    push_key_value(&mut payload, w::P_BALANCE, &money(a.balance));
    push_key_value(&mut payload, w::P_CURRENCY, &currency);
    push_key_value(&mut payload, w::P_DOMAINS, &a.domains.len().to_string());
    push_key_value(&mut payload, w::P_CONTACTS, &a.contacts.len().to_string());
    let access = match access {
        Access::Full => &*dmapi::metadata::SESSION.access_full,
        Access::ReadOnly => &*dmapi::metadata::SESSION.access_read_only,
        Access::ModifyOnly => &*dmapi::metadata::SESSION.access_modify_only,
    };
    push_key_value(&mut payload, w::P_ACCESS, access);
    Ok(Done::payload(payload))
}

fn status_words(d: &Domain, out: &mut String) {
    out.push_str(w::STATUS_PRODUCTION);
    for (on, word) in [(d.lock, w::STATUS_LOCK), (d.autorenew, w::STATUS_AUTORENEW)] {
        if on {
            out.push(',');
            out.push_str(word);
        }
    }
}

fn domain_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::QueryDomainList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
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
    let mut out = TableWriter::new(req);
    for d in matching.skip(skip).take(take) {
        out.cell(&d.name);
        out.cell_with(|p| Day::of_ms(d.expires_ms).write_iso(p));
        if r.showstatus == Some(true) {
            out.cell_with(|p| status_words(d, p));
        }
        if r.showgrants == Some(true) {
            let confirmed = d.grants.iter().filter(|g| g.accepted).count();
            let pending = d.grants.iter().filter(|g| !g.accepted).count();
            out.cell_with(|p| {
                let _ = write!(p, "{} true {confirmed} ", GrantRole::Creator.as_str());
                if pending == 0 {
                    p.push_str("undef");
                } else {
                    let _ = write!(p, "{pending}");
                }
            });
        }
        if r.showprivacy == Some(true) {
            out.cell(d.privacy.as_deref().unwrap_or("-"));
            out.cell(d.privacy_origin.as_deref().unwrap_or("-"));
            match d.privacy_expires_ms {
                Some(ms) => out.cell_with(|p| Day::of_ms(ms).write_iso(p)),
                None => out.cell("-"),
            }
        }
        out.end_row();
    }
    Ok(out.finish(req, raw))
}

fn contact_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::QueryContactList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let tld = r.tld.as_deref().map(|t| t.trim_start_matches('.'));
    let matching: Vec<&Contact> = a
        .contacts
        .values()
        .filter(|c| {
            r.pattern
                .as_ref()
                .is_none_or(|p| glob(p.as_str(), &c.handle))
        })
        .filter(|c| tld.is_none_or(|t| c.tld.eq_ignore_ascii_case(t)))
        .collect();
    let extended = r.extended_format == Some(true);
    let (skip, take) = window_bounds(r.from, r.to);
    let mut out = TableWriter::new(req);
    if extended {
        // Extended rows are tab-separated, whatever the spec's default.
        out.sep = '\t';
    }
    for c in matching.into_iter().skip(skip).take(take) {
        if extended {
            out.row([c.handle.as_str(), c.tld.as_str(), c.email().unwrap_or("-")]);
        } else {
            out.row([c.handle.as_str()]);
        }
    }
    let mut done = out.finish(req, raw);
    if extended && let Some((_, sep)) = &mut done.columns {
        *sep = Separator::Tab;
    }
    Ok(done)
}

fn ns_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::QueryNsList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let full = r.full == Some(true);
    let rows: Vec<Vec<String>> = a
        .hosts
        .values()
        .filter(|h| r.pattern.as_ref().is_none_or(|p| glob(p.as_str(), &h.name)))
        .map(|h| {
            let mut row = vec![h.name.clone()];
            if full {
                row.push(h.ipv4.clone().unwrap_or_else(|| "-".into()));
                row.push(h.ipv6.clone().unwrap_or_else(|| "-".into()));
            }
            row
        })
        .collect();
    Ok(table(req, raw, rows))
}

fn set_property(st: &mut State, acct: usize, r: &dmapi::DomainSetProperty) -> Result<Done, Fail> {
    let value = r.pvalue.trim();
    let flag = |v: &str| match v {
        "" | "0" => Ok(false),
        "1" => Ok(true),
        other => Err(fail(
            S::ParameterValueSyntaxError,
            format!("`{}` takes 0 or 1, not `{other}`", r.pname.as_str()),
        )),
    };
    let a = account(st, acct)?;
    let names: Vec<String> = a
        .domains
        .keys()
        .filter(|d| glob(r.domain.as_str(), d))
        .cloned()
        .collect();
    if names.is_empty() {
        return Err(fail(
            S::ObjectDoesNotExist,
            format!("no domain in this account matches `{}`", r.domain),
        ));
    }
    for name in &names {
        let Some(d) = a.domains.get_mut(name) else {
            continue;
        };
        match r.pname {
            DomainProperty::Autorenew => d.autorenew = flag(value)?,
            DomainProperty::WhoisOptOut => d.whois_opt_out = flag(value)?,
            DomainProperty::GdprOptIn => d.gdpr_opt_in = flag(value)?,
            DomainProperty::Privacy => {
                if value.is_empty() || value == w::PRIVACY_OFF {
                    d.privacy = None;
                } else if value == Privacy::Basic.as_str() || value == Privacy::Pro.as_str() {
                    if d.privacy_origin.is_none() {
                        return Err(fail(
                            S::StatusProhibitsOperation,
                            format!(
                                "`{name}` has no privacy subscription (see domain-privacy-order)"
                            ),
                        ));
                    }
                    d.privacy = Some(value.to_owned());
                } else {
                    return Err(fail(
                        S::ParameterValueSyntaxError,
                        format!("privacy takes off, basic or pro, not `{value}`"),
                    ));
                }
            }
            _ => {
                return Err(fail(
                    S::ParameterValuePolicyError,
                    format!("`{}` cannot be set", r.pname),
                ));
            }
        }
    }
    Ok(Done::default())
}

fn get_property(st: &mut State, acct: usize, r: &dmapi::DomainGetProperty) -> Result<Done, Fail> {
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let bit = |b: bool| if b { "1" } else { "0" }.to_owned();
    let value = match r.pname {
        DomainProperty::Autorenew => bit(d.autorenew),
        DomainProperty::WhoisOptOut => bit(d.whois_opt_out),
        DomainProperty::GdprOptIn => bit(d.gdpr_opt_in),
        DomainProperty::Privacy => d.privacy.clone().unwrap_or_else(|| w::PRIVACY_OFF.into()),
        _ => String::new(),
    };
    let mut payload = String::new();
    push_key_value(&mut payload, r.pname.as_str(), &value);
    Ok(Done::payload(payload))
}

fn transfer_control(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainTransferControl,
    now: i64,
) -> Result<Done, Fail> {
    use dmapi::{
        DomainTransferControlListRow as ListRow, DomainTransferControlOutput,
        DomainTransferControlShowOutput as ShowOutput,
    };
    let transfers: Vec<Transfer> = account(st, acct)?.transfers.values().cloned().collect();
    let find = |domain: &Option<dmapi::DomainName>| -> Result<Transfer, Fail> {
        let name = domain.as_ref().map(dmapi::DomainName::as_str).unwrap_or("");
        transfers
            .iter()
            .find(|t| t.domain == name)
            .cloned()
            .ok_or_else(|| {
                fail(
                    S::ObjectDoesNotExist,
                    format!("no transfer of `{name}` is pending"),
                )
            })
    };
    let state_name = |t: &Transfer| {
        if t.cancelled {
            w::TRANSFER_STATES[9]
        } else {
            w::TRANSFER_STATES[transfer_state(st, t, now)]
        }
    };
    let done = |out: DomainTransferControlOutput| Done {
        code: S::Completed.code(),
        ..answers::typed(r, out)
    };
    match r.action {
        DomainTransferControlAction::List => {
            let rows = transfers.iter().map(|t| {
                let domain = dmapi::DomainName::new(&t.domain)
                    .map_err(|e| fail(S::CommandFailed, format!("a stored transfer: {e}")))?;
                let (owner, admin) = (t.owner_email.clone(), t.admin_email.clone());
                Ok(ListRow::new(domain, state_name(t).to_owned(), owner, admin))
            });
            Ok(done(DomainTransferControlOutput::List(
                rows.collect::<Result<_, Fail>>()?,
            )))
        }
        DomainTransferControlAction::Show => {
            let t = find(&r.domain)?;
            let mut show = ShowOutput::new();
            show.domain = r.domain.clone();
            show.status = Some(state_name(&t).to_owned());
            show.owner_email = Some(t.owner_email.clone());
            show.admin_email = Some(t.admin_email.clone());
            show.transfer_id = Some(t.transfer_id.clone());
            Ok(done(DomainTransferControlOutput::Show(show)))
        }
        DomainTransferControlAction::ResendFoa => {
            let t = find(&r.domain)?;
            if t.cancelled || transfer_state(st, &t, now) != w::FOA_SENT {
                return Err(fail(
                    S::StatusProhibitsOperation,
                    format!(
                        "the FOA can only be resent in state {}; `{}` is in {}",
                        w::TRANSFER_STATES[w::FOA_SENT],
                        t.domain,
                        state_name(&t)
                    ),
                ));
            }
            Ok(done(DomainTransferControlOutput::ResendFoa))
        }
        DomainTransferControlAction::Cancel => {
            let t = find(&r.domain)?;
            if t.cancelled || transfer_state(st, &t, now) >= w::RELEASED {
                return Err(fail(
                    S::StatusProhibitsOperation,
                    format!(
                        "the transfer of `{}` cannot be cancelled any more",
                        t.domain
                    ),
                ));
            }
            if let Some(t) = account(st, acct)?.transfers.get_mut(&t.domain) {
                t.cancelled = true;
            }
            Ok(done(DomainTransferControlOutput::Cancel))
        }
        _ => Err(fail(S::ParameterValuePolicyError, "unsupported action")),
    }
}

fn check(st: &mut State, r: &dmapi::DomainCheck) -> Result<Done, Fail> {
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
    let class = if is_premium(name) {
        w::CLASS_PREMIUM
    } else {
        w::CLASS_STANDARD
    };
    Ok(answers::domain_check(
        r,
        CheckFound {
            status,
            reason,
            class,
            prices,
        },
    ))
}

fn grants_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::GrantsList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let username = account(st, acct)?.username.clone();
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let rows: Vec<Vec<String>> = d
        .grants
        .iter()
        .map(|g| {
            let key = if r.showkey == Some(true) {
                g.key.as_str()
            } else {
                "-"
            };
            if g.accepted {
                vec![
                    GrantsListType::Grant.as_str().to_owned(),
                    g.nr.to_string(),
                    g.scope.clone(),
                    format!(
                        "domain {} {} {username} {} {} {} {}",
                        d.name,
                        g.role,
                        g.email,
                        g.invitee_uid.as_deref().unwrap_or("-"),
                        g.email,
                        g.nick
                    ),
                ]
            } else {
                vec![
                    GrantsListType::Invitation.as_str().to_owned(),
                    g.nr.to_string(),
                    g.scope.clone(),
                    format!(
                        "{key} domain {} {} - - - {} {}",
                        d.name, g.role, g.email, g.nick
                    ),
                ]
            }
        })
        .collect();
    Ok(table(req, raw, rows))
}

fn grants_invite(st: &mut State, acct: usize, r: &dmapi::GrantsInvite) -> Result<Done, Fail> {
    let name = r.domain.to_string();
    need_domain(st, acct, &name)?;
    // A client-uid that belongs to the user with this e-mail applies at once.
    let receiver = r.client_uid.as_deref().and_then(|uid| {
        st.accounts
            .iter()
            .position(|a| a.uid == uid && a.username.eq_ignore_ascii_case(r.email.as_str()))
    });
    if r.role == GrantRole::Creator
        && let Some(to) = receiver
    {
        // An internal transfer: the domain moves with all rights.
        let d = account(st, acct)?.domains.remove(&name).ok_or_else(|| {
            fail(
                S::ObjectDoesNotExist,
                format!("domain `{name}` is not in this account"),
            )
        })?;
        st.registry.insert(name.clone(), to);
        if let Some(a) = st.accounts.get_mut(to) {
            a.domains.insert(name, d);
        }
        return Ok(Done::default());
    }
    let nr = st.next();
    let scope = st.next().to_string();
    let key = st.token(16);
    let d = domain_mut(st, acct, &name)?;
    d.grants.push(Grant {
        nr,
        scope,
        key,
        role: r.role.as_str().to_owned(),
        email: r.email.to_string(),
        nick: r
            .nick_name
            .clone()
            .unwrap_or_else(|| r.email.to_string())
            .replace(char::is_whitespace, "_"),
        invitee_uid: r.client_uid.clone(),
        accepted: receiver.is_some(),
    });
    Ok(Done::default())
}

fn grants_revoke(st: &mut State, acct: usize, r: &dmapi::GrantsRevoke) -> Result<Done, Fail> {
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let want_grant = r.r#type == GrantsRevokeType::Grant;
    let before = d.grants.len();
    d.grants
        .retain(|g| !(g.scope == r.scope && g.role == r.role.as_str() && g.accepted == want_grant));
    if d.grants.len() == before {
        return Err(fail(
            S::ObjectDoesNotExist,
            format!(
                "no {} with scope `{}` and role {} on `{}`",
                r.r#type, r.scope, r.role, r.domain
            ),
        ));
    }
    Ok(Done::default())
}

fn whois(st: &mut State, acct: usize, object: &WhoisObject, internal: bool) -> Result<Done, Fail> {
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

fn wa_list(
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

fn wa_details(
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
fn wa_validate(st: &mut State, acct: usize, email: &str, now: i64) -> Result<bool, Fail> {
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
fn wa_verify(st: &mut State, acct: usize, key: &str, yes: bool, now: i64) -> Result<bool, Fail> {
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
fn cor_verify(st: &mut State, acct: usize, key: &str, yes: bool) -> Result<bool, Fail> {
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

fn zone_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::DnsZoneList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let rows: Vec<Vec<String>> = a
        .domains
        .values()
        .filter(|d| d.zone.is_some())
        .filter(|d| r.pattern.as_ref().is_none_or(|p| glob(p.as_str(), &d.name)))
        .map(|d| vec![d.name.clone(), Day::of_ms(d.expires_ms).iso()])
        .collect();
    Ok(table(req, raw, rows))
}

fn zone_get(st: &mut State, acct: usize, name: &str) -> Result<Done, Fail> {
    let d = domain_mut(st, acct, name)?;
    let zone = d.zone.clone().ok_or_else(|| {
        fail(
            S::ObjectDoesNotExist,
            format!("`{name}` has no zone at Joker.com"),
        )
    })?;
    Ok(Done::payload(zone))
}

fn find_job<'a>(a: &'a mut Account, id: &ResultId) -> Result<&'a mut Job, Fail> {
    let found = a.results.iter_mut().find(|j| match id {
        ResultId::ProcId(p) => j.proc_id == *p,
        ResultId::Svtrid(s) => j.svtrid == *s,
    });
    found.ok_or_else(|| fail(S::ObjectDoesNotExist, "no such result"))
}

fn status_word(s: JobStatus) -> &'static str {
    let words = &dmapi::metadata::PROTOCOL.completion;
    match s {
        JobStatus::Ack => &words.ack,
        JobStatus::Nack => &words.nack,
        JobStatus::Pending => words.pending.first().map_or("", |w| w),
    }
}

fn result_retrieve(st: &mut State, acct: usize, id: &ResultId) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let job = find_job(a, id)?;
    let mut payload = String::new();
    push_key_value(
        &mut payload,
        &dmapi::metadata::SESSION.status_key,
        status_word(job.status),
    );
    if !job.deleted {
        for (k, v) in &job.fields {
            push_key_value(&mut payload, k, v);
        }
    }
    Ok(Done::payload(payload))
}

fn result_delete(st: &mut State, acct: usize, id: &ResultId) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let job = find_job(a, id)?;
    if job.status == JobStatus::Pending {
        return Err(fail(
            S::StatusProhibitsOperation,
            "the request is still running",
        ));
    }
    job.deleted = true;
    job.fields.clear();
    Ok(Done::payload(format!("result {} deleted\n", job.proc_id)))
}

fn result_list(st: &mut State, acct: usize, r: &dmapi::ResultList, now: i64) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let days = r.period.unwrap_or(1).max(1);
    let since = now - days * DAY_MS;
    let matches = |pattern: &Option<dmapi::Pattern>, value: &str| {
        pattern.as_ref().is_none_or(|p| glob(p.as_str(), value))
    };
    let rows: Vec<&Job> = a
        .results
        .iter()
        .filter(|j| j.submitted_ms >= since)
        .filter(|j| r.pending == Some(true) || j.status != JobStatus::Pending)
        .filter(|j| r.showall == Some(true) || !j.deleted)
        .filter(|j| match r.status {
            Some(ResultListStatus::Ack) => j.status == JobStatus::Ack,
            Some(ResultListStatus::Nack) => j.status == JobStatus::Nack,
            _ => true,
        })
        .filter(|j| matches(&r.rtype, &j.request) && matches(&r.objid, &j.object))
        .filter(|j| matches(&r.procid, &j.proc_id) && matches(&r.svtrid, &j.svtrid))
        .filter(|_| r.cltrid.is_none())
        .collect();
    let offset = usize::try_from(r.offset.unwrap_or(0)).unwrap_or(0);
    let limit = r
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let rows: Vec<&Job> = rows.into_iter().skip(offset).take(limit).collect();
    if r.count_only == Some(true) {
        return Ok(Done::payload(dmapi::reply::records_line(
            &dmapi::metadata::PROTOCOL,
            rows.len(),
        )));
    }
    let mut payload = String::new();
    for j in &rows {
        let row = dmapi::ResultRow {
            timestamp: stamp(j.submitted_ms),
            svtrid: j.svtrid.clone(),
            proc_id: j.proc_id.clone(),
            request_type: j.request.clone(),
            object: j.object.clone(),
            status: match j.status {
                JobStatus::Ack => dmapi::ResultStatus::Ack,
                JobStatus::Nack => dmapi::ResultStatus::Nack,
                JobStatus::Pending => dmapi::ResultStatus::Pending,
            },
            cltrid: None,
        };
        payload.push_str(&row.to_line(&dmapi::metadata::PROTOCOL));
    }
    Ok(Done {
        headers: vec![(
            &*dmapi::metadata::PROTOCOL.headers.row_count,
            rows.len().to_string(),
        )],
        payload,
        ..Done::default()
    })
}
