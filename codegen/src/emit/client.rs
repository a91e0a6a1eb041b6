//! The protocol marker, the client type aliases and the `Requests` trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::request::arguments;
use super::{deprecated_attr, docs, rt};
use crate::plan::Plan;

/// The protocol marker, the client type aliases, and the `Requests` trait: a method per request
/// that binds it to the client (`client.domain_renew(domain, term).await`). Without the client
/// side (`client` false), only the status codes.
pub(crate) fn client(plan: &Plan<'_>, client: bool) -> TokenStream {
    let rt = rt();
    let (Some(session), Some(protocol)) = (plan.session, plan.protocol) else {
        return quote!();
    };
    let status_code = super::protocol::status_code(protocol);
    let statik = |name: &str| plan.request(name).map(|rp| rp.statik.clone());
    // The checker makes both requests of the spec.
    let (Some(result), Some(results)) = (statik(&session.result), statik(&session.results)) else {
        return quote!();
    };
    if !client {
        return status_code;
    }
    let mut secret_keys: Vec<&str> = plan
        .requests
        .iter()
        .flat_map(|rp| rp.r.meta.secret_answer_keys())
        .collect();
    secret_keys.sort_unstable();
    secret_keys.dedup();
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for rp in &plan.requests {
        let r = rp.r;
        let Some(m) = &rp.method else { continue };
        let arguments = arguments(plan.target(rp));
        let args: Vec<&TokenStream> = arguments.iter().map(|a| &a.decl).collect();
        let names = arguments.iter().map(|a| &a.name);
        let ty = &rp.ty;
        let doc = docs(&format!(
            "{}\n\nBuilds [`{ty}`] from its required parameters; `.await` sends it, `.with(|r| ...)` sets optional ones.",
            r.summary
        ));
        let dep = deprecated_attr(r.deprecated.as_deref());
        decls.push(quote! {
            #doc #dep
            fn #m(&self, #(#args),*) -> Call<'_, #ty>;
        });
        impls.push(quote! {
            fn #m(&self, #(#args),*) -> Call<'_, #ty> {
                Call::new(self, #ty::new(#(#names),*))
            }
        });
    }
    quote! {
        /// The DMAPI protocol as the spec describes it (endpoints, sessions, results).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct Dmapi;
        impl #rt::Protocol for Dmapi {
            const SESSION: &'static #rt::meta::SessionMeta = &metadata::SESSION;
            const PROTOCOL: &'static #rt::meta::ProtocolMeta = &metadata::PROTOCOL;
            const RESULT: &'static #rt::meta::RequestMeta = &metadata::#result;
            const RESULTS: &'static #rt::meta::RequestMeta = &metadata::#results;
            const SECRET_KEYS: &'static [&'static str] = &[#(#secret_keys),*];
        }
        #status_code

        /// A DMAPI client. Build one with `Client::builder()`.
        pub type Client = #rt::Client<Dmapi>;
        /// Builds a [`Client`].
        pub type ClientBuilder = #rt::ClientBuilder<Dmapi>;
        /// A request bound to a [`Client`]; `.await` sends it.
        pub type Call<'c, R> = #rt::Call<'c, Dmapi, R>;

        /// A method per DMAPI request on [`Client`], taking the request's required parameters.
        /// Bring it into scope with `use dmapi::Requests;`.
        #[allow(deprecated, clippy::too_many_arguments)]
        pub trait Requests {
            #(#decls)*
        }
        #[allow(deprecated, clippy::too_many_arguments)]
        impl Requests for Client {
            #(#impls)*
        }
    }
}
