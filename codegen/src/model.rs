//! The checked, in-memory model of the spec that code is generated from.

use crate::diag::Loc;

/// Every request, type and field set of the spec, in a deterministic order.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The files the spec was read from (for locations).
    pub files: Vec<crate::diag::SourceFile>,
    /// Requests in file order (files sorted by name), then declaration order.
    pub requests: Vec<Request>,
    /// Named enum types (`[type.<name>]` with `base = "enum"`), in declaration order.
    pub enums: Vec<NamedEnum>,
    /// How clients open, carry and use sessions (the spec's `[session]` table), if declared.
    pub session: Option<Session>,
}

/// The spec's `[session]` table: protocol facts a client needs beyond single requests.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Production endpoint URL.
    pub production: String,
    /// Test (OT&E) endpoint URL.
    pub ote: String,
    /// Path prefix of requests, followed by the request name.
    pub path: String,
    /// The parameter carrying the session id on every request that needs one.
    pub param: String,
    /// The request that opens a session.
    pub login: String,
    /// Its username parameter.
    pub username: String,
    /// Its password parameter.
    pub password: String,
    /// Its API key parameter.
    pub api_key: String,
    /// The request that closes a session.
    pub logout: String,
    /// The login response header carrying the session id.
    pub sid_header: String,
    /// The login response header carrying the session timeout in seconds.
    pub timeout_header: String,
    /// The login response header carrying the access level.
    pub access_header: String,
    /// The cookie the server sets at login, accepted in place of the session parameter.
    pub cookie: String,
    /// The access level value (in the access header) of unrestricted sessions.
    pub access_full: String,
    /// The access level value of sessions that may not change anything.
    pub access_read_only: String,
    /// The access level value of sessions that may not do anything that costs money.
    pub access_modify_only: String,
    /// The request that fetches the outcome of a queued request.
    pub result: String,
    /// Its parameter naming the queued request (by Proc-ID).
    pub result_id: String,
    /// The request that lists the outcomes of queued requests.
    pub results: String,
    /// Its filter by request name.
    pub results_type: String,
    /// Its filter by object (domain, contact, host).
    pub results_object: String,
    /// Its flag that includes requests still running.
    pub results_pending: String,
    /// The result key carrying the completion status.
    pub status_key: String,
    /// The completion status of success.
    pub ack: String,
    /// The completion status of failure.
    pub nack: String,
}

/// A named enum type from `[type.<name>]`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedEnum {
    /// Spec name, e.g. `privacy`.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Wire values.
    pub values: Vec<String>,
}

/// How a flag is spelled on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// `1` / `0`
    ZeroOne,
    /// `yes` / `no`
    YesNo,
    /// `Y` / `N` (also reads `Yes` / `No`)
    YN,
    /// `1` / `0`, also reads `Y` / `Yes` / `N` / `No`
    OneY,
}

/// A parameter, column, key or header value type.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// Single-line text.
    String,
    /// Multi-line text.
    Text,
    /// A credential; never shown in `Debug` or logs.
    Secret,
    /// A domain or host name.
    Domain,
    /// A contact handle.
    Handle,
    /// An e-mail address.
    Email,
    /// A glob pattern (`*`, `?`).
    Pattern,
    /// ISO 3166 alpha-2 country code.
    Country,
    /// ISO 639 language code.
    Language,
    /// `YYYY-MM-DD`.
    Date,
    /// A period in months.
    Months,
    /// A calendar year.
    Year,
    /// A positive decimal amount.
    Price,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An integer with optional bounds.
    Int {
        /// Lowest allowed value.
        min: Option<i64>,
        /// Highest allowed value.
        max: Option<i64>,
    },
    /// One of fixed values; `name` is the named type, or `None` for an inline enum.
    Enum {
        /// Named type this comes from.
        name: Option<String>,
        /// Wire values.
        values: Vec<String>,
    },
    /// A boolean with a wire spelling.
    Flag(Spelling),
    /// A delimited list.
    List {
        /// Item type (never a list).
        item: Box<Type>,
        /// Delimiter character.
        delimiter: char,
    },
    /// Zone data (`dns-zone-put`).
    Zone,
}

/// A condition under which an optional parameter becomes required.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The request's TLD is one of these (empty: any TLD).
    pub tlds: Vec<String>,
    /// Each named parameter has one of the values.
    pub params: Vec<(String, Vec<String>)>,
}

