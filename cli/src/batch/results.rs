//! The results file: JSON lines, appended to and flushed one record at a time, so that a
//! crash loses nothing that was acknowledged and a later run can resume.
//!
//! The first record names the run: `{"run": ID, "batch": FILE, "started": UNIX_SECONDS}`; the
//! run id is the stable prefix of the client transaction ids of its changes, so a resumed
//! run finds a line's earlier attempt in the result list. Then, per line, a `sent` record
//! before a change goes out (with its client transaction id), and one record with its
//! outcome: `{"line", "request", "params", "outcome", "status", "tracking_id", "proc_id",
//! "cltrid", "answer" | "error"}`. The last record of a line is its state.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::fs::{File, OpenOptions};
use std::hash::BuildHasher;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::input::Line;

/// How a line ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Carried out (a queued request: accepted, or with `--wait` completed).
    Ok,
    /// The server refused it, or a queued request failed.
    Refused,
    /// Not carried out, and not for the server's reasons (e.g. unreachable).
    Failed,
    /// It may or may not have been carried out; not sent again.
    Unknown,
}

impl Outcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Ok,
            Outcome::Refused,
            Outcome::Failed,
            Outcome::Unknown,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// The `outcome` of a record written before a change is sent.
const SENT: &str = "sent";

/// A line's state after the records of earlier runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Earlier {
    pub(crate) request: String,
    /// `None`: sent, no outcome recorded (the run stopped while it was under way).
    pub(crate) outcome: Option<Outcome>,
    pub(crate) cltrid: Option<String>,
    pub(crate) attempt: u32,
    pub(crate) proc_id: Option<String>,
}

/// What the results file held when the run started.
#[derive(Debug, Default)]
pub(crate) struct Prior {
    /// The state of each line with records, by line number.
    pub(crate) lines: BTreeMap<usize, Earlier>,
    /// Lines that were not records (a write cut short by a crash), skipped.
    pub(crate) unreadable: usize,
}

/// The results file, open for appending.
#[derive(Debug)]
pub(crate) struct Results {
    file: Mutex<File>,
    /// The run's id: the prefix of its client transaction ids.
    pub(crate) run: String,
}

impl Results {
    /// Opens `path`: reads an existing results file (for a resumed run), or creates it with a
    /// new run record.
    pub(crate) fn open(path: &Path, batch: &Path) -> Result<(Results, Prior), String> {
        let shown = path.display();
        let existing = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("cannot read {shown}: {e}")),
        };
        let mut prior = Prior::default();
        let run = match existing.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(text) => read_prior(text, &mut prior)
                .ok_or_else(|| format!("{shown} is not a results file of `dmapi batch` (no run record); give another --results path"))?,
            None => new_run_id(),
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open {shown}: {e}"))?;
        let results = Results {
            file: Mutex::new(file),
            run,
        };
        if existing.as_deref().is_none_or(|t| t.trim().is_empty()) {
            let started = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            results
                .append(&json!({
                    "run": results.run,
                    "batch": batch.display().to_string(),
                    "started": started,
                }))
                .map_err(|e| format!("cannot write {shown}: {e}"))?;
        }
        Ok((results, prior))
    }

    /// Writes one record and hands it to the system before returning.
    pub(crate) fn append(&self, record: &Value) -> std::io::Result<()> {
        let mut text = record.to_string();
        text.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(text.as_bytes())?;
        file.flush()
    }

    /// The record written before `line` is sent as a change with `cltrid`.
    pub(crate) fn sent(
        &self,
        line: &Line,
        cltrid: &str,
        attempt: u32,
        note: Option<&str>,
    ) -> std::io::Result<()> {
        let mut r = line_record(line);
        r.insert("outcome".into(), json!(SENT));
        r.insert("cltrid".into(), json!(cltrid));
        r.insert("attempt".into(), json!(attempt));
        if let Some(n) = note {
            r.insert("note".into(), json!(n));
        }
        self.append(&Value::Object(r))
    }

    /// The record of `line`'s outcome.
    pub(crate) fn done(&self, line: &Line, done: &Done) -> std::io::Result<()> {
        let mut r = line_record(line);
        r.insert("outcome".into(), json!(done.outcome.as_str()));
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                r.insert(k.into(), v);
            }
        };
        put("status", done.status.map(Value::from));
        put("tracking_id", done.tracking_id.clone().map(Value::from));
        put("proc_id", done.proc_id.clone().map(Value::from));
        put("cltrid", done.cltrid.clone().map(Value::from));
        put("resolved_by", done.resolved_by.map(Value::from));
        put("answer", done.answer.clone());
        put("error", done.error.clone().map(Value::from));
        self.append(&Value::Object(r))
    }
}

/// A line's outcome, as recorded.
#[derive(Clone, Debug)]
pub(crate) struct Done {
    pub(crate) outcome: Outcome,
    pub(crate) status: Option<u16>,
    pub(crate) tracking_id: Option<String>,
    pub(crate) proc_id: Option<String>,
    pub(crate) cltrid: Option<String>,
    /// The request that told the outcome when the answer itself was lost.
    pub(crate) resolved_by: Option<&'static str>,
    /// The answer's fields, rows or lines (or a queued request's result).
    pub(crate) answer: Option<Value>,
    pub(crate) error: Option<String>,
}

