//! Nameservers: query-ns-list, ns-create, ns-modify and ns-delete.

use dmapi::serve::Refusal;
use dmapi::{HostAddresses, QueryNsListRow};

use crate::state::{Host, State};

use super::stored;
use super::{Fields, account, glob};

pub(super) fn ns_list(
    st: &mut State,
    acct: usize,
    r: &dmapi::QueryNsList,
) -> Result<Vec<QueryNsListRow>, Refusal> {
    let a = account(st, acct)?;
    let full = r.full == Some(true);
    a.hosts
        .values()
        .filter(|h| r.pattern.as_ref().is_none_or(|p| glob(p.as_str(), &h.name)))
        .map(|h| {
            let mut row = QueryNsListRow::new(stored(&h.name)?);
            if full {
                row.ipv4 = h.ipv4.as_deref().and_then(|ip| ip.parse().ok());
                row.ipv6 = h.ipv6.as_deref().and_then(|ip| ip.parse().ok());
            }
            Ok(row)
        })
        .collect()
}

pub(super) fn host_set(
    st: &mut State,
    acct: usize,
    host: &str,
    addrs: &HostAddresses,
    create: bool,
) -> Fields {
    let (ipv4, ipv6) = match addrs {
        HostAddresses::Ip(v4) => (Some(v4.to_string()), None),
        HostAddresses::Ipv6(v6) => (None, Some(v6.to_string())),
        HostAddresses::IpIpv6 { ip, ipv6 } => (Some(ip.to_string()), Some(ipv6.to_string())),
    };
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    match (a.hosts.get_mut(host), create) {
        (Some(_), true) => Err(format!("name server `{host}` exists already")),
        (None, false) => Err(format!("name server `{host}` does not exist")),
        (Some(h), false) => {
            h.ipv4 = ipv4;
            h.ipv6 = ipv6;
            let mut out = dmapi::NsModifyResult::default();
            out.host = dmapi::DomainName::new(host).ok();
            Ok(out.to_fields())
        }
        (None, true) => {
            a.hosts.insert(
                host.to_owned(),
                Host {
                    name: host.to_owned(),
                    ipv4,
                    ipv6,
                },
            );
            let mut out = dmapi::NsCreateResult::default();
            out.host = dmapi::DomainName::new(host).ok();
            Ok(out.to_fields())
        }
    }
}

pub(super) fn host_delete(st: &mut State, acct: usize, host: &str) -> Fields {
    let a = account(st, acct).map_err(|f| f.errors.join("; "))?;
    if let Some(d) = a.domains.values().find(|d| d.ns.iter().any(|n| n == host)) {
        return Err(format!("name server `{host}` is in use by `{}`", d.name));
    }
    a.hosts
        .remove(host)
        .ok_or_else(|| format!("name server `{host}` does not exist"))?;
    let mut out = dmapi::NsDeleteResult::default();
    out.host = dmapi::DomainName::new(host).ok();
    Ok(out.to_fields())
}
