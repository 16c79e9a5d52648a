//! Stytch's whole Consumer API (`$STYTCH_CORPUS/json-schema`, 277 schemas):
//! generated in one run as a standalone crate that must build and pass clippy
//! with warnings denied, and whose every type round-trips an instance built
//! from its schema. Skipped, with one line, when `STYTCH_CORPUS` is unset.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};
use stytch_codegen::{Config, Input, effective_document, fs, generate, naming};

fn corpus() -> Option<PathBuf> {
    match fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}")) {
        Some(dir) => Some(dir),
        None => {
            println!("skipped: STYTCH_CORPUS is not set");
            None
        }
    }
}

fn load(dir: &Path) -> Input {
    fs::read_input(&dir.join("json-schema"))
        .expect("corpus is readable")
        .0
}

#[test]
fn every_corpus_schema_generates_in_one_run() {
    let Some(dir) = corpus() else { return };
    let input = load(&dir);
    assert_eq!(input.schemas.len(), 277);
    let files = generate(&Config::default(), &input).unwrap_or_else(|e| panic!("{e}"));
    // Every component is declared, in the file of its top module, under the
    // name the naming rule gives it.
    let doc = effective_document(&input).expect("corpus loads");
    for name in doc["components"]["schemas"]
        .as_object()
        .expect("components")
        .keys()
    {
        let path = naming::type_path(name).expect("corpus names follow the rule");
        let file = format!("{}.rs", path.modules[0]);
        let contents = &files
            .iter()
            .find(|f| f.path == file)
            .unwrap_or_else(|| panic!("{file} is generated"))
            .contents;
        let declared = ["struct", "enum", "type"].iter().any(|kind| {
            contents.contains(&format!("pub {kind} {} ", path.name))
                || contents.contains(&format!("pub {kind} {}(", path.name))
        });
        assert!(
            declared,
            "{name} is not declared as {} in {file}",
            path.display()
        );
    }
}

/// Builds a valid instance of `schema`: every property present, a value that
/// meets each constraint. `response` puts unlisted values in enums and adds
/// an unknown property, which response types must tolerate.
fn instance(doc: &Value, schema: &Value, depth: usize, response: bool) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        // `#/components/schemas/NAME` is a pointer into the effective document.
        let target = doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{r} resolves"));
        return instance(doc, target, depth + 1, response);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return if response {
            json!("value_added_upstream_later")
        } else {
            values[0].clone()
        };
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!("x"),
        Some("boolean") => json!(true),
        Some("integer") => {
            let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(1);
            json!(min.max(1))
        }
        Some("number") => json!(1.5),
        Some("array") => match schema.get("items") {
            Some(items) if depth < 8 => json!([instance(doc, items, depth + 1, response)]),
            _ => json!([]),
        },
        Some("object") | None => {
            let mut out = Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, prop) in props {
                    out.insert(name.clone(), instance(doc, prop, depth + 1, response));
                }
                if response && depth == 0 {
                    out.insert(
                        "field_added_upstream_later".into(),
                        json!({ "any": [1, "two"] }),
                    );
                }
            } else if depth < 8 {
                out.insert("key".into(), json!("value"));
            }
            Value::Object(out)
        }
        Some(other) => panic!("no instance for type {other}"),
    }
}

