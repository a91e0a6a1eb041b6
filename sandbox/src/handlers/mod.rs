//! What each request does to the sandbox's state: the registrar rules, one module per section
//! of the spec, behind the generated [`Service`](dmapi::Service) ([`service`]).
//!
//! Requests are decoded (and so validated) before they get here, and answers are typed: each
//! is written by the request's generated writer. Queued requests are checked at once where the
//! request alone decides, and carried out when they come due ([`complete`]). A request this
//! module does not know (one added to the spec later) gets the `Service`'s default answer, the
//! shape the spec declares, and is served from day one.

use dmapi::StatusCode as S;
use dmapi::meta::{Effect, RequestMeta, ValueType};
use dmapi::serve::{Refusal, ServeError};
use dmapi::{AnyRequest as R, DomainCheckCheckPrice, Privacy, Request, Submitted, decode};

use crate::state::{Access, Account, Contact, Domain, Job, JobStatus, State, cents, money};

mod account;
mod beyond;
mod contacts;
mod domains;
mod grants;
mod nameservers;
mod other;
mod properties;
mod service;
mod table;
mod zone;

pub(crate) use domains::grace::sweep;
pub(crate) use domains::joker_ns;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// One request's view of the registrar: the state, the session's account, the time
/// and the request's parameters as sent. It answers requests through the generated
/// [`Service`](dmapi::Service).
pub(crate) struct Desk<'s> {
    pub(crate) st: &'s mut State,
    pub(crate) acct: usize,
    pub(crate) now: i64,
    /// The answer's tracking id (a queued request's job keeps it).
    pub(crate) svtrid: &'s str,
    /// The session id, which `logout` ends.
    pub(crate) sid: &'s str,
    /// The parameters as sent (a queued request's job keeps them, without the session's).
    pub(crate) raw: &'s [(&'s str, &'s str)],
    /// What the session may do (query-request-list lists what it may use).
    pub(crate) access: Access,
    /// Whether the request was queued (a queued request the sandbox has no rules for is not:
    /// the `Service` default answers it, and the server queues it then).
    pub(crate) queued: bool,
}

/// What a service method answers.
type Out<T> = Result<T, ServeError>;

/// A value the state holds, as its typed value. The state only holds valid values: one that
/// is not is the sandbox's bug, reported as a failed command rather than a panic.
pub(crate) fn stored<T: dmapi::FromWire>(text: &str) -> Result<T, Refusal> {
    T::from_wire(text).map_err(|e| fail(S::CommandFailed, format!("a stored value `{text}`: {e}")))
}

/// A refusal with one error.
pub(crate) fn fail(code: S, message: impl Into<String>) -> Refusal {
    Refusal::new(code.code(), message)
}

/// How a queued request ended when it came due.
pub(crate) enum Completion {
    Ack(Vec<(String, String)>),
    Nack(String),
    /// Not done yet (a transfer in progress): look again later.
    Wait,
}

impl Desk<'_> {
    /// Queues request `r` about `object` (by default its first domain or handle): the job is
    /// carried out when it comes due ([`complete`]).
    fn queue<Rq, T>(&mut self, _: &Rq, object: Option<String>) -> Out<Submitted<T>>
    where
        Rq: Request<Output = Submitted<T>>,
    {
        let proc_id = self.queue_job(Rq::meta(), object)?;
        Ok(Submitted::new(proc_id, Some(self.svtrid.to_owned())))
    }

    /// Queues a request of `meta`, with the parameters as sent: its Proc-ID. A request the
    /// sandbox has no rules for completes with `ack` and no result fields.
    pub(crate) fn queue_job(
        &mut self,
        meta: &RequestMeta,
        object: Option<String>,
    ) -> Result<String, Refusal> {
        let object = object.unwrap_or_else(|| object_of(meta, self.raw));
        let proc_id = self.st.next().to_string();
        // The session is not kept with the job: it is not part of the request's content.
        let params = self
            .raw
            .iter()
            .filter(|(k, _)| {
                !meta
                    .session_param
                    .as_deref()
                    .is_some_and(|p| k.eq_ignore_ascii_case(p))
            })
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut job = Job {
            proc_id: proc_id.clone(),
            svtrid: self.svtrid.to_owned(),
            request: meta.alias_of.as_deref().unwrap_or(&meta.name).to_owned(),
            object,
            submitted_ms: self.now,
            due_ms: self.now + self.st.settings.async_delay_ms,
            status: JobStatus::Pending,
            params,
            fields: Vec::new(),
            deleted: false,
            cltrid: decode::first(self.raw, &dmapi::metadata::SESSION.cltrid).map(str::to_owned),
            settled: None,
        };
        if meta.effect == Effect::OnAcceptance {
            // Visible at once (the live server's dns-zone-put); the job is still listed and
            // comes due as any other.
            let (status, fields) = crate::queue::carry_out(self.st, self.acct, &job);
            job.fields = fields;
            job.settled = status;
        }
        account(self.st, self.acct)?.results.push(job);
        self.queued = true;
        if self.st.settings.async_delay_ms == 0 {
            crate::queue::advance(self.st, self.now);
        }
        Ok(proc_id)
    }
}

