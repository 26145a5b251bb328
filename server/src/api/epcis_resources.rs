//! The EPCIS 2.0 REST binding's resource endpoints: the events of one event type, EPC,
//! business step, business location, read point or disposition (each taking the query
//! language's other parameters as further filters), the collections of business steps,
//! business locations, read points and dispositions, and each such resource's sub-resources.
//!
//! Every one is authenticated and shows only what the caller's scope shows, like
//! `GET /epcis/events`; path values are percent-encoded (`urn%3Aepc%3Aid%3Asgln%3A...`).

use actix_web::{HttpRequest, HttpResponse, web};
use db::{DbConn, events::Column};
use domain::{
    Caller, DomainError,
    traceability::{self, NamePage},
};
use epcis::{EpcFormat, epc::Gs1GcpTable};
use serde_json::json;

use super::epcis::{
    check_version, epc_format, list_answer, of_query, one_resource, paging, query_events,
    query_pairs, with_versions,
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
    let identifiers = matches!(column, Column::BizLocation | Column::ReadPoint);
    names(
        state,
        who,
        req,
        identifiers,
        move |conn, who, per_page, token| traceability::names(conn, who, column, per_page, token),
    )
    .await
}

/// A page of the names `load` reads for the caller (`perPage`, and the `nextPageToken` of the
/// page before) as the binding's `Collection`, with the next page's `Link`. Identifiers
/// (locations, EPCs) are stored as canonical Digital Links; a client may ask for URNs.
pub(crate) async fn names<F>(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    identifiers: bool,
    load: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn, &Caller, u32, Option<&str>) -> Result<NamePage, DomainError>
        + Send
        + 'static,
{
    check_version(&req)?;
    let format = epc_format(&req)?;
    let pairs = query_pairs(&req)?;
    let (per_page, token) = paging(&pairs)?;
    let page = state
        .apply(move |conn| load(conn, &who, per_page, token.as_deref()))
        .await
        .map_err(of_query)?;
    let members: Vec<String> = page
        .members
        .into_iter()
        .map(|m| match format {
            EpcFormat::Urn if identifiers => epcis::Epc::parse(&m)
                .ok()
                .and_then(|e| e.to_urn(&Gs1GcpTable))
                .unwrap_or(m),
            _ => m,
        })
        .collect();
    let body = json!({
        "@context": [epcis::document::CONTEXT],
        "type": "Collection",
        "member": members,
    });
    list_answer(&req, pairs, body, page.next_page_token)
}

/// Defines a handler for `/epcis/{resource}/{value}`: its sub-resources (for HATEOAS
/// discovery), `events`, when `value` names one resource of the kind `$param` filters by; 404
/// otherwise.
macro_rules! sub_resources_of {
    ($(#[$doc:meta])* $name:ident, $param:literal) => {
        $(#[$doc])*
        #[tracing::instrument(skip(_who, req))]
        pub async fn $name(
            _who: Authenticated,
            req: HttpRequest,
            value: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            check_version(&req)?;
            one_resource($param, &value)?;
            Ok(with_versions(HttpResponse::Ok()).json(json!({
                "@context": [epcis::document::CONTEXT],
                "type": "Collection",
                "member": ["events"],
            })))
        }
    };
}

sub_resources_of!(
    /// `GET /epcis/eventTypes/{eventType}`: one of the five event types.
    event_type,
    "eventType"
);
sub_resources_of!(
    /// `GET /epcis/epcs/{epc}`: any EPC URN or GS1 Digital Link, stored events or not (as
    /// `/epcis/epcs/{epc}/events` answers an empty page for it).
    epc,
    "MATCH_anyEPC"
);
sub_resources_of!(
    /// `GET /epcis/bizSteps/{bizStep}`.
    biz_step,
    "EQ_bizStep"
);
sub_resources_of!(
    /// `GET /epcis/bizLocations/{bizLocation}`.
    biz_location,
    "EQ_bizLocation"
);
sub_resources_of!(
    /// `GET /epcis/readPoints/{readPoint}`.
    read_point,
    "EQ_readPoint"
);
sub_resources_of!(
    /// `GET /epcis/dispositions/{disposition}`.
    disposition,
    "EQ_disposition"
);
