//! Writing zone text: canonical, and only what reads back as the same entry.

use std::fmt::Write as _;

use super::read::{self, parse_line};
use super::syntax::{Token, check_bare, check_text, check_token, write_token};
use super::{Directive, Entry, Record, RecordData, Zone, ZoneError, ZoneProblem, ZoneStyle};
use crate::values::shown;

/// The whole zone, or every entry that cannot be written.
pub(super) fn zone(zone: &Zone, style: ZoneStyle) -> Result<String, ZoneError> {
    // Records average well under 64 bytes; one allocation for most zones.
    let mut out = String::with_capacity(zone.entries.len() * 48);
    let mut problems = Vec::new();
    for (i, entry) in zone.entries.iter().enumerate() {
        let start = out.len();
        if let Err(message) = styled_entry_into(&mut out, entry, style) {
            out.truncate(start);
            problems.push(ZoneProblem {
                line: Some(i + 1),
                record: describe_entry(entry),
                message,
            });
            continue;
        }
        out.push('\n');
    }
    ZoneError::from_problems(problems).map(|()| out)
}

/// One record as a line (no line end).
pub(super) fn record(record: &Record) -> Result<String, String> {
    let mut out = String::new();
    let entry = Entry::Record(record.clone());
    entry_into(&mut out, &entry)?;
    Ok(out)
}

/// Appends `entry` as one line (no line end), then reads it back: a line that would not read
/// back as the same entry is refused. This guard is what makes the writer injection-safe even
/// if a rule above were missing.
pub(super) fn entry_into(out: &mut String, entry: &Entry) -> Result<(), String> {
    styled_entry_into(out, entry, ZoneStyle::Canonical)
}

/// [`entry_into`] in `style`.
fn styled_entry_into(out: &mut String, entry: &Entry, style: ZoneStyle) -> Result<(), String> {
    let start = out.len();
    match entry {
        Entry::Record(r) => record_into(out, r, style)?,
        Entry::Directive(d) => directive_into(out, d)?,
        Entry::Blank => {}
        Entry::Unparsed(u) => out.push_str(&u.text),
    }
    let line = &out[start..];
    if line.contains('\n') || line.ends_with('\r') {
        return Err("would not stay on one line".into());
    }
    if parse_line(line) != *entry {
        return Err(match parse_line(line) {
            Entry::Unparsed(u) => format!("would not read back: {}", u.reason),
            _ => "would read back as a different entry (use the typed form of this record or \
                  directive)"
                .into(),
        });
    }
    Ok(())
}

fn record_into(out: &mut String, r: &Record, style: ZoneStyle) -> Result<(), String> {
    check_bare(&r.label).map_err(|e| format!("the label {e}"))?;
    if r.label.starts_with('$') {
        return Err("the label starts with `$`, which marks a directive".into());
    }
    let (pri, target, params) = fields(&r.data)?;
    check_token((&target).into()).map_err(|e| format!("the target {e}"))?;
    for (i, p) in params.iter().enumerate() {
        check_token(p.into()).map_err(|e| format!("parameter {} {e}", i + 1))?;
    }
    out.push_str(&r.label);
    out.push(' ');
    out.push_str(r.record_type());
    out.push(' ');
    out.push_str(&pri);
    out.push(' ');
    match (&r.data, style) {
        // The live server's TXT: `label TXT 0  "value " ttl` (readers drop the one space).
        (RecordData::Txt(value), ZoneStyle::Served) => {
            out.push(' ');
            write_token(out, &Token::quoted(format!("{value} ")));
        }
        _ => write_token(out, &target),
    }
    let _ = write!(out, " {}", r.ttl);
    if r.valid_from != 0 || r.valid_to != 0 || !params.is_empty() {
        let _ = write!(out, " {} {}", r.valid_from, r.valid_to);
        for p in &params {
            out.push(' ');
            write_token(out, p);
        }
    }
    Ok(())
}

