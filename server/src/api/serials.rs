//! Serials of a product: bulk commissioning (`Idempotency-Key`), job progress, reads and state.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use gs1::keys::{Lot, Serial};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::{Fields, products::path_gtin, time, with_etag};
use crate::{
    app::AppState,
    auth::Authenticated,
    error::{ApiError, FieldError},
};
use db::{
    self,
    serials::{JobRow, SerialRow},
};
use domain::{
    lots,
    pagination::{Page, PageQuery},
    serials::{self, Commission, MAX_BULK, SerialSet, SerialState},
};

/// The largest commissioning or bulk body: a million 20-character serials in JSON.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// A commission job on the wire.
#[derive(Debug, Serialize)]
pub struct JobOut {
    /// Id.
    pub id: String,
    /// The product.
    pub gtin: String,
    /// Serials requested.
    pub total: i64,
    /// Serials committed.
    pub done: i64,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Why it failed, or null.
    pub error: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last progress (RFC 3339).
    pub updated_at: String,
}

impl From<JobRow> for JobOut {
    fn from(j: JobRow) -> Self {
        Self {
            created_at: time(&j.created_at),
            updated_at: time(&j.updated_at),
            id: j.id,
            gtin: j.gtin,
            total: j.total,
            done: j.done,
            status: j.status,
            error: j.error,
        }
    }
}

/// A serial on the wire.
#[derive(Debug, Serialize)]
pub struct SerialOut {
    /// The product.
    pub gtin: String,
    /// The serial number.
    pub serial: String,
    /// The lot, or null.
    pub lot: Option<String>,
    /// The state.
    pub state: String,
    /// Last state change (RFC 3339).
    pub updated_at: String,
}

impl From<SerialRow> for SerialOut {
    fn from(s: SerialRow) -> Self {
        Self {
            updated_at: time(&s.updated_at),
            gtin: s.gtin,
            serial: s.serial,
            lot: Some(s.lot).filter(|l| !l.is_empty()),
            state: s.state,
        }
    }
}

/// Reads a JSON body of up to [`MAX_BODY`] bytes (the app-wide JSON limit is far smaller).
async fn read_json<T: DeserializeOwned>(payload: web::Payload) -> Result<T, ApiError> {
    let buf = payload
        .to_bytes_limited(MAX_BODY)
        .await
        .map_err(|_| ApiError::BadRequest {
            detail: format!("request body larger than {MAX_BODY} bytes"),
            errors: Vec::new(),
        })?
        .map_err(|e| ApiError::BadRequest {
            detail: format!("cannot read the body: {e}"),
            errors: Vec::new(),
        })?;
    serde_json::from_slice(&buf).map_err(|e| {
        if e.is_data() {
            let msg = e.to_string();
            ApiError::Validation(vec![FieldError::new("body", msg)])
        } else {
            ApiError::BadRequest {
                detail: format!("malformed JSON: {e}"),
                errors: vec![FieldError::new("body", e.to_string())],
            }
        }
    })
}

/// The `range` form of a commissioning body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeBody {
    /// Leading characters, may be empty.
    #[serde(default)]
    pub prefix: String,
    /// First number.
    pub start: i64,
    /// How many.
    pub count: i64,
    /// Digits, zero-padded.
    pub width: i64,
}

/// Body of `POST /products/{gtin}/serials`: exactly one of `range` and `serials`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionBody {
    /// A numbered range.
    #[serde(default)]
    pub range: Option<RangeBody>,
    /// An explicit list.
    #[serde(default)]
    pub serials: Option<Vec<String>>,
    /// The lot they belong to.
    #[serde(default)]
    pub lot: Option<String>,
}

fn parse_serials(list: Vec<String>) -> Result<Vec<Serial>, ApiError> {
    let mut f = Fields::default();
    let mut out = Vec::with_capacity(list.len());
    let mut bad = 0;
    for (i, s) in list.iter().enumerate() {
        match Serial::parse(s) {
            Ok(s) => out.push(s),
            Err(e) if bad < 20 => {
                bad += 1;
                f.check::<()>(&format!("serials[{i}]"), Err(e));
            }
            Err(_) => {}
        }
    }
    f.finish()?;
    Ok(out)
}

fn parse_commission(key: String, b: CommissionBody) -> Result<Commission, ApiError> {
    let lot = match b.lot {
        Some(l) => Some(Lot::parse(&l).map_err(|e| ApiError::field("lot", e.to_string()))?),
        None => None,
    };
    let set = match (b.range, b.serials) {
        (Some(r), None) => SerialSet::range(&r.prefix, r.start, r.count, r.width)?,
        (None, Some(list)) => SerialSet::list(parse_serials(list)?)?,
        _ => {
            return Err(ApiError::field(
                "body",
                "give exactly one of range and serials",
            ));
        }
    };
    Ok(Commission { key, set, lot })
}

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
    let out = state
        .apply(move |conn| serials::commission(conn, &who, &gtin, cmd))
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

fn parse_serial(s: &str) -> Result<Serial, ApiError> {
    Serial::parse(s).map_err(|e| ApiError::field("serial", e.to_string()))
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

/// Query of `GET /products/{gtin}/serials`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only serials in this state.
    pub state: Option<String>,
    /// Only serials of this lot.
    pub lot: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
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

/// Body of `POST /products/{gtin}/serials/{serial}/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// The new state.
    pub state: String,
    /// Why, recorded in the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

fn parse_state(state: &str, reason: &Option<String>) -> Result<SerialState, ApiError> {
    let mut f = Fields::default();
    let st = f.check("state", state.parse::<SerialState>());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        f.push("reason", "must be at most 500 characters");
    }
    f.finish()?;
    st.ok_or_else(|| ApiError::field("state", "invalid"))
}

/// `POST /api/v1/products/{gtin}/serials/{serial}/state` (admin, or an exporter of the product's
/// organisation): 409 naming from and to when the state machine forbids it.
#[tracing::instrument(skip(state, body))]
pub async fn set_state(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    body: web::Json<StateBody>,
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

/// Body of `POST /products/{gtin}/serials/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    /// The serials, 1 to 100,000, without duplicates.
    pub serials: Vec<String>,
    /// The new state.
    pub state: String,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The answer to a bulk state change.
#[derive(Debug, Serialize)]
pub struct BulkOut {
    /// Serials changed.
    pub updated: usize,
    /// Their new state.
    pub state: SerialState,
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
