//! Public routes: resolution, the lookup, the resolver description and operations.

use actix_web::http::Method;

use super::Registrar;
use crate::api::ops;

/// Public resolution first (it carries the traffic), then health, metrics and the contract.
pub(super) fn routes(r: &mut Registrar) {
    // Public resolution: the lookup, the resolver description, then the resolver paths,
    // first: they carry the traffic. The compressed-URI path matches any single segment, so
    // [`Registrar::install`] puts it after every other root path.
    {
        use crate::resolver::{COMPRESSED_PATH, PATHS, handlers as res};
        r.add(Method::GET, "/api/v1/lookup", res::lookup);
        r.add(Method::OPTIONS, "/api/v1/lookup", res::options);
        r.add(
            Method::POST,
            "/api/v1/lookups",
            crate::resolver::batch::lookups,
        );
        r.add(Method::GET, "/.well-known/gs1resolver", res::description);
        r.add(Method::HEAD, "/.well-known/gs1resolver", res::description);
        r.add(Method::OPTIONS, "/.well-known/gs1resolver", res::options);
        for path in PATHS {
            r.add(Method::GET, path, res::resolve);
            r.add(Method::HEAD, path, res::resolve);
            r.add(Method::OPTIONS, path, res::options);
        }
        r.add(Method::GET, COMPRESSED_PATH, res::resolve_compressed);
        r.add(Method::HEAD, COMPRESSED_PATH, res::resolve_compressed);
        r.add(Method::OPTIONS, COMPRESSED_PATH, res::options);
    }

    r.add(Method::GET, "/healthz", ops::healthz);
    r.add(Method::GET, "/readyz", ops::readyz);
    r.add(Method::GET, "/metrics", ops::metrics);
    r.add(Method::GET, "/openapi.yaml", ops::openapi);
}
