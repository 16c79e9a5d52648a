//! Snapshot tests of the generator: one fixture per feature under
//! `tests/fixtures/` (the operations fixture among them), plus the freshness check of the committed outputs.
//! Review changes with `cargo insta test --review`; in CI a changed, missing
//! or orphaned snapshot fails.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use stytch_codegen::{Config, Input, SourceFile, Target, generate};

/// Generated files joined in path order; the runtime (the types' and the
/// client's) is left out because it is copied verbatim and is the same for
/// every fixture.
fn render(input: &Input) -> String {
    match generate(&Config::new().client(true), input) {
        Ok(files) => files
            .iter()
            .filter(|f| f.path != "validation.rs")
            .filter(|f| !(f.target == Target::Client && f.path.starts_with("http_")))
            .map(|f| format!("// ===== {:?} {} =====\n{}", f.target, f.path, f.contents))
            .collect(),
        Err(diagnostics) => format!("error:\n{diagnostics}"),
    }
}

/// A fixture bundles its files: `{"schemas": [...], "overlays": [...],
/// "openapi": [...]}`.
fn bundle(path: &Path) -> Input {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let files = |key: &str| -> Vec<SourceFile> {
        value[key]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| SourceFile {
                name: format!("{key}/{i}.json"),
                text: serde_json::to_string_pretty(v).unwrap_or_default(),
            })
            .collect()
    };
    Input {
        schemas: files("schemas"),
        overlays: files("overlays"),
        openapi: files("openapi"),
    }
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.json", |path| {
        insta::assert_snapshot!(render(&bundle(path)));
    });
}

/// A generated crate's manifest as a member of the workspace below: the
/// same manifest without its own `[workspace]` table.
fn workspace_member(manifest: &str) -> String {
    let mut table: toml::Table = manifest.parse().expect("the generated manifest is TOML");
    assert!(
        table.remove("workspace").is_some(),
        "a standalone crate declares its own workspace"
    );
    let text = toml::to_string(&table).expect("a TOML table serializes");
    format!("# {}\n{text}", stytch_codegen::fs::GENERATED_MARK)
}

/// Every fixture's output, as a standalone crate, passes clippy with warnings
/// denied (its tests and the `schemars` feature too): a golden must be code,
/// and code a user's own lints accept, not just text. The crates
/// are members of one temporary workspace checked by one cargo run, so their
/// dependencies build once.
#[test]
fn every_fixture_compiles_under_deny_warnings() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = tempfile::tempdir().expect("temp dir");
    let mut members = Vec::new();
    let mut refused = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("tests/fixtures is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a fixture file name")
            .replace('_', "-");
        let name = format!("fixture-{stem}");
        match generate(&Config::new().crate_name(&name), &bundle(&path)) {
            Ok(mut files) => {
                for f in files.iter_mut().filter(|f| f.path == "Cargo.toml") {
                    f.contents = workspace_member(&f.contents);
                }
                stytch_codegen::fs::write_output(&out.path().join(&name), &files)
                    .expect("crate is written");
                members.push(name);
            }
            // A fixture of a refusal has no code; its snapshot holds the error.
            Err(_) => refused.push(name),
        }
    }
    assert!(
        members.len() >= 10,
        "compiled {members:?}, refused {refused:?}"
    );
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        out.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .expect("workspace manifest");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fixture-crates");
    let output = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--offline",
            // Every crate's findings, not only the first failing crate's.
            "--keep-going",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the fixtures' generated crates do not pass clippy cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file in `tests/snapshots/` belongs to a fixture that still exists,
/// and no review is left pending: what `cargo insta test
/// --unreferenced=reject` checks, done by the plain test runner.
#[test]
fn every_snapshot_has_its_fixture() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let fixtures = tests.join("fixtures");
    let mut orphans = Vec::new();
    let entries = std::fs::read_dir(tests.join("snapshots")).expect("tests/snapshots is readable");
    for entry in entries {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        let fixture = name
            .strip_prefix("snapshots__fixtures@")
            .and_then(|rest| rest.strip_suffix(".snap"));
        match fixture {
            Some(fixture) if fixtures.join(fixture).is_file() => {}
            _ => orphans.push(name.into_owned()),
        }
    }
    orphans.sort();
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture, or pending review (`cargo insta review`, or delete them): {orphans:?}"
    );
}

/// The committed `generated/`, `client/src/generated/` and
/// `mock/src/generated/` must be exactly
/// what the generator writes for `schemas/`; a pull request that changes one
/// without the other fails here.
#[test]
fn committed_generated_code_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (input, _) =
        stytch_codegen::fs::read_input(&root.join("schemas")).expect("schemas/ is readable");
    let files = generate(
        &Config::new().client(true).mock(true).features(true),
        &input,
    )
    .expect("bundled schemas generate");
    let mut stale = Vec::new();
    for file in &files {
        let dir = match file.target {
            Target::Types => "generated",
            Target::Client => "client/src/generated",
            Target::Mock => "mock/src/generated",
        };
        let path = format!("{dir}/{}", file.path);
        let committed = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        if committed != file.contents {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "{} stale; run `{}` and commit the result",
        stale.join(", "),
        stytch_codegen::REGENERATE_COMMAND
    );
}
