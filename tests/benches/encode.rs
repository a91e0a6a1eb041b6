//! Request encoding: a `contact-create` with every field, and a `dns-zone-put` of a
//! 10,000-record zone (validation, zone writing, urlencoding).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dmapi::{ContactCreate, ContactName, DnsZonePut, FicoraType, Request, Zone};

fn contact() -> ContactCreate {
    ContactCreate::new(
        "fi",
        "jane@example.org".parse().unwrap(),
        "Main Street 1",
        "Helsinki",
        "00100",
        "FI".parse().unwrap(),
        "+358.912345678",
        ContactName::FnameLname {
            fname: "Jane".into(),
            lname: "Doe".into(),
        },
    )
    .title("Dr.")
    .individual(true)
    .organization("Doe Oy")
    .address_2("Floor 2")
    .state("Uusimaa")
    .fax("+358.912345679")
    .lang("fi".parse().unwrap())
    .app_purpose("P1")
    .nexus_category("C11")
    .nexus_category_country("US".parse().unwrap())
    .account_type("LTD")
    .company_number("12345678")
    .orgid("[FI]123")
    .vatid("FI 12345678")
    .x_ficora_type(FicoraType::Company)
    .x_ficora_is_finnish(true)
    .x_ficora_registernumber("1234567-8")
    .x_ficora_legalemail("legal@example.org".parse().unwrap())
}

fn zone(records: usize) -> Zone {
    let mut text = String::from("$dnssec=no\n$dyndns=no::\n");
    for i in 0..records {
        text.push_str(&match i % 4 {
            0 => format!("host{i} A 0 192.0.2.{} 3600\n", i % 250 + 1),
            1 => format!("host{i} AAAA 0 2001:db8::{:x} 3600\n", i),
            2 => format!("alias{i} CNAME 0 host{}.example.com 3600\n", i - 1),
            _ => format!("txt{i} TXT 0 \"v=spf1 include:_spf.example.com ~all {i}\" 3600\n"),
        });
    }
    Zone::parse(&text)
}

fn encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode");
    let request = contact();
    g.bench_function(
        "contact-create, all fields: validate + form + urlencode",
        |b| {
            b.iter(|| {
                let r = black_box(&request);
                r.validate().unwrap();
                black_box(r.to_form().to_urlencoded())
            })
        },
    );
    let put = DnsZonePut::new("example.com".parse().unwrap(), zone(10_000));
    let size = put.to_form().to_urlencoded().len();
    g.throughput(Throughput::Bytes(size as u64));
    g.sample_size(20);
    g.bench_function(
        "dns-zone-put, 10,000 records: validate + form + urlencode",
        |b| {
            b.iter(|| {
                let r = black_box(&put);
                r.validate().unwrap();
                black_box(r.to_form().to_urlencoded())
            })
        },
    );
    g.finish();
}

criterion_group!(benches, encode);
criterion_main!(benches);
