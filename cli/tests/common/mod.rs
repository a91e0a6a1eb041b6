//! Helpers shared by the CLI's test binaries: the binary isolated from the caller's own
//! environment, and a real terminal (`tmux`).
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod tmux;

use std::process::Command;

/// What would let the caller's own setup reach the binary: credentials, a profile, colour.
const CALLERS_ENV: &[&str] = &[
    "DMAPI_API_KEY",
    "DMAPI_USERNAME",
    "DMAPI_PASSWORD",
    "DMAPI_PROFILE",
    "NO_COLOR",
];

/// A config file that is never there, so no profile of the caller's is read.
const NO_CONFIG: &str = "/nonexistent/dmapi-test/config.toml";

/// The `dmapi` binary with none of the caller's credentials, profiles or colour settings.
pub fn dmapi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dmapi"));
    for var in CALLERS_ENV {
        c.env_remove(var);
    }
    c.env("DMAPI_CONFIG", NO_CONFIG);
    c
}

/// A `sh` script, for a terminal, that runs `dmapi ARGS` isolated as [`dmapi`] is, with `env`
/// set, then prints `EXIT=<code>` and waits to be read.
pub fn script(args: &[&str], env: &[(&str, &str)]) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut out = format!(
        "unset {}\nDMAPI_CONFIG={}",
        CALLERS_ENV.join(" "),
        quote(NO_CONFIG)
    );
    for (k, v) in env {
        out.push_str(&format!(" {k}={}", quote(v)));
    }
    out.push_str(&format!(" {}", quote(env!("CARGO_BIN_EXE_dmapi"))));
    for a in args {
        out.push_str(&format!(" {}", quote(a)));
    }
    out.push_str("\necho EXIT=$?\nsleep 600\n");
    out
}
