//! Hostile answers (issue 14): redirects are never followed or accepted,
//! whatever `reqwest::Client` sends the request; `Retry-After` is bounded.

mod common;

use std::time::Duration;

use common::*;
use stytch_client::{Error, MAX_RETRY_AFTER};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUCCESS_BODY: &str = r#"{"status_code":200,"request_id":"request-id-test-55c8ec9a","user_id":"user-test-16d9ba61","phone_id":"phone-number-test-d5a3b680","user_created":true}"#;

/// A server answering every request with a success body: where a redirect
/// leads. Another port on 127.0.0.1 is another origin.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/stolen"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUCCESS_BODY, "application/json"))
        .mount(&server)
        .await;
    server
}

/// A Stytch stand-in answering login_or_create with `status` to `location`.
async fn redirecting(status: u16, location: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
        .mount(&server)
        .await;
    server
}

async fn call(client: &stytch_client::Client) -> Error {
    client
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("a redirect is never a success")
}

#[tokio::test]
async fn the_default_client_refuses_a_redirect_before_following_it() {
    let other = elsewhere().await;
    let location = format!("{}/stolen", other.uri());
    for status in [301, 302, 303, 307, 308] {
        let server = redirecting(status, &location).await;
        let err = call(&client_for(&server.uri())).await;
        match &err {
            Error::Redirect {
                status: got,
                location: Some(to),
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(to, &location);
            }
            other => panic!("{status}: expected Error::Redirect, got {other:?}"),
        }
        assert!(!err.is_retryable());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            err.to_string(),
            format!("the server answered with a redirect (HTTP {status}) to {location}, which is not followed")
        );
    }
    let followed = other.received_requests().await.expect("recording on");
    assert!(followed.is_empty(), "nothing reached the other host");
}

#[tokio::test]
async fn a_supplied_client_that_follows_redirects_gets_no_success() {
    let other = elsewhere().await;
    let location = format!("{}/stolen", other.uri());
    for (status, method) in [(301, "GET"), (307, "POST"), (308, "POST")] {
        let server = redirecting(status, &location).await;
        let client = client_with_http(&server.uri(), stytch_client::reqwest::Client::new());
        match call(&client).await {
            Error::RedirectFollowed { url } => assert_eq!(url, location),
            other => panic!("{status}: expected Error::RedirectFollowed, got {other:?}"),
        }
        // The residual risk the docs state: the redirected request went out,
        // without the credentials (another origin).
        let received = other.received_requests().await.expect("recording on");
        let last = received.last().expect("the redirect was followed");
        assert_eq!(last.method.as_str(), method, "{status}");
        assert!(!last.headers.contains_key("authorization"), "{status}");
    }
}

#[tokio::test]
async fn retry_after_is_bounded() {
    let body = stytch_error_body(429, "too_many_requests", "Too many requests.");
    for (sent, want) in [
        ("7", Duration::from_secs(7)),
        ("99999999999999", MAX_RETRY_AFTER),
        ("99999999999999999999999", MAX_RETRY_AFTER),
    ] {
        let server = MockServer::start().await;
        Mock::given(path(ENDPOINT))
            .respond_with(
                ResponseTemplate::new(429)
                    .set_body_raw(body.clone(), "application/json")
                    .insert_header("Retry-After", sent),
            )
            .mount(&server)
            .await;
        let err = call(&client_for(&server.uri())).await;
        assert_eq!(err.retry_after(), Some(want), "{sent}");
    }
    assert_eq!(MAX_RETRY_AFTER, Duration::from_secs(3600));
}

#[test]
fn credentials_with_control_characters_are_refused() {
    for (project_id, secret, name) in [
        ("project-test-1\n", SECRET, "project_id"),
        (PROJECT_ID, "secret-test-DoNotLeakMe\r\nX-Evil: 1", "secret"),
        (PROJECT_ID, "secret-test-DoNotLeakMe\u{7f}", "secret"),
    ] {
        let built = stytch_client::Client::builder()
            .project_id(project_id)
            .secret(secret)
            .build();
        match built {
            Err(Error::Config(message)) => {
                assert_eq!(
                    message,
                    format!("{name} must not contain control characters (a newline, a tab, …)")
                );
                assert_no_secret("the error", &message);
            }
            other => panic!("{name}: expected Error::Config, got {other:?}"),
        }
    }
}
