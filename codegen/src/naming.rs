//! How Stytch component names become Rust module paths and identifiers.
//!
//! # Types: one rule
//!
//! A component is named `api_<package>_v<N>_<path>_<Type>`, and its path is
//! `<package>::<segments>::<Type>`, where the segments are the words of
//! `<path>` grouped as the document's own URL paths group them, and the
//! operations that use a type may place it deeper ([`TypeNames`]):
//!
//! 1. `<package>` is every token between `api_` and the first `v<digits>`
//!    token, joined with `_` (`crypto_wallet`, `b2b_scim`); it is the top
//!    module (one file of the generated crate).
//! 2. `<path>`'s tokens are grouped into segments: at each token, the
//!    longest run that is a literal segment of one of the document's paths
//!    is one module (`/v1/passwords/existing_password/reset` makes
//!    `passwords_existing_password` the modules `passwords`,
//!    `existing_password`); any other token is a module of its own.
//! 3. A type no operation names as its body or 2xx response (a locale, a
//!    nested object), reached from operations (through `$ref`s, at any
//!    depth) that all sit below the module its name gives, moves to the
//!    nearest module those operations share; an operation sits in the
//!    common module of the types it names. So a type only one operation (or
//!    one group) uses sits beside it, and a shared type in the nearest
//!    common module: `api_magic_v1_LoginOrCreateRequestLocale`, used only
//!    by `magic_links.email.login_or_create`, is
//!    `magic::magic_links::email::LoginOrCreateRequestLocale`;
//!    `api_otp_v1_LoginOrCreateRequestLocale`, shared by the SMS, WhatsApp
//!    and email calls, stays `otp::LoginOrCreateRequestLocale`.
//!
//! Exceptions, each forced by Rust or by upstream's spelling:
//!
//! | case | rule | example |
//! | --- | --- | --- |
//! | version token | dropped (upstream has only `v1`; a `v2` clash is reported by [`crate::generate`]) | `api_user_v1_User` → `user::User` |
//! | leading segments spell the package (`_` aside) | dropped | `api_otp_v1_otp_whatsapp_X` → `otp::whatsapp::X`; `api_b2b_scim_v1_b2b_scim_connection_X` → `b2b_scim::connection::X`; `api_connectedapps_v1_connected_apps_clients_X` → `connectedapps::clients::X` |
//! | segment is a keyword or a runtime module (`validation`, `json`, `formats`) | trailing `_` | `type_`, `validation_` |
//! | type name `Self` | `SelfType` | `api_demo_v1_Self` → `demo::SelfType` |
//! | placement onto a path another type holds | the type stays where its name puts it; listed by [`TypeNames::collisions`] | none in the corpus |
//! | name not of the pattern | last upper-case token is the type, the tokens before it modules | `suite_Type3` → `suite::Type3` |
//!
//! A folder of schema files has no paths: its names follow rules 1 and 2
//! with no multi-word segments, and nothing is placed. Two components given
//! one path are refused by [`crate::generate`].
//!
//! # Collisions across the corpus
//!
//! `codegen/tests/naming.rs` runs the rule over every Stytch document in
//! `../shared/corpus` (`STYTCH_CORPUS`) and asserts it is collision-free:
//! no two components share a path and no placement is refused.
//!
//! | document | components | in a kept multi-word segment | placed by operations | collisions |
//! | --- | --- | --- | --- | --- |
//! | the 8 versions 2025-09-05 … 2025-10-20 (flat names: `api_password_v1_ResetRequest`) | 506–509 | 0 | 0 | 0 |
//! | 2025-10-23 (3 versions) | 565 | 44 | 54 | 0 |
//! | 2025-10-24-2913832 | 545 | 44 | 54 | 0 |
//! | 2025-11-03-24b0e4e | 566 | 44 | 54 | 0 |
//! | 2026-02-05-5032e06 (vendored) | 561 | 44 | 58 | 0 |
//! | Consumer split (`stytch/consumer-openapi.yaml`) | 280 | 20 | 36 | 0 |
//!
//! Collisions the rule could meet, and how each is resolved: two components
//! whose segments give one path (`api_otp_v1_otp_X` and `api_otp_v1_X`) are
//! an error of the run, located at the second; a placement onto a taken path
//! is not made (the type keeps its named path); a type and a module of one
//! spelling cannot meet (types are PascalCase, modules snake_case).
//!
//! # Operations and fields
//!
//! Method chains are [`OperationNames`]; field and variant names are
//! [`field_names`] and [`variant_names`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// Where a generated type lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypePath {
    /// Module segments below the crate root, each a valid Rust identifier.
    pub modules: Vec<String>,
    /// The type's identifier.
    pub name: String,
}

impl TypePath {
    /// `otp::whatsapp::LoginOrCreateRequest`.
    pub fn display(&self) -> String {
        let mut parts = self.modules.clone();
        parts.push(self.name.clone());
        parts.join("::")
    }
}

