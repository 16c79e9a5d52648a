//! A thin async HTTP client for every operation of Stytch's API, using the
//! validated request and response types of the `stytch-types` crate, which
//! it re-exports as [`types`] (so a dependency on this crate alone is
//! enough).
//!
//! # Calling it
//!
//! ```no_run
//! use stytch_client::types::otp::whatsapp::LoginOrCreateRequest;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = stytch_client::Client::new("project-test-…", "secret-test-…")?;
//! let request = LoginOrCreateRequest::builder()
//!     .phone_number("+12025550162")
//!     .build()?;
//! let response = client.otps().whatsapp().login_or_create(&request).await?;
//! println!("sent; phone_id={} user_id={}", response.phone_id(), response.user_id());
//! # Ok(()) }
//! ```
//!
//! [`Client::new`] picks `https://api.stytch.com` for `project-live-…` ids
//! and `https://test.stytch.com` for all others, and uses a 10 s total
//! request timeout. Use [`Client::builder`] to set the base URL, the timeout
//! or your own `reqwest::Client`. A [`Client`] is cheap to clone; create one
//! and share it.
//!
//! The request is sent as JSON with HTTP Basic auth (`project_id:secret`),
//! `Content-Type: application/json` and
//! `User-Agent: stytch-client/<version>`.
//!
//! # Errors
//!
//! Every call returns [`Error`]:
//!
//! ```no_run
//! use stytch_client::Error;
//! use stytch_client::types::error::ErrorType;
//! # use stytch_client::types::otp::whatsapp::LoginOrCreateRequest;
//!
//! # async fn run(client: stytch_client::Client, request: LoginOrCreateRequest) {
//! match client.otps().whatsapp().login_or_create(&request).await {
//!     Ok(response) => println!("sent to phone {}", response.phone_id()),
//!     // Stytch answered with its error object (any non-2xx status).
//!     Err(Error::Api(api)) if *api.error_type() == ErrorType::InvalidPhoneNumber => {
//!         eprintln!("bad number: {}", api.response().error_message());
//!     }
//!     Err(Error::Api(api)) => eprintln!(
//!         "HTTP {} {} (request_id {})",
//!         api.status(),
//!         api.error_type(), // unknown types arrive as ErrorType::Unknown("…")
//!         api.response().request_id()
//!     ),
//!     // No full response within the timeout; the message may have been sent.
//!     Err(Error::Timeout { timeout, .. }) => eprintln!("timed out after {timeout:?}"),
//!     // Connection refused, DNS, TLS, connection reset, …
//!     Err(Error::Transport(e)) => eprintln!("transport: {e}"),
//!     // A body that is not JSON of the expected shape (HTML from a proxy,
//!     // empty, truncated): status plus the first 512 bytes of the body.
//!     Err(Error::UndecodableResponse(r)) => {
//!         eprintln!("HTTP {}: {} / {:?}", r.status(), r.reason(), r.body_snippet());
//!     }
//!     // A 3xx: never followed (see `ClientBuilder::http_client`).
//!     Err(Error::Redirect { status, location }) => eprintln!("HTTP {status} to {location:?}"),
//!     Err(e) => eprintln!("{e}"), // Config, Encode, and future variants
//! }
//! # }
//! ```
//!
//! [`Error::is_retryable`] is true for HTTP 429, any 5xx, timeouts and
//! connection failures; [`Error::retry_after`] returns the `Retry-After`
//! header when the server sent it in seconds, at most [`MAX_RETRY_AFTER`]
//! (one hour).
//!
//! # Retrying safely
//!
//! This crate never retries (nor follows redirects): each successful
//! `login_or_create` sends a
//! WhatsApp message (and the official SDKs do not retry either). If you
//! retry, do it yourself and keep it bounded:
//!
//! * Only retry when [`Error::is_retryable`] is true; 4xx other than 429
//!   will fail the same way again.
//! * Wait at least [`Error::retry_after`] when present, otherwise back off
//!   (e.g. 1 s, 2 s, 4 s), and stop after a few attempts (3 is plenty for a
//!   user waiting for a code).
//! * A 429 or a connection failure means the message was not sent. After a
//!   5xx or a [`Error::Timeout`] the first attempt **may** have reached
//!   Stytch and delivered a message, so a retry can send the user a second code.
//!   Prefer letting the user press "resend" for those, or accept the duplicate
//!   risk knowingly.
//!
//! ```no_run
//! # use stytch_client::types::otp::whatsapp::{LoginOrCreateRequest, LoginOrCreateResponse};
//! use std::time::Duration;
//!
//! # async fn sleep(_: Duration) {}
//! async fn send_with_retry(
//!     client: &stytch_client::Client,
//!     request: &LoginOrCreateRequest,
//! ) -> Result<LoginOrCreateResponse, stytch_client::Error> {
//!     let mut attempt = 1;
//!     loop {
//!         match client.otps().whatsapp().login_or_create(request).await {
//!             Err(e) if e.is_retryable() && attempt < 3 => {
//!                 let backoff = Duration::from_secs(1 << (attempt - 1));
//!                 let wait = e.retry_after().unwrap_or(backoff).max(backoff);
//!                 sleep(wait).await; // e.g. tokio::time::sleep
//!                 attempt += 1;
//!             }
//!             other => return other,
//!         }
//!     }
//! }
//! ```
//!
//! # Testing your code against a local server
//!
//! Point the client at a server on the loopback interface (for example a
//! `wiremock::MockServer`); plain `http://` is accepted only for
//! `127.0.0.0/8`, `::1` and `localhost`:
//!
//! ```no_run
//! # use std::time::Duration;
//! # fn run(port: u16) -> Result<(), stytch_client::Error> {
//! let client = stytch_client::Client::builder()
//!     .project_id("project-test-00000000-0000-0000-0000-000000000000")
//!     .secret("secret-test-local")
//!     .base_url(format!("http://127.0.0.1:{port}"))
//!     .timeout(Duration::from_secs(2))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! # Secrets
//!
//! The secret is never part of a URL and is sent in an `Authorization`
//! header marked sensitive. `Debug` of [`Client`] and [`ClientBuilder`]
//! prints `<redacted>` in its place, and no [`Error`] contains it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod call;
mod client;
mod error;

/// The request functions, generated from the OpenAPI document (one group
/// struct per step of a method chain: `client.b2b()` is a [`groups::B2b`]).
pub mod groups {
    include!("generated/operations.rs");
    include!("jwt/groups.rs");
}

#[cfg(any(feature = "sessions", feature = "b2b-sessions"))]
pub mod jwt;

pub use call::Call;
pub use client::{
    Client, ClientBuilder, DEFAULT_TIMEOUT, LIVE_BASE_URL, MAX_RESPONSE_BODY, TEST_BASE_URL,
    USER_AGENT_VALUE,
};
pub use error::{ApiError, Error, UndecodableResponse, BODY_SNIPPET_LIMIT, MAX_RETRY_AFTER};

/// The `reqwest` version this crate is built on, for
/// [`ClientBuilder::http_client`].
pub use reqwest;

/// The request and response types, compiled from the committed
/// `generated/` (no build-time generation). Use them through this re-export
/// rather than a direct `stytch-types` dependency with default features,
/// which would turn build-time generation on for the whole build.
pub use stytch_types as types;
