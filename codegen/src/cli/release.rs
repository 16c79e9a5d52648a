//! What `update` writes beside the generated code so the crates' version
//! follows the report: the next version in the manifests and the lock file,
//! the upstream version the code was generated from (`schemas/upstream-version`
//! and each manifest's `[package.metadata.stytch]`), and a `CHANGELOG.md`
//! entry made from the report. Pure: texts in, texts out; `update` writes
//! them in the same transaction as the generated files.
//!
//! Manifests are edited with `toml_edit`, which keeps their comments and
//! layout: a person reviews the diff.

use std::path::PathBuf;

use stytch_codegen::diff::version::{Bump, Version};
use stytch_codegen::diff::{Report, render};
use toml_edit::{DocumentMut, Item, value};

/// The crates generated from the document: their version follows the report.
/// The generator (`stytch-codegen`) has a version of its own.
pub const FOLLOWING: [&str; 3] = ["stytch-types", "stytch-client", "stytch-mock"];

/// Their manifests, and the workspace's, in this repository's layout.
const MANIFESTS: [&str; 3] = ["Cargo.toml", "client/Cargo.toml", "mock/Cargo.toml"];

/// Where the upstream version is recorded for `stytch-types` to show.
pub const UPSTREAM_FILE: &str = "schemas/upstream-version";

/// The most characters of the report a changelog entry holds (the pull
/// request holds the rest).
const ENTRY_LIMIT: usize = 16_384;

/// A file to replace, with its new text.
pub type Rewrite = (PathBuf, String);

/// The version change an update makes.
#[derive(Debug, Clone, Copy)]
pub struct Release {
    pub from: Version,
    pub to: Version,
    pub bump: Bump,
}

/// The release `report` makes of the workspace in the working directory:
/// `None` when nothing changed, or when there is no workspace manifest.
pub fn release(report: &Report) -> Result<Option<Release>, String> {
    let Some(bump) = Bump::of(report) else {
        return Ok(None);
    };
    let Ok(root) = std::fs::read_to_string("Cargo.toml") else {
        return Ok(None);
    };
    let from = current_version(&root)?;
    Ok(Some(Release {
        from,
        to: from.bumped(bump),
        bump,
    }))
}

/// The upstream version a document is: as given, else its file name when
/// that names a version (`2026-02-05-5032e06.yml`, as Stytch's published
/// documents are kept), else `None`.
pub fn upstream_version(given: Option<&str>, document: &std::path::Path) -> Option<String> {
    if let Some(given) = given {
        return Some(given.to_owned());
    }
    let stem = document.file_stem()?.to_str()?;
    let versionlike = stem.starts_with(|c: char| c.is_ascii_digit())
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'));
    versionlike.then(|| stem.to_owned())
}

/// The workspace's version of the generated crates: `[workspace.package]`
/// of the root manifest.
pub fn current_version(root_manifest: &str) -> Result<Version, String> {
    let doc: DocumentMut = root_manifest
        .parse()
        .map_err(|e| format!("Cargo.toml: {e}"))?;
    doc.get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(Item::as_str)
        .ok_or_else(|| "Cargo.toml has no [workspace.package] version".to_owned())?
        .parse()
}

/// Every file `update` rewrites for `release` (none but the upstream
/// version when nothing changed), read from the working directory.
pub fn rewrites(
    release: Option<Release>,
    upstream: Option<&str>,
    report: &Report,
) -> Result<Vec<Rewrite>, String> {
    let read =
        |path: &str| std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"));
    let mut out: Vec<Rewrite> = upstream
        .map(|u| (PathBuf::from(UPSTREAM_FILE), format!("{u}\n")))
        .into_iter()
        .collect();
    // A layout without the crates (the generator used on its own) has
    // only the upstream version to record.
    for path in MANIFESTS
        .iter()
        .filter(|p| std::path::Path::new(p).exists())
    {
        let text = read(path)?;
        let new =
            manifest(&text, release.map(|r| r.to), upstream).map_err(|e| format!("{path}: {e}"))?;
        out.push((PathBuf::from(path), new));
    }
    if let Some(release) = release {
        if std::path::Path::new("Cargo.lock").exists() {
            let lock = read("Cargo.lock")?;
            let new = lock_file(&lock, release.to).map_err(|e| format!("Cargo.lock: {e}"))?;
            out.push((PathBuf::from("Cargo.lock"), new));
        }
        let old = std::fs::read_to_string("CHANGELOG.md").unwrap_or_default();
        let entry = changelog(&old, release, upstream.unwrap_or("unknown"), report);
        out.push((PathBuf::from("CHANGELOG.md"), entry));
    }
    Ok(out)
}

