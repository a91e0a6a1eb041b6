//! How a [`ZoneDiff`] is shown: diff-like lines for people (`+`, `-`, `~`, colour on request)
//! and a JSON report for scripts.

use dmapi::zone::{Directive, Record, RecordData};
use serde_json::{Value, json};

use crate::zone_diff::{Change, ZoneDiff};

impl<T> Change<T> {
    fn word(&self) -> &'static str {
        match self {
            Change::Added(_) => "added",
            Change::Removed(_) => "removed",
            Change::Changed { .. } => "changed",
        }
    }
}

impl ZoneDiff {
    /// The changes for people, one line per side, `+` added, `-` removed, `~` changed (its new
    /// content on the next line after `->`), with ANSI colours if `color`.
    pub(crate) fn to_human(&self, color: bool) -> String {
        let paint = |code: &str, text: String| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m\n")
            } else {
                text + "\n"
            }
        };
        let mut out = String::new();
        let mut show = |change: Change<String>| match change {
            Change::Added(line) => out.push_str(&paint("32", format!("+ {line}"))),
            Change::Removed(line) => out.push_str(&paint("31", format!("- {line}"))),
            Change::Changed { old, new } => {
                out.push_str(&paint("33", format!("~ {old}")));
                out.push_str(&paint("33", format!("  -> {new}")));
            }
        };
        for c in &self.directives {
            let mut shown = map(c, Directive::shown);
            if let Change::Changed { old, new } = &mut shown
                && old == new
            {
                new.push_str("    (the DynDNS password changes)");
            }
            show(shown);
        }
        for c in &self.records {
            show(map(c, record_line));
        }
        for d in &self.dropped {
            show(Change::Removed(format!(
                "{}    (a line dmapi cannot read: {})",
                d.text, d.reason
            )));
        }
        out
    }

    /// The changes as JSON: a list of `{"change", "kind", ...}` objects (`kind` is `directive`,
    /// `record` or `line`; `old` and `new` as the change has them), and counts.
    pub(crate) fn to_json(&self) -> Value {
        let mut changes = Vec::new();
        for c in &self.directives {
            let name = match c {
                Change::Added(d) | Change::Removed(d) | Change::Changed { new: d, .. } => d.name(),
            };
            let mut o = json!({"change": c.word(), "kind": "directive", "name": name});
            sides(&mut o, &map(c, |d| json!(d.shown())));
            changes.push(o);
        }
        for c in &self.records {
            let r = match c {
                Change::Added(r) | Change::Removed(r) | Change::Changed { new: r, .. } => r,
            };
            let mut o = json!({
                "change": c.word(),
                "kind": "record",
                "label": r.label,
                "type": r.record_type(),
            });
            sides(&mut o, &map(c, record_json));
            changes.push(o);
        }
        for d in &self.dropped {
            changes.push(json!({
                "change": "removed",
                "kind": "line",
                "old": d.text,
                "reason": d.reason,
            }));
        }
        let n = self.counts();
        json!({
            "pending": !self.is_empty(),
            "summary": {"added": n.added, "removed": n.removed, "changed": n.changed},
            "changes": changes,
        })
    }
}

/// Sets `old` and `new` on a JSON change object.
fn sides(o: &mut Value, c: &Change<Value>) {
    let (old, new) = match c {
        Change::Added(n) => (None, Some(n)),
        Change::Removed(o) => (Some(o), None),
        Change::Changed { old, new } => (Some(old), Some(new)),
    };
    for (key, v) in [("old", old), ("new", new)] {
        if let (Some(v), Some(obj)) = (v, o.as_object_mut()) {
            obj.insert(key.to_owned(), v.clone());
        }
    }
}

fn map<T, U>(c: &Change<T>, f: impl Fn(&T) -> U) -> Change<U> {
    match c {
        Change::Added(x) => Change::Added(f(x)),
        Change::Removed(x) => Change::Removed(f(x)),
        Change::Changed { old, new } => Change::Changed {
            old: f(old),
            new: f(new),
        },
    }
}

/// A record as a zone line (the canonical form).
fn record_line(r: &Record) -> String {
    r.to_line()
        .unwrap_or_else(|why| format!("{} {} ({why})", r.label, r.record_type()))
}

/// A record's `pri` field: the MX preference, `priority/weight` for SRV, `order/preference`
/// for NAPTR, `0` for the others.
fn priority(r: &Record) -> String {
    match &r.data {
        RecordData::Mx { priority, .. } => priority.to_string(),
        RecordData::Srv(s) => format!("{}/{}", s.priority, s.weight),
        RecordData::Naptr(n) => format!("{}/{}", n.order, n.preference),
        RecordData::Other(g) => g.priority.clone(),
        _ => "0".to_owned(),
    }
}

fn record_json(r: &Record) -> Value {
    json!({
        "value": r.value(),
        "priority": priority(r),
        "ttl": r.ttl,
        "line": record_line(r),
    })
}

#[cfg(test)]
mod tests {
    use dmapi::Zone;

    use super::*;

    fn diff(live: &str, new: &str) -> ZoneDiff {
        ZoneDiff::between(&Zone::parse(live), &Zone::parse(new))
    }

    const LIVE: &str = "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 86400\nwww CNAME 0 example.com 86400\n@ MX 10 mail.example.com 86400\n";

    #[test]
    fn colour_only_when_asked() {
        let d = diff(
            "@ A 0 192.0.2.1 300\n",
            "@ A 0 192.0.2.2 300\nx A 0 192.0.2.3 300\n",
        );
        assert!(!d.to_human(false).contains('\x1b'));
        let c = d.to_human(true);
        assert!(c.contains("\x1b[33m~ @ A 0 192.0.2.1 300\x1b[0m"), "{c}");
        assert!(c.contains("\x1b[32m+ x A 0 192.0.2.3 300\x1b[0m"), "{c}");
    }

    #[test]
    fn the_json_report_has_a_shape_scripts_can_use() {
        let new = "$dnssec=yes\n@ A 0 192.0.2.9 600\n@ MX 10 mail.example.com 86400\n_s._tcp SRV 10/5 sip.example.com:5060 300\n";
        let j = diff(LIVE, new).to_json();
        assert_eq!(j["pending"], true);
        assert_eq!(
            j["summary"],
            json!({"added": 1, "removed": 2, "changed": 2})
        );
        let changes = j["changes"].as_array().cloned().unwrap_or_default();
        assert_eq!(changes.len(), 5);
        assert_eq!(
            changes[0],
            json!({"change": "changed", "kind": "directive", "name": "dnssec", "old": "$dnssec=no", "new": "$dnssec=yes"})
        );
        assert_eq!(
            changes[1],
            json!({"change": "removed", "kind": "directive", "name": "dyndns", "old": "$dyndns=no::"})
        );
        assert_eq!(changes[2]["kind"], "record");
        assert_eq!(changes[2]["label"], "@");
        assert_eq!(changes[2]["type"], "A");
        assert_eq!(
            changes[2]["old"],
            json!({"value": "192.0.2.1", "priority": "0", "ttl": 86400, "line": "@ A 0 192.0.2.1 86400"})
        );
        assert_eq!(changes[2]["new"]["ttl"], 600);
        assert_eq!(changes[3]["change"], "removed");
        assert!(changes[3].get("new").is_none());
        assert_eq!(changes[4]["change"], "added");
        assert_eq!(changes[4]["new"]["priority"], "10/5");
        assert_eq!(changes[4]["new"]["value"], "sip.example.com:5060");
        assert!(changes[4].get("old").is_none());
    }
}
