//! A local DMAPI server for tests, demos and development: no Joker.com account, no network.
//!
//! The sandbox speaks the wire protocol the live server speaks (WIRE-NOTES.md): `POST` forms or
//! `GET` queries under `/request/<name>`, case-insensitive names, the DMAPI text format with the
//! live header spellings, a session cookie, HTTP 401 for an unknown or expired session. Every
//! request in the spec is served: requests are decoded with the generated
//! [`AnyRequest`](dmapi::AnyRequest), so validation (missing, unknown and malformed parameters,
//! groups, TLD conditions) comes from the spec's metadata and nothing is processed when it
//! fails. Behind it is an in-memory registrar: accounts with a balance and a price table,
//! sessions with a timeout and access levels, contacts, name servers, domains, zones, grants,
//! transfers, whois verification, deleted domains in a redemption grace period
//! (`domain-redeem`), account properties, and a queue of asynchronous requests that complete
//! after a configurable delay and are visible through `result-list` / `result-retrieve` (which
//! filters on the client transaction id `cltrid` they were sent with). With
//! [`SandboxBuilder::state_file`] the state is also kept in a SQLite file, every change
//! committed to disk before it is answered.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use dmapi::Requests;
//!
//! let sandbox = dmapi_sandbox::Sandbox::start().await?;
//! let client = sandbox.client_builder().build()?; // its URL, credentials and polling
//! let profile = client.query_profile().await?.output;
//! println!("balance: {:?}", profile.balance);
//! # Ok(())
//! # }
//! ```
//!
//! Sandbox rules a real registry has its own version of: a domain whose first label starts
//! with `premium` is premium (and needs `max-price`), one starting with `reserved` is blocked,
//! and a TLD is offered when the price table lists it.

mod clock;
mod credentials;
mod error;
mod faults;
mod framing;
mod handlers;
mod listen;
mod persist;
mod queue;
mod seed;
mod serve;
mod session;
mod state;
mod track;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use credentials::TestCredentials;
pub use error::Error;
pub use faults::{Exchange, Fault};
pub use framing::{BlankLine, Framing, HeaderOrder, KeyCase};
pub use seed::Seed;
pub use state::{Access, TldPrices};

use serve::App;
use state::{Settings, State};

/// Configures a [`Sandbox`].
#[derive(Debug, Clone)]
#[must_use = "call .start() to run the sandbox"]
pub struct SandboxBuilder {
    addr: SocketAddr,
    session_timeout: Duration,
    async_delay: Duration,
    balance_cents: i64,
    seed: Seed,
    bulk_domains: usize,
    state_file: Option<PathBuf>,
    max_body: usize,
    password: Option<String>,
    api_key: Option<String>,
    limits: listen::Limits,
    redemption_grace: Duration,
    framing: Framing,
    latency: Duration,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            session_timeout: Duration::from_secs(3600),
            async_delay: Duration::ZERO,
            balance_cents: 1_000_000,
            seed: Seed::Demo,
            bulk_domains: 0,
            state_file: None,
            max_body: 8 * 1024 * 1024,
            password: None,
            api_key: None,
            limits: listen::Limits::default(),
            redemption_grace: Duration::from_millis(
                u64::try_from(state::default_redemption_grace_ms()).unwrap_or(0),
            ),
            framing: Framing::default(),
            latency: Duration::ZERO,
        }
    }
}

impl SandboxBuilder {
    /// Listen here (default `127.0.0.1:0`, a free loopback port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Sessions expire after this long without a request (default 3600 s, as the live server).
    pub fn session_timeout(mut self, timeout: Duration) -> Self {
        self.session_timeout = timeout;
        self
    }

    /// Queued requests complete this long after they were made (default: at once). A transfer
    /// moves one state further per delay.
    pub fn async_delay(mut self, delay: Duration) -> Self {
        self.async_delay = delay;
        self
    }

    /// The account's starting balance, in cents (default 10,000.00).
    pub fn balance_cents(mut self, cents: i64) -> Self {
        self.balance_cents = cents;
        self
    }

    /// What the account holds at start (default [`Seed::Demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Adds this many generated domains (`bulk-000001.com`, ...) to the account, for load tests.
    pub fn bulk_domains(mut self, count: usize) -> Self {
        self.bulk_domains = count;
        self
    }

    /// Keep the state in this SQLite file: loaded at start if it exists (seeding is skipped
    /// then), created otherwise. Sessions are not kept.
    ///
    /// Every change is durable before it is answered: the rows a request changed (a row per
    /// contact, domain, job, ...) are committed in one transaction, in WAL mode with
    /// `synchronous=FULL` (synced to disk, so it survives a power loss, not only a crash of
    /// the process), and only then is the answer sent. Concurrent requests share a commit
    /// (group commit). If the write fails, the request is answered with HTTP 500 (the client
    /// cannot know whether it happened), and the change is written with the next one.
    ///
    /// [`start`](Self::start) refuses, with [`Error::StateFile`], a file that is not a SQLite
    /// database, a SQLite database of another application (`PRAGMA application_id`), one with
    /// a newer schema (`PRAGMA user_version`), a damaged one (`PRAGMA quick_check`) and a JSON
    /// state file of an earlier sandbox version; such a file is left as it is. An empty file
    /// counts as a new one.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// A deleted domain can be restored (`domain-redeem`) this long after its deletion
    /// (default 30 days of sandbox time, as registries' redemption grace period).
    pub fn redemption_grace(mut self, grace: Duration) -> Self {
        self.redemption_grace = grace;
        self
    }

