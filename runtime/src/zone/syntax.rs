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
    if s.is_empty() {
        return Err("is empty".into());
    }
    check_text(s)?;
    if let Some(c) = s.chars().find(|c| c.is_whitespace()) {
        return Err(format!("contains whitespace (`{}`)", c.escape_debug()));
    }
    Ok(())
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

/// Splits a line into fields; the error says why the line is not in the zone format.
pub(crate) fn tokenize(line: &str) -> Result<Vec<Field<'_>>, String> {
    let mut tokens = Vec::with_capacity(8);
    let mut rest = line.trim_start_matches(is_separator);
    while !rest.is_empty() {
        let field = tokens.len() + 1;
        let (token, after) = if let Some(inner) = rest.strip_prefix('"') {
            let end = inner
                .find('"')
                .ok_or_else(|| format!("field {field}: unbalanced quote"))?;
            let after = &inner[end + 1..];
            if after.starts_with(|c| !is_separator(c)) {
                return Err(format!("field {field}: text right after a closing quote"));
            }
            (
                Field {
                    text: &inner[..end],
                    quoted: true,
                },
                after,
            )
        } else {
            let end = rest.find(is_separator).unwrap_or(rest.len());
            (Field::bare(&rest[..end]), &rest[end..])
        };
        check_token(token).map_err(|e| format!("field {field} {e}"))?;
        tokens.push(token);
        rest = after.trim_start_matches(is_separator);
    }
    Ok(tokens)
}

/// Appends a token in its written form.
pub(crate) fn write_token(out: &mut String, t: &Token) {
    if t.quoted {
        out.push('"');
        out.push_str(&t.text);
        out.push('"');
    } else {
        out.push_str(&t.text);
    }
}

/// A number as the zone writes it: decimal digits, no sign, no leading zero.
pub(crate) fn number<T: std::str::FromStr>(t: Field<'_>) -> Option<T> {
    let s = t.text;
    let canonical = !t.quoted
        && !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    if canonical { s.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_at_whitespace_outside_quotes() {
        let t: Vec<Token> = tokenize("  a\tTXT 0  \"x y \" 60 ")
            .unwrap()
            .into_iter()
            .map(Field::to_token)
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
        for bad in ["060", "+60", "", "6 0", "99999999999"] {
            assert_eq!(number::<u32>(Field::bare(bad)), None, "{bad}");
        }
        let quoted = Token::quoted("60");
        assert_eq!(number::<u32>((&quoted).into()), None);
    }
}
