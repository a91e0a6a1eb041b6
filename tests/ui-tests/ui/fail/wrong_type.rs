use dmapi::{DomainRenew, Months, Term};

fn main() {
    // A domain is a DomainName, not a string.
    let _ = DomainRenew::new("example.com", Term::Period(Months::new(12).unwrap()));
}
