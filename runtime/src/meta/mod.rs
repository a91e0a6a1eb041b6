//! The spec model: what the spec says about each request, its parameters and its answer.
//!
//! `dmapi-codegen` builds these types (owned) from the TOML spec and writes them into the
//! generated crate as `static` tables (borrowed): one model for both. The validator, the CLI and
//! the sandbox read the tables; nothing in this crate knows any particular request.
//!
//! This module depends on [`values`](crate::values) only: the rules over these tables live
//! above it, in [`validate`](crate::validate) (which also defines
//! [`RequestMeta::example_params`]) and [`encode`](crate::encode).

mod answer;
mod protocol;
mod types;

use std::borrow::Cow;

pub use answer::{
    BodyKind, CaseMeta, ColumnMeta, ExtraColumns, FieldMeta, HeaderMeta, RegistryDate, ResultMeta,
    ReturnsMeta, Separator,
};
pub use protocol::{
    CompletionWords, DnssecField, DnssecForms, Framing, HeaderNames, ProtocolMeta,
    ResultRowColumns, ResultRowMeta, StatusMeta,
};
pub use types::{BUILTIN_TYPES, Builtin, FlagSpelling, ItemType, ValueType};

/// Text of the model: borrowed in a static table, owned when a spec is read.
pub type Text = Cow<'static, str>;

/// A list of the model: borrowed in a static table, owned when a spec is read.
pub type Seq<T> = Cow<'static, [T]>;

/// A condition under which a parameter is required.
///
/// It holds when (`tlds` is empty OR the request's TLD is one of `tlds`, compared
/// case-insensitively without a leading dot) AND for every `(param, values)`: the parameter is
/// present with one of `values` (compared ASCII case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// TLDs the condition applies to (`"us"` or `".us"`); empty means any.
    pub tlds: Seq<Text>,
    /// Parameters that must be present with one of the listed values.
    pub params: Seq<(Text, Seq<Text>)>,
}

impl Condition {
    /// Whether the condition holds for a request whose TLD is `tld` and whose parameter values
    /// `value_of(name)` returns.
    pub fn holds<'v>(
        &self,
        tld: Option<&str>,
        mut value_of: impl FnMut(&str) -> Option<&'v str>,
    ) -> bool {
        let tld_ok = self.tlds.is_empty()
            || tld.is_some_and(|tld| {
                let tld = tld.trim_start_matches('.');
                self.tlds
                    .iter()
                    .any(|t| t.trim_start_matches('.').eq_ignore_ascii_case(tld))
            });
        tld_ok
            && self.params.iter().all(|(param, values)| {
                value_of(param)
                    .is_some_and(|v| values.iter().any(|want| want.eq_ignore_ascii_case(v)))
            })
    }

    /// The condition in words, e.g. "when the TLD is `us`" or "when `x` is `1`".
    pub fn describe(&self) -> String {
        let mut parts = Vec::with_capacity(1 + self.params.len());
        if !self.tlds.is_empty() {
            parts.push(format!(
                "the TLD is {}",
                or_list(self.tlds.iter().map(|t| t.trim_start_matches('.')))
            ));
        }
        for (param, values) in self.params.iter() {
            parts.push(format!(
                "`{param}` is {}",
                or_list(values.iter().map(|v| &**v))
            ));
        }
        if parts.is_empty() {
            "always".to_owned()
        } else {
            format!("when {}", parts.join(" and "))
        }
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let items: Vec<String> = items.map(|i| format!("`{i}`")).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// One request parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamMeta {
    /// Wire name; for indexed parameters the base (`ds` for `ds-1` ..= `ds-6`).
    pub name: Text,
    /// What the parameter means.
    pub doc: Text,
    /// Its value type.
    pub ty: ValueType,
    /// Whether every request must carry it.
    pub required: bool,
    /// Whether its value must never be shown (passwords, keys).
    pub secret: bool,
    /// Whether an empty value is meaningful (e.g. "clear the property").
    pub allow_empty: bool,
    /// Other spellings the server takes for it (`nick-name` for `nickname`); requests are sent
    /// with [`name`](Self::name), and reading a request accepts either.
    pub aliases: Seq<Text>,
    /// Why it is deprecated and what to use instead, if it is.
    pub deprecated: Option<Text>,
    /// `Some(n)`: the wire names are `name-1` ..= `name-n`.
    pub indexed: Option<u8>,
    /// Required if ANY of these conditions holds.
    pub required_when: Seq<Condition>,
    /// The value the server assumes when the parameter is absent.
    pub default: Option<Text>,
    /// A valid sample value given by the spec (`example`), if any.
    pub example: Option<Text>,
}

