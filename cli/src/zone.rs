//! `dmapi zone export|diff|apply DOMAIN [FILE]`: a domain's zone as a file in the DMAPI zone
//! format, with the generated client's typed zone requests ([`dmapi::DnsZoneGet`],
//! [`dmapi::DnsZonePut`]). The file is read with the runtime's zone model (`Zone::parse`) and
//! held to its rules (`Zone::validate`): a bad line is reported with its line number and nothing
//! is sent.

use std::io::{BufRead, IsTerminal, Read, Write};

use clap::ArgMatches;
use dmapi::zone::ZoneProblem;
use dmapi::{Client, DomainName, Pattern, Requests, StatusCode, Zone};
use dmapi_sandbox::Sandbox;
use serde_json::{Value, json};

use crate::zone_diff::{GUARD_MIN_RECORDS, ZoneDiff};
use crate::{Failure, args, print};

/// Runs `dmapi zone ...`; `top` holds the connection options.
pub(crate) async fn run(top: &ArgMatches, zone: &ArgMatches) -> Result<(), Failure> {
    let Some((name, m)) = zone.subcommand() else {
        return Err(Failure::Usage(
            "no zone command; see `dmapi zone --help`".into(),
        ));
    };
    if m.get_flag(args::RAW) {
        return Err(Failure::Usage(
            "--raw does not apply to `zone` commands: they print zone text, a diff, or JSON \
             (--json)"
                .into(),
        ));
    }
    let json = m.get_flag(args::JSON);
    let domain = m
        .get_one::<DomainName>(args::ZONE_DOMAIN)
        .cloned()
        .ok_or_else(|| Failure::Usage("no DOMAIN given".into()))?;
    let file = m.get_one::<String>(args::ZONE_FILE).map(String::as_str);
    match name {
        args::ZONE_EXPORT => export(top, &domain, file, json).await,
        args::ZONE_DIFF => {
            let zone_file = ZoneFile::load(file)?;
            let (_connection, live) = live_zone(top, &domain, true).await?;
            let diff = ZoneDiff::between(&live, &zone_file.zone);
            if json {
                print(&(report(&domain, &zone_file, &diff).to_string() + "\n"));
            } else {
                print(&human_diff(&domain, &zone_file, &diff));
            }
            if m.get_flag(args::EXIT_CODE) && !diff.is_empty() {
                return Err(Failure::Pending(format!(
                    "{domain}: {} pending",
                    changes(diff.counts().total())
                )));
            }
            Ok(())
        }
        args::ZONE_APPLY => {
            let options = Apply {
                yes: m.get_flag(args::YES),
                force: m.get_flag(args::FORCE),
                json,
            };
            apply(top, &domain, ZoneFile::load(file)?, options).await
        }
        other => Err(Failure::Usage(format!("unknown zone command `{other}`"))),
    }
}

/// A client, and the sandbox it talks to if `--sandbox` started one (kept alive with it).
type Connection = (Client, Option<Sandbox>);

/// The live zone of `domain`, and the connection that fetched it. With `missing_ok`, a domain
/// of the account that has no zone yet (dns-zone-get: object does not exist) reads as an empty
/// zone, which `apply` creates.
async fn live_zone(
    top: &ArgMatches,
    domain: &DomainName,
    missing_ok: bool,
) -> Result<(Connection, Zone), Failure> {
    let connection = crate::connect(top, None).await?;
    let err = match connection.0.dns_zone_get(domain.clone()).await {
        Ok(answer) => return Ok((connection, answer.output)),
        Err(e) => e,
    };
    if !missing_ok || err.status() != Some(StatusCode::ObjectDoesNotExist.code()) {
        return Err(err.into());
    }
    // The same status answers a domain that is not in the account: only one that is, is new.
    let pattern = Pattern::new(domain.as_str()).map_err(|e| Failure::Usage(e.to_string()))?;
    let rows = connection
        .0
        .query_domain_list()
        .with(|r| r.pattern(pattern))
        .await?
        .output;
    if !rows.iter().any(|r| r.domain == *domain) {
        return Err(err.into());
    }
    eprintln!("dmapi: {domain} has no zone yet; `zone apply` creates it");
    Ok((connection, Zone::new()))
}

