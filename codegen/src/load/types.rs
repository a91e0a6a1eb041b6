//! ValueType resolution: built-in and named types, their refinements (`values`, `spelling`,
//! `item`, `delimiter`, `min`, `max`), and the checks shared with enums and groups.

use std::collections::{BTreeMap, HashMap};

use super::BUILTIN_TYPES;
use super::decl::{NamedTypeDecl, Str, TypeDecl};
use super::located::{seq, text};
use super::suggest::hint;
use crate::diag::{Loc, Sink};
use crate::ident;
use crate::model::{FlagSpelling, ItemType, NamedEnum, ValueType};

/// How deep named types may refer to each other before it counts as a cycle.
const MAX_DEPTH: u8 = 4;

/// The named types of the spec, for resolving type names.
pub(crate) struct Types<'r> {
    named: HashMap<String, &'r NamedTypeDecl>,
}

impl<'r> Types<'r> {
    /// Registers the named types, reporting shadowed built-ins and duplicates.
    pub fn new(sink: &mut Sink<'_>, decls: &'r [NamedTypeDecl]) -> Self {
        let mut named: HashMap<String, &NamedTypeDecl> = HashMap::new();
        for t in decls {
            if BUILTIN_TYPES.contains(&t.name.value.as_str()) {
                sink.error(
                    &t.name.loc,
                    format!("type `{}` shadows a built-in type", t.name.value),
                );
            } else if let Some(first) = named.insert(t.name.value.clone(), t) {
                sink.error(
                    &t.name.loc,
                    format!(
                        "type `{}` is defined twice (first at {})",
                        t.name.value,
                        sink.describe(&first.name.loc)
                    ),
                );
            }
        }
        Types { named }
    }

