//! Named profiles: endpoints and where their credentials come from, in a TOML file in the
//! platform's config directory (`dmapi/config.toml` there, or the file `DMAPI_CONFIG` names).
//!
//! ```toml
//! default = "live"
//!
//! [profiles.live]
//! api_key_command = ["pass", "show", "joker/api-key"]
//!
//! [profiles.test]
//! ote = true
//! username = "reseller@example.com"
//! password_env = "JOKER_OTE_PASSWORD"
//! ```
//!
//! A secret is never kept in the file: a profile names the environment variable that holds it
//! (`api_key_env`, `password_env`) or a command that prints it (`api_key_command`,
//! `password_command`: a program and its arguments, run without a shell, e.g. a password
//! manager). A file with `api_key` or `password` is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::json;

use crate::Failure;

/// The environment variables that choose the file and the profile.
pub(crate) const CONFIG_ENV: &str = "DMAPI_CONFIG";
pub(crate) const PROFILE_ENV: &str = "DMAPI_PROFILE";

/// The config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// The profile used when neither `--profile` nor `DMAPI_PROFILE` names one.
    default: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// One profile. Where to connect, and where each secret comes from.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    /// An endpoint URL (production when neither this nor `ote` is set).
    pub(crate) endpoint: Option<String>,
    /// The OT&E test platform.
    #[serde(default)]
    pub(crate) ote: bool,
    pub(crate) username: Option<String>,
    api_key_env: Option<String>,
    api_key_command: Option<Vec<String>>,
    password_env: Option<String>,
    password_command: Option<Vec<String>>,
}

/// Credentials a profile gives, read from where it says.
#[derive(Default)]
pub(crate) struct Secrets {
    pub(crate) api_key: Option<String>,
    pub(crate) password: Option<String>,
}

/// The config file's path: `DMAPI_CONFIG`, else `<config dir>/dmapi/config.toml`.
pub(crate) fn path() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_ENV) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => dirs::config_dir().map(|d| d.join("dmapi").join("config.toml")),
    }
}

fn load(path: &Path) -> Result<File, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(File::default()),
        Err(e) => {
            return Err(Failure::Usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let bad = |m: String| Failure::Usage(format!("{}: {m}", path.display()));
    let raw: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| bad(e.to_string()))?;
    // Said plainly, rather than as an unknown key: a secret does not belong in the file.
    if let Some(toml::Value::Table(profiles)) = raw.get("profiles") {
        for (name, p) in profiles {
            for (key, instead) in [
                ("api_key", "api_key_env or api_key_command"),
                ("password", "password_env or password_command"),
            ] {
                if p.get(key).is_some() {
                    return Err(bad(format!(
                        "profile `{name}` keeps `{key}` in the file; name where it comes from \
                         instead ({instead})"
                    )));
                }
            }
        }
    }
    File::deserialize(raw).map_err(|e| bad(e.to_string()))
}

/// The profile `--profile` or `DMAPI_PROFILE` names, else the file's default, if any.
pub(crate) fn chosen(named: Option<&str>) -> Result<Option<(String, Profile)>, Failure> {
    let Some(path) = path() else {
        return match named {
            Some(n) => Err(Failure::Usage(format!(
                "profile `{n}`: no config directory on this system; set {CONFIG_ENV}"
            ))),
            None => Ok(None),
        };
    };
    let file = load(&path)?;
    let Some(name) = named.map(str::to_owned).or(file.default.clone()) else {
        return Ok(None);
    };
    match file.profiles.get(&name) {
        Some(p) => Ok(Some((name, p.clone()))),
        None => Err(Failure::Usage(format!(
            "no profile `{name}` in {} (it has: {})",
            path.display(),
            file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
        ))),
    }
}

