//! The schema resources embedded in one document, for `$ref` resolution as
//! draft 2020-12 specifies it: `$id` sets the base URI of its subschema (and
//! names it), `$anchor` names a subschema within its resource, and a `$ref`
//! is resolved against the base URI in effect where it is written. URI
//! resolution and normalization (RFC 3986) are `fluent-uri`'s. Only what the
//! document itself holds is resolvable; nothing is ever retrieved.

use std::collections::BTreeMap;

use fluent_uri::{Uri, UriRef};
use serde_json::Value;

use crate::diagnostic::escape_token;

/// The base URI of a document whose root declares none. Hierarchical, so
/// relative references still resolve (to URIs no resource has, unless an
/// embedded `$id` names one).
pub(crate) const DOCUMENT_BASE: &str = "json-schema:///";

/// Keywords whose value is one subschema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "not",
    "additionalProperties",
    "propertyNames",
    "if",
    "then",
    "else",
    "contains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
];
/// Keywords whose value maps names to subschemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is an array of subschemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// A problem with an `$id` or `$anchor`, at the pointer (below the root) of
/// that keyword.
pub(super) struct IndexError {
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub(super) struct Resources {
    /// Every subschema's pointer (below the root) → the base URI in effect
    /// there (normalized, without fragment).
    bases: BTreeMap<String, String>,
    /// Resource URI (normalized, without fragment) → its pointer.
    resources: BTreeMap<String, String>,
    /// (resource URI, anchor name) → the anchored subschema's pointer.
    anchors: BTreeMap<(String, String), String>,
}

/// Where a `$ref` leads, or why it leads nowhere in this document.
pub(super) enum Target {
    /// The pointer (below the root) of the referenced subschema.
    Found(String),
    /// The message for the `$ref`.
    Refused(String),
}

impl Resources {
    /// Indexes `root` (a whole schema document). The root's own `$id` is its
    /// base URI, except one with a fragment: in an API document that names
    /// a component (`#/components/schemas/NAME`, see `load`), not a resource.
    pub(super) fn index(root: &Value, errors: &mut Vec<IndexError>) -> Resources {
        let mut out = Resources::default();
        let base = root
            .get("$id")
            .and_then(Value::as_str)
            .filter(|id| !id.contains('#'))
            .and_then(|id| resolve(id, DOCUMENT_BASE).ok())
            .unwrap_or_else(|| DOCUMENT_BASE.to_owned());
        out.resources.insert(base.clone(), String::new());
        out.walk(root, String::new(), &base, true, errors);
        out
    }

