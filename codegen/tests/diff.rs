//! `diff`: one test per rule on small documents, each through `check(old,
//! new, expect)`: the exact changes, as `severity wire api: message`; then
//! the CLI's formats and exit codes, and `update`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use stytch_codegen::diff::{Report, diff_documents, render};

/// A document with these schemas and one operation per `(method, path,
/// body, response)`.
fn doc(schemas: Value, ops: &[(&str, &str, Option<&str>, &str)]) -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, body, response) in ops {
        let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let mut op = json!({
            "operationId": format!("api_x_v1_{}", path.rsplit('/').next().unwrap_or_default()),
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": reference(response)}}}},
        });
        if let Some(body) = body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": reference(body)}}});
        }
        let item = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        item[method] = op;
    }
    json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": schemas}})
}

fn lines(report: &Report) -> Vec<String> {
    report
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}: {}",
                c.severity().as_str(),
                c.wire.as_str(),
                c.api.as_str(),
                c.location(),
                c.message
            )
        })
        .collect()
}

#[track_caller]
fn check(old: &Value, new: &Value, expect: &[&str]) {
    let got = lines(&diff_documents(old, new));
    assert_eq!(got, expect, "\ngot:\n{}", got.join("\n"));
}

/// One request and one response type, used by `POST /v1/things/create`.
fn api(request: Value, response: Value) -> Value {
    doc(
        json!({"api_x_v1_CreateRequest": request, "api_x_v1_CreateResponse": response}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    )
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[test]
fn the_same_document_has_no_changes() {
    let a = api(
        object(json!({"a": {"type": "string"}}), &[]),
        object(json!({}), &[]),
    );
    check(&a, &a, &[]);
}

#[test]
fn an_operation_removed_breaks_both_and_one_added_is_additive() {
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let one = doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]);
    let other = doc(s, &[("get", "/v1/b/get", None, "api_x_v1_R")]);
    check(
        &one,
        &other,
        &[
            "breaking breaking breaking GET /v1/a/get: operation removed",
            "additive additive additive GET /v1/b/get: operation added",
        ],
    );
}

#[test]
fn a_request_field_removed_breaks_the_wire_an_optional_response_one_only_the_api() {
    let old = api(
        object(
            json!({"a": {"type": "string"}, "b": {"type": "string"}}),
            &[],
        ),
        object(json!({"c": {"type": "string"}}), &[]),
    );
    let new = api(
        object(json!({"a": {"type": "string"}}), &[]),
        object(json!({}), &[]),
    );
    check(
        &old,
        &new,
        &[
            "breaking breaking breaking x::CreateRequest: `b`: field removed",
            "breaking none breaking x::CreateResponse: `c`: field removed",
        ],
    );
}

#[test]
fn a_required_response_field_removed_breaks_the_wire() {
    let old = api(
        object(json!({}), &[]),
        object(json!({"c": {"type": "string"}}), &["c"]),
    );
    let new = api(object(json!({}), &[]), object(json!({}), &[]));
    check(
        &old,
        &new,
        &["breaking breaking breaking x::CreateResponse: `c`: field removed"],
    );
}

#[test]
fn a_retyped_field_breaks_both() {
    let old = api(
        object(json!({}), &[]),
        object(json!({"n": {"type": "string"}}), &[]),
    );
    let new = api(
        object(json!({}), &[]),
        object(json!({"n": {"type": "integer"}}), &[]),
    );
    check(
        &old,
        &new,
        &["breaking breaking breaking x::CreateResponse: `n`: type changed from string to integer"],
    );
}

#[test]
fn a_field_newly_required_in_a_request_breaks_both_in_a_response_only_the_api() {
    let old = api(
        object(json!({"a": {"type": "string"}}), &[]),
        object(json!({"b": {"type": "string"}}), &[]),
    );
    let new = api(
        object(json!({"a": {"type": "string"}}), &["a"]),
        object(json!({"b": {"type": "string"}}), &["b"]),
    );
    check(
        &old,
        &new,
        &[
            "breaking breaking breaking x::CreateRequest: `a`: now required",
            "breaking none breaking x::CreateResponse: `b`: now required",
        ],
    );
}

