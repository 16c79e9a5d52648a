//! Schemas → [`TypeSpace`]. Every keyword is either honoured (it becomes a
//! shape or a constraint in the model), an annotation (documentation only),
//! or refused with a diagnostic. Nothing is dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, escape_token};
use crate::load::{self, Document};
use crate::model::*;
use crate::naming::{self, TypePath};
use crate::sources::{FileId, SourceMap};

mod collector;
mod dialect;
mod keywords;
mod operations;
mod remote;
mod value;

use collector::{Collector, Lowered, Reported};
use keywords::Kind;

use value::resources::{self, DOCUMENT_BASE};

pub(crate) use operations::{OPERATIONS_MODULE, is_header_name};

/// Whether `format` asserts, for the whole run or file by file.
pub(crate) struct Formats {
    pub(crate) assert: bool,
    /// File → an override of `assert`.
    pub(crate) per_file: BTreeMap<FileId, bool>,
}

impl Formats {
    pub(crate) fn all(assert: bool) -> Formats {
        Formats {
            assert,
            per_file: BTreeMap::new(),
        }
    }

    fn of(&self, file: FileId) -> bool {
        self.per_file.get(&file).copied().unwrap_or(self.assert)
    }
}

/// How the components of a run relate to the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// An API's components: enums reached only from responses stay open.
    Api,
    /// Standalone schemas (e.g. the JSON Schema Test Suite's): every enum is
    /// closed, since nothing but the schema decides validity.
    Standalone,
}

/// Most values an `enum` may list. Each value becomes code in several places
/// (a variant, two match arms, the list of values, the exported schema), so
/// generation time and memory grow with it: about 0.1 ms and 7 KB a value
/// (BENCHMARKS.md). Real API enums list tens (Stytch's largest: 44); a
/// schema listing more is refused, located, rather than taking minutes and
/// gigabytes.
pub(crate) const MAX_ENUM_VALUES: usize = 10_000;

pub(crate) fn too_many_values(count: usize) -> String {
    format!(
        "unsupported: an `enum` of {count} values; the generator emits at most {MAX_ENUM_VALUES} (a larger set belongs in a `pattern` or a lookup of your own)"
    )
}

/// Deepest JSON nesting of a schema the generator accepts. Lowering and
/// emission recurse over the schema; the bound keeps that recursion (and the
/// generated code's nesting) finite and small. Real API schemas stay far below.
const MAX_DEPTH: usize = 64;

/// The pointer of a node nested deeper than [`MAX_DEPTH`], if any. Iterative,
/// so the check itself cannot overflow.
fn too_deep(schema: &Value) -> Option<String> {
    let mut stack: Vec<(&Value, usize, String)> = vec![(schema, 0, String::new())];
    while let Some((value, depth, pointer)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Some(pointer);
        }
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    stack.push((v, depth + 1, format!("{pointer}/{}", escape_token(k))));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((v, depth + 1, format!("{pointer}/{i}")));
                }
            }
            _ => {}
        }
    }
    None
}

/// Without operations (a folder of schemas), component names with this
/// suffix are taken for request bodies: the enums they reach are closed (a
/// request can only carry listed values). With operations, request bodies
/// and parameters are known and names do not matter.
const REQUEST_SUFFIX: &str = "Request";

/// `url` normalized (RFC 3986) as resolved `$ref`s are, to compare them.
pub(crate) fn normalize_url(url: &str) -> Option<String> {
    resources::resolve(url, DOCUMENT_BASE).ok()
}

