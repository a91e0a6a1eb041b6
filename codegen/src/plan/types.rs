//! The Rust type of a spec type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Request, ValueType};

use super::pascal;

/// Rust type of a value; `inline` names the enum of an inline `enum` type.
pub(crate) fn rust_ty(ty: &ValueType, inline: &Ident) -> TokenStream {
    let rt = quote!(::dmapi_runtime);
    match ty {
        ValueType::Int { .. } => quote!(i64),
        ValueType::Enum { name: Some(n), .. } => {
            let id = pascal(n);
            quote!(#id)
        }
        ValueType::Enum { name: None, .. } => quote!(#inline),
        ValueType::Flag(_) => quote!(bool),
        ValueType::List { item, .. } => {
            let item = rust_ty(item, inline);
            quote!(Vec<#item>)
        }
        // The runtime's table says which type each built-in one is.
        simple => match simple.builtin().map(|b| b.rust) {
            Some("String") | None => quote!(String),
            Some(path) if path.starts_with("::") => path.parse().unwrap_or_else(|_| quote!(String)),
            Some(name) => {
                let id = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                quote!(#rt::#id)
            }
        },
    }
}

/// Whether `ty` is the named enum `name` or a list of it.
pub(crate) fn uses_enum(ty: &ValueType, name: &str) -> bool {
    match ty {
        ValueType::Enum { name: Some(n), .. } => n == name,
        ValueType::List { item, .. } => uses_enum(item, name),
        _ => false,
    }
}

/// Whether an answer of `r` (any case, or its result) has a field of the named enum `name`.
pub(crate) fn answer_uses_enum(r: &Request, name: &str) -> bool {
    let answers = std::iter::once(&r.returns).chain(r.returns.cases.iter().map(|c| &c.returns));
    let fields = answers.flat_map(|ret| {
        let extra = ret.extra_columns.iter().flat_map(|e| e.columns.iter());
        (ret.columns.iter().chain(extra))
            .chain(ret.keys.iter())
            .chain(ret.headers.iter())
    });
    fields
        .chain(r.result.keys.iter())
        .any(|f| uses_enum(&f.ty, name))
}
