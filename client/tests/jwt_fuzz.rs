//! The session-JWT reader (`stytch_client::jwt::fuzz_read`: split, header,
//! payload, registered and Stytch claims) never panics, on a fixed-seed
//! slice of what `fuzz/fuzz_targets/jwt.rs` explores: the committed corpus
//! (`fuzz/corpus/jwt/`), random bytes, and tokens built from random JSON
//! (so that the claim checks, which random bytes almost never reach, are
//! exercised too). A panic fails the test with the input, shrunk.

use std::path::Path;

use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use serde_json::{json, Map, Value};
use stytch_client::jwt::fuzz_read;

fn runner(seed: u8, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

fn run(runner: &mut TestRunner, strategy: impl Strategy<Value = Vec<u8>>) {
    match runner.run(&strategy, |data| {
        fuzz_read(&data);
        Ok(())
    }) {
        Ok(()) => {}
        Err(TestError::Fail(reason, data)) => panic!(
            "{reason}\nminimal input: {}",
            String::from_utf8_lossy(&data)
        ),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_corpus_reads_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/jwt");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fuzz_read(&bytes);
        count += 1;
    }
    assert!(count >= 5, "the corpus has {count} files");
}

#[test]
fn random_bytes_never_panic() {
    run(
        &mut runner(1, 1024),
        proptest::collection::vec(any::<u8>(), 0..512),
    );
}

#[test]
fn random_dotted_base64_never_panics() {
    let part = "[A-Za-z0-9_=+/-]{0,64}";
    let strategy = (part, part, part).prop_map(|(h, p, s)| format!("{h}.{p}.{s}").into_bytes());
    run(&mut runner(2, 1024), strategy);
}

/// Any JSON value, small.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A claim name Stytch's tokens use, or any other.
fn claim_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "iss",
            "aud",
            "sub",
            "exp",
            "nbf",
            "iat",
            "jti",
            "https://stytch.com/session",
            "https://stytch.com/organization",
        ])
        .prop_map(str::to_owned),
        ".{0,8}",
    ]
}

#[test]
fn tokens_of_random_json_never_panic() {
    let header = prop_oneof![
        json_value(),
        (json_value(), json_value()).prop_map(|(alg, kid)| json!({"alg": alg, "kid": kid})),
        Just(json!({"alg": "RS256", "kid": "k"})),
    ];
    // Plausible claims, each possibly replaced by any JSON.
    let valid = json!({
        "iss": "stytch.com/project-test-fuzz",
        "aud": ["project-test-fuzz"],
        "sub": "user-test-1",
        "iat": 1_700_000_000_u64,
        "nbf": 1_700_000_000_u64,
        "exp": 1_700_000_300_u64,
        "https://stytch.com/session": {"id": "s", "authentication_factors": [], "roles": []},
    });
    let payload =
        proptest::collection::vec((claim_name(), json_value()), 0..4).prop_map(move |changes| {
            let mut claims: Map<String, Value> = valid.as_object().cloned().unwrap_or_default();
            for (name, value) in changes {
                claims.insert(name, value);
            }
            Value::Object(claims)
        });
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let strategy = (header, payload).prop_map(move |(h, p)| {
        format!(
            "{}.{}.AAAA",
            b64.encode(h.to_string()),
            b64.encode(p.to_string())
        )
        .into_bytes()
    });
    run(&mut runner(3, 1024), strategy);
}
