//! Deserialize-and-validate a `LoginOrCreateRequest` from JSON bytes, beside
//! (a) the same bytes into a plain serde struct with no checks and (b) the
//! `jsonschema` crate validating the bytes parsed into a `serde_json::Value`
//! (`is_valid`, and every error rendered, as ours does).
//! `cargo bench -p conformance --bench validate`; results in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::{Value, json};
use stytch_types::otp::whatsapp::LoginOrCreateRequest;

const VALID: &[u8] = br#"{"phone_number":"+12025550162","expiration_minutes":5,"attributes":{"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"},"create_user_as_pending":false,"locale":"pt-br"}"#;
const INVALID: &[u8] = br#"{"phone_number":"12025550162","expiration_minutes":11,"attributes":{"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"},"create_user_as_pending":false,"locale":"de"}"#;

/// The same fields with no checks at all.
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

/// The request schema with the overlay's constraints, as the types enforce it.
fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["phone_number"],
        "properties": {
            "phone_number": {"type": "string", "pattern": "^\\+[1-9][0-9]{1,14}$"},
            "expiration_minutes": {"type": "integer", "minimum": 1, "maximum": 10},
            "attributes": {
                "type": "object",
                "properties": {
                    "ip_address": {"type": "string"},
                    "user_agent": {"type": "string"}
                }
            },
            "create_user_as_pending": {"type": "boolean"},
            "locale": {"type": "string", "enum": ["en", "es", "fr", "pt-br"]}
        }
    })
}

fn bench(c: &mut Criterion) {
    let validator = match jsonschema::validator_for(&schema()) {
        Ok(v) => v,
        Err(e) => panic!("schema does not compile: {e}"),
    };
    // Guard the inputs: the valid payload passes every path, the invalid one fails.
    assert!(serde_json::from_slice::<LoginOrCreateRequest>(VALID).is_ok());
    assert!(serde_json::from_slice::<LoginOrCreateRequest>(INVALID).is_err());
    assert!(validator.is_valid(&serde_json::from_slice::<Value>(VALID).unwrap_or_default()));
    assert!(!validator.is_valid(&serde_json::from_slice::<Value>(INVALID).unwrap_or_default()));

    for (label, bytes) in [("valid", VALID), ("invalid", INVALID)] {
        let mut group = c.benchmark_group(format!("login_or_create_request/{label}"));
        group.bench_function("generated", |b| {
            b.iter(|| serde_json::from_slice::<LoginOrCreateRequest>(black_box(bytes)).is_ok())
        });
        group.bench_function("plain_serde", |b| {
            b.iter(|| serde_json::from_slice::<PlainRequest>(black_box(bytes)).is_ok())
        });
        group.bench_function("jsonschema_value", |b| {
            b.iter(|| {
                serde_json::from_slice::<Value>(black_box(bytes))
                    .map(|v| validator.is_valid(&v))
                    .unwrap_or(false)
            })
        });
        // The same work as ours on the invalid path: every violation found
        // and rendered with its location, not only a yes/no.
        group.bench_function("jsonschema_value_errors", |b| {
            b.iter(|| {
                serde_json::from_slice::<Value>(black_box(bytes)).map(|v| {
                    validator
                        .iter_errors(&v)
                        .map(|e| format!("{}: {e}", e.instance_path()))
                        .collect::<Vec<_>>()
                })
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
