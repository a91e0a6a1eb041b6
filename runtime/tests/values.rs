//! Every value type: what it accepts, how it normalises, what it rejects and why.

use std::fmt::Debug;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use dmapi_runtime::meta::ValueType;
use dmapi_runtime::{
    CountryCode, Date, DomainName, Email, FromWire, Handle, LanguageCode, Months, Pattern, Price,
    Secret, ToWire, ValueError, Year,
};

/// Asserts that each `(input, wire)` is accepted by every entry point (`FromStr`, `TryFrom`,
/// `FromWire`, `ValueType::check`) and encodes to `wire`.
fn accepts<T>(ty: ValueType, cases: &[(&str, &str)])
where
    T: FromStr<Err = ValueError>
        + for<'s> TryFrom<&'s str, Error = ValueError>
        + TryFrom<String, Error = ValueError>
        + FromWire
        + ToWire
        + PartialEq
        + Debug,
{
    for &(input, wire) in cases {
        let value: T = input
            .parse()
            .unwrap_or_else(|e| panic!("{input:?} should be accepted: {e}"));
        assert_eq!(value.to_wire(), wire, "wire form of {input:?}");
        assert_eq!(
            T::try_from(input).as_ref(),
            Ok(&value),
            "TryFrom<&str> {input:?}"
        );
        assert_eq!(
            T::try_from(input.to_owned()).as_ref(),
            Ok(&value),
            "TryFrom<String> {input:?}"
        );
        assert_eq!(
            T::from_wire(input).as_ref(),
            Ok(&value),
            "FromWire {input:?}"
        );
        assert_eq!(ty.check(input), Ok(()), "ValueType::check {input:?}");
        // The wire form reads back as the same value.
        assert_eq!(
            T::from_wire(&value.to_wire()).as_ref(),
            Ok(&value),
            "round trip {input:?}"
        );
    }
}

/// Asserts that each `(input, reason)` is rejected by every entry point, with `kind` and a reason
/// containing `reason`; the constructor's error quotes the value, the check's does too.
fn rejects<T>(ty: ValueType, kind: &str, cases: &[(&str, &str)])
where
    T: FromStr<Err = ValueError> + FromWire + Debug,
{
    for &(input, reason) in cases {
        let err = input
            .parse::<T>()
            .expect_err(&format!("{input:?} should be rejected"));
        assert_eq!(err.kind, kind, "kind for {input:?}");
        assert!(
            err.reason.contains(reason),
            "reason for {input:?} is {:?}, expected it to contain {reason:?}",
            err.reason
        );
        assert!(
            err.to_string().starts_with(&format!("invalid {kind}: `")),
            "message for {input:?}: {err}"
        );
        assert_eq!(
            T::from_wire(input).err(),
            Some(err.clone()),
            "FromWire {input:?}"
        );
        assert_eq!(
            ty.check(input).err(),
            Some(err),
            "ValueType::check {input:?}"
        );
    }
}

#[test]
fn domain_names() {
    accepts::<DomainName>(
        ValueType::Domain,
        &[
            ("example.com", "example.com"),
            ("Example.COM", "example.com"),
            ("a.ns.joker.com", "a.ns.joker.com"),
            ("xn--bcher-kva.de", "xn--bcher-kva.de"),
            ("1-2.3", "1-2.3"),
            ("a.b", "a.b"),
        ],
    );
    let long_label = format!("{}.com", "a".repeat(63));
    let max_total = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "b".repeat(61));
    assert_eq!(max_total.len(), 253);
    for ok in [&long_label, &max_total] {
        assert!(DomainName::new(ok).is_ok(), "{ok}");
    }

    let too_long_label = format!("{}.com", "a".repeat(64));
    let too_long = format!("{max_total}b");
    rejects::<DomainName>(
        ValueType::Domain,
        "domain name",
        &[
            ("", "empty"),
            ("com", "at least two labels"),
            ("a..b", "empty label"),
            (".example.com", "empty label"),
            ("example.com.", "trailing dot"),
            ("-a.com", "hyphen"),
            ("a-.com", "hyphen"),
            ("ex_ample.com", "invalid character `_`"),
            ("exa mple.com", "invalid character ` `"),
            ("example.com\n", "invalid character `\\n`"),
            ("exa\u{0}mple.com", "invalid character `\\0`"),
            ("bücher.de", "punycode (`xn--`)"),
            (&too_long_label, "label 1 is too long: 64 characters"),
            (&too_long, "too long: 254 characters"),
        ],
    );
}

