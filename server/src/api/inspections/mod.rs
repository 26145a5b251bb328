//! `/api/v1/inspections`: record (authority inspectors), list and read (inspectors, admins, and
//! exporters for their own products).

mod wire;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use chrono::DateTime;
use gs1::{date::Date, keys::Gtin, scan};
use serde::{Deserialize, Serialize};

use super::{Fields, created, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{self, inspections::Inspection};
use domain::{
    inspections::{self, NewInspection, Outcome, sha256_hex, text},
    pagination::{Page, PageQuery},
};
pub use wire::{CreateBody, InspectionOut, ListQuery};

/// `POST /api/v1/inspections` (inspectors of an authority, admins). With an `Idempotency-Key`
/// a retry of the same body answers 200 with the first inspection (`Idempotent-Replayed:
/// true`) instead of recording it twice; another body under the same key is 409.
#[tracing::instrument(skip(state, body, req))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let key = match req.headers().get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        // Not visible ASCII: refused by the same check as any bad key.
        Some(Err(_)) => Some(domain::serials::idempotency_key(Some("\u{7f}"))?),
        Some(Ok(v)) => Some(domain::serials::idempotency_key(Some(v))?),
    };
    let new = NewInspection::try_from(body.into_inner())?;
    let out = state
        .apply(move |conn| inspections::record_once(conn, &who, new, key))
        .await?;
    let location = format!("/api/v1/inspections/{}", out.row.id);
    if out.replayed {
        return Ok(HttpResponse::Ok()
            .insert_header((header::LOCATION, location))
            .insert_header(("idempotent-replayed", "true"))
            .json(InspectionOut::from(out.row)));
    }
    if let Some(gtin) = &out.row.gtin {
        state.cache.bump(gtin);
    }
    Ok(created(&location, &InspectionOut::from(out.row)))
}

/// `GET /api/v1/inspections`.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let mut f = Fields::default();
    let gtin = q.gtin.map(|g| f.check("gtin", g.parse::<Gtin>()));
    let outcome = q.outcome.map(|o| f.check("outcome", o.parse::<Outcome>()));
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let filter = db::inspections::Filter {
        gtin: gtin.flatten().map(|g| g.to_string()),
        outcome: outcome.flatten().map(|o| o.as_str().to_owned()),
        product_owner: inspections::visible_to(&who)?,
    };
    let limit = page.limit;
    let rows = state
        .run(move |conn| Ok(db::inspections::list(conn, &filter, &page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |i: &Inspection| i.id.clone(),
        InspectionOut::from,
    )))
}

/// `GET /api/v1/inspections/{id}`.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .apply(move |conn| inspections::get(conn, &who, &id))
        .await?;
    with_etag(&req, &InspectionOut::from(row))
}
