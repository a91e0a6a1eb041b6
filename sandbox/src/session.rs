//! Sessions: login (and its username rule), the session a request names, and what each
//! access level may use.

use std::net::IpAddr;

use dmapi::StatusCode as S;
use dmapi::meta::RequestMeta;
use dmapi::metadata::{self, PROTOCOL};
use dmapi::{LoginWith, WriteOutput};

use crate::clock::stamp;
use crate::handlers::{fail, tld_list};
use crate::serve::{Answer, refused, success};
use crate::state::{Access, Session, State, money};

/// The longest username taken (that of an e-mail address).
const MAX_USERNAME: usize = 254;

/// Why a session of `access` may not use a `meta` request, if it may not: read-only sessions
/// no request that changes anything, modify-only sessions none that costs money.
pub(crate) fn denied(access: Access, meta: &RequestMeta) -> Option<&'static str> {
    match access {
        Access::ReadOnly if meta.changes => Some("read-only access: this request changes data"),
        Access::ModifyOnly if meta.costs => Some("modify-only access: this request costs money"),
        _ => None,
    }
}

/// Whether `name` is a well-formed username: 1 to 254 characters, ASCII letters, digits and
/// `. _ - +`, with at most one `@` that has something on either side (an e-mail address or a
/// plain name). Anything else (empty, blanks, control or other characters) is malformed.
pub(crate) fn valid_username(name: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    let parts: Vec<&str> = name.split('@').collect();
    !name.is_empty()
        && name.len() <= MAX_USERNAME
        && parts.len() <= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(allowed))
}

/// The answer to a login whose username is malformed (as the live server's since 2026:
/// `2400`, `Parameter username: expected: valid username`, no session), if `raw` carries
/// one.
pub(crate) fn malformed_username(svtrid: &str, raw: &[(&str, &str)]) -> Option<Answer> {
    let session = &metadata::SESSION;
    let given = dmapi::decode::first(raw, &session.username)?;
    if valid_username(given) {
        return None;
    }
    let why = &*session.invalid_username;
    Some(refused(200, svtrid, fail(S::CommandFailed, why)))
}

pub(crate) fn live_session(st: &mut State, sid: &str, now: i64) -> Option<(usize, Access)> {
    let timeout = st.settings.session_timeout_ms;
    let s = st.sessions.get_mut(sid)?;
    if now - s.last_ms > timeout {
        st.sessions.remove(sid);
        return None;
    }
    s.last_ms = now;
    Some((s.account, s.access))
}

/// Logs in: the live server's header set (`Auth-Sid`, `UID`, `User-Login`, `User-Access`,
/// `Session-Timeout`, `Account-*`, `Stats-*`, `Timing`) and the TLD list as the payload,
/// written by the request's generated writer. `peer` is the caller's address.
pub(crate) fn login(
    st: &mut State,
    svtrid: &str,
    r: &dmapi::Login,
    now: i64,
    peer: Option<IpAddr>,
) -> Answer {
    let started = std::time::Instant::now();
    let found = match &r.login_with {
        LoginWith::UsernamePassword { username, password } => st
            .accounts
            .iter()
            .position(|a| {
                a.username.eq_ignore_ascii_case(username) && a.password == password.expose()
            })
            .map(|i| (i, Access::Full)),
        LoginWith::ApiKey(key) => st.accounts.iter().enumerate().find_map(|(i, a)| {
            a.api_keys
                .iter()
                .find(|k| k.key == key.expose())
                .map(|k| (i, k.access))
        }),
    };
    let Some((account, access)) = found else {
        return match &r.login_with {
            // The live server says so in the payload, not in an `Error` header.
            LoginWith::ApiKey(_) => Answer {
                http: 200,
                body: crate::serve::reply(S::AuthenticationError.code(), svtrid)
                    .finish(&metadata::SESSION.invalid_api_key),
                cookie: None,
                changed: false,
            },
            LoginWith::UsernamePassword { .. } => refused(
                200,
                svtrid,
                fail(S::AuthenticationError, "invalid username or password"),
            ),
        };
    };
    let sid = st.token(PROTOCOL.framing.session_id_hex);
    st.sessions.insert(
        sid.clone(),
        Session {
            account,
            access,
            last_ms: now,
        },
    );
    let session = &metadata::SESSION;
    let level = match access {
        Access::Full => &*session.access_full,
        Access::ReadOnly => &*session.access_read_only,
        Access::ModifyOnly => &*session.access_modify_only,
    };
    let tlds = tld_list(st).iter().map(|t| (*t).to_owned()).collect();
    let timeout = st.settings.session_timeout_ms / 1000;
    let currency = st.settings.currency.clone();
    let Some(a) = st.accounts.get_mut(account) else {
        return refused(200, svtrid, fail(S::CommandFailed, "the account is gone"));
    };
    let mut out = dmapi::LoginOutput::new(dmapi::Secret::new(sid.clone()), tlds);
    out.uid = Some(a.uid.clone());
    out.user_login = Some(a.username.clone());
    out.user_access = dmapi::FromWire::from_wire(level).ok();
    out.session_timeout = Some(timeout);
    out.account_balance = Some(money(a.balance));
    out.account_currency = Some(currency);
    out.account_pending_amount = Some(money(0));
    out.account_rebate = Some(money(0));
    out.stats_number_of_domains = i64::try_from(a.domains.len()).ok();
    let (last_login, last_ip) = a
        .last_login
        .clone()
        .map_or((String::new(), String::new()), |(ms, ip)| (stamp(ms), ip));
    out.stats_last_login = Some(last_login);
    out.stats_last_ip = Some(last_ip);
    out.stats_last_error = Some(String::new());
    out.timing = Some(format!("{:.3}", started.elapsed().as_secs_f64()));
    a.last_login = Some((now, peer.map(|ip| ip.to_string()).unwrap_or_default()));
    let answer = dmapi::Login::write_output(r, &out, success(&metadata::LOGIN, svtrid));
    match answer {
        Ok(body) => Answer {
            http: 200,
            body,
            cookie: Some(sid),
            changed: true,
        },
        Err(e) => refused(200, svtrid, fail(S::CommandFailed, e.to_string())),
    }
}
