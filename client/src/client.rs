//! [`Client`], [`ClientBuilder`] and the generic request path.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use reqwest::{Response, Url};
use stytch_types::error::ErrorResponse;
use stytch_types::operations::{Method, Operation};

use crate::error::{ApiError, Error, UndecodableResponse};

/// Base URL used for `project-live-…` projects.
pub const LIVE_BASE_URL: &str = "https://api.stytch.com";
/// Base URL used for every other project id (test projects).
pub const TEST_BASE_URL: &str = "https://test.stytch.com";
/// Total per-request timeout used unless [`ClientBuilder::timeout`] is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Bodies larger than this are not read further and reported as
/// [`Error::UndecodableResponse`].
pub const MAX_RESPONSE_BODY: usize = 1024 * 1024;

/// The `User-Agent` sent with every request.
pub const USER_AGENT_VALUE: &str = concat!("stytch-client/", env!("CARGO_PKG_VERSION"));

const REDACTED: &str = "<redacted>";

/// An async Stytch API client. Cheap to clone; clones share one connection
/// pool.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = stytch_client::Client::new("project-test-…", "secret-test-…")?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Always ends with `/`, so endpoint paths join under it.
    base_url: Url,
    /// A server an operation names (`https://telemetry.stytch.com`) → the
    /// URL to use instead.
    server_urls: Vec<(String, Url)>,
    project_id: String,
    /// `Basic base64(project_id:secret)`, marked sensitive.
    authorization: HeaderValue,
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("project_id", &self.inner.project_id)
            .field("secret", &REDACTED)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `project_id` with the default timeout, talking to
    /// `https://api.stytch.com` when the id starts with `project-live-` and
    /// to `https://test.stytch.com` otherwise.
    ///
    /// Fails with [`Error::Config`] if either argument is empty or holds a
    /// control character.
    pub fn new(project_id: impl Into<String>, secret: impl Into<String>) -> Result<Self, Error> {
        Self::builder()
            .project_id(project_id)
            .secret(secret)
            .build()
    }

    /// A builder for full control over base URL, timeout and HTTP client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to (normalized, ends with `/`).
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The project id used for authentication.
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    /// The total per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// Sends `operation` and decodes a 2xx body as its response type; every
    /// request function ends here (through [`Call`](crate::Call)). Use it
    /// directly with an operation value built from
    /// `stytch_client::types::operations`.
    pub async fn send_operation<O: Operation>(&self, operation: &O) -> Result<O::Response, Error> {
        let request = operation.request().map_err(Error::Invalid)?;
        let inner = &*self.inner;
        let base = self.base_for(O::SERVERS)?;
        // The path starts with `/`; joined relative, it keeps a base URL's
        // own path prefix (a proxy at `https://host/stytch/`).
        let relative = request.path.trim_start_matches('/');
        let url = base
            .join(relative)
            .map_err(|e| Error::Config(format!("invalid endpoint path {:?}: {e}", request.path)))?;
        let method = match O::METHOD {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = inner
            .http
            .request(method, url)
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE))
            .timeout(inner.timeout);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            // Checked by `request()`: no control characters.
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("header {name} cannot be sent")))?;
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            let body = serde_json::to_vec(body).map_err(Error::Encode)?;
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        let request = builder.build().map_err(|e| self.http_error(e))?;
        let sent_to = request.url().clone();
        let mut response = inner
            .http
            .execute(request)
            .await
            .map_err(|e| self.http_error(e))?;

        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
            return Err(Error::Redirect { status, location });
        }
        if *response.url() != sent_to {
            // Only a supplied `reqwest::Client` follows redirects; the
            // request it redirected has gone out, its answer must not count.
            return Err(Error::RedirectFollowed {
                url: response.url().to_string(),
            });
        }
        let headers = std::mem::take(response.headers_mut());
        let body = match self.read_body(&mut response).await? {
            Ok(body) => body,
            Err(partial) => {
                let reason = format!("response body exceeds {MAX_RESPONSE_BODY} bytes");
                return Err(undecodable(status, headers, &partial, reason));
            }
        };

        if status.is_success() {
            serde_json::from_slice::<O::Response>(&body)
                .map_err(|e| undecodable(status, headers, &body, e.to_string()))
        } else {
            match serde_json::from_slice::<ErrorResponse>(&body) {
                Ok(response) => Err(Error::Api(Box::new(ApiError {
                    status,
                    headers,
                    response,
                }))),
                Err(e) => Err(undecodable(status, headers, &body, e.to_string())),
            }
        }
    }

    /// Read the whole body, up to [`MAX_RESPONSE_BODY`]. `Ok(Err(partial))`
    /// when the limit was exceeded.
    async fn read_body(&self, response: &mut Response) -> Result<Result<Vec<u8>, Vec<u8>>, Error> {
        let capacity = response
            .content_length()
            .map_or(0, |n| n.min(MAX_RESPONSE_BODY as u64) as usize);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.http_error(e))? {
            if body.len() + chunk.len() > MAX_RESPONSE_BODY {
                let room = MAX_RESPONSE_BODY.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                return Ok(Err(body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Ok(body))
    }

    /// The base URL an operation goes to: the client's, or for an operation
    /// with servers of its own (Stytch's fraud endpoints), the replacement
    /// set with [`ClientBuilder::server_url`] or else its first server.
    fn base_for(&self, servers: &[&str]) -> Result<std::borrow::Cow<'_, Url>, Error> {
        use std::borrow::Cow;
        let Some(server) = servers.first() else {
            return Ok(Cow::Borrowed(&self.inner.base_url));
        };
        match self
            .inner
            .server_urls
            .iter()
            .find(|(from, _)| from == server)
        {
            Some((_, to)) => Ok(Cow::Borrowed(to)),
            None => parse_base_url(server).map(Cow::Owned),
        }
    }

    fn http_error(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout {
                timeout: self.inner.timeout,
                source: e,
            }
        } else {
            Error::Transport(e)
        }
    }
}

