//! Session JWTs checked locally, against the project's key set:
//! `client.sessions().authenticate_jwt(jwt)` (Consumer) and
//! `client.b2b().sessions().authenticate_jwt(jwt)` (B2B).
//!
//! ```no_run
//! # async fn run(client: stytch_client::Client, jwt: &str) -> Result<(), stytch_client::jwt::JwtError> {
//! use std::time::Duration;
//!
//! let session = client
//!     .sessions()
//!     .authenticate_jwt(jwt)
//!     .max_token_age(Duration::from_secs(60))
//!     .await?;
//! println!("user {} in session {}", session.user_id, session.session.id);
//! # Ok(()) }
//! ```
//!
//! What is checked, in order (the rules of Stytch's SDKs: the Rust SDK's
//! `jwt_helpers::authenticate_jwt`, the Node SDK's `authenticateJwtLocal`):
//! at most [`MAX_TOKEN_BYTES`]; three base64url parts; the header's `alg`
//! is [`ALGORITHM`] (`none`, HS256 and the rest are refused before any key
//! is looked at); its `kid` is in the key set (see below); the RS256
//! signature; `iss` is
//! `stytch.com/{project_id}` or an issuer added with
//! [`ClientBuilder::jwt_issuer`]; `aud` holds the project id; `nbf` and
//! `iat` are not more than [`CLOCK_LEEWAY_SECONDS`] ahead; `exp` has not
//! passed; the age (`now - iat`) is below the maximum token age when one is
//! set; the organization claim is present for B2B and absent for Consumer.
//! Each refusal is its own [`JwtError`] variant.
//!
//! By default a token that is valid but expired or too old is sent to
//! `sessions().authenticate` (Stytch refreshes it), as the Node SDK's
//! `authenticateJwt` does; `.local_only()` never calls out.
//!
//! # The key set
//!
//! `GET /v1/sessions/jwks/{project_id}` (Consumer) and
//! `/v1/b2b/sessions/jwks/{project_id}` (B2B), each fetched on first use
//! and shared by all clones of the [`Client`]. Verification reads the keys
//! without a lock. An unknown `kid` triggers one fetch, shared by every
//! caller waiting for it, and at most one per
//! [`ClientBuilder::jwks_min_refresh_interval`]; keys older than
//! [`ClientBuilder::jwks_refresh_interval`] (5 minutes, as the SDKs) are
//! refreshed by one caller while the others go on with the old ones. When a
//! fetch fails the keys already held keep working; a `kid` they lack gets
//! [`JwtError::Jwks`] with the request's error.

mod keys;
mod token;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Map, Value};

pub use keys::{DEFAULT_JWKS_MIN_REFRESH_INTERVAL, DEFAULT_JWKS_REFRESH_INTERVAL};
pub use token::{TokenPart, ALGORITHM, CLOCK_LEEWAY_SECONDS, MAX_TOKEN_BYTES};

use crate::{Client, ClientBuilder};

/// The claim holding the session (the Node SDK's `sessionClaim`).
pub const SESSION_CLAIM: &str = "https://stytch.com/session";
/// The claim holding a B2B token's organization (`organization_id`,
/// `slug`; the Python and PHP SDKs read these names).
pub const ORGANIZATION_CLAIM: &str = "https://stytch.com/organization";

/// The registered claims, not repeated among the custom ones (the list of
/// the Rust and Node SDKs).
const REGISTERED: [&str; 7] = ["aud", "exp", "iat", "iss", "jti", "nbf", "sub"];

