//! Registrar workflows on the typed API, with safe defaults: `epp-code`, `expiring`,
//! `renew-expiring`, `lock`, `unlock`, `privacy` and `dnssec` (in [`crate::dnssec`]). No wire code here: each is a few typed
//! requests, and every value they send is one of the spec's.

use clap::{Arg, ArgAction, ArgMatches, Command};
use dmapi::{
    Client, Date, DomainGetPropertyPrivacyPrivacy as PrivacySetting, DomainName, DomainProperty,
    Pattern, PrivacyLevel, QueryDomainListRow, Requests, Term, Year,
};
use serde_json::json;

use crate::render::{Format, aligned};
use crate::{Failure, finish, print};

pub(crate) const EPP_CODE: &str = "epp-code";
pub(crate) const EXPIRING: &str = "expiring";
pub(crate) const RENEW_EXPIRING: &str = "renew-expiring";
pub(crate) const LOCK: &str = "lock";
pub(crate) const UNLOCK: &str = "unlock";
pub(crate) const PRIVACY: &str = "privacy";
/// Every workflow subcommand.
pub(crate) const ALL: &[&str] = &[
    EPP_CODE,
    EXPIRING,
    RENEW_EXPIRING,
    LOCK,
    UNLOCK,
    PRIVACY,
    crate::dnssec::NAME,
];

const DOMAIN: &str = "DOMAIN";
const WITHIN: &str = "within";
const UNTIL_YEAR: &str = "until-year";
const MAX_PRICE: &str = "max-price";
const YES: &str = "yes";
const SWITCH: &str = "SWITCH";
const LEVEL: &str = "level";
const ON: &str = "on";
const OFF: &str = "off";

/// The workflows' subcommands.
pub(crate) fn commands() -> Vec<Command> {
    let domain = || Arg::new(DOMAIN).required(true).help("The domain");
    let within = || {
        Arg::new(WITHIN)
            .long(WITHIN)
            .value_name("AGE")
            .default_value("30d")
            .help("Expiring within this long from today: days (30d, or 30) or weeks (4w)")
    };
    vec![
        Command::new(EPP_CODE)
            .about(
                "Get a domain's AUTH-ID (EPP code) for a transfer away: request it, wait, print it",
            )
            .arg(domain()),
        Command::new(EXPIRING)
            .about(
                "List the domains that expire within --within (30 days by default), soonest first",
            )
            .arg(within()),
        Command::new(RENEW_EXPIRING)
            .about(
                "Renew every domain expiring within --within up to --until-year: a dry run unless \
                 --yes; safe to repeat (expyear never renews past the year)",
            )
            .arg(within())
            .arg(
                Arg::new(UNTIL_YEAR)
                    .long(UNTIL_YEAR)
                    .value_name("YEAR")
                    .required(true)
                    .value_parser(clap::value_parser!(u16))
                    .help("Renew up to this expiration year"),
            )
            .arg(
                Arg::new(MAX_PRICE)
                    .long(MAX_PRICE)
                    .value_name("PRICE")
                    .help("Most to pay for one renewal; premium domains are refused without it"),
            )
            .arg(
                Arg::new(YES)
                    .long(YES)
                    .action(ArgAction::SetTrue)
                    .help("Renew; without it, only show what would be renewed"),
            ),
        Command::new(LOCK)
            .about("Lock a domain against transfers, and wait for the outcome")
            .arg(domain()),
        Command::new(UNLOCK)
            .about("Unlock a domain, and wait for the outcome")
            .arg(domain()),
        Command::new(PRIVACY)
            .about(
                "Turn a domain's whois privacy on (at --level) or off; on needs a privacy \
                 subscription (domain-privacy-order)",
            )
            .arg(domain())
            .arg(Arg::new(SWITCH).required(true).value_parser([ON, OFF]))
            .arg(
                Arg::new(LEVEL)
                    .long(LEVEL)
                    .value_name("LEVEL")
                    .value_parser(
                        PrivacyLevel::ALL
                            .iter()
                            .map(PrivacyLevel::as_str)
                            .collect::<Vec<_>>(),
                    )
                    .default_value(PrivacyLevel::ALL[0].as_str())
                    .help("The privacy level to turn on"),
            ),
        crate::dnssec::command(),
    ]
}

