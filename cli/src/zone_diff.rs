//! What putting a zone would change, compared with the live zone: records as a multiset keyed by
//! (label, type), directives by name, and the live zone's lines that cannot be read (a put
//! drops them). The order of lines and blank lines are not changes.
//!
//! Within one key, records with the same content (value, priority, TTL, validity) on both sides
//! are unchanged; of the others, records with the same value are paired as changed (a new TTL or
//! priority), and if exactly one record is left on each side, those two are paired as well;
//! anything left over is removed or added.

use dmapi::zone::{Directive, Entry, Record, Zone};

/// One change of an item: a record or a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change<T> {
    /// Only in the new zone.
    Added(T),
    /// Only in the live zone.
    Removed(T),
    /// In both, with another content.
    Changed {
        /// The live one.
        old: T,
        /// The new one.
        new: T,
    },
}

/// A live line the zone model cannot read: putting the new zone drops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DroppedLine {
    /// The line as shown (a `$dyndns` line's value hidden).
    pub(crate) text: String,
    /// Why the model cannot read it.
    pub(crate) reason: String,
}

/// The changes from the live zone to a new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ZoneDiff {
    /// Directive changes, in the order their names first appear.
    pub(crate) directives: Vec<Change<Directive>>,
    /// Record changes, grouped by (label, type) in the order the keys first appear (live zone
    /// first); within a key: changed, removed, added.
    pub(crate) records: Vec<Change<Record>>,
    /// Live lines the model cannot read, which a put drops.
    pub(crate) dropped: Vec<DroppedLine>,
    /// How many records the live zone has.
    pub(crate) live_records: usize,
}

/// How many changes of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Added records and directives.
    pub(crate) added: usize,
    /// Removed records and directives, and dropped lines.
    pub(crate) removed: usize,
    /// Changed records and directives.
    pub(crate) changed: usize,
}

impl Counts {
    /// All changes.
    pub(crate) fn total(self) -> usize {
        self.added + self.removed + self.changed
    }
}

/// The smallest zone the one-third guard protects.
pub(crate) const GUARD_MIN_RECORDS: usize = 10;

impl ZoneDiff {
    /// The changes that putting `new` would make to `live`.
    pub(crate) fn between(live: &Zone, new: &Zone) -> ZoneDiff {
        let live_records: Vec<&Record> = live.records().collect();
        let new_records: Vec<&Record> = new.records().collect();
        let live_directives: Vec<&Directive> = live.directives().collect();
        let new_directives: Vec<&Directive> = new.directives().collect();
        let dropped = live
            .entries()
            .iter()
            .filter_map(|e| match e {
                Entry::Unparsed(u) => Some(DroppedLine {
                    text: u.shown(),
                    reason: u.reason().to_owned(),
                }),
                _ => None,
            })
            .collect();
        ZoneDiff {
            directives: compare(
                &live_directives,
                &new_directives,
                |d| d.name().to_ascii_lowercase(),
                |a, b| a == b,
                |_, _| false,
            ),
            records: compare(
                &live_records,
                &new_records,
                |r| (r.label.to_ascii_lowercase(), r.record_type().to_owned()),
                same_content,
                |a, b| a.value() == b.value(),
            ),
            dropped,
            live_records: live_records.len(),
        }
    }

    /// Whether nothing would change.
    pub(crate) fn is_empty(&self) -> bool {
        self.directives.is_empty() && self.records.is_empty() && self.dropped.is_empty()
    }

    /// The changes, by kind.
    pub(crate) fn counts(&self) -> Counts {
        let mut c = Counts {
            removed: self.dropped.len(),
            ..Counts::default()
        };
        let mut tally = |added: bool, removed: bool| match (added, removed) {
            (true, _) => c.added += 1,
            (_, true) => c.removed += 1,
            _ => c.changed += 1,
        };
        for d in &self.directives {
            tally(
                matches!(d, Change::Added(_)),
                matches!(d, Change::Removed(_)),
            );
        }
        for r in &self.records {
            tally(
                matches!(r, Change::Added(_)),
                matches!(r, Change::Removed(_)),
            );
        }
        c
    }

    /// How many live records would be removed (changed ones are not counted).
    pub(crate) fn removed_records(&self) -> usize {
        self.records
            .iter()
            .filter(|c| matches!(c, Change::Removed(_)))
            .count()
    }

    /// Whether the change removes more than a third of a zone of at least
    /// [`GUARD_MIN_RECORDS`] records (`apply` wants `--force` then).
    pub(crate) fn removes_too_much(&self) -> bool {
        self.live_records >= GUARD_MIN_RECORDS && self.removed_records() * 3 > self.live_records
    }
}

