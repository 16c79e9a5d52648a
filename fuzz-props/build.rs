//! Writes two things into `OUT_DIR`, both from the generator itself:
//! - `value/`: the value-validated type `ValueCase` generated from
//!   `schemas/value.json` (a newtype over `serde_json::Value` with one
//!   generated check per keyword), the crate root includes it;
//! - `components.json`: the Stytch document's `components` as the generator
//!   reads them (overlays applied), the oracle's schema.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use stytch_codegen::{Config, SourceFile, Standalone, generate_standalone};

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());

    let value_schema = manifest.join("schemas/value.json");
    println!("cargo::rerun-if-changed={}", value_schema.display());
    let text = std::fs::read_to_string(&value_schema)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", value_schema.display())));
    let config = Config::new()
        .regenerate_command("cargo build -p stytch-fuzz-props")
        .schemars(false);
    let doc = Standalone::new(
        "ValueCase",
        SourceFile {
            name: "fuzz-props/schemas/value.json".to_owned(),
            text,
        },
    );
    let files = generate_standalone(&config, &[doc]).unwrap_or_else(|d| fail(&d.to_string()));
    let generated = out.join("value");
    let _ = std::fs::remove_dir_all(&generated);
    if let Err(e) = stytch_codegen::fs::write_output(&generated, &files) {
        fail(&format!("cannot write generated code: {e}"));
    }

    let schemas = manifest.join("../schemas");
    println!("cargo::rerun-if-changed={}", schemas.display());
    let (input, _) = stytch_codegen::fs::read_input(&schemas)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", schemas.display())));
    let doc = stytch_codegen::effective_document(&input).unwrap_or_else(|d| fail(&d.to_string()));
    let mut components = doc.get("components").cloned().unwrap_or(Value::Null);
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        for schema in schemas.values_mut() {
            if let Value::Object(map) = schema {
                // `$id` here is a label ("#/components/schemas/NAME") that the
                // document layout already expresses.
                map.remove("$id");
                map.remove("$schema");
            }
        }
    }
    assert_format_ranges(&mut components);
    let text = serde_json::to_string(&components).unwrap_or_else(|e| fail(&e.to_string()));
    if let Err(e) = std::fs::write(out.join("components.json"), text) {
        fail(&format!("cannot write components.json: {e}"));
    }
}

/// The generated code refuses an integer outside its `format` (`int32`,
/// `int64`), which `jsonschema` reads as an annotation (CONFORMANCE.md): the
/// oracle's copy states the range as `minimum`/`maximum` in an `allOf`, so
/// the two judge the same constraint.
fn assert_format_ranges(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let range = match map.get("format").and_then(Value::as_str) {
                Some("int32") => Some(json!({ "minimum": i32::MIN, "maximum": i32::MAX })),
                Some("int64") => Some(json!({ "minimum": i64::MIN, "maximum": i64::MAX })),
                _ => None,
            };
            for child in map.values_mut() {
                assert_format_ranges(child);
            }
            if let Some(range) = range {
                match map.get_mut("allOf") {
                    Some(Value::Array(all)) => all.push(range),
                    _ => {
                        map.insert("allOf".to_owned(), json!([range]));
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(assert_format_ranges),
        _ => {}
    }
}

fn fail(message: &str) -> ! {
    for line in message.lines() {
        println!("cargo::error={line}");
    }
    std::process::exit(1)
}
