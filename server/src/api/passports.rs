//! `/api/v1/products/{gtin}[/lots/{lot}|/serials/{serial}]/passport`: drafts (owner), publishing
//! (owner), public signed versions; and `/.well-known/jwks.json`.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use domain::Caller;
use gs1::keys::{Gtin, Lot, Serial};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Fields, created, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
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

/// Published versions never change: caches may keep them for a day without asking.
const IMMUTABLE: &str = "public, max-age=86400, immutable";

/// The path parameters of every passport route.
#[derive(Debug, Deserialize)]
pub struct PassportPath {
    /// GTIN.
    pub gtin: String,
    /// Lot, on lot routes.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial, on serial routes.
    #[serde(default)]
    pub serial: Option<String>,
    /// Version number, on version routes.
    #[serde(default)]
    pub n: Option<String>,
}

impl PassportPath {
    fn key(&self) -> Result<PassportKey, ApiError> {
        let mut f = Fields::default();
        let gtin = f.check("gtin", self.gtin.parse::<Gtin>());
        let lot = self.lot.as_ref().map(|l| f.check("lot", l.parse::<Lot>()));
        let serial = self
            .serial
            .as_ref()
            .map(|s| f.check("serial", s.parse::<Serial>()));
        f.finish()?;
        let gtin = gtin.ok_or_else(|| ApiError::field("gtin", "invalid"))?;
        Ok(PassportKey {
            gtin,
            lot: lot.flatten(),
            serial: serial.flatten(),
        })
    }

    fn version(&self) -> Result<i64, ApiError> {
        self.n
            .as_deref()
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::field("n", "a version number from 1"))
    }
}

/// A draft on the wire.
#[derive(Debug, Serialize)]
pub struct DraftOut {
    /// GTIN.
    pub gtin: String,
    /// Lot or null.
    pub lot: Option<String>,
    /// Serial or null.
    pub serial: Option<String>,
    /// The draft fields.
    pub draft: Value,
    /// The last published version (0: none).
    pub latest_version: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<Passport> for DraftOut {
    fn from(p: Passport) -> Self {
        Self {
            draft: serde_json::from_str(&p.draft).unwrap_or(Value::Null),
            lot: Some(p.lot).filter(|l| !l.is_empty()),
            serial: Some(p.serial).filter(|s| !s.is_empty()),
            gtin: p.gtin,
            latest_version: p.latest_version,
            updated_at: time(&p.updated_at),
        }
    }
}

/// A published version on the wire.
#[derive(Debug, Serialize)]
pub struct VersionOut {
    /// 1, 2, ...
    pub version: i64,
    /// The UNTP DPP credential.
    pub content: Value,
    /// Compact JWS (EdDSA) whose payload is `content`.
    pub jws: String,
    /// The signing key's id in `/.well-known/jwks.json`.
    pub kid: String,
    /// SHA-256 (hex) of the content as stored and signed.
    pub content_sha256: String,
    /// When (RFC 3339).
    pub published_at: String,
}

impl From<PassportVersion> for VersionOut {
    fn from(v: PassportVersion) -> Self {
        Self {
            content: serde_json::from_str(&v.content).unwrap_or(Value::Null),
            version: v.version,
            jws: v.jws,
            kid: v.kid,
            content_sha256: v.content_sha256,
            published_at: time(&v.published_at),
        }
    }
}

/// A version in a list.
#[derive(Debug, Serialize)]
pub struct VersionSummary {
    /// 1, 2, ...
    pub version: i64,
    /// The signing key's id.
    pub kid: String,
    /// SHA-256 (hex) of the content.
    pub content_sha256: String,
    /// When (RFC 3339).
    pub published_at: String,
}

impl From<PassportVersion> for VersionSummary {
    fn from(v: PassportVersion) -> Self {
        Self {
            version: v.version,
            kid: v.kid,
            content_sha256: v.content_sha256,
            published_at: time(&v.published_at),
        }
    }
}

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
    body: web::Json<Value>,
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

/// `GET .../passport/versions`: published versions, oldest first (public).
#[tracing::instrument(skip(state))]
pub async fn versions(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = path.key()?;
    let page = q.into_inner().parse()?;
    let after = match &page.after {
        Some(a) => Some(
            a.parse::<i64>()
                .map_err(|_| ApiError::field("cursor", "not a cursor returned by this list"))?,
        ),
        None => None,
    };
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            let p = passports::public_passport(conn, &key)?;
            Ok(db::passports::versions(conn, &p.id, after, limit)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |v: &PassportVersion| v.version.to_string(),
        VersionSummary::from,
    )))
}

async fn load_version(state: &AppState, path: &PassportPath) -> Result<PassportVersion, ApiError> {
    let key = path.key()?;
    let n = path.version()?;
    state
        .run(move |conn| {
            let p = passports::public_passport(conn, &key)?;
            Ok(db::passports::version(conn, &p.id, n)?)
        })
        .await
}

/// `GET .../passport/versions/{n}` (public).
#[tracing::instrument(skip(state, req))]
pub async fn version(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let v = load_version(&state, &path).await?;
    let mut res = with_etag(&req, &VersionOut::from(v))?;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(IMMUTABLE),
    );
    Ok(res)
}

/// `GET .../passport/versions/{n}/jws`: the compact JWS as `application/jose` (public).
#[tracing::instrument(skip(state))]
pub async fn version_jws(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
) -> Result<HttpResponse, ApiError> {
    let v = load_version(&state, &path).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/jose")
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .body(v.jws))
}

/// The JWK Set.
#[derive(Debug, Serialize)]
pub struct Jwks {
    /// Every key that ever signed a passport, and the current one.
    pub keys: Vec<PublicJwk>,
}

/// `GET /.well-known/jwks.json` (public).
#[tracing::instrument(skip(state))]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let current = signing::public_jwk(&state.keys.signing_key.expose().verifying_key());
    let rows = state
        .run(|conn| Ok(db::passports::signing_keys(conn)?))
        .await?;
    let mut keys: Vec<PublicJwk> = rows
        .iter()
        .filter_map(|r| serde_json::from_str(&r.public_jwk).ok())
        .collect();
    if !keys.iter().any(|k| k.kid == current.kid) {
        keys.push(current);
    }
    Ok(HttpResponse::Ok()
        .content_type("application/jwk-set+json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(Jwks { keys }))
}
