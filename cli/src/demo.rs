//! `dmapi demo`: a realistic session against an embedded sandbox, step by step, with the typed
//! client: what a registrar integration does on its first day.

use std::time::{Duration, Instant};

use dmapi::{ContactName, DomainName, Months, PollPolicy, Requests, Results, Term, Year, Zone};
use dmapi_sandbox::Sandbox;

use crate::Failure;
use crate::finish;
use crate::render::aligned;

fn step(n: u32, what: &str) {
    println!("\n[{n:>2}] {what}");
}

fn outcome(text: impl AsRef<str>) {
    for line in text.as_ref().lines() {
        println!("     {line}");
    }
}

fn usage(e: dmapi::ValueError) -> Failure {
    Failure::Usage(e.to_string())
}

fn parsed<T: std::str::FromStr>(s: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    s.parse()
        .map_err(|e| Failure::Usage(format!("demo value `{s}`: {e}")))
}

/// Runs the demo; every step prints what it did and what came back.
pub(crate) async fn run() -> Result<(), Failure> {
    let started = Instant::now();
    let sandbox = Sandbox::builder()
        .async_delay(Duration::from_millis(300))
        .start()
        .await
        .map_err(|e| Failure::Transport(format!("cannot start the sandbox: {e}")))?;
    let creds = sandbox.credentials();
    println!("DMAPI demo against a local sandbox at {}", sandbox.url());
    println!("(no Joker.com account and no network needed; queued requests take 300 ms here)");
    let client = sandbox
        .client_builder()
        .poll_policy(PollPolicy {
            first_delay: Duration::from_millis(300),
            interval: Duration::from_millis(100),
            max_wait: Duration::from_secs(30),
        })
        .build()?;

    step(1, "login");
    let info = client.login().await?;
    outcome(format!(
        "logged in as {} with access {}; the session expires after {} s idle",
        creds.username,
        info.user_access.as_deref().unwrap_or("?"),
        info.timeout.map_or(0, |t| t.as_secs())
    ));
    let profile = client.query_profile().await?.output;
    let balance = profile.balance.as_deref();
    outcome(format!("account balance: {}", balance.unwrap_or("?")));

    step(
        2,
        "contact-create: the owner of the new domain (queued, then result-retrieve)",
    );
    let submitted = client
        .contact_create(
            "com",
            parsed("hostmaster@my-first-shop.com")?,
            "Market Street 7",
            "Hamburg",
            "20095",
            parsed("DE")?,
            "+49.4012345678",
            ContactName::Name("Erika Mustermann".into()),
        )
        .with(|r| r.organization("My First Shop GmbH"))
        .await?
        .output;
    outcome(format!("queued as proc id {}", submitted.proc_id));
    let owner = finish(&client, &submitted)
        .await?
        .handle
        .ok_or_else(|| Failure::Transport("the result carries no handle".into()))?;
    outcome(format!("created contact {owner}"));

    let name: DomainName = parsed("my-first-shop.com")?;
    step(3, &format!("domain-check {name}"));
    let check = client.domain_check(name.clone()).await?.output;
    outcome(format!(
        "{}; {}",
        check.domain_status.as_str(),
        check
            .prices
            .first()
            .map_or("no price", |(_, price)| price.as_str())
    ));

    step(4, &format!("domain-register {name} for 12 months"));
    let submitted = client
        .domain_register(
            name.clone(),
            Months::years(1).map_err(usage)?,
            owner.clone(),
            owner.clone(),
            owner.clone(),
            owner.clone(),
            [parsed("a.ns.joker.com")?, parsed("b.ns.joker.com")?],
        )
        .with(|r| r.autorenew(true))
        .await?
        .output;
    outcome(format!("queued as proc id {}", submitted.proc_id));
    let done = finish(&client, &submitted).await?;
    outcome(format!(
        "registered; expires {}; charged {}",
        done.expiration_date.as_deref().unwrap_or("?"),
        done.amount.as_deref().unwrap_or("?")
    ));

    step(
        5,
        "ns-create ns1.my-first-shop.com, then domain-modify to use it",
    );
    let host: DomainName = parsed("ns1.my-first-shop.com")?;
    let s = client
        .ns_create(
            host.clone(),
            dmapi::HostAddresses::Ip(parsed("192.0.2.10")?),
        )
        .await?
        .output;
    finish(&client, &s).await?;
    let s = client
        .domain_modify(name.clone())
        .with(|r| {
            r.ns_list([
                host.clone(),
                parsed("a.ns.joker.com").unwrap_or(host.clone()),
            ])
        })
        .await?
        .output;
    finish(&client, &s).await?;
    let whois = client
        .query_whois(dmapi::WhoisObject::Domain(name.clone()))
        .await?
        .output;
    let servers: Vec<&str> = whois.nameservers.iter().map(|n| n.as_str()).collect();
    outcome(format!("name servers now: {}", servers.join(", ")));

    step(6, "dns-zone-put, then dns-zone-get");
    let zone = Zone::parse(
        "$dnssec=no\n@ A 0 192.0.2.10 3600\nwww CNAME 0 my-first-shop.com 3600\n@ MX 10 mail.my-first-shop.com 3600\n",
    );
    let mut zone = zone;
    zone.upsert_txt("@", "v=spf1 mx -all", 3600)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let s = client.dns_zone_put(name.clone(), zone).await?.output;
    finish(&client, &s).await?;
    let back = client.dns_zone_get(name.clone()).await?.output;
    outcome(
        back.to_text()
            .map_err(|e| Failure::Transport(e.to_string()))?,
    );

    step(7, "query-domain-list: the domains that expire soonest");
    let mut domains = client
        .query_domain_list()
        .with(|r| r.showstatus(true))
        .await?
        .output;
    domains.sort_by_key(|d| d.expiration_date);
    let rows: Vec<Vec<String>> = domains
        .iter()
        .take(3)
        .map(|d| {
            vec![
                d.domain.to_string(),
                d.expiration_date.to_string(),
                d.domain_status
                    .iter()
                    .flatten()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ]
        })
        .collect();
    outcome(aligned(
        Some(&["domain".into(), "expires".into(), "status".into()]),
        &rows,
    ));
    let soonest = domains
        .first()
        .ok_or_else(|| Failure::Transport("the account lists no domains".into()))?;

    let target = Year::new(soonest.expiration_date.year() + 1).map_err(usage)?;
    step(
        8,
        &format!(
            "domain-renew {} up to {target} (expyear), twice",
            soonest.domain
        ),
    );
    for attempt in ["first", "second"] {
        let s = client
            .domain_renew(soonest.domain.clone(), Term::Expyear(target))
            .await?
            .output;
        let done = finish(&client, &s).await?;
        outcome(format!(
            "{attempt}: expires {}; charged {}{}",
            done.expiration_date.as_deref().unwrap_or("?"),
            done.amount.as_deref().unwrap_or("?"),
            done.message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ));
    }

    step(9, "result-list: what the queue did");
    if let Results::Rows(rows) = client.result_list().await?.output {
        let protocol = &dmapi::metadata::PROTOCOL;
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.proc_id.clone(),
                    r.request_type.clone(),
                    r.object.clone(),
                    r.status.word(&protocol.completion).to_owned(),
                ]
            })
            .collect();
        let (cols, at) = (&protocol.result_row.columns, protocol.result_row.at);
        let head = [at.proc_id, at.request_type, at.object, at.status].map(|i| cols[i].to_string());
        outcome(aligned(Some(&head), &rows));
    }

    step(10, "logout");
    client.logout().await?;
    outcome(format!(
        "session closed; balance now {} EUR",
        client_balance(&sandbox)
    ));
    println!("\ndemo finished in {} ms", started.elapsed().as_millis());
    Ok(())
}

fn client_balance(sandbox: &Sandbox) -> String {
    let c = sandbox.balance_cents();
    format!("{}.{:02}", c / 100, c % 100)
}
