//! Whole-spec codegen: parse + check + emit + format of `spec/`, and of each stage alone.
#![allow(missing_docs)] // criterion_group!/criterion_main! generate undocumented items

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dmapi_codegen::SourceFile;

fn sources() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    dmapi_codegen::spec_files(&dir)
        .expect("spec dir")
        .into_iter()
        .map(|p| {
            SourceFile::new(
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = sources();
    c.bench_function("codegen/whole_spec (load+check+emit+format)", |b| {
        b.iter(|| {
            let spec = dmapi_codegen::load(files.clone()).expect("valid spec");
            dmapi_codegen::generate(&spec).expect("generate")
        })
    });
    c.bench_function("codegen/load_and_check", |b| {
        b.iter(|| dmapi_codegen::load(files.clone()).expect("valid spec"))
    });
    let spec = dmapi_codegen::load(files.clone()).expect("valid spec");
    c.bench_function("codegen/emit_and_format", |b| {
        b.iter(|| dmapi_codegen::generate(&spec).expect("generate"))
    });
    // What `cargo build` of a client does: the `dmapi` crate without its `server` feature
    // (no decoders, writers, `AnyRequest` or `Service`).
    let client = dmapi_codegen::Config::new().runtime_path("::dmapi_runtime");
    c.bench_function(
        "codegen/whole_spec client side (load+check+emit+format)",
        |b| {
            b.iter(|| {
                let spec = dmapi_codegen::load(files.clone()).expect("valid spec");
                client.generate(&spec).expect("generate")
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
