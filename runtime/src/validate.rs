//! Checking raw wire parameters against a request's metadata.
//!
//! Generic over [`RequestMeta`]: the CLI, the sandbox and [`Decode`](crate::Decode) check
//! arbitrary parameters with it. A typed request does not go through here in full: its
//! [`encode`](crate::Request::encode) checks only what its field types cannot guarantee, with
//! the pieces of this module that [`encode`](crate::encode) uses.
//!
//! Dependencies run one way: [`meta`](crate::meta) (the tables) ← `validate` (rules over raw
//! parameters; also reads a [`Form`]) ← [`encode`](crate::encode) (checks for typed requests).
//! [`form`](crate::form) imports neither.

use crate::form::Form;
use crate::meta::{GroupKind, GroupMeta, Lookup, ParamMeta, RequestMeta, Text, ValueType};
use crate::values::{ValueError, shown};
use crate::zone::{Zone, ZoneError, ZoneProblem};

/// The session parameter's metadata (its name comes from [`RequestMeta::session_param`]).
const SESSION_PARAM: ParamMeta = ParamMeta {
    doc: std::borrow::Cow::Borrowed("The session id."),
    ty: ValueType::Secret,
    secret: true,
    ..ParamMeta::EMPTY
};

/// One problem with a request's parameters. Display gives a message a person can act on, naming
/// the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required parameter is absent.
    #[error("missing required parameter `{param}`")]
    Missing {
        /// Its wire name (`name-1` for an indexed parameter).
        param: String,
    },
    /// A parameter is absent that a condition makes required.
    #[error("missing parameter `{param}`: it is required {condition}")]
    MissingWhen {
        /// Its wire name (`name-1` for an indexed parameter).
        param: String,
        /// The condition that holds, in words ("when the TLD is `us`").
        condition: String,
    },
    /// The request has no such parameter.
    #[error("unknown parameter `{param}`")]
    Unknown {
        /// The name as given.
        param: String,
    },
    /// The value does not meet the parameter's type.
    #[error("parameter `{param}`: invalid {} `{}`: {}", error.kind, shown(value_shown), error.reason)]
    Invalid {
        /// The name as given.
        param: String,
        /// The value, or `***` for a secret parameter.
        value_shown: String,
        /// What is wrong with it (the reason does not repeat the value).
        error: ValueError,
    },
    /// An empty value where emptiness means nothing.
    #[error("parameter `{param}` is empty")]
    Empty {
        /// The name as given.
        param: String,
    },
    /// The same parameter given more than once (reported once per parameter).
    #[error("parameter `{param}` is given more than once")]
    Duplicate {
        /// The name as given the second time.
        param: String,
    },
    /// An exclusive group is violated.
    #[error("{message}")]
    Group {
        /// The group's name.
        group: String,
        /// What is wrong, naming the parameters.
        message: String,
    },
    /// An indexed parameter's index is outside `1..=max`.
    #[error("parameter `{param}` is out of range: at most {max} are allowed, numbered from 1")]
    TooMany {
        /// The name as given.
        param: String,
        /// The highest index allowed.
        max: u8,
    },
    /// A zone breaks a documented rule or cannot be written safely (one problem per entry
    /// and rule).
    #[error("parameter `{param}`: {problem}")]
    Zone {
        /// The name as given.
        param: String,
        /// The entry and what is wrong with it.
        problem: ZoneProblem,
    },
}

impl Problem {
    /// The parameter the problem is about, if it is about one.
    pub fn param(&self) -> Option<&str> {
        match self {
            Problem::Missing { param }
            | Problem::MissingWhen { param, .. }
            | Problem::Unknown { param }
            | Problem::Invalid { param, .. }
            | Problem::Empty { param }
            | Problem::Duplicate { param }
            | Problem::TooMany { param, .. }
            | Problem::Zone { param, .. } => Some(param),
            Problem::Group { .. } => None,
        }
    }
}

// Defined here, not in `meta`, so that `meta` does not depend on this module.
impl RequestMeta {
    /// A valid parameter set: every required parameter, the first alternative (without
    /// deprecated members) of each `exactly-one` group, and the parameters that conditions
    /// then require, each with its [`example_value`](ParamMeta::example_value). No session
    /// parameter.
    pub fn example_params(&self) -> Vec<(String, String)> {
        self.example_params_with(Vec::new())
    }

