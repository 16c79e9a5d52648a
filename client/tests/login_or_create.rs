//! `login_or_create` against real HTTP servers on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::*;
use stytch_client::{Error, BODY_SNIPPET_LIMIT};
use stytch_types::error::ErrorType;
use stytch_types::otp::whatsapp::LoginOrCreateRequest;
use stytch_types::otp::LoginOrCreateRequestLocale;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUCCESS_BODY: &str = r#"{"status_code":200,"request_id":"request-id-test-55c8ec9a","user_id":"user-test-16d9ba61","phone_id":"phone-number-test-d5a3b680","user_created":true,"some_future_field":{"x":1}}"#;

/// A mock server answering every login_or_create call with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ENDPOINT))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn json(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

/// Call the endpoint and expect an error.
async fn call_err(server: &MockServer) -> Error {
    client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("call should fail")
}

fn expect_api(err: Error) -> Box<stytch_client::ApiError> {
    match err {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn expect_undecodable(err: Error) -> Box<stytch_client::UndecodableResponse> {
    match err {
        Error::UndecodableResponse(r) => r,
        other => panic!("expected Error::UndecodableResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn success_sends_exact_request_and_decodes_response_ignoring_unknown_fields() {
    let server = server_answering(json(200, SUCCESS_BODY)).await;

    let response = client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect("success");

    assert_eq!(response.request_id(), "request-id-test-55c8ec9a");
    assert_eq!(response.user_id(), "user-test-16d9ba61");
    assert_eq!(response.phone_id(), "phone-number-test-d5a3b680");
    assert!(response.user_created());
    assert_eq!(response.status_code(), 200);

    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1, "exactly one request, no retry");
    let req = &received[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), ENDPOINT);
    assert_eq!(req.url.query(), None);
    let header = |name: &str| {
        req.headers
            .get(name)
            .map(|v| v.to_str().expect("ascii header").to_owned())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some(format!("Basic {BASIC_CREDENTIALS}").as_str())
    );
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(
        header("user-agent").as_deref(),
        Some(concat!("stytch-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(req.body, br#"{"phone_number":"+12025550162"}"#);
}

#[tokio::test]
async fn optional_fields_are_sent_when_set_and_never_as_null() {
    let server = server_answering(json(200, SUCCESS_BODY)).await;
    let request = LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .expiration_minutes(5)
        .locale(LoginOrCreateRequestLocale::PtBr)
        .build()
        .expect("valid request");

    client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request)
        .await
        .expect("success");

    let received = server.received_requests().await.expect("recording on");
    let body = std::str::from_utf8(&received[0].body).expect("utf-8 body");
    assert_eq!(
        body,
        r#"{"phone_number":"+12025550162","expiration_minutes":5,"locale":"pt-br"}"#
    );
    assert!(!body.contains("null"));
}

#[tokio::test]
async fn test_phone_number_plus_10000000000_is_sent_and_answered() {
    let server = server_answering(json(200, SUCCESS_BODY)).await;
    let request = LoginOrCreateRequest::builder()
        .phone_number("+10000000000")
        .build()
        .expect("Stytch's test number is valid E.164");

    let response = client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request)
        .await
        .expect("success");
    assert_eq!(response.status_code(), 200);

    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received[0].body, br#"{"phone_number":"+10000000000"}"#);
}

#[tokio::test]
async fn http_400_invalid_phone_number_is_api_error_with_known_type_not_retryable() {
    let body = stytch_error_body(
        400,
        "invalid_phone_number",
        "Phone number format is invalid.",
    );
    let server = server_answering(json(400, body)).await;

    let err = call_err(&server).await;
    assert!(!err.is_retryable());
    assert_eq!(err.retry_after(), None);
    let api = expect_api(err);
    assert_eq!(api.status().as_u16(), 400);
    assert_eq!(*api.error_type(), ErrorType::InvalidPhoneNumber);
    let r = api.response();
    assert_eq!(r.status_code(), 400);
    assert_eq!(r.request_id(), "request-id-test-0001");
    assert_eq!(r.error_message(), "Phone number format is invalid.");
    assert_eq!(
        r.error_url(),
        "https://stytch.com/docs/api/errors/400#invalid_phone_number"
    );
}

#[tokio::test]
async fn http_401_unauthorized_credentials_is_api_error_not_retryable() {
    let body = stytch_error_body(401, "unauthorized_credentials", "Unauthorized credentials.");
    let server = server_answering(json(401, body)).await;

    let err = call_err(&server).await;
    assert!(!err.is_retryable());
    let api = expect_api(err);
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(*api.error_type(), ErrorType::UnauthorizedCredentials);
}

#[tokio::test]
async fn http_429_with_retry_after_7_is_retryable_and_reports_7_seconds() {
    let body = stytch_error_body(429, "too_many_requests", "Too many requests.");
    let server = server_answering(json(429, body).insert_header("Retry-After", "7")).await;

    let err = call_err(&server).await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    let api = expect_api(err);
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(*api.error_type(), ErrorType::TooManyRequests);
    assert_eq!(api.headers()["retry-after"], "7");
}

#[tokio::test]
async fn http_500_stytch_error_is_retryable_api_error() {
    let body = stytch_error_body(500, "internal_server_error", "Oops.");
    let server = server_answering(json(500, body)).await;

    let err = call_err(&server).await;
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
    let api = expect_api(err);
    assert_eq!(api.status().as_u16(), 500);
    assert_eq!(*api.error_type(), ErrorType::InternalServerError);
}

#[tokio::test]
async fn unknown_error_type_is_preserved_as_unknown_variant() {
    let body = stytch_error_body(400, "some_new_error_type", "Something new.");
    let server = server_answering(json(400, body)).await;

    let api = expect_api(call_err(&server).await);
    assert_eq!(
        *api.error_type(),
        ErrorType::Unknown("some_new_error_type".to_owned())
    );
    assert_eq!(api.error_type().as_str(), "some_new_error_type");
    assert_eq!(api.response().error_message(), "Something new.");
}

#[tokio::test]
async fn html_502_from_proxy_is_undecodable_retryable_with_bounded_snippet() {
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "é".repeat(600)
    );
    let server =
        server_answering(ResponseTemplate::new(502).set_body_raw(html.clone(), "text/html")).await;

    let err = call_err(&server).await;
    assert!(err.is_retryable());
    let r = expect_undecodable(err);
    assert_eq!(r.status().as_u16(), 502);
    assert_eq!(r.body_len(), html.len());
    assert!(r
        .body_snippet()
        .starts_with("<html><head><title>502 Bad Gateway"));
    assert!(r.body_snippet().len() <= BODY_SNIPPET_LIMIT);
    assert!(r.body_snippet().len() > BODY_SNIPPET_LIMIT - 4);
    assert!(
        html.starts_with(r.body_snippet()),
        "snippet is a clean prefix"
    );
    assert!(!r.reason().is_empty());
}

#[tokio::test]
async fn empty_400_body_is_undecodable_not_a_panic() {
    let server = server_answering(ResponseTemplate::new(400)).await;

    let err = call_err(&server).await;
    assert!(!err.is_retryable());
    let r = expect_undecodable(err);
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.body_snippet(), "");
    assert_eq!(r.body_len(), 0);
    assert!(r.reason().contains("EOF"), "serde reason: {}", r.reason());
}

#[tokio::test]
async fn truncated_json_error_body_is_undecodable_with_snippet() {
    let server = server_answering(json(400, r#"{"status_code":400,"request_id":"requ"#)).await;

    let r = expect_undecodable(call_err(&server).await);
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.body_snippet(), r#"{"status_code":400,"request_id":"requ"#);
}

#[tokio::test]
async fn truncated_json_success_body_is_undecodable_with_serde_error() {
    let server = server_answering(json(200, &SUCCESS_BODY[..40])).await;

    let err = call_err(&server).await;
    assert!(!err.is_retryable(), "a 2xx may have sent the message");
    let r = expect_undecodable(err);
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.reason().contains("EOF"), "serde reason: {}", r.reason());
}

#[tokio::test]
async fn success_body_of_wrong_shape_is_undecodable_naming_every_missing_field() {
    let server = server_answering(json(200, r#"{"status_code":200,"request_id":"r"}"#)).await;

    let r = expect_undecodable(call_err(&server).await);
    assert_eq!(r.status().as_u16(), 200);
    for field in ["$.user_id", "$.phone_id", "$.user_created"] {
        assert!(
            r.reason()
                .contains(&format!("{field}: required property is missing")),
            "reason: {}",
            r.reason()
        );
    }
}

#[tokio::test]
async fn redirect_is_not_followed() {
    let server = server_answering(
        ResponseTemplate::new(307).insert_header("Location", "http://127.0.0.1:9/elsewhere"),
    )
    .await;

    match call_err(&server).await {
        Error::Redirect { status, location } => {
            assert_eq!(status.as_u16(), 307);
            assert_eq!(location.as_deref(), Some("http://127.0.0.1:9/elsewhere"));
        }
        other => panic!("expected Error::Redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn server_that_never_answers_times_out_after_the_configured_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Accept connections, read what comes, never write a byte.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (socket, _) = listener.accept().await.expect("accept");
            held.push(socket);
        }
    });

    let client = client_with_timeout(&format!("http://{addr}"), Duration::from_millis(200));
    let started = Instant::now();
    let err = client
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("must time out");
    let elapsed = started.elapsed();
    silent.abort();

    assert!(
        matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(200)),
        "expected Error::Timeout, got {err:?}"
    );
    assert!(err.is_retryable());
    assert!(elapsed >= Duration::from_millis(190), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn timeout_also_applies_to_a_supplied_reqwest_client() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    // A reqwest client with no timeout at all, like the default one.
    let client = stytch_client::Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(200))
        .http_client(stytch_client::reqwest::Client::new())
        .build()
        .expect("valid");

    let started = Instant::now();
    let err = client
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("must time out");
    silent.abort();
    assert!(matches!(err, Error::Timeout { .. }), "got {err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn oversized_body_is_undecodable_and_reading_stops_at_the_limit() {
    let big = "x".repeat(stytch_client::MAX_RESPONSE_BODY + 1);
    let server = server_answering(json(200, big)).await;

    let r = expect_undecodable(call_err(&server).await);
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.body_len(), stytch_client::MAX_RESPONSE_BODY);
    assert!(r.reason().contains("exceeds"), "{}", r.reason());
    assert_eq!(r.body_snippet().len(), BODY_SNIPPET_LIMIT);
}

#[tokio::test]
async fn connection_refused_is_retryable_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);

    let err = client_for(&format!("http://{addr}"))
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("nothing listens");
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn body_cut_off_mid_transfer_is_non_retryable_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut buf = vec![0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"status_code\":200",
            )
            .await;
        // Close with 180 bytes still owed.
    });

    let err = client_for(&format!("http://{addr}"))
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("body incomplete");
    server.abort();
    assert!(matches!(err, Error::Transport(_)), "got {err:?}");
    assert!(
        !err.is_retryable(),
        "headers arrived: the message may be sent"
    );
}

#[tokio::test]
async fn supplied_reqwest_client_is_used_with_same_headers() {
    let server = server_answering(json(200, SUCCESS_BODY)).await;
    let client = client_with_http(&server.uri(), stytch_client::reqwest::Client::new());

    client
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect("success");

    let received = server.received_requests().await.expect("recording on");
    assert_eq!(
        received[0].headers["authorization"],
        format!("Basic {BASIC_CREDENTIALS}").as_str()
    );
    assert_eq!(received[0].headers["content-type"], "application/json");
}

#[test]
fn login_or_create_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = client_for("http://127.0.0.1:9");
    let request = request();
    let fut = async move { client.otps().whatsapp().login_or_create(&request).await };
    assert_send(&fut);
}
