//! Payload readers: lines, key/value pairs, tables, typed cells, result lists, submissions.

#[path = "support/protocol.rs"]
mod protocol;
use dmapi_runtime::meta::{FlagSpelling, Separator, ValueType};
use dmapi_runtime::output::{
    self, Checked, Fields, NotAFlag, Row, RowCells, Table, TableReader, Text,
};
use dmapi_runtime::reply::Reply;
use dmapi_runtime::{
    Date, DomainName, Envelope, FromWire, KeyValues, Months, ResultRow, ResultStatus, Results,
    Submitted,
};
use protocol::PROTOCOL;

fn env(body: &str) -> Envelope {
    Envelope::parse(body, &PROTOCOL).unwrap_or_else(|e| panic!("{body:?}: {e}"))
}

fn cells(row: &Row<'_>) -> Vec<String> {
    row.cells().map(str::to_owned).collect()
}

fn table_cells(table: &Table<'_>) -> Vec<Vec<String>> {
    table.rows().map(|r| cells(&r)).collect()
}

#[test]
fn lines_and_text() {
    let e = env("Status-Code: 0\n\ncom\r\n\nnet\n  \norg");
    assert_eq!(output::lines(&e), ["com", "net", "org"]);
    assert_eq!(output::text(&e), "com\r\n\nnet\n  \norg");
    assert!(output::lines(&env("Status-Code: 0\n")).is_empty());
}

#[test]
fn table_columns_from_header_or_default() {
    let with_header = env(
        "Columns: domain , expiration_date,domain_status\n\nexample.com 2030-01-01 lock,autorenew\n",
    );
    let t = Table::parse(
        &with_header,
        &["domain", "expiration_date"],
        Separator::Whitespace,
    );
    assert_eq!(t.columns(), ["domain", "expiration_date", "domain_status"]);
    assert_eq!(
        table_cells(&t),
        [["example.com", "2030-01-01", "lock,autorenew"]]
    );

    let without = env("Status-Code: 0\n\nexample.com 2030-01-01\n");
    let t = Table::parse(
        &without,
        &["domain", "expiration_date"],
        Separator::Whitespace,
    );
    assert_eq!(t.columns(), ["domain", "expiration_date"]);

    let blank_header = env("Columns: \n\nexample.com\n");
    let t = Table::parse(&blank_header, &["domain"], Separator::Whitespace);
    assert_eq!(t.columns(), ["domain"], "a blank Columns header falls back");
}

#[test]
fn index_of_ignores_case_and_dash_underscore() {
    let e = env("Columns: domain,expiration_date,Privacy-Status\n");
    let t = Table::parse(&e, &[], Separator::Whitespace);
    assert_eq!(t.index_of("domain"), Some(0));
    assert_eq!(t.index_of("expiration-date"), Some(1));
    assert_eq!(t.index_of("EXPIRATION_DATE"), Some(1));
    assert_eq!(t.index_of("privacy_status"), Some(2));
    assert_eq!(t.index_of("privacy"), None);
    assert_eq!(t.index_of("domain_"), None);
}

#[test]
fn separator_header() {
    let tab = env("Separator: TAB\nColumns: a,b,c\n\nx y\tz\t\n1\t\t3\n");
    let t = Table::parse(&tab, &[], Separator::Whitespace);
    assert_eq!(t.separator(), Separator::Tab);
    assert_eq!(table_cells(&t), [vec!["x y", "z", ""], vec!["1", "", "3"]]);

    let space = env("Separator: space\nColumns: a,b\n\n  x \t y  \n");
    let t = Table::parse(&space, &[], Separator::Tab);
    assert_eq!(
        t.separator(),
        Separator::Whitespace,
        "the header wins over the default"
    );
    assert_eq!(table_cells(&t), [["x", "y"]]);

    let none = env("Columns: a,b\n\nx y\tz\n");
    let t = Table::parse(&none, &[], Separator::Tab);
    assert_eq!(t.separator(), Separator::Tab, "no header: the default");
    assert_eq!(table_cells(&t), [["x y", "z"]]);

    let unknown = env("Separator: ;\nColumns: a,b\n\nx y\n");
    let t = Table::parse(&unknown, &[], Separator::Whitespace);
    assert_eq!(t.separator(), Separator::Whitespace);
}

