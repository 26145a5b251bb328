//! `GET /api/v1/audit`: admins page through the audit log in order.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::time;
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{self, models::AuditEntry};
use domain::pagination::{Page, PageQuery};

/// An audit entry on the wire.
#[derive(Debug, Serialize)]
pub struct AuditOut {
    /// Position in the chain.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Organisation.
    pub org_id: Option<String>,
    /// What.
    pub action: String,
    /// Entity kind.
    pub entity_type: String,
    /// Entity id.
    pub entity_id: String,
    /// SHA-256 of the new state.
    pub state_digest: String,
    /// Previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl From<AuditEntry> for AuditOut {
    fn from(e: AuditEntry) -> Self {
        Self {
            at: time(&e.at),
            seq: e.seq,
            actor: e.actor,
            org_id: e.org_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            state_digest: e.state_digest,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// `GET /api/v1/audit` (admin).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let page = q.into_inner().parse()?;
    let after = match &page.after {
        None => 0,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| ApiError::field("cursor", "not a cursor returned by this list"))?,
    };
    let limit = page.limit;
    let rows = state
        .run(move |conn| Ok(db::audit::list(conn, after, limit + 1)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |e: &AuditEntry| e.seq.to_string(),
        AuditOut::from,
    )))
}
