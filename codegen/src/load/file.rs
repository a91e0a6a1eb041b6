//! One spec file: parsed once with spans, then each top-level table (`section`, every
//! `[type.<name>]`, `[fieldset.<name>]`, `[request.<name>]`, `[session]` and `[protocol]`) deserialized on
//! its own, so a bad table hides nothing of the others.

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::cx::{Cx, Entered, key_loc};
use super::de::{Entries, Found, Val};
use super::decl::{Decls, Str};
use super::read;
use super::session::SESSION_KEYS;
use crate::diag::{Loc, Sink, SourceFile};

/// The keys of a file.
const FILE_KEYS: [&str; 6] = [
    "section", "type", "fieldset", "request", "session", "protocol",
];

/// A TOML value as parsed.
type Value<'i> = Spanned<DeValue<'i>>;

/// Reads one file's declarations into `decls`.
pub(crate) fn read_file(sink: &mut Sink<'_>, fi: usize, file: &SourceFile, decls: &mut Decls) {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            sink.error(&loc(fi, span), format!("TOML syntax: {}", e.message()));
        }
        return;
    }
    let mut cx = Cx::new(sink, fi, "the file", loc(fi, 0..0));
    let keys: Vec<Spanned<String>> = doc
        .get_ref()
        .keys()
        .map(|k| Spanned::new(k.span(), k.get_ref().to_string()))
        .collect();
    cx.unknown_keys(&keys, &FILE_KEYS);
    let mut top: Vec<(String, Value<'_>)> = doc
        .into_inner()
        .into_iter()
        .map(|(k, v)| (k.into_inner().into_owned(), v))
        .collect();
    let section = take(&mut top, "section").and_then(|v| {
        let value = deserialize(&mut cx, v);
        cx.str("section", value)
    });
    if section.is_none()
        && let Some(at) = key_loc(fi, &keys, "request")
    {
        cx.error(
            &at,
            "a file with requests needs `section = \"<docs section title>\"` at the top",
        );
    }
    let section = section.map(|s| s.value).unwrap_or_default();
    let types = take(&mut top, "type");
    for_each_entry(&mut cx, ("type", "type"), types, |cx, name, t, _| {
        decls.types.extend(read::named_type(cx, name, t));
    });
    let fieldsets = take(&mut top, "fieldset");
    for_each_entry(
        &mut cx,
        ("fieldset", "field set"),
        fieldsets,
        |cx, name, f, _| {
            decls.fieldsets.push(read::fieldset(cx, name, f));
        },
    );
    let requests = take(&mut top, "request");
    for_each_entry(
        &mut cx,
        ("request", "request"),
        requests,
        |cx, name, r, keys| {
            let request = read::request(cx, name, &section, r, keys);
            decls.requests.push(request);
        },
    );
    if let Some(session) = take(&mut top, "session") {
        read_session(&mut cx, session, decls);
    }
    if let Some(value) = take(&mut top, "protocol") {
        let Some(table) = deserialize::<super::protocol::RawProtocol>(&mut cx, value) else {
            return;
        };
        match cx.enter(table, "the protocol table", None) {
            Ok(mut e) => {
                let at = e.cx.anchor().clone();
                if let Some(p) = super::protocol::read(&mut e.cx, e.value) {
                    decls.protocols.push((at, p));
                }
            }
            Err((at, found)) => cx.mismatch("protocol", &at, "a table", found),
        }
    }
}

/// Takes the value of `key` out of `entries`.
fn take<V>(entries: &mut Vec<(String, V)>, key: &str) -> Option<V> {
    let i = entries.iter().position(|(k, _)| k == key)?;
    Some(entries.remove(i).1)
}

fn loc(file: usize, span: std::ops::Range<usize>) -> Loc {
    Loc { file, span }
}

/// The kind of a parsed value.
fn kind_of(value: &DeValue<'_>) -> Found {
    match value {
        DeValue::String(_) => Found::String,
        DeValue::Integer(_) => Found::Integer,
        DeValue::Float(_) => Found::Float,
        DeValue::Boolean(_) => Found::Boolean,
        DeValue::Datetime(_) => Found::Datetime,
        DeValue::Array(_) => Found::Array,
        DeValue::Table(_) => Found::Table,
    }
}

/// Deserializes one parsed value; a failure (which the tolerant types leave to TOML itself,
/// such as a number beyond any integer type) is reported where it happened.
fn deserialize<T: for<'de> Deserialize<'de>>(
    cx: &mut Cx<'_, '_>,
    value: Value<'_>,
) -> Option<Val<T>> {
    let span = value.span();
    match Val::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = cx.loc(e.span().unwrap_or(span));
            cx.error(&at, format!("TOML: {}", e.message()));
            None
        }
    }
}

/// Reads every `[key.<name>]` table of the top-level `key` with `read` (each described as
/// "{noun} `<name>`").
fn for_each_entry<T: for<'de> Deserialize<'de>>(
    cx: &mut Cx<'_, '_>,
    (key, noun): (&str, &str),
    value: Option<Value<'_>>,
    mut read: impl FnMut(&mut Cx<'_, '_>, Str, T, &[Spanned<String>]),
) {
    let Some(value) = value else { return };
    let span = value.span();
    let table = match value.into_inner() {
        DeValue::Table(table) => table,
        other => {
            let at = cx.loc(span);
            cx.mismatch(key, &at, "a table", kind_of(&other));
            return;
        }
    };
    for (k, v) in table {
        let name = Str {
            loc: cx.loc(k.span()),
            value: k.into_inner().into_owned(),
        };
        let Some(entry) = deserialize::<T>(cx, v) else {
            continue;
        };
        let what = format!("{noun} `{}`", name.value);
        match cx.enter(entry, what, Some(name.loc.clone())) {
            Ok(mut e) => read(&mut e.cx, name, e.value, &e.keys),
            Err((at, found)) => cx.error(
                &at,
                format!(
                    "`{key}.{}` must be a table, found {}",
                    name.value,
                    found.describe()
                ),
            ),
        }
    }
}

/// `[session]`: every key of [`SESSION_KEYS`] is a required string.
fn read_session(cx: &mut Cx<'_, '_>, value: Value<'_>, decls: &mut Decls) {
    let Some(table) = deserialize::<Entries<String>>(cx, value) else {
        return;
    };
    let Entered {
        value: entries,
        cx: mut scx,
        keys,
    } = match cx.enter(table, "the session table", None) {
        Ok(entered) => entered,
        Err((at, found)) => {
            cx.mismatch("session", &at, "a table", found);
            return;
        }
    };
    let at = scx.anchor().clone();
    let mut allowed = vec!["doc"];
    allowed.extend(SESSION_KEYS);
    scx.unknown_keys(&keys, &allowed);
    let mut entries: Vec<(String, Val<String>)> = entries
        .0
        .into_iter()
        .map(|(k, v)| (k.into_inner(), v))
        .collect();
    scx.str("doc", take(&mut entries, "doc"));
    let fields = SESSION_KEYS
        .iter()
        .filter_map(|k| scx.req_str(k, take(&mut entries, k)).map(|v| (*k, v)))
        .collect();
    decls.sessions.push((at, fields));
}
