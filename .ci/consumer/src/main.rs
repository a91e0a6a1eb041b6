//! Renews a domain and waits for the outcome, then sends a request declared in this crate's
//! own TOML (`dmapi-spec/`) over the same session.
//!
//! `DMAPI_ENDPOINT=http://127.0.0.1:8480 DMAPI_API_KEY=... cargo run` against a sandbox.

#[allow(dead_code)] // the generated metadata is for tools; this program does not read it
mod my_requests {
    include!(concat!(env!("OUT_DIR"), "/my_requests.rs"));
}

use dmapi::{Client, DomainName, Requests, Term, Year};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .endpoint(std::env::var("DMAPI_ENDPOINT")?)
        .allow_http(true) // a sandbox on loopback
        .api_key(std::env::var("DMAPI_API_KEY")?)
        .build()?;

    let domain: DomainName = "example.com".parse()?;
    let submitted = client
        .domain_renew(domain.clone(), Term::Expyear(Year::new(2031)?))
        .await?
        .output;
    let done = client.wait(&submitted).await?;
    if !done.is_ack() {
        return Err(format!("renewal failed: {}", done.error_text()).into());
    }
    let expires = done.result.and_then(|r| r.expiration_date);
    println!(
        "renewed {domain} ({}), expires {}",
        submitted.proc_id,
        expires.as_deref().unwrap_or("?")
    );

    let whois = client
        .send(my_requests::QueryWhois::new(domain))
        .await?
        .output;
    println!(
        "whois: {} expires {}, {} name servers",
        whois.domain,
        whois.domain_expires,
        whois.nameservers.len()
    );
    if !whois.domain_expires.starts_with("2031") {
        return Err("the renewal does not show in whois".into());
    }
    let logins = client.login_count().await;
    if logins != 1 {
        return Err(format!("{logins} logins, expected one session").into());
    }
    client.logout().await?;
    Ok(())
}
