#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none envelope`: see `dmapi_fuzz::targets::envelope`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::envelope(data));
