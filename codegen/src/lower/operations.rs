//! The OpenAPI document's `paths` → [`Operation`]s: method, path template,
//! servers, parameters (lowered like fields), body and response types, and
//! the method chain the client calls them by (`naming::OperationNames`).
//! What this layer cannot send faithfully is refused, located.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{At, Lowering};
use crate::load::Api;
use crate::model::*;
use crate::naming::{self, GROUPS_EXTENSION, OperationNames, TypePath};

const METHODS: &[(&str, HttpMethod)] = &[
    ("get", HttpMethod::Get),
    ("post", HttpMethod::Post),
    ("put", HttpMethod::Put),
    ("patch", HttpMethod::Patch),
    ("delete", HttpMethod::Delete),
];

/// Path-item keys that are not operations and that this layer reads or
/// may ignore (documentation).
const PATH_ITEM_KEYS: &[&str] = &["summary", "description", "servers", "parameters"];

/// Operation keys that change nothing on the wire, or that this layer reads.
const OPERATION_KEYS: &[&str] = &[
    "summary",
    "description",
    "operationId",
    "tags",
    "parameters",
    "requestBody",
    "responses",
    "servers",
    "deprecated",
    "externalDocs",
    "security",
];

/// The module the operation descriptions live in, below the crate root.
pub(crate) const OPERATIONS_MODULE: &str = "operations";

