//! The typed result of a queued request: a struct with a field per declared result key and
//! `all` (every key), read by `QueuedResult` and, on the server side, written back as
//! `key: value` lines.

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::field_decoder;
use super::{docs, rt};
use crate::plan::{RequestPlan, ResultPlan};

/// The result struct of `rp`, if its spec declares result keys.
pub(crate) fn result(rp: &RequestPlan<'_>, server: bool) -> TokenStream {
    let Some(plan) = &rp.output.result else {
        return quote!();
    };
    let rt = rt();
    let r = rp.r;
    let ty = &plan.ty;
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    for k in &plan.keys {
        let (f, id, t) = (k.f, &k.field, &k.ty);
        let mut text = if f.doc.is_empty() {
            format!("The `{}` key.", f.name)
        } else {
            f.doc.to_string()
        };
        text.push_str(&format!("\n\nFrom the `{}` key.", f.name));
        let fdoc = docs(&text);
        fields.push(quote!(#fdoc pub #id: Option<#t>));
        let wire = &f.name;
        let decoder =
            field_decoder(f, &k.inline).unwrap_or_else(|| quote!(#rt::output::wire::<#t>()));
        reads.push(quote!(let #id = keys.optional_with(#wire, #decoder)?;));
    }
    let ids: Vec<_> = plan.keys.iter().map(|k| &k.field).collect();
    let mut doc = format!(
        "The result of a done `{}`: `client.wait(&submitted)` returns it.",
        r.name
    );
    if !r.result.doc.is_empty() {
        doc = format!("{}\n\n{doc}", r.result.doc);
    }
    let sdoc = docs(&doc);
    let writer = if server { write(plan) } else { quote!() };
    quote! {
        #sdoc
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #ty {
            #(#fields,)*
            /// Every `key: value` line of the result, in order: the declared keys and the
            /// others.
            pub all: #rt::KeyValues,
        }

        impl #rt::QueuedResult for #ty {
            fn from_result(
                request: &'static str,
                env: &#rt::Envelope,
                all: #rt::KeyValues,
            ) -> Result<Self, #rt::OutputError> {
                let keys = #rt::output::Fields::keys(request, env, &all);
                #(#reads)*
                Ok(#ty { #(#ids,)* all })
            }
        }

        #writer
    }
}

/// `to_fields`: what a server answers for the result.
fn write(plan: &ResultPlan<'_>) -> TokenStream {
    let rt = rt();
    let ty = &plan.ty;
    let pushes = plan.keys.iter().map(|k| {
        let (id, wire) = (&k.field, &*k.f.name);
        let value = if k.f.quoted {
            quote!(#rt::output::quote(&#rt::ToWire::to_wire(v)))
        } else {
            quote!(#rt::ToWire::to_wire(v).into_owned())
        };
        quote! {
            if let Some(v) = &self.#id {
                out.push((#wire.to_owned(), #value));
            }
        }
    });
    let names = plan.keys.iter().map(|k| &*k.f.name);
    quote! {
        impl #ty {
            /// The result as `key: value` pairs, as a server answers it: the declared keys that
            /// are set, in spec order, then the keys of [`all`](Self::all) that are not
            /// declared.
            pub fn to_fields(&self) -> Vec<(String, String)> {
                const DECLARED: &[&str] = &[#(#names),*];
                let mut out = Vec::new();
                #(#pushes)*
                for (k, v) in self.all.iter() {
                    if !DECLARED.iter().any(|d| d.eq_ignore_ascii_case(k)) {
                        out.push((k.to_owned(), v.to_owned()));
                    }
                }
                out
            }
        }
    }
}