#[test]
fn last_column_keeps_the_remainder() {
    let e = env(
        "Columns: domain,expiration_date,grants\n\nexample.com 2030-01-01 @creator true 0 undef  \nexample.net\t2031-01-01  @admin false 1 x\n",
    );
    let t = Table::parse(&e, &[], Separator::Whitespace);
    assert_eq!(
        table_cells(&t),
        [
            ["example.com", "2030-01-01", "@creator true 0 undef"],
            ["example.net", "2031-01-01", "@admin false 1 x"],
        ]
    );
    let tab = env("Separator: TAB\nColumns: a,b\n\n1\t2\t3\t4\n");
    let t = Table::parse(&tab, &[], Separator::Whitespace);
    assert_eq!(table_cells(&t), [["1", "2\t3\t4"]]);
}

#[test]
fn fewer_tokens_leave_cells_absent() {
    let e = env(
        "Columns: domain,expiration_date,domain_status\n\nexample.com\n\nexample.net 2031-01-01\n",
    );
    let t = Table::parse(&e, &[], Separator::Whitespace);
    let rows: Vec<_> = t.rows().collect();
    assert_eq!(rows.len(), 2, "blank lines are not rows");
    assert_eq!(rows[0].cell(0), Some("example.com"));
    assert_eq!(rows[0].cell(1), None);
    assert_eq!(rows[0].cell(2), None);
    assert_eq!(rows[1].cell(1), Some("2031-01-01"));
    assert_eq!(rows[1].cell(2), None);
    assert_eq!((rows[0].number(), rows[1].number()), (1, 3));
    assert_eq!(rows[1].line(), "example.net 2031-01-01");
}

#[test]
fn no_columns_split_without_limit() {
    let e = env("Status-Code: 0\n\na b  c\n");
    let t = Table::parse(&e, &[], Separator::Whitespace);
    assert_eq!(table_cells(&t), [["a", "b", "c"]]);
}

#[test]
fn typed_cells() {
    let e = env(
        "Columns: domain,expiration_date\n\nexample.com 2030-01-31\nexample.net\nexample.org 2030-02-30\n",
    );
    let t = Table::parse(&e, &[], Separator::Whitespace);
    let date = t.index_of("expiration_date");
    let missing = t.index_of("domain_status");
    let rows: Vec<_> = t.rows().collect();

    let read =
        |row: &Row<'_>, idx| output::cell::<Date>("query-test", "expiration_date", row, idx, &e);
    assert_eq!(
        read(&rows[0], date).unwrap(),
        Some(Date::from_ymd(2030, 1, 31).unwrap())
    );
    assert_eq!(read(&rows[1], date).unwrap(), None, "absent cell");
    assert_eq!(
        read(&rows[0], missing).unwrap(),
        None,
        "column not in the response"
    );

    let err = read(&rows[2], date).unwrap_err();
    assert_eq!(err.request, "query-test");
    assert_eq!(err.field, "expiration_date");
    assert_eq!(err.raw, e.payload());
    assert_eq!(
        err.to_string(),
        "cannot read the `expiration_date` of the query-test response: payload line 3: invalid date: `2030-02-30`: day 30 does not exist in 2030-02 (28 days)"
    );

    let tab = env("Separator: TAB\nColumns: a,b\n\nx\t\n");
    let t = Table::parse(&tab, &[], Separator::Whitespace);
    let row = t.rows().next().unwrap();
    assert_eq!(row.cell(1), Some(""));
    assert_eq!(
        output::cell::<u64>("query-test", "b", &row, Some(1), &tab).unwrap(),
        None,
        "an empty cell reads as absent"
    );
}

