//! Hostile clients for the sandbox, and a well-behaved one that is timed while they run.
//! Shared by `tests/hostile_clients.rs` and `examples/hostile_load.rs`; loopback only.

#![allow(dead_code)] // each user takes what it needs

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dmapi::{Client, QueryProfileOutput, Requests};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Raises the soft limit on open files towards `want` (never above the hard limit) and
/// returns the soft limit in force.
pub fn raise_fd_limit(want: u64) -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let now = getrlimit(Resource::Nofile);
    let soft = now.current.unwrap_or(u64::MAX);
    if soft >= want {
        return soft;
    }
    let target = now.maximum.map_or(want, |hard| hard.min(want));
    let raised = Rlimit {
        current: Some(target),
        maximum: now.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => target,
        Err(_) => soft,
    }
}

/// What a hostile run saw.
#[derive(Debug, Default)]
pub struct Tally {
    /// Connections opened.
    pub opened: AtomicU64,
    /// Connections that could not be opened.
    pub connect_failed: AtomicU64,
    /// Connections the server closed (or reset) while the attacker held them.
    pub closed_by_server: AtomicU64,
    /// Answers with HTTP 431.
    pub status_431: AtomicU64,
    /// Answers with any other status.
    pub other_status: AtomicU64,
    /// Well-formed DMAPI answers (the flood).
    pub answers: AtomicU64,
    /// Failed requests (the flood).
    pub errors: AtomicU64,
    /// For each connection the server closed: milliseconds from connect to close.
    pub close_ms: std::sync::Mutex<Vec<u64>>,
}

impl Tally {
    fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// A counter's value.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn closed_after(&self, since: Instant) {
        Self::add(&self.closed_by_server);
        let ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.close_ms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ms);
    }

    /// Milliseconds from connect to the server's close, sorted.
    pub fn close_times(&self) -> Vec<u64> {
        let mut v = self
            .close_ms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        v.sort_unstable();
        v
    }
}

/// A running attack: tasks on the current runtime until [`stop`](Attack::stop).
pub struct Attack {
    /// What it saw so far.
    pub tally: Arc<Tally>,
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

impl Attack {
    fn new() -> (Attack, watch::Receiver<bool>) {
        let (stop, rx) = watch::channel(false);
        let attack = Attack {
            tally: Arc::default(),
            stop,
            tasks: JoinSet::new(),
        };
        (attack, rx)
    }

    /// Stops every attacking task (their sockets close) and returns the tally.
    pub async fn stop(mut self) -> Arc<Tally> {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        self.tally
    }
}

/// Resolves when the attack is told to stop.
async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Slow loris: `sockets` connections, each sending a request head one byte every `every` and
/// never finishing it. A connection the server closes is counted and opened again.
pub fn slow_loris(addr: SocketAddr, sockets: usize, every: Duration) -> Attack {
    let (mut attack, rx) = Attack::new();
    for _ in 0..sockets {
        let tally = Arc::clone(&attack.tally);
        let mut rx = rx.clone();
        attack.tasks.spawn(async move {
            let head = b"POST /request/query-profile HTTP/1.1\r\nHost: sandbox\r\nX-Slow: ";
            loop {
                let Ok(stream) = TcpStream::connect(addr).await else {
                    Tally::add(&tally.connect_failed);
                    tokio::select! {
                        () = stopped(&mut rx) => return,
                        () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                    }
                };
                Tally::add(&tally.opened);
                let since = Instant::now();
                let (mut rd, mut wr) = stream.into_split();
                let mut tick = tokio::time::interval(every);
                let mut sent = 0usize;
                let mut buf = [0u8; 512];
                let closed = loop {
                    tokio::select! {
                        () = stopped(&mut rx) => return,
                        r = rd.read(&mut buf) => match r {
                            Ok(0) | Err(_) => break true,
                            Ok(_) => {} // whatever the server says before it closes
                        },
                        _ = tick.tick() => {
                            // The request line and a few headers, then an endless header value.
                            let byte = head.get(sent).copied().unwrap_or(b'a');
                            sent += 1;
                            if wr.write_all(&[byte]).await.is_err() {
                                break true;
                            }
                        }
                    }
                };
                if closed {
                    tally.closed_after(since);
                }
            }
        });
    }
    attack
}

/// Idle connections: opens `sockets` connections one after the other and holds them, sending
/// nothing. A connection the server closes is counted and not opened again.
pub fn idle(addr: SocketAddr, sockets: usize) -> Attack {
    let (mut attack, rx) = Attack::new();
    let tally = Arc::clone(&attack.tally);
    let mut rx_open = rx.clone();
    attack.tasks.spawn(async move {
        let mut held = JoinSet::new();
        for _ in 0..sockets {
            let stream = tokio::select! {
                () = stopped(&mut rx_open) => break,
                s = TcpStream::connect(addr) => s,
            };
            let Ok(mut stream) = stream else {
                Tally::add(&tally.connect_failed);
                continue;
            };
            Tally::add(&tally.opened);
            let tally = Arc::clone(&tally);
            let mut rx = rx.clone();
            held.spawn(async move {
                let since = Instant::now();
                let mut buf = [0u8; 64];
                tokio::select! {
                    () = stopped(&mut rx) => {}
                    r = stream.read(&mut buf) => {
                        let _ = r; // EOF, a reset or a stray answer: the server let go
                        tally.closed_after(since);
                    }
                }
            });
        }
        while held.join_next().await.is_some() {}
    });
    attack
}

/// Oversized heads: `workers` loops, each sending a request whose head carries a header of
/// `bytes` bytes, reading what comes back until the server closes.
pub fn oversized_headers(addr: SocketAddr, workers: usize, bytes: usize) -> Attack {
    let (mut attack, rx) = Attack::new();
    let mut request = b"GET /request/query-profile HTTP/1.1\r\nHost: sandbox\r\nX-Junk: ".to_vec();
    request.resize(request.len() + bytes, b'j');
    request.extend_from_slice(b"\r\n\r\n");
    let request = Arc::new(request);
    for _ in 0..workers {
        let tally = Arc::clone(&attack.tally);
        let mut rx = rx.clone();
        let request = Arc::clone(&request);
        attack.tasks.spawn(async move {
            loop {
                let Ok(stream) = TcpStream::connect(addr).await else {
                    Tally::add(&tally.connect_failed);
                    tokio::select! {
                        () = stopped(&mut rx) => return,
                        () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                    }
                };
                Tally::add(&tally.opened);
                let since = Instant::now();
                let (mut rd, mut wr) = stream.into_split();
                let writer = {
                    let request = Arc::clone(&request);
                    // A failed write is the server closing; the reader sees it too.
                    tokio::spawn(async move { wr.write_all(&request).await.is_ok() })
                };
                let mut answer = Vec::new();
                let read = async {
                    let mut buf = [0u8; 4096];
                    loop {
                        match rd.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => answer.extend_from_slice(buf.get(..n).unwrap_or_default()),
                        }
                    }
                };
                tokio::select! {
                    () = stopped(&mut rx) => {
                        writer.abort();
                        return;
                    }
                    () = read => {}
                }
                writer.abort();
                if answer.starts_with(b"HTTP/1.1 431") {
                    Tally::add(&tally.status_431);
                } else if answer.is_empty() {
                    tally.closed_after(since);
                } else {
                    Tally::add(&tally.other_status);
                }
            }
        });
    }
    attack
}

