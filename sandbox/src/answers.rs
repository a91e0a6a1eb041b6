//! Answers whose shape the spec declares, built as the generated output types and written by
//! the request's own generated writer ([`WriteOutput`]): key names, header names and enum
//! spellings come from the spec, and what the sandbox sends is what the client's parser reads.
//!
//! Output types are `#[non_exhaustive]` and made only by their parser, so an answer starts
//! from [`blank`] (the minimal answer the request's metadata allows, read back by the parser)
//! and then sets every field.

use std::borrow::Cow;
use std::fmt;

use dmapi::meta::{BodyKind, FieldMeta, ValueType};
use dmapi::metadata::PROTOCOL;
use dmapi::output::WriteOutput;
use dmapi::reply::{Reply, push_key_value};
use dmapi::{
    CorVerify, CorVerifyResult, DomainCheck, DomainCheckCheckPrice, DomainCheckDomainStatus,
    Envelope, KeyValues, Request, StatusCode as S, WaEmailValidate, WaEmailValidateResult,
    WaEmailVerify, WaEmailVerifyResult, WriteError,
};

use crate::handlers::{Done, Fail, fail};
use crate::words as w;

/// A typed answer waiting for the reply the server starts it with (status, tracking id,
/// version): the request's generated writer, with the value to write.
pub(crate) struct Typed(Box<dyn FnOnce(Reply) -> Result<String, WriteError>>);

impl Typed {
    /// Writes the answer after the headers of `reply`.
    pub(crate) fn write(self, reply: Reply) -> Result<String, WriteError> {
        (self.0)(reply)
    }
}

impl fmt::Debug for Typed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Typed(..)")
    }
}

/// The successful answer `output` to `request`, written by the request's generated writer.
fn typed<Rq>(request: &Rq, output: Rq::Output) -> Done
where
    Rq: WriteOutput + Clone + 'static,
    Rq::Output: 'static,
{
    let request = request.clone();
    Done {
        typed: Some(Typed(Box::new(move |reply| {
            request.write_output(&output, reply)
        }))),
        ..Done::default()
    }
}

/// The text of a value of `field`'s type that says nothing: the first value of an enum, a
/// false flag, the smallest integer, a dash for text.
fn neutral(field: &FieldMeta) -> Result<Cow<'static, str>, String> {
    Ok(match &field.ty {
        ValueType::Enum { values, .. } => match values.first() {
            Some(v) => Cow::Owned(v.to_string()),
            None => return Err(format!("`{}` is an enum with no values", field.name)),
        },
        ValueType::Flag(spelling) => Cow::Borrowed(spelling.encode(false)),
        ValueType::Int { min, .. } => Cow::Owned(min.unwrap_or(0).to_string()),
        ValueType::String | ValueType::Text => Cow::Borrowed("-"),
        _ => return Err(format!("`{}` has a type with no neutral value", field.name)),
    })
}

/// The answer to `request` with every optional header and key absent and every required one
/// at a [`neutral`] value, written from the request's metadata and read by its parser: the
/// value a typed answer starts from.
pub(crate) fn blank<Rq: Request>(request: &Rq) -> Result<Rq::Output, Fail> {
    let returns = &Rq::meta().returns;
    let broken = |why: String| fail(S::CommandFailed, format!("{}: {why}", Rq::NAME));
    let mut reply = Reply::new(&PROTOCOL, 0, "");
    for h in returns.headers.iter().filter(|h| h.required) {
        reply.push_header(&h.name, &neutral(h).map_err(broken)?);
    }
    let mut payload = String::new();
    if returns.body == BodyKind::KeyValue {
        for k in returns.keys.iter().filter(|k| k.required) {
            push_key_value(&mut payload, &k.name, &neutral(k).map_err(broken)?);
        }
    }
    let env =
        Envelope::parse(&reply.finish(&payload), &PROTOCOL).map_err(|e| broken(e.to_string()))?;
    request
        .parse_output(&env)
        .map_err(|e| broken(e.to_string()))
}

