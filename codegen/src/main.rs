//! `dmapi-codegen`: print the Rust generated from a spec, or check a spec.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: dmapi-codegen <emit|docs|check> [SPEC_DIR]

  emit   print the generated Rust for SPEC_DIR (default: spec)
  docs   print the request reference in markdown (docs/requests.md)
  check  check SPEC_DIR and report every error as file:line:column";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, dir) = match args.as_slice() {
        [cmd] => (cmd.as_str(), PathBuf::from("spec")),
        [cmd, dir] => (cmd.as_str(), PathBuf::from(dir)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        "emit" => dmapi_codegen::generate_dir(&dir).map(|code| print!("{code}")),
        "docs" => {
            dmapi_codegen::load_dir(&dir).map(|spec| print!("{}", dmapi_codegen::reference(&spec)))
        }
        "check" => dmapi_codegen::load_dir(&dir).map(|spec| {
            let aliases = spec
                .requests
                .iter()
                .filter(|r| r.alias_of.is_some())
                .count();
            println!(
                "{}: {} requests ({} aliases), no errors",
                dir.display(),
                spec.requests.len(),
                aliases
            );
        }),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("unknown command `{other}`\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
