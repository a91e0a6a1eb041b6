//! Waiting for queued requests: polling the result request until the outcome is known.

use super::*;

/// Completion status of a queued request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionStatus {
    /// Done.
    Ack,
    /// Failed.
    Nack,
}

/// The outcome of a queued request, from the result request (`result-retrieve`): `T` is the
/// request's typed result ([`QueuedResult`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completion<T = KeyValues> {
    /// The queued request's Proc-ID.
    pub proc_id: String,
    /// Ack or nack.
    pub status: CompletionStatus,
    /// The typed result of an ack (`None` for a nack, whose keys need not follow the spec).
    pub result: Option<T>,
    /// Every `key: value` line of the result, in order.
    pub fields: KeyValues,
    /// The whole response.
    pub envelope: Envelope,
    /// The key of the completion status line.
    status_key: &'static str,
}

impl<T> Completion<T> {
    /// Whether the request completed successfully.
    pub fn is_ack(&self) -> bool {
        self.status == CompletionStatus::Ack
    }

    /// The result's text for a nack: its `Error` headers, else its payload lines other than
    /// the completion status.
    pub fn error_text(&self) -> String {
        let errors: Vec<&str> = self.envelope.errors().filter(|e| !e.is_empty()).collect();
        if !errors.is_empty() {
            return errors.join("; ");
        }
        self.fields
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(self.status_key))
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl<P: Protocol> Client<P> {
    /// Waits for the outcome of a queued request, polling the result request as the client's
    /// [`PollPolicy`] says. An ack carries the request's typed result; a result that does not
    /// read as the spec declares it is an [`Error::Output`]. A nack is an `Ok` [`Completion`]
    /// with status `Nack`.
    pub async fn wait<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
    ) -> Result<Completion<T>, Error> {
        self.wait_with(submitted, self.inner.poll).await
    }

    /// [`wait`](Self::wait) with another policy.
    pub async fn wait_with<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
        poll: PollPolicy,
    ) -> Result<Completion<T>, Error> {
        let start = Instant::now();
        let mut delay = poll.first_delay;
        loop {
            let left = poll.max_wait.saturating_sub(start.elapsed());
            if delay > left {
                tokio::time::sleep(left).await;
                if let Some(done) = self.completion_of(submitted).await? {
                    return Ok(done);
                }
                return Err(Error::WaitTimeout {
                    proc_id: submitted.proc_id.clone(),
                    waited: start.elapsed(),
                });
            }
            tokio::time::sleep(delay).await;
            if let Some(done) = self.completion_of(submitted).await? {
                return Ok(done);
            }
            delay = poll.interval;
        }
    }

    /// Asks once for the outcome of a queued request, untyped: `None` while it is still
    /// running.
    pub async fn completion(&self, proc_id: &str) -> Result<Option<Completion>, Error> {
        self.completion_of(&Submitted::<KeyValues>::new(proc_id, None))
            .await
    }

    /// Asks once for the outcome of a queued request, with its typed result: `None` while it
    /// is still running.
    pub async fn completion_of<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
    ) -> Result<Option<Completion<T>>, Error> {
        let proc_id = submitted.proc_id.as_str();
        let session = P::SESSION;
        let mut form = Form::new();
        form.push(session.result_id.clone(), proc_id);
        let envelope = self.call(P::RESULT, &form).await?;
        let fields = KeyValues::parse(envelope.payload());
        let status = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&session.status_key))
            .map(|(_, v)| v.trim().to_owned());
        let status = match status.as_deref() {
            Some(s) if s.eq_ignore_ascii_case(&P::PROTOCOL.completion.ack) => CompletionStatus::Ack,
            Some(s) if s.eq_ignore_ascii_case(&P::PROTOCOL.completion.nack) => {
                CompletionStatus::Nack
            }
            _ => return Ok(None),
        };
        let result = match status {
            CompletionStatus::Ack => {
                let name: &'static str = &P::RESULT.name;
                Some(T::from_result(name, &envelope, fields.clone()).map_err(Error::Output)?)
            }
            CompletionStatus::Nack => None,
        };
        Ok(Some(Completion {
            proc_id: proc_id.to_owned(),
            status,
            result,
            fields,
            envelope,
            status_key: &session.status_key,
        }))
    }
}
