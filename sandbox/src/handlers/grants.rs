//! Rights and Roles: grants-list, grants-invite and grants-revoke.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{GrantRole, GrantsListRow, GrantsListType, GrantsRevokeType};

use crate::state::{Grant, State};

use super::{account, domain_mut, fail, need_domain};

pub(super) fn grants_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::GrantsList,
) -> Result<Vec<GrantsListRow>, Refusal> {
    let username = account(st, acct)?.username.clone();
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let rows = d.grants.iter().map(|g| {
        let nr = i64::try_from(g.nr).unwrap_or(i64::MAX);
        if g.accepted {
            let uid = g.invitee_uid.as_deref().unwrap_or("-");
            let (name, role, email, nick) = (&d.name, &g.role, &g.email, &g.nick);
            let details = format!("domain {name} {role} {username} {email} {uid} {email} {nick}");
            GrantsListRow::new(GrantsListType::Grant, nr, g.scope.clone(), details)
        } else {
            let key = match r.showkey == Some(true) {
                true => g.key.as_str(),
                false => "-",
            };
            let (name, role, email, nick) = (&d.name, &g.role, &g.email, &g.nick);
            let details = format!("{key} domain {name} {role} - - - {email} {nick}");
            GrantsListRow::new(GrantsListType::Invitation, nr, g.scope.clone(), details)
        }
    });
    Ok(rows.collect())
}

pub(super) fn grants_invite(
    st: &mut State,
    acct: usize,
    r: &dmapi::GrantsInvite,
) -> Result<(), Refusal> {
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
        return Ok(());
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
            .nickname
            .clone()
            .unwrap_or_else(|| r.email.to_string())
            .replace(char::is_whitespace, "_"),
        invitee_uid: r.client_uid.clone(),
        accepted: receiver.is_some(),
    });
    Ok(())
}

pub(super) fn grants_revoke(
    st: &mut State,
    acct: usize,
    r: &dmapi::GrantsRevoke,
) -> Result<(), Refusal> {
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
    Ok(())
}
