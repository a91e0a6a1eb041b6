//! The Rust type of a spec type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::Type;

use super::pascal;

/// Rust type of a value; `inline` names the enum of an inline `enum` type.
pub(crate) fn rust_ty(ty: &Type, inline: &Ident) -> TokenStream {
    let rt = quote!(::dmapi_runtime);
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

/// Whether `ty` is the named enum `name` or a list of it.
pub(crate) fn uses_enum(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Enum { name: Some(n), .. } => n == name,
        Type::List { item, .. } => uses_enum(item, name),
        _ => false,
    }
}
