//! Snapshot tests of the generator: one fixture per feature under
//! `tests/fixtures/` (the operations fixture among them), plus the freshness check of the committed outputs.
//! Review changes with `cargo insta test --review`; in CI a changed, missing
//! or orphaned snapshot fails.

use std::path::Path;

use serde_json::Value;
use stytch_codegen::{Config, Input, SourceFile, Target, generate};

/// Generated files joined in path order; the runtime is left out because it
/// is copied verbatim and is the same for every fixture.
fn render(input: &Input) -> String {
    match generate(&Config::new().client(true), input) {
        Ok(files) => files
            .iter()
            .filter(|f| f.path != "validation.rs")
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
    let files =
        generate(&Config::new().client(true).mock(true), &input).expect("bundled schemas generate");
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
