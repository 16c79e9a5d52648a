// The validation runtime shared by every generated type. The generator copies
// this file verbatim into its output so that the generated crate has no
// dependency on the generator.

use std::borrow::Cow;
use std::fmt;

/// One broken schema constraint: where it is, which constraint, which value.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    path: String,
    // Most constraints are literals the generator wrote; no copy for those.
    constraint: Cow<'static, str>,
    value: serde_json::Value,
}

impl Violation {
    /// The JSON path of the offending value, e.g. `$.attributes.ip_address`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The constraint that was broken, e.g. `minimum 1`.
    pub fn constraint(&self) -> &str {
        &self.constraint
    }

    /// The offending value (`null` for a missing required property).
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.constraint == "required" {
            write!(f, "{}: required property is missing", self.path)
        } else {
            write!(f, "{}: {} (got {})", self.path, self.constraint, self.value)
        }
    }
}

/// Every constraint a value broke, collected in one pass.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The violations, in schema order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "{n} schema violation{}",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            write!(f, "{}{v}", if i == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A position in the value being validated. Rendered to a string only when a
/// violation is recorded, so the valid path allocates nothing.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'static str),
    Index(&'a Path<'a>, usize),
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    pub(crate) fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    #[allow(dead_code)]
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    #[allow(dead_code)]
    pub(crate) fn key(&'a self, k: &'a str) -> Path<'a> {
        Path::Key(self, k)
    }

    fn render(&self, out: &mut String) {
        match self {
            Path::Root => out.push('$'),
            Path::Field(parent, name) => {
                parent.render(out);
                push_member(out, name);
            }
            Path::Key(parent, name) => {
                parent.render(out);
                push_member(out, name);
            }
            Path::Index(parent, i) => {
                parent.render(out);
                out.push_str(&format!("[{i}]"));
            }
        }
    }
}

fn push_member(out: &mut String, name: &str) {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        out.push('.');
        out.push_str(name);
    } else {
        out.push('[');
        out.push_str(&serde_json::Value::from(name).to_string());
        out.push(']');
    }
}

/// Collects violations while a value is checked.
pub(crate) struct Violations {
    found: Vec<Violation>,
    /// Set when checking a request: open enums then refuse unlisted values,
    /// so a request only carries values the schema lists.
    strict: bool,
}

impl Violations {
    #[allow(dead_code)]
    pub(crate) fn strict(&self) -> bool {
        self.strict
    }

    /// An empty list in the same mode, to test a branch (`anyOf`, `not`, …)
    /// without recording its violations.
    #[allow(dead_code)]
    pub(crate) fn scratch(&self) -> Violations {
        Violations {
            found: Vec::new(),
            strict: self.strict,
        }
    }

    pub(crate) fn push(
        &mut self,
        path: &Path<'_>,
        constraint: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) {
        let mut rendered = String::new();
        path.render(&mut rendered);
        self.found.push(Violation {
            path: rendered,
            constraint: constraint.into(),
            value: value.into(),
        });
    }

    pub(crate) fn required(&mut self, path: &Path<'_>, name: &'static str) {
        self.push(&path.field(name), "required", serde_json::Value::Null);
    }

    /// Passes a required property through, recording it when missing.
    #[allow(dead_code)]
    pub(crate) fn require<T>(&mut self, value: Option<T>, path: &Path<'_>, name: &'static str) -> Option<T> {
        if value.is_none() {
            self.required(path, name);
        }
        value
    }

    /// Turns the outcome of a check into a result: a value is returned only
    /// when nothing was violated.
    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, ValidationError> {
        match value {
            Some(v) if self.found.is_empty() => Ok(v),
            _ => Err(ValidationError { violations: self.found }),
        }
    }
}

