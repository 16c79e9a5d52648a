//! The settings of a run, and what it writes.

use crate::{REGENERATE_COMMAND, lower};

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
    pub(crate) types_crate: String,
    pub(crate) schemars: bool,
    pub(crate) client: bool,
    pub(crate) mock: bool,
    pub(crate) features: bool,
    pub(crate) format_assertion: bool,
    pub(crate) remotes: Vec<(String, std::path::PathBuf)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            regenerate_command: REGENERATE_COMMAND.to_owned(),
            crate_name: None,
            types_crate: "stytch_types".to_owned(),
            schemars: true,
            client: false,
            mock: false,
            features: false,
            format_assertion: true,
            remotes: Vec::new(),
        }
    }
}

impl Config {
    /// The defaults: files for `include!` in this repository's layout
    /// (types crate `stytch_types`), `schemars` impls on, no client.
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

    /// The crate the [`Target::Client`] and [`Target::Mock`] files reach
    /// the types through (default `stytch_types`); a Rust identifier. A
    /// standalone crate ([`Config::crate_name`]) holds its client itself and
    /// does not use it.
    pub fn types_crate(mut self, name: impl Into<String>) -> Self {
        self.types_crate = name.into();
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

    /// Gate the types crate's operations and types, and the client's
    /// request functions, behind a Cargo feature per API group (off by
    /// default; see [`crate::features`] for the names and the rule). The
    /// crates' manifests must declare the features. Not for a standalone
    /// crate ([`Config::crate_name`]), which is always whole.
    pub fn features(mut self, on: bool) -> Self {
        self.features = on;
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
