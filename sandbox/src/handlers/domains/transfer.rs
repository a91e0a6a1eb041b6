//! Domain transfers: domain-transfer-in-reseller, domain-transfer-get-auth-id and
//! domain-transfer-control.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{
    DomainCheckCheckPrice, DomainTransferControlAction, DomainTransferControlOutput, Privacy,
    TransferState as T,
};

use crate::clock::Day;
use crate::state::{Domain, Job, State, Transfer};

use crate::handlers::{
    Completion, Fields, account, charge, domain_mut, fail, need_contact, tld_of, yearly,
};

use super::refund;
use crate::handlers::stored;

/// The states a successful transfer passes through, in order (it skips the failure states
/// `FOA_NACK` and `REGISTRY_CANCELATION_PENDING`).
const PATH: [T; 11] = [
    T::InDb,
    T::PaymentPrepared,
    T::PaymentAcquired,
    T::PendingFoaSending,
    T::FoaBeenSent,
    T::FoaAck,
    T::RegistryRequestSent,
    T::RegistryRequestReceivedNowWaiting,
    T::DomainWithJokerPendingComplete,
    T::PaymentCommitted,
    T::TransferProcessedSuccessfully,
];
/// The step of [`PATH`] in which `resend-foa` works.
const FOA_SENT: usize = 4;
/// From this step of [`PATH`] on the losing registrar has released the domain: no more
/// `cancel`.
const RELEASED: usize = 8;

/// Checks what a transfer request alone decides: the TLD of `domain` is offered.
pub(in crate::handlers) fn precheck_transfer_in(st: &State, domain: &str) -> Result<(), Refusal> {
    match yearly(st, domain, DomainCheckCheckPrice::Transfer) {
        Some(_) => Ok(()),
        None => Err(fail(
            S::ParameterValuePolicyError,
            format!("the TLD `.{}` is not offered", tld_of(domain)),
        )),
    }
}

/// A transfer order, from domain-transfer-in-reseller or domain-transfer-in: one set of rules.
pub(in crate::handlers) struct Order<'r> {
    domain: &'r dmapi::DomainName,
    auth_id: &'r str,
    owner: &'r dmapi::Handle,
    admin: Option<&'r dmapi::Handle>,
    tech: Option<&'r dmapi::Handle>,
    billing: Option<&'r dmapi::Handle>,
    ns: Vec<String>,
    lock: bool,
    autorenew: bool,
    privacy: Option<Privacy>,
    max_price: Option<&'r str>,
}

impl<'r> Order<'r> {
    /// A reseller transfer: the contacts, name servers and settings as given.
    pub(in crate::handlers) fn reseller(r: &'r dmapi::DomainTransferInReseller) -> Order<'r> {
        Order {
            domain: &r.domain,
            auth_id: r.transfer_auth_id.expose(),
            owner: &r.owner_c,
            admin: r.admin_c.as_ref(),
            tech: r.tech_c.as_ref(),
            billing: r.billing_c.as_ref(),
            ns: r
                .ns_list
                .iter()
                .flatten()
                .map(ToString::to_string)
                .collect(),
            lock: r.status == Some(dmapi::DomainTransferInResellerStatus::Lock),
            autorenew: r.autorenew.unwrap_or(true),
            privacy: r.privacy,
            max_price: r.max_price.as_ref().map(dmapi::Price::as_str),
        }
    }

    /// A "trivial" transfer (contact inquiry procedure): only the billing contact is given,
    /// which the sandbox takes for every role; autorenew is the account's property.
    pub(in crate::handlers) fn trivial(
        st: &State,
        acct: usize,
        r: &'r dmapi::DomainTransferIn,
    ) -> Order<'r> {
        Order {
            domain: &r.domain,
            auth_id: r.transfer_auth_id.expose(),
            owner: &r.billing_c,
            admin: None,
            tech: None,
            billing: None,
            ns: Vec::new(),
            lock: false,
            autorenew: crate::handlers::properties::autorenew(st, acct),
            privacy: r.privacy,
            max_price: None,
        }
    }
}

