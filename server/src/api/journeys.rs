//! `GET /api/v1/journeys?epc=...`: the chain of custody of an item, lot or SSCC.

use actix_web::{HttpResponse, web};
use domain::journeys;
use epcis::Epc;
use serde::Deserialize;

use crate::{auth::Viewer, error::ApiError, state::AppState};

/// The query: which object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneyQuery {
    /// An EPC URN or GS1 Digital Link (item, lot class, SSCC).
    pub epc: Option<String>,
}

/// The journey: full for admins, authorities and the owner of the GTIN; otherwise the public
/// summary (steps, countries, dates; no places, partners or ids).
#[tracing::instrument(skip(state, who))]
pub async fn get(
    state: web::Data<AppState>,
    who: Viewer,
    q: web::Query<JourneyQuery>,
) -> Result<HttpResponse, ApiError> {
    let Some(raw) = q.into_inner().epc else {
        return Err(ApiError::field(
            "epc",
            "required: an EPC URN or GS1 Digital Link",
        ));
    };
    let epc = Epc::parse(&raw).map_err(|e| ApiError::field("epc", e.to_string()))?;
    let journey = state
        .apply(move |conn| journeys::journey(conn, who.0.as_ref(), &epc))
        .await?;
    Ok(HttpResponse::Ok().json(journey))
}