/// Why a session JWT was refused or could not be checked.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The token is longer than [`MAX_TOKEN_BYTES`].
    #[error("the token is {len} bytes, more than the {max} accepted")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_TOKEN_BYTES`].
        max: usize,
    },
    /// Not three parts joined by `.`.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// A part is not unpadded base64url.
    #[error("the token's {part} is not base64url")]
    Base64 {
        /// Which part.
        part: TokenPart,
    },
    /// The header or payload is not a JSON object.
    #[error("the token's {part} is not a JSON object: {message}")]
    Json {
        /// Which part.
        part: TokenPart,
        /// serde_json's message.
        message: String,
    },
    /// `alg: none`: an unsigned token.
    #[error("unsigned token (alg none)")]
    Unsigned,
    /// Any `alg` but RS256 (HS256 keyed with the public key included).
    #[error("algorithm {0:?} is not accepted: only RS256")]
    Algorithm(String),
    /// A required claim or header field is absent.
    #[error("the token has no {0} claim")]
    MissingClaim(&'static str),
    /// A claim or header field has the wrong type or value.
    #[error("the token's {claim} claim is invalid: {reason}")]
    InvalidClaim {
        /// Its name.
        claim: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A Stytch claim does not have the shape Stytch gives it.
    #[error("the token's {claim} claim has an unexpected shape: {message}")]
    ClaimShape {
        /// Its name ([`SESSION_CLAIM`], [`ORGANIZATION_CLAIM`]).
        claim: &'static str,
        /// serde's message.
        message: String,
    },
    /// No key of the project's key set has this `kid`, after a refresh.
    #[error("no key {0:?} in the project's key set")]
    UnknownKey(String),
    /// The signature does not verify with the key.
    #[error("the signature does not verify")]
    Signature,
    /// `iss` is not this project's.
    #[error("issuer {0:?} is not accepted")]
    Issuer(String),
    /// `aud` does not hold this project id.
    #[error("the token is not for this project (aud)")]
    Audience,
    /// `nbf` is in the future (beyond [`CLOCK_LEEWAY_SECONDS`]).
    #[error("the token is not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The `nbf` claim, seconds since the epoch.
        nbf: u64,
        /// Now, seconds since the epoch.
        now: u64,
    },
    /// `exp` has passed.
    #[error("the token expired at {exp} (now {now})")]
    Expired {
        /// The `exp` claim, seconds since the epoch.
        exp: u64,
        /// Now, seconds since the epoch.
        now: u64,
    },
    /// Issued longer ago than the maximum token age.
    #[error("the token is {age} s old, the maximum is {max_age} s")]
    TooOld {
        /// `now - iat`, seconds.
        age: u64,
        /// The maximum token age, seconds.
        max_age: u64,
    },
    /// A B2B token given to the Consumer check, or the reverse.
    #[error("a {found} session JWT given to the {expected} check")]
    WrongVertical {
        /// The check's vertical.
        expected: Vertical,
        /// The token's.
        found: Vertical,
    },
    /// The key set could not be fetched, and the keys held lack the `kid`.
    #[error("the key set could not be fetched: {0}")]
    Jwks(Arc<crate::Error>),
    /// The network `sessions().authenticate` fallback failed.
    #[error("sessions authenticate: {0}")]
    Network(Arc<crate::Error>),
    /// The system clock is before 1970.
    #[error("the system clock is before the Unix epoch")]
    Clock,
}

/// Consumer (`sessions`) or B2B (`b2b().sessions()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Vertical {
    /// Users and their sessions.
    Consumer,
    /// Organizations, members and their sessions.
    B2b,
}

impl std::fmt::Display for Vertical {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Vertical::Consumer => "consumer",
            Vertical::B2b => "b2b",
        })
    }
}

impl Vertical {
    /// The vertical's key set, as `kid → key`.
    async fn fetch_keys(
        self,
        client: &Client,
    ) -> Result<HashMap<String, jsonwebtoken::DecodingKey>, crate::Error> {
        let project_id = client.project_id();
        let keys = match self {
            #[cfg(feature = "sessions")]
            Vertical::Consumer => client
                .sessions()
                .get_jwks(project_id)
                .await?
                .keys()
                .to_vec(),
            #[cfg(feature = "b2b-sessions")]
            Vertical::B2b => client
                .b2b()
                .sessions()
                .get_jwks(project_id)
                .await?
                .keys()
                .to_vec(),
            #[allow(unreachable_patterns)]
            _ => {
                return Err(crate::Error::Config(format!(
                    "the {self} sessions feature is off"
                )))
            }
        };
        Ok(keys::usable_keys(
            keys.iter()
                .map(|k| (k.kty(), k.alg(), k.kid(), k.n(), k.e())),
        ))
    }
}

/// The JWT settings a [`ClientBuilder`] collects.
#[derive(Debug, Clone)]
pub(crate) struct JwtConfig {
    extra_issuers: Vec<String>,
    refresh_interval: Duration,
    min_refresh_interval: Duration,
}

impl Default for JwtConfig {
    fn default() -> Self {
        JwtConfig {
            extra_issuers: Vec::new(),
            refresh_interval: DEFAULT_JWKS_REFRESH_INTERVAL,
            min_refresh_interval: DEFAULT_JWKS_MIN_REFRESH_INTERVAL,
        }
    }
}

