//! Runtime for Joker.com's Domain Management API (DMAPI).
//!
//! The generated `dmapi` crate stands on this one: every request type the code generator emits
//! from `spec/` implements [`Request`] with the pieces defined here —
//!
//! - [`values`]: typed values ([`DomainName`], [`Months`], [`Price`], [`Secret`], ...) with one
//!   implementation of each rule, and the [`ToWire`] / [`FromWire`] codecs;
//! - [`meta`]: the static metadata tables generated code fills in (parameters, groups, response
//!   shape), read by the CLI and the sandbox;
//! - [`validate`]: checks raw parameters against that metadata and reports every problem;
//! - [`form`]: the ordered form parameters of a request and their urlencoded body;
//! - [`encode`]: builds a typed request's form once, checking only what its field types
//!   cannot guarantee ([`Request::encode`]);
//! - [`envelope`]: the common `Key: value` headers + payload shape of every response;
//! - [`output`]: payload readers (lines, key/value pairs, tables, result lists) for generated
//!   `parse_output` functions.
//!
//! All per-request facts — request names, parameter names, types, groups, response shapes —
//! live in the spec and reach this crate only as metadata; nothing here knows a particular
//! request. Protocol names the client needs (endpoints, the session parameter, the login and
//! result requests) come from the spec's `[session]` table ([`meta::SessionMeta`]); the
//! protocol's own words (envelope header names, status codes, completion statuses, the
//! result-list row) from its `[protocol]` table ([`meta::ProtocolMeta`]).
//!
//! - [`zone`]: the DNS zone format of `dns-zone-get` / `dns-zone-put` ([`Zone`]): reading,
//!   injection-safe writing, the documented rules, and edits like an ACME TXT upsert.
//! - [`decode`]: the server side of encoding: a typed request read back from raw parameters
//!   ([`Decode`]), for the sandbox server.
//! - [`reply`]: writing responses in the DMAPI text format (the server side of [`envelope`]).
//! - [`client`]: the HTTP client ([`Client`]): sessions, `POST` forms, typed answers, waiting
//!   for queued requests; [`error`]: its errors.
//!
//! ```
//! use dmapi_runtime::{DomainName, Form, Months, ToWire};
//!
//! let mut form = Form::new();
//! form.push("domain", DomainName::new("Example.com")?.to_wire());
//! form.push("period", Months::years(2)?.to_wire());
//! assert_eq!(form.to_urlencoded(), "domain=example.com&period=24");
//!
//! // With the generated crate: `Envelope::parse(text, &dmapi::metadata::PROTOCOL)`.
//! # Ok::<(), dmapi_runtime::ValueError>(())
//! ```

#[cfg(feature = "client")]
pub mod client;
pub mod decode;
pub mod dnssec;
pub mod encode;
pub mod envelope;
#[cfg(feature = "client")]
pub mod error;
pub mod form;
pub mod meta;
#[cfg(feature = "client")]
mod outcome;
pub mod output;
pub mod reply;
pub mod serve;
pub mod validate;
pub mod values;
pub mod zone;

#[cfg(feature = "client")]
pub use client::{
    Call, Client, ClientBuilder, Completion, CompletionStatus, Credentials,
    DEFAULT_MAX_ANSWER_BYTES, PollPolicy, Protocol, Response, RetryPolicy, SessionInfo,
};
pub use encode::EncodeError;
pub use envelope::{Envelope, EnvelopeError};
#[cfg(feature = "client")]
pub use error::{ApiError, Error, OutcomeCheck};
pub use form::Form;
#[cfg(feature = "client")]
pub use outcome::ClTrIds;
pub use output::{
    KeyValues, OutputError, QueuedResult, ResultRow, ResultStatus, Results, Submitted, WriteError,
    WriteOutput,
};
pub use values::{
    CountryCode, Date, DomainName, Email, FromWire, Handle, LanguageCode, Months, Pattern, Price,
    Secret, ToWire, ValueError, Year,
};
pub use zone::{Zone, ZoneStyle};

