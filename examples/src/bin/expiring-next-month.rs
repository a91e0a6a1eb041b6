//! "List domains to expire next month" (Perl in the docs): every domain that expires within
//! two months from today, soonest first (ties by name), as `domain:date`.

use dmapi::{Date, Requests};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = dmapi_examples::connect().await?;
    let until = Date::today().plus_months(2)?;
    let mut soon: Vec<_> = conn
        .client
        .query_domain_list()
        .await?
        .output
        .into_iter()
        .filter(|d| d.expiration_date < until)
        .collect();
    soon.sort_by(|a, b| (a.expiration_date, &a.domain).cmp(&(b.expiration_date, &b.domain)));
    for d in &soon {
        println!("{}:{}", d.domain, d.expiration_date);
    }
    conn.client.logout().await?;
    Ok(())
}
