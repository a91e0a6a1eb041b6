//! A record as read, borrowed from its line: what [`Zone::parse`](super::Zone::parse) turns
//! into a [`Record`], and what the writer's guard compares with the record it wrote.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::syntax::{Field, Token};
use super::{Frame, GenericRecord, Naptr, Record, RecordData, Srv};

/// A record as read, borrowing the line (`'a`) and its fields (`'f`).
#[derive(Debug, Clone, Copy)]
pub(super) struct RecordRef<'a, 'f> {
    pub(super) label: &'a str,
    pub(super) ttl: u32,
    pub(super) valid_from: u64,
    pub(super) valid_to: u64,
    pub(super) data: DataRef<'a, 'f>,
}

/// [`RecordData`], borrowed. FRAME headers stay as written (`\n` escaped).
#[derive(Debug, Clone, Copy)]
pub(super) enum DataRef<'a, 'f> {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Dyna(Ipv4Addr),
    Dynaaaa(Ipv6Addr),
    Mx(u16, &'a str),
    Cname(&'a str),
    Url(&'a str),
    Frame([&'a str; 5]),
    Mailfw(&'a str, Option<bool>),
    Txt(&'a str),
    Naptr(u16, u16, [&'a str; 4]),
    Srv(u16, u16, &'a str, u16),
    Other(&'a str, &'a str, Field<'a>, &'f [Field<'a>]),
}

impl RecordRef<'_, '_> {
    pub(super) fn to_record(self) -> Record {
        Record {
            label: self.label.to_owned(),
            ttl: self.ttl,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            data: self.data.to_data(),
        }
    }

    /// Whether [`to_record`](Self::to_record) would equal `r`.
    pub(super) fn is(&self, r: &Record) -> bool {
        self.label == r.label
            && self.ttl == r.ttl
            && self.valid_from == r.valid_from
            && self.valid_to == r.valid_to
            && self.data.is(&r.data)
    }
}

impl DataRef<'_, '_> {
    fn to_data(self) -> RecordData {
        let s = str::to_owned;
        match self {
            DataRef::A(ip) => RecordData::A(ip),
            DataRef::Aaaa(ip) => RecordData::Aaaa(ip),
            DataRef::Dyna(ip) => RecordData::Dyna(ip),
            DataRef::Dynaaaa(ip) => RecordData::Dynaaaa(ip),
            DataRef::Mx(priority, host) => RecordData::Mx {
                priority,
                host: s(host),
            },
            DataRef::Cname(t) => RecordData::Cname(s(t)),
            DataRef::Url(t) => RecordData::Url(s(t)),
            DataRef::Frame([url, headers, head, title, body]) => RecordData::Frame(Frame {
                url: s(url),
                headers: unescape(headers),
                head: s(head),
                title: s(title),
                body: s(body),
            }),
            DataRef::Mailfw(to, spam_filter) => RecordData::Mailfw {
                to: s(to),
                spam_filter,
            },
            DataRef::Txt(t) => RecordData::Txt(s(t)),
            DataRef::Naptr(order, preference, [replacement, flags, service, regex]) => {
                RecordData::Naptr(Naptr {
                    order,
                    preference,
                    replacement: s(replacement),
                    flags: s(flags),
                    service: s(service),
                    regex: s(regex),
                })
            }
            DataRef::Srv(priority, weight, host, port) => RecordData::Srv(Srv {
                priority,
                weight,
                host: s(host),
                port,
            }),
            DataRef::Other(record_type, priority, target, params) => {
                RecordData::Other(GenericRecord {
                    record_type: s(record_type),
                    priority: s(priority),
                    target: target.to_token(),
                    params: params.iter().map(|p| p.to_token()).collect(),
                })
            }
        }
    }

    /// Whether [`to_data`](Self::to_data) would equal `data`.
    fn is(&self, data: &RecordData) -> bool {
        let token = |f: &Field<'_>, t: &Token| f.text == t.text && f.quoted == t.quoted;
        match (*self, data) {
            (DataRef::A(a), RecordData::A(b)) | (DataRef::Dyna(a), RecordData::Dyna(b)) => a == *b,
            (DataRef::Aaaa(a), RecordData::Aaaa(b))
            | (DataRef::Dynaaaa(a), RecordData::Dynaaaa(b)) => a == *b,
            (DataRef::Mx(p, h), RecordData::Mx { priority, host }) => p == *priority && h == host,
            (DataRef::Cname(a), RecordData::Cname(b))
            | (DataRef::Url(a), RecordData::Url(b))
            | (DataRef::Txt(a), RecordData::Txt(b)) => a == b,
            (DataRef::Frame([url, headers, head, title, body]), RecordData::Frame(f)) => {
                url == f.url
                    && unescapes_to(headers, &f.headers)
                    && head == f.head
                    && title == f.title
                    && body == f.body
            }
            (DataRef::Mailfw(t, s), RecordData::Mailfw { to, spam_filter }) => {
                t == to && s == *spam_filter
            }
            (DataRef::Naptr(o, p, [replacement, flags, service, regex]), RecordData::Naptr(n)) => {
                o == n.order
                    && p == n.preference
                    && replacement == n.replacement
                    && flags == n.flags
                    && service == n.service
                    && regex == n.regex
            }
            (DataRef::Srv(p, w, h, port), RecordData::Srv(s)) => {
                p == s.priority && w == s.weight && h == s.host && port == s.port
            }
            (DataRef::Other(record_type, priority, target, params), RecordData::Other(g)) => {
                record_type == g.record_type
                    && priority == g.priority
                    && token(&target, &g.target)
                    && params.len() == g.params.len()
                    && params.iter().zip(&g.params).all(|(f, t)| token(f, t))
            }
            _ => false,
        }
    }
}

/// Whether `raw.replace("\\n", "\n") == value`, without building the replacement: the same
/// left-to-right reading, byte by byte.
fn unescapes_to(raw: &str, value: &str) -> bool {
    let (raw, value) = (raw.as_bytes(), value.as_bytes());
    let (mut i, mut j) = (0, 0);
    while let Some(&b) = raw.get(i) {
        let (byte, width) = if b == b'\\' && raw.get(i + 1) == Some(&b'n') {
            (b'\n', 2)
        } else {
            (b, 1)
        };
        if value.get(j) != Some(&byte) {
            return false;
        }
        i += width;
        j += 1;
    }
    j == value.len()
}

/// `raw.replace("\\n", "\n")`, copied at once when there is no backslash.
fn unescape(raw: &str) -> String {
    if raw.contains('\\') {
        raw.replace("\\n", "\n")
    } else {
        raw.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping_compares_as_replace_does() {
        let raws = [
            "", "a", "\\n", "a\\nb", "\\\\n", "\\", "n\\", "\\n\\n", "é\\nü", "\\\\nn",
        ];
        let values = [
            "", "a", "\n", "a\nb", "\\\n", "\\", "n\\", "\n\n", "é\nü", "\\\nn", "\\n",
        ];
        for raw in raws {
            assert_eq!(unescape(raw), raw.replace("\\n", "\n"));
            for value in values {
                let same = raw.replace("\\n", "\n") == value;
                assert_eq!(unescapes_to(raw, value), same, "{raw:?} {value:?}");
            }
        }
    }
}
