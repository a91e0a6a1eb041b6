//! Contacts: query-contact-list, contact-create, contact-modify and contact-delete.

use dmapi::QueryContactListRow;
use dmapi::serve::Refusal;

use crate::state::{Contact, Job, State};

use super::table::window_bounds;
use super::{Fields, account, glob, stored};

pub(super) fn contact_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::QueryContactList,
) -> Result<Vec<QueryContactListRow>, Refusal> {
    let a = account(st, acct)?;
    let tld = r.tld.as_deref().map(|t| t.trim_start_matches('.'));
    let extended = r.extended_format == Some(true);
    let (skip, take) = window_bounds(r.from, r.to);
    a.contacts
        .values()
        .filter(|c| {
            r.pattern
                .as_ref()
                .is_none_or(|p| glob(p.as_str(), &c.handle))
        })
        .filter(|c| tld.is_none_or(|t| c.tld.eq_ignore_ascii_case(t)))
        .skip(skip)
        .take(take)
        .map(|c| {
            let mut row = QueryContactListRow::new(stored(&c.handle)?);
            if extended {
                row.tld = Some(c.tld.clone());
                row.email = c.email.clone();
            }
            Ok(row)
        })
        .collect()
}

/// The contact fields of a create/modify request: every parameter but the session's.
fn contact_fields(job: &Job) -> Vec<(String, String)> {
    job.params.clone()
}

pub(super) fn contact_create(
    st: &mut State,
    acct: usize,
    r: &dmapi::ContactCreate,
    job: &Job,
    now: i64,
) -> Fields {
    let handle = job.object.clone();
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    a.contacts.insert(
        handle.clone(),
        Contact {
            handle: handle.clone(),
            tld: r.tld.trim_start_matches('.').to_ascii_lowercase(),
            email: Some(r.email.to_string()),
            fields: contact_fields(job),
            created_ms: now,
        },
    );
    let mut out = dmapi::ContactCreateResult::default();
    out.handle = dmapi::Handle::new(&handle).ok();
    Ok(out.to_fields())
}

pub(super) fn contact_modify(
    st: &mut State,
    acct: usize,
    r: &dmapi::ContactModify,
    job: &Job,
) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    let c = a
        .contacts
        .get_mut(r.handle.as_str())
        .ok_or_else(|| format!("contact `{}` does not exist", r.handle))?;
    if let Some(email) = &r.email {
        c.email = Some(email.to_string());
    }
    for (k, v) in contact_fields(job) {
        match c
            .fields
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&k))
        {
            Some(slot) => slot.1 = v,
            None => c.fields.push((k, v)),
        }
    }
    let mut out = dmapi::ContactModifyResult::default();
    out.handle = Some(r.handle.clone());
    Ok(out.to_fields())
}

pub(super) fn contact_delete(st: &mut State, acct: usize, handle: &str) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    if let Some(d) = a.domains.values().find(|d| {
        [&d.owner, &d.admin, &d.tech, &d.billing]
            .iter()
            .any(|h| *h == handle)
    }) {
        return Err(format!("contact `{handle}` is in use by `{}`", d.name));
    }
    a.contacts
        .remove(handle)
        .ok_or_else(|| format!("contact `{handle}` does not exist"))?;
    let mut out = dmapi::ContactDeleteResult::default();
    out.handle = dmapi::Handle::new(handle).ok();
    Ok(out.to_fields())
}
