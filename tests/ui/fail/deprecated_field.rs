#![deny(deprecated)]

use dmapi::ContactName;

fn main() {
    // fname/lname are deprecated in favour of name.
    let _ = ContactName::FnameLname { fname: "John".into(), lname: "Doe".into() };
}
