//! The REST binding's discovery: `GET /epcis` (the top-level resources), `GET /epcis/capture`
//! (the caller's capture jobs), `GET /epcis/epcs` (the identifiers of the events it sees),
//! `OPTIONS` on every binding path, and `DELETE /epcis/nextPageToken/{token}`.

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, http::header, web};
use domain::discovery;
use serde_json::{Value, json};

use super::epcis::{
    capture_job, check_version, list_answer, of_query, paging, query_pairs, with_versions,
};
use crate::{auth::Authenticated, error::ApiError, state::AppState};

/// The top-level resources this repository serves, as the binding names them.
const TOP_LEVEL: [&str; 9] = [
    "capture",
    "events",
    "eventTypes",
    "epcs",
    "bizSteps",
    "bizLocations",
    "readPoints",
    "dispositions",
    "queries",
];

/// The lowest and highest EPCIS and CBV versions served: 2.0.0 only.
const RANGES: [(&str, &str); 4] = [
    ("GS1-EPCIS-Min", "2.0.0"),
    ("GS1-EPCIS-Max", "2.0.0"),
    ("GS1-CBV-Min", "2.0.0"),
    ("GS1-CBV-Max", "2.0.0"),
];

/// `GET /epcis`: the top-level resources.
#[tracing::instrument(skip_all)]
pub async fn top_level(_who: Authenticated, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    Ok(with_versions(HttpResponse::Ok()).json(json!({
        "@context": [epcis::document::CONTEXT],
        "type": "Collection",
        "member": TOP_LEVEL,
    })))
}

/// The `204` answer to `OPTIONS` on a binding path whose methods are `allow`: the versions
/// served and the other discovery headers the binding lists. `GS1-Extensions` is empty: no
/// extension vocabulary is built in (captured extensions keep their own namespaces).
/// `GS1-EPC-Format` is the form answered when a request names none.
pub(crate) fn discovery(allow: &str) -> HttpResponseBuilder {
    let mut b = with_versions(HttpResponse::NoContent());
    b.insert_header((header::ALLOW, allow.to_owned()));
    for h in RANGES {
        b.insert_header(h);
    }
    b.insert_header(("GS1-EPC-Format", "Always_GS1_Digital_Link"));
    b.insert_header(("GS1-Extensions", ""));
    b.insert_header((
        "GS1-Vendor-Version",
        concat!("gs1-dpp/", env!("CARGO_PKG_VERSION")),
    ));
    b
}

/// `OPTIONS` on a binding path (every one but `/epcis/capture`, whose answer adds the capture
/// limits): `allow` lists the methods the route table registers on it.
pub async fn options(allow: String) -> HttpResponse {
    discovery(&allow).finish()
}

/// `GET /epcis/capture`: the capture jobs of the caller's organisation (every organisation's
/// for admins), newest first, paged by `perPage` and `nextPageToken`.
#[tracing::instrument(skip(state, who, req))]
pub async fn capture_jobs(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    let pairs = query_pairs(&req)?;
    let (per_page, token) = paging(&pairs)?;
    let page = state
        .apply(move |conn| discovery::captures(conn, &who, per_page, token.as_deref()))
        .await
        .map_err(of_query)?;
    let jobs: Vec<Value> = page.captures.iter().map(capture_job).collect();
    list_answer(&req, pairs, jobs, page.next_page_token)
}

/// `GET /epcis/epcs`: the identifiers the events the caller's scope shows name (in the roles
/// `MATCH_anyEPC` looks at), ascending, paged; URNs when `GS1-EPC-Format` asks for them.
#[tracing::instrument(skip(state, who, req))]
pub async fn epcs(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    super::epcis_resources::names(state, who, req, true, discovery::epcs).await
}

/// The longest page token this repository hands out is far shorter; longer is no token.
const MAX_TOKEN: usize = 1024;

/// `DELETE /epcis/nextPageToken/{token}`: 501, as the binding allows. Page tokens are
/// stateless (each encodes where the next page starts, and no server resource is held for
/// it), so there is nothing to release and a token cannot be invalidated: it stays usable.
/// A value that cannot be one of our tokens (not base64url) is 404.
#[tracing::instrument(skip_all)]
pub async fn release_token(
    _who: Authenticated,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    if token.len() > MAX_TOKEN || db::page::decode_cursor(&token).is_none() {
        return Err(ApiError::NotFoundDetail(
            "not a nextPageToken of this repository".to_owned(),
        ));
    }
    Err(ApiError::NotImplemented(
        "page tokens are stateless: no resource is held for one, so there is nothing to \
         release, and a token stays valid"
            .to_owned(),
    ))
}