    /// How answers are framed where the live server varies: header order, key case, the blank
    /// line of an answer without payload, TXT records in the live form (default
    /// [`Framing::default`], TXT quirk on). A client's tolerance is tested against each.
    pub fn framing(mut self, framing: Framing) -> Self {
        self.framing = framing;
        self
    }

    /// Every request waits this long before it is handled (default none): a simulated network
    /// round trip, for measuring how a client's concurrency hides latency. Requests wait side
    /// by side, so `n` concurrent requests take about one latency, not `n`. Unlike
    /// [`Fault::Delay`], it applies to every request, logins included, and is never used up.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Largest request body accepted (default 8 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The reseller password (generated if not set).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// The full-access API key (generated if not set).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// A client must send a whole request head (request line and headers) within this long
    /// of opening the connection or of its previous answer, or the connection is closed
    /// (default 10 s; zero: no limit). This stops slow-loris clients that send a header a byte
    /// at a time, and is also how long a kept-alive connection may sit idle between requests.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// A connection on which no byte has moved either way for this long is closed: a stalled
    /// upload, a client that does not read its answer (default 60 s; zero: no limit). An
    /// answer that takes longer than this to compute is cut too; the sandbox has none.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// At most this many connections are open at once (default 4096, at least 1). A
    /// connection accepted over the cap is closed at once, before anything is read: its client
    /// sees the connection closed or reset and may try again (the `dmapi` client retries a
    /// query). Keep the process's descriptor limit (`ulimit -n`) above it.
    pub fn max_connections(mut self, count: usize) -> Self {
        self.limits.max_connections = count;
        self
    }

    /// The largest request head (request line and headers) accepted, in bytes (default 32 KiB).
    /// A larger one is answered with HTTP 431 and the connection is closed.
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_header_bytes = bytes;
        self
    }

    /// At shutdown, open connections get this long to finish the request they are in
    /// (default 5 s); those still open then are closed.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.limits.shutdown_grace = grace;
        self
    }

    /// Binds the socket and serves in the background of the current tokio runtime.
    pub async fn start(self) -> Result<Sandbox, Error> {
        let settings = Settings {
            session_timeout_ms: i64::try_from(self.session_timeout.as_millis()).unwrap_or(i64::MAX),
            async_delay_ms: i64::try_from(self.async_delay.as_millis()).unwrap_or(i64::MAX),
            currency: "EUR".to_owned(),
            privacy_prices: (300, 600),
            premium_price: 50_000,
            redemption_grace_ms: i64::try_from(self.redemption_grace.as_millis())
                .unwrap_or(i64::MAX),
        };
        let mut opened = match &self.state_file {
            Some(path) => Some(persist::open(path, settings.clone())?),
            None => None,
        };
        let loaded = opened.as_mut().and_then(|o| o.state.take());
        let (mut state, credentials) = match loaded {
            Some(st) => {
                let creds = seed::credentials_of(&st).ok_or_else(|| Error::StateFile {
                    path: self.state_file.clone().unwrap_or_default(),
                    message: "holds no account".into(),
                })?;
                (st, creds)
            }
            None => {
                let mut st = State::new(settings, seed::default_prices());
                let mut creds = seed::generate_credentials(&mut st);
                if let Some(p) = self.password {
                    creds.password = p;
                }
                if let Some(k) = self.api_key {
                    creds.api_key = k;
                }
                seed::account(&mut st, &creds, self.balance_cents);
                seed::apply(&mut st, self.seed);
                seed::bulk(&mut st, self.bulk_domains);
                (st, creds)
            }
        };
        let store = match opened {
            Some(o) => Some(persist::Store::start(o, &mut state)?),
            None => {
                persist::forget(&mut state);
                None
            }
        };
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: self.addr,
            source,
        })?;
        let app = Arc::new(App {
            state: Mutex::new(state),
            store,
            faults: Default::default(),
            received: Default::default(),
            traffic: Default::default(),
            max_body: self.max_body,
            framing: self.framing,
            latency: self.latency,
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let router = serve::router(Arc::clone(&app));
        let limits = self.limits;
        let server = tokio::spawn(listen::serve(listener, router, limits, async {
            let _ = stopped.await;
        }));
        tracing::info!(%addr, "DMAPI sandbox listening");
        Ok(Sandbox {
            url: format!("http://{addr}"),
            addr,
            credentials,
            app,
            stop: Some(stop),
            server: Some(server),
        })
    }
}

