//! Third-party clients drive the sandbox: a program that works against the sandbox must work
//! against the live Joker.com server, and the other way round, including programs not written
//! in Rust. Two Python clients in `tests/clients/` run against an in-process sandbox:
//! `dmapi_example.py`, the docs' own sample (with `requests`, from a virtualenv made once under
//! the target dir), and `own_client.py`, a standard-library client written the way ACME hooks
//! and zone managers are. Both rely on two facts of the live server's wire (WIRE-NOTES.md),
//! which the last two tests pin from Rust with a bare HTTP client: a list payload has no
//! newline after its last row, and a `dns-zone-put` shows in a `dns-zone-get` sent right after
//! it, while its job is still pending in `result-list`.
//!
//! The tests need `python3` on `PATH` (and its `venv` module, and PyPI for the sample's
//! `requests`); without it they fail, saying so.

mod common;

use common::client_for;
use common::wire::{Wire, env, raw_payload};

use std::fmt;
use std::fs;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use dmapi::{Requests, ResultStatus, Results, Zone, metadata, output};
use dmapi_sandbox::Sandbox;

/// Queued requests complete this long after they were made, as with the `dmapi-sandbox`
/// binary's default `--async-delay-ms`: a job queued by a client is still pending when the
/// client reads the zone back.
const ASYNC_DELAY: Duration = Duration::from_secs(2);

/// A Python client that runs longer than this is killed and the test fails.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);

/// `python3 -m venv` and `pip install -r requirements.txt` get at most this long each.
const PIP_TIMEOUT: Duration = Duration::from_secs(600);

/// The sample lists domains `from=1` `to=5`.
const SAMPLE_LIST_TO: i64 = 5;

/// `tests/clients/`, where the Python clients and their requirements are.
fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
}

/// A sandbox on a free loopback port, with the demo data and the binary's queue delay.
async fn start_sandbox() -> Sandbox {
    Sandbox::builder()
        .addr(SocketAddr::from(([127, 0, 0, 1], 0)))
        .async_delay(ASYNC_DELAY)
        .start()
        .await
        .expect("the sandbox starts on a free loopback port")
}

/// How a child process ended and what it printed.
struct Run {
    what: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, {:.1?}):\n--- stdout ---\n{}--- stderr ---\n{}--------------",
            self.what, self.status, self.took, self.stdout, self.stderr
        )
    }
}

/// Reads a child's pipe to its end on a thread of its own, so that neither pipe fills up.
fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            // A read error just ends the output; what was read is kept.
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

/// Runs `cmd` (blocking) with its output captured; kills it after `timeout`. `Err` when it
/// cannot be started (the message says what), or ran too long.
fn run_blocking(what: &str, mut cmd: Command, timeout: Duration) -> Result<Run, String> {
    let started = Instant::now();
    let mut child: Child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} did not finish within {timeout:?}; killed"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for {what}: {e}")),
        }
    };
    Ok(Run {
        what: what.to_owned(),
        status,
        stdout: stdout.join().expect("the stdout reader does not panic"),
        stderr: stderr.join().expect("the stderr reader does not panic"),
        took: started.elapsed(),
    })
}

/// [`run_blocking`], and an error unless the command exited 0.
fn run_ok(what: &str, cmd: Command, timeout: Duration) -> Result<Run, String> {
    let run = run_blocking(what, cmd, timeout)?;
    if run.status.success() {
        Ok(run)
    } else {
        Err(format!("{run}"))
    }
}

/// `python3` from `PATH` and its `--version` line. Panics, saying to install Python 3, when it
/// is missing: these tests never pass without running the clients.
fn system_python() -> (&'static str, String) {
    let mut cmd = Command::new("python3");
    cmd.arg("--version");
    match run_blocking("python3 --version", cmd, SCRIPT_TIMEOUT) {
        Ok(run) if run.status.success() => {
            let version = format!("{}{}", run.stdout, run.stderr).trim().to_owned();
            ("python3", version)
        }
        Ok(run) => panic!(
            "python3 on PATH does not work; install Python 3 (Debian: apt-get install python3 \
             python3-venv) to run the third-party client tests. {run}"
        ),
        Err(e) => panic!(
            "python3 is not on PATH; install Python 3 (Debian: apt-get install python3 \
             python3-venv) to run the third-party client tests ({e})"
        ),
    }
}

/// Where a virtualenv keeps its interpreter.
fn venv_python_in(dir: &Path) -> PathBuf {
    if cfg!(windows) {
        dir.join("Scripts").join("python.exe")
    } else {
        dir.join("bin").join("python")
    }
}

