//! `/api/v1/orgs`: create (admin), list, read, change (admin).

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::Gln;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::{self, models::Org};
use domain::{
    Country, OrgKind, OrgName,
    orgs::{self, NewOrg, OrgPatch},
    pagination::{Page, PageQuery},
};

/// An organisation on the wire.
#[derive(Debug, Serialize)]
pub struct OrgOut {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// GLN or null.
    pub gln: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Org> for OrgOut {
    fn from(o: Org) -> Self {
        Self {
            created_at: time(&o.created_at),
            updated_at: time(&o.updated_at),
            id: o.id,
            kind: o.kind,
            name: o.name,
            country: o.country,
            gln: o.gln,
        }
    }
}

/// Body of `POST /orgs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// GLN.
    #[serde(default)]
    pub gln: Option<String>,
}

impl TryFrom<CreateBody> for NewOrg {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let kind = f.check("kind", b.kind.parse::<OrgKind>());
        let name = f.check("name", OrgName::parse(&b.name));
        let country = f.check("country", Country::parse(&b.country));
        let gln = b.gln.map(|g| f.check("gln", g.parse::<Gln>()));
        f.finish()?;
        match (kind, name, country) {
            (Some(kind), Some(name), Some(country)) => Ok(NewOrg {
                kind,
                name,
                country,
                gln: gln.flatten(),
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// `POST /api/v1/orgs` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let new = NewOrg::try_from(body.into_inner())?;
    let org = state
        .apply(move |conn| orgs::create(conn, &who.actor(), new))
        .await?;
    Ok(created(
        &format!("/api/v1/orgs/{}", org.id),
        &OrgOut::from(org),
    ))
}

/// `GET /api/v1/orgs`: every signed-in caller may browse the directory.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    _who: Authenticated,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| Ok(db::orgs::list(conn, &page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |o: &Org| o.id.clone(),
        OrgOut::from,
    )))
}

/// `GET /api/v1/orgs/{id}`.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    _who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let org = state.run(move |conn| Ok(db::orgs::get(conn, &id)?)).await?;
    with_etag(&req, &OrgOut::from(org))
}

/// Body of `PATCH /orgs/{id}`; absent fields stay, `gln: null` clears the GLN.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// GLN, or null to clear.
    #[serde(default, deserialize_with = "double_option")]
    pub gln: Option<Option<String>>,
}

impl TryFrom<PatchBody> for OrgPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let patch = OrgPatch {
            kind: b.kind.and_then(|k| f.check("kind", k.parse::<OrgKind>())),
            name: b.name.and_then(|n| f.check("name", OrgName::parse(&n))),
            country: b
                .country
                .and_then(|c| f.check("country", Country::parse(&c))),
            gln: match b.gln {
                None => None,
                Some(None) => Some(None),
                Some(Some(g)) => f.check("gln", g.parse::<Gln>()).map(Some),
            },
        };
        f.finish()?;
        Ok(patch)
    }
}

/// `PATCH /api/v1/orgs/{id}` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let patch = OrgPatch::try_from(body.into_inner())?;
    let id = id.into_inner();
    let org = state
        .apply(move |conn| orgs::update(conn, &who.actor(), &id, patch))
        .await?;
    // A name or status shows on every answer about the organisation's products.
    state.cache.bump_all();
    Ok(HttpResponse::Ok().json(OrgOut::from(org)))
}
