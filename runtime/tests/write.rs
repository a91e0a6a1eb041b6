//! The answer writers (`output::AnswerWriter`, `TableWriter`): what they write reads back as
//! the value written, and what the format cannot carry is an error, never another answer.

use std::borrow::Cow;

use dmapi_runtime::meta::{FlagSpelling, Separator};
use dmapi_runtime::output::{
    self, AnswerWriter, Fields, TableReader, TableWriter, WriteError, list, wire,
};
use dmapi_runtime::reply::Reply;
use dmapi_runtime::{
    Date, DomainName, Envelope, FromWire, KeyValues, ResultRow, ResultStatus, Results, Submitted,
    ToWire, ValueError, Zone,
};

#[path = "support/protocol.rs"]
mod support;
use support::PROTOCOL;

const REQ: &str = "query-test";

fn writer() -> AnswerWriter {
    AnswerWriter::new(REQ, Reply::new(&PROTOCOL, 0, "OK"))
}

fn env(text: &str) -> Envelope {
    Envelope::parse(text, &PROTOCOL).expect("an envelope")
}

fn message(e: &WriteError) -> &str {
    assert_eq!(e.request, REQ);
    &e.message
}

#[test]
fn headers_read_back_and_refuse_line_ends() {
    let mut w = writer();
    w.header("Session-Timeout", Some(&3600_i64)).unwrap();
    w.header::<String>("UID", None).unwrap();
    w.header("User-Login", Some(&" padded".to_owned())).unwrap();
    w.header_with("Lock", Some(&true), FlagSpelling::YesNo)
        .unwrap();
    let tags = vec!["a".to_owned(), "b".to_owned()];
    w.header_with("Tags", Some(&tags), list(',', wire::<String>()))
        .unwrap();
    let e = env(&w.finish());
    let f = Fields::headers(REQ, &e);
    assert_eq!(f.required::<i64>("Session-Timeout").unwrap(), 3600);
    assert_eq!(f.optional::<String>("UID").unwrap(), None);
    assert_eq!(f.required::<String>("User-Login").unwrap(), " padded");
    assert!(f.required_with("Lock", FlagSpelling::YesNo).unwrap());
    let got = f.required_with("Tags", list(',', wire::<String>()));
    assert_eq!(got.unwrap(), tags);

    for bad in ["a\nStatus-Code: 1", "a\r", "a\rb"] {
        let err = writer().header("X", Some(&bad.to_owned())).unwrap_err();
        assert_eq!(err.field, "X");
        assert!(message(&err).contains("line end"), "{err}");
        assert!(!err.to_string().contains(bad), "values are not quoted");
    }
}

#[test]
fn headers_the_reply_has_are_kept_or_refused() {
    let reply = || Reply::new(&PROTOCOL, 0, "OK").header("Proc-ID", "7");
    let mut w = AnswerWriter::new(REQ, reply());
    w.header("Proc-ID", Some(&"7".to_owned())).unwrap();
    assert_eq!(w.finish().matches("Proc-ID").count(), 1);
    let mut w = AnswerWriter::new(REQ, reply());
    let err = w.header("Proc-ID", Some(&"8".to_owned())).unwrap_err();
    assert!(message(&err).contains("another value"));
    let mut w = AnswerWriter::new(REQ, reply());
    assert!(w.header::<String>("proc-id", None).is_err());
}

/// A value whose text reads back as another value: written text is uppercase, read text kept.
#[derive(Debug, PartialEq)]
struct Shouting(String);

impl ToWire for Shouting {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.to_uppercase())
    }
}

impl FromWire for Shouting {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        Ok(Shouting(s.to_owned()))
    }
}

#[test]
fn a_value_that_reads_back_as_another_is_refused() {
    let err = writer()
        .header("X", Some(&Shouting("quiet".into())))
        .unwrap_err();
    assert!(
        message(&err).contains("reads back as another value"),
        "{err}"
    );
    writer()
        .header("X", Some(&Shouting("LOUD".into())))
        .unwrap();
}

#[test]
fn list_items_that_would_change_the_list_are_refused() {
    let enc = || list(',', wire::<String>());
    for (items, why) in [
        (vec!["a,b"], "delimiter"),
        (vec![""], "empty"),
        (vec![" a"], "blanks"),
    ] {
        let items: Vec<String> = items.into_iter().map(str::to_owned).collect();
        let err = writer().header_with("L", Some(&items), enc()).unwrap_err();
        assert!(message(&err).contains(why), "{err}");
    }
}

