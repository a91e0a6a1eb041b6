//! The sandbox's data: accounts with their objects, sessions, queued requests, prices.
//!
//! Everything but sessions is plain data (serde), so a state file can keep it across restarts.
//! Money is in cents.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::clock;
use crate::track::{KeySet, List, Table};

/// What a session (or API key) may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// Everything.
    Full,
    /// Nothing that changes state.
    ReadOnly,
    /// Nothing that costs money.
    ModifyOnly,
}

/// An API key and the access it grants.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ApiKey {
    pub(crate) key: String,
    pub(crate) access: Access,
}

/// A reseller account. Its collections record what changes in them (see [`crate::track`]),
/// which is what a state file writes after each request.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Account {
    pub(crate) uid: String,
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) api_keys: Vec<ApiKey>,
    pub(crate) balance: i64,
    pub(crate) contacts: Table<String, Contact>,
    pub(crate) hosts: Table<String, Host>,
    pub(crate) domains: Table<String, Domain>,
    pub(crate) results: List<Job>,
    pub(crate) transfers: Table<String, Transfer>,
    pub(crate) verifications: List<Verification>,
    pub(crate) owner_changes: List<OwnerChange>,
    /// Account properties (user-set-property), by name; a property not set has its default.
    #[serde(default)]
    pub(crate) properties: Table<String, String>,
    /// Deleted domains still in the redemption grace period (domain-redeem restores them).
    #[serde(default)]
    pub(crate) redemption: Table<String, Deleted>,
    /// Domains to delete when they expire (domain-delete `type=endoflife`).
    #[serde(default)]
    pub(crate) endoflife: KeySet<String>,
    /// The previous login's time and address (the login's `Stats-last-login`, `-last-ip`).
    #[serde(default)]
    pub(crate) last_login: Option<(i64, String)>,
}

/// A deleted domain in the redemption grace period: all of it, to restore as it was.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Deleted {
    pub(crate) domain: Domain,
    pub(crate) deleted_ms: i64,
    /// When it is gone for good.
    pub(crate) grace_until_ms: i64,
}

/// A contact handle and its fields as given (wire name, value).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Contact {
    pub(crate) handle: String,
    pub(crate) tld: String,
    pub(crate) email: Option<String>,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) created_ms: i64,
}

/// A registered name server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Host {
    pub(crate) name: String,
    pub(crate) ipv4: Option<String>,
    pub(crate) ipv6: Option<String>,
}

/// A grant, or an invitation not yet accepted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub(crate) nr: u64,
    pub(crate) scope: String,
    pub(crate) key: String,
    pub(crate) role: String,
    pub(crate) email: String,
    pub(crate) nick: String,
    pub(crate) invitee_uid: Option<String>,
    pub(crate) accepted: bool,
}

/// A domain in an account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Domain {
    pub(crate) name: String,
    pub(crate) created_ms: i64,
    pub(crate) expires_ms: i64,
    pub(crate) owner: String,
    pub(crate) admin: String,
    pub(crate) tech: String,
    pub(crate) billing: String,
    pub(crate) ns: Vec<String>,
    pub(crate) lock: bool,
    pub(crate) autorenew: bool,
    pub(crate) privacy: Option<String>,
    pub(crate) privacy_origin: Option<String>,
    pub(crate) privacy_expires_ms: Option<i64>,
    pub(crate) whois_opt_out: bool,
    pub(crate) gdpr_opt_in: bool,
    pub(crate) dnssec: Vec<String>,
    pub(crate) last_renewal_ms: Option<i64>,
    pub(crate) auth_id: Option<String>,
    pub(crate) zone: Option<String>,
    pub(crate) grants: Vec<Grant>,
}

impl Domain {
    /// A domain in production with these contacts (all four the same) and name servers, no
    /// lock, autorenew, privacy, DNSSEC, zone or grants.
    pub(crate) fn new(
        name: &str,
        handle: &str,
        created_ms: i64,
        expires_ms: i64,
        ns: Vec<String>,
    ) -> Domain {
        Domain {
            name: name.to_owned(),
            created_ms,
            expires_ms,
            owner: handle.to_owned(),
            admin: handle.to_owned(),
            tech: handle.to_owned(),
            billing: handle.to_owned(),
            ns,
            lock: false,
            autorenew: false,
            privacy: None,
            privacy_origin: None,
            privacy_expires_ms: None,
            whois_opt_out: false,
            gdpr_opt_in: false,
            dnssec: Vec::new(),
            last_renewal_ms: None,
            auth_id: None,
            zone: None,
            grants: Vec::new(),
        }
    }
}

/// How a queued request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum JobStatus {
    Pending,
    Ack,
    Nack,
}

/// A queued request and, once done, its result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Job {
    pub(crate) proc_id: String,
    pub(crate) svtrid: String,
    pub(crate) request: String,
    pub(crate) object: String,
    pub(crate) submitted_ms: i64,
    pub(crate) due_ms: i64,
    pub(crate) status: JobStatus,
    /// The request's parameters as received (without the session), decoded again when it runs.
    pub(crate) params: Vec<(String, String)>,
    /// The result's `key: value` lines, once done.
    pub(crate) fields: Vec<(String, String)>,
    /// Deleted by result-delete (content gone, status kept).
    pub(crate) deleted: bool,
    /// The client transaction id the request carried, which result-list shows and filters on.
    #[serde(default)]
    pub(crate) cltrid: Option<String>,
    /// For a request whose effect the spec says applies on acceptance (`dns-zone-put`): the
    /// status it was carried out with then, which the job takes when it comes due.
    #[serde(default)]
    pub(crate) settled: Option<JobStatus>,
}

