//! Serials of a product: bulk commissioning (`Idempotency-Key`), job progress, reads and state.

mod body;
mod wire;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use gs1::keys::{Lot, Serial};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::{Fields, products::path_gtin, time, with_etag};
use crate::{
    auth::Authenticated,
    error::{ApiError, FieldError},
    state::AppState,
};
pub use body::{BulkBody, CommissionBody, ListQuery, RangeBody, StateBody};
pub(crate) use body::{parse_commission, read_json};
use body::{parse_serial, parse_serials, parse_state};
use db::{
    self,
    serials::{JobRow, SerialRow},
};
use domain::{
    lots,
    pagination::{Page, PageQuery},
    serials::{self, Commission, MAX_BULK, SerialSet, SerialState},
};
pub use wire::{BulkOut, JobOut, SerialOut};

/// `POST /api/v1/products/{gtin}/serials` (admin, or an exporter of the product's organisation).
///
/// Synchronous: answers when the job has finished. 201 for a new job, 200 when the key was seen
/// (the job as it stands, resumed first if it had failed), 409 naming a serial that exists.
#[tracing::instrument(skip(state, req, payload))]
pub async fn commission(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let key_header = req.headers().get("idempotency-key").map(|v| v.to_str());
    let key = match key_header {
        Some(Err(_)) => serials::idempotency_key(Some("\u{7f}")),
        Some(Ok(v)) => serials::idempotency_key(Some(v)),
        None => serials::idempotency_key(None),
    }?;
    let body: CommissionBody = read_json(payload).await?;
    let cmd = parse_commission(key, body)?;
    let scope = gtin.to_string();
    let lease = std::sync::Arc::clone(&state.lease);
    let out = state
        .apply(move |conn| serials::commission(conn, &who, &gtin, cmd, &lease))
        .await?;
    state.cache.bump(&scope);
    let location = format!("/api/v1/commission-jobs/{}", out.job.id);
    let mut res = if out.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(res
        .insert_header((header::LOCATION, location))
        .json(JobOut::from(out.job)))
}

/// `GET /api/v1/commission-jobs/{id}` (admin or a member of the job's organisation).
#[tracing::instrument(skip(state))]
pub async fn job(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let job = state
        .apply(move |conn| serials::job(conn, &who, &id))
        .await?;
    Ok(HttpResponse::Ok().json(JobOut::from(job)))
}

/// `GET /api/v1/products/{gtin}/serials/{serial}` (admin or a member of the product's organisation).
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (gtin, serial) = path.into_inner();
    let gtin = path_gtin(&gtin)?;
    let serial = parse_serial(&serial)?;
    let row = state
        .run(move |conn| {
            lots::readable(conn, &who, &gtin)?;
            Ok(db::serials::get_serial(
                conn,
                gtin.as_str(),
                serial.as_str(),
            )?)
        })
        .await?;
    with_etag(&req, &SerialOut::from(row))
}

/// `GET /api/v1/products/{gtin}/serials?state=&lot=` (admin or a member of the product's organisation).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let q = q.into_inner();
    let mut f = Fields::default();
    let st = q
        .state
        .and_then(|s| f.check("state", s.parse::<SerialState>()));
    let lot = q.lot.and_then(|l| f.check("lot", Lot::parse(&l)));
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            lots::readable(conn, &who, &gtin)?;
            Ok(db::serials::list_serials(
                conn,
                gtin.as_str(),
                st.map(SerialState::as_str),
                lot.as_ref().map(Lot::as_str),
                &page,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |s: &SerialRow| s.serial.clone(),
        SerialOut::from,
    )))
}

/// `POST /api/v1/products/{gtin}/serials/{serial}/state` (admin, or an exporter of the product's
/// organisation): 409 naming from and to when the state machine forbids it.
#[tracing::instrument(skip(state, body))]
pub async fn set_state(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    body: crate::api::Json<StateBody>,
) -> Result<HttpResponse, ApiError> {
    let (gtin, serial) = path.into_inner();
    let gtin = path_gtin(&gtin)?;
    let serial = parse_serial(&serial)?;
    let body = body.into_inner();
    let to = parse_state(&body.state, &body.reason)?;
    let row = state
        .apply(move |conn| serials::change_state(conn, &who, &gtin, &serial, to, body.reason))
        .await?;
    state.cache.bump(&row.gtin);
    Ok(HttpResponse::Ok().json(SerialOut::from(row)))
}

/// `POST /api/v1/products/{gtin}/serials/state` (admin, or an exporter of the product's
/// organisation): all listed serials change in one transaction, or none.
#[tracing::instrument(skip(state, payload))]
pub async fn set_states(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let body: BulkBody = read_json(payload).await?;
    let to = parse_state(&body.state, &body.reason)?;
    if body.serials.is_empty() || body.serials.len() > MAX_BULK {
        return Err(ApiError::field(
            "serials",
            format!("must list between 1 and {MAX_BULK} serials"),
        ));
    }
    let list = match SerialSet::list(parse_serials(body.serials)?)? {
        SerialSet::List(v) => v,
        SerialSet::Range { .. } => Vec::new(),
    };
    let reason = body.reason;
    let scope = gtin.to_string();
    let updated = state
        .apply(move |conn| serials::change_states(conn, &who, &gtin, list, to, reason))
        .await?;
    state.cache.bump(&scope);
    Ok(HttpResponse::Ok().json(BulkOut { updated, state: to }))
}
