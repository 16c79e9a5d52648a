//! Hostile inputs (issue 14): inputs and situations chosen to make the
//! generator lose data, hang, run code, emit code that does not compile,
//! answer wrongly or mislead. One test per item, each with its expected
//! outcome; generator cases go through `check`.

use std::path::Path;
use std::process::Command;

use stytch_codegen::{Config, Error, Input, SourceFile, generate_with_warnings};

const HEAD: &str = r#""$schema": "https://json-schema.org/draft/2020-12/schema""#;

/// What a run of the generator on some input must give.
enum Expect<'a> {
    /// Refused; the rendered diagnostics, one per line, in order.
    Errors(&'a [&'a str]),
    /// Generated: some file contains each of `contains`, no file any of
    /// `absent`, and the warnings are exactly `warnings`.
    Generates {
        contains: &'a [&'a str],
        absent: &'a [&'a str],
        warnings: &'a [&'a str],
    },
}

fn schema(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text: text.replace("HEAD", HEAD),
    }
}

/// Generates from `input` and compares with `expect`.
fn check(input: &Input, expect: Expect<'_>) {
    let rendered = |d: &stytch_codegen::Diagnostics| -> Vec<String> {
        d.0.iter().map(ToString::to_string).collect()
    };
    match (generate_with_warnings(&Config::default(), input), expect) {
        (Err(Error::Input(d)), Expect::Errors(want)) => assert_eq!(rendered(&d), want),
        (
            Ok(generated),
            Expect::Generates {
                contains,
                absent,
                warnings,
            },
        ) => {
            for w in contains {
                assert!(
                    generated.files.iter().any(|f| f.contents.contains(w)),
                    "no generated file contains {w:?}"
                );
            }
            for a in absent {
                let hit = generated.files.iter().find(|f| f.contents.contains(a));
                assert!(hit.is_none(), "{a:?} is in {:?}", hit.map(|f| &f.path));
            }
            assert_eq!(rendered(&generated.warnings), warnings);
        }
        (Ok(_), Expect::Errors(want)) => panic!("generated, expected errors {want:?}"),
        (Err(e), _) => panic!("refused: {e}"),
    }
}

fn schema_file(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.to_owned(),
        text: text.to_owned(),
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

/// The validation runtime as generated crates carry it.
#[allow(dead_code, unreachable_pub)]
mod runtime {
    include!("../src/runtime/validation.rs");
    include!("../src/runtime/pattern.rs");
    include!("../src/runtime/pattern_backtrack.rs");
}

fn pattern_schema(pattern: &str) -> String {
    let pattern = serde_json::Value::from(pattern);
    format!(
        r##"{{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Thing",
  "type": "object",
  "properties": {{ "s": {{ "type": "string", "pattern": {pattern} }} }}
}}"##
    )
}

