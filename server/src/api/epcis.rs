//! `/epcis/`: the EPCIS 2.0 REST binding (capture, events, event types; the resource endpoints
//! are in `epcis_resources`), as GS1's OpenAPI
//! (`../shared/reference/epcis/rest-binding/openapi.yaml`) describes it.
//!
//! Errors are RFC 9457 problem documents like every other endpoint's (with `request_id` and
//! `errors: [{field, reason}]`) whose `type` is the binding's exception,
//! `epcisException:ValidationException`, `QueryParameterException`, `SecurityException`,
//! `NoSuchResourceException`, `NoSuchNameException`, `QueryTooLargeException`,
//! `CaptureLimitExceededException`, `ImplementationException`, ... (`crate::error::EpcisException`
//! maps them from the error's kind, handlers refine it with [`query_param`] and [`of_query`]).
//!
//! Where we differ from the binding (each also in `openapi.yaml`): a capture of up to 1,000
//! events is processed before the `202` is answered, so its job is already finished when the
//! client first looks; query parameters this repository cannot evaluate (master data
//! attributes, extension fields of locations) and other refused ones are 422 (the binding
//! says 400), still `QueryParameterException`; 405 and 429, for which the binding names no
//! exception, keep this service's own problem types; page tokens are stateless, so
//! `DELETE /epcis/nextPageToken/{token}` is 501.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use domain::traceability::{self, CAPTURE_LIMIT, ErrorBehaviour};
use epcis::{
    Document, EpcFormat, Event,
    epc::Gs1GcpTable,
    query::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Query},
};
use serde_json::{Value, json};

use crate::{
    auth::Authenticated,
    error::{ApiError, EpcisException},
    state::AppState,
};

/// The largest capture body, in bytes (`GS1-EPCIS-Capture-File-Size-Limit`): room for
/// [`CAPTURE_LIMIT`] events of about 1.5 KiB each.
pub const CAPTURE_FILE_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// Whether `path` is the binding's: `/epcis` or under it.
pub fn is_binding_path(path: &str) -> bool {
    path.strip_prefix("/epcis")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The EPCIS and CBV versions every answer names.
const VERSIONS: [(&str, &str); 2] = [("GS1-EPCIS-Version", "2.0.0"), ("GS1-CBV-Version", "2.0.0")];

pub(crate) fn bad_request(detail: impl Into<String>) -> ApiError {
    ApiError::BadRequest {
        detail: detail.into(),
        errors: Vec::new(),
    }
}

pub(crate) fn field(name: &str, reason: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![crate::error::FieldError::new(name, reason)])
}

/// A refusal of the query parameter `name` (a `QueryParameterException`, 422).
pub(crate) fn query_param(name: &str, reason: impl Into<String>) -> ApiError {
    field(name, reason).reported_as(EpcisException::QueryParameter)
}

/// `e` reported as a `QueryParameterException` if it refuses the input: for what a rule says
/// of the query parameters it was given (a page token no earlier page gave, ...).
pub(crate) fn of_query(e: ApiError) -> ApiError {
    e.reported_as(EpcisException::QueryParameter)
}

/// The request's query string pairs.
pub(crate) fn query_pairs(req: &HttpRequest) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(req.query_string()).map_err(|e| of_query(bad_request(e.to_string())))
}

/// `perPage` and `nextPageToken` of a list; any other parameter is refused by name.
pub(crate) fn paging(pairs: &[(String, String)]) -> Result<(u32, Option<String>), ApiError> {
    let mut per_page = DEFAULT_PER_PAGE;
    let mut token = None;
    for (k, v) in pairs {
        match k.as_str() {
            "perPage" => {
                per_page = v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| {
                        query_param(
                            "perPage",
                            format!("must be a whole number from 1 to {MAX_PER_PAGE}"),
                        )
                    })?;
            }
            "nextPageToken" => token = Some(v.clone()),
            other => return Err(query_param(other, "is not a parameter of this list")),
        }
    }
    Ok((per_page, token))
}

