//! `validate()`: every problem reported, against a small hand-written metadata table; and what
//! `encode` checks of the same rules.

#[path = "support/protocol.rs"]
mod protocol;
use protocol::PROTOCOL;
use std::borrow::Cow;

use dmapi_runtime::meta::{
    Condition, Effect, FlagSpelling, GroupKind, GroupMeta, ItemType, Method, ParamMeta,
    RequestKind, RequestMeta, ReturnsMeta, ValueType,
};
use dmapi_runtime::validate::{Problem, validate, validate_form};
use dmapi_runtime::zone::{Record, RecordData};
use dmapi_runtime::{
    DomainName, EncodeError, Envelope, Form, Months, OutputError, Request, Submitted, ToWire,
    ValueError, Zone, encode, output,
};

const fn param(name: &'static str, ty: ValueType) -> ParamMeta {
    ParamMeta {
        name: Cow::Borrowed(name),
        ty,
        ..ParamMeta::EMPTY
    }
}

const RETURNS_NONE: ReturnsMeta = ReturnsMeta::EMPTY;

static DOMAIN: ValueType = ValueType::Domain;

/// What the tables share (a `const`, so that they can start from it).
const COMMON: RequestMeta = RequestMeta {
    name: Cow::Borrowed("domain-test"),
    section: Cow::Borrowed("tests"),
    summary: Cow::Borrowed(
        "A request shaped like domain-renew plus a few more kinds of parameter.",
    ),
    kind: RequestKind::Async,
    costs: true,
    changes: true,
    auth: true,
    session_param: Some(Cow::Borrowed("auth-sid")),
    tld_from: Some(Cow::Borrowed("domain")),
    ..RequestMeta::EMPTY
};

static META: RequestMeta = RequestMeta {
    name: Cow::Borrowed("domain-test"),
    section: Cow::Borrowed("tests"),
    summary: Cow::Borrowed(
        "A request shaped like domain-renew plus a few more kinds of parameter.",
    ),
    docs: Cow::Borrowed(""),
    kind: RequestKind::Async,
    effect: Effect::OnCompletion,
    costs: true,
    changes: true,
    auth: true,
    session_param: Some(Cow::Borrowed("auth-sid")),
    deprecated: None,
    alias_of: None,
    extension: None,
    path: None,
    method: Method::Post,
    tld_from: Some(Cow::Borrowed("domain")),
    params: Cow::Borrowed(&[
        ParamMeta {
            required: true,
            name: Cow::Borrowed("domain"),
            ty: ValueType::Domain,
            ..ParamMeta::EMPTY
        },
        param("period", ValueType::Months),
        param("expyear", ValueType::Year),
        param("name", ValueType::String),
        ParamMeta {
            deprecated: Some(Cow::Borrowed("use `name`")),
            name: Cow::Borrowed("fname"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            deprecated: Some(Cow::Borrowed("use `name`")),
            name: Cow::Borrowed("lname"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            indexed: Some(6),
            name: Cow::Borrowed("ds"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            secret: true,
            name: Cow::Borrowed("password"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            default: Some(Cow::Borrowed("keep")),
            example: None,
            name: Cow::Borrowed("privacy"),
            ty: ValueType::Enum {
                name: None,
                values: Cow::Borrowed(&[
                    Cow::Borrowed("basic"),
                    Cow::Borrowed("pro"),
                    Cow::Borrowed("none"),
                    Cow::Borrowed("keep"),
                ]),
            },
            ..ParamMeta::EMPTY
        },
        param("autorenew", ValueType::Flag(FlagSpelling::ZeroOne)),
        param(
            "ns-list",
            ValueType::List {
                item: ItemType::Static(&DOMAIN),
                delimiter: ':',
            },
        ),
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed("us")]),
                params: Cow::Borrowed(&[]),
            }]),
            name: Cow::Borrowed("nexus-category"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed(".us")]),
                params: Cow::Borrowed(&[(
                    Cow::Borrowed("nexus-category"),
                    Cow::Borrowed(&[Cow::Borrowed("C31"), Cow::Borrowed("C32")]),
                )]),
            }]),
            name: Cow::Borrowed("nexus-country"),
            ty: ValueType::Country,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            allow_empty: true,
            name: Cow::Borrowed("remark"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
    ]),
    groups: Cow::Borrowed(&[
        GroupMeta {
            name: Cow::Borrowed("renewal"),
            kind: GroupKind::ExactlyOne,
            alternatives: Cow::Borrowed(&[
                Cow::Borrowed(&[Cow::Borrowed("period")]),
                Cow::Borrowed(&[Cow::Borrowed("expyear")]),
            ]),
            doc: Cow::Borrowed(""),
        },
        GroupMeta {
            name: Cow::Borrowed("owner-name"),
            kind: GroupKind::AtMostOne,
            alternatives: Cow::Borrowed(&[
                Cow::Borrowed(&[Cow::Borrowed("name")]),
                Cow::Borrowed(&[Cow::Borrowed("fname"), Cow::Borrowed("lname")]),
            ]),
            doc: Cow::Borrowed(""),
        },
    ]),
    returns: RETURNS_NONE,
    result: dmapi_runtime::meta::ResultMeta::EMPTY,
    examples: Cow::Borrowed(&[]),
};

