//! The crates users get from crates.io package on their own: no source of
//! one reaches a file outside it, and each manifest says what crates.io and
//! docs.rs show. `.ci/run` then packages and builds them
//! (`cargo publish --dry-run --workspace`).

use std::path::{Component, Path, PathBuf};

/// Each published crate's directory, relative to the workspace root.
const PUBLISHED: &[(&str, &str)] = &[
    ("stytch-types", "."),
    ("stytch-codegen", "codegen"),
    ("stytch-client", "client"),
    ("stytch-mock", "mock"),
];
/// The members that stay in the repository.
const UNPUBLISHED: &[&str] = &["conformance", "benchmarks", "fuzz-props"];
/// Directories below the root that are packages of their own.
const OTHER_PACKAGES: &[&str] = &[
    "codegen",
    "client",
    "mock",
    "conformance",
    "benchmarks",
    "fuzz-props",
    "fuzz",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn manifest(dir: &str) -> toml::Table {
    let path = root().join(dir).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `path` with `.` and `..` resolved by name, as `include!` reads it.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The `.rs` files below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The literal paths of `include!`, `include_str!` and `include_bytes!` in
/// `text`.
fn included(text: &str) -> Vec<&str> {
    let mut paths = Vec::new();
    for mac in ["include!(\"", "include_str!(\"", "include_bytes!(\""] {
        for (at, _) in text.match_indices(mac) {
            let rest = &text[at + mac.len()..];
            paths.extend(rest.split('"').next());
        }
    }
    paths
}

/// What a package compiles (`src/`, `build.rs`, and the root's committed
/// `generated/`) names no file outside the package: cargo would package
/// the crate without it, and the published crate would not build.
#[test]
fn no_package_includes_a_file_outside_it() {
    let mut outside = Vec::new();
    for (name, dir) in PUBLISHED {
        let package = normalize(&root().join(dir));
        let mut files = vec![package.join("build.rs")];
        rust_files(&package.join("src"), &mut files);
        if *dir == "." {
            rust_files(&package.join("generated"), &mut files);
        }
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for path in included(&text) {
                let Some(parent) = file.parent() else {
                    continue;
                };
                let target = normalize(&parent.join(path));
                let other = OTHER_PACKAGES
                    .iter()
                    .any(|o| *dir == "." && target.starts_with(package.join(o)));
                if !target.starts_with(&package) || other {
                    outside.push(format!("{name}: {} includes {path}", file.display()));
                } else if !packaged(dir, &package, &target) {
                    outside.push(format!(
                        "{name}: {} includes {path}, which its `include` list leaves out",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(outside.is_empty(), "{}", outside.join("\n"));
}

/// Whether `target` (a file below `package`) is in the package by its
/// manifest's `include` list: `/PATH` and `/DIR/**` patterns, the ones the
/// manifests use. Without a list, everything is.
fn packaged(dir: &str, package: &Path, target: &Path) -> bool {
    let manifest = manifest(dir);
    let Some(list) = manifest
        .get("package")
        .and_then(|p| p.get("include"))
        .and_then(toml::Value::as_array)
    else {
        return true;
    };
    let Ok(relative) = target.strip_prefix(package) else {
        return false;
    };
    list.iter().filter_map(toml::Value::as_str).any(|pattern| {
        let pattern = pattern.trim_start_matches('/');
        match pattern.strip_suffix("/**") {
            Some(prefix) => relative.starts_with(prefix),
            None => relative == Path::new(pattern),
        }
    })
}

/// `key` of `[package]`, or of `[workspace.package]` when inherited.
fn package_field(package: &toml::Table, key: &str) -> Option<toml::Value> {
    let value = package.get(key)?;
    let inherited = value
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(toml::Value::as_bool)
        == Some(true);
    if !inherited {
        return Some(value.clone());
    }
    manifest(".")
        .get("workspace")?
        .get("package")?
        .get(key)
        .cloned()
}

/// Every published crate says what crates.io and docs.rs show, and names
/// each sibling it depends on by a version as well as a path (cargo refuses
/// to package a path-only dependency).
#[test]
fn published_manifests_are_complete() {
    let workspace_dependencies = manifest(".")
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut missing = Vec::new();
    for (name, dir) in PUBLISHED {
        let manifest = manifest(dir);
        let package = manifest
            .get("package")
            .and_then(toml::Value::as_table)
            .unwrap_or_else(|| panic!("{name}: no [package]"));
        for key in [
            "description",
            "license",
            "repository",
            "readme",
            "keywords",
            "categories",
            "rust-version",
        ] {
            if package_field(package, key).is_none() {
                missing.push(format!("{name}: package.{key}"));
            }
        }
        if package.get("publish").and_then(toml::Value::as_bool) == Some(false) {
            missing.push(format!("{name}: publish = false"));
        }
        let docs_rs = package
            .get("metadata")
            .and_then(|m| m.get("docs"))
            .and_then(|d| d.get("rs"));
        if docs_rs.is_none() {
            missing.push(format!("{name}: package.metadata.docs.rs"));
        }
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            if !root().join(dir).join(license).is_file() {
                missing.push(format!("{name}: {license}"));
            }
        }
        for table in ["dependencies", "build-dependencies"] {
            let dependencies = manifest.get(table).and_then(toml::Value::as_table);
            for (dependency, spec) in dependencies.into_iter().flatten() {
                let spec = match spec.get("workspace").and_then(toml::Value::as_bool) {
                    Some(true) => workspace_dependencies.get(dependency),
                    _ => Some(spec),
                };
                let path = spec.and_then(|s| s.get("path")).is_some();
                let version = spec.and_then(|s| s.get("version")).is_some();
                if path && !version {
                    missing.push(format!("{name}: version of {table}.{dependency}"));
                }
            }
        }
    }
    for dir in UNPUBLISHED {
        let publish = manifest(dir)
            .get("package")
            .and_then(|p| p.get("publish"))
            .and_then(toml::Value::as_bool);
        if publish != Some(false) {
            missing.push(format!("{dir}: publish = false"));
        }
    }
    assert!(missing.is_empty(), "missing:\n{}", missing.join("\n"));
}