#[test]
fn fields_added_required_to_a_request_break_optional_ones_are_additive() {
    let old = api(object(json!({}), &[]), object(json!({}), &[]));
    let new = api(
        object(
            json!({"a": {"type": "string"}, "b": {"type": "string"}}),
            &["a"],
        ),
        object(json!({"c": {"type": "string"}}), &[]),
    );
    check(
        &old,
        &new,
        &[
            "breaking breaking breaking x::CreateRequest: `a`: required field added",
            "additive additive additive x::CreateRequest: `b`: optional field added",
            "additive additive additive x::CreateResponse: `c`: optional field added",
        ],
    );
}

#[test]
fn a_narrowed_enum_breaks_requests_on_the_wire_and_every_match() {
    let e = |values: &[&str]| json!({"type": "string", "enum": values});
    let old = api(
        object(json!({"k": e(&["a", "b"])}), &[]),
        object(json!({"k": e(&["a", "b"])}), &[]),
    );
    let new = api(
        object(json!({"k": e(&["a"])}), &[]),
        object(json!({"k": e(&["a"])}), &[]),
    );
    check(
        &old,
        &new,
        &[
            "breaking breaking breaking x::CreateRequest: `k`: enum value \"b\" removed (its variant too)",
            // Old types still read every value the new version sends.
            "breaking additive breaking x::CreateResponse: `k`: enum value \"b\" removed (its variant too)",
        ],
    );
}

#[test]
fn a_value_added_to_a_closed_enum_now_in_a_response_breaks_the_wire() {
    let e = |values: &[&str]| json!({"type": "string", "enum": values});
    let old = doc(
        json!({"api_x_v1_Kind": e(&["a"]), "api_x_v1_CreateRequest": object(json!({"k": {"$ref": "#/components/schemas/api_x_v1_Kind"}}), &[]), "api_x_v1_CreateResponse": object(json!({}), &[])}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    );
    let new = doc(
        json!({"api_x_v1_Kind": e(&["a", "b"]), "api_x_v1_CreateRequest": object(json!({"k": {"$ref": "#/components/schemas/api_x_v1_Kind"}}), &[]), "api_x_v1_CreateResponse": object(json!({"k": {"$ref": "#/components/schemas/api_x_v1_Kind"}}), &[])}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    );
    check(
        &old,
        &new,
        &[
            "additive additive additive x::CreateResponse: `k`: optional field added",
            "breaking breaking breaking x::Kind: enum value \"b\" added (a new variant)",
        ],
    );
}

#[test]
fn a_tighter_bound_breaks_requests_a_looser_one_responses() {
    let s = |max: u64| json!({"type": "string", "maxLength": max});
    let old = api(
        object(json!({"a": s(10)}), &[]),
        object(json!({"b": s(10)}), &[]),
    );
    let new = api(
        object(json!({"a": s(5)}), &[]),
        object(json!({"b": s(20)}), &[]),
    );
    check(
        &old,
        &new,
        &[
            "breaking breaking none x::CreateRequest: `a`: `maxLength` changed from 10 to 5",
            "breaking breaking none x::CreateResponse: `b`: `maxLength` changed from 10 to 20",
        ],
    );
    check(
        &new,
        &old,
        &[
            "additive additive none x::CreateRequest: `a`: `maxLength` changed from 5 to 10",
            "additive additive none x::CreateResponse: `b`: `maxLength` changed from 20 to 10",
        ],
    );
}

#[test]
fn a_schema_renamed_with_its_referrers_repointed_is_a_rename() {
    let user = object(json!({"id": {"type": "string"}}), &["id"]);
    let holder = |name: &str| {
        object(
            json!({"user": {"$ref": format!("#/components/schemas/{name}")}}),
            &[],
        )
    };
    let old = doc(
        json!({"api_x_v1_User": user, "api_x_v1_CreateResponse": holder("api_x_v1_User"), "api_x_v1_CreateRequest": object(json!({}), &[])}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    );
    let new = doc(
        json!({"api_x_v1_users_User": user, "api_x_v1_CreateResponse": holder("api_x_v1_users_User"), "api_x_v1_CreateRequest": object(json!({}), &[])}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    );
    check(
        &old,
        &new,
        &[
            "breaking none breaking x::users::User: type `x::User` renamed to `x::users::User` (schema `api_x_v1_User` → `api_x_v1_users_User`)",
        ],
    );
}

#[test]
fn documentation_only_is_docs() {
    let old = api(
        object(json!({"a": {"type": "string", "description": "old"}}), &[]),
        object(json!({}), &[]),
    );
    let new = api(
        object(
            json!({"a": {"type": "string", "description": "new", "example": "x"}}),
            &[],
        ),
        object(json!({}), &[]),
    );
    check(
        &old,
        &new,
        &["docs none none x::CreateRequest: `a`: description, example changed"],
    );
}

#[test]
fn parameters_required_break_optional_are_additive() {
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let old = doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]);
    let mut new = doc(s, &[("get", "/v1/a/get", None, "api_x_v1_R")]);
    new["paths"]["/v1/a/get"]["get"]["parameters"] = json!([
        {"name": "X-Session", "in": "header", "required": false, "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer"}},
    ]);
    check(
        &old,
        &new,
        &[
            "breaking breaking breaking GET /v1/a/get: required query parameter `limit` added",
            "additive additive additive GET /v1/a/get: optional header parameter `X-Session` added",
        ],
    );
}

#[test]
fn a_new_operation_id_renames_the_client_method_a_renamed_path_parameter_is_docs() {
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let old = doc(s.clone(), &[("get", "/v1/users/{id}", None, "api_x_v1_R")]);
    let mut new = doc(s, &[("get", "/v1/users/{user_id}", None, "api_x_v1_R")]);
    new["paths"]["/v1/users/{user_id}"]["get"]["operationId"] = json!("api_user_v1_Get");
    check(
        &old,
        &new,
        &[
            "breaking none breaking GET /v1/users/{user_id}: client method `users.id` renamed to `users.get`",
            "docs none none GET /v1/users/{user_id}: operationId changed",
            "docs none none GET /v1/users/{user_id}: path parameters renamed (was `GET /v1/users/{id}`)",
        ],
    );
}

#[test]
fn acknowledged_breaking_changes_no_longer_fail() {
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let one = doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]);
    let other = doc(s, &[]);
    let mut report = diff_documents(&one, &other);
    assert!(report.fails(stytch_codegen::diff::Severity::Breaking));
    let unused = report.acknowledge("# upstream dropped it\nGET /v1/a/get\nPOST /v1/gone\n");
    assert_eq!(unused, ["POST /v1/gone"]);
    assert!(!report.fails(stytch_codegen::diff::Severity::Breaking));
    assert!(render::markdown(&report).contains("operation removed (acknowledged)"));
}

