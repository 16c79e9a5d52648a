//! The type naming rule (`naming::TypeNames`) on whole documents: the
//! vendored one (always), and every Stytch document of the corpus, gated on
//! `STYTCH_CORPUS` like the other corpus tests: collision-free on each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use stytch_codegen::naming::{TypeNames, TypePath};
use stytch_codegen::{effective_document, fs};

fn document(file: &Path) -> Value {
    // As published: no overlay (they target the newest document).
    let (input, _) = fs::read_openapi(file, None).expect("document is readable");
    effective_document(&input).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Every component's path, by the document's rule; panics on a component
/// the rule gives no path or on two components sharing one.
fn paths(file: &Path, doc: &Value) -> (TypeNames, BTreeMap<String, TypePath>) {
    let names = TypeNames::from_document(doc);
    let mut out = BTreeMap::new();
    let mut holders: BTreeMap<TypePath, &str> = BTreeMap::new();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for component in schemas.keys() {
        let path = names
            .type_path(component)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if let Some(other) = holders.insert(path.clone(), component) {
            panic!(
                "{}: `{other}` and `{component}` are both `{}`",
                file.display(),
                path.display()
            );
        }
        out.insert(component.clone(), path);
    }
    (names, out)
}

fn vendored() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/openapi.yml")
}

/// The cases issue 13 names, and what the rule says of each, on the
/// vendored document.
#[test]
fn multi_word_segments_stay_whole_and_types_sit_by_their_operations() {
    let file = vendored();
    let (names, paths) = paths(&file, &document(&file));
    let at = |c: &str| paths[c].display();
    assert_eq!(
        at("api_password_v1_passwords_existing_password_ResetRequest"),
        "password::passwords::existing_password::ResetRequest"
    );
    assert_eq!(
        at("api_magic_v1_magic_links_email_LoginOrCreateRequest"),
        "magic::magic_links::email::LoginOrCreateRequest"
    );
    // Segments that spell the package are dropped, `_` aside.
    assert_eq!(
        at("api_b2b_scim_v1_b2b_scim_connection_CreateRequest"),
        "b2b_scim::connection::CreateRequest"
    );
    assert_eq!(
        at("api_connectedapps_v1_connected_apps_clients_CreateRequest"),
        "connectedapps::clients::CreateRequest"
    );
    // Used by one operation's group only: placed beside it.
    assert_eq!(
        at("api_magic_v1_LoginOrCreateRequestLocale"),
        "magic::magic_links::email::LoginOrCreateRequestLocale"
    );
    // Shared by the SMS, WhatsApp and email groups: their nearest common
    // module, which is where the name puts it.
    assert_eq!(
        at("api_otp_v1_LoginOrCreateRequestLocale"),
        "otp::LoginOrCreateRequestLocale"
    );
    // The contract's types do not move.
    assert_eq!(
        at("api_otp_v1_otp_whatsapp_LoginOrCreateRequest"),
        "otp::whatsapp::LoginOrCreateRequest"
    );
    assert!(names.collisions().is_empty(), "{:?}", names.collisions());
}

/// Every Stytch document of the corpus: the 14 published upstream versions
/// and the Consumer split. Prints one row of ARCHITECTURE.md's table each.
#[test]
fn the_rule_is_collision_free_on_every_corpus_document() {
    let Some(corpus) = fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}")) else {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    let upstream = corpus.join("../stytch-upstream");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&upstream)
        .expect("stytch-upstream/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 14);
    files.push(corpus.join("consumer-openapi.yaml"));
    println!(
        "| document | components | multi-word segments kept | placed by operations | collisions |"
    );
    for file in files {
        let doc = document(&file);
        let (names, paths) = paths(&file, &doc);
        // Below the package, a segment holding `_` (an escape's trailing
        // `_` aside) is one the document's paths keep whole.
        let joined = paths
            .values()
            .filter(|p| {
                p.modules
                    .iter()
                    .skip(1)
                    .any(|m| m.trim_end_matches('_').contains('_'))
            })
            .count();
        let placed = names.placed().count();
        println!(
            "| {} | {} | {joined} | {placed} | {} |",
            file.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            paths.len(),
            names.collisions().len()
        );
        assert!(
            names.collisions().is_empty(),
            "{}: {:?}",
            file.display(),
            names.collisions()
        );
    }
}