/// Item 2 (DoS): `^(a+)+$` runs on the linear-time engine (warned about, as
/// backtracking validators of the schema would hang); a pattern that needs
/// backtracking has a bounded input, and with a nested quantifier is refused.
#[test]
fn no_pattern_runs_in_super_linear_time() {
    let warning = r#"thing.json:5:44: at /properties/s/pattern: pattern "^(a+)+$" has a nested quantifier: checked in linear time here, but backtracking validators of the same schema may take exponential time"#;
    check(
        &schemas(&[("thing.json", &pattern_schema("^(a+)+$"))]),
        Expect::Generates {
            contains: &["Pattern::new(", r#""\\A(?:\\x{61}+)+\\z""#],
            absent: &["BacktrackPattern::new", "regress"],
            warnings: &[warning],
        },
    );
    let bounded = r#"thing.json:5:44: at /properties/s/pattern: pattern "^(a)\\1$" needs backtracking (a backreference or lookaround): values longer than 1000 characters are refused unchecked"#;
    check(
        &schemas(&[("thing.json", &pattern_schema(r"^(a)\1$"))]),
        Expect::Generates {
            contains: &["BacktrackPattern::new(", r#""^(a)\\1$""#],
            absent: &[],
            warnings: &[bounded],
        },
    );
    check(
        &schemas(&[("thing.json", &pattern_schema(r"^(a+)+\1$"))]),
        Expect::Errors(&[
            r#"thing.json:5:44: at /properties/s/pattern: unsupported: pattern "^(a+)+\\1$" needs backtracking (a backreference or lookaround) and has a nested quantifier, so checking it could take exponential time"#,
        ]),
    );

    // The runtime: what took 11.7 s in regress answers at once.
    let translated = stytch_codegen::pattern::analyse("^(a+)+$").linear;
    assert_eq!(translated.as_deref(), Some(r"\A(?:\x{61}+)+\z"));
    let linear = runtime::Pattern::new(r"\A(?:\x{61}+)+\z", "pattern ^(a+)+$");
    let hostile = format!("{}b", "a".repeat(28));
    let started = std::time::Instant::now();
    let result = runtime::validate_root(false, |path, errs| {
        linear.check(&hostile, path, errs);
        linear.check(&"a".repeat(100_000), path, errs);
        Some(())
    });
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(result.map_err(|e| e.violations().len()), Err(1));

    let backtrack = runtime::BacktrackPattern::new(r"^(a)\1$", r"pattern ^(a)\1$");
    let result = runtime::validate_root(false, |path, errs| {
        backtrack.check("aa", path, errs);
        backtrack.check(&"a".repeat(1001), path, errs);
        Some(())
    });
    let got: Vec<String> = match result {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .iter()
            .map(|v| v.constraint().to_owned())
            .collect(),
    };
    assert_eq!(
        got,
        [r"pattern ^(a)\1$ (checked on at most 1000 characters: the pattern needs backtracking)"]
    );
}

/// Issue 24, item 12: a Unicode property runs in linear time on `regex`,
/// so a property-name pattern may hold one; the generated crate's `regex`
/// gets exactly the Unicode tables its patterns name, and a property
/// ECMA-262 defines but `regex` has no table for is refused, located.
#[test]
fn unicode_properties_run_in_linear_time() {
    let names = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Words",
  "patternProperties": { "^\\p{Letter}+$": { "type": "integer" } },
  "additionalProperties": false
}"##;
    let values = pattern_schema(r"^\p{sc=Greek}[\P{Alpha}]$");
    let files = [("words.json", names), ("thing.json", values.as_str())];
    let generated =
        generate_with_warnings(&Config::new().crate_name("properties"), &schemas(&files))
            .unwrap_or_else(|e| panic!("{e}"));
    // (`Words` is a checked JSON value, which is a warning of its own.)
    let warnings = generated.warnings.to_string();
    assert!(!warnings.contains("backtracking"), "{warnings}");
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .map(|f| f.contents.as_str())
        .unwrap_or_default();
    assert!(
        manifest.contains(
            r#"regex = { version = "1", default-features = false, features = ["std", "perf", "unicode-bool", "unicode-gencat", "unicode-script"] }"#
        ),
        "{manifest}"
    );
    assert!(!manifest.contains("regress"), "{manifest}");
    // Only the tables named: a General_Category value needs one.
    let letters = pattern_schema(r"^\p{L}+$");
    let generated = generate_with_warnings(
        &Config::new().crate_name("letters"),
        &schemas(&[("thing.json", &letters)]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.files.iter().any(|f| {
        f.path == "Cargo.toml"
            && f.contents
                .contains(r#"features = ["std", "perf", "unicode-gencat"] }"#)
    }));
    check(
        &schemas(&[("thing.json", &pattern_schema(r"\p{sc=Unknown}"))]),
        Expect::Errors(&[
            r#"thing.json:5:44: at /properties/s/pattern: unsupported: pattern "\\p{sc=Unknown}" uses the Unicode property `\p{sc=Unknown}`, which the `regex` crate (the linear-time engine) has no table for"#,
        ]),
    );
}

/// Item 3 (code execution): no block of a description can become a doctest;
/// links and HTML stay as written.
#[test]
fn description_code_blocks_never_run() {
    let description = "Intro with [a link](https://stytch.com) and <b>html</b>.\n\n~~~\nstd::process::exit(1);\n~~~\n\n```rust\nfn main() { std::process::abort() }\n```\n\nText:\n\n    std::fs::remove_dir_all(\"/\");\n\nAfter.\n\n````\n```\nnested\n````";
    let text = format!(
        r##"{{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Doc",
  "type": "object",
  "description": {},
  "properties": {{ "n": {{ "type": "integer" }} }}
}}"##,
        serde_json::Value::from(description)
    );
    check(
        &schemas(&[("doc.json", &text)]),
        Expect::Generates {
            contains: &[concat!(
                "/// Intro with [a link](https://stytch.com) and <b>html</b>.\n///\n",
                "/// ~~~text\n/// std::process::exit(1);\n/// ~~~\n///\n",
                "/// ```text\n/// fn main() { std::process::abort() }\n/// ```\n///\n",
                "/// Text:\n///\n/// ```text\n///     std::fs::remove_dir_all(\"/\");\n/// ```\n///\n",
                "/// After.\n///\n/// ````text\n/// ```\n/// nested\n/// ````\n",
            )],
            absent: &["/// ~~~\n/// std", "/// ```rust"],
            warnings: &[],
        },
    );
}

/// Item 4 (does not compile): properties named like generated methods, or
/// like each other, components named like keywords or runtime modules. The
/// generated crate builds with warnings denied; each rename is a warning.
#[test]
fn hostile_names_compile_warning_free() {
    let names = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Names",
  "type": "object",
  "properties": {
    "builder": { "type": "string" }, "into_builder": { "type": "string" },
    "build": { "type": "string" }, "from_raw": { "type": "string" },
    "into_raw": { "type": "string" }, "raw": { "type": "string" },
    "clone": { "type": "string" }, "default": { "type": "string" },
    "user_id": { "type": "string" }, "userId": { "type": "string" },
    "a_b": { "type": "string" }, "a-b": { "type": "string" },
    "🎉": { "type": "string" }, "": { "type": "string" },
    "self": { "type": "string" }, "Self": { "type": "string" },
    "type": { "type": "string" }
  },
  "required": ["build", "userId", ""]
}"##;
    let component = |id: &str| {
        format!(
            r##"{{ HEAD, "$id": "#/components/schemas/{id}", "type": "object", "properties": {{ "n": {{ "type": "integer" }} }} }}"##
        )
    };
    let ids = [
        "api_validation_v1_Thing",
        "api_json_v1_Thing",
        "api_type_v1_X",
        "api_fn_v1_X",
        "api_self_v1_X",
        "api_crate_v1_X",
        "api_Self_v1_Y",
        "api_demo_v1_Self",
    ];
    let mut files = vec![("names.json".to_owned(), names.to_owned())];
    files.extend(ids.iter().map(|id| (format!("{id}.json"), component(id))));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let generated =
        generate_with_warnings(&Config::new().crate_name("hostile-names"), &schemas(&files))
            .unwrap_or_else(|e| panic!("{e}"));
    // Each rename is a located warning: `(property, field)`.
    let renames = [
        ("builder", "builder_"),
        ("into_builder", "into_builder_"),
        ("build", "build_"),
        ("from_raw", "from_raw_"),
        ("into_raw", "into_raw_"),
        ("raw", "raw_"),
        ("clone", "clone_"),
        ("default", "default_"),
        ("userId", "user_id_2"),
        ("a-b", "a_b_2"),
        ("🎉", "property_13"),
        ("", "property_14"),
        ("self", "self_"),
        ("Self", "self_2"),
    ];
    let got: Vec<(&str, &str)> = generated
        .warnings
        .0
        .iter()
        .map(|w| {
            assert!(w.file == "names.json" && w.line > 0, "{w}");
            let field = w.message.split('`').nth(1).unwrap_or_default();
            (w.pointer.trim_start_matches("/properties/"), field)
        })
        .collect();
    assert_eq!(got, renames);
    assert_eq!(
        generated.warnings.0[9].to_string(),
        r#"names.json:11:34: at /properties/a-b: property "a-b" becomes field `a_b_2`: an earlier property already takes `a_b`"#
    );
    let out = tempfile::tempdir().expect("temp dir");
    stytch_codegen::fs::write_output(out.path(), &generated.files).expect("written");
    let user = "use hostile_names::demo::Names;\n\
        #[test]\n\
        fn renamed_fields_keep_their_json_names() {\n\
        \x20   let n = Names::builder().build_(\"b\").user_id_2(\"u\").property_14(\"e\").build().expect(\"valid\");\n\
        \x20   let json = serde_json::to_string(&n).expect(\"serializes\");\n\
        \x20   assert_eq!(json, r#\"{\"build\":\"b\",\"userId\":\"u\",\"\":\"e\"}\"#);\n\
        \x20   let back: Names = serde_json::from_str(&json).expect(\"reads back\");\n\
        \x20   assert_eq!(back.build_(), \"b\");\n\
        \x20   let _ = (hostile_names::validation_::Thing::builder(), hostile_names::type_::X::builder(), hostile_names::self_::Y::builder(), hostile_names::demo::SelfType::builder());\n\
        }\n";
    write(&out.path().join("tests/names.rs"), user);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/hostile-crate");
    let status = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the generated crate does not build warning-free"
    );
}

