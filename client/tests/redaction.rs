//! The project secret never shows up in Debug/Display output of the client,
//! the builder, or any error kind (including error source chains).

mod common;

use std::error::Error as _;
use std::time::Duration;

use common::*;
use stytch_client::{Client, Error};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every rendering of `value` a log line might contain.
fn assert_debug_display_clean<T: std::fmt::Debug + std::fmt::Display>(what: &str, value: &T) {
    assert_no_secret(what, &format!("{value:?}"));
    assert_no_secret(what, &format!("{value:#?}"));
    assert_no_secret(what, &format!("{value}"));
}

fn assert_error_clean(what: &str, err: &Error) {
    assert_debug_display_clean(what, err);
    let mut source = err.source();
    while let Some(s) = source {
        assert_no_secret(what, &format!("{s:?} / {s}"));
        source = s.source();
    }
}

async fn error_from_status(status: u16, body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("error status")
}

#[test]
fn client_and_builder_debug_redact_the_secret() {
    let builder = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url("http://127.0.0.1:1");
    let builder_text = format!("{builder:?} {builder:#?}");
    assert_no_secret("builder", &builder_text);
    assert!(builder_text.contains("<redacted>"));

    let client = builder.build().expect("valid");
    let client_text = format!("{client:?} {client:#?}");
    assert_no_secret("client", &client_text);
    assert!(client_text.contains("<redacted>"));
    assert!(client_text.contains(PROJECT_ID), "project id is not secret");

    let default_client = Client::new(PROJECT_ID, SECRET).expect("valid");
    assert_no_secret("Client::new", &format!("{default_client:?}"));
}

#[test]
fn config_errors_do_not_contain_the_secret() {
    let err = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(format!("https://x:{SECRET}@api.stytch.com"))
        .build()
        .expect_err("credentials in base_url");
    assert!(matches!(err, Error::Config(_)));
    assert_error_clean("Config (credentials in URL)", &err);

    let err = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url("http://example.com")
        .build()
        .expect_err("http non-loopback");
    assert_error_clean("Config (http)", &err);
}

#[tokio::test]
async fn api_error_does_not_contain_the_secret() {
    let err = error_from_status(
        401,
        &stytch_error_body(401, "unauthorized_credentials", "no"),
    )
    .await;
    assert!(matches!(err, Error::Api(_)));
    assert_error_clean("Api", &err);
}

#[tokio::test]
async fn undecodable_response_does_not_contain_the_secret() {
    let err = error_from_status(502, "<html>bad gateway</html>").await;
    assert!(matches!(err, Error::UndecodableResponse(_)));
    assert_error_clean("UndecodableResponse", &err);
}

#[tokio::test]
async fn transport_error_does_not_contain_the_secret() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = client_for(&format!("http://{addr}"))
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport(_)));
    assert_error_clean("Transport", &err);
}

#[tokio::test]
async fn timeout_error_does_not_contain_the_secret() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let err = client_with_timeout(&format!("http://{addr}"), Duration::from_millis(100))
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("timeout");
    silent.abort();
    assert!(matches!(err, Error::Timeout { .. }));
    assert_error_clean("Timeout", &err);
}
