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
    /// The value as the JSON text wrote it, when `value` cannot hold it
    /// exactly (a number beyond `f64` precision).
    shown: Option<Box<str>>,
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
        self.write_to(f)
    }
}

impl Violation {
    /// The message, streamed: nothing is rendered to a string of its own.
    fn write_to<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        out.write_str(&self.path)?;
        if self.constraint == "required" {
            return out.write_str(": required property is missing");
        }
        out.write_str(": ")?;
        out.write_str(&self.constraint)?;
        out.write_str(" (got ")?;
        let mut shown = Shown {
            out: &mut *out,
            seen: 0,
        };
        match (&self.shown, &self.value) {
            (Some(literal), _) => fmt::Write::write_str(&mut shown, literal)?,
            // serde_json escapes only `"`, `\` and control characters; a
            // string with none is its own JSON text between quotes.
            (None, serde_json::Value::String(s))
                if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) =>
            {
                fmt::Write::write_str(&mut shown, "\"")?;
                fmt::Write::write_str(&mut shown, s)?;
                fmt::Write::write_str(&mut shown, "\"")?;
            }
            (None, value) => fmt::Write::write_fmt(&mut shown, format_args!("{value}"))?,
        }
        let seen = shown.seen;
        if seen > SHOWN_CHARS {
            write!(out, "… ({seen} characters in all))")
        } else {
            out.write_str(")")
        }
    }

    /// About the length of the message, to size its buffer.
    fn estimated_len(&self) -> usize {
        let value = match &self.value {
            serde_json::Value::String(s) => s.len().min(4 * SHOWN_CHARS) + 2,
            _ => 24,
        };
        self.path.len() + self.constraint.len() + value + 40
    }
}

/// Passes on the first [`SHOWN_CHARS`] characters written, counting all.
struct Shown<'a, W> {
    out: &'a mut W,
    seen: usize,
}

impl<W: fmt::Write> fmt::Write for Shown<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = SHOWN_CHARS.saturating_sub(self.seen);
        if s.len() <= room {
            // No more characters than bytes: all of it fits.
            self.out.write_str(s)?;
        } else if room > 0 {
            let cut = s.char_indices().nth(room).map_or(s.len(), |(at, _)| at);
            self.out.write_str(&s[..cut])?;
        }
        self.seen += s.chars().count();
        Ok(())
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
        // Rendered into one buffer sized up front and passed on whole: the
        // caller's string (serde's error message) then grows once, not at
        // every doubling.
        let capacity = 32 + self
            .violations
            .iter()
            .map(Violation::estimated_len)
            .sum::<usize>();
        let mut out = String::with_capacity(capacity);
        let n = self.violations.len();
        fmt::Write::write_fmt(
            &mut out,
            format_args!("{n} schema violation{}", if n == 1 { "" } else { "s" }),
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            out.push_str(if i == 0 { ": " } else { "; " });
            v.write_to(&mut out)?;
        }
        f.write_str(&out)
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
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
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
        self.push_shown(path, constraint, value, None);
    }

    /// [`push`](Self::push), with the value's literal text for the message.
    pub(crate) fn push_shown(
        &mut self,
        path: &Path<'_>,
        constraint: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
        shown: Option<Box<str>>,
    ) {
        // Most paths are short: one allocation, not a few regrowths.
        let mut rendered = String::with_capacity(32);
        path.render(&mut rendered);
        self.found.push(Violation {
            path: rendered,
            constraint: constraint.into(),
            value: value.into(),
            shown,
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

/// An integer property's value as the JSON text wrote it. serde_json reads
/// a number into an `f64`, where `9.99999999999999999` is 10 and
/// `1.0000000000000001` is 1; JSON Schema judges the number written, so the
/// literal is read raw (`serde_json::value::RawValue`) and judged exactly.
#[allow(dead_code)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IntegerLiteral {
    Int(i64),
    UInt(u64),
    /// Beyond `u64`, or not an integer: as written.
    Other { text: Box<str>, integer: bool },
}

impl From<i64> for IntegerLiteral {
    #[inline]
    fn from(n: i64) -> Self {
        IntegerLiteral::Int(n)
    }
}

impl From<i32> for IntegerLiteral {
    #[inline]
    fn from(n: i32) -> Self {
        IntegerLiteral::Int(n.into())
    }
}

impl<'de> serde::Deserialize<'de> for IntegerLiteral {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, Unexpected};
        let raw = <Box<serde_json::value::RawValue>>::deserialize(deserializer)?;
        let text = raw.get().trim();
        if let Some(literal) = IntegerLiteral::parse(text) {
            return Ok(literal);
        }
        let unexpected = match text.as_bytes().first() {
            Some(b'n') => Unexpected::Unit,
            Some(b't') => Unexpected::Bool(true),
            Some(b'f') => Unexpected::Bool(false),
            Some(b'[') => Unexpected::Seq,
            Some(b'{') => Unexpected::Map,
            _ => Unexpected::Other("string"),
        };
        Err(D::Error::invalid_type(unexpected, &"a number"))
    }
}

