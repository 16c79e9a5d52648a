//! `scripts/upstream-pr` against a local "upstream" file and a local bare
//! git remote: the branch, the commit, the manifests' versions and the pull
//! request's body are what they should be, and nothing is pushed when
//! upstream is unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/upstream-pr")
}

/// Runs `program` in `cwd`; returns exit code, stdout, stderr.
fn run(program: &str, args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("STYTCH_CODEGEN", env!("CARGO_BIN_EXE_stytch-codegen"))
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env_remove("GITHUB_OUTPUT")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[track_caller]
fn git(args: &[&str], cwd: &Path) -> String {
    let (code, stdout, stderr) = run("git", args, cwd);
    assert_eq!(code, 0, "git {args:?}: {stderr}");
    stdout
}

/// A document with one operation whose request has the given properties.
fn document(properties: Value) -> String {
    let schema = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let doc = json!({
        "openapi": "3.0.3",
        "paths": {"/v1/things/create": {"post": {
            "operationId": "api_x_v1_Create",
            "requestBody": {"required": true, "content": {"application/json": {"schema": schema("api_x_v1_CreateRequest")}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema("api_x_v1_CreateResponse")}}}}
        }}},
        "components": {"schemas": {
            "api_x_v1_CreateRequest": {"type": "object", "properties": properties},
            "api_x_v1_CreateResponse": {"type": "object", "properties": {}}
        }}
    });
    serde_json::to_string_pretty(&doc).expect("json")
}

/// A repository in this layout (generated, with a workspace manifest at
/// 0.4.2), committed on `main` and pushed to a bare `remote.git` beside it.
fn repository(root: &Path) -> PathBuf {
    let repo = root.join("repo");
    std::fs::create_dir_all(repo.join("schemas")).expect("mkdir");
    let write = |path: &str, text: &str| std::fs::write(repo.join(path), text).expect(path);
    write(
        "schemas/openapi.yml",
        &document(json!({"a": {"type": "string"}})),
    );
    write("schemas/upstream-version", "2026-01-01-aaaaaaa\n");
    write(
        "Cargo.toml",
        "[workspace.package]\nversion = \"0.4.2\"\n\n[package]\nname = \"stytch-types\"\nversion.workspace = true\n",
    );
    let (code, _, stderr) = run(env!("CARGO_BIN_EXE_stytch-codegen"), &["generate"], &repo);
    assert_eq!(code, 0, "{stderr}");
    git(&["init", "--quiet", "--initial-branch=main"], &repo);
    git(&["add", "--all"], &repo);
    git(&["commit", "--quiet", "-m", "start"], &repo);
    git(&["init", "--quiet", "--bare", "remote.git"], root);
    git(&["remote", "add", "origin", "../remote.git"], &repo);
    git(&["push", "--quiet", "origin", "main"], &repo);
    repo
}

#[test]
fn an_upstream_change_becomes_a_pushed_branch_with_the_report_as_its_body() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = repository(dir.path());
    let upstream = dir.path().join("openapi.yml");
    let out = dir.path().join("pr");
    let script = script();
    let script = script.to_str().expect("utf-8 path");

    // Unchanged upstream: nothing is written, committed or pushed.
    std::fs::copy(repo.join("schemas/openapi.yml"), &upstream).expect("copy");
    let (code, stdout, stderr) = run(
        "bash",
        &[
            script,
            upstream.to_str().expect("utf-8"),
            "2026-01-01-aaaaaaa",
        ],
        &repo,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("upstream unchanged"), "{stdout}");
    assert_eq!(git(&["branch", "--list"], &repo).trim(), "* main");
    let remote = dir.path().join("remote.git");
    assert_eq!(
        git(&["branch", "--list"], &remote).trim(),
        "main",
        "nothing pushed"
    );

    // An additive change: a branch with one commit, the version bumped.
    std::fs::write(
        &upstream,
        document(json!({"a": {"type": "string"}, "b": {"type": "string"}})),
    )
    .expect("write");
    let args = [
        script,
        upstream.to_str().expect("utf-8"),
        "2026-02-02-bbbbbbb",
        "--out",
        out.to_str().expect("utf-8"),
    ];
    let (code, stdout, stderr) = run("bash", &args, &repo);
    assert_eq!(code, 0, "{stderr}");
    let title = "upstream 2026-02-02-bbbbbbb: 0.4.2 -> 0.4.3";
    assert!(
        stdout.contains(&format!("title={title}\n")) && stdout.contains("breaking=false\n"),
        "{stdout}"
    );
    let branch = "upstream/2026-02-02-bbbbbbb";
    assert_eq!(
        git(&["log", "--format=%s", &format!("main..{branch}")], &remote).trim(),
        title
    );
    let show = |path: &str| git(&["show", &format!("{branch}:{path}")], &remote);
    assert!(show("Cargo.toml").contains("version = \"0.4.3\""));
    assert_eq!(show("schemas/upstream-version"), "2026-02-02-bbbbbbb\n");
    assert_eq!(
        show("schemas/openapi.yml"),
        std::fs::read_to_string(&upstream).expect("read")
    );
    assert!(show("CHANGELOG.md").contains("## 0.4.3 (additive from 0.4.2)"));
    let body = std::fs::read_to_string(out.join("body.md")).expect("body");
    assert!(
        body.starts_with("**API changes**: 0 breaking, 1 additive")
            && body.contains("`b`: optional field added"),
        "{body}"
    );
    assert!(out.join("report-full.md").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("title")).expect("title"),
        format!("{title}\n")
    );
    // Run again with the same upstream: the branch is already proposed.
    git(&["checkout", "--quiet", "main"], &repo);
    let (code, stdout, stderr) = run("bash", &args, &repo);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("already on origin"), "{stdout}");

    // A breaking change is marked in the title.
    std::fs::write(&upstream, document(json!({"a": {"type": "integer"}}))).expect("write");
    let args = [
        script,
        upstream.to_str().expect("utf-8"),
        "2026-03-03-ccccccc",
    ];
    let (code, stdout, stderr) = run("bash", &args, &repo);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("title=[breaking] upstream 2026-03-03-ccccccc: 0.4.2 -> 0.5.0\n")
            && stdout.contains("breaking=true\n"),
        "{stdout}"
    );
}
