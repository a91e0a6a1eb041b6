//! Writing zone text: canonical, and only what reads back as the same entry.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::format::{push_ipv4, push_ipv6, push_number};
use super::read::{self, parse_line, reads_as_record};
use super::syntax::{Field, Token, check_bare, check_text, check_token, needs_quotes};
use super::{
    Directive, Entry, Frame, Naptr, Record, RecordData, Zone, ZoneError, ZoneProblem, ZoneStyle,
};
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
    record_line_into(&mut out, record, ZoneStyle::Canonical)?;
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
        Entry::Record(r) => return record_line_into(out, r, style),
        Entry::Directive(d) => directive_into(out, d)?,
        Entry::Blank => {}
        Entry::Unparsed(u) => out.push_str(&u.text),
    }
    read_back(&out[start..], |line| parse_line(line) == *entry)
}

/// [`entry_into`] for a record: the read-back compares the record as read, borrowed from the
/// line, with `r`, which is `parse_line(line) == Entry::Record(r)` without its allocations.
fn record_line_into(out: &mut String, r: &Record, style: ZoneStyle) -> Result<(), String> {
    let start = out.len();
    record_into(out, r, style)?;
    read_back(&out[start..], |line| reads_as_record(line, r))
}

/// The guard of [`entry_into`]: `line` stays one line and `same(line)` holds.
fn read_back(line: &str, same: impl FnOnce(&str) -> bool) -> Result<(), String> {
    if memchr::memchr(b'\n', line.as_bytes()).is_some() || line.ends_with('\r') {
        return Err("would not stay on one line".into());
    }
    if !same(line) {
        return Err(match parse_line(line) {
            Entry::Unparsed(u) => format!("would not read back: {}", u.reason),
            _ => "would read back as a different entry (use the typed form of this record or \
                  directive)"
                .into(),
        });
    }
    Ok(())
}

/// Writes a record's fields, checking each value as it is written (in the order: label,
/// the type's own rules, target, parameters).
fn record_into(out: &mut String, r: &Record, style: ZoneStyle) -> Result<(), String> {
    check_bare(&r.label).map_err(|e| format!("the label {e}"))?;
    if r.label.starts_with('$') {
        return Err("the label starts with `$`, which marks a directive".into());
    }
    let Parts {
        pri,
        target,
        params,
    } = parts(&r.data)?;
    out.push_str(&r.label);
    out.push(' ');
    out.push_str(r.record_type());
    out.push(' ');
    match pri {
        Pri::Text(t) => out.push_str(t),
        Pri::Number(n) => push_number(out, n.into()),
        Pri::Pair(a, b) => {
            push_number(out, a.into());
            out.push('/');
            push_number(out, b.into());
        }
    }
    out.push(' ');
    // The live server's TXT: `label TXT 0  "value " ttl` (readers drop the one space).
    let served_txt = matches!((&r.data, style), (RecordData::Txt(_), ZoneStyle::Served));
    if served_txt {
        out.push(' ');
    }
    let quoted = target.quoted();
    if quoted {
        out.push('"');
    }
    let at = out.len();
    target.write(out);
    let written = out.len();
    if served_txt {
        out.push(' ');
    }
    if quoted {
        out.push('"');
    }
    check_token(Field {
        text: &out[at..written],
        quoted,
    })
    .map_err(|e| format!("the target {e}"))?;
    out.push(' ');
    push_number(out, r.ttl.into());
    if r.valid_from != 0 || r.valid_to != 0 || params.len() > 0 {
        out.push(' ');
        push_number(out, r.valid_from);
        out.push(' ');
        push_number(out, r.valid_to);
    }
    // TTL and validity cannot fail, so checking each parameter as it is written still reports
    // the same first problem as checking them all before writing.
    for i in 0..params.len() {
        out.push(' ');
        let quoted = params.quoted(i);
        if quoted {
            out.push('"');
        }
        let at = out.len();
        params.write(i, out);
        let written = out.len();
        if quoted {
            out.push('"');
        }
        check_token(Field {
            text: &out[at..written],
            quoted,
        })
        .map_err(|e| format!("parameter {} {e}", i + 1))?;
    }
    Ok(())
}

/// A record's `pri`, target and parameters, borrowed from its data.
struct Parts<'a> {
    pri: Pri<'a>,
    target: Target<'a>,
    params: Params<'a>,
}

enum Pri<'a> {
    Text(&'a str),
    Number(u16),
    Pair(u16, u16),
}

enum Target<'a> {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    /// SRV's `host:port`.
    HostPort(&'a str, u16),
    Text(Field<'a>),
}

impl Target<'_> {
    fn quoted(&self) -> bool {
        matches!(self, Target::Text(f) if f.quoted)
    }

    fn write(&self, out: &mut String) {
        match self {
            Target::V4(ip) => push_ipv4(out, *ip),
            Target::V6(ip) => push_ipv6(out, *ip),
            Target::HostPort(host, port) => {
                out.push_str(host);
                out.push(':');
                push_number(out, (*port).into());
            }
            Target::Text(f) => out.push_str(f.text),
        }
    }
}

