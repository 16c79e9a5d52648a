//! `build-codegen` (generate at build time) and `default-features = false`
//! (compile the committed `generated/`) must compile the very same code.
#![cfg(feature = "build-codegen")]

use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, text)
        })
        .collect()
}

#[test]
fn build_time_output_is_byte_identical_to_committed_generated() {
    let built = files(&Path::new(env!("OUT_DIR")).join("generated"));
    let committed = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("generated"));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "file lists differ; run `{}`",
        stytch_codegen::REGENERATE_COMMAND
    );
    for (name, text) in &built {
        assert!(
            committed[name] == *text,
            "generated/{name} differs from the build-time output; run `{}`",
            stytch_codegen::REGENERATE_COMMAND
        );
    }
}
