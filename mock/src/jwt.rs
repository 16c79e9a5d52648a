//! Session JWTs as Stytch issues them, signed with the mock's key.
//!
//! The mock signs the `session_jwt` of every default answer that carries a
//! session (`sessions.authenticate`, `magic_links.authenticate`, …; the
//! B2B ones with the organization claim), and serves both key sets
//! (`GET /v1/sessions/jwks/{project_id}`, `/v1/b2b/sessions/jwks/…`) from
//! the same key, so a client checking JWTs locally accepts them. Tests of
//! your own middleware mint tokens with chosen claims through
//! [`SessionJwt`].
//!
//! The key is a fixed RSA-2048 **test key** committed as
//! `mock/test-key.pem` (ring, which signs here, cannot generate RSA keys).
//! It is public: never trust it outside tests.
//!
//! The claims follow Stytch's session JWTs as its SDKs read them:
//! `iss` = `stytch.com/{project_id}`, `aud` = `[project_id]`, `sub` = the
//! user or member id, `iat`/`nbf` = now, `exp` = now + 5 minutes (Stytch's
//! JWT lifetime), the session claim `https://stytch.com/session` (`id`,
//! `started_at`, `last_accessed_at`, `expires_at`, `attributes`,
//! `authentication_factors`, `roles`), for B2B the organization claim
//! `https://stytch.com/organization` (`organization_id`, `slug`), and the
//! session's custom claims at the top level.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Map, Value, json};

/// The `kid` of the mock's key.
pub const KEY_ID: &str = "jwk-test-stytch-mock-0001";
/// The session claim's name.
pub const SESSION_CLAIM: &str = "https://stytch.com/session";
/// The organization claim's name (B2B).
pub const ORGANIZATION_CLAIM: &str = "https://stytch.com/organization";
/// How long the mock's session JWTs live, as Stytch's.
pub const JWT_LIFETIME: Duration = Duration::from_secs(300);

const TEST_KEY_PEM: &str = include_str!("../test-key.pem");

struct Key {
    encoding: EncodingKey,
    /// The public key's modulus and exponent, base64url.
    n: String,
    e: String,
    /// PKCS#1 `RSAPublicKey`, DER.
    public_der: Vec<u8>,
}

fn key() -> Result<&'static Key, String> {
    static KEY: OnceLock<Result<Key, String>> = OnceLock::new();
    KEY.get_or_init(load_key).as_ref().map_err(Clone::clone)
}

fn load_key() -> Result<Key, String> {
    let body: String = TEST_KEY_PEM
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map_err(|e| format!("test key: {e}"))?;
    let pair = ring::signature::RsaKeyPair::from_der(&der).map_err(|e| format!("test key: {e}"))?;
    let public = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(pair.public());
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    Ok(Key {
        encoding: EncodingKey::from_rsa_der(&der),
        n: b64.encode(&public.n),
        e: b64.encode(&public.e),
        public_der: pair.public().as_ref().to_vec(),
    })
}

/// The mock's key set, as both JWKS endpoints answer it (without
/// `request_id` and `status_code`).
pub fn jwks() -> Result<Value, String> {
    let key = key()?;
    Ok(json!({
        "keys": [{
            "kty": "RSA",
            "use": "sig",
            "key_ops": ["verify"],
            "alg": "RS256",
            "kid": KEY_ID,
            // No certificate: the mock's key is not certified by anyone.
            "x5c": [],
            "x5tS256": "",
            "n": key.n,
            "e": key.e,
        }]
    }))
}

