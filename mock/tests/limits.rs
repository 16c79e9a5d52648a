//! What a client can make the mock hold: bodies are bounded and read only
//! once the head is accepted, slow heads and bodies and idle connections are
//! timed out, and connections are capped. Raw TCP to 127.0.0.1 only, every
//! wait bounded.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;
use stytch_mock::MockServer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
const SECRET: &str = "secret-test-0123456789";
const LOGIN: &str = "/v1/otps/whatsapp/login_or_create";
const BODY: &str = r#"{"phone_number": "+12025550162"}"#;
/// Short, so that the tests are fast; long enough for a loaded machine to
/// send a head well within it.
const SHORT: Duration = Duration::from_millis(200);
/// How long a test waits for what should happen within `SHORT`.
const PATIENCE: Duration = Duration::from_secs(3);

fn authorization() -> String {
    let pair = format!("{PROJECT_ID}:{SECRET}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

async fn connect(mock: &MockServer) -> TcpStream {
    TcpStream::connect(mock.address())
        .await
        .expect("the mock accepts")
}

/// Everything the server sends until it closes the connection (a reset
/// counts as closing); `None` when it is still open after `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut all = Vec::new();
    let read = async {
        let mut buffer = [0_u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => all.extend_from_slice(&buffer[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some(all)
}

/// The status and JSON body of a raw HTTP/1.1 answer.
fn parse(answer: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(answer);
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    (status, json)
}

/// Stytch's error object with this status and type, every field present.
fn assert_error(body: &Value, status: u16, error_type: &str) {
    let error: stytch_types::error::ErrorResponse =
        serde_json::from_value(body.clone()).expect("Stytch's error object");
    assert_eq!(error.status_code(), i32::from(status), "{body}");
    assert_eq!(error.error_type().as_str(), error_type, "{body}");
    for field in ["request_id", "error_message", "error_url"] {
        assert!(
            body[field].as_str().is_some_and(|s| !s.is_empty()),
            "{body}"
        );
    }
}

/// A head declaring a 500 MB body, then a few bytes of it: the answer comes
/// without the rest, so the mock never waited for (or held) it.
async fn huge_declared_body(mock: &MockServer, path: &str, auth: bool) -> (u16, Value) {
    let mut stream = connect(mock).await;
    let authorization = if auth {
        format!("authorization: {}\r\n", authorization())
    } else {
        String::new()
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         {authorization}content-length: 500000000\r\n\r\n{{\"phone"
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let answer = until_closed(&mut stream, PATIENCE)
        .await
        .unwrap_or_else(|| panic!("{path}: no answer without the body"));
    parse(&answer)
}

#[tokio::test]
async fn a_refused_request_is_answered_without_reading_its_body() {
    let mock = MockServer::start().await;
    let (status, body) = huge_declared_body(&mock, "/nothing", false).await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "route_not_found");
    let (status, body) = huge_declared_body(&mock, LOGIN, false).await;
    assert_eq!(status, 401);
    assert_error(&body, 401, "unauthorized_credentials");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_in_stytch_shape() {
    let limit = BODY.len();
    let mock = MockServer::builder()
        .body_limit(limit)
        .start()
        .await
        .expect("starts");
    // A declared length over it: refused before any of the body is read.
    let (status, body) = huge_declared_body(&mock, LOGIN, true).await;
    assert_eq!(status, 413);
    assert_error(&body, 413, "request_too_large");
    // A chunked body that grows past it: read up to the limit, then refused
    // (`connection: close`, so that the answer ends with the connection).
    let mut stream = connect(&mock).await;
    let chunk = " ".repeat(limit);
    let request = format!(
        "POST {LOGIN} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         authorization: {}\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n\
         {len:x}\r\n{BODY}\r\n{len:x}\r\n{chunk}\r\n0\r\n\r\n",
        authorization(),
        len = limit,
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let answer = until_closed(&mut stream, PATIENCE).await.expect("answered");
    let (status, body) = parse(&answer);
    assert_eq!(status, 413);
    assert_error(&body, 413, "request_too_large");
    // Exactly at the limit: read and answered.
    let response = reqwest::Client::new()
        .post(format!("{}{LOGIN}", mock.url()))
        .basic_auth(PROJECT_ID, Some(SECRET))
        .header("content-type", "application/json")
        .body(BODY)
        .timeout(PATIENCE)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status().as_u16(), 200);
    let statuses: Vec<u16> = mock.received().iter().map(|r| r.status()).collect();
    assert_eq!(statuses, [413, 413, 200]);
}

#[tokio::test]
async fn a_half_sent_head_is_closed_after_the_header_timeout() {
    let mock = MockServer::builder()
        .header_timeout(SHORT)
        .start()
        .await
        .expect("starts");
    let mut stream = connect(&mock).await;
    let started = Instant::now();
    stream
        .write_all(b"POST /v1/users HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .await
        .expect("sent");
    assert!(
        until_closed(&mut stream, PATIENCE).await.is_some(),
        "still open after {PATIENCE:?}"
    );
    assert!(started.elapsed() >= SHORT - Duration::from_millis(50));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let mock = MockServer::builder()
        .header_timeout(SHORT)
        .start()
        .await
        .expect("starts");
    let mut stream = connect(&mock).await;
    let request = format!(
        "GET /v1/users/user-test-1 HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: {}\r\n\r\n",
        authorization()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    // The answer, then nothing more: the mock closes the idle connection.
    let answer = until_closed(&mut stream, PATIENCE)
        .await
        .expect("closed when idle");
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    assert_eq!(mock.received().len(), 1);
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_after_the_body_timeout() {
    let mock = MockServer::builder()
        .body_timeout(SHORT)
        .start()
        .await
        .expect("starts");
    let stream = connect(&mock).await;
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST {LOGIN} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         authorization: {}\r\ntransfer-encoding: chunked\r\n\r\n",
        authorization()
    );
    let started = Instant::now();
    // A byte every 20 ms, until the mock stops reading (or PATIENCE ends).
    let trickle = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        while started.elapsed() < PATIENCE {
            writer.write_all(b"1\r\n \r\n").await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok::<_, std::io::Error>(())
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, reader.read_to_end(&mut answer)).await;
    trickle.abort();
    assert!(read.is_ok(), "still reading the body after {PATIENCE:?}");
    assert!(started.elapsed() >= SHORT - Duration::from_millis(50));
    // The 408 is sent before the close; a reset may overtake it.
    if !answer.is_empty() {
        let (status, body) = parse(&answer);
        assert_eq!(status, 408);
        assert_error(&body, 408, "request_timeout");
    }
}

/// The status of an authorized `users.get` through a fresh client.
async fn get(base_url: String) -> Result<u16, reqwest::Error> {
    let response = reqwest::Client::new()
        .get(format!("{base_url}/v1/users/user-test-1"))
        .basic_auth(PROJECT_ID, Some(SECRET))
        .timeout(PATIENCE)
        .send()
        .await?;
    Ok(response.status().as_u16())
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_closes() {
    let mock = MockServer::builder()
        .max_connections(2)
        .start()
        .await
        .expect("starts");
    let idle = connect(&mock).await;
    let _other = connect(&mock).await;
    // Both accepted before the request's connection arrives.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let request = tokio::spawn(get(mock.url()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!request.is_finished(), "answered beyond the cap");
    assert!(mock.received().is_empty());
    // One closes: the waiting connection is accepted and answered.
    drop(idle);
    let status = request.await.expect("joins").expect("answered");
    assert_eq!(status, 200);
}

#[tokio::test]
async fn idle_connections_at_the_cap_are_closed_and_requests_answered() {
    let mock = MockServer::builder()
        .max_connections(2)
        .header_timeout(SHORT)
        .start()
        .await
        .expect("starts");
    let mut idle = [connect(&mock).await, connect(&mock).await];
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(get(mock.url()).await.expect("answered"), 200);
    for stream in &mut idle {
        assert_eq!(
            until_closed(stream, PATIENCE).await.as_deref(),
            Some(&[][..]),
            "an idle connection is closed, unanswered"
        );
    }
}
