#![deny(deprecated)]

use dmapi::{DomainName, DomainTransferInReseller, Handle, Months, Secret};

fn main() {
    // `period` is documented as not in use: setting it is a deprecation warning.
    let domain: DomainName = "example.com".parse().unwrap();
    let owner: Handle = "COCO-4711".parse().unwrap();
    let _ = DomainTransferInReseller::new(domain, Secret::new("abc123xyz"), owner)
        .period(Months::new(12).unwrap());
}
