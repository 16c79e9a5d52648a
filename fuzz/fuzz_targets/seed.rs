//! `cargo fuzz run -s none seed`: the properties of `stytch_fuzz_props` on
//! `Target::Seed`.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use stytch_fuzz_props::Target;

fuzz_target!(|data: &[u8]| Target::Seed.check(data));
