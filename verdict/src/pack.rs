//! The signed status pack's payload: what a scanner needs to judge offline, and how it turns a
//! scan into the same facts the resolver would load from its database.
//!
//! The pack is judged with [`crate::evaluate`] like live facts, with [`Facts::offline`] set. What
//! it cannot know offline: the scan pattern of a serial (no scan log travels), whether an SSCC or
//! GLN was actually issued (only that its company prefix is licensed here), and, for a pack
//! without serials, that a serial was never commissioned.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    AlertFacts, CertificateFacts, Facts, InspectionFacts, Offline, ProductStatus, SerialState,
};

/// The payload format this crate reads and writes.
pub const PACK_FORMAT: &str = "gs1dpp-status-pack/1";

/// How many inspections a pack carries per product (the latest).
pub const PACK_INSPECTIONS: usize = 5;

/// A status pack: every product in a scope with what its verdict depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPack {
    /// Always [`PACK_FORMAT`].
    pub format: String,
    /// When the server built it; the offline status is "as of" this moment.
    pub issued_at: DateTime<Utc>,
    /// For an incremental pack: only products whose facts changed after this moment.
    pub since: Option<DateTime<Utc>>,
    /// What was asked for.
    pub scope: PackScope,
    /// The products in scope, by GTIN.
    pub products: Vec<PackProduct>,
    /// Licensed company prefixes in scope, with their holder.
    pub key_holders: Vec<KeyHolder>,
}

/// The scope a pack was built for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackScope {
    /// Only this organisation's products and prefixes.
    pub org: Option<String>,
    /// Only GTINs starting with these digits.
    pub gtin_prefix: Option<String>,
    /// Whether serial states are included.
    pub serials: bool,
}

/// An organisation as the pack names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackOrg {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A licensed GS1 company prefix and the organisation holding it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHolder {
    /// The company prefix digits.
    pub prefix: String,
    /// Its licensee.
    pub org: PackOrg,
}

/// One product and everything its verdict depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackProduct {
    /// The 14-digit GTIN.
    pub gtin: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name, if any.
    pub name_en: Option<String>,
    /// Its brand owner.
    pub maker: PackOrg,
    /// Registry status.
    pub status: ProductStatus,
    /// Certificates covering it.
    pub certificates: Vec<PackCertificate>,
    /// Active alerts on the GTIN.
    pub alerts: Vec<AlertFacts>,
    /// The latest inspections (at most [`PACK_INSPECTIONS`]), latest first.
    pub inspections: Vec<PackInspection>,
    /// Serial states; `Some` only when the pack was asked for serials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serials: Option<BTreeMap<String, SerialState>>,
}

/// A certificate's facts and its issuing body's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackCertificate {
    /// What the verdict judges.
    #[serde(flatten)]
    pub facts: CertificateFacts,
    /// The issuing body's name.
    pub cab: String,
}

/// An inspection's facts and what it concerned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInspection {
    /// What the verdict judges.
    #[serde(flatten)]
    pub facts: InspectionFacts,
    /// The lot inspected; none: every lot.
    pub lot: Option<String>,
    /// The serial inspected; none: every item.
    pub serial: Option<String>,
}

/// What was scanned, in the terms the pack needs (the caller parsed it with gs1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scanned<'a> {
    /// The GTIN (14 digits), if the primary key is one.
    pub gtin: Option<&'a str>,
    /// SSCC (18 digits) or GLN (13 digits), if the primary key is one of those.
    pub other_key: Option<&'a str>,
    /// The lot (AI 10).
    pub lot: Option<&'a str>,
    /// The serial (AI 21).
    pub serial: Option<&'a str>,
    /// The expiry date (AI 17).
    pub expiry: Option<NaiveDate>,
}

/// Why a newer pack cannot be merged into an older one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PackError {
    /// The packs' formats differ.
    Format {
        /// This pack's format.
        ours: String,
        /// The other pack's format.
        theirs: String,
    },
    /// The packs were built for different scopes.
    Scope,
    /// The other pack was issued before this one.
    Older,
    /// The incremental pack starts after this one was issued: changes in between are missing.
    Gap,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Format { ours, theirs } => {
                write!(f, "pack format {theirs} cannot be merged into {ours}")
            }
            Self::Scope => f.write_str("the packs were built for different scopes"),
            Self::Older => f.write_str("the newer pack was issued before this one"),
            Self::Gap => f.write_str("the incremental pack starts after this pack was issued"),
        }
    }
}

