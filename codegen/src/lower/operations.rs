//! The OpenAPI document's `paths` → [`Operation`]s: method, path template,
//! servers, parameters (lowered like fields), body and response types, and
//! the method chain the client calls them by (`naming::OperationNames`).
//! What this layer cannot send faithfully is refused, located.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::collector::{Lowered, all};
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
        let Ok(paths) = self.object(paths, &root.child("paths")) else {
            return;
        };
        let groups = self.groups(&api.rest, &root);
        let names = OperationNames::new(
            paths.keys().map(String::as_str),
            groups.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let chains = names.chains(paths);
        let document_servers = servers(api.rest.get("servers"));
        let mut registered = Registered::default();
        for (path, item) in paths {
            let at = root.child("paths").child(path);
            if let Err(reason) = path_key_problem(path) {
                self.error(&at, format!("path {path:?} {reason}"));
                continue;
            }
            let Ok(item) = self.object(item, &at) else {
                continue;
            };
            let mut path_servers = servers(item.get("servers"));
            if path_servers == document_servers {
                path_servers.clear();
            }
            self.check_path_item_keys(item, &at);
            for (key, method) in METHODS {
                let Some(op) = item.get(*key) else { continue };
                let at = at.child(key);
                let Ok(op) = self.object(op, &at) else {
                    continue;
                };
                let context = OperationContext {
                    path,
                    method: *method,
                    item,
                    servers: &path_servers,
                    chain: chains.get(&(path.as_str(), *key)),
                };
                let Ok(operation) = self.operation(&context, op, &at) else {
                    continue;
                };
                let described = format!("{} {path}", method.as_str());
                self.register(&mut registered, operation, described, &at);
            }
        }
        self.check_chain_prefixes(&registered.by_chain, &root);
        self.space.operations.sort_by(|a, b| a.chain.cmp(&b.chain));
    }

    fn check_path_item_keys(&mut self, item: &Map<String, Value>, at: &At) {
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
    }

    /// Keeps `operation` (`described` by method and path) unless an earlier
    /// one has its chain; an earlier one with its id is only warned about.
    fn register(
        &mut self,
        registered: &mut Registered,
        operation: Operation,
        described: String,
        at: &At,
    ) {
        let id = operation.operation_id.clone();
        if let Some(first) = registered.by_id.get(&id) {
            // OpenAPI requires unique ids, but nothing the client emits
            // depends on them: both operations are kept, told apart by chain.
            self.warn(
                &at.child("operationId"),
                format!(
                    "operationId {id:?} is also used by {first}; OpenAPI wants each operation's own (an overlay can rename it); both are generated, this one as `{}`",
                    operation.chain.join(".")
                ),
            );
        } else {
            registered.by_id.insert(id, described.clone());
        }
        if let Some(first) = registered
            .by_chain
            .insert(operation.chain.clone(), described)
        {
            self.error(
                &at.child("operationId"),
                format!(
                    "this operation and {first} both become `{}`; add an `{GROUPS_EXTENSION}` entry to tell them apart",
                    operation.chain.join(".")
                ),
            );
            return;
        }
        self.space.operations.push(operation);
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
                        None => {
                            self.error(
                                &at.child(prefix),
                                "a group override must be a dotted chain of snake_case names (`b2b.organizations`)",
                            );
                        }
                    }
                }
            }
            Some(_) => {
                self.error(&at, format!("`{GROUPS_EXTENSION}` must be an object"));
            }
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
    ) -> Lowered<Operation> {
        for key in op.keys() {
            if !OPERATION_KEYS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.error(
                    &at.child(key),
                    format!("unsupported: `{key}` in an operation"),
                );
            }
        }
        let Some(operation_id) = op.get("operationId").and_then(Value::as_str) else {
            return Err(self.error(at, "an operation needs an `operationId` string: the client's function is named after it"));
        };
        let chain = match cx.chain {
            Some(Ok(chain)) => chain.clone(),
            Some(Err(message)) => {
                return Err(self.error(&at.child("operationId"), message.clone()));
            }
            None => return Err(self.error(at, "the naming rule did not see this operation")),
        };
        let params = self.parameters(cx, op, &chain, at)?;
        let body = match op.get("requestBody") {
            Some(body) => Some(self.request_body(body, &at.child("requestBody"))?),
            None => None,
        };
        let response = self.response(op.get("responses"), &at.child("responses"))?;
        let error = self.error_type(op.get("responses"), &at.child("responses"));
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
        Ok(Operation {
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
            error,
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
    ) -> Lowered<Vec<Param>> {
        let declared = self.declared_parameters(cx, op, at)?;
        let mut params: Vec<Param> = Vec::new();
        // Every parameter is lowered (and each failure reported) first.
        let mut failed = None;
        for (param_at, value) in declared {
            match self.parameter(value, chain, &param_at) {
                Ok(param) if self.ignored_header(&param, &param_at) => {}
                Ok(param) => {
                    params.retain(|p| !(p.name == param.name && p.location == param.location));
                    params.push(param);
                }
                Err(reported) => failed = Some(reported),
            }
        }
        let template: Vec<&str> = cx
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let checked = self.check_parameters(cx.path, &params, &template, at);
        failed.map_or(Ok(()), Err)?;
        checked?;
        let order = |p: &Param| match p.location {
            ParamLocation::Path => (0, template.iter().position(|t| *t == p.name)),
            ParamLocation::Query => (1, None),
            ParamLocation::Header => (2, None),
        };
        params.sort_by_key(order);
        Ok(params)
    }

    /// The `parameters` of the path item, then of the operation, with
    /// where each is.
    fn declared_parameters<'v>(
        &mut self,
        cx: &OperationContext<'v>,
        op: &'v Map<String, Value>,
        at: &At,
    ) -> Lowered<Vec<(At, &'v Value)>> {
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
                    return Err(self.error(
                        &owner_at.child("parameters"),
                        "`parameters` must be an array",
                    ));
                }
            }
        }
        Ok(declared)
    }

    /// Path parameters match the `path` template one to one, and no two
    /// parameters share a Rust name. Every mismatch is reported.
    fn check_parameters(
        &mut self,
        path: &str,
        params: &[Param],
        template: &[&str],
        at: &At,
    ) -> Lowered<()> {
        let mut failed = None;
        for name in template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == *name);
            if !declared {
                failed = Some(self.error(
                    at,
                    format!("path parameter `{name}` of {path} is not declared in `parameters`"),
                ));
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template.contains(&p.name.as_str()) {
                failed = Some(self.error(
                    at,
                    format!("path parameter `{}` does not appear in {path}", p.name),
                ));
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for p in params {
            if let Some(other) = seen.insert(&p.rust_name, &p.name) {
                failed = Some(self.error(
                    at,
                    format!(
                        "parameters `{other}` and `{}` both become argument `{}`",
                        p.name, p.rust_name
                    ),
                ));
            }
        }
        failed.map_or(Ok(()), Err)
    }

    fn parameter(&mut self, value: &Value, chain: &[String], at: &At) -> Lowered<Param> {
        let obj = self.object(value, at)?;
        self.check_parameter_keys(obj, at)?;
        let Some(name) = obj.get("name").and_then(Value::as_str) else {
            return Err(self.error(at, "a parameter needs a `name` string"));
        };
        let (location, required) = self.parameter_location(obj, at)?;
        if location == ParamLocation::Header && !is_header_name(name) {
            return Err(self.error(
                &at.child("name"),
                format!("header parameter {name:?} is not a valid HTTP header name"),
            ));
        }
        if location == ParamLocation::Header && is_transport_header(name) {
            return Err(self.error(
                &at.child("name"),
                format!("header parameter {name:?} is the HTTP connection's own (RFC 9110/9112): a client cannot send it as a parameter"),
            ));
        }
        let Some(rust_name) = naming::field_ident(name) else {
            return Err(self.error(
                &at.child("name"),
                format!("parameter {name:?} has no Rust name"),
            ));
        };
        let Some(schema) = obj.get("schema") else {
            return Err(self.error(at, "a parameter needs a `schema`"));
        };
        let shape = self.parameter_shape(schema, name, chain, at)?;
        let description = obj
            .get("description")
            .or_else(|| schema.get("description"))
            .and_then(Value::as_str)
            .map(crate::text::dedent);
        Ok(Param {
            name: name.to_owned(),
            rust_name,
            location,
            required,
            description,
            shape,
        })
    }

    /// Whether `param` is a header OpenAPI says to ignore (`Accept`,
    /// `Content-Type`, `Authorization`: the client sets them), warned about.
    fn ignored_header(&mut self, param: &Param, at: &At) -> bool {
        const IGNORED: &[&str] = &["accept", "content-type", "authorization"];
        let ignored = param.location == ParamLocation::Header
            && IGNORED.contains(&param.name.to_ascii_lowercase().as_str());
        if ignored {
            self.warn(
                &at.child("name"),
                format!(
                    "header parameter {:?} is ignored, as OpenAPI says: the client sets it itself",
                    param.name
                ),
            );
        }
        ignored
    }

    /// Refuses a `$ref` parameter and any key that asks for more than the
    /// default serialization.
    fn check_parameter_keys(&mut self, obj: &Map<String, Value>, at: &At) -> Lowered<()> {
        if obj.contains_key("$ref") {
            return Err(self.error(
                &at.child("$ref"),
                "unsupported: a `$ref` parameter; declare it inline",
            ));
        }
        const KNOWN: &[&str] = &[
            "name",
            "in",
            "required",
            "schema",
            "description",
            "deprecated",
            "example",
            "examples",
        ];
        match obj
            .keys()
            .find(|key| !KNOWN.contains(&key.as_str()) && !key.starts_with("x-"))
        {
            Some(key) => Err(self.error(
                &at.child(key),
                format!(
                    "unsupported: `{key}` in a parameter (only the default serialization is sent)"
                ),
            )),
            None => Ok(()),
        }
    }

    /// `in` and `required`: a path parameter is always required.
    fn parameter_location(
        &mut self,
        obj: &Map<String, Value>,
        at: &At,
    ) -> Lowered<(ParamLocation, bool)> {
        let location = match obj.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            other => {
                return Err(self.error(
                    &at.child("in"),
                    format!(
                        "unsupported: parameter location {other:?}; path, query and header are sent"
                    ),
                ));
            }
        };
        let required = match obj.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(self.error(&at.child("required"), "`required` must be a boolean"));
            }
        };
        if location == ParamLocation::Path && !required {
            return Err(self.error(
                &at.child("required"),
                "a path parameter must be `required: true`",
            ));
        }
        Ok((location, required))
    }

    /// The parameter's type: a scalar, or a string enum named after the
    /// operation and the parameter.
    fn parameter_shape(
        &mut self,
        schema: &Value,
        name: &str,
        chain: &[String],
        at: &At,
    ) -> Lowered<Shape> {
        let Some((function, groups)) = chain.split_last() else {
            return Err(self.error(at, "an operation without a name has no parameters"));
        };
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
                self.out.types.get(id).map(|d| &d.kind),
                Some(TypeKind::Enum(_))
            ),
            _ => false,
        };
        if !scalar {
            return Err(self.error(
                &schema_at,
                "unsupported: a parameter that is not a string, number, boolean or string enum",
            ));
        }
        Ok(shape)
    }

    fn request_body(&mut self, body: &Value, at: &At) -> Lowered<Body> {
        let obj = self.object(body, at)?;
        let schema = self.json_schema(obj, at, "a request body")?;
        let schema_at = at
            .child("content")
            .child("application/json")
            .child("schema");
        let ty = self.body_type(schema, &schema_at)?;
        let empty = match self.out.types.get(&ty).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.is_empty(),
            // Lowered after the components: a missing type was reported.
            _ => false,
        };
        Ok(Body { ty, empty })
    }

    /// The type a body or response schema names: a component `$ref`.
    fn body_type(&mut self, schema: &Value, at: &At) -> Lowered<TypeId> {
        let obj = self.object(schema, at)?;
        if !obj.contains_key("$ref") {
            return Err(self.error(
                at,
                "unsupported: an inline body schema; make it a component and `$ref` it",
            ));
        }
        let id = self.reference(obj, at)?;
        if self.out.types.contains_key(&id) {
            return Ok(id);
        }
        // A component that failed to lower was reported where it is: the
        // run has failed.
        self.out.check().map(|()| id)
    }

    /// `content: {application/json: {schema}}`, the only media type sent.
    fn json_schema<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        at: &At,
        what: &str,
    ) -> Lowered<&'v Value> {
        let content = obj.get("content").and_then(Value::as_object);
        let Some(content) = content else {
            return Err(self.error(at, format!("{what} needs `content`")));
        };
        let others =
            all(content
                .keys()
                .filter(|m| *m != "application/json")
                .map(|media| {
                    Err::<(), _>(self.error(
                &at.child("content").child(media),
                format!("unsupported media type {media:?}; only application/json is sent and read"),
            ))
                }));
        let Some(json) = content.get("application/json") else {
            // Each other media type is refused above; none at all, here.
            others?;
            return Err(self.error(
                &at.child("content"),
                format!("{what} has no application/json content"),
            ));
        };
        match json.get("schema") {
            Some(schema) => Ok(schema),
            None => Err(self.error(
                &at.child("content").child("application/json"),
                format!("{what} has no `schema`"),
            )),
        }
    }

    /// The type of the lowest 2xx response. Error responses are read as the
    /// API's error type by the client, whatever the document says.
    fn response(&mut self, responses: Option<&Value>, at: &At) -> Lowered<TypeId> {
        let Some(Value::Object(responses)) = responses else {
            return Err(self.error(at, "an operation needs a `responses` object"));
        };
        let success = responses
            .iter()
            .filter(|(code, _)| code.len() == 3 && code.starts_with('2'))
            .min_by_key(|(code, _)| code.as_str());
        let Some((code, response)) = success else {
            return Err(self.error(at, "no 2xx response: nothing to decode a success into"));
        };
        let at = at.child(code);
        let obj = self.object(response, &at)?;
        if obj.get("content").is_none() {
            return Err(self.error(&at, "unsupported: a success response without a JSON body"));
        }
        let schema = self.json_schema(obj, &at, "a response")?;
        let schema_at = at
            .child("content")
            .child("application/json")
            .child("schema");
        self.body_type(schema, &schema_at)
    }
}

