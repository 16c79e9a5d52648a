//! Generates validated Rust types from JSON Schemas (draft 2020-12).
//!
//! [`generate`] is pure: schema and overlay texts in, file contents out. Only
//! the edges ([`fs`], the CLI and `build.rs`) touch the file system.
//!
//! ```text
//! load ─▶ overlay ─▶ lower (TypeSpace) ─▶ emit ─▶ files
//! ```
#![forbid(unsafe_code)]

mod config;
mod diagnostic;
pub mod diff;
mod emit;
pub mod fs;
mod input;
mod load;
mod lower;
mod model;
pub mod naming;
mod openapi30;
mod overlay;
pub mod pattern;
mod sources;
mod strict;
mod text;
mod yaml;

pub use config::{Config, GeneratedFile, Target};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::EmitError;
pub use input::{Input, SourceFile, Standalone};
use sources::SourceMap;

/// The command printed in every generated file's header and by `check`.
pub const REGENERATE_COMMAND: &str = "cargo run -p stytch-codegen -- generate";

/// The schemas as the generator sees them, overlays applied, in the shape of
/// an OpenAPI document: `{"components": {"schemas": {NAME: schema}}}`. Tests
/// validate instances against it with an independent validator.
pub fn effective_document(input: &Input) -> Result<serde_json::Value, Diagnostics> {
    let mut sources = SourceMap::default();
    let mut errors = Vec::new();
    let doc = load_and_overlay(input, &mut sources, &mut errors);
    if errors.is_empty() {
        Ok(doc.to_value())
    } else {
        Err(Diagnostics(errors))
    }
}

/// One operation of the document as the generator reads it (overlays
/// applied): what the client calls it and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationSummary {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path template (`/v1/users/{user_id}`).
    pub path: String,
    pub operation_id: String,
    /// The client's method chain: groups, then the function
    /// (`["b2b", "organizations", "get"]`).
    pub chain: Vec<String>,
}

/// The operations of the input's OpenAPI document, ordered by chain; empty
/// for a folder of schemas. Fails as [`generate`] would.
pub fn operations(input: &Input) -> Result<Vec<OperationSummary>, Diagnostics> {
    let space = lower_api(input)?;
    Ok(space
        .operations
        .iter()
        .map(|op| OperationSummary {
            method: op.method.as_str(),
            path: op.path.clone(),
            operation_id: op.operation_id.clone(),
            chain: op.chain.clone(),
        })
        .collect())
}

/// The Cargo features that [`Config::features`] gates the output by, for
/// the input's document: one per API group, in order, then `full`, which
/// turns on every group. A group's
/// feature is its top-level group (`users`), or for a top-level group
/// with no function of its own, its top two joined by `-`
/// (`b2b-organizations`). Empty for a folder of schemas. Fails as
/// [`generate`] would.
pub fn features(input: &Input) -> Result<Vec<String>, Diagnostics> {
    let space = lower_api(input)?;
    if space.operations.is_empty() {
        return Ok(Vec::new());
    }
    let features = emit::features::Features::of(&space);
    let mut names: Vec<String> = features.names().map(str::to_owned).collect();
    names.push(emit::features::FULL.to_owned());
    Ok(names)
}

/// The input's type space and operations, as `generate` lowers them.
fn lower_api(input: &Input) -> Result<model::TypeSpace, Diagnostics> {
    with_deep_stack(|| {
        let mut sources = SourceMap::default();
        let mut errors = Vec::new();
        let doc = load_and_overlay(input, &mut sources, &mut errors);
        // Operations do not depend on how `format` is read.
        let space = lower::lower(
            &doc,
            &mut sources,
            lower::Mode::Api,
            &lower::Formats::all(true),
            &[],
            &mut errors,
        );
        if errors.is_empty() {
            Ok(space)
        } else {
            Err(Diagnostics(errors))
        }
    })
}

/// Reads the input's files into `sources`, loads the schemas and applies
/// the overlays: what both `generate` and `effective_document` start from.
fn load_and_overlay(
    input: &Input,
    sources: &mut SourceMap,
    errors: &mut Vec<Diagnostic>,
) -> load::Document {
    let files = input.read(sources);
    let mut doc = load::load(sources, &files.schemas, &files.openapi, errors);
    if let Some(&first) = files.overlays.first() {
        let mut value = doc.to_value();
        overlay::apply(&mut value, sources, &files.overlays, errors);
        for name in doc.replace_from(value) {
            let message = format!(
                "an overlay adds schema {name}, but only an OpenAPI document can hold a new schema; add a schema file instead"
            );
            errors.push(sources.at(first, "", message));
        }
    }
    // Overlays are written in the document's own dialect; what follows
    // reads draft 2020-12.
    openapi30::rewrite(&mut doc, sources, errors);
    doc
}

/// Turns schemas into Rust source. Returns every problem found, not only the
/// first; on error nothing is produced. Warnings are dropped; see
/// [`generate_with_warnings`].
pub fn generate(config: &Config, input: &Input) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_warnings(config, input).map(|g| g.files)
}