/// Writes the corpus crate plus a round-trip test, then builds, tests and
/// lints it with warnings denied.
#[test]
fn corpus_crate_builds_lints_and_round_trips() {
    let Some(dir) = corpus() else { return };
    let input = load(&dir);
    let config = Config::new().crate_name("stytch-corpus");
    let files = generate(&config, &input).unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().expect("temp dir");
    fs::write_output(out.path(), &files).expect("crate is written");

    let doc = effective_document(&input).expect("corpus loads");
    let schemas = doc["components"]["schemas"]
        .as_object()
        .expect("components");
    let mut cases = String::new();
    let mut count = 0;
    let mut rejected = 0;
    for (name, schema) in schemas {
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            continue;
        }
        let response = name.ends_with("Response");
        let value = instance(&doc, schema, 0, response);
        let path = naming::type_path(name)
            .expect("corpus names follow the rule")
            .display();
        writeln!(
            cases,
            "    check::<stytch_corpus::{path}>({:?}, {response});",
            value.to_string()
        )
        .expect("write");
        count += 1;
        if name.ends_with("Request") {
            // A request may only carry listed enum values, even of an enum
            // that responses share (and so keep open).
            let mut unlisted = instance(&doc, schema, 0, true);
            if let Some(o) = unlisted.as_object_mut() {
                o.remove("field_added_upstream_later");
            }
            if unlisted != instance(&doc, schema, 0, false) {
                writeln!(
                    cases,
                    "    rejects::<stytch_corpus::{path}>({:?});",
                    unlisted.to_string()
                )
                .expect("write");
                rejected += 1;
            }
        }
    }
    let test = format!(
        "//! Every type round-trips an instance built from its schema.\n\
         fn check<T: serde::Serialize + serde::de::DeserializeOwned>(text: &str, response: bool) {{\n\
         \x20   let mut value: serde_json::Value = serde_json::from_str(text).expect(\"instance\");\n\
         \x20   let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!(\"{{}}: {{e}}\", std::any::type_name::<T>()));\n\
         \x20   if response {{\n\
         \x20       // Unknown fields are tolerated, not kept.\n\
         \x20       value.as_object_mut().map(|o| o.remove(\"field_added_upstream_later\"));\n\
         \x20   }}\n\
         \x20   assert_eq!(serde_json::to_value(&typed).expect(\"serializes\"), value, \"{{}}\", std::any::type_name::<T>());\n\
         }}\n\n\
         fn rejects<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) {{\n\
         \x20   let result = serde_json::from_str::<T>(text);\n\
         \x20   assert!(result.is_err(), \"{{}} accepted unlisted enum values: {{result:?}}\", std::any::type_name::<T>());\n\
         }}\n\n\
         #[test]\n\
         fn every_type_round_trips() {{\n{cases}}}\n"
    );
    std::fs::create_dir_all(out.path().join("tests")).expect("mkdir");
    std::fs::write(out.path().join("tests/roundtrip.rs"), test).expect("write test");
    write_differential(out.path(), &doc);
    println!("round-trip cases: {count}; requests refusing unlisted enum values: {rejected}");
    assert!(
        rejected > 0,
        "the corpus has request enums; none were exercised"
    );

    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus-crate");
    let cargo = |args: &[&str]| {
        let status = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(out.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "`cargo {}` failed on the generated corpus crate",
            args.join(" ")
        );
    };
    cargo(&["test", "--offline", "--quiet", "--", "--nocapture"]);
    cargo(&[
        "clippy",
        "--offline",
        "--quiet",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
}

/// Adds `tests/differential.rs` (from `corpus_crate/`) to the generated
/// crate, with its cases and the components as the oracle reads them, and
/// `jsonschema` as a dev-dependency.
fn write_differential(dir: &Path, doc: &Value) {
    let mut components = doc["components"].clone();
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for schema in schemas.values_mut() {
            if let Value::Object(map) = schema {
                // A label ("#/components/schemas/NAME") the layout already expresses.
                map.remove("$id");
                map.remove("$schema");
            }
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .expect("components");
    let mut cases = String::new();
    for (name, schema) in schemas {
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            continue;
        }
        let valid = instance(doc, schema, 0, false);
        let path = naming::type_path(name)
            .expect("corpus names follow the rule")
            .display();
        // Open enums (outside requests) keep unlisted strings on purpose.
        let strings = name.ends_with("Request");
        writeln!(
            cases,
            "check::<stytch_corpus::{path}>(&mut tally, &components, {name:?}, {:?}, {strings});",
            valid.to_string()
        )
        .expect("write");
    }
    let tests = dir.join("tests");
    // A subdirectory, so cargo does not take the data for test targets.
    let data = tests.join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(data.join("cases.rs"), format!("{{\n{cases}}}\n")).expect("write cases");
    std::fs::write(data.join("components.json"), components.to_string()).expect("write components");
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_crate/differential.rs");
    std::fs::copy(harness, tests.join("differential.rs")).expect("copy harness");
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text.push_str(
        "\n[dev-dependencies]\njsonschema = { version = \"0.61\", default-features = false }\n",
    );
    std::fs::write(manifest, text).expect("write manifest");
}

/// The OpenAPI document and the schema files give the same types: the
/// document's output is the files' output plus the three components only the
/// document has, nothing changed or removed, but in the files (packages)
/// where the document's paths rename a type (a multi-word segment kept
/// whole, a type placed beside its operations: `naming::TypeNames`), which
/// declare the same types under their new paths.
#[test]
fn openapi_document_gives_the_same_types_as_the_schema_files() {
    let Some(dir) = corpus() else { return };
    let from_files = generate(&Config::default(), &load(&dir)).unwrap_or_else(|e| panic!("{e}"));
    // The document has paths too; its operations need the SDK naming table
    // (`users.connected_apps` would be both a function and a group).
    let overlays = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/overlays");
    let (mut openapi, _) = fs::read_openapi(&dir.join("consumer-openapi.yaml"), Some(&overlays))
        .expect("document is readable");
    openapi
        .overlays
        .retain(|o| o.name.ends_with("stytch-sdk-names.json"));
    let mut from_openapi = generate(&Config::default(), &openapi).unwrap_or_else(|e| panic!("{e}"));
    let operations = from_openapi.iter().position(|f| f.path == "operations.rs");
    assert!(
        operations.is_some(),
        "the document's operations are generated"
    );
    from_openapi.retain(|f| f.path != "operations.rs");
    assert_eq!(
        from_files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        from_openapi.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    // The packages holding a component the document's paths rename.
    let doc = effective_document(&openapi).expect("document loads");
    let names = naming::TypeNames::from_document(&doc);
    let renamed: std::collections::BTreeSet<String> = doc["components"]["schemas"]
        .as_object()
        .expect("components")
        .keys()
        .filter_map(|c| {
            let path = names.type_path(c).ok()?;
            (naming::type_path(c).ok()? != path).then(|| format!("{}.rs", path.modules[0]))
        })
        .collect();
    assert!(renamed.contains("connectedapps.rs"), "{renamed:?}");
    let mut inserted = String::new();
    for (a, b) in from_files.iter().zip(&from_openapi) {
        if renamed.contains(&a.path) {
            let declared = |text: &str| -> std::collections::BTreeSet<String> {
                text.lines()
                    .map(str::trim_start)
                    .filter(|l| {
                        ["pub struct ", "pub enum ", "pub type "]
                            .iter()
                            .any(|k| l.starts_with(k))
                    })
                    .map(str::to_owned)
                    .collect()
            };
            let (ours, theirs) = (declared(&a.contents), declared(&b.contents));
            let lacking: Vec<&String> = ours.difference(&theirs).collect();
            assert!(
                lacking.is_empty(),
                "{}: the OpenAPI output lacks {lacking:?}",
                a.path
            );
            for only in theirs.difference(&ours) {
                inserted.push_str(only);
                inserted.push('\n');
            }
            continue;
        }
        let diff = similar::TextDiff::from_lines(&a.contents, &b.contents);
        for change in diff.iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Equal => {}
                similar::ChangeTag::Insert => inserted.push_str(change.value()),
                similar::ChangeTag::Delete => {
                    panic!("{}: the OpenAPI output lacks {:?}", a.path, change.value())
                }
            }
        }
    }
    for only_in_document in [
        "RotateCancelResponse",
        "RotateResponse",
        "RotateStartResponse",
    ] {
        assert!(
            inserted.contains(&format!("pub struct {only_in_document} ")),
            "{only_in_document} missing"
        );
    }
}