#[test]
fn a_long_markdown_report_keeps_within_its_limit_breaking_first() {
    // 40 operations removed (breaking), each schema's description changed
    // (docs), one operation added (additive).
    let described = |text: &str| {
        let mut schemas = serde_json::Map::new();
        for i in 0..40 {
            schemas.insert(
                format!("api_x_v1_R{i}"),
                json!({"type": "object", "description": format!("{}{text} {i}", "long words ".repeat(20))}),
            );
        }
        Value::Object(schemas)
    };
    let paths: Vec<String> = (0..40).map(|i| format!("/v1/things{i}/get")).collect();
    let ops: Vec<(&str, &str, Option<&str>, &str)> = paths
        .iter()
        .map(|p| ("get", p.as_str(), None, "api_x_v1_R0"))
        .collect();
    let old = doc(described("Old <b>text</b>"), &ops);
    let new = doc(
        described("New text"),
        &[("get", "/v1/other/get", None, "api_x_v1_R0")],
    );
    let report = diff_documents(&old, &new);
    assert_eq!(report.count(stytch_codegen::diff::Severity::Breaking), 40);
    let whole = render::markdown(&report);
    assert!(whole.len() > 4_000, "{}", whole.len());
    let comment = render::markdown_within(&report, 4_000, "`full.md`");
    assert!(comment.len() <= 4_000, "{}", comment.len());
    assert!(comment.starts_with("**API changes**: 40 breaking, 1 additive, 40 docs\n"));
    // Every breaking row names its location, the first and the last.
    for path in ["GET /v1/things0/get", "GET /v1/things39/get"] {
        assert!(
            comment.contains(&format!(
                "| `{path}` | breaking | breaking | operation removed |"
            )),
            "{comment}"
        );
    }
    // What does not fit is counted, by severity, and the full report named.
    let left = comment.lines().last().expect("a last line");
    assert!(
        left.starts_with("_")
            && left.contains("entries are left out here (")
            && left.ends_with("the full report: `full.md`._"),
        "{left}"
    );
    let shown_docs = comment.lines().filter(|l| l.starts_with("- `")).count();
    assert!(
        left.contains(&format!("{} docs", 40 - shown_docs)),
        "{left}"
    );
    // Folded sections are closed even when cut.
    assert_eq!(
        comment.matches("<details>").count(),
        comment.matches("</details>").count()
    );
    // Docs entries show the old and new prose, shortened from where they
    // differ, with markup neutralised.
    assert!(
        whole.contains("- `x::R1`: description changed (\"…rds long words Old &lt;b&gt;text&lt;/b&gt; 1\" → \"…rds long words New text 1\")"),
        "{whole}"
    );
}

