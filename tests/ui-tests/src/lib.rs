//! Compile-time checks of the generated `dmapi` API; the cases are in `ui/`, the runner in
//! `tests/trybuild.rs`. A package of its own so that trybuild's project builds `dmapi` and
//! nothing else of the test suite.