fn undecodable(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: &[u8],
    reason: String,
) -> Error {
    Error::UndecodableResponse(Box::new(UndecodableResponse::new(
        status, headers, body, reason,
    )))
}

/// Builder for [`Client`]. Obtain one with [`Client::builder`].
#[derive(Default, Clone)]
pub struct ClientBuilder {
    project_id: Option<String>,
    secret: Option<String>,
    base_url: Option<String>,
    server_urls: Vec<(String, String)>,
    timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("project_id", &self.project_id)
            .field("secret", &self.secret.as_ref().map(|_| REDACTED))
            .field("base_url", &self.base_url)
            .field("server_urls", &self.server_urls)
            .field("timeout", &self.timeout)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .finish()
    }
}

impl ClientBuilder {
    /// The Stytch project id (`project-live-…` or `project-test-…`).
    /// Required.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The project secret. Required. Never printed by `Debug`.
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Override the base URL (default: chosen from the project id).
    ///
    /// Must be `https://`, except for loopback hosts (`127.0.0.0/8`, `::1`,
    /// `localhost`), where `http://` is accepted for local test servers.
    /// Must not contain credentials, a query or a fragment. A path prefix is
    /// allowed (`https://proxy.example/stytch`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends the operations whose own server is `server` (as the document
    /// names it, e.g. `https://telemetry.stytch.com` for the fraud
    /// endpoints) to `url` instead: a local server in tests, a proxy.
    /// [`base_url`](Self::base_url) does not move them.
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
    /// settings). Its default headers and proxy settings then apply; this
    /// crate's timeout is still set on each request.
    ///
    /// Redirects are never accepted, but with a supplied client they cannot
    /// be stopped before they are followed: reqwest's redirect policy is a
    /// setting of the `Client` (no per-request policy, reqwest issue 353),
    /// and `reqwest::Client::new()` follows up to 10. When that client
    /// follows one, the redirected request goes out (the body again on a
    /// 307/308, a `GET` on a 301/302/303; reqwest drops `Authorization` when
    /// the host or port changes, keeps it otherwise) and the call fails with
    /// [`Error::RedirectFollowed`], whatever the answer. Build the client
    /// with `.redirect(reqwest::redirect::Policy::none())` and a 3xx is
    /// [`Error::Redirect`] before anything else is sent, as with the
    /// default client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validate the settings and build the client.
    pub fn build(self) -> Result<Client, Error> {
        let project_id = self
            .project_id
            .ok_or_else(|| Error::Config("project_id is required".into()))?;
        let secret = self
            .secret
            .ok_or_else(|| Error::Config("secret is required".into()))?;
        if project_id.trim().is_empty() {
            return Err(Error::Config("project_id must not be empty".into()));
        }
        if project_id.contains(':') {
            return Err(Error::Config("project_id must not contain ':'".into()));
        }
        if secret.trim().is_empty() {
            return Err(Error::Config("secret must not be empty".into()));
        }
        // Base64 would carry a newline into the header unnoticed; a
        // credential with one is a copy-paste accident. Not echoed.
        for (name, value) in [("project_id", &project_id), ("secret", &secret)] {
            if value.chars().any(char::is_control) {
                return Err(Error::Config(format!(
                    "{name} must not contain control characters (a newline, a tab, …)"
                )));
            }
        }

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::Config("timeout must be greater than zero".into()));
        }

        let server_urls = self
            .server_urls
            .iter()
            .map(|(from, to)| Ok((from.clone(), parse_base_url(to)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let base_url = match self.base_url {
            Some(url) => parse_base_url(&url)?,
            None => parse_base_url(default_base_url(&project_id))?,
        };

        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{project_id}:{secret}"));
        let mut authorization = HeaderValue::try_from(format!("Basic {encoded}"))
            .map_err(|_| Error::Config("could not build the Authorization header".into()))?;
        authorization.set_sensitive(true);

        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(timeout)
                // An API client should not silently follow redirects with
                // credentials attached; a 3xx surfaces as an error instead.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                server_urls,
                project_id,
                authorization,
                timeout,
            }),
        })
    }
}

