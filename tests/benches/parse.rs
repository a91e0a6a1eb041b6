//! Parsing `query-domain-list` answers of 1k to 1M rows (with `showstatus` and `showprivacy`
//! columns): the typed parser (envelope + owned typed rows, and borrowed typed rows), the same
//! bytes split naively into
//! `&str` columns, and a bare `memchr` newline count as the ceiling. Throughput in bytes.
//!
//! `cargo bench -p dmapi-tests --bench parse`; under `cargo test` each case runs once (a smoke
//! run, so the benches never rot).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dmapi::{Envelope, QueryDomainList, Request};
use dmapi_tests::payloads::domain_list;

/// Naive untyped split: every line into `&str` columns (what a hand-written parser does).
fn naive(text: &str) -> usize {
    let body = text.split_once("\n\n").map_or("", |(_, b)| b);
    let mut cells = 0;
    let mut row: Vec<&str> = Vec::with_capacity(6);
    for line in body.split('\n') {
        if line.is_empty() {
            continue;
        }
        row.clear();
        row.extend(line.splitn(6, ' '));
        cells += row.len();
        black_box(&row);
    }
    cells
}

fn parse(c: &mut Criterion) {
    let request = QueryDomainList::new().showstatus(true).showprivacy(true);
    for rows in [1_000, 10_000, 100_000, 1_000_000] {
        let text = domain_list(rows);
        let mut g = c.benchmark_group(format!("query-domain-list {rows} rows"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(if rows >= 1_000_000 { 10 } else { 30 });
        g.bench_function("typed (envelope + typed rows)", |b| {
            b.iter(|| {
                let env = Envelope::parse(black_box(&text), &dmapi::metadata::PROTOCOL).unwrap();
                let rows = request.parse_output(&env).unwrap();
                black_box(rows.len())
            })
        });
        g.bench_function("typed, borrowed rows (envelope + borrow_rows)", |b| {
            b.iter(|| {
                let env = Envelope::parse(black_box(&text), &dmapi::metadata::PROTOCOL).unwrap();
                let rows = request.borrow_rows(&env).unwrap();
                black_box(rows.len())
            })
        });
        g.bench_function("naive split into &str", |b| {
            b.iter(|| naive(black_box(&text)))
        });
        g.bench_function("memchr newline count (ceiling)", |b| {
            b.iter(|| memchr::memchr_iter(b'\n', black_box(text.as_bytes())).count())
        });
        g.finish();
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
