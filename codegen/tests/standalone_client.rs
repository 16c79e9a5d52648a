//! Standalone client crates (`--crate NAME --client`): generated from
//! Stytch's Consumer document and the oldest upstream version, as written,
//! they build under `-D warnings`; one generated from `tests/standalone/pets.yaml`
//! sends what the document says to a loopback server and decodes the
//! answers. They build reqwest and whole APIs (minutes): skipped, with one
//! line, when `STYTCH_CORPUS` is unset.

use std::path::{Path, PathBuf};
use std::process::Command;

use stytch_codegen::{Config, fs, generate};

/// The upstream version built beside the Consumer document, as written:
/// the oldest, the furthest from the newest one `stytch-types` is built
/// from (with the repository's overlays).
const UPSTREAM: &str = "2025-09-05-2e044d3.yml";

fn corpus() -> Option<PathBuf> {
    let dir = fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}"));
    if dir.is_none() {
        println!("skipped: STYTCH_CORPUS is not set");
    }
    dir
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the client crate `name` generated from `openapi`, as written,
/// under `root`, as a workspace member.
fn write_client(root: &Path, name: &str, openapi: &Path) {
    let (input, _) = fs::read_openapi(openapi, None).expect("the document is readable");
    let config = Config::new().crate_name(name).client(true).schemars(false);
    let mut files = generate(&config, &input)
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", openapi.display()));
    for f in files.iter_mut().filter(|f| f.path == "Cargo.toml") {
        f.contents = f.contents.replace("\n[workspace]\n", "\n");
    }
    fs::write_output(&root.join(name), &files).expect("crate is written");
}