/// A request parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Wire name (for indexed parameters, the base: `ds` for `ds-1`..).
    pub name: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Value type.
    pub ty: Type,
    /// Docs.
    pub doc: String,
    /// Must be present.
    pub required: bool,
    /// Redacted from `Debug` and logs.
    pub secret: bool,
    /// An empty value is meaningful.
    pub allow_empty: bool,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// Indexed parameter: `name-1` ..= `name-N`.
    pub indexed: Option<u8>,
    /// Required when any condition holds.
    pub required_when: Vec<Condition>,
    /// Default wire value (documentation; a required parameter with a default is filled in).
    pub default: Option<String>,
    /// A value shown in generated examples (the reference docs and rustdoc); by type if unset.
    pub example: Option<String>,
}

/// Kind of a parameter group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Exactly one alternative must be given.
    ExactlyOne,
    /// At most one alternative may be given.
    AtMostOne,
}

/// Mutually exclusive alternatives, each a set of parameters given together.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Group name; becomes the Rust enum name.
    pub name: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Exactly one / at most one.
    pub kind: GroupKind,
    /// Alternatives: parameter names.
    pub alternatives: Vec<Vec<String>>,
    /// Docs.
    pub doc: String,
}

/// Sync or queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Answered directly.
    Sync,
    /// Queued; answers `Proc-ID`, outcome via `result-retrieve`.
    Async,
}

/// Payload kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Nothing.
    None,
    /// One item per line.
    Lines,
    /// `key: value` lines.
    KeyValue,
    /// Rows with named columns.
    Table,
    /// Zone records.
    Zone,
    /// `result-list` rows.
    Results,
    /// Free text.
    Text,
}

/// Table column separator default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// Runs of spaces or tabs.
    Whitespace,
    /// One tab.
    Tab,
}

/// A table column, payload key, or header carried into the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Wire name (column name, key, or header name).
    pub name: String,
    /// Name of the Rust field (defaults to `name`).
    pub field: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Value type.
    pub ty: Type,
    /// Docs.
    pub doc: String,
    /// Must be present in a successful response.
    pub required: bool,
    /// For a column: the cell value that means "absent" (the field is then an `Option`).
    pub none: Option<String>,
}

/// Columns appended when a flag parameter is set.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraColumns {
    /// The flag parameter.
    pub flag: String,
    /// The columns it adds.
    pub columns: Vec<Field>,
}

/// What a request returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Returns {
    /// Payload kind.
    pub body: Body,
    /// Docs.
    pub doc: String,
    /// Headers carried into the output.
    pub headers: Vec<Field>,
    /// Table columns.
    pub columns: Vec<Field>,
    /// Flag-dependent extra columns.
    pub extra_columns: Vec<ExtraColumns>,
    /// Default separator.
    pub separator: Separator,
    /// Known keys of a key-value payload.
    pub keys: Vec<Field>,
    /// Rust name of the payload field when the output also carries headers.
    pub field: String,
}

/// A DMAPI request.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Wire name.
    pub name: String,
    /// Where it is declared.
    pub loc: Loc,
    /// Docs section (file's `section`).
    pub section: String,
    /// One-line summary.
    pub summary: String,
    /// Longer docs.
    pub docs: String,
    /// Sync or queued.
    pub kind: Kind,
    /// Can cost money.
    pub costs: bool,
    /// Changes state on the server (`false`: a query, safe to repeat, allowed with read-only
    /// access).
    pub changes: bool,
    /// Needs a session.
    pub auth: bool,
    /// Deprecation note.
    pub deprecated: Option<String>,
    /// This request is another name for that one.
    pub alias_of: Option<String>,
    /// Not in the docs' table of contents: why it exists.
    pub extension: Option<String>,
    /// Parameter that carries the TLD for TLD conditions.
    pub tld_from: Option<String>,
    /// Parameters in wire order.
    pub params: Vec<Param>,
    /// Exclusive groups.
    pub groups: Vec<Group>,
    /// Response shape.
    pub returns: Returns,
}

impl Request {
    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The group a parameter belongs to.
    pub fn group_of(&self, name: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.alternatives.iter().flatten().any(|m| m == name))
    }
}
