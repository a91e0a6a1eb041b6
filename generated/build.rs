//! Generates the DMAPI bindings from `spec/*.toml` into `OUT_DIR/dmapi.rs`.
//!
//! In the repository `generated/spec` is a symlink to the top-level `spec/`, the one source;
//! `cargo package` stores the files it points to, so the published crate carries the spec.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let config = dmapi_codegen::Config::new()
        .runtime_path("::dmapi_runtime")
        .server_side(std::env::var_os("CARGO_FEATURE_SERVER").is_some())
        .client_side(std::env::var_os("CARGO_FEATURE_CLIENT").is_some());
    match config.compile(manifest_dir.join("spec"), "dmapi.rs") {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
