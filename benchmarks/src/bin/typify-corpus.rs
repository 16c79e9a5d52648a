//! Writes typify 0.7.0's output for `$STYTCH_CORPUS/json-schema` as a crate
//! (`Cargo.toml`, `src/lib.rs`) into the directory given as the only
//! argument. Used by `scripts/corpus-build-time`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: typify-corpus OUT_DIR  (reads $STYTCH_CORPUS/json-schema)");
        return ExitCode::from(2);
    };
    let Some(dir) = stytch_benchmarks::corpus_schemas() else {
        eprintln!("error: STYTCH_CORPUS is not set");
        return ExitCode::from(2);
    };
    let (code, uses) = match stytch_benchmarks::typify(&dir) {
        Ok(done) => done,
        Err(e) => {
            eprintln!("error: typify: {e}");
            return ExitCode::FAILURE;
        }
    };
    // regress as in our generated crate (typify 0.7.0 itself builds with 0.11;
    // the generated code uses only `Regex::new` and `find`).
    let mut deps =
        String::from("serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n");
    if uses.chrono {
        deps += "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n";
    }
    if uses.uuid {
        deps += "uuid = { version = \"1\", features = [\"serde\"] }\n";
    }
    if uses.regress {
        deps += "regress = \"0.12\"\n";
    }
    let manifest = format!(
        "[package]\nname = \"typify-corpus\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{deps}"
    );
    let lib = format!("#![allow(clippy::all, dead_code)]\n{code}");
    let write = |path: PathBuf, text: &str| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Unchanged files keep their mtime, so reruns do not force rebuilds.
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        std::fs::write(&path, text)
    };
    if let Err(e) =
        write(out.join("Cargo.toml"), &manifest).and_then(|()| write(out.join("src/lib.rs"), &lib))
    {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {} (typify 0.7.0, {uses:?})", out.display());
    ExitCode::SUCCESS
}
