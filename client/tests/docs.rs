//! The client's documentation is written for someone who depends on
//! `stytch-client` alone: types are reached as `stytch_client::types::…`,
//! since `stytch_types::…` does not resolve without a dependency of its own.

use std::path::Path;

/// Every line of `text` that mentions `stytch_types::` in documentation:
/// a doc comment in Rust source, any line of Markdown.
fn offending(name: &str, text: &str, markdown: bool) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            (markdown || line.starts_with("//!") || line.starts_with("///"))
                && line.contains("stytch_types::")
        })
        .map(|(i, line)| format!("{name}:{}: {}", i + 1, line.trim()))
        .collect()
}

#[test]
fn documentation_uses_paths_a_client_user_can_write() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut sources = vec![root.join("README.md")];
    let mut dirs = vec![root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(path);
            }
        }
    }
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("readable source");
        let markdown = path.extension().is_some_and(|e| e == "md");
        found.extend(offending(&path.display().to_string(), &text, markdown));
    }
    assert!(sources.len() > 3, "the sources were found: {sources:?}");
    assert!(
        found.is_empty(),
        "write stytch_client::types::… instead:\n{}",
        found.join("\n")
    );
}