/// One manifest with `to` as the version of every generated crate it
/// declares or depends on (a requirement keeps its operator: `=0.1.0` →
/// `=0.2.0`), and the upstream version in a generated package's metadata.
pub fn manifest(text: &str, to: Option<Version>, upstream: Option<&str>) -> Result<String, String> {
    let mut doc = text.parse::<DocumentMut>().map_err(|e| e.to_string())?;
    let name = doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(Item::as_str)
        .map(str::to_owned);
    let generated = name.as_deref().is_some_and(|n| FOLLOWING.contains(&n));
    if let Some(to) = to {
        if let Some(version) = doc
            .get_mut("workspace")
            .and_then(|w| w.get_mut("package"))
            .and_then(|p| p.get_mut("version"))
        {
            set(version, to.to_string());
        }
        if generated
            && let Some(version) = doc.get_mut("package").and_then(|p| p.get_mut("version"))
            && version.is_str()
        {
            set(version, to.to_string());
        }
        for table in dependency_tables(&mut doc) {
            for crate_name in FOLLOWING {
                if let Some(dep) = table.get_mut(crate_name) {
                    requirement(dep, to);
                }
            }
        }
    }
    if generated
        && let Some(upstream) = upstream
        && let Some(package) = doc.get_mut("package").and_then(Item::as_table_mut)
    {
        let metadata = package.entry("metadata").or_insert_with(|| {
            let mut table = toml_edit::Table::new();
            table.set_implicit(true);
            Item::Table(table)
        });
        let stytch = metadata
            .as_table_like_mut()
            .ok_or("`package.metadata` is not a table")?
            .entry("stytch")
            .or_insert(Item::Table(toml_edit::Table::new()));
        match stytch.get_mut("upstream-version") {
            Some(item) => set(item, upstream.to_owned()),
            None => stytch["upstream-version"] = value(upstream),
        }
    }
    Ok(doc.to_string())
}

/// Replaces a value, keeping the comment and spacing around it.
fn set(item: &mut Item, text: String) {
    match item.as_value_mut() {
        Some(old) => {
            let decor = old.decor().clone();
            *old = toml_edit::Value::from(text);
            *old.decor_mut() = decor;
        }
        None => *item = value(text),
    }
}

/// The dependency tables of a manifest: the package's, the workspace's,
/// and every target's.
fn dependency_tables(doc: &mut DocumentMut) -> Vec<&mut dyn toml_edit::TableLike> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut out: Vec<&mut dyn toml_edit::TableLike> = Vec::new();
    for (key, item) in doc.iter_mut() {
        match key.get() {
            "workspace" => {
                if let Some(deps) = item
                    .get_mut("dependencies")
                    .and_then(Item::as_table_like_mut)
                {
                    out.push(deps);
                }
            }
            "target" => {
                let Some(targets) = item.as_table_like_mut() else {
                    continue;
                };
                for (_, target) in targets.iter_mut() {
                    let Some(target) = target.as_table_like_mut() else {
                        continue;
                    };
                    for (kind, deps) in target.iter_mut() {
                        if KINDS.contains(&kind.get())
                            && let Some(deps) = deps.as_table_like_mut()
                        {
                            out.push(deps);
                        }
                    }
                }
            }
            kind if KINDS.contains(&kind) => {
                if let Some(deps) = item.as_table_like_mut() {
                    out.push(deps);
                }
            }
            _ => {}
        }
    }
    out
}

/// Sets a dependency's `version` requirement to `to`, keeping its operator;
/// a path-only dependency (no `version`) is left as it is.
fn requirement(dep: &mut Item, to: Version) {
    let Some(version) = dep.get_mut("version") else {
        return;
    };
    let Some(old) = version.as_str() else {
        return;
    };
    let operator: String = old
        .chars()
        .take_while(|c| matches!(c, '=' | '^' | '~' | '>' | '<' | ' '))
        .collect();
    set(version, format!("{operator}{to}"));
}

/// The lock file with the generated crates (local packages: no `source`)
/// at `to`, as cargo would write it after the manifests change.
pub fn lock_file(text: &str, to: Version) -> Result<String, String> {
    let mut doc = text.parse::<DocumentMut>().map_err(|e| e.to_string())?;
    let Some(packages) = doc
        .get_mut("package")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Err("no [[package]] entries".to_owned());
    };
    for package in packages.iter_mut() {
        let local = !package.contains_key("source");
        let ours = package
            .get("name")
            .and_then(Item::as_str)
            .is_some_and(|n| FOLLOWING.contains(&n));
        if local
            && ours
            && let Some(version) = package.get_mut("version")
        {
            set(version, to.to_string());
        }
    }
    Ok(doc.to_string())
}

