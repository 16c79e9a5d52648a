//! Lowers a schema that no Rust type states exactly into a [`ValueType`]: a
//! tree of assertion keywords that `emit::value` turns into per-keyword
//! checks on a `serde_json::Value`. Every keyword is honoured, an annotation,
//! or refused with a diagnostic naming it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{ANNOTATIONS, At, Lowering, UNSUPPORTED};
use crate::model::{JsonType, Rule, StringFormat, ValueNode, ValueType};
use crate::pattern::Applied;

pub(crate) mod resources;

use resources::{Loc, Resources, Target};

/// The dynamic scope as far as `$dynamicRef` can see it: each
/// `$dynamicAnchor` name → the outermost resource entered so far that
/// declares it (draft 2020-12 §8.2.3.2). The same subschema reached under
/// two scopes is lowered twice, so generated code needs no scope at run time.
type Scope = BTreeMap<String, String>;

/// The vocabularies in effect in a resource, from the `$vocabulary` of the
/// metaschema its `$schema` names. Keywords of a vocabulary left out assert
/// nothing.
#[derive(Clone, Copy, Debug)]
struct Vocabulary {
    applicator: bool,
    unevaluated: bool,
    validation: bool,
    /// The dialect is known and formats are annotations there (format-
    /// annotation without format-assertion): in a referenced document, a
    /// format the generator cannot check is then an annotation, not refused.
    /// Known formats are checked.
    formats_annotate: bool,
    /// The metaschema declares the format-assertion vocabulary (required or
    /// not: the generator supports it), so `format` asserts whatever the
    /// configuration's default.
    formats_assert: bool,
}

impl Vocabulary {
    /// No metaschema read: every keyword the generator knows applies.
    const ALL: Vocabulary = Vocabulary {
        applicator: true,
        unevaluated: true,
        validation: true,
        formats_annotate: false,
        formats_assert: false,
    };

    fn asserts(&self, keyword: &str) -> bool {
        const APPLICATOR: &[&str] = &[
            "prefixItems",
            "items",
            "contains",
            "additionalProperties",
            "properties",
            "patternProperties",
            "dependentSchemas",
            "propertyNames",
            "if",
            "then",
            "else",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
        ];
        const UNEVALUATED: &[&str] = &["unevaluatedItems", "unevaluatedProperties"];
        const VALIDATION: &[&str] = &[
            "type",
            "const",
            "enum",
            "multipleOf",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "maxContains",
            "minContains",
            "maxProperties",
            "minProperties",
            "required",
            "dependentRequired",
        ];
        if APPLICATOR.contains(&keyword) {
            self.applicator
        } else if UNEVALUATED.contains(&keyword) {
            self.unevaluated
        } else if VALIDATION.contains(&keyword) {
            self.validation
        } else {
            true
        }
    }
}

/// The draft 2020-12 vocabularies, by URI.
const VOCABULARIES: &[&str] = &[
    "https://json-schema.org/draft/2020-12/vocab/core",
    "https://json-schema.org/draft/2020-12/vocab/applicator",
    "https://json-schema.org/draft/2020-12/vocab/unevaluated",
    "https://json-schema.org/draft/2020-12/vocab/validation",
    "https://json-schema.org/draft/2020-12/vocab/meta-data",
    "https://json-schema.org/draft/2020-12/vocab/format-annotation",
    "https://json-schema.org/draft/2020-12/vocab/format-assertion",
    "https://json-schema.org/draft/2020-12/vocab/content",
];

/// Keywords that only hold subschemas for `$ref` to reach; their content is
/// lowered when (and only when) something refers to it. `then` and `else`
/// are among them: beside an `if` that keyword lowers them, and without one
/// they assert nothing (draft 2020-12, section 10.2.2).
const CONTAINERS: &[&str] = &["$defs", "definitions", "then", "else"];

