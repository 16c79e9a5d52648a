//! Differential test: the generated code's verdict against the `jsonschema`
//! crate's (the oracle) on random instances, built from each schema's own
//! vocabulary and by mutating instances known to be valid. Any disagreement
//! fails with the minimal (shrunk) instance.
//!
//! Covers every generated group of the suite in `JSTS_DIR` and the seed
//! family in `schemas/` (as overlaid, which is what the types enforce).

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::Path;

use conformance::groups::{GROUPS, Outcome};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};
use serde_json::{Map, Value, json};

/// Instances per schema; the seed family gets more, having few schemas.
const SUITE_CASES: u32 = 1024;
const SEED_CASES: u32 = 4096;

/// The suite's `remotes/` directory, read for `http://localhost:1234/…` as
/// the build maps it for the generator; nothing else is retrieved.
struct SuiteRemotes;

impl jsonschema::Retrieve for SuiteRemotes {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let rest = uri
            .as_str()
            .strip_prefix("http://localhost:1234/")
            .ok_or_else(|| format!("not a suite remote: {}", uri.as_str()))?;
        let dir = conformance::groups::SUITE_DIR.ok_or("no suite directory")?;
        let text = std::fs::read_to_string(Path::new(dir).join("remotes").join(rest))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// `formats`: whether `format` asserts, as it did when the type was
/// generated (see `conformance::paths::asserts_formats`).
fn oracle(schema: &Value, formats: bool) -> jsonschema::Validator {
    match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(formats)
        .with_retriever(SuiteRemotes)
        // The generator cannot check these formats: in the input it refuses
        // them, and in a referenced document whose dialect has them as
        // annotations (the bundled metaschemas use both) it leaves them so.
        .with_format("uri-reference", |_| true)
        .with_format("regex", |_| true)
        .build(schema)
    {
        Ok(v) => v,
        Err(e) => panic!("the oracle cannot compile {schema}: {e}"),
    }
}

/// Numbers, strings and property names the schema mentions, with their
/// neighbours, so random instances land on the boundaries that matter.
#[derive(Default)]
struct Vocabulary {
    numbers: BTreeSet<String>,
    strings: BTreeSet<String>,
    keys: BTreeSet<String>,
    values: Vec<Value>,
}

impl Vocabulary {
    fn collect(&mut self, v: &Value) {
        match v {
            Value::Number(n) => {
                if let Some(f) = n.as_f64() {
                    for x in [f, f - 1.0, f + 1.0, f + 0.5, -f, f * 2.0] {
                        if let Some(n) = serde_json::Number::from_f64(x) {
                            self.numbers.insert(n.to_string());
                        }
                        if x.fract() == 0.0 && x.abs() < 1e15 {
                            self.numbers.insert(format!("{}", x as i64));
                        }
                    }
                }
            }
            Value::String(s) => {
                self.strings.insert(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|i| self.collect(i)),
            Value::Object(map) => {
                for (k, v) in map {
                    self.keys.insert(k.clone());
                    self.collect(v);
                }
            }
            _ => {}
        }
        if self.values.len() < 64 && !matches!(v, Value::Object(_)) {
            self.values.push(v.clone());
        }
    }

    fn leaf(&self) -> BoxedStrategy<Value> {
        let numbers: Vec<Value> = self
            .numbers
            .iter()
            .filter_map(|n| serde_json::from_str(n).ok())
            .collect();
        let mut strings: Vec<String> = self.strings.iter().cloned().collect();
        strings.extend(self.keys.iter().cloned());
        strings.push(String::new());
        let mut options: Vec<BoxedStrategy<Value>> = vec![
            Just(Value::Null).boxed(),
            any::<bool>().prop_map(Value::Bool).boxed(),
            (-5i64..20).prop_map(Value::from).boxed(),
            any::<i64>().prop_map(Value::from).boxed(),
            (-100i32..100)
                .prop_map(|n| Value::from(f64::from(n) / 4.0))
                .boxed(),
            "[a-z0-9+@.:/ -]{0,12}".prop_map(Value::from).boxed(),
            "\\+[0-9]{0,16}".prop_map(Value::from).boxed(),
            "[\u{e9}\u{1F600}a]{0,4}".prop_map(Value::from).boxed(),
            proptest::sample::select(strings)
                .prop_map(Value::from)
                .boxed(),
        ];
        if !numbers.is_empty() {
            options.push(proptest::sample::select(numbers).boxed());
        }
        if !self.values.is_empty() {
            options.push(proptest::sample::select(self.values.clone()).boxed());
        }
        proptest::strategy::Union::new(options).boxed()
    }

    /// Any JSON value, objects keyed mostly by the schema's property names.
    fn value(&self) -> BoxedStrategy<Value> {
        let mut keys: Vec<String> = self.keys.iter().cloned().collect();
        keys.push("extra".to_owned());
        self.leaf()
            .prop_recursive(3, 24, 4, move |inner| {
                let keys = keys.clone();
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    proptest::collection::vec((proptest::sample::select(keys), inner), 0..4)
                        .prop_map(|entries| Value::Object(
                            entries.into_iter().collect::<Map<_, _>>()
                        )),
                ]
            })
            .boxed()
    }
}

/// Replaces, removes or adds one part of `valid`, chosen by `at`.
fn mutate(valid: &Value, at: usize, kind: u8, with: Value) -> Value {
    let mut out = valid.clone();
    let mut slots = Vec::new();
    pointers(&out, String::new(), &mut slots);
    let target = &slots[at % slots.len()];
    if let Some(node) = out.pointer_mut(target) {
        match (kind % 3, &mut *node) {
            (0, _) => *node = with,
            (1, Value::Object(map)) => {
                let key = map.keys().nth(at % map.len().max(1)).cloned();
                match key {
                    Some(k) => {
                        map.remove(&k);
                    }
                    None => {
                        map.insert("extra".to_owned(), with);
                    }
                }
            }
            (1, Value::Array(items)) => {
                if let Some(first) = items.first().cloned() {
                    items.push(first);
                } else {
                    items.push(with);
                }
            }
            (2, Value::Object(map)) => {
                map.insert(format!("k{}", at % 3), with);
            }
            (2, Value::Array(items)) => items.push(with),
            _ => *node = with,
        }
    }
    out
}

fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{here}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let token = k.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{here}/{token}"), out);
            }
        }
        _ => {}
    }
}

