//! Bad schema input: every problem is reported with file, JSON pointer and
//! line:column, all problems of a run together, and nothing is written.

use std::path::Path;
use std::process::Command;

use stytch_codegen::{Config, EmitError, Error, Input, SourceFile, generate};

const HEAD: &str = r#""$schema": "https://json-schema.org/draft/2020-12/schema""#;

fn file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text: text.replace("HEAD", HEAD),
    }
}

/// Generates and compares the rendered diagnostics with `expect`, one per line.
fn check(schemas: &[SourceFile], overlays: &[SourceFile], expect: &[&str]) {
    let input = Input {
        schemas: schemas.to_vec(),
        overlays: overlays.to_vec(),
        ..Input::default()
    };
    let diagnostics = match generate(&Config::default(), &input) {
        Ok(_) => panic!("expected the generator to refuse this input"),
        Err(d) => d,
    };
    let got: Vec<String> = diagnostics
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(got, expect);
}

const REQUEST: &str = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_PingRequest",
  "type": "object",
  "properties": {
    "phone": { "type": "string" }
  }
}"##;

#[test]
fn malformed_json() {
    check(
        &[file(
            "broken.json",
            "{\n  \"type\": \"object\",\n  \"properties\": {\n}\n",
        )],
        &[],
        &["broken.json:5:0: at (root): invalid JSON: eof while parsing an object"],
    );
}

#[test]
fn ref_to_nothing() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Holder",
  "type": "object",
  "properties": {
    "other": { "$ref": "#/components/schemas/api_demo_v1_Missing" }
  }
}"##;
    check(
        &[file("holder.json", text)],
        &[],
        &[
            r##"holder.json:6:16: at /properties/other/$ref: `$ref` "#/components/schemas/api_demo_v1_Missing" points to no schema"##,
        ],
    );
}

#[test]
fn cycle_of_refs() {
    let a = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_A",
  "$ref": "#/components/schemas/api_demo_v1_B"
}"##;
    let b = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_B",
  "$ref": "#/components/schemas/api_demo_v1_A"
}"##;
    check(
        &[file("a.json", a), file("b.json", b)],
        &[],
        &["a.json:1:1: at (root): cycle of `$ref`: api_demo_v1_A → api_demo_v1_B → api_demo_v1_A"],
    );
}

#[test]
fn recursive_struct_is_refused_not_overflowed() {
    let node = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Node",
  "type": "object",
  "properties": { "next": { "$ref": "#/components/schemas/api_demo_v1_Node" } }
}"##;
    check(
        &[file("node.json", node)],
        &[],
        &[
            "node.json:1:1: at (root): unsupported: recursive type api_demo_v1_Node → api_demo_v1_Node (a recursion through an array or a map is supported)",
        ],
    );
}

/// Typed lowering: a cycle through an alias and a struct field held by value
/// has no finite size, and is refused like a plain alias cycle.
#[test]
fn cycle_through_an_alias_and_a_field_is_refused() {
    let a = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_A",
  "$ref": "#/components/schemas/api_demo_v1_B"
}"##;
    let b = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_B",
  "type": "object",
  "properties": { "a": { "$ref": "#/components/schemas/api_demo_v1_A" } }
}"##;
    check(
        &[file("a.json", a), file("b.json", b)],
        &[],
        &[
            "a.json:1:1: at (root): unsupported: recursive type api_demo_v1_A → api_demo_v1_B → api_demo_v1_A (a recursion through an array or a map is supported)",
        ],
    );
}

/// A value-checked component reaches other components by no `$ref` (only
/// its own document resolves), so a cycle cannot run through one.
#[test]
fn value_component_ref_to_another_component_is_refused() {
    let a = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_A",
  "type": "object",
  "properties": { "b": { "$ref": "#/components/schemas/api_demo_v1_B" } }
}"##;
    let b = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_B",
  "anyOf": [{ "$ref": "#/components/schemas/api_demo_v1_A" }]
}"##;
    check(
        &[file("a.json", a), file("b.json", b)],
        &[],
        &[
            r##"b.json:4:15: at /anyOf/0/$ref: unsupported: `$ref` "#/components/schemas/api_demo_v1_A" to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"##,
        ],
    );
}

