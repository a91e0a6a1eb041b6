//! Requests beyond the docs' table of contents (spec/beyond.toml) that answer from what the
//! sandbox already keeps: query-price-list, whois, inquire-tld, query-request-list, version,
//! query-tld-list and wa-email-query-status. domain-redeem is with the deletions
//! ([`super::domains::grace`]), the account properties in [`super::properties`],
//! v2/contact/create with the contacts and domain-transfer-in with the transfers.

use dmapi::StatusCode as S;
use dmapi::dnssec::DnssecForm;
use dmapi::serve::Refusal;
use dmapi::{
    DomainCheckCheckPrice as Check, InquireTldOutput, Privacy, QueryPriceListOperation as Op,
    QueryPriceListRow, QueryPriceListType, WhoisObject, WhoisOutput, metadata,
};

use crate::state::{Access, State, money};

use super::{account, fail, other, price_for, privacy_yearly, tld_list, tld_yearly};

/// The longest period a domain is registered or renewed for, in years.
const MAX_YEARS: i64 = 10;

/// One row per TLD offered and operation, each period priced as domain-check prices it (a
/// started year counts as a year); `None` (`n/a`) for a period or an operation not offered.
pub(super) fn price_list(st: &State) -> Vec<QueryPriceListRow> {
    let currency = &st.settings.currency;
    let ops = [
        Op::Create,
        Op::Transfer,
        Op::Renew,
        Op::Rgp,
        Op::Trustee,
        Op::PrivacyBasic,
        Op::PrivacyPro,
    ];
    let mut rows = Vec::new();
    for tld in tld_list(st) {
        for op in &ops {
            // The yearly price, and for how many years it is offered.
            let (yearly, years) = match op {
                Op::Create => (tld_yearly(st, tld, Check::Create), MAX_YEARS),
                Op::Renew => (tld_yearly(st, tld, Check::Renew), MAX_YEARS),
                // A transfer adds one year; a restore is paid once.
                Op::Transfer => (tld_yearly(st, tld, Check::Transfer), 1),
                Op::Rgp => (tld_yearly(st, tld, Check::Restore), 1),
                Op::PrivacyBasic => (Some(privacy_yearly(st, Privacy::Basic.as_str())), MAX_YEARS),
                Op::PrivacyPro => (Some(privacy_yearly(st, Privacy::Pro.as_str())), MAX_YEARS),
                _ => (None, 0),
            };
            let mut row = QueryPriceListRow::new(
                QueryPriceListType::Domain,
                op.clone(),
                tld.to_owned(),
                currency.clone(),
                currency.clone(),
            );
            let slots = [
                &mut row.price_1y,
                &mut row.price_2y,
                &mut row.price_3y,
                &mut row.price_4y,
                &mut row.price_5y,
                &mut row.price_6y,
                &mut row.price_7y,
                &mut row.price_8y,
                &mut row.price_9y,
                &mut row.price_10y,
            ];
            for (n, slot) in (1..).zip(slots) {
                *slot = yearly
                    .filter(|_| n <= years)
                    .map(|y| money(price_for(y, n * 12)));
            }
            rows.push(row);
        }
    }
    rows
}

/// The whois server's own words (not DMAPI's): the keys of its answer lines and the DNSSEC
/// values Joker's WHMCS module looks for.
mod whois_words {
    pub(super) const DOMAIN_NAME: &str = "Domain Name";
    pub(super) const CREATED: &str = "Creation Date";
    pub(super) const EXPIRES: &str = "Registry Expiry Date";
    pub(super) const STATUS: &str = "Domain Status";
    pub(super) const NAME_SERVER: &str = "Name Server";
    pub(super) const DISCLAIMER: &str = "Disclaimer";
    pub(super) const DISCLAIMER_TEXT: &str = "the data of a local DMAPI sandbox, for tests only";
}