fn check(params: &[(&str, &str)]) -> Result<(), Vec<Problem>> {
    validate(&META, params.iter().copied())
}

fn p(s: &str) -> String {
    s.to_owned()
}

fn group(group: &str, message: &str) -> Problem {
    Problem::Group {
        group: p(group),
        message: p(message),
    }
}

#[test]
fn minimal_request_is_valid() {
    assert_eq!(
        check(&[("domain", "example.com"), ("period", "12")]),
        Ok(())
    );
}

#[test]
fn full_request_is_valid() {
    let params = [
        ("auth-sid", "0123456789abcdef"),
        ("domain", "example.us"),
        ("expyear", "2030"),
        ("fname", "John"),
        ("lname", "Doe"),
        ("ds-1", "1"),
        ("ds-2", "2"),
        ("ds-3", "3"),
        ("ds-4", "4"),
        ("ds-5", "5"),
        ("ds-6", "6"),
        ("password", "s3cr3t pass"),
        ("privacy", "pro"),
        ("autorenew", "0"),
        ("ns-list", "a.ns.example.com:b.ns.example.com"),
        ("nexus-category", "C31"),
        ("nexus-country", "US"),
        ("remark", ""),
    ];
    assert_eq!(check(&params), Ok(()));
}

#[test]
fn names_are_case_insensitive() {
    let params = [
        ("Auth-SID", "abc"),
        ("DOMAIN", "example.com"),
        ("Period", "12"),
        ("DS-2", "x"),
        ("Name", "John Doe"),
    ];
    assert_eq!(check(&params), Ok(()));
}

#[test]
fn every_problem_is_reported_in_order() {
    let params = [
        ("domain", "a..b"),
        ("period", "12"),
        ("expyear", "2030"),
        ("fname", "John"),
        ("ds-1", "x"),
        ("ds-7", "x"),
        ("ds-0", "x"),
        ("password", "bad\npassword"),
        ("privacy", "gold"),
        ("autorenew", "true"),
        ("ns-list", "a.example.com::b.example.com"),
        ("colour", "red"),
        ("privacy", "pro"),
        ("Privacy", "basic"),
        ("DS-1", "y"),
        ("remark", ""),
        ("name", ""),
    ];
    let want = vec![
        Problem::Invalid {
            param: p("domain"),
            value_shown: p("a..b"),
            error: ValueError::new("domain name", "empty label"),
        },
        Problem::TooMany {
            param: p("ds-7"),
            max: 6,
        },
        Problem::TooMany {
            param: p("ds-0"),
            max: 6,
        },
        Problem::Invalid {
            param: p("password"),
            value_shown: p("***"),
            error: ValueError::new("string", "contains the control character `\\n`"),
        },
        Problem::Invalid {
            param: p("privacy"),
            value_shown: p("gold"),
            error: ValueError::new("choice", "expected one of basic|pro|none|keep"),
        },
        Problem::Invalid {
            param: p("autorenew"),
            value_shown: p("true"),
            error: ValueError::new("flag", "expected 1 or 0"),
        },
        Problem::Invalid {
            param: p("ns-list"),
            value_shown: p("a.example.com::b.example.com"),
            error: ValueError::new("domain name", "item 2 of the `:`-separated list is empty"),
        },
        Problem::Unknown { param: p("colour") },
        Problem::Duplicate {
            param: p("privacy"),
        },
        Problem::Duplicate { param: p("DS-1") },
        Problem::Empty { param: p("name") },
        group(
            "renewal",
            "`period` and `expyear` exclude each other: give exactly one of `period` or `expyear`",
        ),
        group(
            "owner-name",
            "`name` and `fname` with `lname` exclude each other: give at most one of `name` or `fname` with `lname`",
        ),
        group("owner-name", "`fname` needs `lname` too"),
    ];
    assert_eq!(check(&params), Err(want));
}