#[test]
fn json_has_the_contracted_shape() {
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let one = doc(s.clone(), &[("post", "/v1/email/risk", None, "api_x_v1_R")]);
    let other = doc(s, &[]);
    let out: Value =
        serde_json::from_str(&render::json(&diff_documents(&one, &other))).expect("json");
    assert_eq!(
        out["summary"],
        json!({"breaking": 1, "additive": 0, "docs": 0})
    );
    assert_eq!(out["changes"][0]["severity"], "breaking");
    assert_eq!(out["changes"][0]["location"], "POST /v1/email/risk");
    assert_eq!(out["changes"][0]["message"], "operation removed");
    let github = render::github(&diff_documents(&one, &other));
    assert!(
        github.starts_with(
            "::error title=breaking API change::POST /v1/email/risk: operation removed\n"
        ),
        "{github}"
    );
}

// The CLI: files in a temporary directory.

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("json")).expect("write");
    path.display().to_string()
}

fn run(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stytch-codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the CLI runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn the_cli_exits_1_on_fail_on_and_2_on_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let old = write(
        dir.path(),
        "old.json",
        &doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]),
    );
    let new = write(
        dir.path(),
        "new.json",
        &doc(
            s.clone(),
            &[
                ("get", "/v1/a/get", None, "api_x_v1_R"),
                ("get", "/v1/b/get", None, "api_x_v1_R"),
            ],
        ),
    );
    let cwd = dir.path();
    assert_eq!(
        run(&["diff", &old, &new, "--fail-on", "breaking"], cwd).0,
        0
    );
    assert_eq!(
        run(&["diff", &old, &new, "--fail-on", "additive"], cwd).0,
        1
    );
    let (code, stdout, _) = run(
        &[
            "diff",
            &new,
            &old,
            "--fail-on",
            "breaking",
            "--format",
            "json",
        ],
        cwd,
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("\"breaking\": 1"), "{stdout}");
    let (code, _, stderr) = run(&["diff", &old, &old], cwd);
    assert_eq!(code, 2);
    assert!(stderr.contains("given as both OLD and NEW"), "{stderr}");
    let (code, _, stderr) = run(&["diff", &old, "missing.yml"], cwd);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.yml"), "{stderr}");
    let not_openapi = write(dir.path(), "not.json", &json!({"hello": "world"}));
    let (code, _, stderr) = run(&["diff", &old, &not_openapi], cwd);
    assert_eq!(code, 2);
    assert!(stderr.contains("not an OpenAPI"), "{stderr}");
    let (code, _, stderr) = run(&["diff", "--base", "HEAD"], cwd);
    assert_eq!(code, 2);
    assert!(stderr.contains("git"), "{stderr}");
}

