//! The generated `dmapi` crate against the project spec: requests encode as the docs say,
//! validate, and parse their output.

use dmapi::meta::{GroupKind, RequestKind};
use dmapi::{
    ContactName, DomainCheck, DomainCheckDomainStatus, DomainDelete, DomainModify, DomainName,
    DomainOwnerChange, DomainPrivacyOrder, DomainRegister, DomainRenew, Envelope, Handle, Login,
    LoginUserAccess, LoginWith, Months, PrivacyLevel, QueryDomainList, Request, ResultList,
    Results, Secret, Term, Year, metadata,
};

fn domain(s: &str) -> DomainName {
    s.parse().expect("valid domain")
}

fn handle(s: &str) -> Handle {
    s.parse().expect("valid handle")
}

fn env(text: &str) -> Envelope {
    Envelope::parse(text, &dmapi::metadata::PROTOCOL).expect("a DMAPI response")
}

fn pairs(form: &dmapi::Form) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn p(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

#[test]
fn every_request_has_a_summary_and_lookup_ignores_case() {
    // Which requests exist is checked against the docs' contents in conformance.rs.
    for r in metadata::REQUESTS {
        assert!(!r.summary.is_empty(), "{} has no summary", r.name);
    }
    assert_eq!(
        metadata::find("DOMAIN-RENEW").map(|r| &*r.name),
        Some("domain-renew")
    );
    assert!(metadata::find("no-such-request").is_none());
}

#[test]
fn every_request_has_a_valid_example_parameter_set() {
    // What the CLI and the sandbox tests send when they fill in a request from metadata.
    for r in metadata::REQUESTS {
        let params = r.example_params();
        let checked =
            dmapi::validate::validate(r, params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(checked, Ok(()), "{}: {params:?}", r.name);
        let required = r.params.iter().filter(|p| p.required).count();
        assert!(params.len() >= required, "{}", r.name);
    }
    // The spec's own examples win over the type's sample; groups give one alternative.
    let create = metadata::find("contact-create").unwrap();
    let params = create.example_params();
    assert!(
        params.contains(&("tld".to_owned(), "com".to_owned())),
        "{params:?}"
    );
    let renew = metadata::find("domain-renew").unwrap().example_params();
    let terms = renew
        .iter()
        .filter(|(k, _)| k == "period" || k == "expyear")
        .count();
    assert_eq!(terms, 1, "{renew:?}");
}

#[test]
fn queries_are_marked_and_never_queued_or_charged() {
    // Access levels (@read-only) and retry safety rest on `changes`; a queued or charged
    // request marked as a query would be retried or allowed where it must not be.
    let queries: Vec<&str> = metadata::REQUESTS
        .iter()
        .filter(|r| !r.changes)
        .map(|r| &*r.name)
        .collect();
    assert!(queries.len() >= 15, "{queries:?}");
    for r in metadata::REQUESTS.iter().filter(|r| !r.changes) {
        assert_eq!(r.kind, RequestKind::Sync, "{} is queued", r.name);
        assert!(!r.costs, "{} costs money", r.name);
    }
    for name in [
        "login",
        "query-domain-list",
        "dns-zone-get",
        "result-retrieve",
    ] {
        assert!(queries.contains(&name), "{name}");
    }
    for name in [
        "domain-renew",
        "dns-zone-put",
        "contact-create",
        "result-delete",
    ] {
        assert!(metadata::find(name).is_some_and(|r| r.changes), "{name}");
    }
}

#[test]
fn exclusive_groups_of_renew_and_privacy_order_are_enums() {
    let renew = metadata::find("domain-renew").unwrap();
    assert_eq!(renew.groups.len(), 1);
    assert_eq!(renew.groups[0].kind, GroupKind::ExactlyOne);
    assert_eq!(
        renew.groups[0]
            .alternatives
            .iter()
            .map(|a| a.to_vec())
            .collect::<Vec<_>>(),
        [["period"], ["expyear"]]
    );
    let order = metadata::find("domain-privacy-order").unwrap();
    assert_eq!(order.groups[0].kind, GroupKind::AtMostOne);

    let by_period = DomainRenew::new(
        domain("example.com"),
        Term::Period(Months::new(12).unwrap()),
    );
    assert_eq!(
        pairs(&by_period.to_form()),
        [p("domain", "example.com"), p("period", "12")]
    );
    let by_year = DomainRenew::new(
        domain("example.com"),
        Term::Expyear(Year::new(2030).unwrap()),
    );
    assert_eq!(
        pairs(&by_year.to_form()),
        [p("domain", "example.com"), p("expyear", "2030")]
    );

    let lifetime = DomainPrivacyOrder::new(domain("example.com"), PrivacyLevel::Pro);
    assert_eq!(
        pairs(&lifetime.to_form()),
        [p("domain", "example.com"), p("privacy", "pro")]
    );
    assert!(lifetime.validate().is_ok());
}

#[test]
fn register_fills_in_the_default_status_and_joins_name_servers_with_colons() {
    let h = handle("COCO-4711");
    let req = DomainRegister::new(
        domain("example.com"),
        Months::new(12).unwrap(),
        h.clone(),
        h.clone(),
        h.clone(),
        h,
        [domain("a.ns.joker.com"), domain("b.ns.joker.com")],
    )
    .autorenew(true);
    assert_eq!(
        pairs(&req.to_form()),
        [
            p("domain", "example.com"),
            p("period", "12"),
            p("status", "production"),
            p("owner-c", "COCO-4711"),
            p("billing-c", "COCO-4711"),
            p("admin-c", "COCO-4711"),
            p("tech-c", "COCO-4711"),
            p("ns-list", "a.ns.joker.com:b.ns.joker.com"),
            p("autorenew", "1"),
        ]
    );
    assert!(req.validate().is_ok(), "{:?}", req.validate());
    let meta = DomainRegister::meta();
    assert_eq!(meta.kind, RequestKind::Async);
    assert!(meta.costs);
}

#[test]
fn secrets_are_sent_but_never_shown() {
    let login = Login::new(LoginWith::UsernamePassword {
        username: "reseller@example.com".into(),
        password: Secret::new("hunter2"),
    });
    let form = login.to_form();
    assert_eq!(form.get("password"), Some("hunter2"));
    assert!(form.to_urlencoded().contains("password=hunter2"));
    for shown in [format!("{login:?}"), format!("{form:?}")] {
        assert!(!shown.contains("hunter2"), "secret leaked: {shown}");
    }
    assert!(!Login::meta().auth, "login needs no session");
}

#[test]
fn indexed_parameters_are_numbered_and_bounded() {
    let keys: Vec<String> = (1..=7).map(|i| format!("{i}:3:1:ABCDEF")).collect();
    let six = DomainModify::new(domain("example.com"))
        .dnssec(true)
        .ds(keys[..6].to_vec());
    let form = six.to_form();
    assert_eq!(form.get("ds-1"), Some("1:3:1:ABCDEF"));
    assert_eq!(form.get("ds-6"), Some("6:3:1:ABCDEF"));
    assert!(six.validate().is_ok(), "{:?}", six.validate());

    let seven = DomainModify::new(domain("example.com"))
        .dnssec(true)
        .ds(keys);
    let problems = seven.validate().expect_err("ds-7 is one too many");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].to_string().contains("ds-7"), "{}", problems[0]);

    // dnssec=1 requires keys.
    let no_keys = DomainModify::new(domain("example.com")).dnssec(true);
    let problems = no_keys
        .validate()
        .expect_err("keys are required with dnssec=1");
    assert!(problems[0].to_string().contains("ds"), "{}", problems[0]);
}