impl ClientBuilder {
    /// Accepts session JWTs whose `iss` is `issuer` too, besides
    /// `stytch.com/{project_id}`: the issuer your tokens carry when the
    /// project has a custom domain (compare with one of its tokens).
    pub fn jwt_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.jwt.extra_issuers.push(issuer.into());
        self
    }

    /// How old the cached key set may get before it is refreshed; default
    /// [`DEFAULT_JWKS_REFRESH_INTERVAL`] (5 minutes).
    pub fn jwks_refresh_interval(mut self, interval: Duration) -> Self {
        self.jwt.refresh_interval = interval;
        self
    }

    /// The least time between two key-set fetches caused by an unknown
    /// `kid`; default [`DEFAULT_JWKS_MIN_REFRESH_INTERVAL`] (10 s).
    pub fn jwks_min_refresh_interval(mut self, interval: Duration) -> Self {
        self.jwt.min_refresh_interval = interval;
        self
    }
}

/// A client's key sets and accepted issuers, shared by its clones.
#[derive(Debug)]
pub(crate) struct JwtState {
    issuers: Vec<String>,
    consumer: keys::KeySet,
    b2b: keys::KeySet,
}

impl JwtState {
    pub(crate) fn new(project_id: &str, config: JwtConfig) -> Self {
        let mut issuers = vec![format!("stytch.com/{project_id}")];
        issuers.extend(config.extra_issuers);
        let set = |vertical| {
            keys::KeySet::new(
                vertical,
                config.refresh_interval,
                config.min_refresh_interval,
            )
        };
        JwtState {
            issuers,
            consumer: set(Vertical::Consumer),
            b2b: set(Vertical::B2b),
        }
    }

    fn keys(&self, vertical: Vertical) -> &keys::KeySet {
        match vertical {
            Vertical::Consumer => &self.consumer,
            Vertical::B2b => &self.b2b,
        }
    }
}

/// The session claim ([`SESSION_CLAIM`]), in the shape of the Node SDK's
/// `SessionClaim`; `roles` is present in B2B tokens (and in Consumer ones
/// of projects using RBAC).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SessionClaim {
    /// The session id (`session_id` / `member_session_id` over the network).
    pub id: String,
    /// RFC 3339.
    #[serde(default)]
    pub started_at: String,
    /// RFC 3339.
    #[serde(default)]
    pub last_accessed_at: String,
    /// RFC 3339: when the session (not the JWT) expires.
    #[serde(default)]
    pub expires_at: String,
    /// The device the session was started from.
    #[serde(default)]
    pub attributes: Option<SessionAttributes>,
    /// How the session was authenticated.
    #[serde(default)]
    pub authentication_factors: Vec<stytch_types::session::AuthenticationFactor>,
    /// The roles of the user or member.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// The session's `attributes` (Stytch's `Attributes` object).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct SessionAttributes {
    /// The IP address the session was started from.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Its user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// The organization claim of a B2B token ([`ORGANIZATION_CLAIM`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OrganizationClaim {
    /// The organization's id.
    pub organization_id: String,
    /// The organization's slug.
    #[serde(default)]
    pub slug: String,
}

/// How a session JWT was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checked {
    /// Against the key set, with no request.
    Locally,
    /// By `sessions().authenticate`, the token being expired or too old.
    Network,
}

/// A Consumer session JWT, accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JwtSession {
    /// `sub`.
    pub user_id: String,
    /// The session claim.
    pub session: SessionClaim,
    /// Every claim but the registered ones and the session claim.
    pub custom_claims: Map<String, Value>,
    /// The JWT to keep using: the one given, or the refreshed one Stytch
    /// returned when the network checked it.
    pub session_jwt: String,
    /// How it was checked.
    pub checked: Checked,
}

/// A B2B session JWT, accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct B2bJwtSession {
    /// `sub`.
    pub member_id: String,
    /// The organization claim.
    pub organization: OrganizationClaim,
    /// The session claim; the member's roles are `session.roles`.
    pub session: SessionClaim,
    /// Every claim but the registered ones, the session and the
    /// organization claims.
    pub custom_claims: Map<String, Value>,
    /// The JWT to keep using (see [`JwtSession::session_jwt`]).
    pub session_jwt: String,
    /// How it was checked.
    pub checked: Checked,
}

