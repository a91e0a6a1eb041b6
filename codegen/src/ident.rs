//! The one identifier sanitizer: every Rust name the generator emits comes from here.
//!
//! Rules: words are split at any character that is not an ASCII letter or digit and at
//! lower-to-upper case changes (`SvTrID` → `sv`, `tr`, `id`); snake_case joins the
//! lowercased words with `_`, PascalCase capitalises each word. A name that would start
//! with a digit gets a prefix (`_` for snake_case, `V` for PascalCase). Rust keywords
//! become raw identifiers (`r#type`), except those that cannot be raw (`self`, `Self`,
//! `super`, `crate`, `_`), which get a trailing `_`.

/// Keywords of Rust 2024 (strict and reserved).
pub const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "_",
];

const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut word = String::new();
        let mut prev_lower = false;
        for c in chunk.chars() {
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

fn finish(mut s: String) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if KEYWORDS.contains(&s.as_str()) {
        if NOT_RAW.contains(&s.as_str()) {
            s.push('_');
        } else {
            s.insert_str(0, "r#");
        }
    }
    Some(s)
}

/// `x-ficora-is-finnish` → `x_ficora_is_finnish`; `type` → `r#type`; `3des` → `_3des`.
/// `None` when the name has no letters or digits.
pub fn snake_case(name: &str) -> Option<String> {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    finish(s)
}

/// `domain-renew` → `DomainRenew`; `@creator` → `Creator`; `1y` → `V1y`.
/// `None` when the name has no letters or digits.
pub fn pascal_case(name: &str) -> Option<String> {
    let mut s: String = words(name)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    finish(s)
}

/// `domain-renew` → `DOMAIN_RENEW` (for statics).
pub fn screaming_snake_case(name: &str) -> Option<String> {
    let mut s = words(name)
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    finish(s)
}

/// Turns a sanitized name into a `proc_macro2::Ident`, raw when it starts with `r#`.
pub(crate) fn to_ident(s: &str) -> proc_macro2::Ident {
    match s.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(s, proc_macro2::Span::call_site()),
    }
}