#[test]
fn key_values() {
    let kv = KeyValues::parse(
        "domain.status: lock\r\nDomain.Name: example.com\nnserver.host: a.ns.example.com\n\nnserver.host: b.ns.example.com\nThe Authorization ID is: \"ab:c\"\nempty:\nno colon here\n",
    );
    assert_eq!(
        kv.iter().collect::<Vec<_>>(),
        [
            ("domain.status", "lock"),
            ("Domain.Name", "example.com"),
            ("nserver.host", "a.ns.example.com"),
            ("nserver.host", "b.ns.example.com"),
            ("The Authorization ID is", "\"ab:c\""),
            ("empty", ""),
            ("no colon here", ""),
        ]
    );
    assert_eq!(kv.len(), 7);
    assert!(!kv.is_empty());
    assert_eq!(kv.get("domain.name"), Some("example.com"));
    assert_eq!(kv.get("NSERVER.HOST"), Some("a.ns.example.com"));
    assert_eq!(
        kv.get_all("nserver.host").collect::<Vec<_>>(),
        ["a.ns.example.com", "b.ns.example.com"]
    );
    assert_eq!(kv.get("missing"), None);
    assert!(KeyValues::parse("").is_empty());
}

#[test]
fn result_list_rows() {
    let e = env(
        "Status-Code: 0\nRow-Count: 3\n\n20240101120000 SV-1 1001 domain-register example.com ack -\n20240101120500 SV-2 1002 domain-renew example.net nack my-id-7\n20240101121000  SV-3\t1003 dns-zone-put example.org ? client id with spaces\n20240101121500 SV-4 1004 domain-renew example.io pending -\n20240101122000 SV-5 1005 domain-renew example.io Weird -\n",
    );
    let row =
        |ts: &str, sv: &str, proc: &str, rt: &str, obj: &str, status, cl: Option<&str>| ResultRow {
            timestamp: ts.into(),
            svtrid: sv.into(),
            proc_id: proc.into(),
            request_type: rt.into(),
            object: obj.into(),
            status,
            cltrid: cl.map(Into::into),
        };
    assert_eq!(
        output::result_list("result-list", &e).unwrap(),
        Results::Rows(vec![
            row(
                "20240101120000",
                "SV-1",
                "1001",
                "domain-register",
                "example.com",
                ResultStatus::Ack,
                None
            ),
            row(
                "20240101120500",
                "SV-2",
                "1002",
                "domain-renew",
                "example.net",
                ResultStatus::Nack,
                Some("my-id-7")
            ),
            row(
                "20240101121000",
                "SV-3",
                "1003",
                "dns-zone-put",
                "example.org",
                ResultStatus::Pending,
                Some("client id with spaces")
            ),
            row(
                "20240101121500",
                "SV-4",
                "1004",
                "domain-renew",
                "example.io",
                ResultStatus::Pending,
                None
            ),
            row(
                "20240101122000",
                "SV-5",
                "1005",
                "domain-renew",
                "example.io",
                ResultStatus::Unknown("Weird".into()),
                None
            ),
        ])
    );
    assert_eq!(
        output::result_list("result-list", &env("Status-Code: 0\n\n")).unwrap(),
        Results::Rows(vec![])
    );
}

#[test]
fn result_list_count() {
    for body in [
        "Status-Code: 0\n\nRecords: 3\n",
        "Status-Code: 0\n\nrecords:3",
        "Status-Code: 0\n\n\nRecords:  3 \n\n",
    ] {
        assert_eq!(
            output::result_list("result-list", &env(body)).unwrap(),
            Results::Count(3),
            "{body:?}"
        );
    }
    let err =
        output::result_list("result-list", &env("Status-Code: 0\n\nRecords: many\n")).unwrap_err();
    assert_eq!(err.field, "Records");
}

#[test]
fn result_list_short_row_is_an_error() {
    let e = env(
        "Status-Code: 0\n\n20240101120000 SV-1 1001 domain-register example.com ack -\n20240101120000 SV-2 1002 domain-renew ack\n",
    );
    let err = output::result_list("result-list", &e).unwrap_err();
    assert!(
        err.message
            .starts_with("payload line 2: expected 7 columns"),
        "{}",
        err.message
    );
    assert_eq!(err.raw, e.payload());
}

#[test]
fn submitted_needs_a_proc_id() {
    let e = env("Status-Code: 0\nTracking-Id: T-9\nProc-ID: 4711\n\n");
    assert_eq!(
        output::submitted::<KeyValues>("domain-test", &e).unwrap(),
        Submitted::new("4711", Some("T-9".into()))
    );
    let e = env("Status-Code: 0\nSvTrId: S-9\nProc-Id: 4712\n");
    assert_eq!(
        output::submitted::<KeyValues>("domain-test", &e).unwrap(),
        Submitted::new("4712", Some("S-9".into()))
    );
    for body in ["Status-Code: 0\n\n", "Status-Code: 0\nProc-ID: \n\n"] {
        let err = output::submitted::<KeyValues>("domain-test", &env(body)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read the `Proc-ID` of the domain-test response: the response has no Proc-ID header",
            "{body:?}"
        );
    }
}