/// Makes (or reuses) the virtualenv `<CARGO_TARGET_TMPDIR>/py-clients-venv` with
/// `tests/clients/requirements.txt` installed, and answers its interpreter. It is made anew
/// only when its stamp (the Python version and the requirements' text it was made with)
/// differs from now, or its interpreter is gone. A file lock beside it keeps another test
/// process from making it at the same time.
fn make_venv() -> Result<PathBuf, String> {
    let (python, version) = system_python();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let dir = tmp.join("py-clients-venv");
    let lock_path = tmp.join("py-clients-venv.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;

    let requirements = clients_dir().join("requirements.txt");
    let wanted = fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let wanted = format!("{version}\n{wanted}");
    let stamp = dir.join("requirements.stamp");
    let interpreter = venv_python_in(&dir);
    if interpreter.exists() && fs::read_to_string(&stamp).is_ok_and(|had| had == wanted) {
        return Ok(interpreter);
    }

    let started = Instant::now();
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    let mut venv = Command::new(python);
    venv.args(["-m", "venv"]).arg(&dir);
    run_ok("python3 -m venv", venv, PIP_TIMEOUT).map_err(|e| {
        format!("cannot make a virtualenv (Debian: apt-get install python3-venv): {e}")
    })?;
    let mut pip = Command::new(&interpreter);
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "-r",
    ])
    .arg(&requirements);
    run_ok("pip install -r requirements.txt", pip, PIP_TIMEOUT)?;
    fs::write(&stamp, &wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    eprintln!(
        "made the virtualenv {} in {:.1?}",
        dir.display(),
        started.elapsed()
    );
    Ok(interpreter)
    // `lock` is released here, when the file closes.
}

/// The virtualenv's interpreter, made at most once per test process (tests run in parallel
/// threads; the others wait for the first).
fn venv_python() -> PathBuf {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match VENV.get_or_init(make_venv) {
        Ok(python) => python.clone(),
        Err(e) => panic!("the Python clients' virtualenv: {e}"),
    }
}

/// Runs `tests/clients/<script>` with `python` against `sandbox`, its URL and credentials in
/// `DMAPI_URL`, `DMAPI_USERNAME`, `DMAPI_PASSWORD`. The sandbox keeps serving meanwhile: the
/// child is waited for on a blocking thread.
async fn run_client(python: PathBuf, script: &str, sandbox: &Sandbox) -> Run {
    let c = sandbox.credentials();
    let mut cmd = Command::new(python);
    cmd.arg(clients_dir().join(script))
        .env("DMAPI_URL", sandbox.url())
        .env("DMAPI_USERNAME", &c.username)
        .env("DMAPI_PASSWORD", &c.password)
        .env_remove("DMAPI_DOMAIN")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    // The sandbox is on loopback: no proxy between.
    for var in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    let what = script.to_owned();
    blocking(move || run_blocking(&what, cmd, SCRIPT_TIMEOUT))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `f` on a blocking thread, so that the sandbox, on this test's runtime, keeps serving;
/// a panic in `f` goes on as this test's own (its message unchanged).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(value) => value,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the blocking task was cancelled: {e}"),
    }
}

#[tokio::test]
async fn the_docs_python_sample_lists_the_accounts_domains() {
    let python = blocking(venv_python).await;
    let sandbox = start_sandbox().await;
    let expected: Vec<String> = client_for(&sandbox)
        .query_domain_list()
        .with(|r| r.from(1).to(SAMPLE_LIST_TO))
        .await
        .expect("the Rust client lists the domains")
        .output
        .iter()
        .map(|row| row.domain.as_str().to_owned())
        .collect();
    assert!(!expected.is_empty(), "the demo account holds domains");

    let run = run_client(python, "dmapi_example.py", &sandbox).await;
    assert!(run.status.success(), "the sample failed: {run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        !lines.iter().any(|l| l.starts_with("Error:")),
        "the sample reported an error: {run}"
    );
    for step in ["Login", "Domain List", "Logout"] {
        let want = format!("{step}: Status-Code: 0");
        assert!(lines.contains(&want.as_str()), "no `{want}`: {run}");
    }
    let listed: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix(" domain:"))
        .map(str::trim)
        .collect();
    let empty = listed.iter().filter(|d| d.is_empty()).count();
    assert_eq!(
        empty, 0,
        "the sample printed {empty} empty domain entry (` domain: `): the query-domain-list \
         payload ends with a newline, which the sample's split on \"\\n\" turns into an empty \
         row; the live server sends no newline after the last row (WIRE-NOTES.md). {run}"
    );
    assert_eq!(
        listed, expected,
        "the sample lists other domains than the account's first {SAMPLE_LIST_TO}: {run}"
    );
}

