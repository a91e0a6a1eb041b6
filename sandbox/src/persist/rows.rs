//! The state file's rows: which rows a request changed (from what the tracked collections
//! recorded, and by comparing the few small values), writing them, and reading them back.
//!
//! One table per kind of object, keyed by (account, key), each row holding the object as JSON;
//! `accounts` holds an account's own fields, `meta` the sandbox-wide values.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::state::{Account, ApiKey, State};
use crate::track::{Changes, KeySet, List, Table};

/// The object tables: (name, SQL type of the key).
pub(super) const TABLES: [(&str, &str); 10] = [
    ("contacts", "TEXT"),
    ("hosts", "TEXT"),
    ("domains", "TEXT"),
    ("jobs", "INTEGER"),
    ("transfers", "TEXT"),
    ("verifications", "INTEGER"),
    ("owner_changes", "INTEGER"),
    ("properties", "TEXT"),
    ("redemption", "TEXT"),
    ("endoflife", "TEXT"),
];

/// The schema, for a new file.
pub(super) fn schema() -> String {
    let mut sql = String::from(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n\
         CREATE TABLE accounts (account INTEGER PRIMARY KEY, value TEXT NOT NULL);\n",
    );
    for (table, key) in TABLES {
        sql.push_str(&format!(
            "CREATE TABLE {table} (account INTEGER NOT NULL, key {key} NOT NULL, \
             value TEXT NOT NULL, PRIMARY KEY (account, key)) WITHOUT ROWID;\n"
        ));
    }
    sql
}

/// One change to the file.
#[derive(Debug)]
pub(crate) enum Op {
    /// Every row of an account in a table goes (it is written whole next).
    Clear {
        table: &'static str,
        account: i64,
    },
    Put {
        table: &'static str,
        account: i64,
        key: Value,
        value: String,
    },
    Delete {
        table: &'static str,
        account: i64,
        key: Value,
    },
    Meta {
        key: &'static str,
        value: String,
    },
    Account {
        account: i64,
        value: String,
    },
    /// Accounts from this index on are gone.
    Truncate {
        accounts: i64,
    },
}

/// Writes `ops` in the transaction.
pub(super) fn apply<'a>(
    tx: &Transaction<'_>,
    ops: impl IntoIterator<Item = &'a Op>,
) -> rusqlite::Result<()> {
    for op in ops {
        match op {
            Op::Clear { table, account } => {
                let sql = format!("DELETE FROM {table} WHERE account = ?1");
                tx.prepare_cached(&sql)?.execute(params![account])?;
            }
            Op::Put {
                table,
                account,
                key,
                value,
            } => {
                let sql = format!(
                    "INSERT OR REPLACE INTO {table} (account, key, value) VALUES (?1, ?2, ?3)"
                );
                tx.prepare_cached(&sql)?
                    .execute(params![account, key, value])?;
            }
            Op::Delete {
                table,
                account,
                key,
            } => {
                let sql = format!("DELETE FROM {table} WHERE account = ?1 AND key = ?2");
                tx.prepare_cached(&sql)?.execute(params![account, key])?;
            }
            Op::Meta { key, value } => {
                tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?
                    .execute(params![key, value])?;
            }
            Op::Account { account, value } => {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO accounts (account, value) VALUES (?1, ?2)",
                )?
                .execute(params![account, value])?;
            }
            Op::Truncate { accounts } => {
                tx.execute(
                    "DELETE FROM accounts WHERE account >= ?1",
                    params![accounts],
                )?;
                for (table, _) in TABLES {
                    let sql = format!("DELETE FROM {table} WHERE account >= ?1");
                    tx.execute(&sql, params![accounts])?;
                }
            }
        }
    }
    Ok(())
}

/// An account's own fields, as its `accounts` row.
#[derive(Serialize)]
struct HeadRef<'a> {
    uid: &'a str,
    username: &'a str,
    password: &'a str,
    api_keys: &'a [ApiKey],
    balance: i64,
    last_login: &'a Option<(i64, String)>,
}

