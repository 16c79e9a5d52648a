//! Property test (issue 24, item 11): every schema the generator accepts
//! compiles warning-free. Nestings of the applicators that the annotation
//! walks (`evaluated_N`, `evaluated_items_N`) follow are generated from a
//! fixed seed, the accepted ones generated together as one standalone crate,
//! and that crate is checked once with warnings denied, so the test costs one
//! cargo run however many schemas it holds.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use stytch_codegen::{Config, SourceFile, Standalone, generate_standalone};

/// How many schemas one run draws.
const SCHEMAS: usize = 160;

/// A subschema with no applicator: a constant schema, an assertion, or a
/// reference (to a `$defs` entry, the root, or the dynamic anchor; relative
/// to the base both resources share, so each resolves from either).
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(true)),
        Just(json!(false)),
        Just(json!({})),
        Just(json!({ "type": "string" })),
        Just(json!({ "required": ["a"] })),
        Just(json!({ "const": 1 })),
        Just(json!({ "minProperties": 1 })),
        Just(json!({ "required": ["all"], "unevaluatedProperties": true })),
        Just(json!({ "unevaluatedItems": true })),
        Just(json!({ "description": "only an annotation" })),
        Just(json!({ "contains": { "unevaluatedItems": true }, "maxContains": 3 })),
        Just(json!({ "patternProperties": { "x": true } })),
        Just(json!({ "patternProperties": { "^(?=x)": {} } })),
        Just(json!({ "additionalProperties": false })),
        Just(json!({ "propertyNames": { "maxLength": 2 } })),
        Just(json!({ "contains": { "type": "string" }, "minContains": 2 })),
        Just(json!({ "$ref": "root.json#/$defs/one" })),
        Just(json!({ "$ref": "root.json#/$defs/two" })),
        Just(json!({ "$ref": "inner.json" })),
        Just(json!({ "$ref": "root.json" })),
        Just(json!({ "$dynamicRef": "#dyn" })),
    ]
}

/// One keyword with its subschemas drawn from `child`.
fn keyword(child: BoxedStrategy<Value>) -> impl Strategy<Value = (String, Value)> {
    let name = prop::sample::select(vec!["a", "b", "c"]);
    let list = prop::collection::vec(child.clone(), 1..4);
    let kw = |k: &str, v: Value| (k.to_owned(), v);
    prop_oneof![
        (name.clone(), child.clone()).prop_map(move |(n, s)| kw("properties", json!({ n: s }))),
        child
            .clone()
            .prop_map(move |s| kw("patternProperties", json!({ "^b": s }))),
        list.clone().prop_map(move |l| kw("allOf", Value::Array(l))),
        list.clone().prop_map(move |l| kw("anyOf", Value::Array(l))),
        list.clone().prop_map(move |l| kw("oneOf", Value::Array(l))),
        list.prop_map(move |l| kw("prefixItems", Value::Array(l))),
        (
            child.clone(),
            prop::option::of(child.clone()),
            prop::option::of(child.clone())
        )
            .prop_map(move |(i, t, e)| {
                let mut m = Map::new();
                m.insert("if".into(), i);
                m.extend(t.map(|t| ("then".to_owned(), t)));
                m.extend(e.map(|e| ("else".to_owned(), e)));
                ("if".to_owned(), Value::Object(m))
            }),
        child.clone().prop_map(move |s| kw("not", s)),
        child
            .clone()
            .prop_map(move |s| kw("additionalProperties", s)),
        child.clone().prop_map(move |s| kw("propertyNames", s)),
        child
            .clone()
            .prop_map(move |s| kw("unevaluatedProperties", s)),
        child.clone().prop_map(move |s| kw("unevaluatedItems", s)),
        child.clone().prop_map(move |s| kw("items", s)),
        child.clone().prop_map(move |s| kw("contains", s)),
        (child.clone(), child.clone())
            .prop_map(move |(s, t)| kw("dependentSchemas", json!({ "a": s, "b": t }))),
        prop::sample::select(vec![
            "root.json#/$defs/one",
            "root.json#/$defs/two",
            "inner.json",
            "root.json",
        ])
        .prop_map(move |r| kw("$ref", json!(r))),
        Just(kw("$dynamicRef", json!("#dyn"))),
    ]
}

/// A schema object of one to four keywords (`if` brings `then`/`else`).
fn node() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |child| {
        prop::collection::vec(keyword(child.boxed()), 1..5).prop_map(|keywords| {
            let mut m = Map::new();
            for (k, v) in keywords {
                match (k.as_str(), v) {
                    ("if", Value::Object(parts)) => m.extend(parts),
                    (_, v) => {
                        m.insert(k, v);
                    }
                }
            }
            Value::Object(m)
        })
    })
}

/// A whole document: a root, two plain `$defs` entries and an embedded
/// resource whose `#dyn` the root's `$dynamicAnchor` overrides.
fn document() -> impl Strategy<Value = Value> {
    (node(), node(), node(), node()).prop_map(|(root, one, two, inner)| {
        let mut doc = match root {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
        let mut inner = match inner {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("anyOf".into(), json!([other]));
                m
            }
        };
        inner.insert("$id".into(), json!("https://example.com/inner.json"));
        inner.insert("$dynamicAnchor".into(), json!("dyn"));
        doc.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        doc.insert("$id".into(), json!("https://example.com/root.json"));
        doc.insert("$dynamicAnchor".into(), json!("dyn"));
        doc.insert(
            "$defs".into(),
            json!({ "one": one, "two": two, "inner": Value::Object(inner) }),
        );
        Value::Object(doc)
    })
}

fn standalone(i: usize, schema: &Value) -> Standalone {
    Standalone::new(
        format!("Nesting{i}"),
        SourceFile {
            name: format!("nesting{i}.json"),
            text: serde_json::to_string_pretty(schema).unwrap_or_default(),
        },
    )
}

#[test]
fn accepted_nestings_compile_under_deny_warnings() {
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = document();
    let config = Config::new().schemars(false);
    let mut accepted = Vec::new();
    let mut drawn = 0;
    // Refusals (a `$ref` cycle that would check one value forever) are
    // the generator's right and are drawn again; a failure to emit is not.
    while accepted.len() < SCHEMAS && drawn < 8 * SCHEMAS {
        drawn += 1;
        let schema = strategy
            .new_tree(&mut runner)
            .expect("a schema is drawn")
            .current();
        let doc = standalone(drawn, &schema);
        match generate_standalone(&config, std::slice::from_ref(&doc)) {
            Ok(_) => accepted.push(doc),
            Err(stytch_codegen::Error::Input(_)) => {}
            Err(e) => panic!("emitting failed on\n{schema:#}\n{e}"),
        }
    }
    assert_eq!(
        accepted.len(),
        SCHEMAS,
        "{drawn} drawn: the strategy draws too many refusals"
    );
    let files = generate_standalone(&config.crate_name("nestings"), &accepted)
        .unwrap_or_else(|e| panic!("nestings accepted alone fail together: {e}"));
    let out = tempfile::tempdir().expect("temp dir");
    stytch_codegen::fs::write_output(out.path(), &files).expect("crate is written");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fixture-crates");
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--all-targets"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if !output.status.success() {
        // Kept, so the failing schema (`src/`, by type name) can be read.
        let kept = out.keep();
        panic!(
            "the generated nestings in {} do not compile cleanly:\n{}",
            kept.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
