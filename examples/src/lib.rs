//! Shared setup of the example programs (ports of the DMAPI docs' Examples chapter).
//!
//! Every example runs against a local sandbox with demo data by default. With credentials in
//! the environment it talks to Joker.com instead:
//!
//! - `DMAPI_API_KEY`, or `DMAPI_USERNAME` and `DMAPI_PASSWORD`;
//! - `DMAPI_OTE=1` for the OT&E test platform, or `DMAPI_ENDPOINT=<url>`; production otherwise.

use std::time::Duration;

use dmapi::{Client, Credentials, PollPolicy, Secret};
use dmapi_sandbox::Sandbox;

/// A client, and the sandbox it talks to when no credentials were given (kept alive with it).
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The sandbox, when the example runs against one.
    pub sandbox: Option<Sandbox>,
    /// The credentials the client logs in with.
    pub credentials: Credentials,
}

/// Connects as the environment says (see the crate docs).
pub async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = Client::builder();
    if var("DMAPI_OTE").is_some() {
        builder = builder.ote();
    } else if let Some(url) = var("DMAPI_ENDPOINT") {
        builder = builder.endpoint(url);
    }
    let credentials = match (
        var("DMAPI_API_KEY"),
        var("DMAPI_USERNAME"),
        var("DMAPI_PASSWORD"),
    ) {
        (Some(key), _, _) => Credentials::ApiKey(Secret::new(key)),
        (None, Some(username), Some(password)) => Credentials::Password {
            username,
            password: Secret::new(password),
        },
        _ => return sandbox().await,
    };
    Ok(Connection {
        client: builder.credentials(credentials.clone()).build()?,
        sandbox: None,
        credentials,
    })
}

async fn sandbox() -> Result<Connection, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder()
        .async_delay(Duration::from_millis(100))
        .start()
        .await?;
    let c = sandbox.credentials();
    let credentials = Credentials::Password {
        username: c.username.clone(),
        password: Secret::new(c.password.as_str()),
    };
    let client = Client::builder()
        .endpoint(sandbox.url())
        .allow_http(true)
        .credentials(credentials.clone())
        .poll_policy(PollPolicy {
            first_delay: Duration::from_millis(100),
            interval: Duration::from_millis(50),
            max_wait: Duration::from_secs(30),
        })
        .build()?;
    eprintln!(
        "(no credentials in the environment: using a local sandbox at {})",
        sandbox.url()
    );
    Ok(Connection {
        client,
        sandbox: Some(sandbox),
        credentials,
    })
}
