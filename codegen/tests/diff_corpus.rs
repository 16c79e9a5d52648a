//! `diff` on every consecutive pair of Stytch's 14 published versions
//! (`$STYTCH_CORPUS/../stytch-upstream`, read in place), each checked
//! against what the pair really changed.
//!
//! How each expectation was established (not by running `diff`):
//! `diff_corpus_facts.py` (next to this file) reads both versions of each
//! pair with PyYAML and counts, independently of stytch-codegen: schemas
//! removed and added, operations removed and added, `type` changes of
//! properties at any depth (per old→new type), header parameters added,
//! request bodies removed, and whether the pair is equal once
//! documentation keys are dropped. Its output is in the comments below;
//! the renames of pair 1 and the DELETE bodies of pair 10 were also read by
//! hand in both files.

use std::path::PathBuf;

use stytch_codegen::diff::{Report, Severity, diff, render};
use stytch_codegen::fs;

const VERSIONS: [&str; 14] = [
    "2025-09-05-790b473",
    "2025-09-05-2e044d3",
    "2025-09-09-1b6d20c",
    "2025-09-10-4a6501b",
    "2025-09-24-9557f47",
    "2025-09-26-5441c70",
    "2025-10-07-7064567",
    "2025-10-20-2d6f47e",
    "2025-10-23-2bd017f",
    "2025-10-23-486e40b",
    "2025-10-23-210c9bf",
    "2025-10-24-2913832",
    "2025-11-03-24b0e4e",
    "2026-02-05-5032e06",
];

fn upstream() -> Option<PathBuf> {
    let corpus = fs::env_dir("STYTCH_CORPUS").unwrap_or_else(|e| panic!("{e}"))?;
    Some(corpus.join("../stytch-upstream"))
}

/// How many changes' messages contain `text`, among those of `severity`.
fn count(report: &Report, severity: Severity, text: &str) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.severity() == severity && c.message.contains(text))
        .count()
}

/// A type renamed in Rust only: `(schema `X` → `X`)`.
fn keeps_schema_name(message: &str) -> bool {
    let Some((_, schemas)) = message.split_once("(schema `") else {
        return false;
    };
    match schemas.split_once("` → `") {
        Some((old, new)) => new.strip_suffix("`)") == Some(old),
        None => false,
    }
}

fn schema_level(report: &Report, text: &str) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.operation.is_none() && c.message.contains(text))
        .count()
}

