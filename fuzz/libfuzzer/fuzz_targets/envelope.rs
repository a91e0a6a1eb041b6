#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none envelope`: see `dmapi_libfuzzer::envelope`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_libfuzzer::envelope(data));
