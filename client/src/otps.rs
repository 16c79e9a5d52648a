//! The `/v1/otps/…` endpoints.

use stytch_types::otp::whatsapp::{LoginOrCreateRequest, LoginOrCreateResponse};

use crate::{Client, Error};

/// The `/v1/otps/…` endpoints. Obtain with [`Client::otps`].
#[derive(Debug, Clone, Copy)]
pub struct Otps<'a> {
    client: &'a Client,
}

impl<'a> Otps<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// The `/v1/otps/whatsapp/…` endpoints.
    pub fn whatsapp(&self) -> Whatsapp<'a> {
        Whatsapp {
            client: self.client,
        }
    }
}

/// The `/v1/otps/whatsapp/…` endpoints. Obtain with [`Otps::whatsapp`].
#[derive(Debug, Clone, Copy)]
pub struct Whatsapp<'a> {
    client: &'a Client,
}

impl Whatsapp<'_> {
    /// `POST /v1/otps/whatsapp/login_or_create`: send a one-time passcode by
    /// WhatsApp, creating the user if the phone number is new.
    ///
    /// Sent exactly once; **not retried automatically**, because every
    /// successful call delivers a WhatsApp message. See the crate docs,
    /// "Retrying safely".
    pub async fn login_or_create(
        &self,
        request: &LoginOrCreateRequest,
    ) -> Result<LoginOrCreateResponse, Error> {
        self.client
            .send("v1/otps/whatsapp/login_or_create", request)
            .await
    }
}
