// The error type of a client on reqwest: shared, as text, by
// `stytch-client` (which `include!`s it) and every standalone client crate
// the generator writes. The including module brings into scope:
// `ValidationError` (the types crate's), `ApiError` (a non-2xx answer,
// with a `status` field and a `retry_after` method) and `API_NAME` (how
// messages name the server).

/// How many bytes of an undecodable response body are kept in
/// [`UndecodableResponse::body_snippet`].
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when calling the API.
///
/// None of the variants ever contains the credentials: they only travel
/// in a request header marked sensitive, never in a URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The [`ClientBuilder`](crate::ClientBuilder) input was rejected
    /// (missing or empty credentials, or ones with a control character,
    /// non-`https` base URL for a non-loopback host, zero timeout, …).
    /// Never retryable.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// A parameter of the call breaks its schema (a path segment that is
    /// empty, `.` or `..`, a header value with a control character, a value
    /// out of range, …): nothing was sent. Every violation is listed with
    /// its `$.<parameter>` path, the constraint and the value. Never
    /// retryable.
    #[error("invalid request: {0}")]
    Invalid(#[source] ValidationError),

    /// The request value could not be serialized to JSON. Not expected with
    /// the generated request types; never retryable.
    #[error("could not encode the request body as JSON")]
    Encode(#[source] serde_json::Error),

    /// The server answered with a non-2xx status and a well-formed error
    /// object.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// No complete response arrived within the configured timeout
    /// (connecting, sending, waiting for headers or reading the body).
    ///
    /// The request may or may not have reached the server.
    #[error("request to {api} timed out after {timeout:?}", api = API_NAME)]
    Timeout {
        /// The total request timeout that was exceeded.
        timeout: Duration,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The HTTP exchange failed before a response was received in full:
    /// DNS, connection refused/reset, TLS, or the peer closing the
    /// connection early.
    #[error("HTTP transport failure talking to {api} ({})", transport_kind(.0), api = API_NAME)]
    Transport(#[source] reqwest::Error),

    /// The server answered with a redirect (3xx). This client never follows
    /// one: it would repeat a call, credentials or body included, to a
    /// server the caller did not choose. Never retryable.
    #[error("the server answered with a redirect (HTTP {}) to {}, which is not followed", .status.as_u16(), .location.as_deref().unwrap_or("no location"))]
    Redirect {
        /// The 3xx status.
        status: StatusCode,
        /// The `Location` header, as sent (not UTF-8: lossily decoded).
        location: Option<String>,
    },

    /// The `reqwest::Client` given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
    /// followed a redirect to `url`. Its answer is discarded, but the
    /// redirected request was sent: reqwest has no per-request redirect
    /// policy, so only a client this crate builds can refuse redirects
    /// before following them. Never retryable.
    #[error("the supplied reqwest::Client followed a redirect to {url}; the answer from there was discarded")]
    RedirectFollowed {
        /// Where the redirect led (the response's URL).
        url: String,
    },

    /// A response arrived but its body could not be decoded: a 2xx body that
    /// is not the expected response type, or a non-2xx body that is not an
    /// error object (an HTML page from a proxy, an empty body,
    /// truncated JSON, …).
    #[error("{0}")]
    UndecodableResponse(Box<UndecodableResponse>),
}

fn transport_kind(e: &reqwest::Error) -> &'static str {
    if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "failed while reading the response body"
    } else if e.is_request() {
        "failed while sending the request"
    } else if e.is_builder() {
        "could not build the request"
    } else {
        "failed"
    }
}

fn status_is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// The longest wait [`Error::retry_after`] reports. A server (or a proxy in
/// between) may send any number: past an hour a retry is a new attempt
/// rather than a wait, and a caller adding a huge value to an `Instant`
/// would panic on overflow.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// Parse a `Retry-After` header given in delta-seconds, at most
/// [`MAX_RETRY_AFTER`]. HTTP-date values are not interpreted (Stytch, for
/// one, sends seconds) and yield `None`.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Only a number too long for u64 fails to parse here: more than the cap.
    let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

impl Error {
    /// Whether repeating the same request later may succeed: HTTP 429, any
    /// 5xx (well-formed or not), timeouts and connection failures.
    ///
    /// This says nothing about whether a retry is *safe*: after a 5xx or a
    /// timeout the first attempt may already have sent a message. See the
    /// crate docs.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => status_is_retryable(e.status),
            Error::UndecodableResponse(e) => status_is_retryable(e.status),
            Error::Timeout { .. } => true,
            Error::Transport(e) => e.is_connect(),
            Error::Config(_)
            | Error::Encode(_)
            | Error::Invalid(_)
            | Error::Redirect { .. }
            | Error::RedirectFollowed { .. } => false,
        }
    }

    /// The server's `Retry-After` hint, when it sent one in seconds; at most
    /// [`MAX_RETRY_AFTER`] (one hour).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            Error::UndecodableResponse(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UndecodableResponse(e) => Some(e.status),
            Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A response whose body could not be decoded into the expected type.
