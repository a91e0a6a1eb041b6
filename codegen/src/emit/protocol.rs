//! The protocol's status codes as a typed enum, from the spec's `[protocol]` table.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, rt};
use crate::model::ProtocolMeta;
use crate::plan::pascal;

/// `StatusCode`: a variant per status code of the spec, `Other(u16)` for the rest.
pub(crate) fn status_code(protocol: &ProtocolMeta) -> TokenStream {
    let variants: Vec<_> = protocol.statuses.iter().map(|s| pascal(&s.name)).collect();
    let codes: Vec<u16> = protocol.statuses.iter().map(|s| s.code).collect();
    let decls = protocol.statuses.iter().zip(&variants).map(|(s, v)| {
        let doc = docs(&format!("{}: {} {}", s.code, s.text, s.doc));
        quote!(#doc #v,)
    });
    let from = variants
        .iter()
        .zip(&codes)
        .map(|(v, c)| quote!(#c => StatusCode::#v,));
    let to = variants
        .iter()
        .zip(&codes)
        .map(|(v, c)| quote!(StatusCode::#v => #c,));
    let rt = rt();
    quote! {
        /// A DMAPI `Status-Code`: the codes the spec's `[protocol]` table lists, or another
        /// number. `StatusCode::from(err.status)` reads the code of an API error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum StatusCode {
            #(#decls)*
            /// Any other code.
            Other(u16),
        }

        impl StatusCode {
            /// The number.
            pub fn code(self) -> u16 {
                match self {
                    #(#to)*
                    StatusCode::Other(n) => n,
                }
            }

            /// Whether the code means success (see `metadata::PROTOCOL.success`).
            pub fn is_success(self) -> bool {
                metadata::PROTOCOL.is_success(self.code())
            }

            /// What the spec says of the code, if it lists it.
            pub fn meta(self) -> Option<&'static #rt::meta::StatusMeta> {
                metadata::PROTOCOL.status(self.code())
            }
        }

        impl From<u16> for StatusCode {
            fn from(code: u16) -> StatusCode {
                match code {
                    #(#from)*
                    n => StatusCode::Other(n),
                }
            }
        }

        impl ::std::fmt::Display for StatusCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }
    }
}
