//! The zone format's lexical rules, shared by the reader and the writer so that what one
//! accepts the other produces.
//!
//! A line is split into fields at spaces and tabs. A field is either bare (no whitespace, no
//! quote) or quoted (`"..."`, ending at the next quote, followed by whitespace or the end of
//! the line). There is no escape for a quote inside a quoted field, so a value holding one
//! cannot be written.

/// A field of a zone line: its text and whether it is written quoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// The text, without the quotes.
    pub text: String,
    /// Whether the field is written `"quoted"`.
    pub quoted: bool,
}

impl Token {
    /// A field written bare (no quotes).
    pub fn bare(text: impl Into<String>) -> Self {
        Token {
            text: text.into(),
            quoted: false,
        }
    }

    /// A field written `"quoted"`.
    pub fn quoted(text: impl Into<String>) -> Self {
        Token {
            text: text.into(),
            quoted: true,
        }
    }

    /// A field quoted only when it has to be (it is empty or holds a space), as the docs
    /// require of targets.
    pub fn target(text: impl Into<String>) -> Self {
        let text = text.into();
        let quoted = needs_quotes(&text);
        Token { text, quoted }
    }
}

/// A field as read, borrowed from the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub(crate) text: &'a str,
    pub(crate) quoted: bool,
}

impl<'a> Field<'a> {
    pub(crate) fn bare(text: &'a str) -> Self {
        Field {
            text,
            quoted: false,
        }
    }

    pub(crate) fn to_token(self) -> Token {
        Token {
            text: self.text.to_owned(),
            quoted: self.quoted,
        }
    }
}

impl<'a> From<&'a Token> for Field<'a> {
    fn from(t: &'a Token) -> Self {
        Field {
            text: &t.text,
            quoted: t.quoted,
        }
    }
}

/// Whether a target must be quoted: the docs quote targets holding spaces; an empty one can
/// only be written quoted.
pub(crate) fn needs_quotes(s: &str) -> bool {
    s.is_empty() || s.contains(' ')
}

