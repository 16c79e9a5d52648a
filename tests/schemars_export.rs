//! Behind the `schemars` feature the generated types export their schema.
//! The exported schema must accept exactly what the type accepts, and that
//! must be what the source schema (with overlays) accepts, instance by
//! instance, judged by an independent validator (`jsonschema`).
#![cfg(feature = "schemars")]

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use stytch_types::attribute::Attributes;
use stytch_types::error::ErrorResponse;
use stytch_types::otp::LoginOrCreateRequestLocale;
use stytch_types::otp::whatsapp::{LoginOrCreateRequest, LoginOrCreateResponse};

/// The source schema of component `name`, refs resolved within the bundled
/// schemas as the generator resolves them.
fn source_validator(name: &str) -> jsonschema::Validator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let (input, _) = stytch_codegen::fs::read_input(&dir).expect("schemas/ is readable");
    let mut doc = stytch_codegen::effective_document(&input).expect("schemas load");
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            if let Value::Object(map) = schema {
                // `$id` here is a label ("#/components/schemas/NAME") that the
                // document layout already expresses.
                map.remove("$id");
                map.remove("$schema");
            }
        }
    }
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    jsonschema::draft202012::new(&root).expect("source schema compiles")
}

fn exported_validator<T: schemars::JsonSchema>() -> jsonschema::Validator {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    jsonschema::draft202012::new(&schema.to_value()).expect("exported schema compiles")
}

/// For each instance: the type, the exported schema and the source schema
/// agree; `open` lists instances where the source is stricter by design
/// (open enums keep values added upstream).
fn check<T: schemars::JsonSchema + DeserializeOwned>(
    name: &str,
    instances: &[Value],
    open: &[Value],
) {
    let source = source_validator(name);
    let exported = exported_validator::<T>();
    for instance in instances.iter().chain(open) {
        let ours = serde_json::from_value::<T>(instance.clone()).is_ok();
        assert_eq!(
            exported.is_valid(instance),
            ours,
            "{name}: exported schema and type disagree on {instance}"
        );
        let expected_source = if open.contains(instance) { !ours } else { ours };
        assert_eq!(
            source.is_valid(instance),
            expected_source,
            "{name}: source schema and type disagree on {instance}"
        );
    }
}

#[test]
fn request_export_matches_source() {
    let p = "+12025550162";
    check::<LoginOrCreateRequest>(
        "api_otp_v1_otp_whatsapp_LoginOrCreateRequest",
        &[
            json!({ "phone_number": p }),
            json!({ "phone_number": "+10000000000", "expiration_minutes": 10, "locale": "pt-br" }),
            json!({ "phone_number": p, "attributes": { "ip_address": "203.0.113.7", "user_agent": "x" } }),
            json!({ "phone_number": p, "create_user_as_pending": true, "extra": 1 }),
            json!({ "phone_number": p, "expiration_minutes": 1.0 }),
            json!({}),
            json!({ "phone_number": "12025550162" }),
            json!({ "phone_number": "+0123" }),
            json!({ "phone_number": "+1234567890123456" }),
            json!({ "phone_number": p, "expiration_minutes": 0 }),
            json!({ "phone_number": p, "expiration_minutes": 11 }),
            json!({ "phone_number": p, "expiration_minutes": 1.5 }),
            json!({ "phone_number": p, "locale": "de" }),
            json!({ "phone_number": p, "locale": null }),
            json!({ "phone_number": p, "attributes": { "ip_address": 7 } }),
            json!({ "phone_number": p, "attributes": [] }),
            json!({ "phone_number": p, "create_user_as_pending": "true" }),
            json!([p]),
            json!("+12025550162"),
        ],
        &[],
    );
}

#[test]
fn response_export_matches_source() {
    let ok = json!({ "request_id": "r", "user_id": "u", "phone_id": "p", "user_created": true, "status_code": 200 });
    let mut missing = ok.clone();
    missing.as_object_mut().expect("object").remove("phone_id");
    let mut wrong = ok.clone();
    wrong["status_code"] = json!("200");
    check::<LoginOrCreateResponse>(
        "api_otp_v1_otp_whatsapp_LoginOrCreateResponse",
        &[ok, missing, wrong, json!(null)],
        &[],
    );
}

#[test]
fn attributes_and_locale_exports_match_source() {
    check::<Attributes>(
        "api_attribute_v1_Attributes",
        &[
            json!({}),
            json!({ "ip_address": "::1" }),
            json!({ "user_agent": false }),
            json!(1),
        ],
        &[],
    );
    check::<LoginOrCreateRequestLocale>(
        "api_otp_v1_LoginOrCreateRequestLocale",
        &[json!("en"), json!("fr"), json!("de"), json!("EN"), json!(1)],
        &[],
    );
}

#[test]
fn error_export_matches_source_except_open_enum_values() {
    let base = json!({
        "status_code": 429,
        "request_id": "r",
        "error_type": "too_many_requests",
        "error_message": "m",
        "error_url": "https://stytch.com/docs/api/errors/429"
    });
    let mut unknown = base.clone();
    unknown["error_type"] = json!("added_upstream_later");
    let mut missing = base.clone();
    missing.as_object_mut().expect("object").remove("error_url");
    check::<ErrorResponse>("api_error_v1_ErrorResponse", &[base, missing], &[unknown]);
}