#[test]
fn lines_text_and_zone_read_back() {
    let lines = vec!["com".to_owned(), " indented".to_owned(), "a\rb".to_owned()];
    let mut w = writer();
    w.lines(&lines).unwrap();
    assert_eq!(output::lines(&env(&w.finish())), lines);
    for bad in ["", "  ", "a\nb", "a\r"] {
        let err = writer().lines(&[bad.to_owned()]).unwrap_err();
        assert_eq!(err.field, "payload line 1");
    }

    let text = "any\r\ntext\n\nStatus-Code: 1\n";
    let mut w = writer();
    w.text(text);
    assert_eq!(output::text(&env(&w.finish())), text);

    let zone = Zone::parse("$dnssec=no\nwww A 0 192.0.2.1 86400\nnot a record ???\n");
    let mut w = writer();
    w.zone(&zone).unwrap();
    assert_eq!(Zone::parse(env(&w.finish()).payload()), zone);
}

#[test]
fn typed_keys_agree_with_the_payload_or_come_first() {
    let all = KeyValues::parse("x-extra: 1\ndomain-status: free\nDomain-Status: taken\n");
    let mut w = writer();
    w.key(&all, "domain-status", Some(&"free".to_owned()))
        .unwrap();
    w.key(&all, "domain-class", Some(&"standard".to_owned()))
        .unwrap();
    w.key::<String>(&all, "domain-price", None).unwrap();
    w.key_values(&all).unwrap();
    let back = KeyValues::parse(env(&w.finish()).payload());
    // The typed key `all` lacked is written before its lines: the one normalisation.
    let pairs: Vec<_> = back.iter().collect();
    assert_eq!(pairs[0], ("domain-class", "standard"));
    assert_eq!(pairs[1..], all.iter().collect::<Vec<_>>()[..]);

    let err = writer()
        .key(&all, "domain-status", Some(&"taken".to_owned()))
        .unwrap_err();
    assert!(message(&err).contains("differs"));
    assert!(writer().key::<String>(&all, "x-extra", None).is_err());
}

/// `domain-price-<type>` beside the declared key `domain-price-promo`.
const PRICE: &str = "domain-price-";
const DECLARED: &[&str] = &["domain-status", "domain-price-promo"];

