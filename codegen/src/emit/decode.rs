//! The server side: `Decode` for each request (the typed request read back from raw wire
//! parameters) and `AnyRequest`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::codec::wire_value;
use super::{deprecated_attr, rt};
use crate::plan::{GroupPlan, ParamPlan, Plan, RequestPlan, Role, Slot};

/// `impl Decode`: every field read from `params` after the metadata validation, all
/// problems kept.
pub(crate) fn decode_impl(rp: &RequestPlan<'_>) -> TokenStream {
    let rt = rt();
    let name = &rp.ty;
    // (field, expression giving `Result<value, Problem>`).
    let decodes: Vec<(&Ident, TokenStream)> = rp
        .slots
        .iter()
        .map(|slot| match slot {
            Slot::Param(pp) => (&pp.field, decode_param(pp)),
            Slot::Group(i) => {
                let gp = &rp.groups[*i];
                let optional = gp.g.kind == crate::model::GroupKind::AtMostOne;
                (&gp.field, decode_group(gp, optional))
            }
        })
        .collect();
    let validate = quote! {
        #rt::validate::validate(<Self as #rt::Request>::meta(), params.iter().copied())?;
    };
    // Other spellings of parameters are read as their names.
    let canonical = rp.r.params.iter().any(|p| !p.aliases.is_empty()).then(
        || quote!(let params = &*#rt::decode::canonical(<Self as #rt::Request>::meta(), params);),
    );
    let body = if decodes.is_empty() {
        quote! {
            fn decode(params: &[(&str, &str)]) -> Result<Self, Vec<#rt::validate::Problem>> {
                #validate
                Ok(Self {})
            }
        }
    } else {
        let names: Vec<&Ident> = decodes.iter().map(|(f, _)| *f).collect();
        let reads = decodes
            .iter()
            .map(|(f, e)| quote!(let #f = #rt::decode::keep(&mut problems, #e);));
        quote! {
            fn decode(params: &[(&str, &str)]) -> Result<Self, Vec<#rt::validate::Problem>> {
                #validate
                #canonical
                let mut problems = Vec::new();
                #(#reads)*
                let (#(Some(#names),)*) = (#(#names,)*) else {
                    return Err(problems);
                };
                Ok(Self { #(#names),* })
            }
        }
    };
    quote! {
        // Value readers are closures over `s` whatever the type, one of which is a plain call.
        #[allow(deprecated, clippy::redundant_closure)]
        impl #rt::Decode for #name {
            #body
        }
    }
}

/// Expression reading a parameter field as `Result<T, Problem>`.
fn decode_param(pp: &ParamPlan<'_>) -> TokenStream {
    let rt = rt();
    let wire = &pp.p.name;
    let val = wire_value(&pp.p.ty, &pp.inline, pp.p, &quote!(s));
    match pp.role {
        Role::Indexed => {
            let max = pp.p.indexed.unwrap_or_default();
            quote!(#rt::decode::indexed(params, #wire, #max).into_iter().map(|s| #val).collect::<Result<Vec<_>, _>>())
        }
        Role::Argument => decode_required(pp),
        Role::Defaulted | Role::Optional => {
            quote!(#rt::decode::first(params, #wire).map(|s| #val).transpose())
        }
    }
}

/// `AnyRequest`: every request as one type, decoded by wire name (aliases included). The
/// sandbox server dispatches on it; `#[non_exhaustive]`, so a request added to the spec reaches
/// a server's fallback arm without breaking its build.
pub(crate) fn any_request(plan: &Plan<'_>) -> TokenStream {
    let rt = rt();
    let mut variants = Vec::new();
    let mut decode_arms = Vec::new();
    let mut meta_arms = Vec::new();
    let mut output_arms = Vec::new();
    let mut debug_arms = Vec::new();
    let mut encode_arms = Vec::new();
    let mut visit_arms = Vec::new();
    for rp in &plan.requests {
        let r = rp.r;
        let v = &plan.target(rp).ty;
        let wire = &r.name;
        let statik = &rp.statik;
        decode_arms.push(quote! {
            if name.eq_ignore_ascii_case(#wire) {
                return Some((&metadata::#statik, <#v as #rt::Decode>::decode(params).map(AnyRequest::#v)));
            }
        });
        if r.alias_of.is_none() {
            let doc = format!(" `{wire}`: [`{v}`].");
            let dep = deprecated_attr(r.deprecated.as_deref());
            variants.push(quote!(#[doc = #doc] #dep #v(#v)));
            meta_arms.push(quote!(AnyRequest::#v(_) => &metadata::#statik));
            output_arms
                .push(quote!(AnyRequest::#v(r) => #rt::Request::parse_output(r, env).map(drop)));
            encode_arms.push(quote!(AnyRequest::#v(r) => #rt::Request::encode(r)));
            debug_arms.push(
                quote!(AnyRequest::#v(r) => #rt::Request::parse_output(r, env).map(|o| format!("{o:#?}"))),
            );
            visit_arms.push(quote!(AnyRequest::#v(r) => visitor.visit(r)));
        }
    }
    quote! {
        /// Any request of the spec, read from raw wire parameters: what a server receives.
        // Variants are the requests as they are (one per request, however large or alike).
        #[allow(deprecated, clippy::large_enum_variant, clippy::enum_variant_names)]
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum AnyRequest {
            #(#variants,)*
        }

        #[allow(deprecated)]
        impl AnyRequest {
            /// Decodes the request with wire name `name` (ASCII case-insensitive; aliases
            /// decode as their target) from `params`: `None` for a name the spec does not
            /// know, else the metadata of the name as given and the request or every problem
            /// with its parameters.
            pub fn decode(
                name: &str,
                params: &[(&str, &str)],
            ) -> Option<(&'static #rt::meta::RequestMeta, Result<AnyRequest, Vec<#rt::validate::Problem>>)> {
                #(#decode_arms)*
                None
            }

            /// The request's metadata (of the target, for an alias).
            pub fn meta(&self) -> &'static #rt::meta::RequestMeta {
                match self {
                    #(#meta_arms,)*
                }
            }

            /// Reads `env` as this request's answer and drops the typed output: whether the
            /// answer is one the request's parser accepts (for tools and fuzzing).
            pub fn check_output(&self, env: &#rt::Envelope) -> Result<(), #rt::OutputError> {
                match self {
                    #(#output_arms,)*
                }
            }

            /// The request's form, as [`Request::encode`](#rt::Request::encode) builds it.
            pub fn encode(&self) -> Result<#rt::Form, #rt::EncodeError> {
                match self {
                    #(#encode_arms,)*
                }
            }

            /// Reads `env` as this request's answer and gives the typed output's `{:#?}` text:
            /// what the spec's wire examples (`RequestMeta::examples`) are compared with.
            pub fn output_debug(&self, env: &#rt::Envelope) -> Result<String, #rt::OutputError> {
                match self {
                    #(#debug_arms,)*
                }
            }

            /// Calls `visitor` with the typed request: code generic over the request type
            /// (its output, its parser and its writer) reaches every request of the spec
            /// without naming one.
            pub fn visit<V: #rt::output::VisitOutput>(&self, visitor: V) -> V::Result {
                match self {
                    #(#visit_arms,)*
                }
            }
        }
    }
}

/// Expression reading required parameter `p` as `Result<T, Problem>`.
fn decode_required(pp: &ParamPlan<'_>) -> TokenStream {
    let rt = rt();
    let name = &pp.p.name;
    let val = wire_value(&pp.p.ty, &pp.inline, pp.p, &quote!(s));
    quote!(#rt::decode::required(params, #name).and_then(|s| #val))
}

/// Expression reading a group's field (`Result<Enum, Problem>`; with `optional`,
/// `Result<Option<Enum>, Problem>`).
fn decode_group(gp: &GroupPlan<'_>, optional: bool) -> TokenStream {
    let rt = rt();
    let (g, ty) = (gp.g, &gp.ty);
    let group = &g.name;
    let all: BTreeSet<&str> = g
        .alternatives
        .iter()
        .flat_map(|alt| alt.iter())
        .map(|m| &**m)
        .collect();
    let arms = g.alternatives.iter().zip(&gp.variants).map(|(alt, vp)| {
        let v = &vp.ident;
        let others: Vec<&str> = all
            .iter()
            .copied()
            .filter(|m| !alt.iter().any(|a| a == m))
            .collect();
        let members = &vp.members;
        let mut built = if let [p] = members.as_slice() {
            let read = decode_required(p);
            quote!(#read.map(#ty::#v))
        } else {
            let binds: Vec<&Ident> = members.iter().map(|p| &p.field).collect();
            // The last member maps into the variant; earlier ones chain with `and_then`.
            let mut e = quote!(#ty::#v { #(#binds),* });
            for (i, (p, b)) in members.iter().zip(&binds).enumerate().rev() {
                let read = decode_required(p);
                e = if i + 1 == members.len() {
                    quote!(#read.map(|#b| #e))
                } else {
                    quote!(#read.and_then(|#b| #e))
                };
            }
            e
        };
        if optional {
            built = quote!(#built.map(Some));
        }
        quote!(if #rt::decode::chosen(params, &[#(#alt),*], &[#(#others),*]) { #built })
    });
    let message = format!(
        "`{}` are given in a combination the group `{group}` does not allow",
        all.iter().copied().collect::<Vec<_>>().join("`, `")
    );
    let none = if optional {
        let members = all.iter();
        quote!(if !(#(#rt::decode::present(params, #members))||*) { Ok(None) } else)
    } else {
        quote!()
    };
    quote!(#none #(#arms else)* { Err(#rt::decode::bad_group(#group, #message)) })
}
