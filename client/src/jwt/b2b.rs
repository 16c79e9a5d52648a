//! `client.b2b().sessions().authenticate_jwt(jwt)`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use stytch_types::b2b_session::AuthenticateRequest;

use super::{
    check_locally, network_may_accept, B2bJwtSession, Checked, JwtError, Options,
    OrganizationClaim, SessionClaim, Vertical, ORGANIZATION_CLAIM,
};
use crate::Client;

/// A B2B session JWT check, from
/// [`B2bSessions::authenticate_jwt`](crate::groups::B2bSessions::authenticate_jwt);
/// `.await` it. See [the module](crate::jwt) for what is checked.
#[must_use = "a check does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct B2bAuthenticateJwt<'a> {
    client: &'a Client,
    jwt: &'a str,
    options: Options,
}

impl<'a> B2bAuthenticateJwt<'a> {
    pub(crate) fn new(client: &'a Client, jwt: &'a str) -> Self {
        B2bAuthenticateJwt {
            client,
            jwt,
            options: Options {
                max_token_age: None,
                network_fallback: true,
            },
        }
    }

    /// As [`AuthenticateJwt::max_token_age`](super::AuthenticateJwt::max_token_age).
    pub fn max_token_age(mut self, age: Duration) -> Self {
        self.options.max_token_age = Some(age);
        self
    }

    /// Never calls `b2b().sessions().authenticate`.
    pub fn local_only(mut self) -> Self {
        self.options.network_fallback = false;
        self
    }

    /// Runs the check; the same as `.await` on it.
    pub async fn send(self) -> Result<B2bJwtSession, JwtError> {
        let local = check_locally(
            self.client,
            Vertical::B2b,
            self.jwt,
            self.options.max_token_age,
        )
        .await;
        match local {
            Ok(local) => Ok(B2bJwtSession {
                member_id: local.sub,
                // `check_locally` refuses a B2B check's token without it.
                organization: local
                    .organization
                    .ok_or(JwtError::MissingClaim(ORGANIZATION_CLAIM))?,
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

    async fn over_network(&self) -> Result<B2bJwtSession, JwtError> {
        let request = AuthenticateRequest::builder()
            .session_jwt(self.jwt)
            .build()
            .map_err(|_| JwtError::Malformed("the token is not a valid session_jwt"))?;
        let response = self
            .client
            .b2b()
            .sessions()
            .authenticate(&request)
            .await
            .map_err(|e| JwtError::Network(Arc::new(e)))?;
        let session = response.member_session();
        Ok(B2bJwtSession {
            member_id: session.member_id().to_owned(),
            organization: OrganizationClaim {
                organization_id: session.organization_id().to_owned(),
                slug: session.organization_slug().to_owned(),
            },
            session: SessionClaim {
                id: session.member_session_id().to_owned(),
                started_at: session.started_at().to_owned(),
                last_accessed_at: session.last_accessed_at().to_owned(),
                expires_at: session.expires_at().to_owned(),
                attributes: None,
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

impl<'a> IntoFuture for B2bAuthenticateJwt<'a> {
    type Output = Result<B2bJwtSession, JwtError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
