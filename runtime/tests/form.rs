//! Form: order, lookup, urlencoding and redaction.

use dmapi_runtime::Form;

#[test]
fn keeps_order_and_real_values() {
    let mut form = Form::new();
    assert!(form.is_empty());
    form.push("domain", "example.com");
    form.push(format!("ds-{}", 1), String::from("257 3 13 abc"));
    form.push_secret("password", "hunter2");
    form.push("domain", "second.example");
    assert_eq!(form.len(), 4);
    assert!(!form.is_empty());
    assert_eq!(
        form.iter().collect::<Vec<_>>(),
        [
            ("domain", "example.com"),
            ("ds-1", "257 3 13 abc"),
            ("password", "hunter2"),
            ("domain", "second.example"),
        ]
    );
    assert_eq!(form.get("domain"), Some("example.com"), "the first value");
    assert_eq!(form.get("PASSWORD"), Some("hunter2"));
    assert_eq!(form.get("missing"), None);
}

#[test]
fn urlencoded_body() {
    let mut form = Form::new();
    form.push("ns-list", "a.ns.example.com:b.ns.example.com");
    form.push("name", "Jöhn & Doe = 100%");
    form.push("zone", "www A 0 192.0.2.1\n$dnssec=no");
    form.push_secret("auth-sid", "s+1/2");
    form.push("empty", "");
    assert_eq!(
        form.to_urlencoded(),
        "ns-list=a.ns.example.com%3Ab.ns.example.com\
         &name=J%C3%B6hn+%26+Doe+%3D+100%25\
         &zone=www+A+0+192.0.2.1%0A%24dnssec%3Dno\
         &auth-sid=s%2B1%2F2\
         &empty="
    );
    assert_eq!(Form::new().to_urlencoded(), "");
}

#[test]
fn debug_redacts_secrets() {
    let mut form = Form::new();
    form.push("username", "john");
    form.push_secret("password", "hunter2");
    form.push_secret("auth-sid", "0123456789abcdef");
    let debug = format!("{form:?}");
    assert_eq!(
        debug,
        r#"Form({"username": "john", "password": ***, "auth-sid": ***})"#
    );
    let pretty = format!("{form:#?}");
    assert!(!pretty.contains("hunter2") && !pretty.contains("0123456789abcdef"));
    // A clone keeps the secret marks.
    assert_eq!(format!("{:?}", form.clone()), debug);
}
