//! The whole upstream document (issue 10): stytch-codegen (types,
//! operations, client functions) beside progenitor 0.15.1 (types and a
//! client) on `schemas/openapi.yml`, in one criterion group. progenitor gets
//! the smallest patch it needs (`stytch_benchmarks::upstream`).
//!
//! Run: `cargo bench -p stytch-benchmarks --bench generate_upstream`

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stytch_benchmarks::upstream;

/// stytch-codegen's CLI runs on mimalloc; both tools get it here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generate_upstream(c: &mut Criterion) {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let ours = match upstream::stytch_codegen(&schemas) {
        Ok(files) => files,
        Err(e) => panic!("stytch-codegen failed on the document: {e}"),
    };
    let (patched, dropped) = match upstream::patched_for_progenitor(&schemas) {
        Ok(p) => p,
        Err(e) => panic!("cannot patch the document for progenitor: {e}"),
    };
    let theirs = match upstream::progenitor(&patched) {
        Ok(code) => code,
        Err(e) => panic!("progenitor failed on the patched document: {e}"),
    };
    println!(
        "output: stytch-codegen {} files, {} lines; progenitor 0.15.1 1 file, {} lines \
         (its input: 1 operationId renamed, {dropped} schema-less error contents dropped)",
        ours.len(),
        ours.iter()
            .map(|f| f.contents.lines().count())
            .sum::<usize>(),
        theirs.lines().count()
    );
    let mut group = c.benchmark_group("generate_upstream");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("stytch_codegen", |b| {
        b.iter(|| upstream::stytch_codegen(black_box(&schemas)))
    });
    // progenitor's side includes reading and patching the document, as ours
    // includes reading and overlaying it.
    group.bench_function("progenitor_0_15_1", |b| {
        b.iter(|| {
            let (patched, _) = upstream::patched_for_progenitor(black_box(&schemas))
                .unwrap_or_else(|e| panic!("{e}"));
            upstream::progenitor(&patched)
        })
    });
    group.finish();
}

criterion_group!(benches, generate_upstream);
criterion_main!(benches);
