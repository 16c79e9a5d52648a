//! `cargo fuzz run -s none deep`: the properties of `stytch_fuzz_props` on
//! `Target::Deep`.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use stytch_fuzz_props::Target;

fuzz_target!(|data: &[u8]| Target::Deep.check(data));
