//! "Replace admin-c in multiple domains" (Perl in the docs): set the admin contact of many
//! domains, choosing the handle by TLD, and report each outcome.
//!
//! `replace-admin-c TLD=HANDLE... DOMAIN...`, e.g. `replace-admin-c com=CCOM-12345
//! de=CODE-12345 domain1.de domain4.com`. Unlike the Perl original, a domain whose TLD has no
//! handle is reported and skipped instead of sent with an empty admin-c, and each change is
//! awaited so that its real outcome is printed.
//!
//! Against the sandbox without arguments, it makes an admin contact for `.com` and `.net` and
//! applies them to every domain of the demo account.

use std::collections::BTreeMap;

use dmapi::{ContactName, DomainName, Handle, Requests};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = dmapi_examples::connect().await?;
    let client = &conn.client;
    let mut admins: BTreeMap<String, Handle> = BTreeMap::new();
    let mut domains: Vec<DomainName> = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.split_once('=') {
            Some((tld, handle)) => {
                admins.insert(
                    tld.trim_start_matches('.').to_ascii_lowercase(),
                    handle.parse()?,
                );
            }
            None => domains.push(arg.parse()?),
        }
    }
    if admins.is_empty() && domains.is_empty() && conn.sandbox.is_some() {
        for tld in ["com", "net"] {
            let s = client
                .contact_create(
                    tld,
                    "admin@example.org".parse()?,
                    "Admin Street 1",
                    "Berlin",
                    "10115",
                    "DE".parse()?,
                    "+49.301234567",
                    ContactName::Name("Alex Admin".into()),
                )
                .await?
                .output;
            let done = client.wait(&s).await?;
            let handle = done
                .result
                .and_then(|r| r.handle)
                .ok_or("no handle in the result")?;
            println!("created admin contact {handle} for .{tld}");
            admins.insert(tld.to_owned(), handle);
        }
        domains = client
            .query_domain_list()
            .await?
            .output
            .into_iter()
            .map(|d| d.domain)
            .collect();
    }
    let mut failed = 0;
    for domain in &domains {
        let tld = domain.as_str().rsplit('.').next().unwrap_or_default();
        let Some(admin) = admins.get(tld) else {
            println!("{domain}: skipped, no admin-c given for .{tld}");
            failed += 1;
            continue;
        };
        let submitted = client
            .domain_modify(domain.clone())
            .with(|r| r.admin_c(admin.clone()))
            .await?
            .output;
        let done = client.wait(&submitted).await?;
        if done.is_ack() {
            println!("{domain}: admin-c is now {admin}");
        } else {
            println!("{domain}: failed: {}", done.error_text());
            failed += 1;
        }
    }
    client.logout().await?;
    if failed > 0 {
        return Err(format!("{failed} of {} domains not changed", domains.len()).into());
    }
    Ok(())
}