    fn walk(
        &mut self,
        schema: &Value,
        pointer: String,
        base: &str,
        is_root: bool,
        errors: &mut Vec<IndexError>,
    ) {
        let Value::Object(obj) = schema else {
            if schema.is_boolean() {
                self.bases.insert(pointer, base.to_owned());
            }
            return;
        };
        let mut base = base.to_owned();
        if let (false, Some(id)) = (is_root, obj.get("$id")) {
            let at = format!("{pointer}/$id");
            match id.as_str().map(|id| resource_id(id, &base)) {
                Some(Ok(uri)) => {
                    if let Some(first) = self.resources.get(&uri) {
                        errors.push(IndexError {
                            pointer: at,
                            message: format!(
                                "`$id` {uri:?} is also declared at {}",
                                display_pointer(first)
                            ),
                        });
                    } else {
                        self.resources.insert(uri.clone(), pointer.clone());
                        base = uri;
                    }
                }
                Some(Err(message)) => errors.push(IndexError {
                    pointer: at,
                    message,
                }),
                None => errors.push(IndexError {
                    pointer: at,
                    message: "`$id` must be a string".to_owned(),
                }),
            }
        }
        if let Some(anchor) = obj.get("$anchor") {
            let at = format!("{pointer}/$anchor");
            match anchor.as_str() {
                Some(name) if is_anchor_name(name) => {
                    let key = (base.clone(), name.to_owned());
                    if let Some(first) = self.anchors.get(&key) {
                        errors.push(IndexError {
                            pointer: at,
                            message: format!(
                                "`$anchor` {name:?} is also declared at {} in resource {base:?}",
                                display_pointer(first)
                            ),
                        });
                    } else {
                        self.anchors.insert(key, pointer.clone());
                    }
                }
                _ => errors.push(IndexError {
                    pointer: at,
                    message: format!(
                        "`$anchor` must be a string of the form [A-Za-z_][-A-Za-z0-9._]*, found {anchor}"
                    ),
                }),
            }
        }
        for (key, value) in obj {
            let child = format!("{pointer}/{}", escape_token(key));
            if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                self.walk(value, child, &base, false, errors);
            } else if SCHEMA_MAP_KEYWORDS.contains(&key.as_str()) {
                if let Value::Object(map) = value {
                    for (name, sub) in map {
                        let sub_pointer = format!("{child}/{}", escape_token(name));
                        self.walk(sub, sub_pointer, &base, false, errors);
                    }
                }
            } else if SCHEMA_LIST_KEYWORDS.contains(&key.as_str()) {
                if let Value::Array(items) = value {
                    for (i, sub) in items.iter().enumerate() {
                        self.walk(sub, format!("{child}/{i}"), &base, false, errors);
                    }
                }
            }
        }
        self.bases.insert(pointer, base);
    }

    /// The base URI in effect at the subschema at `pointer`, if it is one.
    pub(super) fn base(&self, pointer: &str) -> Option<&str> {
        self.bases.get(pointer).map(String::as_str)
    }

    /// The resource URI `reference` (a `$ref` written in the subschema at
    /// `from`) names, fragment aside.
    pub(super) fn absolute(&self, reference: &str, from: &str) -> Option<String> {
        let resource = reference.split('#').next().unwrap_or(reference);
        resolve(resource, self.base(from)?).ok()
    }

    /// Resolves `reference` (a `$ref` written in the subschema at `from`).
    pub(super) fn resolve(&self, reference: &str, from: &str) -> Target {
        let Some(base) = self.base(from) else {
            return Target::Refused(format!(
                "`$ref` {reference:?} is not inside a subschema, so it has no base URI"
            ));
        };
        // The fragment is not part of the resource's URI: a JSON pointer or
        // an anchor name within it.
        let (resource_part, fragment) = match reference.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (reference, None),
        };
        let uri = match resolve(resource_part, base) {
            Ok(uri) => uri,
            Err(message) => {
                return Target::Refused(format!("`$ref` {reference:?} {message}"));
            }
        };
        let Some(resource) = self.resources.get(&uri) else {
            return Target::Refused(format!(
                "unsupported `$ref` {reference:?}: {uri:?} is not a schema embedded in this document, and remote schemas are never retrieved"
            ));
        };
        let fragment = match fragment.map(percent_decode) {
            None => return Target::Found(resource.clone()),
            Some(Some(f)) => f,
            Some(None) => {
                return Target::Refused(format!(
                    "`$ref` {reference:?} is not valid percent-encoding"
                ));
            }
        };
        if fragment.is_empty() {
            Target::Found(resource.clone())
        } else if fragment.starts_with('/') {
            Target::Found(format!("{resource}{fragment}"))
        } else {
            match self.anchors.get(&(uri.clone(), fragment.clone())) {
                Some(pointer) => Target::Found(pointer.clone()),
                None => Target::Refused(format!(
                    "`$ref` {reference:?}: resource {uri:?} declares no `$anchor` {fragment:?}"
                )),
            }
        }
    }
}

