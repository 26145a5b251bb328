//! Resolver links: `POST/GET /products/{gtin}/links`, `PATCH/DELETE /links/{id}`.

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
    app::AppState,
    auth::{Authenticated, Viewer},
    error::ApiError,
};
use db::{self, models::ResolverLink};
use domain::{
    links::{self, LinkPatch, NewLink},
    pagination::{Page, PageQuery},
    product_fields::{HttpUrl, LangTag, MediaType, text},
};

/// Longest title.
const TITLE_MAX: usize = 200;
/// Longest context.
const CONTEXT_MAX: usize = 100;

/// A link on the wire.
#[derive(Debug, Serialize)]
pub struct LinkOut {
    /// Id.
    pub id: String,
    /// 14 digits.
    pub gtin: String,
    /// Lot, or null for every lot.
    pub lot: Option<String>,
    /// Serial, or null for every serial.
    pub serial: Option<String>,
    /// Link type CURIE, e.g. `gs1:pip`.
    pub link_type: String,
    /// Target.
    pub href: String,
    /// Title.
    pub title: String,
    /// Language.
    pub lang: Option<String>,
    /// Media type.
    pub media_type: Option<String>,
    /// Context.
    pub context: Option<String>,
    /// Whether it is the default of its (gtin, lot, serial).
    pub default: bool,
    /// Brand owner.
    pub org_id: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<ResolverLink> for LinkOut {
    fn from(l: ResolverLink) -> Self {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        Self {
            created_at: time(&l.created_at),
            updated_at: time(&l.updated_at),
            id: l.id,
            gtin: l.gtin,
            lot: some(l.lot),
            serial: some(l.serial),
            link_type: l.link_type,
            href: l.href,
            title: l.title,
            lang: l.lang,
            media_type: l.media_type,
            context: l.context,
            default: l.is_default,
            org_id: l.org_id,
        }
    }
}

/// Body of `POST /products/{gtin}/links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// GS1 Web Vocabulary link type (`gs1:pip`, a full URI or the bare term).
    pub link_type: String,
    /// Target, http(s).
    pub href: String,
    /// Title.
    pub title: String,
    /// BCP 47 language tag.
    #[serde(default)]
    pub lang: Option<String>,
    /// Media type.
    #[serde(default)]
    pub media_type: Option<String>,
    /// Resolver context.
    #[serde(default)]
    pub context: Option<String>,
    /// Make it the default link.
    #[serde(default)]
    pub default: bool,
    /// Only for this lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Only for this serial.
    #[serde(default)]
    pub serial: Option<String>,
}

fn context(s: &str) -> Result<String, InvalidValue> {
    text(s, CONTEXT_MAX, false)
}

impl TryFrom<CreateBody> for NewLink {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let link_type = f.check("link_type", LinkType::parse(b.link_type.trim()));
        let href = f.check("href", HttpUrl::parse(&b.href));
        let title = f.check("title", text(&b.title, TITLE_MAX, false));
        let lang = b.lang.and_then(|l| f.check("lang", LangTag::parse(&l)));
        let media_type = b
            .media_type
            .and_then(|m| f.check("media_type", MediaType::parse(&m)));
        let context = b.context.and_then(|c| f.check("context", context(&c)));
        let lot = b.lot.and_then(|l| f.check("lot", l.parse::<Lot>()));
        let serial = b
            .serial
            .and_then(|s| f.check("serial", s.parse::<Serial>()));
        f.finish()?;
        let (Some(link_type), Some(href), Some(title)) = (link_type, href, title) else {
            return Err(ApiError::field("body", "invalid"));
        };
        Ok(NewLink {
            link_type,
            href,
            title,
            lang,
            media_type,
            context,
            is_default: b.default,
            lot,
            serial,
        })
    }
}

/// `POST /api/v1/products/{gtin}/links` (admins, or exporters of the brand owner).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: web::Json<CreateBody>,
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

/// Query of `GET /products/{gtin}/links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Only links of this lot (empty: only links for every lot).
    pub lot: Option<String>,
    /// Only links of this serial (empty: only links for every serial).
    pub serial: Option<String>,
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

/// Body of `PATCH /links/{id}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Link type.
    #[serde(default)]
    pub link_type: Option<String>,
    /// Target.
    #[serde(default)]
    pub href: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Language, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub lang: Option<Option<String>>,
    /// Media type, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub media_type: Option<Option<String>>,
    /// Context, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub context: Option<Option<String>>,
    /// Make it the default, or not.
    #[serde(default)]
    pub default: Option<bool>,
}

impl TryFrom<PatchBody> for LinkPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let patch = LinkPatch {
            link_type: b
                .link_type
                .and_then(|t| f.check("link_type", LinkType::parse(t.trim()))),
            href: b.href.and_then(|h| f.check("href", HttpUrl::parse(&h))),
            title: b
                .title
                .and_then(|t| f.check("title", text(&t, TITLE_MAX, false))),
            lang: f.nullable("lang", b.lang, LangTag::parse),
            media_type: f.nullable("media_type", b.media_type, MediaType::parse),
            context: f.nullable("context", b.context, context),
            is_default: b.default,
        };
        f.finish()?;
        Ok(patch)
    }
}

/// `PATCH /api/v1/links/{id}` (admins, or exporters of the brand owner).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<PatchBody>,
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