/// A token accepted locally, its claims sorted out.
#[derive(Debug)]
struct Local {
    sub: String,
    session: SessionClaim,
    // Read by the B2B check only.
    #[cfg_attr(not(feature = "b2b-sessions"), allow(dead_code))]
    organization: Option<OrganizationClaim>,
    custom_claims: Map<String, Value>,
}

/// What a check is told by its caller.
#[derive(Debug, Clone, Copy)]
struct Options {
    max_token_age: Option<Duration>,
    network_fallback: bool,
}

fn now_seconds() -> Result<u64, JwtError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| JwtError::Clock)
}

/// The whole local check of `jwt` for `vertical`.
async fn check_locally(
    client: &Client,
    vertical: Vertical,
    jwt: &str,
    max_token_age: Option<Duration>,
) -> Result<Local, JwtError> {
    let parts = token::split(jwt)?;
    let kid = parts.key_id()?;
    let state = client.jwt_state();
    let snapshot = state.keys(vertical).snapshot_for(client, &kid).await?;
    let key = snapshot
        .key(&kid)
        .ok_or_else(|| JwtError::UnknownKey(kid.clone()))?;
    let verified = jsonwebtoken::crypto::verify(
        parts.signature,
        parts.signed.as_bytes(),
        key,
        jsonwebtoken::Algorithm::RS256,
    );
    if !matches!(verified, Ok(true)) {
        return Err(JwtError::Signature);
    }
    let claims = parts.claims()?;
    let expect = token::Expect {
        issuers: &state.issuers,
        audience: client.project_id(),
        now: now_seconds()?,
        max_age: max_token_age.map(|d| d.as_secs()),
    };
    sort_claims(claims, vertical, expect)
}

/// The claims of a token whose signature verified: the registered ones
/// checked, the vertical's claims typed, the rest kept as custom claims.
fn sort_claims(
    mut claims: Map<String, Value>,
    vertical: Vertical,
    expect: token::Expect<'_>,
) -> Result<Local, JwtError> {
    let found = if claims.contains_key(ORGANIZATION_CLAIM) {
        Vertical::B2b
    } else {
        Vertical::Consumer
    };
    if found != vertical {
        return Err(JwtError::WrongVertical {
            expected: vertical,
            found,
        });
    }
    let registered = token::check_registered(&claims, expect)?;
    let session = claims
        .remove(SESSION_CLAIM)
        .ok_or(JwtError::MissingClaim(SESSION_CLAIM))?;
    let session = SessionClaim::deserialize(session).map_err(|e| JwtError::ClaimShape {
        claim: SESSION_CLAIM,
        message: e.to_string(),
    })?;
    let organization = claims
        .remove(ORGANIZATION_CLAIM)
        .map(|o| {
            OrganizationClaim::deserialize(o).map_err(|e| JwtError::ClaimShape {
                claim: ORGANIZATION_CLAIM,
                message: e.to_string(),
            })
        })
        .transpose()?;
    for name in REGISTERED {
        claims.remove(name);
    }
    Ok(Local {
        sub: registered.sub,
        session,
        organization,
        custom_claims: claims,
    })
}

/// Whether a refusal is one Stytch's `sessions/authenticate` may overturn:
/// a genuine token, only expired or older than the caller allows.
fn network_may_accept(error: &JwtError) -> bool {
    matches!(error, JwtError::Expired { .. } | JwtError::TooOld { .. })
}

#[cfg(feature = "sessions")]
mod consumer;
#[cfg(feature = "sessions")]
pub use consumer::AuthenticateJwt;

#[cfg(feature = "b2b-sessions")]
mod b2b;
#[cfg(feature = "b2b-sessions")]
pub use b2b::B2bAuthenticateJwt;

/// The token reader on arbitrary bytes, for the fuzz test: every step that
/// does not need a key (split, header, payload, registered and Stytch
/// claims). Never panics; the result is dropped.
#[doc(hidden)]
pub fn fuzz_read(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(parts) = token::split(text) else {
        return;
    };
    let _ = parts.key_id();
    if let Ok(claims) = parts.claims() {
        let issuers = ["stytch.com/project-test-fuzz".to_owned()];
        for vertical in [Vertical::Consumer, Vertical::B2b] {
            let expect = token::Expect {
                issuers: &issuers,
                audience: "project-test-fuzz",
                now: 1_700_000_000,
                max_age: Some(300),
            };
            let _ = sort_claims(claims.clone(), vertical, expect);
        }
    }
}
