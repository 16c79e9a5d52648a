//! Lowers a schema that no Rust type states exactly into a [`ValueType`]: a
//! tree of assertion keywords that `emit::value` turns into per-keyword
//! checks on a `serde_json::Value`. Every keyword is honoured, an annotation,
//! or refused with a diagnostic naming it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ANNOTATIONS, At, Lowering, UNSUPPORTED};
use crate::model::{JsonType, Rule, StringFormat, ValueNode, ValueType};

/// Keywords that only hold subschemas for `$ref` to reach; their content is
/// lowered when (and only when) something refers to it.
const CONTAINERS: &[&str] = &["$defs", "definitions"];

impl Lowering<'_> {
    /// `schema` is the whole document (`#` resolves to it); `None` when some
    /// keyword cannot be enforced, with every such keyword reported.
    pub(super) fn value_type(&mut self, schema: &Value, at: &At) -> Option<ValueType> {
        let mut cx = ValueLowering {
            lowering: self,
            root: schema,
            root_at: at.clone(),
            refs: BTreeMap::new(),
            nodes: vec![None],
            ok: true,
        };
        cx.refs.insert(String::new(), 0);
        let root = cx.node(schema, at, true);
        cx.nodes[0] = root;
        if !cx.ok {
            return None;
        }
        let nodes = cx.nodes.into_iter().collect::<Option<Vec<_>>>()?;
        Some(ValueType {
            nodes,
            schema: schema.clone(),
        })
    }
}

struct ValueLowering<'l, 'a, 'v> {
    lowering: &'l mut Lowering<'a>,
    root: &'v Value,
    root_at: At,
    /// `$ref` target pointer (decoded, as written below the root) → node index.
    refs: BTreeMap<String, usize>,
    nodes: Vec<Option<ValueNode>>,
    ok: bool,
}

