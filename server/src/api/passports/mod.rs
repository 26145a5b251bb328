//! `/api/v1/products/{gtin}[/lots/{lot}|/serials/{serial}]/passport`: drafts (owner), publishing
//! (owner), public signed versions; and `/.well-known/jwks.json`.

mod versions;
mod wire;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use domain::Caller;
use gs1::keys::{Gtin, Lot, Serial};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Fields, created, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{
    self,
    passports::{Passport, PassportVersion},
};
use domain::signing::{self, PublicJwk};
use domain::{
    Role,
    pagination::{Page, PageQuery},
    passports::{self, Draft, PassportKey},
};
pub use versions::{jwks, version, version_jws, versions};
pub use wire::{DraftOut, Jwks, PassportPath, VersionOut, VersionSummary};

fn require_exporter(who: &Caller) -> Result<(), ApiError> {
    if who.is_admin() || who.role == Role::Exporter {
        Ok(())
    } else {
        Err(ApiError::Forbidden("requires the exporter role"))
    }
}

/// `PUT .../passport`: create or replace the draft (the product's exporter, or admin).
#[tracing::instrument(skip(state, body))]
pub async fn put_draft(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<PassportPath>,
    body: crate::api::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    require_exporter(&who)?;
    let key = path.key()?;
    let draft = Draft::parse(body.into_inner())?;
    let p = state
        .apply(move |conn| passports::save_draft(conn, &who, &key, draft))
        .await?;
    Ok(HttpResponse::Ok().json(DraftOut::from(p)))
}

/// `GET .../passport`: the draft (members of the owning organisation, or admin).
#[tracing::instrument(skip(state, req))]
pub async fn get_draft(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<PassportPath>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let key = path.key()?;
    let p = state
        .apply(move |conn| passports::get_draft(conn, &who, &key))
        .await?;
    with_etag(&req, &DraftOut::from(p))
}

/// `POST .../passport/publish`: sign the draft as the next version (the exporter, or admin).
#[tracing::instrument(skip(state))]
pub async fn publish(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<PassportPath>,
) -> Result<HttpResponse, ApiError> {
    require_exporter(&who)?;
    let key = path.key()?;
    let location = key.api_path();
    let signing_key = state.keys.signing_key.expose().clone();
    let base = state.public_base_url.clone();
    let scope = key.gtin.to_string();
    let v = state
        .apply(move |conn| passports::publish(conn, &who, &key, &signing_key, &base))
        .await?;
    state.cache.bump(&scope);
    Ok(created(
        &format!("{location}/versions/{}", v.version),
        &VersionOut::from(v),
    ))
}
