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

/// Whether parameter `name` of a contact request is one of the contact's fields: not the
/// session, not the client transaction id, not one that every request takes (`client-ip`).
fn is_contact_field(name: &str) -> bool {
    let session = &dmapi::metadata::SESSION;
    let every_request = dmapi::metadata::REQUESTS
        .iter()
        .filter(|m| m.alias_of.is_none())
        .all(|m| m.param(name).is_some());
    !name.eq_ignore_ascii_case(&session.param)
        && !name.eq_ignore_ascii_case(&session.cltrid)
        && !every_request
}

/// The contact fields of a create/modify request's parameters.
fn contact_fields<'p>(
    params: impl IntoIterator<Item = (&'p str, &'p str)>,
) -> Vec<(String, String)> {
    params
        .into_iter()
        .filter(|(k, _)| is_contact_field(k))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A new contact handle for `tld`, `C<n>-<TLD>`.
pub(super) fn new_handle(st: &mut State, tld: &str) -> String {
    let n = st.next();
    format!("C{n}-{}", tld.trim_start_matches('.').to_ascii_uppercase())
}

/// Adds contact `handle` with the fields of its create request's parameters `params`.
fn insert<'p>(
    st: &mut State,
    acct: usize,
    handle: &str,
    (tld, email): (&str, &dmapi::Email),
    params: impl IntoIterator<Item = (&'p str, &'p str)>,
    now: i64,
) -> Result<(), Refusal> {
    let a = account(st, acct)?;
    a.contacts.insert(
        handle.to_owned(),
        Contact {
            handle: handle.to_owned(),
            tld: tld.trim_start_matches('.').to_ascii_lowercase(),
            email: Some(email.to_string()),
            fields: contact_fields(params),
            created_ms: now,
        },
    );
    Ok(())
}

pub(super) fn contact_create(
    st: &mut State,
    acct: usize,
    r: &dmapi::ContactCreate,
    job: &Job,
    now: i64,
) -> Fields {
    let handle = job.object.clone();
    let params = job.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    insert(st, acct, &handle, (&r.tld, &r.email), params, now).map_err(|f| f.errors.join("; "))?;
    let mut out = dmapi::ContactCreateResult::default();
    out.handle = dmapi::Handle::new(&handle).ok();
    Ok(out.to_fields())
}

/// `v2/contact/create`: contact-create's contact, made at once; its handle.
pub(super) fn v2_contact_create(
    st: &mut State,
    acct: usize,
    r: &dmapi::V2ContactCreate,
    raw: &[(&str, &str)],
    now: i64,
) -> Result<dmapi::V2ContactCreateOutput, Refusal> {
    let handle = new_handle(st, &r.tld);
    insert(
        st,
        acct,
        &handle,
        (&r.tld, &r.email),
        raw.iter().copied(),
        now,
    )?;
    Ok(dmapi::V2ContactCreateOutput::new(stored(&handle)?))
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
    for (k, v) in contact_fields(job.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
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
