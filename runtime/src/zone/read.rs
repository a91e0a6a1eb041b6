//! Reading zone text.
//!
//! A record is read into a borrowed form first ([`RecordRef`]): [`Zone::parse`] owns it, and
//! the writer's read-back guard compares it with the record it wrote, without allocating.
//!
//! [`Zone::parse`]: super::Zone::parse

use std::net::Ipv4Addr;

use super::borrowed::{DataRef, RecordRef};
use super::syntax::{Field, Fields, check_bare, check_text, is_separator, number, tokenize_into};
use super::{Directive, Dyndns, Entry, Record, Unparsed};
use crate::values::Secret;

/// The lines of zone text: split at `\n`, trailing `\r`s dropped, no empty last line after a
/// final `\n`.
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let empty = text.is_empty();
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut rest = (!empty).then_some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let line = match memchr::memchr(b'\n', current.as_bytes()) {
            Some(i) => {
                rest = Some(&current[i + 1..]);
                &current[..i]
            }
            None => {
                rest = None;
                current
            }
        };
        Some(line.trim_end_matches('\r'))
    })
}

/// How many lines [`lines`] yields, or one more.
fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
}

/// Whether a line is a `$dyndns` directive (which holds a password).
pub(super) fn is_dyndns_line(line: &str) -> bool {
    let line = line.trim_start_matches(is_separator);
    line.strip_prefix('$')
        .and_then(|l| l.get(..DYNDNS.len()))
        .is_some_and(|p| p.eq_ignore_ascii_case(DYNDNS))
}

/// The directives the model reads into their own types (`$dnssec=...`, `$dyndns=...`).
pub(super) const DNSSEC: &str = "dnssec";
pub(super) const DYNDNS: &str = "dyndns";

/// Reads zone text, line by line ([`lines`], [`parse_line`]).
pub(super) fn entries(text: &str) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(line_count(text));
    let mut fields = Fields::new();
    entries.extend(lines(text).map(|line| parse_line_with(line, &mut fields)));
    entries
}

/// Reads one line (without its line end).
pub(super) fn parse_line(line: &str) -> Entry {
    parse_line_with(line, &mut Fields::new())
}

/// [`parse_line`], with a buffer for the fields.
fn parse_line_with<'a>(line: &'a str, fields: &mut Fields<'a>) -> Entry {
    let trimmed = line.trim_matches(is_separator);
    let read = if trimmed.is_empty() {
        return Entry::Blank;
    } else if let Some(body) = trimmed.strip_prefix('$') {
        directive(body).map(Entry::Directive)
    } else {
        tokenize_into(trimmed, fields)
            .and_then(|()| record(fields.as_slice()).map(|r| Entry::Record(r.to_record())))
    };
    read.unwrap_or_else(|reason| {
        Entry::Unparsed(Unparsed {
            text: line.to_owned(),
            reason,
        })
    })
}

/// Whether `parse_line(line) == Entry::Record(r)`, without building the entry.
pub(super) fn reads_as_record(line: &str, r: &Record) -> bool {
    let trimmed = line.trim_matches(is_separator);
    if trimmed.is_empty() || trimmed.starts_with('$') {
        return false;
    }
    let mut fields = Fields::new();
    tokenize_into(trimmed, &mut fields).is_ok()
        && record(fields.as_slice()).is_ok_and(|read| read.is(r))
}

/// A directive, from the text after `$`.
fn directive(body: &str) -> Result<Directive, String> {
    let (name, value) = body
        .split_once('=')
        .ok_or("a directive needs `=` (as in `$dnssec=no`)")?;
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(format!("`${name}` is not a directive name"));
    }
    check_text(value).map_err(|e| format!("the directive's value {e}"))?;
    if value.contains(|c: char| c.is_whitespace()) {
        return Err("a directive's value has no whitespace".into());
    }
    let other = || Directive::Other {
        name: name.to_owned(),
        value: value.to_owned(),
    };
    Ok(match name {
        DNSSEC => yes_no(value).map_or_else(other, Directive::Dnssec),
        DYNDNS => {
            let mut parts = value.splitn(3, ':');
            match (parts.next().and_then(yes_no), parts.next(), parts.next()) {
                (Some(enabled), Some(user), Some(password)) => Directive::Dyndns(Dyndns {
                    enabled,
                    user: user.to_owned(),
                    password: Secret::new(password),
                }),
                _ => other(),
            }
        }
        _ => other(),
    })
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A record line, from its fields: `<label> <type> <pri> <target> <ttl> [<valid-from>
/// <valid-to> <params>...]`.
fn record<'a, 'f>(fields: &'f [Field<'a>]) -> Result<RecordRef<'a, 'f>, String> {
    let [label, rtype, pri, target, ttl, rest @ ..] = fields else {
        return Err("a record has at least 5 fields: label, type, pri, target, TTL".into());
    };
    if label.quoted {
        return Err("the label is quoted".into());
    }
    if rtype.quoted
        || !rtype.text.bytes().all(|b| b.is_ascii_alphanumeric())
        || rtype.text.is_empty()
    {
        return Err(format!("`{}` is not a record type", rtype.text));
    }
    if pri.quoted {
        return Err("the pri field is quoted".into());
    }
    let ttl = number::<u32>(*ttl).ok_or("the TTL is not a number of seconds")?;
    let (valid_from, valid_to, params) = match rest {
        [] => (0, 0, rest),
        [_] => return Err("<valid-from> without <valid-to>".into()),
        [from, to, params @ ..] => {
            let from = number::<u64>(*from).ok_or("<valid-from> is not a UNIX time or 0")?;
            let to = number::<u64>(*to).ok_or("<valid-to> is not a UNIX time or 0")?;
            (from, to, params)
        }
    };
    let data = match typed(rtype.text, *pri, *target, params) {
        Some(Ok(data)) => data,
        _ => DataRef::Other(rtype.text, pri.text, *target, params),
    };
    Ok(RecordRef {
        label: label.text,
        ttl,
        valid_from,
        valid_to,
        data,
    })
}