/// Every name this crate defines at its root (modules, re-exports, traits), whatever the
/// features: a crate that re-exports the runtime with a glob (as `dmapi` does) must not
/// generate a type of the same name, which would silently shadow it. `dmapi-codegen` refuses
/// such names; a test keeps this list equal to the items above.
pub const ROOT_NAMES: &[&str] = &[
    "client",
    "decode",
    "dnssec",
    "encode",
    "envelope",
    "error",
    "form",
    "meta",
    "output",
    "reply",
    "serve",
    "validate",
    "values",
    "zone",
    "Call",
    "ClTrIds",
    "Client",
    "ClientBuilder",
    "Completion",
    "CompletionStatus",
    "Credentials",
    "DEFAULT_MAX_ANSWER_BYTES",
    "PollPolicy",
    "Protocol",
    "Response",
    "RetryPolicy",
    "SessionInfo",
    "Envelope",
    "EnvelopeError",
    "ApiError",
    "Error",
    "OutcomeCheck",
    "Form",
    "EncodeError",
    "KeyValues",
    "OutputError",
    "QueuedResult",
    "ResultRow",
    "ResultStatus",
    "Results",
    "Submitted",
    "WriteError",
    "WriteOutput",
    "CountryCode",
    "Date",
    "DomainName",
    "Email",
    "FromWire",
    "Handle",
    "LanguageCode",
    "Months",
    "Pattern",
    "Price",
    "Secret",
    "ToWire",
    "ValueError",
    "Year",
    "Zone",
    "ZoneStyle",
    "ROOT_NAMES",
    "CLIENT_METHODS",
    "REQUEST_METHODS",
    "Request",
    "Decode",
];

/// The methods every request has from [`Request`], [`Decode`] and [`WriteOutput`]: a generated setter of the
/// same name would shadow one, so `dmapi-codegen` refuses a parameter named like one. A test
/// keeps this list equal to the traits.
pub const REQUEST_METHODS: &[&str] = &[
    "meta",
    "encode",
    "parse_output",
    "to_form",
    "validate",
    "decode",
    "write_output",
];

/// The methods of [`Client`] (inherent, and of the traits it implements), whatever the
/// features: a generated per-request client method of the same name would never be called,
/// so `dmapi-codegen` leaves such a request without one. A test keeps this list equal to the
/// client's `impl` blocks.
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "send",
    "send_raw",
    "login",
    "logout",
    "wait",
    "wait_with",
    "completion",
    "completion_of",
    "session_info",
    "login_count",
    "clone",
    "fmt",
];

/// A DMAPI request: implemented by every generated request type.
pub trait Request {
    /// Wire name, e.g. "domain-renew".
    const NAME: &'static str;

    /// What a successful response turns into.
    type Output;

    /// The request's static metadata.
    fn meta() -> &'static meta::RequestMeta;

    /// Builds the request's form: its parameters in spec order (no auth-sid: the client adds
    /// it), checked for what the field types cannot guarantee — `required_when` conditions,
    /// zones (one that cannot be written is left out), indexes beyond their maximum, and
    /// strings, secrets, integers and lists against their metadata (see
    /// [`encode::finish`]). The client sends a request by encoding it once.
    ///
    /// A hand-written request whose field types guarantee nothing should check the whole form
    /// with [`encode::validated`].
    fn encode(&self) -> Result<form::Form, encode::EncodeError>;

    /// Builds the typed output from a successful response envelope.
    fn parse_output(&self, env: &envelope::Envelope) -> Result<Self::Output, output::OutputError>;

    /// The form [`encode`](Self::encode) builds, even when it finds problems: a value that
    /// could not be encoded (a zone that cannot be written safely) is left out.
    fn to_form(&self) -> form::Form {
        self.encode().unwrap_or_else(encode::EncodeError::into_form)
    }

    /// The problems [`encode`](Self::encode) finds, if any.
    fn validate(&self) -> Result<(), Vec<validate::Problem>> {
        self.encode()
            .map(drop)
            .map_err(encode::EncodeError::into_problems)
    }
}

/// A request that can be read back from raw wire parameters: implemented by every generated
/// request type. The server side of [`Request::encode`].
pub trait Decode: Request + Sized {
    /// Validates `params` against [`Request::meta`] (every problem at once, as
    /// [`validate::validate`] reports them) and builds the typed request. Names are
    /// ASCII case-insensitive; the session parameter is allowed and ignored.
    fn decode(params: &[(&str, &str)]) -> Result<Self, Vec<validate::Problem>>;
}