// By hand rather than with thiserror: this crate depends on chrono and serde only.
impl std::error::Error for PackError {}

impl StatusPack {
    /// Newer incremental pack over this one: products replaced by GTIN, key holders by prefix, issued_at advanced; an error if formats/scopes differ or it is older.
    ///
    /// A full pack (no `since`) replaces this one. Nothing is ever removed by a merge: products
    /// and prefixes are never deleted from the registry, and a closed alert or a changed
    /// certificate arrives as the product's new entry.
    pub fn merge(&mut self, newer: StatusPack) -> Result<(), PackError> {
        if newer.format != self.format {
            return Err(PackError::Format {
                ours: self.format.clone(),
                theirs: newer.format,
            });
        }
        if newer.scope != self.scope {
            return Err(PackError::Scope);
        }
        if newer.issued_at < self.issued_at {
            return Err(PackError::Older);
        }
        let Some(since) = newer.since else {
            *self = newer;
            return Ok(());
        };
        if since > self.issued_at {
            return Err(PackError::Gap);
        }
        let mut products: BTreeMap<String, PackProduct> = std::mem::take(&mut self.products)
            .into_iter()
            .map(|p| (p.gtin.clone(), p))
            .collect();
        products.extend(newer.products.into_iter().map(|p| (p.gtin.clone(), p)));
        self.products = products.into_values().collect();
        let mut holders: BTreeMap<String, KeyHolder> = std::mem::take(&mut self.key_holders)
            .into_iter()
            .map(|k| (k.prefix.clone(), k))
            .collect();
        holders.extend(newer.key_holders.into_iter().map(|k| (k.prefix.clone(), k)));
        self.key_holders = holders.into_values().collect();
        self.issued_at = newer.issued_at;
        Ok(())
    }

    /// The product with this 14-digit GTIN, if the pack has it.
    pub fn product(&self, gtin: &str) -> Option<&PackProduct> {
        self.products.iter().find(|p| p.gtin == gtin)
    }

    /// The holder of the longest licensed prefix an SSCC (after its extension digit) or a GLN
    /// starts with.
    pub fn key_holder(&self, key: &str) -> Option<&KeyHolder> {
        // An SSCC is an extension digit, then the company prefix; a GLN starts with it.
        let body = if key.len() == 18 {
            key.get(1..).unwrap_or(key)
        } else {
            key
        };
        self.key_holders
            .iter()
            .filter(|k| !k.prefix.is_empty() && body.starts_with(&k.prefix))
            .max_by_key(|k| k.prefix.len())
    }

    /// The facts for a scan, judged from the pack as the server would from its database, with `offline` set.
    ///
    /// A pack built without serials leaves `serial` unknown (`None`): offline it cannot say
    /// "serial never commissioned". Inspections are filtered by lot and serial as the resolver
    /// does, among the latest [`PACK_INSPECTIONS`] the pack carries.
    pub fn facts(
        &self,
        scanned: &Scanned<'_>,
        now: NaiveDateTime,
        stale_after_hours: u32,
    ) -> Facts {
        let mut f = Facts {
            product: None,
            lot: scanned.lot.map(str::to_owned),
            expiry: scanned.expiry,
            offline: Some(Offline {
                as_of: self.issued_at.naive_utc(),
                stale_after_hours,
            }),
            ..Facts::registered(now)
        };
        let Some(gtin) = scanned.gtin else {
            f.key_holder = scanned
                .other_key
                .and_then(|k| self.key_holder(k))
                .map(|k| k.org.name.clone());
            return f;
        };
        let Some(p) = self.product(gtin) else {
            return f;
        };
        f.product = Some(p.status);
        f.certificates = p.certificates.iter().map(|c| c.facts.clone()).collect();
        f.alerts = p.alerts.clone();
        if let (Some(s), Some(serials)) = (scanned.serial, &p.serials) {
            f.serial = Some(serials.get(s).copied());
        }
        f.inspections = p
            .inspections
            .iter()
            .filter(|i| {
                i.lot.as_deref().is_none_or(|l| Some(l) == scanned.lot)
                    && i.serial
                        .as_deref()
                        .is_none_or(|s| Some(s) == scanned.serial)
            })
            .take(PACK_INSPECTIONS)
            .map(|i| i.facts.clone())
            .collect();
        f
    }
}
