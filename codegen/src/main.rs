//! `stytch-codegen`: regenerate `generated/` from `schemas/`, or check that it
//! is up to date.
#![forbid(unsafe_code)]

mod cli;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stytch_codegen::{
    Config, Diagnostic, Error, GeneratedFile, Input, REGENERATE_COMMAND, Target, fs,
    generate_with_warnings,
};

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
    /// Report what changed between two versions of the API, for the wire
    /// and for the Rust API of the generated crates.
    Diff(cli::diff::DiffArgs),
    /// Replace the vendored OpenAPI document, keep the overlays, regenerate,
    /// and report what changed.
    Update(cli::update::UpdateArgs),
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
    /// Also write the HTTP client's request functions (one per operation of
    /// the OpenAPI document) into this directory. In this repository's
    /// layout (`--schemas schemas --out generated`, the defaults) it is
    /// `client/src/generated` unless given.
    #[arg(long, value_name = "DIR", conflicts_with = "crate_name")]
    client_out: Option<PathBuf>,
    /// Also write the mock server's route table and response schemas into
    /// this directory. In this repository's layout it is
    /// `mock/src/generated` unless given.
    #[arg(long, value_name = "DIR")]
    mock_out: Option<PathBuf>,
    /// Write a complete standalone crate of this name (Cargo.toml, src/).
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
    /// With `--crate`: the crate also holds the operations' request
    /// functions and a client on reqwest (base URLs from the document's
    /// `servers`, the credentials its security scheme takes, timeouts, a
    /// typed error), ready to call the API.
    #[arg(long, requires = "crate_name")]
    client: bool,
    /// Leave out the `schemars::JsonSchema` impls (and the `schemars`
    /// feature): about a fifth less code to generate and review.
    #[arg(long)]
    no_schemars: bool,
    /// Read `format` as an annotation (draft 2020-12's default) instead of
    /// asserting it: `email`, `date-time`… then accept any string.
    #[arg(long)]
    format_annotation: bool,
    /// Read a `$ref` to URL from the local FILE (repeatable). A URL ending
    /// in `/` is a prefix mapped to the directory FILE. Nothing is fetched
    /// over the network: a `$ref` no mapping covers is refused.
    #[arg(long = "resolve", value_name = "URL=FILE", value_parser = parse_resolve)]
    resolve: Vec<(String, PathBuf)>,
    /// Write into a non-empty directory that holds no generated files. Files
    /// the generator did not write are still never overwritten or removed.
    #[arg(long)]
    force: bool,
}

