//! Lowers a schema that no Rust type states exactly into a [`ValueType`]: a
//! tree of assertion keywords that `emit::value` turns into per-keyword
//! checks on a `serde_json::Value`. Every keyword is honoured, an annotation,
//! or refused with a diagnostic naming it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ANNOTATIONS, At, Lowering, UNSUPPORTED};
use crate::model::{JsonType, Rule, StringFormat, ValueNode, ValueType};
use crate::pattern::Applied;

pub(crate) mod resources;

use resources::{Resources, Target};

/// Keywords that only hold subschemas for `$ref` to reach; their content is
/// lowered when (and only when) something refers to it. `then` and `else`
/// are among them: beside an `if` that keyword lowers them, and without one
/// they assert nothing (draft 2020-12, section 10.2.2).
const CONTAINERS: &[&str] = &["$defs", "definitions", "then", "else"];

/// Keywords that identify schemas for `$ref`; the resource index
/// ([`Resources`]) reads them, and they assert nothing themselves.
const IDENTIFIERS: &[&str] = &["$id", "$anchor"];

/// Keywords that annotate a value and never assert in draft 2020-12
/// (section 8 of the validation vocabulary: content is not validated).
/// `contentSchema` holds a schema, but only as an annotation.
const VALUE_ANNOTATIONS: &[&str] = &["contentMediaType", "contentEncoding", "contentSchema"];

/// Keywords that another one reads: `minContains` and `maxContains` mean
/// nothing without `contains`, which lowers them.
const MODIFIERS: &[&str] = &["minContains", "maxContains"];

/// Keywords whose subschemas apply to a part of the instance (an item, a
/// property's value or name), never to the instance itself. A cycle of
/// `$ref`s through one of them ends, because the instance is finite; every
/// other keyword counts as applying in place, so one added later is refused
/// in a cycle rather than recursing without bound.
const DESCENDING: &[&str] = &[
    "prefixItems",
    "items",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedProperties",
    "contains",
    "unevaluatedItems",
];

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
            pending: Vec::new(),
            current: 0,
            descended: false,
            in_place: Vec::new(),
            ok: true,
        };
        cx.refs.insert(String::new(), 0);
        cx.nodes[0] = cx.node(schema, at);
        cx.lower_targets();
        cx.refuse_in_place_cycles();
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
    /// `$ref` targets given an index but not lowered yet: lowered one after
    /// another, not nested, so a long chain of `$ref`s costs no stack.
    pending: Vec<(usize, String, At)>,
    /// The node being lowered, and whether the subschema being lowered
    /// applies below that node's instance (inside a [`DESCENDING`] keyword)
    /// rather than to the instance itself.
    current: usize,
    descended: bool,
    /// The `$ref`s applied to the same instance as the node holding them.
    in_place: Vec<InPlaceRef>,
    ok: bool,
}

