//! DNSSEC keys as domain-modify sends them (`ds-1` .. `ds-N`).
//!
//! A registry takes a domain's keys as DS data or as key data (inquire-tld's `dnssec` says
//! which). [`DnssecKey`] reads either record from its DNS presentation form, the way
//! `dnssec-dsfromkey`, `ldns-key2ds` or a zone file print it, checks it, and writes the DMAPI
//! value in the form the spec's [`DnssecForms`] gives (`metadata::PROTOCOL.dnssec`).
//!
//! ```
//! use dmapi_runtime::dnssec::{DnssecForm, DnssecKey};
//! use dmapi_runtime::meta::{DnssecField as F, DnssecForms};
//!
//! // `dmapi` bakes the spec's forms as `metadata::PROTOCOL.dnssec`; these are the same.
//! let forms = DnssecForms {
//!     delimiter: ':',
//!     ds_data: [F::KeyTag, F::Algorithm, F::DigestType, F::Digest].to_vec().into(),
//!     key_data: [F::Protocol, F::Algorithm, F::Flags, F::PublicKey].to_vec().into(),
//! };
//! let key: DnssecKey = "example.com. 3600 IN DS 38698 5 1 AFE2493928 48D0458B3967BA1EE9BDEA6C3ECB43"
//!     .parse()?;
//! assert_eq!(key.form(), DnssecForm::DsData);
//! let value = key.to_wire(&forms);
//! assert_eq!(value, "38698:5:1:AFE249392848D0458B3967BA1EE9BDEA6C3ECB43");
//! assert_eq!(DnssecKey::from_wire(&value, DnssecForm::DsData, &forms)?, key);
//! # Ok::<(), dmapi_runtime::ValueError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::ValueError;
use crate::meta::{DnssecField, DnssecForms};

const KIND: &str = "DNSSEC key";

/// The two forms a registry takes DNSSEC keys in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DnssecForm {
    /// DS records (inquire-tld's `dsdata`).
    DsData,
    /// DNSKEY records (inquire-tld's `keydata`).
    KeyData,
}

impl DnssecForm {
    /// The DNS record type of the form (`DS`, `DNSKEY`).
    pub fn record_type(self) -> &'static str {
        match self {
            DnssecForm::DsData => "DS",
            DnssecForm::KeyData => "DNSKEY",
        }
    }

    /// The form's fields in wire order, as `forms` gives them.
    pub fn fields(self, forms: &DnssecForms) -> &[DnssecField] {
        match self {
            DnssecForm::DsData => &forms.ds_data,
            DnssecForm::KeyData => &forms.key_data,
        }
    }

    /// The form's fields in the DNS record's own order.
    fn record_fields(self) -> [DnssecField; 4] {
        match self {
            DnssecForm::DsData => DnssecField::DS,
            DnssecForm::KeyData => DnssecField::DNSKEY,
        }
    }
}

/// One DNSSEC key of a domain: a DS record or a DNSKEY record (RFC 4034), checked. Made only
/// by reading one (`parse`, [`from_rdata`](Self::from_rdata), [`from_wire`](Self::from_wire)),
/// so every key holds valid fields; match with `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DnssecKey {
    /// A DS record: what the parent zone publishes.
    #[non_exhaustive]
    Ds {
        /// The key tag of the DNSKEY it points to.
        key_tag: u16,
        /// The key's algorithm number.
        algorithm: u8,
        /// The digest's algorithm number (1 SHA-1, 2 SHA-256, 4 SHA-384).
        digest_type: u8,
        /// The digest, upper-case hex.
        digest: String,
    },
    /// A DNSKEY record.
    #[non_exhaustive]
    Dnskey {
        /// The flags (257 for a key-signing key).
        flags: u16,
        /// The protocol number, always 3.
        protocol: u8,
        /// The algorithm number.
        algorithm: u8,
        /// The public key, base64 without spaces.
        public_key: String,
    },
}

impl DnssecKey {
    /// Which form the key is in.
    pub fn form(&self) -> DnssecForm {
        match self {
            DnssecKey::Ds { .. } => DnssecForm::DsData,
            DnssecKey::Dnskey { .. } => DnssecForm::KeyData,
        }
    }

