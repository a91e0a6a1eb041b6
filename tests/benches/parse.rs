//! Parsing `query-domain-list` answers of 1k to 1M rows (with `showstatus` and `showprivacy`
//! columns): the typed parser (envelope + owned typed rows, borrowed typed rows, and the row
//! iterator), the envelope alone, the same bytes split naively into `&str` columns, and a bare
//! `memchr` newline count as the ceiling. Throughput in bytes.
//!
//! `cargo bench -p dmapi-tests --bench parse`; under `cargo test` each case runs once (a smoke
//! run, so the benches never rot).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dmapi::{Envelope, QueryDomainList, Request};
use dmapi_tests::payloads::domain_list;

fn parse(c: &mut Criterion) {
    let request = QueryDomainList::new().showstatus(true).showprivacy(true);
    for rows in [1_000, 10_000, 100_000, 1_000_000] {
        let text = domain_list(rows);
        let mut g = c.benchmark_group(format!("query-domain-list {rows} rows"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(if rows >= 1_000_000 { 10 } else { 30 });
        // The client hands the body to the envelope without a copy: so does the bench (the
        // copy made for each iteration is not timed).
        let owned = || text.clone();
        let batch = BatchSize::LargeInput;
        g.bench_function("typed (envelope + typed rows)", |b| {
            b.iter_batched(
                owned,
                |body| {
                    let env = Envelope::parse_owned(body, &dmapi::metadata::PROTOCOL).unwrap();
                    let rows = request.parse_output(&env).unwrap();
                    rows.len()
                },
                batch,
            )
        });
        g.bench_function("typed, borrowed rows (envelope + borrow_rows)", |b| {
            b.iter_batched(
                owned,
                |body| {
                    let env = Envelope::parse_owned(body, &dmapi::metadata::PROTOCOL).unwrap();
                    let rows = request.borrow_rows(&env).unwrap();
                    rows.len()
                },
                batch,
            )
        });
        g.bench_function(
            "typed, streamed rows (envelope + rows, nothing kept)",
            |b| {
                b.iter_batched(
                    owned,
                    |body| {
                        let env = Envelope::parse_owned(body, &dmapi::metadata::PROTOCOL).unwrap();
                        let mut n = 0;
                        for row in request.rows(&env) {
                            black_box(row.unwrap());
                            n += 1;
                        }
                        n
                    },
                    batch,
                )
            },
        );
        g.bench_function("envelope only", |b| {
            b.iter_batched(
                owned,
                |body| Envelope::parse_owned(body, &dmapi::metadata::PROTOCOL).unwrap(),
                batch,
            )
        });
        g.bench_function("naive split into &str", |b| {
            b.iter(|| dmapi_tests::payloads::naive_split(black_box(&text)))
        });
        g.bench_function("memchr newline count (ceiling)", |b| {
            b.iter(|| memchr::memchr_iter(b'\n', black_box(text.as_bytes())).count())
        });
        g.finish();
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
