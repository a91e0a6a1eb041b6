//! Answer texts shaped from a request's metadata: the declared headers, keys and columns with
//! plausible values of their types, in the variations the server may send (extra headers,
//! unknown keys and columns, a `Columns` header or none, either separator, CRLF, blank lines).

use dmapi::meta::{
    BodyKind, FieldMeta, ProtocolMeta, RequestKind, RequestMeta, ReturnsMeta, Separator, ValueType,
};
use proptest::prelude::*;
use proptest::sample::select;

/// A generated case: the flag parameters to send (wire name and value), and the answer.
pub type Case = (Vec<(String, String)>, String);

/// Answers of `meta`'s request in protocol `p`, with the flags that add extra columns set or
/// not; for an answer chosen by a parameter's value, any of its cases with that value.
pub fn case(p: &'static ProtocolMeta, meta: &'static RequestMeta) -> BoxedStrategy<Case> {
    let Some(by) = &meta.returns.by else {
        return shape(p, meta, &meta.returns, Vec::new());
    };
    let cases: Vec<BoxedStrategy<Case>> = meta
        .returns
        .cases
        .iter()
        .map(|c| {
            shape(
                p,
                meta,
                &c.returns,
                vec![(by.to_string(), c.when.to_string())],
            )
        })
        .collect();
    select(cases).prop_flat_map(|c| c).boxed()
}

/// Answers of shape `ret`, sent with `params` and the flags that add its extra columns.
fn shape(
    p: &'static ProtocolMeta,
    meta: &'static RequestMeta,
    ret: &'static ReturnsMeta,
    params: Vec<(String, String)>,
) -> BoxedStrategy<Case> {
    let flags = proptest::collection::vec(any::<bool>(), ret.extra_columns.len());
    flags
        .prop_flat_map(move |on| {
            let mut params = params.clone();
            params.extend(
                ret.extra_columns
                    .iter()
                    .zip(&on)
                    .filter(|(_, on)| **on)
                    .map(|(e, _)| (e.flag.to_string(), flag_true(meta, &e.flag))),
            );
            (Just(params), answer(p, meta, ret, on))
        })
        .boxed()
}

/// The wire text of `true` for flag parameter `flag`.
fn flag_true(meta: &RequestMeta, flag: &str) -> String {
    match meta.param(flag).map(|p| &p.ty) {
        Some(ValueType::Flag(spelling)) => spelling.encode(true).to_owned(),
        _ => "1".to_owned(),
    }
}

/// Headers (status, the declared ones, maybe an unknown one), a blank line and the payload.
fn answer(
    p: &'static ProtocolMeta,
    meta: &'static RequestMeta,
    ret: &'static ReturnsMeta,
    flags: Vec<bool>,
) -> BoxedStrategy<String> {
    let h = &p.headers;
    let mut headers: Vec<BoxedStrategy<Option<(String, String)>>> = vec![
        Just(Some((h.status_code.to_string(), "0".to_owned()))).boxed(),
        Just(Some((h.status_text.to_string(), "OK".to_owned()))).boxed(),
        proptest::option::of(token().prop_map(|v| ("X-Unknown".to_owned(), v))).boxed(),
    ];
    if meta.kind == RequestKind::Async {
        let proc_id = "[0-9]{1,8}".prop_map(|v| Some((h.proc_id.to_string(), v)));
        headers.push(proc_id.boxed());
        let tracking_id = token().prop_map(|v| (h.tracking_id.to_string(), v));
        headers.push(proptest::option::of(tracking_id).boxed());
    }
    for h in ret.headers.iter() {
        headers.push(named(h, true));
    }
    let payload = match (meta.kind, ret.body) {
        (RequestKind::Async, _) | (_, BodyKind::None) => lines().boxed(),
        (_, BodyKind::Lines) => lines().boxed(),
        (_, BodyKind::Text) => "(\\PC|\n|\r\n){0,40}".boxed(),
        (_, BodyKind::Zone) => zone().boxed(),
        (_, BodyKind::KeyValue) => key_values(ret.keys.iter().collect()).boxed(),
        (_, BodyKind::Results) => return results_answer(p, headers),
        (_, BodyKind::Table) => return table(p, ret, flags, headers),
    };
    (headers, payload, any::<bool>())
        .prop_map(|(headers, payload, crlf)| render(headers, vec![], &payload, crlf))
        .boxed()
}

