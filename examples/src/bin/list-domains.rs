//! "List domains of a customer" (Perl and PHP in the docs): log in, list the domains matching
//! a pattern, print them sorted.
//!
//! `list-domains [PATTERN]` (default `*`).

use dmapi::Requests;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pattern = std::env::args().nth(1).unwrap_or_else(|| "*".to_owned());
    let conn = dmapi_examples::connect().await?;
    let mut domains = conn
        .client
        .query_domain_list()
        .with(|r| r.pattern(pattern.parse().expect("a glob pattern")))
        .await?
        .output;
    domains.sort_by(|a, b| a.domain.cmp(&b.domain));
    for d in &domains {
        println!("{}", d.domain);
    }
    conn.client.logout().await?;
    Ok(())
}
