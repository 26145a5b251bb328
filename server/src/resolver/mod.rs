//! Public resolution: the GS1-Conformant resolver at the public root (`/01/...`, `/00/...`,
//! `/414/...`, compressed URIs, `/.well-known/gs1resolver`) and `/api/v1/lookup`, which judges
//! anything scanned or typed with one verdict.
//!
//! A request is parsed by `gs1` into an [`request::ItemPath`]; [`item::resolution`] loads the
//! brand owner's links and the platform's own level by level; [`links`] chooses one (link
//! type, then context, language, media type, walking up serial → lot → GTIN) or lists them as
//! an RFC 9264 linkset; [`lookup`] loads the facts for [`verdict::evaluate`].

pub mod batch;
pub mod handlers;
pub mod item;
pub mod links;
pub mod lookup;
pub mod page;
pub mod request;
pub mod scans;
pub mod shipment;

use actix_web::{
    Error, HttpMessage, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method,
        header::{self, HeaderValue},
    },
    middleware::Next,
    web,
};

use crate::{routes::RoutePattern, state::AppState};

/// The resolver's paths: a GTIN with every qualifier sequence the dictionary allows, an SSCC,
/// a GLN with its extension. Actix and OpenAPI share these strings.
pub const PATHS: [&str; 12] = [
    "/01/{gtin}",
    "/01/{gtin}/10/{lot}",
    "/01/{gtin}/21/{serial}",
    "/01/{gtin}/10/{lot}/21/{serial}",
    "/01/{gtin}/22/{cpv}",
    "/01/{gtin}/22/{cpv}/10/{lot}",
    "/01/{gtin}/22/{cpv}/21/{serial}",
    "/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}",
    "/01/{gtin}/235/{tpx}",
    "/00/{sscc}",
    "/414/{gln}",
    "/414/{gln}/254/{ext}",
];

/// The path of compressed Digital Link URIs (registered last: any single segment matches).
pub const COMPRESSED_PATH: &str = "/{compressed}";

/// Adds CORS headers to an answer. Every answer gets them: public reads are meant for any web
/// page, and no endpoint relies on cookies, so `*` exposes nothing a script could not fetch
/// anyway. Called by `middleware::observe` (one layer fewer on every request).
pub fn cors_headers(h: &mut actix_web::http::header::HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Link, Location, ETag, Retry-After, X-Request-Id"),
    );
}

/// Answers `GET`/`HEAD` under a resolver key before the router: every valid Digital Link path
/// has a route and all of them run [`handlers::resolve`], but the router would first run a
/// regex per candidate route (a third of a cached redirect's time when profiled). Invalid paths
/// get the same 400 the router's fallback gives; other methods go through the router.
pub async fn dispatch(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let label = match req.path() {
        p if p.starts_with("/01/") => Some("/01/{gtin}/*"),
        p if p.starts_with("/00/") => Some("/00/{sscc}"),
        p if p.starts_with("/414/") => Some("/414/{gln}/*"),
        _ => None,
    }
    .filter(|_| matches!(*req.method(), Method::GET | Method::HEAD));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(label), Some(state)) = (label, state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    req.extensions_mut().insert(RoutePattern(label));
    let res = handlers::resolve(state, req.request().clone())
        .await
        .unwrap_or_else(|e| e.error_response());
    Ok(req.into_response(res))
}
