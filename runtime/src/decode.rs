//! Reading a typed request back from raw wire parameters: the server side of
//! [`Request::encode`](crate::Request::encode).
//!
//! Generated code implements [`Decode`](crate::Decode) for every request with the helpers here:
//! it validates the parameters against the request's metadata first (so every problem is
//! reported at once, as [`validate`](crate::validate::validate) reports them), then converts each
//! value with its [`FromWire`] codec. The sandbox server decodes what clients send this way.

use std::borrow::Cow;

use crate::meta::{FlagSpelling, RequestMeta};
use crate::validate::Problem;
use crate::values::{FromWire, shown};

/// `params` with every other spelling of a parameter ([`ParamMeta::aliases`]) replaced by its
/// name, so the readers below find it; borrowed as is when `meta` has no aliases.
///
/// [`ParamMeta::aliases`]: crate::meta::ParamMeta::aliases
pub fn canonical<'a>(
    meta: &'static RequestMeta,
    params: &'a [(&'a str, &'a str)],
) -> Cow<'a, [(&'a str, &'a str)]> {
    if meta.params.iter().all(|p| p.aliases.is_empty()) {
        return Cow::Borrowed(params);
    }
    let renamed = params
        .iter()
        .map(|&(k, v)| match meta.param(k) {
            Some(p) if p.indexed.is_none() => (&*p.name, v),
            _ => (k, v),
        })
        .collect();
    Cow::Owned(renamed)
}

/// The first value of the parameter `name` (ASCII case-insensitive), if given.
pub fn first<'a>(params: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Whether the parameter `name` is given.
pub fn present(params: &[(&str, &str)], name: &str) -> bool {
    first(params, name).is_some()
}

/// Whether exactly the parameters `chosen` of a group are given: all of them, and none of the
/// group's `others`.
pub fn chosen(params: &[(&str, &str)], chosen: &[&str], others: &[&str]) -> bool {
    chosen.iter().all(|n| present(params, n)) && !others.iter().any(|n| present(params, n))
}

/// The values of an indexed parameter `base-1` ..= `base-max`, in index order (gaps skipped).
pub fn indexed<'a>(params: &[(&'a str, &'a str)], base: &str, max: u8) -> Vec<&'a str> {
    (1..=max)
        .filter_map(|i| first(params, &format!("{base}-{i}")))
        .collect()
}

/// The value of a required parameter, or [`Problem::Missing`].
pub fn required<'a>(params: &[(&'a str, &'a str)], name: &str) -> Result<&'a str, Problem> {
    first(params, name).ok_or_else(|| Problem::Missing {
        param: name.to_owned(),
    })
}

/// Converts `raw` with `T`'s codec; a failure is [`Problem::Invalid`] naming `param`.
pub fn value<T: FromWire>(param: &str, raw: &str, secret: bool) -> Result<T, Problem> {
    T::from_wire(raw).map_err(|error| invalid(param, raw, secret, error))
}

/// Reads a flag spelled as `spelling` says.
pub fn flag(spelling: FlagSpelling, param: &str, raw: &str) -> Result<bool, Problem> {
    spelling.decode(raw).ok_or_else(|| {
        invalid(
            param,
            raw,
            false,
            crate::ValueError::new("flag", format!("`{}` is not a flag value", shown(raw))),
        )
    })
}

/// Reads a zone ([`Zone::parse`](crate::Zone::parse) keeps every line, so this never fails;
/// validation reported the zone's problems already).
pub fn zone(raw: &str) -> Result<crate::Zone, Problem> {
    Ok(crate::Zone::parse(raw))
}

/// Splits a delimited list and converts each item with `item`.
pub fn list<T>(
    raw: &str,
    delimiter: char,
    item: impl Fn(&str) -> Result<T, Problem>,
) -> Result<Vec<T>, Problem> {
    raw.split(delimiter).map(item).collect()
}

/// Keeps `Ok` values and collects problems: `None` after pushing the problem.
pub fn keep<T>(problems: &mut Vec<Problem>, result: Result<T, Problem>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// A group's members were given in a combination no alternative allows.
pub fn bad_group(group: &str, message: &str) -> Problem {
    Problem::Group {
        group: group.to_owned(),
        message: message.to_owned(),
    }
}

fn invalid(param: &str, raw: &str, secret: bool, error: crate::ValueError) -> Problem {
    Problem::Invalid {
        param: param.to_owned(),
        value_shown: if secret { "***" } else { raw }.to_owned(),
        error,
    }
}
