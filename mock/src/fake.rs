//! Default responses: an instance of the response schema, built from the
//! schemas the generator embedded (`generated/schemas.rs`), deterministic for
//! a seed, with plausible values chosen by field name (`user_id` →
//! `user-test-…`).

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

type Schemas = Map<String, Value>;

/// The embedded response schemas, parsed on first use.
pub(crate) fn schemas() -> Result<&'static Schemas, String> {
    static PARSED: OnceLock<Result<Schemas, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            serde_json::from_str(crate::generated::schemas::SCHEMAS)
                .map_err(|e| format!("embedded response schemas are not JSON: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Nesting below which optional properties and array items are left out,
/// so that recursive schemas end.
const FULL_DEPTH: usize = 4;
/// Past this nesting, a `$ref` cycle with required properties is cut.
const MAX_DEPTH: usize = 32;

pub(crate) struct Faker<'s> {
    schemas: &'s Schemas,
    state: u64,
    /// Whether optional properties are filled in (else only required ones).
    full: bool,
}

impl<'s> Faker<'s> {
    pub fn new(schemas: &'s Schemas, seed: u64, full: bool) -> Self {
        Faker {
            schemas,
            state: seed,
            full,
        }
    }

    /// An instance of the component `name`.
    pub fn component(&mut self, name: &str) -> Value {
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        self.value(&schema, "", 0)
    }

    /// splitmix64: small, deterministic, good enough for test ids.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A UUID-shaped hex id, as Stytch's ids end.
    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn value(&mut self, schema: &Value, name: &str, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            return match self.schemas.get(target) {
                Some(resolved) => self.value(resolved, name, depth + 1),
                None => Value::Null,
            };
        }
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
            return first.clone();
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(combinator).and_then(|e| e.get(0)) {
                return self.value(first, name, depth);
            }
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in parts {
                match self.value(part, name, depth) {
                    Value::Object(fields) => merged.extend(fields),
                    other => return other,
                }
            }
            return Value::Object(merged);
        }
        let kind = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            // No type: an object, which any `{}` schema admits.
            _ => "object",
        };
        match kind {
            "object" => self.object(schema, depth),
            "array" => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let count = if self.full && depth < FULL_DEPTH {
                    min.max(1)
                } else {
                    min
                };
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                Value::Array(
                    (0..count)
                        .map(|_| self.value(&items, name, depth + 1))
                        .collect(),
                )
            }
            "string" => Value::String(self.string(schema, name)),
            "integer" => json!(self.number(schema, name).round() as i64),
            "number" => json!(self.number(schema, name)),
            "boolean" => Value::Bool(false),
            _ => Value::Null,
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Map::new();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Value::Object(out);
        };
        for (name, property) in properties {
            let wanted = required.contains(&name.as_str()) || (self.full && depth < FULL_DEPTH);
            if wanted {
                let value = self.value(property, name, depth + 1);
                out.insert(name.clone(), value);
            }
        }
        Value::Object(out)
    }

    fn string(&mut self, schema: &Value, name: &str) -> String {
        let format = schema.get("format").and_then(Value::as_str);
        let mut text = match (name, format) {
            (_, Some("date-time")) => "2026-01-01T00:00:00Z".to_owned(),
            (_, Some("date")) => "2026-01-01".to_owned(),
            (_, Some("uuid")) => self.uuid(),
            (_, Some("email")) => "sandbox@stytch.com".to_owned(),
            (_, Some("uri")) => "https://example.com/".to_owned(),
            ("request_id", _) => format!("request-id-test-{}", self.uuid()),
            (n, _) if n.ends_with("_id") => {
                format!(
                    "{}-test-{}",
                    n.trim_end_matches("_id").replace('_', "-"),
                    self.uuid()
                )
            }
            (n, _) if n.contains("email") => "sandbox@stytch.com".to_owned(),
            (n, _) if n.contains("phone_number") => "+12025550162".to_owned(),
            (n, _) if n.ends_with("_at") || n.ends_with("_time") || n == "expires_at" => {
                "2026-01-01T00:00:00Z".to_owned()
            }
            (n, _) if n.ends_with("url") || n.ends_with("uri") => "https://example.com/".to_owned(),
            (n, _) if n.contains("token") || n.contains("jwt") || n.contains("secret") => {
                format!("{}-test-{}", n.replace('_', "-"), self.uuid())
            }
            (n, _) if n.contains("name") => "Example".to_owned(),
            _ => "example".to_owned(),
        };
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        while text.chars().count() < min {
            text.push('x');
        }
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
        text
    }

    fn number(&mut self, schema: &Value, name: &str) -> f64 {
        let preferred: f64 = match name {
            "status_code" => 200.0,
            _ => 1.0,
        };
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        let mut value = preferred;
        if let Some(min) = bound("minimum") {
            value = value.max(min);
        }
        if let Some(min) = bound("exclusiveMinimum") {
            value = value.max(min + 1.0);
        }
        if let Some(max) = bound("maximum") {
            value = value.min(max);
        }
        if let Some(max) = bound("exclusiveMaximum") {
            value = value.min(max - 1.0);
        }
        value
    }
}
