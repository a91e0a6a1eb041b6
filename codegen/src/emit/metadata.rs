//! The `metadata` module: the spec model as statics that the validator, the CLI and the
//! sandbox read.

use proc_macro2::TokenStream;
use quote::quote;

use super::{opt_str, rt, spelling};
use crate::model::*;
use crate::plan::{Plan, screaming};

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
            let params = r.params.iter().map(|p| {
                let name = &p.name;
                let doc = &p.doc;
                let ty = value_type(&p.ty);
                let required = p.required;
                let secret = p.secret;
                let allow_empty = p.allow_empty;
                let deprecated = opt_str(&p.deprecated);
                let indexed = match p.indexed {
                    Some(n) => quote!(Some(#n)),
                    None => quote!(None),
                };
                let default = opt_str(&p.default);
                let example = opt_str(&p.example);
                let conds = p.required_when.iter().map(|c| {
                    let tlds = &c.tlds;
                    let ps = c.params.iter().map(|(k, vs)| quote!((#k, &[#(#vs),*])));
                    quote!(#rt::meta::Condition { tlds: &[#(#tlds),*], params: &[#(#ps),*] })
                });
                quote! {
                    #rt::meta::ParamMeta {
                        name: #name, doc: #doc, ty: #ty, required: #required, secret: #secret,
                        allow_empty: #allow_empty, deprecated: #deprecated, indexed: #indexed,
                        required_when: &[#(#conds),*], default: #default, example: #example,
                    }
                }
            });
            let groups = r.groups.iter().map(|g| {
                let name = &g.name;
                let doc = &g.doc;
                let kind = match g.kind {
                    GroupKind::ExactlyOne => quote!(#rt::meta::GroupKind::ExactlyOne),
                    GroupKind::AtMostOne => quote!(#rt::meta::GroupKind::AtMostOne),
                };
                let alts = g.alternatives.iter().map(|a| quote!(&[#(#a),*]));
                quote!(#rt::meta::GroupMeta { name: #name, kind: #kind, alternatives: &[#(#alts),*], doc: #doc })
            });
            consts.push(quote! {
                const #params_of: &[#rt::meta::ParamMeta] = &[#(#params),*];
                const #groups_of: &[#rt::meta::GroupMeta] = &[#(#groups),*];
            });
        }
        let name = &r.name;
        let section = &r.section;
        let summary = &r.summary;
        let rdocs = &r.docs;
        let kind = match r.kind {
            Kind::Sync => quote!(#rt::meta::RequestKind::Sync),
            Kind::Async => quote!(#rt::meta::RequestKind::Async),
        };
        let costs = r.costs;
        let changes = r.changes;
        let auth = r.auth;
        let session_param = opt_str(
            &spec
                .session
                .as_ref()
                .filter(|_| r.auth)
                .map(|s| s.param.clone()),
        );
        let deprecated = opt_str(&r.deprecated);
        let alias_of = opt_str(&r.alias_of);
        let extension = opt_str(&r.extension);
        let tld_from = opt_str(&r.tld_from);
        let returns = returns_meta(&r.returns);
        let doc = format!(" Metadata of `{name}`.");
        statics.push(quote! {
            #[doc = #doc]
            pub static #statik: #rt::meta::RequestMeta = #rt::meta::RequestMeta {
                name: #name, section: #section, summary: #summary, docs: #rdocs, kind: #kind,
                costs: #costs, changes: #changes, auth: #auth, session_param: #session_param, deprecated: #deprecated, alias_of: #alias_of,
                extension: #extension, tld_from: #tld_from, params: #params_of, groups: #groups_of,
                returns: #returns,
            };
        });
        all.push(statik);
    }
    let session = match &spec.session {
        None => quote!(),
        Some(ses) => {
            let [
                prod,
                ote,
                path,
                param,
                username,
                password,
                api_key,
                sid,
                timeout,
                access,
                cookie,
                full,
                read_only,
                modify_only,
                result_id,
                results_type,
                results_object,
                results_pending,
                status_key,
                ack,
                nack,
            ] = [
                &ses.production,
                &ses.ote,
                &ses.path,
                &ses.param,
                &ses.username,
                &ses.password,
                &ses.api_key,
                &ses.sid_header,
                &ses.timeout_header,
                &ses.access_header,
                &ses.cookie,
                &ses.access_full,
                &ses.access_read_only,
                &ses.access_modify_only,
                &ses.result_id,
                &ses.results_type,
                &ses.results_object,
                &ses.results_pending,
                &ses.status_key,
                &ses.ack,
                &ses.nack,
            ];
            let statik = |name: &str| {
                plan.request(name)
                    .map_or_else(|| screaming(name), |rp| rp.statik.clone())
            };
            let [login, logout, result, results] =
                [&ses.login, &ses.logout, &ses.result, &ses.results].map(|n| statik(n));
            quote! {
                /// How a client opens, carries and uses a session (the spec's `[session]` table).
                pub static SESSION: #rt::meta::SessionMeta = #rt::meta::SessionMeta {
                    production: #prod, ote: #ote, path: #path, param: #param,
                    login: &#login, username: #username, password: #password, api_key: #api_key,
                    logout: &#logout, sid_header: #sid, timeout_header: #timeout, access_header: #access,
                    cookie: #cookie, access_full: #full, access_read_only: #read_only, access_modify_only: #modify_only,
                    result: &#result, result_id: #result_id,
                    results: &#results, results_type: #results_type, results_object: #results_object, results_pending: #results_pending,
                    status_key: #status_key, ack: #ack, nack: #nack,
                };
            }
        }
    };
    quote! {
        /// Static metadata of every request in the spec: parameters, types, groups, flags and
        /// response shape. The sandbox validates with it and the CLI builds its commands from it.
        pub mod metadata {
            #(#consts)*
            #(#statics)*
            #session
            /// Every request and alias, in spec order.
            pub static REQUESTS: &[&#rt::meta::RequestMeta] = &[#(&#all),*];
            /// The request (or alias) with this wire name, ignoring ASCII case.
            pub fn find(name: &str) -> Option<&'static #rt::meta::RequestMeta> {
                REQUESTS.iter().copied().find(|r| r.name.eq_ignore_ascii_case(name))
            }
        }
    }
}

fn returns_meta(ret: &Returns) -> TokenStream {
    let rt = rt();
    let m = quote!(#rt::meta);
    let body = match ret.body {
        Body::None => quote!(#m::BodyKind::None),
        Body::Lines => quote!(#m::BodyKind::Lines),
        Body::KeyValue => quote!(#m::BodyKind::KeyValue),
        Body::Table => quote!(#m::BodyKind::Table),
        Body::Zone => quote!(#m::BodyKind::Zone),
        Body::Results => quote!(#m::BodyKind::Results),
        Body::Text => quote!(#m::BodyKind::Text),
    };
    let col = |c: &Field| {
        let name = &c.name;
        let doc = &c.doc;
        let ty = value_type(&c.ty);
        let none = match &c.none {
            Some(v) => quote!(Some(#v)),
            None => quote!(None),
        };
        quote!(#m::ColumnMeta { name: #name, doc: #doc, ty: #ty, none: #none })
    };
    let columns = ret.columns.iter().map(col);
    let extra = ret.extra_columns.iter().map(|e| {
        let flag = &e.flag;
        let cols = e.columns.iter().map(col);
        quote!(#m::ExtraColumns { flag: #flag, columns: &[#(#cols),*] })
    });
    let headers = ret.headers.iter().map(|h| {
        let name = &h.name;
        let doc = &h.doc;
        let required = h.required;
        quote!(#m::HeaderMeta { name: #name, doc: #doc, required: #required })
    });
    let sep = match ret.separator {
        Separator::Whitespace => quote!(#m::Separator::Whitespace),
        Separator::Tab => quote!(#m::Separator::Tab),
    };
    let doc = &ret.doc;
    quote! {
        #m::ReturnsMeta {
            body: #body, doc: #doc, headers: &[#(#headers),*], columns: &[#(#columns),*],
            extra_columns: &[#(#extra),*], separator: #sep,
        }
    }
}

/// Metadata `ValueType` expression.
pub(crate) fn value_type(ty: &Type) -> TokenStream {
    let rt = rt();
    let v = quote!(#rt::meta::ValueType);
    match ty {
        Type::String => quote!(#v::String),
        Type::Text => quote!(#v::Text),
        Type::Secret => quote!(#v::Secret),
        Type::Domain => quote!(#v::Domain),
        Type::Handle => quote!(#v::Handle),
        Type::Email => quote!(#v::Email),
        Type::Pattern => quote!(#v::Pattern),
        Type::Country => quote!(#v::Country),
        Type::Language => quote!(#v::Language),
        Type::Date => quote!(#v::Date),
        Type::Months => quote!(#v::Months),
        Type::Year => quote!(#v::Year),
        Type::Price => quote!(#v::Price),
        Type::Ipv4 => quote!(#v::Ipv4),
        Type::Ipv6 => quote!(#v::Ipv6),
        Type::Zone => quote!(#v::Zone),
        Type::Int { min, max } => {
            let min = match min {
                Some(m) => quote!(Some(#m)),
                None => quote!(None),
            };
            let max = match max {
                Some(m) => quote!(Some(#m)),
                None => quote!(None),
            };
            quote!(#v::Int { min: #min, max: #max })
        }
        Type::Enum { values, .. } => quote!(#v::Enum(&[#(#values),*])),
        Type::Flag(s) => {
            let s = spelling(*s);
            quote!(#v::Flag(#s))
        }
        Type::List { item, delimiter } => {
            let item = value_type(item);
            quote!(#v::List { item: &#item, delimiter: #delimiter })
        }
    }
}
