//! Generated request functions against a loopback server: for one operation
//! of every shape (path parameters and their encoding, required and optional
//! query parameters, optional headers, a body, an empty body, a per-path
//! server), the request the server sees is checked field by field and the
//! typed response comes back. The response bodies are built from the
//! document's own schemas (overlays applied), the smallest valid instance.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Map, Value};
use stytch_client::{Client, Error};
use stytch_types::operations::Operation;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// What the server must see.
struct Expect {
    method: &'static str,
    /// As sent: percent-encoded.
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    headers: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    /// The response component the server answers with.
    response: &'static str,
}

/// The document as the generator reads it.
fn document() -> Value {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (input, _) = stytch_codegen::fs::read_input(&schemas).expect("schemas/ is readable");
    stytch_codegen::effective_document(&input).expect("schemas/ is valid")
}

/// The smallest instance of `schema`: required properties only, the first
/// enum value, empty arrays, zero, false, `"x"`.
fn minimal(doc: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return minimal(doc, &doc["components"]["schemas"][name]);
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                out.insert(name.to_owned(), minimal(doc, &schema["properties"][name]));
            }
            Value::Object(out)
        }
        Some("array") => json!([]),
        Some("string") => json!("x"),
        Some("integer") | Some("number") => schema.get("minimum").cloned().unwrap_or(json!(0)),
        Some("boolean") => json!(false),
        _ => json!({}),
    }
}

