//! What the two fuzzers' seed corpora share: `dmapi-fuzz` (this package's mutation fuzzer) and
//! `libfuzzer-seeds`, which writes the libFuzzer targets' seeds (`fuzz/libfuzzer`): real
//! answers from a sandbox, and hand-written edge cases.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use dmapi::{Envelope, metadata};

/// Hand-written edge cases of answers and zones, added to the answers a sandbox gives.
pub const EDGE_ANSWERS: &[&str] = &[
    "Status-Code: 0\n\n",
    "Status-Code: 0\nColumns: domain,expiration_date,domain_status\n\na.com 2030-01-01 lock,autorenew\n",
    "Status-Code: 0\nSeparator: TAB\nColumns: email,domain,expiration\n\na@b.c\tb.com\t2026-01-01T00:00:00Z\n",
    "Status-Code: 0\n\n20261125000000 t-1 17 domain-renew a.com ack -\n",
    "Status-Code: 0\n\nRecords: 3\n",
    "Status-Code: 0\nResult: ACK\n",
    "$dnssec=no\n$dyndns=no::\n@ A 0 192.0.2.1 86400\nwww TXT 0  \"v \" 300\n",
    "<html><body>502</body></html>",
];

/// Real answers from a sandbox started in this process: the login, every request of the spec
/// with its example parameters and with none, and a session the server does not know.
pub fn sandbox_answers() -> Result<Vec<String>, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let sandbox = runtime
        .block_on(dmapi_sandbox::Sandbox::start())
        .map_err(|e| e.to_string())?;
    let c = sandbox.credentials();
    // The sandbox runs on the runtime's worker threads; this thread is its client.
    answers(sandbox.addr(), &c.username, &c.password)
}

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

/// `pairs` as an `application/x-www-form-urlencoded` body.
pub fn urlencoded(pairs: &[(String, String)]) -> String {
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