/// The message of a reader's error, after checking the request, the field and the payload.
fn message_of(err: dmapi_runtime::OutputError, field: &str, e: &Envelope) -> String {
    assert_eq!(err.request, "query-test");
    assert_eq!(err.field, field);
    assert_eq!(err.raw, e.payload());
    err.message
}

#[test]
fn table_reader_reads_rows_by_declared_column() {
    let e = env(
        "Columns: domain,expiration_date,note,cltrid,extra\n\nexample.com 2030-01-31 hi T-1 x y\n\nexample.net 2030-02-01 - -\n",
    );
    let mut table = TableReader::new("query-test", &e, &[], Separator::Whitespace);
    assert_eq!(table.table().columns().len(), 5);
    let domain = table.column("domain");
    let date = table.column("expiration-date");
    let note = table.column("note");
    let cltrid = table.column("cltrid");
    let absent = table.column("domain_status");
    assert_eq!((domain, date, absent), (Some(0), Some(1), None));
    let rows = table
        .read(|row| {
            let name: DomainName = row.required(domain, "domain")?;
            let expires: Option<Date> = row.optional(date, "expiration_date")?;
            let status: Option<String> = row.optional(absent, "domain_status")?;
            let cltrid: Option<String> = row.optional_unless(cltrid, "cltrid", "-")?;
            Ok((
                name.to_string(),
                expires,
                status,
                cltrid,
                row.text_or_default(note),
                row.text_or_default(absent),
                row.cell(note),
                row.other_columns(),
                row.line(),
                row.number(),
            ))
        })
        .unwrap();
    assert_eq!(
        rows[0],
        (
            "example.com".to_owned(),
            Some(Date::from_ymd(2030, 1, 31).unwrap()),
            None,
            Some("T-1".to_owned()),
            "hi".to_owned(),
            String::new(),
            Some("hi"),
            vec![("extra".to_owned(), "x y".to_owned())],
            "example.com 2030-01-31 hi T-1 x y",
            1,
        )
    );
    assert_eq!(rows[1].3, None, "the none marker reads as None");
    assert_eq!(rows[1].7, [], "no cell, no other column");
    assert_eq!(rows[1].9, 3, "line numbers count blank lines");

    // Without undeclared columns, `other_columns` is empty.
    let e = env("Status-Code: 0\n\nexample.com\n");
    let mut table = TableReader::new("query-test", &e, &["domain"], Separator::Whitespace);
    let domain = table.column("domain");
    let rows = table
        .read(|row| {
            Ok((
                row.required::<String>(domain, "domain")?,
                row.other_columns(),
            ))
        })
        .unwrap();
    assert_eq!(rows, [("example.com".to_owned(), vec![])]);
}

#[test]
fn table_reader_errors_name_the_line() {
    let e = env(
        "Columns: domain,expiration_date\n\nexample.com 2030-01-31\nexample.net\nexample.org 2030-02-30\n",
    );
    let mut table = TableReader::new("query-test", &e, &[], Separator::Whitespace);
    let date = table.column("expiration_date");
    let read =
        |table: &TableReader<'_>| table.read(|row| row.required::<Date>(date, "expiration_date"));
    let err = read(&table).unwrap_err();
    assert_eq!(
        message_of(err, "expiration_date", &e),
        "line 2: the column is missing"
    );

    let e = env("Columns: domain,expiration_date\n\nexample.org 2030-02-30\n");
    let mut table = TableReader::new("query-test", &e, &[], Separator::Whitespace);
    let date = table.column("expiration_date");
    let err = table
        .read(|row| row.optional::<Date>(date, "expiration_date"))
        .unwrap_err();
    assert_eq!(
        message_of(err, "expiration_date", &e),
        "line 1: invalid date: `2030-02-30`: day 30 does not exist in 2030-02 (28 days)"
    );
    let err = table
        .read(|row| row.optional_unless::<Date>(date, "expiration_date", "-"))
        .unwrap_err();
    assert!(
        err.message.starts_with("line 1: invalid date"),
        "{}",
        err.message
    );
}

