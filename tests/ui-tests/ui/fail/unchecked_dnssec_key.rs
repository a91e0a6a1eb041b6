use dmapi::dnssec::DnssecKey;

fn main() {
    // A DNSSEC key is read and checked, never built field by field.
    let _ = DnssecKey::Ds {
        key_tag: 1,
        algorithm: 13,
        digest_type: 2,
        digest: "not hex".to_owned(),
    };
}
