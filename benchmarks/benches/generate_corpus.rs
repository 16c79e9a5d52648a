//! Whole-corpus generation (issue 4): stytch-codegen beside typify 0.7.0 on
//! the same 277 files of `$STYTCH_CORPUS/json-schema`, in one criterion
//! group. Each iteration reads the files, converts them and formats the
//! output (see `stytch_benchmarks` for exactly what each side does).
//!
//! Run: `STYTCH_CORPUS=../shared/corpus/stytch cargo bench -p stytch-benchmarks --bench generate_corpus`
//! Prints one line and exits when `STYTCH_CORPUS` is unset.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group};

fn generate_corpus(c: &mut Criterion, dir: &Path) {
    // Once, outside the timing: both sides must succeed, and the sizes go
    // beside the figures.
    let ours = |schemars| match stytch_benchmarks::stytch_codegen(dir, schemars) {
        Ok(files) => files,
        Err(e) => panic!("stytch-codegen failed on the corpus: {e}"),
    };
    let (theirs, _) = match stytch_benchmarks::typify(dir) {
        Ok(out) => out,
        Err(e) => panic!("typify failed on the corpus: {e}"),
    };
    let lines = |s: &str| s.lines().count();
    let total = |files: Vec<stytch_codegen::GeneratedFile>| {
        (
            files.len(),
            files.iter().map(|f| lines(&f.contents)).sum::<usize>(),
        )
    };
    let (with_files, with_lines) = total(ours(true));
    let (without_files, without_lines) = total(ours(false));
    println!(
        "output: stytch-codegen {with_files} files, {with_lines} lines \
         ({without_files} files, {without_lines} lines with --no-schemars); \
         typify 0.7.0 1 file, {} lines",
        lines(&theirs),
    );

    let mut group = c.benchmark_group("generate_corpus");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(15));
    group.bench_function("stytch_codegen", |b| {
        b.iter(|| stytch_benchmarks::stytch_codegen(black_box(dir), true))
    });
    // Without the `schemars` impls, which typify does not emit either.
    group.bench_function("stytch_codegen_no_schemars", |b| {
        b.iter(|| stytch_benchmarks::stytch_codegen(black_box(dir), false))
    });
    group.bench_function("typify_0_7_0", |b| {
        b.iter(|| stytch_benchmarks::typify(black_box(dir)))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    if let Some(dir) = stytch_benchmarks::corpus_schemas() {
        generate_corpus(c, &dir);
    }
}

criterion_group!(group, benches);

fn main() {
    if stytch_benchmarks::corpus_schemas().is_none() {
        println!("skipped: STYTCH_CORPUS is not set");
        return;
    }
    group();
    Criterion::default().configure_from_args().final_summary();
}
