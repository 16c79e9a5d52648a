//! Generates one type per test group of the suite in `JSTS_DIR` with the real
//! generator, so the code under test is exactly what users get. A group whose
//! schema the generator refuses is recorded as refused (with the generator's
//! message); the build never fails on it.
//!
//! A relative `JSTS_DIR` is taken from the workspace root, as `.ci/run` and
//! the documented command give it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stytch_codegen::{Config, SourceFile, Standalone, generate_standalone};

#[path = "src/paths.rs"]
mod conformance_paths;
mod pattern_table;

fn main() {
    println!("cargo::rerun-if-env-changed=JSTS_DIR");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let dir = std::env::var_os("JSTS_DIR").map(|d| {
        let d = PathBuf::from(d);
        if d.is_absolute() {
            d
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(d)
        }
    });
    let groups = dir.as_deref().map(read_groups).unwrap_or_default();
    let dir_text = dir
        .as_ref()
        .and_then(|d| d.canonicalize().ok())
        .map(|d| d.display().to_string());

    // The runner never exports schemas. The suite's `$ref`s to
    // `http://localhost:1234/…` read its `remotes/` directory.
    let mut config = Config::new()
        .regenerate_command("cargo build -p conformance (JSTS_DIR=…)")
        .schemars(false);
    if let Some(remotes) = dir.as_ref().map(|d| d.join(REMOTES)).filter(|r| r.is_dir()) {
        config = config.resolve("http://localhost:1234/", remotes);
    }
    let (files, verdicts) = generate(&config, &groups);
    let generated = out.join("generated");
    let _ = std::fs::remove_dir_all(&generated);
    if let Err(e) = stytch_codegen::fs::write_output(&generated, &files) {
        fail(&format!("cannot write generated code: {e}"));
    }
    let table = group_table(dir_text.as_deref(), &groups, &verdicts);
    if let Err(e) = std::fs::write(out.join("groups.rs"), table) {
        fail(&format!("cannot write the group table: {e}"));
    }
    write_pattern_table(&out, &groups);
}

/// The suite's test groups, then our own cases in its format.
fn read_groups(dir: &Path) -> Vec<GroupSource> {
    println!("cargo::rerun-if-changed={}", dir.display());
    // The suite's test files: `draft2020-12/` (the required files
    // and `optional/`). Its `remotes/` are schemas that tests refer
    // to, not tests.
    let tests = dir.join(conformance_paths::DRAFT);
    let mut groups = match read_suite(&tests, &format!("{}/", conformance_paths::DRAFT), "Case") {
        Ok(groups) => groups,
        Err(e) => fail(&format!("cannot read {}: {e}", tests.display())),
    };
    // Our own cases, in the suite's format, run beside it.
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    println!("cargo::rerun-if-changed={}", local.display());
    match read_suite(&local, conformance_paths::LOCAL_PREFIX, "Local") {
        Ok(more) => groups.extend(more),
        Err(e) => fail(&format!("cannot read {}: {e}", local.display())),
    }
    groups
}

/// The files of every group the generator accepts, and each group's
/// verdict: `None` when generated, else the generator's message.
fn generate(
    config: &Config,
    groups: &[GroupSource],
) -> (Vec<stytch_codegen::GeneratedFile>, Vec<Option<String>>) {
    // Each group alone first, so one refusal does not hide the others.
    let mut accepted = Vec::new();
    let mut verdicts = Vec::new();
    for g in groups {
        let doc = Standalone::new(
            g.type_name.clone(),
            SourceFile {
                name: format!("{}#{}", g.file, g.index),
                text: g.schema.clone(),
            },
        )
        // `format` is an annotation in draft 2020-12 (`format.json` expects
        // anything to pass); `optional/format/` tests it asserted.
        .format_assertion(conformance_paths::asserts_formats(&g.file));
        match generate_standalone(config, std::slice::from_ref(&doc)) {
            Ok(_) => {
                accepted.push(doc);
                verdicts.push(None);
            }
            Err(stytch_codegen::Error::Input(diagnostics)) => {
                verdicts.push(Some(diagnostics.to_string()))
            }
            // Lowering refuses what cannot be emitted: a failure of
            // emitting is the generator's, never a refusal to count.
            Err(e) => fail(&format!("{}#{}: {e}", g.file, g.index)),
        }
    }
    let files = if accepted.is_empty() {
        // Nothing to check (no `JSTS_DIR`): no runtime either, which would
        // otherwise be dead code.
        vec![stytch_codegen::GeneratedFile {
            target: stytch_codegen::Target::Types,
            path: "lib.rs".to_owned(),
            contents: String::new(),
        }]
    } else {
        match generate_standalone(config, &accepted) {
            Ok(files) => files,
            Err(d) => fail(&format!("groups generated alone fail together: {d}")),
        }
    };
    (files, verdicts)
}