/// Item 5 (wrong answers): a repeated key, in JSON or YAML, is a located
/// error instead of the last one silently winning.
#[test]
fn duplicate_keys_are_located_errors() {
    let json = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Ping",
  "type": "object",
  "properties": { "n": { "type": "integer", "maximum": 10, "maximum": 99 } }
}"##;
    check(
        &schemas(&[("dup.json", json)]),
        Expect::Errors(&[
            r#"dup.json:5:68: at /properties/n/maximum: duplicate key "maximum": which value counts would be a guess"#,
        ]),
    );
    let yaml = "openapi: 3.1.0\ncomponents:\n  schemas:\n    api_demo_v1_Ping:\n      type: object\n      properties:\n        n: { type: integer }\n        n: { type: string }\n";
    let input = Input {
        openapi: vec![schema("api.yaml", yaml)],
        ..Input::default()
    };
    check(
        &input,
        Expect::Errors(&[
            r#"api.yaml:8:9: at /components/schemas/api_demo_v1_Ping/properties/n: duplicate key "n": which value counts would be a guess"#,
        ]),
    );
}

/// Item 6 (misleading input errors): a UTF-8 byte order mark is accepted;
/// JSON nested too deeply gets one located message whatever the nesting is
/// made of, not serde_json's "recursion limit exceeded".
#[test]
fn bom_and_deep_nesting() {
    check(
        &schemas(&[("bom.json", &format!("\u{feff}{PING}"))]),
        Expect::Generates {
            contains: &["pub struct Ping"],
            absent: &[],
            warnings: &[],
        },
    );
    let deep_array = format!(
        r##"{{ HEAD, "$id": "#/components/schemas/api_demo_v1_Deep", "type": "object", "examples": {}1{} }}"##,
        "[".repeat(200),
        "]".repeat(200)
    );
    let nested_schema = format!(
        r##"{{ HEAD, "$id": "#/components/schemas/api_demo_v1_Nested", "type": "object", {}"n": {{}}{} }}"##,
        r#""properties": { "p": {"#.repeat(40),
        "} }".repeat(40)
    );
    let pointer = |prefix: &str, token: &str, n: usize| format!("{prefix}{}", token.repeat(n));
    check(
        &schemas(&[("deep.json", &deep_array), ("nested.json", &nested_schema)]),
        Expect::Errors(&[
            &format!(
                "deep.json:1:{}: at {}: unsupported: nesting deeper than 64 levels",
                203,
                pointer("/examples", "/0", 63)
            ),
            &format!(
                "nested.json:1:{}: at {}: unsupported: nesting deeper than 64 levels",
                833,
                pointer("", "/properties/p", 32)
            ),
        ]),
    );
}

