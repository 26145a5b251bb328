//! UNTP 0.6.1 Digital Traceability Event credentials: an item's, lot's or SSCC's journey as a
//! signed verifiable credential its owner can publish, and that its passport links by digest.
//!
//! The GTIN's owner (or an admin) asks for one. Events its own organisation captured are shown
//! in full; events other organisations captured about its goods (an importer's receipt, a
//! carrier's shipping) only as the public journey summary shows them: what happened, when, to
//! which objects, never their places, parties, transactions or sensor data.
//!
//! Until organisations hold keys of their own (the trust-chain issue), the platform signs with
//! its passport key, as the issuer `did:web` of the platform's host: the credential says so by
//! naming the owner in `issuer.issuerAlsoKnownAs`.

use std::collections::HashMap;

use db::{DbConn, dte::DteRow};
use ed25519_dalek::SigningKey;
use epcis::{
    Epc,
    untp::{DTE_CONTEXT, Detail, dte_event},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{Caller, error::DomainError, journeys, passports, record, signing};

/// The UNCEFACT link type of a traceability event credential (a passport's `SecureLink`).
pub const LINK_TYPE: &str = "https://test.uncefact.org/vocabulary/linkTypes/dte";

/// What [`issue`] did.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The credential.
    pub row: DteRow,
    /// False when a credential with the same events had been issued before and is returned.
    pub created: bool,
}

/// The public URL of credential `id`.
pub fn url(base_url: &str, id: &str) -> String {
    format!(
        "{}/api/v1/traceability-credentials/{id}",
        base_url.trim_end_matches('/')
    )
}

/// Issues the DTE credential of `target`'s journey for its GTIN's owner; the same events give
/// the same credential back (a retry creates nothing).
#[tracing::instrument(skip(conn, signing_key))]
pub fn issue(
    conn: &mut DbConn,
    who: &Caller,
    target: &Epc,
    signing_key: &SigningKey,
    base_url: &str,
) -> Result<Issued, DomainError> {
    let gtin = target.gtin().ok_or_else(|| {
        DomainError::field(
            "epc",
            "must name a trade item (a GTIN, with a lot or serial or neither)",
        )
    })?;
    let product = db::products::find(conn, gtin.as_str())?
        .ok_or_else(|| DomainError::field("epc", format!("GTIN {gtin} is not registered here")))?;
    // An exporter of the owning organisation, or an admin.
    who.owner()?;
    who.require_member_of(&product.org_id)?;
    db::write_transaction(conn, |conn| {
        issue_for(conn, who, target, &product.org_id, signing_key, base_url)?.ok_or_else(|| {
            DomainError::field(
                "epc",
                "no stored EPCIS event names it, its containers or inputs",
            )
        })
    })
}

/// [`issue`] once the caller's right is checked; `None` when no event names `target`. Call
/// inside a transaction.
pub(crate) fn issue_for(
    conn: &mut DbConn,
    who: &Caller,
    target: &Epc,
    owner_org: &str,
    signing_key: &SigningKey,
    base_url: &str,
) -> Result<Option<Issued>, DomainError> {
    let (stored, _truncated) = journeys::journey_events(conn, target)?;
    if stored.is_empty() {
        return Ok(None);
    }
    let names = product_names(conn, stored.iter().map(|s| &s.event))?;
    let name = |e: &Epc| -> String {
        e.gtin()
            .and_then(|g| names.get(g.as_str()))
            .cloned()
            .unwrap_or_else(|| e.canonical().to_owned())
    };
    let subject: Vec<Value> = stored
        .iter()
        .map(|s| {
            let detail = if s.org_id == owner_org {
                Detail::Full
            } else {
                Detail::Summary
            };
            dte_event(&s.event, &s.id, detail, &name)
        })
        .collect();
    let subject = Value::Array(subject);
    let events_sha256 = sha256(&subject.to_string());
    if let Some(row) = db::dte::same_events(conn, target.canonical(), &events_sha256)? {
        return Ok(Some(Issued {
            row,
            created: false,
        }));
    }
    let owner = db::orgs::get(conn, owner_org)?;
    let id = db::new_id();
    let now = db::now();
    let base = base_url.trim_end_matches('/');
    let content = json!({
        "@context": DTE_CONTEXT,
        "type": ["DigitalTraceabilityEvent", "VerifiableCredential"],
        "id": url(base, &id),
        "issuer": {
            "type": ["CredentialIssuer"],
            "id": passports::issuer_did(base),
            "name": "gs1-dpp",
            // The platform signs on the owner's behalf until the owner holds its own key.
            "issuerAlsoKnownAs": [{
                "id": format!("{base}/api/v1/orgs/{}", owner.id),
                "name": owner.name,
            }],
        },
        "validFrom": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "credentialSubject": subject,
    });
    let text = serde_json::to_string(&content).map_err(DomainError::internal)?;
    let (jws, kid) = signing::sign_typed(
        signing_key,
        &content,
        Some("vc+jwt".to_owned()),
        Some("vc".to_owned()),
    )
    .map_err(DomainError::internal)?;
    let row = DteRow {
        id,
        org_id: owner.id.clone(),
        epc: target.canonical().to_owned(),
        events_sha256,
        content_sha256: sha256(&text),
        content: text,
        jws,
        kid,
        issued_by: who.actor().as_str().to_owned(),
        issued_at: now,
    };
    db::passports::ensure_signing_key(conn, &passports::key_row(signing_key)?)?;
    db::dte::insert(conn, &row)?;
    record(
        conn,
        &who.actor(),
        Some(&row.org_id),
        "dte.issue",
        ("traceability_credential", &row.id),
        &json!({"epc": row.epc, "content_sha256": row.content_sha256}),
    )?;
    Ok(Some(Issued { row, created: true }))
}

/// The credential `id`; 404 if none.
pub fn get(conn: &mut DbConn, id: &str) -> Result<DteRow, DomainError> {
    db::dte::get(conn, id)?.ok_or(DomainError::NotFound)
}

/// The passport's `traceabilityInformation` entry linking a credential (UNTP 0.6.1
/// `TraceabilityPerformance` with one `SecureLink`).
pub fn traceability_information(row: &DteRow, base_url: &str) -> Value {
    json!({
        "type": ["TraceabilityPerformance"],
        "valueChainProcess": "Supply chain events recorded in EPCIS",
        "traceabilityEvent": [{
            "type": ["SecureLink", "Link"],
            "linkURL": url(base_url, &row.id),
            "linkName": format!("Traceability events of {}", row.epc),
            "linkType": LINK_TYPE,
            "hashDigest": row.content_sha256,
            "hashMethod": "SHA-256",
            "encryptionMethod": "none",
        }],
    })
}

/// Product names by GTIN.
type Names = HashMap<String, String>;

/// The English names of the registered products the events name, by GTIN.
fn product_names<'a>(
    conn: &mut DbConn,
    events: impl Iterator<Item = &'a epcis::Event>,
) -> Result<Names, DomainError> {
    let mut gtins: Vec<String> = events
        .flat_map(|e| e.roles())
        .filter_map(|(_, epc)| epc.gtin().map(|g| g.to_string()))
        .collect();
    gtins.sort();
    gtins.dedup();
    let refs: Vec<&str> = gtins.iter().map(String::as_str).collect();
    Ok(db::products::find_many(conn, &refs)?
        .into_iter()
        .map(|p| (p.gtin, p.name_en))
        .collect())
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
