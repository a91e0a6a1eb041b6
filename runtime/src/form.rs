//! The form parameters of one request.
//!
//! A form is plain data: it knows no rules. It depends on [`zone`](crate::zone) (to write a
//! zone) and nothing above it; checking a form against metadata is
//! [`validate`](crate::validate)'s job, and building a checked form for a typed request is
//! [`encode`](crate::encode)'s.

use std::borrow::Cow;
use std::fmt;

use crate::zone::{Zone, ZoneError};

/// Ordered form parameters of one request. Debug redacts secret values.
///
/// ```
/// use dmapi_runtime::Form;
///
/// let mut form = Form::new();
/// form.push("domain", "example.com");
/// form.push_secret("password", "hunter2");
/// assert_eq!(form.to_urlencoded(), "domain=example.com&password=hunter2");
/// assert_eq!(format!("{form:?}"), r#"Form({"domain": "example.com", "password": ***})"#);
/// ```
#[derive(Clone, Default)]
pub struct Form {
    fields: Vec<Field>,
}

#[derive(Clone)]
struct Field {
    name: Cow<'static, str>,
    value: String,
    secret: bool,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Appends a parameter.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            secret: false,
        });
    }

    /// Appends a parameter whose value `Debug` must not show.
    pub fn push_secret(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            secret: true,
        });
    }

    /// Appends a zone in its written form ([`Zone::to_text`]). A zone that cannot be written
    /// safely is left out and its problems are returned; the caller decides what to do with
    /// them (a typed request refuses to encode: see
    /// [`encode::push_zone`](crate::encode::push_zone)).
    pub fn push_zone(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        zone: &Zone,
    ) -> Result<(), ZoneError> {
        let text = zone.to_text()?;
        self.push(name, text);
        Ok(())
    }

    /// The parameters in order, with their real values.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|f| (&*f.name, f.value.as_str()))
    }

    /// The first value of parameter `name` (ASCII case-insensitive, like the server).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_str())
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The `application/x-www-form-urlencoded` body (encoded by `form_urlencoded`).
    pub fn to_urlencoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.iter())
            .finish()
    }
}

/// Reads an `application/x-www-form-urlencoded` body or query strictly, as a server does: a
/// `%` must start two hex digits, and names and values must be UTF-8 once decoded (the live
/// server's parameters are text). The sandbox reads requests with it.
///
/// ```
/// use dmapi_runtime::form::parse_strict;
///
/// let pairs = parse_strict(b"domain=b%C3%BCcher.de&name=a+b&flag").unwrap();
/// assert_eq!(pairs[0], ("domain".into(), "b\u{fc}cher.de".into()));
/// assert_eq!(pairs[1], ("name".into(), "a b".into()));
/// assert_eq!(pairs[2], ("flag".into(), String::new()));
/// assert!(parse_strict(b"domain=%zz.com").unwrap_err().contains("`domain`"));
/// assert!(parse_strict(b"domain=%ff.com").unwrap_err().contains("not UTF-8"));
/// ```
pub fn parse_strict(raw: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for pair in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        let name = decode_component(name).map_err(|e| format!("a parameter name {e}"))?;
        let value = decode_component(value).map_err(|e| format!("parameter `{name}` {e}"))?;
        out.push((name, value));
    }
    Ok(out)
}

fn decode_component(raw: &[u8]) -> Result<String, &'static str> {
    let bad_escape = raw.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(raw.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && raw.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if bad_escape {
        return Err("has a `%` that is not followed by two hex digits");
    }
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| "is not UTF-8")
}

/// Prints `***` in place of a secret value.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The fields as a map, secrets redacted.
struct Fields<'f>(&'f [Field]);

impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for field in self.0 {
            if field.secret {
                map.entry(&field.name, &Redacted);
            } else {
                map.entry(&field.name, &field.value);
            }
        }
        map.finish()
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Form").field(&Fields(&self.fields)).finish()
    }
}
