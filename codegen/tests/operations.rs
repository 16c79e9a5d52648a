//! The operations of the vendored Stytch document: every one is generated,
//! and its method chain is the official SDKs' (the document's own
//! `x-code-samples`, Python flavour), with `b2b` in front for `/v1/b2b/`
//! paths, except where an SDK sample is missing.

use std::path::Path;

use serde_json::Value;
use stytch_codegen::{effective_document, fs, operations};

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// `client.users.get(` in a Python sample → `users.get`.
fn sdk_chain(op: &Value) -> Option<String> {
    let samples = op.get("x-code-samples")?.as_array()?;
    let python = samples
        .iter()
        .find(|s| s["lang"] == "python")?
        .get("source")?
        .as_str()?;
    python.lines().find_map(|line| {
        let line = line.trim().trim_start_matches("resp = ");
        let call = line.strip_prefix("client.")?;
        let end = call.find('(')?;
        Some(call[..end].to_owned())
    })
}

#[test]
fn every_operation_is_generated_with_the_sdks_method_chain() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (input, _) = fs::read_input(&dir).expect("schemas/ is readable");
    let doc = effective_document(&input).expect("schemas/ is valid");
    let ops = operations(&input).expect("schemas/ generates");

    let mut expected = 0;
    let mut without_sample = Vec::new();
    let mut differ = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            expected += 1;
            let ours = ops
                .iter()
                .find(|o| o.path == *path && o.method.eq_ignore_ascii_case(method))
                .unwrap_or_else(|| panic!("{method} {path} is not generated"));
            let ours = ours.chain.join(".");
            match sdk_chain(op) {
                None => without_sample.push(format!("{method} {path}")),
                Some(sdk) => {
                    let sdk = if path.starts_with("/v1/b2b/") {
                        format!("b2b.{sdk}")
                    } else {
                        sdk
                    };
                    if sdk != ours {
                        differ.push(format!("{method} {path}: ours {ours}, SDK {sdk}"));
                    }
                }
            }
        }
    }
    assert_eq!(ops.len(), expected, "one operation per path and method");
    assert_eq!(expected, 184);
    assert!(
        differ.is_empty(),
        "chains that differ from the SDKs:\n{}",
        differ.join("\n")
    );
    // Upstream has no Python sample for these; they follow the rule alone.
    assert_eq!(
        without_sample,
        [
            "post /v1/b2b/organizations/search",
            "put /v1/users/{user_id}",
            "post /v1/users/search",
            "post /v1/sessions/authenticate",
        ]
    );
}

#[test]
fn the_contract_calls_are_where_the_issue_puts_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (input, _) = fs::read_input(&dir).expect("schemas/ is readable");
    let ops = operations(&input).expect("schemas/ generates");
    let find = |method: &str, path: &str| {
        ops.iter()
            .find(|o| o.method == method && o.path == path)
            .map(|o| o.chain.join("."))
            .unwrap_or_else(|| panic!("{method} {path} is missing"))
    };
    for (method, path, chain) in [
        (
            "POST",
            "/v1/otps/whatsapp/login_or_create",
            "otps.whatsapp.login_or_create",
        ),
        ("GET", "/v1/users/{user_id}", "users.get"),
        ("PUT", "/v1/users/{user_id}", "users.update"),
        ("DELETE", "/v1/users/{user_id}", "users.delete"),
        ("POST", "/v1/users/search", "users.search"),
        ("GET", "/v1/sessions", "sessions.get"),
        (
            "POST",
            "/v1/magic_links/email/login_or_create",
            "magic_links.email.login_or_create",
        ),
        (
            "GET",
            "/v1/webauthn/credentials/{user_id}/{domain}",
            "webauthn.list_credentials",
        ),
        (
            "GET",
            "/v1/b2b/organizations/{organization_id}",
            "b2b.organizations.get",
        ),
        (
            "POST",
            "/v1/magic_links/authenticate",
            "magic_links.authenticate",
        ),
        (
            "POST",
            "/v1/b2b/magic_links/authenticate",
            "b2b.magic_links.authenticate",
        ),
    ] {
        assert_eq!(find(method, path), chain, "{method} {path}");
    }
}

