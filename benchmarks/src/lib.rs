//! The two generators of the whole-corpus benchmark (issue 4), shared by
//! `benches/generate_corpus.rs` and the `typify-corpus` binary that
//! `scripts/corpus-build-time` uses to write typify's output as a crate.
//!
//! Both sides do the same work on the same files: read every
//! `$STYTCH_CORPUS/json-schema/*.json`, parse, convert, and format the Rust
//! source with `prettyplease`.
#![forbid(unsafe_code)]

pub mod upstream;

use std::path::{Path, PathBuf};

use stytch_codegen::{Config, GeneratedFile};

/// `$STYTCH_CORPUS/json-schema`, or `None` when the variable is unset.
pub fn corpus_schemas() -> Option<PathBuf> {
    std::env::var_os("STYTCH_CORPUS").map(|dir| PathBuf::from(dir).join("json-schema"))
}

/// Ours: `read_input` then `generate` as a standalone crate (the same output
/// `stytch-codegen generate --crate stytch-corpus` writes, plus
/// `--no-schemars` when `schemars` is false). `generate` formats every file
/// with `prettyplease`.
pub fn stytch_codegen(dir: &Path, schemars: bool) -> Result<Vec<GeneratedFile>, String> {
    let (input, _) = stytch_codegen::fs::read_input(dir).map_err(|e| e.to_string())?;
    let config = Config::new().crate_name("stytch-corpus").schemars(schemars);
    stytch_codegen::generate(&config, &input).map_err(|e| e.to_string())
}

/// What typify's output needs beyond `serde` and `serde_json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypifyUses {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
}

/// typify 0.7.0 on the same files: one `TypeSpace`, every file added through
/// one `add_ref_types` call under the last segment of its `$id`
/// (`#/components/schemas/NAME` → `NAME`). typify resolves a `$ref` by its
/// last path segment, so `"$ref": "#/components/schemas/NAME"` finds it; this
/// is how typify is fed OpenAPI components (one self-contained batch).
/// Struct builders are on, as ours has builders. Returns the formatted
/// source.
pub fn typify(dir: &Path) -> Result<(String, TypifyUses), String> {
    let mut defs = Vec::new();
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let schema: schemars::schema::Schema =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let id = match &schema {
            schemars::schema::Schema::Object(o) => o.metadata.as_ref().and_then(|m| m.id.clone()),
            schemars::schema::Schema::Bool(_) => None,
        };
        let name = id
            .as_deref()
            .and_then(|id| id.rsplit('/').next())
            .ok_or_else(|| format!("{}: no `$id`", path.display()))?
            .to_owned();
        defs.push((name, schema));
    }
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_struct_builder(true);
    let mut space = typify::TypeSpace::new(&settings);
    space.add_ref_types(defs).map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(space.to_stream()).map_err(|e| e.to_string())?;
    let uses = TypifyUses {
        chrono: space.uses_chrono(),
        uuid: space.uses_uuid(),
        regress: space.uses_regress(),
    };
    Ok((prettyplease::unparse(&file), uses))
}