/// `CHANGELOG.md` with an entry for `release` on top: the version, the
/// upstream version, the bump and why, then the report (shortened).
pub fn changelog(old: &str, release: Release, upstream: &str, report: &Report) -> String {
    const HEAD: &str = "# Changelog\n\nThe generated crates (`stytch-types`, `stytch-client`, `stytch-mock`), one entry per\nupstream update (`stytch-codegen update`); the version follows the change report.\n";
    let rest = old.strip_prefix(HEAD).unwrap_or(old).trim_start();
    let report = render::markdown_within(report, ENTRY_LIMIT, "the update's pull request");
    format!(
        "{HEAD}\n## {} ({} from {}): Stytch's OpenAPI document `{upstream}`\n\n{}{}\n{rest}",
        release.to,
        release.bump.as_str(),
        release.from,
        report.trim(),
        if rest.is_empty() { "" } else { "\n" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().expect("a version")
    }

    #[test]
    fn a_generated_crates_manifest_takes_the_version_and_the_upstream_version() {
        let before = r#"[package]
name = "stytch-client"
version = "0.1.0" # the generated crates' version
edition = "2024"

[dependencies]
# The types, at the same version.
stytch-types = { path = "..", version = "=0.1.0", default-features = false }
stytch-codegen = { path = "../codegen", version = "0.1.0" }
serde = "1"

[target.'cfg(unix)'.dev-dependencies]
stytch-mock = { path = "../mock", version = "0.1.0" }
"#;
        let after = manifest(before, Some(v("0.2.0")), Some("2026-03-01-abc1234")).expect("edits");
        assert_eq!(
            after,
            r#"[package]
name = "stytch-client"
version = "0.2.0" # the generated crates' version
edition = "2024"

[package.metadata.stytch]
upstream-version = "2026-03-01-abc1234"

[dependencies]
# The types, at the same version.
stytch-types = { path = "..", version = "=0.2.0", default-features = false }
stytch-codegen = { path = "../codegen", version = "0.1.0" }
serde = "1"

[target.'cfg(unix)'.dev-dependencies]
stytch-mock = { path = "../mock", version = "0.2.0" }
"#
        );
    }

    #[test]
    fn the_workspace_version_moves_and_the_generators_stays() {
        let root = "[workspace.package]\nversion = \"0.3.4\"\n\n[workspace.dependencies]\nstytch-types = { path = \".\", version = \"0.3.4\" }\n\n[package]\nname = \"stytch-types\"\nversion.workspace = true\n";
        assert_eq!(current_version(root), Ok(v("0.3.4")));
        let after = manifest(root, Some(v("0.4.0")), Some("u")).expect("edits");
        assert!(
            after.contains("[workspace.package]\nversion = \"0.4.0\"\n"),
            "{after}"
        );
        assert!(
            after.contains("stytch-types = { path = \".\", version = \"0.4.0\" }"),
            "{after}"
        );
        assert!(after.contains("version.workspace = true"), "{after}");
        let codegen = "[package]\nname = \"stytch-codegen\"\nversion = \"1.0.0\"\n";
        assert_eq!(
            manifest(codegen, Some(v("0.4.0")), Some("u")).expect("edits"),
            codegen
        );
        // Nothing changed: only the upstream version is recorded.
        let same = manifest(root, None, Some("u")).expect("edits");
        assert!(same.contains("version = \"0.3.4\"") && same.contains("upstream-version = \"u\""));
    }

    #[test]
    fn the_lock_file_moves_the_local_generated_packages_only() {
        let lock = "version = 4\n\n[[package]]\nname = \"stytch-types\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"stytch-codegen\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"stytch-client\"\nversion = \"0.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let after = lock_file(lock, v("0.2.0")).expect("edits");
        assert_eq!(after, lock.replacen("0.1.0", "0.2.0", 1));
    }

    #[test]
    fn an_upstream_version_is_given_or_read_from_the_file_name() {
        let path = std::path::Path::new;
        assert_eq!(
            upstream_version(None, path("corpus/2026-02-05-5032e06.yml")).as_deref(),
            Some("2026-02-05-5032e06")
        );
        assert_eq!(upstream_version(None, path("openapi.yml")), None);
        assert_eq!(
            upstream_version(Some("v7"), path("openapi.yml")).as_deref(),
            Some("v7")
        );
    }
}
