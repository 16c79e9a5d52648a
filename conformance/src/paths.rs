//! Where a group's file lives: shared by `build.rs` (which names the files)
//! and the runners (which read them back).

use std::path::{Path, PathBuf};

/// Files of our own cases (`conformance/cases/`) carry this prefix; the
/// others are relative to the suite directory.
pub const LOCAL_PREFIX: &str = "local/";

/// The suite's directory of test files (the other, `remotes/`, holds
/// schemas the tests refer to).
pub const DRAFT: &str = "draft2020-12";

/// Files below `draft2020-12/optional/` test what the specification leaves
/// optional; the others are required.
#[allow(dead_code)] // build.rs uses only the directory
pub fn is_optional(file: &str) -> bool {
    file.strip_prefix(DRAFT)
        .and_then(|f| f.strip_prefix("/optional/"))
        .is_some()
}

/// Whether the file's groups are generated with `format` asserted: only
/// `optional/format/`, which tests exactly that; elsewhere it annotates.
#[allow(dead_code)] // only build.rs uses it
pub fn asserts_formats(file: &str) -> bool {
    file.starts_with(&format!("{DRAFT}/optional/format/"))
}

/// The path of a group's `file` (as `build.rs` names it), given the suite
/// directory it was generated from.
#[allow(dead_code)] // build.rs uses only the prefix
pub fn source_path(suite_dir: &Path, file: &str) -> PathBuf {
    match file.strip_prefix(LOCAL_PREFIX) {
        Some(local) => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("cases")
            .join(local),
        None => suite_dir.join(file),
    }
}
