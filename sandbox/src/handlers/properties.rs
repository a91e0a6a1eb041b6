//! The reseller's account properties: user-get-property and user-set-property.
//!
//! A property not set has its default; setting one to the empty value restores the default.
//! `autorenew` (new domains renew themselves) is what domain-register and domain-transfer-in
//! take when the request does not say.

use std::collections::BTreeMap;

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{DomainProperty, Request, UserGetProperty, UserGetPropertyOutput};

use crate::state::{Account, State};

use super::{Fields, account, fail, glob};

/// A flag property's values.
const ON: &str = "1";
const OFF: &str = "0";
/// Matches every name or type.
const ANY: &str = "*";

/// The properties an account has, each with its default: `autorenew` (the word the domain
/// property has too), off, as domain-register's default.
fn defaults() -> [(&'static str, &'static str); 1] {
    [(DomainProperty::Autorenew.as_str(), OFF)]
}

/// The account's properties, defaults filled in, by name.
fn all(a: &Account) -> BTreeMap<String, String> {
    let mut props: BTreeMap<String, String> = defaults()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    props.extend(a.properties.clone());
    props
}

/// Whether new domains of the account get autorenew (the `autorenew` property).
pub(super) fn autorenew(st: &State, acct: usize) -> bool {
    st.accounts.get(acct).is_some_and(|a| {
        all(a)
            .get(DomainProperty::Autorenew.as_str())
            .is_some_and(|v| v == ON)
    })
}

/// The kind of property the answer's keys name (`property` of `user.property.<name>`).
fn property_type() -> &'static str {
    let keys = &UserGetProperty::meta().returns.keys;
    let family = keys.iter().find_map(|k| k.family.as_deref()).unwrap_or("");
    family.split('.').nth(1).unwrap_or("")
}

/// Refuses a `uid` that is not the session's user.
fn check_uid(a: &Account, uid: Option<&str>) -> Result<(), Refusal> {
    match uid {
        Some(uid) if uid != a.uid => Err(fail(
            S::AuthorizationError,
            format!("user `{uid}` is not this session's user"),
        )),
        _ => Ok(()),
    }
}

/// The value a property takes for `value` (trimmed), or why it cannot: a property not known, a
/// flag that is neither 1 nor 0. `None`: back to the default (an empty value).
fn checked(name: &str, value: &str) -> Result<Option<String>, Refusal> {
    let name = name.trim();
    if !defaults().iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
        let known: Vec<&str> = defaults().iter().map(|(k, _)| *k).collect();
        return Err(fail(
            S::ParameterValuePolicyError,
            format!(
                "unknown property `{name}`; the account has: {}",
                known.join(", ")
            ),
        ));
    }
    match value.trim() {
        "" => Ok(None),
        v @ (ON | OFF) => Ok(Some(v.to_owned())),
        other => Err(fail(
            S::ParameterValueSyntaxError,
            format!("`{name}` takes {ON} or {OFF}, not `{other}`"),
        )),
    }
}

pub(super) fn get(
    st: &mut State,
    acct: usize,
    r: &UserGetProperty,
) -> Result<UserGetPropertyOutput, Refusal> {
    let a = account(st, acct)?;
    check_uid(a, r.uid.as_deref())?;
    let pname = r.pname.as_deref().map_or(ANY, str::trim);
    let ptype = r.ptype.as_deref().map_or(ANY, str::trim);
    let mut out = UserGetPropertyOutput::new();
    if glob(ptype, property_type()) {
        out.properties = all(a)
            .into_iter()
            .filter(|(name, _)| glob(pname, name))
            .collect();
    }
    // A property asked for by name must exist; a pattern may match none.
    if out.properties.is_empty() && !pname.contains(['*', '?']) {
        return Err(fail(
            S::ObjectDoesNotExist,
            format!("the account has no property `{pname}` of type `{ptype}`"),
        ));
    }
    Ok(out)
}

/// Checks what `user-set-property` alone decides: the user, the property and its value.
pub(super) fn precheck_set(
    st: &mut State,
    acct: usize,
    r: &dmapi::UserSetProperty,
) -> Result<(), Refusal> {
    check_uid(account(st, acct)?, r.uid.as_deref())?;
    checked(&r.pname, &r.pvalue).map(drop)
}

pub(super) fn set(st: &mut State, acct: usize, r: &dmapi::UserSetProperty) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    let value = checked(&r.pname, &r.pvalue).map_err(|f| f.errors.join("; "))?;
    let name = r.pname.trim().to_ascii_lowercase();
    let mut out = dmapi::UserSetPropertyResult::default();
    out.pvalue = Some(match value {
        Some(v) => {
            a.properties.insert(name.clone(), v.clone());
            v
        }
        None => {
            a.properties.remove(&name);
            all(a).remove(&name).unwrap_or_default()
        }
    });
    out.pname = Some(name);
    Ok(out.to_fields())
}
