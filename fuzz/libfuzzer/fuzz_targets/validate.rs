#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none validate`: see `dmapi_fuzz::targets::validate`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::validate(data));