/// `groups.rs`: the suite directory, every group with its outcome, and one
/// check function per generated group.
fn group_table(
    dir_text: Option<&str>,
    groups: &[GroupSource],
    verdicts: &[Option<String>],
) -> String {
    let mut table = String::new();
    let _ = writeln!(
        table,
        "/// The suite directory this build generated from.\npub const SUITE_DIR: ::std::option::Option<&str> = {};",
        match dir_text {
            Some(d) => format!("::std::option::Option::Some({d:?})"),
            None => "::std::option::Option::None".to_owned(),
        }
    );
    let _ = writeln!(
        table,
        "/// Every group, in directory order.\npub static GROUPS: &[Group] = &["
    );
    for (g, verdict) in groups.iter().zip(verdicts) {
        let outcome = match verdict {
            None => format!("Outcome::Generated(check::{})", g.type_name.to_lowercase()),
            Some(message) => format!("Outcome::Refused({message:?})"),
        };
        let _ = writeln!(
            table,
            "    Group {{ file: {:?}, index: {}, description: {:?}, outcome: {outcome} }},",
            g.file, g.index, g.description
        );
    }
    let _ = writeln!(table, "];\n\nmod check {{");
    for (g, verdict) in groups.iter().zip(verdicts) {
        if verdict.is_none() {
            let _ = writeln!(
                table,
                "    pub(super) fn {}(json: &str) -> ::std::result::Result<(), ::std::string::String> {{\n        \
                 ::serde_json::from_str::<crate::{}>(json).map(|_| ()).map_err(|e| e.to_string())\n    }}",
                g.type_name.to_lowercase(),
                g.type_name
            );
        }
    }
    let _ = writeln!(table, "}}");
    table
}

/// Patterns for tests/patterns.rs: the Stytch document's (as overlaid),
/// the suite's, and the hand-written hard cases.
fn write_pattern_table(out: &Path, groups: &[GroupSource]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schemas = root.join("schemas");
    println!("cargo::rerun-if-changed={}", schemas.display());
    let mut stytch = Vec::new();
    let document = stytch_codegen::fs::read_openapi(
        &schemas.join("openapi.yml"),
        Some(&schemas.join("overlays")),
    )
    .map_err(|e| e.to_string())
    .and_then(|(input, _)| stytch_codegen::effective_document(&input).map_err(|d| d.to_string()));
    match document {
        Ok(doc) => pattern_table::collect_patterns(&doc, &mut stytch),
        Err(e) => fail(&format!("cannot read the Stytch document: {e}")),
    }
    let mut suite = Vec::new();
    for g in groups {
        if let Ok(schema) = serde_json::from_str::<serde_json::Value>(&g.schema) {
            pattern_table::collect_patterns(&schema, &mut suite);
        }
    }
    let sources = stytch
        .into_iter()
        .map(|p| (p, "stytch"))
        .chain(suite.into_iter().map(|p| (p, "suite")))
        .collect();
    let hand = Path::new(env!("CARGO_MANIFEST_DIR")).join("pattern-cases.json");
    println!("cargo::rerun-if-changed={}", hand.display());
    if let Err(e) = pattern_table::write(out, &hand, sources) {
        fail(&e);
    }
}

struct GroupSource {
    file: String,
    index: usize,
    description: String,
    schema: String,
    type_name: String,
}

/// The groups of every file below `dir`, named `{prefix}{relative path}`;
/// their types `{type_prefix}{file number}x{group index}`.
fn read_suite(dir: &Path, prefix: &str, type_prefix: &str) -> Result<Vec<GroupSource>, String> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for (n, relative) in files.iter().enumerate() {
        let text =
            std::fs::read_to_string(dir.join(relative)).map_err(|e| format!("{relative}: {e}"))?;
        let groups: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{relative}: {e}"))?;
        let groups = groups
            .as_array()
            .ok_or_else(|| format!("{relative}: not an array of test groups"))?;
        for (index, group) in groups.iter().enumerate() {
            let schema = group
                .get("schema")
                .ok_or_else(|| format!("{relative}: group {index} has no schema"))?;
            out.push(GroupSource {
                file: format!("{prefix}{relative}"),
                index,
                description: group
                    .get("description")
                    .and_then(|d| d.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                schema: serde_json::to_string_pretty(schema).map_err(|e| e.to_string())?,
                type_name: format!("{type_prefix}{n}x{index}"),
            });
        }
    }
    Ok(out)
}

/// The suite's directory of documents that tests refer to, not tests.
const REMOTES: &str = "remotes";

/// Every `*.json` below `dir` (but `root`'s `remotes/`), as a `/`-separated
/// path relative to `root`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() && path == root.join(REMOTES) {
            continue;
        } else if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

fn fail(message: &str) -> ! {
    for line in message.lines() {
        println!("cargo::error={line}");
    }
    std::process::exit(1)
}