/// A flood from one client: `tasks` loops sending `query-profile` as fast as answers come.
pub fn flood(client: Client, tasks: usize) -> Attack {
    let (mut attack, rx) = Attack::new();
    for _ in 0..tasks {
        let tally = Arc::clone(&attack.tally);
        let client = client.clone();
        let mut rx = rx.clone();
        attack.tasks.spawn(async move {
            loop {
                tokio::select! {
                    () = stopped(&mut rx) => return,
                    r = client.query_profile() => match r {
                        Ok(_) => Tally::add(&tally.answers),
                        Err(_) => Tally::add(&tally.errors),
                    },
                }
            }
        });
    }
    attack
}

/// What the well-behaved client saw.
#[derive(Debug, Default)]
pub struct Timings {
    /// Latency of each answered request, in request order.
    pub latencies: Vec<Duration>,
    /// Requests that failed.
    pub errors: u64,
    /// Requests answered with something other than the expected profile.
    pub wrong: u64,
}

impl Timings {
    /// Requests made.
    pub fn requests(&self) -> u64 {
        self.latencies.len() as u64 + self.errors
    }

    /// The `q` quantile (0..=1) of the latencies (nearest rank), zero if none.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut v = self.latencies.clone();
        v.sort_unstable();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v.get(rank - 1).copied().unwrap_or_default()
    }

    /// The largest latency.
    pub fn max(&self) -> Duration {
        self.latencies.iter().max().copied().unwrap_or_default()
    }
}

/// How long the good client goes on.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// This many requests.
    Requests(usize),
    /// Requests one after the other for this long.
    For(Duration),
}

/// The well-behaved client: `query-profile` one request after the other; each answer must
/// equal `expected`.
pub async fn good_client(client: &Client, expected: &QueryProfileOutput, run: Run) -> Timings {
    let mut t = Timings::default();
    let started = Instant::now();
    let mut i = 0usize;
    loop {
        let more = match run {
            Run::Requests(n) => i < n,
            Run::For(d) => started.elapsed() < d,
        };
        if !more {
            break;
        }
        i += 1;
        let sent = Instant::now();
        match client.query_profile().await {
            Ok(r) => {
                t.latencies.push(sent.elapsed());
                if r.output != *expected {
                    t.wrong += 1;
                }
            }
            Err(e) => {
                t.errors += 1;
                eprintln!("good client: request {i} failed: {e}");
            }
        }
    }
    t
}