#[test]
fn row_decoders_flags_lists_and_borrowed_text() {
    let e = env(
        "Separator: TAB\nColumns: lock,status,domain,note,period\n\n1\tlock, autorenew,\texample.com\tfree text\t12\nmaybe\t,\tnot a domain\t-\tx\n",
    );
    let mut table = TableReader::new("query-test", &e, &[], Separator::Whitespace);
    let [lock, status, domain, note, period] =
        ["lock", "status", "domain", "note", "period"].map(|c| table.column(c));
    let flags = output::list(',', FlagSpelling::YesNo);
    let rows = table
        .read(|row| {
            if row.number() > 1 {
                return Ok(None);
            }
            let lock = row.required_with(lock, "lock", FlagSpelling::ZeroOne)?;
            let status: Option<Vec<String>> = row.optional_with(
                status,
                "status",
                output::list(',', output::wire::<String>()),
            )?;
            let domain = row.required_with(domain, "domain", Checked(&ValueType::Domain))?;
            let note = row.optional_unless_with(note, "note", "-", Text)?;
            let period: Months = row.required(period, "period")?;
            Ok(Some((lock, status, domain, note, period)))
        })
        .unwrap();
    assert_eq!(
        rows[0],
        Some((
            true,
            Some(vec!["lock".to_owned(), "autorenew".to_owned()]),
            "example.com",
            Some("free text"),
            Months::new(12).unwrap(),
        ))
    );

    // Each decoder's error, on line 2.
    let on_line_2 = |read: &dyn Fn(&RowCells<'_, '_>) -> Result<(), dmapi_runtime::OutputError>,
                     field: &str| {
        let err = table
            .read(|row| if row.number() == 2 { read(row) } else { Ok(()) })
            .unwrap_err();
        message_of(err, field, &e)
    };
    assert_eq!(
        on_line_2(
            &|row| row
                .required_with(lock, "lock", FlagSpelling::ZeroOne)
                .map(drop),
            "lock"
        ),
        "line 2: `maybe` is not a flag value"
    );
    assert_eq!(
        on_line_2(
            &|row| row.optional_with(lock, "lock", flags).map(drop),
            "lock"
        ),
        "line 2: `maybe` is not a flag value",
        "a list item's error"
    );
    assert_eq!(
        on_line_2(
            &|row| row
                .required_with(domain, "domain", Checked(&ValueType::Domain))
                .map(drop),
            "domain"
        ),
        format!(
            "line 2: {}",
            ValueType::Domain.check("not a domain").unwrap_err()
        )
    );
    assert_eq!(
        on_line_2(
            &|row| row
                .optional_unless_with(period, "period", "-", output::wire::<Months>())
                .map(drop),
            "period"
        ),
        format!(
            "line 2: {}",
            <Months as FromWire>::from_wire("x").unwrap_err()
        )
    );
    // An empty list is an empty Vec; the none marker is None.
    let rows = table
        .read(|row| {
            Ok((
                row.optional_with(status, "status", output::list(',', Text))?,
                row.optional_unless_with(note, "note", "-", Text)?,
            ))
        })
        .unwrap();
    assert_eq!(
        rows[0],
        (Some(vec!["lock", "autorenew"]), Some("free text"))
    );
    assert_eq!(rows[1], (Some(vec![]), None));
}

