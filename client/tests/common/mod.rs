//! Shared setup for the integration tests.
#![allow(dead_code)]

use std::time::Duration;

use stytch_client::Client;
use stytch_types::otp::whatsapp::LoginOrCreateRequest;

pub const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
pub const SECRET: &str = "secret-test-DoNotLeakMe0123456789";
/// `base64("{PROJECT_ID}:{SECRET}")`, computed independently of the crate.
pub const BASIC_CREDENTIALS: &str = "cHJvamVjdC10ZXN0LTExMTExMTExLTIyMjItMzMzMy00NDQ0LTU1NTU1NTU1NTU1NTpzZWNyZXQtdGVzdC1Eb05vdExlYWtNZTAxMjM0NTY3ODk=";
pub const ENDPOINT: &str = "/v1/otps/whatsapp/login_or_create";

/// A client with the test credentials pointed at `base_url` (a local server).
pub fn client_for(base_url: &str) -> Client {
    client_with_timeout(base_url, Duration::from_secs(5))
}

/// Like [`client_for`] with an explicit total request timeout.
pub fn client_with_timeout(base_url: &str, timeout: Duration) -> Client {
    Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(base_url)
        .timeout(timeout)
        .build()
        .expect("valid test client configuration")
}

/// Like [`client_for`], sending through the given `reqwest::Client`.
pub fn client_with_http(base_url: &str, http: stytch_client::reqwest::Client) -> Client {
    Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(base_url)
        .http_client(http)
        .build()
        .expect("valid test client configuration")
}

/// The request used by most tests.
pub fn request() -> LoginOrCreateRequest {
    LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .build()
        .expect("valid request")
}

/// A Stytch error object as the API sends it.
pub fn stytch_error_body(status: u16, error_type: &str, message: &str) -> String {
    format!(
        r#"{{"status_code":{status},"request_id":"request-id-test-0001","error_type":"{error_type}","error_message":"{message}","error_url":"https://stytch.com/docs/api/errors/{status}#{error_type}"}}"#
    )
}

/// Assert that neither the secret nor the encoded credentials appear in `text`.
pub fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} leaks the secret: {text}");
    assert!(
        !text.contains(BASIC_CREDENTIALS),
        "{what} leaks the Basic credentials: {text}"
    );
    assert!(
        !text.contains("DoNotLeakMe"),
        "{what} leaks part of the secret: {text}"
    );
}
