//! The schema resources embedded in one document, for `$ref` resolution as
//! draft 2020-12 specifies it: `$id` sets the base URI of its subschema (and
//! names it), `$anchor` names a subschema within its resource, and a `$ref`
//! is resolved against the base URI in effect where it is written. URI
//! resolution and normalization (RFC 3986) are `fluent-uri`'s. Only what the
//! document itself holds is resolvable; nothing is ever retrieved.

use std::collections::BTreeMap;

use fluent_uri::{Uri, UriRef};
use serde_json::{Map, Value};

use crate::diagnostic::escape_token;
use crate::lower::keywords::{self, Parse};
use crate::sources::FileId;

/// The base URI of a document whose root declares none. Hierarchical, so
/// relative references still resolve (to URIs no resource has, unless an
/// embedded `$id` names one).
pub(crate) const DOCUMENT_BASE: &str = "json-schema:///";

/// A problem with an `$id` or `$anchor`, at the pointer (below its
/// document's root) of that keyword.
pub(super) struct IndexError {
    pub doc: FileId,
    pub pointer: String,
    pub message: String,
}

/// A subschema's place: its document (the file of the schema being lowered,
/// or one read through the remote map) and its pointer below that root (in
/// the schema's own file, below the schema).
pub(super) type Loc = (FileId, String);

#[derive(Debug, Default)]
pub(super) struct Resources {
    /// Every subschema → the base URI in effect there (normalized, without
    /// fragment): the URI of the resource it belongs to.
    bases: BTreeMap<Loc, String>,
    /// Resource URI (normalized, without fragment) → its root.
    resources: BTreeMap<String, Loc>,
    /// (resource URI, anchor name) → the anchored subschema; `$anchor` and
    /// `$dynamicAnchor` alike, since both name a plain fragment.
    anchors: BTreeMap<(String, String), Loc>,
    /// The `$dynamicAnchor`s among `anchors`.
    dynamic: BTreeMap<(String, String), Loc>,
    /// Resource URI → the `$dynamicAnchor` names it declares.
    dynamic_names: BTreeMap<String, Vec<String>>,
    /// Resource URI → the `$schema` in effect there (normalized), declared
    /// at that place (the schema holding the `$schema`).
    dialects: BTreeMap<String, (String, Loc)>,
}

/// Where a `$ref` leads, or why it leads nowhere.
pub(super) enum Target {
    /// The referenced subschema.
    Found(Loc),
    /// No indexed resource has this URI (normalized, without fragment); it
    /// may be one the remote map covers.
    Unknown(String),
    /// The message for the `$ref`.
    Refused(String),
}

impl Resources {
    /// Indexes `root`, the whole schema being lowered, found in `file`. The
    /// root's own `$id` is its base URI, except one with a fragment:
    /// in an API document that names a component (`#/components/schemas/NAME`,
    /// see `load`), not a resource.
    pub(super) fn index(file: FileId, root: &Value, errors: &mut Vec<IndexError>) -> Resources {
        let mut out = Resources::default();
        out.add_document(file, root, DOCUMENT_BASE, errors);
        out
    }

    /// Indexes the document `doc`, retrieved as `uri`: that URI names it,
    /// and so does its root `$id` (resolved against it), which is its base.
    pub(super) fn add_document(
        &mut self,
        doc: FileId,
        root: &Value,
        uri: &str,
        errors: &mut Vec<IndexError>,
    ) {
        let base = root
            .get("$id")
            .and_then(Value::as_str)
            .filter(|id| !id.trim_end_matches('#').contains('#'))
            .and_then(|id| resolve(id.trim_end_matches('#'), uri).ok())
            .unwrap_or_else(|| uri.to_owned());
        self.resources
            .entry(uri.to_owned())
            .or_insert((doc, String::new()));
        self.resources
            .entry(base.clone())
            .or_insert((doc, String::new()));
        self.walk(doc, root, String::new(), &base, None, true, errors);
    }