/// The public whois of a domain of the account (query-whois's data): a few whois lines and
/// `DNSSEC`, signed when domain-modify turned DNSSEC on.
pub(super) fn whois(st: &mut State, acct: usize, r: &dmapi::Whois) -> Result<WhoisOutput, Refusal> {
    use whois_words as w;
    let object = WhoisObject::Domain(r.domain.clone());
    let found = other::whois(st, acct, &object, false)?;
    let mut out = WhoisOutput::new();
    let all = &mut out.all;
    if r.disclaimer == Some(true) {
        all.push(w::DISCLAIMER, w::DISCLAIMER_TEXT);
    }
    all.push(w::DOMAIN_NAME, r.domain.as_str());
    for (key, value) in [(w::CREATED, &found.created), (w::EXPIRES, &found.expires)] {
        if let Some(v) = value {
            all.push(key, v.as_str());
        }
    }
    for s in &found.status {
        all.push(w::STATUS, s.as_str());
    }
    for ns in &found.nameservers {
        all.push(w::NAME_SERVER, ns.as_str());
    }
    let dnssec = match found.signed {
        true => dmapi::WhoisDnssec::SignedDelegation,
        false => dmapi::WhoisDnssec::Unsigned,
    };
    out.dnssec = Some(dnssec);
    Ok(out)
}

/// The TLDs whose registry takes DNSSEC as key data (DNSKEY records); the others take DS
/// data. The sandbox's choice, after the docs' domain-modify examples.
const KEYDATA_TLDS: [&str; 1] = ["de"];

/// The form the registry of `tld` takes DNSSEC keys in (domain-modify's `ds-N`).
pub(super) fn dnssec_form(tld: &str) -> DnssecForm {
    match KEYDATA_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) {
        true => DnssecForm::KeyData,
        false => DnssecForm::DsData,
    }
}

/// What the sandbox knows of a TLD it offers: the form its DNSSEC data takes.
pub(super) fn inquire_tld(st: &State, r: &dmapi::InquireTld) -> Result<InquireTldOutput, Refusal> {
    let tld = r.tld.trim().trim_start_matches('.').to_ascii_lowercase();
    if !st.prices.contains_key(&tld) {
        return Err(fail(
            S::ParameterValuePolicyError,
            format!("the TLD `.{tld}` is not offered (query-tld-list lists those that are)"),
        ));
    }
    let mut out = InquireTldOutput::new();
    out.dnssec = Some(match dnssec_form(&tld) {
        DnssecForm::KeyData => dmapi::InquireTldDnssec::Keydata,
        _ => dmapi::InquireTldDnssec::Dsdata,
    });
    Ok(out)
}

/// The requests (aliases included) a session of `access` may use, by name.
pub(super) fn request_list(access: Access) -> Vec<String> {
    metadata::REQUESTS
        .iter()
        .filter(|m| crate::session::denied(access, m).is_none())
        .map(|m| m.name.to_string())
        .collect()
}

/// The words of wa-email-query-status's answer (its docs'; the spec gives the answer as text).
mod wa_words {
    pub(super) const VERIFIED: &str = "verified";
    pub(super) const UNVERIFIED: &str = "unverified";
    pub(super) const PENDING: &str = "pending";
    pub(super) const INVALID: &str = "invalid";
}

/// The whois verification status of `email`, from its latest verification: confirmed, refused
/// or unanswered in time (`invalid`), waiting (`pending`), or none (`unverified`).
pub(super) fn wa_status(
    st: &mut State,
    acct: usize,
    email: &str,
    now: i64,
) -> Result<String, Refusal> {
    use wa_words as w;
    let a = account(st, acct)?;
    let latest = a
        .verifications
        .iter()
        .rev()
        .find(|v| v.email.eq_ignore_ascii_case(email));
    let word = match latest {
        None => w::UNVERIFIED,
        Some(v) => match v.answer {
            Some(true) => w::VERIFIED,
            Some(false) => w::INVALID,
            None if v.deadline_ms > now => w::PENDING,
            None => w::INVALID,
        },
    };
    Ok(word.to_owned())
}