/// The mock's public key (PKCS#1 `RSAPublicKey`, DER), e.g. to forge an
/// HS256 token keyed with it in a test of algorithm confusion.
pub fn public_key_der() -> Result<Vec<u8>, String> {
    Ok(key()?.public_der.clone())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `seconds` since the epoch as RFC 3339 (UTC), the format of Stytch's
/// session timestamps.
fn rfc3339(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A session JWT to mint, Consumer or B2B, with Stytch's claims filled in
/// and any of them changed: for tests of code that checks session JWTs.
///
/// ```
/// use std::time::Duration;
/// use stytch_mock::jwt::SessionJwt;
///
/// let project = "project-test-00000000-0000-0000-0000-000000000000";
/// let fresh = SessionJwt::consumer(project).user_id("user-test-1").sign().unwrap();
/// let expired = SessionJwt::consumer(project).issued_ago(Duration::from_secs(600)).sign().unwrap();
/// let admin = SessionJwt::b2b(project, "organization-test-1")
///     .roles(["stytch_admin"])
///     .sign()
///     .unwrap();
/// # let _ = (fresh, expired, admin);
/// ```
#[derive(Debug, Clone)]
pub struct SessionJwt {
    header: Header,
    claims: Map<String, Value>,
}

impl SessionJwt {
    fn new(project_id: &str, sub: &str, session_id: &str) -> SessionJwt {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(KEY_ID.to_owned());
        let mut jwt = SessionJwt {
            header,
            claims: Map::new(),
        };
        jwt.claims.insert("sub".into(), sub.into());
        jwt.claims.insert("aud".into(), json!([project_id]));
        jwt.claims
            .insert("iss".into(), format!("stytch.com/{project_id}").into());
        let at = now();
        jwt.claims.insert(
            SESSION_CLAIM.into(),
            json!({
                "id": session_id,
                "started_at": rfc3339(at),
                "last_accessed_at": rfc3339(at),
                "expires_at": rfc3339(at + 3600),
                "attributes": {"ip_address": "", "user_agent": ""},
                "authentication_factors": [],
                "roles": [],
            }),
        );
        jwt.issued_at(at)
    }

    /// A Consumer session JWT for `project_id`, issued now.
    pub fn consumer(project_id: &str) -> SessionJwt {
        Self::new(
            project_id,
            "user-test-00000000-0000-0000-0000-000000000000",
            "session-test-00000000-0000-0000-0000-000000000000",
        )
    }

    /// A B2B session JWT for `project_id` and a member of
    /// `organization_id`, issued now.
    pub fn b2b(project_id: &str, organization_id: &str) -> SessionJwt {
        let mut jwt = Self::new(
            project_id,
            "member-test-00000000-0000-0000-0000-000000000000",
            "member-session-test-00000000-0000-0000-0000-000000000000",
        );
        jwt.claims.insert(
            ORGANIZATION_CLAIM.into(),
            json!({"organization_id": organization_id, "slug": "test-organization"}),
        );
        jwt
    }

    /// `sub`: the user id (Consumer).
    pub fn user_id(self, id: &str) -> SessionJwt {
        self.claim("sub", id)
    }

    /// `sub`: the member id (B2B).
    pub fn member_id(self, id: &str) -> SessionJwt {
        self.claim("sub", id)
    }

    /// The session claim's `id`.
    pub fn session_id(mut self, id: &str) -> SessionJwt {
        self.session_field("id", id.into());
        self
    }

    /// The session claim's `roles` (B2B: the member's roles).
    pub fn roles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> SessionJwt {
        let roles: Vec<Value> = roles.into_iter().map(|r| Value::String(r.into())).collect();
        self.session_field("roles", Value::Array(roles));
        self
    }

    /// `iat` and `nbf` at `seconds` since the epoch, `exp` 5 minutes later.
    pub fn issued_at(self, seconds: u64) -> SessionJwt {
        let exp = seconds.saturating_add(JWT_LIFETIME.as_secs());
        self.claim("iat", seconds)
            .claim("nbf", seconds)
            .claim("exp", exp)
    }

    /// Issued `ago` before now (past 5 minutes: expired).
    pub fn issued_ago(self, ago: Duration) -> SessionJwt {
        self.issued_at(now().saturating_sub(ago.as_secs()))
    }

    /// `aud`: another project's token.
    pub fn audience(self, audience: &str) -> SessionJwt {
        self.claim("aud", json!([audience]))
    }

    /// `iss`.
    pub fn issuer(self, issuer: &str) -> SessionJwt {
        self.claim("iss", issuer)
    }

    /// The header's `kid` (default [`KEY_ID`]).
    pub fn key_id(mut self, kid: &str) -> SessionJwt {
        self.header.kid = Some(kid.to_owned());
        self
    }

    /// Sets any claim (a custom one, or a registered one to a chosen
    /// value: `claim("nbf", now + 3600)`).
    pub fn claim(mut self, name: &str, value: impl Into<Value>) -> SessionJwt {
        self.claims.insert(name.to_owned(), value.into());
        self
    }

    /// Removes a claim (`without("exp")`).
    pub fn without(mut self, name: &str) -> SessionJwt {
        self.claims.remove(name);
        self
    }

    fn session_field(&mut self, name: &str, value: Value) {
        if let Some(Value::Object(session)) = self.claims.get_mut(SESSION_CLAIM) {
            session.insert(name.to_owned(), value);
        }
    }

    /// The claims as they will be signed.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// The signed token (RS256, the mock's key).
    pub fn sign(&self) -> Result<String, String> {
        jsonwebtoken::encode(&self.header, &self.claims, &key()?.encoding)
            .map_err(|e| format!("signing the session jwt: {e}"))
    }
}

/// The project id of the request's Basic credentials.
fn project_id(headers: &HeaderMap) -> Option<String> {
    let encoded = headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(id, _)| id.to_owned())
}

/// The default answer of `chain`, with the mock's key set for the JWKS
/// operations, and with a signed `session_jwt` for answers carrying a
/// session; any other answer unchanged.
pub(crate) fn issue(chain: &[&str], headers: &HeaderMap, body: Bytes) -> Result<Bytes, String> {
    let jwks_route = matches!(
        chain,
        ["sessions", "get_jwks"] | ["b2b", "sessions", "get_jwks"]
    );
    // Most answers carry no session: not parsed at all.
    let carries_jwt = body.windows(13).any(|w| w == b"\"session_jwt\"");
    if !jwks_route && !carries_jwt {
        return Ok(body);
    }
    let Ok(Value::Object(mut answer)) = serde_json::from_slice::<Value>(&body) else {
        return Ok(body);
    };
    if jwks_route {
        if let Value::Object(keys) = jwks()? {
            answer.extend(keys);
        }
    } else if answer.contains_key("session_jwt") {
        let Some(project_id) = project_id(headers) else {
            return Ok(body);
        };
        let Some(token) = token_for(&answer, &project_id) else {
            return Ok(body);
        };
        answer.insert("session_jwt".into(), token.sign()?.into());
    } else {
        return Ok(body);
    }
    Ok(Bytes::from(Value::Object(answer).to_string()))
}

/// The token matching an answer's `session` (Consumer) or
/// `member_session` (B2B) object.
fn token_for(answer: &Map<String, Value>, project_id: &str) -> Option<SessionJwt> {
    let text =
        |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
    let (mut jwt, session, id) = if let Some(Value::Object(s)) = answer.get("member_session") {
        let organization = text(s, "organization_id")?;
        let mut jwt = SessionJwt::b2b(project_id, &organization).member_id(&text(s, "member_id")?);
        if let Some(slug) = text(s, "organization_slug") {
            jwt.claims.insert(
                ORGANIZATION_CLAIM.into(),
                json!({"organization_id": organization, "slug": slug}),
            );
        }
        (jwt, s, text(s, "member_session_id")?)
    } else if let Some(Value::Object(s)) = answer.get("session") {
        let jwt = SessionJwt::consumer(project_id).user_id(&text(s, "user_id")?);
        (jwt, s, text(s, "session_id")?)
    } else {
        return None;
    };
    jwt = jwt.session_id(&id);
    for field in [
        "started_at",
        "last_accessed_at",
        "expires_at",
        "attributes",
        "authentication_factors",
        "roles",
    ] {
        if let Some(value) = session.get(field) {
            jwt.session_field(field, value.clone());
        }
    }
    if let Some(Value::Object(custom)) = session.get("custom_claims") {
        for (name, value) in custom {
            jwt.claims.insert(name.clone(), value.clone());
        }
    }
    Some(jwt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn the_test_key_loads() {
        let key = key().expect("the committed test key parses");
        assert_eq!(key.e, "AQAB");
    }
}
