//! `dmapi`: every request of Joker.com's DMAPI as a subcommand, built from the spec's metadata,
//! `dmapi zone export|diff|apply`, zones as files, and `dmapi demo`, a whole session against a
//! local sandbox.

mod args;
mod demo;
mod render;
mod zone;
mod zone_diff;
mod zone_report;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::ArgMatches;
use dmapi::meta::RequestKind;
use dmapi::{Client, Error, Form, Submitted, metadata};
use dmapi_sandbox::Sandbox;
use render::Format;

/// Why the command failed, and its exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Changes are pending: `zone diff --exit-code` found some, or `zone apply` was not
    /// confirmed (1).
    Pending(String),
    /// Bad usage or a request the spec refuses (2).
    Usage(String),
    /// The server refused the request, or a queued request failed (3).
    Api(String),
    /// Transport, HTTP or protocol trouble (4).
    Transport(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Pending(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Api(_) => 3,
            Failure::Transport(_) => 4,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::Pending(m) | Failure::Usage(m) | Failure::Api(m) | Failure::Transport(m) => m,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        if let Some(api) = e.api() {
            let mut m = format!("{}: status {} {}", api.request, api.status, api.status_text);
            if let Some(t) = &api.tracking_id {
                m.push_str(&format!(" (tracking id {t})"));
            }
            for line in &api.errors {
                m.push_str(&format!("\n  Error: {line}"));
            }
            // Some refusals say why only in the payload (an unknown API key).
            for line in api.detail.iter().flat_map(|d| d.lines()) {
                m.push_str(&format!("\n  {line}"));
            }
            if let Error::Session { .. } = e {
                m = format!("login failed: {m}");
            }
            return Failure::Api(m);
        }
        match e {
            Error::Invalid { request, problems } => {
                let mut m = format!("{request}: not sent, the parameters do not match the spec:");
                for p in problems {
                    m.push_str(&format!("\n  - {p}"));
                }
                Failure::Usage(m)
            }
            Error::Config(m) => Failure::Usage(m),
            other => Failure::Transport(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let matches = args::command().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dmapi: cannot start the async runtime: {e}");
            return ExitCode::from(4);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("dmapi: {}", f.message());
            ExitCode::from(f.code())
        }
    }
}

fn format_of(m: &ArgMatches) -> Format {
    if m.get_flag(args::JSON) {
        Format::Json
    } else if m.get_flag(args::RAW) {
        Format::Raw
    } else {
        Format::Human
    }
}

async fn run(top: &ArgMatches) -> Result<(), Failure> {
    let Some((name, sub)) = top.subcommand() else {
        return Err(Failure::Usage("no subcommand; see `dmapi --help`".into()));
    };
    if name == args::DEMO {
        return demo::run().await;
    }
    if name == args::ZONE {
        return zone::run(top, sub).await;
    }
    let meta =
        metadata::find(name).ok_or_else(|| Failure::Usage(format!("unknown request `{name}`")))?;
    let format = format_of(sub);
    let params = args::wire_params(meta, sub).map_err(Failure::Usage)?;
    // The answer's shape: the request's, or the case a parameter's value chooses.
    let value_of = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let ret = meta.returns.answer_to(value_of).unwrap_or(&meta.returns);
    let login = (meta.name == metadata::SESSION.login).then_some(params.as_slice());
    let (client, _sandbox) = connect(top, login).await?;
    let mut form = Form::new();
    for (k, v) in params {
        form.push(k, v);
    }
    let env = client.send_raw(meta, &form).await?;
    print(&render::answer(meta, ret, &env, format));
    if meta.kind == RequestKind::Async
        && sub.try_get_one::<bool>(args::WAIT).ok().flatten() == Some(&true)
    {
        let proc_id = env.proc_id().ok_or_else(|| {
            Failure::Transport(format!("{}: no Proc-ID in the answer", meta.name))
        })?;
        let submitted: Submitted = Submitted::new(proc_id, env.tracking_id().map(str::to_owned));
        let done = wait_with_spinner(&client, &submitted).await?;
        print(&render::completion(meta, &done, format));
        if !done.is_ack() {
            return Err(Failure::Api(format!(
                "{}: proc id {} failed: {}",
                meta.name,
                done.proc_id,
                done.error_text()
            )));
        }
    }
    Ok(())
}

pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The client for the chosen endpoint and credentials (and the sandbox it talks to, kept alive).
/// `login_params`: the parameters of a `login` request, which carries its own credentials.
pub(crate) async fn connect(
    top: &ArgMatches,
    login_params: Option<&[(String, String)]>,
) -> Result<(Client, Option<Sandbox>), Failure> {
    let mut builder = Client::builder();
    let mut sandbox = None;
    let given = |id: &str| top.get_one::<String>(id).cloned();
    let (mut api_key, mut username, mut password) =
        (given("api-key"), given("username"), given("password"));
    if top.get_flag("sandbox") {
        let s = Sandbox::start()
            .await
            .map_err(|e| Failure::Transport(format!("cannot start the sandbox: {e}")))?;
        builder = builder
            .endpoint(s.url())
            .allow_http(true)
            .poll_policy(dmapi::PollPolicy {
                first_delay: Duration::from_millis(50),
                interval: Duration::from_millis(100),
                ..dmapi::PollPolicy::default()
            });
        let c = s.credentials();
        (api_key, username, password) = (None, Some(c.username.clone()), Some(c.password.clone()));
        sandbox = Some(s);
    } else if top.get_flag("ote") {
        builder = builder.ote();
    } else if let Some(url) = given("endpoint") {
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| url.starts_with(p));
        builder = builder.endpoint(url).allow_http(loopback);
    }
    // `login` carries its own credentials as parameters.
    if let Some(params) = login_params {
        let of = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let session = &metadata::SESSION;
        api_key = of(&session.api_key).or(api_key);
        username = of(&session.username).or(username);
        password = of(&session.password).or(password);
    }
    builder = match (api_key, username, password) {
        (Some(key), _, _) => builder.api_key(key),
        (None, Some(u), Some(p)) => builder.password(u, p),
        _ => {
            return Err(Failure::Usage(
                "no credentials: give --api-key (or DMAPI_API_KEY), or --username and --password \
                 (or DMAPI_USERNAME and DMAPI_PASSWORD), or use --sandbox"
                    .into(),
            ));
        }
    };
    let client = builder.build()?;
    Ok((client, sandbox))
}

/// Waits for a queued request, showing a spinner on a terminal.
pub(crate) async fn wait_with_spinner<T: dmapi::QueuedResult>(
    client: &Client,
    submitted: &Submitted<T>,
) -> Result<dmapi::Completion<T>, Failure> {
    let show = std::io::stderr().is_terminal();
    let spinner = show.then(|| {
        let proc_id = submitted.proc_id.clone();
        tokio::spawn(async move {
            let frames = ['|', '/', '-', '\\'];
            let mut i = 0usize;
            loop {
                eprint!(
                    "\r{} waiting for proc id {proc_id} ",
                    frames[i % frames.len()]
                );
                i += 1;
                tokio::time::sleep(Duration::from_millis(120)).await;
            }
        })
    });
    let result = client.wait(submitted).await;
    if let Some(s) = spinner {
        s.abort();
        eprint!("\r\x1b[2K");
    }
    Ok(result?)
}
