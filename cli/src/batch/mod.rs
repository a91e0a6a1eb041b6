//! `dmapi batch FILE`: many requests from a file of JSON lines or CSV, every line checked
//! against the spec before anything is sent, run with bounded concurrency on one session,
//! each outcome appended to a results file from which a later run resumes.

mod csv;
mod exec;
mod input;
mod progress;
mod results;

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::{Arg, ArgAction, ArgMatches, Command};
use dmapi::metadata;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::{Failure, args};
use exec::{Ctx, Start};
use input::{Format, Line};
use progress::{Progress, Tally};
use results::{Outcome, Prior, Results};

/// The subcommand's name.
pub(crate) const NAME: &str = "batch";
const FILE: &str = "file";
const FORMAT: &str = "format";
const REQUEST: &str = "request";
const JOBS: &str = "jobs";
const RESULTS: &str = "results";
const CHECK: &str = "check";
/// Queued requests waited for at once (`--wait`), per job: each polls for its outcome.
const WAITS_PER_JOB: usize = 4;
/// The most bad lines listed when a file is refused.
const SHOWN_ERRORS: usize = 50;

/// The `batch` subcommand.
pub(crate) fn command() -> Command {
    Command::new(NAME)
        .about(
            "Run the requests of a file (JSON lines or CSV), checked against the spec first, \
             several at a time on one session; outcomes go to a results file, and a run resumes \
             where it stopped",
        )
        .after_help(
            "JSON lines: one object per line, {\"request\": NAME, PARAMETER: VALUE, ...}; \
             true/false for flags, a list for an indexed parameter.\n\
             CSV: a header row naming the parameters, and a `request` column or --request NAME; \
             an empty cell leaves the parameter out.\n\
             Results (JSON lines): the run's id, then per line its number, request, key \
             parameters, outcome (ok, refused, failed, unknown), status code, tracking id, proc \
             id, client transaction id, and the answer or the error. Run the same command again \
             to resume: lines with an outcome are skipped; a change sent without one is looked \
             up in the result list by its client transaction id, never sent again blind.\n\
             Exit codes: 0 every line ok, 2 a bad file (nothing sent), 3 some lines refused, \
             4 some failed or with an unknown outcome.",
        )
        .arg(
            Arg::new(FILE)
                .required(true)
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The requests: .jsonl/.json (JSON lines) or .csv"),
        )
        .arg(
            Arg::new(FORMAT)
                .long(FORMAT)
                .value_name("FORMAT")
                .value_parser(Format::NAMES)
                .help("The file's format, whatever its extension"),
        )
        .arg(
            Arg::new(REQUEST)
                .long(REQUEST)
                .value_name("NAME")
                .help("The request of lines that name none (a CSV without a request column)"),
        )
        .arg(
            Arg::new(JOBS)
                .long(JOBS)
                .short('j')
                .value_name("N")
                .default_value("4")
                .value_parser(clap::value_parser!(u16).range(1..=256))
                .help("Requests under way at once"),
        )
        .arg(
            Arg::new(RESULTS)
                .long(RESULTS)
                .value_name("PATH")
                .value_parser(clap::value_parser!(PathBuf))
                .help("The results file (JSON lines) [default: FILE.results.jsonl]"),
        )
        .arg(
            Arg::new(args::WAIT)
                .long(args::WAIT)
                .action(ArgAction::SetTrue)
                .help("Wait for the outcome of queued requests (result-retrieve)"),
        )
        .arg(
            Arg::new(CHECK)
                .long(CHECK)
                .action(ArgAction::SetTrue)
                .help("Only check the file against the spec; send nothing"),
        )
}