#[test]
fn owner_change_takes_a_name_or_deprecated_first_and_last_name() {
    let owner = |name| {
        DomainOwnerChange::new(
            domain("example.com"),
            "johnd@someisp.com".parse().unwrap(),
            "Smartroad 1",
            "Smalltown",
            "40122",
            "US".parse().unwrap(),
            "+1.422.8001",
            name,
        )
    };
    let by_name = owner(ContactName::Name("John Doe".into()));
    assert_eq!(by_name.to_form().get("name"), Some("John Doe"));
    assert!(by_name.validate().is_ok(), "{:?}", by_name.validate());

    #[allow(deprecated)]
    let by_parts = owner(ContactName::FnameLname {
        fname: "John".into(),
        lname: "Doe".into(),
    });
    let form = by_parts.to_form();
    assert_eq!(
        (form.get("fname"), form.get("lname"), form.get("name")),
        (Some("John"), Some("Doe"), None)
    );
    assert!(by_parts.validate().is_ok(), "{:?}", by_parts.validate());
}

#[test]
fn force_is_sent_as_one_and_read_in_every_documented_spelling() {
    let req = DomainDelete::new(domain("example.com")).force(true);
    assert_eq!(req.to_form().get("force"), Some("1"));
    let meta = metadata::find("domain-delete").unwrap();
    for spelling in ["1", "Y", "Yes", "0", "N", "No"] {
        let r = dmapi::validate::validate(meta, [("domain", "example.com"), ("force", spelling)]);
        assert!(r.is_ok(), "force={spelling}: {r:?}");
    }
    assert!(
        dmapi::validate::validate(meta, [("domain", "example.com"), ("force", "true")]).is_err()
    );
}

