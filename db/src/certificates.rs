//! Rows and queries for accreditation signatures, accreditations, certificates, their GTINs and
//! status history, and the one read of `products` the certificate lookup needs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    schema::{
        accreditation_signatures as sg, accreditations as ac, certificate_events as ce,
        certificate_gtins as cg, certificates as c, products as p,
    },
};
use crate::page::PageRequest;

/// An accreditation body's signature of an arrangement.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = sg)]
pub struct SignatureRow {
    /// UUIDv7.
    pub id: String,
    /// The accreditation body.
    pub body_org_id: String,
    /// `Arrangement` wire form.
    pub arrangement: String,
    /// `SignatureScope` wire form.
    pub scope: String,
    /// `SignatureStatus` wire form.
    pub status: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD` or open-ended.
    pub valid_until: Option<String>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// An accreditation of a CAB by a body.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = ac)]
pub struct AccreditationRow {
    /// UUIDv7.
    pub id: String,
    /// The accrediting body.
    pub body_org_id: String,
    /// The accredited CAB.
    pub cab_org_id: String,
    /// The body's accreditation number, unique per body.
    pub number: String,
    /// `AccreditationStandard` wire form.
    pub standard: String,
    /// JSON array of codes.
    pub scope_standards: String,
    /// JSON array of categories.
    pub scope_categories: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`.
    pub valid_until: String,
    /// `AccreditationStatus` wire form.
    pub status: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// A certificate, test report or inspection certificate.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = c)]
pub struct CertificateRow {
    /// UUIDv7.
    pub id: String,
    /// Unique number.
    pub number: String,
    /// Issuing CAB.
    pub cab_org_id: String,
    /// Holder organisation.
    pub holder_org_id: String,
    /// `CertificateKind` wire form.
    pub kind: String,
    /// JSON array of standard codes.
    pub standards: String,
    /// GPC brick covering all of the holder's products in it.
    pub gpc_brick: Option<String>,
    /// `YYYY-MM-DD`.
    pub issue_date: String,
    /// `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
    /// `valid`, `suspended` or `withdrawn`; expiry is computed, never stored.
    pub status: String,
    /// Issued without a covering accreditation, on request.
    pub unaccredited: bool,
    /// The accreditation that covered it at issue.
    pub accreditation_id: Option<String>,
    /// SHA-256 of the document, lower-case hex.
    pub document_sha256: Option<String>,
    /// Where the document is.
    pub document_url: Option<String>,
    /// Who issued it (audit actor form).
    pub created_by: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// One status change of a certificate.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = ce)]
pub struct CertificateEventRow {
    /// UUIDv7 (time-ordered).
    pub id: String,
    /// The certificate.
    pub certificate_id: String,
    /// The status entered.
    pub status: String,
    /// Why.
    pub reason: String,
    /// Who (audit actor form).
    pub actor: String,
    /// When (UTC).
    pub at: NaiveDateTime,
}

/// Inserts a signature.
#[tracing::instrument(skip_all)]
pub fn insert_signature(conn: &mut DbConn, row: &SignatureRow) -> QueryResult<()> {
    diesel::insert_into(sg::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The signature with `id`.
#[tracing::instrument(skip(conn))]
pub fn get_signature(conn: &mut DbConn, id: &str) -> QueryResult<SignatureRow> {
    sg::table.filter(sg::id.eq(id)).get_result(conn)
}

/// Writes a signature's mutable fields.
#[tracing::instrument(skip_all)]
pub fn update_signature(conn: &mut DbConn, row: &SignatureRow) -> QueryResult<()> {
    diesel::update(sg::table.filter(sg::id.eq(&row.id)))
        .set((
            sg::status.eq(&row.status),
            sg::valid_from.eq(&row.valid_from),
            sg::valid_until.eq(&row.valid_until),
            sg::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A page of one body's signatures.
#[tracing::instrument(skip(conn))]
pub fn list_signatures(
    conn: &mut DbConn,
    body: &str,
    page: &PageRequest,
) -> QueryResult<Vec<SignatureRow>> {
    let mut q = sg::table
        .filter(sg::body_org_id.eq(body.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(sg::id.gt(after.clone()));
    }
    q.order(sg::id.asc()).limit(page.limit + 1).load(conn)
}

/// Every signature of one body.
#[tracing::instrument(skip(conn))]
pub fn signatures_of(conn: &mut DbConn, body: &str) -> QueryResult<Vec<SignatureRow>> {
    sg::table
        .filter(sg::body_org_id.eq(body))
        .order(sg::id.asc())
        .load(conn)
}

/// Inserts an accreditation.
#[tracing::instrument(skip_all)]
pub fn insert_accreditation(conn: &mut DbConn, row: &AccreditationRow) -> QueryResult<()> {
    diesel::insert_into(ac::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The accreditation with `id`.
#[tracing::instrument(skip(conn))]
pub fn get_accreditation(conn: &mut DbConn, id: &str) -> QueryResult<AccreditationRow> {
    ac::table.filter(ac::id.eq(id)).get_result(conn)
}

/// Writes an accreditation's mutable fields.
#[tracing::instrument(skip_all)]
pub fn update_accreditation(conn: &mut DbConn, row: &AccreditationRow) -> QueryResult<()> {
    diesel::update(ac::table.filter(ac::id.eq(&row.id)))
        .set((
            ac::status.eq(&row.status),
            ac::valid_from.eq(&row.valid_from),
            ac::valid_until.eq(&row.valid_until),
            ac::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A page of accreditations, optionally of one CAB and/or by one body.
#[tracing::instrument(skip(conn))]
pub fn list_accreditations(
    conn: &mut DbConn,
    cab: Option<&str>,
    body: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<AccreditationRow>> {
    let mut q = ac::table.into_boxed::<MultiBackend>();
    if let Some(cab) = cab {
        q = q.filter(ac::cab_org_id.eq(cab.to_owned()));
    }
    if let Some(body) = body {
        q = q.filter(ac::body_org_id.eq(body.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(ac::id.gt(after.clone()));
    }
    q.order(ac::id.asc()).limit(page.limit + 1).load(conn)
}

/// Every accreditation held by one CAB.
#[tracing::instrument(skip(conn))]
pub fn accreditations_of(conn: &mut DbConn, cab: &str) -> QueryResult<Vec<AccreditationRow>> {
    ac::table
        .filter(ac::cab_org_id.eq(cab))
        .order(ac::id.asc())
        .load(conn)
}

/// Inserts a certificate with its GTINs, one row at a time (batch inserts do not cross backends).
#[tracing::instrument(skip_all)]
pub fn insert_certificate(
    conn: &mut DbConn,
    row: &CertificateRow,
    gtins: &[String],
) -> QueryResult<()> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    for g in gtins {
        diesel::insert_into(cg::table)
            .values((cg::certificate_id.eq(&row.id), cg::gtin.eq(g)))
            .execute(conn)?;
    }
    Ok(())
}

/// The certificate with `id`.
#[tracing::instrument(skip(conn))]
pub fn get_certificate(conn: &mut DbConn, id: &str) -> QueryResult<CertificateRow> {
    c::table.filter(c::id.eq(id)).get_result(conn)
}

/// Writes a certificate's status.
#[tracing::instrument(skip(conn))]
pub fn set_certificate_status(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(c::table.filter(c::id.eq(id)))
        .set((c::status.eq(status), c::updated_at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// The GTINs a certificate names.
#[tracing::instrument(skip(conn))]
pub fn gtins_of(conn: &mut DbConn, id: &str) -> QueryResult<Vec<String>> {
    cg::table
        .filter(cg::certificate_id.eq(id))
        .select(cg::gtin)
        .order(cg::gtin.asc())
        .load(conn)
}

/// The GTINs each of `ids` names, as `(certificate id, gtin)` pairs in order: one query for a
/// page of certificates.
#[tracing::instrument(skip_all, fields(n = ids.len()))]
pub fn gtins_of_all(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    cg::table
        .filter(cg::certificate_id.eq_any(ids))
        .select((cg::certificate_id, cg::gtin))
        .order((cg::certificate_id.asc(), cg::gtin.asc()))
        .load(conn)
}

/// Appends a status event.
#[tracing::instrument(skip_all)]
pub fn insert_event(conn: &mut DbConn, row: &CertificateEventRow) -> QueryResult<()> {
    diesel::insert_into(ce::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A certificate's history, oldest first.
#[tracing::instrument(skip(conn))]
pub fn events_of(conn: &mut DbConn, id: &str) -> QueryResult<Vec<CertificateEventRow>> {
    ce::table
        .filter(ce::certificate_id.eq(id))
        .order((ce::at.asc(), ce::id.asc()))
        .load(conn)
}

/// Filters of the certificate list; dates are `YYYY-MM-DD` and compare as text.
#[derive(Clone, Debug, Default)]
pub struct CertificateFilter {
    /// Holder organisation.
    pub holder: Option<String>,
    /// Issuing CAB.
    pub cab: Option<String>,
    /// Covered GTIN (14 digits), directly or via the holder's products in a brick.
    pub gtin: Option<String>,
    /// Stored status.
    pub status: Option<String>,
    /// Only those whose expiry date is before this day.
    pub expired_before: Option<String>,
    /// Only those not expired on this day.
    pub live_on: Option<String>,
}

/// A page of certificates matching `f`, by id.
#[tracing::instrument(skip(conn))]
pub fn list_certificates(
    conn: &mut DbConn,
    f: &CertificateFilter,
    page: &PageRequest,
) -> QueryResult<Vec<CertificateRow>> {
    let mut q = c::table.into_boxed::<MultiBackend>();
    if let Some(h) = &f.holder {
        q = q.filter(c::holder_org_id.eq(h.clone()));
    }
    if let Some(cab) = &f.cab {
        q = q.filter(c::cab_org_id.eq(cab.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(c::status.eq(s.clone()));
    }
    if let Some(day) = &f.expired_before {
        q = q.filter(c::expiry_date.lt(day.clone()));
    }
    if let Some(day) = &f.live_on {
        q = q.filter(c::expiry_date.is_null().or(c::expiry_date.ge(day.clone())));
    }
    if let Some(gtin) = &f.gtin {
        let ids = covering_ids(conn, gtin)?;
        q = q.filter(c::id.eq_any(ids));
    }
    if let Some(after) = &page.after {
        q = q.filter(c::id.gt(after.clone()));
    }
    q.order(c::id.asc()).limit(page.limit + 1).load(conn)
}

/// Ids of every certificate covering `gtin`: named directly, or through the product's holder and
/// GPC brick as recorded in `products`.
#[tracing::instrument(skip(conn))]
pub fn covering_ids(conn: &mut DbConn, gtin: &str) -> QueryResult<Vec<String>> {
    let mut ids: Vec<String> = cg::table
        .filter(cg::gtin.eq(gtin))
        .select(cg::certificate_id)
        .load(conn)?;
    let products: Vec<(String, Option<String>)> = p::table
        .filter(p::gtin.eq(gtin))
        .select((p::org_id, p::gpc_brick))
        .load(conn)?;
    for (org, brick) in products {
        if let Some(brick) = brick {
            let via: Vec<String> = c::table
                .filter(c::holder_org_id.eq(org))
                .filter(c::gpc_brick.eq(brick))
                .select(c::id)
                .load(conn)?;
            ids.extend(via);
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A page of the certificates covering `gtin`, by id.
#[tracing::instrument(skip(conn))]
pub fn covering(
    conn: &mut DbConn,
    gtin: &str,
    page: &PageRequest,
) -> QueryResult<Vec<CertificateRow>> {
    let ids = covering_ids(conn, gtin)?;
    let mut q = c::table
        .filter(c::id.eq_any(ids))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(c::id.gt(after.clone()));
    }
    q.order(c::id.asc()).limit(page.limit + 1).load(conn)
}
