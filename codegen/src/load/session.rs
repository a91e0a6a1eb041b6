//! The `[session]` table: how clients open, carry and use a session.

use super::decl::Decls;
use crate::diag::{Loc, Sink};
use crate::model::{Request, SessionMeta};

/// Keys of the `[session]` table: how a client opens, carries and uses a session.
pub(crate) const SESSION_KEYS: [&str; 26] = [
    "production",
    "ote",
    "path",
    "param",
    "login",
    "username",
    "password",
    "api_key",
    "logout",
    "timeout_header",
    "access_header",
    "cookie",
    "access_full",
    "access_read_only",
    "access_modify_only",
    "result",
    "result_id",
    "results",
    "results_type",
    "results_object",
    "results_pending",
    "status_key",
    "cltrid",
    "results_cltrid",
    "invalid_api_key",
    "invalid_username",
];

/// The session facts, with the location of each value (for [`check_session`]).
pub(crate) struct ResolvedSession(pub SessionMeta, Vec<(&'static str, Loc)>);

/// The first `[session]` table with every key (a second one is reported).
pub(crate) fn resolve_session(sink: &mut Sink<'_>, raw: &Decls) -> Option<ResolvedSession> {
    let (at, fields) = raw.sessions.first()?;
    if let Some((again, _)) = raw.sessions.get(1) {
        sink.error(
            again,
            format!(
                "`[session]` is defined twice (first at {})",
                sink.describe(at)
            ),
        );
    }
    if fields.len() != SESSION_KEYS.len() {
        return None; // the missing keys were reported
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| super::located::text(&v.value))
            .unwrap_or_default()
    };
    let session = SessionMeta {
        production: get("production"),
        ote: get("ote"),
        path: get("path"),
        param: get("param"),
        login: get("login"),
        username: get("username"),
        password: get("password"),
        api_key: get("api_key"),
        logout: get("logout"),
        timeout_header: get("timeout_header"),
        access_header: get("access_header"),
        cookie: get("cookie"),
        access_full: get("access_full"),
        access_read_only: get("access_read_only"),
        access_modify_only: get("access_modify_only"),
        result: get("result"),
        result_id: get("result_id"),
        results: get("results"),
        results_type: get("results_type"),
        results_object: get("results_object"),
        results_pending: get("results_pending"),
        status_key: get("status_key"),
        cltrid: get("cltrid"),
        results_cltrid: get("results_cltrid"),
        invalid_api_key: get("invalid_api_key"),
        invalid_username: get("invalid_username"),
    };
    let locs = fields.iter().map(|(k, v)| (*k, v.loc.clone())).collect();
    Some(ResolvedSession(session, locs))
}

/// The session's requests and parameters must exist; its parameter must not be declared.
pub(crate) fn check_session(
    sink: &mut Sink<'_>,
    s: &ResolvedSession,
    requests: &[Request],
) -> bool {
    let errors = sink.count();
    let at = |k: &str| {
        s.1.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    let find = |name: &str| requests.iter().find(|r| r.name == name);
    let ses = &s.0;
    for (key, request, params) in [
        (
            "login",
            &ses.login,
            vec![
                ("username", &ses.username),
                ("password", &ses.password),
                ("api_key", &ses.api_key),
            ],
        ),
        ("logout", &ses.logout, vec![]),
        ("result", &ses.result, vec![("result_id", &ses.result_id)]),
        (
            "results",
            &ses.results,
            vec![
                ("results_type", &ses.results_type),
                ("results_object", &ses.results_object),
                ("results_pending", &ses.results_pending),
                ("results_cltrid", &ses.results_cltrid),
            ],
        ),
    ] {
        match find(request) {
            None => sink.error(
                &at(key),
                format!("session `{key}` names `{request}`, which is not a request"),
            ),
            Some(r) => {
                for (pk, p) in params {
                    if r.param(p).is_none() {
                        sink.error(&at(pk), format!("session `{pk}` names `{p}`, which is not a parameter of `{request}`"));
                    }
                }
            }
        }
    }
    if find(&ses.login).is_some_and(|r| r.auth) {
        sink.error(
            &at("login"),
            format!("the login request `{}` must have `auth = false`", ses.login),
        );
    }
    for r in requests {
        if let Some(i) = r.params.iter().position(|p| p.name == ses.param) {
            sink.error(
                &r.param_loc(i),
                format!(
                    "`{}` is the session parameter (see `[session]`); requests must not declare it",
                    ses.param
                ),
            );
        }
    }
    for (key, url) in [("production", &ses.production), ("ote", &ses.ote)] {
        if !url.starts_with("https://") {
            sink.error(&at(key), format!("session `{key}` must be an https:// URL"));
        }
    }
    sink.count() == errors
}