#[test]
fn nothing_given() {
    assert_eq!(
        check(&[]),
        Err(vec![
            Problem::Missing { param: p("domain") },
            group("renewal", "give exactly one of `period` or `expyear`"),
        ])
    );
}

#[test]
fn empty_required_value_is_empty_not_missing() {
    assert_eq!(
        check(&[("domain", ""), ("period", "12")]),
        Err(vec![Problem::Empty { param: p("domain") }])
    );
}

#[test]
fn at_most_one_group() {
    assert_eq!(
        check(&[
            ("domain", "example.com"),
            ("period", "12"),
            ("lname", "Doe")
        ]),
        Err(vec![group("owner-name", "`lname` needs `fname` too")])
    );
    assert_eq!(
        check(&[
            ("domain", "example.com"),
            ("period", "12"),
            ("name", "J. Doe")
        ]),
        Ok(())
    );
}

#[test]
fn required_when_follows_the_tld_of_the_domain() {
    let missing_category = Problem::MissingWhen {
        param: p("nexus-category"),
        condition: p("when the TLD is `us`"),
    };
    assert_eq!(
        check(&[("domain", "example.us"), ("period", "12")]),
        Err(vec![missing_category.clone()])
    );
    assert_eq!(
        check(&[("domain", "EXAMPLE.US"), ("period", "12")]),
        Err(vec![missing_category])
    );
    assert_eq!(
        check(&[("domain", "example.com"), ("period", "12")]),
        Ok(())
    );
    // The second condition also needs `nexus-category` to be C31 or C32.
    assert_eq!(
        check(&[
            ("domain", "example.us"),
            ("period", "12"),
            ("nexus-category", "C11")
        ]),
        Ok(())
    );
    assert_eq!(
        check(&[
            ("domain", "example.us"),
            ("period", "12"),
            ("nexus-category", "C32")
        ]),
        Err(vec![Problem::MissingWhen {
            param: p("nexus-country"),
            condition: p("when the TLD is `us` and `nexus-category` is `C31` or `C32`"),
        }])
    );
    assert_eq!(
        check(&[
            ("domain", "example.de"),
            ("period", "12"),
            ("nexus-category", "C32")
        ]),
        Ok(()),
        "the TLD part of the condition does not hold"
    );
}

static TLD_PARAM_META: RequestMeta = RequestMeta {
    name: Cow::Borrowed("price-test"),
    auth: false,
    session_param: None,
    tld_from: Some(Cow::Borrowed("tld")),
    params: Cow::Borrowed(&[
        ParamMeta {
            required: true,
            name: Cow::Borrowed("tld"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed("eu")]),
                params: Cow::Borrowed(&[]),
            }]),
            name: Cow::Borrowed("citizenship"),
            ty: ValueType::Country,
            ..ParamMeta::EMPTY
        },
    ]),
    groups: Cow::Borrowed(&[]),
    ..COMMON
};

