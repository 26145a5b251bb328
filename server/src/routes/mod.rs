//! The route table: the one place where every route is registered, grouped by area in the order
//! actix matches them. Handlers live in `api` and `resolver`; the shared state in `state`.

mod accounts;
mod conformity;
mod public;
mod registrar;
mod registry;
mod traceability;

use actix_web::{http::Method, web};
pub use registrar::{Registrar, RoutePattern};

use crate::{error::ApiError, state::AppState};

/// Answers any path no route matches. Under a resolver key (`/01/`, `/00/`, `/414/`) every
/// valid Digital Link path has a route, so what reaches here is invalid: the resolver says why
/// (400) instead of a bare 404.
pub async fn not_found(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, ApiError> {
    let path = req.path();
    let resolver_key = ["/01/", "/00/", "/414/"]
        .iter()
        .any(|p| path.starts_with(p));
    if resolver_key && matches!(*req.method(), Method::GET | Method::HEAD) {
        return crate::resolver::handlers::resolve(state, req).await;
    }
    Err(ApiError::NotFound)
}

/// Every route of the service. The order matters where one path could match another's
/// pattern (`/api/v1/products/import` before `/api/v1/products/{gtin}`).
pub fn routes(r: &mut Registrar) {
    public::routes(r);
    accounts::routes(r);
    conformity::certificates(r);
    conformity::passports(r);
    conformity::surveillance(r);
    registry::routes(r);
    traceability::routes(r);
}

/// The (method, path) pairs the service registers, for the OpenAPI test.
pub fn registered_routes() -> Vec<(String, String)> {
    let mut r = Registrar::default();
    routes(&mut r);
    r.routes()
        .iter()
        .map(|(m, p)| (m.to_string(), (*p).to_owned()))
        .collect()
}