/// `remotes` maps URLs (or URL prefixes ending in `/`) to the local files a
/// `$ref` to them reads ([`crate::Config::resolve`]); what is read is added to
/// `sources`.
pub(crate) fn lower(
    doc: &Document,
    sources: &mut SourceMap,
    mode: Mode,
    formats: &Formats,
    remotes: &[(String, std::path::PathBuf)],
    errors: &mut Vec<Diagnostic>,
) -> TypeSpace {
    // `$id` URLs normalized (RFC 3986), so a `$ref` resolved against a base
    // finds them however either was spelled; and each schema file's URL,
    // the base its relative `$ref`s resolve against.
    let urls: BTreeMap<String, String> = doc
        .urls
        .iter()
        .filter_map(|(url, name)| {
            Some((resources::resolve(url, DOCUMENT_BASE).ok()?, name.clone()))
        })
        .collect();
    let bases: BTreeMap<FileId, String> = urls
        .iter()
        .filter_map(|(url, name)| Some((doc.components.get(name)?.file, url.clone())))
        .collect();
    let names = naming::TypeNames::new(
        doc.api.as_ref().and_then(|api| api.rest.get("paths")),
        doc.components
            .iter()
            .map(|(name, component)| (name.as_str(), &component.schema)),
    );
    let mut cx = Lowering {
        doc,
        names,
        sources,
        out: Collector::default(),
        space: TypeSpace::default(),
        urls,
        bases,
        format_assertion: formats.assert,
        remotes: remote::Remotes::new(remotes),
    };
    for (name, component) in &doc.components {
        cx.format_assertion = formats.of(component.file);
        cx.lower_component(name, component.file, &component.base, &component.schema);
    }
    cx.format_assertion = formats.assert;
    if let Some(api) = &doc.api {
        cx.lower_operations(api);
    }
    let Lowering {
        mut space,
        out,
        sources,
        ..
    } = cx;
    out.finish(&mut space, errors);
    check_paths(&space, sources, errors);
    check_cycles(&space, sources, errors);
    mark_closed_enums(&mut space, mode);
    space
}

struct Lowering<'a> {
    doc: &'a Document,
    /// The document's naming rule (multi-word segments, placement).
    names: naming::TypeNames,
    /// Every file of the run; the remote documents are added as they are
    /// read.
    sources: &'a mut SourceMap,
    /// Errors, warnings and types, in the scope being lowered.
    out: Collector,
    /// The operations; the types are in `out` until lowering ends.
    space: TypeSpace,
    /// Normalized `$id` URL → component name.
    urls: BTreeMap<String, String>,
    /// Schema file → its normalized `$id` URL.
    bases: BTreeMap<FileId, String>,
    /// Whether `format` asserts ([`crate::Config::format_assertion`]).
    format_assertion: bool,
    /// Documents read through the remote map, each a file of `sources`.
    remotes: remote::Remotes<'a>,
}

/// Where a schema node is: its file and pointer, for diagnostics and for
/// naming inline types.
#[derive(Clone)]
struct At {
    file: FileId,
    pointer: String,
}

impl At {
    fn child(&self, token: &str) -> At {
        At {
            file: self.file,
            pointer: format!("{}/{}", self.pointer, escape_token(token)),
        }
    }
}

