//! The error type returned by every call of this crate.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use stytch_types::error::{ErrorResponse, ErrorType};
use stytch_types::operations::{is_credential_name, redact_json};
use stytch_types::ValidationError;

/// How the messages name the server.
const API_NAME: &str = "Stytch";

// `Error`, `UndecodableResponse` and the `Retry-After` reading, shared with
// the standalone client crates the generator writes; this crate's copy is
// generated, so the package holds it.
include!("generated/http_error.rs");

/// A Stytch error object received with a non-2xx HTTP status.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) response: ErrorResponse,
}

impl ApiError {
    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (e.g. `Retry-After`).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The Stytch error object, exactly as received. Its `error_type` is
    /// [`ErrorType::Unknown`] for values this crate version does not know.
    pub fn response(&self) -> &ErrorResponse {
        &self.response
    }

    /// Shortcut for `self.response().error_type()`.
    pub fn error_type(&self) -> &ErrorType {
        self.response.error_type()
    }

    /// The `Retry-After` header in seconds, if present and numeric; at most
    /// [`MAX_RETRY_AFTER`].
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(&self.headers)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Stytch API error (HTTP {}): {}: {} (request_id {})",
            self.status.as_u16(),
            self.response.error_type(),
            self.response.error_message(),
            self.response.request_id()
        )
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_never_splits_a_multibyte_character() {
        // "é" is two bytes; put its first byte exactly at the limit.
        let mut body = vec![b'a'; 511];
        body.extend_from_slice("é and more".as_bytes());
        let s = snippet(&body, 512);
        assert_eq!(s.len(), 511);
        assert!(s.bytes().all(|b| b == b'a'));
    }

    #[test]
    fn snippet_of_short_or_binary_bodies() {
        assert_eq!(snippet(b"", 512), "");
        assert_eq!(snippet(b"<html>", 512), "<html>");
        assert_eq!(snippet(&[0xff, b'x'], 512), "\u{fffd}x");
    }

    #[test]
    fn retry_after_parses_seconds_only() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, " 7 ".parse().expect("static header"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT"
                .parse()
                .expect("static header"),
        );
        assert_eq!(parse_retry_after(&h), None);
        for huge in ["99999999999999", "99999999999999999999999", "3601"] {
            h.insert(RETRY_AFTER, huge.parse().expect("static header"));
            assert_eq!(parse_retry_after(&h), Some(MAX_RETRY_AFTER), "{huge}");
        }
        h.insert(RETRY_AFTER, "-5".parse().expect("static header"));
        assert_eq!(parse_retry_after(&h), None);
    }
}
