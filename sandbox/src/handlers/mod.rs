//! What each request does to the sandbox's state, on typed requests ([`AnyRequest`]).
//!
//! Requests are decoded (and so validated) before they get here; handlers only apply the
//! semantics the DMAPI docs describe. Queued requests are checked at once where the request
//! alone decides ([`precheck`]), and carried out when they come due ([`complete`]). A request
//! this module does not know (one added to the spec later) is answered generically from its
//! metadata ([`answers::by_default`], or an acknowledged queued job), so it is served from day one.

use dmapi::StatusCode as S;
use dmapi::meta::{Separator, ValueType};
use dmapi::{Answer, AnyRequest as R, DomainCheckCheckPrice, Privacy, decode};

use crate::answers::{self, Typed};
use crate::state::{Access, Account, Contact, Domain, Job, State, cents, money};
use crate::words as w;

mod account;
mod contacts;
mod domains;
mod grants;
mod nameservers;
mod other;
mod table;
mod zone;

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
        R::DomainRegister(r) => domains::register(st, acct, r, now),
        R::DomainRenew(r) => domains::renew(st, acct, r, now),
        R::DomainModify(r) => domains::modify(st, acct, r),
        R::DomainDelete(r) => domains::delete(st, acct, r, now),
        R::DomainOwnerChange(r) => domains::owner_change(st, acct, r, job),
        R::DomainLock(r) => domains::set_lock(st, acct, r.domain.as_str(), true),
        R::DomainUnlock(r) => domains::set_lock(st, acct, r.domain.as_str(), false),
        R::DomainTransferInReseller(r) => {
            return domains::transfer::transfer_in(st, acct, r, job, now);
        }
        R::DomainTransferGetAuthId(r) => domains::transfer::auth_id(st, acct, r.domain.as_str()),
        R::DomainPrivacyOrder(r) => other::privacy_order(st, acct, r, now),
        R::DnsZonePut(r) => zone::zone_put(st, acct, r),
        R::ContactCreate(r) => contacts::contact_create(st, acct, r, job, now),
        R::ContactModify(r) => contacts::contact_modify(st, acct, r, job),
        R::ContactDelete(r) => contacts::contact_delete(st, acct, r.handle.as_str()),
        R::NsCreate(r) => nameservers::host_set(st, acct, r.host.as_str(), &r.host_addresses, true),
        R::NsModify(r) => {
            nameservers::host_set(st, acct, r.host.as_str(), &r.host_addresses, false)
        }
        R::NsDelete(r) => nameservers::host_delete(st, acct, r.host.as_str()),
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
        R::QueryProfile(_) => account::profile(st, acct, access),
        R::QueryDomainList(r) => domains::domain_list(st, acct, req, r, raw),
        R::QueryContactList(r) => contacts::contact_list(st, acct, req, r, raw),
        R::QueryNsList(r) => nameservers::ns_list(st, acct, req, r, raw),
        R::DomainSetProperty(r) => domains::set_property(st, acct, r),
        R::DomainGetProperty(r) => domains::get_property(st, acct, r),
        R::DomainTransferControl(r) => domains::transfer::transfer_control(st, acct, r, now),
        R::DomainCheck(r) => domains::check(st, r),
        R::GrantsList(r) => grants::grants_list(st, acct, req, r, raw),
        R::GrantsInvite(r) => grants::grants_invite(st, acct, r),
        R::GrantsRevoke(r) => grants::grants_revoke(st, acct, r),
        R::QueryObject(r) => other::whois(st, acct, &r.whois_object, false),
        R::QueryWhois(r) => other::whois(st, acct, &r.whois_object, r.internal == Some(true)),
        R::WaEmailList(_) => other::wa_list(st, acct, req, raw, now),
        R::WaEmailDetails(r) => other::wa_details(st, acct, req, raw, r.key.expose()),
        R::WaEmailValidate(r) => other::wa_validate(st, acct, r.email.as_str(), now)
            .map(|sent| answers::wa_email_validate(r, sent)),
        R::WaEmailVerify(r) => {
            other::wa_verify(st, acct, r.key.expose(), r.answer == Answer::Yes, now)
                .map(|taken| answers::wa_email_verify(r, taken))
        }
        R::CorVerify(r) => other::cor_verify(st, acct, r.key.expose(), r.answer == Answer::Yes)
            .map(|taken| answers::cor_verify(r, taken)),
        R::DnsZoneList(r) => zone::zone_list(st, acct, req, r, raw),
        R::DnsZoneGet(r) => zone::zone_get(st, acct, r.domain.as_str()),
        R::ResultList(r) => account::result_list(st, acct, r, now),
        R::ResultRetrieve(r) => account::result_retrieve(st, acct, &r.result_id),
        R::ResultDelete(r) => account::result_delete(st, acct, &r.result_id),
        other => Ok(answers::by_default(other)),
    }
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
