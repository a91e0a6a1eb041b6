//! The client's costs, on loopback:
//! - parsing a 100k-row `query-domain-list` answer (envelope + typed rows), in bytes/s;
//! - one request through the typed client vs the same POST with bare reqwest.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use axum::Router;
use axum::routing::post;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dmapi::{Client, Envelope, QueryDomainList, QueryProfile, Request};

/// A `query-domain-list` answer with `showstatus`: `rows` lines of domain, date, status.
fn domain_list(rows: usize) -> String {
    let mut s = String::from(
        "Status-Code: 0\nStatus-Text: OK\nColumns: domain,expiration_date,domain_status\n\n",
    );
    for i in 0..rows {
        s.push_str(&format!(
            "domain-{i:06}.com 2030-{:02}-{:02} production,autorenew\n",
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    s
}

fn parse(c: &mut Criterion) {
    let text = domain_list(100_000);
    let request = QueryDomainList::new().showstatus(true);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("query-domain-list 100k rows (envelope + typed rows)", |b| {
        b.iter(|| {
            let env = Envelope::parse(black_box(&text)).unwrap();
            let rows = request.parse_output(&env).unwrap();
            black_box(rows.len())
        })
    });
    g.finish();
}

const ANSWER: &str = "Status-Code: 0\nTracking-Id: t\n\ncustomer-id: 4711\nbalance: 100.00\n";

async fn server() -> String {
    let app = Router::new()
        .route(
            "/request/login",
            post(|| async { "Status-Code: 0\nAuth-Sid: s1\nSession-Timeout: 3600\n\ncom\n" }),
        )
        .route("/request/query-profile", post(|| async { ANSWER }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt.block_on(server());
    let client = Client::builder()
        .endpoint(&url)
        .allow_http(true)
        .api_key("k")
        .build()
        .unwrap();
    rt.block_on(client.login()).unwrap();
    let bare = reqwest::Client::new();
    let bare_url = format!("{url}/request/query-profile");

    let mut g = c.benchmark_group("round trip (loopback)");
    g.bench_function("typed client: query-profile", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(client.send(QueryProfile::new()).await.unwrap()) })
    });
    g.bench_function("bare reqwest: same POST", |b| {
        b.to_async(&rt).iter(|| async {
            let body = bare
                .post(&bare_url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("auth-sid=s1")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            black_box(body)
        })
    });
    g.finish();
}

criterion_group!(benches, parse, round_trip);
criterion_main!(benches);
