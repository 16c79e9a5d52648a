//! OpenAPI 3.0's schema dialect, rewritten into the draft 2020-12 keywords
//! the rest of the generator reads. 3.0 schemas differ where it matters for
//! validity: `nullable: true` lets the value be `null`, and
//! `exclusiveMinimum`/`exclusiveMaximum` are booleans that make `minimum`/
//! `maximum` exclusive. OpenAPI 3.1 documents are draft 2020-12 already and
//! are left alone.

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, escape_token};
use crate::load::Document;
use crate::sources::{FileId, SourceMap};

/// Keywords of a 3.0 Schema Object holding one subschema, a map of them or a
/// list of them: where the rewrite descends.
const ONE: &[&str] = &["items", "not", "additionalProperties"];
const MAP: &[&str] = &["properties"];
const LIST: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Keywords that assert nothing; the only ones 3.0 lets stand beside `$ref`
/// without being ignored silently.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
];

/// Rewrites every component of a 3.0 document in place; a no-op for 3.1
/// documents and for schema files.
pub(crate) fn rewrite(doc: &mut Document, sources: &SourceMap, errors: &mut Vec<Diagnostic>) {
    let Some(api) = &doc.api else { return };
    let is_30 = api
        .rest
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"));
    if !is_30 {
        return;
    }
    let file = api.file;
    for component in doc.components.values_mut().filter(|c| c.file == file) {
        let mut cx = Rewrite {
            sources,
            file,
            errors,
        };
        cx.schema(&mut component.schema, &component.base);
    }
}

struct Rewrite<'a> {
    sources: &'a SourceMap,
    file: FileId,
    errors: &'a mut Vec<Diagnostic>,
}

impl Rewrite<'_> {
    fn error(&mut self, pointer: &str, message: String) {
        let d = self.sources.at(self.file, pointer, message);
        self.errors.push(d);
    }

    /// Nesting is bounded (64 levels) by the readers, so recursion is safe.
    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        let Value::Object(obj) = schema else { return };
        if obj.contains_key("$ref") {
            // 3.0 ignores a Reference Object's other fields; 2020-12 applies
            // them. Refused rather than read either way (and taken out, so
            // lowering does not report it again).
            let siblings: Vec<String> = obj
                .keys()
                .filter(|k| !ANNOTATIONS.contains(&k.as_str()))
                .cloned()
                .collect();
            for key in siblings {
                self.error(
                    &format!("{pointer}/{}", escape_token(&key)),
                    format!("unsupported: `{key}` beside `$ref`: OpenAPI 3.0 ignores it, draft 2020-12 applies it; wrap both in `allOf` to apply it"),
                );
                obj.remove(&key);
            }
            return;
        }
        if let Some(Value::Array(_)) = obj.get("type") {
            self.error(
                &format!("{pointer}/type"),
                "`type` must be a string in OpenAPI 3.0 (a list is 3.1); use `nullable: true` for null".to_owned(),
            );
        }
        self.nullable(obj, pointer);
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            self.exclusive(obj, exclusive, bound, pointer);
        }
        for (key, value) in obj.iter_mut() {
            let at = format!("{pointer}/{}", escape_token(key));
            if ONE.contains(&key.as_str()) {
                self.schema(value, &at);
            } else if MAP.contains(&key.as_str()) {
                if let Value::Object(map) = value {
                    for (name, sub) in map.iter_mut() {
                        self.schema(sub, &format!("{at}/{}", escape_token(name)));
                    }
                }
            } else if LIST.contains(&key.as_str())
                && let Value::Array(items) = value
            {
                for (i, sub) in items.iter_mut().enumerate() {
                    self.schema(sub, &format!("{at}/{i}"));
                }
            }
        }
    }

    /// `nullable: true` adds `"null"` to `type` (OpenAPI 3.0.3: only when
    /// `type` is given; `enum` still decides, so null must be listed there).
    fn nullable(&mut self, obj: &mut Map<String, Value>, pointer: &str) {
        match obj.get("nullable") {
            None => return,
            Some(Value::Bool(_)) => {}
            Some(other) => {
                let message = format!("`nullable` must be a boolean, found {other}");
                self.error(&format!("{pointer}/nullable"), message);
                obj.remove("nullable");
                return;
            }
        }
        if obj.remove("nullable") == Some(Value::Bool(true))
            && let Some(Value::String(t)) = obj.get("type")
        {
            let types = Value::from(vec![t.clone(), "null".to_owned()]);
            obj.insert("type".to_owned(), types);
        }
    }

    /// A boolean `exclusiveMinimum: true` turns `minimum: m` into 2020-12's
    /// `exclusiveMinimum: m`; `false`, or without a bound, it says nothing.
    fn exclusive(
        &mut self,
        obj: &mut Map<String, Value>,
        exclusive: &str,
        bound: &str,
        pointer: &str,
    ) {
        match obj.get(exclusive) {
            None => {}
            Some(Value::Bool(true)) => {
                obj.remove(exclusive);
                if let Some(b) = obj.remove(bound) {
                    obj.insert(exclusive.to_owned(), b);
                }
            }
            Some(Value::Bool(false)) => {
                obj.remove(exclusive);
            }
            Some(other) => {
                let message = format!(
                    "`{exclusive}` must be a boolean in OpenAPI 3.0 (it makes `{bound}` exclusive), found {other}"
                );
                self.error(&format!("{pointer}/{exclusive}"), message);
                obj.remove(exclusive);
            }
        }
    }
}
