//! The mock against the client and raw HTTP: every operation, validation,
//! auth, routing, overrides, faults and recording.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use stytch_client::{Client, Error};
use stytch_mock::{MockServer, Reply, SendOperation};
use stytch_types::operations::{self as ops, Operation};

const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
const SECRET: &str = "secret-test-0123456789";

fn client_for(mock: &MockServer) -> Client {
    let mut builder = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(mock.url())
        .timeout(Duration::from_secs(5));
    for server in stytch_mock::servers() {
        builder = builder.server_url(server, mock.url());
    }
    builder.build().expect("valid client configuration")
}

fn login(phone_number: &str) -> stytch_types::otp::whatsapp::LoginOrCreateRequest {
    stytch_types::otp::whatsapp::LoginOrCreateRequest::builder()
        .phone_number(phone_number)
        .build()
        .expect("valid request")
}

type LoginOrCreate = ops::otps::whatsapp::LoginOrCreate<'static>;

/// Sends through the client and checks the mock routed the request to the
/// operation that was sent.
struct ThroughClient<'m> {
    client: Client,
    mock: &'m MockServer,
}

impl SendOperation for ThroughClient<'_> {
    async fn send<O: Operation>(&self, operation: &O) -> Result<(), String> {
        let before = self.mock.received().len();
        self.client
            .send_operation(operation)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let received = self.mock.received();
        match received.get(before) {
            Some(seen) if received.len() == before + 1 && seen.is::<O>() => Ok(()),
            Some(seen) => Err(format!(
                "routed to {:?} ({} {})",
                seen.operation_id(),
                seen.method(),
                seen.path()
            )),
            None => Err("the mock received nothing".to_owned()),
        }
    }
}