/// A type the generator emits beside a named type, under a name derived
/// from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// The type as decoded before validation (`<Name>Raw`).
    Raw,
    /// The builder of a struct (`<Name>Builder`).
    Builder,
}

impl Companion {
    /// Every companion a type may have.
    pub const ALL: [Companion; 2] = [Companion::Builder, Companion::Raw];

    /// What the companion's name adds to its type's: the one place
    /// companion names are decided.
    pub fn suffix(self) -> &'static str {
        match self {
            Companion::Raw => "Raw",
            Companion::Builder => "Builder",
        }
    }
}

/// The name of `name`'s companion `kind`.
pub fn companion(name: &str, kind: Companion) -> String {
    format!("{name}{}", kind.suffix())
}

/// A type's name and its companions' names, given its own.
pub fn with_companions(name: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(name.to_owned())
        .chain(Companion::ALL.into_iter().map(|kind| companion(name, kind)))
}

/// Maps a component name to its module path and type name by the rule
/// without a document (no multi-word segments, no placement); see
/// [`TypeNames`] for the rule the generator applies to an OpenAPI document.
pub fn type_path(component: &str) -> Result<TypePath, String> {
    TypeNames::default().type_path(component)
}

/// The naming rule for one document (see the module docs): the multi-word
/// segments its paths spell, and where its operations place the types they
/// use.
#[derive(Debug, Default, Clone)]
pub struct TypeNames {
    /// The document's literal path segments of more than one word
    /// (`existing_password`, `magic_links`).
    segments: BTreeSet<String>,
    /// Component → the module its operations place it in.
    placed: BTreeMap<String, Vec<String>>,
    /// Placements refused because another type holds the path.
    collisions: Vec<Collision>,
}

/// A type that stays where its name puts it, because the module its
/// operations would place it in already holds a type of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The component that stays.
    pub component: String,
    /// The path its operations would give it.
    pub wanted: TypePath,
    /// The component holding `wanted`.
    pub holder: String,
}

impl TypeNames {
    /// The rule for an OpenAPI document (`components.schemas` and `paths`;
    /// a folder of schemas has no paths, so its names follow the plain rule).
    pub fn from_document(document: &Value) -> Self {
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| (name.as_str(), schema));
        Self::new(document.get("paths"), schemas)
    }

    /// `paths`: the document's `paths` object; `schemas`: its components.
    pub fn new<'a>(
        paths: Option<&'a Value>,
        schemas: impl IntoIterator<Item = (&'a str, &'a Value)>,
    ) -> Self {
        let paths = paths.and_then(Value::as_object);
        let segments = paths
            .into_iter()
            .flat_map(|p| p.keys())
            .flat_map(|path| literal_segments(path))
            .filter(|segment| segment.contains('_'))
            .map(str::to_owned)
            .collect();
        let mut names = TypeNames {
            segments,
            ..TypeNames::default()
        };
        let schemas: BTreeMap<&str, &Value> = schemas.into_iter().collect();
        let operations: Vec<&Map<String, Value>> = paths
            .into_iter()
            .flat_map(|p| p.values())
            .filter_map(Value::as_object)
            .flat_map(|item| METHODS.iter().filter_map(|m| item.get(*m)?.as_object()))
            .collect();
        names.place(&schemas, &operations);
        names
    }

    /// Placements refused because the path was taken, in component order.
    pub fn collisions(&self) -> &[Collision] {
        &self.collisions
    }

    /// The components placed by their operations, each with its module.
    pub fn placed(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.placed.iter().map(|(c, m)| (c.as_str(), m.as_slice()))
    }

    /// Maps a component name to its module path and type name.
    pub fn type_path(&self, component: &str) -> Result<TypePath, String> {
        let mut path = self.named_path(component)?;
        if let Some(modules) = self.placed.get(component) {
            path.modules.clone_from(modules);
        }
        Ok(path)
    }

    /// The path the component's name gives, before placement.
    fn named_path(&self, component: &str) -> Result<TypePath, String> {
        let tokens: Vec<&str> = component.split('_').collect();
        let last = tokens
            .last()
            .copied()
            .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .ok_or_else(|| {
                format!("component name `{component}` does not end in a type name (a token starting with an upper-case letter)")
            })?;
        let name = pascal_case(last);
        let head = &tokens[..tokens.len() - 1];
        let modules: Vec<String> = match package(head) {
            Some((package, rest)) => {
                let segments = self.join_segments(rest);
                let skip = spelled_prefix(&package, &segments);
                std::iter::once(package)
                    .chain(segments.into_iter().skip(skip))
                    .collect()
            }
            None => head.iter().map(|t| (*t).to_owned()).collect(),
        };
        let modules = modules
            .into_iter()
            .map(|m| module_ident(&m))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| format!("component name `{component}`: `{m}` cannot be a module name"))?;
        Ok(TypePath { modules, name })
    }

    /// `passwords`, `existing`, `password` → `passwords`, `existing_password`
    /// when the document's paths spell `existing_password`: at each token,
    /// the longest run of tokens that is one of the document's segments.
    fn join_segments(&self, tokens: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let k = (2..=tokens.len() - i)
                .rev()
                .find(|k| self.segments.contains(&tokens[i..i + k].join("_")))
                .unwrap_or(1);
            out.push(tokens[i..i + k].join("_"));
            i += k;
        }
        out
    }

    /// Places every component reachable from operations but named by none
    /// of them in the nearest module its operations share, when that module
    /// lies below the one its name gives; records the placements a taken
    /// path refuses.
    fn place(&mut self, schemas: &BTreeMap<&str, &Value>, operations: &[&Map<String, Value>]) {
        let mut anchors = BTreeSet::new();
        let mut users: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
        for op in operations {
            let direct = operation_anchors(op);
            let module = common_prefix(
                direct
                    .iter()
                    .filter(|c| package_of(c).is_some())
                    .filter_map(|c| self.named_path(c).ok())
                    .map(|p| p.modules),
            );
            // An operation whose module is unknown keeps what it uses where
            // the names put it (its module is the root).
            let module = module.unwrap_or_default();
            let mut roots = Vec::new();
            for value in op.values() {
                refs(value, &mut roots);
            }
            for component in reach(schemas, roots) {
                users.entry(component).or_default().push(module.clone());
            }
            anchors.extend(direct);
        }
        // Every name a type takes: its own and its companions'.
        let mut holders: BTreeMap<String, &str> = BTreeMap::new();
        for component in schemas.keys() {
            if let Ok(path) = self.named_path(component) {
                for taken in taken_names(&path) {
                    holders.insert(taken, component);
                }
            }
        }
        for (component, modules) in users {
            if anchors.contains(component) || package_of(component).is_none() {
                continue;
            }
            let Ok(named) = self.named_path(component) else {
                continue;
            };
            let Some(common) = common_prefix(modules.into_iter()) else {
                continue;
            };
            if common.len() <= named.modules.len() || !common.starts_with(&named.modules) {
                continue;
            }
            let wanted = TypePath {
                modules: common,
                name: named.name.clone(),
            };
            let holder = taken_names(&wanted).find_map(|n| holders.get(&n));
            if let Some(holder) = holder {
                self.collisions.push(Collision {
                    component: component.to_owned(),
                    wanted,
                    holder: (*holder).to_owned(),
                });
                continue;
            }
            for taken in taken_names(&named) {
                holders.remove(&taken);
            }
            for taken in taken_names(&wanted) {
                holders.insert(taken, component);
            }
            self.placed.insert(component.to_owned(), wanted.modules);
        }
    }
}

