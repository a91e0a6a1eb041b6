//! A small RFC 4180 reader: comma-separated fields, records ended by CRLF or LF, fields in
//! double quotes may hold commas, quotes (doubled) and line breaks. Blank lines are skipped.
//! Each record keeps the line it starts on, for error messages.

/// One record and the line (1-based) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) line: usize,
    pub(crate) fields: Vec<String>,
}

/// Every record of `text`, or what is wrong and on which line.
pub(crate) fn records(text: &str) -> Result<Vec<Record>, String> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    // Inside a record; inside a quoted field; the current field was quoted and is closed.
    let (mut in_record, mut quoted, mut closed) = (false, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    closed = true;
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        if !in_record && c != '\n' && !(c == '\r' && chars.peek() == Some(&'\n')) {
            in_record = true;
            start = line;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                closed = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if in_record {
                    fields.push(std::mem::take(&mut field));
                    out.push(Record {
                        line: start,
                        fields: std::mem::take(&mut fields),
                    });
                }
                (in_record, closed) = (false, false);
                line += 1;
            }
            '"' if field.is_empty() && !closed => quoted = true,
            '"' => {
                return Err(format!(
                    "line {line}: a quote inside an unquoted field (quote the whole field and \
                     double the quotes in it)"
                ));
            }
            _ if closed => {
                return Err(format!(
                    "line {line}: text after the closing quote of a field"
                ));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "line {start}: a quoted field is not closed before the end of the file"
        ));
    }
    if in_record {
        fields.push(field);
        out.push(Record {
            line: start,
            fields,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: usize, fields: &[&str]) -> Record {
        Record {
            line,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n,,last\n";
        assert_eq!(
            records(text).unwrap(),
            vec![
                rec(1, &["a", "b", "c"]),
                rec(2, &["x,1", "say \"hi\"", "two\nlines"]),
                rec(5, &["", "", "last"]),
            ]
        );
        // No line break at the end; an empty quoted field.
        assert_eq!(records("a,\"\"").unwrap(), vec![rec(1, &["a", ""])]);
    }

    #[test]
    fn broken_quoting_is_reported_with_its_line() {
        let e = records("a,b\nx,un\"quoted\n").unwrap_err();
        assert!(e.starts_with("line 2: a quote inside"), "{e}");
        let e = records("a\n\"closed\"after\n").unwrap_err();
        assert!(e.starts_with("line 2: text after"), "{e}");
        let e = records("a\nb\n\"never\nclosed\n").unwrap_err();
        assert!(e.starts_with("line 3: a quoted field is not closed"), "{e}");
    }
}
