//! What the generated route table (`generated/routes.rs`) is made of: a
//! [`Route`] per operation, the [`Params`] its check reads, the
//! [`Rejection`] it collects violations in, and the routing itself.

use std::borrow::Cow;

use hyper::HeaderMap;
use serde::de::DeserializeOwned;
use stytch_types::operations::{HEADER_VALUE_RULE, Method, Operation};

/// One operation of the document, as the mock serves it.
pub(crate) struct Route {
    pub method: Method,
    /// The template as the document writes it (`/v1/users/{user_id}`).
    pub path: &'static str,
    pub operation_id: &'static str,
    pub chain: &'static [&'static str],
    pub servers: &'static [&'static str],
    /// The response's component name in `generated/schemas.rs`.
    pub response_schema: &'static str,
    /// Decodes the body into the request type and checks the parameters.
    pub check: fn(&Params<'_>, &[u8]) -> Result<(), Rejection>,
    /// Whether a body decodes into the response type.
    pub check_response: fn(&[u8]) -> Result<(), String>,
}

/// The violations found in one request, each as `$.path: what`.
#[derive(Debug, Default)]
pub(crate) struct Rejection {
    pub violations: Vec<String>,
}

impl Rejection {
    /// Adds the operation's own parameter checks; `Ok` when nothing failed.
    pub fn finish<O: Operation>(mut self, operation: &O) -> Result<(), Rejection> {
        if let Err(e) = operation.request() {
            self.violations
                .extend(e.violations().iter().map(ToString::to_string));
        }
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    fn missing(&mut self, name: &str) {
        self.violations
            .push(format!("{}: required property is missing", json_path(name)));
    }
}

/// `$.user_id`, or `$["X-Stytch-Member-Session"]` for a name that is not an
/// identifier, as the generated checks write paths.
fn json_path(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("$.{name}")
    } else {
        format!("$[{name:?}]")
    }
}

/// Decodes a JSON body with the generated type, whose errors name every
/// violation with its JSON path.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], bad: &mut Rejection) -> Option<T> {
    match serde_json::from_slice(body) {
        Ok(value) => Some(value),
        Err(e) => {
            bad.violations.push(format!("body: {e}"));
            None
        }
    }
}

/// A body whose schema declares no properties: `{}` or nothing.
pub(crate) fn decode_empty(body: &[u8], bad: &mut Rejection) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    if let Err(e) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
        bad.violations.push(format!("body: {e}"));
    }
}

/// Whether `body` decodes into the response type `T`.
pub(crate) fn check_response<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(body)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A request's parameters: path segments (decoded), query pairs, headers.
pub(crate) struct Params<'r> {
    pub path: Vec<Cow<'r, str>>,
    pub query: Vec<(Cow<'r, str>, Cow<'r, str>)>,
    pub headers: &'r HeaderMap,
}