/// Compares two lists as multisets per key: equal items cancel out; of the rest, items that
/// `pairs` says belong together are changed, and a last single item on each side is changed
/// too; the others are removed or added.
fn compare<T: Clone, K: PartialEq>(
    live: &[&T],
    new: &[&T],
    key: impl Fn(&T) -> K,
    same: impl Fn(&T, &T) -> bool,
    pairs: impl Fn(&T, &T) -> bool,
) -> Vec<Change<T>> {
    let mut keys: Vec<K> = Vec::new();
    for item in live.iter().chain(new) {
        let k = key(item);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut out = Vec::new();
    for k in &keys {
        let mut old: Vec<&T> = live.iter().copied().filter(|x| key(x) == *k).collect();
        let mut fresh: Vec<&T> = new.iter().copied().filter(|x| key(x) == *k).collect();
        old.retain(|o| match fresh.iter().position(|n| same(o, n)) {
            Some(i) => {
                fresh.remove(i);
                false
            }
            None => true,
        });
        let mut changed = Vec::new();
        old.retain(|o| match fresh.iter().position(|n| pairs(o, n)) {
            Some(i) => {
                changed.push((*o, fresh.remove(i)));
                false
            }
            None => true,
        });
        if let ([o], [n]) = (old.as_slice(), fresh.as_slice()) {
            changed.push((*o, *n));
            old.clear();
            fresh.clear();
        }
        out.extend(changed.into_iter().map(|(o, n)| Change::Changed {
            old: o.clone(),
            new: n.clone(),
        }));
        out.extend(old.into_iter().map(|o| Change::Removed(o.clone())));
        out.extend(fresh.into_iter().map(|n| Change::Added(n.clone())));
    }
    out
}

/// Records of one key with the same content: everything but the label's case.
fn same_content(a: &Record, b: &Record) -> bool {
    a.ttl == b.ttl && a.valid_from == b.valid_from && a.valid_to == b.valid_to && a.data == b.data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(live: &str, new: &str) -> ZoneDiff {
        ZoneDiff::between(&Zone::parse(live), &Zone::parse(new))
    }

    fn lines(d: &ZoneDiff) -> Vec<String> {
        d.to_human(false).lines().map(str::to_owned).collect()
    }

    const LIVE: &str = "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 86400\nwww CNAME 0 example.com 86400\n@ MX 10 mail.example.com 86400\n";

    #[test]
    fn the_same_zone_reordered_with_blank_lines_and_the_served_txt_form_is_no_change() {
        let live = format!("{LIVE}_a TXT 0  \"v=1 x \" 300\n");
        let new = "@ MX 10 mail.example.com 86400\n\nWWW CNAME 0 example.com 86400\n$dyndns=no::\n_a TXT 0 \"v=1 x\" 300\n@ A 0 192.0.2.1 86400\n$dnssec=no\n";
        let d = diff(&live, new);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.counts().total(), 0);
        assert_eq!(d.to_human(false), "");
        assert_eq!(d.to_json()["pending"], false);
    }

    #[test]
    fn an_added_a_removed_and_a_changed_record() {
        let new = "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.9 86400\n@ MX 10 mail.example.com 86400\nnew TXT 0 \"hello world\" 300\n";
        let d = diff(LIVE, new);
        assert_eq!(
            lines(&d),
            [
                "~ @ A 0 192.0.2.1 86400",
                "  -> @ A 0 192.0.2.9 86400",
                "- www CNAME 0 example.com 86400",
                "+ new TXT 0 \"hello world\" 300",
            ]
        );
        assert_eq!(
            d.counts(),
            Counts {
                added: 1,
                removed: 1,
                changed: 1
            }
        );
    }

    #[test]
    fn records_with_the_same_value_pair_up_as_changed_and_the_rest_are_removed_or_added() {
        let live = "@ A 0 192.0.2.1 300\n@ A 0 192.0.2.2 300\n@ A 0 192.0.2.3 300\n";
        // .1 keeps its content, .2 gets a TTL, .3 goes and .4 and .5 come: two on the new
        // side against one, so they are not paired.
        let new =
            "@ A 0 192.0.2.1 300\n@ A 0 192.0.2.2 600\n@ A 0 192.0.2.4 300\n@ A 0 192.0.2.5 300\n";
        assert_eq!(
            lines(&diff(live, new)),
            [
                "~ @ A 0 192.0.2.2 300",
                "  -> @ A 0 192.0.2.2 600",
                "- @ A 0 192.0.2.3 300",
                "+ @ A 0 192.0.2.4 300",
                "+ @ A 0 192.0.2.5 300",
            ]
        );
        // One left on each side: changed.
        let new = "@ A 0 192.0.2.1 300\n@ A 0 192.0.2.2 300\n@ A 0 192.0.2.7 300\n";
        assert_eq!(
            lines(&diff(live, new)),
            ["~ @ A 0 192.0.2.3 300", "  -> @ A 0 192.0.2.7 300"]
        );
    }

    #[test]
    fn duplicates_count_as_a_multiset_and_labels_and_types_are_their_own_keys() {
        let live = "@ A 0 192.0.2.1 300\n";
        let new = "@ A 0 192.0.2.1 300\n@ A 0 192.0.2.1 300\nwww A 0 192.0.2.1 300\n";
        assert_eq!(
            lines(&diff(live, new)),
            ["+ @ A 0 192.0.2.1 300", "+ www A 0 192.0.2.1 300"]
        );
        // Another type under the same label is not a change of the A record.
        let new = "@ AAAA 0 2001:db8::1 300\n";
        assert_eq!(
            lines(&diff(live, new)),
            ["- @ A 0 192.0.2.1 300", "+ @ AAAA 0 2001:db8::1 300"]
        );
        // An MX with a new preference is a change of the same record.
        let d = diff(
            "@ MX 10 mx.example.com 300\n",
            "@ MX 20 mx.example.com 300\n",
        );
        assert_eq!(d.counts().changed, 1);
    }

    #[test]
    fn directive_changes_show_and_the_dyndns_password_does_not() {
        let new = "$dnssec=yes\n$dyndns=yes:me:s3cret\n$ttl=1\n@ A 0 192.0.2.1 86400\nwww CNAME 0 example.com 86400\n@ MX 10 mail.example.com 86400\n";
        let d = diff(LIVE, new);
        assert_eq!(
            lines(&d),
            [
                "~ $dnssec=no",
                "  -> $dnssec=yes",
                "~ $dyndns=no::",
                "  -> $dyndns=yes:me:***",
                "+ $ttl=1",
            ]
        );
        assert!(!d.to_human(false).contains("s3cret"));
        assert!(!d.to_json().to_string().contains("s3cret"));
        // Removing a directive.
        let d = diff(LIVE, &LIVE.replace("$dnssec=no\n", ""));
        assert_eq!(lines(&d), ["- $dnssec=no"]);
    }

    #[test]
    fn unreadable_live_lines_are_dropped_by_a_put_and_shown_without_passwords() {
        let live = format!("{LIVE}this is not a record\n$dyndns yes:me:s3cret\n");
        let d = diff(&live, LIVE);
        assert_eq!(d.dropped.len(), 2, "{d:?}");
        let shown = d.to_human(false);
        assert!(shown.starts_with("- this is not a record    (a line dmapi cannot read: "));
        assert!(shown.contains("- $dyndns=***    (a line"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(d.counts().removed, 2);
        let j = d.to_json();
        assert_eq!(j["changes"][0]["kind"], "line");
        assert!(
            j["changes"][0]["reason"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );
        assert!(!j.to_string().contains("s3cret"));
        // A `$dyndns` directive of another form is shown without its value.
        let d = diff(
            LIVE,
            &LIVE.replace("$dyndns=no::", "$dyndns=maybe:me:s3cret"),
        );
        assert_eq!(lines(&d), ["~ $dyndns=no::", "  -> $dyndns=***"]);
        // Only the password changes: still a change, and said so.
        let d = diff(
            &LIVE.replace("$dyndns=no::", "$dyndns=yes:me:old"),
            &LIVE.replace("$dyndns=no::", "$dyndns=yes:me:new"),
        );
        assert_eq!(
            lines(&d),
            [
                "~ $dyndns=yes:me:***",
                "  -> $dyndns=yes:me:***    (the DynDNS password changes)"
            ]
        );
    }

    #[test]
    fn the_guard_trips_above_a_third_of_ten_or_more_records() {
        let zone = |n: usize| -> String {
            (1..=n)
                .map(|i| format!("h{i} A 0 192.0.2.{i} 300\n"))
                .collect()
        };
        let keep = |n: usize, kept: usize| diff(&zone(n), &zone(kept));
        // 12 records: removing 4 is a third (allowed), 5 is more.
        assert!(!keep(12, 8).removes_too_much());
        assert!(keep(12, 7).removes_too_much());
        assert_eq!(keep(12, 7).removed_records(), 5);
        // Under 10 records, anything goes.
        assert!(!keep(9, 1).removes_too_much());
        assert!(keep(10, 6).removes_too_much());
        // Changed records are not removed ones.
        let changed: String = (1..=12)
            .map(|i| format!("h{i} A 0 192.0.2.{i} 600\n"))
            .collect();
        let d = diff(&zone(12), &changed);
        assert_eq!(d.counts().changed, 12);
        assert!(!d.removes_too_much());
    }
}
