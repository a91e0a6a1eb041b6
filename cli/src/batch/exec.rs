//! Running one line of a batch, and recording its outcome.
//!
//! A change goes out with a client transaction id (`cltrid`) made of the run's id and the line
//! number (and the attempt, from the second on), recorded before it is sent. When its answer
//! is lost, it is looked up by that id in the result list, and only when the list shows it
//! never arrived is it sent again, under a new id. A line that an earlier run sent without
//! recording an outcome is looked up the same way before anything else happens to it.

use std::time::Duration;

use dmapi::meta::RequestKind;
use dmapi::output::{ResultRow, ResultStatus, Results};
use dmapi::{Completion, Envelope, Error, Form, KeyValues, OutcomeCheck, Submitted, metadata};
use serde_json::{Map, Value, json};

use super::input::Line;
use super::progress::Progress;
use super::results::{Done, Earlier, Outcome, Results as ResultsFile};
use crate::render::{self, Format, Style};

/// Attempts of a change whose answer was lost and that the result list shows never arrived.
const ATTEMPTS: u32 = 3;
/// Before the result list's "not there" counts: a request still in flight would show by then.
const SETTLE: Duration = Duration::from_secs(1);

/// What every line's run shares.
pub(crate) struct Ctx {
    pub(crate) client: dmapi::Client,
    pub(crate) results: ResultsFile,
    /// `--wait`: queued requests get their final outcome.
    pub(crate) wait: bool,
    pub(crate) progress: Progress,
}

/// Where a line's run got to: its outcome, or accepted as a queued request (its proc id) whose
/// outcome `--wait` waits for apart from the jobs, so that waiting does not hold up sending.
enum Step {
    Done(Done),
    Wait(Done, String),
}

/// How a line's run starts.
pub(crate) enum Start {
    /// Never sent.
    Fresh,
    /// Sent by an earlier run that recorded no final outcome: look it up first.
    Resolve(Earlier),
}

/// A queued request accepted, to wait for: what [`wait_line`] takes.
pub(crate) type Accepted = (Done, String);

/// Runs `line` and records its outcome, or hands back the queued request accepted for it to
/// wait for (with `--wait`). `Err` only when the results file cannot be written (the run must
/// stop: what it sends could not be accounted for).
pub(crate) async fn run_line(
    ctx: &Ctx,
    line: &Line,
    start: Start,
) -> std::io::Result<Option<Accepted>> {
    let step = match start {
        Start::Fresh => send(ctx, line, 1, None).await?,
        Start::Resolve(earlier) => resolve(ctx, line, earlier).await?,
    };
    match step {
        Step::Done(done) => finish(ctx, line, &done).map(|()| None),
        Step::Wait(done, proc_id) => Ok(Some((done, proc_id))),
    }
}

/// Waits for the queued request accepted for `line` and records how it ended.
pub(crate) async fn wait_line(ctx: &Ctx, line: &Line, accepted: Accepted) -> std::io::Result<()> {
    let (done, proc_id) = accepted;
    let done = completed(ctx, done, proc_id).await;
    finish(ctx, line, &done)
}

/// Records `done`, says so if it is not a plain success, and counts it.
fn finish(ctx: &Ctx, line: &Line, done: &Done) -> std::io::Result<()> {
    ctx.results.done(line, done)?;
    if done.outcome != Outcome::Ok || done.resolved_by.is_some() {
        let mut m = format!(
            "line {}: {}: {}",
            line.number,
            line.meta.name,
            done.outcome.as_str()
        );
        if let Some(by) = done.resolved_by {
            m.push_str(&format!(" (found in {by})"));
        }
        if let Some(e) = &done.error {
            m.push_str(&format!(": {}", e.replace('\n', " ")));
        }
        ctx.progress.note(&m);
    }
    ctx.progress.done(done.outcome);
    Ok(())
}

fn queued(line: &Line) -> bool {
    line.meta.kind == RequestKind::Async
}

/// The form of `line`, and the client transaction id it goes out with if it is a change:
/// the line's own, or `<run>-<line>` (`<run>-<line>-<attempt>` from the second attempt on).
fn form_of(ctx: &Ctx, line: &Line, attempt: u32) -> (Form, Option<String>) {
    let mut form = Form::new();
    for (k, v) in &line.params {
        match line.meta.param(k) {
            Some(p) if p.secret => form.push_secret(k.clone(), v.clone()),
            _ => form.push(k.clone(), v.clone()),
        }
    }
    let param = &metadata::SESSION.cltrid;
    if !line.meta.changes || line.meta.param(param).is_none() {
        return (form, None);
    }
    if let Some(own) = form.get(param).map(str::to_owned) {
        return (form, Some(own));
    }
    let run = &ctx.results.run;
    let id = match attempt {
        1 => format!("{run}-{}", line.number),
        n => format!("{run}-{}-{n}", line.number),
    };
    form.push(param.clone(), id.clone());
    (form, Some(id))
}

