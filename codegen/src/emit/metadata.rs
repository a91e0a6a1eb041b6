//! The `metadata` module: the loaded spec model, baked into `static` tables that the client,
//! the validator, the CLI and the sandbox read.

use proc_macro2::TokenStream;
use quote::quote;

use super::bake::{Bake, in_scope};
use super::rt;
use crate::model::*;
use crate::plan::Plan;

pub(crate) fn metadata(spec: &Spec, plan: &Plan<'_>) -> TokenStream {
    let rt = rt();
    let mut consts = Vec::new();
    let mut statics = Vec::new();
    let mut all = Vec::new();
    for rp in &plan.requests {
        let r = rp.r;
        let statik = &rp.statik;
        let (params_of, groups_of) = (&rp.params_const, &rp.groups_const);
        if r.alias_of.is_none() {
            let params = r.params.iter().map(Bake::bake);
            let groups = r.groups.iter().map(Bake::bake);
            consts.push(quote! {
                const #params_of: &[ParamMeta] = &[#(#params),*];
                const #groups_of: &[GroupMeta] = &[#(#groups),*];
            });
        }
        // The session parameter is the spec's, for every request that needs a session.
        let session_param = spec
            .session
            .as_ref()
            .filter(|_| r.auth)
            .map(|s| s.param.clone());
        let meta = &r.meta;
        let mut fields = vec![
            ("name", meta.name.bake()),
            ("section", meta.section.bake()),
            ("summary", meta.summary.bake()),
            ("docs", meta.docs.bake()),
            ("kind", meta.kind.bake()),
            ("effect", meta.effect.bake()),
            ("costs", meta.costs.bake()),
            ("changes", meta.changes.bake()),
            ("auth", meta.auth.bake()),
            ("session_param", session_param.bake()),
            ("deprecated", meta.deprecated.bake()),
            ("alias_of", meta.alias_of.bake()),
            ("extension", meta.extension.bake()),
            ("path", meta.path.bake()),
            ("method", meta.method.bake()),
            ("tld_from", meta.tld_from.bake()),
            ("params", quote!(Seq::Borrowed(#params_of))),
            ("groups", quote!(Seq::Borrowed(#groups_of))),
            ("returns", meta.returns.bake()),
        ];
        // Results and examples only where the spec gives some, so the tables stay compact.
        let mut rest = false;
        if meta.result == ResultMeta::EMPTY {
            rest = true;
        } else {
            fields.push(("result", meta.result.bake()));
        }
        if meta.examples.is_empty() {
            rest = true;
        } else {
            fields.push(("examples", meta.examples.bake()));
        }
        let rest = rest.then(|| quote!(..RequestMeta::EMPTY));
        let fields = fields.iter().map(|(f, v)| {
            let f = quote::format_ident!("{f}");
            quote!(#f: #v,)
        });
        let doc = format!(" Metadata of `{}`.", r.name);
        statics.push(quote! {
            #[doc = #doc]
            pub static #statik: RequestMeta = RequestMeta { #(#fields)* #rest };
        });
        all.push(statik);
    }
    let session = spec.session.as_ref().map(|ses| {
        let baked = ses.bake();
        quote! {
            /// How a client opens, carries and uses a session (the spec's `[session]` table).
            pub static SESSION: SessionMeta = #baked;
        }
    });
    let protocol = spec.protocol.as_ref().map(|p| {
        let baked = p.bake();
        quote! {
            /// The protocol's own vocabulary (the spec's `[protocol]` table): envelope header
            /// names, status codes, completion statuses and the result-list row.
            pub static PROTOCOL: ProtocolMeta = #baked;
        }
    });
    let uses = in_scope();
    quote! {
        /// Static metadata of every request in the spec: parameters, types, groups, flags and
        /// response shape. The sandbox validates with it and the CLI builds its commands from it.
        pub mod metadata {
            #uses
            #(#consts)*
            #(#statics)*
            #session
            #protocol
            /// Every request and alias, in spec order.
            pub static REQUESTS: &[&#rt::meta::RequestMeta] = &[#(&#all),*];
            /// The request (or alias) with this wire name, ignoring ASCII case.
            pub fn find(name: &str) -> Option<&'static #rt::meta::RequestMeta> {
                REQUESTS.iter().copied().find(|r| r.name.eq_ignore_ascii_case(name))
            }
        }
    }
}
