//! Generates validated Rust types from JSON Schemas (draft 2020-12).
//!
//! [`generate`] is pure: schema and overlay texts in, file contents out. Only
//! the edges ([`fs`], the CLI and `build.rs`) touch the file system.
//!
//! ```text
//! load ─▶ overlay ─▶ lower (TypeSpace) ─▶ emit ─▶ files
//! ```
#![forbid(unsafe_code)]

mod diagnostic;
pub mod diff;
mod emit;
pub mod fs;
mod load;
mod lower;
mod model;
pub mod naming;
mod openapi30;
mod overlay;
pub mod pattern;
mod strict;
mod text;
mod yaml;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::EmitError;

/// The command printed in every generated file's header and by `check`.
pub const REGENERATE_COMMAND: &str = "cargo run -p stytch-codegen -- generate";

/// One input file: its name as shown in diagnostics, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Everything one run reads.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// JSON Schema files, one component each, identified by
    /// `"$id": "#/components/schemas/NAME"`.
    pub schemas: Vec<SourceFile>,
    /// OpenAPI Overlay 1.0 documents, applied in order.
    pub overlays: Vec<SourceFile>,
    /// OpenAPI 3.0/3.1 documents (JSON, or YAML when the name ends in
    /// `.yaml`/`.yml`) whose `components.schemas` are read as schemas.
    pub openapi: Vec<SourceFile>,
}

impl Input {
    /// Schema files, then OpenAPI documents: the index space of components.
    fn sources(&self) -> Vec<SourceFile> {
        self.schemas.iter().chain(&self.openapi).cloned().collect()
    }
}

/// Settings of a run, built through methods so that a new option never
/// breaks a caller:
///
/// ```
/// let config = stytch_codegen::Config::new().schemars(false).client(true);
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    pub(crate) regenerate_command: String,
    pub(crate) crate_name: Option<String>,
    pub(crate) schemars: bool,
    pub(crate) client: bool,
    pub(crate) mock: bool,
    pub(crate) format_assertion: bool,
    pub(crate) remotes: Vec<(String, std::path::PathBuf)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            regenerate_command: REGENERATE_COMMAND.to_owned(),
            crate_name: None,
            schemars: true,
            client: false,
            mock: false,
            format_assertion: true,
            remotes: Vec::new(),
        }
    }
}

impl Config {
    /// The defaults: files for `include!`, `schemars` impls on, no client.
    pub fn new() -> Self {
        Self::default()
    }

    /// The command that rewrites the output, named in each file's header
    /// (default: [`REGENERATE_COMMAND`]).
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// Make the output a complete standalone crate of this name
    /// (`Cargo.toml` and `src/`) instead of files for `include!`.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Emit `schemars::JsonSchema` impls behind a `schemars` feature (on by
    /// default). About a fifth of the output; off when nobody exports the
    /// schemas.
    pub fn schemars(mut self, on: bool) -> Self {
        self.schemars = on;
        self
    }

    /// Also emit the HTTP client's request functions, one per operation of
    /// the OpenAPI document ([`Target::Client`] files; off by default).
    /// With [`Config::crate_name`], the standalone crate holds them, with a
    /// client on reqwest: base URLs from the document's `servers`, the
    /// credentials its security scheme takes, timeouts and a typed `Error`.
    pub fn client(mut self, on: bool) -> Self {
        self.client = on;
        self
    }

    /// Also emit the mock server's route table, one route per operation of
    /// the OpenAPI document, and the response schemas its default answers
    /// are built from ([`Target::Mock`] files; off by default).
    pub fn mock(mut self, on: bool) -> Self {
        self.mock = on;
        self
    }

    /// Whether `format` asserts (on by default): a string must then be a
    /// valid `email`, `date-time`… (a format the runtime cannot check is
    /// refused at generation, located). Off, `format` is the annotation draft
    /// 2020-12 makes it by default (its format-annotation vocabulary) and
    /// asserts nothing, on strings and numbers alike.
    pub fn format_assertion(mut self, on: bool) -> Self {
        self.format_assertion = on;
        self
    }

    /// Where a `$ref` to `url` reads its schema from: the local file `path`,
    /// or, for a `url` ending in `/`, the directory `path`, the rest of the
    /// URL naming a file below it. Nothing is ever fetched over the network:
    /// a `$ref` to a URL neither this map nor the bundled draft 2020-12
    /// metaschemas cover is refused. Repeatable; the longest prefix wins.
    pub fn resolve(mut self, url: impl Into<String>, path: impl Into<std::path::PathBuf>) -> Self {
        let url = url.into();
        // Compared with resolved `$ref`s, which are normalized.
        let url = lower::normalize_url(&url).unwrap_or(url);
        self.remotes.push((url, path.into()));
        self
    }
}

/// Which output an emitted file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The types crate (`generated/`): types, operations, the runtime.
    Types,
    /// The client crate's generated module (`client/src/generated/`).
    Client,
    /// The mock server's generated module (`mock/src/generated/`).
    Mock,
}

/// One output file, path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub target: Target,
    pub path: String,
    pub contents: String,
}

