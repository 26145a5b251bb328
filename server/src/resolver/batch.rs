//! `POST /api/v1/lookups`: many codes judged in one request, each answered exactly as
//! `GET /api/v1/lookup?code=` answers it, in the order sent.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{
    handlers::{CODE_MAX, judged},
    lookup::Lookup,
    request::is_coarse_place,
};
use crate::{error::ApiError, state::AppState};

/// The most codes one batch may hold.
pub const BATCH_MAX: usize = 100;

/// Body of `POST /api/v1/lookups`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupsBody {
    /// 1 to [`BATCH_MAX`] codes, anything `GET /api/v1/lookup` reads.
    pub codes: Vec<String>,
    /// A coarse place for the scan log of serialised codes, e.g. `VN-HN`.
    pub place: Option<String>,
}

/// The answer: one lookup per code, in the order sent.
#[derive(Debug, Serialize)]
pub struct LookupsOut {
    /// What `GET /api/v1/lookup?code=` gives for each code.
    pub results: Vec<Lookup>,
}

impl LookupsBody {
    /// Checks the batch: its size, each code's length, the place.
    fn check(&self) -> Result<(), ApiError> {
        if self.codes.is_empty() || self.codes.len() > BATCH_MAX {
            return Err(ApiError::field(
                "codes",
                format!("must hold 1 to {BATCH_MAX} codes"),
            ));
        }
        let mut errors = Vec::new();
        for (i, c) in self.codes.iter().enumerate() {
            if c.trim().is_empty() {
                errors.push(domain::FieldError::new(
                    format!("codes[{i}]"),
                    "must not be blank",
                ));
            } else if c.len() > CODE_MAX {
                errors.push(domain::FieldError::new(
                    format!("codes[{i}]"),
                    format!("longer than {CODE_MAX} bytes"),
                ));
            }
        }
        if let Some(p) = self.place.as_deref().filter(|p| !is_coarse_place(p)) {
            errors.push(domain::FieldError::new(
                "place",
                format!("{p:?} is not an ISO 3166 country or subdivision code such as VN or VN-HN"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// `POST /api/v1/lookups` (public, rate-limited like the lookup): one read per code; a code
/// that is not GS1 data gives its `invalid` verdict, not an error.
#[tracing::instrument(skip(state, body), fields(codes = body.codes.len()))]
pub async fn lookups(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: crate::api::Json<LookupsBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.check()?;
    // The middleware counted the request as one lookup; each further code counts as well.
    let limiter = &state.limiter;
    if let Some(ip) = limiter
        .applies_to(req.path())
        .then(|| limiter.client_ip(&req))
        .flatten()
    {
        limiter
            .charge(ip, body.codes.len().saturating_sub(1))
            .await
            .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    }
    let mut results = Vec::with_capacity(body.codes.len());
    for code in body.codes {
        results.push(judged(&state, code, body.place.clone()).await?);
    }
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(LookupsOut { results }))
}
