//! The sandbox as the generated [`Service`]: each request's method checks what the request
//! alone decides and calls the rules of its section. A request this impl does not name (one
//! added to the spec later) gets the trait's default: the shape the spec declares.

use dmapi::StatusCode as S;
use dmapi::*;

use super::{
    Desk, Out, account, beyond, contacts, domains, fail, grants, nameservers, need_contact,
    need_domain, need_host, other, properties, tld_list, zone,
};

/// A queued request about a domain of the account: checked now, carried out when due.
macro_rules! queue_for_domain {
    ($($method:ident: $request:ident,)*) => {$(
        fn $method(&mut self, r: &$request) -> Out<<$request as Request>::Output> {
            need_domain(self.st, self.acct, r.domain.as_str())?;
            self.queue(r, None)
        }
    )*};
}

#[allow(deprecated)] // query-object is deprecated for callers, still served
impl Service for Desk<'_> {
    fn logout(&mut self, _: &Logout) -> Out<()> {
        self.st.sessions.remove(self.sid);
        Ok(())
    }

    fn result_list(&mut self, r: &ResultList) -> Out<Results> {
        Ok(account::result_list(self.st, self.acct, r, self.now)?)
    }

    fn result_retrieve(&mut self, r: &ResultRetrieve) -> Out<ResultRetrieveOutput> {
        Ok(account::result_retrieve(self.st, self.acct, &r.result_id)?)
    }

    fn result_delete(&mut self, r: &ResultDelete) -> Out<String> {
        Ok(account::result_delete(self.st, self.acct, &r.result_id)?)
    }

    fn query_profile(&mut self, _: &QueryProfile) -> Out<QueryProfileOutput> {
        Ok(account::profile(self.st, self.acct)?)
    }

    fn query_contact_list(&mut self, r: &QueryContactList) -> Out<Vec<QueryContactListRow>> {
        Ok(contacts::contact_list(self.st, self.acct, r)?)
    }

    fn contact_create(&mut self, r: &ContactCreate) -> Out<Submitted<ContactCreateResult>> {
        // The handle is made now so that the result can be looked up by it.
        let handle = contacts::new_handle(self.st, &r.tld);
        self.queue(r, Some(handle))
    }

    fn contact_modify(&mut self, r: &ContactModify) -> Out<Submitted<ContactModifyResult>> {
        need_contact(self.st, self.acct, r.handle.as_str())
            .map_err(|e| fail(S::ObjectDoesNotExist, e))?;
        self.queue(r, None)
    }

    fn contact_delete(&mut self, r: &ContactDelete) -> Out<Submitted<ContactDeleteResult>> {
        need_contact(self.st, self.acct, r.handle.as_str())
            .map_err(|e| fail(S::ObjectDoesNotExist, e))?;
        self.queue(r, None)
    }

    fn query_domain_list(&mut self, r: &QueryDomainList) -> Out<Vec<QueryDomainListRow>> {
        Ok(domains::domain_list(self.st, self.acct, r)?)
    }

    fn domain_register(&mut self, r: &DomainRegister) -> Out<Submitted<DomainRegisterResult>> {
        domains::precheck_register(self.st, r)?;
        self.queue(r, None)
    }

    queue_for_domain! {
        domain_renew: DomainRenew,
        domain_owner_change: DomainOwnerChange,
        domain_lock: DomainLock,
        domain_unlock: DomainUnlock,
        domain_transfer_get_auth_id: DomainTransferGetAuthId,
        domain_privacy_order: DomainPrivacyOrder,
        dns_zone_put: DnsZonePut,
    }

    fn domain_modify(&mut self, r: &DomainModify) -> Out<Submitted<DomainModifyResult>> {
        need_domain(self.st, self.acct, r.domain.as_str())?;
        domains::precheck_modify(r)?;
        self.queue(r, None)
    }

    fn domain_transfer_in_reseller(
        &mut self,
        r: &DomainTransferInReseller,
    ) -> Out<Submitted<DomainTransferInResellerResult>> {
        domains::transfer::precheck_transfer_in(self.st, r.domain.as_str())?;
        self.queue(r, None)
    }

    fn domain_delete(&mut self, r: &DomainDelete) -> Out<Submitted<DomainDeleteResult>> {
        domains::grace::precheck_delete(self.st, self.acct, r)?;
        self.queue(r, None)
    }

    fn domain_set_property(&mut self, r: &DomainSetProperty) -> Out<()> {
        Ok(domains::set_property(self.st, self.acct, r)?)
    }

    fn domain_get_property(&mut self, r: &DomainGetProperty) -> Out<DomainGetPropertyOutput> {
        Ok(domains::get_property(self.st, self.acct, r)?)
    }

    fn domain_transfer_control(
        &mut self,
        r: &DomainTransferControl,
    ) -> Out<DomainTransferControlOutput> {
        Ok(domains::transfer::transfer_control(
            self.st, self.acct, r, self.now,
        )?)
    }

    fn domain_check(&mut self, r: &DomainCheck) -> Out<DomainCheckOutput> {
        Ok(domains::check(self.st, r))
    }

    fn grants_list(&mut self, r: &GrantsList) -> Out<Vec<GrantsListRow>> {
        Ok(grants::grants_list(self.st, self.acct, r)?)
    }

    fn grants_invite(&mut self, r: &GrantsInvite) -> Out<()> {
        Ok(grants::grants_invite(self.st, self.acct, r)?)
    }

    fn grants_revoke(&mut self, r: &GrantsRevoke) -> Out<()> {
        Ok(grants::grants_revoke(self.st, self.acct, r)?)
    }

    fn query_ns_list(&mut self, r: &QueryNsList) -> Out<Vec<QueryNsListRow>> {
        Ok(nameservers::ns_list(self.st, self.acct, r)?)
    }

    fn ns_create(&mut self, r: &NsCreate) -> Out<Submitted<NsCreateResult>> {
        self.queue(r, None)
    }

    fn ns_modify(&mut self, r: &NsModify) -> Out<Submitted<NsModifyResult>> {
        need_host(self.st, self.acct, r.host.as_str())?;
        self.queue(r, None)
    }

    fn ns_delete(&mut self, r: &NsDelete) -> Out<Submitted<NsDeleteResult>> {
        need_host(self.st, self.acct, r.host.as_str())?;
        self.queue(r, None)
    }

    fn query_object(&mut self, r: &QueryObject) -> Out<QueryObjectOutput> {
        let found = other::whois(self.st, self.acct, &r.whois_object, false)?;
        Ok(other::whois_output!(QueryObjectOutput, found))
    }

    fn query_whois(&mut self, r: &QueryWhois) -> Out<QueryWhoisOutput> {
        let internal = r.internal == Some(true);
        let found = other::whois(self.st, self.acct, &r.whois_object, internal)?;
        Ok(other::whois_output!(QueryWhoisOutput, found))
    }

    fn wa_email_list(&mut self, _: &WaEmailList) -> Out<Vec<WaEmailListRow>> {
        Ok(other::wa_list(self.st, self.acct, self.now)?)
    }

    fn wa_email_details(&mut self, r: &WaEmailDetails) -> Out<Vec<WaEmailDetailsRow>> {
        Ok(other::wa_details(self.st, self.acct, r.key.expose())?)
    }

    fn wa_email_validate(&mut self, r: &WaEmailValidate) -> Out<WaEmailValidateOutput> {
        let sent = other::wa_validate(self.st, self.acct, r.email.as_str(), self.now)?;
        Ok(WaEmailValidateOutput::new(match sent {
            true => WaEmailValidateResult::Ack,
            false => WaEmailValidateResult::Nack,
        }))
    }

    fn wa_email_verify(&mut self, r: &WaEmailVerify) -> Out<WaEmailVerifyOutput> {
        let yes = r.answer == Answer::Yes;
        let taken = other::wa_verify(self.st, self.acct, r.key.expose(), yes, self.now)?;
        Ok(WaEmailVerifyOutput::new(match taken {
            true => WaEmailVerifyResult::Ack,
            false => WaEmailVerifyResult::Nack,
        }))
    }

    fn cor_verify(&mut self, r: &CorVerify) -> Out<CorVerifyOutput> {
        let yes = r.answer == Answer::Yes;
        let taken = other::cor_verify(self.st, self.acct, r.key.expose(), yes)?;
        Ok(CorVerifyOutput::new(match taken {
            true => CorVerifyResult::Ack,
            false => CorVerifyResult::Nack,
        }))
    }

    fn dns_zone_list(&mut self, r: &DnsZoneList) -> Out<Vec<DnsZoneListRow>> {
        Ok(zone::zone_list(self.st, self.acct, r)?)
    }

    fn dns_zone_get(&mut self, r: &DnsZoneGet) -> Out<Zone> {
        Ok(zone::zone_get(self.st, self.acct, r.domain.as_str())?)
    }

    fn domain_redeem(&mut self, r: &DomainRedeem) -> Out<Submitted<DomainRedeemResult>> {
        let name = r.domain.as_str();
        domains::grace::precheck_redeem(self.st, self.acct, name, self.now)?;
        self.queue(r, None)
    }

    fn v2_contact_create(&mut self, r: &V2ContactCreate) -> Out<V2ContactCreateOutput> {
        Ok(contacts::v2_contact_create(
            self.st, self.acct, r, self.raw, self.now,
        )?)
    }

    fn query_price_list(&mut self, _: &QueryPriceList) -> Out<Vec<QueryPriceListRow>> {
        Ok(beyond::price_list(self.st))
    }

    fn whois(&mut self, r: &Whois) -> Out<WhoisOutput> {
        Ok(beyond::whois(self.st, self.acct, r)?)
    }

    fn inquire_tld(&mut self, r: &InquireTld) -> Out<InquireTldOutput> {
        Ok(beyond::inquire_tld(self.st, r)?)
    }

    fn query_request_list(&mut self, _: &QueryRequestList) -> Out<Vec<String>> {
        Ok(beyond::request_list(self.access))
    }

    fn version(&mut self, _: &Version) -> Out<VersionOutput> {
        Ok(VersionOutput::new(crate::serve::VERSION.to_owned()))
    }

    fn query_tld_list(&mut self, _: &QueryTldList) -> Out<Vec<String>> {
        Ok(tld_list(self.st).into_iter().map(str::to_owned).collect())
    }

    fn user_get_property(&mut self, r: &UserGetProperty) -> Out<UserGetPropertyOutput> {
        Ok(properties::get(self.st, self.acct, r)?)
    }

    fn user_set_property(&mut self, r: &UserSetProperty) -> Out<Submitted<UserSetPropertyResult>> {
        properties::precheck_set(self.st, self.acct, r)?;
        let object = r.pname.trim().to_ascii_lowercase();
        self.queue(r, Some(object))
    }

    fn wa_email_query_status(&mut self, r: &WaEmailQueryStatus) -> Out<String> {
        Ok(beyond::wa_status(
            self.st,
            self.acct,
            r.email.as_str(),
            self.now,
        )?)
    }

    fn domain_transfer_in(
        &mut self,
        r: &DomainTransferIn,
    ) -> Out<Submitted<DomainTransferInResult>> {
        domains::transfer::precheck_transfer_in(self.st, r.domain.as_str())?;
        self.queue(r, None)
    }
}
