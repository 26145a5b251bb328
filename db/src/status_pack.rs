//! The status pack's reads: what is in a scope, how big it is, and what changed after a moment.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    models::{Prefix, Product},
    schema::{
        alert_targets as at, alerts as a, certificate_gtins as cg, certificates as c,
        company_prefixes as cp, inspections as i, products as p, serials as s,
    },
};

/// How many GTINs one `IN (...)` list names.
const IN_LIST: usize = 1_000;

/// Which products a pack covers: one organisation's, GTINs starting with some digits, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The brand owner.
    pub org_id: Option<String>,
    /// Digits every GTIN starts with (digits only, so no LIKE wildcard).
    pub gtin_prefix: Option<String>,
}

impl Scope {
    fn like(&self) -> Option<String> {
        self.gtin_prefix.as_ref().map(|d| format!("{d}%"))
    }
}

/// How many products are in scope.
#[tracing::instrument(skip(conn))]
pub fn count_products(conn: &mut DbConn, scope: &Scope) -> QueryResult<i64> {
    in_scope(scope, None).count().get_result(conn)
}

/// The products in scope (and among `part`, if given), as a query.
fn in_scope<'a>(scope: &Scope, part: Option<&[String]>) -> p::BoxedQuery<'a, MultiBackend> {
    let mut q = p::table.into_boxed::<MultiBackend>();
    if let Some(org) = &scope.org_id {
        q = q.filter(p::org_id.eq(org.clone()));
    }
    if let Some(like) = scope.like() {
        q = q.filter(p::gtin.like(like));
    }
    if let Some(part) = part {
        q = q.filter(p::gtin.eq_any(part.to_vec()));
    }
    q
}

/// How many serials the products in scope have (all of them, or those of `gtins`).
#[tracing::instrument(skip(conn, gtins))]
pub fn count_serials(
    conn: &mut DbConn,
    scope: &Scope,
    gtins: Option<&[String]>,
) -> QueryResult<i64> {
    let count = |conn: &mut DbConn, part: Option<&[String]>| {
        let mut q = s::table.into_boxed::<MultiBackend>();
        if let Some(org) = &scope.org_id {
            q = q.filter(s::org_id.eq(org.clone()));
        }
        if let Some(like) = scope.like() {
            q = q.filter(s::gtin.like(like));
        }
        if let Some(part) = part {
            q = q.filter(s::gtin.eq_any(part.to_vec()));
        }
        q.count().get_result::<i64>(conn)
    };
    match gtins {
        None => count(conn, None),
        Some(gtins) => gtins
            .chunks(IN_LIST)
            .try_fold(0, |n, part| Ok(n + count(conn, Some(part))?)),
    }
}

/// The products in scope by GTIN: all of them, or those of `gtins`.
#[tracing::instrument(skip(conn, gtins))]
pub fn products(
    conn: &mut DbConn,
    scope: &Scope,
    gtins: Option<&[String]>,
) -> QueryResult<Vec<Product>> {
    let load = |conn: &mut DbConn, part: Option<&[String]>| {
        in_scope(scope, part)
            .order(p::gtin.asc())
            .load::<Product>(conn)
    };
    match gtins {
        None => load(conn, None),
        Some(gtins) => {
            let mut out = Vec::new();
            for part in gtins.chunks(IN_LIST) {
                out.extend(load(conn, Some(part))?);
            }
            out.sort_by(|x, y| x.gtin.cmp(&y.gtin));
            Ok(out)
        }
    }
}

/// The GTINs whose facts may have changed after `since`: the product row, a certificate
/// covering it (by GTIN, or by its holder's GPC brick), an alert naming it, an inspection of
/// it or one of its serials. Not scoped: [`products`] narrows them. An accreditation or a
/// signature edited later is not seen here.
#[tracing::instrument(skip(conn))]
pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
    let mut gtins: BTreeSet<String> = p::table
        .filter(p::updated_at.gt(since))
        .select(p::gtin)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let certs: Vec<(String, String, Option<String>)> = c::table
        .filter(c::updated_at.gt(since))
        .select((c::id, c::holder_org_id, c::gpc_brick))
        .load(conn)?;
    let ids: Vec<String> = certs.iter().map(|(id, _, _)| id.clone()).collect();
    for part in ids.chunks(IN_LIST) {
        gtins.extend(
            cg::table
                .filter(cg::certificate_id.eq_any(part))
                .select(cg::gtin)
                .load::<String>(conn)?,
        );
    }
    for (_, holder, brick) in &certs {
        if let Some(brick) = brick {
            gtins.extend(
                p::table
                    .filter(p::org_id.eq(holder).and(p::gpc_brick.eq(brick)))
                    .select(p::gtin)
                    .load::<String>(conn)?,
            );
        }
    }
    let alerts: Vec<String> = a::table
        .filter(a::updated_at.gt(since))
        .select(a::id)
        .load(conn)?;
    for part in alerts.chunks(IN_LIST) {
        gtins.extend(
            at::table
                .filter(at::alert_id.eq_any(part))
                .select(at::gtin)
                .load::<String>(conn)?,
        );
    }
    gtins.extend(
        i::table
            .filter(i::created_at.gt(since))
            .select(i::gtin.assume_not_null())
            .filter(i::gtin.is_not_null())
            .distinct()
            .load::<String>(conn)?,
    );
    gtins.extend(
        s::table
            .filter(s::updated_at.gt(since))
            .select(s::gtin)
            .distinct()
            .load::<String>(conn)?,
    );
    Ok(gtins.into_iter().collect())
}

/// Every serial of `gtin` with its state, by serial.
#[tracing::instrument(skip(conn))]
pub fn serial_states(conn: &mut DbConn, gtin: &str) -> QueryResult<Vec<(String, String)>> {
    s::table
        .filter(s::gtin.eq(gtin))
        .select((s::serial, s::state))
        .order(s::serial.asc())
        .load(conn)
}

/// The licensed company prefixes (active or revoked: keys issued under either stay valid),
/// of one organisation or all, by prefix.
#[tracing::instrument(skip(conn))]
pub fn prefixes(conn: &mut DbConn, org_id: Option<&str>) -> QueryResult<Vec<Prefix>> {
    let mut q = cp::table.into_boxed::<MultiBackend>();
    if let Some(org) = org_id {
        q = q.filter(cp::org_id.eq(org.to_owned()));
    }
    q.order(cp::prefix.asc()).load(conn)
}