/// `export`: the live zone in the DMAPI zone format (directives kept), to FILE or stdout.
async fn export(
    top: &ArgMatches,
    domain: &DomainName,
    file: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let (_connection, live) = live_zone(top, domain, false).await?;
    let text = live.to_text().map_err(|e| {
        Failure::Transport(format!(
            "{domain}: the live zone cannot be written as zone text: {e}"
        ))
    })?;
    for (line, u) in live.unparsed() {
        eprintln!(
            "dmapi: warning: line {line} of {domain}'s zone is not in the zone format as dmapi \
             reads it ({}); `zone diff` and `zone apply` refuse the file until it is fixed or \
             removed",
            u.reason()
        );
    }
    let records = live.records().count();
    let directives = live.directives().count();
    match file.filter(|f| *f != "-") {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| Failure::Usage(format!("cannot write {path}: {e}")))?;
            if json {
                let summary = json!({
                    "domain": domain.as_str(),
                    "file": path,
                    "records": records,
                    "directives": directives,
                });
                print(&(summary.to_string() + "\n"));
            } else {
                print(&format!(
                    "{domain}: {records} records and {directives} directives written to {path}\n"
                ));
            }
        }
        None if json => {
            let out = json!({"domain": domain.as_str(), "zone": text});
            print(&(out.to_string() + "\n"));
        }
        None => print(&text),
    }
    Ok(())
}

/// The zone from a file (or stdin), read and checked.
struct ZoneFile {
    /// The file's name as shown, `<stdin>` for standard input.
    name: String,
    /// Whether it came from standard input (which then cannot answer a prompt).
    from_stdin: bool,
    /// The zone.
    zone: Zone,
}

impl ZoneFile {
    /// Reads FILE (`-` or none: standard input, which must not be a terminal), and refuses it,
    /// listing every problem with its line, when a line cannot be read or the zone breaks a
    /// rule of the zone format.
    fn load(file: Option<&str>) -> Result<ZoneFile, Failure> {
        let (name, from_stdin, text) = match file.filter(|f| *f != "-") {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))?;
                (path.to_owned(), false, text)
            }
            None => {
                let stdin = std::io::stdin();
                if stdin.is_terminal() {
                    return Err(Failure::Usage(
                        "give the zone FILE (or pipe the zone text to standard input)".into(),
                    ));
                }
                let mut text = String::new();
                stdin
                    .lock()
                    .read_to_string(&mut text)
                    .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
                ("<stdin>".to_owned(), true, text)
            }
        };
        let problems = problems(&text);
        if !problems.is_empty() {
            let mut m = format!(
                "{name}: {} problem{} in the zone file, nothing was sent:",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            for p in &problems {
                match p.line {
                    Some(line) => {
                        m.push_str(&format!(
                            "\n  {name}:{line}: {} (`{}`)",
                            p.message, p.record
                        ));
                    }
                    None => m.push_str(&format!("\n  {name}: {}", p.message)),
                }
            }
            return Err(Failure::Usage(m));
        }
        Ok(ZoneFile {
            name,
            from_stdin,
            zone: Zone::parse(&text),
        })
    }
}

/// Every problem of zone text, in line order: lines the model cannot read (strict parsing), and
/// the rules the zone breaks (TTLs, `pri`, an empty zone, values that cannot be written).
fn problems(text: &str) -> Vec<ZoneProblem> {
    let mut out = match text.parse::<Zone>() {
        Ok(_) => Vec::new(),
        Err(e) => e.into_problems(),
    };
    if let Err(e) = Zone::parse(text).validate() {
        out.extend(e.into_problems());
    }
    // The zone as a whole first, then by line; a line keeps its problems' order.
    out.sort_by_key(|p| p.line);
    out.dedup();
    out
}

/// The diff for people: the changes, then a summary line (colour on a terminal only).
fn human_diff(domain: &DomainName, file: &ZoneFile, diff: &ZoneDiff) -> String {
    if diff.is_empty() {
        return format!(
            "{domain}: no changes, the live zone matches {}\n",
            file.name
        );
    }
    let n = diff.counts();
    format!(
        "{}{domain}: {} to apply from {} ({} added, {} removed, {} changed)\n",
        diff.to_human(color()),
        changes(n.total()),
        file.name,
        n.added,
        n.removed,
        n.changed
    )
}

/// Colour when standard output is a terminal and `NO_COLOR` is not set (no-color.org).
fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The JSON report of a diff: the domain, the file, and the changes.
fn report(domain: &DomainName, file: &ZoneFile, diff: &ZoneDiff) -> Value {
    let mut out = diff.to_json();
    if let Some(obj) = out.as_object_mut() {
        obj.insert("domain".into(), json!(domain.as_str()));
        obj.insert("file".into(), json!(file.name));
    }
    out
}

