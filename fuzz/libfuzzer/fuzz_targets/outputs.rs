#![no_main]
//! `cargo fuzz run --fuzz-dir fuzz/libfuzzer -s none outputs`: see `dmapi_fuzz::targets::outputs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dmapi_fuzz::targets::outputs(data));
