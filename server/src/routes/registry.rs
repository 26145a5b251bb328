//! The registry: lots and serials, prefixes and issued keys, products and their links.

use actix_web::http::Method;

use super::Registrar;
use crate::api::{import, links, prefixes, products};

/// Lots, serials and commissioning jobs; prefixes and keys; products, imports and links.
pub(super) fn routes(r: &mut Registrar) {
    r.add(
        Method::GET,
        "/api/v1/status-pack",
        crate::api::status_pack::status_pack,
    );
    // serials: lots, bulk commissioning jobs and serial state.
    {
        use crate::api::{lots, serials};
        r.add(Method::POST, "/api/v1/products/{gtin}/lots", lots::create);
        r.add(Method::GET, "/api/v1/products/{gtin}/lots", lots::list);
        r.add(Method::GET, "/api/v1/products/{gtin}/lots/{lot}", lots::get);
        r.add(
            Method::PATCH,
            "/api/v1/products/{gtin}/lots/{lot}",
            lots::update,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials",
            serials::commission,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials",
            serials::list,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/state",
            serials::set_states,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}",
            serials::get,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/{serial}/state",
            serials::set_state,
        );
        r.add(Method::GET, "/api/v1/commission-jobs/{id}", serials::job);
    }
    r.add(Method::POST, "/api/v1/prefixes", prefixes::create);
    r.add(Method::GET, "/api/v1/prefixes", prefixes::list);
    r.add(Method::GET, "/api/v1/prefixes/{id}", prefixes::get);
    r.add(Method::PATCH, "/api/v1/prefixes/{id}", prefixes::update);
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/gtins",
        prefixes::issue_gtin,
    );
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/ssccs",
        prefixes::issue_sscc,
    );
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/glns",
        prefixes::issue_gln,
    );
    r.add(Method::GET, "/api/v1/prefixes/{id}/keys", prefixes::keys);

    r.add(Method::POST, "/api/v1/products", products::create);
    r.add(Method::GET, "/api/v1/products", products::list);
    // Before `{gtin}`, which would otherwise match it.
    r.add(Method::POST, "/api/v1/products/import", import::import);
    r.add(Method::GET, "/api/v1/products/{gtin}", products::get);
    r.add(
        Method::GET,
        "/api/v1/products/{gtin}/label",
        crate::api::labels::product_label,
    );
    r.add(
        Method::POST,
        "/api/v1/labels/sheets",
        crate::api::labels::sheets,
    );
    r.add(Method::PATCH, "/api/v1/products/{gtin}", products::update);
    r.add(Method::POST, "/api/v1/products/{gtin}/links", links::create);
    r.add(Method::GET, "/api/v1/products/{gtin}/links", links::list);
    r.add(Method::PATCH, "/api/v1/links/{id}", links::update);
    r.add(Method::DELETE, "/api/v1/links/{id}", links::delete);
}