impl Lowering<'_> {
    pub(super) fn lower_operations(&mut self, api: &Api) {
        let root = At {
            file: api.file,
            pointer: String::new(),
        };
        let Some(paths) = api.rest.get("paths") else {
            return;
        };
        let Some(paths) = self.object(paths, &root.child("paths")) else {
            return;
        };
        let groups = self.groups(&api.rest, &root);
        let names = OperationNames::new(
            paths.keys().map(String::as_str),
            groups.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let document_servers = servers(api.rest.get("servers"));
        let mut by_id: BTreeMap<String, String> = BTreeMap::new();
        let mut by_chain: BTreeMap<Vec<String>, String> = BTreeMap::new();
        for (path, item) in paths {
            let at = root.child("paths").child(path);
            let Some(item) = self.object(item, &at) else {
                continue;
            };
            let mut path_servers = servers(item.get("servers"));
            if path_servers == document_servers {
                path_servers.clear();
            }
            for key in item.keys() {
                let known = PATH_ITEM_KEYS.contains(&key.as_str())
                    || METHODS.iter().any(|(m, _)| m == key)
                    || key.starts_with("x-");
                if !known {
                    self.error(
                        &at.child(key),
                        format!("unsupported: `{key}` in a path item; the generator sends get, post, put, patch and delete operations"),
                    );
                }
            }
            for (key, method) in METHODS {
                let Some(op) = item.get(*key) else { continue };
                let at = at.child(key);
                let Some(op) = self.object(op, &at) else {
                    continue;
                };
                let context = OperationContext {
                    path,
                    method: *method,
                    item,
                    servers: &path_servers,
                    names: &names,
                };
                let Some(operation) = self.operation(&context, op, &at) else {
                    continue;
                };
                let described = format!("{} {path}", method.as_str());
                if let Some(first) = by_id.insert(operation.operation_id.clone(), described.clone())
                {
                    self.error(
                        &at.child("operationId"),
                        format!(
                            "operationId {:?} is also used by {first}; give each operation its own (an overlay can)",
                            operation.operation_id
                        ),
                    );
                    continue;
                }
                if let Some(first) = by_chain.insert(operation.chain.clone(), described) {
                    self.error(
                        &at.child("operationId"),
                        format!(
                            "this operation and {first} both become `{}`; add an `{GROUPS_EXTENSION}` entry to tell them apart",
                            operation.chain.join(".")
                        ),
                    );
                    continue;
                }
                self.space.operations.push(operation);
            }
        }
        self.check_chain_prefixes(&by_chain, &root);
        self.space.operations.sort_by(|a, b| a.chain.cmp(&b.chain));
    }

    /// The `x-rust-groups` overrides: path prefix → dotted chain.
    fn groups(&mut self, doc: &Value, root: &At) -> BTreeMap<String, String> {
        let at = root.child(GROUPS_EXTENSION);
        let mut groups = BTreeMap::new();
        match doc.get(GROUPS_EXTENSION) {
            None => {}
            Some(Value::Object(map)) => {
                for (prefix, chain) in map {
                    let valid = chain.as_str().filter(|c| {
                        c.split('.')
                            .all(|part| naming::field_ident(part).as_deref() == Some(part))
                    });
                    match valid {
                        Some(chain) => {
                            groups.insert(prefix.clone(), chain.to_owned());
                        }
                        None => self.error(
                            &at.child(prefix),
                            "a group override must be a dotted chain of snake_case names (`b2b.organizations`)",
                        ),
                    }
                }
            }
            Some(_) => self.error(&at, format!("`{GROUPS_EXTENSION}` must be an object")),
        }
        groups
    }

    /// A function and a group of one name on one resource would be two
    /// methods of one name.
    fn check_chain_prefixes(&mut self, chains: &BTreeMap<Vec<String>, String>, root: &At) {
        for (chain, described) in chains {
            let clash = chains
                .iter()
                .find(|(other, _)| other.len() > chain.len() && other.starts_with(chain));
            if let Some((other, other_described)) = clash {
                self.error(
                    &root.child("paths"),
                    format!(
                        "{described} becomes `{}`, which {other_described} (`{}`) also uses as a group; add an `{GROUPS_EXTENSION}` entry",
                        chain.join("."),
                        other.join(".")
                    ),
                );
            }
        }
    }

    fn operation(
        &mut self,
        cx: &OperationContext<'_>,
        op: &Map<String, Value>,
        at: &At,
    ) -> Option<Operation> {
        for key in op.keys() {
            if !OPERATION_KEYS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.error(
                    &at.child(key),
                    format!("unsupported: `{key}` in an operation"),
                );
            }
        }
        let Some(operation_id) = op.get("operationId").and_then(Value::as_str) else {
            self.error(at, "an operation needs an `operationId` string: the client's function is named after it");
            return None;
        };
        let chain = match cx.names.chain(cx.path, operation_id) {
            Ok(chain) => chain,
            Err(message) => {
                self.error(&at.child("operationId"), message);
                return None;
            }
        };
        let params = self.parameters(cx, op, &chain, at)?;
        let body = match op.get("requestBody") {
            Some(body) => Some(self.request_body(body, &at.child("requestBody"))?),
            None => None,
        };
        let response = self.response(op.get("responses"), &at.child("responses"))?;
        let mut servers_here = servers(op.get("servers"));
        if servers_here.is_empty() {
            servers_here = cx.servers.to_vec();
        }
        let text = |key: &str| {
            op.get(key)
                .and_then(Value::as_str)
                .map(crate::text::dedent)
                .filter(|t| !t.trim().is_empty())
        };
        Some(Operation {
            method: cx.method,
            path: cx.path.to_owned(),
            operation_id: operation_id.to_owned(),
            chain,
            summary: text("summary"),
            description: text("description"),
            servers: servers_here,
            params,
            body,
            response,
        })
    }

    /// Path-item and operation parameters (the operation's win by name and
    /// location), path ones in template order, then query, then header.
    fn parameters(
        &mut self,
        cx: &OperationContext<'_>,
        op: &Map<String, Value>,
        chain: &[String],
        at: &At,
    ) -> Option<Vec<Param>> {
        let mut declared: Vec<(At, &Value)> = Vec::new();
        let item_at = At {
            file: at.file,
            pointer: at
                .pointer
                .rsplit_once('/')
                .map_or("", |(p, _)| p)
                .to_owned(),
        };
        for (owner, owner_at) in [(cx.item, &item_at), (op, at)] {
            match owner.get("parameters") {
                None => {}
                Some(Value::Array(list)) => {
                    let list_at = owner_at.child("parameters");
                    declared.extend(
                        list.iter()
                            .enumerate()
                            .map(|(i, p)| (list_at.child(&i.to_string()), p)),
                    );
                }
                Some(_) => {
                    self.error(
                        &owner_at.child("parameters"),
                        "`parameters` must be an array",
                    );
                    return None;
                }
            }
        }
        let mut params: Vec<Param> = Vec::new();
        let mut ok = true;
        for (param_at, value) in declared {
            match self.parameter(value, chain, &param_at) {
                Some(param) => {
                    params.retain(|p| !(p.name == param.name && p.location == param.location));
                    params.push(param);
                }
                None => ok = false,
            }
        }
        let template: Vec<&str> = cx
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for name in &template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == *name);
            if !declared {
                self.error(
                    at,
                    format!(
                        "path parameter `{name}` of {} is not declared in `parameters`",
                        cx.path
                    ),
                );
                ok = false;
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template.contains(&p.name.as_str()) {
                self.error(
                    at,
                    format!("path parameter `{}` does not appear in {}", p.name, cx.path),
                );
                ok = false;
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for p in &params {
            if let Some(other) = seen.insert(&p.rust_name, &p.name) {
                self.error(
                    at,
                    format!(
                        "parameters `{other}` and `{}` both become argument `{}`",
                        p.name, p.rust_name
                    ),
                );
                ok = false;
            }
        }
        let order = |p: &Param| match p.location {
            ParamLocation::Path => (0, template.iter().position(|t| *t == p.name)),
            ParamLocation::Query => (1, None),
            ParamLocation::Header => (2, None),
        };
        params.sort_by_key(order);
        ok.then_some(params)
    }

    fn parameter(&mut self, value: &Value, chain: &[String], at: &At) -> Option<Param> {
        let obj = self.object(value, at)?;
        if obj.contains_key("$ref") {
            self.error(
                &at.child("$ref"),
                "unsupported: a `$ref` parameter; declare it inline",
            );
            return None;
        }
        for key in obj.keys() {
            let known = [
                "name",
                "in",
                "required",
                "schema",
                "description",
                "deprecated",
                "example",
                "examples",
            ];
            if !known.contains(&key.as_str()) && !key.starts_with("x-") {
                self.error(
                    &at.child(key),
                    format!("unsupported: `{key}` in a parameter (only the default serialization is sent)"),
                );
                return None;
            }
        }
        let Some(name) = obj.get("name").and_then(Value::as_str) else {
            self.error(at, "a parameter needs a `name` string");
            return None;
        };
        let location = match obj.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            other => {
                self.error(
                    &at.child("in"),
                    format!(
                        "unsupported: parameter location {other:?}; path, query and header are sent"
                    ),
                );
                return None;
            }
        };
        let required = match obj.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.error(&at.child("required"), "`required` must be a boolean");
                return None;
            }
        };
        if location == ParamLocation::Path && !required {
            self.error(
                &at.child("required"),
                "a path parameter must be `required: true`",
            );
            return None;
        }
        let Some(rust_name) = naming::field_ident(name) else {
            self.error(
                &at.child("name"),
                format!("parameter {name:?} has no Rust name"),
            );
            return None;
        };
        let Some(schema) = obj.get("schema") else {
            self.error(at, "a parameter needs a `schema`");
            return None;
        };
        let (function, groups) = chain.split_last()?;
        let inline = TypePath {
            modules: std::iter::once(OPERATIONS_MODULE.to_owned())
                .chain(groups.iter().cloned())
                .collect(),
            name: format!(
                "{}{}",
                naming::pascal_case(function),
                naming::pascal_case(name)
            ),
        };
        let schema_at = at.child("schema");
        let shape = self.shape(schema, &inline, &schema_at)?;
        let scalar = match &shape {
            Shape::String(_) | Shape::Integer(_) | Shape::Number(_) | Shape::Boolean => true,
            Shape::Ref(id) => matches!(
                self.space.types.get(id).map(|d| &d.kind),
                Some(TypeKind::Enum(_))
            ),
            _ => false,
        };
        if !scalar {
            self.error(
                &schema_at,
                "unsupported: a parameter that is not a string, number, boolean or string enum",
            );
            return None;
        }
        let description = obj
            .get("description")
            .or_else(|| schema.get("description"))
            .and_then(Value::as_str)
            .map(crate::text::dedent);
        Some(Param {
            name: name.to_owned(),
            rust_name,
            location,
            required,
            description,
            shape,
        })
    }

    fn request_body(&mut self, body: &Value, at: &At) -> Option<Body> {
        let obj = self.object(body, at)?;
        let schema = self.json_schema(obj, at, "a request body")?;
        let schema_at = at
            .child("content")
            .child("application/json")
            .child("schema");
        let ty = self.body_type(schema, &schema_at)?;
        let empty = match self.space.types.get(&ty).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.is_empty(),
            // Lowered after the components: a missing type was reported.
            _ => false,
        };
        Some(Body { ty, empty })
    }

    /// The type a body or response schema names: a component `$ref`.
    fn body_type(&mut self, schema: &Value, at: &At) -> Option<TypeId> {
        let obj = self.object(schema, at)?;
        if !obj.contains_key("$ref") {
            self.error(
                at,
                "unsupported: an inline body schema; make it a component and `$ref` it",
            );
            return None;
        }
        let id = self.reference(obj, at)?;
        let lowered = self.space.types.contains_key(&id);
        // A component that failed to lower was reported where it is.
        lowered.then_some(id)
    }

    /// `content: {application/json: {schema}}`, the only media type sent.
    fn json_schema<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        at: &At,
        what: &str,
    ) -> Option<&'v Value> {
        let content = obj.get("content").and_then(Value::as_object);
        let Some(content) = content else {
            self.error(at, format!("{what} needs `content`"));
            return None;
        };
        for media in content.keys().filter(|m| *m != "application/json") {
            self.error(
                &at.child("content").child(media),
                format!("unsupported media type {media:?}; only application/json is sent and read"),
            );
        }
        let json = content.get("application/json")?;
        match json.get("schema") {
            Some(schema) => Some(schema),
            None => {
                self.error(
                    &at.child("content").child("application/json"),
                    format!("{what} has no `schema`"),
                );
                None
            }
        }
    }

    /// The type of the lowest 2xx response. Error responses are read as the
    /// API's error type by the client, whatever the document says.
    fn response(&mut self, responses: Option<&Value>, at: &At) -> Option<TypeId> {
        let Some(Value::Object(responses)) = responses else {
            self.error(at, "an operation needs a `responses` object");
            return None;
        };
        let success = responses
            .iter()
            .filter(|(code, _)| code.len() == 3 && code.starts_with('2'))
            .min_by_key(|(code, _)| code.as_str());
        let Some((code, response)) = success else {
            self.error(at, "no 2xx response: nothing to decode a success into");
            return None;
        };
        let at = at.child(code);
        let obj = self.object(response, &at)?;
        if obj.get("content").is_none() {
            self.error(&at, "unsupported: a success response without a JSON body");
            return None;
        }
        let schema = self.json_schema(obj, &at, "a response")?;
        let schema_at = at
            .child("content")
            .child("application/json")
            .child("schema");
        self.body_type(schema, &schema_at)
    }
}

/// What every operation of a path item shares.
struct OperationContext<'a> {
    path: &'a str,
    method: HttpMethod,
    item: &'a Map<String, Value>,
    servers: &'a [String],
    names: &'a OperationNames,
}

fn servers(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("url").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