/// The official SDKs' rule: live projects talk to the live API, everything
/// else to the test API.
fn default_base_url(project_id: &str) -> &'static str {
    if project_id.starts_with("project-live-") {
        LIVE_BASE_URL
    } else {
        TEST_BASE_URL
    }
}

fn parse_base_url(raw: &str) -> Result<Url, Error> {
    // The raw string is not echoed in errors: it might embed credentials.
    let mut url =
        Url::parse(raw).map_err(|e| Error::Config(format!("base_url is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "base_url must not contain credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "base_url must not contain a query or fragment".into(),
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| Error::Config("base_url has no host".into()))?
        .to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&host) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base_url must use https:// (plain http:// is only allowed for loopback hosts, not {host:?})"
            )))
        }
        other => {
            return Err(Error::Config(format!(
                "base_url scheme must be https, not {other:?}"
            )))
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["example.com", "10.0.0.1", "[::2]", "localhost.example.com"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn base_url_gets_a_trailing_slash_and_keeps_a_prefix() {
        let u = parse_base_url("https://proxy.example/stytch").expect("valid");
        assert_eq!(
            u.join("v1/otps/whatsapp/login_or_create")
                .expect("join")
                .as_str(),
            "https://proxy.example/stytch/v1/otps/whatsapp/login_or_create"
        );
    }

    #[test]
    fn base_url_with_credentials_is_rejected_without_echoing_them() {
        let e = parse_base_url("https://user:hunter2@api.stytch.com").expect_err("rejected");
        assert!(!format!("{e} {e:?}").contains("hunter2"));
    }
}
