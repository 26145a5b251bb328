//! Conformity: accreditation, certificates, passports, inspections and alerts.

use actix_web::http::Method;

use super::Registrar;

/// Signatory status, accreditations, certificates and their GTIN lookup.
pub(super) fn certificates(r: &mut Registrar) {
    // certificates: signatory status, accreditations, certificates and their GTIN lookup.
    {
        use crate::api::{accreditation as acc, certificates as cert};
        let sigs = "/api/v1/accreditation-bodies/{id}/signatures";
        r.add(Method::POST, sigs, acc::create_signature);
        r.add(Method::GET, sigs, acc::list_signatures);
        r.add(
            Method::PATCH,
            "/api/v1/signatures/{id}",
            acc::update_signature,
        );
        r.add(
            Method::POST,
            "/api/v1/accreditations",
            acc::create_accreditation,
        );
        r.add(
            Method::GET,
            "/api/v1/accreditations",
            acc::list_accreditations,
        );
        r.add(
            Method::GET,
            "/api/v1/accreditations/{id}",
            acc::get_accreditation,
        );
        r.add(
            Method::PATCH,
            "/api/v1/accreditations/{id}",
            acc::update_accreditation,
        );
        r.add(Method::POST, "/api/v1/certificates", cert::issue);
        r.add(Method::GET, "/api/v1/certificates", cert::list);
        r.add(Method::GET, "/api/v1/certificates/{id}", cert::get);
        r.add(
            Method::POST,
            "/api/v1/certificates/{id}/status",
            cert::change_status,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/certificates",
            cert::for_product,
        );
    }
}

/// Passport drafts and publishing (owner), signed versions and the JWKS (public).
pub(super) fn passports(r: &mut Registrar) {
    // Passports: drafts and publishing (owner), signed versions and the JWKS (public).
    {
        use crate::api::passports as pp;
        r.add(Method::GET, "/.well-known/jwks.json", pp::jwks);
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions/{n}/jws",
            pp::version_jws,
        );
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/lots/{lot}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/lots/{lot}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}/jws",
            pp::version_jws,
        );
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/serials/{serial}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/{serial}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}/jws",
            pp::version_jws,
        );
    }
}

/// Market surveillance: inspections (authority inspectors) and alerts.
pub(super) fn surveillance(r: &mut Registrar) {
    // Market surveillance: inspections (authority inspectors) and alerts (authorities, certifiers).
    {
        use crate::api::{alerts, inspections};
        r.add(Method::POST, "/api/v1/inspections", inspections::create);
        r.add(Method::GET, "/api/v1/inspections", inspections::list);
        r.add(Method::GET, "/api/v1/inspections/{id}", inspections::get);
        r.add(Method::POST, "/api/v1/alerts", alerts::create);
        r.add(Method::GET, "/api/v1/alerts", alerts::list);
        r.add(Method::GET, "/api/v1/alerts/{id}", alerts::get);
        r.add(Method::POST, "/api/v1/alerts/{id}/lift", alerts::lift);
        r.add(Method::GET, "/api/v1/orgs/{id}/alerts", alerts::for_org);
    }
}
