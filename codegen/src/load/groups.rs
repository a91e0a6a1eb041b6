//! Parameter groups: mutually exclusive alternatives of optional parameters.

use std::collections::BTreeMap;

use super::decl::{GroupDecl, RequestDecl, Str};
use super::located::{Group, Param, group};
use super::params::GatheredGroup;
use super::suggest::hint;
use super::types::check_variants;
use crate::diag::{Loc, Sink};
use crate::ident;
use crate::model::GroupKind;

/// Member name -> (its group, where it first appears).
type Members = BTreeMap<String, (String, Loc)>;

/// Resolves the groups a request sees, against its resolved parameters.
pub(crate) fn resolve_groups(
    sink: &mut Sink<'_>,
    r: &RequestDecl,
    gathered: &[GatheredGroup<'_>],
    params: &[Param],
) -> Vec<Group> {
    let mut members = Members::new();
    gathered
        .iter()
        .filter_map(|(g, optional)| resolve_group(sink, r, g, *optional, params, &mut members))
        .collect()
}

fn resolve_group(
    sink: &mut Sink<'_>,
    r: &RequestDecl,
    g: &GroupDecl,
    optional: bool,
    params: &[Param],
    members: &mut Members,
) -> Option<Group> {
    let kind = match g.kind.value.as_str() {
        "exactly-one" if optional => GroupKind::AtMostOne,
        "exactly-one" => GroupKind::ExactlyOne,
        "at-most-one" => GroupKind::AtMostOne,
        other => {
            sink.error(
                &g.kind.loc,
                format!("unknown group kind `{other}` (expected `exactly-one` or `at-most-one`)"),
            );
            return None;
        }
    };
    if ident::pascal_case(&g.name.value).is_none() {
        sink.error(
            &g.name.loc,
            format!("group name `{}` has no letters or digits", g.name.value),
        );
    }
    if g.alternatives.len() < 2 {
        sink.error(
            &g.name.loc,
            format!("group `{}` needs at least two alternatives", g.name.value),
        );
    }
    let mut alternatives: Vec<Vec<String>> = Vec::new();
    for alt in &g.alternatives {
        if alt.is_empty() {
            sink.error(
                &g.name.loc,
                format!("group `{}` has an empty alternative", g.name.value),
            );
        }
        for m in alt {
            check_member(sink, r, g, m, params);
            claim_member(sink, g, m, members);
        }
        let names: Vec<String> = alt.iter().map(|m| m.value.clone()).collect();
        if alternatives.iter().any(|a| same_set(a, &names)) {
            let mut set = names.clone();
            set.sort();
            sink.error(
                &g.name.loc,
                format!(
                    "group `{}` lists the alternative `{}` twice",
                    g.name.value,
                    set.join("` with `")
                ),
            );
        }
        alternatives.push(names);
    }
    let variants: Vec<Str> = g
        .alternatives
        .iter()
        .filter_map(|a| {
            Some(Str {
                value: a
                    .iter()
                    .map(|m| m.value.as_str())
                    .collect::<Vec<_>>()
                    .join("-"),
                loc: a.first()?.loc.clone(),
            })
        })
        .collect();
    check_variants(sink, variants.iter(), "group alternative");
    Some(group(
        &g.name.value,
        g.name.loc.clone(),
        kind,
        alternatives,
        &g.doc,
    ))
}

/// The same members, in any order.
fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// A member must be an optional, unindexed parameter of the request.
fn check_member(sink: &mut Sink<'_>, r: &RequestDecl, g: &GroupDecl, m: &Str, params: &[Param]) {
    match params.iter().find(|p| p.name == m.value) {
        None => {
            let names: Vec<&str> = params.iter().map(|p| &*p.name).collect();
            sink.error(
                &m.loc,
                format!(
                    "group `{}` names `{}`, which is not a parameter of `{}`{}",
                    g.name.value,
                    m.value,
                    r.name.value,
                    hint(&m.value, &names)
                ),
            );
        }
        Some(p) if p.required => sink.error(
            &m.loc,
            format!(
                "`{}` is in group `{}` and must be declared in `accepts`, not `requires` (the group says whether it is needed)",
                m.value, g.name.value
            ),
        ),
        Some(p) if p.indexed.is_some() => sink.error(
            &m.loc,
            format!("indexed parameter `{}` cannot be in a group", m.value),
        ),
        Some(_) => {}
    }
}

/// A parameter belongs to one group (alternatives of one group may share members: `ip`,
/// `ipv6`, or both).
fn claim_member(sink: &mut Sink<'_>, g: &GroupDecl, m: &Str, members: &mut Members) {
    let other_group = members
        .get(&m.value)
        .filter(|(group, _)| *group != g.name.value)
        .map(|(_, loc)| loc.clone());
    members
        .entry(m.value.clone())
        .or_insert_with(|| (g.name.value.clone(), m.loc.clone()));
    if let Some(first) = other_group {
        sink.error(
            &m.loc,
            format!(
                "`{}` is in more than one group (also at {})",
                m.value,
                sink.describe(&first)
            ),
        );
    }
}
