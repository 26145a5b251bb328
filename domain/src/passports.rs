//! Digital product passports: draft checks, the UNTP DPP v0.6.0 credential built from a draft,
//! and publishing a signed, numbered, immutable version.

use ed25519_dalek::SigningKey;
use gs1::{
    digital_link::{UriPart, escape},
    keys::{Gtin, Lot, Serial},
};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

mod draft;

pub use draft::Draft;

use super::record;
use crate::{caller::Caller, error::DomainError, signing};
use db::{
    self, DbConn,
    passports::{Passport, PassportVersion, ProductRef, SigningKeyRow},
};

/// The JSON-LD contexts of a UNTP DPP v0.6.0 credential.
pub const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://test.uncefact.org/vocabulary/untp/dpp/0.6.0/",
];

/// What a passport is about: a product, one of its lots, or one serialised item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassportKey {
    /// The product.
    pub gtin: Gtin,
    /// The lot, for a batch passport.
    pub lot: Option<Lot>,
    /// The serial, for an item passport.
    pub serial: Option<Serial>,
}

impl PassportKey {
    /// The stored lot ('' if none).
    pub fn lot_str(&self) -> &str {
        self.lot.as_ref().map_or("", Lot::as_str)
    }
    /// The stored serial ('' if none).
    pub fn serial_str(&self) -> &str {
        self.serial.as_ref().map_or("", Serial::as_str)
    }
    /// The API path of this passport, under `/api/v1`.
    pub fn api_path(&self) -> String {
        let mut p = format!("/api/v1/products/{}", self.gtin);
        if let Some(lot) = &self.lot {
            p.push_str(&format!("/lots/{}", escape(lot.as_str(), UriPart::Path)));
        }
        if let Some(serial) = &self.serial {
            p.push_str(&format!(
                "/serials/{}",
                escape(serial.as_str(), UriPart::Path)
            ));
        }
        p.push_str("/passport");
        p
    }
    /// The GS1 Digital Link URI under `base`.
    pub fn digital_link(&self, base: &str) -> String {
        let mut uri = format!("{}/01/{}", base.trim_end_matches('/'), self.gtin);
        if let Some(lot) = &self.lot {
            uri.push_str(&format!("/10/{}", escape(lot.as_str(), UriPart::Path)));
        }
        if let Some(serial) = &self.serial {
            uri.push_str(&format!("/21/{}", escape(serial.as_str(), UriPart::Path)));
        }
        uri
    }
    fn granularity(&self) -> &'static str {
        match (&self.lot, &self.serial) {
            (_, Some(_)) => "item",
            (Some(_), None) => "batch",
            (None, None) => "model",
        }
    }
}

/// The facts a credential is built from besides the draft.
#[derive(Debug)]
pub struct Facts<'a> {
    /// The product.
    pub product: &'a ProductRef,
    /// The owner's name.
    pub owner_name: &'a str,
    /// The platform's public root.
    pub base_url: &'a str,
    /// The version being published.
    pub version: i64,
    /// Now, RFC 3339.
    pub valid_from: String,
    /// The `traceabilityInformation` entry linking the journey's DTE credential, if any.
    pub traceability: Option<Value>,
}

/// The issuer's DID: `did:web` of the public root's host (a port's `:` written `%3A`).
pub fn issuer_did(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    format!("did:web:{}", host.replace(':', "%3A"))
}

/// Builds the UNTP DPP credential: the server's envelope and product identity around the draft.
pub fn credential(key: &PassportKey, draft: &Draft, facts: &Facts<'_>) -> Value {
    let base = facts.base_url.trim_end_matches('/');
    let dl = key.digital_link(base);
    let mut subject = Map::new();
    let mut product = Map::new();
    for (k, v) in draft.fields() {
        match k.as_str() {
            "product" => product.extend(v.as_object().cloned().unwrap_or_default()),
            "facility" => {
                product.insert("producedAtFacility".into(), v.clone());
            }
            _ => {
                subject.insert(k.clone(), v.clone());
            }
        }
    }
    let p = facts.product;
    product
        .entry("name")
        .or_insert_with(|| json!(p.name_en.clone()));
    if let Some(d) = &p.description_en {
        product.entry("description").or_insert_with(|| json!(d));
    }
    if let Some(c) = &p.country_of_origin {
        product
            .entry("countryOfProduction")
            .or_insert_with(|| json!(c));
    }
    product.entry("producedByParty").or_insert_with(
        || json!({"id": format!("{base}/api/v1/orgs/{}", p.org_id), "name": facts.owner_name}),
    );
    if let Some(lot) = &key.lot {
        product.insert("batchNumber".into(), json!(lot.as_str()));
    }
    if let Some(serial) = &key.serial {
        product.insert("serialNumber".into(), json!(serial.as_str()));
    }
    product.insert("type".into(), json!(["Product"]));
    product.insert("id".into(), json!(dl));
    product.insert("registeredId".into(), json!(key.gtin.as_str()));
    product.insert(
        "idScheme".into(),
        json!({"type": ["IdentifierScheme"], "id": "https://id.gs1.org/01/", "name": "GS1 Global Trade Item Number (GTIN)"}),
    );
    if let Some(t) = &facts.traceability {
        let list = subject
            .entry("traceabilityInformation")
            .or_insert_with(|| json!([]));
        if let Some(items) = list.as_array_mut() {
            items.push(t.clone());
        }
    }
    subject.insert("type".into(), json!(["ProductPassport"]));
    subject.insert("id".into(), json!(dl));
    subject.insert("granularityLevel".into(), json!(key.granularity()));
    subject.insert("product".into(), Value::Object(product));
    json!({
        "@context": CONTEXT,
        "type": ["DigitalProductPassport", "VerifiableCredential"],
        "id": format!("{base}{}/versions/{}", key.api_path(), facts.version),
        "issuer": {"type": ["CredentialIssuer"], "id": issuer_did(base), "name": "gs1-dpp"},
        "validFrom": facts.valid_from,
        "credentialSubject": Value::Object(subject),
    })
}