#[test]
fn required_when_follows_a_tld_param() {
    let missing = Err(vec![Problem::MissingWhen {
        param: p("citizenship"),
        condition: p("when the TLD is `eu`"),
    }]);
    assert_eq!(validate(&TLD_PARAM_META, [("tld", "eu")]), missing);
    assert_eq!(validate(&TLD_PARAM_META, [("tld", ".EU")]), missing);
    assert_eq!(validate(&TLD_PARAM_META, [("tld", "com")]), Ok(()));
}

#[test]
fn auth_sid_only_where_a_session_is_needed() {
    assert_eq!(
        validate(&TLD_PARAM_META, [("tld", "com"), ("auth-sid", "abc")]),
        Err(vec![Problem::Unknown {
            param: p("auth-sid")
        }])
    );
    assert_eq!(
        check(&[
            ("auth-sid", ""),
            ("domain", "example.com"),
            ("period", "12"),
            ("auth-sid", "x")
        ]),
        Err(vec![
            Problem::Empty {
                param: p("auth-sid")
            },
            Problem::Duplicate {
                param: p("auth-sid")
            },
        ])
    );
}

#[test]
fn problem_messages_name_the_parameter() {
    let Err(problems) = check(&[
        ("domain", "a..b"),
        ("password", "x\u{7}"),
        ("ds-9", "x"),
        ("colour", "red"),
        ("name", ""),
        ("name", "x"),
    ]) else {
        panic!("expected problems");
    };
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "parameter `domain`: invalid domain name `a..b`: empty label",
            "parameter `password`: invalid string `***`: contains the control character `\\u{7}`",
            "parameter `ds-9` is out of range: at most 6 are allowed, numbered from 1",
            "unknown parameter `colour`",
            "parameter `name` is empty",
            "parameter `name` is given more than once",
            "give exactly one of `period` or `expyear`",
        ]
    );
    assert_eq!(
        Problem::Missing { param: p("domain") }.to_string(),
        "missing required parameter `domain`"
    );
    assert_eq!(problems[0].param(), Some("domain"));
    assert_eq!(problems[6].param(), None);
    // Long or multi-line values are shortened in messages, not in the problem itself.
    let zone = format!("{}\n", "x".repeat(200));
    let Err(problems) = check(&[("domain", "example.com"), ("period", "12"), ("name", &zone)])
    else {
        panic!("expected a problem");
    };
    let message = problems[0].to_string();
    assert!(!message.contains('\n') && message.len() < 150, "{message}");
    assert!(matches!(&problems[0], Problem::Invalid { value_shown, .. } if *value_shown == zone));
}

// --- The Request trait's provided methods, on a hand-written request. ---

struct TestRenew {
    domain: DomainName,
    period: Months,
    privacy: Option<&'static str>,
}

impl Request for TestRenew {
    const NAME: &'static str = "domain-test";
    type Output = Submitted;

    fn meta() -> &'static RequestMeta {
        &META
    }

    fn encode(&self) -> Result<Form, EncodeError> {
        let mut form = Form::new();
        form.push("domain", self.domain.to_wire());
        form.push("period", self.period.to_wire());
        if let Some(privacy) = self.privacy {
            form.push("privacy", privacy);
        }
        // `privacy` is any string here: check the whole form.
        encode::validated(Self::meta(), form)
    }

    fn parse_output(&self, env: &Envelope) -> Result<Submitted, OutputError> {
        output::submitted(Self::NAME, env)
    }
}

#[test]
fn request_encodes_and_validates() {
    let req = TestRenew {
        domain: DomainName::new("Example.com").unwrap(),
        period: Months::years(1).unwrap(),
        privacy: None,
    };
    let form = req.to_form();
    assert_eq!(form.to_urlencoded(), "domain=example.com&period=12");
    assert_eq!(req.validate(), Ok(()));

    let bad = TestRenew {
        privacy: Some("gold"),
        ..req
    };
    assert_eq!(
        bad.validate(),
        Err(vec![Problem::Invalid {
            param: p("privacy"),
            value_shown: p("gold"),
            error: ValueError::new("choice", "expected one of basic|pro|none|keep"),
        }])
    );

    let env =
        Envelope::parse("Status-Code: 0\nProc-ID: 77\nTracking-Id: T-1\n", &PROTOCOL).unwrap();
    assert_eq!(
        bad.parse_output(&env).unwrap(),
        Submitted::new(p("77"), Some(p("T-1")))
    );
}