/// `apply`'s options.
#[derive(Clone, Copy)]
struct Apply {
    /// `--yes`: no question asked.
    yes: bool,
    /// `--force`: past the one-third guard.
    force: bool,
    /// `--json`: the report as JSON.
    json: bool,
}

/// `apply`: the diff, the guard, the question, then the put and its outcome.
async fn apply(
    top: &ArgMatches,
    domain: &DomainName,
    file: ZoneFile,
    options: Apply,
) -> Result<(), Failure> {
    let ((client, _sandbox), live) = live_zone(top, domain, true).await?;
    let diff = ZoneDiff::between(&live, &file.zone);
    let report = report(domain, &file, &diff);
    if !options.json {
        print(&human_diff(domain, &file, &diff));
    }
    if diff.is_empty() {
        if options.json {
            print(&(with_applied(report, Value::Null).to_string() + "\n"));
        }
        return Ok(());
    }
    if diff.removes_too_much() && !options.force {
        let removed = diff.removed_records();
        return Err(Failure::Usage(format!(
            "{domain}: {} removes {removed} of the zone's {} records, more than a third (the \
             guard for zones of {GUARD_MIN_RECORDS} records or more); nothing was sent. Pass \
             --force to apply it anyway",
            file.name, diff.live_records
        )));
    }
    if !options.yes {
        confirm(domain, &file, &diff, options.json)?;
    }
    let submitted = client.dns_zone_put(domain.clone(), file.zone).await?.output;
    let done = crate::wait_with_spinner(&client, &submitted).await?;
    if !done.is_ack() {
        return Err(Failure::Api(format!(
            "{domain}: the zone was not stored: proc id {} failed: {}",
            done.proc_id,
            done.error_text()
        )));
    }
    if options.json {
        let applied = json!({"proc_id": done.proc_id, "ack": true});
        print(&(with_applied(report, applied).to_string() + "\n"));
    } else {
        print(&format!(
            "applied: {domain}'s zone stored (proc id {})\n",
            done.proc_id
        ));
    }
    Ok(())
}

/// The JSON report with `applied`: what the put did, or null when nothing was put.
fn with_applied(mut report: Value, applied: Value) -> Value {
    if let Some(obj) = report.as_object_mut() {
        obj.insert("applied".into(), applied);
    }
    report
}

/// Asks on a terminal whether to apply (showing the diff first on stderr when stdout gets
/// JSON); off a terminal, refuses without `--yes`.
fn confirm(
    domain: &DomainName,
    file: &ZoneFile,
    diff: &ZoneDiff,
    json: bool,
) -> Result<(), Failure> {
    let on_tty =
        !file.from_stdin && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !on_tty {
        return Err(Failure::Usage(format!(
            "{domain}: not on a terminal, so no one can confirm: pass --yes to apply {} without \
             asking; nothing was sent",
            file.name
        )));
    }
    let n = diff.counts().total();
    let mut err = std::io::stderr().lock();
    if json {
        let _ = err.write_all(diff.to_human(false).as_bytes());
    }
    let _ = write!(err, "Apply {} to {domain}'s zone? [y/N] ", changes(n));
    let _ = err.flush();
    drop(err);
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Usage(format!("cannot read the answer: {e}")))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::Pending(format!(
            "{domain}: not applied; {} still pending",
            changes(n)
        ))),
    }
}

/// `1 change`, `2 changes`.
fn changes(n: usize) -> String {
    format!("{n} change{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_every_bad_line_with_its_number_and_the_models_reason() {
        let text = "$dnssec=no\n\nwww A 0 192.0.2.300 3600\nok A 0 192.0.2.1 3600\nlow A 0 192.0.2.2 30\nmx MX x mail.example.com 3600\n";
        let p = problems(text);
        let lines: Vec<Option<usize>> = p.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(5), Some(6)], "{p:?}");
        assert!(p[0].message.contains("192.0.2.300"), "{p:?}");
        assert!(p[1].message.contains("TTL 30"), "{p:?}");
        assert!(p[2].message.contains("pri"), "{p:?}");
        assert!(problems("").iter().any(|p| p.line.is_none()));
        assert!(problems("$dnssec=no\n@ A 0 192.0.2.1 3600\n").is_empty());
    }

    #[test]
    fn an_injected_line_in_a_value_is_a_problem_not_a_record() {
        // A quote that closes early leaves fields the model does not read as a TXT record.
        let p = problems("x TXT 0 \"v\" 60 \"evil\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(1));
    }
}