/// The paths a type's code takes: its own and its companions' (the
/// builder and the raw twin), which `lower::check_paths` also keeps apart.
fn taken_names(path: &TypePath) -> impl Iterator<Item = String> + '_ {
    with_companions(&path.display())
        .collect::<Vec<_>>()
        .into_iter()
}

/// HTTP methods an OpenAPI path item holds operations under.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `api`, `crypto`, `wallet`, `v1`, `rest`… → (`crypto_wallet`, `rest…`):
/// the package and the tokens after the version, for names that follow the
/// `api_<package>_v<N>_…` pattern.
fn package<'t>(head: &'t [&'t str]) -> Option<(String, &'t [&'t str])> {
    let version = head.iter().position(|t| is_version(t))?;
    (head.first() == Some(&"api") && version > 1)
        .then(|| (head[1..version].join("_"), &head[version + 1..]))
}

/// The package of a component that follows the pattern.
fn package_of(component: &str) -> Option<String> {
    let tokens: Vec<&str> = component.split('_').collect();
    let head = tokens.get(..tokens.len().saturating_sub(1))?;
    package(head).map(|(p, _)| p)
}

/// How many leading segments spell the package, `_` aside (`otp` for
/// `otp`, `b2b`+`scim` for `b2b_scim`, `connected_apps` for
/// `connectedapps`); 0 when none do.
fn spelled_prefix(package: &str, segments: &[String]) -> usize {
    let package: String = package.chars().filter(|&c| c != '_').collect();
    let mut spelled = String::new();
    for (i, segment) in segments.iter().enumerate() {
        spelled.extend(segment.chars().filter(|&c| c != '_'));
        if spelled == package {
            return i + 1;
        }
        if !package.starts_with(&spelled) {
            break;
        }
    }
    0
}

/// The components an operation names as its body or a 2xx response: the
/// types that say which module the operation belongs to.
fn operation_anchors(op: &Map<String, Value>) -> BTreeSet<String> {
    let mut out = Vec::new();
    if let Some(body) = op.get("requestBody") {
        refs(body, &mut out);
    }
    for (status, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if status.starts_with('2') {
            refs(response, &mut out);
        }
    }
    out.into_iter().collect()
}

/// The longest module path every one of `modules` starts with; `None` for
/// no paths.
fn common_prefix(mut modules: impl Iterator<Item = Vec<String>>) -> Option<Vec<String>> {
    let mut common = modules.next()?;
    for m in modules {
        let shared = common.iter().zip(&m).take_while(|(a, b)| a == b).count();
        common.truncate(shared);
    }
    Some(common)
}

/// Every `#/components/schemas/…` target a `$ref` inside `value` names.
fn refs(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                let target = map.get("$ref").and_then(Value::as_str).and_then(|r| {
                    r.strip_prefix("#/components/schemas/")
                        .filter(|n| !n.is_empty() && !n.contains('/'))
                });
                if let Some(target) = target {
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
fn reach<'a>(
    schemas: &BTreeMap<&'a str, &'a Value>,
    mut pending: Vec<String>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if let Some((key, schema)) = schemas.get_key_value(name.as_str())
            && seen.insert(*key)
        {
            refs(schema, &mut pending);
        }
    }
    seen
}

fn is_version(token: &str) -> bool {
    token.len() > 1 && token.starts_with('v') && token[1..].chars().all(|c| c.is_ascii_digit())
}

/// Rust keywords (strict, reserved and weak ones that cannot name an item),
/// in the spelling they would take as snake_case names.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Modules of the generated crate's root that hold the runtime.
const RUNTIME_MODULES: &[&str] = &["validation", "json", "formats"];

/// A module segment: lowercased; a keyword or a runtime module's name gets a
/// trailing `_` (`type` → `type_`, `validation` → `validation_`), so every
/// segment is a plain identifier that names no generated module.
fn module_ident(segment: &str) -> Result<String, String> {
    let lower = segment.to_ascii_lowercase();
    let valid = lower
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(segment.to_owned());
    }
    if KEYWORDS.contains(&lower.as_str()) || RUNTIME_MODULES.contains(&lower.as_str()) {
        return Ok(format!("{lower}_"));
    }
    Ok(lower)
}

