//! Hostile inputs (issue 14): inputs and situations chosen to make the
//! generator lose data, hang, run code, emit code that does not compile,
//! answer wrongly or mislead. One test per item, each with its expected
//! outcome; generator cases go through `check`.

use std::path::Path;
use std::process::Command;

use stytch_codegen::{Config, Input, SourceFile, generate};

const HEAD: &str = r#""$schema": "https://json-schema.org/draft/2020-12/schema""#;

/// What a run of the generator on some input must give.
enum Expect<'a> {
    /// Refused; the rendered diagnostics, one per line, in order.
    Errors(&'a [&'a str]),
    /// Generated; some file contains each of these strings.
    Contains(&'a [&'a str]),
}

fn schema(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text: text.replace("HEAD", HEAD),
    }
}

/// Generates from `input` and compares with `expect`.
fn check(input: &Input, expect: Expect<'_>) {
    let result = generate(&Config::default(), input);
    match (result, expect) {
        (Err(d), Expect::Errors(want)) => {
            let got: Vec<String> = d.0.iter().map(ToString::to_string).collect();
            assert_eq!(got, want);
        }
        (Ok(files), Expect::Contains(want)) => {
            for w in want {
                assert!(
                    files.iter().any(|f| f.contents.contains(w)),
                    "no generated file contains {w:?}"
                );
            }
        }
        (Ok(_), Expect::Errors(want)) => panic!("generated, expected errors {want:?}"),
        (Err(d), Expect::Contains(_)) => panic!("refused: {d}"),
    }
}

fn schemas(files: &[(&str, &str)]) -> Input {
    Input {
        schemas: files.iter().map(|(n, t)| schema(n, t)).collect(),
        ..Input::default()
    }
}

const PING: &str = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Ping",
  "type": "object",
  "properties": { "n": { "type": "integer" } }
}"##;

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stytch-codegen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the CLI runs")
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Item 1 (data loss): the generator never overwrites or removes a file it
/// did not write, and refuses a non-empty foreign `--out` without `--force`.
#[test]
fn never_deletes_or_overwrites_user_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(&root.join("schemas/ping.json"), &PING.replace("HEAD", HEAD));
    // A user's own crate where `--out` points.
    let user_files = [
        ("mine/Cargo.toml", "[package]\nname = \"mine\"\n"),
        ("mine/build.rs", "fn main() {}\n"),
        ("mine/src/main.rs", "fn main() {}\n"),
        ("mine/src/mine.rs", "// mine\n"),
    ];
    for (path, text) in user_files {
        write(&root.join(path), text);
    }
    let unchanged = || {
        for (path, text) in user_files {
            assert_eq!(read(&root.join(path)), text, "{path} was changed");
        }
    };
    let crate_args = [
        "generate",
        "--schemas",
        "schemas",
        "--out",
        "mine",
        "--crate",
        "x",
    ];
    for force in [false, true] {
        let mut args = crate_args.to_vec();
        if force {
            args.push("--force");
        }
        let output = run(root, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
        assert!(
            stderr.contains("refusing to overwrite a file not written by stytch-codegen")
                && stderr.contains("mine/Cargo.toml"),
            "stderr: {stderr}"
        );
        unchanged();
        assert!(!root.join("mine/src/lib.rs").exists(), "nothing is written");
    }

    // `--out .` in a workspace: refused without --force, and with it the
    // workspace's files stay while the generator's own are added.
    write(&root.join("build.rs"), "fn main() {}\n");
    let here = ["generate", "--schemas", "schemas", "--out", "."];
    let refused = run(root, &here);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(". is not empty and holds no stytch-codegen output")
            && stderr.contains("--force"),
        "stderr: {stderr}"
    );
    assert!(!root.join("lib.rs").exists());
    let forced = run(root, &[&here[..], &["--force"]].concat());
    assert!(forced.status.success(), "{forced:?}");
    assert!(read(&root.join("lib.rs")).contains("@generated by stytch-codegen"));
    assert!(root.join("demo.rs").exists());
    assert_eq!(read(&root.join("build.rs")), "fn main() {}\n");

    // Stale-file removal touches only generated files: with the schema gone
    // `demo.rs` goes, a user's `extra.rs` beside it stays.
    write(&root.join("extra.rs"), "// extra\n");
    std::fs::rename(root.join("schemas/ping.json"), root.join("ping.json.off")).expect("mv");
    write(
        &root.join("schemas/other.json"),
        &PING
            .replace("HEAD", HEAD)
            .replace("api_demo_v1_Ping", "api_other_v1_Pong"),
    );
    let again = run(root, &here);
    assert!(again.status.success(), "{again:?}");
    assert!(
        !root.join("demo.rs").exists(),
        "the stale generated file goes"
    );
    assert!(root.join("other.rs").exists());
    assert_eq!(read(&root.join("extra.rs")), "// extra\n");
    assert_eq!(read(&root.join("build.rs")), "fn main() {}\n");
    unchanged();
}

/// Item 6 (misleading `check`): the header does not depend on how the paths
/// were spelled, and the hint is the exact command, flags included.
#[test]
fn check_ignores_path_spelling_and_prints_the_exact_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(&root.join("schemas/ping.json"), &PING.replace("HEAD", HEAD));
    let generated = run(
        root,
        &[
            "generate",
            "--schemas",
            "./schemas/",
            "--out",
            "out",
            "--no-schemars",
        ],
    );
    assert!(generated.status.success(), "{generated:?}");
    let absolute = root.join("schemas");
    let absolute = absolute.to_str().expect("UTF-8 temp path");
    for spelling in ["schemas", "schemas/", absolute] {
        let check = run(
            root,
            &[
                "check",
                "--schemas",
                spelling,
                "--out",
                "./out/",
                "--no-schemars",
            ],
        );
        assert!(check.status.success(), "{spelling}: {check:?}");
    }
    let demo = root.join("out/demo.rs");
    write(
        &demo,
        &read(&demo).replace("pub struct Ping", "pub struct Pong"),
    );
    let stale = run(
        root,
        &[
            "check",
            "--schemas",
            "schemas",
            "--out",
            "out",
            "--no-schemars",
        ],
    );
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr.contains(
            "run `stytch-codegen generate --schemas schemas --out out --no-schemars` and commit"
        ),
        "stderr: {stderr}"
    );
}