    /// [`example_params`](Self::example_params) around the parameters `given` (which win): e.g.
    /// `action=show`, completed with what that value makes required.
    pub fn example_params_with(&self, given: Vec<(String, String)>) -> Vec<(String, String)> {
        let mut params = given;
        let add = |params: &mut Vec<(String, String)>, p: &ParamMeta| {
            let name = match p.indexed {
                Some(_) => format!("{}-1", p.name),
                None => p.name.to_string(),
            };
            if !params.iter().any(|(n, _)| *n == name) {
                params.push((name, p.example_value().into_owned()));
            }
        };
        for p in self.params.iter().filter(|p| p.required) {
            add(&mut params, p);
        }
        for g in self
            .groups
            .iter()
            .filter(|g| g.kind == GroupKind::ExactlyOne)
        {
            let usable = |alt: &&crate::meta::Seq<crate::meta::Text>| {
                alt.iter()
                    .all(|m| self.param(m).is_some_and(|p| p.deprecated.is_none()))
            };
            let alt = g
                .alternatives
                .iter()
                .find(usable)
                .or(g.alternatives.first());
            for member in alt.into_iter().flat_map(|alt| alt.iter()) {
                if let Some(p) = self.param(member) {
                    add(&mut params, p);
                }
            }
        }
        // Conditions may chain (a value given makes another parameter required): repeat.
        for _ in 0..self.params.len() {
            let Err(problems) =
                validate(self, params.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            else {
                break;
            };
            let before = params.len();
            for problem in problems {
                if let Problem::MissingWhen { param, .. } = problem
                    && let Some(p) = self.param(&param)
                {
                    add(&mut params, p);
                }
            }
            if params.len() == before {
                break;
            }
        }
        params
    }
}

/// Validates raw wire parameters `(name, value)` against a request's metadata.
///
/// Finds unknown parameters (names are case-insensitive; the session parameter, `auth-sid`, is
/// allowed when `meta.session_param` names it), indexes out of range, duplicates, empty values (unless `allow_empty`), values
/// of the wrong type ([`ValueType::check`]), missing required parameters, parameters required by
/// a condition that holds (the TLD comes from `meta.tld_from`) and broken groups.
///
/// Returns ALL problems: first those of the given parameters, in the order they were given, then
/// missing parameters in the metadata's order, then group problems in the metadata's order.
pub fn validate<'a>(
    meta: &RequestMeta,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    // The first value given for each of `meta.params` (any index, for an indexed parameter).
    let mut given: Vec<Option<&'a str>> = vec![None; meta.params.len()];
    // (slot, index) pairs seen; slot `meta.params.len()` is `auth-sid`.
    let mut seen: Vec<(usize, u8)> = Vec::new();
    let mut reported_twice: Vec<(usize, u8)> = Vec::new();

    for (name, value) in params {
        let Some((slot, index, param)) = resolve(meta, name, &mut problems) else {
            continue;
        };
        let key = (slot, index);
        if seen.contains(&key) {
            if !reported_twice.contains(&key) {
                reported_twice.push(key);
                problems.push(Problem::Duplicate {
                    param: name.to_owned(),
                });
            }
            continue;
        }
        seen.push(key);
        if let Some(first) = given.get_mut(slot) {
            first.get_or_insert(value);
        }
        check_value(param, name, value, &mut problems);
    }

    check_missing(meta, &given, true, &mut problems);

    for group in meta.groups.iter() {
        check_group(
            group,
            |name| given_value(meta, &given, name).is_some(),
            &mut problems,
        );
    }

    into_result(problems)
}

/// Validates a form's parameters: [`validate`] of [`Form::iter`]. For forms built by hand
/// (the CLI's raw path, [`Client::send_raw`](crate::Client::send_raw)).
pub fn validate_form(meta: &RequestMeta, form: &Form) -> Result<(), Vec<Problem>> {
    validate(meta, form.iter())
}

/// `Ok` when there are no problems.
pub(crate) fn into_result(problems: Vec<Problem>) -> Result<(), Vec<Problem>> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The parameter a given wire name refers to, as `(slot, index, metadata)` (index 0 when not
/// indexed; slot `meta.params.len()` for the session parameter), or `None` after pushing
/// [`Problem::TooMany`] or [`Problem::Unknown`].
pub(crate) fn resolve<'m>(
    meta: &'m RequestMeta,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Option<(usize, u8, &'m ParamMeta)> {
    match meta.lookup(name) {
        Lookup::Found { slot, index } => meta
            .params
            .get(slot)
            .map(|param| (slot, index.unwrap_or(0), param)),
        Lookup::OutOfRange { max, .. } => {
            problems.push(Problem::TooMany {
                param: name.to_owned(),
                max,
            });
            None
        }
        Lookup::NotFound
            if meta
                .session_param
                .as_deref()
                .is_some_and(|p| name.eq_ignore_ascii_case(p)) =>
        {
            Some((meta.params.len(), 0, &SESSION_PARAM))
        }
        Lookup::NotFound => {
            problems.push(Problem::Unknown {
                param: name.to_owned(),
            });
            None
        }
    }
}

/// The rules of one value of `param`, given as `name`: a zone's documented rules, emptiness
/// (unless `allow_empty`), and the parameter's type ([`ValueType::check`]).
pub(crate) fn check_value(param: &ParamMeta, name: &str, value: &str, problems: &mut Vec<Problem>) {
    if param.ty == ValueType::Zone {
        // Zone rules say more than "empty" about an empty zone (the server's 2400).
        if let Err(err) = Zone::parse(value).validate() {
            problems.extend(zone_problems(name, err));
        }
        return;
    }
    if value.is_empty() {
        if !param.allow_empty {
            problems.push(Problem::Empty {
                param: name.to_owned(),
            });
        }
        return;
    }
    if let Err(error) = param.ty.check_bare(value) {
        problems.push(Problem::Invalid {
            param: name.to_owned(),
            value_shown: if param.secret { "***" } else { value }.to_owned(),
            error,
        });
    }
}

