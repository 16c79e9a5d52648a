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