/// The document extension holding the group overrides of the operation
/// naming rule (see [`OperationNames`]).
pub const GROUPS_EXTENSION: &str = "x-rust-groups";

/// The path item keys of the operations the naming rule reads.
pub(crate) const METHOD_KEYS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// How operations become method chains on the client
/// (`client.users().get(user_id)`), by one rule:
///
/// 1. The resource groups are the literal segments of the path after the
///    version (`/v1/users/{user_id}` → `users`), unless a group override
///    (the document's `x-rust-groups`, a map from a path prefix to a dotted
///    chain) matches a prefix of the path: then the longest such prefix's
///    chain replaces the prefix's segments (`/v1/connected_apps` →
///    `connected_app`, as the official SDKs spell it).
/// 2. The function name is the last `_`-token of the `operationId`
///    (`api_user_v1_DeleteEmail` → `DeleteEmail`) in snake_case. Words are
///    split at case changes, then rejoined where the document's own paths
///    spell them as one word (`OAuth` → `oauth`, as in `/v1/oauth/…`).
/// 3. Trailing group segments that the function name already says (in the
///    singular or plural) are dropped: `POST /v1/otps/whatsapp/login_or_create`
///    is `otps.whatsapp.login_or_create`, `DELETE /v1/users/emails/{email_id}`
///    is `users.delete_email`. At least one group remains.
/// 4. A function whose chain another operation's chain extends would be a
///    method of the same name as a group: it takes its HTTP method as a
///    prefix. `GET /v1/users/{user_id}/connected_apps` beside
///    `POST …/connected_apps/{connected_app_id}/revoke` is
///    `users.get_connected_apps`, and the group stays
///    `users.connected_apps`. So does a function name that starts with a
///    digit, which no identifier can (`api_thing_v1_123` → `things.get_123`).
///    Only [`OperationNames::chains`], which sees every operation and its
///    method, applies it.
#[derive(Debug, Default)]
pub struct OperationNames {
    /// Path-prefix segments → the chain that replaces them.
    groups: Vec<(Vec<String>, Vec<String>)>,
    /// Every `_`-separated word of the document's literal path segments.
    vocabulary: std::collections::BTreeSet<String>,
}

