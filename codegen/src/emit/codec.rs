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

/// Expression turning `s: &str` into `Result<T, OutputError>` for output field `name`.
/// In tables (`line`), messages start with the row's payload line.
pub(crate) fn decode_value(
    ty: &ValueType,
    inline: &Ident,
    s: &TokenStream,
    name: &str,
    line: bool,
) -> TokenStream {
    let rt = rt();
    let msg = |what: TokenStream| {
        if line {
            quote!(format!("line {}: {}", row.number(), #what))
        } else {
            quote!(#what.to_string())
        }
    };
    match ty {
        ValueType::Flag(sp) => {
            let sp = spelling(*sp);
            let m = msg(quote!(format_args!("`{}` is not a flag value", #s)));
            quote!(#sp.decode(#s).ok_or_else(|| #rt::OutputError::new(Self::NAME, #name, #m, env)))
        }
        ValueType::List { item, delimiter } => {
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