static INDEXED_META: RequestMeta = RequestMeta {
    name: Cow::Borrowed("indexed-test"),
    tld_from: None,
    params: Cow::Borrowed(&[
        ParamMeta {
            indexed: Some(6),
            name: Cow::Borrowed("ds"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        param("dnssec-off", ValueType::Flag(FlagSpelling::ZeroOne)),
        ParamMeta {
            indexed: Some(2),
            required: true,
            name: Cow::Borrowed("ip"),
            ty: ValueType::Ipv4,
            ..ParamMeta::EMPTY
        },
    ]),
    groups: Cow::Borrowed(&[GroupMeta {
        name: Cow::Borrowed("dnssec"),
        kind: GroupKind::ExactlyOne,
        alternatives: Cow::Borrowed(&[
            Cow::Borrowed(&[Cow::Borrowed("ds")]),
            Cow::Borrowed(&[Cow::Borrowed("dnssec-off")]),
        ]),
        doc: Cow::Borrowed(""),
    }]),
    ..COMMON
};

#[test]
fn indexed_params_in_groups_and_required() {
    // Any index of `ds` chooses the `ds` alternative.
    assert_eq!(
        validate(&INDEXED_META, [("ds-4", "x"), ("ip-2", "192.0.2.1")]),
        Ok(())
    );
    assert_eq!(
        validate(
            &INDEXED_META,
            [("ds-1", "x"), ("dnssec-off", "1"), ("ip-1", "192.0.2.1")]
        ),
        Err(vec![group(
            "dnssec",
            "`ds` and `dnssec-off` exclude each other: give exactly one of `ds` or `dnssec-off`"
        )])
    );
    // A required indexed parameter asks for its first index; the base name alone is unknown.
    assert_eq!(
        validate(&INDEXED_META, [("dnssec-off", "1"), ("ip", "192.0.2.1")]),
        Err(vec![
            Problem::Unknown { param: p("ip") },
            Problem::Missing { param: p("ip-1") },
        ])
    );
    assert_eq!(
        validate(
            &INDEXED_META,
            [
                ("dnssec-off", "1"),
                ("ip-1", "192.0.2.300"),
                ("ip-3", "192.0.2.3")
            ]
        ),
        Err(vec![
            Problem::Invalid {
                param: p("ip-1"),
                value_shown: p("192.0.2.300"),
                error: ValueError::new(
                    "IPv4 address",
                    "expected four dot-separated numbers, like `192.0.2.1`"
                ),
            },
            Problem::TooMany {
                param: p("ip-3"),
                max: 2
            },
        ])
    );
}

static CHAINED: RequestMeta = RequestMeta {
    name: Cow::Borrowed("chained-test"),
    params: Cow::Borrowed(&[
        ParamMeta {
            required: true,
            example: Some(Cow::Borrowed("example.us")),
            name: Cow::Borrowed("domain"),
            ty: ValueType::Domain,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            deprecated: Some(Cow::Borrowed("use `name`")),
            name: Cow::Borrowed("fname"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        param("name", ValueType::String),
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed("us")]),
                params: Cow::Borrowed(&[]),
            }]),
            example: Some(Cow::Borrowed("C31")),
            name: Cow::Borrowed("nexus-category"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed("us")]),
                params: Cow::Borrowed(&[(
                    Cow::Borrowed("nexus-category"),
                    Cow::Borrowed(&[Cow::Borrowed("C31"), Cow::Borrowed("C32")]),
                )]),
            }]),
            name: Cow::Borrowed("nexus-country"),
            ty: ValueType::Country,
            ..ParamMeta::EMPTY
        },
        param(
            "unrelated",
            ValueType::Int {
                min: Some(5),
                max: Some(9),
            },
        ),
    ]),
    groups: Cow::Borrowed(&[GroupMeta {
        name: Cow::Borrowed("who"),
        kind: GroupKind::ExactlyOne,
        alternatives: Cow::Borrowed(&[
            Cow::Borrowed(&[Cow::Borrowed("fname")]),
            Cow::Borrowed(&[Cow::Borrowed("name")]),
        ]),
        doc: Cow::Borrowed(""),
    }]),
    ..COMMON
};

