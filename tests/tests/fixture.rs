//! The codegen's golden fixture (every spec construct: keyword and digit names, aliases,
//! deprecations, field sets, indexed parameters, conditions, tables, headers) must compile
//! warning-free and behave, not only match its snapshot.
#![deny(warnings)]
#![allow(deprecated)] // the fixture deprecates a request and fields on purpose

#[allow(dead_code)] // a test binary uses only part of the generated API
mod fixture {
    include!("../../codegen/tests/golden/fixture.rs");
}

use dmapi_runtime::{DomainName, Envelope, Request};
use fixture::*;

#[test]
fn keyword_and_digit_names_encode_to_their_wire_names() {
    let thing: DomainName = "example.eu".parse().unwrap();
    let req = ThingCreate::new(
        thing,
        ThingCreateType::V1x,
        ["ns1.example.net".parse().unwrap()],
    )
    .person_name(PersonName::Name("Jo".into()))
    .span(Span::Period(dmapi_runtime::Months::new(24).unwrap()))
    .ds(["a".to_owned(), "b".to_owned()])
    .lock(true);
    let form = req.to_form();
    let got: Vec<(&str, &str)> = form.iter().collect();
    assert_eq!(
        got,
        [
            ("thing", "example.eu"),
            ("type", "1x"),
            ("hosts", "ns1.example.net"),
            ("status", "production"),
            ("name", "Jo"),
            ("period", "24"),
            ("ds-1", "a"),
            ("ds-2", "b"),
            ("lock", "yes"),
        ]
    );
    // .eu needs `lang`; the optional field set's `email` is not required.
    let problems = req.validate().unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].to_string().contains("lang"), "{}", problems[0]);
}

#[test]
fn aliases_share_the_type_and_have_their_own_metadata() {
    let _: fn(DomainName, ThingCreateType, Vec<DomainName>) -> ThingMake = ThingCreate::new;
    let alias = metadata::find("thing-make").unwrap();
    assert_eq!(alias.alias_of.as_deref(), Some("thing-create"));
    assert_eq!(alias.params.len(), metadata::THING_CREATE.params.len());
    assert_eq!(ThingMake::NAME, "thing-create");
}

#[test]
fn deprecated_request_and_response_enums() {
    assert_eq!(
        metadata::THING_LIST.deprecated.as_deref(),
        Some("use thing-query")
    );
    let rows = ThingList::new()
        .showstatus(true)
        .parse_output(
            &Envelope::parse(
                "Status-Code: 0\n\nexample.com note 192.0.2.1 a,b gone\nexample.net n - x new\n",
                &dmapi::metadata::PROTOCOL,
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(rows[0].state, Some(ThingListState::Gone));
    assert_eq!(rows[1].state, Some(ThingListState::Unknown("new".into())));
    // `none = "-"` reads as absent; any other bad address is still an error.
    assert_eq!(rows[0].addr, Some("192.0.2.1".parse().unwrap()));
    assert_eq!(rows[1].addr, None);
    assert!(
        ThingList::new()
            .parse_output(
                &Envelope::parse(
                    "Status-Code: 0\n\nexample.com n x\n",
                    &dmapi::metadata::PROTOCOL
                )
                .unwrap()
            )
            .is_err()
    );
}

#[test]
fn undeclared_columns_are_kept_in_order() {
    let env = Envelope::parse(
        "Status-Code: 0\nColumns: thing,extra-a,note,addr,extra-b\nSeparator: TAB\n\n\
         example.com\tA\tn\t-\tB\n",
        &dmapi::metadata::PROTOCOL,
    )
    .unwrap();
    let rows = ThingList::new().parse_output(&env).unwrap();
    assert_eq!(rows[0].note, "n");
    assert_eq!(
        rows[0].other_columns,
        vec![
            ("extra-a".to_owned(), "A".to_owned()),
            ("extra-b".to_owned(), "B".to_owned())
        ]
    );
}

#[test]
fn overlapping_alternatives_choose_the_one_given() {
    let meta = &metadata::THING_CREATE;
    let ok =
        |params: &[(&str, &str)]| dmapi_runtime::validate::validate(meta, params.iter().copied());
    let base = [
        ("thing", "example.com"),
        ("type", "a"),
        ("hosts", "ns.example.com"),
        ("status", "production"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    assert_eq!(ok(&with(&[("ip", "192.0.2.1")])), Ok(()));
    assert!(ok(&with(&[("ipv6", "::1")])).is_ok());
    assert!(ok(&with(&[("ip", "192.0.2.1"), ("ipv6", "::1")])).is_ok());
    let both = ThingCreate::new(
        "example.com".parse().unwrap(),
        ThingCreateType::A,
        vec!["ns.example.com".parse().unwrap()],
    )
    .addresses(Addresses::IpIpv6 {
        ip: "192.0.2.1".parse().unwrap(),
        ipv6: "::1".parse().unwrap(),
    });
    assert!(both.validate().is_ok());
}
