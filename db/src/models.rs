//! Rows as stored; wire types live in the server's `api/` and are built from these.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    api_keys, audit_log, company_prefixes, issued_keys, organisations, products, resolver_links,
    users,
};

/// An organisation row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = organisations)]
pub struct Org {
    /// UUIDv7.
    pub id: String,
    /// An `OrgKind` in its snake_case form.
    pub kind: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// The organisation's GLN, if it has one.
    pub gln: Option<String>,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// A brand owner's own GS1 resolver root (`https://id.brand.vn`), for its labels.
    pub resolver_root: Option<String>,
}

/// A user row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    /// UUIDv7.
    pub id: String,
    /// The organisation the user belongs to.
    pub org_id: String,
    /// Lower-cased e-mail address, unique.
    pub email: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// A `Role` in lower case.
    pub role: String,
    /// Disabled users cannot sign in and their tokens stop working.
    pub disabled: bool,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// An API key row; the secret itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    /// UUIDv7.
    pub id: String,
    /// The organisation the key acts for.
    pub org_id: String,
    /// A label chosen by its creator.
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// The role the key acts with.
    pub role: String,
    /// Who created it (`user:<id>`).
    pub created_by: String,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last authenticated a request (UTC).
    pub last_used_at: Option<NaiveDateTime>,
    /// When it was revoked (UTC); revoked keys authenticate nothing.
    pub revoked_at: Option<NaiveDateTime>,
}

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When the write happened (UTC, microseconds).
    pub at: NaiveDateTime,
    /// Who wrote: `user:<id>`, `api_key:<id>` or `cli`.
    pub actor: String,
    /// The organisation acted upon, if any.
    pub org_id: Option<String>,
    /// What was done, e.g. `org.create`.
    pub action: String,
    /// The kind of entity written.
    pub entity_type: String,
    /// Its id.
    pub entity_id: String,
    /// SHA-256 (hex) of the entity's new state as JSON.
    pub state_digest: String,
    /// The previous entry's hash (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// A GS1 company prefix licensed to an organisation, with its allocation cursors.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = company_prefixes)]
pub struct Prefix {
    /// UUIDv7.
    pub id: String,
    /// The licensee (an exporter).
    pub org_id: String,
    /// 4 to 12 digits; no licensed prefix starts another.
    pub prefix: String,
    /// `active` or `revoked`; keys are issued from active prefixes only.
    pub status: String,
    /// Every item reference below it is in use; the next GTIN-13 is the first free one from here.
    pub next_item_ref: i64,
    /// SSCC cursor over extension digit x capacity + serial reference (see `domain::prefixes`).
    pub next_serial_ref: i64,
    /// Every location reference below it is in use.
    pub next_location_ref: i64,
    /// Who licensed it.
    pub licensed_by: String,
    /// When it was licensed (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// Item references in use (GTINs of any indicator on one reference count once).
    pub gtin_refs_used: i64,
    /// SSCCs issued.
    pub sscc_refs_used: i64,
    /// GLNs issued.
    pub gln_refs_used: i64,
}

/// A GTIN, SSCC or GLN issued under a company prefix; never deleted.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = issued_keys, treat_none_as_default_value = false)]
pub struct IssuedKey {
    /// UUIDv7.
    pub id: String,
    /// The prefix it was numbered under.
    pub prefix_id: String,
    /// The prefix's licensee.
    pub org_id: String,
    /// `gtin`, `sscc` or `gln`.
    pub kind: String,
    /// The key: 14 digits for a GTIN, 18 for an SSCC, 13 for a GLN.
    pub key: String,
    /// Item or location reference; for an SSCC, extension digit x capacity + serial reference.
    pub reference: i64,
    /// What the issuer said it is for.
    pub description: Option<String>,
    /// Who issued it.
    pub issued_by: String,
    /// When (UTC).
    pub issued_at: NaiveDateTime,
}

/// A trade item's master data, keyed by its GTIN (14 digits).
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = products, treat_none_as_default_value = false)]
pub struct Product {
    /// UUIDv7.
    pub id: String,
    /// The brand owner (the GTIN's licensee).
    pub org_id: String,
    /// 14 digits.
    pub gtin: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Vietnamese.
    pub description_vi: Option<String>,
    /// Description in English.
    pub description_en: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// GS1 GPC brick code, 8 digits.
    pub gpc_brick: Option<String>,
    /// HS code, 6 to 10 digits.
    pub hs_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    /// Decimal string.
    pub net_content: Option<String>,
    /// UN/CEFACT Recommendation 20 unit code.
    pub net_content_unit: Option<String>,
    /// http(s) URL.
    pub image_url: Option<String>,
    /// JSON array of ISO 3166-1 alpha-2 codes.
    pub target_markets: String,
    /// JSON array of standard designations (TCVN, QCVN, ISO ...).
    pub standards: String,
    /// `active` or `discontinued`.
    pub status: String,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

impl Product {
    /// A new row for `gtin` owned by `org_id`, with names and every optional field empty.
    pub fn new(org_id: &str, gtin: &str, status: &str, now: NaiveDateTime) -> Self {
        Self {
            id: crate::new_id(),
            org_id: org_id.to_owned(),
            gtin: gtin.to_owned(),
            name_vi: String::new(),
            name_en: String::new(),
            description_vi: None,
            description_en: None,
            brand: None,
            gpc_brick: None,
            hs_code: None,
            country_of_origin: None,
            net_content: None,
            net_content_unit: None,
            image_url: None,
            target_markets: "[]".to_owned(),
            standards: "[]".to_owned(),
            status: status.to_owned(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// A link the resolver answers with for a GTIN (and optionally a lot or serial).
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = resolver_links)]
pub struct ResolverLink {
    /// UUIDv7.
    pub id: String,
    /// The product's brand owner.
    pub org_id: String,
    /// 14 digits.
    pub gtin: String,
    /// Lot, or '' for every lot.
    pub lot: String,
    /// Serial, or '' for every serial.
    pub serial: String,
    /// CURIE of a GS1 Web Vocabulary link type, e.g. `gs1:pip`.
    pub link_type: String,
    /// Target, http(s).
    pub href: String,
    /// Human-readable title.
    pub title: String,
    /// BCP 47 language tag.
    pub lang: Option<String>,
    /// Media type of the target.
    pub media_type: Option<String>,
    /// Resolver context.
    pub context: Option<String>,
    /// The default link for (gtin, lot, serial); at most one is.
    pub is_default: bool,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}
