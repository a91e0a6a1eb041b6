//! The rules of the value types, each written once: what the constructors and
//! `ValueType::check` both call.

use super::*;

// ---------------------------------------------------------------------------------------------
// Rules. Each returns an error without the value (see the module docs); callers that may show
// the value add it with `ValueError::with_value`.

/// `true` for characters no single-line value may contain.
fn is_control(c: char) -> bool {
    c.is_control()
}

/// Rule for single-line text: no control characters (this includes tab and newline).
pub(crate) fn rule_no_controls(kind: &'static str, s: &str) -> Result<(), ValueError> {
    // Fast path: printable ASCII has no control character.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    match s.chars().find(|&c| is_control(c)) {
        Some(c) => Err(ValueError::new(
            kind,
            format!("contains the control character `{}`", c.escape_debug()),
        )),
        None => Ok(()),
    }
}

fn invalid_char(kind: &'static str, c: char, allowed: &str) -> ValueError {
    ValueError::new(
        kind,
        format!(
            "invalid character `{}` (allowed: {allowed})",
            c.escape_debug()
        ),
    )
}

fn too_long(kind: &'static str, len: usize, max: usize) -> ValueError {
    ValueError::new(kind, format!("too long: {len} characters (at most {max})"))
}

/// Every byte of the word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// `0x80` in each byte of `x` (all below `0x80`) from `lo` to `hi`, `0` in the others.
#[inline(always)]
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x.wrapping_add(splat(0x80 - lo));
    let above_hi = x.wrapping_add(splat(0x7f - hi));
    at_least_lo & !above_hi & splat(0x80)
}

/// `0x80` in each byte of `x` equal to `b`, `0` in the others (exact).
#[inline(always)]
fn bytes_eq(x: u64, b: u8) -> u64 {
    let y = x ^ splat(b);
    !(((y & splat(0x7f)).wrapping_add(splat(0x7f))) | y | splat(0x7f))
}

/// The `0x80` flags of a word's bytes as 8 bits, bit `k` for byte `k`.
#[inline(always)]
fn gather(flags: u64) -> u64 {
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Whether `b` is a valid domain name: the rules of [`rule_domain`], which finds the reason
/// when this says no.
///
/// Names of up to 64 bytes (nearly all) are checked 8 bytes at a time with no branch per
/// byte: the allowed bytes, and the dots and hyphens as bit masks whose shifts find empty
/// labels and hyphens at a label's ends. Longer names take a byte loop.
#[inline]
pub(crate) fn domain_ok(b: &[u8]) -> bool {
    let n = b.len();
    if n == 0 || n > 64 {
        return n != 0 && long_domain_ok(b);
    }
    let (mut dots, mut hyphens, mut bad) = (0u64, 0u64, 0u64);
    let mut word = |k: usize, w: u64| {
        let ascii = w & splat(0x7f);
        let letter = bytes_in(ascii | splat(0x20), b'a', b'z');
        // `-`, `.`, `/` and the digits are 0x2d to 0x39; `/` is not allowed.
        let dash_dot_digit = bytes_in(ascii, b'-', b'9') & !bytes_eq(w, b'/');
        bad |= (w & splat(0x80)) | (!(letter | dash_dot_digit) & splat(0x80));
        dots |= gather(bytes_eq(w, b'.')) << (8 * k);
        hyphens |= gather(bytes_eq(w, b'-')) << (8 * k);
    };
    let (full, rem) = (n / 8, n % 8);
    for (k, w) in b.chunks_exact(8).enumerate() {
        word(
            k,
            u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        );
    }
    if rem > 0 {
        // The last bytes, padded with `a` (allowed, neither a dot nor a hyphen).
        let w = match b.get(n.wrapping_sub(8)..) {
            Some(t) => {
                let t = u64::from_le_bytes([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]]);
                (t >> (8 * (8 - rem))) | (splat(b'a') << (8 * rem))
            }
            None => {
                let mut padded = [b'a'; 8];
                padded[..rem].copy_from_slice(b);
                u64::from_le_bytes(padded)
            }
        };
        word(full, w);
    }
    let last = 1u64 << (n - 1);
    // No empty label (a dot first, last or after a dot), at least one dot, and no hyphen
    // first or last in a label. With at most 64 bytes and a dot, no label exceeds 63.
    let empty_label = dots & (1 | last | (dots >> 1));
    let hyphen_at_end = hyphens & (1 | last | (dots << 1) | (dots >> 1));
    bad == 0 && dots != 0 && empty_label == 0 && hyphen_at_end == 0
}

