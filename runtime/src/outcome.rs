//! Ambiguous outcomes made exact: the client transaction id (`cltrid`) the client gives each
//! request that changes something, and the query an [`Error::OutcomeUnknown`] hands the
//! caller, which finds that very request in the result list by it.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::client::Protocol;
use crate::envelope::Envelope;
use crate::error::{Error, OutcomeCheck};
use crate::form::Form;
use crate::meta::{ProtocolMeta, RequestMeta, ValueType};

/// Whether and how the client fills in the client transaction id ([`SessionMeta::cltrid`]) of
/// requests that change something.
///
/// [`SessionMeta::cltrid`]: crate::meta::SessionMeta::cltrid
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClTrIds {
    /// A unique id (`<prefix>-<n>`, the prefix random per client) for every request that
    /// accepts one and was not given one by the caller. The default.
    #[default]
    Unique,
    /// Unique ids with this prefix instead of a random one (e.g. the program's name, so that
    /// its requests are easy to find in the result list).
    Prefixed(String),
    /// None: only the caller's own.
    Off,
}

/// Makes the unique ids of one client.
#[derive(Debug)]
pub(crate) struct ClTrIdMaker {
    prefix: Option<String>,
    next: AtomicU64,
}

impl ClTrIdMaker {
    pub(crate) fn new(mode: &ClTrIds) -> Self {
        let prefix = match mode {
            ClTrIds::Off => None,
            ClTrIds::Prefixed(p) => Some(p.clone()),
            // std's hasher keys are random per process and per `RandomState`.
            ClTrIds::Unique => Some(format!(
                "dmapi-{:012x}",
                RandomState::new().hash_one(0u8) & 0xffff_ffff_ffff
            )),
        };
        ClTrIdMaker {
            prefix,
            next: AtomicU64::new(1),
        }
    }

    /// `form`, with a new unique id when the request changes something, accepts one and has
    /// none; as is otherwise.
    pub(crate) fn fill<'f, P: Protocol>(
        &self,
        meta: &RequestMeta,
        form: &'f Form,
    ) -> std::borrow::Cow<'f, Form> {
        let param = &*P::SESSION.cltrid;
        let wanted = meta.changes && meta.param(param).is_some() && form.get(param).is_none();
        match (&self.prefix, wanted) {
            (Some(prefix), true) => {
                let n = self.next.fetch_add(1, Ordering::Relaxed);
                let mut out = form.clone();
                out.push(P::SESSION.cltrid.clone(), format!("{prefix}-{n}"));
                std::borrow::Cow::Owned(out)
            }
            _ => std::borrow::Cow::Borrowed(form),
        }
    }
}

/// The error for a request that changes something and whose answer was lost. With a client
/// transaction id the check is the result list filtered by it, which finds that very request;
/// without, by request name and object, which finds every such request on the object.
pub(crate) fn outcome_unknown<P: Protocol>(
    meta: &'static RequestMeta,
    form: &Form,
    cause: Error,
) -> Error {
    let session = P::SESSION;
    // The object: the first domain or handle the request names.
    let object = meta
        .params
        .iter()
        .filter(|p| matches!(p.ty, ValueType::Domain | ValueType::Handle))
        .find_map(|p| form.get(&p.name))
        .map(str::to_owned);
    let tracking_id = match &cause {
        Error::Protocol { raw, .. } => tracking_id_in(raw, P::PROTOCOL),
        Error::Http { body, .. } => tracking_id_in(body.as_bytes(), P::PROTOCOL),
        _ => None,
    };
    let cltrid = form.get(&session.cltrid).map(str::to_owned);
    let check = match &cltrid {
        Some(id) => OutcomeCheck::by_cltrid::<P>(id),
        None => {
            let mut check = Form::new();
            let name = meta.alias_of.as_deref().unwrap_or(&meta.name);
            check.push(session.results_type.clone(), name.to_owned());
            if let Some(o) = &object {
                check.push(session.results_object.clone(), o.as_str());
            }
            OutcomeCheck::with_pending::<P>(check)
        }
    };
    Error::OutcomeUnknown {
        request: &meta.name,
        object,
        tracking_id,
        cltrid,
        check: Box::new(check),
        cause: Box::new(cause),
    }
}

impl OutcomeCheck {
    /// The result list filtered by a client transaction id, running requests included: what
    /// finds a queued request sent with `cltrid`, e.g. one whose answer a crashed program never
    /// saw (the same query an [`Error::OutcomeUnknown`] carries). A `*` or `?` in `cltrid` is
    /// a pattern to the server.
    pub fn by_cltrid<P: Protocol>(cltrid: &str) -> OutcomeCheck {
        let mut check = Form::new();
        check.push(P::SESSION.results_cltrid.clone(), cltrid);
        OutcomeCheck::with_pending::<P>(check)
    }

    /// `form` plus the flag that lists running requests too, if the result request has it.
    fn with_pending<P: Protocol>(mut form: Form) -> OutcomeCheck {
        let session = P::SESSION;
        if let Some(p) = P::RESULTS.param(&session.results_pending)
            && let ValueType::Flag(spelling) = p.ty
        {
            form.push(session.results_pending.clone(), spelling.encode(true));
        }
        OutcomeCheck {
            request: P::RESULTS,
            form,
        }
    }
}

/// The tracking id in what arrived of a broken answer, if its header block got that far.
fn tracking_id_in(raw: &[u8], protocol: &'static ProtocolMeta) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let env = Envelope::parse(&text, protocol).ok()?;
    env.tracking_id().map(str::to_owned)
}
