//! Snapshot tests of the generator: one fixture per feature under
//! `tests/fixtures/`, plus the bundled `schemas/` (the seed family).
//! Review changes with `cargo insta test --review`; in CI a changed, missing
//! or orphaned snapshot fails.

use std::path::Path;

use serde_json::Value;
use stytch_codegen::{Config, Input, SourceFile, generate};

/// Generated files joined in path order; the runtime is left out because it
/// is copied verbatim and is the same for every fixture.
fn render(input: &Input) -> String {
    match generate(&Config::default(), input) {
        Ok(files) => files
            .iter()
            .filter(|f| f.path != "validation.rs")
            .map(|f| format!("// ===== {} =====\n{}", f.path, f.contents))
            .collect(),
        Err(diagnostics) => format!("error:\n{diagnostics}"),
    }
}

/// A fixture bundles its files: `{"schemas": [...], "overlays": [...]}`.
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
        ..Input::default()
    }
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.json", |path| {
        insta::assert_snapshot!(render(&bundle(path)));
    });
}

#[test]
fn seed_family() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (input, _) = stytch_codegen::fs::read_input(&dir).expect("schemas/ is readable");
    // Names in diagnostics would carry this machine's absolute path.
    let input = Input {
        schemas: input.schemas.into_iter().map(relative).collect(),
        overlays: input.overlays.into_iter().map(relative).collect(),
        ..Input::default()
    };
    insta::assert_snapshot!(render(&input));
}

fn relative(mut file: SourceFile) -> SourceFile {
    if let Some(name) = Path::new(&file.name).file_name() {
        file.name = name.to_string_lossy().into_owned();
    }
    file
}

/// The committed `generated/` must be exactly what the generator writes for
/// `schemas/`; a pull request that changes one without the other fails here.
#[test]
fn committed_generated_code_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (input, _) =
        stytch_codegen::fs::read_input(&root.join("schemas")).expect("schemas/ is readable");
    let files = generate(&Config::default(), &input).expect("bundled schemas generate");
    let mut stale = Vec::new();
    for file in &files {
        let committed =
            std::fs::read_to_string(root.join("generated").join(&file.path)).unwrap_or_default();
        if committed != file.contents {
            stale.push(file.path.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "generated/{{{}}} is stale; run `{}` and commit the result",
        stale.join(","),
        stytch_codegen::REGENERATE_COMMAND
    );
}