#[derive(Debug, Clone)]
pub struct UndecodableResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) reason: String,
    pub(crate) body_snippet: String,
    pub(crate) body_len: usize,
}

impl UndecodableResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: &[u8], reason: String) -> Self {
        Self {
            status,
            headers,
            reason,
            body_snippet: snippet(&quotable(body), BODY_SNIPPET_LIMIT),
            body_len: body.len(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Why decoding failed (the serde error text, or a size-limit note).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// At most the first [`BODY_SNIPPET_LIMIT`] bytes of the body, cut on a
    /// UTF-8 character boundary; invalid UTF-8 is replaced with U+FFFD.
    /// Credentials are left out: a JSON body is re-encoded with the value of
    /// every member named like one (`session_token`, `session_jwt`, …)
    /// replaced by `"<redacted>"`; any other body is cut before the first
    /// word named like one (its value would follow it).
    pub fn body_snippet(&self) -> &str {
        &self.body_snippet
    }

    /// Length of the body in bytes, as far as it was read.
    pub fn body_len(&self) -> usize {
        self.body_len
    }

    /// The `Retry-After` header in seconds, if present and numeric; at most
    /// [`MAX_RETRY_AFTER`].
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(&self.headers)
    }
}

impl fmt::Display for UndecodableResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "undecodable response from {} (HTTP {}): {}; body ({} bytes) starts with {:?}",
            API_NAME,
            self.status.as_u16(),
            self.reason,
            self.body_len,
            self.body_snippet
        )
    }
}

impl std::error::Error for UndecodableResponse {}

/// `body` as an error may quote it, credentials left out (see
/// [`UndecodableResponse::body_snippet`]): the one rule of
/// `is_credential_name`, applied to JSON members by `redact_json` and to
/// the words of any other text.
fn quotable(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) {
        redact_json(&mut value);
        return Cow::Owned(serde_json::to_vec(&value).unwrap_or_default());
    }
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-';
    let mut start = 0;
    while start < body.len() {
        let len = body[start..].iter().take_while(|b| word(b)).count();
        if len == 0 {
            start += 1;
            continue;
        }
        // Words are ASCII, so always text.
        let text = std::str::from_utf8(&body[start..start + len]).unwrap_or("");
        if is_credential_name(text) {
            let mut kept = body[..start].to_vec();
            kept.extend_from_slice(b"<redacted>");
            return Cow::Owned(kept);
        }
        start += len;
    }
    Cow::Borrowed(body)
}

/// First `limit` bytes of `body` as text, never splitting a UTF-8 sequence.
fn snippet(body: &[u8], limit: usize) -> String {
    let cut = &body[..body.len().min(limit)];
    match std::str::from_utf8(cut) {
        Ok(s) => s.to_owned(),
        // The cut fell inside a multi-byte character: drop the partial tail.
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&cut[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(cut).into_owned(),
    }
}
