//! The plan: every Rust name of the generated code, decided once, between check and emit.
//!
//! [`Plan::build`] resolves the type, field, variant, setter and method names of every request,
//! its constructor arguments, its groups and its output types, and claims each crate-level name
//! ([`names`]) so that two things that would get the same name are reported, the runtime's own
//! names included. Emit and the reference docs only print the plan; neither derives a name.

mod names;
mod output;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};

use crate::diag::{Loc, Sink};
use crate::ident::{pascal_case, screaming_snake_case, snake_case, to_ident};
use crate::model::*;

pub(crate) use output::{OutputPlan, ResultPlan, RowPlan, Source};
pub(crate) use types::rust_ty;

/// `PascalCase` identifier of a spec name (`Unnamed` when it has no letters or digits).
pub(crate) fn pascal(s: &str) -> Ident {
    to_ident(&pascal_case(s).unwrap_or_else(|| "Unnamed".into()))
}

/// `snake_case` identifier of a spec name.
pub(crate) fn snake(s: &str) -> Ident {
    to_ident(&snake_case(s).unwrap_or_else(|| "unnamed".into()))
}

/// `SCREAMING_SNAKE_CASE` identifier of a spec name.
pub(crate) fn screaming(s: &str) -> Ident {
    to_ident(&screaming_snake_case(s).unwrap_or_else(|| "UNNAMED".into()))
}

/// Names of the whole generated crate.
pub(crate) struct Plan<'s> {
    /// Named enums some request parameter uses (the ones emitted).
    pub enums: Vec<EnumPlan<'s>>,
    /// Every request and alias, in spec order.
    pub requests: Vec<RequestPlan<'s>>,
    /// The spec's session, if it declares one: then the client and `Requests` are emitted.
    pub session: Option<&'s SessionMeta>,
    /// The spec's protocol table (required with a session).
    pub protocol: Option<&'s ProtocolMeta>,
}

/// An enum type: its name and one variant per wire value.
pub(crate) struct EnumPlan<'s> {
    pub ident: Ident,
    pub doc: String,
    pub values: &'s [Text],
    pub variants: Vec<Ident>,
    /// An enum of answer words, which keeps a word it does not list (`Unknown`).
    pub open: bool,
}

impl<'s> EnumPlan<'s> {
    fn new(ident: Ident, doc: String, values: &'s [Text]) -> Self {
        let variants = values.iter().map(|v| pascal(v)).collect();
        EnumPlan {
            ident,
            doc,
            values,
            variants,
            open: false,
        }
    }
}

/// One request (or alias) of the spec.
pub(crate) struct RequestPlan<'s> {
    pub r: &'s Request,
    /// The request struct (for an alias: the type alias).
    pub ty: Ident,
    /// The metadata static in `metadata`.
    pub statik: Ident,
    /// The constants in `metadata` with the parameters and the groups (an alias shares its
    /// target's).
    pub params_const: Ident,
    pub groups_const: Ident,
    /// The method on the client (`None` where it would collide with one of the client's own).
    pub method: Option<Ident>,
    /// For an alias: the index of its target in [`Plan::requests`].
    pub alias_of: Option<usize>,
    /// Enums of parameters declared inline.
    pub enums: Vec<EnumPlan<'s>>,
    /// The request's groups, in declaration order.
    pub groups: Vec<GroupPlan<'s>>,
    /// The struct's fields, in wire order.
    pub slots: Vec<Slot<'s>>,
    /// What the answer parses into.
    pub output: OutputPlan<'s>,
}

/// How a parameter is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A constructor argument (required, no default).
    Argument,
    /// Required with a default: an optional setter; the default is sent when unset.
    Defaulted,
    /// Optional: a setter.
    Optional,
    /// Indexed (`name-1` ..): a setter taking the values.
    Indexed,
}

/// A field of a request struct.
pub(crate) enum Slot<'s> {
    /// A parameter of its own.
    Param(ParamPlan<'s>),
    /// The enum of a group (index into [`RequestPlan::groups`]), where its first member is.
    Group(usize),
}

/// A parameter: its field (and setter) name, Rust type and role.
pub(crate) struct ParamPlan<'s> {
    pub p: &'s ParamMeta,
    pub field: Ident,
    /// The name of the parameter's enum, when its type is an inline `enum`.
    pub inline: Ident,
    /// The Rust type of one value (the item type of an indexed parameter's `Vec`).
    pub ty: TokenStream,
    /// The item type of a list (for `impl IntoIterator<Item = ...>` arguments).
    pub item: Option<TokenStream>,
    pub role: Role,
}

