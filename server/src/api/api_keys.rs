//! API keys: `POST/GET /orgs/{id}/api-keys`, `DELETE /api-keys/{id}`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{Fields, created, time};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{self, models::ApiKey};
use domain::{
    OrgName, Role, api_keys,
    pagination::{Page, PageQuery},
};

/// An API key on the wire (never the secret or its hash).
#[derive(Debug, Serialize)]
pub struct ApiKeyOut {
    /// Id.
    pub id: String,
    /// Organisation.
    pub org_id: String,
    /// Label.
    pub name: String,
    /// The secret's first characters.
    pub prefix: String,
    /// Role the key acts with.
    pub role: String,
    /// Who created it.
    pub created_by: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last used, or null.
    pub last_used_at: Option<String>,
    /// Revoked, or null.
    pub revoked_at: Option<String>,
}

impl From<ApiKey> for ApiKeyOut {
    fn from(k: ApiKey) -> Self {
        Self {
            created_at: time(&k.created_at),
            last_used_at: k.last_used_at.as_ref().map(time),
            revoked_at: k.revoked_at.as_ref().map(time),
            id: k.id,
            org_id: k.org_id,
            name: k.name,
            prefix: k.prefix,
            role: k.role,
            created_by: k.created_by,
        }
    }
}

/// A new key with its secret, returned once.
#[derive(Debug, Serialize)]
pub struct CreatedOut {
    /// The key.
    #[serde(flatten)]
    pub key: ApiKeyOut,
    /// The secret: send as `Authorization: Bearer <secret>` or `X-Api-Key`.
    pub secret: String,
}

/// Body of `POST /orgs/{id}/api-keys`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Label.
    pub name: String,
    /// Role; defaults to the creator's. Never `admin`.
    #[serde(default)]
    pub role: Option<String>,
}

/// `POST /api/v1/orgs/{id}/api-keys`: admins, or users of the organisation for their own role.
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    org_id: web::Path<String>,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_user()?;
    let org_id = org_id.into_inner();
    who.require_member_of(&org_id)?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let name = f.check("name", OrgName::parse(&b.name));
    let role = match b.role {
        Some(r) => f.check("role", r.parse::<Role>()),
        None => Some(who.role),
    };
    if role == Some(Role::Admin) {
        f.push("role", "API keys cannot have the admin role");
    }
    f.finish()?;
    let (Some(name), Some(role)) = (name, role) else {
        return Err(ApiError::field("body", "invalid"));
    };
    if !who.is_admin() && role != who.role {
        return Err(ApiError::Forbidden(
            "a key can only have its creator's role",
        ));
    }
    let (key, secret) = state
        .apply(move |conn| api_keys::create(conn, &who.actor(), &org_id, name.as_str(), role))
        .await?;
    let location = format!("/api/v1/api-keys/{}", key.id);
    Ok(created(
        &location,
        &CreatedOut {
            key: key.into(),
            secret: secret.expose().clone(),
        },
    ))
}

/// `GET /api/v1/orgs/{id}/api-keys` (admin, or members of the organisation).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    org_id: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let org_id = org_id.into_inner();
    who.require_member_of(&org_id)?;
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            db::orgs::get(conn, &org_id)?;
            Ok(db::api_keys::list_by_org(conn, &org_id, &page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |k: &ApiKey| k.id.clone(),
        ApiKeyOut::from,
    )))
}

/// `DELETE /api/v1/api-keys/{id}`: revoke (admin, or users of the key's organisation).
#[tracing::instrument(skip(state))]
pub async fn revoke(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    who.require_user()?;
    let id = id.into_inner();
    state
        .apply(move |conn| api_keys::revoke(conn, &who, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