/// Item 6: a test needing `STYTCH_CORPUS` or `JSTS_DIR` skips when it is
/// unset, except under `CI=true`, where the skip would report `ok` for a
/// check that never ran.
#[test]
fn corpus_tests_fail_under_ci_when_their_variable_is_unset() {
    use stytch_codegen::fs::env_dir_from;
    /// The variable's value, `CI`'s, and the outcome.
    type Case<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Result<Option<&'a str>, &'a str>,
    );
    let cases: [Case<'_>; 4] = [
        (None, None, Ok(None)),
        (None, Some("false"), Ok(None)),
        (Some("/corpus"), Some("true"), Ok(Some("/corpus"))),
        (
            None,
            Some("true"),
            Err(
                "STYTCH_CORPUS is not set, and CI=true: the tests that need it would pass without running",
            ),
        ),
    ];
    for (value, ci, want) in cases {
        let got = env_dir_from("STYTCH_CORPUS", value.map(Into::into), ci);
        let want = want
            .map(|d| d.map(std::path::PathBuf::from))
            .map_err(str::to_owned);
        assert_eq!(got, want, "{value:?} {ci:?}");
    }
}

/// Item 6: a huge value is not echoed whole into the error message.
#[test]
fn long_values_are_cut_in_messages() {
    let huge = "x".repeat(10_000_000);
    let pattern = runtime::Pattern::new(r"\A\x{61}", "pattern ^a");
    let Err(e) = runtime::validate_root(false, |path, errs| {
        pattern.check(&huge, path, errs);
        Some(())
    }) else {
        panic!("the value does not match");
    };
    let shown = format!("\"{}", "x".repeat(99));
    assert_eq!(
        e.to_string(),
        format!("1 schema violation: $: pattern ^a (got {shown}… (10000002 characters in all))")
    );
    assert_eq!(
        e.violations()[0].value().as_str().map(str::len),
        Some(10_000_000)
    );
}