/// A group of exclusive alternatives: its enum, field and variants.
pub(crate) struct GroupPlan<'s> {
    pub g: &'s GroupMeta,
    /// Where it is declared.
    pub loc: Loc,
    pub ty: Ident,
    pub field: Ident,
    /// Whether this request emits the enum (the first request with a group of this name).
    pub emit: bool,
    pub variants: Vec<VariantPlan<'s>>,
}

/// One alternative of a group.
pub(crate) struct VariantPlan<'s> {
    pub ident: Ident,
    pub members: Vec<ParamPlan<'s>>,
    /// A member's deprecation note.
    pub deprecated: Option<&'s str>,
}

impl<'s> Plan<'s> {
    /// Plans `requests` and reports every name two things would share into `sink`.
    pub fn build(
        sink: &mut Sink<'_>,
        requests: &'s [Request],
        enums: &'s [NamedEnum],
        session: Option<&'s SessionMeta>,
    ) -> Self {
        let mut claims = names::Claims::new();
        let mut group_owner = GroupOwners::new();
        let mut plans = Vec::with_capacity(requests.len());
        for r in requests {
            claims.claim(sink, pascal_case(&r.name), &r.loc, || {
                format!("request `{}`", r.name)
            });
            plans.push(request(sink, &mut claims, &mut group_owner, r));
        }
        for (i, r) in requests.iter().enumerate() {
            if let Some(target) = &r.alias_of {
                plans[i].alias_of = requests.iter().position(|t| &t.name == target);
            }
        }
        let mut used = Vec::new();
        for e in enums {
            // A closed enum is emitted when a parameter uses it, an open one when an answer does.
            let first_use = requests.iter().find_map(|r| match e.open {
                false => {
                    let i = r
                        .params
                        .iter()
                        .position(|p| types::uses_enum(&p.ty, &e.name))?;
                    Some(r.param_loc(i))
                }
                true => types::answer_uses_enum(r, &e.name).then(|| r.loc.clone()),
            });
            if let Some(loc) = first_use {
                claims.claim(sink, pascal_case(&e.name), &loc, || {
                    format!("the named enum `{}`", e.name)
                });
                let mut plan = EnumPlan::new(pascal(&e.name), e.doc.to_string(), &e.values);
                plan.open = e.open;
                used.push(plan);
            }
        }
        Plan {
            enums: used,
            requests: plans,
            session,
            protocol: None,
        }
    }

    /// The plan of a checked spec (its names were claimed when it was loaded).
    pub fn of(spec: &'s Spec) -> Self {
        let mut sink = Sink::new(&spec.files);
        let mut plan = Plan::build(
            &mut sink,
            &spec.requests,
            &spec.enums,
            spec.session.as_ref(),
        );
        plan.protocol = spec.protocol.as_ref();
        plan
    }

    /// The plan of the request with this wire name.
    pub fn request(&self, name: &str) -> Option<&RequestPlan<'s>> {
        self.requests.iter().find(|p| p.r.name == name)
    }

    /// The request an alias stands for (the request itself otherwise).
    pub fn target<'p>(&'p self, rp: &'p RequestPlan<'s>) -> &'p RequestPlan<'s> {
        rp.alias_of.map_or(rp, |i| &self.requests[i])
    }
}

impl<'s> RequestPlan<'s> {
    /// The plan of the parameter with this wire name, outside groups.
    pub fn param(&self, name: &str) -> Option<&ParamPlan<'s>> {
        self.slots.iter().find_map(|slot| match slot {
            Slot::Param(pp) if pp.p.name == name => Some(pp),
            _ => None,
        })
    }
}

/// The first group of each Rust name, with its request and where it is declared.
type GroupOwners<'s> = BTreeMap<String, (&'s GroupMeta, &'s Request, Loc)>;

