//! `stytch-codegen update --openapi NEW`: replace the vendored document,
//! keep the overlays, regenerate, and print what changed. Everything is
//! checked and generated before the first write, then the document and
//! every generated file are replaced in one step (`fs::Transaction`): on
//! any error nothing is written, and a run killed midway is finished by the
//! next.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stytch_codegen::{Error, SourceFile, generate_with_warnings};

use super::diff::{FailOn, Format, exit_code, lines, printed, read, rendered};
use super::release::{self, Release};
use crate::{Dirs, WriteFailure};

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// The new upstream OpenAPI document; copied byte for byte.
    #[arg(long, value_name = "FILE")]
    openapi: PathBuf,
    /// How the report of what changed is printed.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit 1 (after updating) when a change this severe is present.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// List every file written (on standard error); standard output holds
    /// only the report.
    #[arg(long)]
    verbose: bool,
    /// Which upstream version the document is (recorded in
    /// `schemas/upstream-version`, the manifests and the changelog); by
    /// default its file name, when that names a version
    /// (`2026-02-05-5032e06.yml`).
    #[arg(long, value_name = "VERSION")]
    upstream_version: Option<String>,
    /// Also write the whole Markdown report here (after a successful
    /// update); the printed one keeps within GitHub's comment limit and
    /// names this file for the rest.
    #[arg(long, value_name = "FILE")]
    full_report: Option<PathBuf>,
}

pub fn run(args: UpdateArgs) -> ExitCode {
    match update(&args) {
        Ok(code) => code,
        Err(message) => {
            for line in message.lines() {
                eprintln!("error: {line}");
            }
            eprintln!("error: nothing was written");
            ExitCode::from(2)
        }
    }
}

fn update(args: &UpdateArgs) -> Result<ExitCode, String> {
    // This repository's layout, from its root: `schemas/` (the vendored
    // document and `overlays/`) into `generated/`, the client's and the mock's modules.
    let schemas = PathBuf::from("schemas");
    let dirs = Dirs::repository();
    // A run killed midway is finished first: it may have been replacing
    // the very document read below.
    if let Err(message) = crate::recover(&dirs.out) {
        // Not "nothing was written": it may have stopped midway.
        eprintln!("error: {message}");
        return Ok(ExitCode::from(2));
    }
    let old = read(&schemas, None)?;
    let [vendored] = old.openapi.as_slice() else {
        return Err(format!(
            "{} must hold exactly one OpenAPI document to replace, not {}",
            schemas.display(),
            old.openapi.len()
        ));
    };
    let target = PathBuf::from(&vendored.name);
    let bytes = std::fs::read(&args.openapi)
        .map_err(|e| format!("cannot read {}: {e}", args.openapi.display()))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| format!("{} is not UTF-8 text", args.openapi.display()))?;
    let mut new = old.clone();
    new.openapi = vec![SourceFile {
        name: args.openapi.display().to_string(),
        text,
    }];
    // The configuration `generate` has in this layout (features included),
    // so `check` agrees with what `update` wrote. Overlays that no longer
    // match are errors of the generator, located in the overlay; they are
    // reported before anything is written.
    let config = dirs.config(&crate::regenerate_command(&dirs));
    let generated = generate_with_warnings(&config, &new).map_err(|e| {
        let problems = match &e {
            Error::Input(d) => lines(d),
            other => other.to_string(),
        };
        let (new, schemas) = (args.openapi.display(), schemas.display());
        format!("{problems}\n{new} does not generate with the overlays of {schemas}")
    })?;
    let report = stytch_codegen::diff::diff(&old, &new).map_err(|d| lines(&d))?;
    for warning in &generated.warnings.0 {
        eprintln!("warning: {warning}");
    }
    let outputs = crate::outputs(&dirs, &generated.files);
    let unchanged = std::fs::read(&target).is_ok_and(|old| old == bytes);
    let (release, mut also) = release_files(args, &report, unchanged)?;
    also.push((target.clone(), bytes));
    // One step: every directory checked, then every file, the document and
    // the manifests replaced, or none of them.
    let written = match crate::write_outputs(&outputs, stytch_codegen::fs::Existing::Refuse, &also)
    {
        Ok(written) => written,
        Err(WriteFailure::Unwritten(message)) => return Err(message),
        Err(WriteFailure::Interrupted(message)) => {
            // Not "nothing was written": the next run finishes the rest.
            eprintln!("error: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let files: Vec<&PathBuf> = written.iter().flat_map(|(_, changed)| changed).collect();
    tell(args, &target, &files, release);
    // The update is done: a report file that cannot be written is a
    // warning, and the comment-sized report is printed all the same.
    let text = printed(&report, args.format, args.full_report.as_deref()).unwrap_or_else(|e| {
        eprintln!("warning: {e}");
        rendered(&report, args.format)
    });
    print!("{text}");
    Ok(exit_code(&report, args.fail_on))
}

/// What was written, on standard error: standard output is the report
/// alone (a pull request's body). One line unless `--verbose`.
fn tell(args: &UpdateArgs, target: &Path, files: &[&PathBuf], release: Option<Release>) {
    if args.verbose {
        for path in files {
            eprintln!("wrote {}", path.display());
        }
    }
    eprintln!(
        "updated {} and {} generated file{}",
        target.display(),
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    if let Some(release) = release {
        eprintln!(
            "version {} -> {} ({} change)",
            release.from,
            release.to,
            release.bump.as_str()
        );
    }
}

/// Files to replace beside the generated ones, with their bytes.
type Also = Vec<(PathBuf, Vec<u8>)>;

/// The release the report makes, and the files that record it: the
/// upstream version, the manifests' versions, the lock file, the changelog.
fn release_files(
    args: &UpdateArgs,
    report: &stytch_codegen::diff::Report,
    unchanged: bool,
) -> Result<(Option<Release>, Also), String> {
    // The same document keeps the version it was recorded as (or none).
    let upstream = release::upstream_version(args.upstream_version.as_deref(), &args.openapi);
    let upstream = match upstream {
        Some(upstream) => Some(upstream),
        None if unchanged => None,
        None => {
            eprintln!(
                "warning: {} does not name its upstream version; recorded as `unknown` (give --upstream-version)",
                args.openapi.display()
            );
            Some("unknown".to_owned())
        }
    };
    let release = release::release(report)?;
    let files = release::rewrites(release, upstream.as_deref(), report)?
        .into_iter()
        .map(|(path, text)| (path, text.into_bytes()))
        .collect();
    Ok((release, files))
}
