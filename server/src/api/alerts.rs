//! `/api/v1/alerts`: raise (authority inspectors, certifiers), lift (the raising organisation),
//! public lists and reads; `/api/v1/orgs/{id}/alerts` for an exporter's own products.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::{Gtin, Lot};
use serde::{Deserialize, Serialize};

use super::{Fields, created, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::page::PageRequest;
use db::{
    self,
    alerts::{Alert, Target},
};
use domain::{
    alerts::{self, AlertKind, AlertSource, AlertStatus, NewAlert},
    inspections::text,
    pagination::{Page, PageQuery},
};

/// A targeted product on the wire.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOut {
    /// GTIN.
    pub gtin: String,
    /// The targeted lots; empty means every lot.
    pub lots: Vec<String>,
}

/// An alert on the wire.
#[derive(Debug, Serialize)]
pub struct AlertOut {
    /// Id.
    pub id: String,
    /// The raising organisation.
    pub org_id: String,
    /// recall or safety_warning.
    pub kind: String,
    /// authority, certifier or wto_notification.
    pub source: String,
    /// External reference.
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// active or lifted.
    pub status: String,
    /// Products and lots.
    pub targets: Vec<TargetOut>,
    /// Raised (RFC 3339).
    pub raised_at: String,
    /// Lifted (RFC 3339) or null.
    pub lifted_at: Option<String>,
    /// Why it was lifted.
    pub lift_reason: Option<String>,
}

impl AlertOut {
    fn new(a: Alert, targets: &[Target]) -> Self {
        let mut by_gtin: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for t in targets.iter().filter(|t| t.alert_id == a.id) {
            let lots = by_gtin.entry(&t.gtin).or_default();
            if !t.lot.is_empty() {
                lots.push(t.lot.clone());
            }
        }
        Self {
            targets: by_gtin
                .into_iter()
                .map(|(gtin, lots)| TargetOut {
                    gtin: gtin.to_owned(),
                    lots,
                })
                .collect(),
            raised_at: time(&a.raised_at),
            lifted_at: a.lifted_at.as_ref().map(time),
            id: a.id,
            org_id: a.org_id,
            kind: a.kind,
            source: a.source,
            reference: a.reference,
            title: a.title,
            description: a.description,
            status: a.status,
            lift_reason: a.lift_reason,
        }
    }
}

/// One target in `POST /alerts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    /// GTIN.
    pub gtin: String,
    /// Lots; absent or empty means every lot.
    #[serde(default)]
    pub lots: Vec<String>,
}

/// Body of `POST /alerts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// recall or safety_warning.
    pub kind: String,
    /// authority, certifier or wto_notification.
    pub source: String,
    /// External reference, e.g. G/TBT/N/VNM/123.
    #[serde(default)]
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Targets (at least one).
    pub targets: Vec<TargetBody>,
}

impl TryFrom<CreateBody> for NewAlert {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let kind = f.check("kind", b.kind.parse::<AlertKind>());
        let source = f.check("source", b.source.parse::<AlertSource>());
        let reference = b.reference.map(|r| f.check("reference", text(&r, 100)));
        let title = f.check("title", text(&b.title, 200));
        let description = b
            .description
            .map(|d| f.check("description", text(&d, 4000)));
        if b.targets.is_empty() {
            f.push("targets", "name at least one product");
        }
        let mut targets = Vec::new();
        for (i, t) in b.targets.into_iter().enumerate() {
            let gtin = f.check(&format!("targets[{i}].gtin"), t.gtin.parse::<Gtin>());
            let lots: Vec<Option<Lot>> = t
                .lots
                .iter()
                .enumerate()
                .map(|(j, l)| f.check(&format!("targets[{i}].lots[{j}]"), l.parse::<Lot>()))
                .collect();
            if let Some(gtin) = gtin {
                targets.push((gtin, lots.into_iter().flatten().collect()));
            }
        }
        f.finish()?;
        match (kind, source, title) {
            (Some(kind), Some(source), Some(title)) => Ok(NewAlert {
                kind,
                source,
                reference: reference.flatten(),
                title,
                description: description.flatten(),
                targets,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// `POST /api/v1/alerts` (authority inspectors, certifiers, admins).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = NewAlert::try_from(body.into_inner())?;
    let (alert, targets) = state
        .apply(move |conn| alerts::raise(conn, &who, new))
        .await?;
    bump_targets(&state, &targets);
    Ok(created(
        &format!("/api/v1/alerts/{}", alert.id),
        &AlertOut::new(alert, &targets),
    ))
}

/// Invalidates the cached answers of an alert's target GTINs, or of everything if it names none.
fn bump_targets(state: &AppState, targets: &[Target]) {
    if targets.is_empty() {
        state.cache.bump_all();
    } else {
        state.cache.bump_each(targets.iter().map(|t| &t.gtin));
    }
}

/// Body of `POST /alerts/{id}/lift`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftBody {
    /// Why.
    pub reason: String,
}

/// `POST /api/v1/alerts/{id}/lift` (the raising organisation, admins).
#[tracing::instrument(skip(state, body))]
pub async fn lift(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<LiftBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = text(&body.into_inner().reason, 1000).map_err(|e| ApiError::field("reason", e))?;
    let id = id.into_inner();
    let (alert, targets) = state
        .apply(move |conn| alerts::lift(conn, &who, &id, reason))
        .await?;
    bump_targets(&state, &targets);
    Ok(HttpResponse::Ok().json(AlertOut::new(alert, &targets)))
}

/// Query of the alert lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only alerts targeting this GTIN.
    pub gtin: Option<String>,
    /// active or lifted.
    pub status: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

fn filter(q: ListQuery) -> Result<(db::alerts::Filter, PageRequest), ApiError> {
    let mut f = Fields::default();
    let gtin = q.gtin.map(|g| f.check("gtin", g.parse::<Gtin>()));
    let status = q
        .status
        .map(|s| f.check("status", s.parse::<AlertStatus>()));
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    Ok((
        db::alerts::Filter {
            gtin: gtin.flatten().map(|g| g.to_string()),
            status: status.flatten().map(|s| s.as_str().to_owned()),
            product_owner: None,
        },
        page,
    ))
}

async fn page(
    state: &AppState,
    filter: db::alerts::Filter,
    page: PageRequest,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit;
    let (rows, targets) = state
        .run(move |conn| {
            let rows = db::alerts::list(conn, &filter, &page)?;
            let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
            let targets = db::alerts::targets(conn, &ids)?;
            Ok((rows, targets))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |a: &Alert| a.id.clone(),
        |a| AlertOut::new(a, &targets),
    )))
}

/// `GET /api/v1/alerts` (public).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (f, p) = filter(q.into_inner())?;
    page(&state, f, p).await
}

/// `GET /api/v1/orgs/{id}/alerts`: alerts on the organisation's products (members, admins).
#[tracing::instrument(skip(state))]
pub async fn for_org(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    who.require_member_of(&id)?;
    let (mut f, p) = filter(q.into_inner())?;
    f.product_owner = Some(id);
    page(&state, f, p).await
}

/// `GET /api/v1/alerts/{id}` (public).
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (alert, targets) = state
        .run(move |conn| {
            let a = db::alerts::get(conn, &id)?;
            let t = db::alerts::targets(conn, std::slice::from_ref(&a.id))?;
            Ok((a, t))
        })
        .await?;
    with_etag(&req, &AlertOut::new(alert, &targets))
}
