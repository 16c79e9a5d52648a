//! The report's Rust-API verdict against the compiler's view (issue 25):
//! for two consecutive upstream versions the report calls Rust-breaking,
//! and two it calls additive, `cargo-semver-checks` compares the
//! `stytch-types` crates generated from each and must agree.
//!
//! Needs `cargo-semver-checks` (CI installs it; `.ci/run`) and the corpus:
//! set `CARGO_SEMVER_CHECKS` to its binary and `STYTCH_CORPUS`; unset, the
//! test says it was skipped. It builds rustdoc JSON for four whole-API
//! crates, a few minutes.

use std::path::{Path, PathBuf};
use std::process::Command;

use stytch_codegen::diff::{Impact, diff};
use stytch_codegen::fs;

fn upstream() -> Option<PathBuf> {
    let corpus = fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}"))?;
    Some(corpus.join("../stytch-upstream"))
}

/// The `stytch-types` crate generated from upstream `version`, at 1.0.0
/// (so `--release-type minor` means "no breaking change", with no 0.x
/// reading of it).
fn generate(upstream: &Path, version: &str, out: &Path) -> PathBuf {
    let dir = out.join(version);
    let document = upstream.join(format!("{version}.yml"));
    let status = Command::new(env!("CARGO_BIN_EXE_stytch-codegen"))
        .args(["generate", "--openapi"])
        .arg(&document)
        .arg("--out")
        .arg(&dir)
        .args(["--crate", "stytch-types", "--no-schemars"])
        .status()
        .expect("the generator runs");
    assert!(status.success(), "{version} generates");
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let text = text.replacen("version = \"0.1.0\"", "version = \"1.0.0\"", 1);
    std::fs::write(&manifest, text).expect("manifest");
    dir
}

/// Whether the report of `old` → `new` has a Rust-API-breaking change.
fn report_breaks_rust(upstream: &Path, old: &str, new: &str) -> bool {
    let read = |v: &str| {
        fs::read_openapi(&upstream.join(format!("{v}.yml")), None)
            .unwrap_or_else(|e| panic!("{v}: {e}"))
            .0
    };
    let report = diff(&read(old), &read(new)).expect("diffs");
    report.changes.iter().any(|c| c.api == Impact::Breaking)
}

/// cargo-semver-checks' verdict: whether `new` breaks `old`'s API, and
/// its output.
fn semver_checks_breaks(tool: &Path, old: &Path, new: &Path, target: &Path) -> (bool, String) {
    let out = Command::new(tool)
        .args(["semver-checks", "check-release", "--baseline-root"])
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .args(["--release-type", "minor"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo-semver-checks runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Exit 1 (100 in cargo-semver-checks 0.51) with its summary is "semver
    // violations found"; anything else is a failure to run.
    match out.status.code() {
        Some(0) => (false, text),
        Some(1 | 100) if text.contains("semver requires new major version") => (true, text),
        code => panic!("cargo-semver-checks did not run (exit {code:?}):\n{text}"),
    }
}

#[test]
fn cargo_semver_checks_agrees_with_the_reports_rust_api_verdict() {
    let (Some(upstream), Some(tool)) = (upstream(), std::env::var_os("CARGO_SEMVER_CHECKS")) else {
        println!("skipped: set STYTCH_CORPUS and CARGO_SEMVER_CHECKS to run it");
        return;
    };
    let tool = PathBuf::from(tool);
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("target");
    // (old, new, the report's verdict, as read in the pairs by hand:
    // "Support SHA-512 password migration" gives 20 DELETE operations a
    // request body, a new argument of their constructors; "Add delivery
    // method option to member email update" adds an optional field and
    // its enum).
    let pairs = [
        ("2025-10-24-2913832", "2025-11-03-24b0e4e", true),
        ("2025-09-24-9557f47", "2025-09-26-5441c70", false),
    ];
    for (old, new, breaks) in pairs {
        assert_eq!(
            report_breaks_rust(&upstream, old, new),
            breaks,
            "{old} -> {new}: the report's verdict"
        );
        let old_crate = generate(&upstream, old, dir.path());
        let new_crate = generate(&upstream, new, dir.path());
        let (found, output) = semver_checks_breaks(&tool, &old_crate, &new_crate, &target);
        println!("{old} -> {new}:\n{output}");
        assert_eq!(
            found, breaks,
            "{old} -> {new}: cargo-semver-checks disagrees with the report:\n{output}"
        );
    }
}
