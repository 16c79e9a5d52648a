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

    /// The offending value (`null` for a missing required property;
    /// `"<redacted>"` at a path whose last name [`is_credential_name`]).
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
        let value = match (&self.shown, &self.value) {
            (Some(literal), _) => Offered::Literal(literal),
            (None, serde_json::Value::String(s)) => Offered::Text(s),
            (None, serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => Offered::Integer {
                negative: n.as_i64().is_some_and(|i| i < 0),
                magnitude: n.as_i64().map_or(n.as_u64().unwrap_or(0), i64::unsigned_abs),
            },
            (None, value) => Offered::Json(value),
        };
        write_after_path(out, &self.constraint, value)
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

/// A violation's value as a message shows it.
enum Offered<'a> {
    /// The literal text of a number (see [`Violation::shown`]).
    Literal(&'a str),
    /// A string, shown as JSON.
    Text(&'a str),
    Integer { negative: bool, magnitude: u64 },
    Json(&'a serde_json::Value),
}

/// Everything of a violation's message after its path.
fn write_after_path<W: fmt::Write>(out: &mut W, constraint: &str, value: Offered<'_>) -> fmt::Result {
    if constraint == "required" {
        return out.write_str(": required property is missing");
    }
    if constraint == DUPLICATE_KEY {
        return write!(out, ": {DUPLICATE_KEY}");
    }
    out.write_str(": ")?;
    out.write_str(constraint)?;
    out.write_str(" (got ")?;
    // What cannot be longer than the cap is written as it is.
    match value {
        Offered::Integer { negative, magnitude } => {
            write_integer(out, negative, magnitude)?;
            return out.write_str(")");
        }
        Offered::Text(s) if s.len() + 2 <= SHOWN_CHARS && !needs_escape(s) => {
            out.write_str("\"")?;
            out.write_str(s)?;
            return out.write_str("\")");
        }
        _ => {}
    }
    let mut capped = Capped {
        out: &mut *out,
        seen: 0,
    };
    match value {
        Offered::Literal(literal) => fmt::Write::write_str(&mut capped, literal)?,
        Offered::Text(s) if !needs_escape(s) => {
            fmt::Write::write_str(&mut capped, "\"")?;
            fmt::Write::write_str(&mut capped, s)?;
            fmt::Write::write_str(&mut capped, "\"")?;
        }
        Offered::Text(s) => fmt::Write::write_fmt(&mut capped, format_args!("{}", serde_json::Value::from(s)))?,
        Offered::Json(value) => fmt::Write::write_fmt(&mut capped, format_args!("{value}"))?,
        Offered::Integer { negative, magnitude } => write_integer(&mut capped, negative, magnitude)?,
    }
    let seen = capped.seen;
    if seen > SHOWN_CHARS {
        write!(out, "… ({seen} characters in all))")
    } else {
        out.write_str(")")
    }
}

/// serde_json escapes only `"`, `\` and control characters; a string with
/// none is its own JSON text between quotes.
fn needs_escape(s: &str) -> bool {
    s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20)
}

/// An integer in decimal, as serde_json prints it, without the formatting
/// machinery.
fn write_integer<W: fmt::Write>(out: &mut W, negative: bool, magnitude: u64) -> fmt::Result {
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut rest = magnitude;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        digits[at] = b'-';
    }
    out.write_str(std::str::from_utf8(&digits[at..]).map_err(|_| fmt::Error)?)
}

/// A value a check found wrong: anything that becomes a JSON value, and a
/// string also as text, so a message can show it without building one.
pub(crate) trait Offending: Into<serde_json::Value> {
    fn text(&self) -> Option<&str> {
        None
    }

    /// Sign and magnitude, for an integer.
    fn integer(&self) -> Option<(bool, u64)> {
        None
    }
}

impl Offending for &str {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Offending for String {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

macro_rules! offending {
    ($($t:ty),*) => { $(impl Offending for $t {})* };
}
offending!(serde_json::Value, bool, f32, f64);

macro_rules! offending_integer {
    ($($t:ty),*) => { $(impl Offending for $t {
        #[inline]
        fn integer(&self) -> Option<(bool, u64)> {
            let n = *self as i128;
            Some((n < 0, n.unsigned_abs() as u64))
        }
    })* };
}
offending_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// Passes on the first [`SHOWN_CHARS`] characters written, counting all.
struct Capped<'a, W> {
    out: &'a mut W,
    seen: usize,
}

impl<W: fmt::Write> fmt::Write for Capped<'_, W> {
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

/// What is printed in place of a credential.
pub const REDACTED: &str = "<redacted>";

/// Whether a header or JSON field of this name carries a credential
/// (a session token, JWT, secret, password, authorization, cookie, API key):
/// its value is never printed, by `Debug`, a violation, an error or
/// `stytch-mock`. One rule, read case-insensitively, for every place that
/// prints; the generator holds the same list, to know which types need a
/// `Debug` of their own.
pub fn is_credential_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "token",
        "jwt",
        "secret",
        "password",
        "passwd",
        "cookie",
        "authorization",
        "credential",
        "api-key",
        "api_key",
        "apikey",
        "private_key",
        "private-key",
    ];
    // Without lowering a copy: the client asks this of every response
    // header.
    let name = name.as_bytes();
    // "session" only as the last word (`X-Stytch-Member-Session` carries a
    // session token; `session_duration_minutes` and `session_id` do not).
    let session = name.len() >= 7
        && name[name.len() - 7..].eq_ignore_ascii_case(b"session")
        && (name.len() == 7 || matches!(name[name.len() - 8], b'-' | b'_' | b'.'));
    session
        || WORDS.iter().any(|word| {
            name.windows(word.len())
                .any(|part| part.eq_ignore_ascii_case(word.as_bytes()))
        })
}