/// `update` in a copy of the repository layout: a stale overlay leaves
/// every file as it was; a good document is copied byte for byte and
/// generated from.
#[test]
fn update_is_all_or_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("schemas/overlays")).expect("mkdir");
    let old_doc = doc(
        json!({"api_x_v1_CreateRequest": object(json!({"a": {"type": "string"}}), &[]), "api_x_v1_CreateResponse": object(json!({}), &[])}),
        &[(
            "post",
            "/v1/things/create",
            Some("api_x_v1_CreateRequest"),
            "api_x_v1_CreateResponse",
        )],
    );
    let old_text = serde_json::to_string_pretty(&old_doc).expect("json");
    std::fs::write(root.join("schemas/openapi.yml"), &old_text).expect("write");
    let overlay = json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
        {"target": "$.components.schemas.api_x_v1_CreateRequest.properties.a", "update": {"maxLength": 5}}]});
    write(&root.join("schemas/overlays"), "fix.json", &overlay);

    // The new version renames the field the overlay targets.
    let stale = api(
        object(json!({"b": {"type": "string"}}), &[]),
        object(json!({}), &[]),
    );
    let stale = write(root, "stale.yml", &stale);
    let (code, _, stderr) = run(&["update", "--openapi", &stale], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("fix.json") && stderr.contains("matches nothing"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(root.join("schemas/openapi.yml")).expect("read"),
        old_text
    );
    assert!(!root.join("generated").exists());

    let good = api(
        object(
            json!({"a": {"type": "string"}, "c": {"type": "string"}}),
            &[],
        ),
        object(json!({}), &[]),
    );
    let good_text = format!(
        "{}\n# upstream's bytes, comments included\n",
        serde_json::to_string(&good).expect("json")
    );
    std::fs::write(root.join("good.yml"), &good_text).expect("write");
    let (code, stdout, stderr) = run(&["update", "--openapi", "good.yml"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("`c`: optional field added"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(root.join("schemas/openapi.yml")).expect("read"),
        good_text
    );
    assert!(root.join("generated/x.rs").exists() || root.join("generated/lib.rs").exists());
    assert!(root.join("client/src/generated").exists());
    assert!(root.join("mock/src/generated").exists());
}

#[test]
fn the_cli_writes_the_full_report_beside_the_comment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let old = write(
        dir.path(),
        "old.json",
        &doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]),
    );
    let new = write(dir.path(), "new.json", &doc(s, &[]));
    let (code, stdout, stderr) = run(
        &["diff", &old, &new, "--full-report", "full.md"],
        dir.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    let full = std::fs::read_to_string(dir.path().join("full.md")).expect("written");
    assert!(full.contains("| `GET /v1/a/get` | breaking | breaking | operation removed |"));
    // Nothing to leave out: the comment is the whole report.
    assert_eq!(stdout, full);
}

/// `update` and `generate` share one configuration: updating to the
/// document already vendored rewrites nothing (it once dropped every
/// feature gate), and `check` passes after it.
#[test]
fn update_to_the_same_document_changes_nothing_and_check_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("schemas")).expect("mkdir");
    let document = api(
        object(json!({"a": {"type": "string"}}), &["a"]),
        object(json!({}), &[]),
    );
    write(&root.join("schemas"), "openapi.yml", &document);
    write(root, "same.yml", &document);
    let (code, _, stderr) = run(&["generate"], root);
    assert_eq!(code, 0, "{stderr}");
    let before = tree(root);
    assert!(
        before
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("#[cfg(")),
        "this layout gets feature gates"
    );
    let (code, stdout, stderr) = run(&["update", "--openapi", "same.yml", "--verbose"], root);
    assert_eq!(code, 0, "{stderr}");
    // Standard output is the report alone, ready to be a PR body.
    assert_eq!(stdout, "**API changes**: 0 breaking, 0 additive, 0 docs\n");
    assert_eq!(
        stderr,
        "updated schemas/openapi.yml and 0 generated files\n"
    );
    let after = tree(root);
    let changed: Vec<&String> = after
        .keys()
        .chain(before.keys())
        .filter(|path| after.get(*path) != before.get(*path))
        .collect();
    assert!(changed.is_empty(), "rewritten: {changed:?}");
    let (code, _, stderr) = run(&["check"], root);
    assert_eq!(code, 0, "{stderr}");
}