/// `pri`, target and parameters of a record.
fn fields(data: &RecordData) -> Result<(String, Token, Vec<Token>), String> {
    let zero = || "0".to_owned();
    Ok(match data {
        RecordData::A(ip) | RecordData::Dyna(ip) => (zero(), Token::bare(ip.to_string()), vec![]),
        RecordData::Aaaa(ip) | RecordData::Dynaaaa(ip) => {
            (zero(), Token::bare(ip.to_string()), vec![])
        }
        RecordData::Mx { priority, host } => (priority.to_string(), Token::target(host), vec![]),
        RecordData::Cname(s) | RecordData::Url(s) => (zero(), Token::target(s), vec![]),
        RecordData::Frame(f) => {
            if f.headers.contains("\\n") {
                return Err(
                    "the FRAME headers hold `\\n`, which is how line breaks are \
                            written: put real line breaks instead"
                        .into(),
                );
            }
            let params = if [&f.headers, &f.head, &f.title, &f.body]
                .iter()
                .all(|p| p.is_empty())
            {
                vec![]
            } else {
                vec![
                    Token::quoted(f.headers.replace('\n', "\\n")),
                    Token::quoted(&f.head),
                    Token::quoted(&f.title),
                    Token::quoted(&f.body),
                ]
            };
            (zero(), Token::target(&f.url), params)
        }
        RecordData::Mailfw { to, spam_filter } => {
            let params = spam_filter
                .map(|on| vec![Token::bare(if on { "1" } else { "0" })])
                .unwrap_or_default();
            (zero(), Token::target(to), params)
        }
        RecordData::Txt(s) => {
            if s.ends_with(' ') {
                return Err(
                    "the TXT value ends in a space, which the server's own trailing \
                            space would make unreadable"
                        .into(),
                );
            }
            (zero(), Token::quoted(s), vec![])
        }
        RecordData::Naptr(n) => (
            format!("{}/{}", n.order, n.preference),
            Token::target(&n.replacement),
            vec![
                Token::quoted(&n.flags),
                Token::quoted(&n.service),
                Token::quoted(&n.regex),
            ],
        ),
        RecordData::Srv(s) => {
            check_bare(&s.host).map_err(|e| format!("the SRV host {e}"))?;
            (
                format!("{}/{}", s.priority, s.weight),
                Token::bare(format!("{}:{}", s.host, s.port)),
                vec![],
            )
        }
        RecordData::Other(g) => {
            if g.record_type.is_empty() || !g.record_type.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err("the record type is not letters and digits".into());
            }
            check_bare(&g.priority).map_err(|e| format!("the pri field {e}"))?;
            (g.priority.clone(), g.target.clone(), g.params.clone())
        }
    })
}

fn directive_into(out: &mut String, d: &Directive) -> Result<(), String> {
    let yes_no = |on: bool| if on { "yes" } else { "no" };
    match d {
        Directive::Dnssec(on) => {
            let _ = write!(out, "$dnssec={}", yes_no(*on));
        }
        Directive::Dyndns(d) => {
            single_word(&d.user).map_err(|e| format!("the DynDNS user {e}"))?;
            if d.user.contains(':') {
                return Err(
                    "the DynDNS user contains `:`, which separates it from the password".into(),
                );
            }
            single_word(d.password.expose()).map_err(|e| format!("the DynDNS password {e}"))?;
            let _ = write!(
                out,
                "$dyndns={}:{}:{}",
                yes_no(d.enabled),
                d.user,
                d.password.expose()
            );
        }
        Directive::Other { name, value } => {
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err("the directive name is not letters, digits, `_` and `-`".into());
            }
            single_word(value).map_err(|e| format!("the directive's value {e}"))?;
            let _ = write!(out, "${name}={value}");
        }
    }
    Ok(())
}

/// Text with no whitespace (may be empty).
fn single_word(s: &str) -> Result<(), String> {
    check_text(s)?;
    match s.chars().find(|c| c.is_whitespace()) {
        Some(c) => Err(format!("contains whitespace (`{}`)", c.escape_debug())),
        None => Ok(()),
    }
}

/// An entry for a message: its line when it can be written, otherwise its label and type with
/// the values escaped. Never shows the DynDNS password.
pub(super) fn describe_entry(entry: &Entry) -> String {
    match entry {
        Entry::Record(r) => describe(r),
        Entry::Directive(Directive::Dyndns(d)) => {
            format!(
                "$dyndns={}:{}:***",
                if d.enabled { "yes" } else { "no" },
                shown(&d.user)
            )
        }
        Entry::Directive(d) => {
            let mut line = String::new();
            match directive_into(&mut line, d) {
                Ok(()) => line,
                Err(_) => shown(&format!("{d:?}")),
            }
        }
        Entry::Blank => String::new(),
        Entry::Unparsed(u) if read::is_dyndns_line(&u.text) => "$dyndns=***".into(),
        Entry::Unparsed(u) => shown(&u.text),
    }
}

/// A record for a message (see [`describe_entry`]).
pub(super) fn describe(r: &Record) -> String {
    let mut line = String::new();
    match record_into(&mut line, r, ZoneStyle::Canonical) {
        Ok(()) if !line.contains(|c: char| c.is_control()) => line,
        _ => format!(
            "{} {} {}",
            shown(&r.label),
            shown(r.record_type()),
            shown(&r.value())
        ),
    }
}