/// A zone's problems as [`Problem::Zone`]s of parameter `param`.
pub(crate) fn zone_problems(param: &str, err: ZoneError) -> impl Iterator<Item = Problem> + '_ {
    err.into_problems()
        .into_iter()
        .map(move |problem| Problem::Zone {
            param: param.to_owned(),
            problem,
        })
}

/// Parameters absent from `given` (the first value of each of `meta.params`, or `None`), in
/// the metadata's order: [`Problem::Missing`] for a required one (when `required` says to
/// report those), else [`Problem::MissingWhen`] for one that a condition which holds requires
/// (the TLD comes from `meta.tld_from`).
pub(crate) fn check_missing(
    meta: &RequestMeta,
    given: &[Option<&str>],
    required: bool,
    problems: &mut Vec<Problem>,
) {
    let value_of = |name: &str| given_value(meta, given, name);
    let tld = request_tld(meta, value_of);
    for (param, value) in meta.params.iter().zip(given) {
        if value.is_some() {
            continue;
        }
        if param.required {
            if required {
                problems.push(Problem::Missing {
                    param: wire_name(param),
                });
            }
        } else if let Some(condition) = param.required_when.iter().find(|c| c.holds(tld, value_of))
        {
            problems.push(Problem::MissingWhen {
                param: wire_name(param),
                condition: condition.describe(),
            });
        }
    }
}

/// Problems joined by `; `, for messages.
pub(crate) fn join(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The request's TLD: the `tld_from` parameter's value, or its last label for a domain.
fn request_tld<'a>(
    meta: &RequestMeta,
    value_of: impl Fn(&str) -> Option<&'a str>,
) -> Option<&'a str> {
    let from = meta.tld_from.as_deref()?;
    let value = value_of(from)?;
    let is_domain = slot_of(meta, from)
        .and_then(|slot| meta.params.get(slot))
        .is_some_and(|p| p.ty == ValueType::Domain);
    let tld = if is_domain {
        value.rsplit('.').next().unwrap_or(value)
    } else {
        value
    };
    Some(tld.trim_start_matches('.'))
}

/// The first value in `given` of the parameter the metadata calls `name`: groups, conditions
/// and `tld_from` name parameters by their base names.
fn given_value<'a>(meta: &RequestMeta, given: &[Option<&'a str>], name: &str) -> Option<&'a str> {
    slot_of(meta, name).and_then(|slot| given.get(slot).copied().flatten())
}

/// The position of the parameter the metadata calls `name` (case-insensitive).
fn slot_of(meta: &RequestMeta, name: &str) -> Option<usize> {
    meta.params
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))
}

/// The wire name to ask for when a parameter is missing.
fn wire_name(param: &ParamMeta) -> String {
    match param.indexed {
        Some(_) => format!("{}-1", param.name),
        None => param.name.to_string(),
    }
}

fn check_group(group: &GroupMeta, present: impl Fn(&str) -> bool, problems: &mut Vec<Problem>) {
    // Alternatives may share members (`ip`, `ipv6`, or `ip` with `ipv6`): the given members
    // forming exactly one alternative is always right.
    let members = || group.alternatives.iter().flat_map(|alt| alt.iter());
    let exact = group.alternatives.iter().any(|alt| {
        alt.iter().all(|p| present(p)) && members().all(|m| alt.contains(m) || !present(m))
    });
    if exact {
        return;
    }
    let chosen: Vec<&[Text]> = group
        .alternatives
        .iter()
        .map(|alt| &**alt)
        .filter(|alt| alt.iter().any(|p| present(p)))
        .collect();
    let problem = |message: String| Problem::Group {
        group: group.name.to_string(),
        message,
    };
    let how_many = match group.kind {
        GroupKind::ExactlyOne => "exactly one",
        GroupKind::AtMostOne => "at most one",
    };
    let all = describe_alternatives(group.alternatives.iter().map(|alt| &**alt), " or ");
    match (group.kind, chosen.len()) {
        (GroupKind::ExactlyOne, 0) => {
            problems.push(problem(format!("give {how_many} of {all}")));
        }
        (_, 0 | 1) => {}
        _ => problems.push(problem(format!(
            "{} exclude each other: give {how_many} of {all}",
            describe_alternatives(chosen.iter().copied(), " and ")
        ))),
    }
    for alt in chosen {
        let (given, missing): (Vec<&str>, Vec<&str>) =
            alt.iter().map(|p| &**p).partition(|p| present(p));
        if !missing.is_empty() {
            problems.push(problem(format!(
                "{} needs {} too",
                ticked(&given),
                ticked(&missing)
            )));
        }
    }
}

/// "`a` or `b` with `c`": alternatives joined by `joiner`, an alternative's parameters by "with".
fn describe_alternatives<'s>(
    alternatives: impl Iterator<Item = &'s [Text]>,
    joiner: &str,
) -> String {
    alternatives
        .map(|alt| {
            alt.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(" with ")
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// "`a`" or "`a` and `b`".
fn ticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}
