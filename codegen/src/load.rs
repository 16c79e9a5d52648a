//! Parses schema files into one document of components, keyed by `$id`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostic::{self, Diagnostic};
use crate::sources::{FileId, SourceMap};

const ID_PREFIX: &str = "#/components/schemas/";

/// The components of one run. Overlays edit it as if it were an OpenAPI
/// document (`$.components.schemas.NAME…`), so the same overlay applies
/// whether the schemas come as files or inside an OpenAPI document.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub components: BTreeMap<String, Component>,
    /// Absolute `$id` URLs → component name, so `$ref`s by URL resolve.
    pub urls: BTreeMap<String, String>,
    /// The rest of the OpenAPI document the components came from (`paths`,
    /// `servers`, extensions…), without `components.schemas`; `None` for a
    /// folder of schema files. Overlays edit it too, so they can target
    /// `$.paths`.
    pub api: Option<Api>,
}

/// The OpenAPI document around the schemas.
#[derive(Debug)]
pub(crate) struct Api {
    pub file: FileId,
    /// The document with `components.schemas` taken out.
    pub rest: Value,
}

#[derive(Debug)]
pub(crate) struct Component {
    pub file: FileId,
    /// Pointer of the schema inside its file (`""` for a file per schema).
    pub base: String,
    pub schema: Value,
}

impl Document {
    pub fn to_value(&self) -> Value {
        let schemas: serde_json::Map<String, Value> = self
            .components
            .iter()
            .map(|(name, c)| (name.clone(), c.schema.clone()))
            .collect();
        let mut doc = match &self.api {
            Some(api) => api.rest.clone(),
            None => serde_json::json!({}),
        };
        if let Some(root) = doc.as_object_mut() {
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(components) = components.as_object_mut() {
                components.insert("schemas".to_owned(), Value::Object(schemas));
            }
        }
        doc
    }

    /// Takes back the schemas, and the rest of the OpenAPI document, from an
    /// edited virtual document. A schema an overlay added becomes a
    /// component of the OpenAPI document; without one, it has no file to
    /// live in, and its name is returned for the caller to report.
    pub fn replace_from(&mut self, mut value: Value) -> Vec<String> {
        let mut homeless = Vec::new();
        let schemas = value
            .pointer_mut("/components/schemas")
            .map(Value::take)
            .unwrap_or_default();
        if let Value::Object(schemas) = schemas {
            let home = self.api.as_ref().map(|api| api.file);
            for (name, schema) in schemas {
                let base = format!("/components/schemas/{}", diagnostic::escape_token(&name));
                match (self.components.get_mut(&name), home) {
                    (Some(component), _) => component.schema = schema,
                    (None, Some(file)) => {
                        let component = Component { file, base, schema };
                        self.components.insert(name, component);
                    }
                    (None, None) => homeless.push(name),
                }
            }
        }
        if let Some(api) = &mut self.api {
            api.rest = value;
        }
        homeless
    }
}

