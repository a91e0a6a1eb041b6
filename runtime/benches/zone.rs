//! Zone reading, writing and validation on a generated 10,000-record zone (and a 100-record
//! one), with throughput in bytes of zone text: `cargo bench -p dmapi-runtime --bench zone`.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dmapi_runtime::zone::{Zone, ZoneStyle};

/// A zone as the server would send it: directives, then a realistic mix of record types, TXT in
/// the server's spacing.
fn zone_text(records: usize) -> String {
    let mut s = String::from("$dnssec=no\n$dyndns=no::\n");
    for i in 0..records {
        let _ = match i % 10 {
            0..=2 => writeln!(s, "host{i} A 0 192.0.{}.{} 3600", (i / 256) % 256, i % 256),
            3 => writeln!(s, "host{i} AAAA 0 2001:db8::{:x} 3600", i),
            4 => writeln!(s, "mail{i} MX {} mx{i}.example.net. 86400", i % 50),
            5 => writeln!(s, "www{i} CNAME 0 host{}.example.com. 3600", i - 1),
            6 => writeln!(
                s,
                "_acme-challenge.h{i} TXT 0  \"v=spf1 include:_spf.example.net ~all {i} \" 300"
            ),
            7 => writeln!(s, "_sip._tcp.h{i} SRV 10/100 sip{i}.example.com:5060 60"),
            8 => writeln!(
                s,
                "n{i} NAPTR 10/100 . 86400 0 0 \"u\" \"E2U+sip\" \"!^.*$!sip:{i}@example.com!\""
            ),
            _ => writeln!(
                s,
                "f{i} FRAME 0 http://example.org/{i} 86400 0 0 \"X-A: 1\\nX-B: 2\" \"\" \"Title {i}\" \"\""
            ),
        };
    }
    s
}

fn bench(c: &mut Criterion) {
    for records in [100, 10_000] {
        let text = zone_text(records);
        let zone = Zone::parse(&text);
        assert_eq!(zone.unparsed().count(), 0);
        assert!(zone.validate().is_ok());
        let written = zone.to_text().unwrap();

        let mut group = c.benchmark_group(format!("zone/{records}"));
        // Throughput in bytes of zone text: read for parse, written for the others.
        group.throughput(Throughput::Bytes(text.len() as u64));
        // The zone is dropped inside the timing, as a caller reading one drops it.
        group.bench_function("parse", |b| b.iter(|| Zone::parse(black_box(&text))));
        // Reading alone: the zone is dropped outside the timing.
        group.bench_function("parse_kept", |b| {
            b.iter_with_large_drop(|| Zone::parse(black_box(&text)))
        });
        group.throughput(Throughput::Bytes(written.len() as u64));
        group.bench_function("to_text", |b| {
            b.iter(|| black_box(&zone).to_text().unwrap())
        });
        // What a server answering `dns-zone-get` writes (TXT in the live server's spacing).
        group.bench_function("to_text_served", |b| {
            b.iter(|| black_box(&zone).to_text_in(ZoneStyle::Served).unwrap())
        });
        group.bench_function("validate", |b| b.iter(|| black_box(&zone).validate()));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
