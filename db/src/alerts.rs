//! Queries on alerts (recalls, safety warnings) and the products and lots they target.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    schema::{alert_targets, alerts, products},
};
use crate::page::PageRequest;

/// An alert row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = alerts)]
pub struct Alert {
    /// UUIDv7.
    pub id: String,
    /// The raising organisation.
    pub org_id: String,
    /// recall or safety_warning.
    pub kind: String,
    /// authority, certifier or wto_notification.
    pub source: String,
    /// An external reference, e.g. a WTO notification symbol.
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// active or lifted.
    pub status: String,
    /// Who raised it.
    pub raised_by: String,
    /// When (UTC).
    pub raised_at: NaiveDateTime,
    /// When it was lifted (UTC).
    pub lifted_at: Option<NaiveDateTime>,
    /// Why it was lifted.
    pub lift_reason: Option<String>,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
}

/// One targeted product, or one lot of it ('' = every lot).
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = alert_targets)]
pub struct Target {
    /// The alert.
    pub alert_id: String,
    /// GTIN.
    pub gtin: String,
    /// Lot, or '' for every lot.
    pub lot: String,
}

/// Inserts an alert.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, a: &Alert) -> QueryResult<()> {
    diesel::insert_into(alerts::table)
        .values(a)
        .execute(conn)
        .map(|_| ())
}

/// Inserts one target (row by row: batch inserts do not compile through the multi-backend enum).
#[tracing::instrument(skip_all)]
pub fn insert_target(conn: &mut DbConn, t: &Target) -> QueryResult<()> {
    diesel::insert_into(alert_targets::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

/// The alert with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Alert> {
    alerts::table.filter(alerts::id.eq(id)).get_result(conn)
}

/// Marks an active alert lifted; returns false if it was not active.
#[tracing::instrument(skip(conn, reason))]
pub fn lift(conn: &mut DbConn, id: &str, reason: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        alerts::table
            .filter(alerts::id.eq(id))
            .filter(alerts::status.eq("active")),
    )
    .set((
        alerts::status.eq("lifted"),
        alerts::lifted_at.eq(Some(at)),
        alerts::lift_reason.eq(Some(reason)),
        alerts::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The targets of the given alerts.
#[tracing::instrument(skip(conn))]
pub fn targets(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Target>> {
    alert_targets::table
        .filter(alert_targets::alert_id.eq_any(ids))
        .order((alert_targets::gtin.asc(), alert_targets::lot.asc()))
        .load(conn)
}

/// Which alerts a list shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only alerts targeting this GTIN.
    pub gtin: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only alerts targeting products of this organisation.
    pub product_owner: Option<String>,
}

/// A page of alerts by id (one extra row signals a next page).
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut DbConn, f: &Filter, page: &PageRequest) -> QueryResult<Vec<Alert>> {
    let mut q = alerts::table.into_boxed::<MultiBackend>();
    if let Some(gtin) = &f.gtin {
        q = q.filter(
            alerts::id.eq_any(
                alert_targets::table
                    .filter(alert_targets::gtin.eq(gtin.clone()))
                    .select(alert_targets::alert_id),
            ),
        );
    }
    if let Some(org) = &f.product_owner {
        q = q.filter(
            alerts::id.eq_any(
                alert_targets::table
                    .filter(
                        alert_targets::gtin.eq_any(
                            products::table
                                .filter(products::org_id.eq(org.clone()))
                                .select(products::gtin),
                        ),
                    )
                    .select(alert_targets::alert_id),
            ),
        );
    }
    if let Some(status) = &f.status {
        q = q.filter(alerts::status.eq(status.clone()));
    }
    if let Some(after) = &page.after {
        q = q.filter(alerts::id.gt(after.clone()));
    }
    q.order(alerts::id.asc()).limit(page.limit + 1).load(conn)
}
