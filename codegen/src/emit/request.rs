//! A request struct: fields, constructor, setters, group enums, the encoder and the `Request`
//! impl, printed from its [`RequestPlan`].

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::codec::encode_value;
use super::{decode, deprecated_attr, docs, is_plain_string, output, rt, write};
use crate::model::*;
use crate::plan::{GroupPlan, ParamPlan, Plan, RequestPlan, Role, Slot};

/// A type alias for a request that is another name of one.
pub(crate) fn alias(plan: &Plan<'_>, rp: &RequestPlan<'_>) -> TokenStream {
    let r = rp.r;
    let name = &rp.ty;
    let target = plan.target(rp);
    let target_id = &target.ty;
    let mut text = format!(
        "{}\n\nAlias of [`{target_id}`]: the wire name `{}` is sent.",
        r.summary, target.r.name
    );
    if !r.docs.is_empty() {
        text = format!("{text}\n\n{}", r.docs);
    }
    let doc = docs(&text);
    let dep = deprecated_attr(r.deprecated.as_deref());
    quote! {
        #doc
        #dep
        pub type #name = #target_id;
    }
}

fn group_enum(g: &GroupPlan<'_>) -> TokenStream {
    let name = &g.ty;
    let text = if g.g.doc.is_empty() {
        format!(
            "The parameters `{}` exclude each other.",
            g.g.alternatives
                .iter()
                .map(|a| a.join("`+`"))
                .collect::<Vec<_>>()
                .join("` / `")
        )
    } else {
        g.g.doc.to_string()
    };
    let doc = docs(&text);
    let variants: Vec<TokenStream> = g
        .variants
        .iter()
        .map(|v| {
            let id = &v.ident;
            let dep = deprecated_attr(v.deprecated);
            let vdoc = docs(
                &v.members
                    .iter()
                    .map(|m| match &*m.p.doc {
                        "" => format!("`{}`", m.p.name),
                        doc => format!("`{}`: {doc}", m.p.name),
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n"),
            );
            if let [m] = v.members.as_slice() {
                let t = &m.ty;
                quote!(#vdoc #dep #id(#t))
            } else {
                let fields = v.members.iter().map(|m| {
                    let (f, t) = (&m.field, &m.ty);
                    let fdoc = docs(&format!("`{}`", m.p.name));
                    quote!(#fdoc #f: #t)
                });
                quote!(#vdoc #dep #id { #(#fields),* })
            }
        })
        .collect();
    let allow = if g.variants.iter().any(|v| v.deprecated.is_some()) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #doc
        #allow
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum #name {
            #(#variants,)*
        }
    }
}

/// Encoding statements for the alternative `value` holds.
fn encode_group(g: &GroupPlan<'_>, value: &TokenStream) -> TokenStream {
    let name = &g.ty;
    let arms = g.variants.iter().map(|v| {
        let id = &v.ident;
        let pushes: Vec<TokenStream> = v
            .members
            .iter()
            .map(|m| {
                let b = &m.field;
                push(m.p, &quote!(#b))
            })
            .collect();
        let binds = v.members.iter().map(|m| &m.field);
        if v.members.len() == 1 {
            quote!(#name::#id(#(#binds)*) => { #(#pushes)* })
        } else {
            quote!(#name::#id { #(#binds),* } => { #(#pushes)* })
        }
    });
    quote!(match #value { #(#arms)* })
}

fn push(p: &ParamMeta, v: &TokenStream) -> TokenStream {
    let wire = &p.name;
    if p.ty == ValueType::Zone {
        let rt = rt();
        return quote!(problems.extend(#rt::encode::push_zone(&mut form, #wire, #v)););
    }
    let val = encode_value(&p.ty, v);
    if p.secret {
        quote!(form.push_secret(#wire, #val);)
    } else {
        quote!(form.push(#wire, #val);)
    }
}

fn param_doc(p: &ParamMeta) -> String {
    let mut s = if p.doc.is_empty() {
        format!("Sets `{}`.", p.name)
    } else {
        p.doc.to_string()
    };
    s.push_str(&format!("\n\nWire parameter `{}`", p.name));
    if let Some(n) = p.indexed {
        s.push_str(&format!(
            ", sent as `{0}-1` .. `{0}-{n}` (at most {n} values)",
            p.name
        ));
    }
    if let Some(d) = &p.default {
        s.push_str(&format!("; default `{d}`"));
    }
    if !p.required_when.is_empty() {
        s.push_str(&format!(
            "; required {}",
            crate::reference::conditions_text(&p.required_when)
        ));
    }
    s.push('.');
    s
}

fn request_doc(plan: &Plan<'_>, rp: &RequestPlan<'_>) -> String {
    let r = rp.r;
    let mut text = r.summary.to_string();
    if !r.docs.is_empty() {
        text.push_str("\n\n");
        text.push_str(&r.docs);
    }
    text.push_str(&format!(
        "\n\n# Wire\n\nDMAPI request `{}` (section *{}*).",
        r.name, r.section
    ));
    match (r.kind, r.effect) {
        (RequestKind::Async, Effect::OnAcceptance) => text.push_str(
            " Queued: the server answers a `Proc-ID` and the outcome comes later from `result-list` / `result-retrieve`, but the change shows at once: a query sent after the answer sees it.",
        ),
        (RequestKind::Async, Effect::OnCompletion) => text.push_str(
            " Queued: the server answers a `Proc-ID`; the outcome comes later from `result-list` / `result-retrieve`, and the change shows when it completes.",
        ),
        (RequestKind::Sync, _) => {}
    }
    if r.costs {
        text.push_str(" Can cost money.");
    }
    if !r.changes {
        text.push_str(" Changes nothing on the server: safe to repeat.");
    }
    if !r.auth {
        text.push_str(" Needs no session.");
    }
    if let Some(e) = &r.extension {
        text.push_str(&format!(" Not in the DMAPI docs' table of contents: {e}"));
    }
    let session_param = plan.session.map(|s| &*s.param);
    text.push_str("\n\n");
    text.push_str(&crate::reference::params_section(r, 1, session_param));
    text.push_str("\n\n");
    text.push_str(&crate::reference::rustdoc_example(rp));
    text
}

/// A constructor argument: its declaration, its name, and how the field is built from it.
pub(crate) struct Argument {
    pub decl: TokenStream,
    pub name: Ident,
    init: TokenStream,
    doc: String,
}

/// The constructor's arguments, in wire order: required parameters without a default, and
/// `exactly-one` groups.
pub(crate) fn arguments(rp: &RequestPlan<'_>) -> Vec<Argument> {
    let mut args = Vec::new();
    for slot in &rp.slots {
        match slot {
            Slot::Param(pp) if pp.role == Role::Argument => {
                let (f, t) = (&pp.field, &pp.ty);
                let (decl, init) = match (&pp.p.ty, &pp.item) {
                    (ty, _) if is_plain_string(ty) => {
                        (quote!(#f: impl Into<String>), quote!(#f: #f.into()))
                    }
                    (_, Some(it)) => (
                        quote!(#f: impl IntoIterator<Item = #it>),
                        quote!(#f: #f.into_iter().collect()),
                    ),
                    _ => (quote!(#f: #t), quote!(#f)),
                };
                let doc = match &*pp.p.doc {
                    "" => format!("`{}`", pp.p.name),
                    doc => doc.to_owned(),
                };
                args.push(Argument {
                    decl,
                    name: f.clone(),
                    init,
                    doc: format!("`{}`: {doc}", unraw(f)),
                });
            }
            Slot::Group(i) if rp.groups[*i].g.kind == GroupKind::ExactlyOne => {
                let g = &rp.groups[*i];
                let (f, gt) = (&g.field, &g.ty);
                args.push(Argument {
                    decl: quote!(#f: #gt),
                    name: f.clone(),
                    init: quote!(#f),
                    doc: format!("`{}`: one of [`{gt}`]", unraw(f)),
                });
            }
            Slot::Param(_) | Slot::Group(_) => {}
        }
    }
    args
}

/// An identifier as written in docs (`type`, not `r#type`).
fn unraw(id: &Ident) -> String {
    id.to_string().trim_start_matches("r#").to_owned()
}

/// A field of the request struct: its declaration (with docs), initial value (when not a
/// constructor argument), setter and encoding statement.
struct Member {
    field: TokenStream,
    init: Option<TokenStream>,
    setter: Option<TokenStream>,
    encode: TokenStream,
}

fn param_member(pp: &ParamPlan<'_>) -> Member {
    let p = pp.p;
    let (f, t) = (&pp.field, &pp.ty);
    let doc = docs(&param_doc(p));
    let dep = deprecated_attr(p.deprecated.as_deref());
    let pushed = push(p, &quote!(v));
    match pp.role {
        Role::Indexed => {
            let wire = &p.name;
            let val = encode_value(&p.ty, &quote!(v));
            Member {
                field: quote!(#doc pub #f: Vec<#t>),
                init: Some(quote!(#f: Vec::new())),
                setter: Some(quote! {
                    #doc #dep
                    pub fn #f(mut self, values: impl IntoIterator<Item = #t>) -> Self {
                        self.#f = values.into_iter().collect();
                        self
                    }
                }),
                encode: quote! {
                    for (i, v) in self.#f.iter().enumerate() {
                        form.push(format!("{}-{}", #wire, i + 1), #val);
                    }
                },
            }
        }
        Role::Argument => Member {
            field: quote!(#doc pub #f: #t),
            init: None,
            setter: None,
            encode: quote!({ let v = &self.#f; #pushed }),
        },
        Role::Defaulted | Role::Optional => {
            let (arg, val) = match (&p.ty, &pp.item) {
                (ty, _) if is_plain_string(ty) => {
                    (quote!(value: impl Into<String>), quote!(value.into()))
                }
                (_, Some(it)) => (
                    quote!(values: impl IntoIterator<Item = #it>),
                    quote!(values.into_iter().collect()),
                ),
                _ => (quote!(value: #t), quote!(value)),
            };
            let encode = match (&p.default, pp.role) {
                (Some(d), Role::Defaulted) => {
                    let wire = &p.name;
                    quote! {
                        match &self.#f {
                            Some(v) => { #pushed }
                            None => form.push(#wire, #d),
                        }
                    }
                }
                _ => quote!(if let Some(v) = &self.#f { #pushed }),
            };
            Member {
                field: quote!(#doc pub #f: Option<#t>),
                init: Some(quote!(#f: None)),
                setter: Some(quote! {
                    #doc #dep
                    pub fn #f(mut self, #arg) -> Self {
                        self.#f = Some(#val);
                        self
                    }
                }),
                encode,
            }
        }
    }
}

fn group_member(g: &GroupPlan<'_>) -> Member {
    let (f, gt) = (&g.field, &g.ty);
    let doc = docs(&format!(
        "{}\n\nOne of [`{gt}`].",
        if g.g.doc.is_empty() {
            "Parameters that exclude each other."
        } else {
            &*g.g.doc
        }
    ));
    match g.g.kind {
        GroupKind::ExactlyOne => Member {
            field: quote!(#doc pub #f: #gt),
            init: None,
            setter: None,
            encode: encode_group(g, &quote!(&self.#f)),
        },
        GroupKind::AtMostOne => {
            let sdoc = docs(&format!(
                "Sets one of [`{gt}`] (at most one of them is sent)."
            ));
            let m = encode_group(g, &quote!(v));
            Member {
                field: quote!(#doc pub #f: Option<#gt>),
                init: Some(quote!(#f: None)),
                setter: Some(quote! {
                    #sdoc
                    pub fn #f(mut self, value: #gt) -> Self {
                        self.#f = Some(value);
                        self
                    }
                }),
                encode: quote!(if let Some(v) = &self.#f { #m }),
            }
        }
    }
}

/// Everything a request generates: its enums, struct, constructor, setters, `Request` impl,
/// answer types and (with `server`) its `Decode` impl.
pub(crate) fn request(plan: &Plan<'_>, rp: &RequestPlan<'_>, server: bool) -> TokenStream {
    let rt = rt();
    let r = rp.r;
    let name = &rp.ty;
    let wire = &r.name;
    let mut items = TokenStream::new();
    for e in &rp.enums {
        items.extend(super::enums::request_enum(e));
    }
    for g in rp.groups.iter().filter(|g| g.emit) {
        items.extend(group_enum(g));
    }
    let members: Vec<Member> = rp
        .slots
        .iter()
        .map(|slot| match slot {
            Slot::Param(pp) => param_member(pp),
            Slot::Group(i) => group_member(&rp.groups[*i]),
        })
        .collect();
    let args = arguments(rp);
    let decls = args.iter().map(|a| &a.decl);
    let mut inits: Vec<&TokenStream> = Vec::new();
    let mut arg_inits = args.iter().map(|a| &a.init);
    for m in &members {
        inits.extend(m.init.as_ref().or_else(|| arg_inits.next()));
    }
    let fields = members.iter().map(|m| &m.field);
    let setters = members.iter().filter_map(|m| m.setter.as_ref());
    let encode: Vec<&TokenStream> = members.iter().map(|m| &m.encode).collect();
    let mut new_docs = String::from("Creates the request from its required parameters.");
    for a in &args {
        new_docs.push_str(&format!("\n\n- {}", a.doc));
    }

    let (output_ty, output_items, parse) = output::output(rp);
    items.extend(output_items);

    let doc = docs(&request_doc(plan, rp));
    let dep = deprecated_attr(r.deprecated.as_deref());
    let new_doc = docs(&new_docs);
    let many = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let derive_default = if args.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    let statik = &rp.statik;
    let form_mut = if encode.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    // Zones that cannot be written are the only problems found while pushing (see `push`).
    let (problems_decl, problems) = if r.params.iter().any(|p| p.ty == ValueType::Zone) {
        (quote!(let mut problems = Vec::new();), quote!(problems))
    } else {
        (quote!(), quote!(Vec::new()))
    };
    let reads = |ret: &ReturnsMeta| ret.body != BodyKind::None || !ret.headers.is_empty();
    let reads_env = r.kind == RequestKind::Async
        || reads(&r.returns)
        || r.returns.cases.iter().any(|c| reads(&c.returns));
    let env_arg = if reads_env { quote!(env) } else { quote!(_env) };
    items.extend(quote! {
        #doc
        #dep
        #[derive(Clone, Debug, PartialEq, Eq, #derive_default)]
        #[must_use = "a request does nothing until it is sent"]
        #[non_exhaustive]
        pub struct #name {
            #(#fields,)*
        }

        #[allow(deprecated)]
        impl #name {
            #new_doc
            #many
            pub fn new(#(#decls),*) -> Self {
                Self { #(#inits,)* }
            }
            #(#setters)*
        }

        #[allow(deprecated)]
        impl #rt::Request for #name {
            const NAME: &'static str = #wire;
            type Output = #output_ty;
            fn meta() -> &'static #rt::meta::RequestMeta {
                &metadata::#statik
            }
            fn encode(&self) -> Result<#rt::Form, #rt::EncodeError> {
                let #form_mut form = #rt::Form::new();
                #problems_decl
                #(#encode)*
                #rt::encode::finish(Self::meta(), form, #problems)
            }
            fn parse_output(&self, #env_arg: &#rt::Envelope) -> Result<Self::Output, #rt::OutputError> {
                #parse
            }
        }
    });
    items.extend(super::result::result(rp, server));
    if server {
        items.extend(decode::decode_impl(rp));
        items.extend(write::write_impl(rp));
    }
    items
}
