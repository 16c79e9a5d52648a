//! The schemas folder as it was at a git revision, read with `git ls-tree`
//! and `git show` (the working tree is not touched).

use std::path::Path;
use std::process::Command;

use stytch_codegen::{Input, SourceFile};

/// The schemas, OpenAPI documents and overlays of `dir` at `rev`, sorted by
/// name as `fs::read_input` reads them.
pub fn read_input_at(rev: &str, dir: &Path) -> Result<Input, String> {
    let dir = dir.to_str().ok_or("the schemas path is not UTF-8")?;
    let dir = dir.trim_end_matches('/');
    // `./` makes the paths relative to the current directory, as typed.
    let listing = git(&[
        "ls-tree",
        "-r",
        "--name-only",
        rev,
        "--",
        &format!("./{dir}/"),
    ])?;
    let mut input = Input::default();
    let mut names: Vec<&str> = listing.lines().collect();
    names.sort_unstable();
    for name in names {
        let Some(rest) = name.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) else {
            continue;
        };
        let (folder, file) = match rest.split_once('/') {
            Some((folder, file)) => (Some(folder), file),
            None => (None, rest),
        };
        let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
        let list = match (folder, extension) {
            (None, "json") => &mut input.schemas,
            (None, "yaml" | "yml") => &mut input.openapi,
            (Some("overlays"), "json" | "yaml" | "yml") if !file.contains('/') => {
                &mut input.overlays
            }
            _ => continue,
        };
        let text = git(&["show", &format!("{rev}:./{name}")])?;
        list.push(SourceFile {
            name: format!("{rev}:{name}"),
            text,
        });
    }
    if input.schemas.is_empty() && input.openapi.is_empty() {
        return Err(format!("{rev}:{dir} holds no schemas or OpenAPI document"));
    }
    Ok(input)
}

/// Runs git; its stdout, or its stderr as the error.
fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {}: {}", args.join(" "), stderr.trim()));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| format!("git {}: output is not UTF-8", args.join(" ")))
}
