//! The whole upstream document (issue 10): stytch-codegen (types,
//! operations and the client's request functions) beside progenitor 0.15 on
//! the same `schemas/openapi.yml`.
//!
//! progenitor cannot take the document as published. It stops at the
//! duplicated `operationId` (an error), then panics on the error responses
//! that carry only an `example` ("media type encoding, no schema"). Its input
//! is the smallest patch that gets it through, made here in memory and
//! nothing more: the B2B `api_magic_v1_Authenticate` renamed (our overlay
//! does the same), and the schema-less `content` of error responses
//! dropped. Ours reads the document as published, with `schemas/overlays/`.

use std::path::Path;

use serde_json::Value;
use stytch_codegen::{Config, GeneratedFile};

/// Ours: `read_input(schemas/)` then `generate` with the client, as
/// `cargo run -p stytch-codegen -- generate` does.
pub fn stytch_codegen(schemas: &Path) -> Result<Vec<GeneratedFile>, String> {
    let (input, _) = stytch_codegen::fs::read_input(schemas).map_err(|e| e.to_string())?;
    stytch_codegen::generate(&Config::new().client(true).features(true), &input)
        .map_err(|e| e.to_string())
}

/// The document as progenitor needs it (see the module docs), and how many
/// schema-less error contents were dropped.
pub fn patched_for_progenitor(schemas: &Path) -> Result<(String, usize), String> {
    let text = std::fs::read_to_string(schemas.join("openapi.yml")).map_err(|e| e.to_string())?;
    let mut doc: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let b2b = "/paths/~1v1~1b2b~1magic_links~1authenticate/post/operationId";
    *doc.pointer_mut(b2b)
        .ok_or("the B2B magic-link authenticate operation is missing")? =
        Value::from("api_magic_v1_b2b_magic_links_Authenticate");
    let mut dropped = 0;
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            for response in op
                .get_mut("responses")
                .and_then(Value::as_object_mut)
                .into_iter()
                .flat_map(|r| r.values_mut())
            {
                let schemaless = response
                    .pointer("/content/application~1json")
                    .is_some_and(|json| json.get("schema").is_none());
                if schemaless {
                    if let Some(r) = response.as_object_mut() {
                        r.remove("content");
                        dropped += 1;
                    }
                }
            }
        }
    }
    Ok((
        serde_json::to_string(&doc).map_err(|e| e.to_string())?,
        dropped,
    ))
}

/// progenitor 0.15: parse the (patched) document, generate, format with
/// `prettyplease`: the work `stytch_codegen` does, from text to text.
pub fn progenitor(patched: &str) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_str(patched).map_err(|e| e.to_string())?;
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}