async fn server_for(expect: &Expect) -> MockServer {
    let doc = document();
    let body = minimal(
        &doc,
        &json!({ "$ref": format!("#/components/schemas/{}", expect.response) }),
    );
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The one request the server received, compared with `expect`.
async fn assert_seen(server: &MockServer, expect: &Expect) {
    let requests: Vec<Request> = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    let seen = &requests[0];
    assert_eq!(seen.method.as_str(), expect.method);
    assert_eq!(seen.url.path(), expect.path);
    let query: Vec<(String, String)> = seen.url.query_pairs().into_owned().collect();
    let wanted: Vec<(String, String)> = expect
        .query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(query, wanted, "query of {}", expect.path);
    let header = |name: &str| {
        seen.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header("authorization"),
        Some(format!("Basic {BASIC_CREDENTIALS}"))
    );
    for (name, value) in expect.headers {
        assert_eq!(header(name).as_deref(), Some(*value), "header {name}");
    }
    match &expect.body {
        Some(body) => {
            assert_eq!(header("content-type").as_deref(), Some("application/json"));
            let sent: Value = serde_json::from_slice(&seen.body).expect("the body is JSON");
            assert_eq!(&sent, body);
        }
        None => {
            assert!(seen.body.is_empty(), "no body for {}", expect.path);
            assert_eq!(header("content-type"), None);
        }
    }
}

/// Sends `$call` (an expression on `$client`) to a fresh server and checks
/// what the server saw; the typed response must decode.
macro_rules! check {
    (|$client:ident| $call:expr, $expect:expr) => {{
        let expect: Expect = $expect;
        let server = server_for(&expect).await;
        let $client = client_for(&server.uri());
        let result = $call.await;
        assert!(result.is_ok(), "{}: {:?}", expect.path, result.err());
        assert_seen(&server, &expect).await;
    }};
}

fn user_update() -> stytch_types::user::UpdateRequest {
    serde_json::from_value(json!({ "untrusted_metadata": { "a": 1 } })).expect("valid request")
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    check!(
        |client| client.users().get("user-test-1"),
        Expect {
            method: "GET",
            path: "/v1/users/user-test-1",
            query: &[],
            headers: &[],
            body: None,
            response: "api_user_v1_GetResponse",
        }
    );
    check!(
        |client| client.users().get("a/b c?d#e%f.g"),
        Expect {
            method: "GET",
            path: "/v1/users/a%2Fb%20c%3Fd%23e%25f.g",
            query: &[],
            headers: &[],
            body: None,
            response: "api_user_v1_GetResponse",
        }
    );
    check!(
        |client| client
            .webauthn()
            .list_credentials("user-test-1", "example.com"),
        Expect {
            method: "GET",
            path: "/v1/webauthn/credentials/user-test-1/example.com",
            query: &[],
            headers: &[],
            body: None,
            response: "api_webauthn_v1_ListCredentialsResponse",
        }
    );
    check!(
        |client| client.b2b().organizations().get("organization-test-1"),
        Expect {
            method: "GET",
            path: "/v1/b2b/organizations/organization-test-1",
            query: &[],
            headers: &[],
            body: None,
            response: "api_organization_v1_GetResponse",
        }
    );
}

#[tokio::test]
async fn bodies_methods_and_empty_bodies() {
    let update = user_update();
    check!(
        |client| client.users().update("user-test-1", &update),
        Expect {
            method: "PUT",
            path: "/v1/users/user-test-1",
            query: &[],
            headers: &[],
            body: Some(json!({ "untrusted_metadata": { "a": 1 } })),
            response: "api_user_v1_UpdateResponse",
        }
    );
    check!(
        |client| client.users().delete("user-test-1"),
        Expect {
            method: "DELETE",
            path: "/v1/users/user-test-1",
            query: &[],
            headers: &[],
            body: None,
            response: "api_user_v1_DeleteResponse",
        }
    );
    // A required body whose schema has no properties: no argument, `{}`.
    check!(
        |client| client.users().revoke("user-test-1", "connected-app-test-1"),
        Expect {
            method: "POST",
            path: "/v1/users/user-test-1/connected_apps/connected-app-test-1/revoke",
            query: &[],
            headers: &[],
            body: Some(json!({})),
            response: "api_user_v1_RevokeResponse",
        }
    );
    let login = request();
    check!(
        |client| client.otps().whatsapp().login_or_create(&login),
        Expect {
            method: "POST",
            path: ENDPOINT,
            query: &[],
            headers: &[],
            body: Some(json!({ "phone_number": "+12025550162" })),
            response: "api_otp_v1_otp_whatsapp_LoginOrCreateResponse",
        }
    );
}

#[tokio::test]
async fn query_and_header_parameters() {
    check!(
        |client| client.sessions().get("user-test-1"),
        Expect {
            method: "GET",
            path: "/v1/sessions",
            query: &[("user_id", "user-test-1")],
            headers: &[],
            body: None,
            response: "api_session_v1_GetResponse",
        }
    );
    check!(
        |client| client
            .b2b()
            .organizations()
            .members()
            .get("organization-test-1")
            .email_address("a+b@example.com"),
        Expect {
            method: "GET",
            path: "/v1/b2b/organizations/organization-test-1/member",
            query: &[("email_address", "a+b@example.com")],
            headers: &[],
            body: None,
            response: "api_organization_v1_organizations_members_GetResponse",
        }
    );
    check!(
        |client| client
            .b2b()
            .scim()
            .connection()
            .get_groups("organization-test-1", "connection-test-1")
            .limit(10),
        Expect {
            method: "GET",
            path: "/v1/b2b/scim/organization-test-1/connection/connection-test-1",
            query: &[("limit", "10")],
            headers: &[],
            body: None,
            response: "api_b2b_scim_v1_b2b_scim_connection_GetGroupsResponse",
        }
    );
    check!(
        |client| client
            .b2b()
            .organizations()
            .delete("organization-test-1")
            .x_stytch_member_session("session-token-1"),
        Expect {
            method: "DELETE",
            path: "/v1/b2b/organizations/organization-test-1",
            query: &[],
            headers: &[("x-stytch-member-session", "session-token-1")],
            body: None,
            response: "api_organization_v1_DeleteResponse",
        }
    );
}

#[tokio::test]
async fn operations_with_their_own_server_go_there() {
    let doc = document();
    let body = minimal(
        &doc,
        &json!({ "$ref": "#/components/schemas/api_fraud_v1_fraud_email_RiskResponse" }),
    );
    let telemetry = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&telemetry)
        .await;
    let api = MockServer::start().await;
    let client = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(api.uri())
        .server_url("https://telemetry.stytch.com", telemetry.uri())
        .build()
        .expect("valid configuration");
    let risk: stytch_types::fraud::email::RiskRequest =
        serde_json::from_value(json!({ "email_address": "a@example.com" })).expect("valid request");
    let response = client.fraud().email().risk(&risk).await;
    assert!(response.is_ok(), "{:?}", response.err());
    let seen = telemetry.received_requests().await.unwrap_or_default();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url.path(), "/v1/email/risk");
    assert!(api.received_requests().await.unwrap_or_default().is_empty());
    assert_eq!(
        <stytch_types::operations::fraud::email::Risk<'_> as Operation>::SERVERS,
        ["https://telemetry.stytch.com"]
    );
}