#[test]
fn every_consecutive_pair_is_classified_as_it_really_changed() {
    let Some(dir) = upstream() else {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    // The raw documents: the overlays target the newest version's schemas
    // (diff applies a folder's overlays to its own side; see README).
    let reports: Vec<Report> = VERSIONS
        .windows(2)
        .map(|pair| {
            let read = |v: &str| {
                fs::read_openapi(&dir.join(format!("{v}.yml")), None)
                    .unwrap_or_else(|e| panic!("{v}: {e}"))
                    .0
            };
            diff(&read(pair[0]), &read(pair[1])).unwrap_or_else(|e| panic!("{pair:?}: {e}"))
        })
        .collect();
    let totals =
        |r: &Report| [Severity::Breaking, Severity::Additive, Severity::Docs].map(|s| r.count(s));

    // 0, "update type translations": string->integer 227, string->boolean
    // 102 in schemas; the same in 7 query parameters (by hand). Nothing else.
    let r = &reports[0];
    assert_eq!(schema_level(r, "type changed from string to integer"), 227);
    assert_eq!(schema_level(r, "type changed from string to boolean"), 102);
    assert_eq!(totals(r), [336, 0, 0]);
    assert!(
        r.changes
            .iter()
            .all(|c| c.wire == stytch_codegen::diff::Impact::Breaking)
    );

    // 1, "swap multitenant -> b2b": 54 removed, 54 added, 41 of them equal
    // without docs (the others differ only in the renamed references they
    // hold, or are one of four identical Locale enums): 54 renames, wire
    // unchanged; operationIds (docs) change.
    let r = &reports[1];
    assert_eq!(count(r, Severity::Breaking, "renamed to"), 54);
    assert_eq!(count(r, Severity::Breaking, "type removed"), 0);
    assert_eq!(count(r, Severity::Additive, "type added"), 0);
    assert!(
        r.changes
            .iter()
            .all(|c| c.wire == stytch_codegen::diff::Impact::None)
    );

    // 2, "add error examples": equal but for error responses' examples.
    assert_eq!(totals(&reports[2])[..2], [0, 0]);
    assert!(reports[2].count(Severity::Docs) > 0);

    // 3, "Add raw signals to DFP fingerprint lookup": 1 operation added,
    // 2 schemas added.
    let r = &reports[3];
    assert_eq!(count(r, Severity::Additive, "operation added"), 1);
    assert_eq!(count(r, Severity::Additive, "type added"), 2);
    assert_eq!(count(r, Severity::Breaking, "operation removed"), 0);

    // 6, "Include authorization header fields": 76 optional headers added.
    let r = &reports[6];
    assert_eq!(
        count(r, Severity::Additive, "optional header parameter"),
        76
    );
    assert_eq!(totals(r), [0, 76, 0]);

    // 7, "Fix sub-api mapping bug": 134 schemas removed, 190 added, 130 of
    // the removed equal to an added one without docs. Every removed one is
    // either a rename or a removal; no operation goes.
    // The naming rule places types beside the operations that use them, and
    // this pair moves operations, so 54 types keep their schema name and
    // change module: breaking for the Rust API, nothing on the wire.
    let r = &reports[7];
    let moved: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.operation.is_none() && keeps_schema_name(&c.message))
        .collect();
    assert_eq!(moved.len(), 54);
    assert!(
        moved
            .iter()
            .all(|c| c.wire == stytch_codegen::diff::Impact::None)
    );
    let renamed = schema_level(r, "renamed to") - moved.len();
    let removed = schema_level(r, "type removed");
    let added = schema_level(r, "type added");
    assert_eq!(renamed + removed, 134);
    assert_eq!(renamed + added, 190);
    assert!(renamed >= 120, "{renamed} renames");
    assert_eq!(count(r, Severity::Breaking, "operation removed"), 0);

    // 8 and 9, "Code samples", "Suggested changes": equal without docs.
    for r in &reports[8..10] {
        assert_eq!(totals(r)[..2], [0, 0]);
        assert!(count(r, Severity::Docs, "x-code-samples") > 0);
    }

    // 10, "Path params fixes": 20 DELETE request bodies removed (their only
    // fields were path parameters), 20 schemas removed.
    let r = &reports[10];
    assert_eq!(count(r, Severity::Breaking, "request body removed"), 20);
    assert_eq!(schema_level(r, "type removed"), 20);
    assert_eq!(count(r, Severity::Additive, "operation added"), 0);

    // 12, the newest: 85 string->object retypes, 6 operations added, 20
    // bodies removed.
    let r = &reports[12];
    assert_eq!(schema_level(r, "type changed from string to object"), 85);
    assert_eq!(count(r, Severity::Additive, "operation added"), 6);
    assert_eq!(count(r, Severity::Breaking, "request body removed"), 20);
}

#[test]
fn every_pairs_comment_fits_in_a_github_comment_and_keeps_every_breaking_change() {
    let Some(dir) = upstream() else {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    };
    let read = |v: &str| {
        fs::read_openapi(&dir.join(format!("{v}.yml")), None)
            .unwrap_or_else(|e| panic!("{v}: {e}"))
            .0
    };
    for pair in VERSIONS.windows(2) {
        let report = diff(&read(pair[0]), &read(pair[1])).unwrap_or_else(|e| panic!("{e}"));
        let comment = render::markdown_within(&report, render::COMMENT_LIMIT, "`report-full.md`");
        // GitHub counts characters; bytes are never fewer.
        assert!(comment.chars().count() <= render::COMMENT_LIMIT, "{pair:?}");
        assert!(comment.len() <= render::COMMENT_LIMIT, "{pair:?}");
        // Breaking changes come first, a row each naming its location; any
        // left out are counted in the last line.
        let breaking = report.count(Severity::Breaking);
        let rows = comment
            .split_once("### Breaking")
            .map_or("", |(_, rest)| {
                rest.split("<details>").next().unwrap_or(rest)
            })
            .lines()
            .filter(|l| l.starts_with("| `"))
            .count();
        let left_out = comment
            .lines()
            .last()
            .filter(|l| l.contains("entries are left out here"))
            .and_then(|l| {
                l.split_once(" breaking")?
                    .0
                    .rsplit(['(', ' '])
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0);
        assert_eq!(rows + left_out, breaking, "{pair:?}");
        let whole = render::markdown(&report);
        if whole.len() > render::COMMENT_LIMIT {
            assert!(comment.contains("entries are left out here"), "{pair:?}");
            assert!(
                comment
                    .trim_end()
                    .ends_with("the full report: `report-full.md`._")
            );
        } else {
            assert_eq!(comment, whole, "{pair:?}: nothing to leave out");
        }
    }
}
