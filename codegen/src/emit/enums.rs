//! Enums of wire values: closed on the request side, open (`Unknown`) on the answer side.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rt};
use crate::plan::EnumPlan;

/// Emits a request-side enum (closed: only values the spec knows can be sent).
pub(crate) fn request_enum(e: &EnumPlan<'_>) -> TokenStream {
    let rt = rt();
    let (name, values, variants) = (&e.ident, e.values, &e.variants);
    let doc = docs(&e.doc);
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
pub(crate) fn response_enum(e: &EnumPlan<'_>) -> TokenStream {
    let rt = rt();
    let (name, values, variants) = (&e.ident, e.values, &e.variants);
    let doc = docs(&e.doc);
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
        impl #rt::ToWire for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
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