/// An incoming transfer and where it is in the documented state machine.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Transfer {
    pub(crate) domain: String,
    pub(crate) transfer_id: String,
    pub(crate) proc_id: String,
    pub(crate) started_ms: i64,
    /// Index into the transfer states; moves one step per async delay.
    pub(crate) step: usize,
    pub(crate) cancelled: bool,
    pub(crate) owner_email: String,
    pub(crate) admin_email: String,
}

/// An owner e-mail address waiting for (or done with) whois verification.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Verification {
    pub(crate) email: String,
    pub(crate) key: String,
    pub(crate) deadline_ms: i64,
    /// `None` while pending, else whether it was confirmed.
    pub(crate) answer: Option<bool>,
    pub(crate) mails_sent: u32,
}

/// A change of registrant waiting for confirmation (cor-verify).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct OwnerChange {
    pub(crate) key: String,
    pub(crate) domain: String,
    pub(crate) new_owner: String,
    pub(crate) answered: bool,
}

/// Prices of one TLD, per year, in cents.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TldPrices {
    /// Registration.
    pub create: i64,
    /// Renewal.
    pub renew: i64,
    /// Transfer.
    pub transfer: i64,
    /// Restore of a deleted domain.
    pub restore: i64,
}

/// A logged-in session.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) account: usize,
    pub(crate) access: Access,
    pub(crate) last_ms: i64,
}

/// Settings that shape behaviour.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Settings {
    pub(crate) session_timeout_ms: i64,
    pub(crate) async_delay_ms: i64,
    pub(crate) currency: String,
    /// Price per year of whois privacy, in cents (basic, pro).
    pub(crate) privacy_prices: (i64, i64),
    /// The create price of a premium domain, in cents.
    pub(crate) premium_price: i64,
    /// How long a deleted domain can be restored (domain-redeem).
    #[serde(default = "default_redemption_grace_ms")]
    pub(crate) redemption_grace_ms: i64,
}

/// The redemption grace period registries keep a deleted domain in: 30 days.
pub(crate) const fn default_redemption_grace_ms() -> i64 {
    30 * 86_400_000
}

/// The whole sandbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) settings: Settings,
    pub(crate) clock_offset_ms: i64,
    pub(crate) accounts: Vec<Account>,
    /// Domain name -> index of the account that holds it.
    pub(crate) registry: HashMap<String, usize>,
    /// Domains registered with other registrars: name -> transfer AUTH-ID.
    pub(crate) elsewhere: BTreeMap<String, String>,
    pub(crate) prices: BTreeMap<String, TldPrices>,
    pub(crate) next_id: u64,
    /// Effects carried out, per request name (what tests count to prove nothing ran twice).
    pub(crate) effects: BTreeMap<String, u64>,
    #[serde(skip)]
    pub(crate) sessions: HashMap<String, Session>,
    #[serde(skip)]
    pub(crate) sid_seed: u64,
}

impl State {
    pub(crate) fn new(settings: Settings, prices: BTreeMap<String, TldPrices>) -> State {
        State {
            settings,
            clock_offset_ms: 0,
            accounts: Vec::new(),
            registry: HashMap::new(),
            elsewhere: BTreeMap::new(),
            prices,
            next_id: 1000,
            effects: BTreeMap::new(),
            sessions: HashMap::new(),
            sid_seed: seed(),
        }
    }

    pub(crate) fn now_ms(&self) -> i64 {
        clock::now_ms(self.clock_offset_ms)
    }

    /// A fresh number for ids (proc ids, tracking ids, handles, scopes).
    pub(crate) fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A secret-looking token: not guessable from the counter alone.
    pub(crate) fn token(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            let n = self.next();
            self.sid_seed = splitmix(self.sid_seed ^ n);
            out.push_str(&format!("{:016x}", self.sid_seed));
        }
        out.truncate(len);
        out
    }

    /// A fresh tracking id (`Tracking-Id`, `SvTrId`), shaped like the live server's.
    pub(crate) fn tracking_id(&mut self) -> String {
        self.token(dmapi::metadata::PROTOCOL.framing.tracking_id_hex)
    }

    pub(crate) fn effect(&mut self, request: &str) {
        *self.effects.entry(request.to_owned()).or_default() += 1;
    }

    /// The account holding `domain`, if any.
    pub(crate) fn holder(&self, domain: &str) -> Option<usize> {
        self.registry.get(domain).copied()
    }
}

/// A seed for tokens that differs between runs.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(clock::now_ms(0));
    h.finish()
}

/// SplitMix64: spreads a counter into well-mixed bits.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Cents as a decimal amount, `12.50`.
pub(crate) fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// A normalised decimal amount (`dmapi::Price` text) in cents, rounded up.
pub(crate) fn cents(price: &str) -> i64 {
    let (int, frac) = price.split_once('.').unwrap_or((price, ""));
    let int: i64 = int.parse().unwrap_or(i64::MAX / 100);
    let mut frac_digits: String = frac.chars().take(2).collect();
    while frac_digits.len() < 2 {
        frac_digits.push('0');
    }
    let mut c = int
        .saturating_mul(100)
        .saturating_add(frac_digits.parse().unwrap_or(0));
    if frac.len() > 2 && frac[2..].chars().any(|d| d != '0') {
        c = c.saturating_add(1);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_and_writes_cents() {
        assert_eq!(money(1250), "12.50");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(cents("12.5"), 1250);
        assert_eq!(cents("3"), 300);
        assert_eq!(cents("0.001"), 1);
    }
}