#[test]
fn domain_error_message_quotes_the_value() {
    let err = DomainName::new("a..b").unwrap_err();
    assert_eq!(err.to_string(), "invalid domain name: `a..b`: empty label");
    // Control characters are escaped and long values cut in messages.
    let err = DomainName::new(format!("{}\n", "x".repeat(100))).unwrap_err();
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.contains(&format!("`{}…`", "x".repeat(64))), "{msg}");
}

#[test]
fn handles() {
    let max = "H".repeat(64);
    accepts::<Handle>(
        ValueType::Handle,
        &[
            ("COCO-4711", "COCO-4711"),
            ("CCOM-1", "CCOM-1"),
            ("coco-47", "coco-47"),
            ("a.b_c", "a.b_c"),
            ("x", "x"),
            (&max, &max),
        ],
    );
    let too_long = "H".repeat(65);
    rejects::<Handle>(
        ValueType::Handle,
        "contact handle",
        &[
            ("", "empty"),
            ("CO CO", "invalid character ` `"),
            ("COCO\t1", "invalid character `\\t`"),
            ("COCO/1", "invalid character `/`"),
            ("HÄNDLE", "invalid character `Ä`"),
            (&too_long, "too long: 65 characters"),
        ],
    );
}

#[test]
fn emails() {
    accepts::<Email>(
        ValueType::Email,
        &[
            ("john@example.com", "john@example.com"),
            (
                "John.Doe+tag@mail.example.co.uk",
                "John.Doe+tag@mail.example.co.uk",
            ),
            ("jö@exämple.de", "jö@exämple.de"),
        ],
    );
    let too_long = format!("{}@example.com", "a".repeat(243));
    assert_eq!(too_long.len(), 255);
    rejects::<Email>(
        ValueType::Email,
        "e-mail address",
        &[
            ("", "empty"),
            ("john.example.com", "needs an `@`"),
            ("a@b@example.com", "more than one `@`"),
            ("@example.com", "nothing before the `@`"),
            ("jo hn@example.com", "before the `@`"),
            ("john\u{7}@example.com", "before the `@`"),
            ("john@exa mple.com", "after the `@`"),
            ("john@example.com\r\n", "after the `@`"),
            ("john@localhost", "needs a dot"),
            ("john@example..com", "empty label"),
            ("john@example.com.", "empty label"),
            (&too_long, "too long: 255 characters"),
        ],
    );
}

#[test]
fn patterns() {
    accepts::<Pattern>(
        ValueType::Pattern,
        &[("*", "*"), ("exam?le.*", "exam?le.*"), ("CCOM-*", "CCOM-*")],
    );
    rejects::<Pattern>(
        ValueType::Pattern,
        "pattern",
        &[
            ("", "empty"),
            ("a b", "whitespace"),
            ("a\tb", "whitespace"),
            ("*\n", "control character"),
            ("\u{1b}*", "control character"),
        ],
    );
}

#[test]
fn country_codes() {
    accepts::<CountryCode>(
        ValueType::Country,
        &[("DE", "DE"), ("us", "US"), ("Gb", "GB")],
    );
    rejects::<CountryCode>(
        ValueType::Country,
        "country code",
        &[
            ("", "two letters"),
            ("D", "two letters"),
            ("DEU", "two letters"),
            ("D1", "two letters"),
            ("D ", "two letters"),
            ("Ü1", "two letters"),
            ("D\n", "two letters"),
        ],
    );
}

#[test]
fn language_codes() {
    accepts::<LanguageCode>(
        ValueType::Language,
        &[("en", "en"), ("DE", "de"), ("Deu", "deu")],
    );
    rejects::<LanguageCode>(
        ValueType::Language,
        "language code",
        &[
            ("", "two or three letters"),
            ("e", "two or three letters"),
            ("engl", "two or three letters"),
            ("e1", "two or three letters"),
            ("en\t", "two or three letters"),
        ],
    );
}

