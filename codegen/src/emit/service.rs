//! The server side as a trait: `Service`, a method per request that returns the request's typed
//! output (by default its declared shape with example values), and `AnyRequest::serve`, which
//! calls it and writes the output with the request's generated writer.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, docs, rt};
use crate::plan::{Plan, snake};

/// `trait Service` and `AnyRequest::serve` (the spec must declare its protocol: the default
/// answers are written in it).
pub(crate) fn service(plan: &Plan<'_>) -> TokenStream {
    if plan.protocol.is_none() {
        return TokenStream::new();
    }
    let rt = rt();
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    for rp in plan.requests.iter().filter(|rp| rp.alias_of.is_none()) {
        let r = rp.r;
        let (ty, wire) = (&rp.ty, &r.name);
        let method = snake(&r.name);
        let doc = docs(&format!(
            "Answers `{wire}` ([`{ty}`]). By default: the answer the spec declares, with \
             example values ([`serve::example_output`])."
        ));
        let dep = deprecated_attr(r.deprecated.as_deref());
        methods.push(quote! {
            #doc
            #dep
            fn #method(
                &mut self,
                request: &#ty,
            ) -> Result<<#ty as #rt::Request>::Output, #rt::serve::ServeError> {
                #rt::serve::example_output(request, &metadata::PROTOCOL)
            }
        });
        arms.push(quote! {
            AnyRequest::#ty(r) => {
                Ok(#rt::WriteOutput::write_output(r, &service.#method(r)?, reply)?)
            }
        });
    }
    quote! {
        /// A DMAPI server's answers, request by request: each method returns the request's
        /// typed output, or a [`Refusal`](serve::Refusal) (as
        /// [`ServeError::Refused`](serve::ServeError::Refused)).
        ///
        /// Every method has a default: the answer the spec declares, with example values. So a
        /// server implements the requests it has rules for, and a request added to the spec is
        /// answered in its declared shape without a change to the server.
        /// [`AnyRequest::serve`] dispatches a decoded request to its method and writes the
        /// answer.
        #[allow(deprecated, unused_variables)]
        pub trait Service {
            #(#methods)*
        }

        #[allow(deprecated)]
        impl AnyRequest {
            /// Answers the request with `service`'s method for it, written by the request's
            /// generated writer after the headers of `reply` (the server's status line,
            /// tracking id, ...). A refusal, or an output the format cannot carry, is the
            /// error.
            pub fn serve<S: Service + ?Sized>(
                &self,
                service: &mut S,
                reply: #rt::reply::Reply,
            ) -> Result<String, #rt::serve::ServeError> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