/// The text of an answer; `table_headers` come after the others.
fn render(
    headers: Vec<Option<(String, String)>>,
    table_headers: Vec<(String, String)>,
    payload: &str,
    crlf: bool,
) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    for (k, v) in headers.into_iter().flatten().chain(table_headers) {
        text.push_str(&format!("{k}: {v}{end}"));
    }
    text.push_str(end);
    text.push_str(payload);
    text
}

/// A declared header or key: always when required, else maybe.
fn named(f: &FieldMeta, blanks: bool) -> BoxedStrategy<Option<(String, String)>> {
    let name = f.name.to_string();
    let v = value(&f.ty, blanks).prop_map(move |v| (name.clone(), v));
    if f.required {
        v.prop_map(Some).boxed()
    } else {
        proptest::option::of(v).boxed()
    }
}

/// A word without blanks.
fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9@._:-]{1,12}"
}

/// Non-blank lines with blank lines and CRLF line ends among them.
fn lines() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[A-Za-z0-9.]{1,10}( [A-Za-z0-9.]{1,5})?",
        Just(String::new()),
        Just("  ".to_owned())
    ];
    proptest::collection::vec((line, any::<bool>()), 0..5).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(l, crlf)| format!("{l}{}", if crlf { "\r\n" } else { "\n" }))
            .collect()
    })
}

/// Zone lines, some the reader cannot parse (kept verbatim).
fn zone() -> impl Strategy<Value = String> {
    let line = select(vec![
        "$dnssec=no",
        "www A 0 192.0.2.1 86400",
        "@ MX 10 mail.example.com 86400",
        "txt TXT 0 \"hello world\" 300",
        "this is not a record ???",
    ]);
    proptest::collection::vec(line, 0..5).prop_map(|l| l.iter().map(|l| format!("{l}\n")).collect())
}

/// Declared keys and unknown ones, in any order, with blanks around the colon.
fn key_values(keys: Vec<&'static FieldMeta>) -> impl Strategy<Value = String> {
    let mut pairs: Vec<BoxedStrategy<Option<(String, String)>>> = Vec::new();
    for k in keys {
        match k.family.as_deref() {
            // Members of a key family: the prefix in any case, any rest (a declared key's too).
            Some(prefix) => {
                let rest = prop_oneof!["[a-z]{1,8}", Just("promo".to_owned())];
                let member = (select(vec![prefix.to_owned(), prefix.to_uppercase()]), rest)
                    .prop_map(|(p, rest)| format!("{p}{rest}"));
                for _ in 0..3 {
                    let pair = (member.clone(), value(&k.ty, true));
                    pairs.push(proptest::option::of(pair).boxed());
                }
            }
            // A repeated key: up to three lines of it.
            None if k.repeated => pairs.extend((0..3).map(|_| named(k, true))),
            None => pairs.push(named(k, true)),
        }
    }
    for _ in 0..2 {
        let unknown = ("x-[a-z]{1,6}", value(&ValueType::String, true));
        pairs.push(proptest::option::of(unknown).boxed());
    }
    (pairs, select(vec![": ", ":", " :  "]))
        .prop_flat_map(|(pairs, colon)| {
            let lines: Vec<String> = pairs
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}{colon}{v}\n"))
                .collect();
            Just(lines).prop_shuffle()
        })
        .prop_map(|lines| lines.concat())
}

/// A result list, with tabs between cells (and the `Separator` header) or not.
fn results_answer(
    p: &'static ProtocolMeta,
    headers: Vec<BoxedStrategy<Option<(String, String)>>>,
) -> BoxedStrategy<String> {
    (headers, any::<bool>(), any::<bool>())
        .prop_flat_map(move |(headers, tab, crlf)| {
            (Just(headers), results(p, tab), Just(tab), Just(crlf))
        })
        .prop_map(move |(headers, payload, tab, crlf)| {
            let sep = if tab {
                let h = &p.headers;
                vec![(h.separator.to_string(), p.separator_tab.to_string())]
            } else {
                vec![]
            };
            render(headers, sep, &payload, crlf)
        })
        .boxed()
}

