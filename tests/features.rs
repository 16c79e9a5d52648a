//! The manifests declare exactly the features the generated code is gated
//! by (`stytch_codegen::features`): one per API group, and `full`. A new
//! upstream group fails here, with the lines to put in each `[features]`.

use std::collections::BTreeMap;

/// The features of a manifest's `[features]` table, without `keep` (the
/// hand-written ones).
fn declared(manifest: &str, keep: &[&str]) -> BTreeMap<String, Vec<String>> {
    let manifest: toml::Table = toml::from_str(manifest).expect("the manifest is TOML");
    let table = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .expect("a [features] table");
    table
        .iter()
        .filter(|(name, _)| !keep.contains(&name.as_str()))
        .map(|(name, value)| {
            let enables = value
                .as_array()
                .expect("a feature is an array")
                .iter()
                .map(|v| v.as_str().expect("a feature names strings").to_owned())
                .collect();
            (name.clone(), enables)
        })
        .collect()
}

fn toml_lines(features: &BTreeMap<String, Vec<String>>) -> String {
    features
        .iter()
        .map(|(name, enables)| {
            let list: Vec<String> = enables.iter().map(|e| format!("{e:?}")).collect();
            format!("{name} = [{}]\n", list.join(", "))
        })
        .collect()
}

#[test]
fn manifests_declare_the_generated_features() {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let (input, _) = stytch_codegen::fs::read_input(&schemas).expect("schemas/ reads");
    let features = stytch_codegen::features(&input).expect("schemas/ generates");
    let (full, groups) = features.split_last().expect("the document has operations");
    assert_eq!(full, "full");

    let mut types: BTreeMap<String, Vec<String>> =
        groups.iter().map(|g| (g.clone(), Vec::new())).collect();
    types.insert(full.clone(), groups.to_vec());
    let mut client: BTreeMap<String, Vec<String>> = groups
        .iter()
        .map(|g| (g.clone(), vec![format!("stytch-types/{g}")]))
        .collect();
    let mut client_full = vec!["stytch-types/full".to_owned()];
    client_full.extend(groups.iter().cloned());
    client.insert(full.clone(), client_full);

    let manifests = [
        (
            "Cargo.toml",
            include_str!("../Cargo.toml"),
            &["default", "build-codegen", "schemars"][..],
            types,
        ),
        (
            "client/Cargo.toml",
            include_str!("../client/Cargo.toml"),
            &["default"][..],
            client,
        ),
    ];
    for (path, manifest, keep, expect) in manifests {
        let declared = declared(manifest, keep);
        assert!(
            declared == expect,
            "{path}'s [features] do not match the API groups of schemas/; after its own \
             features ({}), it should have:\n{}",
            keep.join(", "),
            toml_lines(&expect)
        );
    }
}
