//! The fuzz targets' properties ([`Target::check`]) over a fixed-seed slice,
//! so the ordinary `cargo test` runs them: the committed corpus
//! (`fuzz/corpus/<target>/`), random bytes, and random mutations of the
//! corpus's JSON (nodes replaced, removed, added or wrapped; a key repeated;
//! the text cut short). Seeds are fixed, so a failure reproduces, shrunk.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use serde_json::{Value, json};
use stytch_fuzz_props::Target;

const BYTE_CASES: u32 = 512;
const MUTATION_CASES: u32 = 1024;

fn corpus_dir(target: Target) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target.name())
}

fn corpus(target: Target) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(target);
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files: Vec<(String, Vec<u8>)> = entries
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (path.display().to_string(), bytes)
        })
        .collect();
    files.sort();
    files
}

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

fn run(runner: &mut TestRunner, strategy: impl Strategy<Value = Vec<u8>>, target: Target) {
    let outcome = runner.run(&strategy, |data| {
        // A panic is the failure; proptest catches it and shrinks the input.
        target.check(&data);
        Ok(())
    });
    match outcome {
        Ok(()) => {}
        Err(TestError::Fail(reason, data)) => panic!(
            "{}: {reason}\nminimal input: {}",
            target.name(),
            String::from_utf8_lossy(&data)
        ),
        Err(e) => panic!("{}: {e}", target.name()),
    }
}

#[test]
fn corpus_holds_the_properties() {
    for target in Target::ALL {
        let files = corpus(target);
        assert!(
            files.len() >= 5,
            "{}: the corpus has {} files",
            target.name(),
            files.len()
        );
        for (name, data) in files {
            if let Err(panic) = std::panic::catch_unwind(|| target.check(&data)) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panic!("{name}: {message}");
            }
        }
    }
}

#[test]
fn random_bytes_hold_the_properties() {
    for (n, target) in Target::ALL.into_iter().enumerate() {
        let mut runner = runner(n as u8 + 1, BYTE_CASES);
        let bytes = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            // Mostly JSON's own bytes, so some inputs get past the first one.
            proptest::collection::vec(
                proptest::sample::select(b"{}[]\":,0123456789.eE-+ntrufalse\\ax".to_vec()),
                0..64
            ),
        ];
        run(&mut runner, bytes, target);
    }
}

/// Keys and values the three schemas mention, and their boundaries.
fn leaf() -> impl Strategy<Value = Value> {
    let values = vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(10),
        json!(11),
        json!(-1),
        json!(i32::MAX),
        json!(i64::from(i32::MAX) + 1),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1.0),
        json!(0.25),
        json!(0.3),
        json!(-10),
        json!(-9.75),
        json!(100),
        json!(100.25),
        json!(1e300),
        json!(""),
        json!("a"),
        json!("x"),
        json!("abcdef"),
        json!("+12025550162"),
        json!("12025550162"),
        json!("en"),
        json!("pt-br"),
        json!("de"),
        json!("2024-02-29"),
        json!("2023-02-29"),
        json!("203.0.113.7"),
        json!([]),
        json!({}),
        json!([1, 2.5]),
        json!({ "k": [1, 2.5] }),
        json!({ "weight": 1 }),
    ];
    proptest::sample::select(values)
}

const KEYS: &[&str] = &[
    "phone_number",
    "expiration_minutes",
    "locale",
    "attributes",
    "ip_address",
    "user_agent",
    "create_user_as_pending",
    "org_policy",
    "roles",
    "role_id",
    "description",
    "permissions",
    "resource_id",
    "actions",
    "tags",
    "pair",
    "choice",
    "present",
    "day",
    "tree",
    "weight",
    "children",
    "x-a",
    "a_very_long_name",
    "extra",
];