#[test]
fn async_requests_answer_a_proc_id() {
    let req = DomainRenew::new(
        domain("example.com"),
        Term::Period(Months::new(12).unwrap()),
    );
    let out = req
        .parse_output(&env("Status-Code: 0\nStatus-Text: Command completed successfully\nTracking-Id: 42-abc\nProc-ID: 8181810\n\n"))
        .unwrap();
    assert_eq!(out.proc_id, "8181810");
    assert_eq!(out.tracking_id.as_deref(), Some("42-abc"));
    let missing = req
        .parse_output(&env("Status-Code: 0\n\n"))
        .expect_err("no Proc-ID");
    assert_eq!(missing.request, "domain-renew");
}

#[test]
fn login_output_carries_the_session_headers_and_tlds() {
    let req = Login::new(LoginWith::ApiKey(Secret::new("k")));
    let out = req
        .parse_output(&env(
            "Auth-Sid: 20ddb8c3b2ea758dcf9fa4c7f46c0784\nUID: 4711\nUser-Access: @read-only\nSession-Timeout: 3600\nStatus-Code: 0\n\ncom\nnet\norg\n",
        ))
        .unwrap();
    assert_eq!(out.auth_sid.expose(), "20ddb8c3b2ea758dcf9fa4c7f46c0784");
    assert_eq!(out.uid.as_deref(), Some("4711"));
    assert_eq!(out.user_access, Some(LoginUserAccess::ReadOnly));
    assert_eq!(out.session_timeout, Some(3600));
    assert_eq!(out.tlds, ["com", "net", "org"]);
    assert!(
        !format!("{out:?}").contains("20ddb8c3"),
        "session id shown in Debug"
    );

    let no_sid = req
        .parse_output(&env("Status-Code: 0\n\ncom\n"))
        .expect_err("Auth-Sid is required");
    assert_eq!(no_sid.field, "Auth-Sid");
    // A newer server's access level is kept, not rejected.
    let newer = req
        .parse_output(&env("Auth-Sid: x\nUser-Access: @billing-only\n\n"))
        .unwrap();
    assert_eq!(
        newer.user_access,
        Some(LoginUserAccess::Unknown("@billing-only".into()))
    );
}

#[test]
fn domain_list_rows_follow_the_columns_header_or_the_spec() {
    let req = QueryDomainList::new().showstatus(true);
    let with_header = req
        .parse_output(&env(
            "Status-Code: 0\nColumns: domain,expiration_date,domain_status\n\nexample.com 2025-06-30 production,autorenew\nexample.net 2026-01-31 lock\n",
        ))
        .unwrap();
    assert_eq!(with_header.len(), 2);
    assert_eq!(with_header[0].domain.as_str(), "example.com");
    assert_eq!(with_header[0].expiration_date.to_string(), "2025-06-30");
    use dmapi::DomainStatus as Flag;
    assert_eq!(
        with_header[0].domain_status,
        Some(vec![Flag::Production, Flag::Autorenew])
    );
    assert_eq!(with_header[1].domain_status, Some(vec![Flag::Lock]));
    assert_eq!(with_header[0].grants, None);

    // Without a Columns header the spec's columns apply: base plus those of the flags set.
    let without = req
        .parse_output(&env("Status-Code: 0\n\nexample.org 2027-02-28 lock\n"))
        .unwrap();
    assert_eq!(without[0].domain_status, Some(vec![Flag::Lock]));
    let plain = QueryDomainList::new()
        .parse_output(&env("Status-Code: 0\n\nexample.org 2027-02-28\n"))
        .unwrap();
    assert_eq!(plain[0].domain_status, None);

    let bad = QueryDomainList::new()
        .parse_output(&env("Status-Code: 0\n\nexample.org 2027-02-30\n"))
        .expect_err("no February 30th");
    assert_eq!(bad.field, "expiration_date");
    assert!(bad.to_string().contains("line 1"), "{bad}");
}

