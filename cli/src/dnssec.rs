//! `dmapi dnssec DOMAIN status|on|off`: a domain's DNSSEC keys from DS or DNSKEY records.
//!
//! The form a registry takes (DS data or key data) comes from inquire-tld, the wire form of
//! each key from the spec (`metadata::PROTOCOL.dnssec`, written by the runtime's
//! [`DnssecKey`]), and the change is one typed domain-modify, waited for.

use std::io::Read;

use clap::{Arg, ArgAction, ArgMatches, Command};
use dmapi::dnssec::{self, DnssecForm, DnssecKey};
use dmapi::metadata::{self, PROTOCOL};
use dmapi::{Client, DomainName, InquireTldDnssec, Requests, WhoisDnssec};
use serde_json::json;

use crate::render::Format;
use crate::{Failure, finish, print};

/// The subcommand.
pub(crate) const NAME: &str = "dnssec";

const DOMAIN: &str = "DOMAIN";
const ACTION: &str = "ACTION";
const KEY: &str = "key";
const FROM: &str = "from";
const STATUS: &str = "status";
const ON: &str = "on";
const OFF: &str = "off";

/// `dnssec DOMAIN status|on|off [--key RECORD].. [--from FILE]`.
pub(crate) fn command() -> Command {
    Command::new(NAME)
        .about(
            "Show a domain's DNSSEC state, or set its keys from DS or DNSKEY records (on), or \
             remove them (off); waits for the outcome",
        )
        .arg(Arg::new(DOMAIN).required(true).help("The domain"))
        .arg(
            Arg::new(ACTION)
                .required(true)
                .value_parser([STATUS, ON, OFF])
                .help("status: signed or not, and the form the TLD takes; on: set the keys; off: remove them"),
        )
        .arg(
            Arg::new(KEY)
                .long(KEY)
                .value_name("RECORD")
                .action(ArgAction::Append)
                .help(
                    "A key for `on`: a DS or DNSKEY record as dnssec-dsfromkey or a zone file \
                     prints it (`example.com. IN DS 2371 13 2 1F98...`), or only its data \
                     (`2371 13 2 1F98...`), read in the form the TLD takes; repeatable",
                ),
        )
        .arg(
            Arg::new(FROM)
                .long(FROM)
                .value_name("FILE")
                .help("Read the keys for `on` from FILE (`-`: standard input): one record per line, `;` comments and parenthesised records allowed"),
        )
}

/// Runs `dnssec` for the subcommand's arguments.
pub(crate) async fn run(sub: &ArgMatches, client: &Client, format: Format) -> Result<(), Failure> {
    let raw = sub.get_one::<String>(DOMAIN).map_or("", String::as_str);
    let domain =
        DomainName::from_unicode(raw).map_err(|e| Failure::Usage(format!("{raw}: {e}")))?;
    let action = sub.get_one::<String>(ACTION).map_or(STATUS, String::as_str);
    let has_keys = sub.contains_id(KEY) || sub.contains_id(FROM);
    if action != ON && has_keys {
        return Err(Failure::Usage(format!(
            "--{KEY} and --{FROM} are for `{ON}`, not `{action}`"
        )));
    }
    match action {
        ON => {
            // Read the keys before asking the server anything: a bad file sends nothing.
            let texts = key_texts(sub)?;
            if texts.is_empty() {
                return Err(Failure::Usage(format!(
                    "`{ON}` needs at least one key: --{KEY} RECORD or --{FROM} FILE"
                )));
            }
            let form = tld_form(client, &domain).await?;
            let keys = keys_in(form, &domain, &texts)?;
            let values: Vec<String> = keys.iter().map(|k| k.to_wire(&PROTOCOL.dnssec)).collect();
            let sent = client
                .domain_modify(domain.clone())
                .with(|r| r.dnssec(true).ds(values))
                .await?
                .output;
            finish(client, &sent).await?;
            print(&format!(
                "{domain}: DNSSEC on with {} key(s) ({} data)\n",
                keys.len(),
                form.record_type()
            ));
            Ok(())
        }
        OFF => {
            let sent = client
                .domain_modify(domain.clone())
                .with(|r| r.dnssec(false))
                .await?
                .output;
            finish(client, &sent).await?;
            print(&format!("{domain}: DNSSEC off\n"));
            Ok(())
        }
        _ => status(client, &domain, format).await,
    }
}

