//! Modify Zonedata: dns-zone-list, dns-zone-get and dns-zone-put.

use dmapi::AnyRequest as R;
use dmapi::StatusCode as S;

use crate::clock::Day;
use crate::state::State;

use super::table::table;
use super::{Done, Fail, Fields, account, domain_mut, fail, glob};

pub(super) fn zone_list(
    st: &mut State,
    acct: usize,
    req: &R,
    r: &dmapi::DnsZoneList,
    raw: &[(&str, &str)],
) -> Result<Done, Fail> {
    let a = account(st, acct)?;
    let rows: Vec<Vec<String>> = a
        .domains
        .values()
        .filter(|d| d.zone.is_some())
        .filter(|d| r.pattern.as_ref().is_none_or(|p| glob(p.as_str(), &d.name)))
        .map(|d| vec![d.name.clone(), Day::of_ms(d.expires_ms).iso()])
        .collect();
    Ok(table(req, raw, rows))
}

pub(super) fn zone_get(st: &mut State, acct: usize, name: &str) -> Result<Done, Fail> {
    let d = domain_mut(st, acct, name)?;
    let zone = d.zone.clone().ok_or_else(|| {
        fail(
            S::ObjectDoesNotExist,
            format!("`{name}` has no zone at Joker.com"),
        )
    })?;
    Ok(Done::payload(zone))
}

pub(super) fn zone_put(st: &mut State, acct: usize, r: &dmapi::DnsZonePut) -> Fields {
    let text = r.zone.to_text().map_err(|e| e.to_string())?;
    let d = domain_mut(st, acct, r.domain.as_str()).map_err(|f| f.errors.join("; "))?;
    d.zone = Some(text);
    let mut out = dmapi::DnsZonePutResult::default();
    out.domain = Some(r.domain.clone());
    Ok(out.to_fields())
}
