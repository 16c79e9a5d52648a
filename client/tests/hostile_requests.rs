//! Hostile input on the request path (issue 24): an operation's path that
//! is not a path, header parameters that are the client's own, credentials
//! in header parameters and response bodies, and header values no server
//! reads as sent.

mod common;

use common::*;
use stytch_client::Error;
use stytch_types::operations::{Method, NoBody, Operation, Request};
use stytch_types::ValidationError;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "session-token-DoNotPrintMe-7f3a";

/// An operation written by hand: `PATH` and the header parameters are
/// whatever a test wants, past every check of the generator.
#[derive(Debug)]
struct Hostile<const N: usize> {
    path: &'static str,
    headers: [(&'static str, &'static str); N],
}

macro_rules! hostile_path {
    ($name:ident, $path:expr) => {
        #[derive(Debug)]
        struct $name;
        impl Operation for $name {
            type Body = NoBody;
            type Response = serde_json::Value;
            const METHOD: Method = Method::Get;
            const PATH: &'static str = $path;
            const OPERATION_ID: &'static str = stringify!($name);
            const SERVERS: &'static [&'static str] = &[];
            const IDEMPOTENT: bool = true;
            fn request(&self) -> Result<Request<'_, NoBody>, ValidationError> {
                Ok(Request {
                    method: Self::METHOD,
                    path: Self::PATH.to_owned(),
                    query: Vec::new(),
                    headers: Vec::new(),
                    body: None,
                })
            }
        }
    };
}

hostile_path!(AbsoluteUrl, "https://evil.example/x");
hostile_path!(Backslashes, "/\\evil2.example/y");
hostile_path!(NetworkPath, "//evil3.example/z");
hostile_path!(DotDot, "/../outside");
hostile_path!(WithQuery, "/v1/x?admin=1");

impl<const N: usize> Operation for Hostile<N> {
    type Body = NoBody;
    type Response = serde_json::Value;
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v1/hostile";
    const OPERATION_ID: &'static str = "hostile";
    const SERVERS: &'static [&'static str] = &[];
    const IDEMPOTENT: bool = true;
    fn request(&self) -> Result<Request<'_, NoBody>, ValidationError> {
        Ok(Request {
            method: Self::METHOD,
            path: self.path.to_owned(),
            query: Vec::new(),
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .collect(),
            body: None,
        })
    }
}

async fn answering_200() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    server
}

async fn refused<O: Operation + Sync>(client: &stytch_client::Client, op: &O) -> String {
    match client.send_operation(op).await {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("{}: expected a configuration error, got {other:?}", O::PATH),
        Ok(_) => panic!("{}: sent", O::PATH),
    }
}

#[tokio::test]
async fn an_operation_path_never_leaves_the_base_urls_origin_or_path() {
    let server = answering_200().await;
    // A path prefix on the base URL, which `..` would climb out of.
    let client = client_for(&format!("{}/api", server.uri()));
    let messages = [
        refused(&client, &AbsoluteUrl).await,
        refused(&client, &Backslashes).await,
        refused(&client, &DotDot).await,
        refused(&client, &WithQuery).await,
    ];
    for message in &messages {
        assert!(message.starts_with("invalid endpoint path "), "{message}");
    }
    assert!(
        messages[0].ends_with("it leads to another origin than the base URL's"),
        "{}",
        messages[0]
    );
    assert!(
        messages[2].ends_with("it leads out of the base URL's path"),
        "{}",
        messages[2]
    );
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "sent: {received:?}");
    // A plain path still goes under the prefix.
    let plain = Hostile {
        path: "/v1/hostile",
        headers: [],
    };
    client
        .send_operation(&plain)
        .await
        .expect("a plain path is sent");
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received[0].url.path(), "/api/v1/hostile");
    // Leading slashes are all dropped before joining: `//host` is a path
    // segment under the base, never a host.
    client
        .send_operation(&NetworkPath)
        .await
        .expect("sent under the base");
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received[1].url.path(), "/api/evil3.example/z");
}