    /// Reads a record's data (the fields after `DS` or `DNSKEY`, in the record's order).
    /// The digest or public key may be split by spaces, as tools wrap them.
    pub fn from_rdata(form: DnssecForm, rdata: &str) -> Result<DnssecKey, ValueError> {
        let tokens = rdata_tokens(rdata);
        if tokens.len() < 4 {
            return Err(ValueError::new(
                KIND,
                format!(
                    "a {} record has 4 fields ({}), found {}",
                    form.record_type(),
                    names(&form.record_fields()),
                    tokens.len()
                ),
            ));
        }
        let mut fields: Vec<String> = tokens[..3].iter().map(|t| t.to_string()).collect();
        fields.push(tokens[3..].concat());
        Self::from_fields(form, &form.record_fields(), &fields)
    }

    /// Reads a DMAPI value (`ds-N`) in `form`, its fields in the order `forms` gives.
    pub fn from_wire(
        value: &str,
        form: DnssecForm,
        forms: &DnssecForms,
    ) -> Result<DnssecKey, ValueError> {
        let order = form.fields(forms);
        let fields: Vec<String> = value
            .split(forms.delimiter)
            .map(|s| s.trim().to_string())
            .collect();
        if fields.len() != order.len() {
            return Err(ValueError::new(
                KIND,
                format!(
                    "{} data is {} fields joined by `{}` ({}), found {}",
                    form.record_type(),
                    order.len(),
                    forms.delimiter,
                    names(order),
                    fields.len()
                ),
            )
            .with_value(value));
        }
        Self::from_fields(form, order, &fields).map_err(|e| e.with_value(value))
    }

    /// The DMAPI value: the fields in the order `forms` gives for the key's form.
    pub fn to_wire(&self, forms: &DnssecForms) -> String {
        let order = self.form().fields(forms);
        let fields: Vec<String> = order.iter().map(|f| self.field(*f)).collect();
        fields.join(&forms.delimiter.to_string())
    }

    /// A field's value as text (empty for a field of the other form).
    pub fn field(&self, field: DnssecField) -> String {
        use DnssecField as F;
        match (self, field) {
            (DnssecKey::Ds { key_tag, .. }, F::KeyTag) => key_tag.to_string(),
            (DnssecKey::Ds { algorithm, .. }, F::Algorithm)
            | (DnssecKey::Dnskey { algorithm, .. }, F::Algorithm) => algorithm.to_string(),
            (DnssecKey::Ds { digest_type, .. }, F::DigestType) => digest_type.to_string(),
            (DnssecKey::Ds { digest, .. }, F::Digest) => digest.clone(),
            (DnssecKey::Dnskey { flags, .. }, F::Flags) => flags.to_string(),
            (DnssecKey::Dnskey { protocol, .. }, F::Protocol) => protocol.to_string(),
            (DnssecKey::Dnskey { public_key, .. }, F::PublicKey) => public_key.clone(),
            _ => String::new(),
        }
    }

    /// Builds a key of `form` from `values`, the fields `order` names.
    fn from_fields(
        form: DnssecForm,
        order: &[DnssecField],
        values: &[String],
    ) -> Result<DnssecKey, ValueError> {
        let get = |f: DnssecField| -> &str {
            order
                .iter()
                .position(|o| *o == f)
                .and_then(|i| values.get(i))
                .map_or("", String::as_str)
        };
        use DnssecField as F;
        match form {
            DnssecForm::DsData => {
                let digest_type = number::<u8>(F::DigestType, get(F::DigestType))?;
                Ok(DnssecKey::Ds {
                    key_tag: number(F::KeyTag, get(F::KeyTag))?,
                    algorithm: number(F::Algorithm, get(F::Algorithm))?,
                    digest_type,
                    digest: digest(digest_type, get(F::Digest))?,
                })
            }
            DnssecForm::KeyData => {
                let protocol = number::<u8>(F::Protocol, get(F::Protocol))?;
                if protocol != 3 {
                    return Err(ValueError::new(
                        KIND,
                        format!("a DNSKEY's protocol is 3, found {protocol}"),
                    ));
                }
                Ok(DnssecKey::Dnskey {
                    flags: number(F::Flags, get(F::Flags))?,
                    protocol,
                    algorithm: number(F::Algorithm, get(F::Algorithm))?,
                    public_key: public_key(get(F::PublicKey))?,
                })
            }
        }
    }
}