/// Generation is allocation-bound (token streams, syntax trees): mimalloc
/// does that work in fewer instructions than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Unwrapped lines keep `file:line:col: at pointer: message` greppable.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    let command = cli.command.unwrap_or(Command::Generate(Dirs {
        client_out: None,
        mock_out: None,
        ..Dirs::repository()
    }));
    let (mut dirs, check) = match command {
        Command::Generate(d) => (d, false),
        Command::Check(d) => (d, true),
        Command::Diff(args) => return cli::diff::run(args),
        Command::Update(args) => return cli::update::run(args),
    };
    if dirs.client_out.is_none() && repository_layout(&dirs) {
        dirs.client_out = Some(DEFAULT_CLIENT_OUT.into());
    }
    if dirs.mock_out.is_none() && repository_layout(&dirs) {
        dirs.mock_out = Some(DEFAULT_MOCK_OUT.into());
    }
    // First, since an interrupted `update` may have been replacing the
    // schemas too; `check` only reports it.
    if !check && let Err(message) = recover(&dirs.out) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
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
    let config = dirs.config(&regenerate_command);
    let files = match generate_with_warnings(&config, &input) {
        Ok(generated) => {
            for w in &generated.warnings.0 {
                eprintln!("warning: {w}");
            }
            generated.files
        }
        Err(Error::Input(diagnostics)) => {
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
        // Not the input's fault: no excerpt to show, only what failed.
        Err(other) => {
            eprintln!("error: {other}; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    let outputs = outputs(&dirs, &files);
    if check {
        check_outputs(&outputs, &regenerate_command)
    } else {
        generate_outputs(&outputs, dirs.force)
    }
}

impl Dirs {
    /// The generator's configuration for these flags.
    fn config(&self, regenerate_command: &str) -> Config {
        let mut config = Config::new()
            .regenerate_command(regenerate_command)
            .schemars(!self.no_schemars)
            .format_assertion(!self.format_annotation)
            .client(self.client_out.is_some() || self.client)
            .mock(self.mock_out.is_some())
            // This repository's crates declare the features; other
            // layouts get whole crates.
            .features(repository_layout(self));
        if let Some(name) = &self.crate_name {
            config = config.crate_name(name.clone());
        }
        for (url, file) in &self.resolve {
            config = config.resolve(url.clone(), file.clone());
        }
        config
    }

    /// This repository's layout, as `generate` without flags has it.
    fn repository() -> Dirs {
        Dirs {
            schemas: "schemas".into(),
            openapi: None,
            overlays: None,
            out: "generated".into(),
            client_out: Some(DEFAULT_CLIENT_OUT.into()),
            mock_out: Some(DEFAULT_MOCK_OUT.into()),
            crate_name: None,
            client: false,
            no_schemars: false,
            format_annotation: false,
            resolve: Vec::new(),
            force: false,
        }
    }
}

/// The repository's own layout: `schemas/` into `generated/`, the client
/// beside them.
fn repository_layout(dirs: &Dirs) -> bool {
    dirs.openapi.is_none()
        && spelled(&dirs.schemas) == "schemas"
        && spelled(&dirs.out) == "generated"
        && dirs.crate_name.is_none()
}

const DEFAULT_CLIENT_OUT: &str = "client/src/generated";
const DEFAULT_MOCK_OUT: &str = "mock/src/generated";

/// Each output directory with the files that go into it.
fn outputs(dirs: &Dirs, files: &[GeneratedFile]) -> Vec<(PathBuf, Vec<GeneratedFile>)> {
    let of = |target: Target| -> Vec<GeneratedFile> {
        files
            .iter()
            .filter(|f| f.target == target)
            .cloned()
            .collect()
    };
    let mut outputs = vec![(dirs.out.clone(), of(Target::Types))];
    if let Some(client) = &dirs.client_out {
        outputs.push((client.clone(), of(Target::Client)));
    }
    if let Some(mock) = &dirs.mock_out {
        outputs.push((mock.clone(), of(Target::Mock)));
    }
    outputs
}

/// `check`: every output compared, never written; the hint is the exact
/// command that rewrites them.
fn check_outputs(outputs: &[(PathBuf, Vec<GeneratedFile>)], command: &str) -> ExitCode {
    if let Some((dir, _)) = outputs.first() {
        let journal = dir.join(fs::JOURNAL);
        if std::fs::symlink_metadata(&journal).is_ok() {
            eprintln!(
                "error: {} is the journal of an interrupted run; run `{command}` to finish it",
                journal.display()
            );
            return ExitCode::FAILURE;
        }
    }
    let mut stale = false;
    for (dir, files) in outputs {
        match fs::diff_output(dir, files) {
            Ok(None) => println!("{} is up to date", dir.display()),
            Ok(Some(diff)) => {
                print!("{diff}");
                eprintln!(
                    "error: {} is stale; run `{command}` and commit the result",
                    dir.display()
                );
                stale = true;
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    if stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `generate`: every output written in one step (`--force`: beside foreign
/// files).
fn generate_outputs(outputs: &[(PathBuf, Vec<GeneratedFile>)], force: bool) -> ExitCode {
    let existing = if force {
        fs::Existing::Allow
    } else {
        fs::Existing::Refuse
    };
    match write_outputs(outputs, existing, &[]) {
        Ok(written) => {
            for (dir, changed) in written {
                if changed.is_empty() {
                    println!("{} is up to date", dir.display());
                }
                for path in changed {
                    println!("wrote {}", path.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(WriteFailure::Unwritten(message)) => {
            eprintln!("error: {message}; nothing was written");
            ExitCode::from(2)
        }
        Err(WriteFailure::Interrupted(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// How writing the outputs failed.
enum WriteFailure {
    /// Before the first file was replaced: everything is as it was.
    Unwritten(String),
    /// Midway: the journal stays, and the next run finishes the update.
    Interrupted(String),
}

/// Finishes the run killed midway whose journal is in `journal_dir`, if any.
fn recover(journal_dir: &Path) -> Result<(), String> {
    match fs::recover(journal_dir) {
        Ok(None) => Ok(()),
        Ok(Some(changed)) => {
            for path in changed {
                println!("finished an interrupted run: wrote {}", path.display());
            }
            Ok(())
        }
        Err(e) => Err(format!("cannot finish an interrupted run: {e}")),
    }
}

/// Writes every output, and `document` (a path and its new bytes) when
/// given, as one step: every directory is checked before any file is
/// written, then all files are replaced or none. The journal goes in the
/// first output directory, where `recover` looks.
/// Each output directory with the files it replaced or removed.
type Written<'a> = Vec<(&'a PathBuf, Vec<PathBuf>)>;

/// Writes `outputs` and the `also` files (the document, manifests) as one
/// step.
fn write_outputs<'a>(
    outputs: &'a [(PathBuf, Vec<GeneratedFile>)],
    existing: fs::Existing,
    also: &[(PathBuf, Vec<u8>)],
) -> Result<Written<'a>, WriteFailure> {
    let journal_dir = outputs
        .first()
        .map_or(Path::new("."), |(dir, _)| dir.as_path());
    let mut transaction = fs::Transaction::new(journal_dir);
    let mut planned = Vec::new();
    for (dir, files) in outputs {
        let changed = transaction
            .add_output(dir, files, existing)
            .map_err(|e| WriteFailure::Unwritten(format!("cannot write {}: {e}", dir.display())))?;
        planned.push((dir, changed));
    }
    for (path, bytes) in also {
        transaction.replace(path, bytes.as_slice());
    }
    transaction.commit().map_err(|e| match e {
        fs::CommitError::Unwritten(e) => WriteFailure::Unwritten(format!("cannot write: {e}")),
        interrupted @ fs::CommitError::Interrupted { .. } => {
            WriteFailure::Interrupted(format!("cannot write: {interrupted}"))
        }
    })?;
    Ok(planned)
}

/// The command that reproduces this run, for the generated files' header and
/// `check`'s hint. Paths are spelled one way (relative to the current
/// directory when below it, `/`-separated, no `.` or trailing `/`), so
/// `./schemas/` and `schemas` give the same header and `check` agrees.
/// `--force` is left out: it only matters for a first write.
fn regenerate_command(dirs: &Dirs) -> String {
    let defaults = repository_layout(dirs)
        && dirs
            .client_out
            .as_deref()
            .is_some_and(|c| spelled(c) == DEFAULT_CLIENT_OUT)
        && dirs
            .mock_out
            .as_deref()
            .is_some_and(|m| spelled(m) == DEFAULT_MOCK_OUT)
        && !dirs.no_schemars
        && !dirs.format_annotation;
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
        None => command += &format!(" --schemas {}", spelled(&dirs.schemas)),
    }
    command += &format!(" --out {}", spelled(&dirs.out));
    if let Some(client) = &dirs.client_out {
        command += &format!(" --client-out {}", spelled(client));
    }
    if let Some(mock) = &dirs.mock_out {
        command += &format!(" --mock-out {}", spelled(mock));
    }
    if let Some(name) = &dirs.crate_name {
        command += &format!(" --crate {name}");
    }
    if dirs.client {
        command += " --client";
    }
    if dirs.no_schemars {
        command += " --no-schemars";
    }
    if dirs.format_annotation {
        command += " --format-annotation";
    }
    for (url, file) in &dirs.resolve {
        command += &format!(" --resolve {url}={}", spelled(file));
    }
    command
}

/// `URL=FILE` of `--resolve`, split at the first `=`: a file name may hold
/// one, and a URL with a query names no mapped file anyway.
fn parse_resolve(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((url, file)) if !url.is_empty() && !file.is_empty() => {
            Ok((url.to_owned(), PathBuf::from(file)))
        }
        _ => Err(format!("expected URL=FILE, found {text:?}")),
    }
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

/// Longest source line shown in a diagnostic's excerpt, in bytes.
const MAX_EXCERPT_LINE: usize = 1000;

/// Prints a diagnostic with a source excerpt when the file is one we read.
fn render(d: &Diagnostic, input: &Input) {
    let source = input
        .schemas
        .iter()
        .chain(&input.overlays)
        .chain(&input.openapi)
        .find(|f| f.name == d.file);
    // An excerpt of a very long line (minified JSON) would print megabytes,
    // one character at a time; the position alone says where.
    let excerpt_fits = |file: &stytch_codegen::SourceFile| {
        let start = file.text[..d.span.0.min(file.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = file.text[start..]
            .find('\n')
            .map_or(file.text.len(), |i| start + i);
        end - start <= MAX_EXCERPT_LINE
    };
    match source {
        Some(file) if d.line > 0 && excerpt_fits(file) => {
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