/// Every published version of the document lowers as written, without
/// the repository's overlays: the duplicated operationId is a warning (both
/// operations kept, told apart by chain) and a function that is also a
/// group is named after its method (naming rule 4). Read in place.
#[test]
fn every_published_version_lowers_its_operations() {
    let Some(corpus) = std::env::var_os("STYTCH_CORPUS").map(std::path::PathBuf::from) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "STYTCH_CORPUS must be set in CI"
        );
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    let upstream = corpus.join("../stytch-upstream");
    let mut versions: Vec<_> = std::fs::read_dir(&upstream)
        .expect("stytch-upstream/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    versions.sort();
    assert_eq!(versions.len(), 14);
    versions.push(corpus.join("consumer-openapi.yaml"));
    for version in versions {
        let (input, _) = fs::read_openapi(&version, None).expect("readable");
        let ops = operations(&input).unwrap_or_else(|e| panic!("{}: {e}", version.display()));
        assert!(
            ops.len() > 80,
            "{}: {} operations",
            version.display(),
            ops.len()
        );
        let chains: std::collections::BTreeSet<_> = ops.iter().map(|op| &op.chain).collect();
        assert_eq!(chains.len(), ops.len(), "{}", version.display());
    }
}

/// Two operations sharing an `operationId`, as Stytch's documents have.
fn shared_id() -> stytch_codegen::Input {
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/v1/widgets/authenticate": {"post": {
                "operationId": "api_widget_v1_Authenticate",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/api_widget_v1_Ok"}}}}}
            }},
            "/v1/b2b/widgets/authenticate": {"post": {
                "operationId": "api_widget_v1_Authenticate",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/api_widget_v1_Ok"}}}}}
            }}
        },
        "components": {"schemas": {"api_widget_v1_Ok": {"type": "object", "properties": {}}}}
    });
    stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "shared.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    }
}

#[test]
fn a_shared_operation_id_is_a_warning_and_both_operations_are_served() {
    let input = shared_id();
    let generated =
        stytch_codegen::generate_with_warnings(&stytch_codegen::Config::new().client(true), &input)
            .expect("the client names calls by chain");
    let warnings: Vec<String> = generated.warnings.0.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.len() == 1 && warnings[0].contains("operationId \"api_widget_v1_Authenticate\" is also used by POST /v1/widgets/authenticate"),
        "{warnings:?}"
    );
    let chains: Vec<String> = operations(&input)
        .expect("lowers")
        .into_iter()
        .map(|op| op.chain.join("."))
        .collect();
    assert_eq!(chains, ["b2b.widgets.authenticate", "widgets.authenticate"]);
    // The mock finds routes by method and path template, which a document
    // cannot repeat: one route each.
    let mock =
        stytch_codegen::generate_with_warnings(&stytch_codegen::Config::new().mock(true), &input)
            .expect("the mock routes by method and path");
    let routes = mock
        .files
        .iter()
        .find(|f| f.target == stytch_codegen::Target::Mock && f.path == "routes.rs")
        .expect("a route table");
    for path in ["/v1/widgets/authenticate", "/v1/b2b/widgets/authenticate"] {
        let entry =
            format!("path: \"{path}\",\n        operation_id: \"api_widget_v1_Authenticate\",");
        assert!(
            routes.contents.contains(&entry),
            "{path}: {}",
            routes.contents
        );
    }
}

#[test]
fn the_client_names_the_types_crate_it_is_given() {
    let input = shared_id();
    let config = stytch_codegen::Config::new().client(true);
    let client = |config: &stytch_codegen::Config| {
        let files = stytch_codegen::generate(config, &input).expect("generates");
        files
            .into_iter()
            .find(|f| f.target == stytch_codegen::Target::Client)
            .expect("a client file")
            .contents
    };
    assert!(client(&config).contains("use stytch_types::operations as ops;"));
    let mine = client(&config.clone().types_crate("widget_types"));
    assert!(mine.contains("use widget_types::operations as ops;"));
    assert!(!mine.contains("stytch_types"));
    let refused =
        stytch_codegen::generate_with_warnings(&config.types_crate("widget-types"), &input)
            .expect_err("not an identifier");
    assert_eq!(
        refused.to_string(),
        "stytch-codegen could not emit the code: the types crate \"widget-types\" is not a Rust identifier"
    );
}

