//! Reading a state file's rows back into the sandbox's state.

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Deserialize;

use super::rows::TABLES;
use crate::state::{Account, ApiKey, Settings, State};
use crate::track::{KeySet, List, Table};

/// An `accounts` row read back.
#[derive(Deserialize)]
struct Head {
    uid: String,
    username: String,
    password: String,
    api_keys: Vec<ApiKey>,
    balance: i64,
    #[serde(default)]
    last_login: Option<(i64, String)>,
}

/// Builds an account from its `accounts` row (its collections are filled from their tables).
pub(super) fn account(value: &str) -> serde_json::Result<Account> {
    let h: Head = serde_json::from_str(value)?;
    Ok(Account {
        uid: h.uid,
        username: h.username,
        password: h.password,
        api_keys: h.api_keys,
        balance: h.balance,
        last_login: h.last_login,
        ..Account::default()
    })
}

/// Every row `sql` selects, made by `row`.
fn select<T>(
    conn: &Connection,
    sql: &str,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, String> {
    let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
    let rows = stmt.query_map([], row).map_err(|e| e.to_string())?;
    rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

/// The rows of one table, per account (a row of an account that does not exist is an error).
type PerAccount = Vec<Vec<(Value, String)>>;

fn read_table(conn: &Connection, table: &str, accounts: usize) -> Result<PerAccount, String> {
    let mut out: PerAccount = vec![Vec::new(); accounts];
    let sql = format!("SELECT account, key, value FROM {table} ORDER BY account, key");
    let rows = select(conn, &sql, |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?))
    })?;
    for (account, key, value) in rows {
        let slot = usize::try_from(account)
            .ok()
            .and_then(|i| out.get_mut(i))
            .ok_or_else(|| {
                format!("table {table} has a row of account {account}, which does not exist")
            })?;
        slot.push((key, value));
    }
    Ok(out)
}

fn parse<T: for<'de> Deserialize<'de>>(table: &str, key: &Value, value: &str) -> Result<T, String> {
    serde_json::from_str(value).map_err(|e| format!("table {table}, row {key:?}: {e}"))
}

fn text(table: &str, key: Value) -> Result<String, String> {
    match key {
        Value::Text(t) => Ok(t),
        other => Err(format!(
            "table {table} has a key that is not text: {other:?}"
        )),
    }
}

fn map<V: for<'de> Deserialize<'de>>(
    table: &str,
    rows: Vec<(Value, String)>,
) -> Result<Table<String, V>, String> {
    let mut map = BTreeMap::new();
    for (key, value) in rows {
        let v = parse(table, &key, &value)?;
        map.insert(text(table, key)?, v);
    }
    Ok(Table::loaded(map))
}

fn list<T: for<'de> Deserialize<'de>>(
    table: &str,
    rows: Vec<(Value, String)>,
) -> Result<List<T>, String> {
    let mut items = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        if key != Value::Integer(i64::try_from(items.len()).unwrap_or(i64::MAX)) {
            return Err(format!("table {table} has a gap or a stray key at {key:?}"));
        }
        items.push(parse(table, &key, &value)?);
    }
    Ok(List::loaded(items))
}

/// Reads the whole state.
pub(super) fn load(conn: &Connection, settings: Settings) -> Result<State, String> {
    let meta: BTreeMap<String, String> = select(conn, "SELECT key, value FROM meta", |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?
    .into_iter()
    .collect();
    let get = |key: &str| -> Result<&str, String> {
        meta.get(key)
            .map(String::as_str)
            .ok_or_else(|| format!("the meta row `{key}` is missing"))
    };
    let value = |key: &str| Ok::<_, String>((Value::Text(key.to_owned()), get(key)?));
    let (k, v) = value("prices")?;
    let mut st = State::new(settings, parse("meta", &k, v)?);
    let (k, v) = value("clock_offset_ms")?;
    st.clock_offset_ms = parse("meta", &k, v)?;
    let (k, v) = value("elsewhere")?;
    st.elsewhere = parse("meta", &k, v)?;
    let (k, v) = value("effects")?;
    st.effects = parse("meta", &k, v)?;
    let (k, v) = value("next_id")?;
    st.next_id = parse("meta", &k, v)?;
    let sql = "SELECT account, value FROM accounts ORDER BY account";
    for (i, value) in select(conn, sql, |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })? {
        if usize::try_from(i).ok() != Some(st.accounts.len()) {
            return Err(format!(
                "the accounts table has a gap or a stray account at {i}"
            ));
        }
        st.accounts
            .push(account(&value).map_err(|e| format!("account {i}: {e}"))?);
    }
    let n = st.accounts.len();
    let mut per: BTreeMap<&str, PerAccount> = BTreeMap::new();
    for (table, _) in TABLES {
        per.insert(table, read_table(conn, table, n)?);
    }
    let mut take = |table: &str, i: usize| {
        per.get_mut(table)
            .and_then(|t| t.get_mut(i))
            .map(std::mem::take)
            .unwrap_or_default()
    };
    for i in 0..n {
        let endoflife = take("endoflife", i)
            .into_iter()
            .map(|(k, _)| text("endoflife", k))
            .collect::<Result<_, _>>()?;
        let Some(a) = st.accounts.get_mut(i) else {
            break;
        };
        a.contacts = map("contacts", take("contacts", i))?;
        a.hosts = map("hosts", take("hosts", i))?;
        a.domains = map("domains", take("domains", i))?;
        a.results = list("jobs", take("jobs", i))?;
        a.transfers = map("transfers", take("transfers", i))?;
        a.verifications = list("verifications", take("verifications", i))?;
        a.owner_changes = list("owner_changes", take("owner_changes", i))?;
        a.properties = map("properties", take("properties", i))?;
        a.redemption = map("redemption", take("redemption", i))?;
        a.endoflife = KeySet::loaded(endoflife);
    }
    // Who holds a name: a deleted domain in its grace period still holds it.
    for (i, a) in st.accounts.iter().enumerate() {
        for name in a.redemption.keys().chain(a.domains.keys()) {
            st.registry.insert(name.clone(), i);
        }
    }
    Ok(st)
}
