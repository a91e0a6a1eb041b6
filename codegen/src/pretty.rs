//! Layout of the generated source beyond what `prettyplease` does: doc paragraphs wrapped to a
//! reviewable width, and a blank line between items.

/// Width of a doc line's text (after `/// `): with the indentation of a method this keeps
/// generated lines near 100 columns.
const DOC_WIDTH: usize = 92;

/// The doc lines of `text`, with long prose lines wrapped at [`DOC_WIDTH`].
///
/// Markdown stays the same document: code fences, tables and headings are left alone, a
/// wrapped list item's continuation is indented under its text, and a line is never broken
/// where the next line would start a list item, a heading, a quote or a table row.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            out.push(line.to_owned());
            continue;
        }
        if fenced || line.len() <= DOC_WIDTH || trimmed.starts_with(['|', '#']) {
            out.push(line.to_owned());
            continue;
        }
        let indent = line.len() - trimmed.len();
        let hang = indent + list_marker_len(trimmed);
        wrap(line, indent, hang, &mut out);
    }
    out
}

/// Length of a list marker with its space (`- `, `* `, `1. `), or 0.
fn list_marker_len(s: &str) -> usize {
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("+ ") {
        return 2;
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s.as_bytes().get(digits..digits + 2) {
        Some([b'.' | b')', b' ']) if digits > 0 => digits + 2,
        _ => 0,
    }
}

/// Whether a wrapped line starting with `word` would change the Markdown structure.
fn starts_block(word: &str) -> bool {
    matches!(word, "-" | "*" | "+" | ">" | "|" | "=" | "==" | "---")
        || word.starts_with('#')
        || word.starts_with('|')
        || list_marker_len(&format!("{word} ")) > 0
}

fn wrap(line: &str, indent: usize, hang: usize, out: &mut Vec<String>) {
    let mut current = " ".repeat(indent);
    let mut empty = true;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let fits = current.len() + 1 + word.len() <= DOC_WIDTH;
        if !empty && !fits && !starts_block(word) {
            out.push(std::mem::replace(&mut current, " ".repeat(hang)));
            empty = true;
        }
        if !empty {
            current.push(' ');
        }
        current.push_str(word);
        empty = false;
    }
    out.push(current);
}

/// `code` with a blank line before every item that follows the end of another item at the
/// same depth (prettyplease writes items back to back).
pub(crate) fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev: Option<&str> = None;
    for line in code.lines() {
        if let Some(p) = prev
            && starts_item(line)
            && ends_item(p)
            && indent(p) == indent(line)
            && !(p.trim_start().starts_with("use ") && line.trim_start().starts_with("use "))
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn ends_item(line: &str) -> bool {
    let t = line.trim();
    t.ends_with(['}', ';']) && !t.starts_with("//")
}

fn starts_item(line: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "impl ",
        "impl<",
        "const ",
        "static ",
        "mod ",
        "type ",
        "struct ",
        "enum ",
        "trait ",
        "use ",
        "unsafe impl",
    ];
    let t = line.trim_start();
    KEYWORDS.iter().any(|k| t.starts_with(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_fences_tables_and_headings_are_kept() {
        let long = "x".repeat(120);
        let text = format!("# {long}\n\n| {long} |\n```text\n{long}\n```\nshort");
        assert_eq!(doc_lines(&text), text.lines().collect::<Vec<_>>());
    }

    #[test]
    fn prose_is_wrapped_and_list_items_hang() {
        let words = "word ".repeat(40);
        let lines = doc_lines(&format!("- {words}"));
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= DOC_WIDTH), "{lines:?}");
        assert!(
            lines[1..].iter().all(|l| l.starts_with("  word")),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            format!("- {words}").split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn no_line_starts_a_list_or_heading_by_wrapping() {
        let text = format!("{} - 1. # x", "a".repeat(DOC_WIDTH - 4));
        for l in &doc_lines(&text)[1..] {
            let first = l.split_whitespace().next().unwrap_or("");
            assert!(!starts_block(first), "{l:?}");
        }
    }

    #[test]
    fn items_get_a_blank_line_between_them() {
        let code = "use a;\nuse b;\nstruct A;\nimpl A {\n    fn f() {}\n    fn g() {\n        let x = 1;\n        let y = 2;\n    }\n}\n/// B;\n/// c\nstruct B;\n";
        assert_eq!(
            space_items(code),
            "use a;\nuse b;\n\nstruct A;\n\nimpl A {\n    fn f() {}\n\n    fn g() {\n        let x = 1;\n        let y = 2;\n    }\n}\n\n/// B;\n/// c\nstruct B;\n"
        );
    }
}
