//! "Login and list your domains" (Python in the docs): log in, list the first five domains
//! with their column names, log out, printing the status code of each request.

use dmapi::output::Table;
use dmapi::{QueryDomainList, Request, Requests};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = dmapi_examples::connect().await?;
    let client = &conn.client;

    let login = client.login().await?;
    println!(
        "Login: Status-Code: 0 (access {})",
        login.user_access.as_deref().unwrap_or("?")
    );

    let list = client.query_domain_list().with(|r| r.from(1).to(5)).await?;
    println!(
        "Domain List: Status-Code: {}",
        list.envelope.status_code().unwrap_or_default()
    );
    // The rows are typed (`list.output`); the column names come from the `Columns` header.
    let columns: Vec<&str> = QueryDomainList::meta()
        .returns
        .columns
        .iter()
        .map(|c| &*c.name)
        .collect();
    let table = Table::parse(
        &list.envelope,
        &columns,
        QueryDomainList::meta().returns.separator,
    );
    for row in table.rows() {
        println!();
        for (name, value) in table.columns().iter().zip(row.cells()) {
            println!("  {name}: {value}");
        }
    }
    println!();
    client.logout().await?;
    println!("Logout: Status-Code: 0");
    Ok(())
}
