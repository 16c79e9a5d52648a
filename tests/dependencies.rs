//! The crate depends on exactly the pattern engines its generated code
//! uses: patterns that compile to plain Rust need neither `regex` nor
//! `regress`, and a regeneration that brings one back must add it here.

/// The names in the manifest's `[dependencies]` table.
fn dependencies() -> Vec<String> {
    let manifest: toml::Table =
        toml::from_str(include_str!("../Cargo.toml")).expect("Cargo.toml is TOML");
    manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .expect("a [dependencies] table")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn pattern_engines_match_the_generated_runtime() {
    let runtime = include_str!("../generated/validation.rs");
    let deps = dependencies();
    for engine in ["regex", "regress"] {
        let used = runtime.contains(&format!("{engine}::"));
        let listed = deps.iter().any(|d| d == engine);
        assert_eq!(
            used,
            listed,
            "generated/validation.rs {} `{engine}` but Cargo.toml {} it",
            if used { "uses" } else { "does not use" },
            if listed { "lists" } else { "does not list" },
        );
    }
}
