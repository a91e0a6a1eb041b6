//! Concurrency: 64 tasks on one client through a forced session expiry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dmapi::{Client, ContactName, Requests};
use dmapi_sandbox::Sandbox;

fn client_for(sandbox: &Sandbox) -> Client {
    sandbox.client_builder().build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_share_one_client_through_a_session_expiry() {
    const TASKS: usize = 64;
    const EACH: usize = 8;
    let sandbox = Arc::new(Sandbox::start().await.unwrap());
    let client = client_for(&sandbox);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut created = 0usize;
                for i in 0..EACH {
                    client.query_profile().await?;
                    client
                        .contact_create(
                            "com",
                            format!("task{t}-{i}@example.org").parse().unwrap(),
                            "Street 1",
                            "Town",
                            "12345",
                            "DE".parse().unwrap(),
                            "+49.301234567",
                            ContactName::Name(format!("Task {t} Contact {i}")),
                        )
                        .await?;
                    created += 1;
                }
                Ok::<usize, dmapi::Error>(created)
            })
        })
        .collect();
    // Half way through, every session expires.
    let expirer = {
        let sandbox = Arc::clone(&sandbox);
        tokio::spawn(async move {
            while sandbox.received("contact-create") < (TASKS * EACH / 2) as u64 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            sandbox.expire_sessions();
        })
    };
    let mut created = 0;
    for t in tasks {
        created += t.await.unwrap().expect("no request is lost");
    }
    expirer.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "bounded run");
    assert_eq!(created, TASKS * EACH);
    assert_eq!(client.login_count().await, 2, "one login, one re-login");
    assert_eq!(
        sandbox.effects("contact-create"),
        (TASKS * EACH) as u64,
        "the sandbox made exactly the contacts the client was told about"
    );
    let listed = client
        .query_contact_list()
        .with(|r| r.pattern("C*".parse().unwrap()))
        .await
        .unwrap()
        .output;
    assert_eq!(listed.len(), TASKS * EACH + 1, "and the demo contact");
}