/// Replaces, at any depth, the value of every object member whose key
/// [`is_credential_name`] with [`REDACTED`] (the whole value: a nested
/// object or list under such a key is no safer).
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                if is_credential_name(key) {
                    *member = serde_json::Value::String(REDACTED.to_owned());
                } else {
                    redact_json(member);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// A JSON value as `serde_json::Value`'s `Debug` prints it, with the value
/// of every member [`is_credential_name`] shown as [`REDACTED`] (what
/// [`redact_json`] would leave, without a copy).
pub(crate) struct RedactedJson<'a>(pub(crate) &'a serde_json::Value);

impl fmt::Debug for RedactedJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// A member's value: itself, or [`REDACTED`] under a credential's name.
        struct Member<'a>(&'a str, &'a serde_json::Value);
        impl fmt::Debug for Member<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if is_credential_name(self.0) {
                    write!(f, "String({REDACTED:?})")
                } else {
                    RedactedJson(self.1).fmt(f)
                }
            }
        }
        match self.0 {
            serde_json::Value::Object(members) => {
                f.write_str("Object ")?;
                f.debug_map()
                    .entries(members.iter().map(|(k, v)| (k, Member(k, v))))
                    .finish()
            }
            serde_json::Value::Array(items) => {
                f.write_str("Array ")?;
                f.debug_list().entries(items.iter().map(RedactedJson)).finish()
            }
            other => other.fmt(f),
        }
    }
}

/// An optional credential as `Debug` shows it: whether it is set, not what
/// it is.
#[allow(dead_code)]
#[inline]
pub(crate) fn redacted<T>(value: &Option<T>) -> Option<&'static str> {
    value.as_ref().map(|_| REDACTED)
}