impl ValueLowering<'_, '_, '_> {
    fn error(&mut self, at: &At, message: impl Into<String>) {
        self.ok = false;
        self.lowering.error(at, message);
    }

    fn node(&mut self, schema: &Value, at: &At, is_root: bool) -> Option<ValueNode> {
        let obj = match schema {
            Value::Bool(true) => return Some(ValueNode::Any),
            Value::Bool(false) => return Some(ValueNode::Nothing),
            Value::Object(obj) => obj,
            other => {
                self.error(
                    at,
                    format!("a schema must be an object or a boolean, found {other}"),
                );
                return None;
            }
        };
        let mut rules = Vec::new();
        let mut ok = true;
        for (key, value) in obj {
            let key_at = at.child(key);
            match self.keyword(obj, key, value, &key_at, is_root) {
                Ok(Some(rule)) => rules.push(rule),
                Ok(None) => {}
                Err(()) => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(if rules.is_empty() {
            ValueNode::Any
        } else {
            ValueNode::Rules(rules)
        })
    }

    /// One keyword: `Ok(None)` for annotations and keywords another one
    /// consumes, `Err` once reported.
    fn keyword(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &At,
        is_root: bool,
    ) -> Result<Option<Rule>, ()> {
        let rule = match key {
            "$id" if !is_root => {
                self.error(
                    at,
                    "unsupported keyword `$id` below the root: it changes the base of `$ref`",
                );
                return Err(());
            }
            k if ANNOTATIONS.contains(&k) || CONTAINERS.contains(&k) => return Ok(None),
            "type" => Rule::Type(self.types(value, at)?),
            "const" => Rule::Const(value.clone()),
            "enum" => match value {
                Value::Array(items) => Rule::Enum(items.clone()),
                _ => return self.fail(at, "`enum` must be an array"),
            },
            "minimum" => Rule::Minimum(self.number(value, key, at)?),
            "maximum" => Rule::Maximum(self.number(value, key, at)?),
            "exclusiveMinimum" => Rule::ExclusiveMinimum(self.number(value, key, at)?),
            "exclusiveMaximum" => Rule::ExclusiveMaximum(self.number(value, key, at)?),
            "multipleOf" => {
                let n = self.number(value, key, at)?;
                if n <= 0.0 {
                    return self.fail(at, "`multipleOf` must be greater than 0");
                }
                Rule::MultipleOf(n)
            }
            "minLength" => Rule::MinLength(self.count(value, key, at)?),
            "maxLength" => Rule::MaxLength(self.count(value, key, at)?),
            "minItems" => Rule::MinItems(self.count(value, key, at)?),
            "maxItems" => Rule::MaxItems(self.count(value, key, at)?),
            "pattern" => match value {
                Value::String(p) => {
                    if let Err(e) = regress::Regex::with_flags(p, "u") {
                        let message = format!(
                            "invalid ECMA-262 regular expression {p:?}: {}",
                            e.to_string().to_lowercase()
                        );
                        return self.fail(at, message);
                    }
                    Rule::Pattern(p.clone())
                }
                _ => return self.fail(at, "`pattern` must be a string"),
            },
            "format" => Rule::Format(self.format(value, at)?),
            "uniqueItems" => match value {
                Value::Bool(true) => Rule::UniqueItems,
                Value::Bool(false) => return Ok(None),
                _ => return self.fail(at, "`uniqueItems` must be a boolean"),
            },
            "prefixItems" => Rule::PrefixItems(self.schema_list(value, key, at)?),
            "items" => {
                let prefix = obj
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let node = self.node(value, at, false).ok_or(())?;
                Rule::Items {
                    prefix,
                    node: Box::new(node),
                }
            }
            "properties" => {
                let Value::Object(props) = value else {
                    return self.fail(at, "`properties` must be an object");
                };
                let mut out = Vec::new();
                let mut ok = true;
                for (name, schema) in props {
                    match self.node(schema, &at.child(name), false) {
                        Some(node) => out.push((name.clone(), node)),
                        None => ok = false,
                    }
                }
                if !ok {
                    return Err(());
                }
                Rule::Properties(out)
            }
            "required" => match value {
                Value::Array(items) if items.iter().all(Value::is_string) => Rule::Required(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                ),
                _ => return self.fail(at, "`required` must be an array of strings"),
            },
            "additionalProperties" => {
                if obj.contains_key("patternProperties") {
                    // Reported by `patternProperties` itself; the two interact.
                    return Err(());
                }
                let known = obj
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                let node = self.node(value, at, false).ok_or(())?;
                Rule::AdditionalProperties {
                    known,
                    node: Box::new(node),
                }
            }
            "allOf" => Rule::AllOf(self.schema_list(value, key, at)?),
            "anyOf" => Rule::AnyOf(self.schema_list(value, key, at)?),
            "oneOf" => Rule::OneOf(self.schema_list(value, key, at)?),
            "not" => Rule::Not(Box::new(self.node(value, at, false).ok_or(())?)),
            "$ref" => Rule::Ref(self.reference(value, at)?),
            other => {
                let message = if UNSUPPORTED.contains(&other) {
                    format!("unsupported keyword `{other}`: the generator cannot enforce it yet")
                } else {
                    format!("unknown keyword `{other}`")
                };
                return self.fail(at, message);
            }
        };
        Ok(Some(rule))
    }

    fn fail<T>(&mut self, at: &At, message: impl Into<String>) -> Result<T, ()> {
        self.error(at, message);
        Err(())
    }

    fn types(&mut self, value: &Value, at: &At) -> Result<Vec<JsonType>, ()> {
        let names: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let mut out = Vec::new();
        for name in names {
            let t = match name.as_str() {
                Some("null") => JsonType::Null,
                Some("boolean") => JsonType::Boolean,
                Some("object") => JsonType::Object,
                Some("array") => JsonType::Array,
                Some("number") => JsonType::Number,
                Some("integer") => JsonType::Integer,
                Some("string") => JsonType::String,
                _ => return self.fail(at, format!("unknown type {name}")),
            };
            out.push(t);
        }
        Ok(out)
    }

    fn number(&mut self, value: &Value, key: &str, at: &At) -> Result<f64, ()> {
        match value.as_f64() {
            Some(n) => Ok(n),
            None => self.fail(at, format!("`{key}` must be a number")),
        }
    }

    fn count(&mut self, value: &Value, key: &str, at: &At) -> Result<u64, ()> {
        let n = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19)
                .map(|f| f as u64)
        });
        match n {
            Some(n) => Ok(n),
            None => self.fail(at, format!("`{key}` must be a non-negative integer")),
        }
    }

    fn format(&mut self, value: &Value, at: &At) -> Result<StringFormat, ()> {
        Ok(match value.as_str() {
            Some("email") => StringFormat::Email,
            Some("uri") => StringFormat::Uri,
            Some("date-time") => StringFormat::DateTime,
            Some("date") => StringFormat::Date,
            Some("uuid") => StringFormat::Uuid,
            Some("ipv4") => StringFormat::Ipv4,
            Some("ipv6") => StringFormat::Ipv6,
            Some("hostname") => StringFormat::Hostname,
            _ => {
                return self.fail(
                    at,
                    format!("unsupported format {value}: the generator cannot check it yet"),
                );
            }
        })
    }

    fn schema_list(&mut self, value: &Value, key: &str, at: &At) -> Result<Vec<ValueNode>, ()> {
        let Value::Array(items) = value else {
            return self.fail(at, format!("`{key}` must be an array of schemas"));
        };
        if items.is_empty() {
            return self.fail(at, format!("`{key}` must not be empty"));
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, schema) in items.iter().enumerate() {
            match self.node(schema, &at.child(&i.to_string()), false) {
                Some(node) => out.push(node),
                None => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    /// A local reference: each distinct target is lowered once, as a node of
    /// its own, so references (and recursion through them) cost one call.
    fn reference(&mut self, value: &Value, at: &At) -> Result<usize, ()> {
        let Some(reference) = value.as_str() else {
            return self.fail(at, "`$ref` must be a string");
        };
        let Some(fragment) = reference.strip_prefix('#') else {
            return self.fail(
                at,
                format!("unsupported `$ref` {reference:?}: only local references (\"#…\") are resolved here"),
            );
        };
        let Some(pointer) = percent_decode(fragment) else {
            return self.fail(
                at,
                format!("`$ref` {reference:?} is not valid percent-encoding"),
            );
        };
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return self.fail(
                at,
                format!("unsupported `$ref` {reference:?}: anchors are not resolved"),
            );
        }
        if let Some(&index) = self.refs.get(&pointer) {
            return Ok(index);
        }
        let Some(target) = self.root.pointer(&pointer) else {
            return self.fail(at, format!("`$ref` {reference:?} points to no schema"));
        };
        let index = self.nodes.len();
        self.refs.insert(pointer.clone(), index);
        self.nodes.push(None);
        let target_at = At {
            file: self.root_at.file,
            pointer: format!("{}{pointer}", self.root_at.pointer),
        };
        let node = self.node(target, &target_at, false).ok_or(())?;
        self.nodes[index] = Some(node);
        Ok(index)
    }
}

/// Decodes `%XX` escapes (URI fragments percent-encode JSON pointers).
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
