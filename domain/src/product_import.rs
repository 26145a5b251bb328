//! Bulk product import: rows in, a report out, in transactions of [`IMPORT_CHUNK`] rows.
//!
//! Rows arrive as an iterator so a caller can parse its body as the import goes: memory holds one
//! chunk and at most [`MAX_REPORTED_ERRORS`] errors, whatever the number of rows. A chunk is
//! written in bulk (one read of the stored products and keys, one lock per company prefix, one
//! `COPY` per table on PostgreSQL, one audit append); if the database refuses the bulk write, the
//! chunk is redone row by row, each row in its own savepoint, so one bad row costs only itself.

use std::collections::{HashMap, HashSet};

use diesel::Connection;
use gs1::keys::Gtin;

use crate::{
    Actor, Owner,
    error::{DomainError, FieldError},
    prefixes::{self, KeyKind},
    products::{NewProduct, apply, create_in, new_row},
};
use db::{DbConn, models::Product};

/// Rows per import transaction.
pub const IMPORT_CHUNK: usize = 500;

/// Row errors listed in a report at most; the rest are only counted.
pub const MAX_REPORTED_ERRORS: usize = 1_000;

/// One row of an import: its 1-based position among the data rows and what it parsed to.
pub type ImportRow = (usize, Result<NewProduct, Vec<FieldError>>);

/// One reason a row was not imported.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// 1-based position among the data rows (a CSV header is not counted).
    pub row: usize,
    /// The field at fault.
    pub field: String,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Products created.
    pub created: usize,
    /// Rows equal to the product already stored under their GTIN.
    pub unchanged: usize,
    /// Rows not imported; `errors` says why.
    pub failed: usize,
    /// Why failed rows failed (a row may have several), in row order: the first
    /// [`MAX_REPORTED_ERRORS`].
    pub errors: Vec<RowError>,
    /// Errors beyond those listed.
    pub errors_omitted: usize,
    /// The GTINs of the products created, for the caller's cache (not part of the report).
    #[serde(skip)]
    pub created_gtins: Vec<Gtin>,
}

impl ImportReport {
    fn fail(&mut self, row: usize, errors: impl IntoIterator<Item = FieldError>) {
        self.failed += 1;
        for e in errors {
            if self.errors.len() < MAX_REPORTED_ERRORS {
                self.errors.push(RowError {
                    row,
                    field: e.field,
                    reason: e.reason,
                });
            } else {
                self.errors_omitted += 1;
            }
        }
    }
}

/// Imports rows in transactions of [`IMPORT_CHUNK`] rows.
///
/// Invalid rows (bad fields, a GTIN of another organisation or outside every prefix, a GTIN
/// whose product differs, a write the database refuses) are reported and skipped; the valid
/// rows of a chunk are committed together. Should a chunk fail as a whole (the database fails
/// outside a row, or at commit), none of its rows are applied and each valid one is reported.
/// A row equal to the stored product of its GTIN counts as unchanged, so importing the same
/// rows twice creates nothing the second time. Rows must come in increasing row order.
#[tracing::instrument(skip_all)]
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    rows: impl IntoIterator<Item = ImportRow>,
) -> Result<ImportReport, DomainError> {
    let mut report = ImportReport::default();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut valid = Vec::with_capacity(IMPORT_CHUNK);
        for (n, row) in rows.by_ref().take(IMPORT_CHUNK) {
            match row {
                Ok(new) => valid.push((n, new)),
                Err(errors) => report.fail(n, errors),
            }
        }
        if valid.is_empty() {
            continue;
        }
        let outcomes = match db::write_transaction(conn, |conn| bulk(conn, actor, owner, &valid)) {
            Ok(outcomes) => Ok(outcomes),
            Err(e) => {
                tracing::debug!(error = %crate::error::chain(&e), "bulk import chunk refused; row by row");
                let numbers: Vec<usize> = valid.iter().map(|(n, _)| *n).collect();
                db::write_transaction(conn, |conn| {
                    valid
                        .into_iter()
                        .map(|(n, new)| Ok((n, one_row(conn, actor, owner, new)?)))
                        .collect::<Result<Vec<_>, DomainError>>()
                })
                .map_err(|e| (e, numbers))
            }
        };
        match outcomes {
            Ok(outcomes) => {
                for (n, outcome) in outcomes {
                    match outcome {
                        Outcome::Created(gtin) => {
                            report.created += 1;
                            report.created_gtins.push(gtin);
                        }
                        Outcome::Unchanged => report.unchanged += 1,
                        Outcome::Refused(errors) => report.fail(n, errors),
                    }
                }
            }
            Err((e, numbers)) => {
                tracing::error!(error = %crate::error::chain(&e), "import chunk rolled back");
                let reason = format!("chunk not applied: {e}");
                for n in numbers {
                    report.fail(n, [FieldError::new("row", reason.clone())]);
                }
            }
        }
    }
    Ok(report)
}

enum Outcome {
    Created(Gtin),
    Unchanged,
    Refused(Vec<FieldError>),
}

const FOREIGN_GTIN: &str = "this GTIN belongs to another organisation";