/// Runs `dmapi batch`.
pub(crate) async fn run(top: &ArgMatches, sub: &ArgMatches) -> Result<(), Failure> {
    let Some(file) = sub.get_one::<PathBuf>(FILE) else {
        return Err(Failure::Usage("batch: no FILE".into()));
    };
    let format = Format::of(file, sub.get_one::<String>(FORMAT).map(String::as_str))
        .map_err(Failure::Usage)?;
    let default = match sub.get_one::<String>(REQUEST) {
        Some(name) => Some(
            metadata::find(name)
                .ok_or_else(|| Failure::Usage(format!("--request: unknown request `{name}`")))?,
        ),
        None => None,
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))?;
    let lines = input::read(&text, format, default).map_err(|errors| refused(file, errors))?;
    if sub.get_flag(CHECK) {
        println!(
            "{}: {} requests, all as the spec wants them",
            file.display(),
            lines.len()
        );
        return Ok(());
    }
    let results_path = sub
        .get_one::<PathBuf>(RESULTS)
        .cloned()
        .unwrap_or_else(|| default_results(file));
    let (results, prior) = Results::open(&results_path, file).map_err(Failure::Usage)?;
    let plan = plan(&lines, prior, &results_path)?;
    let skipped = lines.len() - plan.len();
    let jobs = usize::from(sub.get_one::<u16>(JOBS).copied().unwrap_or(4));
    let json = crate::format_of(sub) == crate::render::Format::Json;
    let run = results.run.clone();
    if plan.is_empty() {
        let tally = Tally {
            skipped,
            ..Tally::default()
        };
        summary(file, &results_path, &run, jobs, tally, 0.0, json);
        return Ok(());
    }
    // Batches refuse login lines, so no line carries credentials of its own.
    let (client, _sandbox) = crate::connect(top, None).await?;
    // Credentials are checked once, before any line: a refused login is not a line's outcome.
    client.login().await?;
    let ctx = Arc::new(Ctx {
        client,
        results,
        wait: sub.get_flag(args::WAIT),
        progress: Progress::new(plan.len(), skipped, std::io::stderr().is_terminal()),
    });
    let written = work(&ctx, plan, jobs).await;
    ctx.progress.finish();
    let tally = ctx.progress.tally();
    let secs = ctx.progress.elapsed().as_secs_f64();
    summary(file, &results_path, &run, jobs, tally, secs, json);
    written.map_err(|e| {
        Failure::Transport(format!(
            "cannot write {}: {e}; the run stopped (run it again to resume)",
            results_path.display()
        ))
    })?;
    if tally.failed + tally.unknown > 0 {
        return Err(Failure::Transport(format!(
            "{} line(s) failed, {} with an unknown outcome; see {}",
            tally.failed,
            tally.unknown,
            results_path.display()
        )));
    }
    if tally.refused > 0 {
        return Err(Failure::Api(format!(
            "{} line(s) refused; see {}",
            tally.refused,
            results_path.display()
        )));
    }
    Ok(())
}

/// `FILE.results.jsonl`, beside the file.
fn default_results(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".results.jsonl");
    PathBuf::from(name)
}

/// The usage error for a file with bad lines.
fn refused(file: &Path, errors: Vec<String>) -> Failure {
    let mut m = format!(
        "{}: {} bad line(s); nothing was sent:",
        file.display(),
        errors.len()
    );
    for e in errors.iter().take(SHOWN_ERRORS) {
        m.push_str(&format!("\n  {e}"));
    }
    if errors.len() > SHOWN_ERRORS {
        m.push_str(&format!("\n  ... and {} more", errors.len() - SHOWN_ERRORS));
    }
    Failure::Usage(m)
}

/// What to do with each line, given the results of earlier runs: lines with an outcome are
/// skipped, those sent without one are looked up; the records must be of this file's lines.
fn plan(lines: &[Line], prior: Prior, results: &Path) -> Result<VecDeque<(Line, Start)>, Failure> {
    if prior.unreadable > 0 {
        eprintln!(
            "dmapi: {}: {} unreadable record(s) ignored",
            results.display(),
            prior.unreadable
        );
    }
    let mut earlier = prior.lines;
    let mut plan = VecDeque::with_capacity(lines.len());
    for line in lines {
        match earlier.remove(&line.number) {
            None => plan.push_back((line.clone(), Start::Fresh)),
            Some(e) if e.request != *line.meta.name => {
                return Err(Failure::Usage(format!(
                    "{} records line {} as {}, but the file has {} there: not the results of \
                     this file (give another --results path)",
                    results.display(),
                    line.number,
                    e.request,
                    line.meta.name
                )));
            }
            Some(e) => match e.outcome {
                Some(Outcome::Ok | Outcome::Refused | Outcome::Failed) => {}
                Some(Outcome::Unknown) | None => plan.push_back((line.clone(), Start::Resolve(e))),
            },
        }
    }
    if let Some(n) = earlier.keys().next() {
        return Err(Failure::Usage(format!(
            "{} records line {n}, which the file has no request on: not the results of this \
             file (give another --results path)",
            results.display()
        )));
    }
    Ok(plan)
}