/// [`domain_ok`] for names over 64 bytes, a byte at a time.
fn long_domain_ok(b: &[u8]) -> bool {
    const MAX: usize = 253;
    const MAX_LABEL: usize = 63;
    b.len() <= MAX
        && b.split(|&c| c == b'.').count() >= 2
        && b.split(|&c| c == b'.').all(|label| {
            (1..=MAX_LABEL).contains(&label.len())
                && label[0] != b'-'
                && label[label.len() - 1] != b'-'
                && label
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// Rule for [`DomainName`] (also name servers).
pub(crate) fn rule_domain(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 253;
    const MAX_LABEL: usize = 63;
    if domain_ok(s.as_bytes()) {
        return Ok(());
    }
    let err = |reason: &str| ValueError::new(DOMAIN, reason);
    if s.is_empty() {
        return Err(err("empty"));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    if !s.bytes().all(allowed) {
        if !s.is_ascii() {
            return Err(err(
                "contains non-ASCII characters; give an internationalised (IDN) name in its punycode (`xn--`) form",
            ));
        }
        if let Some(c) = s.chars().find(|&c| !allowed(c as u8)) {
            return Err(invalid_char(DOMAIN, c, "letters, digits, `-` and `.`"));
        }
    }
    if s.len() > MAX {
        return Err(too_long(DOMAIN, s.len(), MAX));
    }
    if s.ends_with('.') {
        return Err(err("a trailing dot is not allowed"));
    }
    let mut labels = 0;
    for label in s.split('.') {
        labels += 1;
        if label.is_empty() {
            return Err(err("empty label"));
        }
        if label.len() > MAX_LABEL {
            return Err(err(&format!(
                "label {labels} is too long: {} characters (at most {MAX_LABEL})",
                label.len()
            )));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(err(&format!("label {labels} starts or ends with a hyphen")));
        }
    }
    if labels < 2 {
        return Err(err("needs at least two labels, like `example.com`"));
    }
    Ok(())
}

/// Rule for [`Handle`].
pub(crate) fn rule_handle(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 64;
    if s.is_empty() {
        return Err(ValueError::new(HANDLE, "empty"));
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(invalid_char(HANDLE, c, "letters, digits, `.`, `_` and `-`"));
    }
    if s.len() > MAX {
        return Err(too_long(HANDLE, s.len(), MAX));
    }
    Ok(())
}

/// Rule for [`Email`].
pub(crate) fn rule_email(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 254;
    let err = |reason: &str| ValueError::new(EMAIL, reason);
    if s.is_empty() {
        return Err(err("empty"));
    }
    let len = s.chars().count();
    if len > MAX {
        return Err(too_long(EMAIL, len, MAX));
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(err("needs an `@`"));
    };
    if domain.contains('@') {
        return Err(err("contains more than one `@`"));
    }
    let blank = |c: char| c.is_whitespace() || is_control(c);
    if local.is_empty() {
        return Err(err("nothing before the `@`"));
    }
    if local.chars().any(blank) {
        return Err(err("whitespace or a control character before the `@`"));
    }
    if domain.chars().any(blank) {
        return Err(err("whitespace or a control character after the `@`"));
    }
    if !domain.contains('.') {
        return Err(err(
            "the part after the `@` needs a dot, like `example.com`",
        ));
    }
    if domain.split('.').any(str::is_empty) {
        return Err(err("the part after the `@` has an empty label"));
    }
    Ok(())
}

/// Rule for [`Pattern`].
pub(crate) fn rule_pattern(s: &str) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(PATTERN, "empty"));
    }
    match s.chars().find(|&c| c.is_whitespace() || is_control(c)) {
        Some(c) => Err(ValueError::new(
            PATTERN,
            format!(
                "contains whitespace or a control character (`{}`)",
                c.escape_debug()
            ),
        )),
        None => Ok(()),
    }
}

/// Rule for [`CountryCode`].
pub(crate) fn rule_country(s: &str) -> Result<(), ValueError> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(ValueError::new(
            COUNTRY,
            "expected two letters (ISO 3166-1 alpha-2, like `DE`)",
        ))
    }
}