enum Params<'a> {
    None,
    Frame(&'a Frame),
    SpamFilter(bool),
    Naptr(&'a Naptr),
    Tokens(&'a [Token]),
}

impl Params<'_> {
    fn len(&self) -> usize {
        match self {
            Params::None => 0,
            Params::Frame(_) => 4,
            Params::SpamFilter(_) => 1,
            Params::Naptr(_) => 3,
            Params::Tokens(t) => t.len(),
        }
    }

    fn quoted(&self, i: usize) -> bool {
        match self {
            Params::SpamFilter(_) => false,
            Params::Tokens(t) => t[i].quoted,
            _ => true,
        }
    }

    /// Appends parameter `i`'s text (without quotes).
    fn write(&self, i: usize, out: &mut String) {
        match self {
            Params::None => {}
            Params::Frame(f) => match i {
                // Line breaks in the headers are written `\n`.
                0 => {
                    for (n, line) in f.headers.split('\n').enumerate() {
                        if n > 0 {
                            out.push_str("\\n");
                        }
                        out.push_str(line);
                    }
                }
                1 => out.push_str(&f.head),
                2 => out.push_str(&f.title),
                _ => out.push_str(&f.body),
            },
            Params::SpamFilter(on) => out.push(if *on { '1' } else { '0' }),
            Params::Naptr(n) => out.push_str([&n.flags, &n.service, &n.regex][i]),
            Params::Tokens(t) => out.push_str(&t[i].text),
        }
    }
}

/// A target that the docs quote only when it holds a space (see [`Token::target`]).
fn target(text: &str) -> Target<'_> {
    Target::Text(Field {
        text,
        quoted: needs_quotes(text),
    })
}

/// `pri`, target and parameters of a record, or the rule of its type that it breaks.
fn parts(data: &RecordData) -> Result<Parts<'_>, String> {
    let (pri, target, params) = match data {
        RecordData::A(ip) | RecordData::Dyna(ip) => (Pri::Text("0"), Target::V4(*ip), Params::None),
        RecordData::Aaaa(ip) | RecordData::Dynaaaa(ip) => {
            (Pri::Text("0"), Target::V6(*ip), Params::None)
        }
        RecordData::Mx { priority, host } => (Pri::Number(*priority), target(host), Params::None),
        RecordData::Cname(s) | RecordData::Url(s) => (Pri::Text("0"), target(s), Params::None),
        RecordData::Frame(f) => {
            // `contains("\\n")`, without setting up a substring search for two bytes.
            if f.headers.as_bytes().windows(2).any(|w| w == b"\\n") {
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
                Params::None
            } else {
                Params::Frame(f)
            };
            (Pri::Text("0"), target(&f.url), params)
        }
        RecordData::Mailfw { to, spam_filter } => {
            let params = spam_filter.map_or(Params::None, Params::SpamFilter);
            (Pri::Text("0"), target(to), params)
        }
        RecordData::Txt(s) => {
            if s.ends_with(' ') {
                return Err(
                    "the TXT value ends in a space, which the server's own trailing \
                            space would make unreadable"
                        .into(),
                );
            }
            let value = Field {
                text: s,
                quoted: true,
            };
            (Pri::Text("0"), Target::Text(value), Params::None)
        }
        RecordData::Naptr(n) => (
            Pri::Pair(n.order, n.preference),
            target(&n.replacement),
            Params::Naptr(n),
        ),
        RecordData::Srv(s) => {
            check_bare(&s.host).map_err(|e| format!("the SRV host {e}"))?;
            (
                Pri::Pair(s.priority, s.weight),
                Target::HostPort(&s.host, s.port),
                Params::None,
            )
        }
        RecordData::Other(g) => {
            if g.record_type.is_empty() || !g.record_type.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err("the record type is not letters and digits".into());
            }
            check_bare(&g.priority).map_err(|e| format!("the pri field {e}"))?;
            (
                Pri::Text(&g.priority),
                Target::Text((&g.target).into()),
                Params::Tokens(&g.params),
            )
        }
    };
    Ok(Parts {
        pri,
        target,
        params,
    })
}

fn yes_no(on: bool) -> &'static str {
    if on { "yes" } else { "no" }
}

fn directive_into(out: &mut String, d: &Directive) -> Result<(), String> {
    match d {
        Directive::Dnssec(on) => {
            let _ = write!(out, "${}={}", read::DNSSEC, yes_no(*on));
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
                "${}={}:{}:{}",
                read::DYNDNS,
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
        Entry::Directive(d) => describe_directive(d),
        Entry::Blank => String::new(),
        Entry::Unparsed(u) => describe_unparsed(&u.text),
    }
}

/// A directive for a message: its line, with a DynDNS password as `***` (an empty one stays
/// empty), also in a `$dyndns` directive of another form, whose value may still hold one.
pub(super) fn describe_directive(d: &Directive) -> String {
    match d {
        Directive::Dyndns(dd) => format!(
            "${}={}:{}:{}",
            read::DYNDNS,
            yes_no(dd.enabled),
            shown(&dd.user),
            if dd.password.expose().is_empty() {
                ""
            } else {
                "***"
            }
        ),
        Directive::Other { name, .. } if name.eq_ignore_ascii_case(read::DYNDNS) => {
            format!("${}=***", shown(name))
        }
        d => {
            let mut line = String::new();
            match directive_into(&mut line, d) {
                Ok(()) => line,
                Err(_) => shown(&format!("{d:?}")),
            }
        }
    }
}

/// An unreadable line for a message: escaped, and a `$dyndns` line without its value.
pub(super) fn describe_unparsed(text: &str) -> String {
    if read::is_dyndns_line(text) {
        format!("${}=***", read::DYNDNS)
    } else {
        shown(text)
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