/// A running sandbox. Dropping it stops the server (and closes the state file, if any).
pub struct Sandbox {
    url: String,
    addr: SocketAddr,
    credentials: TestCredentials,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox on a free loopback port with the demo data ([`Seed::Demo`]).
    pub async fn start() -> Result<Sandbox, Error> {
        Sandbox::builder().start().await
    }

    /// A builder for other settings.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT` (give it to `ClientBuilder::endpoint`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The reseller account's credentials.
    pub fn credentials(&self) -> &TestCredentials {
        &self.credentials
    }

    /// A client builder set up for this sandbox: its URL (plain `http` on loopback), the
    /// reseller's username and password, and polling that fits its queue delay. Change what
    /// you need (`.api_key(...)`, `.timeout(...)`) before `.build()`.
    pub fn client_builder(&self) -> dmapi::ClientBuilder {
        let delay = u64::try_from(self.app.lock().settings.async_delay_ms).unwrap_or(0);
        dmapi::Client::builder()
            .endpoint(self.url.as_str())
            .allow_http(true)
            .password(
                &self.credentials.username,
                self.credentials.password.as_str(),
            )
            .poll_policy(dmapi::PollPolicy {
                first_delay: Duration::from_millis(delay),
                interval: Duration::from_millis(20),
                max_wait: Duration::from_secs(30),
            })
    }

    /// Moves the sandbox's clock forward (for the 72-hour and 6-hour rules, session expiry
    /// and queued requests).
    pub fn advance_clock(&self, by: Duration) {
        let mut st = self.app.lock();
        st.clock_offset_ms = st
            .clock_offset_ms
            .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
        // Queued for the state file without waiting: it is on disk once the next change is.
        let _ = self.app.keep(&mut st);
    }

    /// Forgets every session, as if they had all expired.
    pub fn expire_sessions(&self) {
        self.app.lock().sessions.clear();
    }

    /// How many sessions are open.
    pub fn session_count(&self) -> usize {
        self.app.lock().sessions.len()
    }

    /// How many times the effect of queued requests named `request` was carried out
    /// (a registration, a renewal, ...): what tests count to prove nothing happened twice.
    pub fn effects(&self, request: &str) -> u64 {
        self.app.lock().effects.get(request).copied().unwrap_or(0)
    }

    /// The number of domains in the reseller account.
    pub fn domain_count(&self) -> usize {
        self.app
            .lock()
            .accounts
            .first()
            .map_or(0, |a| a.domains.len())
    }

    /// The reseller account's balance in cents.
    pub fn balance_cents(&self) -> i64 {
        self.app.lock().accounts.first().map_or(0, |a| a.balance)
    }

    /// The key the whois verification e-mail to `email` carries (what its owner would click),
    /// if a verification is pending.
    pub fn verification_key(&self, email: &str) -> Option<String> {
        let st = self.app.lock();
        st.accounts.iter().find_map(|a| {
            a.verifications
                .iter()
                .find(|v| v.email.eq_ignore_ascii_case(email) && v.answer.is_none())
                .map(|v| v.key.clone())
        })
    }

    /// The key the change-of-registrant confirmation for `domain` carries, if one is waiting.
    pub fn owner_change_key(&self, domain: &str) -> Option<String> {
        let st = self.app.lock();
        st.accounts.iter().find_map(|a| {
            a.owner_changes
                .iter()
                .find(|c| c.domain == domain && !c.answered)
                .map(|c| c.key.clone())
        })
    }

    /// The sandbox's data as JSON: everything a state file keeps (all but sessions), to compare
    /// states in tests. Its shape follows the sandbox's internals and may change.
    pub fn state_json(&self) -> String {
        serde_json::to_string(&*self.app.lock()).unwrap_or_default()
    }

    /// Makes the next `times` answers to `request` fail with `fault` (see [`Fault`]).
    pub fn inject(&self, request: &str, fault: Fault, times: u32) {
        App::guard(&self.app.faults).add(request, fault, times);
    }

    /// How many requests named `request` arrived (whether or not they were handled).
    pub fn received(&self, request: &str) -> u64 {
        App::guard(&self.app.received)
            .get(&request.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    /// Starts (or stops, and forgets) recording every exchange; see [`traffic`](Self::traffic).
    pub fn record_traffic(&self, on: bool) {
        *App::guard(&self.app.traffic) = on.then(Vec::new);
    }

    /// The exchanges recorded so far (answers that were broken on purpose are not recorded).
    pub fn traffic(&self) -> Vec<Exchange> {
        App::guard(&self.app.traffic).clone().unwrap_or_default()
    }

    /// Stops serving and closes the state file, if any (every change in it is already on
    /// disk; this writes the exact id counter, so a restart numbers on without a gap).
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.app.close()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Err(e) = self.app.close() {
            tracing::warn!(error = %e, "cannot write the sandbox state file");
        }
    }
}