/// Runs the plan with `jobs` workers; `Err` when the results file could not be written.
async fn work(ctx: &Arc<Ctx>, plan: VecDeque<(Line, Start)>, jobs: usize) -> std::io::Result<()> {
    let workers = jobs.min(plan.len());
    let queue = Arc::new(Mutex::new(plan));
    let stop = Arc::new(AtomicBool::new(false));
    // Waits for queued requests run beside the jobs, a bounded number at a time.
    let waiting = Arc::new(Semaphore::new(jobs.saturating_mul(WAITS_PER_JOB)));
    let waits = Arc::new(Mutex::new(JoinSet::new()));
    let mut set = JoinSet::new();
    for _ in 0..workers {
        let (ctx, queue, stop) = (Arc::clone(ctx), Arc::clone(&queue), Arc::clone(&stop));
        let (waiting, waits) = (Arc::clone(&waiting), Arc::clone(&waits));
        set.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some((line, start)) = next else { break };
                let accepted = match exec::run_line(&ctx, &line, start).await {
                    Ok(None) => continue,
                    Ok(Some(accepted)) => accepted,
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                };
                // Never closed, so acquiring fails only if it were.
                let Ok(permit) = Arc::clone(&waiting).acquire_owned().await else {
                    break;
                };
                let ctx = Arc::clone(&ctx);
                let wait = async move {
                    let _permit = permit;
                    exec::wait_line(&ctx, &line, accepted).await
                };
                waits.lock().unwrap_or_else(|e| e.into_inner()).spawn(wait);
            }
            Ok(())
        });
    }
    let sent = joined(&mut set).await;
    let mut waits = std::mem::take(&mut *waits.lock().unwrap_or_else(|e| e.into_inner()));
    let waited = joined(&mut waits).await;
    sent.and(waited)
}

/// Joins every task of `set`; the first error, if any.
async fn joined(set: &mut JoinSet<std::io::Result<()>>) -> std::io::Result<()> {
    let mut first_error = Ok(());
    while let Some(joined) = set.join_next().await {
        let result = joined.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
        if first_error.is_ok() {
            first_error = result;
        }
    }
    first_error
}

/// The closing summary, on stdout.
fn summary(file: &Path, results: &Path, run: &str, jobs: usize, t: Tally, secs: f64, json: bool) {
    let ran = t.ok + t.refused + t.failed + t.unknown;
    let rate = if secs > 0.0 { ran as f64 / secs } else { 0.0 };
    let text = if json {
        json!({
            "file": file.display().to_string(),
            "results": results.display().to_string(),
            "run": run,
            "jobs": jobs,
            "seconds": (secs * 1000.0).round() / 1000.0,
            "ok": t.ok,
            "refused": t.refused,
            "failed": t.failed,
            "unknown": t.unknown,
            "skipped": t.skipped,
        })
        .to_string()
            + "\n"
    } else {
        format!(
            "{}: {ran} requests in {secs:.1} s ({rate:.1}/s, {jobs} jobs)\n  ok       {:>6}\n  \
             refused  {:>6}\n  failed   {:>6}\n  unknown  {:>6}\n  skipped  {:>6}\nresults: {} \
             (run {run})\n",
            file.display(),
            t.ok,
            t.refused,
            t.failed,
            t.unknown,
            t.skipped,
            results.display()
        )
    };
    crate::print(&text);
}