/// Why a run produced no files: problems in the input, or a failure of the
/// generator itself.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is refused; every problem is located.
    #[error("{0}")]
    Input(Diagnostics),
    /// Emitting failed: a bug of the generator, or a configuration it cannot
    /// build.
    #[error("stytch-codegen could not emit the code: {0}")]
    Emit(#[from] EmitError),
}

impl Error {
    /// The located problems of a refused input; none when emitting failed.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Input(diagnostics) => &diagnostics.0,
            Error::Emit(_) => &[],
        }
    }
}

/// A successful run: the files, and what is worth telling about them.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Located like errors: a renamed property, a fallback taken, a pattern
    /// that is slow in other engines.
    pub warnings: Diagnostics,
}

/// [`generate`], keeping the warnings.
pub fn generate_with_warnings(config: &Config, input: &Input) -> Result<Generated, Error> {
    with_deep_stack(|| generate_on_this_thread(config, input))
}

/// Lowering, emission and `syn`/`prettyplease` all recurse over the schema's
/// nesting (bounded by `lower::MAX_DEPTH`); a debug build on a 2 MiB test
/// thread can overflow before that bound. Run on a thread with room to spare;
/// the memory is reserved, and only touched as deep as the schema goes.
fn with_deep_stack<T: Send>(run: impl FnOnce() -> T + Send) -> T {
    const STACK: usize = 256 * 1024 * 1024;
    let slot = std::sync::Mutex::new(Some(run));
    let take = || slot.lock().ok().and_then(|mut f| f.take());
    let joined = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, || take().map(|f| f()))
            .ok()
            .map(|handle| handle.join())
    });
    match joined {
        Some(Ok(Some(value))) => value,
        // A panic in generation is a bug; keep its message and location.
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread could be made: run here, on the caller's stack.
        _ => match take() {
            Some(f) => f(),
            None => unreachable!("the generation closure runs exactly once"),
        },
    }
}

fn generate_on_this_thread(config: &Config, input: &Input) -> Result<Generated, Error> {
    let mut sources = SourceMap::default();
    let mut errors = Vec::new();
    let doc = load_and_overlay(input, &mut sources, &mut errors);
    let mut space = lower::lower(
        &doc,
        &mut sources,
        lower::Mode::Api,
        &lower::Formats::all(config.format_assertion),
        &config.remotes,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors)));
    }
    let warnings = Diagnostics(std::mem::take(&mut space.warnings));
    let settings = match (&config.crate_name, config.client, &doc.api) {
        (Some(_), true, Some(api)) => {
            emit::standalone::client_settings(&api.rest, sources.get(api.file))
                .map(Some)
                .map_err(|mut errors| {
                    sources.locate(api.file, &mut errors);
                    Error::Input(Diagnostics(errors))
                })?
        }
        (Some(_), true, None) => Some(emit::standalone::ClientSettings::default()),
        _ => None,
    };
    let mut generated = emit_space(config, &space, settings.as_ref())?;
    if config.mock {
        // The mock builds default responses from the schemas as written
        // (overlays applied), which the type space no longer holds.
        let files = emit::mock_files(config, &space, &doc.to_value())?;
        generated.extend(files);
    }
    Ok(Generated {
        files: generated,
        warnings,
    })
}

/// Like [`generate`], for documents that are each a schema of their own, such
/// as the JSON Schema Test Suite's: `#` in a `$ref` is the document itself,
/// and every enum is closed. No overlays apply.
pub fn generate_standalone(
    config: &Config,
    documents: &[Standalone],
) -> Result<Vec<GeneratedFile>, Error> {
    with_deep_stack(|| generate_standalone_on_this_thread(config, documents))
}

fn generate_standalone_on_this_thread(
    config: &Config,
    documents: &[Standalone],
) -> Result<Vec<GeneratedFile>, Error> {
    let mut sources = SourceMap::default();
    let files: Vec<(&str, sources::FileId)> = documents
        .iter()
        .map(|d| (d.name.as_str(), sources.add(d.file.clone())))
        .collect();
    let mut errors = Vec::new();
    let doc = load::load_standalone(&sources, &files, &mut errors);
    let formats = lower::Formats {
        assert: config.format_assertion,
        per_file: documents
            .iter()
            .zip(&files)
            .filter_map(|(d, &(_, id))| Some((id, d.format_assertion?)))
            .collect(),
    };
    let space = lower::lower(
        &doc,
        &mut sources,
        lower::Mode::Standalone,
        &formats,
        &config.remotes,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Input(Diagnostics(errors)));
    }
    // Schemas without an API: no client.
    emit_space(config, &space, None)
}

/// `client`: the settings of a standalone crate's client, when it has one.
fn emit_space(
    config: &Config,
    space: &model::TypeSpace,
    client: Option<&emit::standalone::ClientSettings>,
) -> Result<Vec<GeneratedFile>, Error> {
    match &config.crate_name {
        None => Ok(emit::emit(space, config)?),
        Some(name) => {
            let emitted = emit::emit_parts(space, config)?;
            Ok(emit::standalone::standalone_crate(
                name, config, space, client, emitted,
            )?)
        }
    }
}