#[test]
fn unknown_and_unsupported_keywords() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Limits",
  "type": "object",
  "properties": {
    "count": { "type": "integer", "minimun": 1 },
    "either": { "type": "array", "$dynamicRef": "#items" }
  }
}"##;
    check(
        &[file("limits.json", text)],
        &[],
        &[
            "limits.json:6:35: at /properties/count/minimun: unknown keyword `minimun`",
            "limits.json:7:34: at /properties/either/$dynamicRef: `$ref` \"#items\": resource \"json-schema:///\" declares no `$anchor` \"items\"",
        ],
    );
}

/// A metaschema other than draft 2020-12's may give the keywords other
/// meanings (or drop the validation vocabulary): refused, typed or not.
#[test]
fn other_dialects_are_refused() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Other",
  "type": "object",
  "properties": {
    "n": { "$schema": "http://example.com/custom-metaschema", "minimum": 10 }
  }
}"##;
    check(
        &[file("other.json", text)],
        &[],
        &[
            r##"other.json:6:12: at /properties/n/$schema: unsupported `$schema` "http://example.com/custom-metaschema": neither the draft 2020-12 metaschema nor a metaschema the remote map covers, so which keywords apply is unknown"##,
        ],
    );
}

/// Only resources embedded in the document, the bundled metaschemas and what
/// the remote map covers are resolvable: a reference to anything else (here
/// an unmapped URL, and a relative URI no `$id` declares) is refused where it
/// is written, never fetched.
#[test]
fn unresolvable_refs_are_located() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Meta",
  "patternProperties": { "^s": { "$ref": "https://example.com/schema" } },
  "properties": { "other": { "$ref": "other.json#/$defs/x" } },
  "propertyNames": { "$ref": "#missing" }
}"##;
    check(
        &[file("meta.json", text)],
        &[],
        &[
            r##"meta.json:4:34: at /patternProperties/^s/$ref: unsupported `$ref` "https://example.com/schema": "https://example.com/schema" is not a schema embedded in this document, and no remote mapping (`--resolve URL=FILE`) covers it; remote schemas are never fetched"##,
            r##"meta.json:5:30: at /properties/other/$ref: unsupported `$ref` "other.json#/$defs/x": "json-schema:///other.json" is not a schema embedded in this document, and no remote mapping (`--resolve URL=FILE`) covers it; remote schemas are never fetched"##,
            r##"meta.json:6:22: at /propertyNames/$ref: `$ref` "#missing": resource "json-schema:///" declares no `$anchor` "missing""##,
        ],
    );
}

/// A `$ref` cycle that never descends into the instance would check the same
/// value forever (a stack overflow at run time): refused at the `$ref` that
/// closes it.
#[test]
fn ref_to_the_root_in_place_is_refused() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Loop",
  "$ref": "#"
}"##;
    check(
        &[file("loop.json", text)],
        &[],
        &[
            r##"loop.json:4:3: at /$ref: unsupported: `$ref` "#" loops back to the same value without descending into it; the check would never end"##,
        ],
    );
}

#[test]
fn ref_cycle_through_all_of_is_refused() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Loop",
  "$defs": {
    "a": { "$ref": "#/$defs/b" },
    "b": { "allOf": [{ "$ref": "#/$defs/a" }] }
  },
  "$ref": "#/$defs/a"
}"##;
    check(
        &[file("loop.json", text)],
        &[],
        &[
            r##"loop.json:6:24: at /$defs/b/allOf/0/$ref: unsupported: `$ref` "#/$defs/a" loops back to the same value without descending into it (/$defs/a → /$defs/b → /$defs/a); the check would never end"##,
        ],
    );
}