/// Runs a check that collects violations, starting at the root path.
/// `strict` is true for request types (see [`Violations`]).
pub(crate) fn validate_root<T>(
    strict: bool,
    check: impl FnOnce(&Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, ValidationError> {
    let mut errs = Violations {
        found: Vec::new(),
        strict,
    };
    let value = check(&Path::Root, &mut errs);
    errs.finish(value)
}

/// A JSON number that must be an integer in the range of `T`. JSON Schema
/// counts `1.0` as an integer, so integral floats are accepted.
#[allow(dead_code)]
pub(crate) fn integer<T: TryFrom<i64> + TryFrom<u64>>(
    n: &serde_json::Number,
    format: &str,
    path: &Path<'_>,
    errs: &mut Violations,
) -> Option<T> {
    let converted = if let Some(i) = n.as_i64() {
        T::try_from(i).ok()
    } else if let Some(u) = n.as_u64() {
        T::try_from(u).ok()
    } else {
        match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                T::try_from(f as i64).ok()
            }
            Some(f) if f.fract() != 0.0 => {
                errs.push(path, "type integer", n.clone());
                return None;
            }
            _ => None,
        }
    };
    if converted.is_none() {
        errs.push(path, format!("format {format}"), n.clone());
    }
    converted
}

/// Compares as JSON Schema does, so an `i64` bound checks any number exactly.
#[allow(dead_code)]
pub(crate) fn check_minimum(
    value: f64,
    bound: f64,
    exclusive: bool,
    shown: impl Into<serde_json::Value>,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    let ok = if exclusive { value > bound } else { value >= bound };
    if !ok {
        let keyword = if exclusive { "exclusiveMinimum" } else { "minimum" };
        errs.push(path, format!("{keyword} {}", fmt_bound(bound)), shown);
    }
}

#[allow(dead_code)]
pub(crate) fn check_maximum(
    value: f64,
    bound: f64,
    exclusive: bool,
    shown: impl Into<serde_json::Value>,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    let ok = if exclusive { value < bound } else { value <= bound };
    if !ok {
        let keyword = if exclusive { "exclusiveMaximum" } else { "maximum" };
        errs.push(path, format!("{keyword} {}", fmt_bound(bound)), shown);
    }
}

fn fmt_bound(bound: f64) -> String {
    serde_json::Number::from_f64(bound)
        .map(|n| {
            if bound.fract() == 0.0 && bound.abs() < 1e15 {
                format!("{}", bound as i64)
            } else {
                n.to_string()
            }
        })
        .unwrap_or_else(|| bound.to_string())
}

/// String lengths count Unicode code points, as JSON Schema requires.
#[allow(dead_code)]
pub(crate) fn check_length(
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    let len = value.chars().count() as u64;
    if let Some(min) = min.filter(|&min| len < min) {
        errs.push(path, format!("minLength {min}"), value);
    }
    if let Some(max) = max.filter(|&max| len > max) {
        errs.push(path, format!("maxLength {max}"), value);
    }
}

/// Reports a value outside an enum's list; `constraint` is the list as the
/// generator rendered it, `enum ["a", "b"]`.
#[allow(dead_code)]
pub(crate) fn enum_violation(
    constraint: &'static str,
    value: &str,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    errs.push(path, constraint, value);
}

/// A raw field: absent unless the input had it. Its `Deserialize` reads the
/// value itself, so with `#[serde(default)]` an absent field stays `None`
/// while an explicit `null` is a type error, as the schema (which allows
/// absence, not null) requires. One generic impl instead of a
/// `deserialize_with` per field, which serde expands into a wrapper type each.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Present<T>(pub(crate) Option<T>);

impl<T> Default for Present<T> {
    fn default() -> Self {
        Present(None)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Present<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(|value| Present(Some(value)))
    }
}

/// Lets a derived struct deserializer accept only JSON objects. serde's
/// derive also accepts an array of fields in order, which JSON Schema's
/// `"type": "object"` rejects.
pub(crate) struct ObjectOnly<D>(pub(crate) D);

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(NoSequence(visitor))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, NoSequence(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

struct NoSequence<V>(V);

impl<'de, V: serde::de::Visitor<'de>> serde::de::Visitor<'de> for NoSequence<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(map)
    }
}