/// Reads a whole record in presentation form: an optional owner name, TTL and class, then
/// `DS` or `DNSKEY` and the record's data. Parentheses and `;` comments are allowed.
impl FromStr for DnssecKey {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<DnssecKey, ValueError> {
        let tokens = rdata_tokens(s);
        let Some((at, form)) = record_type(&tokens) else {
            return Err(ValueError::new(
                KIND,
                "not a DS or DNSKEY record: `[owner] [ttl] [class] DS|DNSKEY data...`",
            )
            .with_value(s));
        };
        DnssecKey::from_rdata(form, &tokens[at + 1..].join(" "))
    }
}

impl DnssecKey {
    /// Reads a whole record (as [`FromStr`]), or, when `text` names no record type, only a
    /// record's data in form `bare` (as [`from_rdata`](Self::from_rdata)). The key may be of
    /// the other form when the record says so: check [`form`](Self::form).
    pub fn read(text: &str, bare: DnssecForm) -> Result<DnssecKey, ValueError> {
        match record_type(&rdata_tokens(text)) {
            Some(_) => text.parse(),
            None => DnssecKey::from_rdata(bare, text),
        }
    }
}

/// Where the record type (`DS`, `DNSKEY`) stands among a record's words, and its form: after
/// at most an owner, a TTL and a class.
fn record_type(tokens: &[&str]) -> Option<(usize, DnssecForm)> {
    let forms = [DnssecForm::DsData, DnssecForm::KeyData];
    tokens.iter().take(4).enumerate().find_map(|(i, t)| {
        forms
            .into_iter()
            .find(|f| t.eq_ignore_ascii_case(f.record_type()))
            .map(|f| (i, f))
    })
}

/// The records of a file of DS or DNSKEY records, each with the line (1-based) it starts on:
/// blank and comment lines skipped, a parenthesised record joined across its lines.
pub fn records(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, i32)> = None;
    for (i, line) in text.lines().enumerate() {
        let data = line.split(';').next().unwrap_or("");
        let depth: i32 = data
            .chars()
            .map(|c| match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            })
            .sum();
        match open.as_mut() {
            Some((_, record, d)) => {
                record.push(' ');
                record.push_str(data);
                *d += depth;
            }
            None if data.trim().is_empty() => continue,
            None => open = Some((i + 1, data.to_string(), depth)),
        }
        if let Some((line, record, d)) = open.take() {
            if d > 0 {
                open = Some((line, record, d));
            } else {
                out.push((line, record));
            }
        }
    }
    out.extend(open.map(|(line, record, _)| (line, record)));
    out
}

/// The record in presentation form, without owner, TTL and class: `DS 38698 5 1 AFE2...`.
impl fmt::Display for DnssecKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form = self.form();
        let fields: Vec<String> = form
            .record_fields()
            .iter()
            .map(|x| self.field(*x))
            .collect();
        write!(f, "{} {}", form.record_type(), fields.join(" "))
    }
}

/// The words of `text` without comments and parentheses.
fn rdata_tokens(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.split(';').next().unwrap_or(""))
        .flat_map(|l| l.split(|c: char| c.is_whitespace() || c == '(' || c == ')'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn names(fields: &[DnssecField]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    names.join(", ")
}

fn number<T: FromStr>(field: DnssecField, s: &str) -> Result<T, ValueError> {
    s.parse().map_err(|_| {
        ValueError::new(
            KIND,
            format!(
                "`{}` is not a valid {}",
                crate::values::shown(s),
                field.name()
            ),
        )
    })
}

/// A digest: hex, of the length its type gives when the type is a known one.
fn digest(digest_type: u8, s: &str) -> Result<String, ValueError> {
    let hex: String = s.split_whitespace().collect();
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ValueError::new(KIND, "a digest is hex digits"));
    }
    let want = match digest_type {
        1 => Some(40),
        2 => Some(64),
        4 => Some(96),
        _ => None,
    };
    match want {
        Some(n) if hex.len() != n => Err(ValueError::new(
            KIND,
            format!(
                "a digest of type {digest_type} has {n} hex digits, found {}",
                hex.len()
            ),
        )),
        _ => Ok(hex.to_ascii_uppercase()),
    }
}

