//! A crate that builds on its own (`--crate NAME`): the generated modules
//! under `src/`, a `lib.rs` with the crate's attributes, and a `Cargo.toml`
//! listing exactly the dependencies the code uses. With a client
//! (`--client`), the crate also holds the request functions and a client
//! on reqwest, whose runtime is the text `stytch-client` includes.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::Ctx;
use super::client::{HTTP_CALL, HTTP_ERROR, HTTP_TRANSPORT};
use super::{EmitError, Emitted, RuntimeNeeds, format, header};
use crate::config::{Config, GeneratedFile, Target};
use crate::diagnostic::{self, Diagnostic};
use crate::input::SourceFile;
use crate::model::{TypeId, TypeSpace};

/// Every dependency a generated crate may have, as its manifest writes it,
/// in manifest order: the one place their versions live.
const DEPENDENCIES: &[(&str, &str)] = &[
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    (
        "serde_json",
        r#"{ version = "1", features = ["raw_value"] }"#,
    ),
    // runtime/operation.rs: path segments.
    ("percent-encoding", r#""2""#),
    // `manifest` adds the Unicode tables the patterns' `\p{…}` need.
    (
        "regex",
        r#"{ version = "1", default-features = false, features = ["std", "perf"] }"#,
    ),
    ("regress", r#""0.12""#),
    // runtime/formats.rs.
    ("fluent-uri", r#""0.4""#),
    ("email_address", r#""0.2""#),
    ("idna", r#""1""#),
    ("unicode-general-category", r#""1""#),
    // The client: 0.12 with rustls on `ring` (0.13's pulls aws-lc-rs, a
    // large C build), as stytch-client.
    (
        "reqwest",
        r#"{ version = "0.12.28", default-features = false, features = ["rustls-tls"] }"#,
    ),
    ("thiserror", r#""2""#),
    // HTTP Basic credentials.
    ("base64", r#""0.22""#),
    ("schemars", r#"{ version = "1", optional = true }"#),
];

/// The standalone crate's own `Client`, builder and `ApiError`.
const HTTP_CLIENT: &str = include_str!("../runtime/http_client.rs");

/// The client's module, and the module of its request functions.
const CLIENT_MODULE: &str = "client_runtime";
const GROUPS_MODULE: &str = "groups";
/// What the crate root re-exports from the client's module.
const CLIENT_EXPORTS: &[&str] = &[
    "ApiError",
    "Call",
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorBody",
    "UndecodableResponse",
    "BODY_SNIPPET_LIMIT",
    "DEFAULT_TIMEOUT",
    "MAX_RESPONSE_BODY",
    "MAX_RETRY_AFTER",
    "SERVERS",
    "USER_AGENT_VALUE",
];

/// What the client of a standalone crate takes from the OpenAPI document
/// around the schemas.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientSettings {
    /// `info.title`, how messages name the server.
    pub title: String,
    /// The document's `servers`, in order.
    pub servers: Vec<String>,
    pub auth: Option<Auth>,
}

/// The security scheme every operation uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Auth {
    Basic,
    Bearer,
    /// An API key in the header of this (lowercase) name.
    ApiKeyHeader(String),
}

/// The client settings of `api` (the document without its schemas, read
/// from `file`); refused, located, where the client cannot follow it.
pub(crate) fn client_settings(
    api: &Value,
    file: &SourceFile,
) -> Result<ClientSettings, Vec<Diagnostic>> {
    let title = api
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("the API")
        .to_owned();
    let servers = api
        .get("servers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("url")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut used = used_schemes(api);
    if used.is_empty() {
        // A document that defines schemes but requires none (Stytch's
        // Consumer split) still means them.
        used = api
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|schemes| schemes.keys().cloned().collect())
            .unwrap_or_default();
    }
    let auth = match used.as_slice() {
        [] => None,
        [name] => Some(scheme(api, name, file)?),
        [..] => {
            let message = format!(
                "the operations use {} security schemes ({}); a generated client sends one",
                used.len(),
                used.join(", ")
            );
            return Err(vec![diagnostic::at(
                file,
                "/components/securitySchemes",
                message,
            )]);
        }
    };
    Ok(ClientSettings {
        title,
        servers,
        auth,
    })
}

/// The names of the security schemes the document's and its operations'
/// `security` requirements name, sorted, without repeats.
fn used_schemes(api: &Value) -> Vec<String> {
    let mut requirements: Vec<&Value> = api.get("security").into_iter().collect();
    for item in api
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
    {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            requirements.extend(item.get(method).and_then(|op| op.get("security")));
        }
    }
    let mut names: Vec<String> = requirements
        .iter()
        .filter_map(|r| r.as_array())
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|r| r.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The security scheme `name` of `components.securitySchemes`, when the
/// client can send it.
fn scheme(api: &Value, name: &str, file: &SourceFile) -> Result<Auth, Vec<Diagnostic>> {
    let pointer = format!(
        "/components/securitySchemes/{}",
        diagnostic::escape_token(name)
    );
    let refuse = |message: String| vec![diagnostic::at(file, &pointer, message)];
    let Some(scheme) = api.pointer(&pointer) else {
        return Err(refuse(format!(
            "security scheme {name:?} is used but not defined"
        )));
    };
    let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
    match (
        field("type"),
        field("scheme").to_ascii_lowercase().as_str(),
        field("in"),
    ) {
        ("http", "basic", _) => Ok(Auth::Basic),
        ("http", "bearer", _) => Ok(Auth::Bearer),
        ("apiKey", _, "header") => {
            let header = field("name").to_ascii_lowercase();
            if !crate::lower::is_header_name(&header) {
                return Err(refuse(format!(
                    "header name {:?} is not a valid HTTP header name",
                    field("name")
                )));
            }
            Ok(Auth::ApiKeyHeader(header))
        }
        (kind, scheme, place) => Err(refuse(format!(
            "unsupported security scheme (type {kind:?}, scheme {scheme:?}, in {place:?}): a generated client sends http basic, http bearer or an apiKey header"
        ))),
    }
}

/// Wraps the emitted modules into a crate of its own; with `client`, the
/// request functions and the client runtime too.
pub(crate) fn standalone_crate(
    name: &str,
    config: &Config,
    space: &TypeSpace,
    client: Option<&ClientSettings>,
    emitted: Emitted,
) -> Result<Vec<GeneratedFile>, EmitError> {
    check_name(name)?;
    let head = header(&config.regenerate_command);
    let mut lib = emitted.lib;
    let tables = RuntimeNeeds::of(space).regex_tables;
    let mut files = vec![manifest(name, &dependencies(space, config, client), tables)];
    if let Some(settings) = client {
        check_client_names(space)?;
        lib.extend(client_items());
        for (path, contents) in client_files(config, space, settings)? {
            files.push(crate_file(path, format!("{head}{contents}")));
        }
    }
    let doc = " Validated types generated from JSON Schemas by stytch-codegen.";
    let lib = quote! {
        #![doc = #doc]
        #![forbid(unsafe_code)]
        #lib
    };
    files.push(crate_file(
        "lib.rs".to_owned(),
        format!("{head}{}", format("lib.rs", lib)?),
    ));
    files.extend(
        emitted
            .files
            .into_iter()
            .map(|f| crate_file(f.path, f.contents)),
    );
    Ok(files)
}

fn crate_file(path: String, contents: String) -> GeneratedFile {
    GeneratedFile {
        target: Target::Types,
        path: format!("src/{path}"),
        contents,
    }
}

fn check_name(name: &str) -> Result<(), EmitError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if valid {
        Ok(())
    } else {
        Err(EmitError::Crate(format!(
            "invalid crate name {name:?}: use letters, digits, `-` and `_`, starting with a letter"
        )))
    }
}

/// The names of [`DEPENDENCIES`] the crate's code uses.
fn dependencies(
    space: &TypeSpace,
    config: &Config,
    client: Option<&ClientSettings>,
) -> Vec<&'static str> {
    let RuntimeNeeds {
        linear,
        backtrack,
        formats,
        ..
    } = RuntimeNeeds::of(space);
    let mut names = vec!["serde", "serde_json"];
    let mut add = |on: bool, some: &[&'static str]| {
        if on {
            names.extend(some);
        }
    };
    add(!space.operations.is_empty(), &["percent-encoding"]);
    add(linear, &["regex"]);
    add(backtrack, &["regress"]);
    add(
        formats,
        &[
            "fluent-uri",
            "email_address",
            "idna",
            "unicode-general-category",
        ],
    );
    add(client.is_some(), &["reqwest", "thiserror"]);
    add(
        client.is_some_and(|c| c.auth == Some(Auth::Basic)),
        &["base64"],
    );
    add(config.schemars, &["schemars"]);
    names
}

/// `Cargo.toml`: the dependencies `names` as [`DEPENDENCIES`] writes them,
/// `regex` with the Unicode tables `regex_tables` marks
/// (`pattern::REGEX_TABLES`): only those, since each adds its tables to
/// every build of the crate.
fn manifest(name: &str, names: &[&str], regex_tables: [bool; 3]) -> GeneratedFile {
    let mut text = format!(
        "# {}. Do not edit by hand.\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n",
        crate::fs::GENERATED_MARK
    );
    let tables: String = crate::pattern::REGEX_TABLES
        .iter()
        .zip(regex_tables)
        .filter(|(_, on)| *on)
        .map(|(feature, _)| format!(", \"{feature}\""))
        .collect();
    for (dependency, spec) in DEPENDENCIES.iter().filter(|(d, _)| names.contains(d)) {
        let spec = if *dependency == "regex" {
            spec.replacen("\"perf\"]", &format!("\"perf\"{tables}]"), 1)
        } else {
            (*spec).to_owned()
        };
        text.push_str(&format!("{dependency} = {spec}\n"));
    }
    if names.contains(&"schemars") {
        text.push_str("\n[features]\n# Implement `schemars::JsonSchema` for every type.\nschemars = [\"dep:schemars\"]\n");
    }
    text.push_str(
        "\n# A crate of its own, even when written inside another workspace.\n[workspace]\n",
    );
    GeneratedFile {
        target: Target::Types,
        path: "Cargo.toml".to_owned(),
        contents: text,
    }
}

/// Refuses a client the crate cannot hold: one without operations, or one
/// whose names a schema's module or root type already takes.
fn check_client_names(space: &TypeSpace) -> Result<(), EmitError> {
    if space.operations.is_empty() {
        return Err(EmitError::Crate(
            "a client needs operations, and the document has none (no `paths`)".to_owned(),
        ));
    }
    let taken = space.types.values().find_map(|def| {
        let name = match def.path.modules.first() {
            Some(module) => module.as_str(),
            None => def.path.name.as_str(),
        };
        let ours = [CLIENT_MODULE, GROUPS_MODULE, "reqwest"];
        (ours.contains(&name) || CLIENT_EXPORTS.contains(&name)).then(|| name.to_owned())
    });
    match taken {
        Some(name) => Err(EmitError::Crate(format!(
            "the client's item `{name}` would clash with the generated type or module of that name; generate without the client, or rename the schema with an overlay"
        ))),
        None => Ok(()),
    }
}

/// The crate root's client items: the runtime's module and its exports,
/// the request functions, and reqwest.
fn client_items() -> TokenStream {
    let module = format_ident!("{}", CLIENT_MODULE);
    let module_file = format!("{CLIENT_MODULE}.rs");
    let groups = format_ident!("{}", GROUPS_MODULE);
    let groups_file = format!("{GROUPS_MODULE}.rs");
    let exports = CLIENT_EXPORTS.iter().map(|e| format_ident!("{}", e));
    quote! {
        /// The client on reqwest: its builder, the request path and errors.
        mod #module { include!(#module_file); }
        pub use #module::{#(#exports),*};
        /// The request functions, one group struct per step of a method
        /// chain; [`Client`] opens the chains.
        pub mod #groups { include!(#groups_file); }
        /// The `reqwest` version the client is built on, for
        /// [`ClientBuilder::http_client`].
        pub use reqwest;
    }
}

/// The client's files: its runtime (the document's settings, the shared
/// text, the credentials' setter) and its request functions.
fn client_files(
    config: &Config,
    space: &TypeSpace,
    settings: &ClientSettings,
) -> Result<Vec<(String, String)>, EmitError> {
    let cx = Ctx {
        space,
        schemars: config.schemars,
        types: "crate".to_owned(),
        features: None,
    };
    let runtime = format!(
        "{}{HTTP_ERROR}{HTTP_TRANSPORT}{HTTP_CALL}{HTTP_CLIENT}\n{}",
        format(CLIENT_MODULE, settings_items(settings, error_body(&cx)))?,
        format(CLIENT_MODULE, credentials_setter(settings.auth.as_ref()))?,
    );
    let groups = super::client::emit(&cx, &space.operations).ok_or_else(|| {
        EmitError::Crate("internal error: a client without operations".to_owned())
    })?;
    Ok(vec![
        (format!("{CLIENT_MODULE}.rs"), runtime),
        (
            format!("{GROUPS_MODULE}.rs"),
            format(GROUPS_MODULE, groups)?,
        ),
    ])
}

/// `ErrorBody`: the one component the operations' error responses name,
/// or any JSON value when they name none or several (a body that does not
/// decode is `Error::UndecodableResponse`, status and text kept).
fn error_body(cx: &Ctx<'_>) -> TokenStream {
    let named: BTreeSet<&TypeId> = cx
        .space
        .operations
        .iter()
        .filter_map(|op| op.error.as_ref())
        .collect();
    let typed = match named.first() {
        Some(one) if named.len() == 1 => cx.resolve(one).map(|def| cx.type_path(def, "")),
        _ => None,
    };
    match typed {
        Some(path) => quote! {
            /// What a non-2xx response body decodes into: the error schema
            /// the document's error responses name.
            pub type ErrorBody = #path;
        },
        None => quote! {
            /// What a non-2xx response body decodes into: any JSON value, as
            /// the document's error responses name no one schema.
            pub type ErrorBody = serde_json::Value;
        },
    }
}

/// What the shared runtime takes from its module (see http_*.rs), with the
/// document's servers, name and error body.
fn settings_items(settings: &ClientSettings, error_body: TokenStream) -> TokenStream {
    let servers = &settings.servers;
    // A server URL with variables (`{region}`) or a relative one is no
    // base URL as written: the user then sets one.
    let default = settings
        .servers
        .first()
        .filter(|s| (s.starts_with("https://") || s.starts_with("http://")) && !s.contains('{'))
        .map_or_else(|| quote!(None), |s| quote!(Some(#s)));
    let title = &settings.title;
    let required = settings.auth.is_some();
    quote! {
        use std::fmt;
        use std::time::Duration;
        use reqwest::StatusCode;
        use reqwest::header::{HeaderMap, RETRY_AFTER};
        use crate::ValidationError;
        use crate::operations::{Method, Operation, is_credential_name, redact_json};

        /// The servers the document lists, in its order; the first is the
        /// default base URL.
        pub const SERVERS: &[&str] = &[#(#servers),*];
        const DEFAULT_BASE_URL: Option<&str> = #default;
        /// How messages name the server: the document's title.
        const API_NAME: &str = #title;
        /// Whether the document's operations take credentials.
        const CREDENTIALS_REQUIRED: bool = #required;

        #error_body
    }
}

/// The builder's setter of the credentials `auth` takes.
fn credentials_setter(auth: Option<&Auth>) -> TokenStream {
    let setter = match auth {
        None => return TokenStream::new(),
        Some(Auth::Basic) => quote! {
            /// HTTP Basic credentials, as the document's security scheme
            /// asks. Required. Never printed by `Debug`.
            pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                let (username, password) = (username.into(), password.into());
                self.credentials = Some(if username.contains(':') {
                    Err("the username must not contain ':'".to_owned())
                } else {
                    let parts = [("the username", username.as_str()), ("the password", password.as_str())];
                    Credentials::new(reqwest::header::AUTHORIZATION, &parts, || {
                        use base64::Engine as _;
                        let encoded = base64::engine::general_purpose::STANDARD
                            .encode(format!("{username}:{password}"));
                        format!("Basic {encoded}")
                    })
                });
                self
            }
        },
        Some(Auth::Bearer) => quote! {
            /// The bearer token, as the document's security scheme asks.
            /// Required. Never printed by `Debug`.
            pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                let token = token.into();
                let parts = [("the token", token.as_str())];
                self.credentials = Some(Credentials::new(reqwest::header::AUTHORIZATION, &parts, || {
                    format!("Bearer {token}")
                }));
                self
            }
        },
        Some(Auth::ApiKeyHeader(header)) => {
            let doc = format!(
                " The API key, sent in the `{header}` header as the document's security scheme asks. Required. Never printed by `Debug`."
            );
            quote! {
                #[doc = #doc]
                pub fn api_key(mut self, key: impl Into<String>) -> Self {
                    let key = key.into();
                    let parts = [("the API key", key.as_str())];
                    let header = reqwest::header::HeaderName::from_static(#header);
                    self.credentials = Some(Credentials::new(header, &parts, || key.clone()));
                    self
                }
            }
        }
    };
    quote!(impl ClientBuilder { #setter })
}
