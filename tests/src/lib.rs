//! Conformance tests for the dmapi workspace; see `tests/`.
//!
//! The README is included below so that its usage example is compiled and run as a doctest
//! and cannot drift from the generated API.
#![doc = include_str!("../../README.md")]
