use dmapi::{DomainName, DomainRenew, Months, Term, Year};

fn main() {
    let domain: DomainName = "example.com".parse().unwrap();
    // period and expyear exclude each other: there is no setter for the other side.
    let _ = DomainRenew::new(domain, Term::Period(Months::new(12).unwrap()))
        .expyear(Year::new(2030).unwrap());
}
