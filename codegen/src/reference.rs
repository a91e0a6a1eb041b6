//! Reference documentation generated from the spec: the parameter table, groups and a Rust
//! example of each request, used in rustdoc and in `docs/requests.md`.

use std::fmt::Write as _;

use crate::model::{
    BodyKind, Condition, Effect, GroupKind, GroupMeta, ParamMeta, Request, RequestKind, Spec,
    ValueType,
};
use crate::plan::{ParamPlan, Plan, RequestPlan, Role, Slot, pascal};

/// The conditions in words: "when the TLD is `us` and `x` is `1`, or when ...", from the
/// model's own prose ([`Condition::describe`]).
pub(crate) fn conditions_text(cs: &[Condition]) -> String {
    cs.iter()
        .map(Condition::describe)
        .collect::<Vec<_>>()
        .join(", or ")
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

fn alternatives_text(g: &GroupMeta) -> String {
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

fn required_text(r: &Request, p: &ParamMeta) -> String {
    if let Some(g) = r.group_of(&p.name) {
        return format!("{} `{}`", group_kind_text(g.kind), g.name);
    }
    match (&p.required, &p.default, p.required_when.is_empty()) {
        (true, Some(d), _) => format!("yes (default `{d}`)"),
        (true, None, _) => "yes".into(),
        (false, _, false) => conditions_text(&p.required_when),
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
        for p in r.params.iter() {
            let name = match p.indexed {
                Some(n) => format!("`{0}-1` .. `{0}-{n}`", p.name),
                None => format!("`{}`", p.name),
            };
            let mut doc = p.doc.to_string();
            if let Some(d) = &p.deprecated {
                let _ = write!(doc, " *Deprecated: {d}.*");
            }
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} |",
                cell(&p.ty.describe()),
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
        for g in r.groups.iter() {
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
fn value_expr(pp: &ParamPlan<'_>, ty: &ValueType, example: Option<&str>, exact: bool) -> String {
    // The value: the spec's example, else the type's own (`ValueType::example`).
    let sample = ty.example();
    let value = example.unwrap_or(&sample);
    match ty {
        ValueType::String | ValueType::Text => {
            let s = lit(value);
            if exact { format!("{s}.into()") } else { s }
        }
        ValueType::Secret => format!("Secret::new({})", lit(value)),
        ValueType::Months => format!("Months::new({value})?"),
        ValueType::Year => format!("Year::new({value})?"),
        ValueType::Int { .. } => value.to_owned(),
        ValueType::Enum { name, .. } => {
            let ty = name.as_deref().map_or_else(|| pp.inline.clone(), pascal);
            format!("{ty}::{}", pascal(value))
        }
        ValueType::Flag(spelling) => spelling.decode(value).unwrap_or(true).to_string(),
        ValueType::List { item, delimiter } => {
            let items: Vec<String> = match example {
                Some(e) => e
                    .split(*delimiter)
                    .map(|i| value_expr(pp, item, Some(i), true))
                    .collect(),
                None => vec![value_expr(pp, item, None, true)],
            };
            format!("vec![{}]", items.join(", "))
        }
        // Domain names, handles, dates, prices, addresses, zones: parsed from their text.
        _ => format!("{}.parse()?", lit(value)),
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
        (RequestKind::Async, _) => "queued: the output is a `Submitted` with the `Proc-ID`",
        (_, BodyKind::None) if r.returns.headers.is_empty() && r.returns.by.is_none() => {
            "the output is `()`"
        }
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
    if let Some(by) = &ret.by {
        let mut out = format!("By `{by}`: {}\n", ret.doc);
        for c in ret.cases.iter() {
            let _ = write!(
                out,
                "\n- `{by}={}`: {}",
                c.when,
                shape_text(r.kind, &c.returns)
            );
        }
        return out;
    }
    let mut out = shape_text(r.kind, ret);
    let result = &r.result;
    if !result.keys.is_empty() {
        let names = ticked(result.keys.iter().map(|k| &*k.name));
        let _ = write!(out, " Its result (`client.wait`): {names}.");
        if !result.doc.is_empty() {
            let _ = write!(out, " {}", result.doc);
        }
    }
    out
}

/// One shape of answer, in a sentence or a few.
fn shape_text(kind: RequestKind, ret: &crate::model::ReturnsMeta) -> String {
    let mut out = match (kind, ret.body) {
        (RequestKind::Async, _) => {
            "Queued: answers a `Proc-ID` (`Submitted`); the outcome comes from \
                             `result-list` / `result-retrieve`."
                .to_owned()
        }
        (_, BodyKind::None) => "No payload.".to_owned(),
        (_, BodyKind::Lines) => "Lines of text.".to_owned(),
        (_, BodyKind::KeyValue) => "`key: value` lines.".to_owned(),
        (_, BodyKind::Table) => format!(
            "A table with the columns {}.",
            ticked(ret.columns.iter().map(|c| &*c.name))
        ),
        (_, BodyKind::Zone) => "Zone text.".to_owned(),
        (_, BodyKind::Results) => "Result rows, or a count.".to_owned(),
        (_, BodyKind::Text) => "Free text.".to_owned(),
    };
    for e in ret.extra_columns.iter() {
        let _ = write!(
            out,
            " With `{}`: also {}.",
            e.flag,
            ticked(e.columns.iter().map(|c| &*c.name))
        );
    }
    for (label, fields) in [("Typed keys", &ret.keys), ("Headers", &ret.headers)] {
        if !fields.is_empty() {
            let names = ticked(fields.iter().map(|f| &*f.name));
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
        if !sections.contains(&&*r.section) {
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
            match (r.kind, r.effect) {
                (RequestKind::Async, Effect::OnAcceptance) => {
                    notes.push("queued (asynchronous), the change shows at once");
                }
                (RequestKind::Async, Effect::OnCompletion) => notes.push("queued (asynchronous)"),
                (RequestKind::Sync, _) => {}
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
            let session = spec.session.as_ref().map(|s| &*s.param);
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