/// Sends `line` (attempt `attempt`), and again while the result list shows that a lost
/// answer's request never arrived.
async fn send(
    ctx: &Ctx,
    line: &Line,
    mut attempt: u32,
    mut note: Option<String>,
) -> std::io::Result<Step> {
    loop {
        let (form, cltrid) = form_of(ctx, line, attempt);
        if let Some(id) = &cltrid {
            ctx.results.sent(line, id, attempt, note.as_deref())?;
        }
        let err = match ctx.client.send_raw(line.meta, &form).await {
            Ok(env) => return Ok(answered(ctx, line, &env, cltrid)),
            Err(e) => e,
        };
        let Error::OutcomeUnknown {
            cltrid: Some(id),
            check,
            tracking_id,
            ..
        } = &err
        else {
            return Ok(Step::Done(failure(err, cltrid)));
        };
        if !queued(line) {
            return Ok(Step::Done(failure(err, cltrid)));
        }
        match lookup(ctx, check, id).await {
            Lookup::Found(step) => return Ok(step),
            Lookup::Absent if attempt < ATTEMPTS => {
                note = Some(format!(
                    "the answer to {id} was lost and {} shows it never arrived",
                    check.request.name
                ));
                attempt += 1;
            }
            Lookup::Absent => {
                return Ok(Step::Done(
                    Done::new(Outcome::Failed, Some(id.clone())).error(format!(
                        "the answer was lost {ATTEMPTS} times, and {} shows none of the \
                     attempts arrived",
                        check.request.name
                    )),
                ));
            }
            Lookup::Failed(why) => {
                let mut done = Done::new(Outcome::Unknown, Some(id.clone()))
                    .error(format!("{err}; looking it up failed: {why}"));
                done.tracking_id = tracking_id.clone();
                return Ok(Step::Done(done));
            }
        }
    }
}

/// A line that an earlier run sent (or could not finish) without a final outcome.
async fn resolve(ctx: &Ctx, line: &Line, earlier: Earlier) -> std::io::Result<Step> {
    // Accepted and queued, its completion not seen: ask by its proc id.
    if let (Some(proc_id), true) = (earlier.proc_id.clone(), queued(line)) {
        let mut done = Done::new(Outcome::Ok, earlier.cltrid.clone());
        done.proc_id = Some(proc_id.clone());
        if ctx.wait {
            return Ok(Step::Wait(done, proc_id));
        }
        return Ok(Step::Done(match ctx.client.completion(&proc_id).await {
            Ok(Some(c)) => from_completion(done, c),
            Ok(None) => done,
            Err(e) => Done {
                outcome: Outcome::Unknown,
                ..done
            }
            .error(format!(
                "accepted as proc id {proc_id}; asking for its outcome: {e}"
            )),
        }));
    }
    match earlier.cltrid {
        Some(id) if queued(line) => {
            let check = OutcomeCheck::by_cltrid::<dmapi::Dmapi>(&id);
            match lookup(ctx, &check, &id).await {
                Lookup::Found(step) => Ok(step),
                Lookup::Absent if earlier.attempt < ATTEMPTS => {
                    let note = format!(
                        "sent as {id} by an earlier run; {} shows it never arrived",
                        check.request.name
                    );
                    send(ctx, line, earlier.attempt + 1, Some(note)).await
                }
                Lookup::Absent => Ok(Step::Done(Done::new(Outcome::Failed, Some(id)).error(
                    format!(
                        "{ATTEMPTS} attempts, and {} shows none arrived",
                        check.request.name
                    ),
                ))),
                Lookup::Failed(why) => Ok(Step::Done(
                    Done::new(Outcome::Unknown, Some(id))
                        .error(format!("looking up an earlier run's attempt failed: {why}")),
                )),
            }
        }
        cltrid => Ok(Step::Done(Done::new(Outcome::Unknown, cltrid).error(
            format!(
                "sent by an earlier run without a known outcome; {} is not queued, so the \
             result list cannot tell: not sent again (check the object itself)",
                line.meta.name
            ),
        ))),
    }
}

enum Lookup {
    /// The result list has it: this is its outcome (or it is still running).
    Found(Step),
    /// The result list has no request with that id: it never arrived.
    Absent,
    /// The result list could not be read.
    Failed(String),
}

/// Looks `cltrid` up with `check` (the result list filtered by it): once, and once more after
/// [`SETTLE`] before saying it is not there.
async fn lookup(ctx: &Ctx, check: &OutcomeCheck, cltrid: &str) -> Lookup {
    let request: &'static str = &check.request.name;
    for round in 0..2 {
        if round > 0 {
            tokio::time::sleep(SETTLE).await;
        }
        let env = match ctx.client.send_raw(check.request, &check.form).await {
            Ok(env) => env,
            Err(e) => return Lookup::Failed(e.to_string()),
        };
        let rows = match dmapi::output::result_list(request, &env) {
            Ok(Results::Rows(rows)) => rows,
            Ok(Results::Count(n)) => {
                return Lookup::Failed(format!("{request} answered a count ({n})"));
            }
            Err(e) => return Lookup::Failed(e.to_string()),
        };
        if let Some(row) = rows
            .into_iter()
            .rfind(|r| r.cltrid.as_deref() == Some(cltrid))
        {
            return Lookup::Found(from_row(ctx, row, request));
        }
    }
    Lookup::Absent
}

