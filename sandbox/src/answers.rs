//! Answers whose shape the spec declares, built as the generated output types (with their
//! `new` and public fields) and written by the request's own generated writer
//! ([`WriteOutput`]): key names, header names and enum spellings come from the spec, and what
//! the sandbox sends is what the client's parser reads.

use std::fmt;

use dmapi::output::WriteOutput;
use dmapi::reply::Reply;
use dmapi::serve::ServeError;
use dmapi::{
    AnyRequest, CorVerify, CorVerifyOutput, CorVerifyResult, DomainCheck, DomainCheckCheckPrice,
    DomainCheckDomainStatus, DomainCheckOutput, Service, WaEmailValidate, WaEmailValidateOutput,
    WaEmailValidateResult, WaEmailVerify, WaEmailVerifyOutput, WaEmailVerifyResult,
};

use crate::handlers::Done;

/// A typed answer waiting for the reply the server starts it with (status, tracking id,
/// version): the request's generated writer, with the value to write.
pub(crate) struct Typed(Box<dyn FnOnce(Reply) -> Result<String, ServeError> + Send>);

impl Typed {
    /// Writes the answer after the headers of `reply`.
    pub(crate) fn write(self, reply: Reply) -> Result<String, ServeError> {
        (self.0)(reply)
    }
}

impl fmt::Debug for Typed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Typed(..)")
    }
}

/// The successful answer `output` to `request`, written by the request's generated writer.
pub(crate) fn typed<Rq>(request: &Rq, output: Rq::Output) -> Done
where
    Rq: WriteOutput + Clone + Send + 'static,
    Rq::Output: Send + 'static,
{
    let request = request.clone();
    Done {
        typed: Some(Typed(Box::new(move |reply| {
            Ok(request.write_output(&output, reply)?)
        }))),
        ..Done::default()
    }
}

/// A server with no rules of its own: the generated [`Service`]'s defaults.
struct Defaults;

impl Service for Defaults {}

/// The answer to a request the sandbox has no rules for (one added to the spec later, or one
/// that needs no session): the shape the spec declares, with example values, from the
/// generated [`Service`]'s default.
pub(crate) fn by_default(request: &AnyRequest) -> Done {
    let request = request.clone();
    Done {
        typed: Some(Typed(Box::new(move |reply| {
            request.serve(&mut Defaults, reply)
        }))),
        ..Done::default()
    }
}

/// What `domain-check` found about a domain.
pub(crate) struct CheckFound {
    /// Whether it can be registered.
    pub(crate) status: DomainCheckDomainStatus,
    /// Why it cannot, when it cannot.
    pub(crate) reason: Option<&'static str>,
    /// Its price class.
    pub(crate) class: &'static str,
    /// Its price for each kind of order: `<price> <currency> <years>y`.
    pub(crate) prices: Vec<(DomainCheckCheckPrice, String)>,
}

/// The answer to `domain-check`.
pub(crate) fn domain_check(request: &DomainCheck, found: CheckFound) -> Done {
    let mut out = DomainCheckOutput::new(found.status);
    out.domain_status_reason = found.reason.map(str::to_owned);
    out.domain_class = Some(found.class.to_owned());
    out.prices = found
        .prices
        .into_iter()
        .map(|(order, price)| (order.as_str().to_owned(), price))
        .collect();
    typed(request, out)
}

/// The answer to `wa-email-validate`: whether the mail was sent again.
pub(crate) fn wa_email_validate(request: &WaEmailValidate, sent: bool) -> Done {
    let result = match sent {
        true => WaEmailValidateResult::Ack,
        false => WaEmailValidateResult::Nack,
    };
    typed(request, WaEmailValidateOutput::new(result))
}

/// The answer to `wa-email-verify`: whether the answer was taken.
pub(crate) fn wa_email_verify(request: &WaEmailVerify, taken: bool) -> Done {
    let result = match taken {
        true => WaEmailVerifyResult::Ack,
        false => WaEmailVerifyResult::Nack,
    };
    typed(request, WaEmailVerifyOutput::new(result))
}