/// Runs `cases` instances; returns how many ran, or the minimal disagreement.
fn differ(
    name: &str,
    schema: &Value,
    valid: &[Value],
    cases: u32,
    formats: bool,
    ours: &dyn Fn(&str) -> Result<(), String>,
) -> Result<u64, String> {
    let validator = oracle(schema, formats);
    let mut vocabulary = Vocabulary::default();
    vocabulary.collect(schema);
    valid.iter().for_each(|v| vocabulary.collect(v));
    let random = vocabulary.value();
    let strategy: BoxedStrategy<Value> = if valid.is_empty() {
        random
    } else {
        let valid = valid.to_vec();
        prop_oneof![
            random,
            (
                proptest::sample::select(valid),
                any::<usize>(),
                any::<u8>(),
                vocabulary.value()
            )
                .prop_map(|(v, at, kind, with)| mutate(&v, at, kind, with)),
        ]
        .boxed()
    };
    let ran = Cell::new(0u64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |instance| {
        ran.set(ran.get() + 1);
        let text = instance.to_string();
        let expected = validator.is_valid(&instance);
        let got = ours(&text);
        prop_assert_eq!(
            got.is_ok(),
            expected,
            "generated code says {:?}, jsonschema says valid={}",
            got,
            expected
        );
        Ok(())
    });
    match result {
        Ok(()) => Ok(ran.get()),
        Err(TestError::Fail(reason, minimal)) => {
            Err(format!("{name}: minimal instance {minimal}: {reason}"))
        }
        Err(TestError::Abort(reason)) => Err(format!("{name}: aborted: {reason}")),
    }
}