#[test]
fn fields_read_headers_and_keys() {
    let e = env(
        "Status-Code: 0\nSession-Timeout: 3600\nLocked: yes\nBad: maybe\nUID: x\n\ndomain-status: lock,autorenew\ndomain-class: gold\nrenewals: many\n",
    );
    let headers = Fields::headers("query-test", &e);
    assert_eq!(headers.required::<i64>("session-timeout").unwrap(), 3600);
    assert_eq!(headers.optional::<i64>("Missing").unwrap(), None);
    assert_eq!(
        headers.optional::<String>("UID").unwrap(),
        Some("x".to_owned())
    );
    assert!(
        headers
            .required_with("Locked", FlagSpelling::YesNo)
            .unwrap()
    );
    assert_eq!(
        headers
            .optional_with("Missing", FlagSpelling::YesNo)
            .unwrap(),
        None
    );
    assert_eq!(
        message_of(
            headers.required::<i64>("Missing").unwrap_err(),
            "Missing",
            &e
        ),
        "the header is missing"
    );
    assert_eq!(
        message_of(headers.optional::<i64>("UID").unwrap_err(), "UID", &e),
        <i64 as FromWire>::from_wire("x").unwrap_err().to_string()
    );
    assert_eq!(
        message_of(
            headers
                .required_with("Bad", FlagSpelling::YesNo)
                .unwrap_err(),
            "Bad",
            &e
        ),
        "`maybe` is not a flag value"
    );

    let all = KeyValues::parse(e.payload());
    let keys = Fields::keys("query-test", &e, &all);
    assert_eq!(keys.required::<String>("domain-class").unwrap(), "gold");
    assert_eq!(
        keys.optional_with("domain-status", output::list(',', output::wire::<String>()))
            .unwrap(),
        Some(vec!["lock".to_owned(), "autorenew".to_owned()])
    );
    assert_eq!(
        message_of(
            keys.required::<String>("Session-Timeout").unwrap_err(),
            "Session-Timeout",
            &e
        ),
        "the key is missing",
        "keys are not headers"
    );
    assert_eq!(
        message_of(
            keys.required_with("missing", FlagSpelling::YesNo)
                .unwrap_err(),
            "missing",
            &e
        ),
        "the key is missing"
    );
    assert_eq!(
        message_of(
            keys.optional::<i64>("renewals").unwrap_err(),
            "renewals",
            &e
        ),
        <i64 as FromWire>::from_wire("many")
            .unwrap_err()
            .to_string()
    );
}

#[test]
fn not_a_flag_displays_the_text() {
    assert_eq!(NotAFlag("2").to_string(), "`2` is not a flag value");
}

#[test]
fn quoted_values_lose_one_pair_of_quotes_and_unquoted_ones_are_read_as_they_are() {
    use dmapi_runtime::output::{CellDecoder, quoted, unquote, wire};
    assert_eq!(unquote("\"abc\""), "abc");
    assert_eq!(unquote("  \"a b\"  "), "a b");
    assert_eq!(unquote("\"\"x\"\""), "\"x\"");
    assert_eq!(unquote("plain"), "plain");
    assert_eq!(unquote("\"open"), "\"open");
    let d = quoted(wire::<String>());
    assert_eq!(d.read_cell("\"K3y\"").unwrap(), "K3y");
    assert_eq!(d.read_cell("K3y").unwrap(), "K3y");
    let n = quoted(wire::<i64>());
    assert!(n.read_cell("\"x\"").is_err());
    assert_eq!(n.read_cell("\"42\"").unwrap(), 42);
}

#[test]
fn an_untyped_result_is_every_key_value_line() {
    use dmapi_runtime::QueuedResult;
    let e = env("Status-Code: 0\n\nCompletion-Status: ack\nhandle: C-1\nhandle: C-2\n");
    let all = KeyValues::parse(e.payload());
    let got = KeyValues::from_result("result-retrieve", &e, all.clone()).unwrap();
    assert_eq!(got, all);
    assert_eq!(got.get_all("handle").collect::<Vec<_>>(), ["C-1", "C-2"]);
}

