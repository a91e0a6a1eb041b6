//! The server side of requests: what a service's answer to one request is ([`ServeError`]
//! when it has none), and the answer a service gives by default ([`example_output`]): the
//! shape the spec declares, with example values.
//!
//! The generated crate's `Service` trait (its `server` feature) has a method per request that
//! returns the request's typed output; `AnyRequest::serve` calls it and writes the output
//! with the request's generated writer.

use std::fmt;

use crate::Request;
use crate::envelope::Envelope;
use crate::meta::{BodyKind, ProtocolMeta, RequestKind, ReturnsMeta};
use crate::output::{OutputError, WriteError};
use crate::reply::{Reply, push_key_value};

/// A request the service refuses: the status code to answer and the errors to report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The `Status-Code` of the answer (one of the protocol's, e.g. the generated
    /// `StatusCode::ObjectDoesNotExist.code()`).
    pub status: u16,
    /// One `Error` header each.
    pub errors: Vec<String>,
}

impl Refusal {
    /// A refusal with one error.
    pub fn new(status: u16, error: impl Into<String>) -> Self {
        Refusal {
            status,
            errors: vec![error.into()],
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused with status {}: {}",
            self.status,
            self.errors.join("; ")
        )
    }
}

/// Why a service gives no answer text for a request.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The service refuses the request (an answer with its status and errors).
    #[error("{0}")]
    Refused(Refusal),
    /// The default answer ([`example_output`]) does not read as the request's output: the
    /// spec's declared shape and its example values disagree.
    #[error("the default answer: {0}")]
    Output(#[from] OutputError),
    /// The output cannot be written in the DMAPI text format.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<Refusal> for ServeError {
    fn from(r: Refusal) -> Self {
        ServeError::Refused(r)
    }
}

/// The answer text of shape `returns` with example values: the declared headers and keys
/// that a successful answer always carries, each with its type's example value; no rows, no
/// lines, no optional field. A queued request's answer carries a Proc-ID of `1`. Its
/// `Status-Code` is `status` (see [`ProtocolMeta::success_status`]).
pub fn example_answer(
    protocol: &'static ProtocolMeta,
    kind: RequestKind,
    returns: &ReturnsMeta,
    status: u16,
) -> String {
    let mut reply = Reply::status(protocol, status, status);
    if kind == RequestKind::Async {
        return reply.proc_id("1").finish("");
    }
    let value = |f: &crate::meta::FieldMeta| {
        let v = f.ty.example();
        match f.quoted {
            true => crate::output::quote(&v),
            false => v.into_owned(),
        }
    };
    for h in returns.headers.iter().filter(|h| h.required) {
        reply.push_header(&h.name, &value(h));
    }
    let mut payload = String::new();
    if returns.body == BodyKind::KeyValue {
        for k in returns
            .keys
            .iter()
            .filter(|k| k.required && k.family.is_none())
        {
            push_key_value(&mut payload, &k.name, &value(k));
        }
    }
    reply.finish(&payload)
}

/// `request`'s output read from its [`example_answer`] (the case its parameters choose, for an
/// answer chosen by a parameter's value): what a service answers by default.
pub fn example_output<R: Request>(
    request: &R,
    protocol: &'static ProtocolMeta,
) -> Result<R::Output, ServeError> {
    let meta = R::meta();
    let form = request.to_form();
    let value_of = |name: &str| form.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
    let returns = meta.returns.answer_to(value_of).unwrap_or(&meta.returns);
    // A case has no status of its own: the request's answer states it.
    let status = protocol.success_status(&meta.returns);
    let text = example_answer(protocol, meta.kind, returns, status);
    let env = Envelope::parse_owned(text.clone(), protocol).map_err(|e| OutputError {
        request: R::NAME,
        field: "envelope".to_owned(),
        message: e.to_string(),
        raw: text,
    })?;
    Ok(request.parse_output(&env)?)
}
