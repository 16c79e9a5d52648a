//! One side of a diff: its schemas, its operations keyed so that both sides
//! agree, and which schemas requests and responses reach.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::load::ref_target;
use crate::naming::{GROUPS_EXTENSION, METHOD_KEYS, OperationNames, TypeNames};

pub(super) struct Side<'a> {
    pub schemas: BTreeMap<&'a str, &'a Value>,
    /// By `METHOD /path` with path parameters unnamed (`/v1/users/{}`), so
    /// that renaming one is not a removal.
    pub operations: BTreeMap<String, Operation<'a>>,
    /// Schemas a request reaches (bodies, parameters, `…Request` components:
    /// the generator's rule) and schemas a response reaches.
    pub requests: BTreeSet<&'a str>,
    pub responses: BTreeSet<&'a str>,
    /// The document's naming rule, for the Rust paths changes name.
    pub names: TypeNames,
}

pub(super) struct Operation<'a> {
    /// `POST /v1/users/{user_id}`.
    pub name: String,
    pub pointer: String,
    pub value: &'a Map<String, Value>,
    /// The client's method chain, when the naming rule gives one.
    pub chain: Option<String>,
    /// Path-item parameters overridden by the operation's, by `(in, name)`.
    pub params: BTreeMap<(String, String), &'a Map<String, Value>>,
    pub body: Option<&'a Value>,
    pub body_required: bool,
    /// The schema of the lowest 2xx JSON response.
    pub response: Option<&'a Value>,
}

impl<'a> Side<'a> {
    pub fn new(doc: &'a Value) -> Side<'a> {
        let schemas: BTreeMap<&str, &Value> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        let operations = operations(doc);
        let mut request_roots: Vec<&Value> = operations
            .values()
            .flat_map(|op| {
                op.body
                    .into_iter()
                    .chain(op.params.values().map(|p| &p["schema"]))
            })
            .collect();
        // A `$ref` to each `…Request` component: it is one itself.
        let named: Vec<Value> = schemas
            .keys()
            .filter(|name| name.ends_with("Request"))
            .map(|name| serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }))
            .collect();
        request_roots.extend(&named);
        let mut response_roots: Vec<&Value> =
            operations.values().filter_map(|op| op.response).collect();
        let requests = reach(&schemas, request_roots);
        // A folder of schemas: whatever is not a request is read back.
        let unused: Vec<Value> = schemas
            .keys()
            .filter(|name| operations.is_empty() && !requests.contains(*name))
            .map(|name| serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }))
            .collect();
        response_roots.extend(&unused);
        let responses = reach(&schemas, response_roots);
        Side {
            names: TypeNames::from_document(doc),
            schemas,
            operations,
            requests,
            responses,
        }
    }
}

/// Every component `$ref`erenced in `value`, at any depth.
pub(super) fn refs(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(ref_target) {
                    out.push(target.to_owned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

/// The components reachable from `roots` through `$ref`s.
fn reach<'a>(schemas: &BTreeMap<&'a str, &'a Value>, roots: Vec<&Value>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut pending = Vec::new();
    for root in roots {
        refs(root, &mut pending);
    }
    while let Some(name) = pending.pop() {
        if let Some((key, schema)) = schemas.get_key_value(name.as_str())
            && seen.insert(*key)
        {
            refs(schema, &mut pending);
        }
    }
    seen
}

fn operations(doc: &Value) -> BTreeMap<String, Operation<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    let groups: Vec<(&str, &str)> = doc
        .get(GROUPS_EXTENSION)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let names = OperationNames::new(paths.keys().map(String::as_str), groups);
    let chains = names.chains(paths);
    let mut out = BTreeMap::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in &METHOD_KEYS {
            let Some(op) = item.get(*method).and_then(Value::as_object) else {
                continue;
            };
            let upper = method.to_ascii_uppercase();
            let chain = chains
                .get(&(path.as_str(), *method))
                .and_then(|c| c.as_ref().ok())
                .map(|c| c.join("."));
            let mut params = BTreeMap::new();
            for list in [item.get("parameters"), op.get("parameters")] {
                for param in list.and_then(Value::as_array).into_iter().flatten() {
                    let Some(param) = param.as_object() else {
                        continue;
                    };
                    let key = (text(param.get("in")), text(param.get("name")));
                    params.insert(key, param);
                }
            }
            let body = op.get("requestBody");
            out.insert(
                format!("{upper} {}", unnamed_params(path)),
                Operation {
                    name: format!("{upper} {path}"),
                    pointer: format!("/paths/{}/{method}", crate::diagnostic::escape_token(path)),
                    value: op,
                    chain,
                    params,
                    body: body.and_then(json_schema),
                    body_required: body
                        .and_then(|b| b.get("required"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    response: success(op.get("responses")),
                },
            );
        }
    }
    out
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// `/v1/users/{user_id}` → `/v1/users/{}`.
fn unnamed_params(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

fn json_schema(holder: &Value) -> Option<&Value> {
    holder.pointer("/content/application~1json/schema")
}

/// The JSON schema of the lowest 2xx response, as the generator picks it.
fn success(responses: Option<&Value>) -> Option<&Value> {
    let responses = responses?.as_object()?;
    responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .min_by_key(|(code, _)| code.as_str())
        .and_then(|(_, r)| json_schema(r))
}
