//! The client's overhead on loopback against the sandbox: `query-domain-list` through the
//! typed client (validate, encode, send, parse typed rows) vs the same POST with bare reqwest
//! (send, read the body), one at a time and 16 at a time on one session.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dmapi::{Client, Requests};
use dmapi_sandbox::Sandbox;

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = rt.block_on(Sandbox::start()).unwrap();
    let creds = sandbox.credentials().clone();
    let client = Client::builder()
        .endpoint(sandbox.url())
        .allow_http(true)
        .password(&creds.username, creds.password.as_str())
        .build()
        .unwrap();
    rt.block_on(client.login()).unwrap();
    // The bare client reuses a session of its own, with the same form.
    let bare = reqwest::Client::new();
    let base = format!("{}{}", sandbox.url(), dmapi::metadata::SESSION.path);
    let sid = rt.block_on(async {
        let login = bare
            .post(format!("{base}login"))
            .body(format!(
                "username={}&password={}",
                creds.username, creds.password
            ))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        dmapi::Envelope::parse(&login, &dmapi::metadata::PROTOCOL)
            .unwrap()
            .header("Auth-Sid")
            .unwrap()
            .to_owned()
    });
    let url = format!("{base}query-domain-list");
    let form = format!("showstatus=1&auth-sid={sid}");
    let bare_once = || async {
        let body = bare
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        black_box(body.len())
    };
    let typed_once = || async {
        let rows = client
            .query_domain_list()
            .with(|r| r.showstatus(true))
            .await
            .unwrap();
        black_box(rows.output.len())
    };

    let mut g = c.benchmark_group("round trip: query-domain-list, sandbox on loopback");
    g.bench_function("typed client, sequential", |b| {
        b.to_async(&rt).iter(typed_once)
    });
    g.bench_function("bare reqwest, sequential", |b| {
        b.to_async(&rt).iter(bare_once)
    });
    g.bench_function("typed client, 16 concurrent", |b| {
        b.to_async(&rt).iter(|| async {
            let all: Vec<_> = (0..16).map(|_| typed_once()).collect();
            black_box(futures_util::future::join_all(all).await)
        })
    });
    g.bench_function("bare reqwest, 16 concurrent", |b| {
        b.to_async(&rt).iter(|| async {
            let all: Vec<_> = (0..16).map(|_| bare_once()).collect();
            black_box(futures_util::future::join_all(all).await)
        })
    });
    g.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
