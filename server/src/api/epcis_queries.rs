//! The REST binding's named queries and their webhook subscriptions: `/epcis/queries`,
//! `/epcis/queries/{queryName}` (and its `/events`), `/epcis/queries/{queryName}/subscriptions`
//! and `.../subscriptions/{subscriptionID}`.
//!
//! A query belongs to the caller's organisation; another organisation's is 404 (an admin's
//! lookup is in `domain::named_queries::resolve`). Subscriptions are webhooks only: WebSocket
//! streaming (`GET .../events?stream=true`) is not offered. Deliveries are the worker's
//! (`crate::subscriptions`).

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use db::queries::QueryRow;
use domain::{named_queries, subscriptions};
use serde_json::{Value, json};

use super::epcis::{
    answer_query, check_version, epc_format, field, list_answer, of_query, paging, query_pairs,
    query_param, with_versions,
};
use crate::{
    auth::Authenticated,
    error::{ApiError, EpcisException},
    state::AppState,
};

/// `e` with a 404 reported as the binding's `NoSuchNameException`: the named query the path
/// names does not exist (or is another organisation's).
fn no_such_name(e: ApiError) -> ApiError {
    e.reported_as(EpcisException::NoSuchName)
}

/// A named query as the binding's `QueryDefinition`: `name` and `query`.
fn query_json(row: &QueryRow) -> Result<Value, ApiError> {
    let definition = named_queries::definition(row)?;
    Ok(json!({"name": row.name, "query": definition}))
}

/// `POST /epcis/queries`: `{"name": ..., "query": {...}}`; `201` with its `Location`.
#[tracing::instrument(skip_all)]
pub async fn create_query(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    domain::traceability::require_capturer(&who)?;
    check_version(&req)?;
    let body = body.into_inner();
    let Some(o) = body.as_object() else {
        return Err(field("body", "must be a JSON object"));
    };
    if let Some(k) = o.keys().find(|k| !matches!(k.as_str(), "name" | "query")) {
        return Err(field(k, "is not a field of a query definition"));
    }
    let name = match o.get("name") {
        Some(Value::String(s)) => s.clone(),
        _ => return Err(field("name", "is required, a string")),
    };
    let definition = match o.get("query") {
        Some(Value::Object(q)) => q.clone(),
        _ => return Err(field("query", "is required, an object of query parameters")),
    };
    let row = state
        .apply(move |conn| named_queries::create(conn, &who, &name, &definition))
        .await?;
    Ok(with_versions(HttpResponse::Created())
        .insert_header((header::LOCATION, format!("/epcis/queries/{}", row.name)))
        .json(query_json(&row)?))
}

/// `GET /epcis/queries`: the caller's organisation's named queries, paged.
#[tracing::instrument(skip_all)]
pub async fn list_queries(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_pairs(&req)?;
    let (per_page, token) = paging(&pairs)?;
    let (rows, next) = state
        .apply(move |conn| named_queries::list(conn, &who, per_page, token.as_deref()))
        .await
        .map_err(of_query)?;
    let items: Vec<Value> = rows.iter().map(query_json).collect::<Result<_, _>>()?;
    list_answer(&req, pairs, items, next)
}

/// `GET /epcis/queries/{queryName}`: its definition.
#[tracing::instrument(skip(state, who))]
pub async fn get_query(
    state: web::Data<AppState>,
    who: Authenticated,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    let row = state
        .apply(move |conn| named_queries::resolve(conn, &who, &name))
        .await
        .map_err(no_such_name)?;
    Ok(with_versions(HttpResponse::Ok()).json(query_json(&row)?))
}

/// `DELETE /epcis/queries/{queryName}`: the query and every subscription to it.
#[tracing::instrument(skip(state, who))]
pub async fn delete_query(
    state: web::Data<AppState>,
    who: Authenticated,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    state
        .apply(move |conn| named_queries::delete(conn, &who, &name))
        .await
        .map_err(no_such_name)?;
    Ok(with_versions(HttpResponse::NoContent()).finish())
}

/// `GET /epcis/queries/{queryName}/events`: the query run as `GET /epcis/events` runs one,
/// in the caller's scope; the request may only page (`perPage`, `nextPageToken`).
#[tracing::instrument(skip(state, who, req))]
pub async fn query_events(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_version(&req)?;
    epc_format(&req)?;
    let pairs = query_pairs(&req)?;
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "perPage" | "nextPageToken"))
    {
        return Err(query_param(
            k,
            "is not a parameter here: the named query's definition fixes its parameters \
             (perPage and nextPageToken page it)",
        ));
    }
    let name = name.into_inner();
    let caller = who.clone();
    let extra = pairs.clone();
    let (row, query) = state
        .apply(move |conn| {
            let row = named_queries::resolve(conn, &caller, &name)?;
            let definition = named_queries::definition(&row)?;
            let query = named_queries::parse(&definition, &extra)?;
            Ok((row, query))
        })
        .await
        .map_err(|e| of_query(no_such_name(e)))?;
    answer_query(state, who, req, query, pairs, &row.name).await
}

/// `POST /epcis/queries/{queryName}/subscriptions`: a webhook; `201` with its `Location`.
#[tracing::instrument(skip_all)]
pub async fn subscribe(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    name: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    domain::traceability::require_capturer(&who)?;
    check_version(&req)?;
    let format = epc_format(&req)?;
    let name = name.into_inner();
    let body = body.into_inner();
    let (query, row) = state
        .apply(move |conn| subscriptions::create(conn, &who, &name, &body, format))
        .await
        .map_err(no_such_name)?;
    let location = format!("/epcis/queries/{}/subscriptions/{}", query.name, row.id);
    Ok(with_versions(HttpResponse::Created())
        .insert_header((header::LOCATION, location))
        .json(subscriptions::to_json(&query, &row)))
}

/// `GET /epcis/queries/{queryName}/subscriptions`: the subscriptions to it, paged.
#[tracing::instrument(skip(state, who, req))]
pub async fn list_subscriptions(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_pairs(&req)?;
    let (per_page, token) = paging(&pairs)?;
    let name = name.into_inner();
    let (query, rows, next) = state
        .apply(move |conn| subscriptions::list(conn, &who, &name, per_page, token.as_deref()))
        .await
        .map_err(|e| of_query(no_such_name(e)))?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| subscriptions::to_json(&query, r))
        .collect();
    list_answer(&req, pairs, items, next)
}

/// `GET /epcis/queries/{queryName}/subscriptions/{subscriptionID}`: with its delivery state
/// (`lastNotifiedAt`, `lastError`).
#[tracing::instrument(skip(state, who))]
pub async fn get_subscription(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, id) = path.into_inner();
    let (query, row) = state
        .apply(move |conn| subscriptions::get(conn, &who, &name, &id))
        .await?;
    Ok(with_versions(HttpResponse::Ok()).json(subscriptions::to_json(&query, &row)))
}

/// `DELETE /epcis/queries/{queryName}/subscriptions/{subscriptionID}`: unsubscribes.
#[tracing::instrument(skip(state, who))]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, id) = path.into_inner();
    state
        .apply(move |conn| subscriptions::delete(conn, &who, &name, &id))
        .await?;
    Ok(with_versions(HttpResponse::NoContent()).finish())
}
