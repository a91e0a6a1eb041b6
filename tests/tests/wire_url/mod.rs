//! Example request URLs of the spec (`RequestMeta::examples`), split up and checked against
//! the metadata; shared by the conformance and the wire-example tests.
#![allow(dead_code)] // each test file uses its own part

use dmapi::meta::RequestMeta;
use dmapi::metadata;
use dmapi::validate::{Problem, validate};

/// The hosts a DMAPI URL may name: production and OT&E.
pub const HOSTS: [&str; 2] = ["dmapi.joker.com", "dmapi.ote.joker.com"];

/// An example URL, split up. Values are taken literally (the docs write `+1.422.8001` and
/// `John Doe` unencoded), except that `%XX` escapes are decoded.
pub struct Example {
    pub scheme: String,
    pub host: String,
    pub request: String,
    pub params: Vec<(String, String)>,
    /// The URL has no query: the docs show only the endpoint (the Python sample POSTs its
    /// parameters), so only the request and host are checked.
    pub endpoint_only: bool,
}

pub fn parse_url(url: &str) -> Result<Example, String> {
    let (scheme, rest) = url.split_once("://").ok_or("no scheme")?;
    let (host, rest) = rest.split_once('/').ok_or("no path")?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    // A request with a path of its own (`/whois`) is named by it; the others by `/request/<name>`.
    let own = metadata::REQUESTS
        .iter()
        .find(|m| m.path.as_deref().map(|p| p.trim_start_matches('/')) == Some(path));
    let request = match own {
        Some(m) => &m.name,
        None => path
            .strip_prefix("request/")
            .ok_or_else(|| format!("path `/{path}` is not /request/<name>"))?,
    };
    let params = query
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    Ok(Example {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        request: request.to_owned(),
        params,
        endpoint_only: query.is_none(),
    })
}

fn percent_decode(s: &str) -> String {
    // Not form decoding: a `+` in the docs' examples is a literal plus (`+1.422.8001`).
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `<your-current-session-id>` and the like (also when the docs lost the closing `>`).
pub fn is_placeholder(value: &str) -> bool {
    value.starts_with('<')
}

/// `[yes|no]`: the docs offer alternatives; each must be valid.
fn alternatives(value: &str) -> Option<Vec<&str>> {
    value
        .strip_prefix('[')?
        .strip_suffix(']')
        .map(|inner| inner.split('|').collect())
}

/// One parameter list per combination of `[a|b]` alternatives (the docs use at most one).
pub fn variants(params: &[(String, String)]) -> Vec<Vec<(&str, &str)>> {
    match params.iter().position(|(_, v)| alternatives(v).is_some()) {
        None => vec![
            params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        ],
        Some(at) => alternatives(&params[at].1)
            .unwrap_or_default()
            .into_iter()
            .map(|alt| {
                params
                    .iter()
                    .enumerate()
                    .map(|(i, (k, v))| (k.as_str(), if i == at { alt } else { v.as_str() }))
                    .collect()
            })
            .collect(),
    }
}

/// Every example of the spec with its request's metadata, in spec order.
pub fn examples() -> impl Iterator<Item = (&'static RequestMeta, &'static dmapi::meta::ExampleMeta)>
{
    metadata::REQUESTS
        .iter()
        .flat_map(|m| m.examples.iter().map(move |ex| (*m, ex)))
}

/// Every problem of an example URL, as messages, in a stable order.
pub fn check(url: &str) -> Vec<String> {
    let ex = match parse_url(url) {
        Ok(ex) => ex,
        Err(e) => return vec![format!("not a request URL: {e}")],
    };
    let mut problems = Vec::new();
    if !HOSTS.contains(&ex.host.as_str()) {
        problems.push(format!("host `{}` is not a DMAPI endpoint", ex.host));
    }
    if ex.scheme != "https" {
        problems.push(format!("plain `{}`, not https", ex.scheme));
    }
    let Some(meta) = metadata::find(&ex.request) else {
        problems.push(format!("unknown request `{}`", ex.request));
        return problems;
    };
    if ex.endpoint_only {
        return problems;
    }
    let has_sid = ex
        .params
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("auth-sid"));
    if meta.auth && !has_sid {
        problems.push("no `auth-sid`".to_owned());
    }
    for params in &variants(&ex.params) {
        let placeholders: Vec<&str> = params
            .iter()
            .filter(|(_, v)| is_placeholder(v))
            .map(|(k, _)| *k)
            .collect();
        if let Err(found) = validate(meta, params.iter().copied()) {
            for p in found {
                // A placeholder stands for a valid value; only its presence is checked.
                let on_placeholder = matches!(&p, Problem::Invalid { param, .. }
                    if placeholders.iter().any(|k| k.eq_ignore_ascii_case(param)));
                let message = p.to_string();
                if !on_placeholder && !problems.contains(&message) {
                    problems.push(message);
                }
            }
        }
    }
    problems
}