#[test]
fn dates() {
    accepts::<Date>(
        ValueType::Date,
        &[
            ("2024-02-29", "2024-02-29"),
            ("2000-02-29", "2000-02-29"),
            ("1999-12-31", "1999-12-31"),
            ("2030-01-01", "2030-01-01"),
            ("0001-01-01", "0001-01-01"),
        ],
    );
    rejects::<Date>(
        ValueType::Date,
        "date",
        &[
            ("", "expected YYYY-MM-DD"),
            ("2024-2-29", "expected YYYY-MM-DD"),
            ("20240229", "expected YYYY-MM-DD"),
            ("2024/02/29", "expected YYYY-MM-DD"),
            ("2024-02-29 ", "expected YYYY-MM-DD"),
            ("2024-02-29\n", "expected YYYY-MM-DD"),
            ("+202-02-02", "expected YYYY-MM-DD"),
            ("2023-02-29", "day 29 does not exist in 2023-02 (28 days)"),
            ("1900-02-29", "day 29 does not exist"),
            ("2024-04-31", "day 31 does not exist"),
            ("2024-01-00", "day 0 does not exist"),
            ("2024-13-01", "month 13 does not exist"),
            ("2024-00-01", "month 0 does not exist"),
            ("0000-01-01", "year 0 is out of range"),
        ],
    );
    let d = Date::from_ymd(2024, 2, 29).unwrap();
    assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
    assert_eq!(d.to_string(), "2024-02-29");
    assert_eq!(Date::new("2024-02-29"), Ok(d));
    assert!(Date::from_ymd(2023, 2, 29).is_err());
    assert!(Date::from_ymd(2024, 2, 28).unwrap() < d);
    assert!(Date::from_ymd(2023, 12, 31).unwrap() < Date::from_ymd(2024, 1, 1).unwrap());
}

#[test]
fn months() {
    accepts::<Months>(
        ValueType::Months,
        &[("1", "1"), ("12", "12"), ("120", "120"), ("012", "12")],
    );
    rejects::<Months>(
        ValueType::Months,
        "months",
        &[
            ("", "empty"),
            ("0", "not between 1 and 120"),
            ("121", "not between 1 and 120"),
            ("99999999999", "not between 1 and 120"),
            ("-1", "digits only"),
            ("+12", "digits only"),
            ("1.5", "digits only"),
            (" 12", "digits only"),
            ("12\n", "digits only"),
            ("1y", "digits only"),
        ],
    );
    assert_eq!(Months::new(24).map(Months::get), Ok(24));
    assert_eq!(Months::years(2), Months::new(24));
    assert_eq!(Months::years(10).map(Months::get), Ok(120));
    assert!(Months::years(11).is_err());
    assert!(Months::years(0).is_err());
    assert!(
        Months::years(u16::MAX).is_err(),
        "overflow is an error, not a panic"
    );
    assert!(Months::new(0).is_err());
    assert!(Months::try_from(121u16).is_err());
}

#[test]
fn years() {
    accepts::<Year>(
        ValueType::Year,
        &[("1970", "1970"), ("2030", "2030"), ("9999", "9999")],
    );
    rejects::<Year>(
        ValueType::Year,
        "year",
        &[
            ("", "empty"),
            ("1969", "not between 1970 and 9999"),
            ("0000", "not between 1970 and 9999"),
            ("203", "four digits"),
            ("02030", "four digits"),
            ("20300", "four digits"),
            ("-2030", "digits only"),
            ("2030\n", "digits only"),
        ],
    );
    assert_eq!(Year::new(2030).map(Year::get), Ok(2030));
    assert!(Year::new(1969).is_err());
    assert!(Year::new(10000).is_err());
}