// Each reading is here whether or not this document has such a parameter:
// the generator emits calls by parameter kind.
#[allow(dead_code)]
impl Params<'_> {
    /// The `index`th parameter segment of the template.
    pub fn path(&self, index: usize) -> &str {
        self.path.get(index).map_or("", |s| s.as_ref())
    }

    pub fn parse_path<T: DeserializeOwned>(
        &self,
        index: usize,
        name: &str,
        bad: &mut Rejection,
    ) -> Option<T> {
        parse(self.path(index), name, bad)
    }

    /// The query parameter's first value.
    pub fn query(&self, name: &str, _bad: &mut Rejection) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    pub fn required_query(&self, name: &str, bad: &mut Rejection) -> Option<&str> {
        let value = self.query(name, bad);
        if value.is_none() {
            bad.missing(name);
        }
        value
    }

    pub fn parse_query<T: DeserializeOwned>(&self, name: &str, bad: &mut Rejection) -> Option<T> {
        let raw = self.query(name, bad)?;
        parse(raw, name, bad)
    }

    pub fn parse_required_query<T: DeserializeOwned>(
        &self,
        name: &str,
        bad: &mut Rejection,
    ) -> Option<T> {
        let raw = self.required_query(name, bad)?;
        parse(raw, name, bad)
    }

    /// The header's value as text: the operation's `request()` then
    /// applies the client's own rule to it (`is_sendable_header_value`), so
    /// the mock refuses exactly the values the client does, in its words.
    pub fn header(&self, name: &str, bad: &mut Rejection) -> Option<&str> {
        let value = self.headers.get(name)?;
        match std::str::from_utf8(value.as_bytes()) {
            Ok(text) => Some(text),
            Err(_) => {
                bad.violations.push(format!(
                    "{}: {HEADER_VALUE_RULE} (got bytes that are not UTF-8)",
                    json_path(name)
                ));
                None
            }
        }
    }

    pub fn required_header(&self, name: &str, bad: &mut Rejection) -> Option<&str> {
        if !self.headers.contains_key(name) {
            bad.missing(name);
        }
        self.header(name, bad)
    }

    pub fn parse_header<T: DeserializeOwned>(&self, name: &str, bad: &mut Rejection) -> Option<T> {
        let raw = self.header(name, bad)?;
        parse(raw, name, bad)
    }

    pub fn parse_required_header<T: DeserializeOwned>(
        &self,
        name: &str,
        bad: &mut Rejection,
    ) -> Option<T> {
        let raw = self.required_header(name, bad)?;
        parse(raw, name, bad)
    }
}

/// A scalar parameter from its text: as JSON (`10`, `true`), else as a JSON
/// string (an enum's value).
fn parse<T: DeserializeOwned>(raw: &str, name: &str, bad: &mut Rejection) -> Option<T> {
    if let Ok(value) = serde_json::from_str(raw) {
        return Some(value);
    }
    match serde_json::from_value(serde_json::Value::String(raw.to_owned())) {
        Ok(value) => Some(value),
        Err(e) => {
            bad.violations
                .push(format!("{}: {e} (got {raw:?})", json_path(name)));
            None
        }
    }
}

/// The routes grouped for lookup: by method, then by segment count.
pub(crate) struct Router {
    entries: Vec<Entry>,
}

struct Entry {
    method: &'static str,
    /// `None` for a parameter segment.
    segments: Vec<Option<&'static str>>,
    route: usize,
}

impl Router {
    pub fn new(routes: &[Route]) -> Router {
        let mut entries: Vec<Entry> = routes
            .iter()
            .enumerate()
            .map(|(route, r)| Entry {
                method: r.method.as_str(),
                segments: r
                    .path
                    .split('/')
                    .skip(1)
                    .map(|s| (!s.starts_with('{')).then_some(s))
                    .collect(),
                route,
            })
            .collect();
        // Literal segments before parameters, leftmost first: the first
        // entry that matches is the one Stytch's router picks.
        entries.sort_by(|a, b| {
            let rank = |e: &Entry| e.segments.iter().map(Option::is_none).collect::<Vec<_>>();
            rank(a).cmp(&rank(b)).then(a.route.cmp(&b.route))
        });
        Router { entries }
    }

    /// The route for `method` and `path` (raw, percent-encoded), and its
    /// parameter segments in template order.
    pub fn find<'p>(&self, method: &str, path: &'p str) -> Option<(usize, Vec<&'p str>)> {
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        'entries: for entry in &self.entries {
            if entry.method != method || entry.segments.len() != segments.len() {
                continue;
            }
            let mut params = Vec::new();
            for (template, segment) in entry.segments.iter().zip(&segments) {
                match template {
                    Some(literal) if literal == segment => {}
                    Some(_) => continue 'entries,
                    None if segment.is_empty() => continue 'entries,
                    None => params.push(*segment),
                }
            }
            return Some((entry.route, params));
        }
        None
    }
}
