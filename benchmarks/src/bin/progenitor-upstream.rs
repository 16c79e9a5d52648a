//! Writes progenitor 0.15.1's output for `schemas/openapi.yml` (patched as
//! `stytch_benchmarks::upstream` says) as a crate (`Cargo.toml`,
//! `src/lib.rs`) into the directory given as the only argument. Used by
//! `scripts/client-build-time`.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stytch_benchmarks::upstream;

/// stytch-codegen's CLI runs on mimalloc; both tools get it here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: progenitor-upstream OUT_DIR");
        return ExitCode::from(2);
    };
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let code = match upstream::patched_for_progenitor(&schemas)
        .and_then(|(p, _)| upstream::progenitor(&p))
    {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // What progenitor's generated code names (its README's dependency list).
    // reqwest is progenitor-client's 0.13, without TLS: the figure that
    // matters is the generated crate's own compile time, dependencies built.
    let manifest = "[package]\nname = \"progenitor-upstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
        [workspace]\n\n[dependencies]\n\
        progenitor-client = \"0.15\"\n\
        reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"stream\", \"query\"] }\n\
        serde = { version = \"1\", features = [\"derive\"] }\n\
        serde_json = \"1\"\n\
        serde_urlencoded = \"0.7\"\n\
        bytes = \"1\"\n\
        futures-core = \"0.3\"\n\
        chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n\
        uuid = { version = \"1\", features = [\"serde\"] }\n\
        regress = \"0.10\"\n";
    let lib = format!("#![allow(warnings, clippy::all)]\n{code}");
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let result = std::fs::create_dir_all(out.join("src"))
        .map_err(|e| e.to_string())
        .and_then(|()| write(out.join("Cargo.toml"), manifest))
        .and_then(|()| write(out.join("src/lib.rs"), &lib));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