impl OperationNames {
    /// `paths`: every path template of the document; `groups`: the
    /// overrides, prefix → dotted chain.
    pub fn new<'a>(
        paths: impl IntoIterator<Item = &'a str>,
        groups: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let vocabulary = paths
            .into_iter()
            .flat_map(literal_segments)
            .flat_map(|segment| segment.split('_'))
            .map(str::to_ascii_lowercase)
            .collect();
        let groups = groups
            .into_iter()
            .map(|(prefix, chain)| {
                let prefix = prefix.split('/').filter(|s| !s.is_empty());
                let chain = chain.split('.').map(str::to_owned);
                (prefix.map(str::to_owned).collect(), chain.collect())
            })
            .collect();
        OperationNames { groups, vocabulary }
    }

    /// Every operation of `paths` (a document's `paths` object) → its
    /// chain, by (path, method key): rules 1–3 for each, then rule 4 across
    /// them. An operation without an `operationId` string is left out.
    pub fn chains<'p>(
        &self,
        paths: &'p serde_json::Map<String, Value>,
    ) -> BTreeMap<(&'p str, &'static str), Result<Vec<String>, String>> {
        let mut chains: BTreeMap<_, _> = paths
            .iter()
            .filter_map(|(path, item)| Some((path.as_str(), item.as_object()?)))
            .flat_map(|(path, item)| {
                METHOD_KEYS.iter().filter_map(move |&method| {
                    let operation_id = item.get(method)?.get("operationId")?.as_str()?;
                    Some(((path, method), self.chain(path, operation_id)))
                })
            })
            .collect();
        let groups: std::collections::BTreeSet<Vec<String>> = chains
            .values()
            .flatten()
            .flat_map(|chain| (1..chain.len()).map(|n| chain[..n].to_vec()))
            .collect();
        for ((_, method), chain) in &mut chains {
            let Ok(chain) = chain else { continue };
            let numeric = chain
                .last()
                .is_some_and(|f| f.starts_with(|c: char| c.is_ascii_digit()));
            if (numeric || groups.contains(chain))
                && let Some(function) = chain.last_mut()
            {
                *function = format!("{method}_{function}");
            }
        }
        chains
    }

    /// The chain of `operation_id` at `path`: groups, then the function,
    /// by rules 1–3 (rule 4 needs the other operations: [`Self::chains`]).
    pub fn chain(&self, path: &str, operation_id: &str) -> Result<Vec<String>, String> {
        let last = operation_id.rsplit('_').next().unwrap_or_default();
        let function = self.words(last);
        if function.is_empty() {
            return Err(format!(
                "operationId {operation_id:?} does not end in a name to call the operation by"
            ));
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let (mut chain, rest) = self.groups_of(&segments);
        let literals: Vec<&str> = rest.iter().copied().filter(|s| !is_parameter(s)).collect();
        let kept = unsaid(&literals, &function, chain.is_empty());
        for segment in &literals[..kept] {
            let ident = field_ident(segment)
                .ok_or_else(|| format!("path segment {segment:?} has no Rust name"))?;
            chain.push(ident);
        }
        if chain.is_empty() {
            return Err(format!(
                "path {path:?} has no segment to group the operation under"
            ));
        }
        chain.push(function.join("_"));
        Ok(chain)
    }

    /// Rule 1: the chain the longest matching override gives and the
    /// segments after its prefix; without one, no chain and the segments
    /// after the version (`v1` names no resource).
    fn groups_of<'p>(&self, segments: &'p [&'p str]) -> (Vec<String>, &'p [&'p str]) {
        let group = self
            .groups
            .iter()
            .filter(|(prefix, _)| {
                prefix.len() <= segments.len() && prefix.iter().zip(segments).all(|(a, b)| a == b)
            })
            .max_by_key(|(prefix, _)| prefix.len());
        match group {
            Some((prefix, chain)) => (chain.clone(), &segments[prefix.len()..]),
            None => (Vec::new(), segments.get(1..).unwrap_or_default()),
        }
    }

    /// `DeleteOAuthRegistration` → `delete`, `oauth`, `registration`.
    fn words(&self, token: &str) -> Vec<String> {
        let mut split: Vec<String> = Vec::new();
        let chars: Vec<char> = token
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next_lower)
                });
            if boundary && !current.is_empty() {
                split.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
        }
        if !current.is_empty() {
            split.push(current);
        }
        let mut words = Vec::new();
        let mut i = 0;
        while i < split.len() {
            let joined = (2..=3)
                .rev()
                .filter(|k| i + k <= split.len())
                .find(|k| self.vocabulary.contains(&split[i..i + k].concat()));
            match joined {
                Some(k) => {
                    words.push(split[i..i + k].concat());
                    i += k;
                }
                None => {
                    words.push(split[i].clone());
                    i += 1;
                }
            }
        }
        words
    }
}

/// A path template's segments that are not parameters.
fn literal_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !is_parameter(s))
}

/// `{user_id}`: a path parameter, not a literal segment.
fn is_parameter(segment: &str) -> bool {
    segment.starts_with('{')
}

/// Rule 3: how many of `literals` stay groups once the trailing ones that
/// `function` already says (in the singular or plural) are dropped; at
/// least one stays when `no_chain` (no override gave groups).
fn unsaid(literals: &[&str], function: &[String], no_chain: bool) -> usize {
    let function: Vec<String> = function.iter().map(|w| singular(w)).collect();
    let mut kept = literals.len();
    while let Some(last) = kept.checked_sub(1).map(|i| literals[i]) {
        if no_chain && kept == 1 {
            break;
        }
        let words: Vec<String> = last.split('_').map(singular).collect();
        if !function.windows(words.len()).any(|w| w == words.as_slice()) {
            break;
        }
        kept -= 1;
    }
    kept
}

