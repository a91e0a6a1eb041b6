//! Generates the DMAPI bindings from `../spec/*.toml` into `OUT_DIR/dmapi.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let spec_dir = manifest_dir.join("..").join("spec");

    // Only the spec is an input. The directory itself is watched so that a new spec file
    // triggers a rebuild too.
    println!("cargo:rerun-if-changed={}", spec_dir.display());
    match dmapi_codegen::spec_files(&spec_dir) {
        Ok(files) => {
            for f in files {
                println!("cargo:rerun-if-changed={}", f.display());
            }
        }
        Err(e) => return fail(&e),
    }

    let code = match dmapi_codegen::generate_dir(&spec_dir) {
        Ok(code) => code,
        Err(e) => return fail(&e),
    };
    let target = out_dir.join("dmapi.rs");
    if let Err(e) = write_if_changed(&target, &code) {
        eprintln!("cannot write {}: {e}", target.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn fail(e: &dmapi_codegen::Error) -> ExitCode {
    eprintln!("{e}");
    ExitCode::FAILURE
}

/// Writes only when the content differs, so an unchanged spec leaves the file's mtime alone.
fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, content)
}
