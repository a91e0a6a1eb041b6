//! Encoding a typed request: the client side of [`decode`](crate::decode).
//!
//! Generated code implements [`Request::encode`](crate::Request::encode) with the helpers here:
//! it pushes its parameters onto a [`Form`] in spec order (a zone with [`push_zone`]) and hands
//! the form to [`finish`], which checks what the field types cannot guarantee. A typed request
//! is encoded once per send, and its full metadata validation is not run again: required
//! parameters, exclusive groups and the values of typed fields (domain names, handles, closed
//! enums, flags, ...) are right by construction.
//!
//! Module dependencies run one way, with no circle:
//!
//! ```text
//! values ← zone ← form               plain parameters: no rules
//! values ← meta ← validate ← encode  rules over metadata (both also use form and zone)
//! ```
//!
//! and [`Request`](crate::Request), the [`client`](crate::client) and [`decode`](crate::decode)
//! stand on top.

use std::fmt;

use crate::form::Form;
use crate::meta::{RequestMeta, ValueType};
use crate::validate::{self, Problem};
use crate::zone::Zone;

/// Why a request could not be encoded: every problem (as [`validate`](validate::validate)
/// reports them), and the parameters that could be encoded.
///
/// Display lists the problems; Debug shows the form with secrets redacted (see [`Form`]).
#[derive(Clone, Debug)]
pub struct EncodeError {
    form: Form,
    problems: Vec<Problem>,
}

impl EncodeError {
    /// An error with `problems` (at least one is expected) about the parameters in `form`.
    pub fn new(form: Form, problems: Vec<Problem>) -> Self {
        EncodeError { form, problems }
    }

    /// The problems: values that could not be encoded first, then the others in
    /// [`validate`](validate::validate)'s order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, owned.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The parameters that could be encoded (a value that could not is left out).
    pub fn form(&self) -> &Form {
        &self.form
    }

    /// The parameters that could be encoded, owned.
    pub fn into_form(self) -> Form {
        self.form
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the parameters do not match the spec: {}",
            validate::join(&self.problems)
        )
    }
}

impl std::error::Error for EncodeError {}

/// Appends a zone in its written form ([`Form::push_zone`]). A zone that cannot be written
/// safely is left out of the form, and its problems are returned as [`Problem::Zone`]s of
/// parameter `name`, for [`finish`]. (A zone that is written has its documented rules checked
/// by [`finish`], in the form's order.)
pub fn push_zone(form: &mut Form, name: &'static str, zone: &Zone) -> Vec<Problem> {
    match form.push_zone(name, zone) {
        Ok(()) => Vec::new(),
        Err(err) => validate::zone_problems(name, err).collect(),
    }
}

/// Finishes encoding a generated request: `form` with what `problems` says could not be
/// encoded ([`push_zone`]), checked for what the field types cannot guarantee.
///
/// Checked, in this order after `problems`: for each parameter in the form, in order, an
/// index beyond the parameter's `indexed` maximum ([`Problem::TooMany`]), a zone's documented
/// rules, and the values of types a Rust field cannot restrict — [`ValueType::String`],
/// [`Text`](ValueType::Text), [`Secret`](ValueType::Secret) (empty values, control
/// characters), [`Int`](ValueType::Int) (bounds) and [`List`](ValueType::List) (empty lists,
/// items); then, in the metadata's order, parameters a `required_when` condition makes
/// required ([`Problem::MissingWhen`]). These are the problems
/// [`validate`](validate::validate) would find in such a form, in the same order.
///
/// Not checked, because the generated types guarantee them: required parameters, exclusive
/// groups, duplicates, unknown names and the values of the other types. A hand-written
/// request whose fields guarantee nothing uses [`validated`] instead.
pub fn finish(
    meta: &RequestMeta,
    form: Form,
    mut problems: Vec<Problem>,
) -> Result<Form, EncodeError> {
    let mut given: Vec<Option<&str>> = vec![None; meta.params.len()];
    for (name, value) in form.iter() {
        let Some((slot, _, param)) = validate::resolve(meta, name, &mut problems) else {
            continue;
        };
        if let Some(first) = given.get_mut(slot) {
            first.get_or_insert(value);
        }
        if !typed(&param.ty) {
            validate::check_value(param, name, value, &mut problems);
        }
    }
    validate::check_missing(meta, &given, false, &mut problems);
    checked(form, problems)
}

/// Checks a whole form against `meta` ([`validate_form`](validate::validate_form)): for a
/// hand-written request whose field types guarantee nothing.
pub fn validated(meta: &RequestMeta, form: Form) -> Result<Form, EncodeError> {
    let problems = validate::validate_form(meta, &form)
        .err()
        .unwrap_or_default();
    checked(form, problems)
}

/// `form`, or the error when there are `problems`.
fn checked(form: Form, problems: Vec<Problem>) -> Result<Form, EncodeError> {
    if problems.is_empty() {
        Ok(form)
    } else {
        Err(EncodeError::new(form, problems))
    }
}

/// Whether a generated field of this type holds only values that meet it: a value newtype
/// ([`DomainName`](crate::DomainName), [`Months`](crate::Months), ...), an address, a closed
/// enum or a `bool`. Strings, secrets, integers, lists and zones do not.
fn typed(ty: &ValueType) -> bool {
    !matches!(
        ty,
        ValueType::String
            | ValueType::Text
            | ValueType::Secret
            | ValueType::Int { .. }
            | ValueType::List { .. }
            | ValueType::Zone
    )
}
