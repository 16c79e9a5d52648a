//! Lowers a schema that no Rust type states exactly into a [`ValueType`]: a
//! tree of assertion keywords that `emit::value` turns into per-keyword
//! checks on a `serde_json::Value`. Every keyword is honoured, an annotation,
//! or refused with a diagnostic naming it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ANNOTATIONS, At, Lowering, UNSUPPORTED};
use crate::model::{JsonType, Rule, StringFormat, ValueNode, ValueType};

mod resources;

use resources::{Resources, Target};

/// Keywords that only hold subschemas for `$ref` to reach; their content is
/// lowered when (and only when) something refers to it. `then` and `else`
/// are among them: beside an `if` that keyword lowers them, and without one
/// they assert nothing (draft 2020-12, section 10.2.2).
const CONTAINERS: &[&str] = &["$defs", "definitions", "then", "else"];

/// Keywords that identify schemas for `$ref`; the resource index
/// ([`Resources`]) reads them, and they assert nothing themselves.
const IDENTIFIERS: &[&str] = &["$id", "$anchor"];

impl Lowering<'_> {
    /// `schema` is the whole document (`#` resolves to it); `None` when some
    /// keyword cannot be enforced, with every such keyword reported.
    pub(super) fn value_type(&mut self, schema: &Value, at: &At) -> Option<ValueType> {
        let mut index_errors = Vec::new();
        let resources = Resources::index(schema, &mut index_errors);
        if !index_errors.is_empty() {
            for e in index_errors {
                let at = At {
                    file: at.file,
                    pointer: format!("{}{}", at.pointer, e.pointer),
                };
                self.error(&at, e.message);
            }
            return None;
        }
        let mut cx = ValueLowering {
            lowering: self,
            root: schema,
            root_at: at.clone(),
            resources,
            refs: BTreeMap::new(),
            nodes: vec![None],
            ok: true,
        };
        cx.refs.insert(String::new(), 0);
        let root = cx.node(schema, at);
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
    /// The document's `$id`s and `$anchor`s, and the base URI of each subschema.
    resources: Resources,
    /// `$ref` target pointer (decoded, below the root) → node index.
    refs: BTreeMap<String, usize>,
    nodes: Vec<Option<ValueNode>>,
    ok: bool,
}

