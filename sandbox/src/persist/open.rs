//! Opening a state file: what it must be to be read, and the connection that writes it.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::Opened;
use super::rows::{self, Op};
use crate::Error;
use crate::state::Settings;

/// `PRAGMA application_id` of a sandbox state file: "DMAP".
const APPLICATION_ID: i32 = 0x444d_4150;
/// `PRAGMA user_version`: the schema version this sandbox writes and reads.
const SCHEMA_VERSION: i32 = 1;
/// How long a write waits for a lock another process holds on the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(1);

pub(super) fn open(path: &Path, settings: Settings) -> Result<Opened, Error> {
    let err = |message: String| Error::StateFile {
        path: path.to_owned(),
        message,
    };
    let mut head = Vec::new();
    match std::fs::File::open(path) {
        Ok(f) => {
            f.take(100)
                .read_to_end(&mut head)
                .map_err(|e| err(format!("cannot read: {e}")))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(format!("cannot open: {e}"))),
    }
    let state = if head.is_empty() {
        None
    } else {
        check_head(&head).map_err(&err)?;
        Some(read(path, settings).map_err(&err)?)
    };
    let conn = writer(path).map_err(|e| err(format!("cannot open for writing: {e}")))?;
    Ok(Opened {
        conn,
        path: path.to_owned(),
        fresh: state.is_none(),
        state,
    })
}

/// Refuses a file that is not a SQLite database, by its first bytes.
fn check_head(head: &[u8]) -> Result<(), String> {
    if head.trim_ascii_start().starts_with(b"{") {
        return Err(
            "this is a JSON state file of an earlier dmapi-sandbox version, which this \
             version cannot read (it keeps its state in SQLite); move the file away to start \
             afresh. Nothing was changed"
                .into(),
        );
    }
    if !head.starts_with(b"SQLite format 3\0") {
        return Err(
            "not a dmapi-sandbox state file: not a SQLite database. Nothing was changed".into(),
        );
    }
    Ok(())
}

/// Reads the state from an existing file, through a read-only connection (so that nothing is
/// written to a file that is refused).
fn read(path: &Path, settings: Settings) -> Result<crate::state::State, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let damaged = |e: rusqlite::Error| format!("damaged: {e}. Nothing was changed");
    let conn = Connection::open_with_flags(path, flags).map_err(damaged)?;
    let pragma = |name: &str| -> Result<i32, String> {
        conn.pragma_query_value(None, name, |r| r.get(0))
            .map_err(damaged)
    };
    let app = pragma("application_id")?;
    if app != APPLICATION_ID {
        return Err(format!(
            "a SQLite database of another application (application_id {app:#x}, not \
             dmapi-sandbox's {APPLICATION_ID:#x}). Nothing was changed"
        ));
    }
    let version = pragma("user_version")?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "schema version {version} is newer than this dmapi-sandbox reads \
             ({SCHEMA_VERSION}); use the version that wrote it. Nothing was changed"
        ));
    }
    if version != SCHEMA_VERSION {
        return Err(format!(
            "damaged: unknown schema version {version}. Nothing was changed"
        ));
    }
    let mut problems = Vec::new();
    {
        let mut stmt = conn.prepare("PRAGMA quick_check").map_err(damaged)?;
        let mut found = stmt.query([]).map_err(damaged)?;
        while let Some(row) = found.next().map_err(damaged)? {
            problems.push(row.get::<_, String>(0).map_err(damaged)?);
        }
    }
    if problems != ["ok"] {
        return Err(format!(
            "damaged (PRAGMA quick_check: {}). Nothing was changed",
            problems.join("; ")
        ));
    }
    super::load::load(&conn, settings).map_err(|e| format!("damaged: {e}. Nothing was changed"))
}

/// The connection that writes: WAL mode, every commit synced to disk.
fn writer(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| e.to_string())?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("cannot use WAL mode (journal_mode is {mode})"));
    }
    // A checkpointed WAL is cut back to 8 MiB (it is not shrunk otherwise).
    conn.pragma_update(None, "journal_size_limit", 8 * 1024 * 1024)
        .map_err(|e| e.to_string())?;
    // FULL: a commit is synced to disk before the request is answered, so an acknowledged
    // change survives a power loss too, not only a crash of the process (NORMAL in WAL mode).
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// The first write: a new file gets the schema, its ids and `ops` in one transaction.
pub(super) fn write(conn: &mut Connection, fresh: bool, ops: &[Op]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if fresh {
        tx.execute_batch(&rows::schema())?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    rows::apply(&tx, ops)?;
    tx.commit()
}

/// Commits `ops` in one transaction.
pub(super) fn commit<'a>(
    conn: &mut Connection,
    ops: impl IntoIterator<Item = &'a Op>,
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    rows::apply(&tx, ops)?;
    tx.commit()
}
