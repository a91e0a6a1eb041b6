//! Modify Zonedata: dns-zone-list, dns-zone-get and dns-zone-put.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{DnsZoneListRow, Zone};

use crate::clock::Day;
use crate::state::State;

use super::stored;
use super::{Fields, account, domain_mut, fail, glob};

pub(super) fn zone_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::DnsZoneList,
) -> Result<Vec<DnsZoneListRow>, Refusal> {
    let a = account(st, acct)?;
    a.domains
        .values()
        .filter(|d| d.zone.is_some())
        .filter(|d| r.pattern.as_ref().is_none_or(|p| glob(p.as_str(), &d.name)))
        .map(|d| {
            Ok(DnsZoneListRow::new(
                stored(&d.name)?,
                Day::of_ms(d.expires_ms).iso(),
            ))
        })
        .collect()
}

pub(super) fn zone_get(st: &mut State, acct: usize, name: &str) -> Result<Zone, Refusal> {
    let d = domain_mut(st, acct, name)?;
    let zone = d.zone.as_deref().ok_or_else(|| {
        fail(
            S::ObjectDoesNotExist,
            format!("`{name}` has no zone at Joker.com"),
        )
    })?;
    Ok(Zone::parse(zone))
}

pub(super) fn zone_put(st: &mut State, acct: usize, r: &dmapi::DnsZonePut) -> Fields {
    let text = r.zone.to_text().map_err(|e| e.to_string())?;
    let d = domain_mut(st, acct, r.domain.as_str()).map_err(|f| f.errors.join("; "))?;
    d.zone = Some(text);
    let mut out = dmapi::DnsZonePutResult::default();
    out.domain = Some(r.domain.clone());
    Ok(out.to_fields())
}