fn refused(field: &str, reason: &str) -> Outcome {
    Outcome::Refused(vec![FieldError::new(field, reason)])
}

/// What a row of the stored state says about a row to import.
fn against_stored(existing: &Product, owner: Owner<'_>, new: &NewProduct) -> Outcome {
    if let Owner::Org(own) = owner
        && own != existing.org_id
    {
        return refused("gtin", FOREIGN_GTIN);
    }
    let mut wanted = existing.clone();
    apply(&mut wanted, new.data.clone());
    if wanted == *existing {
        Outcome::Unchanged
    } else {
        refused(
            "gtin",
            "a product with this GTIN exists with different data; change it with PATCH",
        )
    }
}

/// A chunk in bulk: every check against what one read of the database returned, then one write
/// per table. Any database error fails the chunk (and the caller redoes it row by row).
fn bulk(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    rows: &[(usize, NewProduct)],
) -> Result<Vec<(usize, Outcome)>, DomainError> {
    db::plan_each_execution(conn)?;
    let gtins: Vec<&str> = rows.iter().map(|(_, r)| r.gtin.as_str()).collect();
    let stored: HashMap<String, Product> = db::products::find_many(conn, &gtins)?
        .into_iter()
        .map(|p| (p.gtin.clone(), p))
        .collect();
    let issued: HashMap<String, String> =
        db::prefixes::find_keys(conn, KeyKind::Gtin.as_str(), &gtins)?
            .into_iter()
            .map(|k| (k.key, k.org_id))
            .collect();
    // Licensed prefixes never start one another, so a prefix found for one GTIN is the prefix
    // of every GTIN whose digits it starts.
    let mut prefixes: Vec<db::models::Prefix> = Vec::new();
    let mut to_issue: HashMap<String, Vec<&Gtin>> = HashMap::new();
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut created = Vec::new();
    let mut seen = HashSet::new();
    for (n, new) in rows {
        let gtin = new.gtin.as_str();
        if let Some(existing) = stored.get(gtin) {
            outcomes.push((*n, against_stored(existing, owner, new)));
            continue;
        }
        if !seen.insert(gtin) {
            // The same GTIN twice in a chunk: the row by row path judges the second against the
            // first, as it would across chunks.
            return Err(DomainError::Conflict(
                "a GTIN repeats within the chunk".to_owned(),
            ));
        }
        let (org_id, issue_in) = if let Some(org) = issued.get(gtin) {
            (org.clone(), None)
        } else {
            let frame = &gtin[1..];
            let known = prefixes.iter().position(|p| frame.starts_with(&p.prefix));
            let found = match known {
                Some(i) => Some(i),
                None => db::prefixes::containing(conn, frame)?.map(|p| {
                    prefixes.push(p);
                    prefixes.len() - 1
                }),
            };
            let Some(i) = found else {
                let reason = format!(
                    "GTIN {gtin} was not issued here and lies in no company prefix licensed here"
                );
                outcomes.push((*n, Outcome::Refused(vec![FieldError::new("gtin", reason)])));
                continue;
            };
            (prefixes[i].org_id.clone(), Some(prefixes[i].id.clone()))
        };
        if owner.check(&org_id).is_err() {
            outcomes.push((*n, refused("gtin", FOREIGN_GTIN)));
            continue;
        }
        if let Some(prefix_id) = issue_in {
            to_issue.entry(prefix_id).or_default().push(&new.gtin);
        }
        let row = new_row(&org_id, new.clone());
        outcomes.push((*n, Outcome::Created(new.gtin)));
        created.push(row);
    }
    for (prefix_id, gtins) in to_issue {
        // A prefix that is not active refuses the chunk; the row by row path says so per row.
        let locked = prefixes::active_for_update(conn, &prefix_id)?;
        prefixes::issue_gtins_in(conn, actor, locked, &gtins)?;
    }
    db::products::insert_all(conn, &created)?;
    let drafts = created
        .iter()
        .map(|row| {
            crate::draft(
                actor,
                Some(&row.org_id),
                "product.create",
                ("product", &row.id),
                row,
            )
        })
        .collect();
    db::audit::append_all(conn, drafts)?;
    Ok(outcomes)
}

/// One row inside its chunk's transaction, in a savepoint of its own.
fn one_row(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    new: NewProduct,
) -> Result<Outcome, DomainError> {
    if let Some(existing) = db::products::find(conn, new.gtin.as_str())? {
        return Ok(against_stored(&existing, owner, &new));
    }
    let gtin = new.gtin;
    // A savepoint per row: a row the database refuses is undone alone, the chunk goes on.
    match conn.transaction(|conn| create_in(conn, actor, owner, new)) {
        Ok(_) => Ok(Outcome::Created(gtin)),
        Err(DomainError::Invalid(errors)) => Ok(Outcome::Refused(errors)),
        Err(DomainError::Forbidden(_)) => Ok(refused("gtin", FOREIGN_GTIN)),
        Err(DomainError::Conflict(why)) => Ok(refused("gtin", &why)),
        Err(other) => Err(other),
    }
}