/// The schemas as the generator sees them, overlays applied, in the shape of
/// an OpenAPI document: `{"components": {"schemas": {NAME: schema}}}`. Tests
/// validate instances against it with an independent validator.
pub fn effective_document(input: &Input) -> Result<serde_json::Value, Diagnostics> {
    let files = input.sources();
    let mut errors = Vec::new();
    let doc = load_and_overlay(input, &files, &mut errors);
    if errors.is_empty() {
        Ok(doc.to_value())
    } else {
        Err(located(errors, &files, input))
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
    with_deep_stack(|| {
        let files = input.sources();
        let mut errors = Vec::new();
        let doc = load_and_overlay(input, &files, &mut errors);
        // Operations do not depend on how `format` is read.
        let space = lower::lower(
            &doc,
            &files,
            lower::Mode::Api,
            &lower::Formats::all(true),
            &[],
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(located(errors, &files, input));
        }
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
    })
}

/// Loads the schemas and applies the overlays: what both `generate` and
/// `effective_document` start from.
fn load_and_overlay(
    input: &Input,
    files: &[SourceFile],
    errors: &mut Vec<Diagnostic>,
) -> load::Document {
    let mut doc = load::load(files, input.schemas.len(), errors);
    if !input.overlays.is_empty() {
        let mut value = doc.to_value();
        overlay::apply(&mut value, &input.overlays, errors);
        for name in doc.replace_from(value) {
            let message = format!(
                "an overlay adds schema {name}, but only an OpenAPI document can hold a new schema; add a schema file instead"
            );
            errors.push(diagnostic::at(&input.overlays[0], "", message));
        }
    }
    // Overlays are written in the document's own dialect; what follows
    // reads draft 2020-12.
    openapi30::rewrite(&mut doc, files, errors);
    doc
}

/// Fills in positions, reading each file once (see `diagnostic::locate_all`).
fn located(mut errors: Vec<Diagnostic>, files: &[SourceFile], input: &Input) -> Diagnostics {
    let all: Vec<&SourceFile> = files.iter().chain(&input.overlays).collect();
    diagnostic::locate_all(&mut errors, &all);
    Diagnostics(errors)
}

/// Turns schemas into Rust source. Returns every problem found, not only the
/// first; on error nothing is produced. Warnings are dropped; see
/// [`generate_with_warnings`].
pub fn generate(config: &Config, input: &Input) -> Result<Vec<GeneratedFile>, Diagnostics> {
    generate_with_warnings(config, input)
        .map(|g| g.files)
        .map_err(Diagnostics::from)
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

/// The [`Diagnostics`] of a failed run, for the callers that take only
/// those: a failure of emitting becomes one diagnostic whose file is
/// `(generator)`.
impl From<Error> for Diagnostics {
    fn from(error: Error) -> Self {
        match error {
            Error::Input(diagnostics) => diagnostics,
            Error::Emit(e) => Diagnostics(vec![Diagnostic {
                file: String::from("(generator)"),
                pointer: String::new(),
                line: 0,
                column: 0,
                span: (0, 0),
                message: e.to_string(),
            }]),
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
    let files = input.sources();
    let mut errors = Vec::new();
    let doc = load_and_overlay(input, &files, &mut errors);
    let mut space = lower::lower(
        &doc,
        &files,
        lower::Mode::Api,
        &lower::Formats::all(config.format_assertion),
        &config.remotes,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Input(located(errors, &files, input)));
    }
    let warnings = located(std::mem::take(&mut space.warnings), &files, input);
    let settings = match (&config.crate_name, config.client, &doc.api) {
        (Some(_), true, Some(api)) => {
            emit::standalone::client_settings(&api.rest, &files[api.file])
                .map(Some)
                .map_err(|errors| Error::Input(located(errors, &files, input)))?
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

/// One standalone JSON Schema document (no `$id` of the component form
/// needed) and the component name its type is generated under.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Standalone {
    /// Component name, e.g. `suite_Type3` (see [`naming::type_path`]).
    pub name: String,
    pub file: SourceFile,
    /// Whether `format` asserts in this document, overriding
    /// [`Config::format_assertion`] (`None`: the config decides). Documents
    /// of one run may differ, as the test suite's required and optional
    /// files do.
    pub format_assertion: Option<bool>,
}

impl Standalone {
    /// `file` generated under the component name `name`, `format` asserting
    /// as [`Config::format_assertion`] says.
    pub fn new(name: impl Into<String>, file: SourceFile) -> Self {
        Standalone {
            name: name.into(),
            file,
            format_assertion: None,
        }
    }

    /// Whether `format` asserts in this document, whatever the config says.
    pub fn format_assertion(mut self, on: bool) -> Self {
        self.format_assertion = Some(on);
        self
    }
}

/// Like [`generate`], for documents that are each a schema of their own, such
/// as the JSON Schema Test Suite's: `#` in a `$ref` is the document itself,
/// and every enum is closed. No overlays apply.
pub fn generate_standalone(
    config: &Config,
    documents: &[Standalone],
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    with_deep_stack(|| generate_standalone_on_this_thread(config, documents))
}

fn generate_standalone_on_this_thread(
    config: &Config,
    documents: &[Standalone],
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let files: Vec<SourceFile> = documents.iter().map(|d| d.file.clone()).collect();
    let mut errors = Vec::new();
    let doc = load::load_standalone(documents, &mut errors);
    // Document `i` is file `i`.
    let formats = lower::Formats {
        assert: config.format_assertion,
        per_file: documents
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((i, d.format_assertion?)))
            .collect(),
    };
    let space = lower::lower(
        &doc,
        &files,
        lower::Mode::Standalone,
        &formats,
        &config.remotes,
        &mut errors,
    );
    if !errors.is_empty() {
        let all: Vec<&SourceFile> = files.iter().collect();
        diagnostic::locate_all(&mut errors, &all);
        return Err(Diagnostics(errors));
    }
    // Schemas without an API: no client.
    emit_space(config, &space, None).map_err(Diagnostics::from)
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
