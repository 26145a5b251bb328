//! Users: `POST/GET /orgs/{id}/users`, `GET/PATCH /users/{id}`.

mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{Fields, created, time, with_etag};
use crate::{auth::Authenticated, config::Secret, error::ApiError, state::AppState};
use db::{self, models::User};
use domain::{
    Email, Password, Role,
    pagination::{Page, PageQuery},
    users::{self, NewUser, UserPatch},
};
pub use wire::{CreateBody, PatchBody, UserOut};

/// `POST /api/v1/orgs/{id}/users` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    org_id: web::Path<String>,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let email = f.check("email", Email::parse(&b.email));
    let password = f.check("password", Password::parse(b.password.expose().clone()));
    let role = f.check("role", b.role.parse::<Role>());
    f.finish()?;
    let (Some(email), Some(password), Some(role)) = (email, password, role) else {
        return Err(ApiError::field("body", "invalid"));
    };
    let new = NewUser {
        org_id: org_id.into_inner(),
        email,
        password,
        role,
    };
    let user = state
        .apply(move |conn| users::create(conn, &who.actor(), new))
        .await?;
    Ok(created(
        &format!("/api/v1/users/{}", user.id),
        &UserOut::from(user),
    ))
}

/// `GET /api/v1/orgs/{id}/users` (admin, or members of the organisation).
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
            Ok(db::users::list_by_org(conn, &org_id, &page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |u: &User| u.id.clone(),
        UserOut::from,
    )))
}

/// `GET /api/v1/users/{id}` (admin, or members of the user's organisation).
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = state
        .run(move |conn| {
            let user = db::users::get(conn, &id)?;
            who.require_member_of(&user.org_id)?;
            Ok(user)
        })
        .await?;
    with_etag(&req, &UserOut::from(user))
}

/// `PATCH /api/v1/users/{id}` (admin): role and disabled flag.
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let role = b.role.and_then(|r| f.check("role", r.parse::<Role>()));
    let id = id.into_inner();
    let is_self = matches!(&who.subject, domain::Subject::User(me) if *me == id);
    if is_self && (b.disabled == Some(true) || role.is_some_and(|r| r != Role::Admin)) {
        f.push("role", "administrators cannot demote or disable themselves");
    }
    f.finish()?;
    let patch = UserPatch {
        role,
        disabled: b.disabled,
    };
    let user = state
        .apply(move |conn| users::update(conn, &who.actor(), &id, patch))
        .await?;
    Ok(HttpResponse::Ok().json(UserOut::from(user)))
}