#[test]
fn suite_schemas_agree_with_jsonschema() {
    let Some(dir) = conformance::groups::SUITE_DIR else {
        // Under CI a skip would pass a check that never ran.
        stytch_codegen::fs::env_dir_from("JSTS_DIR", None, std::env::var("CI").ok().as_deref())
            .unwrap_or_else(|e| panic!("{e}"));
        println!("differential (suite): JSTS_DIR is not set; skipped");
        return;
    };
    let mut total = 0u64;
    let mut failures = Vec::new();
    let mut schemas = 0;
    let mut skipped = 0;
    for g in GROUPS {
        let Outcome::Generated(check) = g.outcome else {
            continue;
        };
        // A file the build read must still read: silently comparing against
        // a `null` schema would pass for the wrong reason.
        let path = conformance::paths::source_path(Path::new(dir), g.file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let group = &file[g.index];
        assert!(
            group["schema"] != Value::Null,
            "{}: no group {}",
            g.file,
            g.index
        );
        let valid: Vec<Value> = group["tests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["valid"] == json!(true))
            .map(|t| t["data"].clone())
            .collect();
        let name = format!("{} #{} ({})", g.file, g.index, g.description);
        // An oracle that misjudges the suite's own tests (`jsonschema` reads
        // no custom metaschema's `$vocabulary`) cannot judge random ones.
        let formats = conformance::paths::asserts_formats(g.file);
        let validator = oracle(&group["schema"], formats);
        let misjudged = group["tests"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| validator.is_valid(&t["data"]) != (t["valid"] == json!(true)));
        if misjudged {
            println!("differential (suite): skipped {name}: jsonschema disagrees with the suite");
            skipped += 1;
            continue;
        }
        schemas += 1;
        match differ(
            &name,
            &group["schema"],
            &valid,
            SUITE_CASES,
            formats,
            &check,
        ) {
            Ok(n) => total += n,
            Err(e) => failures.push(e),
        }
    }
    println!("differential (suite): {total} instances over {schemas} schemas ({skipped} skipped)");
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
    assert!(total > 0, "no instance ran");
}

fn seed_check<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), String> {
    serde_json::from_str::<T>(json)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn seed_schemas_agree_with_jsonschema() {
    use stytch_types::{attribute, otp};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (input, _) = match stytch_codegen::fs::read_input(&root) {
        Ok(read) => read,
        Err(e) => panic!("cannot read {}: {e}", root.display()),
    };
    let document = match stytch_codegen::effective_document(&input) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let schemas = document["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    // One document holding every component, so their `$ref`s resolve.
    let components: Map<String, Value> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut schema = schema.clone();
            if let Some(obj) = schema.as_object_mut() {
                obj.remove("$id");
                obj.remove("$schema");
            }
            (name.clone(), schema)
        })
        .collect();
    let document = |name: &str| {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": { "schemas": components },
        })
    };
    // Response types keep unknown enum values on purpose (see
    // `lower::mark_closed_enums`), so only request-side types are compared.
    type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;
    let cases: [(&str, Check<'_>, Vec<Value>); 3] = [
        (
            "api_otp_v1_otp_whatsapp_LoginOrCreateRequest",
            &seed_check::<otp::whatsapp::LoginOrCreateRequest>,
            vec![
                json!({"phone_number": "+12025550162"}),
                json!({"phone_number": "+12025550162", "expiration_minutes": 5, "locale": "pt-br",
                       "create_user_as_pending": true,
                       "attributes": {"ip_address": "203.0.113.7", "user_agent": "curl"}}),
            ],
        ),
        (
            "api_attribute_v1_Attributes",
            &seed_check::<attribute::Attributes>,
            vec![json!({"ip_address": "203.0.113.7", "user_agent": "curl"})],
        ),
        (
            "api_otp_v1_LoginOrCreateRequestLocale",
            &seed_check::<otp::LoginOrCreateRequestLocale>,
            vec![json!("en"), json!("es")],
        ),
    ];
    let mut total = 0u64;
    let mut failures = Vec::new();
    for (name, check, valid) in &cases {
        // The Stytch types assert formats (the generator's default).
        match differ(name, &document(name), valid, SEED_CASES, true, check) {
            Ok(n) => total += n,
            Err(e) => failures.push(e),
        }
    }
    println!(
        "differential (seed schemas): {total} instances over {} schemas",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
