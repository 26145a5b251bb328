//! Digital product passports: draft checks, the UNTP DPP v0.6.0 credential built from a draft,
//! and publishing a signed, numbered, immutable version.

use ed25519_dalek::SigningKey;
use gs1::{
    digital_link::{UriPart, escape},
    keys::{Gtin, Lot, Serial},
};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::record;
use crate::{
    auth::Principal,
    db::{
        self, DbConn,
        passports::{Passport, PassportVersion, ProductRef, SigningKeyRow},
    },
    error::{ApiError, FieldError},
    signing,
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

/// The ProductPassport members an exporter may set; `facility` becomes `product.producedAtFacility`.
const DRAFT_FIELDS: [&str; 8] = [
    "product",
    "conformityClaim",
    "materialsProvenance",
    "emissionsScorecard",
    "circularityScorecard",
    "dueDiligenceDeclaration",
    "traceabilityInformation",
    "facility",
];

/// A checked draft: a JSON object holding only [`DRAFT_FIELDS`] in the shapes UNTP requires.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft(Map<String, Value>);

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn require_str(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, key: &str) {
    if !obj.get(key).is_some_and(Value::is_string) {
        errors.push(FieldError::new(format!("{at}.{key}"), "required string"));
    }
}

/// The members of a UNTP `SecureLink`; its first four are those of a `Link`.
const SECURE_LINK: [&str; 7] = [
    "type",
    "linkURL",
    "linkName",
    "linkType",
    "hashDigest",
    "hashMethod",
    "encryptionMethod",
];

/// `EmissionsPerformance.operationalScope` values.
const SCOPES: [&str; 3] = ["None", "CradleToGate", "CradleToGrave"];

/// The UNTP conformity topics (`Claim.conformityTopic`).
const TOPICS: [&str; 15] = [
    "environment.energy",
    "environment.emissions",
    "environment.water",
    "environment.waste",
    "environment.deforestation",
    "environment.biodiversity",
    "circularity.content",
    "circularity.design",
    "social.labour",
    "social.rights",
    "social.community",
    "social.safety",
    "governance.ethics",
    "governance.compliance",
    "governance.transparency",
];

/// Requires `key` to be one of `allowed`, if `required` or present.
fn one_of(
    errors: &mut Vec<FieldError>,
    obj: &Map<String, Value>,
    at: &str,
    key: &str,
    allowed: &[&str],
    required: bool,
) {
    match obj.get(key) {
        None if !required => {}
        Some(Value::String(v)) if allowed.contains(&v.as_str()) => {}
        _ => errors.push(FieldError::new(
            format!("{at}.{key}"),
            format!("must be one of {}", allowed.join(", ")),
        )),
    }
}

/// Refuses members outside `allowed` (the schema's closed objects).
fn only(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, allowed: &[&str]) {
    for k in obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
        errors.push(FieldError::new(
            format!("{at}.{k}"),
            format!("unknown member; use {}", allowed.join(", ")),
        ));
    }
}

fn require_num(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, key: &str) {
    if !obj.get(key).is_some_and(Value::is_number) {
        errors.push(FieldError::new(format!("{at}.{key}"), "required number"));
    }
}

fn objects<'a>(
    errors: &mut Vec<FieldError>,
    v: &'a Value,
    at: &str,
) -> Vec<(String, &'a Map<String, Value>)> {
    let Some(items) = v.as_array() else {
        errors.push(FieldError::new(at, "must be an array"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_object() {
            Some(o) => out.push((format!("{at}[{i}]"), o)),
            None => errors.push(FieldError::new(format!("{at}[{i}]"), "must be an object")),
        }
    }
    out
}

fn object<'a>(
    errors: &mut Vec<FieldError>,
    v: &'a Value,
    at: &str,
) -> Option<&'a Map<String, Value>> {
    let o = v.as_object();
    if o.is_none() {
        errors.push(FieldError::new(at, "must be an object"));
    }
    o
}