/// Item 7 (broken promise): a response enum listing `Unknown`, in any
/// spelling, stays an open enum. The listed value's variant is renamed by
/// the rule of `naming::variant_names`, each rename a located warning,
/// instead of the enum falling back to a closed JSON value.
#[test]
fn an_enum_value_spelled_unknown_keeps_the_enum_open() {
    let status = r##"{ HEAD, "$id": "#/components/schemas/api_demo_v1_Status", "type": "string", "enum": ["Unknown", "unknown", "UnknownValue", "a-b", "a_b"] }"##;
    check(
        &schemas(&[("status.json", status)]),
        Expect::Generates {
            contains: &[
                "UnknownValue,",
                "UnknownValue2,",
                "UnknownValue3,",
                "AB2,",
                "Unknown(String),",
                r#""unknown" => Some(Status::UnknownValue2)"#,
                "_ => Some(Status::Unknown(raw))",
            ],
            absent: &["pub struct Status"],
            warnings: &[
                r#"status.json:1:139: at /enum/0: enum value "Unknown" becomes variant `UnknownValue`: `Unknown` is the variant for unlisted values"#,
                r#"status.json:1:150: at /enum/1: enum value "unknown" becomes variant `UnknownValue2`: an earlier value already takes `UnknownValue`"#,
                r#"status.json:1:161: at /enum/2: enum value "UnknownValue" becomes variant `UnknownValue3`: an earlier value already takes `UnknownValue`"#,
                r#"status.json:1:184: at /enum/4: enum value "a_b" becomes variant `AB2`: an earlier value already takes `AB`"#,
            ],
        },
    );
}

/// Reads `json` as an integer property of type `T` whose range violation
/// is `range`: the value, or the message.
fn read_integer<T: TryFrom<i64> + TryFrom<u64>>(
    json: &str,
    range: &'static str,
) -> Result<T, String> {
    let literal: runtime::Decoded<runtime::IntegerLiteral> =
        serde_json::from_str(json).map_err(|e| e.to_string())?;
    runtime::validate_decoded(false, literal, |literal, path, errs| {
        runtime::integer::<T>(&literal, range, path, errs)
    })
    .map_err(|e| e.to_string())
}

