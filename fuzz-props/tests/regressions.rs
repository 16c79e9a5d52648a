//! Inputs the fuzz targets found, kept as plain tests.

use stytch_fuzz_props::ValueCase;

/// A value-validated type read its JSON through `serde_json::Value`, which
/// keeps the last of repeated keys: `{"pair": ["ABC"], "pair": ["a", 1]}`
/// was accepted, while a parser keeping the first sees an invalid `pair`.
/// A repeated key is now a violation at its path, as in typed structs.
#[test]
fn value_type_refuses_a_repeated_key_at_its_path() {
    let err = serde_json::from_str::<ValueCase>(r#"{"pair": ["ABC"], "pair": ["a", 1]}"#)
        .expect_err("a repeated key is refused");
    let shown = err.to_string();
    assert!(shown.contains("$.pair: duplicate key"), "{shown}");

    let nested = r#"{"tree": {"weight": 1, "children": [{"weight": 2, "weight": 2}]}}"#;
    let err =
        serde_json::from_str::<ValueCase>(nested).expect_err("a nested repeated key is refused");
    let shown = err.to_string();
    assert!(
        shown.contains("$.tree.children[0].weight: duplicate key"),
        "{shown}"
    );

    // The same values without the repeat are valid.
    for valid in [
        r#"{"pair": ["a", 1]}"#,
        r#"{"tree": {"weight": 1, "children": [{"weight": 2}]}}"#,
    ] {
        serde_json::from_str::<ValueCase>(valid).unwrap_or_else(|e| panic!("{valid}: {e}"));
    }
}