impl Lowering<'_> {
    /// The component the error responses name as their JSON body. One
    /// without a schema (Stytch's carry only an `example`) names none; an
    /// inline schema or a second component is warned about and ignored, and
    /// the client then reads error bodies as JSON values.
    fn error_type(&mut self, responses: Option<&Value>, at: &At) -> Option<TypeId> {
        let responses = responses?.as_object()?;
        let mut found: Option<(TypeId, String)> = None;
        for (code, response) in responses.iter().filter(|(code, _)| is_error_status(code)) {
            let schema_at = at
                .child(code)
                .child("content")
                .child("application/json")
                .child("schema");
            let Some(schema) = response.pointer("/content/application~1json/schema") else {
                continue;
            };
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
                self.warn(&schema_at, "an inline error schema is not read: the client reads error bodies as JSON values unless they name a component");
                continue;
            };
            let Ok(id) = self.speculate(|cx| cx.body_type(schema, &schema_at)) else {
                self.warn(
                    &schema_at,
                    format!("the error schema {target:?} is not a component the client can read"),
                );
                continue;
            };
            match &found {
                None => found = Some((id, code.clone())),
                Some((first, _)) if *first == id => {}
                Some((_, first_code)) => {
                    self.warn(
                        &schema_at,
                        format!("the {code} response names another error schema than the {first_code} one; the client reads this operation's error bodies as JSON values"),
                    );
                    return None;
                }
            }
        }
        found.map(|(id, _)| id)
    }
}

