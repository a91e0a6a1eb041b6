//! The command line, built from the generated metadata: one subcommand per request, a flag per
//! wire parameter (help from the spec's docs, required ones enforced), groups as clap groups.

use clap::builder::{PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use dmapi::meta::{GroupKind, ParamMeta, RequestKind, RequestMeta, ValueType};
use dmapi::metadata;

/// `--json`, `--raw` (on every subcommand) and `--wait` (on queued requests): options of the
/// command itself, next to the spec's parameters. A test checks that no parameter clashes.
pub(crate) const JSON: &str = "json";
pub(crate) const RAW: &str = "raw";
pub(crate) const WAIT: &str = "wait";
/// `--output`, `--columns`, `--no-header`: how answers print (on every subcommand).
pub(crate) const OUTPUT: &str = "output";
pub(crate) const COLUMNS: &str = "columns";
pub(crate) const NO_HEADER: &str = "no-header";
/// `-v` (every exchange: request, status, tracking id, time) and `--trace` (also each form and
/// answer), on stderr with secrets redacted.
pub(crate) const VERBOSE: &str = "verbose";
pub(crate) const TRACE: &str = "trace";
#[cfg(test)]
const OWN_OPTIONS: &[&str] = &[
    JSON, RAW, WAIT, OUTPUT, COLUMNS, NO_HEADER, VERBOSE, TRACE, "help",
];

/// Subcommands that are not requests (a test checks that no request has their names).
pub(crate) const DEMO: &str = "demo";
pub(crate) const COMPLETIONS: &str = "completions";
pub(crate) const MAN: &str = "man";
/// The argument of `completions`, and the option of `man`.
pub(crate) const SHELL: &str = "shell";
pub(crate) const OUT_DIR: &str = "out-dir";
/// `--poll-delay MS`: how long `--wait` and the workflows wait before the first poll.
pub(crate) const POLL_DELAY: &str = "poll-delay";
/// `dmapi profile list`, and `--profile NAME`.
pub(crate) const PROFILES: &str = "profile";
pub(crate) const PROFILE: &str = "profile";
/// `dmapi zone export|diff|apply DOMAIN [FILE]`: zones as files.
pub(crate) const ZONE: &str = "zone";
#[cfg(test)]
const OWN_SUBCOMMANDS: &[&str] = &[DEMO, ZONE, COMPLETIONS, MAN, PROFILES, "help"];

/// The `zone` commands, their arguments and options.
pub(crate) const ZONE_EXPORT: &str = "export";
pub(crate) const ZONE_DIFF: &str = "diff";
pub(crate) const ZONE_APPLY: &str = "apply";
pub(crate) const ZONE_DOMAIN: &str = "DOMAIN";
pub(crate) const ZONE_FILE: &str = "FILE";
pub(crate) const EXIT_CODE: &str = "exit-code";
pub(crate) const YES: &str = "yes";
pub(crate) const FORCE: &str = "force";

/// The whole command line.
pub(crate) fn command() -> Command {
    let mut cmd = Command::new("dmapi")
        .about("Joker.com's Domain Management API (DMAPI) from the command line: every request of the spec is a subcommand.")
        .after_help(
            "Credentials: --api-key or DMAPI_API_KEY, or --username/--password or \
             DMAPI_USERNAME/DMAPI_PASSWORD. Endpoint: production by default, --ote for the test \
             platform, --endpoint URL, or --sandbox for a local sandbox with demo data.\n\
             Exit codes: 0 ok, 1 changes pending (`zone diff --exit-code`, or a `zone apply` \
             not confirmed), 2 usage, 3 the server refused the request (or a queued request \
             failed), 4 transport or protocol error.",
        )
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("api-key")
                .long("api-key")
                .env("DMAPI_API_KEY")
                .hide_env_values(true)
                .value_name("KEY")
                .help("API key (from 'My Profile' at Joker.com)"),
        )
        .arg(
            Arg::new("username")
                .long("username")
                .env("DMAPI_USERNAME")
                .value_name("EMAIL")
                .help("Joker.com username"),
        )
        .arg(
            Arg::new("password")
                .long("password")
                .env("DMAPI_PASSWORD")
                .hide_env_values(true)
                .value_name("PASSWORD")
                .help("Joker.com password"),
        )
        .arg(
            Arg::new("ote")
                .long("ote")
                .action(ArgAction::SetTrue)
                .help("Use the OT&E test platform"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .help("Use this endpoint (http:// only on loopback)"),
        )
        .arg(
            Arg::new("sandbox")
                .long("sandbox")
                .action(ArgAction::SetTrue)
                .help("Start a local sandbox with demo data and use it"),
        )
        .arg(
            Arg::new(PROFILE)
                .long(PROFILE)
                .env(crate::profile::PROFILE_ENV)
                .value_name("NAME")
                .help(
                    "Use this profile of the config file (see `dmapi profile list`); options \
                     and DMAPI_* variables given win over it",
                ),
        )
        .arg(
            Arg::new(POLL_DELAY)
                .long(POLL_DELAY)
                .value_name("MS")
                .value_parser(clap::value_parser!(u64).range(0..=600_000))
                .help(
                    "Milliseconds to wait before first asking for a queued request's outcome \
                     [default: the client's, 5000]",
                ),
        )
        .group(ArgGroup::new("where").args(["ote", "endpoint", "sandbox"]))
        .arg(
            Arg::new(JSON)
                .long(JSON)
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print JSON for scripts"),
        )
        .arg(
            Arg::new(RAW)
                .long(RAW)
                .global(true)
                .action(ArgAction::SetTrue)
                .conflicts_with(JSON)
                .help("Print the DMAPI response text as received"),
        )
        .arg(
            Arg::new(OUTPUT)
                .long(OUTPUT)
                .short('o')
                .global(true)
                .value_name("FORMAT")
                .value_parser(["table", "json", "jsonl", "csv"])
                .conflicts_with_all([JSON, RAW])
                .help("Print as an aligned table (default), JSON, JSON lines (a row each) or CSV"),
        )
        .arg(
            Arg::new(VERBOSE)
                .long(VERBOSE)
                .short('v')
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Log every exchange with the server on stderr: request, status, tracking id, time"),
        )
        .arg(
            Arg::new(TRACE)
                .long(TRACE)
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Like -v, and log each request's parameters and each answer; secrets show as ***"),
        )
        .arg(
            Arg::new(COLUMNS)
                .long(COLUMNS)
                .global(true)
                .value_name("A,B")
                .value_delimiter(',')
                .action(ArgAction::Append)
                .conflicts_with(RAW)
                .help("Print only these columns of a table answer, in this order"),
        )
        .arg(
            Arg::new(NO_HEADER)
                .long(NO_HEADER)
                .global(true)
                .action(ArgAction::SetTrue)
                .conflicts_with(RAW)
                .help("Leave out the header line of a table or CSV"),
        )
        .subcommand(Command::new(DEMO).about(
            "Run a realistic session against a local sandbox: contacts, registration, name \
             servers, a zone, renewal, results",
        ))
        .subcommand(
            Command::new(COMPLETIONS)
                .about("Print the shell completion script for SHELL")
                .after_help(
                    "bash: dmapi completions bash > ~/.local/share/bash-completion/completions/dmapi\n\
                     zsh: dmapi completions zsh > \"${fpath[1]}/_dmapi\"\n\
                     fish: dmapi completions fish > ~/.config/fish/completions/dmapi.fish",
                )
                .arg(
                    Arg::new(SHELL)
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new(PROFILES)
                .about("The profiles of the config file (DMAPI_CONFIG, or dmapi/config.toml in the config directory)")
                .subcommand_required(true)
                .subcommand(
                    Command::new("list")
                        .about("List the profiles: endpoint and where credentials come from, never secrets"),
                ),
        )
        .subcommand(
            Command::new(MAN)
                .about("Print the man page (roff), or write one per subcommand with --out-dir")
                .arg(
                    Arg::new(OUT_DIR)
                        .long(OUT_DIR)
                        .value_name("DIR")
                        .value_parser(clap::value_parser!(std::path::PathBuf))
                        .help("Write dmapi.1 and dmapi-<subcommand>.1 for every subcommand here"),
                ),
        )
        .subcommand(zone_command());
    for workflow in crate::workflows::commands() {
        cmd = cmd.subcommand(workflow);
    }
    cmd = cmd.subcommand(crate::batch::command());
    for meta in metadata::REQUESTS {
        cmd = cmd.subcommand(request_command(meta));
    }
    cmd
}

/// `dmapi zone export|diff|apply DOMAIN [FILE]`.
fn zone_command() -> Command {
    let domain = Arg::new(ZONE_DOMAIN)
        .value_name("DOMAIN")
        .required(true)
        .value_parser(ValueParser::new(
            clap::builder::StringValueParser::new().try_map(|s: String| {
                dmapi::DomainName::from_unicode(&s).map_err(|e| e.to_string())
            }),
        ))
        .help("The domain whose zone it is");
    let file = Arg::new(ZONE_FILE).value_name("FILE");
    let flag = |id: &'static str, help: &'static str| {
        Arg::new(id).long(id).action(ArgAction::SetTrue).help(help)
    };
    Command::new(ZONE)
        .about("Zones as files: export a domain's live zone, diff a file against it, apply it")
        .long_about(format!(
            "Zones as files, in the DMAPI zone format (the format of {} and {}: one record per \
             line, `$dnssec=...` and other directives kept).\n\n\
             A file is read with dmapi's zone model and held to its rules (TTLs, pri, quoting, \
             the live server's TXT form): every line that breaks one is reported with its line \
             number and nothing is sent. Records are compared as a multiset keyed by label and \
             type; the order of lines does not matter.",
            <dmapi::DnsZoneGet as dmapi::Request>::NAME,
            <dmapi::DnsZonePut as dmapi::Request>::NAME,
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new(ZONE_EXPORT)
                .about("Write the live zone (directives kept) to FILE, or to stdout")
                .arg(domain.clone())
                .arg(
                    file.clone()
                        .help("Write here instead of stdout ('-': stdout)"),
                ),
        )
        .subcommand(
            Command::new(ZONE_DIFF)
                .about("Show what `zone apply` would change, record by record")
                .after_help(
                    "+ added, - removed, ~ changed (its new form after ->); colour on a \
                     terminal unless NO_COLOR is set. --json gives a report for scripts.",
                )
                .arg(domain.clone())
                .arg(
                    file.clone()
                        .help("The zone file ('-' or none: standard input)"),
                )
                .arg(flag(
                    EXIT_CODE,
                    "Exit 1 when changes are pending, 0 when none (for CI)",
                )),
        )
        .subcommand(
            Command::new(ZONE_APPLY)
                .about("Show the diff, then put the file's zone and wait for the outcome")
                .after_help(
                    "Nothing is sent when the diff is empty. A change that removes more than a \
                     third of a zone of 10 records or more needs --force. On a terminal, the \
                     change is confirmed first; elsewhere, pass --yes.",
                )
                .arg(domain)
                .arg(file.help("The zone file ('-' or none: standard input; needs --yes)"))
                .arg(flag(YES, "Apply without asking (needed off a terminal)"))
                .arg(flag(
                    FORCE,
                    "Apply even if it removes more than a third of a zone of 10 records or more",
                )),
        )
}

fn request_command(meta: &'static RequestMeta) -> Command {
    let mut about = meta.summary.to_string();
    if let Some(note) = &meta.deprecated {
        about.push_str(&format!(" (deprecated: {note})"));
    }
    // The docs' other names for this request (`host-create` for `ns-create`), next to it, so
    // that a reader of the docs finds them in the list.
    let aliases: Vec<&str> = metadata::REQUESTS
        .iter()
        .filter(|m| m.alias_of.as_deref() == Some(&*meta.name))
        .map(|m| &*m.name)
        .collect();
    if !aliases.is_empty() {
        about.push_str(&format!(" [aliases: {}]", aliases.join(", ")));
    }
    let mut long = about.clone();
    if !meta.docs.is_empty() {
        long.push_str("\n\n");
        long.push_str(&meta.docs);
    }
    let mut cmd = Command::new(&*meta.name).about(about).long_about(long);
    for p in meta.params.iter() {
        cmd = cmd.arg(param_arg(p));
    }
    for g in meta.groups.iter() {
        cmd = with_group(cmd, meta, g);
    }
    if meta.kind == RequestKind::Async {
        cmd = cmd.arg(
            Arg::new(WAIT)
                .long(WAIT)
                .action(ArgAction::SetTrue)
                .help("Wait for the queued request's outcome (result-retrieve), with a spinner"),
        );
    }
    cmd
}

fn param_arg(p: &'static ParamMeta) -> Arg {
    let mut help = p.doc.to_string();
    if !help.is_empty() {
        help.push(' ');
    }
    help.push_str(&format!("[{}]", p.ty.describe()));
    if let Some(d) = &p.default {
        help.push_str(&format!(" [default: {d}]"));
    }
    if !p.required_when.is_empty() {
        let when: Vec<String> = p.required_when.iter().map(|c| c.describe()).collect();
        help.push_str(&format!(" Required {}.", when.join("; or ")));
    }
    if let Some(note) = &p.deprecated {
        help.push_str(&format!(" Deprecated: {note}."));
    }
    if p.ty == ValueType::Zone {
        help.push_str(" Give the text, or @FILE to read it from a file.");
    }
    let mut arg = Arg::new(&*p.name)
        .long(&*p.name)
        .help(help)
        .required(p.required && p.default.is_none());
    // A required parameter with a default (`status=production` on domain-register) is sent
    // with it when not given: the spec's validation wants every required parameter.
    if p.required
        && let Some(d) = &p.default
    {
        arg = arg.default_value(d.to_string()).hide_default_value(true);
    }
    if p.secret {
        arg = arg.hide_default_value(true);
    }
    match &p.ty {
        ValueType::Flag(spelling) => {
            arg = arg
                .num_args(0..=1)
                .default_missing_value(spelling.encode(true))
                .value_name("FLAG")
                .value_parser(checked(p));
        }
        ValueType::Enum { values, .. } => {
            arg = arg.value_parser(PossibleValuesParser::new(values.iter().map(|v| &**v)));
        }
        ValueType::Zone => {
            arg = arg.value_name("ZONE|@FILE");
        }
        _ => {
            arg = arg.value_name(value_name(&p.ty)).value_parser(checked(p));
        }
    }
    if let Some(max) = p.indexed {
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        arg = arg.action(ArgAction::Append).help(format!(
            "{help} Repeat for up to {max} values (sent as {}-1 .. {}-{max}).",
            p.name, p.name
        ));
    }
    arg
}

fn value_name(ty: &ValueType) -> &'static str {
    match ty {
        ValueType::Domain => "DOMAIN",
        ValueType::Handle => "HANDLE",
        ValueType::Email => "EMAIL",
        ValueType::Months => "MONTHS",
        ValueType::Year => "YEAR",
        ValueType::Price => "PRICE",
        ValueType::Date => "YYYY-MM-DD",
        ValueType::Ipv4 => "IPV4",
        ValueType::Ipv6 => "IPV6",
        ValueType::Int { .. } => "N",
        ValueType::Secret => "SECRET",
        ValueType::List { .. } => "LIST",
        _ => "TEXT",
    }
}

/// A value parser that checks the value against the parameter's type, so clap reports a bad
/// value as a usage error naming the flag.
fn checked(p: &'static ParamMeta) -> ValueParser {
    ValueParser::new(
        clap::builder::StringValueParser::new().try_map(move |s: String| value_to_send(p, s)),
    )
}

/// A value given for `p` (a flag's value, a batch file's cell) as it is sent, or why it cannot
/// be: checked against the parameter's type, a Unicode domain name in its punycode form.
pub(crate) fn value_to_send(p: &ParamMeta, s: String) -> Result<String, String> {
    match (s.is_empty(), p.allow_empty) {
        (true, true) => Ok(s),
        (true, false) => Err("the value is empty".to_owned()),
        _ if p.ty == ValueType::Domain => dmapi::DomainName::from_unicode(&s)
            .map(String::from)
            .map_err(|e| e.to_string()),
        _ => p.ty.check(&s).map(|()| s).map_err(|e| e.to_string()),
    }
}

/// A spec group as clap relations: single-parameter alternatives become an exclusive group;
/// alternatives of several parameters (`username` with `password`) require each other and
/// conflict with the other alternatives. What clap cannot say is left to the spec's
/// validation, which runs before anything is sent.
fn with_group(mut cmd: Command, meta: &RequestMeta, g: &'static dmapi::meta::GroupMeta) -> Command {
    let members: Vec<&'static str> = {
        let mut m: Vec<&'static str> = g
            .alternatives
            .iter()
            .flat_map(|a| a.iter().map(|m| &**m))
            .collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let overlapping = g.alternatives.iter().map(|a| a.len()).sum::<usize>() != members.len();
    let singles = g.alternatives.iter().all(|a| a.len() == 1);
    let group = ArgGroup::new(&*g.name)
        .args(members.iter().copied())
        .required(g.kind == GroupKind::ExactlyOne)
        .multiple(overlapping || !singles);
    cmd = cmd.group(group);
    if overlapping || singles {
        return cmd;
    }
    for alt in g.alternatives.iter() {
        let others: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| !alt.iter().any(|a| a == m))
            .collect();
        for name in alt.iter().map(|m| &**m) {
            let partners: Vec<&str> = alt.iter().map(|m| &**m).filter(|m| *m != name).collect();
            let others = others.clone();
            if meta.param(name).is_some() {
                cmd = cmd.mut_arg(name, |a| {
                    partners
                        .iter()
                        .fold(a.conflicts_with_all(others), |a, p| a.requires(*p))
                });
            }
        }
    }
    cmd
}

/// The wire parameters given on the command line, in spec order.
pub(crate) fn wire_params(
    meta: &RequestMeta,
    m: &ArgMatches,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for p in meta.params.iter() {
        let Some(values) = m.get_many::<String>(&p.name) else {
            continue;
        };
        let values: Vec<&String> = values.collect();
        match p.indexed {
            Some(_) => {
                for (i, v) in values.iter().enumerate() {
                    out.push((format!("{}-{}", p.name, i + 1), (*v).clone()));
                }
            }
            None => {
                for v in values {
                    let v = if p.ty == ValueType::Zone {
                        read_at_file(v)?
                    } else {
                        v.clone()
                    };
                    out.push((p.name.to_string(), v));
                }
            }
        }
    }
    Ok(out)
}

/// `@path` reads a file; anything else is the value itself.
fn read_at_file(v: &str) -> Result<String, String> {
    match v.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}")),
        None => Ok(v.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent_and_no_spec_parameter_shadows_an_own_option() {
        command().debug_assert();
        for meta in metadata::REQUESTS {
            for p in meta.params.iter() {
                assert!(
                    !OWN_OPTIONS.contains(&&*p.name),
                    "{}: parameter `{}` clashes with a dmapi option",
                    meta.name,
                    p.name
                );
            }
            assert!(
                !OWN_SUBCOMMANDS.contains(&&*meta.name)
                    && !crate::workflows::ALL.contains(&&*meta.name),
                "request `{}` clashes with a dmapi subcommand",
                meta.name
            );
        }
        for own in OWN_SUBCOMMANDS.iter().chain(crate::workflows::ALL) {
            assert!(metadata::find(own).is_none(), "`{own}` is a request");
        }
        // The zone commands' own options do not clash with the global ones.
        let cmd = command();
        let zone = cmd.find_subcommand(ZONE).expect("the zone command");
        for sub in [ZONE_EXPORT, ZONE_DIFF, ZONE_APPLY] {
            let sub = zone.find_subcommand(sub).expect("a zone command");
            for arg in sub.get_arguments() {
                let long = arg.get_long().unwrap_or_default();
                assert!(
                    long.is_empty() || !cmd.get_arguments().any(|g| g.get_long() == Some(long)),
                    "zone option --{long} clashes with a global option"
                );
            }
        }
    }
}
