//! Reference documentation generated from the spec: the parameter table, groups and a Rust
//! example of each request, used in rustdoc and in `docs/requests.md`.

use std::fmt::Write as _;

use crate::model::{Body, Condition, Group, GroupKind, Kind, Param, Request, Spec, Spelling, Type};
use crate::plan::{ParamPlan, Plan, RequestPlan, Role, Slot, pascal};

/// The wire type in words, for a table cell.
fn type_text(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Text => "text (multi-line)".into(),
        Type::Secret => "secret (never logged)".into(),
        Type::Domain => "domain name".into(),
        Type::Handle => "contact handle".into(),
        Type::Email => "e-mail address".into(),
        Type::Pattern => "pattern (`*`, `?`)".into(),
        Type::Country => "country code".into(),
        Type::Language => "language code".into(),
        Type::Date => "date (`YYYY-MM-DD`)".into(),
        Type::Months => "months".into(),
        Type::Year => "year".into(),
        Type::Price => "price".into(),
        Type::Ipv4 => "IPv4 address".into(),
        Type::Ipv6 => "IPv6 address".into(),
        Type::Int { min, max } => match (min, max) {
            (Some(a), Some(b)) => format!("integer {a}..={b}"),
            (Some(a), None) => format!("integer ≥ {a}"),
            (None, Some(b)) => format!("integer ≤ {b}"),
            (None, None) => "integer".into(),
        },
        Type::Enum { values, .. } => {
            format!("one of {}", ticked(values.iter().map(String::as_str)))
        }
        Type::Flag(s) => format!(
            "flag ({})",
            match s {
                Spelling::ZeroOne => "`1`/`0`",
                Spelling::YesNo => "`yes`/`no`",
                Spelling::YN => "`Y`/`N`",
                Spelling::OneY => "`1`/`0`, also read as `Y`/`N`",
            }
        ),
        Type::List { item, delimiter } => {
            format!("list of {}, `{delimiter}`-separated", type_text(item))
        }
        Type::Zone => "zone text".into(),
    }
}