/// Runs workflow `name` on `client`.
pub(crate) async fn run(
    name: &str,
    sub: &ArgMatches,
    client: &Client,
    format: Format,
) -> Result<(), Failure> {
    let domain = || -> Result<DomainName, Failure> {
        let raw = sub
            .get_one::<String>(DOMAIN)
            .map(String::as_str)
            .unwrap_or("");
        DomainName::from_unicode(raw).map_err(|e| Failure::Usage(format!("{raw}: {e}")))
    };
    match name {
        EPP_CODE => {
            let domain = domain()?;
            let s = client
                .domain_transfer_get_auth_id(domain.clone())
                .await?
                .output;
            let done = finish(client, &s).await?;
            let code = done.auth_id.ok_or_else(|| {
                Failure::Transport(format!("{domain}: the result has no AUTH-ID"))
            })?;
            print(&format!("{}\n", code.expose()));
            Ok(())
        }
        LOCK | UNLOCK => {
            let domain = domain()?;
            if name == LOCK {
                let s = client.domain_lock(domain.clone()).await?.output;
                finish(client, &s).await?;
            } else {
                let s = client.domain_unlock(domain.clone()).await?.output;
                finish(client, &s).await?;
            }
            print(&format!("{domain}: {name}ed\n"));
            Ok(())
        }
        PRIVACY => {
            let domain = domain()?;
            let pattern = Pattern::new(domain.as_str())
                .map_err(|e| Failure::Usage(format!("{domain}: {e}")))?;
            let on = sub.get_one::<String>(SWITCH).map(String::as_str) == Some(ON);
            let value = if on {
                sub.get_one::<String>(LEVEL)
                    .cloned()
                    .unwrap_or_else(|| PrivacyLevel::ALL[0].as_str().to_owned())
            } else {
                PrivacySetting::Off.as_str().to_owned()
            };
            client
                .domain_set_property(pattern, DomainProperty::Privacy, value.clone())
                .await?;
            print(&format!("{domain}: privacy {value}\n"));
            Ok(())
        }
        EXPIRING => {
            let rows = expiring(client, sub).await?;
            print(&listing(&rows, format));
            Ok(())
        }
        RENEW_EXPIRING => renew_expiring(client, sub, format).await,
        crate::dnssec::NAME => crate::dnssec::run(sub, client, format).await,
        _ => Err(Failure::Usage(format!("unknown workflow `{name}`"))),
    }
}

/// `30d`, `30`, `4w` as days.
fn days(age: &str) -> Result<i64, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "--within {age}: give days (30d or 30) or weeks (4w)"
        ))
    };
    let (n, per) = match age.strip_suffix('w') {
        Some(n) => (n, 7),
        None => (age.strip_suffix('d').unwrap_or(age), 1),
    };
    let n: i64 = n.parse().map_err(|_| bad())?;
    if !(0..=36_500).contains(&n) {
        return Err(bad());
    }
    Ok(n * per)
}

/// The account's domains expiring within `--within` of today, soonest first.
async fn expiring(client: &Client, sub: &ArgMatches) -> Result<Vec<QueryDomainListRow>, Failure> {
    let within = days(sub.get_one::<String>(WITHIN).map_or("30d", String::as_str))?;
    let until = Date::today().days_since_epoch() + within;
    let mut rows = client.query_domain_list().await?.output;
    rows.retain(|r| r.expiration_date.days_since_epoch() <= until);
    rows.sort_by(|a, b| {
        (a.expiration_date, a.domain.as_str()).cmp(&(b.expiration_date, b.domain.as_str()))
    });
    Ok(rows)
}

fn listing(rows: &[QueryDomainListRow], format: Format) -> String {
    if matches!(format, Format::Json | Format::Jsonl) {
        let items: Vec<_> = rows
            .iter()
            .map(|r| json!({"domain": r.domain.as_str(), "expiration_date": r.expiration_date.to_string()}))
            .collect();
        return json!(items).to_string() + "\n";
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| vec![r.domain.to_string(), r.expiration_date.to_string()])
        .collect();
    aligned(Some(&["domain".into(), "expires".into()]), &cells)
}

async fn renew_expiring(client: &Client, sub: &ArgMatches, format: Format) -> Result<(), Failure> {
    let until = *sub
        .get_one::<u16>(UNTIL_YEAR)
        .ok_or_else(|| Failure::Usage("--until-year is required".into()))?;
    let year = Year::new(until).map_err(|e| Failure::Usage(format!("--until-year: {e}")))?;
    let max_price = match sub.get_one::<String>(MAX_PRICE) {
        Some(p) => Some(
            p.parse::<dmapi::Price>()
                .map_err(|e| Failure::Usage(format!("--max-price: {e}")))?,
        ),
        None => None,
    };
    let rows = expiring(client, sub).await?;
    // expyear never renews past the year: a domain already there is left alone.
    let due: Vec<&QueryDomainListRow> = rows
        .iter()
        .filter(|r| r.expiration_date.year() < until)
        .collect();
    if !sub.get_flag(YES) {
        let owned: Vec<QueryDomainListRow> = due.iter().map(|r| (*r).clone()).collect();
        print(&listing(&owned, format));
        eprintln!(
            "dry run: {} domain(s) would be renewed up to {until}; add --yes to renew",
            due.len()
        );
        return Ok(());
    }
    let (mut renewed, mut refused) = (0usize, Vec::new());
    for r in &due {
        let call = client
            .domain_renew(r.domain.clone(), Term::Expyear(year))
            .with(|mut q| {
                q.max_price = max_price.clone();
                q
            });
        let outcome = match call.await {
            Ok(sent) => finish(client, &sent.output).await.map(|_| ()),
            Err(e) => Err(Failure::from(e)),
        };
        match outcome {
            Ok(()) => {
                renewed += 1;
                print(&format!("{}: renewed up to {until}\n", r.domain));
            }
            // One refusal (a premium price over --max-price) does not stop the others.
            Err(Failure::Api(m)) => refused.push(format!("{}: {m}", r.domain)),
            Err(other) => return Err(other),
        }
    }
    print(&format!(
        "renewed {renewed} of {}; {} refused\n",
        due.len(),
        refused.len()
    ));
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Failure::Api(refused.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_days_or_weeks() {
        assert_eq!(days("30d").ok(), Some(30));
        assert_eq!(days("30").ok(), Some(30));
        assert_eq!(days("4w").ok(), Some(28));
        for bad in ["", "d", "-1d", "30m", "1e9"] {
            assert!(days(bad).is_err(), "{bad}");
        }
    }
}
