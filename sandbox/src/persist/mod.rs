//! The state file: a SQLite database (WAL mode, `synchronous=FULL`) with a row per object.
//!
//! After a request, the rows it changed are queued to a writer thread under the state lock
//! (so the queue is in the order the changes were made); the writer commits everything
//! queued meanwhile in one transaction (group commit) and only then is the request answered.
//! A request that changed nothing still waits for the changes queued before it, so no answer
//! shows a change that is not yet on disk.

mod load;
mod open;
mod rows;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::{oneshot, watch};

use crate::Error;
use crate::state::{Settings, State};
use rows::{Journal, Op};

pub(crate) use rows::forget;

/// An open state file, with the state it held (`None`: a new file).
pub(crate) struct Opened {
    conn: Connection,
    path: PathBuf,
    /// A new file (no schema yet).
    fresh: bool,
    pub(crate) state: Option<State>,
}

/// Opens (or creates) the state file at `path`, refusing one that is not ours, newer or
/// damaged before anything is written to it.
pub(crate) fn open(path: &Path, settings: Settings) -> Result<Opened, Error> {
    open::open(path, settings)
}

/// A batch of rows for the writer.
struct Batch {
    seq: u64,
    ops: Vec<Op>,
    done: Option<oneshot::Sender<Result<(), String>>>,
}

/// What the writer thread needs.
struct Queue {
    journal: Journal,
    sender: Option<mpsc::Sender<Batch>>,
    /// The number of the last batch queued.
    queued: u64,
}

/// The state file while the sandbox runs.
pub(crate) struct Store {
    path: PathBuf,
    /// Locked only while the state lock is held, so batches are queued in the order of the
    /// changes.
    queue: Mutex<Queue>,
    /// The number of the last batch the writer is done with (committed or failed).
    committed: watch::Receiver<u64>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

/// What a request waits for before it is answered.
pub(crate) enum Ticket {
    /// Nothing: no change is pending.
    Ready,
    /// The changes queued before it (it changed nothing itself).
    Earlier(u64, watch::Receiver<u64>),
    /// Its own changes.
    Commit(oneshot::Receiver<Result<(), String>>),
    /// Its changes cannot be written.
    Failed(String),
}

impl Ticket {
    /// Waits until what the answer shows is on disk; `Err` says why it may not be.
    pub(crate) async fn wait(self) -> Result<(), String> {
        match self {
            Ticket::Ready => Ok(()),
            Ticket::Earlier(seq, mut committed) => committed
                .wait_for(|c| *c >= seq)
                .await
                .map(|_| ())
                .map_err(|_| "the state file writer has stopped".to_owned()),
            Ticket::Commit(rx) => rx
                .await
                .unwrap_or_else(|_| Err("the state file writer has stopped".to_owned())),
            Ticket::Failed(why) => Err(why),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store {
    /// Starts writing to an opened file: a new one gets the schema and all of `st` in one
    /// transaction; a loaded one the values `st` has that differ from it (its settings).
    pub(crate) fn start(opened: Opened, st: &mut State) -> Result<Store, Error> {
        let Opened {
            mut conn,
            path,
            fresh,
            ..
        } = opened;
        let err = |message: String| Error::StateFile {
            path: path.clone(),
            message,
        };
        let mut journal = Journal::default();
        let ops = if fresh {
            journal.full(st)
        } else {
            journal.collect(st)
        }
        .map_err(|e| err(e.to_string()))?;
        open::write(&mut conn, fresh, &ops).map_err(|e| err(format!("cannot write: {e}")))?;
        let (tx, rx) = mpsc::channel();
        let (done, committed) = watch::channel(0);
        let shown = path.clone();
        let writer = std::thread::Builder::new()
            .name("sandbox-state-file".into())
            .spawn(move || write_loop(conn, &shown, &rx, &done))
            .map_err(|e| err(format!("cannot start the writer thread: {e}")))?;
        Ok(Store {
            path,
            queue: Mutex::new(Queue {
                journal,
                sender: Some(tx),
                queued: 0,
            }),
            committed,
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Queues the rows `st` changed since the last call (call it under the state lock).
    pub(crate) fn after(&self, st: &mut State) -> Ticket {
        let mut q = lock(&self.queue);
        let ops = match q.journal.collect(st) {
            Ok(ops) => ops,
            Err(e) => return Ticket::Failed(format!("cannot encode the change: {e}")),
        };
        if ops.is_empty() {
            return if *self.committed.borrow() >= q.queued {
                Ticket::Ready
            } else {
                Ticket::Earlier(q.queued, self.committed.clone())
            };
        }
        let (done, rx) = oneshot::channel();
        if q.send(ops, Some(done)).is_err() {
            return Ticket::Failed("the state file is closed".to_owned());
        }
        Ticket::Commit(rx)
    }

    /// Writes what is left (and the exact id counter), and closes the file. Later changes
    /// are answered with an error.
    pub(crate) fn close(&self, st: &mut State) -> Result<(), Error> {
        let err = |message: String| Error::StateFile {
            path: self.path.clone(),
            message,
        };
        let rx = {
            let mut q = lock(&self.queue);
            let mut ops = q.journal.collect(st).map_err(|e| err(e.to_string()))?;
            ops.push(q.journal.exact_id(st));
            let (done, rx) = oneshot::channel();
            let sent = q.send(ops, Some(done));
            q.sender = None;
            sent.ok().map(|()| rx)
        };
        if let Some(writer) = lock(&self.writer).take() {
            let _ = writer.join();
        }
        match rx.map(|mut rx| rx.try_recv()) {
            Some(Ok(Ok(()))) | None => Ok(()),
            Some(Ok(Err(why))) => Err(err(why)),
            Some(Err(_)) => Err(err("the writer stopped before the last write".into())),
        }
    }
}

impl Queue {
    fn send(
        &mut self,
        ops: Vec<Op>,
        done: Option<oneshot::Sender<Result<(), String>>>,
    ) -> Result<(), ()> {
        let sender = self.sender.as_ref().ok_or(())?;
        let seq = self.queued + 1;
        sender.send(Batch { seq, ops, done }).map_err(|_| ())?;
        self.queued = seq;
        Ok(())
    }
}

/// The writer thread: commits everything queued meanwhile in one transaction. Rows whose
/// transaction failed are written again with the next one (their requests got an error).
fn write_loop(
    mut conn: Connection,
    path: &Path,
    rx: &mpsc::Receiver<Batch>,
    done: &watch::Sender<u64>,
) {
    let mut carry: Vec<Op> = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut batches = vec![first];
        batches.extend(rx.try_iter());
        let last = batches.last().map_or(0, |b| b.seq);
        let ops = carry
            .iter()
            .chain(batches.iter().flat_map(|b| b.ops.iter()));
        let outcome = match open::commit(&mut conn, ops) {
            Ok(()) => {
                carry.clear();
                Ok(())
            }
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e, "cannot write the state file");
                for b in &mut batches {
                    carry.append(&mut b.ops);
                }
                Err(format!(
                    "cannot write the state file {}: {e}",
                    path.display()
                ))
            }
        };
        for b in batches {
            if let Some(d) = b.done {
                let _ = d.send(outcome.clone());
            }
        }
        done.send_replace(last);
    }
}
