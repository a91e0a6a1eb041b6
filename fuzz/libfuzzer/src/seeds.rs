//! Writes the seed corpus of every fuzz target from real traffic:
//!
//! `cargo run --manifest-path fuzz/libfuzzer/Cargo.toml --features seeds --bin seeds -- DIR`
//!
//! A sandbox in this process answers every request of the spec twice, with its example
//! parameters and with none (an error answer), plus the login and hand-written edge cases:
//! those answers seed `envelope`, `outputs` and `reply`; the zone in them and the spec's
//! example zone seed `zone`; each request's example parameters, as a form body and as
//! command-line values, seed `form` and `validate`. The committed corpus is this, minimised
//! with `cargo fuzz cmin` together with what runs found (see RELIABILITY.md).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dmapi::meta::{RequestMeta, ValueType};
use dmapi::{Envelope, metadata};

/// The home-made fuzzer's hand-written edge cases (`fuzz/src/main.rs`).
const EDGE_ANSWERS: &[&str] = &[
    "Status-Code: 0\n\n",
    "Status-Code: 0\nColumns: domain,expiration_date,domain_status\n\na.com 2030-01-01 lock,autorenew\n",
    "Status-Code: 0\nSeparator: TAB\nColumns: email,domain,expiration\n\na@b.c\tb.com\t2026-01-01T00:00:00Z\n",
    "Status-Code: 0\n\n20261125000000 t-1 17 domain-renew a.com ack -\n",
    "Status-Code: 0\n\nRecords: 3\n",
    "Status-Code: 0\nResult: ACK\n",
    "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 86400\nwww TXT 0  \"v \" 300\n",
    "<html><body>502</body></html>",
];

/// Malformed request bodies the sandbox must refuse (RELIABILITY.md, "Bad input").
const BAD_FORMS: &[&[u8]] = &[
    b"domain-check\ndomain=%zz.com",
    b"domain-check\ndomain=%ff%fe.com",
    b"domain-check\ndomain=\xff\xfe.com",
    b"domain-check\n%=x",
    b"domain-check\ndomain=a.com&domain=b.com",
    b"domain-check\ndomain=a%0Ab.com",
    b"domain-renew\ndomain=example.com&period=0",
    b"DOMAIN-CHECK\nDomain=example.com&x=1",
];

/// One HTTP/1.1 `POST` over a fresh connection; the answer's body.
fn post(addr: SocketAddr, path: &str, body: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .ok_or_else(|| format!("{path}: no HTTP body"))
}

fn urlencoded(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Real answers: the login, every request with its example parameters and with none.
fn answers(addr: SocketAddr, user: &str, password: &str) -> Result<Vec<String>, String> {
    let session = &metadata::SESSION;
    let login = post(
        addr,
        &format!("{}{}", session.path, session.login),
        &urlencoded(&[
            (session.username.to_string(), user.to_owned()),
            (session.password.to_string(), password.to_owned()),
        ]),
    )?;
    let sid = Envelope::parse(&login, &dmapi::metadata::PROTOCOL)
        .ok()
        .and_then(|e| {
            e.header(&dmapi::metadata::PROTOCOL.headers.session_id)
                .map(str::to_owned)
        })
        .ok_or("the sandbox gave no session")?;
    let mut out = vec![login];
    for meta in metadata::REQUESTS {
        let path = format!("{}{}", session.path, meta.name);
        let mut params = vec![(session.param.to_string(), sid.clone())];
        params.extend(meta.example_params());
        out.push(post(addr, &path, &urlencoded(&params))?);
        out.push(post(addr, &path, &urlencoded(&params[..1]))?);
    }
    // A session the server does not know.
    let path = format!("{}{}", session.path, metadata::REQUESTS[0].name);
    out.push(post(addr, &path, "auth-sid=unknown")?);
    out.sort();
    out.dedup();
    Ok(out)
}

/// A request's example parameters, without the session.
fn examples(meta: &RequestMeta) -> Vec<(String, String)> {
    meta.example_params()
}

fn write(dir: &Path, target: &str, name: &str, data: &[u8]) -> Result<(), String> {
    let dir = dir.join(target);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(name), data).map_err(|e| e.to_string())
}

fn run(dir: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let sandbox = runtime
        .block_on(dmapi_sandbox::Sandbox::start())
        .map_err(|e| e.to_string())?;
    let c = sandbox.credentials();
    let mut all: Vec<String> = EDGE_ANSWERS.iter().map(|s| (*s).to_owned()).collect();
    all.extend(answers(sandbox.addr(), &c.username, &c.password)?);
    for (i, a) in all.iter().enumerate() {
        for target in ["envelope", "outputs", "reply"] {
            write(dir, target, &format!("answer-{i:03}"), a.as_bytes())?;
        }
    }

    // Zones: what dns-zone-get answered, the spec's example zone, an edge case.
    let mut zones = vec![
        ValueType::Zone.example().into_owned(),
        EDGE_ANSWERS[6].to_owned(),
    ];
    zones.extend(
        all.iter()
            .filter_map(|a| Envelope::parse(a, &dmapi::metadata::PROTOCOL).ok())
            .filter(|e| e.is_success() && e.payload().contains(" A "))
            .map(|e| e.payload().to_owned()),
    );
    for (i, z) in zones.iter().enumerate() {
        write(dir, "zone", &format!("zone-{i:03}"), z.as_bytes())?;
    }

    for meta in metadata::REQUESTS {
        let params = examples(meta);
        let mut with_sid = vec![(metadata::SESSION.param.to_string(), "sid".to_owned())];
        with_sid.extend(params.iter().cloned());
        let form = format!("{}\n{}", meta.name, urlencoded(&with_sid));
        write(dir, "form", &meta.name, form.as_bytes())?;
        let lines: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let args = format!("{}\n{}", meta.name, lines.join("\n"));
        write(dir, "validate", &meta.name, args.as_bytes())?;
    }
    for (i, f) in BAD_FORMS.iter().enumerate() {
        write(dir, "form", &format!("bad-{i:02}"), f)?;
    }
    println!(
        "{} answers, {} zones, {} requests",
        all.len(),
        zones.len(),
        metadata::REQUESTS.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seeds: {e}");
            ExitCode::FAILURE
        }
    }
}