impl Draft {
    /// Checks the fields the UNTP DPP schema requires; every problem is named with its path.
    pub fn parse(v: Value) -> Result<Self, ApiError> {
        let Value::Object(map) = v else {
            return Err(ApiError::field(
                "body",
                "a passport draft must be a JSON object",
            ));
        };
        let mut e = Vec::new();
        for (key, value) in &map {
            match key.as_str() {
                "product" | "facility" => {
                    if let Some(o) = object(&mut e, value, key) {
                        for k in ["id", "registeredId", "idScheme", "type"] {
                            if key == "product" && o.contains_key(k) {
                                e.push(FieldError::new(
                                    format!("product.{k}"),
                                    "set by the server",
                                ));
                            }
                        }
                        if key == "product" && o.get("name").is_some_and(|n| !n.is_string()) {
                            e.push(FieldError::new("product.name", "must be a string"));
                        }
                    }
                }
                "conformityClaim" => {
                    for (at, claim) in objects(&mut e, value, key) {
                        require_str(&mut e, claim, &at, "id");
                        one_of(&mut e, claim, &at, "conformityTopic", &TOPICS, true);
                        if !claim.get("conformance").is_some_and(Value::is_boolean) {
                            e.push(FieldError::new(
                                format!("{at}.conformance"),
                                "required boolean",
                            ));
                        }
                        if let Some(ev) = claim.get("conformityEvidence") {
                            let at = format!("{at}.conformityEvidence");
                            if let Some(ev) = object(&mut e, ev, &at) {
                                require_str(&mut e, ev, &at, "linkURL");
                                only(&mut e, ev, &at, &SECURE_LINK);
                                one_of(&mut e, ev, &at, "hashMethod", &["SHA-256"], false);
                                one_of(
                                    &mut e,
                                    ev,
                                    &at,
                                    "encryptionMethod",
                                    &["none", "AES"],
                                    false,
                                );
                                match ev.get("hashDigest").and_then(Value::as_str) {
                                    Some(h) if is_sha256_hex(h) => {}
                                    _ => e.push(FieldError::new(
                                        format!("{at}.hashDigest"),
                                        "required: the certificate document's SHA-256, 64 hex digits",
                                    )),
                                }
                            }
                        }
                    }
                }
                "materialsProvenance" => {
                    for (at, m) in objects(&mut e, value, key) {
                        require_str(&mut e, m, &at, "name");
                    }
                }
                "emissionsScorecard" => {
                    if let Some(o) = object(&mut e, value, key) {
                        require_num(&mut e, o, key, "carbonFootprint");
                        require_str(&mut e, o, key, "declaredUnit");
                        one_of(&mut e, o, key, "operationalScope", &SCOPES, true);
                        require_num(&mut e, o, key, "primarySourcedRatio");
                    }
                }
                "dueDiligenceDeclaration" => {
                    if let Some(o) = object(&mut e, value, key) {
                        require_str(&mut e, o, key, "linkURL");
                        only(&mut e, o, key, &SECURE_LINK[..4]);
                    }
                }
                "circularityScorecard" => {
                    object(&mut e, value, key);
                }
                "traceabilityInformation" => {
                    objects(&mut e, value, key);
                }
                other => e.push(FieldError::new(
                    other,
                    format!("unknown passport field; use {}", DRAFT_FIELDS.join(", ")),
                )),
            }
        }
        if e.is_empty() {
            Ok(Self(map))
        } else {
            Err(ApiError::Validation(e))
        }
    }

