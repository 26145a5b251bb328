//! Traceability: the EPCIS 2.0 REST binding under `/epcis/`, and journeys.

use actix_web::http::Method;

use super::Registrar;
use crate::api::{
    dte, epcis, epcis_discovery as disc, epcis_queries as named, epcis_resources as res, journeys,
};
use crate::resolver::shipment;

/// The EPCIS REST binding (`/epcis`: capture, events, event types, the resource endpoints,
/// named queries and their subscriptions, discovery), journeys, the shipment check.
pub(super) fn routes(r: &mut Registrar) {
    epcis(r);
    r.add(Method::GET, "/api/v1/journeys", journeys::get);
    r.add(Method::GET, "/api/v1/shipments/{sscc}", shipment::shipment);
    r.add(Method::POST, "/api/v1/traceability-credentials", dte::issue);
    r.add(
        Method::GET,
        "/api/v1/traceability-credentials/{id}",
        dte::get,
    );
}

/// Every `/epcis` route, then `OPTIONS` on each path so far (the binding gives every one of
/// them `OPTIONS`), then the token release, which has none.
fn epcis(r: &mut Registrar) {
    r.add(Method::GET, "/epcis", disc::top_level);
    r.add(Method::POST, "/epcis/capture", epcis::capture);
    r.add(Method::GET, "/epcis/capture", disc::capture_jobs);
    r.add(Method::GET, "/epcis/capture/{id}", epcis::capture_status);
    r.add(Method::POST, "/epcis/events", epcis::capture_event);
    r.add(Method::GET, "/epcis/events", epcis::events);
    r.add(Method::GET, "/epcis/events/{id}", epcis::event);
    r.add(Method::GET, "/epcis/eventTypes", epcis::event_types);
    r.add(
        Method::GET,
        "/epcis/eventTypes/{eventType}",
        res::event_type,
    );
    r.add(
        Method::GET,
        "/epcis/eventTypes/{eventType}/events",
        res::event_type_events,
    );
    r.add(Method::GET, "/epcis/epcs", disc::epcs);
    r.add(Method::GET, "/epcis/epcs/{epc}", res::epc);
    r.add(Method::GET, "/epcis/epcs/{epc}/events", res::epc_events);
    r.add(Method::GET, "/epcis/bizSteps", res::biz_steps);
    r.add(Method::GET, "/epcis/bizSteps/{bizStep}", res::biz_step);
    r.add(
        Method::GET,
        "/epcis/bizSteps/{bizStep}/events",
        res::biz_step_events,
    );
    r.add(Method::GET, "/epcis/bizLocations", res::biz_locations);
    r.add(
        Method::GET,
        "/epcis/bizLocations/{bizLocation}",
        res::biz_location,
    );
    r.add(
        Method::GET,
        "/epcis/bizLocations/{bizLocation}/events",
        res::biz_location_events,
    );
    r.add(Method::GET, "/epcis/readPoints", res::read_points);
    r.add(
        Method::GET,
        "/epcis/readPoints/{readPoint}",
        res::read_point,
    );
    r.add(
        Method::GET,
        "/epcis/readPoints/{readPoint}/events",
        res::read_point_events,
    );
    r.add(Method::GET, "/epcis/dispositions", res::dispositions);
    r.add(
        Method::GET,
        "/epcis/dispositions/{disposition}",
        res::disposition,
    );
    r.add(
        Method::GET,
        "/epcis/dispositions/{disposition}/events",
        res::disposition_events,
    );
    r.add(Method::POST, "/epcis/queries", named::create_query);
    r.add(Method::GET, "/epcis/queries", named::list_queries);
    r.add(Method::GET, "/epcis/queries/{queryName}", named::get_query);
    r.add(
        Method::DELETE,
        "/epcis/queries/{queryName}",
        named::delete_query,
    );
    r.add(
        Method::GET,
        "/epcis/queries/{queryName}/events",
        named::query_events,
    );
    r.add(
        Method::POST,
        "/epcis/queries/{queryName}/subscriptions",
        named::subscribe,
    );
    r.add(
        Method::GET,
        "/epcis/queries/{queryName}/subscriptions",
        named::list_subscriptions,
    );
    r.add(
        Method::GET,
        "/epcis/queries/{queryName}/subscriptions/{subscriptionID}",
        named::get_subscription,
    );
    r.add(
        Method::DELETE,
        "/epcis/queries/{queryName}/subscriptions/{subscriptionID}",
        named::unsubscribe,
    );
    options(r);
    r.add(
        Method::DELETE,
        "/epcis/nextPageToken/{token}",
        disc::release_token,
    );
}

/// `OPTIONS` on every `/epcis` path registered so far: `Allow` names `OPTIONS` and the methods
/// registered on the path, in their order.
fn options(r: &mut Registrar) {
    let mut paths: Vec<(&'static str, String)> = Vec::new();
    for (method, path) in r.routes() {
        if !epcis::is_binding_path(path) {
            continue;
        }
        match paths.iter_mut().find(|(p, _)| p == path) {
            Some((_, allow)) => {
                allow.push_str(", ");
                allow.push_str(method.as_str());
            }
            None => paths.push((path, format!("OPTIONS, {method}"))),
        }
    }
    for (path, allow) in paths {
        if path == "/epcis/capture" {
            r.add(Method::OPTIONS, path, move || {
                epcis::capture_options(allow.clone())
            });
        } else {
            r.add(Method::OPTIONS, path, move || disc::options(allow.clone()));
        }
    }
}