#[test]
fn key_families_read_every_member_but_the_declared_keys() {
    let all = KeyValues::parse(
        "domain-status: free\nDomain-Price-Create: 12\ndomain-price-promo: x\ndomain-price-: 1\ndomain-price-renew: 13\n",
    );
    let e = env("Status-Code: 0\n\n");
    let keys = Fields::keys(REQ, &e, &all);
    let got: Vec<(String, i64)> = keys.family(PRICE, DECLARED).unwrap();
    // Case-insensitive prefix, the rest as sent; the bare prefix and the declared key are out.
    assert_eq!(got, [("Create".to_owned(), 12), ("renew".to_owned(), 13)]);
    let err = keys.family::<i64>("domain-", &[]).unwrap_err();
    assert_eq!(err.field, "domain-status", "a value that is not a T: {err}");
    assert!(
        Fields::headers(REQ, &e)
            .family::<i64>(PRICE, &[])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn key_families_agree_with_the_payload_or_come_first() {
    let prices = vec![("create".to_owned(), 12_i64), ("renew".to_owned(), 13)];
    // Held by the payload: the same members, in the same order, or an error.
    let all = KeyValues::parse("domain-price-create: 12\nx: y\ndomain-price-renew: 13\n");
    let mut w = writer();
    w.family(&all, PRICE, DECLARED, &prices).unwrap();
    w.key_values(&all).unwrap();
    assert_eq!(KeyValues::parse(env(&w.finish()).payload()), all);
    for other in [
        &prices[..1],
        &[prices[1].clone(), prices[0].clone()][..],
        &[],
    ] {
        let err = writer().family(&all, PRICE, DECLARED, other).unwrap_err();
        assert!(message(&err).contains("differs"), "{err}");
    }
    // Not held: written before the payload's lines, and read back as written.
    let rest = KeyValues::parse("domain-status: free\n");
    let mut w = writer();
    w.family(&rest, PRICE, DECLARED, &prices).unwrap();
    w.key_values(&rest).unwrap();
    let text = w.finish();
    let back = KeyValues::parse(env(&text).payload());
    let e = env(&text);
    let read: Vec<(String, i64)> = Fields::keys(REQ, &e, &back)
        .family(PRICE, DECLARED)
        .unwrap();
    assert_eq!(read, prices);
    assert_eq!(back.iter().last(), Some(("domain-status", "free")));
    // Members that would not read back as themselves.
    for rest_of_key in ["", "promo", "PROMO", "a:b", "a ", "a\nb"] {
        let bad = [(rest_of_key.to_owned(), 1_i64)];
        let e = writer().family(&KeyValues::default(), PRICE, DECLARED, &bad);
        assert!(e.is_err(), "{rest_of_key:?}");
    }
}

#[test]
fn key_value_pairs_that_would_read_back_otherwise_are_refused() {
    for bad in ["a:b: c\n", "k: v\n"] {
        let mut w = writer();
        w.key_values(&KeyValues::parse(bad)).unwrap();
        let back = KeyValues::parse(env(&w.finish()).payload());
        assert_eq!(back, KeyValues::parse(bad));
    }
    let mut w = writer();
    // A key with a colon cannot come from the reader; built through a key the reader keeps.
    let spaced = KeyValues::parse("lonely key without colon\n");
    w.key_values(&spaced).unwrap();
    assert_eq!(KeyValues::parse(env(&w.finish()).payload()), spaced);
    let colon = writer()
        .key(&KeyValues::default(), "a:b", Some(&"v".to_owned()))
        .unwrap_err();
    assert!(message(&colon).contains("colon"));
    let blanks = writer()
        .key(&KeyValues::default(), "k", Some(&" v".to_owned()))
        .unwrap_err();
    assert!(message(&blanks).contains("blanks"));
    let newline = writer()
        .key(&KeyValues::default(), "k", Some(&"a\nb".to_owned()))
        .unwrap_err();
    assert!(message(&newline).contains("LF"));
    // A CR inside a key or value stays (only a header's would become a space).
    let cr = KeyValues::parse("a\rb: c\rd\n");
    let mut w = writer();
    w.key_values(&cr).unwrap();
    assert_eq!(KeyValues::parse(env(&w.finish()).payload()), cr);
}

fn result_row(status: ResultStatus, cltrid: Option<&str>) -> ResultRow {
    ResultRow {
        timestamp: "20240101120000".into(),
        svtrid: "abc-1".into(),
        proc_id: "8181810".into(),
        request_type: "domain-register".into(),
        object: "example.com".into(),
        status,
        cltrid: cltrid.map(str::to_owned),
    }
}

#[test]
fn result_lists_read_back() {
    let rows = Results::Rows(vec![
        result_row(ResultStatus::Ack, None),
        result_row(ResultStatus::Pending, Some("mine")),
        result_row(ResultStatus::Unknown("weird".into()), None),
    ]);
    for reply in [
        Reply::new(&PROTOCOL, 0, "OK"),
        Reply::new(&PROTOCOL, 0, "OK").header("Separator", "TAB"),
    ] {
        for results in [rows.clone(), Results::Count(42)] {
            let mut w = AnswerWriter::new(REQ, reply.clone());
            w.results(&results).unwrap();
            let back = output::result_list(REQ, &env(&w.finish())).unwrap();
            assert_eq!(back, results);
        }
    }
    // Cells blanks cannot carry: tabs, with their header.
    let spaced = Results::Rows(vec![
        result_row(ResultStatus::Ack, Some("two words")),
        ResultRow {
            object: String::new(),
            ..result_row(ResultStatus::Unknown(String::new()), None)
        },
    ]);
    let mut w = writer();
    w.results(&spaced).unwrap();
    let e = env(&w.finish());
    assert_eq!(e.header("Separator"), Some("TAB"));
    assert_eq!(output::result_list(REQ, &e).unwrap(), spaced);
    // A v2 timestamp (`YYYY-MM-DD HH:MM:SS`), and a date then a clock time in two cells:
    // blanks would read either back as something else, so both go with tabs.
    let dated = [
        ResultRow {
            timestamp: "2024-05-06 07:08:09".into(),
            ..result_row(ResultStatus::Ack, None)
        },
        ResultRow {
            timestamp: "2024-05-06".into(),
            svtrid: "07:08:09".into(),
            ..result_row(ResultStatus::Ack, Some("two words"))
        },
    ];
    for row in dated {
        let rows = Results::Rows(vec![row]);
        let mut w = writer();
        w.results(&rows).unwrap();
        let e = env(&w.finish());
        assert_eq!(e.header("Separator"), Some("TAB"));
        assert_eq!(output::result_list(REQ, &e).unwrap(), rows);
    }
    // A reply with a Separator header decides.
    let mut w = AnswerWriter::new(
        REQ,
        Reply::new(&PROTOCOL, 0, "OK").header("Separator", "SPACE"),
    );
    assert!(w.results(&spaced).is_err());

    let bad = [
        result_row(ResultStatus::Unknown("ACK".into()), None),
        result_row(ResultStatus::Ack, Some("-")),
        result_row(ResultStatus::Ack, Some("ends in\r")),
        ResultRow {
            timestamp: "Records:".into(),
            ..result_row(ResultStatus::Ack, None)
        },
        ResultRow {
            object: "tab\there".into(),
            ..result_row(ResultStatus::Ack, None)
        },
        ResultRow {
            svtrid: "a\nb".into(),
            ..result_row(ResultStatus::Ack, None)
        },
    ];
    for row in bad {
        let err = writer().results(&Results::Rows(vec![row])).unwrap_err();
        assert!(err.field.starts_with("result row 1"), "{err}");
    }
}

#[test]
fn submitted_reads_back_and_respects_the_replys_tracking_id() {
    let s: Submitted = Submitted::new("42", Some("t-1".into()));
    let mut w = writer();
    w.submitted(&s).unwrap();
    assert_eq!(output::submitted(REQ, &env(&w.finish())).unwrap(), s);

    let tracked = || Reply::new(&PROTOCOL, 0, "OK").header("Tracking-Id", "t-1");
    let mut w = AnswerWriter::new(REQ, tracked());
    w.submitted(&s).unwrap();
    let text = w.finish();
    assert_eq!(text.matches("t-1").count(), 1);
    assert_eq!(output::submitted(REQ, &env(&text)).unwrap(), s);
    let other: Submitted = Submitted::new("42", None);
    assert!(AnswerWriter::new(REQ, tracked()).submitted(&other).is_err());
    let empty: Submitted = Submitted::new(" ", None);
    assert!(writer().submitted(&empty).is_err());
}

/// A row of a test table: a domain, a date with a "none" marker, a free-text note (the last
/// column), an extra column, and the other columns.
type Row = (
    DomainName,
    Option<Date>,
    String,
    Option<bool>,
    Vec<(String, String)>,
);

fn write_table(rows: &[Row], sep: Separator, flag: bool) -> Result<Envelope, WriteError> {
    let mut table = TableWriter::new(REQ, sep);
    let i_domain = table.column("domain", true);
    let i_date = table.column("date", true);
    let i_note = table.column("note", true);
    let i_flag = table.column("flag", flag);
    table.write(rows, |(domain, date, note, f, other), cells| {
        cells.required(i_domain, "domain", domain)?;
        cells.optional_unless(i_date, "date", "-", date.as_ref())?;
        cells.text_or_default(i_note, note);
        cells.optional_with(i_flag, "flag", f.as_ref(), FlagSpelling::ZeroOne)?;
        cells.other_columns(other);
        Ok(())
    })?;
    let mut w = writer();
    w.table(table)?;
    Ok(env(&w.finish()))
}

fn read_table(e: &Envelope, sep: Separator) -> Vec<Row> {
    let mut t = TableReader::new(REQ, e, &["domain", "date", "note"], sep);
    let (i_domain, i_date) = (t.column("domain"), t.column("date"));
    let (i_note, i_flag) = (t.column("note"), t.column("flag"));
    t.read(|row| {
        Ok((
            row.required(i_domain, "domain")?,
            row.optional_unless(i_date, "date", "-")?,
            row.text_or_default(i_note),
            row.optional_with(i_flag, "flag", FlagSpelling::ZeroOne)?,
            row.other_columns(),
        ))
    })
    .unwrap()
}

fn row(domain: &str, date: Option<Date>, note: &str, flag: Option<bool>) -> Row {
    (
        DomainName::new(domain).unwrap(),
        date,
        note.into(),
        flag,
        vec![],
    )
}

#[test]
fn tables_read_back_with_the_declared_separator_when_it_can() {
    let date = Date::from_ymd(2030, 1, 31).ok();
    let rows = vec![
        row("a.com", date, "free text here", None),
        row("b.com", None, "x", None),
    ];
    let e = write_table(&rows, Separator::Whitespace, false).unwrap();
    assert_eq!(e.header("Columns"), Some("domain,date,note"));
    assert_eq!(e.header("Separator"), Some("SPACE"));
    assert_eq!(e.payload(), "a.com 2030-01-31 free text here\nb.com - x");
    assert_eq!(read_table(&e, Separator::Whitespace), rows);
}

#[test]
fn tables_switch_to_tabs_for_cells_blanks_cannot_carry() {
    let date = Date::from_ymd(2030, 1, 31).ok();
    let mut rows = vec![
        // A blank note before the flag column, and a note with blanks before it.
        row("a.com", date, "", Some(true)),
        row("b.com", date, "two words", Some(false)),
    ];
    rows[1].4 = vec![("x-more".into(), String::new())];
    rows[0].4 = vec![("x-more".into(), "m".into())];
    let e = write_table(&rows, Separator::Whitespace, false).unwrap();
    assert_eq!(e.header("Separator"), Some("TAB"));
    assert_eq!(e.header("Columns"), Some("domain,date,note,flag,x-more"));
    assert_eq!(read_table(&e, Separator::Whitespace), rows);
}

#[test]
fn extra_columns_are_written_when_asked_for_or_holding_values() {
    let rows = vec![row("a.com", None, "n", None)];
    let without = write_table(&rows, Separator::Tab, false).unwrap();
    assert_eq!(without.header("Columns"), Some("domain,date,note"));
    let with = write_table(&rows, Separator::Tab, true).unwrap();
    assert_eq!(with.header("Columns"), Some("domain,date,note,flag"));
    assert_eq!(with.payload(), "a.com\t-\tn");
    // An other column named like the left-out declared one would be read as it.
    let mut named = rows.clone();
    named[0].4 = vec![("FLAG".into(), "1".into())];
    let e = write_table(&named, Separator::Tab, false).unwrap();
    assert_eq!(e.header("Columns"), Some("domain,date,note,flag,FLAG"));
    assert_eq!(read_table(&e, Separator::Tab), named);
}

#[test]
fn tables_refuse_what_no_separator_can_carry() {
    let date = Date::from_ymd(2030, 1, 31).ok();
    let cases: Vec<(Vec<Row>, &str)> = vec![
        (vec![row("a.com", date, "a\nb", None)], "LF"),
        (vec![row("a.com", date, "ends in\r", None)], "CR"),
        (
            {
                let mut r = vec![row("a.com", date, "tab\there", Some(true))];
                r[0].4 = vec![];
                r
            },
            "tab",
        ),
        (
            {
                let mut r = vec![row("a.com", date, "n", None), row("b.com", date, "n", None)];
                r[0].4 = vec![("x".into(), "1".into())];
                r[1].4 = vec![("y".into(), "1".into())];
                r
            },
            "other columns",
        ),
    ];
    for (rows, why) in cases {
        let err = write_table(&rows, Separator::Whitespace, false).unwrap_err();
        assert!(err.to_string().contains(why), "{why}: {err}");
    }
    // Column names the `Columns` header cannot carry.
    let mut r = vec![row("a.com", date, "n", None)];
    r[0].4 = vec![("a,b".into(), "1".into())];
    assert!(write_table(&r, Separator::Tab, false).is_err());
}

#[test]
fn cells_that_read_as_missing_are_refused() {
    let mut table = TableWriter::new(REQ, Separator::Tab);
    let i = table.column("v", true);
    let none = table.write(&["-".to_owned()], |v, cells| {
        cells.optional_unless(i, "v", "-", Some(v))
    });
    assert!(none.unwrap_err().message.contains("none marker"));
    let empty = table.write(&[String::new()], |v, cells| cells.required(i, "v", v));
    assert!(empty.unwrap_err().message.contains("empty"));
    // A row with no cell at all would vanish.
    let mut table = TableWriter::new(REQ, Separator::Tab);
    let i = table.column("v", true);
    table
        .write(&[None::<String>], |v, cells| {
            cells.optional(i, "v", v.as_ref())
        })
        .unwrap();
    let err = writer().table(table).unwrap_err();
    assert!(err.message.contains("blank"), "{err}");
}