/// The client's runtime reaches `stytch-client` as generated files beside
/// its request functions, the generator's text after the header: a packaged
/// crate compiles only the files inside it. No operations, no client files.
#[test]
fn the_client_gets_its_runtime_as_files_of_its_own() {
    use stytch_codegen::{Config, Target};
    let client_files = |input: &stytch_codegen::Input| -> Vec<(String, String)> {
        let files =
            stytch_codegen::generate(&Config::new().client(true), input).expect("generates");
        files
            .into_iter()
            .filter(|f| f.target == Target::Client)
            .map(|f| (f.path, f.contents))
            .collect()
    };
    let files = client_files(&shared_id());
    let names: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        names,
        [
            "operations.rs",
            "http_error.rs",
            "http_transport.rs",
            "http_call.rs"
        ]
    );
    for (name, runtime) in [
        (
            "http_error.rs",
            include_str!("../src/runtime/http_error.rs"),
        ),
        (
            "http_transport.rs",
            include_str!("../src/runtime/http_transport.rs"),
        ),
        ("http_call.rs", include_str!("../src/runtime/http_call.rs")),
    ] {
        let text = files
            .iter()
            .find(|(path, _)| path == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_default();
        assert!(
            text.starts_with("// @generated by stytch-codegen"),
            "{name}"
        );
        assert!(text.ends_with(runtime), "{name} is not the runtime's text");
    }
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Widget": {"type": "object", "properties": {}}}}
    });
    let schemas_only = stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "widgets.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    };
    assert_eq!(client_files(&schemas_only), Vec::new());
}

/// Five groups, one beneath `b2b`, and their components: one per group,
/// one two groups share, one three share, one no operation uses.
fn grouped() -> stytch_codegen::Input {
    let search = |schema: &str| {
        serde_json::json!({"post": {
            "operationId": format!("api_{}_v1_Search", schema.to_lowercase()),
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/api_thing_v1_{schema}")}}}}}
        }})
    };
    let object =
        |props: serde_json::Value| serde_json::json!({"type": "object", "properties": props});
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/v1/widgets/search": search("Widget"),
            "/v1/gadgets/search": search("Gadget"),
            "/v1/b2b/things/search": search("Thing"),
            "/v1/gizmos/search": search("Gizmo"),
            "/v1/doohickeys/search": search("Doohickey"),
        },
        "components": {"schemas": {
            "api_thing_v1_Widget": object(serde_json::json!({"shared": {"$ref": "#/components/schemas/api_thing_v1_Shared"}, "common": {"$ref": "#/components/schemas/api_thing_v1_Common"}})),
            "api_thing_v1_Gadget": object(serde_json::json!({"shared": {"$ref": "#/components/schemas/api_thing_v1_Shared"}, "common": {"$ref": "#/components/schemas/api_thing_v1_Common"}})),
            "api_thing_v1_Thing": object(serde_json::json!({})),
            "api_thing_v1_Gizmo": object(serde_json::json!({"common": {"$ref": "#/components/schemas/api_thing_v1_Common"}})),
            "api_thing_v1_Common": object(serde_json::json!({})),
            "api_thing_v1_Doohickey": object(serde_json::json!({})),
            "api_thing_v1_Shared": object(serde_json::json!({"n": {"type": "integer"}})),
            "api_thing_v1_Orphan": object(serde_json::json!({})),
        }}
    });
    stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "grouped.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    }
}

