//! Reading a compact JWS (`header.payload.signature`) and checking its
//! registered claims: pure functions of the token text, the key and the
//! time, so that the fuzz test reaches every byte-handling step without a
//! network.

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::JwtError;

/// The largest token read, in bytes. Stytch's session JWTs are about 1 KiB;
/// custom claims are limited to 4 KiB of JSON by Stytch, so 16 KiB leaves
/// room for every real token and bounds what a forged one makes us decode.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// How far `nbf` and `iat` may lie in the future, for clocks that disagree
/// a little with Stytch's. `exp` gets none, as in Stytch's Node SDK
/// (`clock_tolerance_seconds` defaults to 0 there): an expired session JWT
/// is refreshed through the network instead.
pub const CLOCK_LEEWAY_SECONDS: u64 = 5;

/// The only algorithm Stytch signs session JWTs with (its JWKS lists RSA
/// keys with `"alg": "RS256"`); every other `alg` is refused before a key
/// is looked at, which closes algorithm confusion (HS256 keyed with the
/// public key).
pub const ALGORITHM: &str = "RS256";

/// The three parts of a compact JWS, split but not decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'t> {
    /// `header.payload`, the signed bytes.
    pub(crate) signed: &'t str,
    header: &'t str,
    payload: &'t str,
    pub(crate) signature: &'t str,
}

/// The header fields this crate reads.
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    alg: Option<Value>,
    kid: Option<Value>,
}

/// Which part of the token a decoding error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenPart {
    /// The JOSE header (first part).
    Header,
    /// The claims (second part).
    Payload,
    /// The signature (third part).
    Signature,
}

impl std::fmt::Display for TokenPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenPart::Header => "header",
            TokenPart::Payload => "payload",
            TokenPart::Signature => "signature",
        })
    }
}

/// Splits `token` into its three parts; refuses oversized and misshapen
/// tokens before decoding anything.
pub(crate) fn split(token: &str) -> Result<Parts<'_>, JwtError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(JwtError::TooLarge {
            len: token.len(),
            max: MAX_TOKEN_BYTES,
        });
    }
    let mut pieces = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (pieces.next(), pieces.next(), pieces.next(), pieces.next())
    else {
        return Err(JwtError::Malformed(
            "a JWT is three base64url parts joined by '.'",
        ));
    };
    for (part, text) in [
        (TokenPart::Header, header),
        (TokenPart::Payload, payload),
        (TokenPart::Signature, signature),
    ] {
        // base64url without padding (RFC 7515 §2), checked up front so that
        // the crypto library only ever sees well-formed input.
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            || decode_part(text).is_err()
        {
            return Err(JwtError::Base64 { part });
        }
    }
    let signed = &token[..header.len() + 1 + payload.len()];
    Ok(Parts {
        signed,
        header,
        payload,
        signature,
    })
}

fn decode_part(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text)
}

impl Parts<'_> {
    /// The header, and its `kid`, once `alg` is known to be RS256.
    pub(crate) fn key_id(&self) -> Result<String, JwtError> {
        let header: Header = decode_json(self.header, TokenPart::Header)?;
        match header.alg {
            Some(Value::String(alg)) if alg == ALGORITHM => {}
            Some(Value::String(alg)) if alg.eq_ignore_ascii_case("none") => {
                return Err(JwtError::Unsigned);
            }
            Some(Value::String(alg)) => return Err(JwtError::Algorithm(alg)),
            Some(other) => return Err(JwtError::Algorithm(other.to_string())),
            None => return Err(JwtError::MissingClaim("alg")),
        }
        match header.kid {
            Some(Value::String(kid)) => Ok(kid),
            Some(_) => Err(JwtError::InvalidClaim {
                claim: "kid",
                reason: "not a string",
            }),
            None => Err(JwtError::MissingClaim("kid")),
        }
    }

    /// The payload as a JSON object.
    pub(crate) fn claims(&self) -> Result<Map<String, Value>, JwtError> {
        decode_json(self.payload, TokenPart::Payload)
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(text: &str, part: TokenPart) -> Result<T, JwtError> {
    let bytes = decode_part(text).map_err(|_| JwtError::Base64 { part })?;
    serde_json::from_slice(&bytes).map_err(|e| JwtError::Json {
        part,
        message: e.to_string(),
    })
}

/// What the registered claims must say.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expect<'a> {
    pub(crate) issuers: &'a [String],
    pub(crate) audience: &'a str,
    /// Seconds since the Unix epoch.
    pub(crate) now: u64,
    pub(crate) max_age: Option<u64>,
}