/// Reads every schema file and every OpenAPI document of `sources`. A file
/// that cannot be read as intended is reported and skipped, so the other
/// files are still checked.
pub(crate) fn load(
    sources: &SourceMap,
    schemas: &[FileId],
    openapi: &[FileId],
    errors: &mut Vec<Diagnostic>,
) -> Document {
    let mut doc = Document::default();
    for &id in openapi {
        load_openapi(&mut doc, sources, id, errors);
    }
    for &id in schemas {
        let file = sources.get(id);
        let value = match diagnostic::parse(file) {
            Ok(v) => v,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let name = match component_name(&value) {
            Ok((name, url)) => {
                if let Some(url) = url {
                    doc.urls.insert(url, name.clone());
                }
                name
            }
            Err(message) => {
                let pointer = if value.get("$id").is_some() {
                    "/$id"
                } else {
                    ""
                };
                errors.push(sources.at(id, pointer, message));
                continue;
            }
        };
        if let Some(previous) = doc.components.get(&name) {
            let message = format!(
                "`$id` {ID_PREFIX}{name} is also declared by {}",
                sources.get(previous.file).name
            );
            errors.push(sources.at(id, "/$id", message));
            continue;
        }
        doc.components.insert(
            name,
            Component {
                file: id,
                base: String::new(),
                schema: value,
            },
        );
    }
    doc
}

/// Takes `components.schemas` of an OpenAPI document. Each schema keeps its
/// place in the document for diagnostics.
fn load_openapi(doc: &mut Document, sources: &SourceMap, id: FileId, errors: &mut Vec<Diagnostic>) {
    let file = sources.get(id);
    let value = match diagnostic::parse(file) {
        Ok(v) => v,
        Err(d) => {
            errors.push(d);
            return;
        }
    };
    let version = value
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        errors.push(sources.at(
            id,
            "/openapi",
            "not an OpenAPI 3.0 or 3.1 document (`openapi` version missing or unsupported)",
        ));
        return;
    }
    let mut value = value;
    let Some(Value::Object(schemas)) = value.pointer_mut("/components/schemas").map(Value::take)
    else {
        errors.push(sources.at(
            id,
            "/components",
            "the document has no `components.schemas` object",
        ));
        return;
    };
    for (name, schema) in schemas {
        let base = format!("/components/schemas/{}", diagnostic::escape_token(&name));
        if let Some(previous) = doc.components.get(&name) {
            let message = format!(
                "schema {name} is also declared by {}",
                sources.get(previous.file).name
            );
            errors.push(sources.at(id, &base, message));
            continue;
        }
        doc.components.insert(
            name.clone(),
            Component {
                file: id,
                base,
                schema,
            },
        );
    }
    if let Some(components) = value.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("schemas");
    }
    match &doc.api {
        Some(api) => errors.push(sources.at(
            id,
            "",
            format!(
                "only one OpenAPI document per run; {} is one already",
                sources.get(api.file).name
            ),
        )),
        None => {
            doc.api = Some(Api {
                file: id,
                rest: value,
            })
        }
    }
}

/// Reads standalone documents, each the file `id` under the component name
/// the caller gives it.
pub(crate) fn load_standalone(
    sources: &SourceMap,
    documents: &[(&str, FileId)],
    errors: &mut Vec<Diagnostic>,
) -> Document {
    let mut doc = Document::default();
    for &(name, id) in documents {
        let value = match diagnostic::parse(sources.get(id)) {
            Ok(v) => v,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        if doc.components.contains_key(name) {
            let message = format!("component name {name:?} is given twice");
            errors.push(sources.at(id, "", message));
            continue;
        }
        doc.components.insert(
            name.to_owned(),
            Component {
                file: id,
                base: String::new(),
                schema: value,
            },
        );
    }
    doc
}

/// The component name an `$id` gives: `#/components/schemas/NAME`, or for an
/// absolute URL (`https://…/api_x_v1_Thing.json`) its last path segment
/// without the extension. The second value is the URL, to resolve refs by it.
fn component_name(schema: &Value) -> Result<(String, Option<String>), String> {
    let id = schema
        .get("$id")
        .ok_or(
            "schema file has no `$id`; expected \"#/components/schemas/NAME\" or an absolute URL",
        )?
        .as_str()
        .ok_or("`$id` must be a string")?;
    if let Some(name) = id
        .strip_prefix(ID_PREFIX)
        .filter(|n| !n.is_empty() && !n.contains('/'))
    {
        return Ok((name.to_owned(), None));
    }
    let url_name = id
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['#', '?']).next())
        .and_then(|path| path.rsplit('/').next())
        .map(|last| last.strip_suffix(".json").unwrap_or(last))
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    match url_name {
        Some(name) => Ok((
            name.replace('-', "_"),
            Some(id.trim_end_matches('#').to_owned()),
        )),
        None => Err(format!(
            "`$id` {id:?} is neither \"#/components/schemas/NAME\" nor an absolute URL ending in a name"
        )),
    }
}

/// The component a `$ref` names, if it is a component reference.
pub(crate) fn ref_target(reference: &str) -> Option<&str> {
    reference
        .strip_prefix(ID_PREFIX)
        .filter(|n| !n.is_empty() && !n.contains('/'))
}
