//! `dmapi`: every request of Joker.com's DMAPI as a subcommand, built from the spec's metadata;
//! `dmapi zone export|diff|apply` (zones as files); registrar workflows (`workflows.rs`);
//! profiles, completions and man pages; and `dmapi demo`, a whole session against a local
//! sandbox.

mod args;
mod batch;
mod demo;
mod dnssec;
mod profile;
mod render;
mod shell;
mod workflows;
mod zone;
mod zone_diff;
mod zone_report;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::ArgMatches;
use dmapi::meta::{BodyKind, RequestKind};
use dmapi::{Client, Error, Form, Submitted, metadata};
use dmapi_sandbox::Sandbox;
use render::{Format, Style};

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
    log_to_stderr(&matches);
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

/// `-v`: the runtime's line per exchange (debug); `--trace`: also each request's form and each
/// answer, secrets as `***` (trace). Only the client's target: an in-process sandbox logs
/// nothing here.
fn log_to_stderr(m: &ArgMatches) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let trace = m.get_flag(args::TRACE);
    let level = match (trace, m.get_flag(args::VERBOSE)) {
        (true, _) => LevelFilter::TRACE,
        (false, true) => LevelFilter::DEBUG,
        (false, false) => return,
    };
    let filter = Targets::new().with_target("dmapi_runtime", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false);
    // Fails only when a subscriber is already set, which nothing else here does.
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
}

fn format_of(m: &ArgMatches) -> Format {
    match m.get_one::<String>(args::OUTPUT).map(String::as_str) {
        Some("json") => Format::Json,
        Some("jsonl") => Format::Jsonl,
        Some("csv") => Format::Csv,
        _ if m.get_flag(args::JSON) => Format::Json,
        _ if m.get_flag(args::RAW) => Format::Raw,
        _ => Format::Human,
    }
}

/// `--output`, `--columns` and `--no-header` as given.
fn style_of(m: &ArgMatches) -> Style {
    Style {
        format: format_of(m),
        columns: m
            .get_many::<String>(args::COLUMNS)
            .map(|c| c.map(|c| c.trim().to_owned()).collect()),
        header: !m.get_flag(args::NO_HEADER),
    }
}

async fn run(top: &ArgMatches) -> Result<(), Failure> {
    let Some((name, sub)) = top.subcommand() else {
        return Err(Failure::Usage("no subcommand; see `dmapi --help`".into()));
    };
    if name == args::DEMO {
        return demo::run().await;
    }
    if name == batch::NAME {
        return batch::run(top, sub).await;
    }
    if name == args::COMPLETIONS || name == args::MAN {
        return shell::run(name, sub);
    }
    if workflows::ALL.contains(&name) {
        let (client, _sandbox) = connect(top, None).await?;
        return workflows::run(name, sub, &client, format_of(sub)).await;
    }
    if name == args::PROFILES {
        print(&profile::list(format_of(sub) == Format::Json)?);
        return Ok(());
    }
    if name == args::ZONE {
        return zone::run(top, sub).await;
    }
    let meta =
        metadata::find(name).ok_or_else(|| Failure::Usage(format!("unknown request `{name}`")))?;
    let style = style_of(sub);
    let format = style.format;
    let params = args::wire_params(meta, sub).map_err(Failure::Usage)?;
    // The answer's shape: the request's, or the case a parameter's value chooses.
    let value_of = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let ret = meta.returns.answer_to(value_of).unwrap_or(&meta.returns);
    // Refused before anything is sent: a change must not run and then report a usage error.
    if style.columns.is_some() && !matches!(ret.body, BodyKind::Table | BodyKind::Results) {
        return Err(Failure::Usage(format!(
            "--columns: the answer of {} is not a table",
            meta.name
        )));
    }
    let login = (meta.name == metadata::SESSION.login).then_some(&params[..]);
    let (client, _sandbox) = connect(top, login).await?;
    let mut form = Form::new();
    for (k, v) in params {
        // Secret values (passwords, codes) stay out of `Debug`, so out of --trace.
        match meta.param(&k) {
            Some(p) if p.secret => form.push_secret(k, v),
            _ => form.push(k, v),
        }
    }
    let env = client.send_raw(meta, &form).await?;
    print(&render::answer(meta, ret, &env, &style).map_err(Failure::Usage)?);
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
/// `login_params`: the parameters of a `login` request, which carry its own credentials.
pub(crate) async fn connect(
    top: &ArgMatches,
    login_params: Option<&[(String, String)]>,
) -> Result<(Client, Option<Sandbox>), Failure> {
    let mut builder = Client::builder();
    let mut sandbox = None;
    let given = |id: &str| top.get_one::<String>(id).cloned();
    let (mut api_key, mut username, mut password) =
        (given("api-key"), given("username"), given("password"));
    let profile = match top.get_flag("sandbox") {
        true => None,
        false => profile::chosen(top.get_one::<String>(args::PROFILE).map(String::as_str))?,
    };
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
        builder = with_endpoint(builder, url);
    } else if let Some((_, p)) = &profile {
        if let Some(url) = &p.endpoint {
            builder = with_endpoint(builder, url.clone());
        } else if p.ote {
            builder = builder.ote();
        }
    }
    if let Some(&ms) = top.get_one::<u64>(args::POLL_DELAY) {
        builder = builder.poll_policy(dmapi::PollPolicy {
            first_delay: Duration::from_millis(ms),
            ..dmapi::PollPolicy::default()
        });
    }
    // Credentials given as options or in the environment win over the profile's; its secrets
    // are read (a command run) only when they are needed.
    if let Some((name, p)) = &profile
        && api_key.is_none()
        && (username.is_none() || password.is_none())
    {
        let secrets = p.secrets(name)?;
        api_key = secrets.api_key;
        username = username.or_else(|| p.username.clone());
        password = password.or(secrets.password);
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

/// `url` as the endpoint; plain `http://` only on loopback.
fn with_endpoint(builder: dmapi::ClientBuilder, url: String) -> dmapi::ClientBuilder {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| url.starts_with(p));
    builder.endpoint(url).allow_http(loopback)
}

/// Waits for a queued request (with a spinner on a terminal); its typed result, or why it
/// failed.
pub(crate) async fn finish<T: dmapi::QueuedResult>(
    client: &Client,
    submitted: &Submitted<T>,
) -> Result<T, Failure> {
    let done = wait_with_spinner(client, submitted).await?;
    match done.result {
        Some(result) => Ok(result),
        None => Err(Failure::Api(format!(
            "proc id {} failed: {}",
            done.proc_id,
            done.error_text()
        ))),
    }
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