/// Characters that end a line, or may end one for a server reading the zone: `\n`, `\r` and
/// the other control characters (tab included), and the Unicode line and paragraph separators.
fn breaks_lines(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// Rule for the text of any field: no control characters, no quote, and no trailing backslash
/// (a server that reads `\"` as an escaped quote would run past the closing quote).
pub(crate) fn check_text(s: &str) -> Result<(), String> {
    // Printable ASCII (space included) passes every rule below but the last one.
    if plain(s.as_bytes(), true) && !s.ends_with('\\') {
        return Ok(());
    }
    if let Some(c) = s.chars().find(|&c| breaks_lines(c)) {
        return Err(format!(
            "contains the control character `{}`",
            c.escape_debug()
        ));
    }
    if s.contains('"') {
        return Err("contains a quote (`\"`), which the zone format cannot escape".into());
    }
    if s.ends_with('\\') {
        return Err("ends with a backslash, which could escape the closing quote".into());
    }
    Ok(())
}

/// Rule for a bare field: [`check_text`], not empty, no whitespace.
pub(crate) fn check_bare(s: &str) -> Result<(), String> {
    if !s.is_empty() && plain(s.as_bytes(), false) && !s.ends_with('\\') {
        return Ok(());
    }
    if s.is_empty() {
        return Err("is empty".into());
    }
    check_text(s)?;
    if let Some(c) = s.chars().find(|c| c.is_whitespace()) {
        return Err(format!("contains whitespace (`{}`)", c.escape_debug()));
    }
    Ok(())
}

/// Whether every byte is printable ASCII other than a quote, spaces allowed if `spaces`: the
/// common case, checked without decoding characters.
fn plain(bytes: &[u8], spaces: bool) -> bool {
    let mut at = 0;
    loop {
        at = next_special(bytes, at);
        match bytes.get(at) {
            None => return true,
            Some(b' ') if spaces => at += 1,
            Some(_) => return false,
        }
    }
}

/// Rule for a field in its written form.
pub(crate) fn check_token(t: Field<'_>) -> Result<(), String> {
    if t.quoted {
        check_text(t.text)
    } else {
        check_bare(t.text)
    }
}

/// Whether `c` separates fields.
pub(crate) fn is_separator(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// How many fields [`Fields`] holds without allocating: a FRAME record has 11.
const INLINE_FIELDS: usize = 12;

/// The fields of a line: on the stack for any documented record, in a `Vec` beyond.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    inline: [Field<'a>; INLINE_FIELDS],
    len: usize,
    spilled: Vec<Field<'a>>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new() -> Self {
        Fields {
            inline: [Field::bare(""); INLINE_FIELDS],
            len: 0,
            spilled: Vec::new(),
        }
    }

    fn push(&mut self, field: Field<'a>) {
        if self.len < INLINE_FIELDS {
            self.inline[self.len] = field;
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(field);
        }
        self.len += 1;
    }

    fn clear(&mut self) {
        self.len = 0;
        self.spilled.clear();
    }

    pub(crate) fn as_slice(&self) -> &[Field<'a>] {
        if self.len <= INLINE_FIELDS {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

/// Splits a line into fields; the error says why the line is not in the zone format.
#[cfg(test)]
pub(crate) fn tokenize(line: &str) -> Result<Fields<'_>, String> {
    let mut fields = Fields::new();
    tokenize_into(line, &mut fields).map(|()| fields)
}

/// Splits a line into `fields` (emptied first); the error says why the line is not in the
/// zone format. A field of printable ASCII needs no other check; any other gets the
/// character-by-character rules, which name the problem.
pub(crate) fn tokenize_into<'a>(line: &'a str, fields: &mut Fields<'a>) -> Result<(), String> {
    fields.clear();
    let bytes = line.as_bytes();
    let mut at = skip_separators(bytes, 0);
    while at < bytes.len() {
        let field = fields.len + 1;
        let quoted = bytes[at] == b'"';
        let (start, end, plain) = if quoted {
            quoted_end(bytes, at + 1).ok_or_else(|| format!("field {field}: unbalanced quote"))?
        } else {
            bare_end(bytes, at)
        };
        let next = end + usize::from(quoted);
        if quoted && bytes.get(next).is_some_and(|&b| b != b' ' && b != b'\t') {
            return Err(format!("field {field}: text right after a closing quote"));
        }
        // `start` and `end` are at ASCII bytes (quote, separator) or the ends: char boundaries.
        let token = Field {
            text: &line[start..end],
            quoted,
        };
        if !plain || token.text.ends_with('\\') {
            check_token(token).map_err(|e| format!("field {field} {e}"))?;
        }
        fields.push(token);
        at = skip_separators(bytes, next);
    }
    Ok(())
}

/// A bare field from `start`: its start, its end (a separator or the end of the line), and
/// whether it is plain (printable ASCII without a quote).
fn bare_end(bytes: &[u8], start: usize) -> (usize, usize, bool) {
    let at = next_special(bytes, start);
    match bytes.get(at) {
        None | Some(b' ' | b'\t') => (start, at, true),
        Some(_) => {
            let end = memchr::memchr2(b' ', b'\t', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            (start, end, false)
        }
    }
}

/// A quoted field's text from `start` (after the opening quote): its start, its end (the
/// closing quote), and whether it is plain (printable ASCII); `None` without a closing quote.
fn quoted_end(bytes: &[u8], start: usize) -> Option<(usize, usize, bool)> {
    let mut at = start;
    loop {
        at = next_special(bytes, at);
        match bytes.get(at)? {
            b'"' => return Some((start, at, true)),
            b' ' => at += 1,
            _ => {
                let end = memchr::memchr(b'"', &bytes[at..])? + at;
                return Some((start, end, false));
            }
        }
    }
}

/// The first byte from `at` on that is not printable ASCII other than space and quote (so a
/// separator, a quote, or a byte that needs the full checks), or the end; 8 bytes at a time.
fn next_special(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*word);
        // Per byte, exact (no carry crosses a byte): the high bit marks b < 0x21, b >= 0x7f,
        // or b == '"'.
        let low = w & !HIGH;
        let below = !(w | (low + ONES * (0x80 - 0x21))) & HIGH;
        let above = (w | (low + ONES)) & HIGH;
        let x = w ^ (ONES * u64::from(b'"'));
        let quote = !(((x & !HIGH) + ONES * 0x7f) | x) & HIGH;
        let special = below | above | quote;
        if special != 0 {
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if !(b'!'..=b'~').contains(&b) || b == b'"' {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

fn skip_separators(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| b == b' ' || b == b'\t') {
        at += 1;
    }
    at
}

/// A number as the zone writes it: decimal digits, no sign, no leading zero.
pub(crate) fn number<T: TryFrom<u64>>(t: Field<'_>) -> Option<T> {
    let s = t.text.as_bytes();
    if t.quoted || s.is_empty() || (s[0] == b'0' && s.len() > 1) {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        // 19 digits cannot overflow a u64; only longer numbers need the checks.
        n = if s.len() < 20 {
            n * 10 + u64::from(digit)
        } else {
            n.checked_mul(10)?.checked_add(u64::from(digit))?
        };
    }
    T::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_whitespace_outside_quotes() {
        let t: Vec<Token> = tokenize("  a\tTXT 0  \"x y \" 60 ")
            .unwrap()
            .as_slice()
            .iter()
            .map(|f| f.to_token())
            .collect();
        assert_eq!(
            t,
            vec![
                Token::bare("a"),
                Token::bare("TXT"),
                Token::bare("0"),
                Token::quoted("x y "),
                Token::bare("60"),
            ]
        );
    }

    #[test]
    fn malformed_lines_say_which_field() {
        assert_eq!(tokenize("a \"b").unwrap_err(), "field 2: unbalanced quote");
        assert_eq!(
            tokenize("a \"b\"c").unwrap_err(),
            "field 2: text right after a closing quote"
        );
        assert!(
            tokenize("a b\"c")
                .unwrap_err()
                .starts_with("field 2 contains a quote")
        );
        assert!(tokenize("a \"b\\\"").unwrap_err().contains("backslash"));
        assert!(tokenize("a \"b\u{2028}\"").unwrap_err().contains("control"));
    }

    #[test]
    fn numbers_are_canonical_decimals() {
        assert_eq!(number::<u32>(Field::bare("60")), Some(60));
        assert_eq!(number::<u32>(Field::bare("0")), Some(0));
        assert_eq!(
            number::<u64>(Field::bare("18446744073709551615")),
            Some(u64::MAX)
        );
        for bad in [
            "060",
            "+60",
            "",
            "6 0",
            "99999999999",
            "18446744073709551616",
            "/",
            ":",
        ] {
            assert_eq!(number::<u32>(Field::bare(bad)), None, "{bad}");
        }
        let quoted = Token::quoted("60");
        assert_eq!(number::<u32>((&quoted).into()), None);
    }
}