/// The registered claims, checked; `sub` and `iat` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Registered {
    pub(crate) sub: String,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
}

/// Checks `iss`, `aud`, `nbf`, `iat`, `exp` and the maximum age, in the
/// order that makes the most useful error: who issued it first, time last
/// (an expired or too old token is the one a caller may refresh).
pub(crate) fn check_registered(
    claims: &Map<String, Value>,
    expect: Expect<'_>,
) -> Result<Registered, JwtError> {
    let iss = string_claim(claims, "iss")?;
    if !expect.issuers.iter().any(|i| i == iss) {
        return Err(JwtError::Issuer(iss.to_owned()));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == expect.audience,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(expect.audience)),
        Some(_) => {
            return Err(JwtError::InvalidClaim {
                claim: "aud",
                reason: "neither a string nor an array",
            });
        }
        None => return Err(JwtError::MissingClaim("aud")),
    };
    if !audience_ok {
        return Err(JwtError::Audience);
    }
    let sub = string_claim(claims, "sub")?.to_owned();
    let exp = time_claim(claims, "exp")?.ok_or(JwtError::MissingClaim("exp"))?;
    let iat = time_claim(claims, "iat")?.ok_or(JwtError::MissingClaim("iat"))?;
    let later = expect.now.saturating_add(CLOCK_LEEWAY_SECONDS);
    if let Some(nbf) = time_claim(claims, "nbf")? {
        if nbf > later {
            return Err(JwtError::NotYetValid {
                nbf,
                now: expect.now,
            });
        }
    }
    if iat > later {
        return Err(JwtError::InvalidClaim {
            claim: "iat",
            reason: "in the future",
        });
    }
    if exp <= expect.now {
        return Err(JwtError::Expired {
            exp,
            now: expect.now,
        });
    }
    if let Some(max_age) = expect.max_age {
        // As Stytch's SDKs: an age equal to the maximum is too old, so a
        // maximum of 0 sends every token to the network.
        let age = expect.now.saturating_sub(iat);
        if age >= max_age {
            return Err(JwtError::TooOld { age, max_age });
        }
    }
    Ok(Registered { sub, iat, exp })
}

fn string_claim<'c>(
    claims: &'c Map<String, Value>,
    name: &'static str,
) -> Result<&'c str, JwtError> {
    match claims.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(JwtError::InvalidClaim {
            claim: name,
            reason: "not a string",
        }),
        None => Err(JwtError::MissingClaim(name)),
    }
}

/// A NumericDate (RFC 7519 §2): seconds, possibly fractional; fractions
/// are dropped, negatives refused.
fn time_claim(claims: &Map<String, Value>, name: &'static str) -> Result<Option<u64>, JwtError> {
    let invalid = JwtError::InvalidClaim {
        claim: name,
        reason: "not a non-negative number of seconds",
    };
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(v), _) => Ok(Some(v)),
            (None, Some(f)) if (0.0..1.0e19).contains(&f) => {
                // Checked range: the cast cannot saturate.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(Some(f as u64))
            }
            _ => Err(invalid),
        },
        Some(_) => Err(invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_refuses_each_misshapen_form() {
        for token in ["", "a", "a.b", "a.b.c.d", "a..c"] {
            assert!(split(token).is_err(), "{token:?}");
        }
        // Empty parts are valid base64url; the empty header is not JSON.
        let empty = split("..").expect("three empty parts");
        assert!(matches!(
            empty.key_id(),
            Err(JwtError::Json {
                part: TokenPart::Header,
                ..
            })
        ));
        assert!(matches!(
            split("e30.e30.a=b"),
            Err(JwtError::Base64 {
                part: TokenPart::Signature
            })
        ));
        // One base64url character left over is never a whole byte.
        assert!(matches!(
            split("e30.e.AA"),
            Err(JwtError::Base64 {
                part: TokenPart::Payload
            })
        ));
    }

    #[test]
    fn fractional_and_huge_times() {
        let claims: Map<String, Value> =
            serde_json::from_str(r#"{"a": 1.5, "b": -1, "c": 1e300, "d": "1"}"#).expect("json");
        assert_eq!(time_claim(&claims, "a").ok(), Some(Some(1)));
        for name in ["b", "c", "d"] {
            assert!(time_claim(&claims, name).is_err(), "{name}");
        }
    }
}