impl Profile {
    /// Reads the profile's secrets: each from its environment variable or its command.
    pub(crate) fn secrets(&self, name: &str) -> Result<Secrets, Failure> {
        Ok(Secrets {
            api_key: secret(name, "api key", &self.api_key_env, &self.api_key_command)?,
            password: secret(name, "password", &self.password_env, &self.password_command)?,
        })
    }

    /// Where the profile's credentials come from, without reading them.
    fn sources(&self) -> String {
        let mut out = Vec::new();
        if let Some(v) = &self.api_key_env {
            out.push(format!("api key from ${v}"));
        }
        if let Some(c) = self.api_key_command.as_ref().and_then(|c| c.first()) {
            out.push(format!("api key from `{c}`"));
        }
        if let Some(u) = &self.username {
            out.push(format!("user {u}"));
        }
        if let Some(v) = &self.password_env {
            out.push(format!("password from ${v}"));
        }
        if let Some(c) = self.password_command.as_ref().and_then(|c| c.first()) {
            out.push(format!("password from `{c}`"));
        }
        out.join(", ")
    }

    fn endpoint_text(&self) -> String {
        match (&self.endpoint, self.ote) {
            (Some(url), _) => url.clone(),
            (None, true) => "OT&E".to_owned(),
            (None, false) => "production".to_owned(),
        }
    }
}

fn secret(
    profile: &str,
    what: &str,
    env: &Option<String>,
    command: &Option<Vec<String>>,
) -> Result<Option<String>, Failure> {
    if let Some(var) = env {
        return std::env::var(var).map(Some).map_err(|_| {
            Failure::Usage(format!(
                "profile `{profile}`: the {what} comes from ${var}, which is not set"
            ))
        });
    }
    let Some((program, args)) = command.as_ref().and_then(|c| c.split_first()) else {
        return Ok(None);
    };
    // stdin and stderr stay the terminal's, so that a password manager can ask; only the
    // secret (stdout) is read, and it is never printed.
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            Failure::Usage(format!(
                "profile `{profile}`: cannot run `{program}` for the {what}: {e}"
            ))
        })?;
    if !out.status.success() {
        return Err(Failure::Usage(format!(
            "profile `{profile}`: `{program}` failed ({}) and gave no {what}",
            out.status
        )));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| {
        Failure::Usage(format!(
            "profile `{profile}`: `{program}` printed a {what} that is not UTF-8"
        ))
    })?;
    // Password managers end with a newline; the first line is the secret (`pass` convention).
    let first = text.lines().next().unwrap_or_default().to_owned();
    if first.is_empty() {
        return Err(Failure::Usage(format!(
            "profile `{profile}`: `{program}` printed no {what}"
        )));
    }
    Ok(Some(first))
}

/// `dmapi profile list`: every profile, where it connects and where its secrets come from,
/// never the secrets.
pub(crate) fn list(json: bool) -> Result<String, Failure> {
    let path = path().ok_or_else(|| {
        Failure::Usage(format!(
            "no config directory on this system; set {CONFIG_ENV}"
        ))
    })?;
    let file = load(&path)?;
    let is_default = |n: &str| file.default.as_deref() == Some(n);
    if json {
        let profiles: Vec<_> = file
            .profiles
            .iter()
            .map(|(n, p)| {
                json!({
                    "name": n,
                    "default": is_default(n),
                    "endpoint": p.endpoint_text(),
                    "credentials": p.sources(),
                })
            })
            .collect();
        return Ok(json!({ "file": path, "profiles": profiles }).to_string() + "\n");
    }
    let rows: Vec<Vec<String>> = file
        .profiles
        .iter()
        .map(|(n, p)| {
            let mark = if is_default(n) { " (default)" } else { "" };
            vec![format!("{n}{mark}"), p.endpoint_text(), p.sources()]
        })
        .collect();
    let mut out = format!("# {}\n", path.display());
    out.push_str(&crate::render::aligned(
        Some(&["profile".into(), "endpoint".into(), "credentials".into()]),
        &rows,
    ));
    Ok(out)
}
