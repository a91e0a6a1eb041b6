#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none form`: see `dmapi_fuzz::targets::form`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::form(data));
