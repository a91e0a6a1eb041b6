//! Rust name checks of the generated items: kept apart, as they are, until a planning pass
//! replaces them.

use std::collections::BTreeMap;

use crate::diag::{Loc, Sink};
use crate::ident;
use crate::model::*;

/// Method names a parameter's setter must not take.
pub(crate) const RESERVED_METHODS: &[&str] = &[
    "new",
    "encode",
    "meta",
    "parse_output",
    "to_form",
    "validate",
];

/// Names the generated crate root already has (re-exported from the runtime).
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Request",
    "Requests",
    "Client",
    "ClientBuilder",
    "Call",
    "Dmapi",
    "Protocol",
    "Response",
    "Completion",
    "CompletionStatus",
    "Credentials",
    "PollPolicy",
    "SessionInfo",
    "Error",
    "ApiError",
    "StatusCode",
    "Form",
    "Envelope",
    "EnvelopeError",
    "OutputError",
    "Submitted",
    "KeyValues",
    "Results",
    "ResultRow",
    "ResultStatus",
    "ToWire",
    "FromWire",
    "ValueError",
    "DomainName",
    "Handle",
    "Email",
    "Pattern",
    "CountryCode",
    "LanguageCode",
    "Date",
    "Months",
    "Year",
    "Price",
    "Secret",
    "Table",
    "Row",
    "Problem",
];

/// Every generated type name must be unique (group enums may be shared when identical).
pub(crate) fn check_rust_names(sink: &mut Sink<'_>, requests: &[Request], enums: &[NamedEnum]) {
    let mut names: BTreeMap<String, (Loc, String)> = BTreeMap::new();
    let mut claim = |sink: &mut Sink<'_>, name: Option<String>, loc: &Loc, what: String| {
        let Some(name) = name else { return };
        if RESERVED_TYPES.contains(&name.as_str()) {
            sink.error(
                loc,
                format!(
                    "{what} would be named `{name}`, which the crate already uses (runtime type)"
                ),
            );
            return;
        }
        if let Some((first, fwhat)) = names.get(&name) {
            sink.error(
                loc,
                format!(
                    "{what} would be named `{name}`, like {fwhat} at {}",
                    sink.describe(first)
                ),
            );
        } else {
            names.insert(name, (loc.clone(), what));
        }
    };
    let mut groups_seen: BTreeMap<String, (&Group, &Request)> = BTreeMap::new();
    for r in requests {
        let base = ident::pascal_case(&r.name);
        claim(sink, base.clone(), &r.loc, format!("request `{}`", r.name));
        if r.alias_of.is_some() {
            continue;
        }
        let base = base.unwrap_or_default();
        for p in &r.params {
            if let Type::Enum { name: None, .. } = p.ty {
                claim(
                    sink,
                    ident::pascal_case(&format!("{}-{}", r.name, p.name)),
                    &p.loc,
                    format!("the enum of `{}`", p.name),
                );
            }
        }
        match r.returns.body {
            Body::Table => claim(
                sink,
                Some(format!("{base}Row")),
                &r.loc,
                format!("the row type of `{}`", r.name),
            ),
            Body::KeyValue if !r.returns.keys.is_empty() || !r.returns.headers.is_empty() => claim(
                sink,
                Some(format!("{base}Output")),
                &r.loc,
                format!("the output type of `{}`", r.name),
            ),
            _ if !r.returns.headers.is_empty() => claim(
                sink,
                Some(format!("{base}Output")),
                &r.loc,
                format!("the output type of `{}`", r.name),
            ),
            _ => {}
        }
        for f in r
            .returns
            .columns
            .iter()
            .chain(r.returns.extra_columns.iter().flat_map(|e| &e.columns))
            .chain(&r.returns.keys)
            .chain(&r.returns.headers)
        {
            if let Type::Enum { .. } = f.ty {
                claim(
                    sink,
                    ident::pascal_case(&format!("{}-{}", r.name, f.field)),
                    &f.loc,
                    format!("the enum of `{}`", f.name),
                );
            }
        }
        for g in &r.groups {
            let gname = ident::pascal_case(&g.name).unwrap_or_default();
            match groups_seen.get(&gname) {
                Some((first, fr)) => {
                    let same_shape = first.alternatives == g.alternatives
                        && g.alternatives
                            .iter()
                            .flatten()
                            .all(|m| fr.param(m).map(|p| &p.ty) == r.param(m).map(|p| &p.ty));
                    if !same_shape {
                        sink.error(
                            &g.loc,
                            format!("group `{}` has a different shape than the group of the same name at {}; rename one", g.name, sink.describe(&first.loc)),
                        );
                    }
                }
                None => {
                    claim(
                        sink,
                        Some(gname.clone()),
                        &g.loc,
                        format!("group `{}`", g.name),
                    );
                    groups_seen.insert(gname, (g, r));
                }
            }
        }
    }
    for e in enums {
        let used = requests.iter().flat_map(|r| &r.params).find(|p| matches!(&p.ty, Type::Enum { name: Some(n), .. } if *n == e.name)
            || matches!(&p.ty, Type::List { item, .. } if matches!(item.as_ref(), Type::Enum { name: Some(n), .. } if *n == e.name)));
        if let Some(p) = used {
            claim(
                sink,
                ident::pascal_case(&e.name),
                &p.loc,
                format!("the named enum `{}`", e.name),
            );
        }
    }
}