    /// Indexes the subschema `schema` at `pointer` of `doc` and, through
    /// the keywords that hold subschemas, every subschema below it.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        doc: FileId,
        schema: &Value,
        pointer: String,
        base: &str,
        dialect: Option<&(String, Loc)>,
        is_root: bool,
        errors: &mut Vec<IndexError>,
    ) {
        let Value::Object(obj) = schema else {
            if schema.is_boolean() {
                self.bases.insert((doc, pointer), base.to_owned());
            }
            return;
        };
        let mut base = base.to_owned();
        let mut new_resource = is_root;
        if let (false, Some(id)) = (is_root, obj.get("$id"))
            && let Some(uri) = self.embedded_id(doc, id, &pointer, &base, errors)
        {
            base = uri;
            new_resource = true;
        }
        // `$schema` belongs at a resource's root; the dialect it names holds
        // for the resources embedded below, unless they name their own.
        let declared = match (new_resource, obj.get("$schema").and_then(Value::as_str)) {
            (true, Some(uri)) => resolve(uri, &base)
                .ok()
                .map(|uri| (uri, (doc, pointer.clone()))),
            _ => None,
        };
        let dialect = declared.as_ref().or(dialect);
        if new_resource && let Some(d) = dialect {
            self.dialects.insert(base.clone(), d.clone());
        }
        self.index_anchors(doc, obj, &pointer, &base, errors);
        for (key, value) in obj {
            let child = format!("{pointer}/{}", escape_token(key));
            match (keywords::find(key).map(|k| k.parse), value) {
                (Some(Parse::Schema), _) => {
                    self.walk(doc, value, child, &base, dialect, false, errors);
                }
                (Some(Parse::SchemaMap), Value::Object(map)) => {
                    for (name, sub) in map {
                        let sub_pointer = format!("{child}/{}", escape_token(name));
                        self.walk(doc, sub, sub_pointer, &base, dialect, false, errors);
                    }
                }
                (Some(Parse::SchemaList), Value::Array(items)) => {
                    for (i, sub) in items.iter().enumerate() {
                        let sub_pointer = format!("{child}/{i}");
                        self.walk(doc, sub, sub_pointer, &base, dialect, false, errors);
                    }
                }
                _ => {}
            }
        }
        self.bases.insert((doc, pointer), base);
    }

    /// The URI an embedded `$id` (at `pointer`/$id) names, now a resource;
    /// `None` when it is malformed or declared twice (reported).
    fn embedded_id(
        &mut self,
        doc: FileId,
        id: &Value,
        pointer: &str,
        base: &str,
        errors: &mut Vec<IndexError>,
    ) -> Option<String> {
        let at = format!("{pointer}/$id");
        let message = match id.as_str().map(|id| resource_id(id, base)) {
            Some(Ok(uri)) => match self.resources.get(&uri) {
                Some((_, first)) => format!(
                    "`$id` {uri:?} is also declared at {}",
                    display_pointer(first)
                ),
                None => {
                    self.resources
                        .insert(uri.clone(), (doc, pointer.to_owned()));
                    return Some(uri);
                }
            },
            Some(Err(message)) => message,
            None => "`$id` must be a string".to_owned(),
        };
        errors.push(IndexError {
            doc,
            pointer: at,
            message,
        });
        None
    }

    /// Records the `$anchor` and `$dynamicAnchor` of the subschema `obj`
    /// at `pointer`, in the resource `base`.
    fn index_anchors(
        &mut self,
        doc: FileId,
        obj: &Map<String, Value>,
        pointer: &str,
        base: &str,
        errors: &mut Vec<IndexError>,
    ) {
        for keyword in ["$anchor", "$dynamicAnchor"] {
            let Some(anchor) = obj.get(keyword) else {
                continue;
            };
            let at = format!("{pointer}/{keyword}");
            let Some(name) = anchor.as_str().filter(|name| is_anchor_name(name)) else {
                errors.push(IndexError {
                    doc,
                    pointer: at,
                    message: format!(
                        "`{keyword}` must be a string of the form [A-Za-z_][-A-Za-z0-9._]*, found {anchor}"
                    ),
                });
                continue;
            };
            let key = (base.to_owned(), name.to_owned());
            if let Some((_, first)) = self.anchors.get(&key) {
                errors.push(IndexError {
                    doc,
                    pointer: at,
                    message: format!(
                        "`{keyword}` {name:?} is also declared at {} in resource {base:?}",
                        display_pointer(first)
                    ),
                });
                continue;
            }
            self.anchors.insert(key.clone(), (doc, pointer.to_owned()));
            if keyword == "$dynamicAnchor" {
                self.dynamic.insert(key, (doc, pointer.to_owned()));
                self.dynamic_names
                    .entry(base.to_owned())
                    .or_default()
                    .push(name.to_owned());
            }
        }
    }

    /// The base URI in effect at the subschema `at`, if it is one.
    pub(super) fn base(&self, at: &Loc) -> Option<&str> {
        self.bases.get(at).map(String::as_str)
    }

    /// The `$dynamicAnchor` names the resource `uri` declares.
    pub(super) fn dynamic_names(&self, uri: &str) -> &[String] {
        self.dynamic_names.get(uri).map_or(&[], Vec::as_slice)
    }

    /// The subschema of resource `uri` that declares `$dynamicAnchor` `name`.
    pub(super) fn dynamic_anchor(&self, uri: &str, name: &str) -> Option<&Loc> {
        self.dynamic.get(&(uri.to_owned(), name.to_owned()))
    }

    /// The dialect (`$schema`, normalized) of resource `uri`, and the
    /// schema declaring it.
    pub(super) fn dialect(&self, uri: &str) -> Option<&(String, Loc)> {
        self.dialects.get(uri)
    }

    /// Resolves `reference` (a `$ref` written in the subschema at `from`).
    /// The second value is the anchor name of a plain-name fragment that a
    /// `$dynamicAnchor` declares (what makes a `$dynamicRef` dynamic).
    pub(super) fn resolve(&self, reference: &str, from: &Loc) -> (Target, Option<String>) {
        let Some(base) = self.base(from) else {
            return (
                Target::Refused(format!(
                    "`$ref` {reference:?} is not inside a subschema, so it has no base URI"
                )),
                None,
            );
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
                return (
                    Target::Refused(format!("`$ref` {reference:?} {message}")),
                    None,
                );
            }
        };
        let Some((doc, root)) = self.resources.get(&uri) else {
            return (Target::Unknown(uri), None);
        };
        let fragment = match fragment.map(percent_decode) {
            None => return (Target::Found((*doc, root.clone())), None),
            Some(Some(f)) => f,
            Some(None) => {
                return (
                    Target::Refused(format!(
                        "`$ref` {reference:?} is not valid percent-encoding"
                    )),
                    None,
                );
            }
        };
        if fragment.is_empty() {
            (Target::Found((*doc, root.clone())), None)
        } else if fragment.starts_with('/') {
            (Target::Found((*doc, format!("{root}{fragment}"))), None)
        } else {
            let key = (uri.clone(), fragment.clone());
            let dynamic = self.dynamic.contains_key(&key).then(|| fragment.clone());
            match self.anchors.get(&key) {
                Some(at) => (Target::Found(at.clone()), dynamic),
                None => (
                    Target::Refused(format!(
                        "`$ref` {reference:?}: resource {uri:?} declares no `$anchor` {fragment:?}"
                    )),
                    None,
                ),
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

    /// The file of the schema indexed (each test indexes one).
    fn doc() -> FileId {
        crate::sources::SourceMap::default().add(crate::SourceFile {
            name: "schema.json".to_owned(),
            text: String::new(),
        })
    }

    fn found(r: &Resources, reference: &str, from: &str) -> Option<String> {
        match r.resolve(reference, &(doc(), from.to_owned())).0 {
            Target::Found((_, p)) => Some(p),
            _ => None,
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
        let r = Resources::index(doc(), &schema, &mut errors);
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
        let r = Resources::index(doc(), &schema, &mut errors);
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
            matches!(r.resolve("other.json", &(doc(), String::new())).0, Target::Refused(m) if m.contains("cannot be resolved"))
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
        let r = Resources::index(doc(), &schema, &mut errors);
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/$defs/a/$id", "/$defs/c/$id", "/$defs/d/$anchor"]
        );
        assert!(matches!(
            r.resolve("https://json-schema.org/draft/2020-12/schema", &(doc(), String::new())).0,
            Target::Unknown(uri) if uri == "https://json-schema.org/draft/2020-12/schema"
        ));
    }

    #[test]
    fn dynamic_anchors_are_anchors_and_listed_per_resource() {
        let schema = json!({
            "$id": "https://example.com/root",
            "$dynamicAnchor": "meta",
            "$defs": {
                "inner": { "$id": "inner", "$dynamicAnchor": "meta", "$anchor": "plain" }
            }
        });
        let mut errors = Vec::new();
        let r = Resources::index(doc(), &schema, &mut errors);
        assert!(errors.is_empty());
        let (target, dynamic) = r.resolve("inner#meta", &(doc(), String::new()));
        assert!(matches!(target, Target::Found((_, p)) if p == "/$defs/inner"));
        assert_eq!(dynamic.as_deref(), Some("meta"));
        // A plain `$anchor` makes no `$dynamicRef` dynamic.
        assert_eq!(r.resolve("inner#plain", &(doc(), String::new())).1, None);
        assert_eq!(r.dynamic_names("https://example.com/inner"), ["meta"]);
        assert_eq!(
            r.dynamic_anchor("https://example.com/root", "meta"),
            Some(&(doc(), String::new()))
        );
    }
}