#[test]
fn completion_words_and_result_columns_come_from_the_protocol() {
    let words = &PROTOCOL.completion;
    assert_eq!(ResultStatus::read("ACK", words), ResultStatus::Ack);
    assert_eq!(ResultStatus::read("nack", words), ResultStatus::Nack);
    assert_eq!(ResultStatus::read("?", words), ResultStatus::Pending);
    assert_eq!(ResultStatus::read("Pending", words), ResultStatus::Pending);
    assert_eq!(
        ResultStatus::read("weird", words),
        ResultStatus::Unknown("weird".into())
    );
    assert_eq!(ResultStatus::Pending.word(words), "?");

    // Another server's protocol: other words, the proc-id first, another "none" cell.
    let mut other = PROTOCOL.clone();
    other.completion.ack = "done".into();
    other.completion.pending = vec!["running".into()].into();
    other.result_row.columns = [
        "proc-id",
        "timestamp",
        "svtrid",
        "request-type",
        "object",
        "status",
        "cltrid",
    ]
    .map(Into::into)
    .to_vec()
    .into();
    other.result_row.at.proc_id = 0;
    other.result_row.at.timestamp = 1;
    other.result_row.at.svtrid = 2;
    other.result_row.none = "~".into();
    other.result_row.count_key = "Count".into();
    // A protocol whose payloads end with a LF (the real one's do not).
    other.framing.final_newline = true;
    let other: &'static _ = Box::leak(Box::new(other));
    let row = ResultRow {
        timestamp: "20240101000000".into(),
        svtrid: "SV-1".into(),
        proc_id: "77".into(),
        request_type: "domain-renew".into(),
        object: "example.com".into(),
        status: ResultStatus::Ack,
        cltrid: None,
    };
    // The writer places the cells and spells the status as this protocol says.
    let mut w = output::AnswerWriter::new("result-list", Reply::new(other, 0, "OK"));
    w.results(&Results::Rows(vec![row.clone()])).unwrap();
    let text = w.finish();
    assert!(
        text.ends_with("\n\n77 20240101000000 SV-1 domain-renew example.com done ~\n"),
        "{text}"
    );
    // The real protocol's framing: no LF after the last row.
    let mut w = output::AnswerWriter::new("result-list", Reply::new(&PROTOCOL, 0, "OK"));
    w.results(&Results::Rows(vec![row.clone()])).unwrap();
    let real = w.finish();
    assert!(
        real.ends_with(" domain-renew example.com ack -"),
        "{real:?}"
    );
    let e = Envelope::parse(&text, other).unwrap();
    assert_eq!(
        output::result_list("result-list", &e).unwrap(),
        Results::Rows(vec![row])
    );
    let mut w = output::AnswerWriter::new("result-list", Reply::new(other, 0, "OK"));
    w.results(&Results::Count(4)).unwrap();
    assert!(w.finish().ends_with("\n\nCount: 4\n"));
    let e = Envelope::parse("Status-Code: 0\n\nCount: 4\n", other).unwrap();
    assert_eq!(
        output::result_list("result-list", &e).unwrap(),
        Results::Count(4)
    );
    // The default protocol's count key is not this server's.
    let e = Envelope::parse("Status-Code: 0\n\nRecords: 4\n", other).unwrap();
    assert!(output::result_list("result-list", &e).is_err());
}

#[test]
fn result_list_timestamps_in_iso_form_with_a_space_are_one_cell() {
    // WIRE-NOTES: DMAPI v2 writes `YYYY-MM-DD HH:MM:SS` (or with `T`) as well as the
    // documented `YYYYMMDDHHMMSS`.
    let e = env("Status-Code: 0\n\n\
         2026-03-01 12:05:00 SV-1 77 domain-renew example.com ack -\n\
         2026-03-01T12:06:00 SV-2 78 domain-lock example.com ? my id\n\
         20260301120700 SV-3 79 domain-unlock example.com nack -\n");
    let Results::Rows(rows) = output::result_list("result-list", &e).unwrap() else {
        panic!("rows expected");
    };
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].timestamp, "2026-03-01 12:05:00");
    assert_eq!(rows[0].svtrid, "SV-1");
    assert_eq!(rows[0].status, ResultStatus::Ack);
    assert_eq!(rows[0].cltrid, None);
    assert_eq!(rows[1].timestamp, "2026-03-01T12:06:00");
    assert_eq!(rows[1].cltrid.as_deref(), Some("my id"));
    assert_eq!(rows[2].timestamp, "20260301120700");
    // A space-separated timestamp and a cltrid with a space: both kept.
    let e =
        env("Status-Code: 0\n\n2026-03-01 12:05:00 SV-1 77 domain-renew example.com ack my id\n");
    let Results::Rows(rows) = output::result_list("result-list", &e).unwrap() else {
        panic!("rows expected");
    };
    assert_eq!(rows[0].timestamp, "2026-03-01 12:05:00");
    assert_eq!(rows[0].cltrid.as_deref(), Some("my id"));
}