#[test]
fn domain_check_keys_are_typed_and_every_line_is_kept() {
    let out = DomainCheck::new(domain("web.blog"))
        .parse_output(&env(
            "Status-Code: 0\n\ndomain-status: unavailable\ndomain-status-reason: blocked\ndomain-class: standard\ndomain-price-create: 8.21 USD 1y\ndomain-price-promo: 2019-09-01T00:00:00.000Z 2019-12-31T23:59:59.000Z\n",
        ))
        .unwrap();
    assert_eq!(out.domain_status, DomainCheckDomainStatus::Unavailable);
    assert_eq!(out.domain_status_reason.as_deref(), Some("blocked"));
    assert_eq!(
        out.domain_class,
        Some(dmapi::DomainCheckDomainClass::Standard)
    );
    assert_eq!(out.all.get("domain-price-create"), Some("8.21 USD 1y"));
    // The key family keeps every `domain-price-<type>` but the declared `domain-price-promo`.
    assert_eq!(
        out.prices,
        [("create".to_owned(), "8.21 USD 1y".to_owned())]
    );
    assert!(out.domain_price_promo.is_some());
}

#[test]
fn result_list_parses_rows_and_counts() {
    let rows = ResultList::new()
        .parse_output(&env(
            "Status-Code: 0\nRow-Count: 1\n\n20240101120000 abc-1 8181810 domain-register example.com ack -\n",
        ))
        .unwrap();
    let Results::Rows(rows) = rows else {
        panic!("rows expected")
    };
    assert_eq!(rows[0].proc_id, "8181810");
    assert_eq!(rows[0].object, "example.com");
    assert_eq!(rows[0].cltrid, None);
    let count = ResultList::new()
        .count_only(true)
        .parse_output(&env("Status-Code: 0\n\nRecords: 3\n"))
        .unwrap();
    assert_eq!(count, Results::Count(3));
}

#[test]
fn result_list_takes_both_timestamp_forms_and_keeps_any_status() {
    let rows = ResultList::new()
        .parse_output(&env(concat!(
            "Status-Code: 0\n\n",
            "20240101120000 a 1 domain-renew example.com ack c-1\n",
            "2024-01-02 12:00:00 b 2 domain-renew example.com unknown -\n",
            "2024-01-03T12:00:00 c 3 domain-renew example.com pending -\n",
            "2024-01-04 d 4 domain-renew example.com queued-for-registry -\n",
        )))
        .unwrap();
    let Results::Rows(rows) = rows else {
        panic!("rows expected")
    };
    let days: Vec<String> = rows
        .iter()
        .map(|r| r.date().map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        days,
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
    );
    assert_eq!(rows[1].timestamp, "2024-01-02 12:00:00", "one cell");
    use dmapi::ResultStatus as S;
    let statuses: Vec<&S> = rows.iter().map(|r| &r.status).collect();
    assert_eq!(
        statuses,
        [
            &S::Ack,
            &S::Unknown("unknown".into()),
            &S::Pending,
            &S::Unknown("queued-for-registry".into()),
        ]
    );
}

#[test]
fn eu_expiration_dates_read_as_the_registrys_one_day_earlier() {
    let rows = QueryDomainList::new()
        .parse_output(&env(
            "Status-Code: 0\n\nexample.eu 2027-01-01\nexample.com 2027-01-01\n",
        ))
        .unwrap();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.expiration_date.to_string(),
                r.registry_expiration_date().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2027-01-01".into(), "2026-12-31".into()),
            ("2027-01-01".into(), "2027-01-01".into())
        ]
    );
}