/// The last member name of a path (an index's list's), if any.
fn last_name<'p>(path: &'p Path<'_>) -> Option<&'p str> {
    match path {
        Path::Root => None,
        Path::Field(_, name) => Some(name),
        Path::Key(_, name) => Some(name),
        Path::Index(parent, _) => last_name(parent),
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

impl ValidationError {
    /// The message, rendered into one buffer sized up front.
    fn message(&self) -> String {
        let capacity = 32 + self
            .violations
            .iter()
            .map(Violation::estimated_len)
            .sum::<usize>();
        let mut out = String::with_capacity(capacity);
        out.push_str(&violation_count(self.violations.len()));
        for (i, v) in self.violations.iter().enumerate() {
            out.push_str(if i == 0 { ": " } else { "; " });
            // Writing to a `String` cannot fail.
            let _ = v.write_to(&mut out);
        }
        out
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
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
    sink: Sink,
    /// Set when checking a request: open enums then refuse unlisted values,
    /// so a request only carries values the schema lists.
    strict: bool,
}

/// Where violations go.
enum Sink {
    /// Kept whole, for a [`ValidationError`].
    List(Vec<Violation>),
    /// Only rendered, for a deserializer's error, which is a message: no
    /// path, value or violation is allocated on its own.
    Message { text: String, count: usize },
}

impl Violations {
    fn new(strict: bool) -> Violations {
        Violations {
            sink: Sink::List(Vec::new()),
            strict,
        }
    }

    #[allow(dead_code)]
    pub(crate) fn strict(&self) -> bool {
        self.strict
    }

    /// An empty list in the same mode, to test a branch (`anyOf`, `not`, …)
    /// without recording its violations.
    #[allow(dead_code)]
    pub(crate) fn scratch(&self) -> Violations {
        Violations::new(self.strict)
    }

    pub(crate) fn push(
        &mut self,
        path: &Path<'_>,
        constraint: impl Into<Cow<'static, str>>,
        value: impl Offending,
    ) {
        self.push_shown(path, constraint, value, None);
    }

    /// [`push`](Self::push), with the value's literal text for the message.
    pub(crate) fn push_shown(
        &mut self,
        path: &Path<'_>,
        constraint: impl Into<Cow<'static, str>>,
        value: impl Offending,
        shown: Option<Box<str>>,
    ) {
        if last_name(path).is_some_and(is_credential_name) {
            // A credential's value is never recorded, so no message and no
            // `Violation::value` shows it; a missing one (`null`) is no secret.
            let value: serde_json::Value = value.into();
            if value.is_null() {
                return self.record(path, constraint, value, None);
            }
            return self.record(path, constraint, REDACTED, None);
        }
        self.record(path, constraint, value, shown);
    }

    /// [`push_shown`](Self::push_shown), the credential rule applied.
    fn record(
        &mut self,
        path: &Path<'_>,
        constraint: impl Into<Cow<'static, str>>,
        value: impl Offending,
        shown: Option<Box<str>>,
    ) {
        match &mut self.sink {
            Sink::List(found) => {
                // Most paths are short: one allocation, not a few regrowths.
                let mut rendered = String::with_capacity(32);
                path.render(&mut rendered);
                let mut value = value.into();
                // Members below the path may be credentials too.
                redact_json(&mut value);
                found.push(Violation {
                    path: rendered,
                    constraint: constraint.into(),
                    value,
                    shown,
                });
            }
            Sink::Message { text, count } => {
                if *count == 0 {
                    // Room for a few violations: regrowing costs more than
                    // a larger first allocation.
                    text.reserve(256);
                }
                text.push_str(if *count == 0 { ": " } else { "; " });
                *count += 1;
                path.render(text);
                let constraint = constraint.into();
                // Writing to a `String` cannot fail.
                let _ = match (&shown, value.text()) {
                    (Some(literal), _) => write_after_path(text, &constraint, Offered::Literal(literal)),
                    (None, Some(s)) => write_after_path(text, &constraint, Offered::Text(s)),
                    (None, None) => match value.integer() {
                        Some((negative, magnitude)) => {
                            write_after_path(text, &constraint, Offered::Integer { negative, magnitude })
                        }
                        None => {
                            let mut value = value.into();
                            redact_json(&mut value);
                            write_after_path(text, &constraint, Offered::Json(&value))
                        }
                    },
                };
            }
        }
    }

    pub(crate) fn required(&mut self, path: &Path<'_>, name: &'static str) {
        self.push(&path.field(name), "required", serde_json::Value::Null);
    }

    /// A value serde read: passed through when it has the JSON type the
    /// schema expects, recorded at `path` when it does not.
    #[inline]
    pub(crate) fn decoded<T>(&mut self, value: Decoded<T>, path: &Path<'_>) -> Option<T> {
        match value {
            Decoded::Value(value) => Some(value),
            Decoded::Wrong(wrong) => {
                let Mismatch { constraint, got } = *wrong;
                self.push(path, constraint, got);
                None
            }
        }
    }

    /// A required property's value, recorded when missing or of the wrong
    /// JSON type.
    #[allow(dead_code)]
    #[inline]
    pub(crate) fn required_field<T>(
        &mut self,
        slot: Option<Decoded<T>>,
        path: &Path<'_>,
        name: &'static str,
    ) -> Option<T> {
        match slot {
            Some(value) => self.decoded(value, &path.field(name)),
            None => {
                self.required(path, name);
                None
            }
        }
    }

    /// An optional property's value: `Some(None)` when absent, `None` when
    /// of the wrong JSON type (recorded).
    #[allow(dead_code)]
    #[inline]
    pub(crate) fn optional_field<T>(
        &mut self,
        slot: Option<Decoded<T>>,
        path: &Path<'_>,
        name: &'static str,
    ) -> Option<Option<T>> {
        match slot {
            Some(value) => self.decoded(value, &path.field(name)).map(Some),
            None => Some(None),
        }
    }

    /// Turns the outcome of a check into a result: a value is returned only
    /// when nothing was violated.
    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, ValidationError> {
        match self.sink {
            Sink::List(found) => match value {
                Some(v) if found.is_empty() => Ok(v),
                _ => Err(ValidationError { violations: found }),
            },
            // Only `deserialize_root` makes a message sink, and it reads
            // the message itself.
            Sink::Message { count, .. } => match value {
                Some(v) if count == 0 => Ok(v),
                _ => Err(ValidationError { violations: Vec::new() }),
            },
        }
    }
}

/// Runs a check that collects violations, starting at the root path.
/// `strict` is true for request types (see [`Violations`]).
pub(crate) fn validate_root<T>(
    strict: bool,
    check: impl FnOnce(&Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, ValidationError> {
    let mut errs = Violations::new(strict);
    let value = check(&Path::Root, &mut errs);
    errs.finish(value)
}

/// Checks a decoded root value: a wrong JSON type at the root is a violation
/// at `$` like any other.
#[allow(dead_code)]
pub(crate) fn validate_decoded<R, T>(
    strict: bool,
    raw: Decoded<R>,
    from_raw: impl FnOnce(R, &Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, ValidationError> {
    validate_root(strict, |path, errs| {
        errs.decoded(raw, path).and_then(|raw| from_raw(raw, path, errs))
    })
}

/// [`validate_decoded`] for a `Deserialize` impl. The error is the
/// deserializer's, carrying the same message a [`ValidationError`] shows,
/// rendered as the violations are found.
#[allow(dead_code)]
pub(crate) fn deserialize_decoded<E: serde::de::Error, R, T>(
    strict: bool,
    raw: Decoded<R>,
    from_raw: impl FnOnce(R, &Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, E> {
    deserialize_root(strict, |path, errs| {
        errs.decoded(raw, path).and_then(|raw| from_raw(raw, path, errs))
    })
}

/// Like [`validate_root`], for a `Deserialize` impl (see [`deserialize_decoded`]).
#[allow(dead_code)]
pub(crate) fn deserialize_root<E: serde::de::Error, T>(
    strict: bool,
    check: impl FnOnce(&Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, E> {
    let mut errs = Violations {
        sink: Sink::Message {
            text: String::new(),
            count: 0,
        },
        strict,
    };
    let value = check(&Path::Root, &mut errs);
    match (errs.sink, value) {
        (Sink::Message { count: 0, .. }, Some(value)) => Ok(value),
        (Sink::Message { mut text, count }, _) => {
            text.insert_str(0, &violation_count(count));
            // A `String` goes into `custom` as it is, not formatted again.
            Err(E::custom(text))
        }
        (Sink::List(found), _) => Err(E::custom(ValidationError { violations: found })),
    }
}

/// `1 schema violation`, `3 schema violations`.
fn violation_count(n: usize) -> String {
    let mut text = String::with_capacity(24);
    // Writing to a `String` cannot fail.
    let _ = write_integer(&mut text, false, n as u64);
    text.push_str(if n == 1 { " schema violation" } else { " schema violations" });
    text
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

impl Tolerant for IntegerLiteral {
    const EXPECTED: &'static str = "expected integer";

    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decoded<Self>, D::Error> {
        let raw = <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        let text = raw.get().trim();
        Ok(match IntegerLiteral::parse(text) {
            Some(literal) => Decoded::Value(literal),
            // The text is JSON serde_json itself delimited; `Null` is unreachable.
            None => Decoded::wrong(
                Self::EXPECTED,
                serde_json::from_str(text).unwrap_or(serde_json::Value::Null),
            ),
        })
    }
}

impl IntegerLiteral {
    /// `None` when `text` is not a JSON number. Linear in its length; the
    /// exact value is computed only when it is an integer of at most 39
    /// digits.
    fn parse(text: &str) -> Option<IntegerLiteral> {
        // The common case, a plain integer of at most 18 digits, fits an
        // `i64` as written; JSON has no leading zeros to worry about.
        let digits = text.strip_prefix('-').unwrap_or(text);
        if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let magnitude = digits.bytes().fold(0_i64, |n, b| n * 10 + i64::from(b - b'0'));
            let value = if digits.len() == text.len() { magnitude } else { -magnitude };
            return Some(IntegerLiteral::Int(value));
        }
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
    shown: impl Offending,
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
    shown: impl Offending,
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

/// The constraint of a property given twice in one object. Its value is
/// not shown: the first one was already read.
const DUPLICATE_KEY: &str = "duplicate key";

/// A value serde read into a raw twin: of the JSON type the schema expects,
/// or what came instead, kept for the violation so decoding goes on and one
/// pass reports every wrong type and every broken constraint.
#[derive(Debug, Clone)]
pub(crate) enum Decoded<T> {
    Value(T),
    Wrong(Box<Mismatch>),
}

/// A raw twin's field: absent, or what serde read.
pub(crate) type RawField<T> = Option<Decoded<T>>;

/// A raw array: each item as serde read it.
#[allow(dead_code)]
pub(crate) type RawList<T> = Vec<Decoded<T>>;

/// A raw object of one value shape: each entry as serde read it.
#[allow(dead_code)]
pub(crate) type RawMap<T> = std::collections::BTreeMap<String, Decoded<T>>;

/// A wrong JSON type (`expected string`, the value that came) or a repeated key.
#[derive(Debug, Clone)]
pub(crate) struct Mismatch {
    constraint: &'static str,
    got: serde_json::Value,
}

impl<T> Decoded<T> {
    #[cold]
    fn wrong(constraint: &'static str, got: serde_json::Value) -> Self {
        Decoded::Wrong(Box::new(Mismatch { constraint, got }))
    }
}

impl<T: Default> Default for Decoded<T> {
    fn default() -> Self {
        Decoded::Value(T::default())
    }
}

impl<'de, T: Tolerant> serde::Deserialize<'de> for Decoded<T> {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer)
    }
}

/// A raw type that takes any JSON value: the one it expects becomes a
/// value, any other a [`Mismatch`]. Only malformed JSON is an error. Each
/// `from_*` accepts one JSON type; the defaults refuse it.
pub(crate) trait Tolerant: Sized {
    /// The violation's constraint for any other JSON type.
    const EXPECTED: &'static str;

    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decoded<Self>, D::Error> {
        deserializer.deserialize_any(TolerantVisitor(std::marker::PhantomData))
    }

    fn from_bool(_: bool) -> Option<Self> {
        None
    }

    fn from_i64(_: i64) -> Option<Self> {
        None
    }

    fn from_u64(_: u64) -> Option<Self> {
        None
    }

    fn from_f64(_: f64) -> Option<Self> {
        None
    }

    fn from_str(_: &str) -> Option<Self> {
        None
    }

    fn from_seq<'de, A: serde::de::SeqAccess<'de>>(seq: A) -> Result<Decoded<Self>, A::Error> {
        let got = serde::Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Decoded::wrong(Self::EXPECTED, got))
    }

    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Decoded<Self>, A::Error> {
        let got = serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Decoded::wrong(Self::EXPECTED, got))
    }
}

struct TolerantVisitor<T>(std::marker::PhantomData<T>);

impl<T: Tolerant> TolerantVisitor<T> {
    #[inline]
    fn accept<E>(value: Option<T>, got: impl FnOnce() -> serde_json::Value) -> Result<Decoded<T>, E> {
        Ok(match value {
            Some(value) => Decoded::Value(value),
            None => Decoded::wrong(T::EXPECTED, got()),
        })
    }
}

impl<'de, T: Tolerant> serde::de::Visitor<'de> for TolerantVisitor<T> {
    type Value = Decoded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Decoded<T>, E> {
        Self::accept(T::from_bool(v), || v.into())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decoded<T>, E> {
        Self::accept(T::from_i64(v), || v.into())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decoded<T>, E> {
        Self::accept(T::from_u64(v), || v.into())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decoded<T>, E> {
        Self::accept(T::from_f64(v), || v.into())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decoded<T>, E> {
        Self::accept(T::from_str(v), || v.into())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Decoded<T>, E> {
        Self::accept(None, || serde_json::Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Decoded<T>, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Decoded<T>, D::Error> {
        T::decode(deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Decoded<T>, A::Error> {
        T::from_seq(seq)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Decoded<T>, A::Error> {
        T::from_map(map)
    }
}

impl Tolerant for bool {
    const EXPECTED: &'static str = "expected boolean";

    #[inline]
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

impl Tolerant for f64 {
    const EXPECTED: &'static str = "expected number";

    #[inline]
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }

    #[inline]
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }

    #[inline]
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

impl Tolerant for String {
    const EXPECTED: &'static str = "expected string";

    #[inline]
    fn from_str(v: &str) -> Option<Self> {
        Some(v.to_owned())
    }
}

impl<T: Tolerant> Tolerant for RawList<T> {
    const EXPECTED: &'static str = "expected array";

    fn from_seq<'de, A: serde::de::SeqAccess<'de>>(mut seq: A) -> Result<Decoded<Self>, A::Error> {
        // The hint comes from the input: capped, so it cannot reserve much.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Decoded::Value(items))
    }
}

impl<T: Tolerant> Tolerant for RawMap<T> {
    const EXPECTED: &'static str = "expected object";

    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Decoded<Self>, A::Error> {
        let mut entries = std::collections::BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value()?;
            if let Some(first) = entries.get_mut(&key) {
                *first = Decoded::wrong(DUPLICATE_KEY, serde_json::Value::Null);
            } else {
                entries.insert(key, value);
            }
        }
        Ok(Decoded::Value(entries))
    }
}

/// A raw twin that serde fills field by field. Implemented per struct with
/// a `match` on the field index; the visitor below is shared, so a struct
/// costs one small function instead of a derived `Deserialize` (a field
/// enum, its visitor, and a sequence form JSON objects do not have).
pub(crate) trait RawFields: Default {
    /// The field a JSON property name belongs to (generated as a `match`
    /// on the names, which compiles to a length switch and one compare).
    fn index(name: &str) -> Option<usize>;

    /// Reads the value of field `index` from `map`.
    fn read<'de, A: serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
}

/// A raw twin reads a JSON object (and nothing else: an array of fields,
/// which serde's derive would take, is a wrong type).
impl<T: RawFields> Tolerant for T {
    const EXPECTED: &'static str = "expected object";

    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Decoded<Self>, A::Error> {
        let mut raw = T::default();
        while let Some(index) = map.next_key_seed(FieldIndex::<T>(std::marker::PhantomData))? {
            match index {
                Some(i) => raw.read(i, &mut map)?,
                // Properties the schema does not declare are allowed.
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Decoded::Value(raw))
    }
}

/// Stores a field's value. An absent field stays `None`; an explicit `null`
/// is a wrong type (the schema allows absence, not null); a second
/// occurrence of the key replaces the value with a [`DUPLICATE_KEY`] mismatch.
#[allow(dead_code)]
#[inline]
pub(crate) fn read_field<'de, T: Tolerant, A: serde::de::MapAccess<'de>>(
    slot: &mut RawField<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        map.next_value::<serde::de::IgnoredAny>()?;
        *slot = Some(Decoded::wrong(DUPLICATE_KEY, serde_json::Value::Null));
        return Ok(());
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A property name, looked up among a struct's fields without allocating.
struct FieldIndex<T>(std::marker::PhantomData<T>);

impl<'de, T: RawFields> serde::de::DeserializeSeed<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: RawFields> serde::de::Visitor<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    #[inline]
    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(T::index(name))
    }
}

/// A JSON value (a free-form field, or a value-checked type's raw form) as
/// `serde_json::Value` reads it, except that a key an
/// object repeats is noted (its first value kept): a `serde_json::Value` keeps the last
/// silently, so the value the checks judged would depend on the parser.
#[derive(Clone)]
pub(crate) struct JsonRead {
    pub(crate) value: serde_json::Value,
    repeated: Vec<Vec<Step>>,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

impl JsonRead {
    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<JsonRead, D::Error> {
        let mut repeated = Vec::new();
        let seed = ReadSeed {
            at: &mut Vec::new(),
            repeated: &mut repeated,
        };
        let value = serde::de::DeserializeSeed::deserialize(seed, deserializer)?;
        Ok(JsonRead { value, repeated })
    }

    /// The value, after a `duplicate key` violation at each repeated key.
    #[allow(dead_code)]
    pub(crate) fn checked(self, path: &Path<'_>, errs: &mut Violations) -> serde_json::Value {
        self.report(path, errs);
        self.value
    }

    /// Records a `duplicate key` violation at each repeated key, below `path`.
    pub(crate) fn report(&self, path: &Path<'_>, errs: &mut Violations) {
        fn at(path: &Path<'_>, steps: &[Step], errs: &mut Violations) {
            match steps.split_first() {
                None => errs.push(path, DUPLICATE_KEY, serde_json::Value::Null),
                Some((Step::Key(k), rest)) => at(&path.key(k), rest, errs),
                Some((Step::Index(i), rest)) => at(&path.index(*i), rest, errs),
            }
        }
        for steps in &self.repeated {
            at(path, steps, errs);
        }
    }
}

impl fmt::Debug for JsonRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The raw form of a value type or a free-form field, inside the
        // builders' `Debug`: credentials redacted as in the value types'.
        f.debug_struct("JsonRead")
            .field("value", &RedactedJson(&self.value))
            .field("repeated", &self.repeated)
            .finish()
    }
}

impl From<serde_json::Value> for JsonRead {
    /// A value built in Rust: no key was repeated.
    fn from(value: serde_json::Value) -> JsonRead {
        JsonRead {
            value,
            repeated: Vec::new(),
        }
    }
}

/// Any JSON value is of its type; a repeated key is kept for `report`.
impl Tolerant for JsonRead {
    const EXPECTED: &'static str = "any JSON value";

    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Decoded<Self>, D::Error> {
        JsonRead::deserialize(deserializer).map(Decoded::Value)
    }
}

/// Reads one value; `at` is its place, for the repeated keys found in it.
/// serde_json's nesting limit bounds the recursion.
struct ReadSeed<'r> {
    at: &'r mut Vec<Step>,
    repeated: &'r mut Vec<Vec<Step>>,
}

impl ReadSeed<'_> {
    fn below(&mut self) -> ReadSeed<'_> {
        ReadSeed {
            at: self.at,
            repeated: self.repeated,
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ReadSeed<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<serde_json::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ReadSeed<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(n))
    }

    fn visit_f64<E>(self, f: f64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<serde_json::Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.at.push(Step::Index(items.len()));
            let item = seq.next_element_seed(self.below());
            self.at.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(serde_json::Value::Array(items)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<serde_json::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                map.next_value::<serde::de::IgnoredAny>()?;
                let mut at = self.at.clone();
                at.push(Step::Key(key));
                self.repeated.push(at);
                continue;
            }
            self.at.push(Step::Key(key.clone()));
            let value = map.next_value_seed(self.below());
            self.at.pop();
            object.insert(key, value?);
        }
        Ok(serde_json::Value::Object(object))
    }
}