/// A public key: base64.
fn public_key(s: &str) -> Result<String, ValueError> {
    let key: String = s.split_whitespace().collect();
    let body = key.trim_end_matches('=');
    let ok = !body.is_empty()
        && key.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    match ok {
        true => Ok(key),
        false => Err(ValueError::new(KIND, "a public key is base64")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Seq;

    /// The spec's forms (spec/protocol.toml); dmapi's doc test reads the baked table.
    const FORMS: DnssecForms = DnssecForms {
        delimiter: ':',
        ds_data: Seq::Borrowed(&DnssecField::DS),
        key_data: Seq::Borrowed(&[
            DnssecField::Protocol,
            DnssecField::Algorithm,
            DnssecField::Flags,
            DnssecField::PublicKey,
        ]),
    };

    const KEY: &str = "AwEAAd4TaRzEn0zJfw9w2qkazHTqOX97XwNzoDHMKgClJbX/jr9YGdCYKpTfcKQbVmpI4EVBjOjNWawOJEgpVivw53yHbtEFLOCSYyjwHuXaWiEv0sESNAoPCXQurp4tbHSlNrpyxyzV3dsh9/qUIkJEXxcEuFPaLG3bz1z0Ude6gMXr";

    #[test]
    fn a_dnskey_record_is_sent_in_the_spec_order_not_its_own() {
        let record = format!(
            "example.de. IN DNSKEY 257 3 8 (\n {} ; KSK\n {} )",
            &KEY[..60],
            &KEY[60..]
        );
        let key: DnssecKey = record.parse().unwrap();
        assert_eq!(key.to_wire(&FORMS), format!("3:8:257:{KEY}"));
        assert_eq!(key.to_string(), format!("DNSKEY 257 3 8 {KEY}"));
        let back = DnssecKey::from_wire(&key.to_wire(&FORMS), DnssecForm::KeyData, &FORMS);
        assert_eq!(back.unwrap(), key);
    }

    #[test]
    fn a_file_holds_one_record_per_line_or_per_parenthesised_block() {
        let text = "; keys\n\nexample.com. IN DS 1 13 2 (\n  AB ; half\n  CD )\nDS 2 13 2 EF\n";
        let got = records(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, 3);
        assert!(
            got[0].1.contains("AB") && got[0].1.contains("CD"),
            "{got:?}"
        );
        assert_eq!((got[1].0, got[1].1.as_str()), (6, "DS 2 13 2 EF"));
    }

    #[test]
    fn read_takes_a_whole_record_of_either_form_or_bare_data_of_the_given_one() {
        let bare = DnssecKey::read("257 3 13 AwEA", DnssecForm::KeyData).unwrap();
        assert_eq!(bare.form(), DnssecForm::KeyData);
        let record = DnssecKey::read("example.de. DS 1 13 99 AB", DnssecForm::KeyData).unwrap();
        assert_eq!(record.form(), DnssecForm::DsData);
        // A type word past owner, TTL and class is not a record type.
        assert!(DnssecKey::read("a b c d DS 1 13 99 AB", DnssecForm::DsData).is_err());
    }

    #[test]
    fn bare_rdata_and_lower_case_digests_read() {
        let key = DnssecKey::from_rdata(
            DnssecForm::DsData,
            "38698 5 1 afe249392848d0458b3967ba1ee9bdea6c3ecb43",
        )
        .unwrap();
        assert_eq!(
            key.to_wire(&FORMS),
            "38698:5:1:AFE249392848D0458B3967BA1EE9BDEA6C3ECB43"
        );
    }

    #[test]
    fn bad_keys_say_which_field_is_wrong() {
        let err = |s: &str| s.parse::<DnssecKey>().unwrap_err().to_string();
        assert!(err("example.com. A 192.0.2.1").contains("not a DS or DNSKEY record"));
        assert!(err("DS 70000 5 1 AF").contains("not a valid key-tag"));
        assert!(err("DS 1 5 2 AFE2").contains("type 2 has 64 hex digits, found 4"));
        assert!(err("DS 1 5 1 XYZ").contains("hex digits"));
        assert!(
            err("DS 1 5 1").contains("4 fields (key-tag, algorithm, digest-type, digest), found 3")
        );
        assert!(err("DNSKEY 257 4 8 AwEA").contains("protocol is 3, found 4"));
        assert!(err("DNSKEY 257 3 8 Aw!A").contains("base64"));
        // The docs' .de example lists the DNSKEY's flags first: not the spec's order.
        let docs = format!("256:3:5:{KEY}");
        let e = DnssecKey::from_wire(&docs, DnssecForm::KeyData, &FORMS).unwrap_err();
        assert!(e.to_string().contains("not a valid protocol"), "{e}");
        let e = DnssecKey::from_wire("1:2:3", DnssecForm::DsData, &FORMS).unwrap_err();
        assert!(e.to_string().contains("4 fields joined by `:`"), "{e}");
    }
}
