//! Resolver links: `POST/GET /products/{gtin}/links`, `PATCH/DELETE /links/{id}`.

mod body;
mod wire;

use actix_web::{HttpResponse, web};
use domain::InvalidValue;
use gs1::{
    keys::{Lot, Serial},
    link_type::LinkType,
};
use serde::{Deserialize, Serialize};

use super::{
    Fields, created, double_option,
    products::{path_gtin, visible},
    time,
};
use crate::{
    auth::{Authenticated, Viewer},
    error::ApiError,
    state::AppState,
};
pub use body::{CreateBody, ListQuery, PatchBody};
use db::{self, models::ResolverLink};
use domain::{
    links::{self, LinkPatch, NewLink},
    pagination::{Page, PageQuery},
    product_fields::{HttpUrl, LangTag, MediaType, text},
};
pub use wire::LinkOut;

/// `POST /api/v1/products/{gtin}/links` (admins, or exporters of the brand owner).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let gtin = path_gtin(&gtin)?;
    let new = NewLink::try_from(body.into_inner())?;
    let link = state
        .apply(move |conn| links::create(conn, &who.actor(), who.owner()?, &gtin, new))
        .await?;
    state.cache.bump(&link.gtin);
    Ok(created(
        &format!("/api/v1/links/{}", link.id),
        &LinkOut::from(link),
    ))
}

/// `GET /api/v1/products/{gtin}/links`: public for active products.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    gtin: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let q = q.into_inner();
    let mut f = Fields::default();
    let lot = q.lot.and_then(|l| {
        if l.is_empty() {
            Some(l)
        } else {
            f.check("lot", l.parse::<Lot>()).map(|l| l.to_string())
        }
    });
    let serial = q.serial.and_then(|s| {
        if s.is_empty() {
            Some(s)
        } else {
            f.check("serial", s.parse::<Serial>())
                .map(|s| s.to_string())
        }
    });
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            visible(conn, &viewer, &gtin)?;
            Ok(db::links::list(
                conn,
                gtin.as_str(),
                lot.as_deref(),
                serial.as_deref(),
                &page,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |l: &ResolverLink| l.id.clone(),
        LinkOut::from,
    )))
}

/// `PATCH /api/v1/links/{id}` (admins, or exporters of the brand owner).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let patch = LinkPatch::try_from(body.into_inner())?;
    let id = id.into_inner();
    let link = state
        .apply(move |conn| links::update(conn, &who.actor(), who.owner()?, &id, patch))
        .await?;
    state.cache.bump(&link.gtin);
    Ok(HttpResponse::Ok().json(LinkOut::from(link)))
}

/// `DELETE /api/v1/links/{id}` (admins, or exporters of the brand owner).
#[tracing::instrument(skip(state))]
pub async fn delete(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let id = id.into_inner();
    let link = state
        .apply(move |conn| links::delete(conn, &who.actor(), who.owner()?, &id))
        .await?;
    state.cache.bump(&link.gtin);
    Ok(HttpResponse::NoContent().finish())
}