/// The object of a queued request, for result-list: its first domain or handle parameter.
fn object_of(meta: &RequestMeta, raw: &[(&str, &str)]) -> String {
    meta.params
        .iter()
        .filter(|p| p.ty == ValueType::Domain || p.ty == ValueType::Handle)
        .find_map(|p| decode::first(raw, &p.name))
        .unwrap_or("-")
        .to_owned()
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

fn account(st: &mut State, acct: usize) -> Result<&mut Account, Refusal> {
    st.accounts
        .get_mut(acct)
        .ok_or_else(|| fail(S::CommandFailed, "the session's account no longer exists"))
}

fn domain_mut<'s>(st: &'s mut State, acct: usize, name: &str) -> Result<&'s mut Domain, Refusal> {
    account(st, acct)?.domains.get_mut(name).ok_or_else(|| {
        fail(
            S::ObjectDoesNotExist,
            format!("domain `{name}` is not in this account"),
        )
    })
}

fn need_domain(st: &mut State, acct: usize, name: &str) -> Result<(), Refusal> {
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

/// The yearly price of an operation on a domain, if its TLD is offered.
fn yearly(st: &State, domain: &str, op: DomainCheckCheckPrice) -> Option<i64> {
    match op {
        DomainCheckCheckPrice::Create if is_premium(domain) => st
            .prices
            .get(tld_of(domain))
            .map(|_| st.settings.premium_price),
        _ => tld_yearly(st, tld_of(domain), op),
    }
}

/// The yearly price of an operation on a standard (not premium) name of `tld`, if offered:
/// what domain-check and query-price-list both answer.
fn tld_yearly(st: &State, tld: &str, op: DomainCheckCheckPrice) -> Option<i64> {
    let p = st.prices.get(tld)?;
    let base = match op {
        DomainCheckCheckPrice::Create => p.create,
        DomainCheckCheckPrice::Renew => p.renew,
        DomainCheckCheckPrice::Transfer => p.transfer,
        DomainCheckCheckPrice::Restore => p.restore,
        _ => p.create,
    };
    Some(base)
}

/// The TLDs the sandbox offers (those of its price table), in order: what login answers and
/// query-tld-list lists.
pub(crate) fn tld_list(st: &State) -> Vec<&str> {
    st.prices.keys().map(String::as_str).collect()
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

fn need_host(st: &mut State, acct: usize, host: &str) -> Result<(), Refusal> {
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
        R::DomainDelete(r) => domains::grace::delete(st, acct, r, now),
        R::DomainOwnerChange(r) => domains::owner_change(st, acct, r, job),
        R::DomainLock(r) => domains::set_lock(st, acct, r.domain.as_str(), true),
        R::DomainUnlock(r) => domains::set_lock(st, acct, r.domain.as_str(), false),
        R::DomainTransferInReseller(r) => {
            let order = domains::transfer::Order::reseller(r);
            return domains::transfer::transfer_in(st, acct, &order, job, now);
        }
        R::DomainTransferIn(r) => {
            let order = domains::transfer::Order::trivial(st, acct, r);
            return domains::transfer::transfer_in(st, acct, &order, job, now);
        }
        R::DomainRedeem(r) => domains::grace::redeem(st, acct, r, now),
        R::UserSetProperty(r) => properties::set(st, acct, r),
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

/// A domain's status flags: `production`, then `lock` and `autorenew` when set.
fn status_flags(d: &Domain) -> Vec<dmapi::DomainStatus> {
    use dmapi::DomainStatus as F;
    let mut flags = vec![F::Production];
    flags.extend(d.lock.then_some(F::Lock));
    flags.extend(d.autorenew.then_some(F::Autorenew));
    flags
}
