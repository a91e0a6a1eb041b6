//! Response vocabulary the spec does not (yet) declare: payload keys of key/value answers,
//! status words and transfer states, as the DMAPI docs and WIRE-NOTES show them.
//!
//! Request names, parameter names, column names, envelope headers, status codes and the keys
//! of queued requests' results never appear here: the sandbox reads those from the generated
//! metadata, `metadata::PROTOCOL` and the typed results. What is here is the content of answers
//! the spec describes only in prose; it is kept in this one module so that moving it into the
//! spec (as declared `returns.keys` with generated writers) is a single, visible step.

/// `domain-check` price classes (`domain-class` is free text in the spec).
pub(crate) const CLASS_STANDARD: &str = "standard";
pub(crate) const CLASS_PREMIUM: &str = "premium";

/// Domain status words (`query-domain-list showstatus=1`, whois `domain.status`).
pub(crate) const STATUS_PRODUCTION: &str = "production";
pub(crate) const STATUS_LOCK: &str = "lock";
pub(crate) const STATUS_AUTORENEW: &str = "autorenew";

/// Privacy property values besides the levels.
pub(crate) const PRIVACY_OFF: &str = "off";

/// Transfer states of `domain-transfer-control`, in order.
pub(crate) const TRANSFER_STATES: [&str; 13] = [
    "IN_DB",
    "PAYMENT_PREPARED",
    "PAYMENT_ACQUIRED",
    "PENDING_FOA_SENDING",
    "FOA_BEEN_SENT",
    "FOA_NACK",
    "FOA_ACK",
    "REGISTRY_REQUEST_SENT",
    "REGISTRY_REQUEST_RECEIVED_NOW_WAITING",
    "REGISTRY_CANCELATION_PENDING",
    "DOMAIN_WITH_JOKER_PENDING_COMPLETE",
    "PAYMENT_COMMITTED",
    "TRANSFER_PROCESSED_SUCCESSFULLY",
];
/// The state in which `resend-foa` works.
pub(crate) const FOA_SENT: usize = 4;
/// States a successful transfer passes through (the failure states `FOA_NACK` and
/// `REGISTRY_CANCELATION_PENDING` are skipped).
pub(crate) const TRANSFER_PATH: [usize; 11] = [0, 1, 2, 3, 4, 6, 7, 8, 10, 11, 12];
/// From this state on the losing registrar has released the domain: no more `cancel`.
pub(crate) const RELEASED: usize = 10;

/// `wa-email-details` status of a valid key.
pub(crate) const VERIFICATION: &str = "verification";

/// Whois / query-object keys: dotted, repeated for lists, dates as `YYYYMMDDHHMMSS`.
pub(crate) const WD_NAME: &str = "domain.name";
pub(crate) const WD_STATUS: &str = "domain.status";
pub(crate) const WD_CREATED: &str = "domain.created.date";
pub(crate) const WD_EXPIRES: &str = "domain.expires";
pub(crate) const WD_OWNER: &str = "domain.owner-c";
pub(crate) const WD_ADMIN: &str = "domain.admin-c";
pub(crate) const WD_TECH: &str = "domain.tech-c";
pub(crate) const WD_BILLING: &str = "domain.billing-c";
pub(crate) const WD_PRIVACY: &str = "domain.privacy";
pub(crate) const WD_NAMESERVER: &str = "domain.nameserver";
pub(crate) const WD_DNSSEC: &str = "domain.dnssec";
/// Prefix of a contact's fields (`contact.<field>`).
pub(crate) const WHOIS_CONTACT: &str = "contact";
pub(crate) const WC_HANDLE: &str = "contact.handle";
pub(crate) const WC_CREATED: &str = "contact.created.date";
pub(crate) const WH_FQDN: &str = "host.fqdn";
pub(crate) const WH_IPV4: &str = "host.ipaddr";
pub(crate) const WH_IPV6: &str = "host.ipaddr6";
/// What whois shows for the owner of a privacy-protected domain.
pub(crate) const PRIVACY_PROTECTED: &str = "PRIVACY-PROTECTED";
/// Privacy level of a domain without privacy.
pub(crate) const PRIVACY_NONE: &str = "none";

/// `query-profile` keys (undocumented; the balance is what callers look for).
pub(crate) const P_UID: &str = "uid";
pub(crate) const P_USERNAME: &str = "username";
pub(crate) const P_BALANCE: &str = "balance";
pub(crate) const P_CURRENCY: &str = "currency";
pub(crate) const P_DOMAINS: &str = "domains";
pub(crate) const P_CONTACTS: &str = "contacts";
pub(crate) const P_ACCESS: &str = "access";
