//! Session JWTs end to end: the mock issues and serves keys, the client
//! checks locally (`stytch_client::jwt`). One test per refusal; the key
//! set's single flight, rate limit and failure counted on the mock's
//! received requests.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use stytch_client::Client;
use stytch_client::jwt::{Checked, JwtError, TokenPart, Vertical};
use stytch_mock::jwt::{KEY_ID, SessionJwt};
use stytch_mock::{MockServer, Reply};
use stytch_types::operations as ops;

const PROJECT_ID: &str = "project-test-11111111-2222-3333-4444-555555555555";
const ORGANIZATION_ID: &str = "organization-test-11111111-2222-3333-4444-555555555555";

type ConsumerJwks = ops::sessions::GetJwks<'static>;
type B2bJwks = ops::b2b::sessions::GetJwks<'static>;

fn builder_for(mock: &MockServer) -> stytch_client::ClientBuilder {
    Client::builder()
        .project_id(PROJECT_ID)
        .secret("secret-test-jwt")
        .base_url(mock.url())
        .timeout(Duration::from_secs(5))
}

fn client_for(mock: &MockServer) -> Client {
    builder_for(mock)
        .build()
        .expect("valid client configuration")
}

fn consumer() -> SessionJwt {
    SessionJwt::consumer(PROJECT_ID)
}

fn b2b() -> SessionJwt {
    SessionJwt::b2b(PROJECT_ID, ORGANIZATION_ID)
}

fn signed(jwt: &SessionJwt) -> String {
    jwt.sign().expect("the mock signs")
}

/// A token of any header and claims, with `signature` as its third part.
fn forge(header: &Value, claims: &Value, signature: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.{}",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string()),
        b64.encode(signature)
    )
}

fn claims_of(jwt: &SessionJwt) -> Value {
    Value::Object(jwt.claims().clone())
}

async fn refusal(mock: &MockServer, token: &str) -> JwtError {
    client_for(mock)
        .sessions()
        .authenticate_jwt(token)
        .local_only()
        .await
        .expect_err("refused")
}

#[tokio::test]
async fn the_mocks_authenticate_answer_carries_a_jwt_the_client_accepts_locally() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    let request = stytch_types::session::AuthenticateRequest::builder()
        .session_token("mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q")
        .build()
        .expect("valid request");
    let answer = client
        .sessions()
        .authenticate(&request)
        .await
        .expect("default answer");
    let session = client
        .sessions()
        .authenticate_jwt(answer.session_jwt())
        .local_only()
        .await
        .expect("the mock's token is accepted");
    assert_eq!(session.checked, Checked::Locally);
    assert_eq!(session.user_id, answer.session().user_id());
    assert_eq!(session.session.id, answer.session().session_id());
    assert_eq!(
        session.session.authentication_factors,
        answer.session().authentication_factors()
    );
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 1);
}

#[tokio::test]
async fn the_mocks_b2b_answer_carries_the_organization_and_roles() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    let request = stytch_types::b2b_session::AuthenticateRequest::builder()
        .session_token("mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q")
        .build()
        .expect("valid request");
    let answer = client
        .b2b()
        .sessions()
        .authenticate(&request)
        .await
        .expect("default answer");
    let session = client
        .b2b()
        .sessions()
        .authenticate_jwt(answer.session_jwt())
        .local_only()
        .await
        .expect("the mock's token is accepted");
    let member_session = answer.member_session();
    assert_eq!(session.member_id, member_session.member_id());
    assert_eq!(
        session.organization.organization_id,
        member_session.organization_id()
    );
    assert_eq!(
        session.organization.slug,
        member_session.organization_slug()
    );
    assert_eq!(session.session.roles, member_session.roles());
    assert_eq!(mock.received_for::<B2bJwks>().len(), 1);
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 0);
}

#[tokio::test]
async fn minted_claims_come_back_typed_and_custom_claims_are_kept() {
    let mock = MockServer::start().await;
    let token = signed(
        &b2b()
            .member_id("member-test-7")
            .session_id("member-session-test-7")
            .roles(["stytch_admin", "editor"])
            .claim("tenant", json!({"plan": "pro"})),
    );
    let session = client_for(&mock)
        .b2b()
        .sessions()
        .authenticate_jwt(&token)
        .await
        .expect("accepted");
    assert_eq!(session.member_id, "member-test-7");
    assert_eq!(session.session.id, "member-session-test-7");
    assert_eq!(session.session.roles, ["stytch_admin", "editor"]);
    assert_eq!(session.organization.organization_id, ORGANIZATION_ID);
    assert_eq!(session.session_jwt, token);
    assert_eq!(
        session.custom_claims,
        json!({"tenant": {"plan": "pro"}})
            .as_object()
            .cloned()
            .expect("an object")
    );
}

