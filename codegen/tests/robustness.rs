//! No input makes the generator panic: random mutations of real corpus
//! schemas (dropped fields, changed types, broken refs, deep nesting, huge
//! enums, stray keywords, non-JSON text) give `Ok` or located diagnostics.
//! Skipped, with one line, when `STYTCH_CORPUS` is unset.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use serde_json::{Value, json};
use stytch_codegen::{Config, Input, SourceFile, generate};

static CASES: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

fn corpus() -> Vec<Value> {
    let dir = stytch_codegen::fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}"));
    let Some(dir) = dir else {
        return Vec::new();
    };
    let (input, _) =
        stytch_codegen::fs::read_input(&dir.join("json-schema")).expect("corpus is readable");
    input
        .schemas
        .iter()
        .map(|f| serde_json::from_str(&f.text).expect("corpus files are JSON"))
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop,
    SetType(Value),
    Replace(Value),
    BreakRef(String),
    Nest(usize),
    HugeEnum(usize),
    StrayKeyword(String, Value),
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z$#/~{}\\[\\]^.*+?()|\\\\]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z$]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Drop),
        prop_oneof![
            Just(json!("object")),
            Just(json!("string")),
            Just(json!("integer")),
            Just(json!("array")),
            Just(json!("null")),
            Just(json!(["string", "null"])),
            Just(json!(7)),
        ]
        .prop_map(Mutation::SetType),
        any_json().prop_map(Mutation::Replace),
        "#/components/schemas/[a-zA-Z_]{0,20}|[a-z:/#]{0,20}".prop_map(Mutation::BreakRef),
        (1usize..120).prop_map(Mutation::Nest),
        (1usize..5_000).prop_map(Mutation::HugeEnum),
        (
            prop_oneof![
                Just("minimum".to_owned()),
                Just("pattern".to_owned()),
                Just("allOf".to_owned()),
                Just("format".to_owned()),
                Just("required".to_owned()),
                "[a-zA-Z]{1,10}",
            ],
            any_json()
        )
            .prop_map(|(k, v)| Mutation::StrayKeyword(k, v)),
    ]
}

/// Every object node's JSON pointer, root included.
fn object_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (k, v) in map {
                object_pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                object_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(schema: &mut Value, pick: usize, m: &Mutation) {
    let mut pointers = Vec::new();
    object_pointers(schema, String::new(), &mut pointers);
    if pointers.is_empty() {
        return; // an earlier mutation replaced the whole schema with a scalar
    }
    let pointer = pointers[pick % pointers.len()].clone();
    let Some(node) = schema.pointer_mut(&pointer) else {
        return;
    };
    let Value::Object(map) = node else { return };
    match m {
        Mutation::Drop => {
            if let Some(key) = map.keys().nth(pick % map.len().max(1)).cloned() {
                map.shift_remove(&key);
            }
        }
        Mutation::SetType(t) => {
            map.insert("type".into(), t.clone());
        }
        Mutation::Replace(v) => *node = v.clone(),
        Mutation::BreakRef(r) => {
            map.insert("$ref".into(), Value::String(r.clone()));
        }
        Mutation::Nest(depth) => {
            let mut inner = node.take();
            for i in 0..*depth {
                inner = if i % 2 == 0 {
                    json!({ "type": "array", "items": inner })
                } else {
                    json!({ "type": "object", "properties": { "n": inner } })
                };
            }
            *node = inner;
        }
        Mutation::HugeEnum(n) => {
            let values: Vec<Value> = (0..*n)
                .map(|i| {
                    if i % 97 == 0 {
                        json!(i)
                    } else {
                        json!(format!("v{}", i % 5000))
                    }
                })
                .collect();
            map.insert("enum".into(), Value::Array(values));
        }
        Mutation::StrayKeyword(k, v) => {
            map.insert(k.clone(), v.clone());
        }
    }
}

fn id(schema: &Value) -> &str {
    schema["$id"].as_str().unwrap_or_default()
}

/// Adds `schema` and every schema its `$ref`s reach to `names`.
fn closure(corpus: &[Value], schema: &Value, names: &mut std::collections::BTreeSet<String>) {
    if !names.insert(id(schema).to_owned()) {
        return;
    }
    let mut refs = Vec::new();
    collect_refs(schema, &mut refs);
    for r in refs {
        if let Some(target) = corpus.iter().find(|s| id(s) == r) {
            closure(corpus, target, names);
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// One case: some corpus schemas, a few mutations, sometimes a cut file.
fn case() -> impl Strategy<
    Value = (
        Vec<prop::sample::Index>,
        Vec<(usize, Mutation)>,
        Option<prop::sample::Index>,
    ),
> {
    (
        prop::collection::vec(any::<prop::sample::Index>(), 1..6),
        prop::collection::vec((any::<usize>(), mutation()), 1..4),
        prop::option::weighted(0.1, any::<prop::sample::Index>()),
    )
}

#[test]
fn generate_never_panics_on_mutated_corpus_schemas() {
    let corpus = corpus();
    if corpus.is_empty() {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&case(), |(picks, mutations, truncate)| {
        // Each pick brings the schemas it refers to, so unmutated refs resolve
        // and most cases reach emission rather than stopping at a missing ref.
        let mut names = std::collections::BTreeSet::new();
        for pick in &picks {
            closure(&corpus, &corpus[pick.index(corpus.len())], &mut names);
        }
        let mut schemas: Vec<Value> = corpus
            .iter()
            .filter(|s| names.contains(id(s)))
            .cloned()
            .collect();
        for (i, (pick, m)) in mutations.iter().enumerate() {
            let target = i % schemas.len();
            apply(&mut schemas[target], *pick, m);
        }
        let mut files: Vec<SourceFile> = schemas
            .iter()
            .enumerate()
            .map(|(i, s)| SourceFile {
                name: format!("{i}.json"),
                text: serde_json::to_string_pretty(s).unwrap_or_default(),
            })
            .collect();
        if let Some(cut) = truncate {
            // Not JSON at all: cut a file mid-way (on a char boundary).
            let text = &mut files[0].text;
            let mut at = cut.index(text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        let input = Input {
            schemas: files,
            ..Input::default()
        };
        CASES.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = generate(&Config::default(), &input) {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            // Lowering refuses what cannot be emitted: emitting never fails.
            let stytch_codegen::Error::Input(diagnostics) = error else {
                return Err(TestCaseError::fail(format!("emitting failed: {error}")));
            };
            for d in &diagnostics.0 {
                prop_assert!(!d.message.is_empty());
                prop_assert!(
                    d.file.ends_with(".json"),
                    "diagnostic names no input file: {d}"
                );
                prop_assert!(
                    d.line > 0 || d.message.starts_with("invalid JSON"),
                    "unlocated: {d}"
                );
            }
        }
        Ok(())
    });
    println!(
        "mutated inputs generated: {} ({} refused with diagnostics, the rest Ok)",
        CASES.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
