//! Metadata: flag spellings, value-type checks and descriptions, parameter lookup.

use std::borrow::Cow;

use dmapi_runtime::meta::{
    Condition, Effect, FlagSpelling, ItemType, Method, ParamMeta, RequestKind, RequestMeta,
    ResultMeta, ReturnsMeta, ValueType,
};

#[test]
fn flag_spellings_round_trip() {
    for spelling in [
        FlagSpelling::ZeroOne,
        FlagSpelling::YesNo,
        FlagSpelling::YN,
        FlagSpelling::OneY,
    ] {
        for value in [true, false] {
            assert_eq!(
                spelling.decode(spelling.encode(value)),
                Some(value),
                "{spelling:?} {value}"
            );
            assert_eq!(
                ValueType::Flag(spelling).check(spelling.encode(value)),
                Ok(())
            );
        }
    }
    assert_eq!(
        [
            FlagSpelling::ZeroOne,
            FlagSpelling::YesNo,
            FlagSpelling::YN,
            FlagSpelling::OneY
        ]
        .map(|s| (s.encode(true), s.encode(false))),
        [("1", "0"), ("yes", "no"), ("Y", "N"), ("1", "0")]
    );
}

#[test]
fn flag_spellings_accepted_when_reading() {
    let cases: &[(FlagSpelling, &str, Option<bool>)] = &[
        (FlagSpelling::ZeroOne, "1", Some(true)),
        (FlagSpelling::ZeroOne, "0", Some(false)),
        (FlagSpelling::ZeroOne, "yes", None),
        (FlagSpelling::ZeroOne, "01", None),
        (FlagSpelling::ZeroOne, "", None),
        (FlagSpelling::YesNo, "yes", Some(true)),
        (FlagSpelling::YesNo, "YES", Some(true)),
        (FlagSpelling::YesNo, "No", Some(false)),
        (FlagSpelling::YesNo, "y", None),
        (FlagSpelling::YesNo, "1", None),
        (FlagSpelling::YesNo, "yes ", None),
        (FlagSpelling::YN, "Y", Some(true)),
        (FlagSpelling::YN, "y", Some(true)),
        (FlagSpelling::YN, "Yes", Some(true)),
        (FlagSpelling::YN, "N", Some(false)),
        (FlagSpelling::YN, "no", Some(false)),
        (FlagSpelling::YN, "NO", Some(false)),
        (FlagSpelling::YN, "1", None),
        (FlagSpelling::YN, "true", None),
        (FlagSpelling::YN, "", None),
        (FlagSpelling::OneY, "1", Some(true)),
        (FlagSpelling::OneY, "Y", Some(true)),
        (FlagSpelling::OneY, "yes", Some(true)),
        (FlagSpelling::OneY, "0", Some(false)),
        (FlagSpelling::OneY, "No", Some(false)),
        (FlagSpelling::OneY, "true", None),
        (FlagSpelling::OneY, "", None),
    ];
    for &(spelling, raw, want) in cases {
        assert_eq!(spelling.decode(raw), want, "{spelling:?} {raw:?}");
    }
    let err = ValueType::Flag(FlagSpelling::YN)
        .check("maybe")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid flag: `maybe`: expected Y, Yes, N or No"
    );
}

static DOMAIN: ValueType = ValueType::Domain;
static PRIVACY: ValueType = ValueType::Enum {
    name: None,
    values: Cow::Borrowed(&[
        Cow::Borrowed("basic"),
        Cow::Borrowed("pro"),
        Cow::Borrowed("none"),
    ]),
};

