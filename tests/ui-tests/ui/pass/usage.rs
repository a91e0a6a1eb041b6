#![deny(warnings)]

use dmapi::{
    ContactName, LoginWith, DomainCheck, DomainName, DomainOwnerChange, DomainPrivacyOrder,
    DomainRegister, DomainRenew, Handle, Login, Months, Price, Privacy, PrivacyLevel,
    QueryDomainList, RenewPrivacy, Request, Secret, Term, Year,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let domain: DomainName = "example.com".parse()?;
    let owner: Handle = "COCO-4711".parse()?;

    let login = Login::new(LoginWith::ApiKey(Secret::new("key")));
    let _: &'static str = Login::NAME;

    let register = DomainRegister::new(
        domain.clone(),
        Months::years(1)?,
        owner.clone(),
        owner.clone(),
        owner.clone(),
        owner,
        ["a.ns.joker.com".parse::<DomainName>()?, "b.ns.joker.com".parse()?],
    )
    .privacy(Privacy::Pro)
    .autorenew(true)
    .max_price(Price::new("12.50")?);

    let renew = DomainRenew::new(domain.clone(), Term::Expyear(Year::new(2030)?))
        .privacy(RenewPrivacy::Keep);
    let order = DomainPrivacyOrder::new(domain.clone(), PrivacyLevel::Basic).term(Term::Period(Months::new(12)?));
    let list = QueryDomainList::new().pattern("a*".parse()?).showstatus(true);
    let check = DomainCheck::new(domain.clone());
    let owner_change = DomainOwnerChange::new(
        domain,
        "john@example.com".parse()?,
        "Smartroad 1",
        "Smalltown",
        "40122",
        "US".parse()?,
        "+1.422.8001",
        ContactName::Name("John Doe".into()),
    );

    for form in [
        login.to_form(),
        register.to_form(),
        renew.to_form(),
        order.to_form(),
        list.to_form(),
        check.to_form(),
        owner_change.to_form(),
    ] {
        assert!(!form.is_empty());
    }
    Ok(())
}
