//! The `validate` bench's two serde contenders in a plain loop, for counting
//! instructions when the machine is too loaded for wall-clock figures:
//! `perf stat -e instructions:u target/release/examples/validate_count
//! generated valid 100000` (BENCHMARKS.md). Same payloads as the bench.

use std::hint::black_box;

use serde::Deserialize;
use stytch_types::otp::whatsapp::LoginOrCreateRequest;

const VALID: &[u8] = br#"{"phone_number":"+12025550162","expiration_minutes":5,"attributes":{"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"},"create_user_as_pending":false,"locale":"pt-br"}"#;
const INVALID: &[u8] = br#"{"phone_number":"12025550162","expiration_minutes":11,"attributes":{"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"},"create_user_as_pending":false,"locale":"de"}"#;

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainAttributes {
    ip_address: Option<String>,
    user_agent: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainRequest {
    phone_number: String,
    expiration_minutes: Option<i32>,
    attributes: Option<PlainAttributes>,
    create_user_as_pending: Option<bool>,
    locale: Option<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (contender, payload, n) = match args.as_slice() {
        [c, p, n] => (c.as_str(), p.as_str(), n.parse::<u64>().unwrap_or(0)),
        _ => {
            eprintln!("usage: validate_count generated|plain_serde valid|invalid ITERATIONS");
            std::process::exit(2);
        }
    };
    // On the heap, so both contenders read a buffer of the same alignment
    // in every build (UTF-8 validation's count depends on it; a `static`
    // lands wherever the linker puts it).
    let bytes = if payload == "valid" { VALID } else { INVALID }.to_vec();
    let mut ok = 0u64;
    for _ in 0..n {
        let accepted = match contender {
            "generated" => {
                serde_json::from_slice::<LoginOrCreateRequest>(black_box(&bytes)).is_ok()
            }
            _ => serde_json::from_slice::<PlainRequest>(black_box(&bytes)).is_ok(),
        };
        ok += u64::from(accepted);
    }
    println!("{ok} of {n} accepted");
}
