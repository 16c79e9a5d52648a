// What a transport needs to send an operation of the API, without one: the
// method, the path with each parameter percent-encoded, the query, the
// headers and the body, checked against the document's parameter schemas.
// `stytch-client` sends these with reqwest; any other HTTP stack can too.

// The credential rule lives with the violations, which apply it too; here
// for the transports that import it from this module.
pub use crate::validation::{REDACTED, is_credential_name, redact_json};
use crate::validation::{Path, ValidationError, Violations};

/// An HTTP method of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// `"GET"`, `"POST"`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One operation of the document, ready to be sent by any transport.
pub trait Operation {
    /// The JSON body's type ([`EmptyObject`] for a body without fields,
    /// [`NoBody`] for none).
    type Body: serde::Serialize;
    /// What a 2xx response decodes into.
    type Response: serde::de::DeserializeOwned;
    /// The HTTP method.
    const METHOD: Method;
    /// The path template as the document writes it (`/v1/users/{user_id}`).
    const PATH: &'static str;
    /// The document's `operationId` (after overlays).
    const OPERATION_ID: &'static str;
    /// Servers this operation must be sent to instead of the API's own
    /// (the path's `servers`); empty for most.
    const SERVERS: &'static [&'static str];
    /// Whether sending it twice has the effect of sending it once (GET, PUT,
    /// DELETE), so a timed-out call may be retried.
    const IDEMPOTENT: bool;

    /// Checks the parameters and builds the request. Every violation is
    /// reported, each under `$.<parameter name>`.
    fn request(&self) -> Result<Request<'_, Self::Body>, ValidationError>;
}

/// A built request: what goes on the wire, before a transport encodes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a, B> {
    /// The HTTP method.
    pub method: Method,
    /// The path, each parameter percent-encoded as one segment; starts with
    /// `/`. Join it to the base URL (or to `Operation::SERVERS[0]`).
    pub path: String,
    /// Query parameters, not yet encoded (form-encode each pair).
    pub query: Vec<(&'static str, String)>,
    /// Header parameters, checked to be valid header values.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, if the operation sends one.
    pub body: Option<&'a B>,
}

/// The body of an operation whose schema declares no properties: `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmptyObject;

impl serde::Serialize for EmptyObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// The body type of an operation that sends none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoBody;

impl serde::Serialize for NoBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// Everything but RFC 3986's unreserved characters is encoded, so a value
/// holding `/`, `?`, `#`, `%` or a space stays one segment.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends `value` as one path segment. An empty value, `.` or `..` would
/// change which path is requested (URL parsers collapse dot segments, even
/// encoded ones), so they are violations.
#[inline]
pub(crate) fn push_segment(out: &mut String, value: &str, path: &Path<'_>, errs: &mut Violations) {
    if value.is_empty() || value == "." || value == ".." {
        errs.push(path, "path segment (not empty, `.` or `..`)", value);
        return;
    }
    out.extend(percent_encoding::utf8_percent_encode(value, SEGMENT));
}

/// The longest header parameter value a client sends, in bytes. Servers and
/// proxies commonly refuse a request whose header fields pass 8 KiB (nginx's
/// default buffer), and a longer value is no parameter anyone means.
pub const MAX_HEADER_VALUE: usize = 8 * 1024;

/// What a header parameter's value must be, as a violation names it.
pub const HEADER_VALUE_RULE: &str =
    "header value (visible ASCII, spaces and tabs only inside, at most 8192 bytes)";

/// Whether `value` can be sent as a header parameter: RFC 9110 §5.5 field
/// content (visible ASCII, spaces and tabs between; obs-text, which HTTP
/// stacks read differently, refused) of at most [`MAX_HEADER_VALUE`] bytes.
/// The client checks it before sending and `stytch-mock` on receipt: one
/// rule for both.
pub fn is_sendable_header_value(value: &str) -> bool {
    let bytes = value.as_bytes();
    let visible = |b: &u8| (0x21..=0x7e).contains(b);
    let inner = |b: &u8| visible(b) || *b == b' ' || *b == b'\t';
    bytes.len() <= MAX_HEADER_VALUE
        && bytes.iter().all(inner)
        && bytes.first().is_none_or(visible)
        && bytes.last().is_none_or(visible)
}

/// A header parameter's value as the operations' `Debug` shows it:
/// [`REDACTED`] when its name (the first field) [`is_credential_name`].
pub struct Shown<'a, T>(pub &'static str, pub &'a T);

impl<T: std::fmt::Debug> std::fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if is_credential_name(self.0) {
            write!(f, "{REDACTED:?}")
        } else {
            self.1.fmt(f)
        }
    }
}

/// Adds a header parameter; a value [`is_sendable_header_value`] refuses
/// is a violation at `path` (the header's name, so a credential's value
/// shows as [`REDACTED`]: `Violations::push`).
#[inline]
pub(crate) fn push_header(
    out: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
    path: &Path<'_>,
    errs: &mut Violations,
) {
    if !is_sendable_header_value(value) {
        errs.push(path, HEADER_VALUE_RULE, value);
        return;
    }
    out.push((name, value.to_owned()));
}

/// Runs the parameter checks of a request, in strict (request) mode.
#[inline]
pub(crate) fn build<T>(
    check: impl FnOnce(&Path<'_>, &mut Violations) -> Option<T>,
) -> Result<T, ValidationError> {
    crate::validation::validate_root(true, check)
}
