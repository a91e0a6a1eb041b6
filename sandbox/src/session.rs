//! Sessions: login (and its username rule), the session a request names, and what each
//! access level may use.

use dmapi::LoginWith;
use dmapi::StatusCode as S;
use dmapi::meta::RequestMeta;
use dmapi::metadata::{self, PROTOCOL};

use crate::handlers::{fail, tld_list};
use crate::serve::{Answer, refused, success};
use crate::state::{Access, Session, State};

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
    let param = &*metadata::SESSION.username;
    let given = dmapi::decode::first(raw, param)?;
    if valid_username(given) {
        return None;
    }
    let why = format!("Parameter {param}: expected: valid username");
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

pub(crate) fn login(st: &mut State, svtrid: &str, with: &LoginWith, now: i64) -> Answer {
    let found = match with {
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
        let why = match with {
            LoginWith::ApiKey(_) => "API key is invalid",
            LoginWith::UsernamePassword { .. } => "invalid username or password",
        };
        return refused(200, svtrid, fail(S::AuthenticationError, why));
    };
    let sid = st.token(32);
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
    let tlds: String = tld_list(st).iter().map(|t| format!("{t}\n")).collect();
    let body = success(&metadata::LOGIN, svtrid)
        .header(&PROTOCOL.headers.session_id, &sid)
        .header(
            &session.timeout_header,
            &(st.settings.session_timeout_ms / 1000).to_string(),
        )
        .header(&session.access_header, level)
        .finish(&tlds);
    Answer {
        http: 200,
        body,
        cookie: Some(sid),
        changed: false,
    }
}
