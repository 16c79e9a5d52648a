//! How Stytch component names become Rust module paths and identifiers.
//!
//! A component is named `api_<package>_v<N>_<path>_<Type>`:
//!
//! * `<package>` is every token between `api_` and the first `v<digits>` token,
//!   joined with `_` (`crypto_wallet`, `consumer_rbac`); it becomes the top
//!   module.
//! * `v<N>` is dropped: the corpus has only `v1`. Should a `v2` appear, any
//!   clash is reported by [`crate::generate`] rather than silently merged.
//! * `<path>` is the tokens between the version and the type, each one a
//!   nested module. A first path token equal to the package is dropped, so
//!   `api_otp_v1_otp_whatsapp_X` is `otp::whatsapp::X`, not `otp::otp::whatsapp::X`.
//! * `<Type>` is the last token, used as the type name as written.
//!
//! Names that do not follow the pattern keep their last `_`-separated token
//! that starts with an upper-case letter as the type name and use the tokens
//! before it as modules. Every resulting path is checked for collisions.

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

/// The name of `name`'s companion `kind`: the one place companion names
/// are decided.
pub fn companion(name: &str, kind: Companion) -> String {
    let suffix = match kind {
        Companion::Raw => "Raw",
        Companion::Builder => "Builder",
    };
    format!("{name}{suffix}")
}

/// Maps a component name to its module path and type name.
pub fn type_path(component: &str) -> Result<TypePath, String> {
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
    let version = head.iter().position(|t| is_version(t));
    let modules: Vec<String> = match (head.first(), version) {
        (Some(&"api"), Some(v)) if v > 1 => {
            let package = head[1..v].join("_");
            let mut path: Vec<&str> = head[v + 1..].to_vec();
            if path.first() == Some(&package.as_str()) {
                path.remove(0);
            }
            std::iter::once(package)
                .chain(path.into_iter().map(str::to_owned))
                .collect()
        }
        _ => head.iter().map(|t| (*t).to_owned()).collect(),
    };
    let modules = modules
        .into_iter()
        .map(|m| module_ident(&m))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| format!("component name `{component}`: `{m}` cannot be a module name"))?;
    Ok(TypePath { modules, name })
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

    /// The chain of `operation_id` at `path`: groups, then the function.
    pub fn chain(&self, path: &str, operation_id: &str) -> Result<Vec<String>, String> {
        let last = operation_id.rsplit('_').next().unwrap_or_default();
        let function = self.words(last);
        if function.is_empty() {
            return Err(format!(
                "operationId {operation_id:?} does not end in a name to call the operation by"
            ));
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let group = self
            .groups
            .iter()
            .filter(|(prefix, _)| {
                prefix.len() <= segments.len() && prefix.iter().zip(&segments).all(|(a, b)| a == b)
            })
            .max_by_key(|(prefix, _)| prefix.len());
        let (mut chain, rest): (Vec<String>, &[&str]) = match group {
            Some((prefix, chain)) => (chain.clone(), &segments[prefix.len()..]),
            // The version segment (`v1`) names no resource.
            None => (Vec::new(), segments.get(1..).unwrap_or_default()),
        };
        let mut literals: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|s| !s.starts_with('{'))
            .collect();
        let function_words: Vec<String> = function.iter().map(|w| singular(w)).collect();
        while let Some(last) = literals.last() {
            if chain.is_empty() && literals.len() == 1 {
                break;
            }
            let words: Vec<String> = last.split('_').map(singular).collect();
            let said = function_words
                .windows(words.len())
                .any(|w| w == words.as_slice());
            if !said {
                break;
            }
            literals.pop();
        }
        for segment in literals {
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

fn literal_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
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
        check(
            "api_password_v1_passwords_existing_password_ResetRequest",
            "password::passwords::existing::password::ResetRequest",
        );
        check("Widget", "Widget");
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