impl ParamMeta {
    /// A parameter with nothing set: the base of the generated tables (`..ParamMeta::EMPTY`).
    pub const EMPTY: ParamMeta = ParamMeta {
        name: Cow::Borrowed(""),
        doc: Cow::Borrowed(""),
        ty: ValueType::String,
        required: false,
        secret: false,
        allow_empty: false,
        aliases: Cow::Borrowed(&[]),
        deprecated: None,
        indexed: None,
        required_when: Cow::Borrowed(&[]),
        default: None,
        example: None,
    };

    /// A valid sample value: the spec's [`example`](Self::example), else
    /// [`ValueType::example`].
    pub fn example_value(&self) -> Cow<'static, str> {
        match &self.example {
            Some(e) => e.clone(),
            None => self.ty.example(),
        }
    }
}

/// How the alternatives of a [`GroupMeta`] combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// Exactly one alternative must be given.
    ExactlyOne,
    /// At most one alternative may be given.
    AtMostOne,
}

/// Parameters that exclude each other.
///
/// Each alternative is a set of parameter names that go together (e.g. `[["name"], ["fname",
/// "lname"]]`); an alternative is "chosen" when any of its parameters is present, and then ALL of
/// its parameters must be present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMeta {
    /// The group's name (for messages and generated type names).
    pub name: Text,
    /// How many alternatives may or must be chosen.
    pub kind: GroupKind,
    /// The alternatives, each a set of parameter names.
    pub alternatives: Seq<Seq<Text>>,
    /// What the group means.
    pub doc: Text,
}

/// Whether the server answers at once or queues the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// Answered at once.
    Sync,
    /// Queued: answers a `Proc-ID`; the outcome comes later through the result requests.
    Async,
}

/// When the effect of a request becomes visible to the requests that follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// When the server accepts it: a query sent after the answer sees the change. Every
    /// answered-at-once request, and queued ones such as `dns-zone-put`, whose job is still
    /// listed by the result requests.
    OnAcceptance,
    /// When its queued job completes (a registration, a renewal, a transfer).
    OnCompletion,
}

/// How a request travels over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// POST with a form body (the server also takes GET, but a POST keeps secrets and large
    /// values out of URLs).
    Post,
    /// GET only, the parameters in the query string.
    Get,
}

/// Everything known about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMeta {
    /// Wire name.
    pub name: Text,
    /// Documentation section.
    pub section: Text,
    /// One-line summary.
    pub summary: Text,
    /// Full documentation.
    pub docs: Text,
    /// Sync or queued.
    pub kind: RequestKind,
    /// When its effect becomes visible: on acceptance, or (queued requests only) when its job
    /// completes.
    pub effect: Effect,
    /// Whether it can cost money.
    pub costs: bool,
    /// Whether it changes state on the server; `false` for queries, which are safe to repeat
    /// and allowed with `@read-only` access. Requests that cost money always change state.
    pub changes: bool,
    /// Whether it needs a session (`auth-sid`).
    pub auth: bool,
    /// The parameter that carries the session id, when the request needs a session and the
    /// spec declares how sessions work (its `[session]` table).
    pub session_param: Option<Text>,
    /// Why it is deprecated and what to use instead, if it is.
    pub deprecated: Option<Text>,
    /// The request this one is another name for.
    pub alias_of: Option<Text>,
    /// For a request the docs' table of contents leaves out: where it comes from (its sources).
    pub extension: Option<Text>,
    /// The request's path, when it is not the session's path followed by its name
    /// (`/v2/contact/create`, `/whois`); see [`RequestMeta::path`].
    pub path: Option<Text>,
    /// How it is sent.
    pub method: Method,
    /// Parameter whose value (or, for a domain-typed parameter, the last label of it) is the
    /// request's TLD.
    pub tld_from: Option<Text>,
    /// Parameters in spec order.
    pub params: Seq<ParamMeta>,
    /// Exclusive groups.
    pub groups: Seq<GroupMeta>,
    /// The response.
    pub returns: ReturnsMeta,
    /// For a queued request: its result, once done.
    pub result: ResultMeta,
    /// Wire examples: the docs' example URLs and answers shaped like the live server's, from
    /// which the conformance tests are generated.
    pub examples: Seq<ExampleMeta>,
}