/// Runs `cargo ARGS` in the workspace at `root`, offline, warnings denied,
/// in a target directory the runs share; fails with cargo's output.
fn cargo(root: &Path, members: &[&str], args: &[&str]) {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )
    .expect("workspace manifest");
    // The repository's lock file: the versions it already builds, offline.
    std::fs::copy(
        manifest_dir().join("../Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .expect("lock file copied");
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--quiet"])
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            manifest_dir().join("../target/standalone-crates"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn clients_of_stytchs_documents_build() {
    let Some(corpus) = corpus() else { return };
    let out = tempfile::tempdir().expect("temp dir");
    // As written: no overlay (the naming rule and the duplicate-id warning
    // cover what the repository's overlays fix).
    write_client(
        out.path(),
        "consumer-client",
        &corpus.join("consumer-openapi.yaml"),
    );
    write_client(
        out.path(),
        "upstream-client",
        &corpus.join("../stytch-upstream").join(UPSTREAM),
    );
    cargo(
        out.path(),
        &["consumer-client", "upstream-client"],
        &["check", "--workspace", "--all-targets"],
    );
}

/// The loopback test, run in the generated crate's workspace.
const CALLER: &str = r#"
use pets_client::{Client, CreatePetRequest, Error, RecordEventRequest};
use serde_json::json;
use wiremock::matchers::{basic_auth, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .basic_auth("user", "pass")
        .base_url(server.uri())
        .server_url("https://telemetry.pets.example", server.uri())
        .build()
        .expect("valid settings")
}

#[tokio::test]
async fn get_sends_path_query_header_and_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/pets/a%20b%2Fc"))
        .and(query_param("view", "full"))
        .and(header("x-trace-id", "t-1"))
        .and(basic_auth("user", "pass"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"pet_id": "a b/c", "name": "Rex"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let pet = client.pets().get("a b/c").view("full").x_trace_id("t-1").await;
    let pet = pet.expect("the server answered as the document says");
    assert_eq!((pet.pet_id(), pet.name()), ("a b/c", "Rex"));
}

#[tokio::test]
async fn post_sends_the_body_and_a_path_server_goes_where_it_is_mapped() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/pets"))
        .and(body_json(json!({"name": "Rex"})))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pet_id": "p1", "name": "Rex"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/pets/events"))
        .and(body_json(json!({"kind": "walk"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"recorded": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let request = CreatePetRequest::builder().name("Rex").build().expect("valid");
    let pet = client.pets().create(&request).await.expect("created");
    assert_eq!(pet.pet_id(), "p1");
    let event = RecordEventRequest::builder().kind("walk").build().expect("valid");
    let recorded = client.pets().events().record(&event).await.expect("recorded");
    assert!(recorded.recorded());
}

#[tokio::test]
async fn an_error_status_is_an_api_error_holding_the_body() {
    let server = MockServer::start().await;
    let body = json!({"error_type": "pet_not_found", "status_code": 404});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body.clone()))
        .mount(&server)
        .await;
    match client(&server).pets().get("p9").await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status().as_u16(), 404);
            // Typed: the document's error responses name `PetError`.
            assert_eq!(api.response().error_type(), "pet_not_found");
            assert_eq!(api.response().status_code(), 404);
            assert_eq!(
                api.to_string(),
                format!("Pets API error (HTTP 404): {body}")
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[test]
fn credentials_are_required_and_never_printed() {
    let missing = Client::builder().base_url("http://127.0.0.1:1").build();
    assert!(matches!(missing, Err(Error::Config(_))), "{missing:?}");
    let client = Client::builder()
        .basic_auth("user", "hunter2")
        .build()
        .expect("the document's server is the default");
    assert_eq!(client.base_url(), "https://pets.example/");
    assert!(!format!("{client:?}").contains("hunter2"));
    let colon = Client::builder().basic_auth("a:b", "c").build();
    assert!(matches!(colon, Err(Error::Config(_))), "{colon:?}");
}
"#;

#[test]
fn a_generated_client_calls_a_loopback_server() {
    if corpus().is_none() {
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    write_client(
        out.path(),
        "pets-client",
        &manifest_dir().join("tests/standalone/pets.yaml"),
    );
    let caller = out.path().join("caller");
    for dir in ["src", "tests"] {
        std::fs::create_dir_all(caller.join(dir)).expect("caller dir");
    }
    std::fs::write(
        caller.join("Cargo.toml"),
        "[package]\nname = \"caller\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\npets-client = { path = \"../pets-client\" }\nserde_json = \"1\"\n\
         wiremock = \"0.6\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
    )
    .expect("caller manifest");
    std::fs::write(caller.join("src/lib.rs"), "").expect("caller lib");
    std::fs::write(caller.join("tests/loopback.rs"), CALLER).expect("caller test");
    cargo(
        out.path(),
        &["pets-client", "caller"],
        &["test", "-p", "caller"],
    );
}

/// The pets document with its security scheme replaced by `scheme` (YAML,
/// indented under the scheme's name).
fn pets_with_scheme(scheme: &str) -> stytch_codegen::Input {
    let path = manifest_dir().join("tests/standalone/pets.yaml");
    let text = std::fs::read_to_string(&path).expect("pets.yaml is readable");
    let text = text.replace("      type: http\n      scheme: basic\n", scheme);
    stytch_codegen::Input {
        openapi: vec![stytch_codegen::SourceFile {
            name: "pets.yaml".to_owned(),
            text,
        }],
        ..stytch_codegen::Input::default()
    }
}

fn client_runtime(input: &stytch_codegen::Input) -> Result<String, Vec<String>> {
    let config = Config::new().crate_name("pets").client(true);
    match generate(&config, input) {
        Ok(files) => Ok(files
            .into_iter()
            .find(|f| f.path == "src/client_runtime.rs")
            .expect("the client's runtime is written")
            .contents),
        Err(d) => Err(d.diagnostics().iter().map(ToString::to_string).collect()),
    }
}

#[test]
fn the_credentials_setter_follows_the_security_scheme() {
    let cases = [
        (
            "      type: http\n      scheme: basic\n",
            "pub fn basic_auth(",
        ),
        (
            "      type: http\n      scheme: bearer\n",
            "pub fn bearer_token(",
        ),
        (
            "      type: apiKey\n      in: header\n      name: X-Api-Key\n",
            "HeaderName::from_static(\"x-api-key\")",
        ),
    ];
    for (scheme, setter) in cases {
        let runtime = client_runtime(&pets_with_scheme(scheme)).expect("generates");
        assert!(runtime.contains(setter), "{scheme}: no {setter}");
        assert!(runtime.contains("const CREDENTIALS_REQUIRED: bool = true;"));
    }
}

#[test]
fn a_security_scheme_the_client_cannot_send_is_refused_located() {
    let query = "      type: apiKey\n      in: query\n      name: key\n";
    assert_eq!(
        client_runtime(&pets_with_scheme(query)),
        Err(vec![
            "pets.yaml:91:5: at /components/securitySchemes/basicAuth: unsupported security scheme (type \"apiKey\", scheme \"\", in \"query\"): a generated client sends http basic, http bearer or an apiKey header".to_owned()
        ])
    );
    let mut two = pets_with_scheme("      type: http\n      scheme: basic\n");
    two.openapi[0].text = two.openapi[0]
        .text
        .replace("  - basicAuth: []\n", "  - basicAuth: []\n  - other: []\n");
    let refused = client_runtime(&two).expect_err("two schemes are refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("at /components/securitySchemes: the operations use 2 security schemes (basicAuth, other)"),
        "{refused:?}"
    );
}

#[test]
fn types_only_crates_have_no_client() {
    let input = pets_with_scheme("      type: http\n      scheme: basic\n");
    let files = generate(&Config::new().crate_name("pets"), &input).expect("generates");
    let manifest = &files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("manifest")
        .contents;
    assert!(!manifest.contains("reqwest"), "{manifest}");
    assert!(files.iter().all(|f| f.path != "src/client_runtime.rs"));
}