fn singular(word: &str) -> String {
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

/// `pt-br` → `PtBr`, `invalid_phone_number` → `InvalidPhoneNumber`,
/// `LoginOrCreateRequest` stays as written.
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    let mut upper_next = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if upper_next {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper_next = false;
        } else {
            upper_next = true;
        }
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    // The one keyword in PascalCase; it cannot be a raw identifier, and
    // `Self_` would not be camel case.
    if out == "Self" {
        out.push_str("Type");
    }
    out
}

/// A JSON property name as a Rust field identifier, or `None` when it has no
/// faithful snake_case spelling.
pub fn field_ident(json_name: &str) -> Option<String> {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in json_name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        } else {
            return None;
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        return None;
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Some(format!("_{out}"));
    }
    Some(out)
}

/// Method names a generated struct or its builder already has; a field
/// accessor or setter of the same name would be a duplicate definition.
const GENERATED_METHODS: &[&str] = &[
    "builder",
    "into_builder",
    "build",
    "from_raw",
    "into_raw",
    "raw",
    "clone",
    "default",
];

/// The Rust field names of an object's properties, in order, each with the
/// reason when it is not the property's plain snake_case spelling
/// ([`field_ident`]). The rule:
///
/// * a property with no snake_case spelling (`""`, `"🎉"`) is `property_N`,
///   `N` its 1-based position;
/// * a name that is a generated method (`build`, `into_builder`, …), `self`,
///   `super` or `crate` (not raw identifiers), gets a trailing `_`;
/// * a name an earlier property already took gets `_2`, `_3`, … (the first
///   free one; one `_` only): `userId` after `user_id` is `user_id_2`,
///   `Self` after `self` (`self_`) is `self_2`.
///
/// Other keywords stay and are emitted as raw identifiers (`r#type`).
pub fn field_names(json_names: &[&str]) -> Vec<(String, Option<String>)> {
    let mut taken = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, json) in json_names.iter().enumerate() {
        let (mut name, mut why) = match field_ident(json) {
            Some(name) => (name, None),
            None => (
                format!("property_{}", i + 1),
                Some("it has no snake_case spelling".to_owned()),
            ),
        };
        let special = GENERATED_METHODS.contains(&name.as_str())
            || matches!(name.as_str(), "self" | "super" | "crate");
        if special {
            why = Some(format!("`{name}` is a generated method or a keyword"));
            name.push('_');
        }
        if taken.contains(&name) {
            let taken_name = name.clone();
            // `self_` + 2 is `self_2`, not the non-snake-case `self__2`.
            let base = format!("{}_", name.trim_end_matches('_'));
            let mut n = 2;
            while taken.contains(&format!("{base}{n}")) {
                n += 1;
            }
            name = format!("{base}{n}");
            why = Some(format!("an earlier property already takes `{taken_name}`"));
        }
        taken.insert(name.clone());
        out.push((name, why));
    }
    out
}

