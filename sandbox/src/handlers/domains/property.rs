//! domain-set-property and domain-get-property.

use dmapi::StatusCode as S;
use dmapi::serve::Refusal;
use dmapi::{DomainGetPropertyOutput, DomainProperty, Privacy};

use crate::state::State;

use crate::handlers::{account, domain_mut, fail, glob};

pub(in crate::handlers) fn set_property(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainSetProperty,
) -> Result<(), Refusal> {
    use dmapi::DomainGetPropertyPrivacyPrivacy as Level;
    let value = r.pvalue.trim();
    let flag = |v: &str| match v {
        "" | "0" => Ok(false),
        "1" => Ok(true),
        other => Err(fail(
            S::ParameterValueSyntaxError,
            format!("`{}` takes 0 or 1, not `{other}`", r.pname.as_str()),
        )),
    };
    let a = account(st, acct)?;
    let names: Vec<String> = a
        .domains
        .keys()
        .filter(|d| glob(r.domain.as_str(), d))
        .cloned()
        .collect();
    if names.is_empty() {
        return Err(fail(
            S::ObjectDoesNotExist,
            format!("no domain in this account matches `{}`", r.domain),
        ));
    }
    for name in &names {
        let Some(d) = a.domains.get_mut(name) else {
            continue;
        };
        match r.pname {
            DomainProperty::Autorenew => d.autorenew = flag(value)?,
            DomainProperty::WhoisOptOut => d.whois_opt_out = flag(value)?,
            DomainProperty::GdprOptIn => d.gdpr_opt_in = flag(value)?,
            DomainProperty::Privacy => {
                if value.is_empty() || value == Level::Off.as_str() {
                    d.privacy = None;
                } else if value == Privacy::Basic.as_str() || value == Privacy::Pro.as_str() {
                    if d.privacy_origin.is_none() {
                        return Err(fail(
                            S::StatusProhibitsOperation,
                            format!(
                                "`{name}` has no privacy subscription (see domain-privacy-order)"
                            ),
                        ));
                    }
                    d.privacy = Some(value.to_owned());
                } else {
                    return Err(fail(
                        S::ParameterValueSyntaxError,
                        format!(
                            "privacy takes {}, {} or {}, not `{value}`",
                            Level::Off,
                            Privacy::Basic,
                            Privacy::Pro
                        ),
                    ));
                }
            }
            _ => {
                return Err(fail(
                    S::ParameterValuePolicyError,
                    format!("`{}` cannot be set", r.pname),
                ));
            }
        }
    }
    Ok(())
}

pub(in crate::handlers) fn get_property(
    st: &mut State,
    acct: usize,
    r: &dmapi::DomainGetProperty,
) -> Result<DomainGetPropertyOutput, Refusal> {
    use dmapi::{DomainGetPropertyOutput as Out, DomainGetPropertyPrivacyPrivacy as Level};
    let d = domain_mut(st, acct, r.domain.as_str())?;
    let level = |p: Option<&str>| match p {
        Some(p) if p == Privacy::Pro.as_str() => Level::Pro,
        Some(_) => Level::Basic,
        None => Level::Off,
    };
    Ok(match r.pname {
        DomainProperty::Autorenew => {
            let mut out = dmapi::DomainGetPropertyAutorenewOutput::new();
            out.autorenew = Some(d.autorenew);
            Out::Autorenew(out)
        }
        DomainProperty::WhoisOptOut => {
            let mut out = dmapi::DomainGetPropertyWhoisOptOutOutput::new();
            out.whois_opt_out = Some(d.whois_opt_out);
            Out::WhoisOptOut(out)
        }
        DomainProperty::GdprOptIn => {
            let mut out = dmapi::DomainGetPropertyGdprOptInOutput::new();
            out.gdpr_opt_in = Some(d.gdpr_opt_in);
            Out::GdprOptIn(out)
        }
        _ => {
            let mut out = dmapi::DomainGetPropertyPrivacyOutput::new();
            out.privacy = Some(level(d.privacy.as_deref()));
            Out::Privacy(out)
        }
    })
}