#[test]
fn example_params_follow_groups_and_chained_conditions() {
    assert_eq!(
        CHAINED.example_params(),
        [
            ("domain".to_owned(), "example.us".to_owned()),
            ("name".to_owned(), "text".to_owned()),
            ("nexus-category".to_owned(), "C31".to_owned()),
            ("nexus-country".to_owned(), "DE".to_owned()),
        ],
        "the deprecated alternative is skipped; nexus-country only after nexus-category"
    );
    assert_eq!(
        ValueType::Int {
            min: Some(5),
            max: Some(9)
        }
        .example(),
        "5"
    );
    assert_eq!(
        ValueType::Int {
            min: None,
            max: Some(-3)
        }
        .example(),
        "-3"
    );
}

// --- `encode::finish` and `encode::push_zone`: what a typed request's `encode` checks. The
// problems are those `validate` finds in the same form, in the same order; what the field
// types guarantee is not checked again. ---

static ENCODE_META: RequestMeta = RequestMeta {
    name: Cow::Borrowed("encode-test"),
    kind: RequestKind::Sync,
    params: Cow::Borrowed(&[
        ParamMeta {
            required: true,
            name: Cow::Borrowed("domain"),
            ty: ValueType::Domain,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            required: true,
            name: Cow::Borrowed("zone"),
            ty: ValueType::Zone,
            ..ParamMeta::EMPTY
        },
        param("dnssec", ValueType::Flag(FlagSpelling::ZeroOne)),
        ParamMeta {
            indexed: Some(2),
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[]),
                params: Cow::Borrowed(&[(
                    Cow::Borrowed("dnssec"),
                    Cow::Borrowed(&[Cow::Borrowed("1")]),
                )]),
            }]),
            name: Cow::Borrowed("ds"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        ParamMeta {
            required_when: Cow::Borrowed(&[Condition {
                tlds: Cow::Borrowed(&[Cow::Borrowed("us")]),
                params: Cow::Borrowed(&[]),
            }]),
            name: Cow::Borrowed("nexus"),
            ty: ValueType::String,
            ..ParamMeta::EMPTY
        },
        param("note", ValueType::String),
        param("memo", ValueType::String),
        param("a", ValueType::String),
        param("b", ValueType::String),
    ]),
    groups: Cow::Borrowed(&[GroupMeta {
        name: Cow::Borrowed("ab"),
        kind: GroupKind::ExactlyOne,
        alternatives: Cow::Borrowed(&[
            Cow::Borrowed(&[Cow::Borrowed("a")]),
            Cow::Borrowed(&[Cow::Borrowed("b")]),
        ]),
        doc: Cow::Borrowed(""),
    }]),
    ..COMMON
};

const ZONE: &str = "$dnssec=no\nwww A 0 192.0.2.1 86400\n";