/// A JSON answer with the next page's `Link`.
pub(crate) fn list_answer(
    req: &HttpRequest,
    pairs: Vec<(String, String)>,
    body: impl serde::Serialize,
    next: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let mut res = with_versions(HttpResponse::Ok());
    if let Some(token) = next {
        res.insert_header((header::LINK, next_link(req, pairs, &token)?));
    }
    Ok(res.json(body))
}

/// The longest value a resource path names (`maxLength` in openapi.yaml).
pub const MAX_PATH_VALUE: usize = 2048;

/// Refuses (404) a path value that names no single resource of the kind the query parameter
/// `name` filters by: a `|` would make it a list, and a value that is no business step (say)
/// names no business step at all.
pub(crate) fn one_resource(name: &str, value: &str) -> Result<(), ApiError> {
    if value.len() > MAX_PATH_VALUE || value.contains('|') || Query::parse([(name, value)]).is_err()
    {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// Refuses a `GS1-EPCIS-Version` or `GS1-CBV-Version` other than 2.x (422).
pub(crate) fn check_version(req: &HttpRequest) -> Result<(), ApiError> {
    for (name, standard) in [("GS1-EPCIS-Version", "EPCIS"), ("GS1-CBV-Version", "CBV")] {
        match req.headers().get(name).map(|v| v.to_str()) {
            None => {}
            Some(Ok(v)) if is_version_2(v) => {}
            Some(_) => {
                return Err(field(
                    name,
                    format!("this repository speaks {standard} 2.0.x only"),
                ));
            }
        }
    }
    Ok(())
}

/// `2.N` or `2.N.M`, as openapi.yaml's pattern says.
fn is_version_2(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("2.") else {
        return false;
    };
    let mut parts = rest.split('.');
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(numeric) && parts.next().is_none_or(numeric) && parts.next().is_none()
}

/// The identifier form a client asks for with `GS1-EPC-Format`.
pub(crate) fn epc_format(req: &HttpRequest) -> Result<EpcFormat, ApiError> {
    match req.headers().get("gs1-epc-format").map(|v| v.to_str()) {
        None => Ok(EpcFormat::DigitalLink),
        Some(Ok("No_Preference" | "Always_GS1_Digital_Link" | "Never_Translates")) => {
            Ok(EpcFormat::DigitalLink)
        }
        Some(Ok("Always_EPC_URN")) => Ok(EpcFormat::Urn),
        Some(_) => Err(field(
            "GS1-EPC-Format",
            "must be No_Preference, Always_GS1_Digital_Link, Always_EPC_URN or Never_Translates",
        )),
    }
}

pub(crate) fn with_versions(
    mut b: actix_web::HttpResponseBuilder,
) -> actix_web::HttpResponseBuilder {
    for h in VERSIONS {
        b.insert_header(h);
    }
    b
}

/// The binding a body is written in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    JsonLd,
    Xml,
}

/// Reads a body of at most [`CAPTURE_FILE_SIZE_LIMIT`] bytes in the JSON-LD binding, or (where
/// `xml` allows) the XML binding of EPCIS 2.0 or 1.2, into the JSON-LD shape.
async fn read_body(req: &HttpRequest, payload: web::Payload, xml: bool) -> Result<Value, ApiError> {
    let mime = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<actix_web::mime::Mime>().ok());
    let binding = match mime.as_ref().map(|m| m.essence_str()) {
        Some("application/json" | "application/ld+json") => Binding::JsonLd,
        Some("application/xml" | "text/xml") if xml => Binding::Xml,
        _ if xml => {
            return Err(bad_request(
                "expected Content-Type: application/ld+json, application/json or application/xml",
            ));
        }
        _ => {
            return Err(bad_request(
                "expected Content-Type: application/ld+json or application/json",
            ));
        }
    };
    let body = match payload.to_bytes_limited(CAPTURE_FILE_SIZE_LIMIT).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => return Err(bad_request(format!("cannot read the body: {e}"))),
        Err(_) => {
            return Err(ApiError::CaptureTooLarge(format!(
                "request body too large: at most {CAPTURE_FILE_SIZE_LIMIT} bytes \
                 (GS1-EPCIS-Capture-File-Size-Limit)"
            )));
        }
    };
    match binding {
        Binding::JsonLd => {
            serde_json::from_slice(&body).map_err(|e| bad_request(format!("body is not JSON: {e}")))
        }
        Binding::Xml => epcis::xml::read_document(&body)
            .map_err(|e| bad_request(format!("body is not an EPCIS XML document: {e}"))),
    }
}

