//! Every error-response example Stytch publishes (`$STYTCH_CORPUS/examples`)
//! deserializes into `ErrorResponse` and serializes back unchanged.
//! Skipped, with one line, when `STYTCH_CORPUS` is unset.

use serde_json::Value;
use stytch_types::error::{ErrorResponse, ErrorType};

#[test]
fn every_published_error_example_deserializes() {
    let dir = stytch_codegen::fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}"));
    let Some(dir) = dir else {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("examples")).expect("examples/ is readable") {
        let path = entry.expect("directory entry").path();
        let text = std::fs::read_to_string(&path).expect("example is readable");
        let file: Value = serde_json::from_str(&text).expect("example is JSON");
        for response in file["responseExamples"].as_array().into_iter().flatten() {
            let example = &response["example"];
            let error: ErrorResponse = serde_json::from_value(example.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                error.status_code().to_string(),
                response["status"].as_str().unwrap_or_default()
            );
            assert!(
                !matches!(error.error_type(), ErrorType::Unknown(_)),
                "{}: {:?} is not listed",
                path.display(),
                error.error_type()
            );
            assert_eq!(&serde_json::to_value(&error).expect("serializes"), example);
            checked += 1;
        }
    }
    println!("error examples checked: {checked}");
    assert_eq!(checked, 261, "87 operations × 3 examples");
}
