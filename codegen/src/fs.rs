//! The file-system edge: reading `schemas/`, writing or checking the output.
//! Architecture invariant: nothing else in the generator touches the disk.

use std::io;
use std::path::{Path, PathBuf};

use crate::{GeneratedFile, Input, SourceFile};

/// Reads every `*.json` in `dir` as a schema, every `*.yaml`/`*.yml` as an
/// OpenAPI document (upstream's, vendored unmodified), and every
/// `*.json`/`*.yaml` in `dir/overlays` as an overlay, sorted by name so runs
/// are reproducible. Returns the files read too, for `rerun-if-changed`.
pub fn read_input(dir: &Path) -> io::Result<(Input, Vec<PathBuf>)> {
    let schemas = read_files(dir, &["json"])?;
    let openapi = read_files(dir, &["yaml", "yml"])?;
    let overlay_dir = dir.join("overlays");
    let overlays = if overlay_dir.is_dir() {
        read_files(&overlay_dir, &["json", "yaml", "yml"])?
    } else {
        Vec::new()
    };
    let read: Vec<PathBuf> = schemas
        .iter()
        .chain(&openapi)
        .chain(&overlays)
        .map(|(p, _)| p.clone())
        .collect();
    Ok((
        Input {
            schemas: schemas.into_iter().map(|(_, f)| f).collect(),
            overlays: overlays.into_iter().map(|(_, f)| f).collect(),
            openapi: openapi.into_iter().map(|(_, f)| f).collect(),
        },
        read,
    ))
}

/// Reads an OpenAPI document (JSON or YAML) whose `components.schemas` are
/// the schemas, plus the overlays in `overlays` (if given).
pub fn read_openapi(file: &Path, overlays: Option<&Path>) -> io::Result<(Input, Vec<PathBuf>)> {
    let text = std::fs::read_to_string(file).map_err(|e| with_path(e, file))?;
    let overlays = match overlays {
        Some(dir) => read_files(dir, &["json", "yaml", "yml"])?,
        None => Vec::new(),
    };
    let mut read = vec![file.to_path_buf()];
    read.extend(overlays.iter().map(|(p, _)| p.clone()));
    Ok((
        Input {
            schemas: Vec::new(),
            overlays: overlays.into_iter().map(|(_, f)| f).collect(),
            openapi: vec![SourceFile {
                name: file.display().to_string(),
                text,
            }],
        },
        read,
    ))
}

fn read_files(dir: &Path, extensions: &[&str]) -> io::Result<Vec<(PathBuf, SourceFile)>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| with_path(e, dir))? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e));
        if path.is_file() && wanted {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| with_path(e, &path))?;
            let file = SourceFile {
                name: path.display().to_string(),
                text,
            };
            Ok((path, file))
        })
        .collect()
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Writes `files` into `out`, each through a temporary file and a rename so a
/// reader never sees half a file; unchanged files are left untouched (their
/// mtime too) and `.rs` files no longer generated are removed.
/// Returns the paths that changed.
pub fn write_output(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| with_path(e, out))?;
    let mut changed = Vec::new();
    for file in files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
        }
        if write_file_if_changed(&path, &file.contents)? {
            changed.push(path);
        }
    }
    for stale in stale_files(out, files)? {
        std::fs::remove_file(&stale).map_err(|e| with_path(e, &stale))?;
        changed.push(stale);
    }
    Ok(changed)
}

fn write_file_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents).map_err(|e| with_path(e, &tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| with_path(e, path))?;
    Ok(true)
}

/// `.rs` files in the directories we write to that this run does not produce.
fn stale_files(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<PathBuf>> {
    let wanted: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|f| out.join(&f.path)).collect();
    let dirs: std::collections::BTreeSet<PathBuf> = wanted
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let mut stale = Vec::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in std::fs::read_dir(dir).map_err(|e| with_path(e, dir))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "rs") && !wanted.contains(&path) {
                stale.push(path);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

#[cfg(feature = "cli")]
/// Compares `files` with what is in `out`. Returns a unified diff of every
/// difference (missing, changed and stale files), or `None` when up to date.
pub fn diff_output(out: &Path, files: &[GeneratedFile]) -> io::Result<Option<String>> {
    let mut report = String::new();
    for file in files {
        let path = out.join(&file.path);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != file.contents {
            use std::fmt::Write as _;
            let shown = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&old, &file.contents);
            let _ = write!(
                report,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        }
    }
    for stale in stale_files(out, files)? {
        use std::fmt::Write as _;
        let _ = writeln!(
            report,
            "stale file (no longer generated): {}",
            stale.display()
        );
    }
    Ok((!report.is_empty()).then_some(report))
}
