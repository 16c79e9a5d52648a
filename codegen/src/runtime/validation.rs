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

/// Most characters of a value a message shows; a longer one is cut, with its
/// length, so a 10 MB field does not become a 10 MB error message.
/// `Violation::value` still has it whole.
const SHOWN_CHARS: usize = 100;

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.constraint == "required" {
            return write!(f, "{}: required property is missing", self.path);
        }
        let value = self.value.to_string();
        match value.char_indices().nth(SHOWN_CHARS) {
            None => write!(f, "{}: {} (got {value})", self.path, self.constraint),
            Some((cut, _)) => write!(
                f,
                "{}: {} (got {}… ({} characters in all))",
                self.path,
                self.constraint,
                &value[..cut],
                value.chars().count()
            ),
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
/// `constraint` is the keyword and bound as the generator rendered them.
#[allow(dead_code)]
pub(crate) fn check_minimum(
    value: f64,
    bound: f64,
    exclusive: bool,
    constraint: &'static str,
    shown: impl Into<serde_json::Value>,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    let ok = if exclusive { value > bound } else { value >= bound };
    if !ok {
        errs.push(path, constraint, shown);
    }
}

#[allow(dead_code)]
pub(crate) fn check_maximum(
    value: f64,
    bound: f64,
    exclusive: bool,
    constraint: &'static str,
    shown: impl Into<serde_json::Value>,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    let ok = if exclusive { value < bound } else { value <= bound };
    if !ok {
        errs.push(path, constraint, shown);
    }
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

/// A raw twin that serde fills field by field. Implemented per struct with
/// a `match` on the field index; the visitor below is shared, so a struct
/// costs one small function instead of a derived `Deserialize` (a field
/// enum, its visitor, and a sequence form JSON objects do not have).
pub(crate) trait RawFields: Default {
    /// The JSON property names, in field order.
    const FIELDS: &'static [&'static str];

    /// Reads the value of field `index` from `map`; `false` when the field
    /// was already set (a duplicate key).
    fn read<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Deserializes a raw twin from a JSON object (and nothing else: an array
/// of fields, which serde's derive would take, is a type error).
pub(crate) fn deserialize_raw<'de, T: RawFields, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(RawVisitor(std::marker::PhantomData))
}

/// Stores a field's value. An absent field stays `None`, and an explicit
/// `null` is a type error from `T` itself, as the schema (which allows
/// absence, not null) requires.
#[allow(dead_code)]
pub(crate) fn read_field<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Ok(false);
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

struct RawVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: RawFields> serde::de::Visitor<'de> for RawVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut raw = T::default();
        while let Some(index) = map.next_key_seed(FieldIndex(T::FIELDS))? {
            match index {
                Some(i) => {
                    if !raw.read(i, &mut map)? {
                        let name = T::FIELDS.get(i).copied().unwrap_or("");
                        return Err(serde::de::Error::duplicate_field(name));
                    }
                }
                // Properties the schema does not declare are allowed.
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(raw)
    }
}

/// A property name, looked up among a struct's fields without allocating.
struct FieldIndex(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|field| *field == name))
    }
}