/// Every applicator that keeps the instance where it is closes a cycle:
/// `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, and `$ref` beside keywords.
#[test]
fn ref_cycles_through_each_in_place_applicator_are_refused() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Loops",
  "$defs": {
    "any": { "anyOf": [{ "type": "string" }, { "$ref": "#/$defs/any" }] },
    "one": { "oneOf": [{ "$ref": "#/$defs/one" }] },
    "not": { "not": { "not": { "$ref": "#/$defs/not" } } },
    "if": { "if": { "$ref": "#/$defs/if" } },
    "then": { "if": true, "then": { "$ref": "#/$defs/then" } },
    "else": { "if": false, "else": { "$ref": "#/$defs/else" } },
    "beside": { "type": "object", "$ref": "#/$defs/beside" }
  },
  "allOf": [
    { "$ref": "#/$defs/any" }, { "$ref": "#/$defs/one" }, { "$ref": "#/$defs/not" },
    { "$ref": "#/$defs/if" }, { "$ref": "#/$defs/then" }, { "$ref": "#/$defs/else" },
    { "$ref": "#/$defs/beside" }
  ]
}"##;
    let never_ends =
        "loops back to the same value without descending into it; the check would never end";
    let at = |line_col: &str, pointer: &str, target: &str| {
        format!(
            "loops.json:{line_col}: at {pointer}: unsupported: `$ref` \"#/$defs/{target}\" {never_ends}"
        )
    };
    let expect = [
        at("5:48", "/$defs/any/anyOf/1/$ref", "any"),
        at("6:26", "/$defs/one/oneOf/0/$ref", "one"),
        at("7:32", "/$defs/not/not/not/$ref", "not"),
        at("8:21", "/$defs/if/if/$ref", "if"),
        at("9:37", "/$defs/then/then/$ref", "then"),
        at("10:38", "/$defs/else/else/$ref", "else"),
        at("11:35", "/$defs/beside/$ref", "beside"),
    ];
    check(
        &[file("loops.json", text)],
        &[],
        &expect.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

/// A cycle through a keyword that descends into the instance ends with the
/// instance, so it is accepted: a tree through `properties`, `items` and
/// `additionalProperties`, reached in place through `allOf` and `$ref`.
#[test]
fn ref_cycles_that_descend_are_accepted() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Tree",
  "$defs": {
    "node": { "allOf": [{ "$ref": "#/$defs/children" }], "required": ["value"] },
    "children": {
      "properties": {
        "value": { "type": "integer" },
        "children": { "type": "array", "items": { "$ref": "#/$defs/node" } },
        "named": { "additionalProperties": { "$ref": "#" } }
      }
    }
  },
  "$ref": "#/$defs/node"
}"##;
    let input = Input {
        schemas: vec![file("tree.json", text)],
        ..Input::default()
    };
    if let Err(d) = generate(&Config::default(), &input) {
        panic!("a recursion through `properties` must be accepted: {d:?}");
    }
}

/// An embedded `$id` may not carry a fragment, `$anchor` names follow their
/// grammar, and one URI names one resource.
#[test]
fn malformed_identifiers_are_located() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Ids",
  "anyOf": [
    { "$id": "a.json#part" },
    { "$id": "b.json", "$anchor": "9lives" },
    { "$id": "b.json" }
  ]
}"##;
    check(
        &[file("ids.json", text)],
        &[],
        &[
            r#"ids.json:5:7: at /anyOf/0/$id: `$id` "a.json#part" has a fragment; name a subschema with `$anchor` instead"#,
            r#"ids.json:6:24: at /anyOf/1/$anchor: `$anchor` must be a string of the form [A-Za-z_][-A-Za-z0-9._]*, found "9lives""#,
            r#"ids.json:7:7: at /anyOf/2/$id: `$id` "json-schema:///b.json" is also declared at /anyOf/1"#,
        ],
    );
}

#[test]
fn invalid_regex() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Pattern",
  "type": "object",
  "properties": {
    "code": { "type": "string", "pattern": "^[0-9" }
  }
}"##;
    check(
        &[file("pattern.json", text)],
        &[],
        &[
            r#"pattern.json:6:33: at /properties/code/pattern: invalid ECMA-262 regular expression "^[0-9": unbalanced bracket"#,
        ],
    );
}

#[test]
fn overlay_that_targets_nothing() {
    let overlay = r#"{
  "overlay": "1.0.0",
  "info": { "title": "t", "version": "1" },
  "actions": [
    {
      "target": "$.components.schemas.api_demo_v1_PingRequest.properties.phone_number",
      "update": { "pattern": "^\\+[1-9][0-9]{1,14}$" }
    }
  ]
}"#;
    check(
        &[file("ping.json", REQUEST)],
        &[file("overlays/prose.json", overlay)],
        &[
            r#"overlays/prose.json:6:7: at /actions/0/target: target "$.components.schemas.api_demo_v1_PingRequest.properties.phone_number" matches nothing"#,
        ],
    );
}

