//! Compile-time guarantees of the generated API: a correct program compiles with
//! `#![deny(warnings)]`; a missing required parameter, a wrong value type, both sides of
//! an exclusive group and a DNSSEC key built without being checked do not compile. Refresh the expected compiler output with
//! `TRYBUILD=overwrite cargo test -p dmapi-ui-tests --test trybuild` after reviewing it.

#[test]
fn generated_api_compile_checks() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