#[tokio::test]
async fn a_standard_library_client_reads_its_txt_record_back_right_after_the_put() {
    let (python, _) = blocking(system_python).await;
    let sandbox = start_sandbox().await;
    let run = run_client(PathBuf::from(python), "own_client.py", &sandbox).await;
    assert!(run.status.success(), "own_client.py failed: {run}");
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("right after the put: read back _acme-challenge TXT")),
        "own_client.py does not show the TXT record read back: {run}"
    );
    assert!(run.stdout.contains("logout: Status-Code 0"), "{run}");
}

// ---- The two wire facts those clients rely on, pinned with a bare HTTP client. ----

/// Logs in over the bare wire: the client and the session id.
async fn wire_login(sandbox: &Sandbox) -> (Wire, String) {
    let wire = Wire::new(sandbox);
    let (sid, _) = wire.login(sandbox).await;
    (wire, sid)
}

/// POSTs request `name` with the session: the raw answer, which must be a success.
async fn post_ok(wire: &Wire, sid: &str, name: &str, params: &[(&str, &str)]) -> String {
    let mut all = params.to_vec();
    all.push((&*metadata::SESSION.param, sid));
    let (status, _, text) = wire.post(name, &all).await;
    assert_eq!(status, 200, "{name}: {text}");
    let e = env(&text);
    assert!(
        e.status_code()
            .is_some_and(|c| metadata::PROTOCOL.is_success(c)),
        "{name}: {text}"
    );
    text
}

#[tokio::test]
async fn a_list_payload_has_no_newline_after_its_last_row() {
    let sandbox = start_sandbox().await;
    let (wire, sid) = wire_login(&sandbox).await;
    let text = post_ok(&wire, &sid, "query-domain-list", &[]).await;
    let payload = raw_payload(&text);
    assert!(
        !payload.ends_with('\n'),
        "the query-domain-list payload ends with a newline; the live server joins the rows \
         with \\n and sends none after the last (WIRE-NOTES.md), and the docs' sample turns \
         one into an empty row. Payload: {payload:?}"
    );
    let rows: Vec<&str> = payload.split('\n').collect();
    assert!(
        rows.iter().all(|row| !row.trim().is_empty()),
        "an empty row in {payload:?}"
    );
    assert_eq!(rows.len(), sandbox.domain_count(), "{payload:?}");
}

#[tokio::test]
async fn a_zone_put_shows_at_once_while_its_job_is_still_pending() {
    let sandbox = start_sandbox().await;
    let (wire, sid) = wire_login(&sandbox).await;
    let domain = "example.com";
    let before = post_ok(&wire, &sid, "dns-zone-get", &[("domain", domain)]).await;
    let mut zone: Vec<&str> = raw_payload(&before)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!zone.is_empty(), "the demo zone: {before}");
    let token = "token-wire-pin";
    let record = format!("_acme-challenge TXT 0 \"{token}\" 300");
    zone.push(&record);
    let zone = zone.join("\n") + "\n";

    let put = post_ok(
        &wire,
        &sid,
        "dns-zone-put",
        &[("domain", domain), ("zone", &zone)],
    )
    .await;
    let proc_id = env(&put)
        .proc_id()
        .expect("dns-zone-put answers Proc-ID")
        .to_owned();
    let after = post_ok(&wire, &sid, "dns-zone-get", &[("domain", domain)]).await;
    let jobs = post_ok(&wire, &sid, "result-list", &[("pending", "1")]).await;

    let Results::Rows(rows) = output::result_list("result-list", &env(&jobs)).expect(&jobs) else {
        panic!("result-list rows: {jobs}")
    };
    let status = rows
        .iter()
        .find(|r| r.proc_id == proc_id)
        .map(|r| &r.status);
    assert_eq!(
        status,
        Some(&ResultStatus::Pending),
        "the put's job {proc_id} should still be pending in result-list (async_delay \
         {ASYNC_DELAY:?}) when the zone is read back: {jobs}"
    );
    // Read as a client must: the live server answers TXT as `label TXT 0  "value " ttl`.
    let read = Zone::parse(raw_payload(&after));
    assert!(
        read.records()
            .any(|r| r.label == "_acme-challenge" && r.value() == token),
        "a dns-zone-get sent right after dns-zone-put (Proc-ID {proc_id}, still pending) does \
         not return the new record `{record}`; the live server applies a zone put at once \
         (WIRE-NOTES.md). Zone read back:\n{after}"
    );
}
