//! Fuzzing `dmapi`: the targets' bodies, shared by both fuzzers, and (with the `sandbox`
//! feature, on by default) their seed material.
//!
//! The libFuzzer project (`fuzz/libfuzzer`, its own workspace) depends on this crate without
//! default features, so that its instrumented build compiles neither the sandbox (axum, SQLite)
//! nor the HTTP client (rustls); this workspace's lints and tests cover the same code.

#[cfg(feature = "sandbox")]
pub mod seeds;
pub mod targets;
