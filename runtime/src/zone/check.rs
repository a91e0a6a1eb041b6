//! The documented zone rules, checked before a zone is sent (the sandbox enforces the same).

use super::read::typed;
use super::syntax::Field;
use super::write::{describe_entry, entry_into};
use super::{Directive, Entry, Record, RecordData, Zone, ZoneProblem};

/// The lowest TTL the docs allow, except 0 for NAPTR and SRV.
pub(super) const MIN_TTL: u32 = 60;

/// Every problem of `zone`, in line order; the empty zone is one problem without a line.
pub(super) fn zone(zone: &Zone) -> Vec<ZoneProblem> {
    let mut problems = Vec::new();
    if zone.is_empty() {
        problems.push(ZoneProblem {
            line: None,
            record: String::new(),
            message: "the zone is empty: the server refuses it (status 2400)".into(),
        });
    }
    let mut line = String::new();
    for (i, entry) in zone.entries.iter().enumerate() {
        line.clear();
        let mut report = |message: String, line: &str| {
            problems.push(ZoneProblem {
                line: Some(i + 1),
                record: match entry {
                    Entry::Directive(Directive::Dyndns(_)) => describe_entry(entry),
                    _ => line.to_owned(),
                },
                message,
            });
        };
        if let Err(message) = entry_into(&mut line, entry) {
            let shown = describe_entry(entry);
            report(message, &shown);
            continue;
        }
        match entry {
            Entry::Record(r) => {
                for message in record(r) {
                    report(message, &line);
                }
            }
            Entry::Directive(Directive::Dyndns(d)) if d.password.expose().contains(':') => {
                report(
                    "the DynDNS password contains `:`, which the docs do not allow".into(),
                    &line,
                );
            }
            _ => {}
        }
    }
    problems
}

/// The rules one record breaks.
fn record(r: &Record) -> Vec<String> {
    let mut problems = Vec::new();
    let zero_allowed = matches!(r.data, RecordData::Naptr(_) | RecordData::Srv(_))
        || matches!(&r.data, RecordData::Other(g) if g.record_type == "NAPTR" || g.record_type == "SRV");
    if r.ttl < MIN_TTL && !(r.ttl == 0 && zero_allowed) {
        problems.push(format!(
            "TTL {} is below {MIN_TTL} (only NAPTR and SRV records may use 0, for no caching)",
            r.ttl
        ));
    }
    match &r.data {
        RecordData::Naptr(n) if !n.regex.is_empty() && n.replacement != "." => {
            problems.push(
                "NAPTR has both a replacement and a regex: with a regex, the replacement must \
                 be `.`"
                    .into(),
            );
        }
        RecordData::Other(g) => {
            let params: Vec<Field<'_>> = g.params.iter().map(Field::from).collect();
            let pri = Field::bare(&g.priority);
            if let Some(Err(reason)) = typed(&g.record_type, pri, (&g.target).into(), &params) {
                problems.push(format!(
                    "not a {} record as the docs describe it: {reason}",
                    g.record_type
                ));
            }
        }
        _ => {}
    }
    problems
}
