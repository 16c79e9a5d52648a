// The client of a standalone crate the generator writes: `Client`, its
// builder and `ApiError`, on the shared request path (http_transport.rs).
// Before this text come the document's settings: `SERVERS`,
// `DEFAULT_BASE_URL`, `API_NAME` and `ErrorBody`; after it, the setter of
// the credentials its security scheme takes, when it has one.

/// Total per-request timeout used unless [`ClientBuilder::timeout`] is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `User-Agent` sent with every request.
pub const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

const REDACTED: &str = "<redacted>";

/// An async client of the API. Cheap to clone; clones share one connection
/// pool.
#[derive(Clone)]
pub struct Client {
    inner: std::sync::Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.headers.has_credentials().then_some(REDACTED))
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder: base URL, credentials, timeout and HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to (normalized, ends with `/`).
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The total per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// Sends `operation` and decodes a 2xx body as its response type; every
    /// request function ends here (through [`Call`]).
    pub async fn send_operation<O: Operation>(&self, operation: &O) -> Result<O::Response, Error> {
        self.inner.send(operation).await
    }
}

/// The credentials, as the document's security scheme sends them.
// Never made when the document has no security scheme.
#[allow(dead_code)]
#[derive(Clone)]
struct Credentials {
    header: reqwest::header::HeaderName,
    value: String,
}

impl Credentials {
    /// Credentials made of `parts` (name, value), each non-empty and free
    /// of control characters (which base64 would carry into the header
    /// unnoticed); the errors name a part, never echo it.
    #[allow(dead_code)]
    fn new(
        header: reqwest::header::HeaderName,
        parts: &[(&str, &str)],
        value: impl FnOnce() -> String,
    ) -> Result<Self, String> {
        for (name, part) in parts {
            if part.trim().is_empty() {
                return Err(format!("{name} must not be empty"));
            }
            if part.chars().any(char::is_control) {
                return Err(format!(
                    "{name} must not contain control characters (a newline, a tab, …)"
                ));
            }
        }
        Ok(Credentials {
            header,
            value: value(),
        })
    }
}

/// Builder for [`Client`]. Obtain one with [`Client::builder`].
#[derive(Default, Clone)]
pub struct ClientBuilder {
    credentials: Option<Result<Credentials, String>>,
    base_url: Option<String>,
    server_urls: Vec<(String, String)>,
    timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials.as_ref().map(|_| REDACTED))
            .field("base_url", &self.base_url)
            .field("server_urls", &self.server_urls)
            .field("timeout", &self.timeout)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .finish()
    }
}

impl ClientBuilder {
    /// The base URL (default: the document's first server, in [`SERVERS`]).
    ///
    /// Must be `https://`, except for loopback hosts (`127.0.0.0/8`, `::1`,
    /// `localhost`), where `http://` is accepted for local test servers.
    /// Must not contain credentials, a query or a fragment. A path prefix is
    /// allowed (`https://proxy.example/api`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends the operations whose own server is `server` (as the document
    /// names it in a path's `servers`) to `url` instead: a local server in
    /// tests, a proxy. [`base_url`](Self::base_url) does not move them.
    pub fn server_url(mut self, server: impl Into<String>, url: impl Into<String>) -> Self {
        self.server_urls.push((server.into(), url.into()));
        self
    }

    /// Total timeout per request, from connecting until the whole response
    /// body is read. Default [`DEFAULT_TIMEOUT`] (10 s). It also applies when
    /// a custom HTTP client is supplied, overriding that client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Use this `reqwest::Client` (for its connection pool, proxy or TLS
    /// settings); this crate's timeout is still set on each request. Build
    /// it with `.redirect(reqwest::redirect::Policy::none())`: reqwest has
    /// no per-request redirect policy, and a redirect it follows fails the
    /// call with [`Error::RedirectFollowed`] after the request went out.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validate the settings and build the client.
    pub fn build(self) -> Result<Client, Error> {
        let auth = match self.credentials {
            Some(Ok(c)) => Some((c.header, sensitive_header(c.value, "credentials")?)),
            Some(Err(reason)) => return Err(Error::Config(reason)),
            None if CREDENTIALS_REQUIRED => {
                return Err(Error::Config("credentials are required".into()));
            }
            None => None,
        };
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::Config("timeout must be greater than zero".into()));
        }
        let server_urls = self
            .server_urls
            .iter()
            .map(|(from, to)| Ok((from.clone(), parse_base_url(to)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let base_url = match self.base_url.as_deref().or(DEFAULT_BASE_URL) {
            Some(url) => parse_base_url(url)?,
            None => return Err(Error::Config("base_url is required".into())),
        };
        // Only a supplied client may follow redirects.
        let supplied_http = self.http_client.is_some();
        let http = match self.http_client {
            Some(http) => http,
            None => default_http_client(timeout)?,
        };
        Ok(Client {
            inner: std::sync::Arc::new(Transport {
                http,
                supplied_http,
                base_url,
                server_urls,
                headers: SentHeaders::new(USER_AGENT_VALUE, auth),
                timeout,
                fixed_urls: Default::default(),
            }),
        })
    }
}

/// An error object received with a non-2xx HTTP status.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) response: ErrorBody,
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

    /// The error body, exactly as received.
    pub fn response(&self) -> &ErrorBody {
        &self.response
    }

    /// The `Retry-After` header in seconds, if present and numeric; at most
    /// [`MAX_RETRY_AFTER`].
    pub fn retry_after(&self) -> Option<Duration> {
        parse_retry_after(&self.headers)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body as JSON, whether `ErrorBody` is a value or a type, with
        // credentials left out as in `UndecodableResponse`.
        let mut body = serde_json::to_value(&self.response).unwrap_or_default();
        redact_json(&mut body);
        write!(
            f,
            "{} API error (HTTP {}): {body}",
            API_NAME,
            self.status.as_u16(),
        )
    }
}

impl std::error::Error for ApiError {}