/// The attribute lines (`#[…]`, `///`) right above the line holding `item`.
fn attributes_of(text: &str, item: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(item))
        .unwrap_or_else(|| panic!("{item} is not in the output"));
    lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
        .filter(|l| l.starts_with("#[cfg"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn features_gate_each_group_and_the_types_it_reaches() {
    let input = grouped();
    let chains: Vec<String> = operations(&input)
        .expect("lowers")
        .into_iter()
        .map(|op| op.chain.join("."))
        .collect();
    assert_eq!(
        chains,
        [
            "b2b.things.search",
            "doohickeys.search",
            "gadgets.search",
            "gizmos.search",
            "widgets.search"
        ]
    );
    assert_eq!(
        stytch_codegen::features(&input).expect("lowers"),
        [
            "b2b-things",
            "doohickeys",
            "gadgets",
            "gizmos",
            "widgets",
            "full"
        ]
    );
    let config = stytch_codegen::Config::new().client(true).features(true);
    let files = stytch_codegen::generate(&config, &input).expect("generates");
    let of = |target| -> String {
        files
            .iter()
            .filter(|f| f.target == target)
            .map(|f| f.contents.as_str())
            .collect()
    };
    let (types, client) = (
        of(stytch_codegen::Target::Types),
        of(stytch_codegen::Target::Client),
    );
    let cfg = |one: &str| vec![format!("#[cfg(feature = \"{one}\")]")];
    assert_eq!(attributes_of(&types, "pub struct Widget {"), cfg("widgets"));
    assert_eq!(attributes_of(&types, "impl Widget {"), cfg("widgets"));
    assert_eq!(
        attributes_of(&types, "pub struct Thing {"),
        cfg("b2b-things")
    );
    assert_eq!(
        attributes_of(&types, "pub struct Shared {"),
        ["#[cfg(any(feature = \"gadgets\", feature = \"widgets\"))]"]
    );
    // Three groups of five: more than half, always compiled.
    assert!(attributes_of(&types, "pub struct Common {").is_empty());
    // Nothing says which group an unused type belongs to.
    assert!(attributes_of(&types, "pub struct Orphan {").is_empty());
    assert_eq!(
        attributes_of(&types, "pub struct Search {"),
        cfg("b2b-things")
    );
    // `b2b` has no call of its own: it is there when one of its groups is.
    assert_eq!(attributes_of(&client, "pub fn b2b("), cfg("b2b-things"));
    assert_eq!(attributes_of(&client, "pub fn things("), cfg("b2b-things"));
    assert_eq!(attributes_of(&client, "pub fn widgets("), cfg("widgets"));
    // Off by default: the same input, nothing gated.
    let whole = stytch_codegen::generate(&stytch_codegen::Config::new().client(true), &input)
        .expect("generates");
    assert!(
        whole
            .iter()
            .all(|f| !f.contents.contains("feature = \"widgets\""))
    );
}

#[test]
fn a_header_parameter_that_is_no_header_name_is_refused_located() {
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/v1/widgets": {"get": {
            "operationId": "api_widget_v1_List",
            "parameters": [{"name": "X Session", "in": "header", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/api_widget_v1_Ok"}}}}}
        }}},
        "components": {"schemas": {"api_widget_v1_Ok": {"type": "object", "properties": {}}}}
    });
    let input = stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "header.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    };
    let error = stytch_codegen::generate(&stytch_codegen::Config::new().client(true), &input)
        .expect_err("a space is not sendable in a header name")
        .to_string();
    assert!(
        error.starts_with("error: header.json:1:")
            && error.ends_with(
                ": at /paths/~1v1~1widgets/get/parameters/0/name: header parameter \"X Session\" is not a valid HTTP header name"
            ),
        "{error}"
    );
}

#[test]
fn an_operation_id_that_is_a_number_names_a_call_and_never_panics() {
    let id = serde_json::json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);
    let ok = |name: &str| {
        serde_json::json!({
            "operationId": name,
            "parameters": if name.ends_with("fa") || name.ends_with("Type") { id.clone() } else { serde_json::json!([]) },
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/api_thing_v1_Ok"}}}}}
        })
    };
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/things": {"get": ok("123"), "post": ok("api_things_v1_123")},
            "/v1/things/{id}": {"get": ok("api_things_v1_2fa"), "delete": ok("api_things_v1_Type")}
        },
        "components": {"schemas": {"api_thing_v1_Ok": {"type": "object", "properties": {}}}}
    });
    let input = stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "numbers.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    };
    let chains: Vec<String> = operations(&input)
        .expect("lowers")
        .into_iter()
        .map(|op| op.chain.join("."))
        .collect();
    assert_eq!(
        chains,
        [
            "things.get_123",
            "things.get_2fa",
            "things.post_123",
            "things.type"
        ]
    );
    // Every emitter turns the names into identifiers (a panic before).
    let config = stytch_codegen::Config::new().client(true).mock(true);
    let generated = stytch_codegen::generate(&config, &input).expect("generates");
    let client = generated
        .iter()
        .find(|f| f.target == stytch_codegen::Target::Client)
        .expect("a client file");
    for call in [
        "pub fn get_123(",
        "pub fn post_123(",
        "pub fn r#type(",
        "pub fn get_2fa(",
    ] {
        assert!(
            client.contents.contains(call),
            "{call}: {}",
            client.contents
        );
    }
}

