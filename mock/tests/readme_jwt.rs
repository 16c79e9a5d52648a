//! The session-JWT example of mock/README.md, as written there.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use stytch_client::Client;
use stytch_mock::jwt::SessionJwt;
use stytch_mock::{MockServer, Reply};
use stytch_types::operations as ops;

const PROJECT_ID: &str = "project-test-00000000-0000-0000-0000-000000000000";

/// Your handler: who is calling, from the B2B session JWT in
/// `Authorization: Bearer …`, checked locally against the project's keys.
async fn whoami(State(stytch): State<Client>, headers: HeaderMap) -> Result<String, StatusCode> {
    let jwt = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let session = stytch
        .b2b()
        .sessions()
        .authenticate_jwt(jwt)
        .await
        .map_err(|_| StatusCode::UNAUTHORIZED)?;
    Ok(format!(
        "{} of {}: {}",
        session.member_id,
        session.organization.organization_id,
        session.session.roles.join(",")
    ))
}

#[tokio::test]
async fn the_handler_accepts_members_and_refuses_foreign_or_revoked_tokens() {
    let mock = MockServer::start().await;
    let stytch = Client::builder()
        .project_id(PROJECT_ID)
        .secret("secret-test-anything")
        .base_url(mock.url())
        .build()
        .unwrap();
    let app = Router::new()
        .route("/whoami", get(whoami))
        .with_state(stytch);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/whoami", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();

    // A member's token, minted with the mock's key: checked locally.
    let admin = SessionJwt::b2b(PROJECT_ID, "organization-test-1")
        .member_id("member-test-1")
        .roles(["stytch_admin"])
        .sign()
        .unwrap();
    let answer = http.get(&url).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.text().await.unwrap(),
        "member-test-1 of organization-test-1: stytch_admin"
    );

    // Another project's token: refused without asking Stytch.
    let foreign = SessionJwt::b2b("project-test-someone-else", "organization-test-1")
        .sign()
        .unwrap();
    let answer = http.get(&url).bearer_auth(&foreign).send().await.unwrap();
    assert_eq!(answer.status(), 401);

    // An expired token goes to b2b().sessions().authenticate, which Stytch
    // answers 404 once the session is revoked: set the mock to do so.
    mock.on::<ops::b2b::sessions::Authenticate<'_>>()
        .respond(Reply::error(404, "session_not_found", "session not found"));
    let expired = SessionJwt::b2b(PROJECT_ID, "organization-test-1")
        .issued_ago(Duration::from_secs(600))
        .sign()
        .unwrap();
    let answer = http.get(&url).bearer_auth(&expired).send().await.unwrap();
    assert_eq!(answer.status(), 401);

    // One key-set request for all of it; one network check.
    assert_eq!(
        mock.received_for::<ops::b2b::sessions::GetJwks<'_>>().len(),
        1
    );
    assert_eq!(
        mock.received_for::<ops::b2b::sessions::Authenticate<'_>>()
            .len(),
        1
    );
}
