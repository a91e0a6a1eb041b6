//! [`Config`]: what to generate and where the runtime is, and the build-script entry point
//! ([`Config::compile`]) that `generated/build.rs` and a user's own `build.rs` both call.

use std::path::{Path, PathBuf};

use proc_macro2::{Spacing, TokenStream, TokenTree};

use crate::{Error, GENERATED_HEADER, Spec, load_dir, spec_files};

/// The path the emitter writes for the runtime crate; [`Config::runtime_path`] replaces it.
const EMITTED_RUNTIME: &str = "dmapi_runtime";

/// Settings for generating Rust from a spec.
///
/// The defaults suit a crate that depends on `dmapi` and adds requests of its own (see the
/// crate docs): generated code reaches the runtime as `::dmapi::runtime`, leaves out the
/// server side and keeps the client side. The `dmapi` crate itself uses
/// `runtime_path("::dmapi_runtime")` and follows its `server` and `client` features.
#[derive(Clone, Debug)]
pub struct Config {
    runtime: String,
    server: bool,
    client: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// Runtime at `::dmapi::runtime`, no server side, the client side.
    pub fn new() -> Self {
        Self {
            runtime: "::dmapi::runtime".into(),
            server: false,
            client: true,
        }
    }

    /// The Rust path generated code names the runtime crate by, e.g. `::dmapi::runtime`
    /// (the default) or `::dmapi_runtime` for a crate that depends on `dmapi-runtime` directly.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// Also emit the server side: a `Decode` impl per request (the request read back from raw
    /// parameters) and `AnyRequest` (every request as one enum). Off by default: only a server
    /// or a fuzzer needs it, and it roughly doubles the code to compile.
    pub fn server_side(mut self, on: bool) -> Self {
        self.server = on;
        self
    }

    /// Also emit the client side, for a spec with a `[session]`: the protocol marker `Dmapi`,
    /// the `Client`, `ClientBuilder` and `Call` aliases and the `Requests` trait. On by
    /// default; it needs the runtime's `client` feature (the `dmapi` crate turns it off with
    /// its own `client` feature, for a build without the HTTP stack).
    pub fn client_side(mut self, on: bool) -> Self {
        self.client = on;
        self
    }

    /// Formatted Rust for a checked spec; starts with [`GENERATED_HEADER`].
    pub fn generate(&self, spec: &Spec) -> Result<String, Error> {
        let path: syn::Path = syn::parse_str(&self.runtime).map_err(|e| {
            Error::Config(format!(
                "runtime path `{}` is not a Rust path: {e}",
                self.runtime
            ))
        })?;
        let tokens = crate::emit::emit(spec, self.server, self.client);
        let tokens = if self.runtime == format!("::{EMITTED_RUNTIME}") {
            tokens
        } else {
            rebase(tokens, &quote::ToTokens::to_token_stream(&path))
        };
        let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Emit(e.to_string()))?;
        Ok(format!(
            "{GENERATED_HEADER}\n\n{}",
            crate::pretty::space_items(&prettyplease::unparse(&file))
        ))
    }

    /// Loads the `*.toml` files of `dir` and generates their Rust.
    pub fn generate_dir(&self, dir: &Path) -> Result<String, Error> {
        self.generate(&load_dir(dir)?)
    }

    /// For a build script: generates `spec_dir` into `$OUT_DIR/<file_name>` (written only when
    /// it changed) and tells cargo to rerun when a spec file changes or one is added. Returns
    /// the written path, to `include!` as `concat!(env!("OUT_DIR"), "/<file_name>")`.
    pub fn compile(&self, spec_dir: impl AsRef<Path>, file_name: &str) -> Result<PathBuf, Error> {
        let spec_dir = spec_dir.as_ref();
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| {
                Error::Config("OUT_DIR is not set: call compile from build.rs".into())
            })?;
        // The directory is watched too, so that a new spec file triggers a rebuild.
        println!("cargo:rerun-if-changed={}", spec_dir.display());
        for f in spec_files(spec_dir)? {
            println!("cargo:rerun-if-changed={}", f.display());
        }
        let code = self.generate_dir(spec_dir)?;
        let target = out_dir.join(file_name);
        write_if_changed(&target, &code).map_err(|source| Error::Io {
            path: target.clone(),
            source,
        })?;
        Ok(target)
    }
}

/// Writes only when the content differs, so an unchanged spec leaves the file's mtime alone.
fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, content)
}

/// Replaces every `::dmapi_runtime` path prefix in `tokens` with `path`.
fn rebase(tokens: TokenStream, path: &TokenStream) -> TokenStream {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tts.len());
    let mut i = 0;
    while i < tts.len() {
        let prefix = matches!(
            (&tts[i], tts.get(i + 1), tts.get(i + 2)),
            (TokenTree::Punct(a), Some(TokenTree::Punct(b)), Some(TokenTree::Ident(id)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint
                    && b.as_char() == ':' && id == EMITTED_RUNTIME
        );
        if prefix {
            out.extend(path.clone());
            i += 3;
            continue;
        }
        out.push(match &tts[i] {
            TokenTree::Group(g) => {
                let mut inner = proc_macro2::Group::new(g.delimiter(), rebase(g.stream(), path));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            tt => tt.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn rebase_replaces_only_the_runtime_prefix() {
        let tokens = quote! {
            impl ::dmapi_runtime::Request for X { fn f(a: ::dmapi_runtime::Form) -> dmapi_runtime {} }
        };
        let path = quote!(::dmapi::runtime);
        let got = rebase(tokens, &path).to_string();
        assert_eq!(
            got,
            quote! {
                impl ::dmapi::runtime::Request for X { fn f(a: ::dmapi::runtime::Form) -> dmapi_runtime {} }
            }
            .to_string()
        );
    }

    #[test]
    fn a_runtime_path_that_is_not_a_path_is_an_error() {
        let spec = crate::load(Vec::new()).expect("an empty spec is valid");
        let err = Config::new()
            .runtime_path("not a path")
            .generate(&spec)
            .unwrap_err();
        assert!(err.to_string().contains("`not a path`"), "{err}");
    }
}
