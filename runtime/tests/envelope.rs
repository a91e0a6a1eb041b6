//! Envelope parsing: the shapes the server really sends (see WIRE-NOTES.md).

#[path = "support/protocol.rs"]
mod protocol;
use dmapi_runtime::Envelope;
use protocol::PROTOCOL;

fn parse(body: &str) -> Envelope {
    Envelope::parse(body, &PROTOCOL).unwrap_or_else(|e| panic!("{body:?} should parse: {e}"))
}

fn headers(env: &Envelope) -> Vec<(&str, &str)> {
    env.headers().collect()
}

#[test]
fn headers_blank_line_payload() {
    let env = parse("Status-Code: 0\nStatus-Text: Command completed successfully\n\ncom\nnet\n");
    assert_eq!(
        headers(&env),
        [
            ("Status-Code", "0"),
            ("Status-Text", "Command completed successfully")
        ]
    );
    assert_eq!(env.payload(), "com\nnet\n");
    assert_eq!(env.status_code(), Some(0));
    assert_eq!(env.status_text(), Some("Command completed successfully"));
}

#[test]
fn crlf_line_ends() {
    let env = parse("Status-Code: 0\r\nAuth-Sid: abc\r\n\r\nline 1\r\nline 2\r\n");
    assert_eq!(headers(&env), [("Status-Code", "0"), ("Auth-Sid", "abc")]);
    assert_eq!(env.payload(), "line 1\r\nline 2\r\n");
}

#[test]
fn missing_blank_line() {
    // Only headers, no blank line: payload empty.
    let env = parse("Status-Code: 0\nProc-ID: 12345\n");
    assert_eq!(headers(&env), [("Status-Code", "0"), ("Proc-ID", "12345")]);
    assert_eq!(env.payload(), "");

    // No blank line before a payload: the payload starts at the first non-header line.
    let env = parse(
        "Status-Code: 0\nColumns: domain,expiration_date\nexample.com 2030-01-01\nexample.net 2031-01-01\n",
    );
    assert_eq!(headers(&env).len(), 2);
    assert_eq!(
        env.payload(),
        "example.com 2030-01-01\nexample.net 2031-01-01\n"
    );
}

#[test]
fn missing_trailing_newline() {
    assert_eq!(parse("Status-Code: 0").payload(), "");
    assert_eq!(parse("Status-Code: 0").status_code(), Some(0));
    let env = parse("Status-Code: 0\n\nlast line");
    assert_eq!(env.payload(), "last line");
}

#[test]
fn empty_payload() {
    let env = parse("Status-Code: 0\nProc-ID: 1\n\n");
    assert_eq!(env.payload(), "");
    assert_eq!(env.proc_id(), Some("1"));
}

#[test]
fn only_the_first_blank_line_splits() {
    let env = parse("Status-Code: 0\n\nkey: value\n\nmore\n");
    assert_eq!(headers(&env), [("Status-Code", "0")]);
    assert_eq!(env.payload(), "key: value\n\nmore\n");
}

#[test]
fn repeated_errors_and_warnings_are_all_kept() {
    let env = parse(
        "Status-Code: 2306\nStatus-Text: Command failed\nError: invalid period\nWarning: w1\nError: invalid domain\nError: \n\n",
    );
    assert_eq!(
        env.errors().collect::<Vec<_>>(),
        ["invalid period", "invalid domain", ""]
    );
    assert_eq!(env.warnings().collect::<Vec<_>>(), ["w1"]);
    assert_eq!(env.header("error"), Some("invalid period"));
    assert!(!env.is_success());
}

#[test]
fn values_empty_or_with_colons() {
    let env = parse(
        "Status-Code: 0\nStatus-Text: \nTiming:\nRemark: a: b:c\nURL: https://example.com:8443/x\nNoSpace:value\nTwo:  spaces\n\n",
    );
    assert_eq!(
        headers(&env),
        [
            ("Status-Code", "0"),
            ("Status-Text", ""),
            ("Timing", ""),
            ("Remark", "a: b:c"),
            ("URL", "https://example.com:8443/x"),
            ("NoSpace", "value"),
            ("Two", " spaces"),
        ]
    );
    assert_eq!(
        env.header("Status-Text"),
        Some(""),
        "an empty value is kept"
    );
    assert_eq!(
        env.status_text(),
        None,
        "but the convenience accessor skips it"
    );
}

#[test]
fn keys_match_case_insensitively() {
    let env = parse(
        "Auth-Sid: s1\nPROC-ID: 99\nAccount-balance: 10.00\nAccount-Balance: 20.00\nTracking-Id: T1\n\n",
    );
    assert_eq!(env.header("Auth-SID"), Some("s1"));
    assert_eq!(env.header("auth-sid"), Some("s1"));
    assert_eq!(env.proc_id(), Some("99"));
    assert_eq!(env.header("Proc-Id"), Some("99"));
    assert_eq!(
        env.header_all("ACCOUNT-BALANCE").collect::<Vec<_>>(),
        ["10.00", "20.00"]
    );
    assert_eq!(env.tracking_id(), Some("T1"));
    // Keys keep their spelling.
    assert_eq!(headers(&env)[1].0, "PROC-ID");
}

