#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none reply`: see `dmapi_fuzz::targets::reply`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::reply(data));
