//! Emits Rust tokens for a checked [`Spec`] from its [`Plan`]: request types, enums, output
//! types, the `Request` impls, the `metadata` table the sandbox and the CLI use, the client
//! methods and (server side) `Decode`, `WriteOutput` and `AnyRequest`. Every name comes from the plan.

mod bake;
mod client;
mod codec;
mod decode;
mod enums;
mod metadata;
mod output;
mod protocol;
mod request;
mod result;
mod service;
mod write;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::*;
use crate::plan::Plan;

pub(crate) fn rt() -> TokenStream {
    quote!(::dmapi_runtime)
}

/// `#[doc]` attributes, one per line, prose wrapped ([`crate::pretty::doc_lines`]); code
/// fences become ```` ```text ```` so rustdoc does not compile DMAPI examples as Rust.
pub(crate) fn docs(text: &str) -> TokenStream {
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
        let line = if fenced { line } else { escape_tags(&line) };
        let s = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        out.extend(quote!(#[doc = #s]));
    }
    out
}

/// The spec's source tags (`[EXT]`, `[RCP]`) as text: rustdoc would read them as links.
fn escape_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let tag = after
            .find(']')
            .filter(|&end| end > 0 && after[..end].bytes().all(|b| b.is_ascii_uppercase()))
            .filter(|&end| !after[end + 1..].starts_with('('));
        match tag {
            Some(end) => {
                out.push_str("\\[");
                out.push_str(&after[..end]);
                out.push_str("\\]");
                rest = &after[end + 1..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn spelling(s: FlagSpelling) -> TokenStream {
    let rt = rt();
    match s {
        FlagSpelling::ZeroOne => quote!(#rt::meta::FlagSpelling::ZeroOne),
        FlagSpelling::YesNo => quote!(#rt::meta::FlagSpelling::YesNo),
        FlagSpelling::YN => quote!(#rt::meta::FlagSpelling::YN),
        FlagSpelling::OneY => quote!(#rt::meta::FlagSpelling::OneY),
    }
}

pub(crate) fn deprecated_attr(d: Option<&str>) -> TokenStream {
    match d {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}

pub(crate) fn is_plain_string(ty: &ValueType) -> bool {
    matches!(ty, ValueType::String | ValueType::Text)
}

/// The tokens of a spec; `server` adds what only a server needs (`Decode`, `WriteOutput`,
/// `AnyRequest`), `client` what only a client needs (`Client`, `Requests`).
pub(crate) fn emit(spec: &Spec, server: bool, client: bool) -> TokenStream {
    let plan = Plan::of(spec);
    let mut items = TokenStream::new();
    for e in &plan.enums {
        items.extend(match e.open {
            true => enums::response_enum(e),
            false => enums::request_enum(e),
        });
    }
    for rp in &plan.requests {
        items.extend(match rp.alias_of {
            Some(_) => request::alias(&plan, rp),
            None => request::request(&plan, rp, server),
        });
    }
    items.extend(metadata::metadata(spec, &plan));
    if server {
        items.extend(decode::any_request(&plan));
        items.extend(service::service(&plan));
    }
    items.extend(client::client(&plan, client));
    items
}
