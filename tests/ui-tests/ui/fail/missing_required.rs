use dmapi::{DomainName, DomainRenew};

fn main() {
    let domain: DomainName = "example.com".parse().unwrap();
    // The renewal term (period or expyear) is required.
    let _ = DomainRenew::new(domain);
}