#[tokio::test]
async fn every_operation_succeeds_through_the_client() {
    let mock = MockServer::start().await;
    let sender = ThroughClient {
        client: client_for(&mock),
        mock: &mock,
    };
    let results = stytch_mock::each_operation(&sender).await;
    assert_eq!(results.len(), 184);
    assert_eq!(results.len(), stytch_mock::operations().count());
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(id, r)| r.as_ref().err().map(|e| format!("{id}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Each went to its own route and got the default 200.
    let received = mock.received();
    assert_eq!(received.len(), 184);
    assert!(received.iter().all(|r| r.status() == 200));
    let mut ids: Vec<&str> = received.iter().filter_map(|r| r.operation_id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 184);
}

#[tokio::test]
async fn default_responses_are_deterministic_with_plausible_ids() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    let first = client
        .users()
        .get("user-test-1")
        .await
        .expect("default response");
    let again = client
        .users()
        .get("user-test-1")
        .await
        .expect("default response");
    assert_eq!(format!("{first:?}"), format!("{again:?}"));
    let a = raw(&mock, "GET", "/v1/users/user-test-1", None, true).await;
    assert_eq!(a.0, 200);
    assert!(
        a.1["user_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("user-test-")),
        "{}",
        a.1
    );
    assert_eq!(a.1["status_code"], 200);
    // Another seed, other ids; the same seed in another server, the same bytes.
    let other = MockServer::builder().seed(7).start().await.expect("starts");
    let same = MockServer::start().await;
    let b = raw(&other, "GET", "/v1/users/user-test-1", None, true).await;
    let c = raw(&same, "GET", "/v1/users/user-test-1", None, true).await;
    assert_ne!(a.1["user_id"], b.1["user_id"]);
    assert_eq!(a.1, c.1);
}

/// `(status, JSON body, headers)` of a raw request.
async fn raw(
    mock: &MockServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    auth: bool,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", mock.url()));
    if auth {
        request = request.basic_auth(PROJECT_ID, Some(SECRET));
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).expect("a JSON body");
    (status, body, headers)
}

/// The answer is Stytch's error object, decoded by the generated type.
fn error_object(body: &Value) -> stytch_types::error::ErrorResponse {
    serde_json::from_value(body.clone()).expect("Stytch's error object")
}

#[tokio::test]
async fn an_invalid_body_is_a_400_naming_every_violation() {
    let mock = MockServer::start().await;
    let (status, body, _) = raw(
        &mock,
        "POST",
        "/v1/otps/whatsapp/login_or_create",
        Some(r#"{"phone_number": "12025550162"}"#),
        true,
    )
    .await;
    assert_eq!(status, 400);
    let error = error_object(&body);
    assert_eq!(error.status_code(), 400);
    assert_eq!(error.error_type().as_str(), "bad_request");
    assert!(
        error.error_message().contains("$.phone_number"),
        "{}",
        error.error_message()
    );
    // Two violations, both named.
    let (status, body, _) = raw(
        &mock,
        "POST",
        "/v1/otps/whatsapp/login_or_create",
        Some(r#"{"phone_number": "12025550162", "locale": "klingon"}"#),
        true,
    )
    .await;
    assert_eq!(status, 400);
    let message = error_object(&body).error_message().to_owned();
    assert!(
        message.contains("$.phone_number") && message.contains("$.locale"),
        "{message}"
    );
    // Not JSON at all.
    let (status, _, _) = raw(
        &mock,
        "POST",
        "/v1/otps/whatsapp/login_or_create",
        Some("{"),
        true,
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn parameters_are_checked_as_the_client_checks_them() {
    let mock = MockServer::start().await;
    // A required query parameter missing.
    let (status, body, _) = raw(&mock, "GET", "/v1/sessions", None, true).await;
    assert_eq!(status, 400);
    assert!(error_object(&body).error_message().contains("$.user_id"));
    let (status, _, _) = raw(&mock, "GET", "/v1/sessions?user_id=user-test-1", None, true).await;
    assert_eq!(status, 200);
    // An integer query parameter that is not one.
    let path = "/v1/b2b/scim/organization-test-1/connection/connection-test-1";
    let (status, body, _) = raw(&mock, "GET", &format!("{path}?limit=ten"), None, true).await;
    assert_eq!(status, 400, "{body}");
    assert!(error_object(&body).error_message().contains("$.limit"));
    let (status, _, _) = raw(&mock, "GET", &format!("{path}?limit=10"), None, true).await;
    assert_eq!(status, 200);
    // A path parameter arrives decoded, as the client encoded it.
    let mock2 = MockServer::start().await;
    client_for(&mock2)
        .users()
        .get("a/b c")
        .await
        .expect("one segment");
    assert_eq!(mock2.received()[0].path(), "/v1/users/a%2Fb%20c");
}

#[tokio::test]
async fn without_valid_basic_auth_it_is_a_401() {
    let mock = MockServer::start().await;
    let (status, body, _) = raw(&mock, "GET", "/v1/users/user-test-1", None, false).await;
    assert_eq!(status, 401);
    assert_eq!(
        error_object(&body).error_type().as_str(),
        "unauthorized_credentials"
    );
    // A live project id is refused by default.
    let live = Client::builder()
        .project_id("project-live-1")
        .secret(SECRET)
        .base_url(mock.url())
        .build()
        .expect("client");
    match live.users().get("user-test-1").await {
        Err(Error::Api(api)) => assert_eq!(api.status().as_u16(), 401),
        other => panic!("expected a 401, got {other:?}"),
    }
    // Configured credentials: only those.
    let strict = MockServer::builder()
        .credentials(PROJECT_ID, "secret-other")
        .start()
        .await
        .expect("starts");
    assert!(
        client_for(&strict)
            .users()
            .get("user-test-1")
            .await
            .is_err()
    );
    let right = Client::builder()
        .project_id(PROJECT_ID)
        .secret("secret-other")
        .base_url(strict.url())
        .build()
        .expect("client");
    assert!(right.users().get("user-test-1").await.is_ok());
}

#[tokio::test]
async fn an_unknown_route_is_a_404_in_the_same_shape() {
    let mock = MockServer::start().await;
    for (method, path) in [
        ("GET", "/v1/nothing"),
        ("PATCH", "/v1/users/user-test-1"),
        ("GET", "/v1/users/"),
    ] {
        let (status, body, _) = raw(&mock, method, path, None, true).await;
        assert_eq!(status, 404, "{method} {path}");
        let error = error_object(&body);
        assert_eq!(error.status_code(), 404);
        assert!(error.error_message().contains(path));
    }
}

#[tokio::test]
async fn literal_segments_win_over_parameters() {
    let mock = MockServer::start().await;
    // Both `DELETE /v1/users/emails/{email_id}` and
    // `DELETE /v1/users/{user_id}/external_id` match: the leftmost literal wins.
    let (status, _, _) = raw(&mock, "DELETE", "/v1/users/emails/external_id", None, true).await;
    assert_eq!(status, 200);
    let seen = mock.received();
    assert!(
        seen[0].is::<ops::users::DeleteEmail<'_>>(),
        "{:?}",
        seen[0].operation_id()
    );
    let _ = raw(
        &mock,
        "DELETE",
        "/v1/users/user-test-1/external_id",
        None,
        true,
    )
    .await;
    assert!(mock.received()[1].is::<ops::users::DeleteExternalId<'_>>());
    // Every template, its parameters filled in, reaches its own route
    // unless a route with an earlier literal takes the same path.
    let mut shadowed = 0;
    for (i, op) in stytch_mock::operations().enumerate() {
        let path: String = op
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "p-1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let body = (op.method != "GET" && op.method != "DELETE").then_some("{}");
        let _ = raw(&mock, op.method, &path, body, true).await;
        let last = mock.received().pop().expect("received");
        if last.operation_id() != Some(op.operation_id) {
            shadowed += 1;
            let winner = stytch_mock::operations()
                .find(|o| Some(o.operation_id) == last.operation_id())
                .expect("a known route");
            // The winner has a literal where this one has a parameter first.
            let (a, b): (Vec<&str>, Vec<&str>) = (
                op.path.split('/').collect(),
                winner.path.split('/').collect(),
            );
            let first = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .expect("templates differ");
            assert!(
                a[first].starts_with('{') && !b[first].starts_with('{'),
                "{i}: {} lost to {}",
                op.path,
                winner.path
            );
        }
    }
    assert!(shadowed < 5, "{shadowed} templates shadowed");
}

#[tokio::test]
async fn operations_with_their_own_server_are_served() {
    let mock = MockServer::start().await;
    assert_eq!(stytch_mock::servers(), ["https://telemetry.stytch.com"]);
    let risk: stytch_types::fraud::email::RiskRequest =
        serde_json::from_value(json!({ "email_address": "a@example.com" })).expect("valid request");
    client_for(&mock)
        .fraud()
        .email()
        .risk(&risk)
        .await
        .expect("served");
    assert!(mock.received()[0].is::<ops::fraud::email::Risk<'_>>());
}

#[tokio::test]
async fn overrides_answer_matching_requests() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    mock.on::<LoginOrCreate>()
        .matching_body(|r: &stytch_types::otp::whatsapp::LoginOrCreateRequest| {
            r.phone_number() == "+12025550199"
        })
        .respond(Reply::error(429, "too_many_requests", "slow down").retry_after(3));
    // Another number: the default answer.
    client
        .otps()
        .whatsapp()
        .login_or_create(&login("+12025550162"))
        .await
        .expect("default answer");
    match client
        .otps()
        .whatsapp()
        .login_or_create(&login("+12025550199"))
        .await
    {
        Err(e @ Error::Api(_)) => {
            assert_eq!(e.status().map(|s| s.as_u16()), Some(429));
            assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        }
        other => panic!("expected the 429, got {other:?}"),
    }
    // A fixed body, for one request only.
    let (_, mut body, _) = raw(&mock, "GET", "/v1/users/user-test-1", None, true).await;
    body["name"]["first_name"] = json!("Ada");
    mock.on::<ops::users::Get<'_>>()
        .times(1)
        .respond(Reply::json(200, &body));
    let (_, first, _) = raw(&mock, "GET", "/v1/users/user-test-1", None, true).await;
    let (_, second, _) = raw(&mock, "GET", "/v1/users/user-test-1", None, true).await;
    assert_eq!(first["name"]["first_name"], "Ada");
    assert_ne!(second["name"]["first_name"], "Ada");
    // By name, and an unknown name.
    assert!(mock.on_operation("users.get").is_some());
    assert!(mock.on_operation("users.nothing").is_none());
    mock.reset();
    assert!(mock.received().is_empty());
}

#[tokio::test]
async fn faults_delay_and_drop() {
    let mock = MockServer::start().await;
    mock.on::<ops::users::Get<'_>>()
        .respond(Reply::default_response().delay(Duration::from_millis(300)));
    let started = Instant::now();
    client_for(&mock)
        .users()
        .get("user-test-1")
        .await
        .expect("answered late");
    assert!(started.elapsed() >= Duration::from_millis(300));
    mock.on::<ops::users::Delete<'_>>()
        .respond(Reply::drop_connection());
    match client_for(&mock).users().delete("user-test-1").await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(mock.received()[1].status(), 0);
}

#[tokio::test]
async fn requests_are_recorded_decoded_with_method_path_and_headers() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    client
        .otps()
        .whatsapp()
        .login_or_create(&login("+12025550162"))
        .await
        .expect("answered");
    let _ = client.users().get("user-test-1").await;
    let calls = mock.received_for::<LoginOrCreate>();
    assert_eq!(calls.len(), 1, "login_or_create was called once");
    let call = &calls[0];
    let body: stytch_types::otp::whatsapp::LoginOrCreateRequest = call.body().expect("decodes");
    assert_eq!(body.phone_number(), "+12025550162");
    assert_eq!(call.method(), "POST");
    assert_eq!(call.path(), "/v1/otps/whatsapp/login_or_create");
    assert!(
        call.header("authorization")
            .is_some_and(|a| a.starts_with("Basic "))
    );
    assert_eq!(call.header("content-type"), Some("application/json"));
    assert_eq!(mock.received().len(), 2);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let mock = MockServer::start().await;
    let url = mock.url();
    let client = |url: &str| {
        Client::builder()
            .project_id(PROJECT_ID)
            .secret(SECRET)
            .base_url(url)
            .timeout(Duration::from_secs(2))
            .build()
            .expect("client")
    };
    client(&url).users().get("user-test-1").await.expect("up");
    drop(mock);
    tokio::task::yield_now().await;
    // A fresh client: no pooled connection to reuse.
    assert!(client(&url).users().get("user-test-1").await.is_err());
}

/// `(status, error message)` of a GET of `path` with one extra header.
async fn with_header(mock: &MockServer, path: &str, name: &str, value: &[u8]) -> (u16, String) {
    let value = reqwest::header::HeaderValue::from_bytes(value).expect("a sendable header");
    let response = reqwest::Client::new()
        .get(format!("{}{path}", mock.url()))
        .basic_auth(PROJECT_ID, Some(SECRET))
        .header(name, value)
        .send()
        .await
        .expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body: Value = serde_json::from_slice(&bytes).expect("a JSON body");
    let message = body["error_message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (status, message)
}

#[tokio::test]
async fn header_values_are_refused_by_the_clients_own_rule() {
    let mock = MockServer::start().await;
    let path = "/v1/b2b/organizations/organization-test-1/connected_apps";
    let rule = "$[\"X-Stytch-Member-Session\"]: header value (visible ASCII, spaces and tabs only inside, at most 8192 bytes)";
    let long = "a".repeat(9000);
    // (A trailing space never reaches it: HTTP trims it in transit, which
    // is why the client refuses one.)
    for value in ["tök".as_bytes(), long.as_bytes()] {
        let (status, message) = with_header(&mock, path, "X-Stytch-Member-Session", value).await;
        assert_eq!(status, 400, "{message}");
        assert!(message.contains(rule), "{message}");
    }
    // Not UTF-8: the same rule, the bytes not quoted.
    let (status, message) = with_header(&mock, path, "X-Stytch-Member-Session", &[0xff]).await;
    assert_eq!(status, 400);
    assert!(message.contains(rule), "{message}");
    let (status, message) = with_header(&mock, path, "X-Stytch-Member-Session", b"a b\tc").await;
    assert_eq!(status, 200, "{message}");
}

#[tokio::test]
async fn a_recorded_requests_debug_leaves_credentials_out() {
    let mock = MockServer::start().await;
    let token = "session-token-DoNotPrintMe-7f3a";
    let _ = client_for(&mock)
        .sessions()
        .authenticate(
            &stytch_types::session::AuthenticateRequest::builder()
                .session_token(token)
                .build()
                .expect("valid request"),
        )
        .await;
    let _ = client_for(&mock)
        .b2b()
        .organizations()
        .connected_apps("organization-test-1")
        .x_stytch_member_session(token)
        .await;
    let received = mock.received();
    assert_eq!(received.len(), 2);
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT_ID}:{SECRET}"));
    for request in &received {
        let shown = format!("{request:?} {request:#?}");
        for secret in [basic.as_str(), SECRET, token] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("\"authorization\", \"<redacted>\""),
            "{shown}"
        );
    }
    assert!(format!("{:?}", received[0]).contains(r#"\"session_token\":\"<redacted>\""#));
    assert!(format!("{:?}", received[1]).contains("\"x-stytch-member-session\", \"<redacted>\""));
}
