//! Rights and Roles: grants-list, grants-invite and grants-revoke.

use dmapi::StatusCode as S;
use dmapi::{AnyRequest as R, GrantRole, GrantsListType, GrantsRevokeType};

use crate::state::{Grant, State};

use super::table::table;
use super::{Done, Fail, account, domain_mut, fail, need_domain};

pub(super) fn grants_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::GrantsList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let username = account(st, acct)?.username.clone();
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let rows: Vec<Vec<String>> = d
        .grants
        .iter()
        .map(|g| {
            let key = if r.showkey == Some(true) {
                g.key.as_str()
            } else {
                "-"
            };
            if g.accepted {
                vec![
                    GrantsListType::Grant.as_str().to_owned(),
                    g.nr.to_string(),
                    g.scope.clone(),
                    format!(
                        "domain {} {} {username} {} {} {} {}",
                        d.name,
                        g.role,
                        g.email,
                        g.invitee_uid.as_deref().unwrap_or("-"),
                        g.email,
                        g.nick
                    ),
                ]
            } else {
                vec![
                    GrantsListType::Invitation.as_str().to_owned(),
                    g.nr.to_string(),
                    g.scope.clone(),
                    format!(
                        "{key} domain {} {} - - - {} {}",
                        d.name, g.role, g.email, g.nick
                    ),
                ]
            }
        })
        .collect();
    Ok(table(req, raw, rows))
}

pub(super) fn grants_invite(
    st: &mut State,
    acct: usize,
    r: &dmapi::GrantsInvite,
) -> Result<Done, Fail> {
    let name = r.domain.to_string();
    need_domain(st, acct, &name)?;
    // A client-uid that belongs to the user with this e-mail applies at once.
    let receiver = r.client_uid.as_deref().and_then(|uid| {
        st.accounts
            .iter()
            .position(|a| a.uid == uid && a.username.eq_ignore_ascii_case(r.email.as_str()))
    });
    if r.role == GrantRole::Creator
        && let Some(to) = receiver
    {
        // An internal transfer: the domain moves with all rights.
        let d = account(st, acct)?.domains.remove(&name).ok_or_else(|| {
            fail(
                S::ObjectDoesNotExist,
                format!("domain `{name}` is not in this account"),
            )
        })?;
        st.registry.insert(name.clone(), to);
        if let Some(a) = st.accounts.get_mut(to) {
            a.domains.insert(name, d);
        }
        return Ok(Done::default());
    }
    let nr = st.next();
    let scope = st.next().to_string();
    let key = st.token(16);
    let d = domain_mut(st, acct, &name)?;
    d.grants.push(Grant {
        nr,
        scope,
        key,
        role: r.role.as_str().to_owned(),
        email: r.email.to_string(),
        nick: r
            .nick_name
            .clone()
            .unwrap_or_else(|| r.email.to_string())
            .replace(char::is_whitespace, "_"),
        invitee_uid: r.client_uid.clone(),
        accepted: receiver.is_some(),
    });
    Ok(Done::default())
}

pub(super) fn grants_revoke(
    st: &mut State,
    acct: usize,
    r: &dmapi::GrantsRevoke,
) -> Result<Done, Fail> {
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let want_grant = r.r#type == GrantsRevokeType::Grant;
    let before = d.grants.len();
    d.grants
        .retain(|g| !(g.scope == r.scope && g.role == r.role.as_str() && g.accepted == want_grant));
    if d.grants.len() == before {
        return Err(fail(
            S::ObjectDoesNotExist,
            format!(
                "no {} with scope `{}` and role {} on `{}`",
                r.r#type, r.scope, r.role, r.domain
            ),
        ));
    }
    Ok(Done::default())
}
