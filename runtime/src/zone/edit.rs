//! Finding and editing a zone's records: what DNS tools do to a zone between a get and a put.

use super::{Entry, Record, RecordData, Upsert, Zone, ZoneError, ZoneProblem, write};

impl Zone {
    /// Records with this label and type (see [`Record::is`]).
    pub fn find<'z>(
        &'z self,
        label: &'z str,
        record_type: &'z str,
    ) -> impl Iterator<Item = &'z Record> {
        self.records().filter(move |r| r.is(label, record_type))
    }

    /// The first record with this label, type and value ([`Record::value`]).
    pub fn find_value(&self, label: &str, record_type: &str, value: &str) -> Option<&Record> {
        self.records()
            .find(|r| r.is(label, record_type) && r.value() == value)
    }

    /// Appends a record.
    pub fn push(&mut self, record: Record) {
        self.entries.push(Entry::Record(record));
    }

    /// Appends a record unless one with the same label, type and value is there; tells
    /// whether it was added.
    pub fn add(&mut self, record: Record) -> bool {
        let value = record.value();
        let present = self
            .find_value(&record.label, record.record_type(), &value)
            .is_some();
        drop(value);
        if !present {
            self.push(record);
        }
        !present
    }

    /// Removes the records with this label and type, and this value if given; returns how
    /// many. Every other line stays as it was.
    pub fn remove(&mut self, label: &str, record_type: &str, value: Option<&str>) -> usize {
        let before = self.entries.len();
        self.entries.retain(|e| match e {
            Entry::Record(r) => !(r.is(label, record_type) && value.is_none_or(|v| r.value() == v)),
            _ => true,
        });
        before - self.entries.len()
    }

    /// Replaces the records with this label and type by `records`, placed where the first of
    /// them was (at the end if there was none); returns how many were removed.
    pub fn replace(
        &mut self,
        label: &str,
        record_type: &str,
        records: impl IntoIterator<Item = Record>,
    ) -> usize {
        let at = self.entries.iter().position(|e| match e {
            Entry::Record(r) => r.is(label, record_type),
            _ => false,
        });
        let removed = self.remove(label, record_type, None);
        let at = at.unwrap_or(self.entries.len());
        self.entries
            .splice(at..at, records.into_iter().map(Entry::Record));
        removed
    }

    /// Adds the TXT record `label` = `value` (as an ACME DNS-01 client does), or updates its TTL
    /// if it is there. Other TXT records of the label stay: several challenges may be pending.
    ///
    /// The label and value are checked first: one that cannot be written safely is refused
    /// and the zone is not changed.
    pub fn upsert_txt(&mut self, label: &str, value: &str, ttl: u32) -> Result<Upsert, ZoneError> {
        let record = Record::new(label, ttl, RecordData::Txt(value.to_owned()));
        write::record(&record).map_err(|message| ZoneError {
            problems: vec![ZoneProblem {
                line: None,
                record: write::describe(&record),
                message,
            }],
        })?;
        let existing = self
            .records_mut()
            .find(|r| r.is(label, "TXT") && matches!(&r.data, RecordData::Txt(v) if v == value));
        Ok(match existing {
            Some(r) if r.ttl == ttl => Upsert::Unchanged,
            Some(r) => {
                r.ttl = ttl;
                Upsert::Updated
            }
            None => {
                self.push(record);
                Upsert::Added
            }
        })
    }

    /// The label of `name` in the zone `zone` (both domain names, any case, with or without the
    /// final dot): `@` for the zone itself, `None` when `name` is outside it.
    ///
    /// ```
    /// use dmapi_runtime::zone::Zone;
    ///
    /// assert_eq!(Zone::label_of("_acme-challenge.Example.com.", "example.com").as_deref(), Some("_acme-challenge"));
    /// assert_eq!(Zone::label_of("example.com", "example.com").as_deref(), Some("@"));
    /// assert_eq!(Zone::label_of("example.org", "example.com"), None);
    /// ```
    pub fn label_of(name: &str, zone: &str) -> Option<String> {
        let name = name.trim_end_matches('.');
        let zone = zone.trim_end_matches('.');
        if name.eq_ignore_ascii_case(zone) {
            return Some("@".to_owned());
        }
        let cut = name.len().checked_sub(zone.len() + 1)?;
        let (label, suffix) = (name.get(..cut)?, name.get(cut..)?);
        let suffix = suffix.strip_prefix('.')?;
        (!label.is_empty() && suffix.eq_ignore_ascii_case(zone)).then(|| label.to_owned())
    }
}
