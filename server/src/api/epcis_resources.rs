//! The EPCIS 2.0 REST binding's resource endpoints: the events of one event type, EPC,
//! business step, business location, read point or disposition (each taking the query
//! language's other parameters as further filters), and the collections of business steps,
//! business locations, read points and dispositions.
//!
//! Every one is authenticated and shows only what the caller's scope shows, like
//! `GET /epcis/events`; path values are percent-encoded (`urn%3Aepc%3Aid%3Asgln%3A...`).

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use db::events::Column;
use domain::traceability;
use epcis::{EpcFormat, epc::Gs1GcpTable, query::DEFAULT_PER_PAGE};
use serde_json::json;

use super::epcis::{
    bad_request, check_version, epc_format, field, next_link, query_events, with_versions,
};
use crate::{auth::Authenticated, error::ApiError, state::AppState};

/// Defines a handler for `/epcis/{resource}/{value}/events`: the query with `$param` fixed.
macro_rules! events_of {
    ($(#[$doc:meta])* $name:ident, $param:literal) => {
        $(#[$doc])*
        #[tracing::instrument(skip(state, who, req))]
        pub async fn $name(
            state: web::Data<AppState>,
            who: Authenticated,
            req: HttpRequest,
            value: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            query_events(state, who, req, Some(($param, value.into_inner()))).await
        }
    };
}

events_of!(
    /// `GET /epcis/eventTypes/{eventType}/events`.
    event_type_events,
    "eventType"
);
events_of!(
    /// `GET /epcis/epcs/{epc}/events`: events naming the EPC in any role (`MATCH_anyEPC`).
    epc_events,
    "MATCH_anyEPC"
);
events_of!(
    /// `GET /epcis/bizSteps/{bizStep}/events`.
    biz_step_events,
    "EQ_bizStep"
);
events_of!(
    /// `GET /epcis/bizLocations/{bizLocation}/events`.
    biz_location_events,
    "EQ_bizLocation"
);
events_of!(
    /// `GET /epcis/readPoints/{readPoint}/events`.
    read_point_events,
    "EQ_readPoint"
);
events_of!(
    /// `GET /epcis/dispositions/{disposition}/events`.
    disposition_events,
    "EQ_disposition"
);

/// `GET /epcis/bizSteps`: every CBV 2.0 business step and the others of visible events.
pub async fn biz_steps(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    collection(state, who, req, Column::BizStep).await
}

/// `GET /epcis/dispositions`: every CBV 2.0 disposition and the others of visible events.
pub async fn dispositions(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    collection(state, who, req, Column::Disposition).await
}

/// `GET /epcis/bizLocations`: the business locations of the events the caller sees.
pub async fn biz_locations(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    collection(state, who, req, Column::BizLocation).await
}

/// `GET /epcis/readPoints`: the read points of the events the caller sees.
pub async fn read_points(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    collection(state, who, req, Column::ReadPoint).await
}

/// A page of a collection of names, with the next page's `Link`.
async fn collection(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    column: Column,
) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    let format = epc_format(&req)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(|e| bad_request(e.to_string()))?;
    let mut per_page = DEFAULT_PER_PAGE;
    let mut token = None;
    for (k, v) in &pairs {
        match k.as_str() {
            "perPage" => {
                per_page = v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=epcis::query::MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| {
                        field(
                            "perPage",
                            format!(
                                "must be a whole number from 1 to {}",
                                epcis::query::MAX_PER_PAGE
                            ),
                        )
                    })?;
            }
            "nextPageToken" => token = Some(v.clone()),
            other => return Err(field(other, "is not a parameter of this collection")),
        }
    }
    let page = state
        .apply(move |conn| traceability::names(conn, &who, column, per_page, token.as_deref()))
        .await?;
    let locations = matches!(column, Column::BizLocation | Column::ReadPoint);
    let members: Vec<String> = page
        .members
        .into_iter()
        .map(|m| match format {
            // Locations are stored as canonical Digital Links; a client may ask for URNs.
            EpcFormat::Urn if locations => epcis::Epc::parse(&m)
                .ok()
                .and_then(|e| e.to_urn(&Gs1GcpTable))
                .unwrap_or(m),
            _ => m,
        })
        .collect();
    let mut res = with_versions(HttpResponse::Ok());
    if let Some(token) = &page.next_page_token {
        res.insert_header((header::LINK, next_link(&req, pairs, token)?));
    }
    Ok(res.json(json!({
        "@context": [epcis::document::CONTEXT],
        "type": "Collection",
        "member": members,
    })))
}