#[test]
fn openapi_yaml_errors_point_into_the_yaml() {
    let document = r##"openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    api_demo_v1_PingRequest:
      type: object
      properties:
        phone:
          type: string
          maxLenght: 15
        other:
          $ref: '#/components/schemas/api_demo_v1_Gone'
"##;
    let input = Input {
        openapi: vec![file("api.yaml", document)],
        ..Input::default()
    };
    let errors = generate(&Config::default(), &input).expect_err("two problems");
    let got: Vec<String> = errors
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            "api.yaml:11:11: at /components/schemas/api_demo_v1_PingRequest/properties/phone/maxLenght: unknown keyword `maxLenght`",
            r##"api.yaml:13:11: at /components/schemas/api_demo_v1_PingRequest/properties/other/$ref: `$ref` "#/components/schemas/api_demo_v1_Gone" points to no schema"##,
        ]
    );
}

/// Deep nesting is refused before any recursion over it, so it cannot
/// overflow the stack, and the error points at the first node too deep.
#[test]
fn nesting_beyond_the_limit_is_refused() {
    let mut inner = String::from(r#"{ "type": "string" }"#);
    for _ in 0..70 {
        inner = format!(r#"{{ "type": "array", "items": {inner} }}"#);
    }
    let text = format!(
        r##"{{ "$id": "#/components/schemas/api_demo_v1_Deep", "type": "object", "properties": {{ "x": {inner} }} }}"##
    );
    let input = Input {
        schemas: vec![file("deep.json", &text)],
        ..Input::default()
    };
    let Err(errors) = generate(&Config::default(), &input) else {
        panic!("70 nested arrays were accepted");
    };
    assert_eq!(errors.diagnostics().len(), 1);
    let d = &errors.diagnostics()[0];
    assert_eq!(d.message, "unsupported: nesting deeper than 64 levels");
    assert!(
        d.pointer.starts_with("/properties/x/items/items/"),
        "{}",
        d.pointer
    );
    assert_eq!(d.line, 1);
}

#[test]
fn every_problem_of_a_run_is_reported_together() {
    let bad_ref = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Holder",
  "type": "object",
  "properties": { "x": { "$ref": "#/components/schemas/api_demo_v1_Gone" } }
}"##;
    let input = Input {
        schemas: vec![
            file("a.json", "{"),
            file("holder.json", bad_ref),
            file("ping.json", REQUEST),
        ],
        ..Input::default()
    };
    let errors = generate(&Config::default(), &input).expect_err("two files are bad");
    let files: Vec<&str> = errors
        .diagnostics()
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(files, ["a.json", "holder.json"]);
}

/// The CLI prints the located error with an excerpt, exits non-zero and
/// leaves the output directory exactly as it was.
#[test]
fn cli_refuses_bad_schema_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schemas = dir.path().join("schemas");
    let out = dir.path().join("generated");
    std::fs::create_dir_all(&schemas).expect("mkdir");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(schemas.join("ping.json"), REQUEST.replace("HEAD", HEAD)).expect("write");
    std::fs::write(
        schemas.join("bad.json"),
        r##"{ "$id": "#/components/schemas/api_demo_v1_Bad", "type": "object", "properties": { "n": { "type": "integer", "maximum": "ten" } } }"##,
    )
    .expect("write");
    std::fs::write(out.join("lib.rs"), "// previous output\n").expect("write");

    let output = run(&["generate", "--schemas", path(&schemas), "--out", path(&out)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("bad.json:1:110: at /properties/n/maximum: `maximum` must be a number"),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("nothing was written"), "stderr: {stderr}");
    let left: Vec<_> = std::fs::read_dir(&out)
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["lib.rs"]);
    assert_eq!(
        std::fs::read_to_string(out.join("lib.rs")).expect("read"),
        "// previous output\n"
    );
}