impl Done {
    /// An outcome with nothing else known yet.
    pub(crate) fn new(outcome: Outcome, cltrid: Option<String>) -> Done {
        Done {
            outcome,
            status: None,
            tracking_id: None,
            proc_id: None,
            cltrid,
            resolved_by: None,
            answer: None,
            error: None,
        }
    }

    /// With this error text.
    pub(crate) fn error(mut self, e: impl ToString) -> Done {
        self.error = Some(e.to_string());
        self
    }
}

/// Line number, request and key parameters: what every record of a line starts with. The
/// key parameters are the required ones and the objects (domains, handles); secrets show as
/// `***`, zones are left out.
fn line_record(line: &Line) -> Map<String, Value> {
    use dmapi::meta::ValueType;
    let mut params = Map::new();
    for (k, v) in &line.params {
        let Some(p) = line.meta.param(k) else {
            continue;
        };
        let key = p.required || matches!(p.ty, ValueType::Domain | ValueType::Handle);
        if !key || p.ty == ValueType::Zone {
            continue;
        }
        let shown = if p.secret { "***" } else { v.as_str() };
        params.insert(k.clone(), json!(shown));
    }
    let mut r = Map::new();
    r.insert("line".into(), json!(line.number));
    r.insert("request".into(), json!(line.meta.name));
    r.insert("params".into(), Value::Object(params));
    r
}

/// The run id of the records in `text`, filling `prior` with each line's last state.
fn read_prior(text: &str, prior: &mut Prior) -> Option<String> {
    let mut run = None;
    for raw in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(Value::Object(r)) = serde_json::from_str::<Value>(raw) else {
            prior.unreadable += 1;
            continue;
        };
        if let Some(id) = r.get("run").and_then(Value::as_str) {
            run.get_or_insert_with(|| id.to_owned());
            continue;
        }
        let (Some(n), Some(request), Some(outcome)) = (
            r.get("line").and_then(Value::as_u64),
            r.get("request").and_then(Value::as_str),
            r.get("outcome").and_then(Value::as_str),
        ) else {
            prior.unreadable += 1;
            continue;
        };
        let text_of = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
        let entry = prior
            .lines
            .entry(usize::try_from(n).unwrap_or(usize::MAX))
            .or_insert_with(|| Earlier {
                request: request.to_owned(),
                outcome: None,
                cltrid: None,
                attempt: 0,
                proc_id: None,
            });
        entry.request = request.to_owned();
        if outcome == SENT {
            entry.outcome = None;
            entry.cltrid = text_of("cltrid");
            entry.attempt = r
                .get("attempt")
                .and_then(Value::as_u64)
                .and_then(|a| u32::try_from(a).ok())
                .unwrap_or(1);
            entry.proc_id = None;
            continue;
        }
        let Some(o) = Outcome::parse(outcome) else {
            prior.unreadable += 1;
            continue;
        };
        entry.outcome = Some(o);
        if let Some(c) = text_of("cltrid") {
            entry.cltrid = Some(c);
        }
        if let Some(p) = text_of("proc_id") {
            entry.proc_id = Some(p);
        }
    }
    run
}

/// A new run id: random per run (std's hasher keys are), so that the client transaction ids
/// of two runs of the same file never match each other in the result list.
fn new_run_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mixed = RandomState::new().hash_one((nanos, std::process::id()));
    format!("batch-{:010x}", mixed & 0xff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_record_of_a_line_is_its_state() {
        let text = r#"{"run":"batch-0123456789","batch":"b.jsonl","started":1}
{"line":1,"request":"domain-renew","params":{},"outcome":"sent","cltrid":"batch-0123456789-1","attempt":1}
{"line":1,"request":"domain-renew","params":{},"outcome":"ok","cltrid":"batch-0123456789-1","proc_id":"7"}
{"line":2,"request":"domain-renew","params":{},"outcome":"sent","cltrid":"batch-0123456789-2","attempt":1}
{"line":2,"request":"domain-renew","params":{},"outcome":"unknown","cltrid":"batch-0123456789-2"}
{"line":2,"request":"domain-renew","params":{},"outcome":"sent","cltrid":"batch-0123456789-2-2","attempt":2}
{"line":3,"request":"domain-check","params":{},"outcome":"refused","status":2303}
{"line":4,"request":"domain-ch"#;
        let mut prior = Prior::default();
        assert_eq!(
            read_prior(text, &mut prior).as_deref(),
            Some("batch-0123456789")
        );
        assert_eq!(prior.unreadable, 1, "the record cut short");
        let l1 = &prior.lines[&1];
        assert_eq!(
            (l1.outcome, l1.proc_id.as_deref()),
            (Some(Outcome::Ok), Some("7"))
        );
        let l2 = &prior.lines[&2];
        assert_eq!(
            (l2.outcome, l2.cltrid.as_deref(), l2.attempt),
            (None, Some("batch-0123456789-2-2"), 2)
        );
        assert_eq!(prior.lines[&3].outcome, Some(Outcome::Refused));
        assert!(!prior.lines.contains_key(&4));
        assert_eq!(read_prior("{\"line\":1}\n", &mut Prior::default()), None);
    }

    #[test]
    fn run_ids_differ_between_runs() {
        assert_ne!(new_run_id(), new_run_id());
        assert_eq!(new_run_id().len(), "batch-".len() + 10);
    }
}