/// A wire example of a request (the spec's `[[request.<name>.examples]]`): a request URL and,
/// optionally, an answer with the typed output it parses to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleMeta {
    /// Where the docs print the URL (`dmapi-reference.txt:99`); `None` for an example the
    /// spec adds.
    pub source: Option<Text>,
    /// The request URL, exactly as the docs print it (placeholders like
    /// `<your-current-session-id>` included).
    pub url: Text,
    /// Why the URL is wrong, when the docs print a wrong one (an erratum).
    pub erratum: Option<Text>,
    /// For an erratum: the problems a check of the URL reports, in order.
    pub problems: Seq<Text>,
    /// An answer to the URL's request, shaped like the live server's (headers, a blank line,
    /// the payload; LF line ends).
    pub answer: Option<Text>,
    /// Where the answer's shape comes from: `wire` (recorded live answers), `docs` (the docs
    /// print it) or `spec` (only prose exists: the shape the spec declares).
    pub answer_from: Option<Text>,
    /// The `{:#?}` text of the typed output the answer parses to (each group that fits in 92
    /// columns joined on one line).
    pub output: Option<Text>,
}

impl ExampleMeta {
    /// An example with nothing set: the base of the generated tables (`..ExampleMeta::EMPTY`).
    pub const EMPTY: ExampleMeta = ExampleMeta {
        source: None,
        url: Cow::Borrowed(""),
        erratum: None,
        problems: Cow::Borrowed(&[]),
        answer: None,
        answer_from: None,
        output: None,
    };
}

/// Where a wire name points in [`RequestMeta::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// `params[slot]`, and the index for an indexed parameter.
    Found { slot: usize, index: Option<u8> },
    /// An indexed parameter's name with an index outside `1..=max`.
    OutOfRange { slot: usize, max: u8 },
    /// No such parameter.
    NotFound,
}

impl RequestMeta {
    /// A request with nothing set: the base of the generated tables (`..RequestMeta::EMPTY`).
    pub const EMPTY: RequestMeta = RequestMeta {
        name: Cow::Borrowed(""),
        section: Cow::Borrowed(""),
        summary: Cow::Borrowed(""),
        docs: Cow::Borrowed(""),
        kind: RequestKind::Sync,
        effect: Effect::OnAcceptance,
        costs: false,
        changes: false,
        auth: false,
        session_param: None,
        deprecated: None,
        alias_of: None,
        extension: None,
        path: None,
        method: Method::Post,
        tld_from: None,
        params: Cow::Borrowed(&[]),
        groups: Cow::Borrowed(&[]),
        returns: ReturnsMeta::EMPTY,
        result: ResultMeta::EMPTY,
        examples: Cow::Borrowed(&[]),
    };

