//! `cargo fuzz run -s none jwt`: the session-JWT reader of
//! `stytch_client::jwt` never panics (`client/tests/jwt_fuzz.rs` runs a
//! fixed-seed slice of the same under `cargo test`).
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stytch_client::jwt::fuzz_read(data));
