#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none zone`: see `dmapi_fuzz::targets::zone`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::zone(data));