/// The Rust variant names of a string enum's values, in order, each with
/// the reason when it is not the value's plain [`pascal_case`] spelling.
/// The rule:
///
/// * a value with no PascalCase spelling (`""`, `"🎉"`) is `Empty`;
/// * `Unknown` is the catch-all variant of open enums, so a value spelled
///   that way (`unknown`, `UNKNOWN`) is `UnknownValue`;
/// * a name an earlier value already took gets `2`, `3`, … (the first free
///   one): `Unknown` after `unknown` is `UnknownValue2`, `a_b` after `a-b`
///   is `AB2`.
///
/// Values listed twice are the caller's to refuse.
pub fn variant_names(values: &[&str]) -> Vec<(String, Option<String>)> {
    let mut taken = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for value in values {
        let (mut name, mut why) = match pascal_case(value) {
            name if name.is_empty() => (
                "Empty".to_owned(),
                Some("it has no PascalCase spelling".to_owned()),
            ),
            name if name == "Unknown" => (
                "UnknownValue".to_owned(),
                Some("`Unknown` is the variant for unlisted values".to_owned()),
            ),
            name => (name, None),
        };
        if taken.contains(&name) {
            let mut n = 2;
            while taken.contains(&format!("{name}{n}")) {
                n += 1;
            }
            why = Some(format!("an earlier value already takes `{name}`"));
            name = format!("{name}{n}");
        }
        taken.insert(name.clone());
        out.push((name, why));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(component: &str, expect: &str) {
        assert_eq!(
            type_path(component).map(|p| p.display()),
            Ok(expect.to_owned())
        );
    }

    #[test]
    fn component_names_become_module_paths() {
        check(
            "api_otp_v1_otp_whatsapp_LoginOrCreateRequest",
            "otp::whatsapp::LoginOrCreateRequest",
        );
        check(
            "api_otp_v1_LoginOrCreateRequestLocale",
            "otp::LoginOrCreateRequestLocale",
        );
        check("api_attribute_v1_Attributes", "attribute::Attributes");
        check(
            "api_crypto_wallet_v1_SIWEParams",
            "crypto_wallet::SIWEParams",
        );
        // Without a document's paths, every token is a module.
        check(
            "api_password_v1_passwords_existing_password_ResetRequest",
            "password::passwords::existing::password::ResetRequest",
        );
        check(
            "api_b2b_scim_v1_b2b_scim_connection_CreateRequest",
            "b2b_scim::connection::CreateRequest",
        );
        check("Widget", "Widget");
    }

    fn body(component: &str) -> serde_json::Value {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{component}") });
        serde_json::json!({
            "requestBody": { "content": { "application/json": { "schema": schema } } },
            "responses": { "400": { "content": { "application/json": { "schema": {
                "$ref": "#/components/schemas/Error"
            } } } } }
        })
    }

    /// A document: `paths` → the request component each operation sends.
    fn names(paths: &[(&str, &str)], components: &[(&str, serde_json::Value)]) -> TypeNames {
        let paths: Map<String, Value> = paths
            .iter()
            .map(|(p, c)| ((*p).to_owned(), serde_json::json!({ "post": body(c) })))
            .collect();
        let mut schemas: Map<String, Value> = components
            .iter()
            .map(|(c, s)| ((*c).to_owned(), s.clone()))
            .collect();
        schemas.insert("Error".to_owned(), serde_json::json!({}));
        TypeNames::from_document(&serde_json::json!({
            "paths": paths,
            "components": { "schemas": schemas },
        }))
    }

    fn locale_of(locale: &str) -> serde_json::Value {
        serde_json::json!({ "properties": { "locale": {
            "$ref": format!("#/components/schemas/{locale}")
        } } })
    }

    #[test]
    fn paths_keep_multi_word_segments_whole() {
        let names = names(
            &[(
                "/v1/passwords/existing_password/reset",
                "api_password_v1_passwords_existing_password_ResetRequest",
            )],
            &[(
                "api_password_v1_passwords_existing_password_ResetRequest",
                serde_json::json!({}),
            )],
        );
        assert_eq!(
            names
                .type_path("api_password_v1_passwords_existing_password_ResetRequest")
                .map(|p| p.display()),
            Ok("password::passwords::existing_password::ResetRequest".to_owned())
        );
    }

    #[test]
    fn types_sit_beside_the_operations_that_use_them() {
        let sms = "api_otp_v1_otp_sms_SendRequest";
        let whatsapp = "api_otp_v1_otp_whatsapp_SendRequest";
        let email = "api_otp_v1_otp_email_SendRequest";
        let names = names(
            &[
                ("/v1/otps/sms/send", sms),
                ("/v1/otps/whatsapp/send", whatsapp),
                ("/v1/otps/email/send", email),
            ],
            &[
                (sms, locale_of("api_otp_v1_SharedLocale")),
                (whatsapp, locale_of("api_otp_v1_SharedLocale")),
                (email, locale_of("api_otp_v1_EmailLocale")),
                ("api_otp_v1_SharedLocale", serde_json::json!({})),
                ("api_otp_v1_EmailLocale", serde_json::json!({})),
            ],
        );
        let at = |c: &str| names.type_path(c).map(|p| p.display());
        assert_eq!(
            at("api_otp_v1_EmailLocale"),
            Ok("otp::email::EmailLocale".to_owned())
        );
        // Shared by two groups: their nearest common module.
        assert_eq!(
            at("api_otp_v1_SharedLocale"),
            Ok("otp::SharedLocale".to_owned())
        );
        // Outside every package: the shared error object stays.
        assert_eq!(at("Error"), Ok("Error".to_owned()));
        assert!(names.collisions().is_empty());
    }

    #[test]
    fn a_placement_onto_a_taken_path_is_refused_and_recorded() {
        let request = "api_otp_v1_otp_email_SendRequest";
        let names = names(
            &[("/v1/otps/email/send", request)],
            &[
                (request, locale_of("api_otp_v1_Locale")),
                ("api_otp_v1_Locale", serde_json::json!({})),
                // Holds `otp::email::LocaleBuilder`, the placed type's builder.
                ("api_otp_v1_otp_email_LocaleBuilder", serde_json::json!({})),
            ],
        );
        assert_eq!(
            names.type_path("api_otp_v1_Locale").map(|p| p.display()),
            Ok("otp::Locale".to_owned())
        );
        assert_eq!(
            names.collisions(),
            [Collision {
                component: "api_otp_v1_Locale".to_owned(),
                wanted: TypePath {
                    modules: vec!["otp".to_owned(), "email".to_owned()],
                    name: "Locale".to_owned(),
                },
                holder: "api_otp_v1_otp_email_LocaleBuilder".to_owned(),
            }]
        );
    }

    /// Data-driven: (path, operationId) → chain, with the override table
    /// Stytch's overlay gives.
    fn check_chain(path: &str, operation_id: &str, expect: &str) {
        let paths = [
            "/v1/oauth/attach",
            "/v1/users/webauthn_registrations/{id}",
            "/v1/users/oauth/{id}",
        ];
        let groups = [
            ("/v1/connected_apps", "connected_app"),
            (
                "/v1/b2b/organizations/{organization_id}/member",
                "b2b.organizations.members",
            ),
        ];
        let names = OperationNames::new(paths, groups);
        assert_eq!(
            names.chain(path, operation_id).map(|c| c.join(".")),
            Ok(expect.to_owned())
        );
    }

    #[test]
    fn operations_become_method_chains() {
        check_chain("/v1/users/{user_id}", "api_user_v1_Get", "users.get");
        check_chain("/v1/users/search", "api_user_v1_Search", "users.search");
        check_chain(
            "/v1/otps/whatsapp/login_or_create",
            "api_otp_v1_otp_whatsapp_LoginOrCreate",
            "otps.whatsapp.login_or_create",
        );
        check_chain(
            "/v1/users/emails/{email_id}",
            "api_user_v1_DeleteEmail",
            "users.delete_email",
        );
        check_chain(
            "/v1/users/oauth/{id}",
            "api_user_v1_DeleteOAuthRegistration",
            "users.delete_oauth_registration",
        );
        check_chain(
            "/v1/users/webauthn_registrations/{id}",
            "api_user_v1_DeleteWebAuthnRegistration",
            "users.delete_webauthn_registration",
        );
        check_chain(
            "/v1/webauthn/credentials/{user_id}/{domain}",
            "api_webauthn_v1_ListCredentials",
            "webauthn.list_credentials",
        );
        check_chain(
            "/v1/passwords/email/reset/start",
            "api_password_v1_passwords_email_ResetStart",
            "passwords.email.reset_start",
        );
        check_chain(
            "/v1/connected_apps/clients/{client_id}/secrets/rotate",
            "api_connectedapps_v1_connected_apps_clients_secrets_Rotate",
            "connected_app.clients.secrets.rotate",
        );
        check_chain(
            "/v1/b2b/organizations/{organization_id}/member",
            "api_organization_v1_organizations_members_Get",
            "b2b.organizations.members.get",
        );
        check_chain("/v1/sessions", "api_session_v1_Get", "sessions.get");
        // The last group stays even when the function repeats it.
        check_chain("/v1/totps", "api_totp_v1_Totps", "totps.totps");
    }

    #[test]
    fn a_function_that_is_also_a_group_is_named_after_its_method() {
        let paths = serde_json::json!({
            "/v1/users/{user_id}/connected_apps": {
                "get": {"operationId": "api_user_v1_ConnectedApps"}
            },
            "/v1/users/{user_id}/connected_apps/{connected_app_id}/revoke": {
                "post": {"operationId": "api_user_v1_users_connected_apps_Revoke"}
            },
            "/v1/users/{user_id}": {"get": {"operationId": "api_user_v1_Get"}},
        });
        let paths = paths.as_object().expect("paths");
        let names = OperationNames::new(paths.keys().map(String::as_str), []);
        let chains: Vec<String> = names
            .chains(paths)
            .into_values()
            .map(|c| c.map(|c| c.join(".")).unwrap_or_else(|e| e))
            .collect();
        assert_eq!(
            chains,
            [
                "users.get",
                "users.get_connected_apps",
                "users.connected_apps.revoke",
            ]
        );
    }

    #[test]
    fn a_function_that_starts_with_a_digit_is_named_after_its_method() {
        let paths = serde_json::json!({
            "/v1/things": {"get": {"operationId": "123"}, "post": {"operationId": "api_thing_v1_123"}},
            "/v1/things/{id}": {"get": {"operationId": "api_thing_v1_2fa"}},
        });
        let paths = paths.as_object().expect("paths");
        let names = OperationNames::new(paths.keys().map(String::as_str), []);
        let chains: Vec<String> = names
            .chains(paths)
            .into_values()
            .map(|c| c.map(|c| c.join(".")).unwrap_or_else(|e| e))
            .collect();
        assert_eq!(
            chains,
            ["things.get_123", "things.post_123", "things.get_2fa"]
        );
    }

    #[test]
    fn reserved_segments_and_names_are_escaped() {
        check("api_type_v1_X", "type_::X");
        check("api_validation_v1_Thing", "validation_::Thing");
        check("api_demo_v1_Self", "demo::SelfType");
        let names = field_names(&["user_id", "userId", "build", "", "build_", "self"]);
        let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "user_id",
                "user_id_2",
                "build_",
                "property_4",
                "build_2",
                "self_"
            ]
        );
    }

    #[test]
    fn names_without_a_type_token_are_refused() {
        assert!(type_path("api_otp_v1_lower").is_err());
    }

    #[test]
    fn json_names_become_snake_case_fields() {
        assert_eq!(field_ident("phone_number").as_deref(), Some("phone_number"));
        assert_eq!(field_ident("userId").as_deref(), Some("user_id"));
        assert_eq!(field_ident("x-y").as_deref(), Some("x_y"));
        assert_eq!(field_ident("1st").as_deref(), Some("_1st"));
        assert_eq!(field_ident("ü"), None);
    }
}
