//! Passports, their published versions, the signing keys that signed them, and the product facts
//! a passport needs (read straight from `products`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    schema::{passport_versions, passports, products, signing_keys},
};

/// What a passport needs to know about its product.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct ProductRef {
    /// The GTIN (14 digits).
    pub gtin: String,
    /// The owning organisation.
    pub org_id: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// English description.
    pub description_en: Option<String>,
    /// Country of origin (ISO 3166-1 alpha-2).
    pub country_of_origin: Option<String>,
}

/// The product with `gtin`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn product(conn: &mut DbConn, gtin: &str) -> QueryResult<ProductRef> {
    products::table
        .filter(products::gtin.eq(gtin))
        .select((
            products::gtin,
            products::org_id,
            products::name_vi,
            products::name_en,
            products::description_en,
            products::country_of_origin,
        ))
        .get_result(conn)
}

/// A passport row: the draft of one product, lot or serial.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = passports)]
pub struct Passport {
    /// UUIDv7.
    pub id: String,
    /// The product owner's organisation.
    pub org_id: String,
    /// GTIN.
    pub gtin: String,
    /// Lot, or '' for the product or a serial.
    pub lot: String,
    /// Serial, or ''.
    pub serial: String,
    /// The draft JSON.
    pub draft: String,
    /// The last published version (0: none yet).
    pub latest_version: i64,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Draft or version last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// One published, immutable version.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = passport_versions)]
pub struct PassportVersion {
    /// UUIDv7.
    pub id: String,
    /// The passport.
    pub passport_id: String,
    /// 1, 2, ...
    pub version: i64,
    /// The signed credential, JSON text.
    pub content: String,
    /// SHA-256 (hex) of `content`.
    pub content_sha256: String,
    /// Compact JWS over `content`.
    pub jws: String,
    /// The signing key's id.
    pub kid: String,
    /// Who published (`user:<id>` or `api_key:<id>`).
    pub published_by: String,
    /// When (UTC).
    pub published_at: NaiveDateTime,
}

/// A public key that signed (or will sign) passports.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    /// The key's JWK thumbprint.
    pub kid: String,
    /// The public JWK, JSON text.
    pub public_jwk: String,
    /// When it was first recorded (UTC).
    pub created_at: NaiveDateTime,
    /// When a newer key replaced it (UTC).
    pub retired_at: Option<NaiveDateTime>,
}

/// The passport of `(gtin, lot, serial)`, if one exists.
#[tracing::instrument(skip(conn))]
pub fn find(
    conn: &mut DbConn,
    gtin: &str,
    lot: &str,
    serial: &str,
) -> QueryResult<Option<Passport>> {
    passports::table
        .filter(passports::gtin.eq(gtin))
        .filter(passports::lot.eq(lot))
        .filter(passports::serial.eq(serial))
        .get_result(conn)
        .optional()
}

/// A passport's `latest_version` as its published version: none while it is 0.
pub fn published(latest_version: i64) -> Option<i64> {
    (latest_version > 0).then_some(latest_version)
}

/// The latest published version of the passport of `(gtin, lot, serial)`, if any.
pub fn published_version(
    conn: &mut DbConn,
    gtin: &str,
    lot: &str,
    serial: &str,
) -> QueryResult<Option<i64>> {
    Ok(passports::table
        .filter(passports::gtin.eq(gtin))
        .filter(passports::lot.eq(lot))
        .filter(passports::serial.eq(serial))
        .select(passports::latest_version)
        .get_result(conn)
        .optional()?
        .and_then(published))
}

/// Inserts a passport.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, p: &Passport) -> QueryResult<()> {
    diesel::insert_into(passports::table)
        .values(p)
        .execute(conn)
        .map(|_| ())
}

/// Writes a passport's draft, latest version and change time.
#[tracing::instrument(skip_all)]
pub fn update(conn: &mut DbConn, p: &Passport) -> QueryResult<()> {
    diesel::update(passports::table.filter(passports::id.eq(&p.id)))
        .set((
            passports::draft.eq(&p.draft),
            passports::latest_version.eq(p.latest_version),
            passports::updated_at.eq(p.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Inserts a published version.
#[tracing::instrument(skip_all)]
pub fn insert_version(conn: &mut DbConn, v: &PassportVersion) -> QueryResult<()> {
    diesel::insert_into(passport_versions::table)
        .values(v)
        .execute(conn)
        .map(|_| ())
}

/// A page of a passport's versions, oldest first (one extra row signals a next page).
#[tracing::instrument(skip(conn))]
pub fn versions(
    conn: &mut DbConn,
    passport_id: &str,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<PassportVersion>> {
    let mut q = passport_versions::table
        .filter(passport_versions::passport_id.eq(passport_id))
        .into_boxed::<MultiBackend>();
    if let Some(after) = after {
        q = q.filter(passport_versions::version.gt(after));
    }
    q.order(passport_versions::version.asc())
        .limit(limit + 1)
        .load(conn)
}

/// Version `n` of a passport; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn version(conn: &mut DbConn, passport_id: &str, n: i64) -> QueryResult<PassportVersion> {
    passport_versions::table
        .filter(passport_versions::passport_id.eq(passport_id))
        .filter(passport_versions::version.eq(n))
        .get_result(conn)
}

/// Every recorded signing key, oldest first.
#[tracing::instrument(skip(conn))]
pub fn signing_keys(conn: &mut DbConn) -> QueryResult<Vec<SigningKeyRow>> {
    signing_keys::table
        .order((signing_keys::created_at.asc(), signing_keys::kid.asc()))
        .load(conn)
}

/// Records a key unless its `kid` is already known; returns whether it was new.
#[tracing::instrument(skip_all)]
pub fn ensure_signing_key(conn: &mut DbConn, row: &SigningKeyRow) -> QueryResult<bool> {
    let known = signing_keys::table
        .filter(signing_keys::kid.eq(&row.kid))
        .select(signing_keys::kid)
        .get_result::<String>(conn)
        .optional()?;
    if known.is_some() {
        return Ok(false);
    }
    diesel::insert_into(signing_keys::table)
        .values(row)
        .execute(conn)?;
    Ok(true)
}

/// Marks every key other than `current` that is not yet retired as retired at `at`.
#[tracing::instrument(skip(conn))]
pub fn retire_others(conn: &mut DbConn, current: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        signing_keys::table
            .filter(signing_keys::kid.ne(current))
            .filter(signing_keys::retired_at.is_null()),
    )
    .set(signing_keys::retired_at.eq(Some(at)))
    .execute(conn)
}