#[test]
fn every_request_decodes_from_its_wire_parameters_and_encodes_back() {
    // The server side (`Decode`, `AnyRequest`) is the inverse of `encode` for every request.
    for r in metadata::REQUESTS {
        let params = r.example_params();
        let mut raw: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(session) = r.session_param.as_deref() {
            raw.push((session, "sid")); // allowed and ignored
        }
        let (meta, decoded) = dmapi::AnyRequest::decode(&r.name.to_uppercase(), &raw)
            .unwrap_or_else(|| panic!("{} is not decodable", r.name));
        assert_eq!(meta.name, r.name);
        let decoded = decoded.unwrap_or_else(|p| panic!("{}: {p:?}", r.name));
        assert_eq!(
            decoded.meta().name,
            r.alias_of.clone().unwrap_or(r.name.clone())
        );
        let mut sent = example_form(&decoded);
        sent.sort();
        let mut want = params.clone();
        // A required parameter with a default is sent even when not given.
        for p in meta.params.iter().filter(|p| p.required) {
            if let (Some(d), false) = (&p.default, want.iter().any(|(k, _)| *k == p.name)) {
                want.push((p.name.to_string(), d.to_string()));
            }
        }
        want.sort();
        assert_eq!(sent, want, "{}", r.name);
    }
    assert!(dmapi::AnyRequest::decode("no-such-request", &[]).is_none());
}

/// Encodes any decoded request (through `Request`, per variant the test knows is enough).
fn example_form(request: &dmapi::AnyRequest) -> Vec<(String, String)> {
    use dmapi::AnyRequest as A;
    macro_rules! all {
        ($($v:ident),* $(,)?) => {
            match request {
                $(A::$v(r) => pairs(&r.to_form()),)*
                other => panic!("test does not know {:?}", other.meta().name),
            }
        };
    }
    #[allow(deprecated)]
    let form = all!(
        Login,
        Logout,
        ResultList,
        ResultRetrieve,
        ResultDelete,
        QueryProfile,
        QueryContactList,
        ContactCreate,
        ContactModify,
        ContactDelete,
        QueryDomainList,
        DomainRegister,
        DomainRenew,
        DomainModify,
        DomainDelete,
        DomainOwnerChange,
        DomainLock,
        DomainUnlock,
        DomainTransferInReseller,
        DomainSetProperty,
        DomainGetProperty,
        DomainTransferGetAuthId,
        DomainTransferControl,
        DomainCheck,
        GrantsList,
        GrantsInvite,
        GrantsRevoke,
        QueryNsList,
        NsCreate,
        NsModify,
        NsDelete,
        DomainPrivacyOrder,
        QueryObject,
        QueryWhois,
        WaEmailList,
        WaEmailDetails,
        WaEmailValidate,
        WaEmailVerify,
        CorVerify,
        DnsZoneList,
        DnsZoneGet,
        DomainRedeem,
        V2ContactCreate,
        QueryPriceList,
        Whois,
        InquireTld,
        QueryRequestList,
        Version,
        QueryTldList,
        UserGetProperty,
        UserSetProperty,
        WaEmailQueryStatus,
        DomainTransferIn,
        DnsZonePut,
    );
    form
}

