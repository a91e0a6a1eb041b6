//! The sandbox's reading of request bodies and queries: strict
//! `application/x-www-form-urlencoded`, public so that the fuzzer reaches it.

/// Reads `application/x-www-form-urlencoded` strictly: a `%` must start two hex digits, and
/// names and values must be UTF-8 once decoded (the live server's parameters are text).
pub fn parse_form(raw: &[u8]) -> Result<Vec<(String, String)>, String> {
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