/// `4XX`, `5XX`, `default`, or a status code from 400.
fn is_error_status(code: &str) -> bool {
    match code {
        "default" | "4XX" | "5XX" => true,
        _ => code.len() == 3 && code.parse::<u16>().is_ok_and(|c| (400..600).contains(&c)),
    }
}

/// The operations kept so far, to refuse a second with the same id or
/// chain: each → the first's method and path.
#[derive(Default)]
struct Registered {
    by_id: BTreeMap<String, String>,
    by_chain: BTreeMap<Vec<String>, String>,
}

/// What every operation of a path item shares.
struct OperationContext<'a> {
    path: &'a str,
    method: HttpMethod,
    item: &'a Map<String, Value>,
    servers: &'a [String],
    /// Its method chain, or why it has none.
    chain: Option<&'a Result<Vec<String>, String>>,
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

/// An HTTP field name (RFC 9110 §5.1: a token), which a client can send.
pub(crate) fn is_header_name(name: &str) -> bool {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty() && name.chars().all(token)
}

/// Header names of the connection itself (RFC 9110 §7.6.1, RFC 9112), set
/// by the HTTP stack; a parameter of that name would fight it.
fn is_transport_header(name: &str) -> bool {
    const TRANSPORT: &[&str] = &[
        "content-length",
        "host",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
        "proxy-connection",
    ];
    TRANSPORT.contains(&name.to_ascii_lowercase().as_str())
}

/// Why a `paths` key is not a plain absolute path, which the client joins
/// under its base URL: OpenAPI's keys start with `/`; `//` would name a host,
/// a backslash is read as `/` by URL parsers, `?` and `#` end the path, `%` could
/// encode any of these, and a `.` or `..` segment climbs out of a base
/// URL's own path. A template's `{name}` is kept.
fn path_key_problem(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("does not start with `/` (OpenAPI path keys are absolute paths)");
    }
    if path.starts_with("//") {
        return Err("starts with `//`, which names a host, not a path");
    }
    // RFC 3986 pchar, less percent-encoding, plus `/` and the braces of
    // template parameters.
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/{}".contains(c);
    if let Some(bad) = path.chars().find(|c| !allowed(*c)) {
        return Err(match bad {
            '\\' => "contains a backslash, which URL parsers read as `/`",
            '?' | '#' => "contains `?` or `#`, which end a path",
            '%' => "contains `%`: a percent-encoded path could hide `/`, `.` or `\\`",
            _ => "contains a character outside a URL path (RFC 3986 `pchar`)",
        });
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err("has a `.` or `..` segment, which climbs out of the base URL's path");
    }
    Ok(())
}
