//! `registry_tlds` and `registry_days` on a date column: the TLDs whose dates the server
//! reports off the registry's (.eu expiration dates a day late in query-domain-list). The row
//! then has a method that gives the registry's date, by the row's domain.

use super::decl::FieldDecl;
use super::located::{Field, seq, text};
use crate::diag::{Loc, Sink};
use crate::model::{RegistryDate, ValueType};

/// The registry dates of column `f` of type `ty` (`what` is the kind of field).
pub(super) fn registry(
    sink: &mut Sink<'_>,
    f: &FieldDecl,
    what: &str,
    ty: &ValueType,
) -> Option<RegistryDate> {
    let (tlds, days) = &f.registry;
    let at = tlds.as_ref().and_then(|t| t.first()).map(|t| &t.loc);
    let at = at.or(days.as_ref().map(|d| &d.1))?;
    let problem = if what != "column" {
        Some(format!(
            "registry dates only apply to table columns, not to a {what}"
        ))
    } else if *ty != ValueType::Date {
        Some(format!(
            "registry dates need a `date` column, and `{}` is not one",
            f.name.value
        ))
    } else {
        None
    };
    for t in tlds.iter().flatten() {
        let ok = !t.value.is_empty()
            && t.value.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !ok {
            let why = format!("`{}` is not a TLD (lowercase, no leading dot)", t.value);
            sink.error(&t.loc, why);
        }
    }
    let (tlds, days) = match (tlds, days, problem) {
        (_, _, Some(why)) => {
            sink.error(at, why);
            return None;
        }
        (Some(tlds), Some((days, loc)), None) => {
            if *days == 0 || days.abs() > 366 {
                sink.error(
                    loc,
                    "`registry_days` is a day count from -366 to 366, not 0",
                );
                return None;
            }
            (tlds, *days)
        }
        _ => {
            let why = "`registry_tlds` and `registry_days` are given together";
            sink.error(at, why);
            return None;
        }
    };
    Some(RegistryDate {
        tlds: seq(tlds.iter().map(|t| text(&t.value))),
        days,
    })
}

/// A table with registry dates names its domain in a base column of type `domain`.
pub(super) fn check_domain_column(sink: &mut Sink<'_>, base: &[Field], all: &[&Field]) {
    let Some(dated) = all.iter().find(|c| c.meta.registry.is_some()) else {
        return;
    };
    if !base.iter().any(|c| c.meta.ty == ValueType::Domain) {
        let at: &Loc = &dated.loc;
        let why = format!(
            "column `{}` has registry dates by TLD, so the table needs a `domain` column",
            dated.meta.name
        );
        sink.error(at, why);
    }
}
