//! The queue of asynchronous requests: jobs come due after the sandbox's delay and are carried
//! out then, or were carried out on acceptance when the spec says their effect shows at once.

use dmapi::AnyRequest;
use dmapi::metadata::PROTOCOL;

use crate::handlers::{self, Completion};
use crate::state::{Job, JobStatus, State};

/// Carries out every queued request that is due.
pub(crate) fn advance(st: &mut State, now: i64) {
    let due: Vec<(usize, usize)> = st
        .accounts
        .iter()
        .enumerate()
        .flat_map(|(a, acc)| {
            acc.results
                .iter()
                .enumerate()
                .filter(|(_, j)| j.status == JobStatus::Pending && j.due_ms <= now)
                .map(move |(i, _)| (a, i))
        })
        .collect();
    for (acct, i) in due {
        let Some(job) = st
            .accounts
            .get(acct)
            .and_then(|a| a.results.get(i))
            .cloned()
        else {
            continue;
        };
        let (status, fields) = match job.settled {
            // Carried out when it was accepted: it only comes due now.
            Some(status) => (Some(status), job.fields.clone()),
            None => carry_out(st, acct, &job),
        };
        let Some(slot) = st.accounts.get_mut(acct).and_then(|a| a.results.get_mut(i)) else {
            continue;
        };
        if let Some(status) = status {
            slot.status = status;
            slot.fields = fields;
        }
    }
}

/// Carries out a queued request: the status it ends with and its result fields, or `None`
/// when it is not done yet (a transfer in progress).
pub(crate) fn carry_out(
    st: &mut State,
    acct: usize,
    job: &Job,
) -> (Option<JobStatus>, Vec<(String, String)>) {
    let raw: Vec<(&str, &str)> = job
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let outcome = match AnyRequest::decode(&job.request, &raw) {
        Some((_, Ok(req))) => handlers::complete(st, acct, job, &req),
        Some((_, Err(problems))) => Completion::Nack(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        None => Completion::Nack(format!("unknown request `{}`", job.request)),
    };
    match outcome {
        Completion::Ack(fields) => (Some(JobStatus::Ack), fields),
        Completion::Nack(error) => (
            Some(JobStatus::Nack),
            vec![(PROTOCOL.headers.error.to_string(), error)],
        ),
        Completion::Wait => (None, Vec::new()),
    }
}
