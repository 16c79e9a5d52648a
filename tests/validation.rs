//! Behaviour of the generated types: every constraint of the seed family,
//! through both doors (deserialization and builders).

use serde_json::json;
use stytch_types::attribute::Attributes;
use stytch_types::error::{ErrorResponse, ErrorType};
use stytch_types::otp::LoginOrCreateRequestLocale;
use stytch_types::otp::whatsapp::{LoginOrCreateRequest, LoginOrCreateResponse};

/// Deserializes `body` as a request and compares the outcome with `expect`:
/// `Ok(())` for valid, or the violations as `path: constraint` strings.
fn check(body: serde_json::Value, expect: Result<(), &[&str]>) {
    let text = body.to_string();
    let got = serde_json::from_str::<LoginOrCreateRequest>(&text);
    match (got, expect) {
        (Ok(_), Ok(())) => {}
        (Err(e), Err(expected)) => {
            let message = e.to_string();
            for part in expected {
                assert!(
                    message.contains(part),
                    "{text}: error {message:?} lacks {part:?}"
                );
            }
        }
        (Ok(v), Err(expected)) => panic!("{text}: accepted as {v:?}, expected {expected:?}"),
        (Err(e), Ok(())) => panic!("{text}: rejected: {e}"),
    }
}

#[test]
fn phone_number_must_be_e164() {
    for ok in ["+10000000000", "+12025550162", "+442071838750", "+123"] {
        check(json!({ "phone_number": ok }), Ok(()));
    }
    for bad in [
        "12025550162",
        "+0123",
        "+1234567890123456",
        "+1",
        "",
        "+1 202 555 0162",
        "+12025550162\n",
    ] {
        let shown = serde_json::Value::from(bad).to_string();
        check(
            json!({ "phone_number": bad }),
            Err(&[&format!(
                "$.phone_number: pattern ^\\+[1-9][0-9]{{1,14}}$ (got {shown})"
            )]),
        );
    }
}