#[tokio::test]
async fn a_parameter_that_would_change_the_path_is_refused_unsent() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    for bad in ["", ".", ".."] {
        match client.users().get(bad).await {
            Err(Error::Invalid(e)) => {
                let v = &e.violations()[0];
                assert_eq!(v.path(), "$.user_id");
                assert!(
                    v.constraint().contains("path segment"),
                    "{}",
                    v.constraint()
                );
            }
            other => panic!("{bad:?}: expected Error::Invalid, got {other:?}"),
        }
    }
    match client
        .b2b()
        .organizations()
        .delete("organization-test-1")
        .x_stytch_member_session("a\r\nInjected: yes")
        .await
    {
        Err(Error::Invalid(e)) => {
            assert_eq!(e.violations()[0].path(), "$[\"X-Stytch-Member-Session\"]")
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

/// Every published error example, served with its status by any
/// operation's server, comes back as `Error::Api` with the same fields.
#[tokio::test]
async fn published_error_examples_are_api_errors() {
    let Some(dir) = std::env::var_os("STYTCH_CORPUS").map(std::path::PathBuf::from) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "STYTCH_CORPUS must be set in CI"
        );
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("examples")).expect("examples/ is readable") {
        let path = entry.expect("directory entry").path();
        let text = std::fs::read_to_string(&path).expect("example is readable");
        let file: Value = serde_json::from_str(&text).expect("example is JSON");
        for response in file["responseExamples"].as_array().into_iter().flatten() {
            let status: u16 = response["status"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("status");
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(status).set_body_json(&response["example"]))
                .mount(&server)
                .await;
            match client_for(&server.uri()).users().get("user-test-1").await {
                Err(Error::Api(api)) => {
                    assert_eq!(api.status().as_u16(), status);
                    assert_eq!(
                        api.response().request_id(),
                        response["example"]["request_id"]
                            .as_str()
                            .unwrap_or_default()
                    );
                }
                other => panic!("{}: expected Error::Api, got {other:?}", path.display()),
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no examples found");
}

#[tokio::test]
async fn each_call_goes_to_its_own_url_every_time() {
    // The URL of an operation without path parameters is joined once and
    // then reused: each must keep its own, under the base URL's prefix or
    // its own server, and a filled-in path must not be reused.
    let api = MockServer::start().await;
    let telemetry = MockServer::start().await;
    for server in [&api, &telemetry] {
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(400).set_body_string(stytch_error_body(
                    400,
                    "bad_request",
                    "Bad request.",
                )),
            )
            .mount(server)
            .await;
    }
    let client = Client::builder()
        .project_id(PROJECT_ID)
        .secret(SECRET)
        .base_url(format!("{}/api/", api.uri()))
        .server_url("https://telemetry.stytch.com", telemetry.uri())
        .build()
        .expect("valid configuration");
    let whatsapp = request();
    let sms: stytch_types::otp::sms::LoginOrCreateRequest =
        serde_json::from_value(json!({ "phone_number": "+12025550162" })).expect("valid request");
    let risk: stytch_types::fraud::email::RiskRequest =
        serde_json::from_value(json!({ "email_address": "a@example.com" })).expect("valid request");
    for user_id in ["user-test-1", "user-test-2"] {
        let _ = client.otps().whatsapp().login_or_create(&whatsapp).await;
        let _ = client.fraud().email().risk(&risk).await;
        let _ = client.otps().sms().login_or_create(&sms).await;
        let _ = client.users().get(user_id).await;
    }
    let paths = |seen: Vec<Request>| -> Vec<String> {
        seen.iter().map(|r| r.url.path().to_owned()).collect()
    };
    assert_eq!(
        paths(api.received_requests().await.unwrap_or_default()),
        [
            "/api/v1/otps/whatsapp/login_or_create",
            "/api/v1/otps/sms/login_or_create",
            "/api/v1/users/user-test-1",
            "/api/v1/otps/whatsapp/login_or_create",
            "/api/v1/otps/sms/login_or_create",
            "/api/v1/users/user-test-2",
        ]
    );
    assert_eq!(
        paths(telemetry.received_requests().await.unwrap_or_default()),
        ["/v1/email/risk", "/v1/email/risk"]
    );
}