/// Result rows with their cells where the protocol puts them, or the count line; with `tab`,
/// cells may hold spaces or be empty.
fn results(p: &'static ProtocolMeta, tab: bool) -> impl Strategy<Value = String> {
    let free = move |re: &'static str| -> BoxedStrategy<String> {
        if tab {
            prop_oneof![
                re.boxed(),
                Just(String::new()),
                "[a-z]{1,4} [a-z]{1,4}".boxed()
            ]
            .boxed()
        } else {
            re.boxed()
        }
    };
    let seps = if tab {
        vec!["\t"]
    } else {
        vec![" ", "  ", "\t"]
    };
    let words = &p.completion;
    let mut statuses = vec![words.ack.to_string(), words.nack.to_string()];
    statuses.extend(words.pending.iter().map(|w| w.to_string()));
    statuses.extend([words.ack.to_uppercase(), "weird".to_owned()]);
    let row = (
        prop_oneof![
            "[0-9]{14}",
            "2[0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]"
        ],
        free("[a-z0-9-]{3,10}"),
        free("[0-9]{3,8}"),
        "[a-z-]{3,12}",
        prop_oneof![value(&ValueType::Domain, false), free("[a-z]{1,6}")],
        select(statuses),
        prop_oneof![
            Just(p.result_row.none.to_string()),
            token(),
            free("[a-z]{1,6}")
        ],
        select(seps),
    )
        .prop_map(move |(t, s, proc_id, r, o, st, c, sep)| {
            let at = p.result_row.at;
            let mut cells = vec![String::new(); p.result_row.columns.len()];
            for (i, v) in [
                (at.timestamp, t),
                (at.svtrid, s),
                (at.proc_id, proc_id),
                (at.request_type, r),
                (at.object, o),
                (at.status, st),
                (at.cltrid, c),
            ] {
                cells[i] = v;
            }
            cells.join(sep) + "\n"
        });
    let count_key = &p.result_row.count_key;
    prop_oneof![
        (0u64..100_000).prop_map(move |n| format!("{count_key}: {n}\n")),
        proptest::collection::vec(row, 0..4).prop_map(|rows| rows.concat()),
    ]
}

/// A valid wire text of `ty`; blanks inside only with `blanks` (and for text types).
pub fn value(ty: &ValueType, blanks: bool) -> BoxedStrategy<String> {
    let example = ty.example().into_owned();
    let strategy: BoxedStrategy<String> = match ty {
        ValueType::String | ValueType::Text if blanks => {
            "[A-Za-z0-9@._-]{1,8}( [A-Za-z0-9@._:-]{1,8}){0,2}".boxed()
        }
        ValueType::String | ValueType::Text => token().boxed(),
        ValueType::Secret => "[A-Za-z0-9]{6,16}".boxed(),
        ValueType::Domain => "[a-zA-Z][a-zA-Z0-9]{0,8}\\.(com|net|DE|org)".boxed(),
        ValueType::Email => "[a-z]{1,6}@[a-z]{1,6}\\.(com|net)".boxed(),
        ValueType::Date => (2000u16..2100, 1u8..=12, 1u8..=28)
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
            .boxed(),
        ValueType::Year => (2000u16..2100).prop_map(|y| y.to_string()).boxed(),
        ValueType::Ipv4 => any::<[u8; 4]>()
            .prop_map(|o| std::net::Ipv4Addr::from(o).to_string())
            .boxed(),
        ValueType::Ipv6 => any::<[u16; 8]>()
            .prop_map(|s| std::net::Ipv6Addr::from(s).to_string())
            .boxed(),
        ValueType::Int { min, max } => {
            let lo = min.unwrap_or(-1_000_000).max(-1_000_000);
            let hi = max.unwrap_or(1_000_000).min(1_000_000).max(lo);
            (lo..=hi).prop_map(|n| n.to_string()).boxed()
        }
        ValueType::Enum { name, values } => {
            let known = select(values.iter().map(|v| v.to_string()).collect::<Vec<_>>());
            if name.is_none() {
                // An answer's inline enum keeps values it does not know.
                return prop_oneof![3 => known, 1 => "[a-z]{3,8}"].boxed();
            }
            known.boxed()
        }
        ValueType::Flag(spelling) => {
            let spelling = *spelling;
            (any::<bool>(), any::<bool>())
                .prop_map(move |(b, lower)| {
                    let w = spelling.encode(b);
                    if lower {
                        w.to_lowercase()
                    } else {
                        w.to_owned()
                    }
                })
                .boxed()
        }
        ValueType::List { item, delimiter } => {
            let d = *delimiter;
            let pad = if blanks { " " } else { "" };
            proptest::collection::vec(value(item, false), 1..4)
                .prop_map(move |items| items.join(&format!("{d}{pad}")))
                .boxed()
        }
        _ => Just(example.clone()).boxed(),
    };
    let ty = ty.clone();
    let open_enum = matches!(&ty, ValueType::Enum { name: None, .. });
    strategy
        .prop_map(move |v| {
            if open_enum || ty.check(&v).is_ok() {
                v
            } else {
                example.clone()
            }
        })
        .boxed()
}