/// Items 8 and 9 (wrong answers): an integer is judged on the JSON literal,
/// never after rounding to `f64`, and a value the Rust type cannot hold is
/// refused naming that type when the schema states no `format`.
#[test]
fn integers_are_judged_on_the_literal() {
    const I64: &str = "integer in the range of i64 (the generated type)";
    let not_integer =
        |shown: &str| Err(format!("1 schema violation: $: type integer (got {shown})"));
    let out_of_range = |shown: &str| Err(format!("1 schema violation: $: {I64} (got {shown})"));
    let cases: &[(&str, Result<i64, String>)] = &[
        ("10", Ok(10)),
        ("1.0", Ok(1)),
        ("-0", Ok(0)),
        ("0e999999999999999999", Ok(0)),
        ("1e2", Ok(100)),
        ("1.5e1", Ok(15)),
        ("100e-2", Ok(1)),
        // 2^53 and beyond: exact, where an `f64` would round.
        ("1e17", Ok(100_000_000_000_000_000)),
        ("9007199254740993", Ok(9_007_199_254_740_993)),
        ("9223372036854775807", Ok(i64::MAX)),
        ("-9223372036854775808", Ok(i64::MIN)),
        ("9.99999999999999999", not_integer("9.99999999999999999")),
        ("1.0000000000000001", not_integer("1.0000000000000001")),
        ("15e-1", not_integer("15e-1")),
        ("1e-999999999999", not_integer("1e-999999999999")),
        ("1.5", not_integer("1.5")),
        ("9223372036854775808", out_of_range("9223372036854775808")),
        (
            "12345678901234567890123",
            out_of_range("12345678901234567890123"),
        ),
        ("-1e999999999999", out_of_range("-1e999999999999")),
    ];
    for (json, want) in cases {
        assert_eq!(&read_integer::<i64>(json, I64), want, "{json}");
    }
    assert_eq!(
        read_integer::<i32>("3000000000", "format int32"),
        Err("1 schema violation: $: format int32 (got 3000000000)".to_owned())
    );
    // Another JSON type is a violation at the path, shown as it came.
    for (json, shown) in [
        ("null", "null"),
        ("\"5\"", "\"5\""),
        ("true", "true"),
        ("[1]", "[1]"),
        ("{\"a\":1}", "{\"a\":1}"),
    ] {
        assert_eq!(
            read_integer::<i64>(json, I64),
            Err(format!(
                "1 schema violation: $: expected integer (got {shown})"
            )),
            "{json}"
        );
    }
    // The violation keeps the nearest JSON value; the message, the literal.
    let literal: runtime::Decoded<runtime::IntegerLiteral> =
        serde_json::from_str("9.99999999999999999").expect("a number");
    let Err(e) = runtime::validate_decoded(false, literal, |literal, path, errs| {
        runtime::integer::<i64>(&literal, I64, path, errs)
    }) else {
        panic!("not an integer");
    };
    assert_eq!(e.violations()[0].value(), &serde_json::json!(10.0));

    // The generator names the constraint it checks.
    let ranged = r##"{ HEAD, "$id": "#/components/schemas/api_demo_v1_Ping", "type": "object", "properties": { "n": { "type": "integer" }, "m": { "type": "integer", "format": "int64" } } }"##;
    check(
        &schemas(&[("ping.json", ranged)]),
        Expect::Generates {
            contains: &[
                "\"integer in the range of i64 (the generated type)\",",
                r#"(&value, "format int64", &path.field("m"), errs)"#,
            ],
            absent: &["Option<::serde_json::Number>"],
            warnings: &[],
        },
    );
}

/// Item 10 (misleading refusal): a relative `$ref` between schema files
/// with URL `$id`s resolves against the referring file's URL; from a schema
/// checked as a JSON value, the refusal says why it cannot follow it.
#[test]
fn relative_refs_between_url_identified_files_resolve() {
    let a = r##"{ HEAD, "$id": "https://example.com/schemas/api_demo_v1_A.json", "type": "object", "properties": { "b": { "$ref": "api_demo_v1_B.json" }, "c": { "$ref": "./sub/../api_demo_v1_B.json#" } } }"##;
    let b = r##"{ HEAD, "$id": "https://EXAMPLE.com/schemas/api_demo_v1_B.json", "type": "object", "properties": { "n": { "type": "integer" } } }"##;
    check(
        &schemas(&[("a.json", a), ("b.json", b)]),
        Expect::Generates {
            contains: &[
                "pub fn b(&self) -> Option<&crate::demo::B>",
                "pub fn c(&self) -> Option<&crate::demo::B>",
            ],
            absent: &[],
            warnings: &[],
        },
    );
    let value = r##"{ HEAD, "$id": "https://example.com/schemas/api_demo_v1_V.json", "type": "object", "anyOf": [{ "$ref": "api_demo_v1_B.json" }] }"##;
    check(
        &schemas(&[("v.json", value), ("b.json", b)]),
        Expect::Errors(&[
            r#"v.json:1:149: at /anyOf/0/$ref: unsupported: `$ref` "api_demo_v1_B.json" to another component from a schema checked as a JSON value (one no Rust type states exactly); such a schema can only refer within itself"#,
        ]),
    );
}

