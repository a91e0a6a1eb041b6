//! The answer side of the model: payload shapes, answer fields, results and their cases.

use super::*;

/// The shape of a response payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// No payload.
    None,
    /// One item per line.
    Lines,
    /// `key: value` lines.
    KeyValue,
    /// Rows of columns.
    Table,
    /// A zone file.
    Zone,
    /// Result rows of queued requests.
    Results,
    /// Free text.
    Text,
}

/// A value of the answer: a table column, a key of a key/value payload, or a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMeta {
    /// Wire name: the column name as in the `Columns` header, the key, or the header name.
    pub name: Text,
    /// The name of the field in the generated Rust type (the wire name unless the spec gives
    /// `field`).
    pub field: Text,
    /// What it holds.
    pub doc: Text,
    /// Its value type.
    pub ty: ValueType,
    /// Whether a successful answer always carries it (keys and headers).
    pub required: bool,
    /// For a column: the cell value that means "absent" (e.g. `-`), if it has one.
    pub none: Option<Text>,
    /// For a key or header: the value is written in double quotes, which are not part of it.
    pub quoted: bool,
    /// For a key family (a name like `domain-price-<type>`): the prefix its keys start with
    /// (`domain-price-`). The field holds every such key the answer has, except the declared
    /// keys.
    pub family: Option<Text>,
    /// For a key: the answer may carry it on several lines (the name servers of a whois
    /// answer), all of which the field holds, in answer order.
    pub repeated: bool,
    /// For a date column: the TLDs (of the row's domain) whose dates the server reports off the
    /// registry's, and by how many days the registry's date differs (`-1`: a day earlier).
    pub registry: Option<RegistryDate>,
}

/// Dates the server reports off the registry's, for some TLDs (see [`FieldMeta::registry`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryDate {
    /// The TLDs, lowercase, without a dot.
    pub tlds: Seq<Text>,
    /// The registry's date is the reported one plus this many days.
    pub days: i64,
}

impl FieldMeta {
    /// A field with nothing set: the base of the generated tables (`..FieldMeta::EMPTY`).
    pub const EMPTY: FieldMeta = FieldMeta {
        name: Cow::Borrowed(""),
        field: Cow::Borrowed(""),
        doc: Cow::Borrowed(""),
        ty: ValueType::String,
        required: false,
        none: None,
        quoted: false,
        family: None,
        repeated: false,
        registry: None,
    };
}

/// The result of a queued request: the `key: value` lines the result request answers once the
/// request is done (besides the completion status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultMeta {
    /// What the result holds.
    pub doc: Text,
    /// The keys the spec declares; a result keeps the others too.
    pub keys: Seq<FieldMeta>,
}

impl ResultMeta {
    /// No declared keys: the base of the generated tables (`..ResultMeta::EMPTY`).
    pub const EMPTY: ResultMeta = ResultMeta {
        doc: Cow::Borrowed(""),
        keys: Cow::Borrowed(&[]),
    };
}

/// One column of a tabular payload.
pub type ColumnMeta = FieldMeta;

/// A response header a request is documented to send.
pub type HeaderMeta = FieldMeta;

/// Columns appended when parameter `flag` is set to a true value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraColumns {
    /// The flag parameter.
    pub flag: Text,
    /// The columns it adds, in order.
    pub columns: Seq<FieldMeta>,
}

/// How columns are separated in a tabular payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// Runs of spaces and tabs.
    Whitespace,
    /// A single tab per column boundary (empty cells possible).
    Tab,
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsMeta {
    /// The payload's shape.
    pub body: BodyKind,
    /// What the response means.
    pub doc: Text,
    /// Headers the response carries besides the common ones.
    pub headers: Seq<FieldMeta>,
    /// Default columns of a tabular payload.
    pub columns: Seq<FieldMeta>,
    /// Columns added by flag parameters.
    pub extra_columns: Seq<ExtraColumns>,
    /// Default separator when the response has no `Separator` header.
    pub separator: Separator,
    /// Known keys of a key/value payload.
    pub keys: Seq<FieldMeta>,
    /// The name of the payload's field in the generated output type, when it has headers or
    /// typed keys too.
    pub field: Text,
    /// The parameter whose value chooses the answer among [`cases`](Self::cases) (the answer
    /// itself then declares nothing else).
    pub by: Option<Text>,
    /// The answer to each value of [`by`](Self::by).
    pub cases: Seq<CaseMeta>,
    /// The `Status-Code` of a successful answer, when it is not the protocol's first success
    /// code (`domain-transfer-control` answers 1000).
    pub status: Option<u16>,
}

/// The answer a request gives when its [`ReturnsMeta::by`] parameter has one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMeta {
    /// The parameter's value.
    pub when: Text,
    /// The answer.
    pub returns: ReturnsMeta,
}

impl ReturnsMeta {
    /// The answer to a request sent with these parameters: the case its [`by`](Self::by)
    /// parameter's value chooses (ASCII case-insensitive), or this answer when it has no cases.
    /// `None` when the value chooses no case (or the parameter is missing).
    pub fn answer_to<'a>(
        &self,
        value_of: impl Fn(&str) -> Option<&'a str>,
    ) -> Option<&ReturnsMeta> {
        let Some(by) = &self.by else {
            return Some(self);
        };
        let value = value_of(by)?;
        self.cases
            .iter()
            .find(|c| c.when.eq_ignore_ascii_case(value))
            .map(|c| &c.returns)
    }

    /// No payload and nothing declared: the base of the generated tables.
    pub const EMPTY: ReturnsMeta = ReturnsMeta {
        body: BodyKind::None,
        doc: Cow::Borrowed(""),
        headers: Cow::Borrowed(&[]),
        columns: Cow::Borrowed(&[]),
        extra_columns: Cow::Borrowed(&[]),
        separator: Separator::Whitespace,
        keys: Cow::Borrowed(&[]),
        field: Cow::Borrowed(""),
        by: None,
        cases: Cow::Borrowed(&[]),
        status: None,
    };
}