impl Lowering<'_> {
    fn error(&mut self, at: &At, message: impl Into<String>) -> Reported {
        let d = self.diagnostic(at, message);
        self.out.error(d)
    }

    fn warn(&mut self, at: &At, message: impl Into<String>) {
        let warning = self.diagnostic(at, message);
        self.out.warn(warning);
    }

    /// Runs `f` in a collector of its own. What it records joins the
    /// current scope when it succeeds; when it fails (returns `Err` or
    /// records an error), all of it is dropped and its errors returned.
    fn speculate<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Lowered<T>,
    ) -> Result<T, Vec<Diagnostic>> {
        let (result, child) = self.scoped(f);
        match child.check().and(result) {
            Ok(value) => {
                self.out.absorb(child);
                Ok(value)
            }
            Err(_) => Err(child.into_errors()),
        }
    }

    /// Runs `f` in a collector of its own, kept: `Err` when it failed
    /// (returned `Err` or recorded an error).
    fn kept<T>(&mut self, f: impl FnOnce(&mut Self) -> Lowered<T>) -> Lowered<T> {
        let (result, child) = self.scoped(f);
        let checked = child.check();
        self.out.absorb(child);
        checked.and(result)
    }

    /// `f`'s result and what it recorded, in a collector of its own.
    fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> Lowered<T>) -> (Lowered<T>, Collector) {
        let outer = std::mem::take(&mut self.out);
        let result = f(self);
        let child = std::mem::replace(&mut self.out, outer);
        (result, child)
    }

    /// A diagnostic at `at`, located in its file.
    fn diagnostic(&self, at: &At, message: impl Into<String>) -> Diagnostic {
        self.sources.at(at.file, &at.pointer, message)
    }

    /// Vets `pattern` (see [`crate::pattern::vet`]): the one place either
    /// lowering compiles a regular expression.
    fn pattern(&mut self, pattern: &str, applied: crate::pattern::Applied, at: &At) -> Lowered<()> {
        match crate::pattern::vet(pattern, applied) {
            Ok(warning) => {
                if let Some(w) = warning {
                    self.warn(at, w);
                }
                Ok(())
            }
            Err(e) => Err(self.error(at, e)),
        }
    }

    fn lower_component(&mut self, name: &str, file: FileId, base: &str, schema: &Value) {
        let at = At {
            file,
            pointer: base.to_owned(),
        };
        let path = match self.names.type_path(name) {
            Ok(p) => p,
            Err(message) => {
                self.error(&at.child("$id"), message);
                return;
            }
        };
        if let Some(deep) = too_deep(schema) {
            let at = At {
                file,
                pointer: format!("{base}{deep}"),
            };
            self.error(
                &at,
                format!("unsupported: nesting deeper than {MAX_DEPTH} levels"),
            );
            return;
        }
        // A typed struct or enum when the schema fits one exactly; otherwise a
        // value checked by generated code, which refuses only what it cannot
        // enforce (and then its diagnostics, naming the keyword, are kept).
        let kind = match self.speculate(|cx| cx.typed_component(&path, schema, &at)) {
            Ok(kind) => kind,
            Err(refusals) => {
                let Ok(value) = self.kept(|cx| cx.value_type(schema, &at)) else {
                    return;
                };
                let reason = refusals.first().map_or("", |d| d.message.as_str());
                self.warn(
                    &at,
                    format!("`{}` is generated as a checked JSON value, not a struct with typed fields: {reason}", path.display()),
                );
                TypeKind::Value(value)
            }
        };
        self.out.types.insert(
            name.to_owned(),
            TypeDef {
                path,
                description: schema.as_object().and_then(description),
                kind,
                origin: Origin {
                    file: at.file,
                    pointer: at.pointer,
                },
            },
        );
    }

    fn typed_component(&mut self, path: &TypePath, schema: &Value, at: &At) -> Lowered<TypeKind> {
        if let Some(dialect) = schema.get("$schema")
            && let Err(message) = self.typed_dialect(dialect)
        {
            return Err(self.error(&at.child("$schema"), message));
        }
        let at = at.clone();
        let obj = self.object(schema, &at)?;
        if obj.contains_key("$ref") {
            self.check_keywords(obj, Kind::Ref, &at);
            self.reference(obj, &at).map(TypeKind::Alias)
        } else if obj.contains_key("enum") {
            self.string_enum(obj, &at).map(TypeKind::Enum)
        } else if type_name(obj) == Some("object") {
            self.structure(obj, path, &at).map(TypeKind::Struct)
        } else {
            let what = match obj.get("type") {
                Some(t) => format!("`type: {t}`"),
                None => "no `type`".to_owned(),
            };
            Err(self.error(
                &at,
                format!("unsupported: a component with {what}; the generator handles objects, string enums and `$ref` aliases at the top level"),
            ))
        }
    }

    fn object<'v>(&mut self, schema: &'v Value, at: &At) -> Lowered<&'v Map<String, Value>> {
        match schema {
            Value::Object(obj) => Ok(obj),
            Value::Bool(_) => Err(self.error(
                at,
                "unsupported: a boolean schema here; use `{}` or a typed schema",
            )),
            other => Err(self.error(at, format!("a schema must be an object, found {other}"))),
        }
    }

    /// Reports every keyword that typed lowering does not enforce on `kind`
    /// and that is not an annotation.
    fn check_keywords(&mut self, obj: &Map<String, Value>, kind: Kind, at: &At) {
        for (key, value) in obj {
            let message = match keywords::find(key) {
                Some(k) if k.parse == keywords::Parse::Dialect => match self.typed_dialect(value) {
                    Ok(()) => continue,
                    Err(message) => message,
                },
                Some(k) => match k.typed {
                    keywords::Typed::Annotation => continue,
                    keywords::Typed::On(kinds) if kinds.contains(&kind) => continue,
                    keywords::Typed::On(_) => {
                        format!("keyword `{key}` does not apply to {}", kind.describe())
                    }
                    keywords::Typed::Unsupported => keywords::unsupported(key),
                },
                None => keywords::unknown(key),
            };
            self.error(&at.child(key), message);
        }
    }

    fn reference(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<TypeId> {
        let at = at.child("$ref");
        let Some(reference) = obj.get("$ref").and_then(Value::as_str) else {
            return Err(self.error(&at, "`$ref` must be a string"));
        };
        let by_url = self.component_by_url(reference, at.file);
        match load::ref_target(reference).or(by_url) {
            Some(target) if self.doc.components.contains_key(target) => Ok(target.to_owned()),
            Some(_) => {
                Err(self.error(&at, format!("`$ref` {reference:?} points to no schema")))
            }
            None => {
                Err(self.error(
                    &at,
                    format!("unsupported `$ref` {reference:?}: only \"#/components/schemas/NAME\" and the `$id` URLs of the input are resolved"),
                ))
            }
        }
    }

    /// The component whose `$id` URL `reference` names, resolved against
    /// the URL of the file it is written in (draft 2020-12 §8.2: a relative
    /// `$ref` such as `other.json`).
    fn component_by_url(&self, reference: &str, file: FileId) -> Option<&str> {
        let (resource, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() {
            return None;
        }
        let base = self.bases.get(&file).map_or(DOCUMENT_BASE, String::as_str);
        let uri = resources::resolve(resource, base).ok()?;
        self.urls.get(&uri).map(String::as_str)
    }

    fn string_enum(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<StringEnum> {
        self.check_keywords(obj, Kind::Enum, at);
        if let Some(t) = obj.get("type")
            && t != "string"
        {
            return Err(self.error(
                &at.child("type"),
                format!("unsupported: an enum of type {t}; only string enums are generated"),
            ));
        }
        let Some(values) = obj.get("enum").and_then(Value::as_array) else {
            return Err(self.error(&at.child("enum"), "`enum` must be an array"));
        };
        if values.is_empty() {
            return Err(self.error(&at.child("enum"), "`enum` must list at least one value"));
        }
        if values.len() > MAX_ENUM_VALUES {
            return Err(self.error(&at.child("enum"), too_many_values(values.len())));
        }
        // Every value is checked (and each bad one reported) before failing.
        let mut failed = None;
        // Each value with its index; a set to find repeats in one pass even
        // for very large enums.
        let mut listed: Vec<(usize, &str)> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (i, v) in values.iter().enumerate() {
            let at_value = || at.child("enum").child(&i.to_string());
            let Some(s) = v.as_str() else {
                failed = Some(self.error(
                    &at_value(),
                    format!("unsupported: enum value {v} is not a string"),
                ));
                continue;
            };
            if !seen.insert(s) {
                failed = Some(self.error(&at_value(), format!("enum value {s:?} is listed twice")));
                continue;
            }
            listed.push((i, s));
        }
        let wires: Vec<&str> = listed.iter().map(|&(_, s)| s).collect();
        let mut variants: Vec<(String, String)> = Vec::with_capacity(listed.len());
        for (&(i, s), (ident, why)) in listed.iter().zip(naming::variant_names(&wires)) {
            if let Some(why) = why {
                self.warn(
                    &at.child("enum").child(&i.to_string()),
                    format!("enum value {s:?} becomes variant `{ident}`: {why}"),
                );
            }
            variants.push((s.to_owned(), ident));
        }
        match failed {
            Some(reported) => Err(reported),
            None => Ok(StringEnum {
                variants,
                closed: false,
            }),
        }
    }

    fn structure(
        &mut self,
        obj: &Map<String, Value>,
        owner: &TypePath,
        at: &At,
    ) -> Lowered<Struct> {
        self.check_keywords(obj, Kind::Object, at);
        let required: BTreeSet<&str> = match obj.get("required") {
            None => BTreeSet::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).collect()
            }
            Some(_) => {
                return Err(self.error(
                    &at.child("required"),
                    "`required` must be an array of strings",
                ));
            }
        };
        let empty = Map::new();
        let properties = match obj.get("properties") {
            None => &empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                return Err(self.error(&at.child("properties"), "`properties` must be an object"));
            }
        };
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(_) => {
                return Err(self.error(
                    &at.child("additionalProperties"),
                    "unsupported: `additionalProperties` other than `true` beside `properties`",
                ));
            }
        }
        for name in &required {
            if !properties.contains_key(*name) {
                self.error(
                    &at.child("required"),
                    format!(
                        "unsupported: required property {name:?} is not declared in `properties`"
                    ),
                );
            }
        }
        let fields = self.fields(properties, &required, owner, at);
        Ok(Struct {
            fields,
            strict: false,
        })
    }

    /// The struct's fields, one per property. A field that fails is
    /// reported and left out; the others are still lowered (and reported),
    /// and the recorded error fails the scope.
    fn fields(
        &mut self,
        properties: &Map<String, Value>,
        required: &BTreeSet<&str>,
        owner: &TypePath,
        at: &At,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        let props_at = at.child("properties");
        let json_names: Vec<&str> = properties.keys().map(String::as_str).collect();
        let rust_names = naming::field_names(&json_names);
        for ((json_name, schema), (rust_name, renamed)) in properties.iter().zip(rust_names) {
            let field_at = props_at.child(json_name);
            if let Some(why) = renamed {
                self.warn(
                    &field_at,
                    format!("property {json_name:?} becomes field `{rust_name}`: {why}"),
                );
            }
            let inline_name = TypePath {
                modules: owner.modules.clone(),
                name: format!("{}{}", owner.name, naming::pascal_case(json_name)),
            };
            let Ok(shape) = self.shape(schema, &inline_name, &field_at) else {
                continue;
            };
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name,
                description: schema.as_object().and_then(description),
                required: required.contains(json_name.as_str()),
                shape,
                default: schema.get("default").cloned(),
            });
        }
        fields
    }

    /// Lowers the schema of a property or array item. Inline objects and enums
    /// become types of their own, named after their owner.
    fn shape(&mut self, schema: &Value, inline_name: &TypePath, at: &At) -> Lowered<Shape> {
        if schema == &Value::Bool(true) {
            return Ok(Shape::Any);
        }
        let obj = self.object(schema, at)?;
        if obj.contains_key("$ref") {
            self.check_keywords(obj, Kind::Ref, at);
            return self.reference(obj, at).map(Shape::Ref);
        }
        if obj.contains_key("enum") {
            let e = self.string_enum(obj, at)?;
            return Ok(self.inline_type(inline_name, obj, at, TypeKind::Enum(e)));
        }
        match obj.get("type") {
            None => {
                let assertions: Vec<&String> = obj
                    .iter()
                    .filter(|(k, v)| {
                        !keywords::is_annotation(k)
                            || (k.as_str() == "$schema" && self.typed_dialect(v).is_err())
                    })
                    .map(|(k, _)| k)
                    .collect();
                if assertions.is_empty() {
                    return Ok(Shape::Any);
                }
                self.check_keywords(obj, Kind::Untyped, at);
                Err(self.error(
                    at,
                    "unsupported: a schema without `type` that has assertions",
                ))
            }
            Some(Value::String(t)) => match t.as_str() {
                "string" => self.string(obj, at).map(Shape::String),
                "integer" => self.integer(obj, at).map(Shape::Integer),
                "number" => self.number(obj, at).map(Shape::Number),
                "boolean" => {
                    self.check_keywords(obj, Kind::Boolean, at);
                    Ok(Shape::Boolean)
                }
                "array" => self.array(obj, inline_name, at),
                "object" => self.object_shape(obj, inline_name, at),
                other => Err(self.error(&at.child("type"), format!("unsupported type {other:?}"))),
            },
            Some(other) => Err(self.error(
                &at.child("type"),
                format!("unsupported: `type` {other}; only a single type name is supported"),
            )),
        }
    }

    fn inline_type(
        &mut self,
        path: &TypePath,
        obj: &Map<String, Value>,
        at: &At,
        kind: TypeKind,
    ) -> Shape {
        let id = format!("{}#{}", path.display(), at.pointer);
        self.out.types.insert(
            id.clone(),
            TypeDef {
                path: path.clone(),
                description: description(obj),
                kind,
                origin: Origin {
                    file: at.file,
                    pointer: at.pointer.clone(),
                },
            },
        );
        Shape::Ref(id)
    }

    fn string(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<StringRules> {
        self.check_keywords(obj, Kind::String, at);
        if let Some(format) = obj.get("format").filter(|_| self.format_assertion) {
            return Err(self.error(
                &at.child("format"),
                format!("unsupported string format {format}: the generator cannot check it yet"),
            ));
        }
        let pattern = match obj.get("pattern") {
            None => None,
            Some(Value::String(p)) => {
                self.pattern(p, crate::pattern::Applied::Values, &at.child("pattern"))?;
                Some(p.clone())
            }
            Some(_) => {
                return Err(self.error(&at.child("pattern"), "`pattern` must be a string"));
            }
        };
        Ok(StringRules {
            min_length: self.count(obj, "minLength", at)?,
            max_length: self.count(obj, "maxLength", at)?,
            pattern,
        })
    }

    fn integer(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<IntegerRules> {
        self.check_keywords(obj, Kind::Integer, at);
        // As an annotation, `format: int32` narrows nothing.
        let stated = obj.get("format").filter(|_| self.format_assertion);
        let format = match stated.map(|f| f.as_str()) {
            None | Some(Some("int64")) => IntegerFormat::Int64,
            Some(Some("int32")) => IntegerFormat::Int32,
            Some(other) => {
                return Err(self.error(
                    &at.child("format"),
                    format!(
                        "unsupported integer format {}",
                        other.unwrap_or("(not a string)")
                    ),
                ));
            }
        };
        Ok(IntegerRules {
            format,
            format_stated: stated.is_some(),
            bounds: self.bounds(obj, at)?,
        })
    }

    fn number(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<NumberRules> {
        self.check_keywords(obj, Kind::Number, at);
        let stated = obj.get("format").filter(|_| self.format_assertion);
        let format = match stated.map(|f| f.as_str()) {
            None | Some(Some("double")) => NumberFormat::Double,
            Some(Some("float")) => NumberFormat::Float,
            Some(other) => {
                return Err(self.error(
                    &at.child("format"),
                    format!(
                        "unsupported number format {}",
                        other.unwrap_or("(not a string)")
                    ),
                ));
            }
        };
        Ok(NumberRules {
            format,
            bounds: self.bounds(obj, at)?,
        })
    }

    fn bounds(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<Bounds> {
        let mut get = |key: &str| -> Lowered<Option<f64>> {
            match obj.get(key).map(|v| keywords::number(v, key)) {
                None => Ok(None),
                Some(Ok((_, n))) => Ok(Some(n)),
                Some(Err(message)) => Err(self.error(&at.child(key), message)),
            }
        };
        Ok(Bounds {
            minimum: get("minimum")?,
            maximum: get("maximum")?,
            exclusive_minimum: get("exclusiveMinimum")?,
            exclusive_maximum: get("exclusiveMaximum")?,
        })
    }

    fn count(&mut self, obj: &Map<String, Value>, key: &str, at: &At) -> Lowered<Option<u64>> {
        match obj.get(key).map(|v| keywords::count(v, key)) {
            None => Ok(None),
            Some(Ok(n)) => Ok(Some(n)),
            Some(Err(message)) => Err(self.error(&at.child(key), message)),
        }
    }

    fn array(
        &mut self,
        obj: &Map<String, Value>,
        inline_name: &TypePath,
        at: &At,
    ) -> Lowered<Shape> {
        self.check_keywords(obj, Kind::Array, at);
        let item_name = TypePath {
            modules: inline_name.modules.clone(),
            name: format!("{}Item", inline_name.name),
        };
        let items = match obj.get("items") {
            None => Shape::Any,
            Some(schema) => self.shape(schema, &item_name, &at.child("items"))?,
        };
        Ok(Shape::Array(
            Box::new(items),
            ArrayRules {
                min_items: self.count(obj, "minItems", at)?,
                max_items: self.count(obj, "maxItems", at)?,
            },
        ))
    }

    fn object_shape(
        &mut self,
        obj: &Map<String, Value>,
        inline_name: &TypePath,
        at: &At,
    ) -> Lowered<Shape> {
        if obj.contains_key("properties") {
            let s = self.structure(obj, inline_name, at)?;
            return Ok(self.inline_type(inline_name, obj, at, TypeKind::Struct(s)));
        }
        self.check_keywords(obj, Kind::Object, at);
        if obj.contains_key("required") {
            return Err(self.error(
                &at.child("required"),
                "unsupported: `required` on an object without `properties`",
            ));
        }
        let value_name = TypePath {
            modules: inline_name.modules.clone(),
            name: format!("{}Value", inline_name.name),
        };
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Ok(Shape::Map(Box::new(Shape::Any))),
            Some(schema @ Value::Object(_)) => {
                let inner = self.shape(schema, &value_name, &at.child("additionalProperties"))?;
                Ok(Shape::Map(Box::new(inner)))
            }
            Some(_) => Err(self.error(
                &at.child("additionalProperties"),
                "unsupported: `additionalProperties: false` on an object without `properties`",
            )),
        }
    }
}

/// A struct only when `type` says object: without it, `properties` also
/// admits every non-object value, which no struct states.
fn type_name(obj: &Map<String, Value>) -> Option<&str> {
    match obj.get("type") {
        Some(Value::String(t)) => Some(t),
        _ => None,
    }
}

fn description(obj: &Map<String, Value>) -> Option<String> {
    obj.get("description")
        .and_then(Value::as_str)
        .map(crate::text::dedent)
}

/// Two types (or their companion builder and raw types) must not land on the
/// same Rust path.
fn check_paths(space: &TypeSpace, sources: &SourceMap, errors: &mut Vec<Diagnostic>) {
    // Generated code names these prelude items unqualified (it reads better
    // in review); a type of the same name would capture them.
    const PRELUDE: &[&str] = &["Option", "Some", "None", "String", "Vec", "Result"];
    let mut taken: BTreeMap<String, &TypeId> = BTreeMap::new();
    for (id, def) in &space.types {
        if PRELUDE.contains(&def.path.name.as_str()) {
            errors.push(sources.at(
                def.origin.file,
                &def.origin.pointer,
                format!("unsupported: type name `{}` (from `{id}`) would shadow Rust's `{}` in the generated code", def.path.name, def.path.name),
            ));
        }
        // The crate root re-exports these from the runtime.
        if def.path.modules.is_empty()
            && ["ValidationError", "Violation"].contains(&def.path.name.as_str())
        {
            errors.push(sources.at(
                def.origin.file,
                &def.origin.pointer,
                format!("unsupported: type name `{}` (from `{id}`) at the crate root is the runtime's `{}`", def.path.name, def.path.name),
            ));
        }
        for full in crate::naming::with_companions(&def.path.display()) {
            if let Some(other) = taken.insert(full.clone(), id) {
                errors.push(sources.at(
                    def.origin.file,
                    &def.origin.pointer,
                    format!("`{id}` and `{other}` both generate `{full}`"),
                ));
            }
        }
    }
}

/// The types a type holds by value: a cycle among them has no finite size.
fn direct_refs(def: &TypeDef) -> Vec<&TypeId> {
    fn walk<'a>(shape: &'a Shape, out: &mut Vec<&'a TypeId>) {
        if let Shape::Ref(id) = shape {
            out.push(id);
        }
    }
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| walk(&f.shape, &mut out)),
        TypeKind::Alias(target) => out.push(target),
        TypeKind::Enum(_) | TypeKind::Value(_) => {}
    }
    out
}

