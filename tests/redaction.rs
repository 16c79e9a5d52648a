//! Issue 24, item 3: no credential (a field named like one, by the runtime's
//! `is_credential_name`) is printed by a generated type's `Debug`, its
//! builder's, or a violation.

use serde_json::json;
use stytch_types::oauth::AttachResponse;
use stytch_types::session::AuthenticateRequest;

const TOKEN: &str = "tok_SECRET_d3adb33f";

fn assert_hidden(shown: &str) {
    assert!(
        !shown.contains("SECRET"),
        "a credential is printed: {shown}"
    );
    assert!(shown.contains("\"<redacted>\""), "{shown}");
}

#[test]
fn request_and_builder_debug_redact_credentials() {
    let builder = AuthenticateRequest::builder()
        .session_token(TOKEN)
        .session_jwt(format!("jwt.{TOKEN}"));
    assert_hidden(&format!("{builder:?}"));
    let request = builder.build().expect("valid");
    let shown = format!("{request:?}");
    assert_hidden(&shown);
    assert!(shown.starts_with("AuthenticateRequest {"), "{shown}");
    // An unset credential still shows as unset.
    assert!(shown.contains("authorization_check: None"), "{shown}");
    assert_hidden(&format!("{:#?}", request.into_builder()));
}

#[test]
fn response_debug_redacts_credentials_and_keeps_the_rest() {
    let body = json!({ "request_id": "req-1", "oauth_attach_token": TOKEN, "status_code": 200 });
    let response: AttachResponse = serde_json::from_value(body).expect("valid");
    assert_eq!(response.oauth_attach_token(), TOKEN);
    let shown = format!("{response:?}");
    assert_hidden(&shown);
    assert!(shown.contains("request_id: \"req-1\""), "{shown}");
    assert!(shown.contains("status_code: 200"), "{shown}");
}

#[test]
fn violations_show_no_credential() {
    // Stytch's credentials have no constraint but their type: a wrong type
    // is the violation a token can cause.
    let body = json!({ "session_token": [TOKEN], "session_jwt": { "raw": TOKEN } });
    let Err(e) = serde_json::from_value::<AuthenticateRequest>(body) else {
        panic!("a list is no token");
    };
    let message = e.to_string();
    assert!(!message.contains("SECRET"), "{message}");
    assert!(
        message.contains("$.session_token: expected string (got \"<redacted>\")"),
        "{message}"
    );
    assert!(
        message.contains("$.session_jwt: expected string (got \"<redacted>\")"),
        "{message}"
    );
    // A credential inside a wrong value is one too, at any depth.
    let body = json!({
        "request_id": [{ "oauth_attach_token": TOKEN, "kept": 1 }],
        "oauth_attach_token": "t",
        "status_code": 200,
    });
    let Err(e) = serde_json::from_value::<AttachResponse>(body) else {
        panic!("a list is no request id");
    };
    let message = e.to_string();
    assert!(!message.contains("SECRET"), "{message}");
    assert!(
        message.contains(r#"[{"oauth_attach_token":"<redacted>","kept":1}]"#),
        "{message}"
    );
}

/// The runtime's rule, on the table the generator's own test reads
/// (`emit::tests::the_credential_words_are_the_runtimes`): "session" is a
/// credential only as the last word of a name.
#[test]
fn the_rule_names_credentials_not_every_session_field() {
    use stytch_types::operations::is_credential_name;
    for (name, credential) in [
        ("Session_Token", true),
        ("session_jwt", true),
        ("password", true),
        ("X-Stytch-Member-Session", true),
        ("session", true),
        ("client_secret", true),
        ("user_id", false),
        ("session_id", false),
        ("session_duration_minutes", false),
        ("session_custom_claims", false),
        ("sessions", false),
    ] {
        assert_eq!(is_credential_name(name), credential, "{name}");
    }
}