/// A collection whose changed entries become rows.
trait Rows {
    type K: Ord;
    fn take(&mut self) -> Option<Changes<Self::K>>;
    fn all_keys(&self) -> Vec<Self::K>;
    /// The entry's row value, `None` if it is gone.
    fn row(&self, key: &Self::K) -> Option<serde_json::Result<String>>;
    fn key(key: Self::K) -> Value;
}

impl<V: Serialize> Rows for Table<String, V> {
    type K = String;
    fn take(&mut self) -> Option<Changes<String>> {
        self.take_changes()
    }
    fn all_keys(&self) -> Vec<String> {
        BTreeMap::keys(self).cloned().collect()
    }
    fn row(&self, key: &String) -> Option<serde_json::Result<String>> {
        self.get(key).map(serde_json::to_string)
    }
    fn key(key: String) -> Value {
        Value::Text(key)
    }
}

impl Rows for KeySet<String> {
    type K = String;
    fn take(&mut self) -> Option<Changes<String>> {
        self.take_changes()
    }
    fn all_keys(&self) -> Vec<String> {
        self.iter().cloned().collect()
    }
    fn row(&self, key: &String) -> Option<serde_json::Result<String>> {
        self.contains(key).then(|| serde_json::to_string(key))
    }
    fn key(key: String) -> Value {
        Value::Text(key)
    }
}

impl<T: Serialize> Rows for List<T> {
    type K = usize;
    fn take(&mut self) -> Option<Changes<usize>> {
        self.take_changes()
    }
    fn all_keys(&self) -> Vec<usize> {
        (0..self.len()).collect()
    }
    fn row(&self, key: &usize) -> Option<serde_json::Result<String>> {
        self.get(*key).map(serde_json::to_string)
    }
    fn key(key: usize) -> Value {
        Value::Integer(i64::try_from(key).unwrap_or(i64::MAX))
    }
}

/// The rows of what changed in `rows`.
fn emit<R: Rows>(
    ops: &mut Vec<Op>,
    table: &'static str,
    account: i64,
    rows: &mut R,
) -> serde_json::Result<()> {
    let keys = match rows.take() {
        None => return Ok(()),
        Some(Changes::All) => {
            ops.push(Op::Clear { table, account });
            rows.all_keys()
        }
        Some(Changes::Keys(keys)) => keys.into_iter().collect(),
    };
    for k in keys {
        ops.push(match rows.row(&k) {
            Some(value) => Op::Put {
                table,
                account,
                value: value?,
                key: R::key(k),
            },
            None => Op::Delete {
                table,
                account,
                key: R::key(k),
            },
        });
    }
    Ok(())
}