/// The product, if the caller may edit its passports (admin, or its owning organisation).
fn owned_product(
    conn: &mut DbConn,
    who: &Caller,
    key: &PassportKey,
) -> Result<ProductRef, DomainError> {
    let product = db::passports::product(conn, key.gtin.as_str())?;
    who.require_member_of(&product.org_id)?;
    Ok(product)
}

/// The draft of `key`; 404 if none was saved.
pub fn get_draft(
    conn: &mut DbConn,
    who: &Caller,
    key: &PassportKey,
) -> Result<Passport, DomainError> {
    owned_product(conn, who, key)?;
    db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
        .ok_or(DomainError::NotFound)
}

/// Creates or replaces the draft of `key`.
#[tracing::instrument(skip(conn, draft))]
pub fn save_draft(
    conn: &mut DbConn,
    who: &Caller,
    key: &PassportKey,
    draft: Draft,
) -> Result<Passport, DomainError> {
    let text = serde_json::to_string(&draft.into_value()).map_err(DomainError::internal)?;
    db::write_transaction(conn, |conn| {
        let product = owned_product(conn, who, key)?;
        let now = db::now();
        let passport =
            match db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())? {
                Some(mut p) => {
                    p.draft = text;
                    p.updated_at = now;
                    db::passports::update(conn, &p)?;
                    p
                }
                None => {
                    let p = Passport {
                        id: db::new_id(),
                        org_id: product.org_id.clone(),
                        gtin: key.gtin.to_string(),
                        lot: key.lot_str().to_owned(),
                        serial: key.serial_str().to_owned(),
                        draft: text,
                        latest_version: 0,
                        created_at: now,
                        updated_at: now,
                    };
                    db::passports::insert(conn, &p)?;
                    p
                }
            };
        record(
            conn,
            &who.actor(),
            Some(&passport.org_id),
            "passport.draft",
            ("passport", &passport.id),
            &passport,
        )?;
        Ok(passport)
    })
}

/// The signing key as it is recorded for the JWKS.
pub fn key_row(key: &SigningKey) -> Result<SigningKeyRow, DomainError> {
    let jwk = signing::public_jwk(&key.verifying_key());
    Ok(SigningKeyRow {
        kid: jwk.kid.clone(),
        public_jwk: serde_json::to_string(&jwk).map_err(DomainError::internal)?,
        created_at: db::now(),
        retired_at: None,
    })
}

/// Publishes the draft of `key` as the next signed version.
#[tracing::instrument(skip(conn, signing_key))]
pub fn publish(
    conn: &mut DbConn,
    who: &Caller,
    key: &PassportKey,
    signing_key: &SigningKey,
    base_url: &str,
) -> Result<PassportVersion, DomainError> {
    let key_row = key_row(signing_key)?;
    db::write_transaction(conn, |conn| {
        let product = owned_product(conn, who, key)?;
        let mut passport =
            db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
                .ok_or(DomainError::NotFound)?;
        let stored: Value = serde_json::from_str(&passport.draft).map_err(DomainError::internal)?;
        let draft = Draft::parse(stored)?;
        let owner = db::orgs::get(conn, &product.org_id)?;
        let now = db::now();
        let version = passport.latest_version + 1;
        // A lot's or item's passport links the signed journey of its events, when it has one.
        let traceability = match (&key.lot, &key.serial) {
            (None, None) => None,
            _ => {
                let target = epcis::Epc::parse(&key.digital_link("https://id.gs1.org"))
                    .map_err(DomainError::internal)?;
                crate::dte::issue_for(conn, who, &target, &product.org_id, signing_key, base_url)?
                    .map(|issued| crate::dte::traceability_information(&issued.row, base_url))
            }
        };
        let facts = Facts {
            product: &product,
            owner_name: &owner.name,
            base_url,
            version,
            valid_from: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            traceability,
        };
        let content = credential(key, &draft, &facts);
        let (jws, kid) = signing::sign(signing_key, &content).map_err(DomainError::internal)?;
        let text = serde_json::to_string(&content).map_err(DomainError::internal)?;
        let v = PassportVersion {
            id: db::new_id(),
            passport_id: passport.id.clone(),
            version,
            content_sha256: hex::encode(Sha256::digest(text.as_bytes())),
            content: text,
            jws,
            kid,
            published_by: who.actor().as_str().to_owned(),
            published_at: now,
        };
        db::passports::ensure_signing_key(conn, &key_row)?;
        db::passports::insert_version(conn, &v)?;
        passport.latest_version = version;
        passport.updated_at = now;
        db::passports::update(conn, &passport)?;
        record(
            conn,
            &who.actor(),
            Some(&passport.org_id),
            "passport.publish",
            ("passport_version", &v.id),
            &v,
        )?;
        Ok(v)
    })
}

/// The passport of `key` for public reads; 404 if it has none.
pub fn public_passport(conn: &mut DbConn, key: &PassportKey) -> Result<Passport, DomainError> {
    db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
        .ok_or(DomainError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_a_did_web_of_the_host() {
        assert_eq!(issuer_did("https://dpp.gov.vn/"), "did:web:dpp.gov.vn");
        assert_eq!(
            issuer_did("http://127.0.0.1:8080"),
            "did:web:127.0.0.1%3A8080"
        );
    }
}