/// One effective column of a generated table.
#[derive(Clone, Debug)]
struct Col {
    name: String,
    ty: ValueType,
    /// Whether every row has a value (a base column without a "none" marker).
    required: bool,
    none: Option<String>,
}

impl Col {
    fn of(f: &FieldMeta, extra: bool) -> Col {
        Col {
            name: f.name.to_string(),
            ty: f.ty.clone(),
            required: !extra && f.none.is_none(),
            none: f.none.as_ref().map(|n| n.to_string()),
        }
    }
}

/// A table: columns by the flags or by a `Columns` header (extras, unknown columns, any order),
/// the declared separator or a `Separator` header, rows of cells of the columns' types.
fn table(
    p: &'static ProtocolMeta,
    ret: &'static ReturnsMeta,
    flags: Vec<bool>,
    headers: Vec<BoxedStrategy<Option<(String, String)>>>,
) -> BoxedStrategy<String> {
    let base: Vec<Col> = ret.columns.iter().map(|c| Col::of(c, false)).collect();
    let extras: Vec<Vec<Col>> = ret
        .extra_columns
        .iter()
        .map(|e| e.columns.iter().map(|c| Col::of(c, true)).collect())
        .collect();
    let by_flags: Vec<Col> = base
        .iter()
        .cloned()
        .chain(
            extras
                .iter()
                .zip(&flags)
                .filter(|(_, on)| **on)
                .flat_map(|(c, _)| c.clone()),
        )
        .collect();
    let named = (
        proptest::collection::vec(any::<bool>(), extras.len()),
        proptest::collection::vec("x-[a-z]{1,5}", 0..3),
    )
        .prop_flat_map(move |(with, unknown)| {
            let mut cols = base.clone();
            cols.extend(
                extras
                    .iter()
                    .zip(&with)
                    .filter(|(_, on)| **on)
                    .flat_map(|(c, _)| c.clone()),
            );
            cols.extend(unknown.into_iter().map(|name| Col {
                name,
                ty: ValueType::String,
                required: false,
                none: None,
            }));
            Just(cols).prop_shuffle()
        });
    let columns = prop_oneof![Just((false, by_flags)), named.prop_map(|c| (true, c))];
    let (tab_word, space_word) = (&*p.separator_tab, &*p.separator_space);
    let lower = tab_word.to_lowercase();
    let separator = select(vec![
        None,
        Some(tab_word.to_owned()),
        Some(lower),
        Some(space_word.to_owned()),
    ]);
    let h = &p.headers;
    let declared = ret.separator;
    (columns, separator, headers, any::<bool>())
        .prop_flat_map(move |((named, cols), sep, headers, crlf)| {
            let tab = match &sep {
                Some(s) => s.eq_ignore_ascii_case(tab_word),
                None => declared == Separator::Tab,
            };
            let mut table_headers = Vec::new();
            if named {
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                table_headers.push((h.columns.to_string(), names.join(", ")));
            }
            if let Some(s) = sep {
                table_headers.push((h.separator.to_string(), s));
            }
            let rows = proptest::collection::vec(row(cols, tab), 0..4);
            (Just(headers), Just(table_headers), rows, Just(crlf))
        })
        .prop_map(|(headers, table_headers, rows, crlf)| {
            let payload: String = rows.iter().map(|r| format!("{r}\n")).collect();
            render(headers, table_headers, &payload, crlf)
        })
        .boxed()
}

/// One row of `cols`, separated by tabs or blanks. With blanks a cell can be missing only at
/// the end of the row, and only the last column's cell may hold blanks.
fn row(cols: Vec<Col>, tab: bool) -> impl Strategy<Value = String> {
    let width = cols.len();
    let last_required = cols.iter().rposition(|c| c.required);
    let cells: Vec<BoxedStrategy<Option<String>>> = cols
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let v = value(&c.ty, tab || k + 1 == width);
            let may_miss = !c.required && (tab || last_required.is_none_or(|r| k > r));
            match (&c.none, may_miss) {
                (Some(none), true) => {
                    prop_oneof![v.prop_map(Some), Just(Some(none.clone())), Just(None)].boxed()
                }
                (Some(none), false) => {
                    prop_oneof![v.prop_map(Some), Just(Some(none.clone()))].boxed()
                }
                (None, true) => proptest::option::of(v).boxed(),
                (None, false) => v.prop_map(Some).boxed(),
            }
        })
        .collect();
    cells.prop_map(move |cells| {
        if tab {
            cells
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect::<Vec<_>>()
                .join("\t")
        } else {
            cells
                .into_iter()
                .map_while(|c| c)
                .collect::<Vec<_>>()
                .join(" ")
        }
    })
}