/// Item 11 (wrong dialect): an OpenAPI 3.0 document's schemas mean what 3.0
/// says: `nullable: true` admits `null`, boolean `exclusiveMinimum` makes
/// `minimum` exclusive. A 3.1 document keeps draft 2020-12's meaning, and
/// what 3.0 would read differently is refused.
#[test]
fn openapi_30_schemas_get_the_30_dialect() {
    let document = |version: &str, schema: &str| Input {
        openapi: vec![schema_file(
            "api.yaml",
            &format!(
                "openapi: {version}\ncomponents:\n  schemas:\n    api_demo_v1_Thing:\n{schema}"
            ),
        )],
        ..Input::default()
    };
    let nullable = "      type: object\n      properties:\n        n: { type: integer, minimum: 1, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false, nullable: true }\n";
    check(
        &document("3.0.3", nullable),
        Expect::Generates {
            contains: &[
                r#""type integer or null""#,
                r#""exclusiveMinimum 1""#,
                r#""maximum 10""#,
            ],
            absent: &[r#""nullable""#, r#""minimum 1""#, r#""exclusiveMaximum"#],
            warnings: &[
                r#"api.yaml:4:5: at /components/schemas/api_demo_v1_Thing: `demo::Thing` is generated as a checked JSON value, not a struct with typed fields: unsupported: `type` ["integer","null"]; only a single type name is supported"#,
            ],
        },
    );
    check(
        &document("3.1.0", nullable),
        Expect::Errors(&[
            "api.yaml:7:41: at /components/schemas/api_demo_v1_Thing/properties/n/exclusiveMinimum: `exclusiveMinimum` must be a number",
            "api.yaml:7:78: at /components/schemas/api_demo_v1_Thing/properties/n/exclusiveMaximum: `exclusiveMaximum` must be a number",
            "api.yaml:7:103: at /components/schemas/api_demo_v1_Thing/properties/n/nullable: unsupported keyword `nullable`: the generator cannot enforce it yet",
        ]),
    );
    let wrong = "      type: object\n      properties:\n        n: { type: integer, exclusiveMinimum: 1, nullable: yes }\n        r: { type: array, items: { $ref: '#/components/schemas/api_demo_v1_Thing', maxLength: 3 } }\n";
    check(
        &document("3.0.3", wrong),
        Expect::Errors(&[
            "api.yaml:7:50: at /components/schemas/api_demo_v1_Thing/properties/n/nullable: `nullable` must be a boolean, found \"yes\"",
            "api.yaml:7:29: at /components/schemas/api_demo_v1_Thing/properties/n/exclusiveMinimum: `exclusiveMinimum` must be a boolean in OpenAPI 3.0 (it makes `minimum` exclusive), found 1",
            "api.yaml:8:84: at /components/schemas/api_demo_v1_Thing/properties/r/items/maxLength: unsupported: `maxLength` beside `$ref`: OpenAPI 3.0 ignores it, draft 2020-12 applies it; wrap both in `allOf` to apply it",
        ]),
    );
    let listed = "      type: object\n      properties:\n        t: { type: [string, 'null'] }\n";
    check(
        &document("3.0.3", listed),
        Expect::Errors(&[
            "api.yaml:7:14: at /components/schemas/api_demo_v1_Thing/properties/t/type: `type` must be a string in OpenAPI 3.0 (a list is 3.1); use `nullable: true` for null",
        ]),
    );
}

/// An enum past the documented limit (`MAX_ENUM_VALUES`, 10,000) is refused
/// at its `enum`, typed or checked as a value, and quickly: the file is one
/// line, so locating the error must not count columns for every node.
#[test]
fn enums_past_the_limit_are_refused_located() {
    let values: Vec<String> = (0..10_001).map(|i| format!("\"v{i}\"")).collect();
    let typed = format!(
        r##"{{ HEAD, "$id": "#/components/schemas/api_demo_v1_Big", "type": "string", "enum": [{}] }}"##,
        values.join(",")
    );
    let column = typed
        .replace("HEAD", HEAD)
        .find("\"enum\"")
        .map_or(0, |i| i + 1);
    check(
        &schemas(&[("big.json", &typed)]),
        Expect::Errors(&[&format!(
            "big.json:1:{column}: at /enum: unsupported: an `enum` of 10001 values; the generator emits at most 10000 (a larger set belongs in a `pattern` or a lookup of your own)"
        )]),
    );
    let limit: Vec<String> = (0..10_000).map(|i| format!("\"v{i}\"")).collect();
    let at_limit = typed.replace(&values.join(","), &limit.join(","));
    check(
        &schemas(&[("big.json", &at_limit)]),
        Expect::Generates {
            contains: &["V9999,"],
            absent: &[],
            warnings: &[],
        },
    );
}

/// A component is tried as a typed struct first. When that fails it is
/// generated as a checked JSON value, and what the typed attempt made is
/// dropped with it: its inline enum type and that enum's rename warnings.
/// Only the fallback's warning, with the typed refusal as its reason, is
/// left.
#[test]
fn an_abandoned_typed_attempt_leaves_nothing_behind() {
    let thing = r##"{ HEAD, "$id": "#/components/schemas/api_demo_v1_Thing", "type": "object", "properties": { "kind": { "type": "string", "enum": ["Unknown", "unknown"] }, "n": { "type": "integer", "multipleOf": 2 } } }"##;
    check(
        &schemas(&[("thing.json", thing)]),
        Expect::Generates {
            contains: &["pub struct Thing"],
            absent: &["ThingKind", "UnknownValue"],
            warnings: &[
                "thing.json:1:1: at (root): `demo::Thing` is generated as a checked JSON value, not a struct with typed fields: unsupported keyword `multipleOf`: the generator cannot enforce it yet",
            ],
        },
    );
}

/// Issue 24, item 3: a field named like a credential (`password`, by the
/// runtime's `is_credential_name`) is never printed: not by the struct's
/// `Debug`, its builder's, a violation's message or `Violation::value`,
/// and not at any depth of a checked JSON value's `Debug`.
#[test]
fn credentials_are_never_printed() {
    let login = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Login",
  "type": "object",
  "properties": {
    "user": { "type": "string" },
    "password": { "type": "string", "minLength": 12, "pattern": "^\\S+$" }
  },
  "required": ["user", "password"]
}"##;
    let claims = r##"{
  HEAD,
  "$id": "#/components/schemas/api_demo_v1_Claims",
  "type": "object",
  "properties": {
    "nested": { "type": "object", "properties": { "password": { "type": "string", "minLength": 12 } } }
  },
  "not": { "required": ["forbidden"] }
}"##;
    let input = schemas(&[("login.json", login), ("claims.json", claims)]);
    let generated = generate_with_warnings(&Config::new().crate_name("hostile-redaction"), &input)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().expect("temp dir");
    stytch_codegen::fs::write_output(out.path(), &generated.files).expect("written");
    let user = r##"use hostile_redaction::demo::{Claims, Login};

