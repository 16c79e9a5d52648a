//! `client.sessions().authenticate_jwt(jwt)`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use stytch_types::session::AuthenticateRequest;

use super::{
    check_locally, network_may_accept, Checked, JwtError, JwtSession, Options, SessionAttributes,
    SessionClaim, Vertical,
};
use crate::Client;

/// A Consumer session JWT check, from
/// [`Sessions::authenticate_jwt`](crate::groups::Sessions::authenticate_jwt);
/// `.await` it. See [the module](crate::jwt) for what is checked.
#[must_use = "a check does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct AuthenticateJwt<'a> {
    client: &'a Client,
    jwt: &'a str,
    options: Options,
}

impl<'a> AuthenticateJwt<'a> {
    pub(crate) fn new(client: &'a Client, jwt: &'a str) -> Self {
        AuthenticateJwt {
            client,
            jwt,
            options: Options {
                max_token_age: None,
                network_fallback: true,
            },
        }
    }

    /// Refuses locally a token issued longer ago than `age` (`now - iat >=
    /// age`, as Stytch's SDKs; zero sends every token to the network).
    /// Default: none, `exp` alone bounds it (Stytch's JWTs live 5 minutes).
    pub fn max_token_age(mut self, age: Duration) -> Self {
        self.options.max_token_age = Some(age);
        self
    }

    /// Never calls `sessions().authenticate`: an expired or too old token
    /// is refused ([`JwtError::Expired`], [`JwtError::TooOld`]).
    pub fn local_only(mut self) -> Self {
        self.options.network_fallback = false;
        self
    }

    /// Runs the check; the same as `.await` on it.
    pub async fn send(self) -> Result<JwtSession, JwtError> {
        let local = check_locally(
            self.client,
            Vertical::Consumer,
            self.jwt,
            self.options.max_token_age,
        )
        .await;
        match local {
            Ok(local) => Ok(JwtSession {
                user_id: local.sub,
                session: local.session,
                custom_claims: local.custom_claims,
                session_jwt: self.jwt.to_owned(),
                checked: Checked::Locally,
            }),
            Err(e) if self.options.network_fallback && network_may_accept(&e) => {
                self.over_network().await
            }
            Err(e) => Err(e),
        }
    }

    async fn over_network(&self) -> Result<JwtSession, JwtError> {
        let request = AuthenticateRequest::builder()
            .session_jwt(self.jwt)
            .build()
            .map_err(|_| JwtError::Malformed("the token is not a valid session_jwt"))?;
        let response = self
            .client
            .sessions()
            .authenticate(&request)
            .await
            .map_err(|e| JwtError::Network(Arc::new(e)))?;
        let session = response.session();
        Ok(JwtSession {
            user_id: session.user_id().to_owned(),
            session: SessionClaim {
                id: session.session_id().to_owned(),
                started_at: session.started_at().unwrap_or_default().to_owned(),
                last_accessed_at: session.last_accessed_at().unwrap_or_default().to_owned(),
                expires_at: session.expires_at().unwrap_or_default().to_owned(),
                attributes: session.attributes().map(|a| SessionAttributes {
                    ip_address: a.ip_address().map(str::to_owned),
                    user_agent: a.user_agent().map(str::to_owned),
                }),
                authentication_factors: session.authentication_factors().to_vec(),
                roles: session.roles().to_vec(),
            },
            custom_claims: session
                .custom_claims()
                .map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            session_jwt: response.session_jwt().to_owned(),
            checked: Checked::Network,
        })
    }
}

impl<'a> IntoFuture for AuthenticateJwt<'a> {
    type Output = Result<JwtSession, JwtError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
