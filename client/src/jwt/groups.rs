// `authenticate_jwt` on the generated session groups. `include!`d inside
// `groups` (lib.rs) because the groups' `client` field is private to it.

#[cfg(feature = "sessions")]
impl<'a> Sessions<'a> {
    /// Checks a session JWT locally against the project's key set (no
    /// request once the keys are cached), falling back to
    /// [`authenticate`](Self::authenticate) for an expired or too old
    /// token unless `.local_only()`; see [`crate::jwt`].
    pub fn authenticate_jwt(&self, jwt: &'a str) -> crate::jwt::AuthenticateJwt<'a> {
        crate::jwt::AuthenticateJwt::new(self.client, jwt)
    }
}

#[cfg(feature = "b2b-sessions")]
impl<'a> B2bSessions<'a> {
    /// Checks a B2B session JWT locally (organization claim and the
    /// member's roles included), as [`Sessions::authenticate_jwt`] for
    /// Consumer sessions; see [`crate::jwt`].
    pub fn authenticate_jwt(&self, jwt: &'a str) -> crate::jwt::B2bAuthenticateJwt<'a> {
        crate::jwt::B2bAuthenticateJwt::new(self.client, jwt)
    }
}
