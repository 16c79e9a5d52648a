//! `$ref`s to other documents: read from the local remote map
//! (`Config::resolve`) or the bundled draft 2020-12 metaschemas, never
//! fetched; refused, located, when neither covers them. What the generated
//! code then accepts is checked by the conformance runner on the suite.

use std::path::Path;

use stytch_codegen::{
    Config, Input, SourceFile, Standalone, generate, generate_standalone, generate_with_warnings,
};

fn document(text: &str) -> Standalone {
    Standalone::new(
        "suite_Remote",
        SourceFile {
            name: "schema.json".to_owned(),
            text: text.to_owned(),
        },
    )
}

/// The rendered diagnostics of a refused run.
fn refused(config: &Config, text: &str) -> Vec<String> {
    match generate_standalone(config, &[document(text)]) {
        Ok(_) => panic!("expected the generator to refuse this schema"),
        Err(d) => d.diagnostics().iter().map(ToString::to_string).collect(),
    }
}

fn generated(config: &Config, text: &str) -> String {
    match generate_standalone(config, &[document(text)]) {
        Ok(files) => files.into_iter().map(|f| f.contents).collect(),
        Err(d) => panic!("expected generation, got:\n{d}"),
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_ref_no_mapping_covers_is_refused_and_located() {
    let text =
        "{\n  \"properties\": {\n    \"a\": { \"$ref\": \"http://example.com/a.json\" }\n  }\n}";
    let got = refused(&Config::new(), text);
    assert_eq!(
        got,
        [
            r#"schema.json:3:12: at /properties/a/$ref: unsupported `$ref` "http://example.com/a.json": "http://example.com/a.json" is not a schema embedded in this document, and no remote mapping (`--resolve URL=FILE`) covers it; remote schemas are never fetched"#
        ]
    );
    // A mapping of another prefix does not cover it either.
    let other = Config::new().resolve("http://example.org/", "/nonexistent");
    assert_eq!(refused(&other, text), got);
}

#[test]
fn mapped_documents_resolve_with_their_own_ids_and_refs() {
    let dir = tempfile::tempdir().unwrap();
    // Its nested `$ref` resolves against its own `$id`, not the URL it was
    // read for; `b.json` is then read through the same prefix.
    write(
        dir.path(),
        "nested/a.json",
        r##"{ "$id": "http://example.com/nested/a.json", "$ref": "b.json#/$defs/s" }"##,
    );
    write(
        dir.path(),
        "nested/b.json",
        r##"{ "$defs": { "s": { "type": "string", "minLength": 2 } } }"##,
    );
    let config = Config::new().resolve("http://example.com/", dir.path());
    let code = generated(
        &config,
        r#"{ "items": { "$ref": "http://example.com/nested/a.json" } }"#,
    );
    assert!(code.contains("check_length"), "{code}");

    // An exact URL maps to one file.
    let exact = Config::new().resolve(
        "http://example.com/nested/b.json",
        dir.path().join("nested/b.json"),
    );
    let code = generated(
        &exact,
        r##"{ "$ref": "http://example.com/nested/b.json#/$defs/s" }"##,
    );
    assert!(code.contains("check_length"), "{code}");
}

#[test]
fn problems_in_a_mapped_document_are_located_in_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.json",
        "{\n  \"type\": \"string\",\n  \"frobnicate\": 1\n}",
    );
    write(dir.path(), "broken.json", "{ \"type\": ");
    let config = Config::new().resolve("http://example.com/", dir.path());
    let file = dir.path().join("bad.json").display().to_string();
    assert_eq!(
        refused(&config, r#"{ "$ref": "http://example.com/bad.json" }"#),
        [format!(
            "{file}:3:3: at /frobnicate: unknown keyword `frobnicate`"
        )]
    );
    let got = refused(&config, r#"{ "$ref": "http://example.com/broken.json" }"#);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with(r#"schema.json:1:3: at /$ref: `$ref` "http://example.com/broken.json": the remote map's file for "http://example.com/broken.json" is not valid JSON"#),
        "{got:?}"
    );
    let got = refused(&config, r#"{ "$ref": "http://example.com/missing.json" }"#);
    assert!(
        got[0].starts_with(
            r#"schema.json:1:3: at /$ref: `$ref` "http://example.com/missing.json": cannot read "#
        ) && got[0].contains("missing.json"),
        "{got:?}"
    );
}

#[test]
fn a_cycle_across_documents_is_refused_where_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", r#"{ "$ref": "b.json" }"#);
    write(
        dir.path(),
        "b.json",
        r#"{ "allOf": [ { "$ref": "a.json" } ] }"#,
    );
    let config = Config::new().resolve("http://example.com/", dir.path());
    let got = refused(&config, r#"{ "$ref": "http://example.com/a.json" }"#);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("loops back to the same value without descending into it"));
    // Located in the document holding the closing `$ref`.
    let b = dir.path().join("b.json").display().to_string();
    assert!(
        got[0].starts_with(&format!("{b}:1:16: at /allOf/0/$ref:")),
        "{got:?}"
    );

    // Through an item, the same references recurse on ever smaller values.
    write(dir.path(), "c.json", r#"{ "items": { "$ref": "d.json" } }"#);
    write(
        dir.path(),
        "d.json",
        r#"{ "anyOf": [ { "type": "null" }, { "$ref": "c.json" } ] }"#,
    );
    generated(&config, r#"{ "$ref": "http://example.com/c.json" }"#);
}

#[test]
fn the_official_metaschema_is_bundled() {
    // No mapping needed: it comes with the `referencing` crate.
    let code = generated(
        &Config::new(),
        r#"{ "$ref": "https://json-schema.org/draft/2020-12/schema" }"#,
    );
    // Its `$dynamicRef: "#meta"` recursion is lowered, not refused.
    assert!(code.contains("fn check_1"), "{code}");
}

#[test]
fn vocabularies_come_from_the_metaschema() {
    let dir = tempfile::tempdir().unwrap();
    let meta = |vocabulary: &str| {
        format!(
            r#"{{ "$id": "http://example.com/meta.json", "$vocabulary": {{ {vocabulary} }}, "$dynamicAnchor": "meta" }}"#
        )
    };
    write(
        dir.path(),
        "required.json",
        &meta(
            r#""https://json-schema.org/draft/2020-12/vocab/core": true, "http://example.com/vocab/custom": true"#,
        ),
    );
    write(
        dir.path(),
        "optional.json",
        &meta(
            r#""https://json-schema.org/draft/2020-12/vocab/core": true, "https://json-schema.org/draft/2020-12/vocab/validation": true, "http://example.com/vocab/custom": false"#,
        ),
    );
    let config = Config::new().resolve("http://example.com/", dir.path());
    assert_eq!(
        refused(
            &config,
            "{\n  \"$schema\": \"http://example.com/required.json\",\n  \"type\": \"string\"\n}"
        ),
        [
            r#"schema.json:2:3: at /$schema: unsupported vocabulary "http://example.com/vocab/custom": the metaschema "http://example.com/required.json" requires it, and the generator does not know its keywords"#
        ]
    );
    let optional = generated(
        &config,
        r#"{ "$schema": "http://example.com/optional.json", "type": "string" }"#,
    );
    assert!(optional.contains("is_string"), "{optional}");
    // Without the validation vocabulary, `type` asserts nothing (and `not`,
    // an applicator, is kept).
    write(
        dir.path(),
        "bare.json",
        &meta(
            r#""https://json-schema.org/draft/2020-12/vocab/core": true, "https://json-schema.org/draft/2020-12/vocab/applicator": true"#,
        ),
    );
    let bare = generated(
        &config,
        r#"{ "$schema": "http://example.com/bare.json", "not": { "type": "string" } }"#,
    );
    assert!(
        !bare.contains("is_string") && bare.contains("\"not\""),
        "{bare}"
    );
}

#[test]
fn unknown_formats_annotate_only_in_referenced_documents() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        r#"{ "$schema": "https://json-schema.org/draft/2020-12/schema", "format": "regex" }"#;
    write(dir.path(), "f.json", text);
    let config = Config::new().resolve("http://example.com/", dir.path());
    // The metaschema's format-annotation vocabulary makes it an annotation
    // there; the bundled metaschemas use `regex` and `uri-reference` so.
    generated(&config, r#"{ "$ref": "http://example.com/f.json" }"#);
    assert_eq!(
        refused(&config, text),
        [
            r#"schema.json:1:62: at /format: unsupported format "regex": the generator cannot check it yet (formats asserted: email, uri, date-time, date, uuid, ipv4, ipv6, hostname)"#
        ]
    );
}

#[test]
fn another_drafts_document_is_refused_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    // Draft 2019-09 has no `prefixItems`: read as 2020-12, it would assert.
    let text = "{\n  \"$schema\": \"https://json-schema.org/draft/2019-09/schema\",\n  \"prefixItems\": [ { \"type\": \"string\" } ]\n}";
    write(dir.path(), "old.json", text);
    let config = Config::new().resolve("http://example.com/", dir.path());
    let old = dir.path().join("old.json").display().to_string();
    assert_eq!(
        refused(&config, r#"{ "$ref": "http://example.com/old.json" }"#),
        [format!(
            r#"{old}:2:3: at /$schema: unsupported `$schema` "https://json-schema.org/draft/2019-09/schema": neither the draft 2020-12 metaschema nor a metaschema the remote map covers, so which keywords apply is unknown"#
        )]
    );
}

/// In an API run too, a problem in a document read through the map names
/// that document, located in its own text: here an input file has the
/// same name, and a lookup by name would place it on the input's one line.
#[test]
fn problems_in_a_mapped_document_of_an_api_run_are_located_in_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.json",
        "{\n  \"type\": \"string\",\n  \"frobnicate\": 1\n}",
    );
    let bad = dir.path().join("bad.json").display().to_string();
    let input = Input {
        schemas: vec![SourceFile {
            name: bad.clone(),
            text: r##"{ "$id": "#/components/schemas/api_demo_v1_Thing", "anyOf": [ { "$ref": "http://example.com/bad.json" } ] }"##.to_owned(),
        }],
        ..Input::default()
    };
    let config = Config::new().resolve("http://example.com/", dir.path());
    let got: Vec<String> = match generate(&config, &input) {
        Ok(_) => panic!("expected the generator to refuse this input"),
        Err(d) => d.diagnostics().iter().map(ToString::to_string).collect(),
    };
    assert_eq!(
        got,
        [format!(
            "{bad}:3:3: at /frobnicate: unknown keyword `frobnicate`"
        )]
    );
}

/// OpenAPI 3.1's base dialect has draft 2020-12's vocabularies (OpenAPI's
/// own only annotates): both lowerings read it as draft 2020-12.
#[test]
fn the_openapi_base_dialect_reads_as_draft_2020_12() {
    let oas = r#""$schema": "https://spec.openapis.org/oas/3.1/dialect/base""#;
    let code = generated(
        &Config::new(),
        &format!(r#"{{ {oas}, "prefixItems": [ {{ "type": "string" }} ] }}"#),
    );
    assert!(code.contains("is_string"), "{code}");
    let input = Input {
        schemas: vec![SourceFile {
            name: "thing.json".to_owned(),
            text: format!(
                r##"{{ {oas}, "$id": "#/components/schemas/api_demo_v1_Thing", "type": "object", "properties": {{ "n": {{ "type": "integer" }} }} }}"##
            ),
        }],
        ..Input::default()
    };
    match generate_with_warnings(&Config::new(), &input) {
        // A typed struct: no warning of a fallback to a checked value.
        Ok(g) => assert!(g.warnings.0.is_empty(), "{}", g.warnings),
        Err(e) => panic!("expected generation, got:\n{e}"),
    }
}
