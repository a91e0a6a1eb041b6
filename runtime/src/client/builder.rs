//! Building a client: credentials, endpoints, and the polling and retry policies.

use super::*;

/// How to log in.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// Joker.com username (e-mail address) and password.
    Password {
        /// The username.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key made in "My Profile" at Joker.com (possibly read-only or modify-only).
    ApiKey(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Credentials::ApiKey(_) => f.debug_tuple("ApiKey").field(&"***").finish(),
        }
    }
}

/// How [`Client::wait`] polls for the outcome of a queued request. The default follows
/// Joker.com's own module: wait 5 s, then ask every second, for at most 5 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// Before the first poll.
    pub first_delay: Duration,
    /// Between polls.
    pub interval: Duration,
    /// Give up after this long (from the start of the wait).
    pub max_wait: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first_delay: Duration::from_secs(5),
            interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(300),
        }
    }
}

/// How the client retries requests whose answer was lost.
///
/// A query (a request that changes nothing, [`RequestMeta::changes`] false) is sent again after
/// a transport failure, an HTTP 5xx or an unreadable body, with exponential backoff. Any
/// request is sent again when it never reached the server (connection refused, HTTP 429).
/// Anything else that may have been carried out is never sent twice: the caller gets
/// [`Error::OutcomeUnknown`] with the query that tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based).
    pub(super) fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

#[derive(Debug, Clone)]
enum Endpoint {
    Production,
    Ote,
    Url(String),
}

/// Builds a [`Client`]: endpoint, credentials, and HTTP settings.
#[derive(Debug)]
#[must_use = "call .build() to get a client"]
pub struct ClientBuilder<P: Protocol> {
    endpoint: Endpoint,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    allow_http: bool,
    poll: PollPolicy,
    retry: RetryPolicy,
    max_answer: usize,
    cltrids: ClTrIds,
    protocol: PhantomData<P>,
}

/// The default of [`ClientBuilder::max_answer_bytes`]: far above the largest real lists.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 256 << 20;

impl<P: Protocol> ClientBuilder<P> {
    pub(super) fn new() -> Self {
        ClientBuilder {
            endpoint: Endpoint::Production,
            credentials: None,
            http: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("dmapi-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            allow_http: false,
            poll: PollPolicy::default(),
            retry: RetryPolicy::default(),
            max_answer: DEFAULT_MAX_ANSWER_BYTES,
            cltrids: ClTrIds::default(),
            protocol: PhantomData,
        }
    }

    /// Use the production endpoint (the default).
    pub fn production(mut self) -> Self {
        self.endpoint = Endpoint::Production;
        self
    }

    /// Use the OT&E test endpoint (separate accounts, no real registrations).
    pub fn ote(mut self) -> Self {
        self.endpoint = Endpoint::Ote;
        self
    }

    /// Use another endpoint, e.g. a local sandbox (`http://127.0.0.1:PORT`, which also needs
    /// [`allow_http`](Self::allow_http)).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Endpoint::Url(url.into());
        self
    }

    /// Log in with a username and password.
    pub fn password(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Log in with an API key.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::ApiKey(key.into()));
        self
    }

    /// Log in with these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Send through this `reqwest::Client` (its own timeouts and user agent then apply, except
    /// the per-request [`timeout`](Self::timeout)). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: a client that follows redirects would
    /// send the form, credentials included, to wherever the redirect points before this client
    /// sees it (it then still fails with [`Error::Redirect`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whole-request timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s; not applied to a caller-supplied `reqwest::Client`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` (default `dmapi-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Allow a plain `http://` endpoint. Off by default: credentials and session ids would
    /// travel unencrypted. Meant for a sandbox on loopback.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// The largest answer body read, in bytes (default [`DEFAULT_MAX_ANSWER_BYTES`], 256 MiB).
    /// A bigger one stops reading at once with [`Error::TooLarge`].
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer = bytes;
        self
    }

    /// How [`Client::wait`] polls.
    pub fn poll_policy(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// Whether requests that change something get a unique client transaction id when the
    /// caller gives none (default [`ClTrIds::Unique`]). With one, a lost answer's
    /// [`Error::OutcomeUnknown`] check finds that very request in the result list.
    pub fn cltrids(mut self, cltrids: ClTrIds) -> Self {
        self.cltrids = cltrids;
        self
    }

    /// How lost answers are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the settings and builds the client. It logs in on first use.
    pub fn build(self) -> Result<Client<P>, Error> {
        let session = P::SESSION;
        let url = match &self.endpoint {
            Endpoint::Production => session.production.to_string(),
            Endpoint::Ote => session.ote.to_string(),
            Endpoint::Url(u) => u.clone(),
        };
        let parsed = reqwest::Url::parse(&url)
            .map_err(|e| Error::Config(format!("endpoint `{url}` is not a URL: {e}")))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::Config(format!(
                    "endpoint `{url}` is plain http; credentials would travel unencrypted \
                     (use https, or allow_http(true) for a local sandbox)"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "endpoint `{url}`: unsupported scheme `{other}`"
                )));
            }
        }
        if parsed.query().is_some() || !parsed.username().is_empty() {
            return Err(Error::Config(format!(
                "endpoint `{url}` must not carry a query or user info"
            )));
        }
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call .password(user, pass) or .api_key(key)".into())
        })?;
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                // DMAPI never redirects; following one would carry the form elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                // Bounded HTTP header blocks (hyper also caps HTTP/1 buffers at ~400 KiB).
                .http1_max_headers(MAX_HTTP_HEADERS)
                .http2_max_header_list_size(MAX_HTTP_HEADER_BYTES)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let endpoint = url.trim_end_matches('/').to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                credentials,
                timeout: self.timeout,
                poll: self.poll,
                retry: self.retry,
                max_answer: self.max_answer,
                cltrids: ClTrIdMaker::new(&self.cltrids),
                session: Mutex::new(SessionState::default()),
            }),
            protocol: PhantomData,
        })
    }
}