/// A `$ref` that applies its target to the same instance as `from`: a cycle
/// of these would check one value forever.
struct InPlaceRef {
    from: usize,
    to: usize,
    reference: String,
    at: At,
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
        let outer = self.descended;
        self.descended |= DESCENDING.contains(&key);
        let rule = self.keyword_rule(obj, key, value, parent);
        self.descended = outer;
        rule
    }

    fn keyword_rule(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        value: &Value,
        parent: &At,
    ) -> Result<Option<Rule>, ()> {
        let at = &parent.child(key);
        let rule = match key {
            "$schema" => {
                super::check_dialect(value).map_err(|message| self.error(at, message))?;
                return Ok(None);
            }
            k if ANNOTATIONS.contains(&k)
                || VALUE_ANNOTATIONS.contains(&k)
                || CONTAINERS.contains(&k)
                || IDENTIFIERS.contains(&k) =>
            {
                return Ok(None);
            }
            k if MODIFIERS.contains(&k) => {
                // Checked here so a malformed one is reported even alone.
                self.count(value, key, at)?;
                return Ok(None);
            }
            "type" => Rule::Type(self.types(value, at)?),
            "const" => Rule::Const(value.clone()),
            "enum" => match value {
                Value::Array(items) if items.len() > super::MAX_ENUM_VALUES => {
                    return self.fail(at, super::too_many_values(items.len()));
                }
                Value::Array(items) => Rule::Enum(items.clone()),
                _ => return self.fail(at, "`enum` must be an array"),
            },
            "minimum" => Rule::Minimum(self.bound(value, key, at)?),
            "maximum" => Rule::Maximum(self.bound(value, key, at)?),
            "exclusiveMinimum" => Rule::ExclusiveMinimum(self.bound(value, key, at)?),
            "exclusiveMaximum" => Rule::ExclusiveMaximum(self.bound(value, key, at)?),
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
                Value::String(p) => Rule::Pattern(self.regex(p, Applied::Values, at)?),
                _ => return self.fail(at, "`pattern` must be a string"),
            },
            // Draft 2020-12's default: an annotation.
            "format" if !self.lowering.format_assertion => return Ok(None),
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
            "contains" => {
                let node = self.node(value, at).ok_or(())?;
                let min = match obj.get("minContains") {
                    Some(n) => self.count(n, "minContains", &parent.child("minContains"))?,
                    None => 1,
                };
                let max = match obj.get("maxContains") {
                    Some(n) => Some(self.count(n, "maxContains", &parent.child("maxContains"))?),
                    None => None,
                };
                Rule::Contains {
                    node: Box::new(node),
                    min,
                    max,
                }
            }
            "unevaluatedItems" => Rule::UnevaluatedItems(Box::new(self.node(value, at).ok_or(())?)),
            "minProperties" => Rule::MinProperties(self.count(value, key, at)?),
            "maxProperties" => Rule::MaxProperties(self.count(value, key, at)?),
            "dependentRequired" => {
                let Value::Object(deps) = value else {
                    return self.fail(at, "`dependentRequired` must be an object");
                };
                let mut out = Vec::new();
                for (name, names) in deps {
                    match names {
                        Value::Array(items) if items.iter().all(Value::is_string) => out.push((
                            name.clone(),
                            items
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect(),
                        )),
                        _ => {
                            return self.fail(
                                &at.child(name),
                                "each `dependentRequired` entry must be an array of strings",
                            );
                        }
                    }
                }
                Rule::DependentRequired(out)
            }
            "dependentSchemas" => {
                let Value::Object(deps) = value else {
                    return self.fail(at, "`dependentSchemas` must be an object");
                };
                let mut out = Vec::new();
                let mut ok = true;
                for (name, schema) in deps {
                    match self.node(schema, &at.child(name)) {
                        Some(node) => out.push((name.clone(), node)),
                        None => ok = false,
                    }
                }
                if !ok {
                    return Err(());
                }
                Rule::DependentSchemas(out)
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
                    let regex = self.regex(pattern, Applied::Names, &pattern_at);
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
    fn regex(&mut self, pattern: &str, applied: Applied, at: &At) -> Result<String, ()> {
        if self.lowering.pattern(pattern, applied, at) {
            Ok(pattern.to_owned())
        } else {
            self.ok = false;
            Err(())
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

    /// A numeric bound, kept as written so that an integer beyond 2^53
    /// stays exact.
    fn bound(&mut self, value: &Value, key: &str, at: &At) -> Result<serde_json::Number, ()> {
        match value {
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok(n.clone()),
            _ => self.fail(at, format!("`{key}` must be a number")),
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
                    format!("unsupported format {value}: the generator cannot check it yet (formats asserted: email, uri, date-time, date, uuid, ipv4, ipv6, hostname)"),
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
            Target::Refused(message) => {
                // Another file's `$id`: in the input, but not in this schema.
                let elsewhere = self
                    .resources
                    .absolute(reference, &from)
                    .is_some_and(|uri| self.lowering.urls.contains_key(&uri));
                if elsewhere {
                    return self.fail(at, format!("unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"));
                }
                return self.fail(at, message);
            }
        };
        let index = match self.refs.get(&pointer) {
            Some(&index) => index,
            None => {
                // Only subschemas have a base URI; anything else the pointer
                // reaches (a keyword's map, an `enum` item) is not a schema.
                let component = pointer
                    .strip_prefix("/components/schemas/")
                    .filter(|name| self.lowering.doc.components.contains_key(*name));
                if self.root.pointer(&pointer).is_none() && component.is_some() {
                    // It exists, but this kind of type cannot reach it.
                    return self.fail(
                        at,
                        format!("unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"),
                    );
                }
                if self.root.pointer(&pointer).is_none() || self.resources.base(&pointer).is_none()
                {
                    return self.fail(at, format!("`$ref` {reference:?} points to no schema"));
                }
                let index = self.nodes.len();
                self.nodes.push(None);
                let target_at = At {
                    file: self.root_at.file,
                    pointer: format!("{}{pointer}", self.root_at.pointer),
                };
                self.refs.insert(pointer.clone(), index);
                self.pending.push((index, pointer, target_at));
                index
            }
        };
        if !self.descended {
            self.in_place.push(InPlaceRef {
                from: self.current,
                to: index,
                reference: reference.to_owned(),
                at: at.clone(),
            });
        }
        Ok(index)
    }

    /// Lowers every `$ref` target, including those found on the way.
    fn lower_targets(&mut self) {
        while let Some((index, pointer, at)) = self.pending.pop() {
            let Some(target) = self.root.pointer(&pointer) else {
                // `reference` saw it; unreachable, but never a panic.
                self.error(&at, "`$ref` target vanished");
                continue;
            };
            self.current = index;
            self.descended = false;
            let node = self.node(target, &at);
            if let Some(slot) = self.nodes.get_mut(index) {
                *slot = node;
            }
        }
    }

    /// Refuses every cycle of in-place `$ref`s: the generated check would
    /// call itself on the same value forever. Each is reported at the `$ref`
    /// that closes it (depth-first from each node, in lowering order). The
    /// `evaluated_N` functions call each other and the checks only along
    /// in-place `$ref`s too, so without such a cycle they end as well.
    fn refuse_in_place_cycles(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Active,
            Done,
        }
        let count = self.nodes.len();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, e) in self.in_place.iter().enumerate() {
            if let Some(out) = edges.get_mut(e.from) {
                out.push(i);
            }
        }
        let mut marks = vec![Mark::New; count];
        // (closing edge, the nodes of its cycle from the edge's target on)
        let mut closing: Vec<(usize, Vec<usize>)> = Vec::new();
        for start in 0..count {
            if marks[start] != Mark::New {
                continue;
            }
            marks[start] = Mark::Active;
            // Iterative, so a long chain cannot overflow the generator.
            let mut stack = vec![(start, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (node, next) = *top;
                let Some(&edge) = edges[node].get(next) else {
                    marks[node] = Mark::Done;
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                let to = self.in_place[edge].to;
                match marks.get(to) {
                    Some(Mark::New) => {
                        marks[to] = Mark::Active;
                        stack.push((to, 0));
                    }
                    Some(Mark::Active) => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        closing.push((edge, stack[from..].iter().map(|&(n, _)| n).collect()));
                    }
                    Some(Mark::Done) | None => {}
                }
            }
        }
        let mut names = vec![String::new(); count];
        for (pointer, &index) in &self.refs {
            if let Some(name) = names.get_mut(index) {
                *name = format!("{}{pointer}", self.root_at.pointer);
            }
        }
        let name = |index: usize| match names.get(index).map(String::as_str) {
            Some("") | None => "(root)".to_owned(),
            Some(pointer) => pointer.to_owned(),
        };
        // A `$ref` lowered both inline and as a target could close the same
        // cycle twice; one diagnostic per `$ref`.
        let mut reported = std::collections::BTreeSet::new();
        for (edge, cycle) in closing {
            let InPlaceRef { reference, at, .. } = &self.in_place[edge];
            if !reported.insert(at.pointer.clone()) {
                continue;
            }
            let through = if cycle.len() > 1 {
                let chain: Vec<String> = cycle
                    .iter()
                    .chain(cycle.first())
                    .map(|&n| name(n))
                    .collect();
                format!(" ({})", chain.join(" → "))
            } else {
                String::new()
            };
            let message = format!(
                "unsupported: `$ref` {reference:?} loops back to the same value without descending into it{through}; the check would never end"
            );
            let at = at.clone();
            self.error(&at, message);
        }
    }

    /// `at`'s pointer relative to the lowered schema's root.
    fn below_root(&self, at: &At) -> String {
        at.pointer
            .strip_prefix(&self.root_at.pointer)
            .unwrap_or(&at.pointer)
            .to_owned()
    }
}
