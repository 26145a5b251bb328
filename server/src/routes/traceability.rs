//! Traceability: the EPCIS 2.0 REST binding under `/epcis/`, and journeys.

use actix_web::http::Method;

use super::Registrar;
use crate::api::{epcis, journeys};
use crate::resolver::shipment;

/// `/epcis/capture`, `/epcis/events`, `/epcis/eventTypes`, journeys, the shipment check.
pub(super) fn routes(r: &mut Registrar) {
    r.add(Method::POST, "/epcis/capture", epcis::capture);
    r.add(Method::OPTIONS, "/epcis/capture", epcis::capture_options);
    r.add(Method::GET, "/epcis/capture/{id}", epcis::capture_status);
    r.add(Method::POST, "/epcis/events", epcis::capture_event);
    r.add(Method::GET, "/epcis/events", epcis::events);
    r.add(Method::GET, "/epcis/events/{id}", epcis::event);
    r.add(Method::GET, "/epcis/eventTypes", epcis::event_types);
    r.add(Method::GET, "/api/v1/journeys", journeys::get);
    r.add(Method::GET, "/api/v1/shipments/{sscc}", shipment::shipment);
}