    /// The draft as JSON.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
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
    for (k, v) in &draft.0 {
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
    who: &Principal,
    key: &PassportKey,
) -> Result<ProductRef, ApiError> {
    let product = db::passports::product(conn, key.gtin.as_str())?;
    who.require_member_of(&product.org_id)?;
    Ok(product)
}

/// The draft of `key`; 404 if none was saved.
pub fn get_draft(
    conn: &mut DbConn,
    who: &Principal,
    key: &PassportKey,
) -> Result<Passport, ApiError> {
    owned_product(conn, who, key)?;
    db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
        .ok_or(ApiError::NotFound)
}

/// Creates or replaces the draft of `key`.
#[tracing::instrument(skip(conn, draft))]
pub fn save_draft(
    conn: &mut DbConn,
    who: &Principal,
    key: &PassportKey,
    draft: Draft,
) -> Result<Passport, ApiError> {
    let text = serde_json::to_string(&draft.into_value()).map_err(ApiError::internal)?;
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
pub fn key_row(key: &SigningKey) -> Result<SigningKeyRow, ApiError> {
    let jwk = signing::public_jwk(&key.verifying_key());
    Ok(SigningKeyRow {
        kid: jwk.kid.clone(),
        public_jwk: serde_json::to_string(&jwk).map_err(ApiError::internal)?,
        created_at: db::now(),
        retired_at: None,
    })
}

/// Publishes the draft of `key` as the next signed version.
#[tracing::instrument(skip(conn, signing_key))]
pub fn publish(
    conn: &mut DbConn,
    who: &Principal,
    key: &PassportKey,
    signing_key: &SigningKey,
    base_url: &str,
) -> Result<PassportVersion, ApiError> {
    let key_row = key_row(signing_key)?;
    db::write_transaction(conn, |conn| {
        let product = owned_product(conn, who, key)?;
        let mut passport =
            db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
                .ok_or(ApiError::NotFound)?;
        let stored: Value = serde_json::from_str(&passport.draft).map_err(ApiError::internal)?;
        let draft = Draft::parse(stored)?;
        let owner = db::orgs::get(conn, &product.org_id)?;
        let now = db::now();
        let version = passport.latest_version + 1;
        let facts = Facts {
            product: &product,
            owner_name: &owner.name,
            base_url,
            version,
            valid_from: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        let content = credential(key, &draft, &facts);
        let (jws, kid) = signing::sign(signing_key, &content).map_err(ApiError::internal)?;
        let text = serde_json::to_string(&content).map_err(ApiError::internal)?;
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
pub fn public_passport(conn: &mut DbConn, key: &PassportKey) -> Result<Passport, ApiError> {
    db::passports::find(conn, key.gtin.as_str(), key.lot_str(), key.serial_str())?
        .ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(v: Value) -> Vec<String> {
        match Draft::parse(v) {
            Ok(_) => Vec::new(),
            Err(ApiError::Validation(e)) => {
                let mut f: Vec<String> = e.into_iter().map(|f| f.field).collect();
                f.sort();
                f
            }
            Err(other) => vec![other.to_string()],
        }
    }

    #[test]
    fn drafts_name_every_bad_field() {
        assert!(fields(json!({"product": {"description": "x"}})).is_empty());
        assert_eq!(
            fields(json!({
                "colour": 1,
                "product": {"id": "x"},
                "conformityClaim": [{"id": "c1", "conformityTopic": "vibes", "conformityEvidence": {"linkURL": "u", "hashDigest": "zz", "hashMethod": "MD5", "x": 1}}],
                "emissionsScorecard": {"carbonFootprint": "lots"},
                "materialsProvenance": [{}],
            })),
            vec![
                "colour",
                "conformityClaim[0].conformance",
                "conformityClaim[0].conformityEvidence.hashDigest",
                "conformityClaim[0].conformityEvidence.hashMethod",
                "conformityClaim[0].conformityEvidence.x",
                "conformityClaim[0].conformityTopic",
                "emissionsScorecard.carbonFootprint",
                "emissionsScorecard.declaredUnit",
                "emissionsScorecard.operationalScope",
                "emissionsScorecard.primarySourcedRatio",
                "materialsProvenance[0].name",
                "product.id",
            ]
        );
        assert_eq!(fields(json!([1])), vec!["body"]);
    }

    #[test]
    fn the_issuer_is_a_did_web_of_the_host() {
        assert_eq!(issuer_did("https://dpp.gov.vn/"), "did:web:dpp.gov.vn");
        assert_eq!(
            issuer_did("http://127.0.0.1:8080"),
            "did:web:127.0.0.1%3A8080"
        );
    }
}
