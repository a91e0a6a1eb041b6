//! `dmapi-sandbox`: a local DMAPI server on loopback for development and demos.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use dmapi_sandbox::{BlankLine, Framing, HeaderOrder, KeyCase, Sandbox, Seed};

/// A local Joker.com DMAPI server: every request of the spec, an in-memory registrar.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Port to listen on (0: a free one).
    #[arg(long, default_value_t = 8480)]
    port: u16,
    /// Address to listen on. Keep it on loopback: the sandbox has no TLS.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// What the account holds at start.
    #[arg(long, value_enum, default_value_t = SeedArg::Demo)]
    seed: SeedArg,
    /// Add this many generated domains (bulk-000001.com, ...), for load tests.
    #[arg(long, default_value_t = 0)]
    bulk_domains: usize,
    /// Keep the state in this SQLite file across restarts (created if missing, loaded if it
    /// exists: then the seed options do nothing). Each change is committed and synced to disk
    /// before it is answered. A file that is not a sandbox state file is refused untouched.
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Milliseconds until a queued request completes.
    #[arg(long, default_value_t = 2000)]
    async_delay_ms: u64,
    /// Milliseconds every request waits before it is handled: a simulated network round trip.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Days a deleted domain can be restored (domain-redeem).
    #[arg(long, default_value_t = 30)]
    redemption_grace_days: u64,
    /// Seconds of inactivity after which a session expires.
    #[arg(long, default_value_t = 3600)]
    session_timeout: u64,
    /// The reseller password (generated if not given).
    #[arg(long, env = "DMAPI_SANDBOX_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// The full-access API key (generated if not given).
    #[arg(long, env = "DMAPI_SANDBOX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Seconds a client has to send a whole request head (and a kept-alive connection may sit
    /// idle between requests); 0: no limit.
    #[arg(long, default_value_t = 10)]
    header_read_timeout: u64,
    /// Seconds without a byte moving either way after which a connection is closed; 0: no limit.
    #[arg(long, default_value_t = 60)]
    idle_timeout: u64,
    /// Connections open at once; one over the cap is closed at once. Keep `ulimit -n` above it.
    #[arg(long, default_value_t = 4096)]
    max_connections: usize,
    /// Largest request head (request line and headers) in bytes; a larger one gets HTTP 431.
    #[arg(long, default_value_t = 32 * 1024)]
    max_header_bytes: usize,
    /// Answer TXT records canonically (`"value"`), not in the live server's form
    /// (`TXT 0  "value "`, two spaces and one inside the quotes).
    #[arg(long)]
    no_txt_quirk: bool,
    /// Where the status lines go in the headers (the live server varies).
    #[arg(long, value_enum, default_value_t = OrderArg::AsWritten)]
    header_order: OrderArg,
    /// How header keys are spelled (the live server's are not case-stable).
    #[arg(long, value_enum, default_value_t = CaseArg::AsWritten)]
    key_case: CaseArg,
    /// No blank line after the headers of an answer without payload.
    #[arg(long)]
    no_blank_line: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OrderArg {
    /// `Status-Code` and `Status-Text` first.
    AsWritten,
    /// `Status-Code` and `Status-Text` last.
    StatusLast,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CaseArg {
    /// As the protocol spells them.
    AsWritten,
    /// `Proc-Id`, `Account-Balance`.
    Title,
    /// All lowercase.
    Lower,
    /// All uppercase.
    Upper,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SeedArg {
    /// The account only.
    Empty,
    /// Contacts, name servers, domains, a zone, a transfer source.
    Demo,
}

/// The answers' framing the arguments ask for.
fn framing(args: &Args) -> Framing {
    Framing::default()
        .txt_quirk(!args.no_txt_quirk)
        .header_order(match args.header_order {
            OrderArg::AsWritten => HeaderOrder::AsWritten,
            OrderArg::StatusLast => HeaderOrder::StatusLast,
        })
        .key_case(match args.key_case {
            CaseArg::AsWritten => KeyCase::AsWritten,
            CaseArg::Title => KeyCase::Title,
            CaseArg::Lower => KeyCase::Lower,
            CaseArg::Upper => KeyCase::Upper,
        })
        .blank_line(if args.no_blank_line {
            BlankLine::BeforePayload
        } else {
            BlankLine::Always
        })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let mut builder = Sandbox::builder()
        .addr(SocketAddr::new(args.host, args.port))
        .seed(match args.seed {
            SeedArg::Empty => Seed::Empty,
            SeedArg::Demo => Seed::Demo,
        })
        .bulk_domains(args.bulk_domains)
        .async_delay(Duration::from_millis(args.async_delay_ms))
        .latency(Duration::from_millis(args.latency_ms))
        .session_timeout(Duration::from_secs(args.session_timeout))
        .redemption_grace(Duration::from_secs(
            args.redemption_grace_days.saturating_mul(86_400),
        ))
        .header_read_timeout(Duration::from_secs(args.header_read_timeout))
        .idle_timeout(Duration::from_secs(args.idle_timeout))
        .max_connections(args.max_connections)
        .max_header_bytes(args.max_header_bytes)
        .framing(framing(&args));
    if let Some(path) = &args.state_file {
        builder = builder.state_file(path);
    }
    if let Some(p) = &args.password {
        builder = builder.password(p);
    }
    if let Some(k) = &args.api_key {
        builder = builder.api_key(k);
    }
    let sandbox = match builder.start().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dmapi-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let c = sandbox.credentials();
    println!("DMAPI sandbox at {}", sandbox.url());
    println!("  username        {}", c.username);
    println!("  password        {}", c.password);
    println!("  api key         {}", c.api_key);
    println!("  read-only key   {}", c.read_only_key);
    println!("  modify-only key {}", c.modify_only_key);
    println!("Ctrl-C stops it.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("dmapi-sandbox: cannot wait for Ctrl-C: {e}");
    }
    match sandbox.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dmapi-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
