//! `cargo fuzz run -s none value`: the properties of `stytch_fuzz_props` on
//! `Target::Value`.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use stytch_fuzz_props::Target;

fuzz_target!(|data: &[u8]| Target::Value.check(data));
