//! Traceability: the EPCIS 2.0 REST binding under `/epcis/`, and journeys.

use actix_web::http::Method;

use super::Registrar;
use crate::api::{dte, epcis, epcis_queries as named, epcis_resources as res, journeys};
use crate::resolver::shipment;

/// `/epcis/capture`, `/epcis/events`, `/epcis/eventTypes`, the binding's resource endpoints,
/// named queries and their subscriptions, journeys, the shipment check.
pub(super) fn routes(r: &mut Registrar) {
    r.add(Method::POST, "/epcis/capture", epcis::capture);
    r.add(Method::OPTIONS, "/epcis/capture", epcis::capture_options);
    r.add(Method::GET, "/epcis/capture/{id}", epcis::capture_status);
    r.add(Method::POST, "/epcis/events", epcis::capture_event);
    r.add(Method::GET, "/epcis/events", epcis::events);
    r.add(Method::GET, "/epcis/events/{id}", epcis::event);
    r.add(Method::GET, "/epcis/eventTypes", epcis::event_types);
    r.add(
        Method::GET,
        "/epcis/eventTypes/{eventType}/events",
        res::event_type_events,
    );
    r.add(Method::GET, "/epcis/epcs/{epc}/events", res::epc_events);
    r.add(Method::GET, "/epcis/bizSteps", res::biz_steps);
    r.add(
        Method::GET,
        "/epcis/bizSteps/{bizStep}/events",
        res::biz_step_events,
    );
    r.add(Method::GET, "/epcis/bizLocations", res::biz_locations);
    r.add(
        Method::GET,
        "/epcis/bizLocations/{bizLocation}/events",
        res::biz_location_events,
    );
    r.add(Method::GET, "/epcis/readPoints", res::read_points);
    r.add(
        Method::GET,
        "/epcis/readPoints/{readPoint}/events",
        res::read_point_events,
    );
    r.add(Method::GET, "/epcis/dispositions", res::dispositions);
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
    r.add(Method::GET, "/api/v1/journeys", journeys::get);
    r.add(Method::GET, "/api/v1/shipments/{sscc}", shipment::shipment);
    r.add(Method::POST, "/api/v1/traceability-credentials", dte::issue);
    r.add(
        Method::GET,
        "/api/v1/traceability-credentials/{id}",
        dte::get,
    );
}
