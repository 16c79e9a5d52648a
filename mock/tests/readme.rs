//! The complete test of mock/README.md, as written there.

use std::time::Duration;

use stytch_client::{Client, Error};
use stytch_mock::{MockServer, Reply};
use stytch_types::operations as ops;
use stytch_types::otp::whatsapp::LoginOrCreateRequest;

#[tokio::test]
async fn sign_in_sends_one_code_and_handles_rate_limits() {
    let mock = MockServer::start().await;
    let mut builder = Client::builder()
        .project_id("project-test-00000000-0000-0000-0000-000000000000")
        .secret("secret-test-anything")
        .base_url(mock.url());
    for server in stytch_mock::servers() {
        builder = builder.server_url(server, mock.url());
    }
    let client = builder.build().unwrap();

    // This number is rate limited; every other gets the default answer.
    mock.on::<ops::otps::whatsapp::LoginOrCreate<'_>>()
        .matching_body(|r: &LoginOrCreateRequest| r.phone_number() == "+12025550199")
        .respond(Reply::error(429, "too_many_requests", "slow down").retry_after(3));

    let request = LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .build()
        .unwrap();
    let sent = client
        .otps()
        .whatsapp()
        .login_or_create(&request)
        .await
        .unwrap();
    assert!(sent.user_id().starts_with("user-test-"));

    let limited = LoginOrCreateRequest::builder()
        .phone_number("+12025550199")
        .build()
        .unwrap();
    match client.otps().whatsapp().login_or_create(&limited).await {
        Err(e @ Error::Api(_)) => assert_eq!(e.retry_after(), Some(Duration::from_secs(3))),
        other => panic!("expected a 429, got {other:?}"),
    }

    // login_or_create was called twice; the first time with this number.
    let calls = mock.received_for::<ops::otps::whatsapp::LoginOrCreate<'_>>();
    assert_eq!(calls.len(), 2);
    let first: LoginOrCreateRequest = calls[0].body().unwrap();
    assert_eq!(first.phone_number(), "+12025550162");
    assert_eq!(calls[0].method(), "POST");
    assert_eq!(calls[0].path(), "/v1/otps/whatsapp/login_or_create");
}