/// Every tracked collection of an account, with its table (in [`TABLES`] order).
fn tables(a: &mut Account) -> [(&'static str, &mut dyn RowsDyn); 10] {
    [
        ("contacts", &mut a.contacts),
        ("hosts", &mut a.hosts),
        ("domains", &mut a.domains),
        ("jobs", &mut a.results),
        ("transfers", &mut a.transfers),
        ("verifications", &mut a.verifications),
        ("owner_changes", &mut a.owner_changes),
        ("properties", &mut a.properties),
        ("redemption", &mut a.redemption),
        ("endoflife", &mut a.endoflife),
    ]
}

/// What the file holds of the small values, to write only those that changed.
#[derive(Debug, Default)]
pub(super) struct Journal {
    meta: BTreeMap<&'static str, String>,
    heads: Vec<String>,
    /// The `next_id` the file holds: ids are reserved in blocks, so that requests that only
    /// read (and take an id for their tracking id) need not write.
    reserved_id: u64,
}

/// Ids reserved at a time.
const ID_BLOCK: u64 = 10_000;

impl Journal {
    /// The rows that changed since the last call, with their collections' records cleared.
    pub(super) fn collect(&mut self, st: &mut State) -> serde_json::Result<Vec<Op>> {
        let mut ops = Vec::new();
        let meta: [(&'static str, String); 5] = [
            ("settings", serde_json::to_string(&st.settings)?),
            ("clock_offset_ms", st.clock_offset_ms.to_string()),
            ("elsewhere", serde_json::to_string(&st.elsewhere)?),
            ("prices", serde_json::to_string(&st.prices)?),
            ("effects", serde_json::to_string(&st.effects)?),
        ];
        for (key, value) in meta {
            if self.meta.get(key) != Some(&value) {
                self.meta.insert(key, value.clone());
                ops.push(Op::Meta { key, value });
            }
        }
        if st.next_id >= self.reserved_id {
            self.reserved_id = st.next_id.saturating_add(ID_BLOCK);
            ops.push(Op::Meta {
                key: "next_id",
                value: self.reserved_id.to_string(),
            });
        }
        if st.accounts.len() < self.heads.len() {
            self.heads.truncate(st.accounts.len());
            ops.push(Op::Truncate {
                accounts: i64::try_from(st.accounts.len()).unwrap_or(i64::MAX),
            });
        }
        for (i, a) in st.accounts.iter_mut().enumerate() {
            let account = i64::try_from(i).unwrap_or(i64::MAX);
            // Every field named: a field added to Account does not compile until it is kept
            // here (its own fields) or in a table (its collections).
            let Account {
                uid,
                username,
                password,
                api_keys,
                balance,
                last_login,
                contacts: _,
                hosts: _,
                domains: _,
                results: _,
                transfers: _,
                verifications: _,
                owner_changes: _,
                properties: _,
                redemption: _,
                endoflife: _,
            } = &*a;
            let head = serde_json::to_string(&HeadRef {
                uid,
                username,
                password,
                api_keys,
                balance: *balance,
                last_login,
            })?;
            if self.heads.get(i) != Some(&head) {
                if let Some(slot) = self.heads.get_mut(i) {
                    slot.clone_from(&head);
                } else {
                    self.heads.push(head.clone());
                }
                ops.push(Op::Account {
                    account,
                    value: head,
                });
            }
            for (table, rows) in tables(a) {
                rows.emit(&mut ops, table, account)?;
            }
        }
        Ok(ops)
    }

    /// The rows of the whole state (for a new file).
    pub(super) fn full(&mut self, st: &mut State) -> serde_json::Result<Vec<Op>> {
        *self = Journal::default();
        for a in &mut st.accounts {
            for (_, rows) in tables(a) {
                rows.touch();
            }
        }
        self.collect(st)
    }

    /// The rows of the exact id counter, for a clean shutdown.
    pub(super) fn exact_id(&mut self, st: &State) -> Op {
        self.reserved_id = st.next_id;
        Op::Meta {
            key: "next_id",
            value: st.next_id.to_string(),
        }
    }
}

/// Forgets what the collections recorded (a sandbox without a state file).
pub(crate) fn forget(st: &mut State) {
    for a in &mut st.accounts {
        for (_, rows) in tables(a) {
            rows.forget();
        }
    }
}

/// [`Rows`] as an object, to go through an account's collections in one loop.
trait RowsDyn {
    fn emit(
        &mut self,
        ops: &mut Vec<Op>,
        table: &'static str,
        account: i64,
    ) -> serde_json::Result<()>;
    fn touch(&mut self);
    fn forget(&mut self);
}

impl<R: Rows + Touch> RowsDyn for R {
    fn emit(
        &mut self,
        ops: &mut Vec<Op>,
        table: &'static str,
        account: i64,
    ) -> serde_json::Result<()> {
        emit(ops, table, account, self)
    }
    fn touch(&mut self) {
        Touch::touch_all(self);
    }
    fn forget(&mut self) {
        let _ = self.take();
    }
}

/// Counting a collection as wholly changed.
trait Touch {
    fn touch_all(&mut self);
}

impl<V> Touch for Table<String, V> {
    fn touch_all(&mut self) {
        Table::touch_all(self);
    }
}

impl Touch for KeySet<String> {
    fn touch_all(&mut self) {
        KeySet::touch_all(self);
    }
}

impl<T> Touch for List<T> {
    fn touch_all(&mut self) {
        List::touch_all(self);
    }
}
