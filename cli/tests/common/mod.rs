//! Helpers shared by the CLI's test binaries.

// Each test binary compiles this module and uses only part of it.
#[allow(dead_code)]
pub mod tmux;