/// The typed form of a record of a documented type: `None` for another type, an error naming
/// what departs from the documented form otherwise.
pub(super) fn typed<'a, 'f>(
    rtype: &str,
    pri: Field<'a>,
    target: Field<'a>,
    params: &'f [Field<'a>],
) -> Option<Result<DataRef<'a, 'f>, String>> {
    let data = match rtype.as_bytes() {
        b"A" => zero(pri).and_then(|()| ipv4(target)).map(DataRef::A),
        b"AAAA" => zero(pri).and_then(|()| address(target)).map(DataRef::Aaaa),
        b"DYNA" => zero(pri).and_then(|()| ipv4(target)).map(DataRef::Dyna),
        b"DYNAAAA" => zero(pri)
            .and_then(|()| address(target))
            .map(DataRef::Dynaaaa),
        b"MX" => number::<u16>(pri)
            .ok_or_else(|| "pri must be a preference from 0 to 65535".to_owned())
            .and_then(|priority| Ok(DataRef::Mx(priority, text(target)?))),
        b"CNAME" => zero(pri).and_then(|()| text(target)).map(DataRef::Cname),
        b"URL" => zero(pri).and_then(|()| text(target)).map(DataRef::Url),
        b"FRAME" => zero(pri).and_then(|()| frame(target, params)),
        b"MAILFW" => zero(pri).and_then(|()| {
            let spam_filter = match params {
                [] => None,
                [flag] if !flag.quoted && flag.text == "1" => Some(true),
                [flag] if !flag.quoted && flag.text == "0" => Some(false),
                _ => return Err("the only parameter is the spam filter, `1` or `0`".into()),
            };
            Ok(DataRef::Mailfw(text(target)?, spam_filter))
        }),
        b"TXT" => zero(pri).and_then(|()| txt(target)).map(DataRef::Txt),
        b"NAPTR" => naptr(pri, target, params),
        b"SRV" => srv(pri, target),
        _ => return None,
    };
    Some(data.and_then(|data| {
        let takes_params = matches!(
            data,
            DataRef::Frame(_) | DataRef::Mailfw(..) | DataRef::Naptr(..)
        );
        if params.is_empty() || takes_params {
            Ok(data)
        } else {
            Err(format!("{rtype} records take no parameters"))
        }
    }))
}

fn zero(pri: Field<'_>) -> Result<(), String> {
    if pri.text == "0" {
        Ok(())
    } else {
        Err("pri must be 0 for this type (only MX, SRV and NAPTR use it)".into())
    }
}

fn address<T: std::str::FromStr>(target: Field<'_>) -> Result<T, String> {
    if target.quoted {
        return Err("the address is quoted".into());
    }
    target
        .text
        .parse()
        .map_err(|_| format!("`{}` is not an address of this type", target.text))
}

fn ipv4(target: Field<'_>) -> Result<Ipv4Addr, String> {
    match dotted_quad(target) {
        Some(ip) => Ok(ip),
        None => address(target),
    }
}

/// The usual spelling of an IPv4 address (four octets of 1 to 3 digits, no leading zero, up
/// to 255), read without std's general parser. It accepts only what std accepts, as the same
/// address; anything else is left to std (`None`), which decides.
fn dotted_quad(target: Field<'_>) -> Option<Ipv4Addr> {
    let b = target.text.as_bytes();
    if target.quoted {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut value: u16 = 0;
        while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            if i - start == 3 {
                return None;
            }
            value = value * 10 + u16::from(d - b'0');
            i += 1;
        }
        if i == start || (b[start] == b'0' && i - start > 1) {
            return None;
        }
        *octet = u8::try_from(value).ok()?;
    }
    (i == b.len()).then_some(Ipv4Addr::from(octets))
}