    /// The URL path of the request: its own [`path`](Self::path) if it has one, else
    /// `session_path` (the session's [`SessionMeta::path`], `/request/`) and its name.
    pub fn path<'a>(&'a self, session_path: &str) -> Cow<'a, str> {
        match &self.path {
            Some(p) => Cow::Borrowed(p),
            None => Cow::Owned(format!("{session_path}{}", self.name)),
        }
    }

    /// The wire names of the answer's and the result's secret fields (headers and
    /// `key: value` lines, every case of the answer included): what a log must not show.
    pub fn secret_answer_keys(&self) -> Vec<&str> {
        let mut fields: Vec<&FieldMeta> = self.result.keys.iter().collect();
        let mut answers = vec![&self.returns];
        answers.extend(self.returns.cases.iter().map(|c| &c.returns));
        for r in answers {
            fields.extend(r.headers.iter().chain(r.keys.iter()));
        }
        fields
            .into_iter()
            .filter(|f| f.ty == ValueType::Secret)
            .map(|f| &*f.name)
            .collect()
    }

    /// The parameter a wire name refers to: case-insensitive; resolves indexed names like `ds-3`
    /// to the `ds` entry (index within `1..=max`, else `None`).
    pub fn param(&self, wire_name: &str) -> Option<&ParamMeta> {
        match self.lookup(wire_name) {
            Lookup::Found { slot, .. } => self.params.get(slot),
            Lookup::OutOfRange { .. } | Lookup::NotFound => None,
        }
    }

    pub(crate) fn lookup(&self, wire_name: &str) -> Lookup {
        let params = &self.params;
        if let Some(slot) = params.iter().position(|p| {
            p.indexed.is_none()
                && (p.name.eq_ignore_ascii_case(wire_name)
                    || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(wire_name)))
        }) {
            return Lookup::Found { slot, index: None };
        }
        let Some((base, number)) = wire_name.rsplit_once('-') else {
            return Lookup::NotFound;
        };
        // Only canonical numbers: digits, no leading zero (except the out-of-range `0`).
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        if !canonical {
            return Lookup::NotFound;
        }
        for (slot, p) in params.iter().enumerate() {
            if let Some(max) = p.indexed
                && p.name.eq_ignore_ascii_case(base)
            {
                return match number.parse::<u8>() {
                    Ok(index) if (1..=max).contains(&index) => Lookup::Found {
                        slot,
                        index: Some(index),
                    },
                    _ => Lookup::OutOfRange { slot, max },
                };
            }
        }
        Lookup::NotFound
    }
}

/// How a client opens, carries and uses a DMAPI session: the spec's `[session]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMeta {
    /// Production endpoint URL.
    pub production: Text,
    /// Test (OT&E) endpoint URL.
    pub ote: Text,
    /// Path prefix of requests; the request name follows.
    pub path: Text,
    /// The parameter carrying the session id.
    pub param: Text,
    /// The request that opens a session.
    pub login: Text,
    /// Its username parameter.
    pub username: Text,
    /// Its password parameter.
    pub password: Text,
    /// Its API key parameter.
    pub api_key: Text,
    /// The request that closes a session.
    pub logout: Text,
    /// The login response header with the inactivity timeout in seconds.
    pub timeout_header: Text,
    /// The login response header with the access level.
    pub access_header: Text,
    /// The cookie the server sets at login; it stands in for the session parameter, which wins
    /// when both are present.
    pub cookie: Text,
    /// The access level (in [`access_header`](Self::access_header)) of unrestricted sessions.
    pub access_full: Text,
    /// The access level of sessions refused every request that [`changes`](RequestMeta::changes)
    /// anything.
    pub access_read_only: Text,
    /// The access level of sessions refused every request that [`costs`](RequestMeta::costs)
    /// money.
    pub access_modify_only: Text,
    /// The request that fetches the outcome of a queued request.
    pub result: Text,
    /// Its parameter naming the queued request by Proc-ID.
    pub result_id: Text,
    /// The request that lists the outcomes of queued requests.
    pub results: Text,
    /// Its filter by request name.
    pub results_type: Text,
    /// Its filter by object (domain, contact, host).
    pub results_object: Text,
    /// Its flag (a [`ValueType::Flag`] parameter) that includes requests still running.
    pub results_pending: Text,
    /// The result key with the completion status.
    pub status_key: Text,
    /// The client transaction id: a parameter of requests that change something, which the
    /// caller chooses and the result list shows and filters on. The client fills it with a
    /// unique id where a request accepts it and the caller left it unset.
    pub cltrid: Text,
    /// The result list's filter by client transaction id.
    pub results_cltrid: Text,
    /// The payload line of a login with an unknown API key (status `2200`, no `Error` header).
    pub invalid_api_key: Text,
    /// The `Error` line of a login with a malformed username (status `2400`, no session).
    pub invalid_username: Text,
}
