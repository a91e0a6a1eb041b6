//! The C# / .NET demonstration of the docs, as a console program: after login the DMAPI
//! version, the account balance and the available TLDs; the domain list with status; a whois
//! lookup; the e-mail verification functions (list, details, verify, resend); the result list.
//!
//! `csharp-demo [--key KEY]`: the verification key comes from the verification e-mail; against
//! the sandbox it is taken from the sandbox (what the e-mail would carry).

use dmapi::{
    Answer, Client, Credentials, Login, LoginWith, Requests, Results, Secret, WhoisObject,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = dmapi_examples::connect().await?;
    let client = &conn.client;
    let key_arg = std::env::args().skip_while(|a| a != "--key").nth(1);

    println!("== Status");
    let profile = client.query_profile().await?;
    println!(
        "DMAPI-Version:   {}",
        profile
            .envelope
            .header(&dmapi::metadata::PROTOCOL.headers.version)
            .unwrap_or("?")
    );
    println!(
        "Account-Balance: {}",
        profile.output.balance.as_deref().unwrap_or("?")
    );
    println!("Available TLDs:  {}", tlds(client, &conn).await?.join(" "));

    println!("\n== Domain-List");
    let domains = client
        .query_domain_list()
        .with(|r| r.showstatus(true))
        .await?
        .output;
    for d in &domains {
        let flags: Vec<&str> = d
            .domain_status
            .iter()
            .flatten()
            .map(|f| f.as_str())
            .collect();
        println!(
            "{:<24} {}  {}",
            d.domain.as_str(),
            d.expiration_date,
            flags.join(",")
        );
    }

    if let Some(first) = domains.first() {
        println!("\n== Whois {}", first.domain);
        let whois = client
            .query_whois(WhoisObject::Domain(first.domain.clone()))
            .await?
            .output;
        for (k, v) in whois.all.iter() {
            println!("{k}: {v}");
        }
    }

    println!("\n== Verification Email List");
    let pending = client.wa_email_list().await?.output;
    for p in &pending {
        println!("{}  {}  until {}", p.email, p.domain, p.expiration);
    }
    if let Some(p) = pending.first() {
        let key = key_arg.or_else(|| {
            conn.sandbox
                .as_ref()
                .and_then(|s| s.verification_key(p.email.as_str()))
        });
        let resent = client.wa_email_validate(p.email.clone()).await?.output;
        println!("Resend to {}: {}", p.email, resent.result.as_str());
        match key {
            Some(key) => {
                let details = client
                    .wa_email_details(Secret::new(key.as_str()))
                    .await?
                    .output;
                for d in &details {
                    println!("Details: {} {} {}", d.status, d.email, d.domain);
                }
                let verified = client
                    .wa_email_verify(Secret::new(key), Answer::Yes)
                    .await?
                    .output;
                println!("Verify: {}", verified.result.as_str());
            }
            None => println!("(give --key KEY from the verification e-mail to verify)"),
        }
    }

    println!("\n== Result List");
    if let Results::Rows(rows) = client.result_list().await?.output {
        for r in &rows {
            println!(
                "{} {} {} {} {}",
                r.timestamp,
                r.proc_id,
                r.request_type,
                r.object,
                r.status.word(&dmapi::metadata::PROTOCOL.completion)
            );
        }
        if rows.is_empty() {
            println!("(no queued requests today)");
        }
    }
    client.logout().await?;
    Ok(())
}

/// The TLDs the login answer lists (a login of its own: the client's session stays as it is).
async fn tlds(
    client: &Client,
    conn: &dmapi_examples::Connection,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let with = match &conn.credentials {
        Credentials::ApiKey(key) => LoginWith::ApiKey(key.clone()),
        Credentials::Password { username, password } => LoginWith::UsernamePassword {
            username: username.clone(),
            password: password.clone(),
        },
        _ => return Ok(Vec::new()),
    };
    Ok(client.send(Login::new(with)).await?.output.tlds)
}