fn check_cycles(space: &TypeSpace, sources: &SourceMap, errors: &mut Vec<Diagnostic>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    fn visit<'a>(
        id: &'a TypeId,
        space: &'a TypeSpace,
        marks: &mut BTreeMap<&'a TypeId, Mark>,
        stack: &mut Vec<&'a TypeId>,
        found: &mut Vec<Vec<&'a TypeId>>,
    ) {
        match marks.get(id) {
            Some(Mark::Done) => return,
            Some(Mark::Active) => {
                if let Some(start) = stack.iter().position(|s| *s == id) {
                    found.push(stack[start..].to_vec());
                }
                return;
            }
            None => {}
        }
        let Some(def) = space.types.get(id) else {
            return;
        };
        marks.insert(id, Mark::Active);
        stack.push(id);
        for next in direct_refs(def) {
            visit(next, space, marks, stack, found);
        }
        stack.pop();
        marks.insert(id, Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut found = Vec::new();
    for id in space.types.keys() {
        visit(id, space, &mut marks, &mut Vec::new(), &mut found);
    }
    for cycle in found {
        let Some(def) = space.types.get(cycle[0]) else {
            continue;
        };
        let all_aliases = cycle.iter().all(|id| {
            matches!(
                space.types.get(*id).map(|d| &d.kind),
                Some(TypeKind::Alias(_))
            )
        });
        let names: Vec<&str> = cycle
            .iter()
            .chain(std::iter::once(&cycle[0]))
            .map(|s| s.as_str())
            .collect();
        let message = if all_aliases {
            format!("cycle of `$ref`: {}", names.join(" → "))
        } else {
            format!(
                "unsupported: recursive type {} (a recursion through an array or a map is supported)",
                names.join(" → ")
            )
        };
        errors.push(sources.at(def.origin.file, &def.origin.pointer, message));
    }
}

/// The types a request starts from: the operations' bodies and parameter
/// enums; without operations, the components named `…Request`.
fn request_roots(space: &TypeSpace) -> BTreeSet<TypeId> {
    if space.operations.is_empty() {
        return space
            .types
            .keys()
            .filter(|id| id.ends_with(REQUEST_SUFFIX))
            .cloned()
            .collect();
    }
    let mut roots = BTreeSet::new();
    for op in &space.operations {
        roots.extend(op.body.iter().map(|b| b.ty.clone()));
        for param in &op.params {
            if let Shape::Ref(id) = &param.shape {
                roots.insert(id.clone());
            }
        }
    }
    roots
}

/// Marks the request roots strict, and closes the enums used only beneath
/// them. An enum also reached from any other object stays open (it has an
/// `Unknown` variant) so responses keep values added upstream; beneath a
/// strict type it is still checked strictly at run time. Standalone documents have no
/// directions: their enums are closed, as the schema says.
fn mark_closed_enums(space: &mut TypeSpace, mode: Mode) {
    if mode == Mode::Standalone {
        for def in space.types.values_mut() {
            if let TypeKind::Enum(e) = &mut def.kind {
                e.closed = true;
            }
        }
        return;
    }
    let requests = request_roots(space);
    let is_request = |id: &TypeId| requests.contains(id);
    let request_roots: Vec<TypeId> = space
        .types
        .keys()
        .filter(|id| is_request(id))
        .cloned()
        .collect();
    let other_roots: Vec<TypeId> = space
        .types
        .iter()
        .filter(|(id, def)| !is_request(id) && !matches!(def.kind, TypeKind::Enum(_)))
        .map(|(id, _)| id.clone())
        .collect();
    let beneath_requests = space.reachable(request_roots);
    let elsewhere = space.reachable(other_roots);
    for (id, def) in space.types.iter_mut() {
        match &mut def.kind {
            TypeKind::Enum(e) => {
                e.closed = beneath_requests.contains(id) && !elsewhere.contains(id)
            }
            TypeKind::Struct(s) => s.strict = is_request(id),
            TypeKind::Alias(_) | TypeKind::Value(_) => {}
        }
    }
}