/// Whether the client asked for the XML binding (`Accept: application/xml`) rather than
/// JSON-LD.
fn wants_xml(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            let first = a.split(',').next().unwrap_or("").trim();
            first.starts_with("application/xml") || first.starts_with("text/xml")
        })
}

/// `OPTIONS /epcis/capture`: the discovery headers and the capture limits.
pub async fn capture_options(allow: String) -> HttpResponse {
    super::epcis_discovery::discovery(&allow)
        .insert_header(("GS1-EPCIS-Capture-Limit", CAPTURE_LIMIT.to_string()))
        .insert_header((
            "GS1-EPCIS-Capture-File-Size-Limit",
            CAPTURE_FILE_SIZE_LIMIT.to_string(),
        ))
        .insert_header(("GS1-Capture-Error-Behaviour", "rollback, proceed"))
        .finish()
}

/// `POST /epcis/capture`: an EPCIS document; `202` with the capture job's `Location`.
#[tracing::instrument(skip_all)]
pub async fn capture(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    traceability::require_capturer(&who)?;
    check_version(&req)?;
    let behaviour = match req.headers().get("gs1-capture-error-behaviour") {
        None => ErrorBehaviour::default(),
        Some(v) => ErrorBehaviour::parse(v.to_str().unwrap_or_default())?,
    };
    let value = read_body(&req, payload, true).await?;
    let doc = Document::from_json(&value).map_err(|e| field(e.path.as_str(), e.reason))?;
    drop(value);
    // The rule's own check (`traceability::capture`) refuses the document too, as a field;
    // the binding answers 413 with the limits.
    if doc.events.len() > CAPTURE_LIMIT {
        return Err(ApiError::CaptureTooLarge(format!(
            "epcisBody.eventList holds more than {CAPTURE_LIMIT} events \
             (GS1-EPCIS-Capture-Limit)"
        )));
    }
    let row = if doc.events.len() <= SYNC_EVENTS {
        let captured = state
            .apply(move |conn| traceability::capture(conn, &who, &doc, behaviour))
            .await?;
        state.cache.bump_each(&captured.made);
        captured.row
    } else {
        background(&state, who.0, doc, behaviour).await?
    };
    Ok(with_versions(HttpResponse::Accepted())
        .insert_header((header::LOCATION, format!("/epcis/capture/{}", row.id)))
        .insert_header(("GS1-Capture-Error-Behaviour", row.behaviour.as_str()))
        .json(capture_job(&row)))
}

/// Documents of more events than this are captured in the background: the `202` answers at
/// once with a running job (EPCIS 2.0 REST binding, capture); smaller ones finish before it.
pub const SYNC_EVENTS: usize = 1_000;

/// Records the capture of `doc` as a running job and captures it on a blocking thread; the
/// job's record is what the client polls.
async fn background(
    state: &web::Data<AppState>,
    who: domain::Caller,
    doc: Document,
    behaviour: ErrorBehaviour,
) -> Result<db::events::CaptureRow, ApiError> {
    let lease = state.lease.id().to_owned();
    let (w, d) = (who.clone(), doc);
    let (row, doc) = state
        .apply(move |conn| traceability::begin(conn, &w, &d, behaviour, &lease).map(|row| (row, d)))
        .await?;
    let job = row.clone();
    let state = state.clone();
    actix_web::rt::spawn(async move {
        let id = job.id.clone();
        let failed = job.clone();
        let outcome = state
            .apply(move |conn| traceability::finish(conn, &who, &doc, behaviour, job))
            .await;
        match outcome {
            Ok(captured) => state.cache.bump_each(&captured.made),
            Err(e) => {
                tracing::error!(capture = %id, error = %e, "background capture failed");
                let reason = "the capture failed on the server; nothing was stored";
                if let Err(e) = state
                    .apply(move |conn| traceability::fail(conn, failed, reason))
                    .await
                {
                    tracing::error!(capture = %id, error = %e, "cannot record the failure");
                }
            }
        }
    });
    Ok(row)
}

