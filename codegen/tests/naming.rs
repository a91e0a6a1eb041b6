//! The identifier sanitizer: kebab-case to snake/Pascal, keywords, leading digits, collisions.

use dmapi_codegen::ident::{KEYWORDS, pascal_case, screaming_snake_case, snake_case};

#[test]
fn kebab_case_becomes_snake_and_pascal() {
    let cases = [
        ("domain-renew", "domain_renew", "DomainRenew"),
        (
            "x-ficora-is-finnish",
            "x_ficora_is_finnish",
            "XFicoraIsFinnish",
        ),
        ("ns-list", "ns_list", "NsList"),
        ("expiration_date", "expiration_date", "ExpirationDate"),
        ("Auth-Sid", "auth_sid", "AuthSid"),
        ("SvTrID", "sv_tr_id", "SvTrId"),
        ("UID", "uid", "Uid"),
        ("@read-only", "read_only", "ReadOnly"),
        ("FOA_BEEN_SENT", "foa_been_sent", "FoaBeenSent"),
        ("ds-1", "ds_1", "Ds1"),
    ];
    for (input, snake, pascal) in cases {
        assert_eq!(
            snake_case(input).as_deref(),
            Some(snake),
            "snake_case({input:?})"
        );
        assert_eq!(
            pascal_case(input).as_deref(),
            Some(pascal),
            "pascal_case({input:?})"
        );
    }
    assert_eq!(
        screaming_snake_case("domain-renew").as_deref(),
        Some("DOMAIN_RENEW")
    );
}

#[test]
fn every_keyword_becomes_a_usable_identifier() {
    for kw in KEYWORDS.iter().filter(|k| **k != "_") {
        let s = snake_case(kw).unwrap_or_else(|| panic!("{kw} has a name"));
        // Either a raw identifier, or (for the few that cannot be raw) a suffixed one.
        let parsed = syn::parse_str::<syn::Ident>(&s);
        assert!(
            parsed.is_ok(),
            "snake_case({kw:?}) = {s:?} is not an identifier"
        );
        assert_ne!(s, *kw, "keyword {kw} left as is");
    }
    assert_eq!(snake_case("type").as_deref(), Some("r#type"));
    assert_eq!(snake_case("self").as_deref(), Some("self_"));
    assert_eq!(snake_case("crate").as_deref(), Some("crate_"));
    assert_eq!(pascal_case("self").as_deref(), Some("Self_"));
    assert_eq!(snake_case("async").as_deref(), Some("r#async"));
    assert_eq!(snake_case("gen").as_deref(), Some("r#gen"));
}

#[test]
fn leading_digits_get_a_prefix() {
    assert_eq!(snake_case("1x").as_deref(), Some("_1x"));
    assert_eq!(pascal_case("1x").as_deref(), Some("V1x"));
    assert_eq!(pascal_case("3des-cbc").as_deref(), Some("V3desCbc"));
    assert_eq!(screaming_snake_case("2fa").as_deref(), Some("_2FA"));
    for s in [snake_case("1x").unwrap(), pascal_case("1x").unwrap()] {
        syn::parse_str::<syn::Ident>(&s).unwrap_or_else(|_| panic!("{s} is an identifier"));
    }
}

#[test]
fn names_without_letters_or_digits_have_no_identifier() {
    assert_eq!(snake_case("?"), None);
    assert_eq!(pascal_case("--"), None);
    assert_eq!(snake_case(""), None);
}

#[test]
fn different_names_can_collide() {
    // The checker reports these (see errors.rs); the sanitizer itself maps them together.
    assert_eq!(snake_case("ds-1"), snake_case("ds_1"));
    assert_eq!(pascal_case("b-c"), pascal_case("b_c"));
}