fn request<'s>(
    sink: &mut Sink<'_>,
    claims: &mut names::Claims,
    group_owner: &mut GroupOwners<'s>,
    r: &'s Request,
) -> RequestPlan<'s> {
    let ty = pascal(&r.name);
    let method = snake_case(&r.name)
        .filter(|m| !dmapi_runtime::CLIENT_METHODS.contains(&m.as_str()))
        .map(|m| to_ident(&m));
    let mut plan = RequestPlan {
        r,
        ty: ty.clone(),
        statik: screaming(&r.name),
        params_const: screaming(&format!(
            "{}-params",
            r.alias_of.as_ref().unwrap_or(&r.name)
        )),
        groups_const: screaming(&format!(
            "{}-groups",
            r.alias_of.as_ref().unwrap_or(&r.name)
        )),
        method,
        alias_of: None,
        enums: Vec::new(),
        groups: Vec::new(),
        slots: Vec::new(),
        output: output::output(r, &ty),
    };
    if r.alias_of.is_some() {
        return plan;
    }
    for (i, p) in r.params.iter().enumerate() {
        if let ValueType::Enum { name: None, values } = &p.ty {
            let name = format!("{}-{}", r.name, p.name);
            claims.claim(sink, pascal_case(&name), &r.param_loc(i), || {
                format!("the enum of `{}`", p.name)
            });
            let doc = format!("Values of `{}` in `{}`.", p.name, r.name);
            plan.enums.push(EnumPlan::new(pascal(&name), doc, values));
        }
    }
    output::claim_output(sink, claims, r, &ty);
    for (i, g) in r.groups.iter().enumerate() {
        let gname = pascal_case(&g.name).unwrap_or_default();
        let loc = r.group_loc(i);
        let emit = match group_owner.get(&gname) {
            Some((first, fr, first_loc)) => {
                let same_shape = first.alternatives == g.alternatives
                    && g.alternatives
                        .iter()
                        .flat_map(|a| a.iter())
                        .all(|m| fr.declared(m).map(|p| &p.ty) == r.declared(m).map(|p| &p.ty));
                if !same_shape {
                    sink.error(
                        &loc,
                        format!(
                            "group `{}` has a different shape than the group of the same name at {}; rename one",
                            g.name,
                            sink.describe(first_loc)
                        ),
                    );
                }
                false
            }
            None => {
                claims.claim(sink, Some(gname.clone()), &loc, || {
                    format!("group `{}`", g.name)
                });
                group_owner.insert(gname, (g, r, loc.clone()));
                true
            }
        };
        plan.groups.push(group(r, g, loc, emit));
    }
    claim_members(sink, &plan);
    let mut grouped = Vec::new();
    for p in r.params.iter() {
        match r
            .group_of(&p.name)
            .and_then(|g| plan.groups.iter().position(|gp| std::ptr::eq(gp.g, g)))
        {
            Some(i) if grouped.contains(&i) => {}
            Some(i) => {
                grouped.push(i);
                plan.slots.push(Slot::Group(i));
            }
            None => plan.slots.push(Slot::Param(param(r, p))),
        }
    }
    plan
}

/// Claims the field (and setter) names of `r`'s parameters and groups.
fn claim_members(sink: &mut Sink<'_>, plan: &RequestPlan<'_>) {
    let r = plan.r;
    let methods: &[&str] = if plan.output.row.is_some() {
        &["borrow_rows", "rows"]
    } else {
        &[]
    };
    let mut members = names::Members::new(&r.name, methods);
    for (i, p) in r.params.iter().enumerate() {
        let what = format!("parameter `{}`", p.name);
        members.claim(sink, &snake(&p.name).to_string(), &r.param_loc(i), &what);
    }
    let mut seen: Vec<&str> = Vec::new();
    for g in plan.groups.iter() {
        // A group's field stands for its members: it clashes only with other parameters. A
        // group included twice is the checker's to report.
        let own =
            !g.g.alternatives
                .iter()
                .flat_map(|a| a.iter())
                .any(|m| snake(m) == g.field);
        if own && !seen.contains(&&*g.g.name) {
            seen.push(&g.g.name);
            let what = format!("group `{}`", g.g.name);
            members.claim(sink, &g.field.to_string(), &g.loc, &what);
        }
    }
}

/// The plan of parameter `p` of `r`.
fn param<'s>(r: &'s Request, p: &'s ParamMeta) -> ParamPlan<'s> {
    let inline = pascal(&format!("{}-{}", r.name, p.name));
    let role = if p.indexed.is_some() {
        Role::Indexed
    } else if p.required && p.default.is_none() {
        Role::Argument
    } else if p.required {
        Role::Defaulted
    } else {
        Role::Optional
    };
    ParamPlan {
        p,
        field: snake(&p.name),
        inline: inline.clone(),
        ty: rust_ty(&p.ty, &inline),
        item: match &p.ty {
            ValueType::List { item, .. } => Some(rust_ty(item, &inline)),
            _ => None,
        },
        role,
    }
}

fn group<'s>(r: &'s Request, g: &'s GroupMeta, loc: Loc, emit: bool) -> GroupPlan<'s> {
    let variants = g
        .alternatives
        .iter()
        .map(|alt| {
            let members: Vec<ParamPlan<'s>> = alt
                .iter()
                .filter_map(|m| r.param(m))
                .map(|p| param(r, p))
                .collect();
            VariantPlan {
                ident: pascal(&alt.join("-")),
                deprecated: members.iter().find_map(|m| m.p.deprecated.as_deref()),
                members,
            }
        })
        .collect();
    GroupPlan {
        g,
        loc,
        ty: pascal(&g.name),
        field: snake(&g.name),
        emit,
        variants,
    }
}