/// The `Link` header value of the next page: this request's path and parameters with
/// `nextPageToken` set to `token`.
pub(super) fn next_link(
    req: &HttpRequest,
    pairs: Vec<(String, String)>,
    token: &str,
) -> Result<String, ApiError> {
    let mut kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k != "nextPageToken")
        .collect();
    kept.push(("nextPageToken".to_owned(), token.to_owned()));
    let qs = serde_urlencoded::to_string(&kept).map_err(ApiError::internal)?;
    Ok(format!("<{}?{qs}>; rel=\"next\"", req.path()))
}

/// A capture job as the binding's `CaptureJob` schema shows it.
pub(crate) fn capture_job(row: &db::events::CaptureRow) -> Value {
    let errors: Value = serde_json::from_str(&row.errors).unwrap_or_else(|_| json!([]));
    json!({
        "captureID": row.id,
        "createdAt": super::time(&row.created_at),
        "finishedAt": super::time(&row.finished_at),
        "running": row.running,
        // A running job has not succeeded yet.
        "success": row.success && !row.running,
        "captureErrorBehaviour": row.behaviour,
        "events": row.events,
        "stored": row.stored,
        "duplicates": row.duplicates,
        "errors": errors,
    })
}

/// `GET /epcis/capture/{captureID}`.
#[tracing::instrument(skip(state, who))]
pub async fn capture_status(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .apply(move |conn| traceability::get_capture(conn, &who, &id))
        .await?;
    Ok(with_versions(HttpResponse::Ok()).json(capture_job(&row)))
}

/// `POST /epcis/events`: one event; `201` with its `Location`, or the reason it was refused.
#[tracing::instrument(skip_all)]
pub async fn capture_event(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    traceability::require_capturer(&who)?;
    check_version(&req)?;
    let value = read_body(&req, payload, false).await?;
    let event = Event::from_json(&value).map_err(|e| field(e.path.as_str(), e.reason))?;
    let context = value
        .get("@context")
        .cloned()
        .unwrap_or_else(|| json!(epcis::document::CONTEXT));
    let doc = Document {
        context,
        header: serde_json::Map::new(),
        events: vec![Ok(event)],
    };
    let captured = state
        .apply(move |conn| traceability::capture(conn, &who, &doc, ErrorBehaviour::Rollback))
        .await?;
    state.cache.bump_each(&captured.made);
    if let Some(f) = captured.failures.into_iter().next() {
        return Err(field(
            &f.path.replacen("epcisBody.eventList[0].", "", 1),
            f.reason,
        ));
    }
    let Some((_, id)) = captured.ids.into_iter().next() else {
        return Err(ApiError::internal(std::io::Error::other(
            "a capture without failures stored no event",
        )));
    };
    let location = format!(
        "/epcis/events/{}",
        gs1::digital_link::escape(&id, gs1::digital_link::UriPart::Path)
    );
    Ok(with_versions(HttpResponse::Created())
        .insert_header((header::LOCATION, location))
        .finish())
}

/// `GET /epcis/events`: the query language's parameters; an `EPCISQueryDocument`.
#[tracing::instrument(skip(state, who, req))]
pub async fn events(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    query_events(state, who, req, None).await
}

/// Answers a query: the query string's parameters and, for a resource's `/events`, the one
/// parameter its path stands for (`EQ_bizStep` for `/epcis/bizSteps/{bizStep}/events`).
pub(crate) async fn query_events(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    fixed: Option<(&'static str, String)>,
) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    epc_format(&req)?;
    let pairs = query_pairs(&req)?;
    let mut all: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some((name, value)) = &fixed {
        one_resource(name, value)?;
        if pairs.iter().any(|(k, _)| k == name) {
            return Err(query_param(name, "is given by the path of this resource"));
        }
        all.push((name, value.as_str()));
    }
    let query = Query::parse(all).map_err(|e| query_param(e.path.as_str(), e.reason))?;
    answer_query(state, who, req, query, pairs, "SimpleEventQuery").await
}

