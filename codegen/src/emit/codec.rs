//! Expressions that turn values into wire text and back, by spec type: calls of runtime
//! helpers, with the Rust types the plan resolved.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{rt, spelling};
use crate::model::*;
use crate::plan::rust_ty;

/// Expression turning `v: &T` into the wire text (an `impl Into<String>`).
pub(crate) fn encode_value(ty: &ValueType, v: &TokenStream) -> TokenStream {
    let rt = rt();
    match ty {
        ValueType::Flag(s) => {
            let s = spelling(*s);
            quote!(#s.encode(*#v))
        }
        ValueType::List { item, delimiter } => {
            let d = delimiter.to_string();
            // Items as `Cow<str>`, which `join` accepts without copying each one.
            let each = match &**item {
                ValueType::Flag(s) => {
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

/// The decoder the runtime's output readers take for a value of `ty`
/// (`dmapi_runtime::output::CellDecoder`), or `None` for a `FromWire` type
/// (read by the readers' `required` and `optional`). `inline` names the enum of an inline
/// `enum` type.
pub(crate) fn cell_decoder(ty: &ValueType, inline: &Ident) -> Option<TokenStream> {
    let rt = rt();
    match ty {
        ValueType::Flag(sp) => Some(spelling(*sp)),
        ValueType::List { item, delimiter } => {
            let item = cell_decoder(item, inline).unwrap_or_else(|| {
                let t = rust_ty(item, inline);
                quote!(#rt::output::wire::<#t>())
            });
            Some(quote!(#rt::output::list(#delimiter, #item)))
        }
        _ => None,
    }
}

/// The decoder (and encoder) of answer field `f`: [`cell_decoder`] of its type, in double quotes
/// when the spec says `quoted` (then a `FromWire` type is read through `wire::<T>()`).
pub(crate) fn field_decoder(f: &FieldMeta, inline: &Ident) -> Option<TokenStream> {
    let rt = rt();
    let decoder = cell_decoder(&f.ty, inline);
    if !f.quoted {
        return decoder;
    }
    let inner = decoder.unwrap_or_else(|| {
        let t = rust_ty(&f.ty, inline);
        quote!(#rt::output::wire::<#t>())
    });
    Some(quote!(#rt::output::quoted(#inner)))
}

/// Expression turning `s: &str` into `Result<T, Problem>` for request parameter `p`.
pub(crate) fn wire_value(
    ty: &ValueType,
    inline: &Ident,
    p: &ParamMeta,
    s: &TokenStream,
) -> TokenStream {
    let rt = rt();
    let name = &p.name;
    match ty {
        ValueType::Flag(sp) => {
            let sp = spelling(*sp);
            quote!(#rt::decode::flag(#sp, #name, #s))
        }
        ValueType::List { item, delimiter } => {
            let each = wire_value(item, inline, p, &quote!(item));
            quote!(#rt::decode::list(#s, #delimiter, |item| #each))
        }
        ValueType::Zone => quote!(#rt::decode::zone(#s)),
        _ => {
            let t = rust_ty(ty, inline);
            let secret = p.secret;
            quote!(#rt::decode::value::<#t>(#name, #s, #secret))
        }
    }
}