#[test]
fn expiration_minutes_is_between_1_and_10() {
    for ok in [1, 2, 10] {
        check(
            json!({ "phone_number": "+12025550162", "expiration_minutes": ok }),
            Ok(()),
        );
    }
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": 0 }),
        Err(&["$.expiration_minutes: minimum 1 (got 0)"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": 11 }),
        Err(&["$.expiration_minutes: maximum 10 (got 11)"]),
    );
    // JSON Schema counts 1.0 as an integer; 1.5 is not one.
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": 5.0 }),
        Ok(()),
    );
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": 1.5 }),
        Err(&["$.expiration_minutes: type integer (got 1.5)"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": 3_000_000_000_i64 }),
        Err(&["$.expiration_minutes: format int32 (got 3000000000)"]),
    );
}

#[test]
fn locale_must_be_listed_in_a_request() {
    for ok in ["en", "es", "pt-br", "fr"] {
        check(
            json!({ "phone_number": "+12025550162", "locale": ok }),
            Ok(()),
        );
    }
    check(
        json!({ "phone_number": "+12025550162", "locale": "de" }),
        Err(&[r#"$.locale: enum ["en", "es", "pt-br", "fr"] (got "de")"#]),
    );
}

#[test]
fn required_missing_null_and_wrong_types_are_violations_with_paths() {
    check(
        json!({}),
        Err(&["$.phone_number: required property is missing"]),
    );
    // The schema allows leaving a field out, not sending null.
    check(
        json!({ "phone_number": "+12025550162", "locale": null }),
        Err(&["1 schema violation: $.locale: expected string (got null)"]),
    );
    check(
        json!({ "phone_number": 12025550162_i64 }),
        Err(&["1 schema violation: $.phone_number: expected string (got 12025550162)"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "create_user_as_pending": "yes" }),
        Err(&["$.create_user_as_pending: expected boolean (got \"yes\")"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "expiration_minutes": "5" }),
        Err(&["$.expiration_minutes: expected integer (got \"5\")"]),
    );
    check(json!([]), Err(&["$: expected object (got [])"]));
    check(
        json!(["+12025550162"]),
        Err(&["$: expected object (got [\"+12025550162\"])"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "attributes": [] }),
        Err(&["$.attributes: expected object (got [])"]),
    );
    check(
        json!({ "phone_number": "+12025550162", "attributes": { "ip_address": { "v": 4 } } }),
        Err(&["$.attributes.ip_address: expected string (got {\"v\":4})"]),
    );
}

#[test]
fn one_pass_reports_wrong_types_beside_broken_constraints() {
    // The issue's example: a wrong type does not stop the decode.
    check(
        json!({ "phone_number": 12025550162_i64, "expiration_minutes": 11 }),
        Err(&[
            "2 schema violations",
            "$.phone_number: expected string (got 12025550162)",
            "$.expiration_minutes: maximum 10 (got 11)",
        ]),
    );
    check(
        json!({
            "phone_number": true,
            "expiration_minutes": [1],
            "attributes": { "ip_address": 1, "user_agent": null },
            "create_user_as_pending": 0,
            "locale": "de"
        }),
        Err(&[
            "6 schema violations",
            "$.phone_number: expected string (got true)",
            "$.expiration_minutes: expected integer (got [1])",
            "$.attributes.ip_address: expected string (got 1)",
            "$.attributes.user_agent: expected string (got null)",
            "$.create_user_as_pending: expected boolean (got 0)",
            "$.locale: enum",
        ]),
    );
}

#[test]
fn malformed_json_still_stops_with_line_and_column() {
    let err =
        serde_json::from_str::<LoginOrCreateRequest>("{\"phone_number\": \"+1\",\n  \"locale\": }")
            .expect_err("not JSON");
    assert!(err.is_syntax(), "{err}");
    assert_eq!((err.line(), err.column()), (2, 13), "{err}");
}

#[test]
fn unknown_properties_are_ignored_as_the_schema_allows() {
    check(
        json!({ "phone_number": "+12025550162", "something_new": 1 }),
        Ok(()),
    );
}

#[test]
fn a_repeated_property_is_a_violation_not_silently_overwritten() {
    // serde_json::Value would keep the last; the types refuse the ambiguity,
    // at its path, and go on.
    let text = r#"{"phone_number": "+12025550162", "phone_number": "+0", "expiration_minutes": 0}"#;
    let err =
        serde_json::from_str::<LoginOrCreateRequest>(text).expect_err("a duplicate key is refused");
    assert!(
        err.to_string().starts_with(
            "2 schema violations: $.phone_number: duplicate key; $.expiration_minutes: minimum 1 (got 0)"
        ),
        "{err}"
    );
    let nested =
        r#"{"phone_number": "+12025550162", "attributes": {"ip_address": "a", "ip_address": "b"}}"#;
    let err = serde_json::from_str::<LoginOrCreateRequest>(nested)
        .expect_err("a duplicate nested key is refused");
    assert!(
        err.to_string()
            .contains("$.attributes.ip_address: duplicate key"),
        "{err}"
    );
}

#[test]
fn a_repeated_property_inside_a_free_form_value_is_a_violation() {
    // `trusted_metadata` is a map of any JSON values: their insides are
    // read noting repeated keys too, wherever they are.
    let text =
        r#"{"trusted_metadata": {"plan": {"tier": 1, "seats": [{"n": 1, "n": 2}], "tier": 2}}}"#;
    let err = serde_json::from_str::<stytch_types::user::UpdateRequest>(text)
        .expect_err("a duplicate key is refused");
    assert_eq!(
        err.to_string(),
        "2 schema violations: $.trusted_metadata.plan.seats[0].n: duplicate key; \
         $.trusted_metadata.plan.tier: duplicate key"
    );
    let fine = r#"{"trusted_metadata": {"plan": {"tier": 1, "seats": [{"n": 1}, {"n": 2}]}}}"#;
    let request: stytch_types::user::UpdateRequest = serde_json::from_str(fine).expect("valid");
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        serde_json::from_str::<serde_json::Value>(fine).expect("JSON")
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    check(
        json!({ "phone_number": "12025550162", "expiration_minutes": 0, "locale": "de" }),
        Err(&[
            "3 schema violations",
            "$.phone_number: pattern",
            "$.expiration_minutes: minimum 1",
            "$.locale: enum",
        ]),
    );
}

#[test]
fn builder_returns_every_violation_with_path_constraint_and_value() {
    let err = LoginOrCreateRequest::builder()
        .phone_number("+0123")
        .expiration_minutes(11)
        .build()
        .expect_err("two constraints are broken");
    let got: Vec<(&str, &str, serde_json::Value)> = err
        .violations()
        .iter()
        .map(|v| (v.path(), v.constraint(), v.value().clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "$.phone_number",
                r"pattern ^\+[1-9][0-9]{1,14}$",
                json!("+0123")
            ),
            ("$.expiration_minutes", "maximum 10", json!(11)),
        ]
    );

    let missing = LoginOrCreateRequest::builder()
        .build()
        .expect_err("phone_number is required");
    assert_eq!(
        missing.to_string(),
        "1 schema violation: $.phone_number: required property is missing"
    );

    // Values are shown as JSON text, escaped where JSON needs it.
    for phone in ["12025550162", "1\"2\\3\n\u{1}é"] {
        let err = LoginOrCreateRequest::builder()
            .phone_number(phone)
            .build()
            .expect_err("not E.164");
        assert_eq!(
            err.to_string(),
            format!(
                r"1 schema violation: $.phone_number: pattern ^\+[1-9][0-9]{{1,14}}$ (got {})",
                json!(phone)
            )
        );
    }
}

#[test]
fn builder_output_serializes_without_nulls_or_defaults() {
    let request = LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .expiration_minutes(5)
        .build()
        .expect("valid");
    assert_eq!(
        serde_json::to_string(&request).expect("serializes"),
        r#"{"phone_number":"+12025550162","expiration_minutes":5}"#
    );

    let full = LoginOrCreateRequest::builder()
        .phone_number("+10000000000")
        .attributes(
            Attributes::builder()
                .ip_address("203.0.113.7")
                .build()
                .expect("valid"),
        )
        .create_user_as_pending(true)
        .locale(LoginOrCreateRequestLocale::PtBr)
        .build()
        .expect("valid");
    let text = serde_json::to_string(&full).expect("serializes");
    assert_eq!(
        text,
        r#"{"phone_number":"+10000000000","attributes":{"ip_address":"203.0.113.7"},"create_user_as_pending":true,"locale":"pt-br"}"#
    );
    // And back: the round trip is lossless.
    assert_eq!(
        serde_json::from_str::<LoginOrCreateRequest>(&text).expect("valid"),
        full
    );
}

#[test]
fn into_builder_revalidates_changes() {
    let request = LoginOrCreateRequest::builder()
        .phone_number("+12025550162")
        .build()
        .expect("valid");
    let err = request
        .into_builder()
        .expiration_minutes(0)
        .build()
        .expect_err("0 is below the minimum");
    assert_eq!(err.violations()[0].path(), "$.expiration_minutes");
}

#[test]
fn response_requires_its_five_fields_and_tolerates_new_ones() {
    let body = json!({
        "request_id": "request-id-test-1",
        "user_id": "user-test-1",
        "phone_id": "phone-number-test-1",
        "user_created": false,
        "status_code": 200,
        "added_later": {"anything": true}
    });
    let response: LoginOrCreateResponse = serde_json::from_value(body).expect("valid");
    assert_eq!(response.phone_id(), "phone-number-test-1");
    assert_eq!(response.status_code(), 200);
    assert!(!response.user_created());

    let err = serde_json::from_value::<LoginOrCreateResponse>(json!({ "request_id": "r" }))
        .expect_err("incomplete");
    assert!(err.to_string().starts_with("4 schema violations"), "{err}");
}

#[test]
fn error_object_keeps_unknown_error_types() {
    let body = json!({
        "status_code": 400,
        "request_id": "request-id-test-2",
        "error_type": "brand_new_error",
        "error_message": "Something new.",
        "error_url": "https://stytch.com/docs/api/errors/400"
    });
    let error: ErrorResponse =
        serde_json::from_value(body.clone()).expect("unknown values are kept");
    assert_eq!(
        error.error_type(),
        &ErrorType::Unknown("brand_new_error".to_owned())
    );
    assert_eq!(error.error_type().as_str(), "brand_new_error");
    // Serialized back exactly as received.
    assert_eq!(serde_json::to_value(&error).expect("serializes"), body);

    let known: ErrorResponse = serde_json::from_value(json!({
        "status_code": 429,
        "request_id": "r",
        "error_type": "too_many_requests",
        "error_message": "Too many requests have been made.",
        "error_url": "https://stytch.com/docs/api/errors/429"
    }))
    .expect("valid");
    assert_eq!(known.error_type(), &ErrorType::TooManyRequests);
}

#[test]
fn a_closed_enum_refuses_unknown_values_on_its_own_too() {
    let err =
        serde_json::from_str::<LoginOrCreateRequestLocale>(r#""de""#).expect_err("not listed");
    assert!(
        err.to_string()
            .contains(r#"$: enum ["en", "es", "pt-br", "fr"] (got "de")"#),
        "{err}"
    );
    assert_eq!(LoginOrCreateRequestLocale::ALL.len(), 4);
}

/// A deserializer's error is rendered as the violations are found, without
/// building them; it must read exactly as the `ValidationError` a builder
/// returns for the same values.
#[test]
fn deserializer_message_matches_the_validation_error() {
    let long = format!("+{}", "9".repeat(300));
    for (phone, minutes) in [
        ("12025550162", 11),
        ("12025550162", -2147483648),
        ("+1 202\t\"555\"", 0),
        (long.as_str(), 5),
        ("é".repeat(120).as_str(), 10),
    ] {
        let built = LoginOrCreateRequest::builder()
            .phone_number(phone)
            .expiration_minutes(minutes)
            .build()
            .expect_err("invalid values")
            .to_string();
        let text = json!({ "phone_number": phone, "expiration_minutes": minutes }).to_string();
        let decoded = serde_json::from_str::<LoginOrCreateRequest>(&text)
            .expect_err("invalid JSON value")
            .to_string();
        assert_eq!(decoded, built);
    }
    let e = serde_json::from_str::<LoginOrCreateRequest>(
        r#"{"phone_number": "+1", "expiration_minutes": -7}"#,
    )
    .expect_err("too small");
    assert!(
        e.to_string()
            .ends_with("$.expiration_minutes: minimum 1 (got -7)"),
        "{e}"
    );
    // Not a violation of the builder's kind: a literal shown as written.
    let e = serde_json::from_str::<LoginOrCreateRequest>(
        r#"{"phone_number": "+12025550162", "expiration_minutes": 1e400}"#,
    )
    .expect_err("out of range");
    assert!(
        e.to_string()
            .starts_with("1 schema violation: $.expiration_minutes: format int32 (got 1e400)"),
        "{e}"
    );
}
