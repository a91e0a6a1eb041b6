//! Reads spec files into raw, located structures, then checks and resolves them into
//! the [`Spec`] model. Every problem is collected; nothing stops at the first error.
//!
//! The stages, each in its own module:
//!
//! 1. [`file`]: parse each file once with spans and deserialize each top-level table on its
//!    own into the derived serde types of [`raw`] (through the tolerant plumbing of [`de`]).
//! 2. [`read`] (with [`cx`]): check the shape of those values (missing, unknown and wrongly
//!    typed keys) into the declarations of [`decl`].
//!    A request's wire examples are checked there too ([`examples`]).
//! 3. Resolution: [`types`], then per request [`params`], [`groups`] and [`returns`]
//!    ([`requests`] ties them together), the [`session`] and the [`protocol`], and the Rust names ([`names`]).

mod cx;
mod de;
mod decl;
mod examples;
mod file;
mod groups;
mod located;
mod params;
mod protocol;
mod raw;
mod read;
mod registry;
mod requests;
mod returns;
mod session;
mod suggest;
mod types;

use crate::diag::{Diagnostics, Sink, SourceFile};
use crate::model::Spec;

/// Built-in type names of the spec language.
pub use dmapi_runtime::meta::BUILTIN_TYPES;

/// Loads, checks and resolves spec files (in the order given).
pub fn load(files: Vec<SourceFile>) -> Result<Spec, Diagnostics> {
    let (requests, enums, session, protocol, diags) = {
        let mut sink = Sink::new(&files);
        let mut decls = decl::Decls::default();
        for (i, file) in files.iter().enumerate() {
            file::read_file(&mut sink, i, file, &mut decls);
        }
        let session = session::resolve_session(&mut sink, &decls);
        let protocol = protocol::first(&mut sink, &decls.protocols);
        if let (Some((at, _)), None) = (decls.sessions.first(), &protocol) {
            let message = "a spec with `[session]` needs a `[protocol]` table: the client reads answers with it";
            sink.error(at, message);
        }
        let (requests, enums) = requests::resolve(&mut sink, &decls);
        if let Some(p) = &protocol {
            // A declared success status must read as a success.
            for r in &requests {
                if let Some(code) = r.meta.returns.status.filter(|&c| !p.is_success(c)) {
                    let message = format!(
                        "`{}` answers with `status` {code}, which the protocol's `success` ranges do not count as a success",
                        r.meta.name
                    );
                    sink.error(&r.loc, message);
                }
            }
        }
        let session = session.filter(|s| session::check_session(&mut sink, s, &requests));
        (requests, enums, session, protocol, sink.finish())
    };
    if diags.0.is_empty() {
        Ok(Spec {
            files,
            requests,
            enums,
            session: session.map(|s| s.0),
            protocol,
        })
    } else {
        Err(diags)
    }
}