/// One change at the `at`-th node (preorder, modulo the count).
#[derive(Debug, Clone)]
enum Op {
    Replace(usize, Value),
    Remove(usize),
    Add(usize, &'static str, Value),
    Wrap(usize),
    RepeatKey(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let at = any::<usize>();
    prop_oneof![
        3 => (at, leaf()).prop_map(|(a, v)| Op::Replace(a, v)),
        2 => at.prop_map(Op::Remove),
        2 => (at, proptest::sample::select(KEYS), leaf()).prop_map(|(a, k, v)| Op::Add(a, k, v)),
        1 => at.prop_map(Op::Wrap),
        1 => at.prop_map(Op::RepeatKey),
    ]
}

/// JSON pointers of every node, preorder.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Stands in for a repeated key until the text is written: serde_json
/// escapes the NUL, so the spelling is unique in the output.
const REPEAT: &str = "\u{0}repeat";

fn apply(mut v: Value, ops: &[Op]) -> (Value, Vec<String>) {
    let mut repeats = Vec::new();
    for op in ops {
        let mut at = Vec::new();
        pointers(&v, String::new(), &mut at);
        let pick = |i: usize| at[i % at.len()].clone();
        match op {
            Op::Replace(i, leaf) => {
                if let Some(node) = v.pointer_mut(&pick(*i)) {
                    *node = leaf.clone();
                }
            }
            Op::Remove(i) => {
                let pointer = pick(*i);
                if let Some((parent, key)) = pointer.rsplit_once('/') {
                    let key = key.replace("~1", "/").replace("~0", "~");
                    match v.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key);
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(n) = key.parse::<usize>() {
                                if n < items.len() {
                                    items.remove(n);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Op::Add(i, key, leaf) => match v.pointer_mut(&pick(*i)) {
                Some(Value::Object(map)) => {
                    map.insert((*key).to_owned(), leaf.clone());
                }
                Some(Value::Array(items)) => items.push(leaf.clone()),
                _ => {}
            },
            Op::Wrap(i) => {
                if let Some(node) = v.pointer_mut(&pick(*i)) {
                    *node = Value::Array(vec![node.take()]);
                }
            }
            Op::RepeatKey(i) => {
                if let Some(Value::Object(map)) = v.pointer_mut(&pick(*i)) {
                    if let Some((key, value)) =
                        map.iter().next().map(|(k, v)| (k.clone(), v.clone()))
                    {
                        if !map.contains_key(REPEAT) {
                            map.insert(REPEAT.to_owned(), value);
                            repeats.push(key);
                        }
                    }
                }
            }
        }
    }
    (v, repeats)
}

/// The mutated value's text: each stand-in becomes the key it repeats.
fn write(v: &Value, repeats: &[String]) -> Vec<u8> {
    let mut text = serde_json::to_string(v).expect("a Value serializes");
    let marker = serde_json::to_string(REPEAT).expect("a string serializes");
    for key in repeats {
        let key = serde_json::to_string(key).expect("a string serializes");
        text = text.replacen(&marker, &key, 1);
    }
    text.into_bytes()
}

#[test]
fn json_mutations_hold_the_properties() {
    for (n, target) in Target::ALL.into_iter().enumerate() {
        let seeds: Vec<Value> = corpus(target)
            .into_iter()
            .filter_map(|(_, data)| serde_json::from_slice::<Value>(&data).ok())
            .filter(|v| v.is_object())
            .collect();
        assert!(
            !seeds.is_empty(),
            "{}: no JSON object in the corpus",
            target.name()
        );
        let mutated = (
            proptest::sample::select(seeds),
            proptest::collection::vec(op(), 1..5),
            proptest::option::weighted(0.1, any::<usize>()),
        )
            .prop_map(|(seed, ops, cut)| {
                let (value, repeats) = apply(seed, &ops);
                let mut text = write(&value, &repeats);
                if let Some(cut) = cut {
                    text.truncate(cut % (text.len() + 1));
                }
                text
            });
        let mut runner = runner(n as u8 + 11, MUTATION_CASES);
        run(&mut runner, mutated, target);
    }
}
