//! Reading zone text.

use super::syntax::{Field, check_bare, check_text, is_separator, number, tokenize};
use super::{
    Directive, Dyndns, Entry, Frame, GenericRecord, Naptr, Record, RecordData, Srv, Unparsed,
};
use crate::values::Secret;

/// The lines of zone text: split at `\n`, trailing `\r`s dropped, no empty last line after a
/// final `\n`.
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let empty = text.is_empty();
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .filter(move |_| !empty)
        .map(|l| l.trim_end_matches('\r'))
}

/// Whether a line is a `$dyndns` directive (which holds a password).
pub(super) fn is_dyndns_line(line: &str) -> bool {
    let line = line.trim_start_matches(is_separator);
    line.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("$dyndns"))
}

/// Reads one line (without its line end).
pub(super) fn parse_line(line: &str) -> Entry {
    let trimmed = line.trim_matches(is_separator);
    let read = if trimmed.is_empty() {
        return Entry::Blank;
    } else if let Some(body) = trimmed.strip_prefix('$') {
        directive(body).map(Entry::Directive)
    } else {
        record(trimmed).map(Entry::Record)
    };
    read.unwrap_or_else(|reason| {
        Entry::Unparsed(Unparsed {
            text: line.to_owned(),
            reason,
        })
    })
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
        "dnssec" => yes_no(value).map_or_else(other, Directive::Dnssec),
        "dyndns" => {
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

/// A record line: `<label> <type> <pri> <target> <ttl> [<valid-from> <valid-to> <params>...]`.
fn record(line: &str) -> Result<Record, String> {
    let mut tokens = tokenize(line)?.into_iter();
    let (Some(label), Some(rtype), Some(pri), Some(target), Some(ttl)) = (
        tokens.next(),
        tokens.next(),
        tokens.next(),
        tokens.next(),
        tokens.next(),
    ) else {
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
    let ttl = number::<u32>(ttl).ok_or("the TTL is not a number of seconds")?;
    let (valid_from, valid_to, params): (_, _, Vec<Field<'_>>) =
        match (tokens.next(), tokens.next()) {
            (None, _) => (0, 0, Vec::new()),
            (Some(_), None) => return Err("<valid-from> without <valid-to>".into()),
            (Some(from), Some(to)) => {
                let from = number::<u64>(from).ok_or("<valid-from> is not a UNIX time or 0")?;
                let to = number::<u64>(to).ok_or("<valid-to> is not a UNIX time or 0")?;
                (from, to, tokens.collect())
            }
        };
    let data = match typed(rtype.text, pri, target, &params) {
        Some(Ok(data)) => data,
        _ => RecordData::Other(GenericRecord {
            record_type: rtype.text.to_owned(),
            priority: pri.text.to_owned(),
            target: target.to_token(),
            params: params.into_iter().map(Field::to_token).collect(),
        }),
    };
    Ok(Record {
        label: label.text.to_owned(),
        ttl,
        valid_from,
        valid_to,
        data,
    })
}

/// The typed form of a record of a documented type: `None` for another type, an error naming
/// what departs from the documented form otherwise.
pub(super) fn typed(
    rtype: &str,
    pri: Field<'_>,
    target: Field<'_>,
    params: &[Field<'_>],
) -> Option<Result<RecordData, String>> {
    let data = match rtype {
        "A" => zero(pri).and_then(|()| address(target)).map(RecordData::A),
        "AAAA" => zero(pri)
            .and_then(|()| address(target))
            .map(RecordData::Aaaa),
        "DYNA" => zero(pri)
            .and_then(|()| address(target))
            .map(RecordData::Dyna),
        "DYNAAAA" => zero(pri)
            .and_then(|()| address(target))
            .map(RecordData::Dynaaaa),
        "MX" => number::<u16>(pri)
            .ok_or_else(|| "pri must be a preference from 0 to 65535".to_owned())
            .and_then(|priority| {
                Ok(RecordData::Mx {
                    priority,
                    host: text(target)?,
                })
            }),
        "CNAME" => zero(pri).and_then(|()| text(target)).map(RecordData::Cname),
        "URL" => zero(pri).and_then(|()| text(target)).map(RecordData::Url),
        "FRAME" => zero(pri).and_then(|()| frame(target, params)),
        "MAILFW" => zero(pri).and_then(|()| {
            let spam_filter = match params {
                [] => None,
                [flag] if !flag.quoted && flag.text == "1" => Some(true),
                [flag] if !flag.quoted && flag.text == "0" => Some(false),
                _ => return Err("the only parameter is the spam filter, `1` or `0`".into()),
            };
            Ok(RecordData::Mailfw {
                to: text(target)?,
                spam_filter,
            })
        }),
        "TXT" => zero(pri).and_then(|()| txt(target)).map(RecordData::Txt),
        "NAPTR" => naptr(pri, target, params),
        "SRV" => srv(pri, target),
        _ => return None,
    };
    Some(data.and_then(|data| {
        let takes_params = matches!(
            data,
            RecordData::Frame(_) | RecordData::Mailfw { .. } | RecordData::Naptr(_)
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

/// A target string, quoted exactly when the docs require it (it holds a space).
fn text(target: Field<'_>) -> Result<String, String> {
    if target.quoted != super::syntax::needs_quotes(target.text) {
        return Err(if target.quoted {
            "the target is quoted but holds no space".into()
        } else {
            "the target is empty".into()
        });
    }
    Ok(target.text.to_owned())
}

/// A TXT value: always quoted. The server adds a space inside the closing quote, so one
/// trailing space is dropped; a value still ending in a space is ambiguous and not read.
fn txt(target: Field<'_>) -> Result<String, String> {
    if !target.quoted {
        return Err("TXT values are quoted".into());
    }
    let value = target.text.strip_suffix(' ').unwrap_or(target.text);
    if value.ends_with(' ') {
        return Err("the TXT value ends in more than the one space the server adds".into());
    }
    Ok(value.to_owned())
}

fn frame(target: Field<'_>, params: &[Field<'_>]) -> Result<RecordData, String> {
    let url = text(target)?;
    let frame = match params {
        [] => Frame {
            url,
            ..Frame::default()
        },
        [headers, head, title, body] if params.iter().all(|p| p.quoted) => Frame {
            url,
            headers: headers.text.replace("\\n", "\n"),
            head: head.text.to_owned(),
            title: title.text.to_owned(),
            body: body.text.to_owned(),
        },
        _ => return Err("FRAME takes four quoted parameters: headers, head, title, body".into()),
    };
    Ok(RecordData::Frame(frame))
}

/// `a/b` with two numbers.
fn pair(pri: Field<'_>) -> Option<(u16, u16)> {
    let (a, b) = pri.text.split_once('/')?;
    Some((number(Field::bare(a))?, number(Field::bare(b))?))
}

fn naptr(pri: Field<'_>, target: Field<'_>, params: &[Field<'_>]) -> Result<RecordData, String> {
    let (order, preference) = pair(pri).ok_or("NAPTR pri is `order/preference`, as in `10/100`")?;
    let [flags, service, regex] = params else {
        return Err("NAPTR takes three quoted parameters: flags, service, regex".into());
    };
    if !params.iter().all(|p| p.quoted) {
        return Err("NAPTR parameters are quoted".into());
    }
    Ok(RecordData::Naptr(Naptr {
        order,
        preference,
        replacement: text(target)?,
        flags: flags.text.to_owned(),
        service: service.text.to_owned(),
        regex: regex.text.to_owned(),
    }))
}

fn srv(pri: Field<'_>, target: Field<'_>) -> Result<RecordData, String> {
    let (priority, weight) = pair(pri).ok_or("SRV pri is `priority/weight`, as in `10/100`")?;
    let parsed = (!target.quoted)
        .then(|| target.text.rsplit_once(':'))
        .flatten()
        .and_then(|(host, port)| Some((host, number::<u16>(Field::bare(port))?)))
        .filter(|(host, _)| check_bare(host).is_ok());
    let (host, port) = parsed.ok_or("the SRV target is `host:port`")?;
    Ok(RecordData::Srv(Srv {
        priority,
        weight,
        host: host.to_owned(),
        port,
    }))
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
    fn known_types_out_of_form_say_why() {
        let t = |p: &str, tg: Field<'_>| typed("A", Field::bare(p), tg, &[]);
        assert!(matches!(t("0", Field::bare("192.0.2.1")), Some(Ok(_))));
        assert_eq!(
            t("5", Field::bare("192.0.2.1")).unwrap().unwrap_err(),
            "pri must be 0 for this type (only MX, SRV and NAPTR use it)"
        );
        assert!(typed("CAA", Field::bare("0"), Field::bare("x"), &[]).is_none());
    }
}
