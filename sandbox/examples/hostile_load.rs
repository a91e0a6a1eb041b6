//! The latency of a well-behaved client while hostile clients attack the sandbox.
//!
//! ```sh
//! cargo run --release -p dmapi-sandbox --example hostile_load            # 12 s per attack
//! cargo run --release -p dmapi-sandbox --example hostile_load -- --seconds 5
//! ```
//!
//! For each attack a fresh sandbox starts with the default limits (unless the row says
//! otherwise) on loopback; the attack runs on the same tokio runtime as the sandbox and the good
//! client, which sends `query-profile` one request after the other for the whole window and
//! checks every answer. Printed: a table of the good client's latencies, with p99 as a ratio of
//! the baseline's (no attack) in the same run, and what each attack saw of the server.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::time::Duration;

use dmapi::Requests;
use dmapi_sandbox::{Sandbox, SandboxBuilder};
use hostile::{Attack, Run, Tally, Timings};

#[derive(Clone, Copy)]
enum Kind {
    None,
    SlowLoris,
    Idle,
    IdleOverCap,
    Oversized,
    Flood,
}

struct Scenario {
    name: &'static str,
    kind: Kind,
}

const SCENARIOS: [Scenario; 6] = [
    Scenario {
        name: "none (baseline)",
        kind: Kind::None,
    },
    Scenario {
        name: "slow loris: 1,000 sockets, 1 byte / 200 ms",
        kind: Kind::SlowLoris,
    },
    Scenario {
        name: "2,000 idle connections",
        kind: Kind::Idle,
    },
    Scenario {
        name: "2,000 idle connections, cap 100",
        kind: Kind::IdleOverCap,
    },
    Scenario {
        name: "oversized heads: 16 loops x 1 MiB",
        kind: Kind::Oversized,
    },
    Scenario {
        name: "flood: 64 in flight from one client",
        kind: Kind::Flood,
    },
];

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn seconds_arg() -> Result<u64, String> {
    let mut args = std::env::args().skip(1);
    let mut seconds = 12;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => {
                let v = args.next().ok_or("--seconds needs a value")?;
                seconds = v
                    .parse()
                    .map_err(|_| format!("not a number of seconds: {v}"))?;
            }
            other => return Err(format!("unknown argument `{other}` (try --seconds N)")),
        }
    }
    Ok(seconds)
}

/// What the attack saw, in a few words.
fn seen(kind: Kind, t: &Tally) -> String {
    let g = Tally::get;
    match kind {
        Kind::None => "-".into(),
        Kind::SlowLoris => format!(
            "{} opened, {} closed by the header timeout",
            g(&t.opened),
            g(&t.closed_by_server)
        ),
        Kind::Idle | Kind::IdleOverCap => format!(
            "{} opened, {} closed by the server",
            g(&t.opened),
            g(&t.closed_by_server)
        ),
        Kind::Oversized => format!(
            "{} sent, {} got 431, {} closed, {} other",
            g(&t.opened),
            g(&t.status_431),
            g(&t.closed_by_server),
            g(&t.other_status)
        ),
        Kind::Flood => format!(
            "{} answers to the flood, {} errors",
            g(&t.answers),
            g(&t.errors)
        ),
    }
}

async fn run(kind: Kind, window: Duration) -> Result<(Timings, String), String> {
    let builder: SandboxBuilder = match kind {
        Kind::IdleOverCap => Sandbox::builder().max_connections(100),
        _ => Sandbox::builder(),
    };
    let sandbox = builder.start().await.map_err(|e| e.to_string())?;
    let client = sandbox
        .client_builder()
        .build()
        .map_err(|e| e.to_string())?;
    let expected = client
        .query_profile()
        .await
        .map_err(|e| e.to_string())?
        .output;
    let addr = sandbox.addr();
    let attack: Option<Attack> = match kind {
        Kind::None => None,
        Kind::SlowLoris => Some(hostile::slow_loris(addr, 1_000, Duration::from_millis(200))),
        Kind::Idle | Kind::IdleOverCap => Some(hostile::idle(addr, 2_000)),
        Kind::Oversized => Some(hostile::oversized_headers(addr, 16, 1024 * 1024)),
        Kind::Flood => {
            let flooder = sandbox
                .client_builder()
                .build()
                .map_err(|e| e.to_string())?;
            Some(hostile::flood(flooder, 64))
        }
    };
    // Let the attack get going before timing.
    if attack.is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let timings = hostile::good_client(&client, &expected, Run::For(window)).await;
    let note = match attack {
        Some(a) => seen(kind, &*a.stop().await),
        None => "-".into(),
    };
    if timings.wrong > 0 {
        return Err(format!("{} wrong answers", timings.wrong));
    }
    sandbox.shutdown().await.map_err(|e| e.to_string())?;
    Ok((timings, note))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let seconds = match seconds_arg() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hostile_load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let fds = hostile::raise_fd_limit(8192);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{cores} cores, ulimit -n {fds}, {seconds} s per attack, good client: query-profile one after the other"
    );
    println!();
    println!(
        "| attack | requests | p50 ms | p99 ms | max ms | errors | p99 / baseline | the attack saw |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    // Warm up (allocator, connection setup, page faults) so the baseline is not the coldest row.
    if let Err(e) = run(Kind::None, Duration::from_secs(1)).await {
        eprintln!("hostile_load: warm-up failed: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let mut baseline = None;
    for s in &SCENARIOS {
        match run(s.kind, Duration::from_secs(seconds)).await {
            Ok((t, note)) => {
                let p99 = t.quantile(0.99);
                let base = *baseline.get_or_insert(p99);
                let ratio = if base.is_zero() {
                    "-".to_owned()
                } else {
                    format!("{:.2}", p99.as_secs_f64() / base.as_secs_f64())
                };
                println!(
                    "| {} | {} | {} | {} | {} | {} | {ratio} | {note} |",
                    s.name,
                    t.requests(),
                    ms(t.quantile(0.5)),
                    ms(p99),
                    ms(t.max()),
                    t.errors,
                );
            }
            Err(e) => {
                println!("| {} | failed: {e} | | | | | | |", s.name);
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