    /// The named enums, in declaration order (every named type is resolved once here).
    pub fn enums(&self, sink: &mut Sink<'_>, decls: &[NamedTypeDecl]) -> Vec<NamedEnum> {
        decls
            .iter()
            .filter_map(|t| {
                let ty = self.resolve(sink, &t.ty);
                let open = match (&t.open, &ty) {
                    (Some((open, _)), Some(ValueType::Enum { .. })) => *open,
                    (Some((_, loc)), Some(_)) => {
                        sink.error(loc, "`open` applies to an enum");
                        false
                    }
                    _ => false,
                };
                match ty? {
                    ValueType::Enum { values, .. } => Some(NamedEnum {
                        name: t.name.value.clone(),
                        doc: t.doc.clone(),
                        values,
                        open,
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    /// The open named enum (`open = true`) that `ty` is, or is a list of.
    pub fn open_enum<'t>(&self, ty: &'t ValueType) -> Option<&'t str> {
        let name = match ty {
            ValueType::Enum { name: Some(n), .. } => n,
            ValueType::List { item, .. } => match &**item {
                ValueType::Enum { name: Some(n), .. } => n,
                _ => return None,
            },
            _ => return None,
        };
        let open = matches!(self.named.get(&**name)?.open, Some((true, _)));
        open.then_some(&**name)
    }

    /// Resolves a declared type, reporting every problem.
    pub fn resolve(&self, sink: &mut Sink<'_>, raw: &TypeDecl) -> Option<ValueType> {
        self.resolve_at(sink, raw, 0)
    }

    fn resolve_at(&self, sink: &mut Sink<'_>, raw: &TypeDecl, depth: u8) -> Option<ValueType> {
        let base = raw.base.value.as_str();
        check_refinements(sink, raw, base);
        if let Some(simple) = ValueType::simple(base) {
            return Some(simple);
        }
        Some(match base {
            "int" => int(sink, raw),
            "enum" => inline_enum(sink, raw)?,
            "flag" => ValueType::Flag(keyword(
                sink,
                raw.spelling.as_ref(),
                "flag spelling",
                FlagSpelling::ZeroOne,
                FlagSpelling::NAMES,
            )?),
            "list" => self.list(sink, raw, depth)?,
            other => self.named(sink, raw, other, depth)?,
        })
    }

    fn list(&self, sink: &mut Sink<'_>, raw: &TypeDecl, depth: u8) -> Option<ValueType> {
        let Some(item) = &raw.item else {
            sink.error(&raw.base.loc, "type `list` needs `item = \"<type>\"`");
            return None;
        };
        let Some(d) = &raw.delimiter else {
            sink.error(&raw.base.loc, "type `list` needs `delimiter = \"<char>\"`");
            return None;
        };
        let mut cs = d.value.chars();
        let (Some(delimiter), None) = (cs.next(), cs.next()) else {
            sink.error(&d.loc, "`delimiter` must be exactly one character");
            return None;
        };
        let item_ty = self.resolve_at(sink, &TypeDecl::named(item.clone()), depth + 1)?;
        if matches!(item_ty, ValueType::List { .. } | ValueType::Zone) {
            sink.error(&item.loc, "a list item cannot be a list or a zone");
            return None;
        }
        Some(ValueType::List {
            item: ItemType::Owned(Box::new(item_ty)),
            delimiter,
        })
    }

    /// A named type (or an unknown name, reported with the names it could be).
    fn named(
        &self,
        sink: &mut Sink<'_>,
        raw: &TypeDecl,
        name: &str,
        depth: u8,
    ) -> Option<ValueType> {
        let Some(named) = self.named.get(name) else {
            self.unknown(sink, &raw.base);
            return None;
        };
        for (k, l) in refinements(raw) {
            sink.error(
                &l,
                format!("`{k}` cannot refine the named type `{name}`; declare a new type instead"),
            );
        }
        if depth > MAX_DEPTH {
            sink.error(&raw.base.loc, format!("type `{name}` refers to itself"));
            return None;
        }
        Some(match self.resolve_at(sink, &named.ty, depth + 1)? {
            ValueType::Enum { values, .. } => ValueType::Enum {
                name: Some(text(name)),
                values,
            },
            t => t,
        })
    }

    fn unknown(&self, sink: &mut Sink<'_>, base: &Str) {
        let mut all: Vec<&str> = BUILTIN_TYPES.to_vec();
        let mut names: Vec<&str> = self.named.keys().map(String::as_str).collect();
        names.sort_unstable();
        all.extend(names.iter().copied());
        let named = if names.is_empty() {
            String::new()
        } else {
            format!("; named types: {}", names.join(", "))
        };
        sink.error(
            &base.loc,
            format!(
                "unknown type `{}` (built-in types: {}{named}){}",
                base.value,
                BUILTIN_TYPES.join(", "),
                hint(&base.value, &all)
            ),
        );
    }
}

/// The refining keys present on a type, with where each is.
fn refinements(raw: &TypeDecl) -> Vec<(&'static str, Loc)> {
    let strs = [
        ("values", raw.values.as_ref().and_then(|v| v.first())),
        ("spelling", raw.spelling.as_ref()),
        ("item", raw.item.as_ref()),
        ("delimiter", raw.delimiter.as_ref()),
    ];
    let ints = [("min", &raw.min), ("max", &raw.max)];
    strs.into_iter()
        .filter_map(|(k, s)| Some((k, s?.loc.clone())))
        .chain(
            ints.into_iter()
                .filter_map(|(k, i)| Some((k, i.as_ref()?.1.clone()))),
        )
        .collect()
}

/// Refining keys must belong to the base type (named types are checked separately).
fn check_refinements(sink: &mut Sink<'_>, raw: &TypeDecl, base: &str) {
    for (key, loc) in refinements(raw) {
        let applies = match key {
            "values" => "enum",
            "spelling" => "flag",
            "item" | "delimiter" => "list",
            _ => "int",
        };
        if base != applies {
            sink.error(
                &loc,
                format!("`{key}` only applies to type `{applies}`, not `{base}`"),
            );
        }
    }
}

fn int(sink: &mut Sink<'_>, raw: &TypeDecl) -> ValueType {
    let (min, max) = (raw.min.as_ref().map(|m| m.0), raw.max.as_ref().map(|m| m.0));
    if let (Some(lo), Some(hi), Some((_, l))) = (min, max, &raw.max)
        && lo > hi
    {
        sink.error(l, format!("`max` ({hi}) is below `min` ({lo})"));
    }
    ValueType::Int { min, max }
}

fn inline_enum(sink: &mut Sink<'_>, raw: &TypeDecl) -> Option<ValueType> {
    let Some(values) = &raw.values else {
        sink.error(&raw.base.loc, "type `enum` needs `values = [\"...\", ...]`");
        return None;
    };
    if values.is_empty() {
        sink.error(&raw.base.loc, "an enum needs at least one value");
        return None;
    }
    check_variants(sink, values.iter(), "enum value");
    Some(ValueType::Enum {
        name: None,
        values: seq(values.iter().map(|v| text(&v.value))),
    })
}

/// Enum values / variants must be unique and map to distinct Rust names.
pub(crate) fn check_variants<'a>(
    sink: &mut Sink<'_>,
    values: impl Iterator<Item = &'a Str>,
    what: &str,
) {
    let mut seen: BTreeMap<String, &Str> = BTreeMap::new();
    let mut wire: BTreeMap<&str, &Str> = BTreeMap::new();
    for v in values {
        if let Some(first) = wire.insert(&v.value, v) {
            sink.error(
                &v.loc,
                format!(
                    "duplicate {what} `{}` (first at {})",
                    v.value,
                    sink.describe(&first.loc)
                ),
            );
            continue;
        }
        match ident::pascal_case(&v.value) {
            None => sink.error(
                &v.loc,
                format!(
                    "{what} `{}` has no letters or digits to name it in Rust",
                    v.value
                ),
            ),
            Some(id) => {
                if let Some(first) = seen.insert(id.clone(), v) {
                    sink.error(
                        &v.loc,
                        format!(
                            "{what} `{}` and `{}` (at {}) both become the Rust name `{id}`",
                            v.value,
                            first.value,
                            sink.describe(&first.loc)
                        ),
                    );
                }
            }
        }
    }
}

/// One of a fixed set of spellings; `default` when absent; reported (and `None`) when unknown.
pub(crate) fn keyword<T: Copy>(
    sink: &mut Sink<'_>,
    value: Option<&Str>,
    what: &str,
    default: T,
    choices: &[(&str, T)],
) -> Option<T> {
    let Some(v) = value else {
        return Some(default);
    };
    if let Some((_, t)) = choices.iter().find(|(name, _)| *name == v.value) {
        return Some(*t);
    }
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    sink.error(
        &v.loc,
        format!(
            "unknown {what} `{}` (expected one of: {}){}",
            v.value,
            names.join(", "),
            hint(&v.value, &names)
        ),
    );
    None
}

/// Request and parameter names: lowercase letters, digits, `-` and `_`, starting with a letter.
pub(crate) fn valid_wire_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}