#[test]
fn prices() {
    accepts::<Price>(
        ValueType::Price,
        &[
            ("12", "12"),
            ("8.21", "8.21"),
            ("0.5", "0.5"),
            ("012.50", "12.5"),
            ("3.00", "3"),
            ("0.0001", "0.0001"),
            ("999999999999999.9999", "999999999999999.9999"),
        ],
    );
    rejects::<Price>(
        ValueType::Price,
        "price",
        &[
            ("", "empty"),
            ("0", "greater than 0"),
            ("0.000", "greater than 0"),
            ("-1", "greater than 0"),
            ("1.23456", "more than 4 decimal places"),
            ("1e3", "decimal number"),
            ("NaN", "decimal number"),
            ("inf", "decimal number"),
            (".5", "decimal number"),
            ("5.", "decimal number"),
            ("+5", "decimal number"),
            ("1,5", "decimal number"),
            ("1.2.3", "decimal number"),
            (" 5", "decimal number"),
            ("5\n", "decimal number"),
            ("1000000000000000", "too large"),
        ],
    );
    assert_eq!(Price::new("012.50").unwrap().as_str(), "12.5");
}

#[test]
fn plain_values() {
    // String accepts anything when read, and is its own wire form.
    assert_eq!(String::from_wire("a\tb: c\n"), Ok("a\tb: c\n".to_owned()));
    assert_eq!("x".to_owned().to_wire(), "x");
    assert_eq!("x".to_wire(), "x");

    assert_eq!(i64::from_wire("-42"), Ok(-42));
    assert_eq!((-42i64).to_wire(), "-42");
    assert_eq!(u32::from_wire("4294967295"), Ok(u32::MAX));
    assert_eq!(u64::from_wire("0"), Ok(0));
    assert_eq!(7u64.to_wire(), "7");
    for bad in ["", "+1", "1.0", "0x10", " 1", "1 ", "ten"] {
        assert!(i64::from_wire(bad).is_err(), "i64 {bad:?}");
    }
    assert!(
        u32::from_wire("4294967296")
            .unwrap_err()
            .reason
            .contains("out of range")
    );
    assert!(u32::from_wire("-1").is_err());

    let v4 = Ipv4Addr::new(192, 0, 2, 1);
    assert_eq!(Ipv4Addr::from_wire("192.0.2.1"), Ok(v4));
    assert_eq!(v4.to_wire(), "192.0.2.1");
    let v6: Ipv6Addr = "2001:db8::1".parse().unwrap();
    assert_eq!(Ipv6Addr::from_wire("2001:DB8:0::1"), Ok(v6));
    assert_eq!(v6.to_wire(), "2001:db8::1");
    for (ty, bad) in [
        (ValueType::Ipv4, "192.0.2"),
        (ValueType::Ipv4, "192.0.2.256"),
        (ValueType::Ipv4, "2001:db8::1"),
        (ValueType::Ipv6, "192.0.2.1"),
        (ValueType::Ipv6, "2001:db8::g"),
        (ValueType::Ipv6, ""),
    ] {
        assert!(ty.check(bad).is_err(), "{ty:?} {bad:?}");
    }
    assert!(Ipv4Addr::from_wire("-").is_err());
    assert!(Ipv6Addr::from_wire("-").is_err());
}

#[test]
fn secrets_never_show_their_value() {
    let s = Secret::new("hunter2");
    assert_eq!(format!("{s:?}"), "Secret(***)");
    assert_eq!(format!("{s}"), "***");
    assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(***))");
    assert_eq!(s.expose(), "hunter2");
    assert_eq!(s.to_wire(), "hunter2");
    assert_eq!(Secret::from_wire("a b\n"), Ok(Secret::new("a b\n")));
    assert_eq!(Secret::from("x"), Secret::from("x".to_owned()));

    // The check of a secret-typed value does not quote it.
    let err = ValueType::Secret.check("pass\nword").unwrap_err();
    assert!(!err.to_string().contains("pass"), "{err}");
    assert_eq!(ValueType::Secret.check("any thing"), Ok(()));
}

#[test]
fn text_newtypes_convert_to_strings() {
    let d = DomainName::new("EXAMPLE.com").unwrap();
    assert_eq!(d.to_string(), "example.com");
    assert_eq!(d.as_ref() as &str, "example.com");
    assert_eq!(String::from(d), "example.com");
    assert_eq!(CountryCode::new("de").unwrap().as_str(), "DE");
    assert_eq!(LanguageCode::new("EN").unwrap().as_str(), "en");
    assert_eq!(Handle::new("CCOM-1").unwrap().as_str(), "CCOM-1");
}