#[tokio::test]
async fn alg_none_is_refused() {
    let mock = MockServer::start().await;
    let token = forge(
        &json!({"alg": "none", "kid": KEY_ID}),
        &claims_of(&consumer()),
        b"",
    );
    assert!(matches!(refusal(&mock, &token).await, JwtError::Unsigned));
    // Refused before the key set is needed.
    assert!(mock.received().is_empty());
}

#[tokio::test]
async fn hs256_keyed_with_the_public_key_is_refused() {
    let mock = MockServer::start().await;
    let public = stytch_mock::jwt::public_key_der().expect("public key");
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(KEY_ID.to_owned());
    let token = jsonwebtoken::encode(
        &header,
        &claims_of(&consumer()),
        &jsonwebtoken::EncodingKey::from_secret(&public),
    )
    .expect("hs256 signs");
    assert!(matches!(refusal(&mock, &token).await, JwtError::Algorithm(alg) if alg == "HS256"));
}

#[tokio::test]
async fn any_algorithm_but_rs256_is_refused() {
    let mock = MockServer::start().await;
    for alg in ["PS256", "RS512", "ES256", "EdDSA", "rs256"] {
        let header = json!({"alg": alg, "kid": KEY_ID, "typ": "JWT"});
        let token = forge(&header, &claims_of(&consumer()), &[7; 256]);
        let error = refusal(&mock, &token).await;
        assert!(
            matches!(&error, JwtError::Algorithm(a) if a == alg),
            "{alg}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_wrong_issuer_is_refused() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issuer("stytch.com/project-test-someone-else"));
    assert!(
        matches!(refusal(&mock, &token).await, JwtError::Issuer(i) if i.ends_with("someone-else"))
    );
}

#[tokio::test]
async fn an_issuer_added_on_the_builder_is_accepted() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issuer("https://login.example.com"));
    let client = builder_for(&mock)
        .jwt_issuer("https://login.example.com")
        .build()
        .expect("valid");
    let session = client
        .sessions()
        .authenticate_jwt(&token)
        .local_only()
        .await;
    assert!(session.is_ok(), "{session:?}");
}

#[tokio::test]
async fn a_wrong_audience_is_refused() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().audience("project-test-someone-else"));
    assert!(matches!(refusal(&mock, &token).await, JwtError::Audience));
}

#[tokio::test]
async fn an_expired_token_is_refused_locally() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issued_ago(Duration::from_secs(600)));
    assert!(matches!(
        refusal(&mock, &token).await,
        JwtError::Expired { .. }
    ));
    assert!(
        mock.received_for::<ops::sessions::Authenticate<'static>>()
            .is_empty()
    );
}

#[tokio::test]
async fn an_expired_token_goes_to_the_network_unless_local_only() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issued_ago(Duration::from_secs(600)));
    let session = client_for(&mock)
        .sessions()
        .authenticate_jwt(&token)
        .await
        .expect("the network accepts it");
    assert_eq!(session.checked, Checked::Network);
    let sent = mock.received_for::<ops::sessions::Authenticate<'static>>();
    assert_eq!(sent.len(), 1);
    let body: Value = sent[0].body().expect("json");
    assert_eq!(body["session_jwt"], token.as_str());
    // Stytch's answer carries a fresh token; the mock's is signed too.
    assert_ne!(session.session_jwt, token);
}

#[tokio::test]
async fn a_forged_expired_token_never_reaches_the_network() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issued_ago(Duration::from_secs(600)));
    let (signed_part, _) = token.rsplit_once('.').expect("three parts");
    let forged = format!("{signed_part}.AAAA");
    let error = client_for(&mock).sessions().authenticate_jwt(&forged).await;
    assert!(matches!(error, Err(JwtError::Signature)), "{error:?}");
    assert!(
        mock.received_for::<ops::sessions::Authenticate<'static>>()
            .is_empty()
    );
}