impl ValueLowering<'_, '_, '_> {
    fn error(&mut self, at: &At, message: impl Into<String>) {
        self.ok = false;
        self.lowering.error(at, message);
    }

    fn node(&mut self, schema: &Value, at: &At) -> Option<ValueNode> {
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
            match self.keyword(obj, key, value, at) {
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

    /// One keyword of the schema `obj` at `parent`: `Ok(None)` for
    /// annotations and keywords another one consumes, `Err` once reported.
    fn keyword(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        value: &Value,
        parent: &At,
    ) -> Result<Option<Rule>, ()> {
        let at = &parent.child(key);
        let rule = match key {
            k if ANNOTATIONS.contains(&k)
                || CONTAINERS.contains(&k)
                || IDENTIFIERS.contains(&k) =>
            {
                return Ok(None);
            }
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
                Value::String(p) => Rule::Pattern(self.regex(p, at)?),
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
                let node = self.node(value, at).ok_or(())?;
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
                    match self.node(schema, &at.child(name)) {
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
            "patternProperties" => {
                let Value::Object(patterns) = value else {
                    return self.fail(at, "`patternProperties` must be an object");
                };
                let mut out = Vec::new();
                let mut ok = true;
                for (pattern, schema) in patterns {
                    let pattern_at = at.child(pattern);
                    let regex = self.regex(pattern, &pattern_at);
                    match (regex, self.node(schema, &pattern_at)) {
                        (Ok(regex), Some(node)) => out.push((regex, node)),
                        _ => ok = false,
                    }
                }
                if !ok {
                    return Err(());
                }
                Rule::PatternProperties(out)
            }
            "additionalProperties" => {
                // Applies to the names neither sibling matches; both are
                // checked (and reported) by their own keyword.
                let known = obj
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                let patterns = obj
                    .get("patternProperties")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                let node = self.node(value, at).ok_or(())?;
                Rule::AdditionalProperties {
                    known,
                    patterns,
                    node: Box::new(node),
                }
            }
            "propertyNames" => Rule::PropertyNames(Box::new(self.node(value, at).ok_or(())?)),
            "unevaluatedProperties" => {
                Rule::UnevaluatedProperties(Box::new(self.node(value, at).ok_or(())?))
            }
            "if" => {
                let condition = self.node(value, at);
                let then = self.optional_node(obj, "then", parent);
                let otherwise = self.optional_node(obj, "else", parent);
                Rule::IfThenElse {
                    condition: Box::new(condition.ok_or(())?),
                    then: then?.map(Box::new),
                    otherwise: otherwise?.map(Box::new),
                }
            }
            "allOf" => Rule::AllOf(self.schema_list(value, key, at)?),
            "anyOf" => Rule::AnyOf(self.schema_list(value, key, at)?),
            "oneOf" => Rule::OneOf(self.schema_list(value, key, at)?),
            "not" => Rule::Not(Box::new(self.node(value, at).ok_or(())?)),
            "$ref" => Rule::Ref(self.reference(value, parent, at)?),
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

    /// The sibling subschema `key` of `obj` (at `parent`), lowered if present.
    fn optional_node(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        parent: &At,
    ) -> Result<Option<ValueNode>, ()> {
        match obj.get(key) {
            Some(schema) => self.node(schema, &parent.child(key)).map(Some).ok_or(()),
            None => Ok(None),
        }
    }

    /// An ECMA-262 pattern, compiled once here so that generated code (with
    /// the same engine and flags) never meets one it cannot compile.
    fn regex(&mut self, pattern: &str, at: &At) -> Result<String, ()> {
        match regress::Regex::with_flags(pattern, "u") {
            Ok(_) => Ok(pattern.to_owned()),
            Err(e) => {
                let message = format!(
                    "invalid ECMA-262 regular expression {pattern:?}: {}",
                    e.to_string().to_lowercase()
                );
                self.fail(at, message)
            }
        }
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
            match self.node(schema, &at.child(&i.to_string())) {
                Some(node) => out.push(node),
                None => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    /// A reference, resolved against the base URI in effect at `parent` (the
    /// schema holding it): each distinct target is lowered once, as a node of
    /// its own, so references (and recursion through them) cost one call.
    fn reference(&mut self, value: &Value, parent: &At, at: &At) -> Result<usize, ()> {
        let Some(reference) = value.as_str() else {
            return self.fail(at, "`$ref` must be a string");
        };
        let from = self.below_root(parent);
        let pointer = match self.resources.resolve(reference, &from) {
            Target::Found(pointer) => pointer,
            Target::Refused(message) => return self.fail(at, message),
        };
        if let Some(&index) = self.refs.get(&pointer) {
            return Ok(index);
        }
        // Only subschemas have a base URI; anything else the pointer reaches
        // (a keyword's map, an `enum` item) is not a schema.
        let target = match self.root.pointer(&pointer) {
            Some(target) if self.resources.base(&pointer).is_some() => target,
            _ => return self.fail(at, format!("`$ref` {reference:?} points to no schema")),
        };
        let index = self.nodes.len();
        self.refs.insert(pointer.clone(), index);
        self.nodes.push(None);
        let target_at = At {
            file: self.root_at.file,
            pointer: format!("{}{pointer}", self.root_at.pointer),
        };
        let node = self.node(target, &target_at).ok_or(())?;
        self.nodes[index] = Some(node);
        Ok(index)
    }

    /// `at`'s pointer relative to the lowered schema's root.
    fn below_root(&self, at: &At) -> String {
        at.pointer
            .strip_prefix(&self.root_at.pointer)
            .unwrap_or(&at.pointer)
            .to_owned()
    }
}