#[test]
fn value_type_checks() {
    let list = ValueType::List {
        item: ItemType::Static(&DOMAIN),
        delimiter: ':',
    };
    let int = ValueType::Int {
        min: Some(1),
        max: Some(10),
    };
    let ok: &[(ValueType, &str)] = &[
        (ValueType::String, "John Doe, Example Str. 1"),
        (ValueType::Text, "line 1\nline 2\r\n\ttabbed"),
        (ValueType::Zone, "$dnssec=no\nwww A 0 192.0.2.1 86400\n"),
        (ValueType::Secret, "p@ss w:rd"),
        (PRIVACY.clone(), "pro"),
        (int.clone(), "1"),
        (int.clone(), "10"),
        (
            ValueType::Int {
                min: None,
                max: None,
            },
            "-9223372036854775808",
        ),
        (list.clone(), "a.ns.example.com"),
        (list.clone(), "a.ns.example.com:B.NS.example.com"),
    ];
    for (ty, raw) in ok {
        assert_eq!(ty.check(raw), Ok(()), "{ty:?} {raw:?}");
    }
    let bad: &[(ValueType, &str, &str)] = &[
        (
            ValueType::String,
            "a\nb",
            "invalid string: `a\\nb`: contains the control character `\\n`",
        ),
        (
            ValueType::String,
            "a\tb",
            "invalid string: `a\\tb`: contains the control character `\\t`",
        ),
        (
            ValueType::Secret,
            "a\u{0}b",
            "invalid secret: contains the control character `\\0`",
        ),
        (
            PRIVACY.clone(),
            "Pro",
            "invalid choice: `Pro`: expected one of basic|pro|none",
        ),
        (
            PRIVACY.clone(),
            "",
            "invalid choice: ``: expected one of basic|pro|none",
        ),
        (int.clone(), "0", "invalid integer: `0`: must be at least 1"),
        (
            int.clone(),
            "11",
            "invalid integer: `11`: must be at most 10",
        ),
        (
            int.clone(),
            "1.5",
            "invalid integer: `1.5`: expected a whole number",
        ),
        (
            int.clone(),
            "+1",
            "invalid integer: `+1`: expected a whole number",
        ),
        (
            ValueType::Int {
                min: None,
                max: None,
            },
            "9223372036854775808",
            "invalid integer: `9223372036854775808`: number out of range",
        ),
        (
            list.clone(),
            "a.example.com::b.example.com",
            "invalid domain name: `a.example.com::b.example.com`: item 2 of the `:`-separated list is empty",
        ),
        (
            list.clone(),
            "a.example.com:b..example.com",
            "invalid domain name: `a.example.com:b..example.com`: item 2: empty label",
        ),
        (
            list.clone(),
            "a.example.com,b.example.com",
            "invalid domain name: `a.example.com,b.example.com`: item 1: invalid character `,` (allowed: letters, digits, `-` and `.`)",
        ),
        (
            list.clone(),
            "",
            "invalid domain name: ``: item 1 of the `:`-separated list is empty",
        ),
    ];
    for (ty, raw, message) in bad {
        let err = ty.check(raw).expect_err(raw);
        assert_eq!(err.to_string(), *message, "{ty:?} {raw:?}");
    }
}

#[test]
fn value_type_descriptions() {
    static YN: ValueType = ValueType::Flag(FlagSpelling::YN);
    let cases: &[(ValueType, &str)] = &[
        (ValueType::Domain, "domain name"),
        (ValueType::Months, "months"),
        (ValueType::Handle, "contact handle"),
        (ValueType::Date, "date (YYYY-MM-DD)"),
        (PRIVACY.clone(), "one of basic|pro|none"),
        (
            ValueType::List {
                item: ItemType::Static(&DOMAIN),
                delimiter: ':',
            },
            "list of domain name separated by ':'",
        ),
        (
            ValueType::List {
                item: ItemType::Static(&YN),
                delimiter: ',',
            },
            "list of flag (Y|N) separated by ','",
        ),
        (ValueType::Flag(FlagSpelling::ZeroOne), "flag (1|0)"),
        (
            ValueType::Int {
                min: Some(0),
                max: Some(5),
            },
            "integer from 0 to 5",
        ),
        (
            ValueType::Int {
                min: Some(1),
                max: None,
            },
            "integer of at least 1",
        ),
        (
            ValueType::Int {
                min: None,
                max: None,
            },
            "integer",
        ),
        (ValueType::Zone, "zone text"),
    ];
    for (ty, want) in cases {
        assert_eq!(ty.describe(), *want);
    }
}

const fn param(name: &'static str, ty: ValueType) -> ParamMeta {
    ParamMeta {
        name: Cow::Borrowed(name),
        ty,
        ..ParamMeta::EMPTY
    }
}

