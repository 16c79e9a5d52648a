//! `stytch-codegen diff OLD NEW` and `diff --base REV`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stytch_codegen::Input;
use stytch_codegen::diff::version::{Bump, Version};
use stytch_codegen::diff::{Report, Severity, render};
use stytch_codegen::fs;

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old version: an OpenAPI document (YAML or JSON) or a schemas
    /// folder (its `openapi.yml`, schema files and `overlays/`).
    #[arg(required_unless_present = "base")]
    old: Option<PathBuf>,
    /// The new version, likewise. With `--base`, the schemas folder of the
    /// working tree (default `schemas`).
    new: Option<PathBuf>,
    /// Compare the schemas folder at this git revision with the working
    /// tree's.
    #[arg(long, value_name = "REV", conflicts_with = "old")]
    base: Option<String>,
    /// Overlays applied to both sides when they are documents, not folders.
    #[arg(long, value_name = "DIR")]
    overlays: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit 1 when a change this severe or worse is present and not
    /// acknowledged.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Breaking changes acknowledged: one location (or `location: message`)
    /// per line, `#` comments.
    #[arg(long, value_name = "FILE")]
    acknowledged: Option<PathBuf>,
    /// Also write the whole Markdown report here; the printed one keeps
    /// within GitHub's comment limit and names this file for the rest.
    #[arg(long, value_name = "FILE")]
    full_report: Option<PathBuf>,
    /// Print only the version that follows CURRENT for these changes
    /// (Cargo's semver rules; CURRENT itself when nothing changed), instead
    /// of the report.
    #[arg(long, value_name = "CURRENT")]
    bump: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
    Github,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FailOn {
    Breaking,
    Additive,
}

pub fn run(args: DiffArgs) -> ExitCode {
    match report(&args) {
        Ok(report) if args.bump.is_some() => match bumped(&report, args.bump.as_deref()) {
            Ok(next) => {
                println!("{next}");
                exit_code(&report, args.fail_on)
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Ok(report) => match printed(&report, args.format, args.full_report.as_deref()) {
            Ok(text) => {
                print!("{text}");
                exit_code(&report, args.fail_on)
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Err(message) => {
            for line in message.lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(2)
        }
    }
}

/// The version after `current` for `report`'s changes.
fn bumped(report: &Report, current: Option<&str>) -> Result<String, String> {
    let current: Version = current.unwrap_or_default().parse()?;
    Ok(match Bump::of(report) {
        Some(bump) => {
            let next = current.bumped(bump);
            eprintln!("{current} -> {next} ({} change)", bump.as_str());
            next
        }
        None => current,
    }
    .to_string())
}

/// 1 when `fail_on` is given and such a change is present and not
/// acknowledged, else 0.
pub fn exit_code(report: &Report, fail_on: Option<FailOn>) -> ExitCode {
    let threshold = fail_on.map(|f| match f {
        FailOn::Breaking => Severity::Breaking,
        FailOn::Additive => Severity::Additive,
    });
    if threshold.is_some_and(|t| report.fails(t)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The report to print; with `full_report`, the whole Markdown report is
/// written there and the printed one names it for what it leaves out.
pub fn printed(
    report: &Report,
    format: Format,
    full_report: Option<&Path>,
) -> Result<String, String> {
    let Some(path) = full_report else {
        return Ok(rendered(report, format));
    };
    std::fs::write(path, render::markdown(report))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(match format {
        Format::Markdown => {
            let full = format!("`{}`", path.display());
            render::markdown_within(report, render::COMMENT_LIMIT, &full)
        }
        other => rendered(report, other),
    })
}

pub fn rendered(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => render::markdown_within(
            report,
            render::COMMENT_LIMIT,
            "run `stytch-codegen diff` with `--full-report FILE`",
        ),
        Format::Json => render::json(report),
        Format::Github => render::github(report),
    }
}

fn report(args: &DiffArgs) -> Result<Report, String> {
    let (old, new) = match (&args.base, &args.old, &args.new) {
        (Some(rev), _, new) => {
            let dir = new.clone().unwrap_or_else(|| PathBuf::from("schemas"));
            let old = super::git::read_input_at(rev, &dir)?;
            (old, read(&dir, args.overlays.as_deref())?)
        }
        (None, Some(old), Some(new)) => {
            let same = std::fs::canonicalize(old)
                .ok()
                .zip(std::fs::canonicalize(new).ok())
                .is_some_and(|(a, b)| a == b);
            if same {
                return Err(format!(
                    "{} is given as both OLD and NEW; compare two versions",
                    old.display()
                ));
            }
            (
                read(old, args.overlays.as_deref())?,
                read(new, args.overlays.as_deref())?,
            )
        }
        (None, _, _) => return Err("give OLD and NEW, or --base REV".to_owned()),
    };
    let mut report = stytch_codegen::diff::diff(&old, &new).map_err(|d| lines(&d))?;
    if let Some(file) = &args.acknowledged {
        let list = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for unused in report.acknowledge(&list) {
            eprintln!(
                "warning: {}: `{unused}` acknowledges no breaking change",
                file.display()
            );
        }
    }
    Ok(report)
}

/// A document, or a folder as `generate --schemas` reads it.
pub fn read(path: &Path, overlays: Option<&Path>) -> Result<Input, String> {
    let read = if path.is_dir() {
        fs::read_input(path)
    } else {
        fs::read_openapi(path, overlays)
    };
    let (input, _) = read.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if input.schemas.is_empty() && input.openapi.is_empty() {
        return Err(format!(
            "{} holds no schemas or OpenAPI document",
            path.display()
        ));
    }
    Ok(input)
}

/// One diagnostic a line, without the `error: ` that [`run`] adds.
pub fn lines(diagnostics: &stytch_codegen::Diagnostics) -> String {
    let lines: Vec<String> = diagnostics.0.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