/// `check` never writes; on a stale directory it prints a diff and the command.
#[test]
fn cli_check_reports_stale_output_and_the_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schemas = dir.path().join("schemas");
    let out = dir.path().join("generated");
    std::fs::create_dir_all(&schemas).expect("mkdir");
    std::fs::write(schemas.join("ping.json"), REQUEST.replace("HEAD", HEAD)).expect("write");

    let generated = run(&["generate", "--schemas", path(&schemas), "--out", path(&out)]);
    assert!(generated.status.success());
    let up_to_date = run(&["check", "--schemas", path(&schemas), "--out", path(&out)]);
    assert!(up_to_date.status.success());

    let demo = out.join("demo.rs");
    let before = std::fs::read_to_string(&demo).expect("read");
    std::fs::write(
        &demo,
        before.replace("pub struct PingRequest", "pub struct Renamed"),
    )
    .expect("write");
    let stale = run(&["check", "--schemas", path(&schemas), "--out", path(&out)]);
    let stdout = String::from_utf8_lossy(&stale.stdout);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stdout.contains("-pub struct Renamed") && stdout.contains("+pub struct PingRequest"),
        "diff: {stdout}"
    );
    let command = format!(
        "run `stytch-codegen generate --schemas {} --out {}`",
        path(&schemas),
        path(&out)
    );
    assert!(stderr.contains(&command), "stderr: {stderr}");
    assert!(
        std::fs::read_to_string(&demo)
            .expect("read")
            .contains("pub struct Renamed"),
        "check must not write"
    );
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stytch-codegen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the CLI runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Asserted (the default), a format the runtime cannot check is refused,
/// located; as an annotation (`Config::format_assertion(false)`) it asserts
/// nothing, so the same schema generates, typed fields included.
#[test]
fn unchecked_formats_are_refused_only_when_asserted() {
    let text = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Span",
  "type": "object",
  "properties": {
    "length": { "type": "string", "format": "duration" }
  }
}"##;
    check(
        &[file("span.json", text)],
        &[],
        &[
            r##"span.json:6:35: at /properties/length/format: unsupported format "duration": the generator cannot check it yet (formats asserted: email, uri, date-time, date, uuid, ipv4, ipv6, hostname)"##,
        ],
    );
    let input = Input {
        schemas: vec![file("span.json", text)],
        ..Input::default()
    };
    let generated = generate(&Config::default().format_assertion(false), &input)
        .unwrap_or_else(|d| panic!("format as an annotation must generate: {d}"));
    let code: String = generated.iter().map(|f| f.contents.as_str()).collect();
    // Typed: the annotation no longer sends the struct to the JSON-value path.
    assert!(code.contains("pub struct Span"), "{code}");
    assert!(!code.contains("format duration"), "{code}");
}

/// A body or response whose `content` lists no media type at all is
/// refused, located; the operation was dropped silently before.
#[test]
fn empty_content_is_refused_not_dropped() {
    let document = r##"openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /v1/ping:
    post:
      operationId: ping
      requestBody:
        content: {}
      responses:
        "200":
          content:
            application/json:
              schema: { $ref: '#/components/schemas/api_demo_v1_Pong' }
components:
  schemas:
    api_demo_v1_Pong:
      type: object
      properties:
        n: { type: integer }
"##;
    let input = Input {
        openapi: vec![file("api.yaml", document)],
        ..Input::default()
    };
    let errors = generate(&Config::default(), &input).expect_err("refused");
    let got: Vec<String> = errors
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            "api.yaml:8:9: at /paths/~1v1~1ping/post/requestBody/content: a request body has no application/json content"
        ]
    );
}

/// A failure of emitting is no problem of the input: the library returns it
/// as `Error::Emit`, and the CLI prints it as one line, with no location and
/// nothing written.
#[test]
fn emit_failure_is_typed_and_printed_plainly() {
    let input = Input {
        schemas: vec![file("ping.json", REQUEST)],
        ..Input::default()
    };
    let config = Config::new().crate_name("1-starts-with-a-digit");
    match stytch_codegen::generate_with_warnings(&config, &input) {
        Err(Error::Emit(EmitError::Crate(message))) => {
            assert!(message.starts_with("invalid crate name"), "{message}");
        }
        Err(other) => panic!("expected an emit error, got {other}"),
        Ok(_) => panic!("expected the crate name to be refused"),
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let schemas = dir.path().join("schemas");
    let out = dir.path().join("generated");
    std::fs::create_dir_all(&schemas).expect("mkdir");
    std::fs::write(schemas.join("ping.json"), REQUEST.replace("HEAD", HEAD)).expect("write");
    let refused = run(&[
        "generate",
        "--schemas",
        path(&schemas),
        "--out",
        path(&out),
        "--crate",
        "1-starts-with-a-digit",
    ]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: stytch-codegen could not emit the code: invalid crate name \
         \"1-starts-with-a-digit\": use letters, digits, `-` and `_`, starting with a letter; \
         nothing was written"
    );
    assert!(!out.exists(), "nothing is written");
}