/// The `domain-price-<type>: <price> <currency> <years>y` lines of a `domain-check` answer,
/// one per kind of order with its price text.
///
/// The spec describes these lines in prose only, so they are the answer's untyped lines.
pub(crate) fn price_lines(prices: &[(DomainCheckCheckPrice, String)]) -> KeyValues {
    let mut text = String::new();
    for (op, price) in prices {
        push_key_value(
            &mut text,
            &format!("{}{}", w::CHECK_PRICE_PREFIX, op.as_str()),
            price,
        );
    }
    KeyValues::parse(&text)
}

/// What `domain-check` found about a domain.
pub(crate) struct CheckFound {
    /// Whether it can be registered.
    pub(crate) status: DomainCheckDomainStatus,
    /// Why it cannot, when it cannot.
    pub(crate) reason: Option<&'static str>,
    /// Its price class.
    pub(crate) class: &'static str,
    /// Its prices, from [`price_lines`].
    pub(crate) prices: KeyValues,
}

/// The answer to `domain-check`.
pub(crate) fn domain_check(request: &DomainCheck, found: CheckFound) -> Result<Done, Fail> {
    let mut out = blank(request)?;
    out.domain_status = found.status;
    out.domain_status_reason = found.reason.map(str::to_owned);
    out.domain_class = Some(found.class.to_owned());
    out.domain_price_promo = None;
    out.all = found.prices;
    Ok(typed(request, out))
}

/// The answer to `wa-email-validate`: whether the mail was sent again.
pub(crate) fn wa_email_validate(request: &WaEmailValidate, sent: bool) -> Result<Done, Fail> {
    let mut out = blank(request)?;
    out.result = if sent {
        WaEmailValidateResult::Ack
    } else {
        WaEmailValidateResult::Nack
    };
    Ok(typed(request, out))
}

/// The answer to `wa-email-verify`: whether the answer was taken.
pub(crate) fn wa_email_verify(request: &WaEmailVerify, taken: bool) -> Result<Done, Fail> {
    let mut out = blank(request)?;
    out.result = if taken {
        WaEmailVerifyResult::Ack
    } else {
        WaEmailVerifyResult::Nack
    };
    Ok(typed(request, out))
}

/// The answer to `cor-verify`: whether the answer was taken.
pub(crate) fn cor_verify(request: &CorVerify, taken: bool) -> Result<Done, Fail> {
    let mut out = blank(request)?;
    out.result = if taken {
        CorVerifyResult::Ack
    } else {
        CorVerifyResult::Nack
    };
    Ok(typed(request, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dmapi::Answer;

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
            prices: price_lines(&prices),
        };
        let text = written(domain_check(&request, found).unwrap());
        let env = Envelope::parse(&text, &PROTOCOL).unwrap();
        let out = request.parse_output(&env).unwrap();
        assert_eq!(out.domain_status, DomainCheckDomainStatus::Unavailable);
        assert_eq!(out.domain_status_reason.as_deref(), Some("blocked"));
        assert_eq!(out.domain_class.as_deref(), Some(w::CLASS_PREMIUM));
        assert_eq!(out.domain_price_promo, None);
        let keys: Vec<&str> = out.all.iter().map(|(k, _)| k).collect();
        let create = format!("{}create", w::CHECK_PRICE_PREFIX);
        let renew = format!("{}renew", w::CHECK_PRICE_PREFIX);
        // The typed keys come first, in the spec's order; the price lines follow.
        assert_eq!(keys.len(), 5, "{text}");
        assert_eq!(&keys[3..], [create.as_str(), renew.as_str()], "{text}");
        assert_eq!(out.all.get(&create), Some("100.00 EUR 1y"));
    }

    #[test]
    fn an_available_domain_has_no_reason() {
        let request = DomainCheck::new("free.com".parse().unwrap());
        let found = CheckFound {
            status: DomainCheckDomainStatus::Available,
            reason: None,
            class: w::CLASS_STANDARD,
            prices: price_lines(&[]),
        };
        let text = written(domain_check(&request, found).unwrap());
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
                .parse_output(&env(wa_email_validate(&validate, ok).unwrap()))
                .unwrap();
            let b = verify
                .parse_output(&env(wa_email_verify(&verify, ok).unwrap()))
                .unwrap();
            let c = cor
                .parse_output(&env(cor_verify(&cor, ok).unwrap()))
                .unwrap();
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