/// A target string, quoted exactly when the docs require it (it holds a space).
fn text(target: Field<'_>) -> Result<&str, String> {
    if target.quoted != super::syntax::needs_quotes(target.text) {
        return Err(if target.quoted {
            "the target is quoted but holds no space".into()
        } else {
            "the target is empty".into()
        });
    }
    Ok(target.text)
}

/// A TXT value: always quoted. The server adds a space inside the closing quote, so one
/// trailing space is dropped; a value still ending in a space is ambiguous and not read.
fn txt(target: Field<'_>) -> Result<&str, String> {
    if !target.quoted {
        return Err("TXT values are quoted".into());
    }
    let value = target.text.strip_suffix(' ').unwrap_or(target.text);
    if value.ends_with(' ') {
        return Err("the TXT value ends in more than the one space the server adds".into());
    }
    // The field passed the text rules with its space; without it, `"\ "` would leave a value
    // ending in a backslash, which the writer (rightly) refuses to write.
    super::syntax::check_text(value).map_err(|e| format!("the TXT value {e}"))?;
    Ok(value)
}

fn frame<'a, 'f>(target: Field<'a>, params: &[Field<'a>]) -> Result<DataRef<'a, 'f>, String> {
    let url = text(target)?;
    Ok(DataRef::Frame(match params {
        [] => [url, "", "", "", ""],
        [headers, head, title, body] if params.iter().all(|p| p.quoted) => {
            [url, headers.text, head.text, title.text, body.text]
        }
        _ => return Err("FRAME takes four quoted parameters: headers, head, title, body".into()),
    }))
}

/// `a/b` with two numbers.
fn pair(pri: Field<'_>) -> Option<(u16, u16)> {
    let (a, b) = pri.text.split_once('/')?;
    Some((number(Field::bare(a))?, number(Field::bare(b))?))
}

fn naptr<'a, 'f>(
    pri: Field<'a>,
    target: Field<'a>,
    params: &[Field<'a>],
) -> Result<DataRef<'a, 'f>, String> {
    let (order, preference) = pair(pri).ok_or("NAPTR pri is `order/preference`, as in `10/100`")?;
    let [flags, service, regex] = params else {
        return Err("NAPTR takes three quoted parameters: flags, service, regex".into());
    };
    if !params.iter().all(|p| p.quoted) {
        return Err("NAPTR parameters are quoted".into());
    }
    let replacement = text(target)?;
    Ok(DataRef::Naptr(
        order,
        preference,
        [replacement, flags.text, service.text, regex.text],
    ))
}

fn srv<'a, 'f>(pri: Field<'a>, target: Field<'a>) -> Result<DataRef<'a, 'f>, String> {
    let (priority, weight) = pair(pri).ok_or("SRV pri is `priority/weight`, as in `10/100`")?;
    let parsed = (!target.quoted)
        .then(|| target.text.rsplit_once(':'))
        .flatten()
        .and_then(|(host, port)| Some((host, number::<u16>(Field::bare(port))?)))
        .filter(|(host, _)| check_bare(host).is_ok());
    let (host, port) = parsed.ok_or("the SRV target is `host:port`")?;
    Ok(DataRef::Srv(priority, weight, host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_one_final_newline_and_carriage_returns() {
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\n").collect::<Vec<_>>(), vec![""]);
        assert_eq!(lines("a\r\nb").collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(lines("a\n\nb\n").collect::<Vec<_>>(), vec!["a", "", "b"]);
    }

    #[test]
    fn dotted_quads_read_as_std_reads_them() {
        for s in [
            "192.0.2.1",
            "0.0.0.0",
            "255.255.255.255",
            "256.0.0.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.",
            "1.2.3.4.5",
            "1..3.4",
            "1.2.3.04",
            "1.2.3.400",
            "1234.1.1.1",
            "",
            ".",
            "1.2.3.+4",
            "1.2.3.4 ",
            "١.2.3.4",
        ] {
            let read = ipv4(Field::bare(s)).ok();
            assert_eq!(read, s.parse::<Ipv4Addr>().ok(), "{s}");
            if let Some(ip) = dotted_quad(Field::bare(s)) {
                assert_eq!(Some(ip), read, "{s}");
            }
        }
    }

    #[test]
    fn known_types_out_of_form_say_why() {
        let t = |p: &'static str, tg: Field<'static>| typed("A", Field::bare(p), tg, &[]);
        assert!(matches!(t("0", Field::bare("192.0.2.1")), Some(Ok(_))));
        assert_eq!(
            t("5", Field::bare("192.0.2.1")).unwrap().unwrap_err(),
            "pri must be 0 for this type (only MX, SRV and NAPTR use it)"
        );
        assert!(typed("CAA", Field::bare("0"), Field::bare("x"), &[]).is_none());
    }
}