fn hidden(shown: &str) {
    assert!(!shown.contains("SECRET"), "a credential is printed: {shown}");
    assert!(shown.contains("\"<redacted>\""), "{shown}");
}

#[test]
fn debug_and_violations_redact_the_password() {
    let login = Login::builder().user("ann").password("SECRET-long-enough").build().expect("valid");
    let shown = format!("{login:?}");
    hidden(&shown);
    assert!(shown.contains("user: \"ann\""), "{shown}");
    let builder = login.into_builder().password("SECRET\n");
    hidden(&format!("{builder:?}"));
    let e = builder.build().expect_err("short, and a newline");
    assert!(!e.to_string().contains("SECRET"), "{e}");
    assert_eq!(e.violations().len(), 2, "{e}");
    for v in e.violations() {
        assert_eq!((v.path(), v.value()), ("$.password", &serde_json::json!("<redacted>")));
    }
    let e = serde_json::from_str::<Login>(r#"{"user":"ann","password":"SECRET"}"#).expect_err("short");
    assert!(!e.to_string().contains("SECRET"), "{e}");
}

#[test]
fn checked_json_values_redact_the_password_at_any_depth() {
    let value = serde_json::json!({ "nested": { "password": "SECRET-long-enough" }, "other": [1] });
    let claims = Claims::try_from_value(value).expect("valid");
    let shown = format!("{claims:?}");
    hidden(&shown);
    assert!(shown.contains(r#""other": Array [Number(1)]"#), "{shown}");
    let e = Claims::try_from_value(serde_json::json!({ "nested": { "password": "SECRET" } }))
        .expect_err("short");
    assert!(!e.to_string().contains("SECRET"), "{e}");
    assert_eq!(e.violations()[0].value(), &serde_json::json!("<redacted>"));
}
"##;
    write(&out.path().join("tests/redaction.rs"), user);
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/hostile-crate");
    let status = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet"])
        .current_dir(out.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the generated crate prints a credential");
}