/// A document of one `GET` operation at `path` with `parameters`.
fn one_operation(path: &str, parameters: Value) -> stytch_codegen::Input {
    let mut paths = serde_json::Map::new();
    paths.insert(
        path.to_owned(),
        serde_json::json!({"get": {
            "operationId": "api_widget_v1_List",
            "parameters": parameters,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/api_widget_v1_Ok"}}}}}
        }}),
    );
    let doc = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"api_widget_v1_Ok": {"type": "object", "properties": {}}}}
    });
    stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "doc.json".to_owned(),
            text: doc.to_string(),
        }],
        ..Default::default()
    }
}

#[test]
fn a_path_key_that_is_not_a_plain_absolute_path_is_refused_located() {
    let cases = [
        (
            "https://evil.example/x",
            "https:~1~1evil.example~1x",
            "does not start with `/`",
        ),
        (
            "/\\evil2.example/y",
            "~1\\evil2.example~1y",
            "contains a backslash",
        ),
        (
            "//evil3.example/z",
            "~1~1evil3.example~1z",
            "starts with `//`",
        ),
        (
            "/v1/../admin",
            "~1v1~1..~1admin",
            "has a `.` or `..` segment",
        ),
        ("/v1/x?admin=1", "~1v1~1x?admin=1", "contains `?` or `#`"),
        ("/v1/%2e%2e/admin", "~1v1~1%2e%2e~1admin", "contains `%`"),
    ];
    for (path, pointer, reason) in cases {
        let error = stytch_codegen::generate(
            &stytch_codegen::Config::new().client(true),
            &one_operation(path, serde_json::json!([])),
        )
        .expect_err(path)
        .to_string();
        assert!(
            error.starts_with("error: doc.json:1:")
                && error.contains(&format!(": at /paths/{pointer}: path {path:?} {reason}")),
            "{path}: {error}"
        );
    }
}

#[test]
fn accept_content_type_and_authorization_header_parameters_are_ignored_with_a_warning() {
    let input = one_operation(
        "/v1/widgets",
        serde_json::json!([
            {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
            {"name": "content-type", "in": "header", "schema": {"type": "string"}},
            {"name": "ACCEPT", "in": "header", "schema": {"type": "string"}},
            {"name": "X-Widget-Session", "in": "header", "schema": {"type": "string"}}
        ]),
    );
    let generated =
        stytch_codegen::generate_with_warnings(&stytch_codegen::Config::new().client(true), &input)
            .expect("ignored, not refused");
    let warnings: Vec<String> = generated.warnings.0.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (i, name) in ["Authorization", "content-type", "ACCEPT"]
        .iter()
        .enumerate()
    {
        assert!(
            warnings[i].contains(&format!(
                ": at /paths/~1v1~1widgets/get/parameters/{i}/name: header parameter {name:?} is ignored"
            )),
            "{warnings:?}"
        );
    }
    // Only the last is a parameter: pushed as a header, set by a setter.
    let text: String = generated
        .files
        .iter()
        .map(|f| f.contents.as_str())
        .collect();
    assert!(text.contains("\"X-Widget-Session\""), "{text}");
    for name in ["Authorization", "content-type", "ACCEPT"] {
        assert!(
            !text.contains(&format!("{name:?},")),
            "{name} is sent: {text}"
        );
    }
    assert!(!text.contains("fn authorization"), "{text}");
}

#[test]
fn a_header_parameter_the_connection_owns_is_refused_located() {
    for name in [
        "Content-Length",
        "host",
        "Transfer-Encoding",
        "Connection",
        "Keep-Alive",
        "Upgrade",
        "TE",
        "Trailer",
        "Proxy-Connection",
    ] {
        let input = one_operation(
            "/v1/widgets",
            serde_json::json!([{"name": name, "in": "header", "schema": {"type": "string"}}]),
        );
        let error = stytch_codegen::generate(&stytch_codegen::Config::new().client(true), &input)
            .expect_err(name)
            .to_string();
        assert!(
            error.starts_with("error: doc.json:1:")
                && error.contains(&format!(
                    ": at /paths/~1v1~1widgets/get/parameters/0/name: header parameter {name:?} is the HTTP connection's own"
                )),
            "{name}: {error}"
        );
    }
}