pub(in crate::handlers) fn auth_id(st: &mut State, acct: usize, name: &str) -> Fields {
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

/// The transfer's current step of [`PATH`] (one step per async delay).
fn transfer_step(st: &State, t: &Transfer, now: i64) -> usize {
    let step_ms = st.settings.async_delay_ms.max(1);
    let steps = usize::try_from((now - t.started_ms).max(0) / step_ms).unwrap_or(usize::MAX);
    t.step.max(steps).min(PATH.len() - 1)
}

pub(in crate::handlers) fn transfer_in(
    st: &mut State,
    acct: usize,
    r: &Order<'_>,
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
            Some(code) if code != r.auth_id => {
                return Completion::Nack("the AUTH-ID is invalid".into());
            }
            Some(_) => {}
        }
        for h in [Some(r.owner), r.admin, r.tech, r.billing]
            .into_iter()
            .flatten()
        {
            if let Err(e) = need_contact(st, acct, h.as_str()) {
                return Completion::Nack(e);
            }
        }
        let price = yearly(st, name, DomainCheckCheckPrice::Transfer).unwrap_or(0);
        if let Err(e) = charge(st, acct, price, r.max_price) {
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
        let (owner_email, admin_email) = (email(Some(r.owner)), email(r.admin.or(Some(r.owner))));
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
    if transfer_step(st, &t, now) != PATH.len() - 1 {
        return Completion::Wait;
    }
    let owner = r.owner.to_string();
    let expires = Day::of_ms(now).plus_months(12).to_ms();
    st.elsewhere.remove(name);
    st.registry.insert(name.to_owned(), acct);
    if let Some(a) = st.accounts.get_mut(acct) {
        // A transfer that names no name servers gets Joker.com's.
        let ns = if r.ns.is_empty() {
            super::joker_ns()
        } else {
            r.ns.clone()
        };
        let mut d = Domain::new(name, &owner, now, expires, ns);
        for (slot, given) in [
            (&mut d.admin, r.admin),
            (&mut d.tech, r.tech),
            (&mut d.billing, r.billing),
        ] {
            if let Some(h) = given {
                *slot = h.to_string();
            }
        }
        d.lock = r.lock;
        d.autorenew = r.autorenew;
        d.privacy = r
            .privacy
            .filter(|p| *p != Privacy::None)
            .map(|p| p.as_str().to_owned());
        a.domains.insert(name.to_owned(), d);
    }
    st.effect(&job.request);
    let (domain, expiration) = (Some(r.domain.clone()), Some(Day::of_ms(expires).iso()));
    Completion::Ack(
        if job.request == <dmapi::DomainTransferIn as dmapi::Request>::NAME {
            let mut out = dmapi::DomainTransferInResult::default();
            (out.domain, out.expiration_date) = (domain, expiration);
            out.to_fields()
        } else {
            let mut out = dmapi::DomainTransferInResellerResult::default();
            (out.domain, out.expiration_date) = (domain, expiration);
            out.to_fields()
        },
    )
}

pub(in crate::handlers) fn transfer_control(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainTransferControl,
    now: i64,
) -> Result<DomainTransferControlOutput, Refusal> {
    use dmapi::{
        DomainTransferControlListRow as ListRow, DomainTransferControlOutput as Out,
        DomainTransferControlShowOutput as ShowOutput,
    };
    let transfers: Vec<Transfer> = account(st, acct)?.transfers.values().cloned().collect();
    let find = |domain: &Option<dmapi::DomainName>| -> Result<Transfer, Refusal> {
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
    let state = |t: &Transfer| match t.cancelled {
        true => T::RegistryCancelationPending,
        false => PATH[transfer_step(st, t, now)].clone(),
    };
    let released = |t: &Transfer| t.cancelled || transfer_step(st, t, now) >= RELEASED;
    match r.action {
        DomainTransferControlAction::List => {
            let rows = transfers.iter().map(|t| {
                let (owner, admin) = (t.owner_email.clone(), t.admin_email.clone());
                Ok(ListRow::new(stored(&t.domain)?, state(t), owner, admin))
            });
            Ok(Out::List(rows.collect::<Result<_, Refusal>>()?))
        }
        DomainTransferControlAction::Show => {
            let t = find(&r.domain)?;
            let mut show = ShowOutput::new();
            show.domain = r.domain.clone();
            show.status = Some(state(&t));
            show.owner_email = Some(t.owner_email.clone());
            show.admin_email = Some(t.admin_email.clone());
            show.transfer_id = Some(t.transfer_id.clone());
            Ok(Out::Show(show))
        }
        DomainTransferControlAction::ResendFoa => {
            let t = find(&r.domain)?;
            if t.cancelled || transfer_step(st, &t, now) != FOA_SENT {
                return Err(fail(
                    S::StatusProhibitsOperation,
                    format!(
                        "the FOA can only be resent in state {}; `{}` is in {}",
                        PATH[FOA_SENT],
                        t.domain,
                        state(&t)
                    ),
                ));
            }
            Ok(Out::ResendFoa)
        }
        DomainTransferControlAction::Cancel => {
            let t = find(&r.domain)?;
            if released(&t) {
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
            Ok(Out::Cancel)
        }
        _ => Err(fail(S::ParameterValuePolicyError, "unsupported action")),
    }
}