#[test]
fn tracking_id_falls_back_to_svtrid() {
    assert_eq!(
        parse("Status-Code: 0\nSvTrId: S-1\n").tracking_id(),
        Some("S-1")
    );
    assert_eq!(
        parse("Status-Code: 0\nTracking-Id: \nSVTRID: S-2\n").tracking_id(),
        Some("S-2")
    );
    assert_eq!(parse("Status-Code: 0\n").tracking_id(), None);
    assert_eq!(parse("Status-Code: 0\nProc-ID: \n").proc_id(), None);
}

#[test]
fn unknown_headers_kept_in_order() {
    let env = parse(
        "Version: 1.2.53\nX-New-Thing: 1\nStatus-Code: 0\nUser-Access: @full\nSession-Timeout: 3600\nStats-Foo: bar\n\n",
    );
    assert_eq!(
        headers(&env),
        [
            ("Version", "1.2.53"),
            ("X-New-Thing", "1"),
            ("Status-Code", "0"),
            ("User-Access", "@full"),
            ("Session-Timeout", "3600"),
            ("Stats-Foo", "bar"),
        ]
    );
}

#[test]
fn status_success_ranges() {
    let cases = [
        ("Status-Code: 0\n", true, Some(0)),
        ("Status-Code: 1000\n", true, Some(1000)),
        ("Status-Code: 1999\n", true, Some(1999)),
        ("Status-Code: 2000\n", false, Some(2000)),
        ("Status-Code: 2400\n", false, Some(2400)),
        ("Status-Code: 999\n", false, Some(999)),
        ("Status-Code: 1\n", false, Some(1)),
        ("Status-Code: x\n", false, None),
        ("Status-Code: \n", false, None),
        (
            "Status-Code: 0\nError: ignored when the code says success\n",
            true,
            Some(0),
        ),
        ("Version: 1.2\n", true, None),
        (
            "Version: 1.2\nError: no status code but an error\n",
            false,
            None,
        ),
    ];
    for (body, success, code) in cases {
        let env = parse(body);
        assert_eq!(env.is_success(), success, "{body:?}");
        assert_eq!(env.status_code(), code, "{body:?}");
    }
}

#[test]
fn non_dmapi_bodies_are_errors() {
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n";
    let bodies = [
        html,
        "<html><body>Error: 500</body></html>",
        "API key is invalid\n",
        "Internal Server Error",
        "",
        "\n\nStatus-Code: 0\n",
        " Status-Code: 0\n",
        "Status Code: 0\n",
    ];
    for body in bodies {
        let err = Envelope::parse(body, &PROTOCOL).expect_err(body);
        assert_eq!(err.raw, body, "the raw body is kept");
        assert!(
            err.message.starts_with("not a DMAPI response"),
            "{}",
            err.message
        );
        if !body.is_empty() {
            assert!(
                !err.to_string().contains(body.trim()),
                "Display does not dump the body: {err}"
            );
        }
    }
}

#[test]
fn parse_owned_matches_parse() {
    let body = "Status-Code: 0\nAuth-Sid: s\n\nx\n";
    assert_eq!(
        Envelope::parse_owned(body.to_owned(), &PROTOCOL).unwrap(),
        parse(body)
    );
}

#[test]
fn debug_redacts_the_session_id() {
    let env = parse("Status-Code: 0\nAuth-Sid: 0123456789abcdef\n\ncom\n");
    let debug = format!("{env:?}");
    assert!(!debug.contains("0123456789abcdef"), "{debug}");
    assert!(debug.contains(r#"("Auth-Sid", ***)"#), "{debug}");
    assert!(debug.contains(r#"("Status-Code", "0")"#), "{debug}");
}

#[test]
fn replies_written_by_the_server_side_parse_back_and_cannot_inject_headers() {
    use dmapi_runtime::meta::Separator;
    use dmapi_runtime::reply::Reply;
    let text = Reply::new(&PROTOCOL, 2400, "Command failed")
        .error("first\nStatus-Code: 0")
        .error("second")
        .columns(["domain", "expiration_date"], Separator::Tab)
        .finish("a.com\t2030-01-01\n");
    let env = Envelope::parse(&text, &PROTOCOL).unwrap();
    assert_eq!(env.status_code(), Some(2400));
    assert!(!env.is_success(), "a value's newline must not add a header");
    assert_eq!(
        env.errors().collect::<Vec<_>>(),
        ["first Status-Code: 0", "second"]
    );
    assert_eq!(env.header("separator"), Some("TAB"));
    assert_eq!(env.payload(), "a.com\t2030-01-01\n");
}

#[test]
fn redacted_hides_the_session_id_and_secret_lines_and_keeps_the_rest() {
    let sid = &PROTOCOL.headers.session_id;
    let env = parse(&format!(
        "Status-Code: 0\n{sid}: 0123abcd\n\nDomain: example.com\nthe authorization id is : \"s3cr3t\"\nlast line: no newline"
    ));
    let shown = env.redacted(&["The Authorization ID is"]);
    assert_eq!(
        shown,
        format!(
            "Status-Code: 0\n{sid}: ***\n\nDomain: example.com\nthe authorization id is : ***\nlast line: no newline"
        )
    );
    // Without secret keys only the session id goes; a payload without `key:` lines is kept.
    let env = parse("Status-Code: 0\n\nexample.com 2030-01-01\nsecret");
    assert_eq!(
        env.redacted(&["secret"]),
        "Status-Code: 0\n\nexample.com 2030-01-01\nsecret"
    );
}