/// Rule for [`LanguageCode`].
pub(crate) fn rule_language(s: &str) -> Result<(), ValueError> {
    if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(ValueError::new(
            LANGUAGE,
            "expected two or three letters (ISO 639, like `en`)",
        ))
    }
}

/// Parses a decimal integer: an optional `-` (only if `T` is signed) and digits, nothing else.
pub(crate) fn parse_int<T>(kind: &'static str, s: &str) -> Result<T, ValueError>
where
    T: FromStr<Err = std::num::ParseIntError>,
{
    if s.starts_with('+') {
        return Err(ValueError::new(kind, "expected a whole number"));
    }
    s.parse::<T>().map_err(|e| {
        let reason = match e.kind() {
            IntErrorKind::Empty => "empty",
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "number out of range",
            _ => "expected a whole number",
        };
        ValueError::new(kind, reason)
    })
}

/// Parses digits only (no sign), returning `None` for "too many digits to be in range".
pub(super) fn parse_digits(kind: &'static str, s: &str) -> Result<Option<u32>, ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(kind, "empty"));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(kind, "expected digits only"));
    }
    Ok(s.parse::<u32>().ok())
}

pub(crate) fn parse_ipv4(s: &str) -> Result<Ipv4Addr, ValueError> {
    s.parse().map_err(|_| {
        ValueError::new(
            IPV4,
            "expected four dot-separated numbers, like `192.0.2.1`",
        )
    })
}

pub(crate) fn parse_ipv6(s: &str) -> Result<Ipv6Addr, ValueError> {
    s.parse()
        .map_err(|_| ValueError::new(IPV6, "expected an IPv6 address, like `2001:db8::1`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The domain rules read plainly, label by label.
    fn plain_domain_rules(s: &str) -> bool {
        let labels: Vec<&str> = s.split('.').collect();
        !s.is_empty()
            && s.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(|l| {
                (1..=63).contains(&l.len())
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    }

    #[test]
    fn the_one_pass_domain_check_agrees_with_the_rules() {
        // Every string of up to 6 bytes over an alphabet with each kind of byte.
        let alphabet = ["a", "Z", "0", "-", ".", "_", "ü"];
        let mut cases = vec![String::new()];
        let mut last = cases.clone();
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        let long = "a".repeat(63);
        cases.extend([
            format!("{long}.com"),
            format!("{long}a.com"),
            format!("example.{long}"),
            format!("example.{long}a"),
            format!("{}.com", ["abcdefghi"; 25].join(".")),
            format!("{}.com", ["abcdefghi"; 26].join(".")),
        ]);
        // Every byte, at each place of a word and of a label.
        for c in 0..=255u8 {
            for at in 0..10 {
                let mut name = b"abcdefghij.com".to_vec();
                name[at] = c;
                if let Ok(s) = String::from_utf8(name) {
                    cases.push(s);
                }
            }
            let s = char::from(c).to_string();
            cases.extend([format!("{s}a.com"), format!("a{s}.com"), format!("a.co{s}")]);
        }
        for s in &cases {
            assert_eq!(domain_ok(s.as_bytes()), plain_domain_rules(s), "{s:?}");
            assert_eq!(rule_domain(s).is_ok(), plain_domain_rules(s), "{s:?}");
        }
    }
}
