//! `stytch-codegen`: regenerate `generated/` from `schemas/`, or check that it
//! is up to date.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stytch_codegen::{Config, Diagnostic, Input, REGENERATE_COMMAND, fs, generate_with_warnings};

#[derive(Parser)]
#[command(
    version,
    about = "Generate validated Rust types from Stytch's JSON Schemas"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the output directory from the schemas (the default).
    Generate(Dirs),
    /// Exit 1 with a diff when the output directory is stale; never writes.
    Check(Dirs),
}

#[derive(clap::Args)]
struct Dirs {
    /// Directory of schema files; overlays are read from its `overlays/`.
    #[arg(long, default_value = "schemas", conflicts_with = "openapi")]
    schemas: PathBuf,
    /// Read the schemas from an OpenAPI 3.0/3.1 document's
    /// `components.schemas` (YAML or JSON) instead of a directory.
    #[arg(long, value_name = "FILE")]
    openapi: Option<PathBuf>,
    /// Overlays to apply with `--openapi` (a directory of overlay documents).
    #[arg(long, value_name = "DIR", requires = "openapi")]
    overlays: Option<PathBuf>,
    /// Directory the generated files go to.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Write a complete standalone crate of this name (Cargo.toml, src/).
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
    /// Leave out the `schemars::JsonSchema` impls (and the `schemars`
    /// feature): about a fifth less code to generate and review.
    #[arg(long)]
    no_schemars: bool,
    /// Write into a non-empty directory that holds no generated files. Files
    /// the generator did not write are still never overwritten or removed.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Unwrapped lines keep `file:line:col: at pointer: message` greppable.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    let command = cli.command.unwrap_or(Command::Generate(Dirs {
        schemas: "schemas".into(),
        openapi: None,
        overlays: None,
        out: "generated".into(),
        crate_name: None,
        no_schemars: false,
        force: false,
    }));
    let (dirs, check) = match command {
        Command::Generate(d) => (d, false),
        Command::Check(d) => (d, true),
    };
    let read = match &dirs.openapi {
        Some(file) => fs::read_openapi(file, dirs.overlays.as_deref()),
        None => fs::read_input(&dirs.schemas),
    };
    let (input, _) = match read {
        Ok(read) => read,
        Err(e) => {
            eprintln!("error: cannot read schemas: {e}");
            return ExitCode::from(2);
        }
    };
    let regenerate_command = regenerate_command(&dirs);
    let config = Config {
        crate_name: dirs.crate_name.clone(),
        regenerate_command,
        schemars: !dirs.no_schemars,
    };
    let files = match generate_with_warnings(&config, &input) {
        Ok(generated) => {
            for w in &generated.warnings.0 {
                eprintln!("warning: {w}");
            }
            generated.files
        }
        Err(diagnostics) => {
            for d in &diagnostics.0 {
                render(d, &input);
            }
            eprintln!(
                "error: {} problem{} found; nothing was written",
                diagnostics.0.len(),
                if diagnostics.0.len() == 1 { "" } else { "s" }
            );
            return ExitCode::FAILURE;
        }
    };
    if check {
        match fs::diff_output(&dirs.out, &files) {
            Ok(None) => {
                println!("{} is up to date", dirs.out.display());
                ExitCode::SUCCESS
            }
            Ok(Some(diff)) => {
                print!("{diff}");
                eprintln!(
                    "error: {} is stale; run `{}` and commit the result",
                    dirs.out.display(),
                    config.regenerate_command
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", dirs.out.display());
                ExitCode::from(2)
            }
        }
    } else {
        let existing = if dirs.force {
            fs::Existing::Allow
        } else {
            fs::Existing::Refuse
        };
        match fs::write_output_with(&dirs.out, &files, existing) {
            Ok(changed) if changed.is_empty() => {
                println!("{} is up to date", dirs.out.display());
                ExitCode::SUCCESS
            }
            Ok(changed) => {
                for path in changed {
                    println!("wrote {}", path.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", dirs.out.display());
                ExitCode::from(2)
            }
        }
    }
}

/// The command that reproduces this run, for the generated files' header and
/// `check`'s hint. Paths are spelled one way (relative to the current
/// directory when below it, `/`-separated, no `.` or trailing `/`), so
/// `./schemas/` and `schemas` give the same header and `check` agrees.
/// `--force` is left out: it only matters for a first write.
fn regenerate_command(dirs: &Dirs) -> String {
    let schemas = spelled(&dirs.schemas);
    let out = spelled(&dirs.out);
    let defaults = dirs.openapi.is_none()
        && schemas == "schemas"
        && out == "generated"
        && dirs.crate_name.is_none()
        && !dirs.no_schemars;
    if defaults {
        return REGENERATE_COMMAND.to_owned();
    }
    let mut command = String::from("stytch-codegen generate");
    match &dirs.openapi {
        Some(file) => {
            command += &format!(" --openapi {}", spelled(file));
            if let Some(overlays) = &dirs.overlays {
                command += &format!(" --overlays {}", spelled(overlays));
            }
        }
        None => command += &format!(" --schemas {schemas}"),
    }
    command += &format!(" --out {out}");
    if let Some(name) = &dirs.crate_name {
        command += &format!(" --crate {name}");
    }
    if dirs.no_schemars {
        command += " --no-schemars";
    }
    command
}

/// `path` in one spelling: resolved (symlinks and `..` included, as far as
/// it exists), then relative to the current directory when below it.
fn spelled(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // The longest existing ancestor is canonicalized; the rest is appended.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let resolved = loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            break rest.iter().rev().fold(canonical, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break absolute.clone(),
        }
    };
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    let shown = match cwd.as_deref().map(|cwd| resolved.strip_prefix(cwd)) {
        Ok(Ok(relative)) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(Ok(relative)) => relative.to_path_buf(),
        _ => resolved,
    };
    shown.display().to_string()
}

/// Prints a diagnostic with a source excerpt when the file is one we read.
fn render(d: &Diagnostic, input: &Input) {
    let source = input
        .schemas
        .iter()
        .chain(&input.overlays)
        .chain(&input.openapi)
        .find(|f| f.name == d.file);
    match source {
        Some(file) if d.line > 0 => {
            let report = miette::miette!(
                labels = vec![miette::LabeledSpan::at(
                    d.span.0..d.span.0 + d.span.1,
                    "here"
                )],
                "{d}"
            )
            .with_source_code(miette::NamedSource::new(&file.name, file.text.clone()));
            eprintln!("{report:?}");
        }
        _ => eprintln!("error: {d}"),
    }
}
