//! Compiled inside the generated corpus crate by `codegen/tests/corpus.rs`
//! (it is not a test of this package): for every corpus type, a valid
//! instance and its mutations (each property removed, each value replaced by
//! one of every JSON kind) are judged by the generated type and by the
//! `jsonschema` crate; any disagreement fails with the instance.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[derive(Default)]
struct Tally {
    instances: usize,
    disagreements: Vec<String>,
}

/// Pointers of every node down to `depth` levels.
fn pointers(value: &Value, at: String, depth: usize, out: &mut Vec<String>) {
    out.push(at.clone());
    if depth == 0 {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), depth - 1, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), depth - 1, out);
            }
        }
        _ => {}
    }
}

/// The valid instance, then for each node: removed (when a member), and
/// replaced by each kind of JSON value. `strings` is false for types whose
/// enums are open, where an unlisted string is accepted on purpose.
fn mutations(valid: &Value, strings: bool) -> Vec<Value> {
    let replacements = [json!(null), json!(true), json!(-1), json!(0), json!(1.5), json!([]), json!({}), json!("s")];
    let mut at = Vec::new();
    pointers(valid, String::new(), 4, &mut at);
    let mut out = vec![valid.clone()];
    for pointer in at {
        if let Some((parent, key)) = pointer.rsplit_once('/') {
            let mut removed = valid.clone();
            if let Some(Value::Object(map)) = removed.pointer_mut(parent) {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
                out.push(removed);
            }
        }
        for replacement in &replacements {
            if replacement.is_string() && !strings {
                continue;
            }
            let mut changed = valid.clone();
            if let Some(node) = changed.pointer_mut(&pointer) {
                *node = replacement.clone();
                out.push(changed);
            }
        }
    }
    out
}

fn check<T: DeserializeOwned>(tally: &mut Tally, components: &Value, name: &str, valid: &str, strings: bool) {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": components,
    });
    let validator = match jsonschema::draft202012::new(&schema) {
        Ok(v) => v,
        Err(e) => panic!("{name}: the oracle cannot compile the schema: {e}"),
    };
    let valid: Value = serde_json::from_str(valid).unwrap_or_else(|e| panic!("{name}: {e}"));
    for instance in mutations(&valid, strings) {
        let generated = serde_json::from_value::<T>(instance.clone()).is_ok();
        let oracle = validator.is_valid(&instance);
        tally.instances += 1;
        if generated != oracle {
            tally
                .disagreements
                .push(format!("{name}: generated {generated}, jsonschema {oracle}, on {instance}"));
        }
    }
}

#[test]
fn generated_types_agree_with_jsonschema() {
    let components: Value = serde_json::from_str(include_str!("data/components.json")).expect("components");
    let mut tally = Tally::default();
    include!("data/cases.rs");
    println!("differential instances: {}", tally.instances);
    assert!(
        tally.disagreements.is_empty(),
        "{} disagreements; first: {}",
        tally.disagreements.len(),
        tally.disagreements[0]
    );
}
