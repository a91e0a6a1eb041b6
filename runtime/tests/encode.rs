//! `encode::finish` and `encode::push_zone`: what a typed request's `encode` checks, against a
//! small hand-written metadata table. The problems are those `validate` finds in the same form,
//! in the same order; what the field types guarantee is not checked again.

use dmapi_runtime::encode::{self, EncodeError};
use dmapi_runtime::meta::{
    BodyKind, Condition, GroupKind, GroupMeta, ParamMeta, RequestKind, RequestMeta, ReturnsMeta,
    Separator, ValueType,
};
use dmapi_runtime::validate::{Problem, validate_form};
use dmapi_runtime::zone::{Record, RecordData};
use dmapi_runtime::{Form, Zone};

const fn param(name: &'static str, ty: ValueType) -> ParamMeta {
    ParamMeta {
        name,
        doc: "",
        ty,
        required: false,
        secret: false,
        allow_empty: false,
        deprecated: None,
        indexed: None,
        required_when: &[],
        default: None,
        example: None,
    }
}

static META: RequestMeta = RequestMeta {
    name: "encode-test",
    section: "tests",
    summary: "A zone request with a condition, an indexed parameter and a string.",
    docs: "",
    kind: RequestKind::Sync,
    costs: false,
    changes: true,
    auth: true,
    session_param: Some("auth-sid"),
    deprecated: None,
    alias_of: None,
    extension: None,
    tld_from: Some("domain"),
    params: &[
        ParamMeta {
            required: true,
            ..param("domain", ValueType::Domain)
        },
        ParamMeta {
            required: true,
            ..param("zone", ValueType::Zone)
        },
        param(
            "dnssec",
            ValueType::Flag(dmapi_runtime::meta::FlagSpelling::ZeroOne),
        ),
        ParamMeta {
            indexed: Some(2),
            required_when: &[Condition {
                tlds: &[],
                params: &[("dnssec", &["1"])],
            }],
            ..param("ds", ValueType::String)
        },
        ParamMeta {
            required_when: &[Condition {
                tlds: &["us"],
                params: &[],
            }],
            ..param("nexus", ValueType::String)
        },
        param("note", ValueType::String),
        param("memo", ValueType::String),
        param("a", ValueType::String),
        param("b", ValueType::String),
    ],
    groups: &[GroupMeta {
        name: "ab",
        kind: GroupKind::ExactlyOne,
        alternatives: &[&["a"], &["b"]],
        doc: "",
    }],
    returns: ReturnsMeta {
        body: BodyKind::None,
        doc: "",
        headers: &[],
        columns: &[],
        extra_columns: &[],
        separator: Separator::Whitespace,
    },
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
    encode::finish(&META, form, problems)
}

/// What `Request::validate` reported before `encode` checked: the unwritable values' problems,
/// then `validate_form`'s, less the parameters missing for that reason.
fn old_validate(form: &Form, unwritable: &[Problem]) -> Vec<Problem> {
    let mut problems = unwritable.to_vec();
    let left_out = |param: &str| unwritable.iter().any(|p| p.param() == Some(param));
    problems.extend(
        validate_form(&META, form)
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
    let got: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
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
    let form = encode::finish(&META, form, Vec::new()).expect("only the residual checks run");
    let err = encode::validated(&META, form).unwrap_err();
    let got: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
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
