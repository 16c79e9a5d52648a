//! [`Client`], [`ClientBuilder`] and the generic request path.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::AUTHORIZATION;
use stytch_types::error::ErrorResponse as ErrorBody;
use stytch_types::operations::{is_credential_name, Method, Operation};

use crate::error::{ApiError, Error, UndecodableResponse};

// The request path (`Transport`), base URL checks and the default HTTP
// client, shared with the standalone client crates the generator writes;
// this crate's copy is generated, so the package holds it.
include!("generated/http_transport.rs");

/// Base URL used for `project-live-…` projects.
pub const LIVE_BASE_URL: &str = "https://api.stytch.com";
/// Base URL used for every other project id (test projects).
pub const TEST_BASE_URL: &str = "https://test.stytch.com";
/// Total per-request timeout used unless [`ClientBuilder::timeout`] is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
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
    transport: Transport,
    project_id: String,
    #[cfg(any(feature = "sessions", feature = "b2b-sessions"))]
    jwt: crate::jwt::JwtState,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base_url.as_str())
            .field("project_id", &self.inner.project_id)
            .field("secret", &REDACTED)
            .field("timeout", &self.inner.transport.timeout)
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
        self.inner.transport.base_url.as_str()
    }

    /// The project id used for authentication.
    pub fn project_id(&self) -> &str {
        &self.inner.project_id
    }

    /// The total per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.transport.timeout
    }

    /// Sends `operation` and decodes a 2xx body as its response type; every
    /// request function ends here (through [`Call`](crate::Call)). Use it
    /// directly with an operation value built from
    /// `stytch_client::types::operations`.
    pub async fn send_operation<O: Operation>(&self, operation: &O) -> Result<O::Response, Error> {
        self.inner.transport.send(operation).await
    }

    /// The session-JWT key sets and issuers, shared by every clone.
    #[cfg(any(feature = "sessions", feature = "b2b-sessions"))]
    pub(crate) fn jwt_state(&self) -> &crate::jwt::JwtState {
        &self.inner.jwt
    }
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
    #[cfg(any(feature = "sessions", feature = "b2b-sessions"))]
    pub(crate) jwt: crate::jwt::JwtConfig,
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
        let authorization = sensitive_header(format!("Basic {encoded}"), "Authorization")?;
        // Only a supplied client may follow redirects.
        let supplied_http = self.http_client.is_some();
        let http = match self.http_client {
            Some(http) => http,
            None => default_http_client(timeout)?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    supplied_http,
                    base_url,
                    server_urls,
                    headers: SentHeaders::new(
                        USER_AGENT_VALUE,
                        Some((AUTHORIZATION, authorization)),
                    ),
                    timeout,
                    fixed_urls: Default::default(),
                },
                #[cfg(any(feature = "sessions", feature = "b2b-sessions"))]
                jwt: crate::jwt::JwtState::new(&project_id, self.jwt),
                project_id,
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
