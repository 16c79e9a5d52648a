//! With the `build-codegen` feature, generates the types from `schemas/` into
//! `OUT_DIR/generated`. Without it there is nothing to do: `src/lib.rs`
//! includes the committed `generated/`.

fn main() {
    #[cfg(feature = "build-codegen")]
    codegen::run();
}

#[cfg(feature = "build-codegen")]
mod codegen {
    use std::path::PathBuf;

    pub fn run() {
        let schemas = PathBuf::from("schemas");
        // A directory makes cargo rerun when any file below it changes, is
        // added or removed; nothing else triggers the generator.
        println!("cargo::rerun-if-changed=schemas");
        let (input, _) = match stytch_codegen::fs::read_input(&schemas) {
            Ok(read) => read,
            Err(e) => fail(&format!("cannot read schemas: {e}")),
        };
        let config = stytch_codegen::Config::default().features(true);
        let files = match stytch_codegen::generate_with_warnings(&config, &input) {
            Ok(generated) => {
                for w in &generated.warnings.0 {
                    println!("cargo::warning={w}");
                }
                generated.files
            }
            Err(diagnostics) => fail(&diagnostics.to_string()),
        };
        let out = match std::env::var_os("OUT_DIR") {
            Some(dir) => PathBuf::from(dir).join("generated"),
            None => fail("OUT_DIR is not set; build.rs must run under cargo"),
        };
        if let Err(e) = stytch_codegen::fs::write_output(&out, &files) {
            fail(&format!("cannot write generated code: {e}"));
        }
    }

    fn fail(message: &str) -> ! {
        for line in message.lines() {
            println!("cargo::error={line}");
        }
        std::process::exit(1)
    }
}