/// Keywords that identify schemas for `$ref`; the resource index
/// ([`Resources`]) reads them, and they assert nothing themselves.
const IDENTIFIERS: &[&str] = &["$id", "$anchor", "$dynamicAnchor", "$vocabulary"];

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
        let mut cx = ValueLowering {
            lowering: self,
            root: schema,
            root_at: at.clone(),
            resources,
            indexed: Default::default(),
            refs: BTreeMap::new(),
            nodes: vec![None],
            pending: Vec::new(),
            current: 0,
            descended: false,
            in_place: Vec::new(),
            resource: String::new(),
            scope: Scope::new(),
            vocabularies: BTreeMap::new(),
            ok: true,
        };
        if !index_errors.is_empty() {
            cx.index_errors(index_errors);
            return None;
        }
        let root: Loc = (0, String::new());
        if let Some(base) = cx.resources.base(&root).map(str::to_owned) {
            cx.scope = cx.entered(&Scope::new(), &base);
            cx.resource = base;
        }
        cx.refs.insert((root, cx.scope.clone()), 0);
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
    /// The `$id`s and `$anchor`s of the document and of the remote ones it
    /// reaches, and the base URI of each subschema.
    resources: Resources,
    /// The remote documents indexed into `resources`.
    indexed: std::collections::BTreeSet<usize>,
    /// `$ref` target (decoded pointer) and the dynamic scope there → node
    /// index.
    refs: BTreeMap<(Loc, Scope), usize>,
    nodes: Vec<Option<ValueNode>>,
    /// `$ref` targets given an index but not lowered yet: lowered one after
    /// another, not nested, so a long chain of `$ref`s costs no stack.
    pending: Vec<(usize, Loc, Scope, At)>,
    /// The node being lowered, and whether the subschema being lowered
    /// applies below that node's instance (inside a [`DESCENDING`] keyword)
    /// rather than to the instance itself.
    current: usize,
    descended: bool,
    /// The `$ref`s applied to the same instance as the node holding them.
    in_place: Vec<InPlaceRef>,
    /// The resource of the subschema being lowered, and the dynamic scope.
    resource: String,
    scope: Scope,
    /// Dialect (`$schema`) → its vocabularies, read once.
    vocabularies: BTreeMap<String, Vocabulary>,
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

    /// Lowers the subschema `schema` at `at`; one with an `$id` of its own
    /// enters that resource (the dynamic scope grows) for its extent.
    fn node(&mut self, schema: &Value, at: &At) -> Option<ValueNode> {
        let loc = self.loc_of(at);
        let entering = self
            .resources
            .base(&loc)
            .filter(|base| *base != self.resource)
            .map(str::to_owned);
        let Some(base) = entering else {
            return self.node_here(schema, at);
        };
        let scope = self.entered(&self.scope, &base);
        let outer_scope = std::mem::replace(&mut self.scope, scope);
        let outer_resource = std::mem::replace(&mut self.resource, base);
        let node = self.node_here(schema, at);
        self.scope = outer_scope;
        self.resource = outer_resource;
        node
    }

    /// `scope` once the resource `uri` is entered: its `$dynamicAnchor`s
    /// bind where no outer resource bound the name.
    fn entered(&self, scope: &Scope, uri: &str) -> Scope {
        let mut scope = scope.clone();
        for name in self.resources.dynamic_names(uri) {
            scope.entry(name.clone()).or_insert_with(|| uri.to_owned());
        }
        scope
    }

    /// The document and pointer of `at`.
    fn loc_of(&self, at: &At) -> Loc {
        match at.file.checked_sub(self.lowering.files.len()) {
            Some(k) => (k + 1, at.pointer.clone()),
            None => (0, self.below_root(at)),
        }
    }

    /// Where `loc` is, for diagnostics and names.
    fn at_of(&self, loc: &Loc) -> At {
        match loc {
            (0, pointer) => At {
                file: self.root_at.file,
                pointer: format!("{}{pointer}", self.root_at.pointer),
            },
            (doc, pointer) => At {
                file: self.lowering.files.len() + doc - 1,
                pointer: pointer.clone(),
            },
        }
    }

    /// The document `doc` (0 is the one being lowered).
    fn document(&self, doc: usize) -> Option<Arc<Value>> {
        match doc {
            0 => None,
            k => self
                .lowering
                .remotes
                .documents
                .get(k - 1)
                .map(|d| Arc::clone(&d.value)),
        }
    }

    fn index_errors(&mut self, errors: Vec<resources::IndexError>) {
        for e in errors {
            let at = self.at_of(&(e.doc, e.pointer));
            self.error(&at, e.message);
        }
    }

    /// The vocabularies of the resource being lowered.
    fn vocabulary(&mut self) -> Vocabulary {
        let Some((dialect, declared)) = self.resources.dialect(&self.resource).cloned() else {
            return Vocabulary::ALL;
        };
        if let Some(v) = self.vocabularies.get(&dialect) {
            return *v;
        }
        let at = self.at_of(&declared).child("$schema");
        let vocabulary = match self.lowering.remotes.get(&dialect) {
            // Another draft's metaschema (or an unknown one) would be read
            // wrongly as draft 2020-12: its keywords differ.
            None => {
                self.error(
                    &at,
                    format!("unsupported `$schema` {dialect:?}: neither the draft 2020-12 metaschema nor a metaschema the remote map covers, so which keywords apply is unknown"),
                );
                Vocabulary::ALL
            }
            Some(Err(message)) => {
                self.error(&at, format!("`$schema` {dialect:?}: {message}"));
                Vocabulary::ALL
            }
            Some(Ok(k)) => {
                let meta = self.document(k + 1);
                match meta.as_deref().and_then(|m| m.get("$vocabulary")) {
                    None => Vocabulary::ALL,
                    Some(Value::Object(declared)) => self.read_vocabulary(declared, &dialect, &at),
                    Some(_) => {
                        let message = format!(
                            "the metaschema {dialect:?} has a `$vocabulary` that is not an object"
                        );
                        self.error(&at, message);
                        Vocabulary::ALL
                    }
                }
            }
        };
        self.vocabularies.insert(dialect, vocabulary);
        vocabulary
    }

    /// The `$vocabulary` of the metaschema `dialect`, which the `$schema`
    /// at `at` names. An unknown vocabulary it requires is refused (draft
    /// 2020-12 §8.1.2); an unknown optional one is ignored.
    fn read_vocabulary(
        &mut self,
        declared: &Map<String, Value>,
        dialect: &str,
        at: &At,
    ) -> Vocabulary {
        let has = |uri: &str| declared.contains_key(uri);
        let vocabulary = Vocabulary {
            applicator: has(VOCABULARIES[1]),
            unevaluated: has(VOCABULARIES[2]),
            validation: has(VOCABULARIES[3]),
            formats_annotate: !has(VOCABULARIES[6]),
            formats_assert: has(VOCABULARIES[6]),
        };
        for (uri, required) in declared {
            if VOCABULARIES.contains(&uri.as_str()) {
                continue;
            }
            match required {
                Value::Bool(false) => {}
                Value::Bool(true) => self.error(
                    at,
                    format!("unsupported vocabulary {uri:?}: the metaschema {dialect:?} requires it, and the generator does not know its keywords"),
                ),
                _ => self.error(
                    at,
                    format!("the metaschema {dialect:?} marks vocabulary {uri:?} with {required}, not a boolean"),
                ),
            }
        }
        vocabulary
    }

    fn node_here(&mut self, schema: &Value, at: &At) -> Option<ValueNode> {
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
        let vocabulary = self.vocabulary();
        if !vocabulary.asserts(key) {
            return Ok(None);
        }
        let rule = match key {
            // At a resource's root the dialect is read (an unknown one
            // refused) with its vocabularies, in `Self::vocabulary`; here a
            // `$schema` anywhere naming neither draft 2020-12 nor a mapped
            // metaschema is refused, as it would be misread.
            "$schema" => {
                if let Err(message) = super::check_dialect(value) {
                    let url = value.as_str().and_then(super::normalize_url);
                    // The resource's own `$schema` is judged there.
                    let resource_dialect = self
                        .resources
                        .dialect(&self.resource)
                        .is_some_and(|(dialect, _)| Some(dialect) == url.as_ref());
                    let mapped = url.is_some_and(|url| self.lowering.remotes.get(&url).is_some());
                    if !mapped && !resource_dialect {
                        return self.fail(at, message);
                    }
                }
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
            "format" if !self.lowering.format_assertion && !vocabulary.formats_assert => {
                return Ok(None);
            }
            // In the input an unknown format is refused: its author asked
            // for a check. A referenced document's follows its dialect.
            "format" => match self.format(
                value,
                at,
                vocabulary.formats_annotate && self.loc_of(parent).0 != 0,
            )? {
                Some(format) => Rule::Format(format),
                None => return Ok(None),
            },
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
            "$ref" => Rule::Ref(self.reference(value, parent, at, false)?),
            "$dynamicRef" => Rule::Ref(self.reference(value, parent, at, true)?),
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

    /// A format to check; `None` for one the generator cannot check where
    /// formats are annotations (`annotate`).
    fn format(
        &mut self,
        value: &Value,
        at: &At,
        annotate: bool,
    ) -> Result<Option<StringFormat>, ()> {
        Ok(Some(match value.as_str() {
            Some("email") => StringFormat::Email,
            Some("uri") => StringFormat::Uri,
            Some("date-time") => StringFormat::DateTime,
            Some("date") => StringFormat::Date,
            Some("uuid") => StringFormat::Uuid,
            Some("ipv4") => StringFormat::Ipv4,
            Some("ipv6") => StringFormat::Ipv6,
            Some("hostname") => StringFormat::Hostname,
            Some(_) if annotate => return Ok(None),
            _ => {
                return self.fail(
                    at,
                    format!("unsupported format {value}: the generator cannot check it yet (formats asserted: email, uri, date-time, date, uuid, ipv4, ipv6, hostname)"),
                );
            }
        }))
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
    /// schema holding it): each distinct target (and dynamic scope there) is
    /// lowered once, as a node of its own, so references (and recursion
    /// through them) cost one call. `dynamic` for a `$dynamicRef`: when it
    /// lands on a `$dynamicAnchor`, the outermost resource of the dynamic
    /// scope declaring that name is taken instead (draft 2020-12 §8.2.3.2).
    fn reference(
        &mut self,
        value: &Value,
        parent: &At,
        at: &At,
        dynamic: bool,
    ) -> Result<usize, ()> {
        let keyword = if dynamic { "$dynamicRef" } else { "$ref" };
        let Some(reference) = value.as_str() else {
            return self.fail(at, format!("`{keyword}` must be a string"));
        };
        let from = self.loc_of(parent);
        let mut resolved = self.resources.resolve(reference, &from);
        if let (Target::Unknown(uri), _) = &resolved {
            let uri = uri.clone();
            if self.lowering.urls.contains_key(&uri) {
                // Another file's `$id`: in the input, but not in this schema.
                return self.fail(at, format!("unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"));
            }
            match self.lowering.remotes.get(&uri) {
                None => {
                    return self.fail(
                        at,
                        format!("unsupported `{keyword}` {reference:?}: {uri:?} is not a schema embedded in this document, and no remote mapping (`--resolve URL=FILE`) covers it; remote schemas are never fetched"),
                    );
                }
                Some(Err(message)) => {
                    return self.fail(at, format!("`{keyword}` {reference:?}: {message}"));
                }
                Some(Ok(k)) => {
                    let doc = k + 1;
                    if self.indexed.insert(doc) {
                        let mut errors = Vec::new();
                        if let Some(value) = self.document(doc) {
                            self.resources.add_document(doc, &value, &uri, &mut errors);
                        }
                        if !errors.is_empty() {
                            self.index_errors(errors);
                            return Err(());
                        }
                    }
                    resolved = self.resources.resolve(reference, &from);
                }
            }
        }
        let (mut target, anchor) = match resolved {
            (Target::Found(target), anchor) => (target, anchor),
            (Target::Refused(message), _) => return self.fail(at, message),
            (Target::Unknown(uri), _) => {
                return self.fail(
                    at,
                    format!("`{keyword}` {reference:?}: the document read for {uri:?} does not declare it"),
                );
            }
        };
        if let (true, Some(name)) = (dynamic, anchor) {
            let outermost = self
                .scope
                .get(&name)
                .and_then(|uri| self.resources.dynamic_anchor(uri, &name));
            if let Some(outermost) = outermost {
                target = outermost.clone();
            }
        }
        let Some(base) = self.resources.base(&target).map(str::to_owned) else {
            // Only subschemas have a base URI; anything else the pointer
            // reaches (a keyword's map, an `enum` item) is not a schema.
            if target.0 == 0 && self.root.pointer(&target.1).is_none() {
                let component = target
                    .1
                    .strip_prefix("/components/schemas/")
                    .filter(|name| self.lowering.doc.components.contains_key(*name));
                if component.is_some() {
                    // It exists, but this kind of type cannot reach it.
                    return self.fail(
                        at,
                        format!("unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"),
                    );
                }
            }
            return self.fail(at, format!("`{keyword}` {reference:?} points to no schema"));
        };
        let scope = self.entered(&self.scope, &base);
        let key = (target, scope);
        let index = match self.refs.get(&key) {
            Some(&index) => index,
            None => {
                let index = self.nodes.len();
                self.nodes.push(None);
                let target_at = self.at_of(&key.0);
                self.refs.insert(key.clone(), index);
                let (target, scope) = key;
                self.pending.push((index, target, scope, target_at));
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
        while let Some((index, (doc, pointer), scope, at)) = self.pending.pop() {
            let document = self.document(doc);
            let root = document.as_deref().unwrap_or(self.root);
            let Some(target) = root.pointer(&pointer) else {
                // `reference` saw it; unreachable, but never a panic.
                self.error(&at, "`$ref` target vanished");
                continue;
            };
            self.current = index;
            self.descended = false;
            self.resource = self
                .resources
                .base(&(doc, pointer.clone()))
                .unwrap_or_default()
                .to_owned();
            self.scope = scope;
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
        for ((loc, _), &index) in &self.refs {
            let at = self.at_of(loc);
            let name = match self.lowering.files.get(at.file) {
                Some(_) => at.pointer,
                None => {
                    let file = at
                        .file
                        .checked_sub(self.lowering.files.len())
                        .and_then(|k| self.lowering.remotes.documents.get(k))
                        .map(|d| d.file.name.as_str())
                        .unwrap_or_default();
                    if at.pointer.is_empty() {
                        file.to_owned()
                    } else {
                        format!("{file}#{}", at.pointer)
                    }
                }
            };
            if let Some(slot) = names.get_mut(index) {
                *slot = name;
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
