//! `GET /api/v1/status-pack`: a signed offline status pack, every product in a scope with what
//! its verdict depends on, for a scanner to judge with `verdict` while offline.
//!
//! A `since` pack carries the products whose own facts changed after `since` (product row,
//! certificates covering it, alerts, inspections, serials). It cannot show a change that does
//! not touch those rows: an accreditation or an ILAC/IAF signature edited later (which changes
//! whether a certificate counts as accredited), or an organisation renamed; nor a write
//! stamped before the previous pack's `issued_at` that committed after it was read (writes are
//! stamped inside their transaction). Take a full pack now and then.

mod build;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

pub use build::{LIMITS, Limits, MAX_PRODUCTS, MAX_SERIALS, check_size};

use super::if_none_match;
use crate::{auth::Authenticated, error::ApiError, state::AppState};

/// The JWS `typ` of a status pack.
pub const PACK_TYP: &str = "gs1dpp-status-pack+jws";

/// Query of `GET /api/v1/status-pack`, as sent (checked by [`PackQuery::parse`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackQuery {
    /// Only this organisation's products and prefixes.
    pub org: Option<String>,
    /// Only GTINs starting with these 1 to 14 digits.
    pub gtin_prefix: Option<String>,
    /// `true` to include serial states (default `false`).
    pub serials: Option<String>,
    /// RFC 3339: only products changed after it.
    pub since: Option<String>,
}

impl PackQuery {
    fn parse(self) -> Result<build::Request, ApiError> {
        let mut errors = Vec::new();
        let mut bad = |field: &str, reason: &str| {
            errors.push(domain::FieldError::new(field, reason));
        };
        let org = self.org.filter(|o| {
            let ok = !o.trim().is_empty();
            if !ok {
                bad("query.org", "must not be blank");
            }
            ok
        });
        let gtin_prefix = self.gtin_prefix.filter(|d| {
            let ok = (1..=14).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit());
            if !ok {
                bad("query.gtin_prefix", "must be 1 to 14 digits");
            }
            ok
        });
        let serials = match self.serials.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                bad("query.serials", "must be true or false");
                false
            }
        };
        let since = self
            .since
            .and_then(|s| match DateTime::parse_from_rfc3339(&s) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    bad(
                        "query.since",
                        "must be an RFC 3339 date-time such as 2026-12-01T08:00:00Z",
                    );
                    None
                }
            });
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(build::Request {
            scope: db::status_pack::Scope {
                org_id: org,
                gtin_prefix,
            },
            serials,
            since,
        })
    }
}

/// `GET /api/v1/status-pack`: the signed pack (`application/jose`), any authenticated caller;
/// serial states only for admins, inspectors and an exporter's own organisation.
#[tracing::instrument(skip(state, req))]
pub async fn status_pack(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<PackQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let r = q.into_inner().parse()?;
    if r.serials {
        who.require_serials_of(r.scope.org_id.as_deref())?;
    }
    let now = Utc::now();
    let pack = state.run(move |conn| build::pack(conn, &r, now)).await?;
    // The same content gives the same tag, whenever it was issued.
    let content = serde_json::to_vec(&(&pack.scope, &pack.products, &pack.key_holders))
        .map_err(ApiError::internal)?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&content)[..16]));
    if if_none_match(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .finish());
    }
    let (jws, _kid) = domain::signing::sign_typed(
        state.keys.signing_key.expose(),
        &pack,
        Some(PACK_TYP.to_owned()),
        Some("application/json".to_owned()),
    )
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/jose")
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(jws))
}