/// A copy of the repository layout in a temporary directory, generated
/// from `create(a)`; returns the directory and the next version's bytes,
/// which add the optional field `c`.
fn updated_layout() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("schemas")).expect("mkdir");
    let field = |names: &[&str]| {
        let properties: serde_json::Map<String, Value> = names
            .iter()
            .map(|n| ((*n).to_owned(), json!({"type": "string"})))
            .collect();
        let v = api(
            object(Value::Object(properties), &[]),
            object(json!({}), &[]),
        );
        serde_json::to_string_pretty(&v).expect("json")
    };
    std::fs::write(root.join("schemas/openapi.yml"), field(&["a"])).expect("write");
    std::fs::write(root.join("v1.yml"), field(&["a"])).expect("write");
    let (code, _, stderr) = run(&["generate"], root);
    assert_eq!(code, 0, "{stderr}");
    (dir, field(&["a", "c"]))
}

/// Every file below `root`, with its bytes, but for the new versions given
/// to `update` at the top.
fn tree(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.parent() != Some(root) {
                let name = path
                    .strip_prefix(root)
                    .expect("below")
                    .display()
                    .to_string();
                files.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

/// Issue 24 (6): a hand-edited file in the last output directory is found
/// before anything is written, by `update` and by `generate` alike: the
/// other directories and the document stay as they were.
#[test]
fn every_output_is_checked_before_any_is_written() {
    let (dir, v2) = updated_layout();
    let root = dir.path();
    let edited = root.join("mock/src/generated/schemas.rs");
    let text = std::fs::read_to_string(&edited).expect("the mock's schemas are generated");
    let (_, rest) = text.split_once('\n').expect("more than one line");
    std::fs::write(&edited, format!("// edited by hand\n{rest}")).expect("write");
    std::fs::write(root.join("v2.yml"), &v2).expect("write");
    let before = tree(root);

    let (code, _, stderr) = run(&["update", "--openapi", "v2.yml"], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("schemas.rs") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert!(tree(root) == before, "update wrote something: {stderr}");

    std::fs::write(root.join("schemas/openapi.yml"), &v2).expect("write");
    let before = tree(root);
    let (code, _, stderr) = run(&["generate"], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("schemas.rs") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert!(tree(root) == before, "generate wrote something: {stderr}");
}

/// Issue 24 (6): a file that cannot be staged (a directory in the way of
/// its temporary file, in the last output directory) fails the update
/// before any file is replaced, the document included.
#[test]
fn a_failure_while_staging_writes_nothing() {
    let (dir, v2) = updated_layout();
    let root = dir.path();
    let blocked = stytch_codegen::fs::temporary(&root.join("mock/src/generated/schemas.rs"));
    std::fs::create_dir(&blocked).expect("mkdir");
    std::fs::write(root.join("v2.yml"), &v2).expect("write");
    let before = tree(root);
    let (code, _, stderr) = run(&["update", "--openapi", "v2.yml"], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(tree(root) == before, "update wrote something: {stderr}");
}

/// Issue 24 (7): temporary files a run killed while staging left (empty
/// here) are ours by their name; the next `update` replaces them.
#[test]
fn stale_temporary_files_are_replaced_not_an_error() {
    let (dir, v2) = updated_layout();
    let root = dir.path();
    let mut stale = vec![root.join("schemas/openapi.yml")];
    for out in ["generated", "client/src/generated", "mock/src/generated"] {
        for entry in std::fs::read_dir(root.join(out)).expect("read dir") {
            stale.push(entry.expect("entry").path());
        }
    }
    for path in &stale {
        std::fs::write(stytch_codegen::fs::temporary(path), "").expect("write");
    }
    std::fs::write(root.join("v2.yml"), &v2).expect("write");
    let (code, stdout, stderr) = run(&["update", "--openapi", "v2.yml"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("`c`: optional field added"), "{stdout}");
    let left: Vec<String> = tree(root)
        .into_keys()
        .filter(|name| name.ends_with(".stytch-codegen.tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let (code, _, stderr) = run(&["check"], root);
    assert_eq!(code, 0, "{stderr}");
    // Also where nothing is to be replaced.
    let leftover = stytch_codegen::fs::temporary(&root.join("mock/src/generated/schemas.rs"));
    std::fs::write(&leftover, "").expect("write");
    let (code, stdout, stderr) = run(&["generate"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("wrote"), "{stdout}");
    assert!(!leftover.exists());
}

/// Issue 24 (7): a run killed after staging and journaling, with some of
/// its renames done, is finished by the next run (here `generate`, which
/// never writes the document itself); `check` meanwhile names the journal.
#[test]
fn a_run_killed_after_staging_is_finished_by_the_next() {
    let (dir, v2) = updated_layout();
    let root = dir.path();
    let document = root.join("schemas/openapi.yml");
    let v1 = std::fs::read_to_string(&document).expect("read");
    let mut transaction = stytch_codegen::fs::Transaction::new(&root.join("generated"));
    transaction.replace(&document, v2.as_bytes());
    let lib = root.join("generated/lib.rs");
    transaction.replace(&lib, "// @generated by stytch-codegen\n// staged\n");
    let staged = transaction.stage().expect("stages");
    let journal = staged.journal().expect("a journal").to_path_buf();
    // Killed after the first rename: the generated file replaced, not yet
    // the document.
    std::fs::rename(stytch_codegen::fs::temporary(&lib), &lib).expect("rename");
    drop(staged);
    assert_eq!(std::fs::read_to_string(&document).expect("read"), v1);

    let (code, _, stderr) = run(&["check"], root);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(".stytch-codegen.journal"), "{stderr}");

    let (code, stdout, stderr) = run(&["generate"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("finished an interrupted run"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&document).expect("read"), v2);
    assert!(!journal.exists());
    let left: Vec<String> = tree(root)
        .into_keys()
        .filter(|name| name.contains(".stytch-codegen."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // Generated from the finished document: its new field is there.
    let (code, _, stderr) = run(&["check"], root);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(&["diff", "v1.yml", "schemas/openapi.yml"], root);
    assert_eq!(code, 0);
    assert!(stdout.contains("`c`: optional field added"), "{stdout}");
}

/// A journal is only ever followed to rename our temporary files onto the
/// names beside them: one naming anything else is refused, untouched.
#[test]
fn a_journal_naming_paths_outside_its_shape_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join(stytch_codegen::fs::JOURNAL);
    for (write, remove) in [
        (json!(["/etc/passwd"]), json!([])),
        (json!(["a/./b.rs"]), json!([])),
        (json!([]), json!(["a/../../b.rs"])),
        (json!([".x.rs.stytch-codegen.tmp"]), json!([])),
    ] {
        let text = json!({"version": "stytch-codegen journal 1", "write": write, "remove": remove});
        std::fs::write(&journal, text.to_string()).expect("write");
        let error = stytch_codegen::fs::recover(dir.path()).expect_err("refused");
        assert!(
            error.to_string().contains("not a relative file path"),
            "{error}"
        );
        assert!(journal.exists());
    }
}

/// Issue 24 (7): a standalone crate's `src/`, below the output directory,
/// is cleared of leftovers too, even by a run with nothing to replace.
#[test]
fn leftovers_below_the_output_directory_are_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let document = api(
        object(json!({"a": {"type": "string"}}), &[]),
        object(json!({}), &[]),
    );
    write(root, "api.json", &document);
    let args = [
        "generate",
        "--openapi",
        "api.json",
        "--out",
        "out",
        "--crate",
        "demo",
    ];
    let (code, _, stderr) = run(&args, root);
    assert_eq!(code, 0, "{stderr}");
    let leftover = stytch_codegen::fs::temporary(&root.join("out/src/lib.rs"));
    std::fs::write(&leftover, "").expect("write");
    let (code, stdout, stderr) = run(&args, root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("out is up to date"), "{stdout}");
    assert!(!leftover.exists());
}

/// Issue 25: the crates' version follows the report. An additive update
/// moves `0.3.1` to `0.3.2` in the manifests, the dependency requirements
/// and the lock file, records the upstream version, and opens the
/// changelog with the report; a breaking one then moves it to `0.4.0`.
#[test]
fn update_bumps_the_version_the_report_calls_for() {
    let (dir, next) = updated_layout();
    let root = dir.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\".\", \"client\"]\n\n[workspace.package]\nversion = \"0.3.1\"\n\n[package]\nname = \"stytch-types\"\nversion.workspace = true\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("client")).expect("mkdir");
    std::fs::write(
        root.join("client/Cargo.toml"),
        "[package]\nname = \"stytch-client\"\nversion = \"0.3.1\"\n\n[dependencies]\nstytch-types = { path = \"..\", version = \"=0.3.1\" }\n",
    )
    .expect("write");
    std::fs::write(
        root.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"stytch-client\"\nversion = \"0.3.1\"\n\n[[package]]\nname = \"stytch-types\"\nversion = \"0.3.1\"\n",
    )
    .expect("write");
    std::fs::write(root.join("2026-03-01-abc1234.yml"), &next).expect("write");
    let (code, stdout, stderr) = run(&["update", "--openapi", "2026-03-01-abc1234.yml"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("version 0.3.1 -> 0.3.2 (additive change)"),
        "{stderr}"
    );
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect(p);
    assert!(read("Cargo.toml").contains("version = \"0.3.2\""));
    let client = read("client/Cargo.toml");
    assert!(
        client.contains("version = \"0.3.2\"\n") && client.contains("version = \"=0.3.2\" }"),
        "{client}"
    );
    assert!(
        client.contains("[package.metadata.stytch]\nupstream-version = \"2026-03-01-abc1234\""),
        "{client}"
    );
    assert_eq!(read("Cargo.lock").matches("version = \"0.3.2\"").count(), 2);
    assert_eq!(read("schemas/upstream-version"), "2026-03-01-abc1234\n");
    let changelog = read("CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
    assert!(
        changelog.contains("## 0.3.2 (additive from 0.3.1): Stytch's OpenAPI document `2026-03-01-abc1234`\n\n**API changes**: 0 breaking, 1 additive"),
        "{changelog}"
    );
    assert!(stdout.contains("`c`: optional field added"), "{stdout}");

    // Retyping a request field breaks: the next entry goes on top.
    let retyped = api(
        object(
            json!({"a": {"type": "integer"}, "c": {"type": "string"}}),
            &[],
        ),
        object(json!({}), &[]),
    );
    let gone = serde_json::to_string(&retyped).expect("json");
    std::fs::write(root.join("gone.yml"), gone).expect("write");
    let (code, _, stderr) = run(
        &[
            "update",
            "--openapi",
            "gone.yml",
            "--upstream-version",
            "v-next",
        ],
        root,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(read("Cargo.toml").contains("version = \"0.4.0\""));
    let changelog = read("CHANGELOG.md");
    let first =
        changelog.find("## 0.4.0 (breaking from 0.3.2): Stytch's OpenAPI document `v-next`");
    let second = changelog.find("## 0.3.2 (additive");
    assert!(first.is_some() && first < second, "{changelog}");
    let (code, _, stderr) = run(&["check"], root);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn diff_bump_prints_the_next_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = json!({"api_x_v1_R": {"type": "object"}});
    let one = write(
        dir.path(),
        "one.json",
        &doc(s.clone(), &[("get", "/v1/a/get", None, "api_x_v1_R")]),
    );
    let two = write(
        dir.path(),
        "two.json",
        &doc(
            s,
            &[
                ("get", "/v1/a/get", None, "api_x_v1_R"),
                ("get", "/v1/b/get", None, "api_x_v1_R"),
            ],
        ),
    );
    let bump = |old: &str, new: &str, current: &str| {
        let (code, stdout, stderr) = run(&["diff", old, new, "--bump", current], dir.path());
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    assert_eq!(bump(&one, &two, "0.1.0"), "0.1.1\n");
    assert_eq!(bump(&two, &one, "0.1.0"), "0.2.0\n");
    assert_eq!(bump(&two, &one, "1.4.2"), "2.0.0\n");
    assert_eq!(bump(&one, &two, "1.4.2"), "1.5.0\n");
    let (code, _, stderr) = run(&["diff", &one, &two, "--bump", "1.0.0-rc.1"], dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("not MAJOR.MINOR.PATCH"), "{stderr}");
}