/// The conditions in words: "the TLD is .us and `x` is `1`; or when ...".
pub(crate) fn conditions_text(cs: &[Condition]) -> String {
    cs.iter()
        .map(|c| {
            let mut parts = Vec::new();
            if !c.tlds.is_empty() {
                parts.push(format!(
                    "the TLD is {}",
                    c.tlds
                        .iter()
                        .map(|t| format!(".{t}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            for (k, vs) in &c.params {
                parts.push(format!(
                    "`{k}` is {}",
                    vs.iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            parts.join(" and ")
        })
        .collect::<Vec<_>>()
        .join("; or when ")
}

/// A markdown table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// "`a`, `b`, `c`".
fn ticked<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn group_kind_text(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::ExactlyOne => "exactly one of",
        GroupKind::AtMostOne => "at most one of",
    }
}

fn alternatives_text(g: &Group) -> String {
    g.alternatives
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(" with ")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn required_text(r: &Request, p: &Param) -> String {
    if let Some(g) = r.group_of(&p.name) {
        return format!("{} `{}`", group_kind_text(g.kind), g.name);
    }
    match (&p.required, &p.default, p.required_when.is_empty()) {
        (true, Some(d), _) => format!("yes (default `{d}`)"),
        (true, None, _) => "yes".into(),
        (false, _, false) => format!("when {}", conditions_text(&p.required_when)),
        (false, _, true) => "no".into(),
    }
}

/// The "Parameters" and "Groups" sections of a request, in markdown (headings at `level`).
/// `session_param`: the spec's session parameter (`[session] param`), if it declares one.
pub(crate) fn params_section(r: &Request, level: usize, session_param: Option<&str>) -> String {
    let session = session_param.filter(|_| r.auth);
    let h = "#".repeat(level);
    let mut out = String::new();
    if r.params.is_empty() {
        let _ = write!(out, "{h} Parameters\n\nNone");
        if let Some(p) = session {
            let _ = write!(out, " (besides the session's `{p}`)");
        }
        out.push_str(".\n");
    } else {
        let _ = write!(
            out,
            "{h} Parameters\n\n| wire name | type | required | description |\n|---|---|---|---|\n"
        );
        for p in &r.params {
            let name = match p.indexed {
                Some(n) => format!("`{0}-1` .. `{0}-{n}`", p.name),
                None => format!("`{}`", p.name),
            };
            let mut doc = p.doc.clone();
            if let Some(d) = &p.deprecated {
                let _ = write!(doc, " *Deprecated: {d}.*");
            }
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} |",
                cell(&type_text(&p.ty)),
                cell(&required_text(r, p)),
                cell(&doc)
            );
        }
        if let Some(p) = session {
            let _ = write!(out, "\nThe client adds the session's `{p}`.\n");
        }
    }
    if !r.groups.is_empty() {
        let _ = write!(out, "\n{h} Groups\n\n");
        for g in &r.groups {
            let _ = write!(
                out,
                "- `{}`: {} {}",
                g.name,
                group_kind_text(g.kind),
                alternatives_text(g)
            );
            if !g.doc.is_empty() {
                let _ = write!(out, ". {}", g.doc.trim_end_matches('.'));
            }
            out.push_str(".\n");
        }
    }
    out
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// An expression of type `ty` for parameter `pp`. `exact`: the place needs the field's own type
/// (a group variant), not a constructor argument's `impl Into<String>`.
fn value_expr(pp: &ParamPlan<'_>, ty: &Type, example: Option<&str>, exact: bool) -> String {
    let parsed = |default: &str| format!("{}.parse()?", lit(example.unwrap_or(default)));
    match ty {
        Type::String | Type::Text => {
            let s = lit(example.unwrap_or("text"));
            if exact { format!("{s}.into()") } else { s }
        }
        Type::Zone => parsed("$dnssec=no\nwww A 0 192.0.2.1 86400\n"),
        Type::Secret => format!("Secret::new({})", lit(example.unwrap_or("s3cret"))),
        Type::Domain => parsed("example.com"),
        Type::Handle => parsed("COCO-4711"),
        Type::Email => parsed("john@example.com"),
        Type::Pattern => parsed("example*"),
        Type::Country => parsed("DE"),
        Type::Language => parsed("en"),
        Type::Date => parsed("2030-01-31"),
        Type::Price => parsed("25.00"),
        Type::Ipv4 => parsed("192.0.2.1"),
        Type::Ipv6 => parsed("2001:db8::1"),
        Type::Months => format!("Months::new({})?", example.unwrap_or("12")),
        Type::Year => format!("Year::new({})?", example.unwrap_or("2030")),
        Type::Int { min, .. } => example
            .map(str::to_owned)
            .unwrap_or_else(|| min.unwrap_or(1).to_string()),
        Type::Enum { name, values } => {
            let ty = name.as_deref().map_or_else(|| pp.inline.clone(), pascal);
            let v = example.or(values.first().map(String::as_str)).unwrap_or("");
            format!("{ty}::{}", pascal(v))
        }
        Type::Flag(_) => example.unwrap_or("true").to_owned(),
        Type::List { item, delimiter } => {
            let items: Vec<String> = match example {
                Some(e) => e
                    .split(*delimiter)
                    .map(|i| value_expr(pp, item, Some(i), true))
                    .collect(),
                None => vec![value_expr(pp, item, None, true)],
            };
            format!("vec![{}]", items.join(", "))
        }
    }
}

/// The constructor arguments, in order: required parameters without a default and
/// `exactly-one` groups (their first alternative without deprecated members).
fn constructor_args(rp: &RequestPlan<'_>) -> Vec<String> {
    let mut args = Vec::new();
    for slot in &rp.slots {
        match slot {
            Slot::Param(pp) if pp.role == Role::Argument => {
                args.push(value_expr(pp, &pp.p.ty, pp.p.example.as_deref(), false));
            }
            Slot::Group(i) if rp.groups[*i].g.kind == GroupKind::ExactlyOne => {
                let g = &rp.groups[*i];
                let Some(v) = g
                    .variants
                    .iter()
                    .find(|v| v.deprecated.is_none())
                    .or(g.variants.first())
                else {
                    continue;
                };
                let (gt, id) = (&g.ty, &v.ident);
                let value =
                    |m: &ParamPlan<'_>| value_expr(m, &m.p.ty, m.p.example.as_deref(), true);
                args.push(match v.members.as_slice() {
                    [one] => format!("{gt}::{id}({})", value(one)),
                    many => format!(
                        "{gt}::{id} {{ {} }}",
                        many.iter()
                            .map(|m| format!("{}: {}", m.field, value(m)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            Slot::Param(_) | Slot::Group(_) => {}
        }
    }
    args
}

/// One example line: hidden from readers (`# ` in rustdoc) or shown.
struct Line {
    hidden: bool,
    text: String,
}

/// Rust code building the request from example values and checking it against the metadata.
fn example_lines(rp: &RequestPlan<'_>) -> Vec<Line> {
    let r = rp.r;
    let ty = &rp.ty;
    let args = constructor_args(rp);
    let call = if args.is_empty() {
        format!("{ty}::new()")
    } else if args.iter().map(String::len).sum::<usize>() + ty.to_string().len() < 70 {
        format!("{ty}::new({})", args.join(", "))
    } else {
        format!(
            "{ty}::new(\n{})",
            args.iter()
                .map(|a| format!("    {a},\n"))
                .collect::<String>()
        )
    };
    let mut lines = vec![Line {
        hidden: false,
        text: "use dmapi::*;\n".into(),
    }];
    if r.deprecated.is_some() {
        lines.push(Line {
            hidden: true,
            text: "#[allow(deprecated)]".into(),
        });
        lines.push(Line {
            hidden: true,
            text: "{".into(),
        });
    }
    for l in format!("let request = {call};").lines() {
        lines.push(Line {
            hidden: false,
            text: l.to_owned(),
        });
    }
    lines.push(Line {
        hidden: false,
        text: "assert!(request.validate().is_ok());".into(),
    });
    let what = match (r.kind, r.returns.body) {
        (Kind::Async, _) => "queued: the output is a `Submitted` with the `Proc-ID`",
        (_, Body::None) if r.returns.headers.is_empty() => "the output is `()`",
        _ => "see `Output` for what the answer parses into",
    };
    lines.push(Line {
        hidden: false,
        text: format!("// Send it with a client; {what}."),
    });
    if r.deprecated.is_some() {
        lines.push(Line {
            hidden: true,
            text: "}".into(),
        });
    }
    lines.push(Line {
        hidden: true,
        text: "Ok::<(), Box<dyn std::error::Error>>(())".into(),
    });
    lines
}

/// The example as a rustdoc section (hidden lines marked `# `).
pub(crate) fn rustdoc_example(rp: &RequestPlan<'_>) -> String {
    let mut out = String::from("# Example\n\n```rust\n");
    for l in example_lines(rp) {
        if l.hidden {
            out.push_str("# ");
        }
        out.push_str(&l.text);
        out.push('\n');
    }
    out.push_str("```");
    out
}

fn markdown_example(rp: &RequestPlan<'_>) -> String {
    let mut out = String::from("```rust\n");
    for l in example_lines(rp).into_iter().filter(|l| !l.hidden) {
        out.push_str(&l.text);
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

fn returns_text(r: &Request) -> String {
    let ret = &r.returns;
    let mut out = match (r.kind, ret.body) {
        (Kind::Async, _) => "Queued: answers a `Proc-ID` (`Submitted`); the outcome comes from \
                             `result-list` / `result-retrieve`."
            .to_owned(),
        (_, Body::None) => "No payload.".to_owned(),
        (_, Body::Lines) => "Lines of text.".to_owned(),
        (_, Body::KeyValue) => "`key: value` lines.".to_owned(),
        (_, Body::Table) => format!(
            "A table with the columns {}.",
            ticked(ret.columns.iter().map(|c| c.name.as_str()))
        ),
        (_, Body::Zone) => "Zone text.".to_owned(),
        (_, Body::Results) => "Result rows, or a count.".to_owned(),
        (_, Body::Text) => "Free text.".to_owned(),
    };
    for e in &ret.extra_columns {
        let _ = write!(
            out,
            " With `{}`: also {}.",
            e.flag,
            ticked(e.columns.iter().map(|c| c.name.as_str()))
        );
    }
    for (label, fields) in [("Typed keys", &ret.keys), ("Headers", &ret.headers)] {
        if !fields.is_empty() {
            let names = ticked(fields.iter().map(|f| f.name.as_str()));
            let _ = write!(out, " {label}: {names}.");
        }
    }
    if !ret.doc.is_empty() {
        let _ = write!(out, " {}", ret.doc);
    }
    out
}

/// The whole request reference as markdown (`docs/requests.md`).
pub fn reference(spec: &Spec) -> String {
    let plan = Plan::of(spec);
    let mut out = String::from(
        "<!-- @generated by `cargo run -p dmapi-codegen -- docs spec > docs/requests.md`; \
         do not edit by hand. -->\n\n# DMAPI requests\n\n",
    );
    let aliases = spec
        .requests
        .iter()
        .filter(|r| r.alias_of.is_some())
        .count();
    let params: usize = spec
        .requests
        .iter()
        .filter(|r| r.alias_of.is_none())
        .map(|r| r.params.len())
        .sum();
    let _ = writeln!(
        out,
        "Every request in the spec ({} requests, {aliases} of them aliases; {params} parameters), \
         by section of the DMAPI docs. Each Rust type is in the `dmapi` crate; its rustdoc has \
         the same tables.",
        spec.requests.len()
    );
    let mut sections: Vec<&str> = Vec::new();
    for r in &spec.requests {
        if !sections.contains(&r.section.as_str()) {
            sections.push(&r.section);
        }
    }
    for section in &sections {
        let _ = write!(out, "\n- {section}:");
        for r in spec.requests.iter().filter(|r| r.section == *section) {
            // GitHub's heading anchors: the request names are already lowercase-with-dashes.
            let _ = write!(out, " [`{0}`](#{0}),", r.name);
        }
        out.pop();
    }
    out.push('\n');
    for section in &sections {
        let _ = write!(out, "\n## {section}\n");
        for rp in plan.requests.iter().filter(|rp| rp.r.section == *section) {
            let (r, ty) = (rp.r, &rp.ty);
            let _ = write!(out, "\n### {}\n\n`{ty}`: {}\n", r.name, r.summary);
            if let Some(target) = &r.alias_of {
                let _ = writeln!(
                    out,
                    "\nAlias of [`{target}`](#{target}): same parameters and answer."
                );
                continue;
            }
            if !r.docs.is_empty() {
                let _ = write!(out, "\n{}\n", r.docs.trim_end());
            }
            let mut notes = Vec::new();
            if r.kind == Kind::Async {
                notes.push("queued (asynchronous)");
            }
            if r.costs {
                notes.push("can cost money");
            }
            if !r.changes {
                notes.push("changes nothing (safe to repeat)");
            }
            if !r.auth {
                notes.push("needs no session");
            }
            if let Some(d) = &r.deprecated {
                let _ = write!(out, "\n*Deprecated: {d}.*\n");
            }
            if let Some(e) = &r.extension {
                let _ = write!(out, "\n*Extension, not in the docs: {e}*\n");
            }
            if !notes.is_empty() {
                let _ = write!(out, "\n{}.\n", capitalize(&notes.join(", ")));
            }
            let session = spec.session.as_ref().map(|s| s.param.as_str());
            let _ = write!(out, "\n{}", params_section(r, 4, session));
            let _ = write!(out, "\n#### Answer\n\n{}\n", returns_text(r));
            let _ = write!(out, "\n#### Example\n\n{}", markdown_example(rp));
        }
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