/// The outcome a result-list row tells.
fn from_row(ctx: &Ctx, row: ResultRow, by: &'static str) -> Step {
    let status = row.status.word(&metadata::PROTOCOL.completion).to_owned();
    let mut done = Done::new(Outcome::Ok, row.cltrid.clone());
    done.proc_id = Some(row.proc_id.clone());
    done.tracking_id = Some(row.svtrid.clone());
    done.resolved_by = Some(by);
    done.answer = Some(json!({
        "timestamp": row.timestamp,
        "request_type": row.request_type,
        "object": row.object,
        "status": status,
    }));
    match row.status {
        ResultStatus::Ack => Step::Done(done),
        ResultStatus::Nack => Step::Done(
            Done {
                outcome: Outcome::Refused,
                ..done
            }
            .error(format!("{by} shows it failed ({status})")),
        ),
        // Accepted and still running.
        _ if ctx.wait => Step::Wait(done, row.proc_id),
        _ => Step::Done(done),
    }
}

/// The outcome of a request the server answered.
fn answered(ctx: &Ctx, line: &Line, env: &Envelope, cltrid: Option<String>) -> Step {
    let proc_id = env.proc_id().map(str::to_owned);
    let mut done = Done::new(Outcome::Ok, cltrid);
    done.status = env.status_code();
    done.tracking_id = env.tracking_id().map(str::to_owned);
    done.proc_id = proc_id.clone();
    done.answer = answer_json(line, env);
    match proc_id {
        Some(p) if ctx.wait && queued(line) => Step::Wait(done, p),
        _ => Step::Done(done),
    }
}

/// Waits for the queued request `proc_id` and records how it ended.
async fn completed(ctx: &Ctx, done: Done, proc_id: String) -> Done {
    let submitted: Submitted<KeyValues> = Submitted::new(proc_id.clone(), done.tracking_id.clone());
    match ctx.client.wait(&submitted).await {
        Ok(c) => from_completion(done, c),
        Err(e) => Done {
            outcome: Outcome::Unknown,
            ..done
        }
        .error(format!(
            "accepted as proc id {proc_id}; waiting for its outcome: {e}"
        )),
    }
}

fn from_completion(mut done: Done, c: Completion) -> Done {
    let fields: Map<String, Value> = c
        .fields
        .iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    done.answer = Some(json!({ "result": fields }));
    if c.is_ack() {
        done.outcome = Outcome::Ok;
        done
    } else {
        done.outcome = Outcome::Refused;
        done.error(c.error_text())
    }
}

/// The outcome of a request that failed.
fn failure(err: Error, cltrid: Option<String>) -> Done {
    if let Some(api) = err.api() {
        let mut done = Done::new(Outcome::Refused, cltrid);
        done.status = Some(api.status);
        done.tracking_id = api.tracking_id.clone();
        return done.error(crate::Failure::from(err).message());
    }
    let outcome = match &err {
        Error::OutcomeUnknown { .. } => Outcome::Unknown,
        _ => Outcome::Failed,
    };
    let mut done = Done::new(outcome, cltrid);
    if let Error::OutcomeUnknown { tracking_id, .. } = &err {
        done.tracking_id = tracking_id.clone();
    }
    done.error(err)
}

/// A successful answer's content as the CLI's JSON output has it (fields, rows or lines),
/// with its warnings; the envelope's other headers are in the record already or secret.
fn answer_json(line: &Line, env: &Envelope) -> Option<Value> {
    let value_of = |name: &str| {
        line.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let ret = line
        .meta
        .returns
        .answer_to(value_of)
        .unwrap_or(&line.meta.returns);
    let style = Style {
        format: Format::Json,
        columns: None,
        header: true,
    };
    let text = render::answer(line.meta, ret, env, &style).ok()?;
    let Ok(Value::Object(mut obj)) = serde_json::from_str::<Value>(&text) else {
        return None;
    };
    for k in ["request", "status", "tracking_id", "proc_id", "headers"] {
        obj.remove(k);
    }
    // A queued request's acceptance carries nothing but its headers.
    obj.retain(|_, v| v.as_str() != Some(""));
    let warnings: Vec<&str> = env.warnings().collect();
    if !warnings.is_empty() {
        obj.insert("warnings".into(), json!(warnings));
    }
    (!obj.is_empty()).then_some(Value::Object(obj))
}