/// Whether whois shows the domain signed, and the form its TLD takes.
async fn status(client: &Client, domain: &DomainName, format: Format) -> Result<(), Failure> {
    let whois = client.whois(domain.clone()).await?.output;
    let form = tld_form(client, domain).await?;
    let signed = matches!(whois.dnssec, Some(WhoisDnssec::SignedDelegation));
    let state = whois.dnssec.as_ref().map_or("", |d| d.as_str());
    if matches!(format, Format::Json | Format::Jsonl) {
        let out = json!({
            "domain": domain.as_str(),
            "signed": signed,
            "whois": state,
            "takes": form.record_type(),
        });
        print(&format!("{out}\n"));
    } else {
        let word = if signed { "signed" } else { "unsigned" };
        print(&format!(
            "{domain}: {word} (whois DNSSEC: {state}); .{} takes {} records\n",
            tld(domain),
            form.record_type()
        ));
    }
    Ok(())
}

/// The domain's TLD as inquire-tld takes it: the name without its first label.
fn tld(domain: &DomainName) -> &str {
    let name = domain.as_str();
    name.split_once('.').map_or(name, |(_, tld)| tld)
}

/// The form the registry of `domain`'s TLD takes keys in.
async fn tld_form(client: &Client, domain: &DomainName) -> Result<DnssecForm, Failure> {
    let tld = tld(domain);
    match client.inquire_tld(tld).await?.output.dnssec {
        Some(InquireTldDnssec::Keydata) => Ok(DnssecForm::KeyData),
        Some(InquireTldDnssec::Dsdata) => Ok(DnssecForm::DsData),
        other => Err(Failure::Api(format!(
            ".{tld}: inquire-tld does not say which DNSSEC form the registry takes ({})",
            other.as_ref().map_or("no `dnssec` key", |d| d.as_str())
        ))),
    }
}

/// The texts of `--key` and `--from`, a record each.
fn key_texts(sub: &ArgMatches) -> Result<Vec<(String, String)>, Failure> {
    let mut out: Vec<(String, String)> = sub
        .get_many::<String>(KEY)
        .into_iter()
        .flatten()
        .map(|k| (format!("--{KEY}"), k.clone()))
        .collect();
    if let Some(path) = sub.get_one::<String>(FROM) {
        let mut text = String::new();
        let read = if path == "-" {
            std::io::stdin().read_to_string(&mut text).map(drop)
        } else {
            std::fs::read_to_string(path).map(|t| text = t)
        };
        read.map_err(|e| Failure::Usage(format!("{path}: {e}")))?;
        out.extend(
            dnssec::records(&text)
                .into_iter()
                .map(|(line, r)| (format!("{path}:{line}"), r)),
        );
    }
    Ok(out)
}

/// Reads each text as a key in `form`: a whole record must be of the form's type, bare data is
/// read as one. Every bad key is reported, and at most as many as domain-modify takes.
fn keys_in(
    form: DnssecForm,
    domain: &DomainName,
    texts: &[(String, String)],
) -> Result<Vec<DnssecKey>, Failure> {
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for (at, text) in texts {
        match DnssecKey::read(text, form) {
            Ok(k) if k.form() != form => problems.push(format!(
                "{at}: .{} takes {} records, this is a {} record{}",
                tld(domain),
                form.record_type(),
                k.form().record_type(),
                match form {
                    DnssecForm::DsData => " (dnssec-dsfromkey makes DS records of a DNSKEY)",
                    _ => "",
                }
            )),
            Ok(k) => keys.push(k),
            Err(e) => problems.push(format!("{at}: {e}")),
        }
    }
    let most = metadata::DOMAIN_MODIFY
        .params
        .iter()
        .find_map(|p| p.indexed)
        .map_or(usize::MAX, usize::from);
    if keys.len() > most {
        problems.push(format!(
            "{} keys; domain-modify takes at most {most}",
            keys.len()
        ));
    }
    match problems.is_empty() {
        true => Ok(keys),
        false => Err(Failure::Usage(problems.join("\n"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_other_form_and_bad_keys_are_all_reported() {
        let domain: DomainName = "example.de".parse().unwrap();
        let texts = [
            ("a".to_string(), "DS 1 13 99 AB".to_string()),
            ("b".to_string(), "257 3 13 AwEA".to_string()),
            ("c".to_string(), "257 4 13 AwEA".to_string()),
        ];
        let Err(Failure::Usage(m)) = keys_in(DnssecForm::KeyData, &domain, &texts) else {
            panic!("refused");
        };
        assert!(
            m.contains("a: .de takes DNSKEY records, this is a DS record"),
            "{m}"
        );
        assert!(!m.contains("b:"), "{m}");
        assert!(
            m.contains("c: invalid DNSSEC key: a DNSKEY's protocol is 3"),
            "{m}"
        );
    }
}