/// The answer to `cor-verify`: whether the answer was taken.
pub(crate) fn cor_verify(request: &CorVerify, taken: bool) -> Done {
    let result = match taken {
        true => CorVerifyResult::Ack,
        false => CorVerifyResult::Nack,
    };
    typed(request, CorVerifyOutput::new(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dmapi::metadata::PROTOCOL;
    use dmapi::{Answer, Envelope, Request};

    use crate::words as w;

    fn written(done: Done) -> String {
        let typed = done.typed.expect("a typed answer");
        typed
            .write(Reply::new(&PROTOCOL, 0, "OK"))
            .expect("the writer takes it")
    }

    #[test]
    fn a_domain_check_answer_reads_back_with_its_price_lines_after_the_typed_keys() {
        let request = DomainCheck::new("premium-name.com".parse().unwrap());
        let prices = [
            (DomainCheckCheckPrice::Create, "100.00 EUR 1y".to_owned()),
            (DomainCheckCheckPrice::Renew, "9.00 EUR 1y".to_owned()),
        ];
        let found = CheckFound {
            status: DomainCheckDomainStatus::Unavailable,
            reason: Some("blocked"),
            class: w::CLASS_PREMIUM,
            prices: prices.to_vec(),
        };
        let text = written(domain_check(&request, found));
        let env = Envelope::parse(&text, &PROTOCOL).unwrap();
        let out = request.parse_output(&env).unwrap();
        assert_eq!(out.domain_status, DomainCheckDomainStatus::Unavailable);
        assert_eq!(out.domain_status_reason.as_deref(), Some("blocked"));
        assert_eq!(out.domain_class.as_deref(), Some(w::CLASS_PREMIUM));
        assert_eq!(out.domain_price_promo, None);
        let orders: Vec<(&str, &str)> = out
            .prices
            .iter()
            .map(|(o, p)| (o.as_str(), p.as_str()))
            .collect();
        assert_eq!(
            orders,
            [("create", "100.00 EUR 1y"), ("renew", "9.00 EUR 1y")]
        );
        // The typed keys come first, in the spec's order; the price lines follow.
        assert_eq!(out.all.len(), 5, "{text}");
    }

    #[test]
    fn an_available_domain_has_no_reason() {
        let request = DomainCheck::new("free.com".parse().unwrap());
        let found = CheckFound {
            status: DomainCheckDomainStatus::Available,
            reason: None,
            class: w::CLASS_STANDARD,
            prices: Vec::new(),
        };
        let text = written(domain_check(&request, found));
        let out = request
            .parse_output(&Envelope::parse(&text, &PROTOCOL).unwrap())
            .unwrap();
        assert_eq!(out.domain_status, DomainCheckDomainStatus::Available);
        assert_eq!(out.domain_status_reason, None);
        assert_eq!(out.all.len(), 2, "{text}");
    }

    #[test]
    fn verification_answers_carry_ack_or_nack() {
        let validate = WaEmailValidate::new("owner@example.net".parse().unwrap());
        let verify = WaEmailVerify::new("k3y".into(), Answer::Yes);
        let cor = CorVerify::new("k3y".into(), Answer::No);
        for ok in [true, false] {
            let env = |d: Done| Envelope::parse(&written(d), &PROTOCOL).unwrap();
            let a = validate
                .parse_output(&env(wa_email_validate(&validate, ok)))
                .unwrap();
            let b = verify
                .parse_output(&env(wa_email_verify(&verify, ok)))
                .unwrap();
            let c = cor.parse_output(&env(cor_verify(&cor, ok))).unwrap();
            let acks = [
                a.result == WaEmailValidateResult::Ack,
                b.result == WaEmailVerifyResult::Ack,
                c.result == CorVerifyResult::Ack,
            ];
            assert_eq!(acks, [ok; 3]);
            let nacks = [
                a.result == WaEmailValidateResult::Nack,
                b.result == WaEmailVerifyResult::Nack,
                c.result == CorVerifyResult::Nack,
            ];
            assert_eq!(nacks, [!ok; 3]);
        }
    }
}