#[test]
fn decoding_reports_every_problem_like_validate() {
    let (_, got) = dmapi::AnyRequest::decode(
        "domain-renew",
        &[
            ("domain", "bad..name"),
            ("period", "12"),
            ("expyear", "2030"),
        ],
    )
    .unwrap();
    let problems = got.unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].param(), Some("domain"));
    assert!(matches!(
        problems[1],
        dmapi::validate::Problem::Group { .. }
    ));
    // Typed on the way in: the group comes back as its enum.
    let (_, got) = dmapi::AnyRequest::decode(
        "Domain-Renew",
        &[("DOMAIN", "example.com"), ("expyear", "2031")],
    )
    .unwrap();
    match got.unwrap() {
        dmapi::AnyRequest::DomainRenew(r) => {
            assert_eq!(r.domain, domain("example.com"));
            assert_eq!(r.term, Term::Expyear(Year::new(2031).unwrap()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn borrowed_rows_check_cells_like_owned_rows_and_keep_the_line() {
    let answer = env(
        "Status-Code: 0\nColumns: domain,expiration_date,domain_status,privacy-status\n\n\
         a.com 2030-01-31 lock,production pro\nb.net 2031-12-01 production -\n",
    );
    let request = QueryDomainList::new().showstatus(true).showprivacy(true);
    let owned = request.parse_output(&answer).unwrap();
    let rows = request.borrow_rows(&answer).unwrap();
    assert_eq!(rows.len(), owned.len());
    for (r, o) in rows.iter().zip(&owned) {
        assert_eq!(r.domain, o.domain.as_str());
        assert_eq!(r.expiration_date, o.expiration_date);
        let flags =
            |s: &[dmapi::DomainStatus]| s.iter().map(|f| f.as_str().to_owned()).collect::<Vec<_>>();
        assert_eq!(
            r.domain_status
                .map(|s| s.split(',').map(str::to_owned).collect::<Vec<_>>()),
            o.domain_status.as_deref().map(flags)
        );
        assert_eq!(r.privacy_status, o.privacy_status.as_deref());
    }
    assert_eq!(rows[0].line, "a.com 2030-01-31 lock,production pro");
    // A cell that breaks its type fails both ways, naming the line.
    let bad = env("Status-Code: 0\n\nnot_a_domain 2030-01-01\n");
    let err = QueryDomainList::new().borrow_rows(&bad).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    assert!(QueryDomainList::new().parse_output(&bad).is_err());
}

#[test]
fn the_action_chooses_the_answer_of_domain_transfer_control() {
    use dmapi::output::WriteOutput;
    use dmapi::reply::Reply;
    use dmapi::{DomainTransferControl as Dtc, DomainTransferControlAction as Action};
    use dmapi::{DomainTransferControlOutput as Out, Request};

    let answer = "Status-Code: 1000\n\nexample.com\tFOA_BEEN_SENT\to@example.net\ta@example.net\n";
    let list = Dtc::new(Action::List);
    let Out::List(rows) = list.parse_output(&env(answer)).unwrap() else {
        panic!("`action=list` reads rows");
    };
    assert_eq!(rows[0].domain.as_str(), "example.com");
    assert_eq!(rows[0].state, dmapi::TransferState::FoaBeenSent);
    // The same text read for `show` is key-value lines (none here: no colon).
    let show = Dtc::new(Action::Show).domain(domain("example.com"));
    let Out::Show(keys) = show.parse_output(&env(answer)).unwrap() else {
        panic!("`action=show` reads keys");
    };
    assert_eq!(keys.domain, None);
    let cancel = Dtc::new(Action::Cancel).domain(domain("example.com"));
    assert_eq!(cancel.parse_output(&env(answer)).unwrap(), Out::Cancel);

    // Writing: the output must be the answer to the request's own action.
    let reply = || {
        Reply::new(
            &dmapi::metadata::PROTOCOL,
            1000,
            "Command completed successfully",
        )
    };
    let written = list
        .write_output(&Out::List(rows.clone()), reply())
        .unwrap();
    assert_eq!(list.parse_output(&env(&written)).unwrap(), Out::List(rows));
    let err = list.write_output(&Out::Cancel, reply()).unwrap_err();
    assert_eq!(err.field, "action", "{err}");
}

#[test]
fn servers_build_answers_with_new_and_the_public_fields() {
    use dmapi::output::WriteOutput;
    use dmapi::reply::Reply;
    use dmapi::{DomainCheckOutput, DomainTransferControlListRow as Row, Request};

    let mut out = DomainCheckOutput::new(DomainCheckDomainStatus::Premium);
    assert_eq!((out.domain_class.as_ref(), out.prices.len()), (None, 0));
    // A class the spec does not list is kept as an unknown value.
    out.domain_class = Some(dmapi::DomainCheckDomainClass::Unknown("gold".into()));
    out.prices = vec![("create".into(), "99 EUR 1y".into())];
    let request = DomainCheck::new(domain("web.blog"));
    let reply = Reply::new(
        &dmapi::metadata::PROTOCOL,
        0,
        "Command completed successfully",
    );
    let text = request.write_output(&out, reply).unwrap();
    assert!(text.ends_with("\ndomain-price-create: 99 EUR 1y"), "{text}");
    let back = request.parse_output(&env(&text)).unwrap();
    assert_eq!(
        (back.domain_status, back.prices),
        (out.domain_status, out.prices)
    );

    let row = Row::new(
        domain("web.blog"),
        dmapi::TransferState::InDb,
        "o@x.net".into(),
        "a@x.net".into(),
    );
    assert!(row.other_columns.is_empty());
}