/// Runs a parsed query for the caller and answers with its page: an `EPCISQueryDocument`
/// naming `query_name`, and the next page's `Link` (the request's `pairs` with its token).
pub(crate) async fn answer_query(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    query: Query,
    pairs: Vec<(String, String)>,
    query_name: &str,
) -> Result<HttpResponse, ApiError> {
    let format = epc_format(&req)?;
    let page = state
        .apply(move |conn| traceability::query(conn, &who, &query))
        .await
        .map_err(of_query)?;
    let doc = query_document(page.events, format, query_name, None);
    let mut res = with_versions(HttpResponse::Ok());
    if let Some(token) = &page.next_page_token {
        res.insert_header((header::LINK, next_link(&req, pairs, token)?));
    }
    if wants_xml(&req) {
        // An extension key with no XML form (a full IRI, a JSON-LD `id`) cannot be written.
        let xml = epcis::xml::write_query_document(&doc).map_err(|e| {
            field(
                "Accept",
                format!("these events cannot be written in the XML binding: {e}"),
            )
        })?;
        return Ok(res.content_type("application/xml").body(xml));
    }
    Ok(res.content_type("application/ld+json").json(doc))
}

/// The `EPCISQueryDocument` of stored events, identifiers in `format`; a subscription's
/// delivery names its `subscriptionID` too.
pub(crate) fn query_document(
    events: Vec<Value>,
    format: EpcFormat,
    query_name: &str,
    subscription_id: Option<&str>,
) -> Value {
    let mut context = vec![json!(epcis::document::CONTEXT)];
    let events: Vec<Value> = events
        .into_iter()
        .map(|mut e| {
            // Each event's namespaces move up to the document, declared once.
            if let Some(Value::Array(own)) = e.as_object_mut().and_then(|o| o.remove("@context")) {
                for c in own {
                    if !context.contains(&c) {
                        context.push(c);
                    }
                }
            }
            translate(e, format)
        })
        .collect();
    let mut results = json!({
        "queryName": query_name,
        "resultsBody": {"eventList": events},
    });
    if let Some(id) = subscription_id {
        results["subscriptionID"] = json!(id);
    }
    json!({
        "@context": context,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": super::time(&db::now()),
        "epcisBody": {"queryResults": results},
    })
}

/// A stored event with its identifiers in the form the client asked for.
fn translate(event: Value, format: EpcFormat) -> Value {
    if format == EpcFormat::DigitalLink {
        return event;
    }
    // Stored events read back: a failure would mean a stored event we cannot read, so the
    // event is served as stored rather than not at all.
    match Event::from_json(&event) {
        Ok(e) => e.to_json(format, &Gs1GcpTable),
        Err(_) => event,
    }
}

/// `GET /epcis/events/{eventID}`: one event by its eventID or hash id.
#[tracing::instrument(skip(state, who, req))]
pub async fn event(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    let format = epc_format(&req)?;
    let id = id.into_inner();
    let mut event = state
        .apply(move |conn| traceability::get(conn, &who, &id))
        .await?;
    event = translate(event, format);
    if let Some(o) = event.as_object_mut() {
        let mut context = vec![json!(epcis::document::CONTEXT)];
        if let Some(Value::Array(own)) = o.remove("@context") {
            context.extend(own);
        }
        o.insert("@context".into(), Value::Array(context));
    }
    Ok(with_versions(HttpResponse::Ok())
        .content_type("application/ld+json")
        .json(event))
}

/// `GET /epcis/eventTypes`: the event types this repository holds and queries.
pub async fn event_types(_who: Authenticated) -> HttpResponse {
    let types: Vec<&str> = epcis::EventType::ALL.iter().map(|t| t.as_str()).collect();
    with_versions(HttpResponse::Ok()).json(json!({
        "@context": [epcis::document::CONTEXT],
        "type": "Collection",
        "member": types,
    }))
}