/// Encodes like generated code does: push in order (the zone with `push_zone`), then finish.
fn encode_with(
    domain: &str,
    zone: &Zone,
    more: &[(&'static str, &str)],
) -> Result<Form, EncodeError> {
    let mut form = Form::new();
    form.push("domain", domain);
    let problems = encode::push_zone(&mut form, "zone", zone);
    form.push("a", "x");
    for (name, value) in more {
        form.push(*name, *value);
    }
    encode::finish(&ENCODE_META, form, problems)
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// What `Request::validate` reported before `encode` checked: the unwritable values' problems,
/// then `validate_form`'s, less the parameters missing for that reason.
fn old_validate(form: &Form, unwritable: &[Problem]) -> Vec<Problem> {
    let mut problems = unwritable.to_vec();
    let left_out = |param: &str| unwritable.iter().any(|p| p.param() == Some(param));
    problems.extend(
        validate_form(&ENCODE_META, form)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !matches!(p, Problem::Missing { param } if left_out(param))),
    );
    problems
}

#[test]
fn a_complete_form_is_encoded_as_pushed() {
    let form = encode_with(
        "example.com",
        &Zone::parse(ZONE),
        &[("dnssec", "1"), ("ds-1", "k")],
    )
    .expect("nothing to complain about");
    assert_eq!(
        form.to_urlencoded(),
        "domain=example.com&zone=%24dnssec%3Dno%0Awww+A+0+192.0.2.1+86400%0A&a=x&dnssec=1&ds-1=k"
    );
}

#[test]
fn conditions_indexes_strings_and_zone_rules_are_checked_in_validate_order() {
    let low_ttl = Zone::parse("www A 0 192.0.2.1 30\n");
    let more = [
        ("dnssec", "1"),
        ("note", ""),
        ("ds-3", "k"),
        ("memo", "a\tb"),
    ];
    let err = encode_with("example.us", &low_ttl, &more).unwrap_err();
    let form = err.form().clone();
    let got = messages(err.problems());
    assert_eq!(
        got,
        [
            "parameter `zone`: line 1 (`www A 0 192.0.2.1 30`): TTL 30 is below 60 (only NAPTR and SRV records may use 0, for no caching)",
            "parameter `note` is empty",
            "parameter `ds-3` is out of range: at most 2 are allowed, numbered from 1",
            "parameter `memo`: invalid string `a\\tb`: contains the control character `\\t`",
            "missing parameter `ds-1`: it is required when `dnssec` is `1`",
            "missing parameter `nexus`: it is required when the TLD is `us`",
        ]
    );
    // The same as full validation of the same form.
    assert_eq!(err.into_problems(), old_validate(&form, &[]));
}

#[test]
fn an_unwritable_zone_is_left_out_and_refused_once() {
    let mut zone = Zone::parse(ZONE);
    zone.push(Record::new(
        "x",
        300,
        RecordData::Txt("a\" 300\nevil A 0 203.0.113.66 60\ny TXT 0 \"".into()),
    ));
    let mut form = Form::new();
    let unwritable = encode::push_zone(&mut form, "zone", &zone);
    assert!(form.is_empty(), "the zone is left out");
    let [Problem::Zone { param, problem }] = unwritable.as_slice() else {
        panic!("one zone problem: {unwritable:?}");
    };
    assert_eq!((param.as_str(), problem.line), ("zone", Some(3)));

    let err = encode_with("example.com", &zone, &[]).unwrap_err();
    assert_eq!(err.problems(), unwritable, "not also a missing `zone`");
    assert_eq!(err.form().get("zone"), None);
    assert_eq!(err.form().get("domain"), Some("example.com"));
    assert_eq!(err.problems(), old_validate(err.form(), &unwritable));
}

#[test]
fn what_the_types_guarantee_is_not_checked_again_but_validated_checks_it() {
    // A typed request cannot hold a bad domain or leave out its required group; a form built
    // by hand can, and `validated` (full validation) is for that.
    let mut form = Form::new();
    form.push("domain", "not a domain");
    assert!(form.push_zone("zone", &Zone::parse(ZONE)).is_ok());
    let form =
        encode::finish(&ENCODE_META, form, Vec::new()).expect("only the residual checks run");
    let err = encode::validated(&ENCODE_META, form).unwrap_err();
    let got = messages(err.problems());
    assert_eq!(
        got,
        [
            "parameter `domain`: invalid domain name `not a domain`: invalid character ` ` (allowed: letters, digits, `-` and `.`)",
            "give exactly one of `a` or `b`",
        ]
    );
    assert_eq!(
        err.to_string(),
        format!("the parameters do not match the spec: {}", got.join("; "))
    );
}
