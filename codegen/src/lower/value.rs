//! Lowers a schema that no Rust type states exactly into a [`ValueType`]: a
//! tree of assertion keywords that `emit::value` turns into per-keyword
//! checks on a `serde_json::Value`. Every keyword is honoured, an annotation,
//! or refused with a diagnostic naming it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::collector::{Lowered, Reported, all};
use super::dialect::Dialect;
use super::keywords::{self, Enforce, Valued};
use super::{At, Lowering};
use crate::model::{JsonType, Rule, StringFormat, ValueNode, ValueType};
use crate::pattern::Applied;
use crate::sources::FileId;

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

    /// Whether the keywords of `vocabulary` assert here.
    fn asserts(&self, vocabulary: keywords::Vocabulary) -> bool {
        match vocabulary {
            keywords::Vocabulary::Applicator => self.applicator,
            keywords::Vocabulary::Unevaluated => self.unevaluated,
            keywords::Vocabulary::Validation => self.validation,
            _ => true,
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

impl Lowering<'_> {
    /// `schema` is the whole document (`#` resolves to it). Every keyword
    /// that cannot be enforced is reported; some (a cycle, a dialect) are
    /// reported without an `Err`, so this runs in a scope of its own whose
    /// errors decide ([`Lowering::kept`]).
    pub(super) fn value_type(&mut self, schema: &Value, at: &At) -> Lowered<ValueType> {
        let mut index_errors = Vec::new();
        let resources = Resources::index(at.file, schema, &mut index_errors);
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
        };
        cx.index_errors(index_errors)?;
        let root: Loc = (at.file, String::new());
        if let Some(base) = cx.resources.base(&root).map(str::to_owned) {
            cx.scope = cx.entered(&Scope::new(), &base);
            cx.resource = base;
        }
        cx.refs.insert((root, cx.scope.clone()), 0);
        cx.nodes[0] = Some(cx.node(schema, at));
        cx.lower_targets();
        cx.refuse_in_place_cycles();
        let slots = std::mem::take(&mut cx.nodes);
        let nodes = all(slots.into_iter().map(|slot| {
            // Every index `reference` hands out is lowered by `lower_targets`.
            slot.unwrap_or_else(|| {
                cx.fail(&cx.root_at.clone(), "a `$ref` target was never lowered")
            })
        }))?;
        Ok(ValueType {
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
    indexed: std::collections::BTreeSet<FileId>,
    /// `$ref` target (decoded pointer) and the dynamic scope there → node
    /// index.
    refs: BTreeMap<(Loc, Scope), usize>,
    /// `None` until lowered.
    nodes: Vec<Option<Lowered<ValueNode>>>,
    /// `$ref` targets given an index but not lowered yet: lowered one after
    /// another, not nested, so a long chain of `$ref`s costs no stack.
    pending: Vec<(usize, Loc, Scope, At)>,
    /// The node being lowered, and whether the subschema being lowered
    /// applies below that node's instance (inside a keyword that
    /// [descends](keywords::Keyword::descends))
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
    fn error(&mut self, at: &At, message: impl Into<String>) -> Reported {
        self.lowering.error(at, message)
    }

    /// Lowers the subschema `schema` at `at`; one with an `$id` of its own
    /// enters that resource (the dynamic scope grows) for its extent.
    fn node(&mut self, schema: &Value, at: &At) -> Lowered<ValueNode> {
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

    /// Whether `file` holds the schema being lowered (not a remote document).
    fn is_root_file(&self, file: FileId) -> bool {
        file == self.root_at.file
    }

    /// The document and pointer of `at`: in the schema's own file, the
    /// pointer is below the schema, which need not be the file's root.
    fn loc_of(&self, at: &At) -> Loc {
        if self.is_root_file(at.file) {
            (at.file, self.below_root(at))
        } else {
            (at.file, at.pointer.clone())
        }
    }

    /// Where `loc` is, for diagnostics and names.
    fn at_of(&self, (file, pointer): &Loc) -> At {
        let pointer = if self.is_root_file(*file) {
            format!("{}{pointer}", self.root_at.pointer)
        } else {
            pointer.clone()
        };
        At {
            file: *file,
            pointer,
        }
    }

    /// The remote document `file` (`None` for the schema's own file).
    fn document(&self, file: FileId) -> Option<Arc<Value>> {
        if self.is_root_file(file) {
            return None;
        }
        self.lowering.remotes.value(file)
    }

    /// Reports the resource index's errors: `Err` if there were any.
    fn index_errors(&mut self, errors: Vec<resources::IndexError>) -> Lowered<()> {
        all(errors.into_iter().map(|e| {
            let at = self.at_of(&(e.doc, e.pointer));
            self.fail::<()>(&at, e.message)
        }))
        .map(drop)
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
        let metaschema = self.lowering.metaschema(&dialect);
        let vocabulary = match metaschema {
            Err(message) => {
                self.error(&at, message);
                Vocabulary::ALL
            }
            Ok(file) => {
                let meta = self.lowering.remotes.value(file);
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
                Value::Bool(true) => {
                    self.error(
                        at,
                        format!("unsupported vocabulary {uri:?}: the metaschema {dialect:?} requires it, and the generator does not know its keywords"),
                    );
                }
                _ => {
                    self.error(
                        at,
                        format!("the metaschema {dialect:?} marks vocabulary {uri:?} with {required}, not a boolean"),
                    );
                }
            }
        }
        vocabulary
    }

    fn node_here(&mut self, schema: &Value, at: &At) -> Lowered<ValueNode> {
        let obj = match schema {
            Value::Bool(true) => return Ok(ValueNode::Any),
            Value::Bool(false) => return Ok(ValueNode::Nothing),
            Value::Object(obj) => obj,
            other => {
                return self.fail(
                    at,
                    format!("a schema must be an object or a boolean, found {other}"),
                );
            }
        };
        let rules = all(obj
            .iter()
            .map(|(key, value)| self.keyword(obj, key, value, at)))?;
        let rules: Vec<Rule> = rules.into_iter().flatten().collect();
        Ok(if rules.is_empty() {
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
    ) -> Lowered<Option<Rule>> {
        let at = &parent.child(key);
        // Read first: an unknown or unmapped dialect is reported once, at
        // the resource's `$schema`, whatever keyword comes first.
        let vocabulary = self.vocabulary();
        let Some(keyword) = keywords::find(key) else {
            return self.fail(at, keywords::unknown(key));
        };
        if !vocabulary.asserts(keyword.vocabulary) {
            return Ok(None);
        }
        if keyword.parse == keywords::Parse::Dialect {
            return self.dialect(value, at);
        }
        match keyword.valued {
            Valued::Annotation | Valued::Container | Valued::Identifier => Ok(None),
            // Checked here so a malformed one is reported even alone.
            Valued::Modifier => self.count(value, key, at).map(|_| None),
            Valued::Refused => self.fail(at, keywords::unsupported(key)),
            Valued::Enforced(enforce) => {
                let outer = self.descended;
                self.descended |= keyword.descends;
                let rule = self.rule(obj, keyword.name, enforce, value, parent, vocabulary);
                self.descended = outer;
                rule
            }
        }
    }

    /// At a resource's root the dialect is read (an unknown one refused)
    /// with its vocabularies, in `Self::vocabulary`; here a `$schema`
    /// anywhere else that cannot be honoured ([`Lowering::dialect`]) is
    /// refused, as it would be misread.
    fn dialect(&mut self, value: &Value, at: &At) -> Lowered<Option<Rule>> {
        let url = value.as_str().and_then(super::normalize_url);
        // The resource's own `$schema` is judged there.
        let resource_dialect = self
            .resources
            .dialect(&self.resource)
            .is_some_and(|(dialect, _)| Some(dialect) == url.as_ref());
        if resource_dialect {
            return Ok(None);
        }
        match self.lowering.dialect(value) {
            Dialect::Unsupported(message) => self.fail(at, message),
            Dialect::Draft202012 | Dialect::Metaschema(_) => Ok(None),
        }
    }

    /// The rule of the enforced keyword `key`, built as its row says.
    fn rule(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        enforce: Enforce,
        value: &Value,
        parent: &At,
        vocabulary: Vocabulary,
    ) -> Lowered<Option<Rule>> {
        let at = &parent.child(key);
        let rule = match enforce {
            Enforce::Count(rule) => rule(self.count(value, key, at)?),
            Enforce::Bound(rule) => rule(self.bound(value, key, at)?),
            Enforce::Regex(rule) => rule(self.string_regex(value, key, at)?),
            Enforce::Json(rule) => rule(value.clone()),
            Enforce::Names(rule) => rule(self.names(value, key, at)?),
            Enforce::Types(rule) => rule(self.types(value, at)?),
            Enforce::Schema(rule) => rule(self.boxed(value, at)?),
            Enforce::SchemaList(rule) => rule(self.schema_list(value, key, at)?),
            Enforce::SchemaMap(rule) => rule(self.schema_map(value, key, at)?),
            Enforce::Enum => self.enumeration(value, at)?,
            Enforce::MultipleOf => self.multiple_of(value, key, at)?,
            Enforce::UniqueItems => return self.unique_items(value, key, at),
            Enforce::Format => return self.format_rule(value, parent, at, vocabulary),
            Enforce::DependentRequired => self.dependent_required(value, at)?,
            Enforce::PatternProperties => self.pattern_properties(value, at)?,
            Enforce::Items => self.items(obj, value, at)?,
            Enforce::Contains => self.contains(obj, value, parent, at)?,
            Enforce::IfThenElse => self.if_then_else(obj, value, parent, at)?,
            Enforce::AdditionalProperties => self.additional_properties(obj, value, at)?,
            Enforce::Reference { dynamic } => {
                Rule::Ref(self.reference(value, parent, at, dynamic)?)
            }
        };
        Ok(Some(rule))
    }

    /// A pattern applied to string instances (`pattern`).
    fn string_regex(&mut self, value: &Value, key: &str, at: &At) -> Lowered<String> {
        match value {
            Value::String(p) => self.regex(p, Applied::Values, at),
            _ => self.fail(at, format!("`{key}` must be a string")),
        }
    }

    /// `uniqueItems`: `false` asserts nothing.
    fn unique_items(&mut self, value: &Value, key: &str, at: &At) -> Lowered<Option<Rule>> {
        match value {
            Value::Bool(true) => Ok(Some(Rule::UniqueItems)),
            Value::Bool(false) => Ok(None),
            _ => self.fail(at, format!("`{key}` must be a boolean")),
        }
    }

    fn enumeration(&mut self, value: &Value, at: &At) -> Lowered<Rule> {
        match value {
            Value::Array(items) if items.len() > super::MAX_ENUM_VALUES => {
                self.fail(at, super::too_many_values(items.len()))
            }
            Value::Array(items) => Ok(Rule::Enum(items.clone())),
            _ => self.fail(at, "`enum` must be an array"),
        }
    }

    fn multiple_of(&mut self, value: &Value, key: &str, at: &At) -> Lowered<Rule> {
        let n = self.number(value, key, at)?;
        if n <= 0.0 {
            return self.fail(at, "`multipleOf` must be greater than 0");
        }
        Ok(Rule::MultipleOf(n))
    }

    fn format_rule(
        &mut self,
        value: &Value,
        parent: &At,
        at: &At,
        vocabulary: Vocabulary,
    ) -> Lowered<Option<Rule>> {
        // Draft 2020-12's default: an annotation.
        if !self.lowering.format_assertion && !vocabulary.formats_assert {
            return Ok(None);
        }
        // In the input an unknown format is refused: its author asked for a
        // check. A referenced document's follows its dialect.
        let annotate = vocabulary.formats_annotate && !self.is_root_file(parent.file);
        Ok(self.format(value, at, annotate)?.map(Rule::Format))
    }

    /// `items`, after the `prefixItems` beside it.
    fn items(&mut self, obj: &Map<String, Value>, value: &Value, at: &At) -> Lowered<Rule> {
        let prefix = obj
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Ok(Rule::Items {
            prefix,
            node: self.boxed(value, at)?,
        })
    }

    /// `contains`, with the `minContains` and `maxContains` beside it.
    fn contains(
        &mut self,
        obj: &Map<String, Value>,
        value: &Value,
        parent: &At,
        at: &At,
    ) -> Lowered<Rule> {
        let node = self.boxed(value, at)?;
        let min = match obj.get("minContains") {
            Some(n) => self.count(n, "minContains", &parent.child("minContains"))?,
            None => 1,
        };
        let max = match obj.get("maxContains") {
            Some(n) => Some(self.count(n, "maxContains", &parent.child("maxContains"))?),
            None => None,
        };
        Ok(Rule::Contains { node, min, max })
    }

    /// An array of strings (`required`).
    fn names(&mut self, value: &Value, key: &str, at: &At) -> Lowered<Vec<String>> {
        match value {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()),
            _ => self.fail(at, format!("`{key}` must be an array of strings")),
        }
    }

    fn dependent_required(&mut self, value: &Value, at: &At) -> Lowered<Rule> {
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
        Ok(Rule::DependentRequired(out))
    }

    /// An object of subschemas by name (`properties`, `dependentSchemas`),
    /// every one lowered (and its failures reported) before failing.
    fn schema_map(
        &mut self,
        value: &Value,
        key: &str,
        at: &At,
    ) -> Lowered<Vec<(String, ValueNode)>> {
        let Value::Object(schemas) = value else {
            return self.fail(at, format!("`{key}` must be an object"));
        };
        all(schemas.iter().map(|(name, schema)| {
            let node = self.node(schema, &at.child(name))?;
            Ok((name.clone(), node))
        }))
    }

    fn pattern_properties(&mut self, value: &Value, at: &At) -> Lowered<Rule> {
        let Value::Object(patterns) = value else {
            return self.fail(at, "`patternProperties` must be an object");
        };
        let out = all(patterns.iter().map(|(pattern, schema)| {
            let pattern_at = at.child(pattern);
            // Both checked, so both are reported.
            let regex = self.regex(pattern, Applied::Names, &pattern_at);
            let node = self.node(schema, &pattern_at);
            Ok((regex?, node?))
        }))?;
        Ok(Rule::PatternProperties(out))
    }

    /// Applies to the names neither sibling (`properties`,
    /// `patternProperties`) matches; both are checked (and reported) by
    /// their own keyword.
    fn additional_properties(
        &mut self,
        obj: &Map<String, Value>,
        value: &Value,
        at: &At,
    ) -> Lowered<Rule> {
        let keys = |key: &str| {
            obj.get(key)
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        Ok(Rule::AdditionalProperties {
            known: keys("properties"),
            patterns: keys("patternProperties"),
            node: self.boxed(value, at)?,
        })
    }

    fn if_then_else(
        &mut self,
        obj: &Map<String, Value>,
        value: &Value,
        parent: &At,
        at: &At,
    ) -> Lowered<Rule> {
        let condition = self.node(value, at);
        let then = self.optional_node(obj, "then", parent);
        let otherwise = self.optional_node(obj, "else", parent);
        Ok(Rule::IfThenElse {
            condition: Box::new(condition?),
            then: then?.map(Box::new),
            otherwise: otherwise?.map(Box::new),
        })
    }

    /// A subschema, boxed in its rule.
    fn boxed(&mut self, value: &Value, at: &At) -> Lowered<Box<ValueNode>> {
        self.node(value, at).map(Box::new)
    }

    fn fail<T>(&mut self, at: &At, message: impl Into<String>) -> Lowered<T> {
        Err(self.error(at, message))
    }

    /// The sibling subschema `key` of `obj` (at `parent`), lowered if present.
    fn optional_node(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        parent: &At,
    ) -> Lowered<Option<ValueNode>> {
        match obj.get(key) {
            Some(schema) => self.node(schema, &parent.child(key)).map(Some),
            None => Ok(None),
        }
    }

    /// An ECMA-262 pattern, compiled once here so that generated code (with
    /// the same engine and flags) never meets one it cannot compile.
    fn regex(&mut self, pattern: &str, applied: Applied, at: &At) -> Lowered<String> {
        self.lowering.pattern(pattern, applied, at)?;
        Ok(pattern.to_owned())
    }

    fn types(&mut self, value: &Value, at: &At) -> Lowered<Vec<JsonType>> {
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

    fn number(&mut self, value: &Value, key: &str, at: &At) -> Lowered<f64> {
        match keywords::number(value, key) {
            Ok((_, n)) => Ok(n),
            Err(message) => self.fail(at, message),
        }
    }

    /// A numeric bound, kept as written so that an integer beyond 2^53
    /// stays exact.
    fn bound(&mut self, value: &Value, key: &str, at: &At) -> Lowered<serde_json::Number> {
        match keywords::number(value, key) {
            Ok((n, _)) => Ok(n.clone()),
            Err(message) => self.fail(at, message),
        }
    }

    fn count(&mut self, value: &Value, key: &str, at: &At) -> Lowered<u64> {
        keywords::count(value, key).or_else(|message| self.fail(at, message))
    }

    /// A format to check; `None` for one the generator cannot check where
    /// formats are annotations (`annotate`).
    fn format(&mut self, value: &Value, at: &At, annotate: bool) -> Lowered<Option<StringFormat>> {
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

    fn schema_list(&mut self, value: &Value, key: &str, at: &At) -> Lowered<Vec<ValueNode>> {
        let Value::Array(items) = value else {
            return self.fail(at, format!("`{key}` must be an array of schemas"));
        };
        if items.is_empty() {
            return self.fail(at, format!("`{key}` must not be empty"));
        }
        all(items
            .iter()
            .enumerate()
            .map(|(i, schema)| self.node(schema, &at.child(&i.to_string()))))
    }

    /// A reference, resolved against the base URI in effect at `parent` (the
    /// schema holding it): each distinct target (and dynamic scope there) is
    /// lowered once, as a node of its own, so references (and recursion
    /// through them) cost one call. `dynamic` for a `$dynamicRef`: when it
    /// lands on a `$dynamicAnchor`, the outermost resource of the dynamic
    /// scope declaring that name is taken instead (draft 2020-12 §8.2.3.2).
    fn reference(&mut self, value: &Value, parent: &At, at: &At, dynamic: bool) -> Lowered<usize> {
        let keyword = if dynamic { "$dynamicRef" } else { "$ref" };
        let Some(reference) = value.as_str() else {
            return self.fail(at, format!("`{keyword}` must be a string"));
        };
        let (mut target, anchor) = self.resolve(reference, keyword, parent, at)?;
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
            return self.fail(at, self.not_a_schema(&target, reference, keyword));
        };
        let scope = self.entered(&self.scope, &base);
        let index = self.node_index((target, scope));
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

    /// The subschema `reference` names from `parent`, and the anchor it
    /// lands on. A URL neither in the document nor read yet is read through
    /// the remote map (and indexed) first.
    fn resolve(
        &mut self,
        reference: &str,
        keyword: &str,
        parent: &At,
        at: &At,
    ) -> Lowered<(Loc, Option<String>)> {
        let from = self.loc_of(parent);
        let mut resolved = self.resources.resolve(reference, &from);
        if let (Target::Unknown(uri), _) = &resolved {
            let uri = uri.clone();
            self.read_remote(&uri, reference, keyword, at)?;
            resolved = self.resources.resolve(reference, &from);
        }
        match resolved {
            (Target::Found(target), anchor) => Ok((target, anchor)),
            (Target::Refused(message), _) => self.fail(at, message),
            (Target::Unknown(uri), _) => self.fail(
                at,
                format!(
                    "`{keyword}` {reference:?}: the document read for {uri:?} does not declare it"
                ),
            ),
        }
    }

    /// Reads (once) and indexes the remote document `uri`, which
    /// `reference` needs.
    fn read_remote(&mut self, uri: &str, reference: &str, keyword: &str, at: &At) -> Lowered<()> {
        if self.lowering.urls.contains_key(uri) {
            // Another file's `$id`: in the input, but not in this schema.
            return self.fail(at, format!("unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"));
        }
        let doc = match self.lowering.remotes.get(self.lowering.sources, uri) {
            None => {
                return self.fail(
                    at,
                    format!("unsupported `{keyword}` {reference:?}: {uri:?} is not a schema embedded in this document, and no remote mapping (`--resolve URL=FILE`) covers it; remote schemas are never fetched"),
                );
            }
            Some(Err(message)) => {
                return self.fail(at, format!("`{keyword}` {reference:?}: {message}"));
            }
            Some(Ok(file)) => file,
        };
        if self.indexed.insert(doc) {
            let mut errors = Vec::new();
            if let Some(value) = self.document(doc) {
                self.resources.add_document(doc, &value, uri, &mut errors);
            }
            self.index_errors(errors)?;
        }
        Ok(())
    }

    /// Why `target`, which has no base URI, cannot be referred to: only
    /// subschemas have one; anything else the pointer reaches (a keyword's
    /// map, an `enum` item) is not a schema.
    fn not_a_schema(&self, target: &Loc, reference: &str, keyword: &str) -> String {
        if self.is_root_file(target.0) && self.root.pointer(&target.1).is_none() {
            let component = target
                .1
                .strip_prefix("/components/schemas/")
                .filter(|name| self.lowering.doc.components.contains_key(*name));
            if component.is_some() {
                // It exists, but this kind of type cannot reach it.
                return format!(
                    "unsupported: `$ref` {reference:?} to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"
                );
            }
        }
        format!("`{keyword}` {reference:?} points to no schema")
    }

    /// The node of a `$ref` target under a dynamic scope: given an index
    /// (and queued to be lowered) the first time it is met.
    fn node_index(&mut self, key: (Loc, Scope)) -> usize {
        if let Some(&index) = self.refs.get(&key) {
            return index;
        }
        let index = self.nodes.len();
        self.nodes.push(None);
        let target_at = self.at_of(&key.0);
        self.refs.insert(key.clone(), index);
        let (target, scope) = key;
        self.pending.push((index, target, scope, target_at));
        index
    }

    /// Lowers every `$ref` target, including those found on the way.
    fn lower_targets(&mut self) {
        while let Some((index, (doc, pointer), scope, at)) = self.pending.pop() {
            let document = self.document(doc);
            let root = document.as_deref().unwrap_or(self.root);
            let Some(target) = root.pointer(&pointer) else {
                // `reference` saw it; unreachable, but never a panic.
                let vanished = self.fail(&at, "`$ref` target vanished");
                if let Some(slot) = self.nodes.get_mut(index) {
                    *slot = Some(vanished);
                }
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
                *slot = Some(node);
            }
        }
    }

    /// Refuses every cycle of in-place `$ref`s: the generated check would
    /// call itself on the same value forever. Each is reported at the `$ref`
    /// that closes it (depth-first from each node, in lowering order). The
    /// `evaluated_N` functions call each other and the checks only along
    /// in-place `$ref`s too, so without such a cycle they end as well.
    fn refuse_in_place_cycles(&mut self) {
        let closing = self.in_place_cycles();
        let names = self.node_names();
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

    /// Each cycle of in-place `$ref`s, as the edge (an index in `in_place`)
    /// that closes it and the nodes of the cycle from that edge's target on.
    fn in_place_cycles(&self) -> Vec<(usize, Vec<usize>)> {
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
        closing
    }

    /// Each node's name in diagnostics: its pointer, in a remote document
    /// prefixed with the document's name.
    fn node_names(&self) -> Vec<String> {
        let mut names = vec![String::new(); self.nodes.len()];
        for ((loc, _), &index) in &self.refs {
            let at = self.at_of(loc);
            let name = if self.is_root_file(at.file) {
                at.pointer
            } else {
                let file = &self.lowering.sources.get(at.file).name;
                if at.pointer.is_empty() {
                    file.clone()
                } else {
                    format!("{file}#{}", at.pointer)
                }
            };
            if let Some(slot) = names.get_mut(index) {
                *slot = name;
            }
        }
        names
    }

    /// `at`'s pointer relative to the lowered schema's root.
    fn below_root(&self, at: &At) -> String {
        at.pointer
            .strip_prefix(&self.root_at.pointer)
            .unwrap_or(&at.pointer)
            .to_owned()
    }
}