/// The resource URI an embedded `$id` declares: resolved against `base`,
/// normalized. A non-empty fragment is not allowed there (draft 2020-12
/// names subschemas with `$anchor` instead).
fn resource_id(id: &str, base: &str) -> Result<String, String> {
    let (uri, fragment) = id.split_once('#').unwrap_or((id, ""));
    if !fragment.is_empty() {
        return Err(format!(
            "`$id` {id:?} has a fragment; name a subschema with `$anchor` instead"
        ));
    }
    resolve(uri, base).map_err(|e| format!("`$id` {id:?} {e}"))
}

/// `reference` (without fragment) resolved against the absolute `base`,
/// normalized so that equal resources compare equal as strings.
pub(crate) fn resolve(reference: &str, base: &str) -> Result<String, String> {
    let base = Uri::parse(base).map_err(|e| format!("has an invalid base URI: {e}"))?;
    let reference =
        UriRef::parse(reference).map_err(|e| format!("is not a valid URI reference: {e}"))?;
    let uri = reference
        .resolve_against(&base)
        .map_err(|e| format!("cannot be resolved against {:?}: {e}", base.as_str()))?;
    Ok(uri.normalize().as_str().to_owned())
}

/// `$anchor` names: `[A-Za-z_][-A-Za-z0-9._]*`.
fn is_anchor_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(r: &Resources, reference: &str, from: &str) -> Option<String> {
        match r.resolve(reference, from) {
            Target::Found(p) => Some(p),
            Target::Refused(_) => None,
        }
    }

    #[test]
    fn embedded_ids_change_the_base() {
        let schema = json!({
            "$id": "http://example.com/root.json",
            "properties": {
                "foo": {
                    "$id": "dir/foo.json",
                    "$defs": { "inner": { "$anchor": "here" } },
                    "$ref": "#/$defs/inner"
                }
            },
            "$ref": "dir/foo.json"
        });
        let mut errors = Vec::new();
        let r = Resources::index(&schema, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(
            found(&r, "dir/foo.json", "").as_deref(),
            Some("/properties/foo")
        );
        assert_eq!(
            found(&r, "#/$defs/inner", "/properties/foo").as_deref(),
            Some("/properties/foo/$defs/inner")
        );
        // Relative to the embedded resource, not to the root.
        assert_eq!(
            found(&r, "foo.json#here", "/properties/foo").as_deref(),
            Some("/properties/foo/$defs/inner")
        );
        assert_eq!(found(&r, "#here", ""), None);
        assert_eq!(
            found(&r, "http://example.com/./dir/../dir/foo.json#here", "").as_deref(),
            Some("/properties/foo/$defs/inner")
        );
    }

    #[test]
    fn urn_bases_resolve_fragments_only() {
        let schema = json!({
            "$id": "urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed",
            "$defs": { "bar": { "$anchor": "something" } }
        });
        let mut errors = Vec::new();
        let r = Resources::index(&schema, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(
            found(
                &r,
                "urn:uuid:deadbeef-1234-ff00-00ff-4321feebdaed#something",
                ""
            )
            .as_deref(),
            Some("/$defs/bar")
        );
        assert_eq!(found(&r, "#/$defs/bar", "").as_deref(), Some("/$defs/bar"));
        // A relative path has nothing to resolve against in a URN.
        assert!(
            matches!(r.resolve("other.json", ""), Target::Refused(m) if m.contains("cannot be resolved"))
        );
    }

    #[test]
    fn remote_and_malformed_ids_are_reported() {
        let schema = json!({
            "$ref": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {
                "a": { "$id": "#frag" },
                "b": { "$id": "x.json" },
                "c": { "$id": "x.json" },
                "d": { "$anchor": "1bad" }
            }
        });
        let mut errors = Vec::new();
        let r = Resources::index(&schema, &mut errors);
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/$defs/a/$id", "/$defs/c/$id", "/$defs/d/$anchor"]
        );
        assert!(matches!(
            r.resolve("https://json-schema.org/draft/2020-12/schema", ""),
            Target::Refused(m) if m.contains("never retrieved")
        ));
    }
}
