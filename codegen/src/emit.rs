//! Emits Rust tokens for a checked [`Spec`]: request types, enums, output types, the
//! `Request` impls, and the `metadata` table the sandbox and the CLI use.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ident::{pascal_case, screaming_snake_case, snake_case, to_ident};
use crate::model::*;

fn rt() -> TokenStream {
    quote!(::dmapi_runtime)
}

fn pascal(s: &str) -> Ident {
    to_ident(&pascal_case(s).unwrap_or_else(|| "Unnamed".into()))
}

fn snake(s: &str) -> Ident {
    to_ident(&snake_case(s).unwrap_or_else(|| "unnamed".into()))
}

fn screaming(s: &str) -> Ident {
    to_ident(&screaming_snake_case(s).unwrap_or_else(|| "UNNAMED".into()))
}

/// `#[doc]` attributes, one per line, prose wrapped ([`crate::pretty::doc_lines`]); code
/// fences become ```` ```text ```` so rustdoc does not compile DMAPI examples as Rust.
fn docs(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    let mut fenced = false;
    for line in crate::pretty::doc_lines(text) {
        let line = if line.trim_start() == "```" && !fenced {
            line.replace("```", "```text")
        } else {
            line
        };
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let s = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        out.extend(quote!(#[doc = #s]));
    }
    out
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn spelling(s: Spelling) -> TokenStream {
    let rt = rt();
    match s {
        Spelling::ZeroOne => quote!(#rt::meta::FlagSpelling::ZeroOne),
        Spelling::YesNo => quote!(#rt::meta::FlagSpelling::YesNo),
        Spelling::YN => quote!(#rt::meta::FlagSpelling::YN),
        Spelling::OneY => quote!(#rt::meta::FlagSpelling::OneY),
    }
}

/// Rust type of a value; `inline` names an inline enum.
fn rust_ty(ty: &Type, inline: &Ident) -> TokenStream {
    let rt = rt();
    match ty {
        Type::String | Type::Text => quote!(String),
        Type::Zone => quote!(#rt::Zone),
        Type::Secret => quote!(#rt::Secret),
        Type::Domain => quote!(#rt::DomainName),
        Type::Handle => quote!(#rt::Handle),
        Type::Email => quote!(#rt::Email),
        Type::Pattern => quote!(#rt::Pattern),
        Type::Country => quote!(#rt::CountryCode),
        Type::Language => quote!(#rt::LanguageCode),
        Type::Date => quote!(#rt::Date),
        Type::Months => quote!(#rt::Months),
        Type::Year => quote!(#rt::Year),
        Type::Price => quote!(#rt::Price),
        Type::Ipv4 => quote!(::std::net::Ipv4Addr),
        Type::Ipv6 => quote!(::std::net::Ipv6Addr),
        Type::Int { .. } => quote!(i64),
        Type::Enum { name: Some(n), .. } => {
            let id = pascal(n);
            quote!(#id)
        }
        Type::Enum { name: None, .. } => quote!(#inline),
        Type::Flag(_) => quote!(bool),
        Type::List { item, .. } => {
            let item = rust_ty(item, inline);
            quote!(Vec<#item>)
        }
    }
}

/// Metadata `ValueType` expression.
fn value_type(ty: &Type) -> TokenStream {
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

/// Expression turning `v: &T` into the wire text (an `impl Into<String>`).
fn encode_value(ty: &Type, v: &TokenStream) -> TokenStream {
    let rt = rt();
    match ty {
        Type::Flag(s) => {
            let s = spelling(*s);
            quote!(#s.encode(*#v))
        }
        Type::List { item, delimiter } => {
            let d = delimiter.to_string();
            // Items as `Cow<str>`, which `join` accepts without copying each one.
            let each = match item.as_ref() {
                Type::Flag(s) => {
                    let s = spelling(*s);
                    quote!(::std::borrow::Cow::Borrowed(#s.encode(*item)))
                }
                _ => quote!(#rt::ToWire::to_wire(item)),
            };
            quote!(#v.iter().map(|item| #each).collect::<Vec<_>>().join(#d))
        }
        _ => quote!(#rt::ToWire::to_wire(#v).into_owned()),
    }
}

/// Expression turning `s: &str` into `Result<T, OutputError>` for output field `name`.
/// In tables (`line`), messages start with the row's payload line.
fn decode_value(ty: &Type, inline: &Ident, s: &TokenStream, name: &str, line: bool) -> TokenStream {
    let rt = rt();
    let msg = |what: TokenStream| {
        if line {
            quote!(format!("line {}: {}", row.number(), #what))
        } else {
            quote!(#what.to_string())
        }
    };
    match ty {
        Type::Flag(sp) => {
            let sp = spelling(*sp);
            let m = msg(quote!(format_args!("`{}` is not a flag value", #s)));
            quote!(#sp.decode(#s).ok_or_else(|| #rt::OutputError::new(Self::NAME, #name, #m, env)))
        }
        Type::List { item, delimiter } => {
            let each = decode_value(item, inline, &quote!(item), name, line);
            quote!(#s.split(#delimiter).map(str::trim).filter(|item| !item.is_empty()).map(|item| #each).collect::<Result<Vec<_>, #rt::OutputError>>())
        }
        _ => {
            let t = rust_ty(ty, inline);
            let m = msg(quote!(e));
            quote!(<#t as #rt::FromWire>::from_wire(#s).map_err(|e| #rt::OutputError::new(Self::NAME, #name, #m, env)))
        }
    }
}

/// Emits a request-side enum (closed: only values the spec knows can be sent).
fn request_enum(name: &Ident, doc: &str, values: &[String]) -> TokenStream {
    let rt = rt();
    let doc = docs(doc);
    let variants: Vec<Ident> = values.iter().map(|v| pascal(v)).collect();
    let vdocs: Vec<String> = values.iter().map(|v| format!(" `{v}`")).collect();
    let kind = name.to_string();
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #vdocs] #variants, )*
        }
        impl #name {
            /// Every value, in spec order.
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];
            /// The wire spelling.
            pub fn as_str(&self) -> &'static str {
                match self { #(Self::#variants => #values,)* }
            }
        }
        impl #rt::ToWire for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
        impl #rt::FromWire for #name {
            fn from_wire(s: &str) -> Result<Self, #rt::ValueError> {
                match s {
                    #(#values => Ok(Self::#variants),)*
                    other => Err(#rt::ValueError::new(#kind, format!("`{other}` is not one of: {}", [#(#values),*].join(", ")))),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = #rt::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as #rt::FromWire>::from_wire(s)
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// Emits a response-side enum: keeps values this version does not know.
fn response_enum(name: &Ident, doc: &str, values: &[String]) -> TokenStream {
    let rt = rt();
    let doc = docs(doc);
    let variants: Vec<Ident> = values.iter().map(|v| pascal(v)).collect();
    let vdocs: Vec<String> = values.iter().map(|v| format!(" `{v}`")).collect();
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #vdocs] #variants, )*
            /// A value this version of the spec does not know, kept as sent.
            Unknown(String),
        }
        impl #name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self { #(Self::#variants => #values,)* Self::Unknown(s) => s }
            }
        }
        impl #rt::FromWire for #name {
            fn from_wire(s: &str) -> Result<Self, #rt::ValueError> {
                Ok(match s {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                })
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

struct Ctx {
    emitted_groups: BTreeSet<String>,
    /// Emit the server side too: `Decode` impls and `AnyRequest`.
    server: bool,
    /// The spec's session parameter, if it declares sessions.
    session_param: Option<String>,
    /// Constructor arguments (declarations and names) of each request, for the client methods.
    ctor_args: std::collections::BTreeMap<String, (Vec<TokenStream>, Vec<Ident>)>,
}

/// Methods of the runtime `Client`; a request with one of these names gets no client method.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "send",
    "send_raw",
    "login",
    "logout",
    "wait",
    "wait_with",
    "completion",
    "session_info",
    "login_count",
    "clone",
];

/// The tokens of a spec; `server` adds what only a server needs (`Decode`, `AnyRequest`).
pub(crate) fn emit(spec: &Spec, server: bool) -> TokenStream {
    let mut ctx = Ctx {
        emitted_groups: BTreeSet::new(),
        server,
        session_param: spec.session.as_ref().map(|s| s.param.clone()),
        ctor_args: Default::default(),
    };
    let mut items = TokenStream::new();
    for e in &spec.enums {
        let used = spec
            .requests
            .iter()
            .flat_map(|r| &r.params)
            .any(|p| uses_enum(&p.ty, &e.name));
        if used {
            items.extend(request_enum(&pascal(&e.name), &e.doc, &e.values));
        }
    }
    for r in &spec.requests {
        items.extend(match &r.alias_of {
            Some(target) => alias(r, target),
            None => request(&mut ctx, r),
        });
    }
    items.extend(metadata(spec));
    if server {
        items.extend(any_request(spec));
    }
    items.extend(client(spec, &ctx));
    items
}

/// `AnyRequest`: every request as one type, decoded by wire name (aliases included). The
/// sandbox server dispatches on it; `#[non_exhaustive]`, so a request added to the spec reaches
/// a server's fallback arm without breaking its build.
fn any_request(spec: &Spec) -> TokenStream {
    let rt = rt();
    let mut variants = Vec::new();
    let mut decode_arms = Vec::new();
    let mut meta_arms = Vec::new();
    let mut output_arms = Vec::new();
    for r in &spec.requests {
        let target = r.alias_of.as_deref().unwrap_or(&r.name);
        let v = pascal(target);
        let wire = &r.name;
        let statik = screaming(&r.name);
        decode_arms.push(quote! {
            if name.eq_ignore_ascii_case(#wire) {
                return Some((&metadata::#statik, <#v as #rt::Decode>::decode(params).map(AnyRequest::#v)));
            }
        });
        if r.alias_of.is_none() {
            let doc = format!(" `{wire}`: [`{v}`].");
            let dep = deprecated_attr(&r.deprecated);
            variants.push(quote!(#[doc = #doc] #dep #v(#v)));
            meta_arms.push(quote!(AnyRequest::#v(_) => &metadata::#statik));
            output_arms
                .push(quote!(AnyRequest::#v(r) => #rt::Request::parse_output(r, env).map(drop)));
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
        }
    }
}

/// The protocol marker, the client type aliases, and the `Requests` trait: a method per request
/// that binds it to the client (`client.domain_renew(domain, term).await`).
fn client(spec: &Spec, ctx: &Ctx) -> TokenStream {
    let rt = rt();
    if spec.session.is_none() {
        return quote!();
    }
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for r in &spec.requests {
        let method = snake_case(&r.name).unwrap_or_default();
        if CLIENT_METHODS.contains(&method.as_str()) {
            continue;
        }
        let target = r.alias_of.as_deref().unwrap_or(&r.name);
        let Some((args, names)) = ctx.ctor_args.get(target) else {
            continue;
        };
        let m = snake(&r.name);
        let ty = pascal(&r.name);
        let doc = docs(&format!(
            "{}\n\nBuilds [`{ty}`] from its required parameters; `.await` sends it, `.with(|r| ...)` sets optional ones.",
            r.summary
        ));
        let dep = deprecated_attr(&r.deprecated);
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
        }
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

fn uses_enum(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Enum { name: Some(n), .. } => n == name,
        Type::List { item, .. } => uses_enum(item, name),
        _ => false,
    }
}

fn alias(r: &Request, target: &str) -> TokenStream {
    let name = pascal(&r.name);
    let target_id = pascal(target);
    let mut text = format!(
        "{}\n\nAlias of [`{target_id}`]: the wire name `{target}` is sent.",
        r.summary
    );
    if !r.docs.is_empty() {
        text = format!("{text}\n\n{}", r.docs);
    }
    let doc = docs(&text);
    let dep = deprecated_attr(&r.deprecated);
    quote! {
        #doc
        #dep
        pub type #name = #target_id;
    }
}

fn deprecated_attr(d: &Option<String>) -> TokenStream {
    match d {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}

/// How a parameter is stored in the request struct.
enum Slot<'r> {
    /// A plain field.
    Field(&'r Param),
    /// A group enum field (at the position of its first member).
    Group(&'r Group),
    /// A later group member: nothing of its own.
    Skip,
}

fn slots(r: &Request) -> Vec<Slot<'_>> {
    let mut seen = BTreeSet::new();
    r.params
        .iter()
        .map(|p| match r.group_of(&p.name) {
            Some(g) if seen.insert(g.name.clone()) => Slot::Group(g),
            Some(_) => Slot::Skip,
            None => Slot::Field(p),
        })
        .collect()
}

fn inline_enum_name(r: &Request, field: &str) -> Ident {
    pascal(&format!("{}-{}", r.name, field))
}

fn group_variant(alt: &[String]) -> Ident {
    pascal(&alt.join("-"))
}

fn group_enum(ctx: &mut Ctx, r: &Request, g: &Group) -> TokenStream {
    let name = pascal(&g.name);
    if !ctx.emitted_groups.insert(name.to_string()) {
        return quote!();
    }
    let text = if g.doc.is_empty() {
        format!(
            "The parameters `{}` exclude each other.",
            g.alternatives
                .iter()
                .map(|a| a.join("`+`"))
                .collect::<Vec<_>>()
                .join("` / `")
        )
    } else {
        g.doc.clone()
    };
    let doc = docs(&text);
    let mut any_deprecated = false;
    let variants = g.alternatives.iter().map(|alt| {
        let v = group_variant(alt);
        let members: Vec<&Param> = alt.iter().filter_map(|m| r.param(m)).collect();
        let note = members.iter().find_map(|p| p.deprecated.clone());
        any_deprecated |= note.is_some();
        let dep = deprecated_attr(&note);
        let vdoc = docs(
            &members
                .iter()
                .map(|p| {
                    format!(
                        "`{}`{}",
                        p.name,
                        if p.doc.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", p.doc)
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        );
        if let [p] = members.as_slice() {
            let t = rust_ty(&p.ty, &inline_enum_name(r, &p.name));
            quote!(#vdoc #dep #v(#t))
        } else {
            let fields = members.iter().map(|p| {
                let f = snake(&p.name);
                let t = rust_ty(&p.ty, &inline_enum_name(r, &p.name));
                let fdoc = docs(&format!("`{}`", p.name));
                quote!(#fdoc #f: #t)
            });
            quote!(#vdoc #dep #v { #(#fields),* })
        }
    });
    let variants: Vec<TokenStream> = variants.collect();
    let allow = if any_deprecated {
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

/// Encoding statements for one alternative's bound fields.
fn encode_group(r: &Request, g: &Group, value: &TokenStream) -> TokenStream {
    let name = pascal(&g.name);
    let arms = g.alternatives.iter().map(|alt| {
        let v = group_variant(alt);
        let members: Vec<&Param> = alt.iter().filter_map(|m| r.param(m)).collect();
        let pushes: Vec<TokenStream> = members
            .iter()
            .map(|p| {
                let b = snake(&p.name);
                push(p, &quote!(#b))
            })
            .collect();
        if members.len() == 1 {
            let b = snake(&members[0].name);
            quote!(#name::#v(#b) => { #(#pushes)* })
        } else {
            let binds = members.iter().map(|p| snake(&p.name));
            quote!(#name::#v { #(#binds),* } => { #(#pushes)* })
        }
    });
    quote!(match #value { #(#arms)* })
}

/// Expression turning `s: &str` into `Result<T, Problem>` for request parameter `p`.
fn wire_value(ty: &Type, inline: &Ident, p: &Param, s: &TokenStream) -> TokenStream {
    let rt = rt();
    let name = &p.name;
    match ty {
        Type::Flag(sp) => {
            let sp = spelling(*sp);
            quote!(#rt::decode::flag(#sp, #name, #s))
        }
        Type::List { item, delimiter } => {
            let each = wire_value(item, inline, p, &quote!(item));
            quote!(#rt::decode::list(#s, #delimiter, |item| #each))
        }
        Type::Zone => quote!(#rt::decode::zone(#s)),
        _ => {
            let t = rust_ty(ty, inline);
            let secret = p.secret;
            quote!(#rt::decode::value::<#t>(#name, #s, #secret))
        }
    }
}

/// Expression reading required parameter `p` as `Result<T, Problem>`.
fn decode_required(r: &Request, p: &Param) -> TokenStream {
    let rt = rt();
    let name = &p.name;
    let val = wire_value(&p.ty, &inline_enum_name(r, &p.name), p, &quote!(s));
    quote!(#rt::decode::required(params, #name).and_then(|s| #val))
}

/// Expression reading a group's field (`Result<Enum, Problem>`; with `optional`,
/// `Result<Option<Enum>, Problem>`).
fn decode_group(r: &Request, g: &Group, optional: bool) -> TokenStream {
    let rt = rt();
    let ty = pascal(&g.name);
    let group = &g.name;
    let all: BTreeSet<&str> = g
        .alternatives
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let arms = g.alternatives.iter().map(|alt| {
        let v = group_variant(alt);
        let others: Vec<&str> = all
            .iter()
            .copied()
            .filter(|m| !alt.iter().any(|a| a == m))
            .collect();
        let members: Vec<&Param> = alt.iter().filter_map(|m| r.param(m)).collect();
        let mut built = if let [p] = members.as_slice() {
            let read = decode_required(r, p);
            quote!(#read.map(#ty::#v))
        } else {
            let binds: Vec<Ident> = members.iter().map(|p| snake(&p.name)).collect();
            // The last member maps into the variant; earlier ones chain with `and_then`.
            let mut e = quote!(#ty::#v { #(#binds),* });
            for (i, (p, b)) in members.iter().zip(&binds).enumerate().rev() {
                let read = decode_required(r, p);
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

fn push(p: &Param, v: &TokenStream) -> TokenStream {
    let wire = &p.name;
    if p.ty == Type::Zone {
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

fn is_plain_string(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::Text)
}

fn param_doc(p: &Param) -> String {
    let mut s = if p.doc.is_empty() {
        format!("Sets `{}`.", p.name)
    } else {
        p.doc.clone()
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
            "; required when {}",
            conditions_text(&p.required_when)
        ));
    }
    s.push('.');
    s
}

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

fn request_doc(r: &Request, session_param: Option<&str>) -> String {
    let mut text = r.summary.clone();
    if !r.docs.is_empty() {
        text.push_str("\n\n");
        text.push_str(&r.docs);
    }
    text.push_str(&format!(
        "\n\n# Wire\n\nDMAPI request `{}` (section *{}*).",
        r.name, r.section
    ));
    match r.kind {
        Kind::Async => text.push_str(
            " Queued: the server answers a `Proc-ID`; the outcome comes later from `result-list` / `result-retrieve`.",
        ),
        Kind::Sync => {}
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
    text.push_str("\n\n");
    text.push_str(&crate::reference::params_section(r, 1, session_param));
    text.push_str("\n\n");
    text.push_str(&crate::reference::rustdoc_example(r));
    text
}

fn request(ctx: &mut Ctx, r: &Request) -> TokenStream {
    let rt = rt();
    let name = pascal(&r.name);
    let wire = &r.name;
    let mut items = TokenStream::new();

    // Enums this request needs.
    for p in &r.params {
        if let Type::Enum { name: None, values } = &p.ty {
            let doc = format!("Values of `{}` in `{}`.", p.name, r.name);
            items.extend(request_enum(&inline_enum_name(r, &p.name), &doc, values));
        }
    }
    for g in &r.groups {
        items.extend(group_enum(ctx, r, g));
    }

    let slots = slots(r);
    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut arg_names: Vec<Ident> = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut encode = Vec::new();
    // (field, expression giving `Result<value, Problem>`) for `Decode`.
    let mut decodes: Vec<(Ident, TokenStream)> = Vec::new();
    let mut field_docs: Vec<TokenStream> = Vec::new();
    let mut new_docs = String::from("Creates the request from its required parameters.");
    let mut defaultable = true;
    for slot in &slots {
        match slot {
            Slot::Skip => {}
            Slot::Field(p) => {
                let f = snake(&p.name);
                let t = rust_ty(&p.ty, &inline_enum_name(r, &p.name));
                let fv = quote!(self.#f);
                field_docs.push(docs(&param_doc(p)));
                if let Some(max) = p.indexed {
                    let wire_p = &p.name;
                    let val = wire_value(&p.ty, &inline_enum_name(r, &p.name), p, &quote!(s));
                    decodes.push((
                        f.clone(),
                        quote!(#rt::decode::indexed(params, #wire_p, #max).into_iter().map(|s| #val).collect::<Result<Vec<_>, _>>()),
                    ));
                    fields.push(quote!(#f: Vec<#t>));
                    inits.push(quote!(#f: Vec::new()));
                    let doc = docs(&param_doc(p));
                    let dep = deprecated_attr(&p.deprecated);
                    setters.push(quote! {
                        #doc #dep
                        pub fn #f(mut self, values: impl IntoIterator<Item = #t>) -> Self {
                            self.#f = values.into_iter().collect();
                            self
                        }
                    });
                    let wire_p = &p.name;
                    let val = encode_value(&p.ty, &quote!(v));
                    encode.push(quote! {
                        for (i, v) in #fv.iter().enumerate() {
                            form.push(format!("{}-{}", #wire_p, i + 1), #val);
                        }
                    });
                } else if p.required && p.default.is_none() {
                    defaultable = false;
                    decodes.push((f.clone(), decode_required(r, p)));
                    fields.push(quote!(#f: #t));
                    new_docs.push_str(&format!(
                        "\n\n- `{}`: {}",
                        snake_case(&p.name)
                            .unwrap_or_default()
                            .trim_start_matches("r#"),
                        if p.doc.is_empty() {
                            format!("`{}`", p.name)
                        } else {
                            p.doc.clone()
                        }
                    ));
                    match &p.ty {
                        ty if is_plain_string(ty) => {
                            args.push(quote!(#f: impl Into<String>));
                            arg_names.push(f.clone());
                            inits.push(quote!(#f: #f.into()));
                        }
                        Type::List { item, .. } => {
                            let it = rust_ty(item, &inline_enum_name(r, &p.name));
                            args.push(quote!(#f: impl IntoIterator<Item = #it>));
                            arg_names.push(f.clone());
                            inits.push(quote!(#f: #f.into_iter().collect()));
                        }
                        _ => {
                            args.push(quote!(#f: #t));
                            arg_names.push(f.clone());
                            inits.push(quote!(#f));
                        }
                    }
                    let pushed = push(p, &quote!(v));
                    encode.push(quote!({ let v = &#fv; #pushed }));
                } else {
                    let wire_p = &p.name;
                    let val = wire_value(&p.ty, &inline_enum_name(r, &p.name), p, &quote!(s));
                    decodes.push((
                        f.clone(),
                        quote!(#rt::decode::first(params, #wire_p).map(|s| #val).transpose()),
                    ));
                    fields.push(quote!(#f: Option<#t>));
                    inits.push(quote!(#f: None));
                    let doc = docs(&param_doc(p));
                    let dep = deprecated_attr(&p.deprecated);
                    let (arg, val) = match &p.ty {
                        ty if is_plain_string(ty) => {
                            (quote!(value: impl Into<String>), quote!(value.into()))
                        }
                        Type::List { item, .. } => {
                            let it = rust_ty(item, &inline_enum_name(r, &p.name));
                            (
                                quote!(values: impl IntoIterator<Item = #it>),
                                quote!(values.into_iter().collect()),
                            )
                        }
                        _ => (quote!(value: #t), quote!(value)),
                    };
                    setters.push(quote! {
                        #doc #dep
                        pub fn #f(mut self, #arg) -> Self {
                            self.#f = Some(#val);
                            self
                        }
                    });
                    let pushed = push(p, &quote!(v));
                    match &p.default {
                        Some(d) if p.required => {
                            let wire_p = &p.name;
                            encode.push(quote! {
                                match &#fv {
                                    Some(v) => { #pushed }
                                    None => form.push(#wire_p, #d),
                                }
                            });
                        }
                        _ => encode.push(quote!(if let Some(v) = &#fv { #pushed })),
                    }
                }
            }
            Slot::Group(g) => {
                let f = snake(&g.name);
                let gt = pascal(&g.name);
                field_docs.push(docs(&format!(
                    "{}\n\nOne of [`{gt}`].",
                    if g.doc.is_empty() {
                        "Parameters that exclude each other."
                    } else {
                        g.doc.as_str()
                    }
                )));
                match g.kind {
                    GroupKind::ExactlyOne => {
                        defaultable = false;
                        decodes.push((f.clone(), decode_group(r, g, false)));
                        fields.push(quote!(#f: #gt));
                        args.push(quote!(#f: #gt));
                        arg_names.push(f.clone());
                        inits.push(quote!(#f));
                        new_docs.push_str(&format!(
                            "\n\n- `{}`: one of [`{gt}`]",
                            snake_case(&g.name).unwrap_or_default()
                        ));
                        encode.push(encode_group(r, g, &quote!(&self.#f)));
                    }
                    GroupKind::AtMostOne => {
                        decodes.push((f.clone(), decode_group(r, g, true)));
                        fields.push(quote!(#f: Option<#gt>));
                        inits.push(quote!(#f: None));
                        let doc = docs(&format!(
                            "Sets one of [`{gt}`] (at most one of them is sent)."
                        ));
                        setters.push(quote! {
                            #doc
                            pub fn #f(mut self, value: #gt) -> Self {
                                self.#f = Some(value);
                                self
                            }
                        });
                        let m = encode_group(r, g, &quote!(v));
                        encode.push(quote!(if let Some(v) = &self.#f { #m }));
                    }
                }
            }
        }
    }

    ctx.ctor_args
        .insert(r.name.clone(), (args.clone(), arg_names.clone()));

    // Output.
    let (output_ty, output_items, parse) = output(r, &name);
    items.extend(output_items);

    let doc = docs(&request_doc(r, ctx.session_param.as_deref()));
    let dep = deprecated_attr(&r.deprecated);
    let new_doc = docs(&new_docs);
    let many = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let derive_default = if defaultable {
        quote!(Default,)
    } else {
        quote!()
    };
    let statik = screaming(&r.name);
    let decode_body = {
        let validate = quote! {
            #rt::validate::validate(<Self as #rt::Request>::meta(), params.iter().copied())?;
        };
        if decodes.is_empty() {
            quote! {
                fn decode(params: &[(&str, &str)]) -> Result<Self, Vec<#rt::validate::Problem>> {
                    #validate
                    Ok(Self {})
                }
            }
        } else {
            let names: Vec<&Ident> = decodes.iter().map(|(f, _)| f).collect();
            let reads = decodes
                .iter()
                .map(|(f, e)| quote!(let #f = #rt::decode::keep(&mut problems, #e);));
            quote! {
                fn decode(params: &[(&str, &str)]) -> Result<Self, Vec<#rt::validate::Problem>> {
                    #validate
                    let mut problems = Vec::new();
                    #(#reads)*
                    let (#(Some(#names),)*) = (#(#names,)*) else {
                        return Err(problems);
                    };
                    Ok(Self { #(#names),* })
                }
            }
        }
    };
    let form_mut = if encode.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    // Zones that cannot be written are the only problems found while pushing (see `push`).
    let (problems_decl, problems) = if r.params.iter().any(|p| p.ty == Type::Zone) {
        (quote!(let mut problems = Vec::new();), quote!(problems))
    } else {
        (quote!(), quote!(Vec::new()))
    };
    let reads_env =
        r.kind == Kind::Async || r.returns.body != Body::None || !r.returns.headers.is_empty();
    let env_arg = if reads_env { quote!(env) } else { quote!(_env) };
    items.extend(quote! {
        #doc
        #dep
        #[derive(Clone, Debug, PartialEq, Eq, #derive_default)]
        #[must_use = "a request does nothing until it is sent"]
        #[non_exhaustive]
        pub struct #name {
            #(#field_docs pub #fields,)*
        }

        #[allow(deprecated)]
        impl #name {
            #new_doc
            #many
            pub fn new(#(#args),*) -> Self {
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
    if ctx.server {
        items.extend(quote! {
            // Value readers are closures over `s` whatever the type, one of which is a plain call.
            #[allow(deprecated, clippy::redundant_closure)]
            impl #rt::Decode for #name {
                #decode_body
            }
        });
    }
    items
}

/// The output type, the items it needs, and the body of `parse_output`.
fn output(r: &Request, base: &Ident) -> (TokenStream, TokenStream, TokenStream) {
    let rt = rt();
    let ret = &r.returns;
    if r.kind == Kind::Async {
        return (
            quote!(#rt::Submitted),
            quote!(),
            quote!(#rt::output::submitted(Self::NAME, env)),
        );
    }
    let mut items = TokenStream::new();
    let mut prelude = TokenStream::new();
    let (body_ty, body_expr) = match ret.body {
        Body::None => (quote!(()), quote!(())),
        Body::Lines => (quote!(Vec<String>), quote!(#rt::output::lines(env))),
        Body::Text => (quote!(String), quote!(#rt::output::text(env))),
        Body::Zone => (quote!(#rt::Zone), quote!(#rt::Zone::parse(env.payload()))),
        Body::KeyValue => {
            prelude.extend(quote!(let all = #rt::KeyValues::parse(env.payload());));
            (quote!(#rt::KeyValues), quote!(all))
        }
        Body::Results => {
            prelude.extend(quote!(let results = #rt::output::result_list(Self::NAME, env)?;));
            (quote!(#rt::Results), quote!(results))
        }
        Body::Table => {
            let (row_ty, row_items, rows) = table(r, base);
            items.extend(row_items);
            prelude.extend(quote!(let rows = #rows;));
            (quote!(Vec<#row_ty>), quote!(rows))
        }
    };
    for f in ret.headers.iter().chain(&ret.keys) {
        if let Type::Enum { name: None, values } = &f.ty {
            items.extend(response_enum(
                &inline_enum_name(r, &f.field),
                &format!("Values of `{}` in the `{}` response.", f.name, r.name),
                values,
            ));
        }
    }
    let needs_struct =
        !ret.headers.is_empty() || (ret.body == Body::KeyValue && !ret.keys.is_empty());
    if !needs_struct {
        return (body_ty, items, quote!(#prelude Ok(#body_expr)));
    }
    let out = format_ident!("{}Output", base);
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for (f, source) in ret
        .headers
        .iter()
        .map(|f| (f, "header"))
        .chain(ret.keys.iter().map(|f| (f, "key")))
    {
        let id = snake(&f.field);
        let inline = inline_enum_name(r, &f.field);
        let t = rust_ty(&f.ty, &inline);
        let mut text = if f.doc.is_empty() {
            format!("The `{}` {source}.", f.name)
        } else {
            f.doc.clone()
        };
        text.push_str(&format!("\n\nFrom the `{}` {source}.", f.name));
        let fdoc = docs(&text);
        let wire = &f.name;
        let lookup = if source == "header" {
            quote!(env.header(#wire))
        } else {
            quote!(all.get(#wire))
        };
        let decode = decode_value(&f.ty, &inline, &quote!(s), wire, false);
        if f.required {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: match #lookup {
                Some(s) => #decode?,
                None => return Err(#rt::OutputError::new(Self::NAME, #wire, concat!("the ", #source, " is missing"), env)),
            }));
        } else {
            fields.push(quote!(#fdoc pub #id: Option<#t>));
            inits.push(quote!(#id: match #lookup { Some(s) => Some(#decode?), None => None }));
        }
    }
    if ret.body != Body::None {
        let id = snake(&ret.field);
        let text = if ret.doc.is_empty() {
            "The payload.".to_string()
        } else {
            ret.doc.clone()
        };
        let fdoc = docs(&text);
        fields.push(quote!(#fdoc pub #id: #body_ty));
        // `all: all` would be redundant.
        if id == body_expr.to_string() {
            inits.push(quote!(#id));
        } else {
            inits.push(quote!(#id: #body_expr));
        }
    }
    let sdoc = docs(&format!("What a successful `{}` returns.", r.name));
    items.extend(quote! {
        #sdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #out {
            #(#fields,)*
        }
    });
    (
        quote!(#out),
        items,
        quote!(#prelude Ok(#out { #(#inits,)* })),
    )
}

/// Row type, its items, and the expression that parses all rows.
fn table(r: &Request, base: &Ident) -> (Ident, TokenStream, TokenStream) {
    let rt = rt();
    let ret = &r.returns;
    let row = format_ident!("{}Row", base);
    let mut items = TokenStream::new();
    let base_cols: Vec<&String> = ret.columns.iter().map(|c| &c.name).collect();
    let mut extend = Vec::new();
    for e in &ret.extra_columns {
        let set = flag_is_set(r, &e.flag);
        let names: Vec<&String> = e.columns.iter().map(|c| &c.name).collect();
        extend.push(quote!(if #set { columns.extend_from_slice(&[#(#names),*]); }));
    }
    let sep = match ret.separator {
        Separator::Whitespace => quote!(#rt::meta::Separator::Whitespace),
        Separator::Tab => quote!(#rt::meta::Separator::Tab),
    };
    let mut fields = Vec::new();
    let mut idx = Vec::new();
    let mut idx_names: Vec<Ident> = Vec::new();
    let mut inits = Vec::new();
    // The borrowed row: fields and their initialisers.
    let mut ref_fields = Vec::new();
    let mut ref_inits = Vec::new();
    let all = ret.columns.iter().map(|c| (c, false)).chain(
        ret.extra_columns
            .iter()
            .flat_map(|e| e.columns.iter().map(move |c| (c, true))),
    );
    for (c, extra) in all {
        let id = snake(&c.field);
        let ix = format_ident!(
            "i_{}",
            snake_case(&c.field)
                .unwrap_or_default()
                .trim_start_matches("r#")
        );
        let inline = inline_enum_name(r, &c.field);
        if let Type::Enum { name: None, values } = &c.ty {
            items.extend(response_enum(
                &inline,
                &format!("Values of the `{}` column of `{}`.", c.name, r.name),
                values,
            ));
        }
        let t = rust_ty(&c.ty, &inline);
        let mut text = if c.doc.is_empty() {
            format!("The `{}` column.", c.name)
        } else {
            c.doc.clone()
        };
        if extra {
            let flag = ret
                .extra_columns
                .iter()
                .find(|e| e.columns.contains(c))
                .map(|e| e.flag.clone())
                .unwrap_or_default();
            text.push_str(&format!("\n\nPresent when `{flag}` is set."));
        }
        if let Some(none) = &c.none {
            text.push_str(&format!("\n\n`None` when the cell is `{none}`."));
        }
        let fdoc = docs(&text);
        let wire = &c.name;
        idx.push(quote!(let #ix = table.index_of(#wire);));
        idx_names.push(ix.clone());
        let decode = decode_value(&c.ty, &inline, &quote!(s), wire, true);
        let cell = match &c.none {
            Some(none) => {
                quote!(#ix.and_then(|i| cells.get(i).copied()).filter(|s| !s.is_empty() && *s != #none))
            }
            None => quote!(#ix.and_then(|i| cells.get(i).copied()).filter(|s| !s.is_empty())),
        };
        let (bt, bdecode) = borrowed_value(&c.ty, &quote!(s), wire);
        if extra || c.none.is_some() {
            ref_fields.push(quote!(#fdoc pub #id: Option<#bt>));
            ref_inits.push(quote!(#id: match #cell { Some(s) => Some(#bdecode?), None => None }));
        } else {
            ref_fields.push(quote!(#fdoc pub #id: #bt));
            ref_inits.push(quote!(#id: match #cell {
                Some(s) => #bdecode?,
                None => return Err(#rt::OutputError::new(<Self as #rt::Request>::NAME, #wire, format!("line {}: the column is missing", row.number()), env)),
            }));
        }
        if extra || c.none.is_some() {
            fields.push(quote!(#fdoc pub #id: Option<#t>));
            inits.push(quote!(#id: match #cell { Some(s) => Some(#decode?), None => None }));
        } else if is_plain_string(&c.ty) {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: #cell.unwrap_or_default().to_owned()));
        } else {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: match #cell {
                Some(s) => #decode?,
                None => return Err(#rt::OutputError::new(Self::NAME, #wire, format!("line {}: the column is missing", row.number()), env)),
            }));
        }
    }
    let ixs: Vec<Ident> = idx_names.clone();
    fields.push(quote!(
        /// Cells of columns the spec does not declare (named by the `Columns` header), in order,
        /// as `(column, value)`: nothing the server sends is dropped.
        pub other_columns: Vec<(String, String)>
    ));
    inits.push(quote!(other_columns: if other.is_empty() {
        Vec::new()
    } else {
        other.iter().filter_map(|&(i, name)| cells.get(i).map(|c| (name.to_owned(), (*c).to_owned()))).collect()
    }));
    let rdoc = docs(&format!("One row of the `{}` response.", r.name));
    items.extend(quote! {
        #rdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #row {
            #(#fields,)*
        }
    });
    let mutability = if extend.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let row_ref = format_ident!("{}RowRef", base);
    let ref_doc = docs(&format!(
        "One row of the `{}` response, borrowed from it: every cell is checked like [`{row}`] \
         but text stays a slice of the answer (no allocation per row). From \
         [`{base}::borrow_rows`].",
        r.name
    ));
    let setup = quote! {
        let #mutability columns: Vec<&str> = vec![#(#base_cols),*];
        #(#extend)*
        let table = #rt::output::Table::parse(env, &columns, #sep);
        #(#idx)*
    };
    let borrow_doc = docs(&format!(
        "The rows of a `{}` answer, borrowed from `env`: the fast way to read a large list \
         (`parse_output` copies every cell). Fails like `parse_output` on a cell that does \
         not match its type.",
        r.name
    ));
    items.extend(quote! {
        #ref_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #row_ref<'a> {
            #(#ref_fields,)*
            /// The whole payload line (cells of columns the spec does not declare are in it).
            pub line: &'a str,
        }

        impl #base {
            #borrow_doc
            pub fn borrow_rows<'a>(&self, env: &'a #rt::Envelope) -> Result<Vec<#row_ref<'a>>, #rt::OutputError> {
                #setup
                let mut rows = Vec::with_capacity(table.row_capacity());
                let mut cells: Vec<&'a str> = Vec::with_capacity(table.columns().len());
                for row in table.rows() {
                    cells.clear();
                    cells.extend(row.cells());
                    rows.push(#row_ref { #(#ref_inits,)* line: row.line() });
                }
                Ok(rows)
            }
        }
    });
    let parse = quote! {{
        let #mutability columns: Vec<&str> = vec![#(#base_cols),*];
        #(#extend)*
        let table = #rt::output::Table::parse(env, &columns, #sep);
        #(#idx)*
        let known = [#(#ixs),*];
        let other: Vec<(usize, &str)> = table
            .columns()
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, name)| (i, name.as_str()))
            .collect();
        let mut rows = Vec::with_capacity(table.row_capacity());
        // Each row is split once; the cells are looked up by position.
        let mut cells: Vec<&str> = Vec::with_capacity(table.columns().len());
        for row in table.rows() {
            cells.clear();
            cells.extend(row.cells());
            rows.push(#row { #(#inits,)* });
        }
        rows
    }};
    (row, items, parse)
}

/// The borrowed type of a cell and the expression reading `s` into it as
/// `Result<T, OutputError>`: values that are `Copy` are parsed, text stays `&'a str` after its
/// type's check (no allocation).
fn borrowed_value(ty: &Type, s: &TokenStream, name: &str) -> (TokenStream, TokenStream) {
    let rt = rt();
    let err = quote!(|e| #rt::OutputError::new(<Self as #rt::Request>::NAME, #name, format!("line {}: {}", row.number(), e), env));
    match ty {
        Type::Date => (
            quote!(#rt::Date),
            quote!(<#rt::Date as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Months => (
            quote!(#rt::Months),
            quote!(<#rt::Months as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Year => (
            quote!(#rt::Year),
            quote!(<#rt::Year as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Int { .. } => (
            quote!(i64),
            quote!(<i64 as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Ipv4 => (
            quote!(::std::net::Ipv4Addr),
            quote!(<::std::net::Ipv4Addr as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Ipv6 => (
            quote!(::std::net::Ipv6Addr),
            quote!(<::std::net::Ipv6Addr as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        Type::Flag(sp) => {
            let sp = spelling(*sp);
            (
                quote!(bool),
                quote!(#sp.decode(#s).ok_or_else(|| #rt::OutputError::new(<Self as #rt::Request>::NAME, #name, format!("line {}: `{}` is not a flag value", row.number(), #s), env))),
            )
        }
        Type::String | Type::Text => (quote!(&'a str), quote!(Ok::<&'a str, #rt::OutputError>(#s))),
        // Enums are read as text: an unknown value is kept, as in the owned row.
        Type::Enum { .. } => (quote!(&'a str), quote!(Ok::<&'a str, #rt::OutputError>(#s))),
        other => {
            let vt = value_type(other);
            (
                quote!(&'a str),
                quote!((#vt).check(#s).map(|()| #s).map_err(#err)),
            )
        }
    }
}

/// Expression: whether flag parameter `flag` is set to true on `self`.
fn flag_is_set(r: &Request, flag: &str) -> TokenStream {
    let f = snake(flag);
    match r.param(flag) {
        Some(p) if p.required && p.default.is_none() => quote!(self.#f),
        _ => quote!(self.#f == Some(true)),
    }
}

fn metadata(spec: &Spec) -> TokenStream {
    let rt = rt();
    let mut consts = Vec::new();
    let mut statics = Vec::new();
    let mut all = Vec::new();
    for r in &spec.requests {
        let statik = screaming(&r.name);
        let params_of = screaming(&format!(
            "{}-params",
            r.alias_of.as_deref().unwrap_or(&r.name)
        ));
        let groups_of = screaming(&format!(
            "{}-groups",
            r.alias_of.as_deref().unwrap_or(&r.name)
        ));
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
            let login = screaming(&ses.login);
            let logout = screaming(&ses.logout);
            let result = screaming(&ses.result);
            let results = screaming(&ses.results);
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
