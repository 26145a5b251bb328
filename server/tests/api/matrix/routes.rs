//! The matrix's rows: every route the service registers, with the rule its callers meet.

use super::{Caller, EXPORTERS, Rule};

/// Every route, with who may call it and the status a permitted call answers.
pub(super) const ROUTES: &[(&str, &str, Rule)] = &[
    ("GET", "/healthz", Rule::Public(200)),
    ("GET", "/readyz", Rule::Public(200)),
    ("GET", "/metrics", Rule::Public(200)),
    ("GET", "/openapi.yaml", Rule::Public(200)),
    // Wrong credentials in the body: 401 whoever calls.
    ("POST", "/api/v1/auth/login", Rule::Public(401)),
    ("GET", "/api/v1/me", Rule::Authenticated(200)),
    // A wrong current password: 422 for people.
    ("POST", "/api/v1/me/password", Rule::User(422)),
    ("POST", "/api/v1/orgs", Rule::Admin(201)),
    ("GET", "/api/v1/orgs", Rule::Authenticated(200)),
    ("GET", "/api/v1/orgs/{id}", Rule::Authenticated(200)),
    ("PATCH", "/api/v1/orgs/{id}", Rule::Admin(200)),
    ("POST", "/api/v1/orgs/{id}/users", Rule::Admin(201)),
    ("GET", "/api/v1/orgs/{id}/users", Rule::Member(200)),
    ("GET", "/api/v1/users/{id}", Rule::Member(200)),
    ("PATCH", "/api/v1/users/{id}", Rule::Admin(200)),
    ("POST", "/api/v1/orgs/{id}/api-keys", Rule::UserMember(201)),
    ("GET", "/api/v1/orgs/{id}/api-keys", Rule::Member(200)),
    ("DELETE", "/api/v1/api-keys/{id}", Rule::UserMember(204)),
    ("GET", "/api/v1/audit", Rule::Admin(200)),
    // Without `serials` anyone signed in may have a pack (serials: status_pack.rs).
    ("GET", "/api/v1/status-pack", Rule::Authenticated(200)),
    // certificates: no matrix caller is a certifier of a CAB or accreditation body, so writes
    // read as admin-only here; certifiers' own writes are tested in accreditations.rs and
    // certificates.rs.
    (
        "POST",
        "/api/v1/accreditation-bodies/{id}/signatures",
        Rule::Admin(201),
    ),
    (
        "GET",
        "/api/v1/accreditation-bodies/{id}/signatures",
        Rule::Public(200),
    ),
    ("PATCH", "/api/v1/signatures/{id}", Rule::Admin(200)),
    ("POST", "/api/v1/accreditations", Rule::Admin(201)),
    ("GET", "/api/v1/accreditations", Rule::Public(200)),
    ("GET", "/api/v1/accreditations/{id}", Rule::Public(200)),
    ("PATCH", "/api/v1/accreditations/{id}", Rule::Admin(200)),
    ("POST", "/api/v1/certificates", Rule::Admin(201)),
    ("GET", "/api/v1/certificates", Rule::Public(200)),
    ("GET", "/api/v1/certificates/{id}", Rule::Public(200)),
    ("POST", "/api/v1/certificates/{id}/status", Rule::Admin(200)),
    (
        "GET",
        "/api/v1/products/{gtin}/certificates",
        Rule::Public(200),
    ),
    // Passports: own = organisation A's product, foreign = B's; each has a published v1.
    ("GET", "/.well-known/jwks.json", Rule::Public(200)),
    // Public resolution: credentials play no part. The matrix's placeholder keys are not
    // valid GS1 keys (400), the lookup lacks its code (422), a placeholder is no compressed
    // link (404).
    ("GET", "/api/v1/lookup", Rule::Public(422)),
    ("OPTIONS", "/api/v1/lookup", Rule::Public(204)),
    // A batch of two codes: one unregistered, one not GS1; both are verdicts, not errors.
    ("POST", "/api/v1/lookups", Rule::Public(200)),
    ("GET", "/.well-known/gs1resolver", Rule::Public(200)),
    ("HEAD", "/.well-known/gs1resolver", Rule::Public(200)),
    ("OPTIONS", "/.well-known/gs1resolver", Rule::Public(204)),
    ("GET", "/01/{gtin}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}", Rule::Public(204)),
    ("GET", "/01/{gtin}/10/{lot}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/10/{lot}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}/10/{lot}", Rule::Public(204)),
    ("GET", "/01/{gtin}/21/{serial}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/21/{serial}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}/21/{serial}", Rule::Public(204)),
    ("GET", "/01/{gtin}/10/{lot}/21/{serial}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/10/{lot}/21/{serial}", Rule::Public(400)),
    (
        "OPTIONS",
        "/01/{gtin}/10/{lot}/21/{serial}",
        Rule::Public(204),
    ),
    ("GET", "/01/{gtin}/22/{cpv}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/22/{cpv}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}/22/{cpv}", Rule::Public(204)),
    ("GET", "/01/{gtin}/22/{cpv}/10/{lot}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/22/{cpv}/10/{lot}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}/22/{cpv}/10/{lot}", Rule::Public(204)),
    ("GET", "/01/{gtin}/22/{cpv}/21/{serial}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/22/{cpv}/21/{serial}", Rule::Public(400)),
    (
        "OPTIONS",
        "/01/{gtin}/22/{cpv}/21/{serial}",
        Rule::Public(204),
    ),
    (
        "GET",
        "/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}",
        Rule::Public(400),
    ),
    (
        "HEAD",
        "/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}",
        Rule::Public(400),
    ),
    (
        "OPTIONS",
        "/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}",
        Rule::Public(204),
    ),
    ("GET", "/01/{gtin}/235/{tpx}", Rule::Public(400)),
    ("HEAD", "/01/{gtin}/235/{tpx}", Rule::Public(400)),
    ("OPTIONS", "/01/{gtin}/235/{tpx}", Rule::Public(204)),
    ("GET", "/00/{sscc}", Rule::Public(400)),
    ("HEAD", "/00/{sscc}", Rule::Public(400)),
    ("OPTIONS", "/00/{sscc}", Rule::Public(204)),
    ("GET", "/414/{gln}", Rule::Public(400)),
    ("HEAD", "/414/{gln}", Rule::Public(400)),
    ("OPTIONS", "/414/{gln}", Rule::Public(204)),
    ("GET", "/414/{gln}/254/{ext}", Rule::Public(400)),
    ("HEAD", "/414/{gln}/254/{ext}", Rule::Public(400)),
    ("OPTIONS", "/414/{gln}/254/{ext}", Rule::Public(204)),
    ("GET", "/{compressed}", Rule::Public(404)),
    ("HEAD", "/{compressed}", Rule::Public(404)),
    ("OPTIONS", "/{compressed}", Rule::Public(204)),
    (
        "PUT",
        "/api/v1/products/{gtin}/passport",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    ("GET", "/api/v1/products/{gtin}/passport", Rule::Member(200)),
    (
        "POST",
        "/api/v1/products/{gtin}/passport/publish",
        Rule::RoleOwn(EXPORTERS, 201),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/passport/versions",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/passport/versions/{n}",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/passport/versions/{n}/jws",
        Rule::Public(200),
    ),
    (
        "PUT",
        "/api/v1/products/{gtin}/lots/{lot}/passport",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/lots/{lot}/passport",
        Rule::Member(200),
    ),
    (
        "POST",
        "/api/v1/products/{gtin}/lots/{lot}/passport/publish",
        Rule::RoleOwn(EXPORTERS, 201),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/lots/{lot}/passport/versions",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}/jws",
        Rule::Public(200),
    ),
    (
        "PUT",
        "/api/v1/products/{gtin}/serials/{serial}/passport",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/serials/{serial}/passport",
        Rule::Member(200),
    ),
    (
        "POST",
        "/api/v1/products/{gtin}/serials/{serial}/passport/publish",
        Rule::RoleOwn(EXPORTERS, 201),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/serials/{serial}/passport/versions",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}",
        Rule::Public(200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}/jws",
        Rule::Public(200),
    ),
    // Traceability: the EPCIS REST binding.
    (
        "POST",
        "/epcis/capture",
        Rule::Role(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 202),
    ),
    ("OPTIONS", "/epcis/capture", Rule::Public(204)),
    ("GET", "/epcis/capture/{id}", Rule::Member(200)),
    (
        "POST",
        "/epcis/events",
        Rule::Role(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 201),
    ),
    ("GET", "/epcis/events", Rule::Authenticated(200)),
    ("GET", "/epcis/events/{id}", Rule::Visible(200)),
    ("GET", "/epcis/eventTypes", Rule::Authenticated(200)),
    // The binding's resource endpoints: anyone signed in, each seeing its own scope.
    (
        "GET",
        "/epcis/eventTypes/{eventType}/events",
        Rule::Authenticated(200),
    ),
    ("GET", "/epcis/epcs/{epc}/events", Rule::Authenticated(200)),
    ("GET", "/epcis/bizSteps", Rule::Authenticated(200)),
    (
        "GET",
        "/epcis/bizSteps/{bizStep}/events",
        Rule::Authenticated(200),
    ),
    ("GET", "/epcis/bizLocations", Rule::Authenticated(200)),
    (
        "GET",
        "/epcis/bizLocations/{bizLocation}/events",
        Rule::Authenticated(200),
    ),
    ("GET", "/epcis/readPoints", Rule::Authenticated(200)),
    (
        "GET",
        "/epcis/readPoints/{readPoint}/events",
        Rule::Authenticated(200),
    ),
    ("GET", "/epcis/dispositions", Rule::Authenticated(200)),
    (
        "GET",
        "/epcis/dispositions/{disposition}/events",
        Rule::Authenticated(200),
    ),
    // Named queries and their subscriptions: an organisation's own, 404 to others.
    (
        "POST",
        "/epcis/queries",
        Rule::Role(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 201),
    ),
    ("GET", "/epcis/queries", Rule::Authenticated(200)),
    ("GET", "/epcis/queries/{queryName}", Rule::Visible(200)),
    (
        "DELETE",
        "/epcis/queries/{queryName}",
        Rule::RoleVisible(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 204),
    ),
    (
        "GET",
        "/epcis/queries/{queryName}/events",
        Rule::Visible(200),
    ),
    (
        "POST",
        "/epcis/queries/{queryName}/subscriptions",
        Rule::RoleVisible(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 201),
    ),
    (
        "GET",
        "/epcis/queries/{queryName}/subscriptions",
        Rule::Visible(200),
    ),
    (
        "GET",
        "/epcis/queries/{queryName}/subscriptions/{subscriptionID}",
        Rule::Visible(200),
    ),
    (
        "DELETE",
        "/epcis/queries/{queryName}/subscriptions/{subscriptionID}",
        Rule::RoleVisible(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 204),
    ),
    // Without its `epc` the journey is refused (422), whoever asks.
    ("GET", "/api/v1/journeys", Rule::Optional(422)),
    // The placeholder is no SSCC: refused (422) to anyone signed in; who sees which shipment
    // is tested in custody.rs.
    ("GET", "/api/v1/shipments/{sscc}", Rule::Authenticated(422)),
    // Without its `epc` the request is refused (422) to anyone signed in; who may have a
    // credential issued is tested in dte.rs. No credential has the placeholder's id (404).
    (
        "POST",
        "/api/v1/traceability-credentials",
        Rule::Authenticated(422),
    ),
    (
        "GET",
        "/api/v1/traceability-credentials/{id}",
        Rule::Public(404),
    ),
    // Surveillance: the seeded inspector's organisation A is no authority, so only admins record.
    ("POST", "/api/v1/inspections", Rule::Admin(201)),
    (
        "GET",
        "/api/v1/inspections",
        Rule::Role(&[Caller::Exporter, Caller::ApiKey, Caller::Inspector], 200),
    ),
    ("GET", "/api/v1/inspections/{id}", Rule::Surveillance(200)),
    (
        "POST",
        "/api/v1/alerts",
        Rule::Role(&[Caller::Certifier], 201),
    ),
    ("GET", "/api/v1/alerts", Rule::Public(200)),
    ("GET", "/api/v1/alerts/{id}", Rule::Public(200)),
    (
        "POST",
        "/api/v1/alerts/{id}/lift",
        Rule::RoleOwn(&[Caller::Certifier], 200),
    ),
    ("GET", "/api/v1/orgs/{id}/alerts", Rule::Member(200)),
    // serials
    (
        "POST",
        "/api/v1/products/{gtin}/lots",
        Rule::RoleOwn(EXPORTERS, 201),
    ),
    ("GET", "/api/v1/products/{gtin}/lots", Rule::Member(200)),
    (
        "GET",
        "/api/v1/products/{gtin}/lots/{lot}",
        Rule::Member(200),
    ),
    (
        "PATCH",
        "/api/v1/products/{gtin}/lots/{lot}",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    (
        "POST",
        "/api/v1/products/{gtin}/serials",
        Rule::RoleOwn(EXPORTERS, 201),
    ),
    ("GET", "/api/v1/products/{gtin}/serials", Rule::Member(200)),
    (
        "POST",
        "/api/v1/products/{gtin}/serials/state",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    (
        "GET",
        "/api/v1/products/{gtin}/serials/{serial}",
        Rule::Member(200),
    ),
    (
        "POST",
        "/api/v1/products/{gtin}/serials/{serial}/state",
        Rule::RoleOwn(EXPORTERS, 200),
    ),
    ("GET", "/api/v1/commission-jobs/{id}", Rule::Member(200)),
    ("POST", "/api/v1/prefixes", Rule::Admin(201)),
    ("GET", "/api/v1/prefixes", Rule::Authenticated(200)),
    ("GET", "/api/v1/prefixes/{id}", Rule::Member(200)),
    ("PATCH", "/api/v1/prefixes/{id}", Rule::Admin(200)),
    ("POST", "/api/v1/prefixes/{id}/gtins", Rule::Exporter(201)),
    ("POST", "/api/v1/prefixes/{id}/ssccs", Rule::Exporter(201)),
    ("POST", "/api/v1/prefixes/{id}/glns", Rule::Exporter(201)),
    ("GET", "/api/v1/prefixes/{id}/keys", Rule::Member(200)),
    ("POST", "/api/v1/products", Rule::Exporter(201)),
    ("GET", "/api/v1/products", Rule::Optional(200)),
    ("POST", "/api/v1/products/import", Rule::ExporterRole(200)),
    ("POST", "/api/v1/labels/sheets", Rule::Exporter(200)),
    ("GET", "/api/v1/products/{gtin}", Rule::Optional(200)),
    ("PATCH", "/api/v1/products/{gtin}", Rule::Exporter(200)),
    ("GET", "/api/v1/products/{gtin}/label", Rule::Exporter(200)),
    ("POST", "/api/v1/products/{gtin}/links", Rule::Exporter(201)),
    ("GET", "/api/v1/products/{gtin}/links", Rule::Optional(200)),
    ("PATCH", "/api/v1/links/{id}", Rule::Exporter(200)),
    ("DELETE", "/api/v1/links/{id}", Rule::Exporter(204)),
];