impl IntegerLiteral {
    /// `None` when `text` is not a JSON number. Linear in its length; the
    /// exact value is computed only when it is an integer of at most 39
    /// digits.
    fn parse(text: &str) -> Option<IntegerLiteral> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
            None => (unsigned, "0"),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !(fraction.is_empty() || all_digits(fraction)) {
            return None;
        }
        let (exp_negative, exp_digits) = match exponent.strip_prefix(['-', '+']) {
            Some(rest) => (exponent.starts_with('-'), rest),
            None => (false, exponent),
        };
        if !all_digits(exp_digits) {
            return None;
        }
        // Saturated: any exponent past a billion says the same about a
        // number of this length (which is far below a billion digits).
        let magnitude = exp_digits.bytes().fold(0_i64, |e, b| {
            (e * 10 + i64::from(b - b'0')).min(1_000_000_000)
        });
        let exponent = if exp_negative { -magnitude } else { magnitude };
        // Digit i of `whole` ++ `fraction` weighs 10^(whole.len() - 1 - i + exponent).
        let digits = || whole.bytes().chain(fraction.bytes());
        let weight = |i: usize| whole.len() as i64 - 1 - i as i64 + exponent;
        let other = |integer| IntegerLiteral::Other {
            text: text.into(),
            integer,
        };
        let Some(first) = digits().position(|b| b != b'0') else {
            return Some(IntegerLiteral::Int(0));
        };
        let last = whole.len() + fraction.len() - 1 - digits().rev().position(|b| b != b'0')?;
        if weight(last) < 0 {
            return Some(other(false));
        }
        if weight(first) > 38 {
            return Some(other(true));
        }
        let significant = digits().skip(first).take(last - first + 1);
        let zeros = std::iter::repeat_n(b'0', weight(last) as usize);
        let mut value: i128 = 0;
        for b in significant.chain(zeros) {
            let next = value.checked_mul(10).and_then(|v| v.checked_add(i128::from(b - b'0')));
            match next {
                Some(v) => value = v,
                None => return Some(other(true)),
            }
        }
        let value = if negative { -value } else { value };
        Some(match (i64::try_from(value), u64::try_from(value)) {
            (Ok(n), _) => IntegerLiteral::Int(n),
            (_, Ok(n)) => IntegerLiteral::UInt(n),
            _ => other(true),
        })
    }

    /// The value for a violation: exact where a `serde_json::Number` can
    /// hold it, else the nearest `f64` (the message shows the literal).
    fn to_value(&self) -> serde_json::Value {
        match self {
            IntegerLiteral::Int(n) => (*n).into(),
            IntegerLiteral::UInt(n) => (*n).into(),
            IntegerLiteral::Other { text, .. } => text.parse::<f64>().map_or(serde_json::Value::Null, Into::into),
        }
    }
}

/// An integer property's value as `T`: `type integer` when it is not an
/// integer, `range` (the schema's `format`, or the generated type) when `T`
/// cannot hold it. JSON Schema counts `1.0` and `1e2` as integers.
#[allow(dead_code)]
pub(crate) fn integer<T: TryFrom<i64> + TryFrom<u64>>(
    n: &IntegerLiteral,
    range: &'static str,
    path: &Path<'_>,
    errs: &mut Violations,
) -> Option<T> {
    let converted = match n {
        IntegerLiteral::Int(i) => T::try_from(*i).ok(),
        IntegerLiteral::UInt(u) => T::try_from(*u).ok(),
        IntegerLiteral::Other { .. } => None,
    };
    if converted.is_none() {
        let constraint = match n {
            IntegerLiteral::Other { integer: false, .. } => "type integer",
            _ => range,
        };
        let shown = match n {
            IntegerLiteral::Other { text, .. } => Some(text.clone()),
            _ => None,
        };
        errs.push_shown(path, constraint, n.to_value(), shown);
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
