//! UNTP Digital Traceability Event credentials: issued on the GTIN owner's request (and at each
//! lot or item passport's publication), then public and immutable at their URL.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use domain::dte;
use epcis::Epc;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    api::{created, optional_json},
    auth::Authenticated,
    error::ApiError,
    state::AppState,
};

/// The media type of a credential secured as an enveloped JWS (W3C VC-JOSE-COSE).
const VC_JWT: &str = "application/vc+jwt";
const IMMUTABLE: &str = "public, max-age=86400, immutable";

/// What to issue a credential for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// An item, lot or GTIN as an EPC URN or GS1 Digital Link.
    pub epc: Option<String>,
}

/// An issued credential as the API shows it.
#[derive(Debug, Serialize)]
pub struct CredentialOut {
    /// The credential's id.
    pub id: String,
    /// Its public URL (JSON; `Accept: application/vc+jwt` for the JWS).
    pub url: String,
    /// The object whose journey it holds (canonical Digital Link).
    pub epc: String,
    /// SHA-256 of the credential as served at `url`, hex.
    pub content_sha256: String,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
    /// The credential.
    pub credential: Value,
    /// The compact JWS of the credential.
    pub jws: String,
}

fn out(row: db::dte::DteRow, base: &str) -> Result<CredentialOut, ApiError> {
    Ok(CredentialOut {
        url: dte::url(base, &row.id),
        credential: serde_json::from_str(&row.content).map_err(ApiError::internal)?,
        issued_at: super::time(&row.issued_at),
        id: row.id,
        epc: row.epc,
        content_sha256: row.content_sha256,
        jws: row.jws,
    })
}

/// `POST /api/v1/traceability-credentials`: the owner's exporter (or an admin) issues the
/// credential of an object's journey; `201`, or `200` with the credential already issued for
/// the same events.
#[tracing::instrument(skip(state, who, req, body))]
pub async fn issue(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // The body is read after the caller is known: a stranger learns nothing from it.
    let body: IssueBody = optional_json(&req, &body)?;
    let raw = body
        .epc
        .ok_or_else(|| ApiError::field("epc", "required: an EPC URN or GS1 Digital Link"))?;
    let epc = Epc::parse(&raw).map_err(|e| ApiError::field("epc", e.to_string()))?;
    let signing_key = state.keys.signing_key.expose().clone();
    let base = state.public_base_url.clone();
    let b = base.clone();
    let issued = state
        .apply(move |conn| dte::issue(conn, &who, &epc, &signing_key, &b))
        .await?;
    let location = format!("/api/v1/traceability-credentials/{}", issued.row.id);
    let body = out(issued.row, &base)?;
    if issued.created {
        Ok(created(&location, &body))
    } else {
        Ok(HttpResponse::Ok()
            .insert_header((header::LOCATION, location))
            .json(body))
    }
}

/// `GET /api/v1/traceability-credentials/{id}` (public): the credential as JSON, or its JWS
/// as `application/vc+jwt` when the client asks for that.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(ApiError::NotFound);
    }
    let row = state.read(move |conn| Ok(dte::get(conn, &id)?)).await?;
    let wants_jwt = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(VC_JWT));
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .insert_header((header::VARY, "Accept"));
    Ok(if wants_jwt {
        res.content_type(VC_JWT).body(row.jws)
    } else {
        res.insert_header((header::ETAG, format!("\"{}\"", row.content_sha256)))
            .content_type("application/json")
            .body(row.content)
    })
}