#[tokio::test]
async fn nbf_in_the_future_is_refused() {
    let mock = MockServer::start().await;
    let later = consumer().claims()["iat"].as_u64().unwrap_or(0) + 120;
    let token = signed(&consumer().claim("nbf", later));
    assert!(matches!(
        refusal(&mock, &token).await,
        JwtError::NotYetValid { .. }
    ));
}

#[tokio::test]
async fn nbf_within_the_leeway_is_accepted() {
    let mock = MockServer::start().await;
    let soon = consumer().claims()["iat"].as_u64().unwrap_or(0) + 2;
    let token = signed(&consumer().claim("nbf", soon));
    let session = client_for(&mock)
        .sessions()
        .authenticate_jwt(&token)
        .local_only()
        .await;
    assert!(session.is_ok(), "{session:?}");
}

#[tokio::test]
async fn a_token_older_than_the_maximum_age_is_refused() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().issued_ago(Duration::from_secs(120)));
    let error = client_for(&mock)
        .sessions()
        .authenticate_jwt(&token)
        .max_token_age(Duration::from_secs(60))
        .local_only()
        .await;
    assert!(
        matches!(error, Err(JwtError::TooOld { max_age: 60, .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_unknown_kid_is_refused_after_one_refresh() {
    let mock = MockServer::start().await;
    let token = signed(&consumer().key_id("jwk-test-unknown"));
    assert!(
        matches!(refusal(&mock, &token).await, JwtError::UnknownKey(k) if k == "jwk-test-unknown")
    );
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 1);
}

#[tokio::test]
async fn a_tampered_payload_fails_the_signature() {
    let mock = MockServer::start().await;
    let token = signed(&consumer());
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    parts[1] = b64.encode(claims_of(&consumer().user_id("user-test-admin")).to_string());
    let error = refusal(&mock, &parts.join(".")).await;
    assert!(matches!(error, JwtError::Signature), "{error:?}");
}

#[tokio::test]
async fn malformed_base64_is_refused() {
    let mock = MockServer::start().await;
    let token = signed(&consumer());
    let broken = format!("{}!", token.split('.').next().unwrap_or_default());
    let rest = token.split_once('.').map(|(_, r)| r).unwrap_or_default();
    let error = refusal(&mock, &format!("{broken}.{rest}")).await;
    assert!(
        matches!(
            error,
            JwtError::Base64 {
                part: TokenPart::Header
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn malformed_json_is_refused() {
    let mock = MockServer::start().await;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let token = format!("{}.{}.AAAA", b64.encode("{\"alg\":"), b64.encode("{}"));
    let error = refusal(&mock, &token).await;
    assert!(
        matches!(
            error,
            JwtError::Json {
                part: TokenPart::Header,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_payload_that_is_not_json_is_refused_after_the_signature() {
    let mock = MockServer::start().await;
    // Signed by the mock's key: the payload is only read once it verifies.
    let token = signed(&consumer());
    let (header, _) = token.split_once('.').expect("parts");
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let forged = format!("{header}.{}.AAAA", b64.encode("[1,2"));
    let error = refusal(&mock, &forged).await;
    assert!(matches!(error, JwtError::Signature), "{error:?}");
}

#[tokio::test]
async fn an_oversized_token_is_refused_unread() {
    let mock = MockServer::start().await;
    let huge = "a".repeat(stytch_client::jwt::MAX_TOKEN_BYTES);
    let token = signed(&consumer().claim("padding", huge));
    assert!(matches!(
        refusal(&mock, &token).await,
        JwtError::TooLarge { .. }
    ));
    assert!(mock.received().is_empty());
}

#[tokio::test]
async fn a_b2b_token_is_refused_by_the_consumer_check() {
    let mock = MockServer::start().await;
    let token = signed(&b2b());
    let error = refusal(&mock, &token).await;
    assert!(
        matches!(
            error,
            JwtError::WrongVertical {
                expected: Vertical::Consumer,
                found: Vertical::B2b
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_consumer_token_is_refused_by_the_b2b_check() {
    let mock = MockServer::start().await;
    let token = signed(&consumer());
    let error = client_for(&mock)
        .b2b()
        .sessions()
        .authenticate_jwt(&token)
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            JwtError::WrongVertical {
                expected: Vertical::B2b,
                found: Vertical::Consumer
            }
        ),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_checks_of_a_new_kid_make_one_request() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    // The key set answers slowly once: every check starts while it is in
    // flight.
    mock.on::<ConsumerJwks>()
        .times(1)
        .respond(Reply::default_response().delay(Duration::from_millis(300)));
    let token: Arc<str> = signed(&consumer()).into();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        // Clones share the key set.
        let client = client.clone();
        let token = Arc::clone(&token);
        tasks.spawn(async move {
            client
                .sessions()
                .authenticate_jwt(&token)
                .local_only()
                .await
                .map(|_| ())
        });
    }
    while let Some(done) = tasks.join_next().await {
        assert!(matches!(done, Ok(Ok(()))), "{done:?}");
    }
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_kid_after_the_keys_are_cached_makes_one_more_request() {
    let mock = MockServer::start().await;
    let interval = Duration::from_secs(1);
    let client = builder_for(&mock)
        .jwks_min_refresh_interval(interval)
        .build()
        .expect("valid");
    let known = signed(&consumer());
    let warm = client
        .sessions()
        .authenticate_jwt(&known)
        .local_only()
        .await;
    assert!(warm.is_ok(), "{warm:?}");
    // Past the rate limit: a new kid may fetch again, once for all.
    tokio::time::sleep(interval + Duration::from_millis(100)).await;
    mock.on::<ConsumerJwks>()
        .times(1)
        .respond(Reply::default_response().delay(Duration::from_millis(300)));
    let rotated: Arc<str> = signed(&consumer().key_id("jwk-test-rotated")).into();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        let token = Arc::clone(&rotated);
        tasks.spawn(async move {
            client
                .sessions()
                .authenticate_jwt(&token)
                .local_only()
                .await
                .map(|_| ())
        });
    }
    while let Some(done) = tasks.join_next().await {
        assert!(matches!(done, Ok(Err(JwtError::UnknownKey(_)))), "{done:?}");
    }
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 2);
}

#[tokio::test]
async fn unknown_kids_within_the_minimum_interval_make_no_request() {
    let mock = MockServer::start().await;
    let client = client_for(&mock);
    let known = signed(&consumer());
    let warm = client
        .sessions()
        .authenticate_jwt(&known)
        .local_only()
        .await;
    assert!(warm.is_ok(), "{warm:?}");
    for n in 0..20 {
        let forged = signed(&consumer().key_id(&format!("jwk-test-forged-{n}")));
        let error = client
            .sessions()
            .authenticate_jwt(&forged)
            .local_only()
            .await;
        assert!(matches!(error, Err(JwtError::UnknownKey(_))), "{error:?}");
    }
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 1);
}

#[tokio::test]
async fn cached_keys_keep_working_when_the_key_set_endpoint_fails() {
    let mock = MockServer::start().await;
    let client = builder_for(&mock)
        .jwks_refresh_interval(Duration::ZERO)
        .jwks_min_refresh_interval(Duration::ZERO)
        .build()
        .expect("valid");
    let token = signed(&consumer());
    let warm = client
        .sessions()
        .authenticate_jwt(&token)
        .local_only()
        .await;
    assert!(warm.is_ok(), "{warm:?}");
    mock.on::<ConsumerJwks>()
        .respond(Reply::error(503, "internal_server_error", "down"));
    // Stale keys, a failing refresh: the cached key still verifies.
    let again = client
        .sessions()
        .authenticate_jwt(&token)
        .local_only()
        .await;
    assert!(again.is_ok(), "{again:?}");
    assert_eq!(mock.received_for::<ConsumerJwks>().len(), 2);
    // A kid the cache lacks gets the fetch's error, typed.
    let unknown = signed(&consumer().key_id("jwk-test-new"));
    let error = client
        .sessions()
        .authenticate_jwt(&unknown)
        .local_only()
        .await;
    let Err(JwtError::Jwks(cause)) = error else {
        panic!("expected a key set error, got {error:?}");
    };
    assert!(matches!(&*cause, stytch_client::Error::Api(api) if api.status() == 503));
}

#[tokio::test]
async fn the_key_set_endpoint_failing_on_first_use_is_a_typed_error() {
    let mock = MockServer::start().await;
    mock.on::<B2bJwks>()
        .respond(Reply::error(500, "internal_server_error", "down"));
    let error = client_for(&mock)
        .b2b()
        .sessions()
        .authenticate_jwt(&signed(&b2b()))
        .await;
    assert!(matches!(error, Err(JwtError::Jwks(_))), "{error:?}");
}