static META: RequestMeta = RequestMeta {
    name: Cow::Borrowed("test-request"),
    section: Cow::Borrowed("tests"),
    summary: Cow::Borrowed(""),
    docs: Cow::Borrowed(""),
    kind: RequestKind::Sync,
    effect: Effect::OnAcceptance,
    costs: false,
    changes: false,
    auth: true,
    session_param: Some(Cow::Borrowed("auth-sid")),
    deprecated: None,
    alias_of: None,
    extension: None,
    path: None,
    method: Method::Post,
    tld_from: None,
    params: Cow::Borrowed(&[
        param("domain", ValueType::Domain),
        ParamMeta {
            indexed: Some(6),
            name: Cow::Borrowed("ds"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        param("ns-list", ValueType::String),
        param("address-1", ValueType::String),
        ParamMeta {
            name: Cow::Borrowed("nickname"),
            aliases: Cow::Borrowed(&[Cow::Borrowed("nick-name")]),
            ..ParamMeta::EMPTY
        },
    ]),
    groups: Cow::Borrowed(&[]),
    returns: ReturnsMeta::EMPTY,
    result: ResultMeta::EMPTY,
    examples: Cow::Borrowed(&[]),
};

#[test]
fn param_lookup() {
    let name = |wire: &str| META.param(wire).map(|p| &*p.name);
    assert_eq!(name("domain"), Some("domain"));
    assert_eq!(name("DOMAIN"), Some("domain"));
    assert_eq!(name("ns-list"), Some("ns-list"));
    assert_eq!(
        name("address-1"),
        Some("address-1"),
        "a plain name ending in a number"
    );
    assert_eq!(name("address-2"), None);
    assert_eq!(name("ds-1"), Some("ds"));
    assert_eq!(name("DS-3"), Some("ds"));
    assert_eq!(name("ds-6"), Some("ds"));
    assert_eq!(name("ds-7"), None, "above the maximum");
    assert_eq!(name("ds-0"), None, "indexes start at 1");
    assert_eq!(name("ds-03"), None, "not a canonical index");
    assert_eq!(name("ds-+3"), None);
    assert_eq!(name("ds-99999999999999999999"), None);
    assert_eq!(name("ds"), None, "an indexed parameter needs its index");
    assert_eq!(name("domain-1"), None, "a plain parameter takes no index");
    assert_eq!(
        name("auth-sid"),
        None,
        "the session is not a request parameter"
    );
    assert_eq!(name(""), None);
    assert_eq!(name("nickname"), Some("nickname"));
    assert_eq!(
        name("Nick-Name"),
        Some("nickname"),
        "another spelling the server takes"
    );
    assert_eq!(name("nick"), None);
}

#[test]
fn a_request_path_is_its_own_or_the_session_path_and_its_name() {
    assert_eq!(META.path("/request/"), "/request/test-request");
    let own = RequestMeta {
        path: Some(Cow::Borrowed("/v2/test/request")),
        ..META.clone()
    };
    assert_eq!(own.path("/request/"), "/v2/test/request");
}

#[test]
fn conditions() {
    let us = Condition {
        tlds: Cow::Borrowed(&[Cow::Borrowed(".us"), Cow::Borrowed("UK")]),
        params: Cow::Borrowed(&[]),
    };
    let none = |_: &str| None::<&str>;
    assert!(us.holds(Some("us"), none));
    assert!(us.holds(Some(".US"), none));
    assert!(us.holds(Some("uk"), none));
    assert!(!us.holds(Some("de"), none));
    assert!(!us.holds(None, none));
    assert_eq!(us.describe(), "when the TLD is `us` or `UK`");

    let flagged = Condition {
        tlds: Cow::Borrowed(&[]),
        params: Cow::Borrowed(&[(
            Cow::Borrowed("category"),
            Cow::Borrowed(&[Cow::Borrowed("C31"), Cow::Borrowed("C32")]),
        )]),
    };
    assert!(flagged.holds(None, |p| (p == "category").then_some("c32")));
    assert!(!flagged.holds(None, |p| (p == "category").then_some("C11")));
    assert!(!flagged.holds(Some("us"), none));
    assert_eq!(flagged.describe(), "when `category` is `C31` or `C32`");
}
