//! Account and Handling: query-profile, result-list, result-retrieve and result-delete.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{QueryProfileOutput, ResultId, ResultListStatus, ResultRetrieveOutput, Results};

use crate::clock::stamp;
use crate::state::{Account, Job, JobStatus, State, money};

use super::{DAY_MS, account, fail, glob};

pub(super) fn profile(st: &mut State, acct: usize) -> Result<QueryProfileOutput, Refusal> {
    let a = account(st, acct)?;
    let mut out = QueryProfileOutput::new();
    out.customer_id = Some(a.uid.clone());
    out.balance = Some(money(a.balance));
    Ok(out)
}

fn find_job<'a>(a: &'a mut Account, id: &ResultId) -> Result<&'a mut Job, Refusal> {
    let found = a.results.find_mut(|j| match id {
        ResultId::ProcId(p) => j.proc_id == *p,
        ResultId::Svtrid(s) => j.svtrid == *s,
    });
    found.ok_or_else(|| fail(S::ObjectDoesNotExist, "no such result"))
}

fn status_word(s: JobStatus) -> &'static str {
    let words = &dmapi::metadata::PROTOCOL.completion;
    match s {
        JobStatus::Ack => &words.ack,
        JobStatus::Nack => &words.nack,
        JobStatus::Pending => words.pending.first().map_or("", |w| w),
    }
}

pub(super) fn result_retrieve(
    st: &mut State,
    acct: usize,
    id: &ResultId,
) -> Result<ResultRetrieveOutput, Refusal> {
    let a = account(st, acct)?;
    let job = find_job(a, id)?;
    let mut out = ResultRetrieveOutput::new();
    out.completion_status = Some(status_word(job.status).to_owned());
    if !job.deleted {
        out.fields = job
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
    }
    Ok(out)
}

pub(super) fn result_delete(st: &mut State, acct: usize, id: &ResultId) -> Result<String, Refusal> {
    let a = account(st, acct)?;
    let job = find_job(a, id)?;
    if job.status == JobStatus::Pending {
        return Err(fail(
            S::StatusProhibitsOperation,
            "the request is still running",
        ));
    }
    job.deleted = true;
    job.fields.clear();
    Ok(format!("result {} deleted\n", job.proc_id))
}

pub(super) fn result_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::ResultList,
    now: i64,
) -> Result<Results, Refusal> {
    let a = account(st, acct)?;
    let days = r.period.unwrap_or(1).max(1);
    let since = now - days * DAY_MS;
    let matches = |pattern: &Option<dmapi::Pattern>, value: &str| {
        pattern.as_ref().is_none_or(|p| glob(p.as_str(), value))
    };
    let rows: Vec<&Job> = a
        .results
        .iter()
        .filter(|j| j.submitted_ms >= since)
        .filter(|j| r.pending == Some(true) || j.status != JobStatus::Pending)
        .filter(|j| r.showall == Some(true) || !j.deleted)
        .filter(|j| match r.status {
            Some(ResultListStatus::Ack) => j.status == JobStatus::Ack,
            Some(ResultListStatus::Nack) => j.status == JobStatus::Nack,
            _ => true,
        })
        .filter(|j| matches(&r.rtype, &j.request) && matches(&r.objid, &j.object))
        .filter(|j| matches(&r.procid, &j.proc_id) && matches(&r.svtrid, &j.svtrid))
        // A request sent without a client transaction id matches no cltrid pattern.
        .filter(|j| {
            r.cltrid
                .as_ref()
                .is_none_or(|p| j.cltrid.as_deref().is_some_and(|c| glob(p.as_str(), c)))
        })
        .collect();
    let offset = usize::try_from(r.offset.unwrap_or(0)).unwrap_or(0);
    let limit = r
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let rows: Vec<&Job> = rows.into_iter().skip(offset).take(limit).collect();
    if r.count_only == Some(true) {
        return Ok(Results::Count(rows.len() as u64));
    }
    let rows: Vec<dmapi::ResultRow> = rows
        .iter()
        .map(|j| dmapi::ResultRow {
            timestamp: stamp(j.submitted_ms),
            svtrid: j.svtrid.clone(),
            proc_id: j.proc_id.clone(),
            request_type: j.request.clone(),
            object: j.object.clone(),
            status: match j.status {
                JobStatus::Ack => dmapi::ResultStatus::Ack,
                JobStatus::Nack => dmapi::ResultStatus::Nack,
                JobStatus::Pending => dmapi::ResultStatus::Pending,
            },
            cltrid: j.cltrid.clone(),
        })
        .collect();
    Ok(Results::Rows(rows))
}