#[tokio::test]
async fn header_parameters_never_duplicate_or_override_the_clients_own() {
    let server = answering_200().await;
    let client = client_for(&server.uri());
    let op = Hostile {
        path: "/v1/hostile",
        headers: [
            ("authorization", "Bearer stolen"),
            ("Content-Type", "text/plain"),
            ("Host", "evil.example"),
            ("Content-Length", "5"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close"),
            ("X-Widget", "kept"),
        ],
    };
    client.send_operation(&op).await.expect("sent");
    let received = server.received_requests().await.unwrap_or_default();
    let headers = &received[0].headers;
    let all =
        |name: &str| -> Vec<&[u8]> { headers.get_all(name).iter().map(|v| v.as_bytes()).collect() };
    assert_eq!(
        all("authorization"),
        [format!("Basic {BASIC_CREDENTIALS}").as_bytes()]
    );
    assert!(all("content-type").is_empty(), "no body, no content type");
    assert_eq!(all("host"), [server.address().to_string().as_bytes()]);
    assert!(all("transfer-encoding").is_empty());
    assert_eq!(all("x-widget"), [b"kept".as_slice()]);
}

#[tokio::test]
async fn a_member_session_is_redacted_in_debug_and_in_the_invalid_error() {
    let server = answering_200().await;
    let client = client_for(&server.uri());
    let b2b = client.b2b();
    let organizations = b2b.organizations();
    let call = organizations
        .connected_apps("organization-test-1")
        .x_stytch_member_session(TOKEN)
        .x_stytch_member_session_jwt(TOKEN);
    let shown = format!("{call:?} {call:#?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(
        shown.contains("x_stytch_member_session: Some(\"<redacted>\")"),
        "{shown}"
    );
    assert!(
        shown.contains("organization-test-1"),
        "not a credential: {shown}"
    );

    let with_newline = format!("{TOKEN}\n");
    let error = client
        .b2b()
        .organizations()
        .connected_apps("organization-test-1")
        .x_stytch_member_session(&with_newline)
        .await
        .expect_err("a newline cannot be sent");
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::Invalid(_)), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(
        shown.contains("$[\"X-Stytch-Member-Session\"]: header value (visible ASCII")
            && shown.contains("<redacted>"),
        "{shown}"
    );
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "sent: {received:?}");
}

async fn undecodable_from(body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body.to_owned(), "application/json")
                // A credential in a response header: the error keeps the
                // headers, marked sensitive, so `Debug` never shows it.
                .insert_header("x-session-token", TOKEN),
        )
        .mount(&server)
        .await;
    client_for(&server.uri())
        .otps()
        .whatsapp()
        .login_or_create(&request())
        .await
        .expect_err("not the response type")
}

#[tokio::test]
async fn an_undecodable_body_is_quoted_without_its_credentials() {
    let jwt = "eyJhbGciOiJSUzI1NiJ9.DoNotPrintMe.sig";
    let json = format!(
        r#"{{"status_code":200,"session":{{"session_id":"s-1"}},"session_token":"{TOKEN}","nested":[{{"session_jwt":"{jwt}"}}],"request_id":"request-id-1"}}"#
    );
    // Valid JSON, the wrong shape: quoted, credentials replaced.
    let error = undecodable_from(&json).await;
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::UndecodableResponse(_)), "{shown}");
    assert!(!shown.contains(TOKEN) && !shown.contains(jwt), "{shown}");
    assert!(
        shown.contains(r#"\"session_token\":\"<redacted>\""#) && shown.contains("request-id-1"),
        "{shown}"
    );
    // Not JSON (cut short): quoted up to the first credential-like name.
    let error = undecodable_from(&json[..json.len() - 5]).await;
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains(jwt), "{shown}");
    assert!(
        shown.contains(r#"starts with "{\"status_code\":200,\"<redacted>"#),
        "{shown}"
    );
}

#[tokio::test]
async fn a_header_value_no_server_reads_as_sent_is_refused_before_sending() {
    let server = answering_200().await;
    let client = client_for(&server.uri());
    let long = "a".repeat(100_000);
    for value in ["tök", long.as_str(), " padded", "tab\tinside\u{7f}"] {
        let error = client
            .b2b()
            .organizations()
            .connected_apps("organization-test-1")
            .x_stytch_member_session(value)
            .await
            .expect_err("not sendable");
        let shown = error.to_string();
        assert!(matches!(error, Error::Invalid(_)), "{shown}");
        assert!(
            shown.contains("$[\"X-Stytch-Member-Session\"]: header value (visible ASCII, spaces and tabs only inside, at most 8192 bytes)"),
            "{shown}"
        );
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "sent: {received:?}");
    // At the bound, with spaces and tabs inside: sent.
    let mut at_bound = "a b\tc".repeat(8192 / 5);
    at_bound.push_str(&"z".repeat(8192 - at_bound.len()));
    client
        .b2b()
        .organizations()
        .connected_apps("organization-test-1")
        .x_stytch_member_session(&at_bound)
        .await
        .expect_err("the empty 200 body is no response, but it was sent");
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 1);
}
