//! Prefixes, their capacity and issued keys on the wire.

use super::*;

/// Capacity per key kind.
#[derive(Debug, Serialize)]
pub struct CapacityOut {
    /// GTIN-13 item references.
    pub gtin13: Capacity,
    /// SSCCs (10 extension digits x serial references).
    pub sscc: Capacity,
    /// GLN location references.
    pub gln: Capacity,
}

/// A company prefix on the wire.
#[derive(Debug, Serialize)]
pub struct PrefixOut {
    /// Id.
    pub id: String,
    /// Licensee.
    pub org_id: String,
    /// The digits.
    pub prefix: String,
    /// `active` or `revoked`.
    pub status: String,
    /// What the GS1 prefix table says about it.
    pub class: String,
    /// References held, used and left.
    pub capacity: CapacityOut,
    /// Who licensed it.
    pub licensed_by: String,
    /// Licensed (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Prefix> for PrefixOut {
    fn from(p: Prefix) -> Self {
        Self {
            capacity: CapacityOut {
                gtin13: prefixes::capacity(&p, KeyKind::Gtin),
                sscc: prefixes::capacity(&p, KeyKind::Sscc),
                gln: prefixes::capacity(&p, KeyKind::Gln),
            },
            class: p
                .prefix
                .parse::<CompanyPrefix>()
                .map(|c| c.class().to_string())
                .unwrap_or_default(),
            created_at: time(&p.created_at),
            updated_at: time(&p.updated_at),
            id: p.id,
            org_id: p.org_id,
            prefix: p.prefix,
            status: p.status,
            licensed_by: p.licensed_by,
        }
    }
}

/// An issued key on the wire.
#[derive(Debug, Serialize)]
pub struct KeyOut {
    /// Id.
    pub id: String,
    /// `gtin`, `sscc` or `gln`.
    pub kind: String,
    /// The key (a GTIN in its 14-digit form).
    pub key: String,
    /// Item or location reference; for an SSCC, extension digit x capacity + serial reference.
    pub reference: i64,
    /// The prefix it was issued under.
    pub prefix_id: String,
    /// The licensee.
    pub org_id: String,
    /// What it is for.
    pub description: Option<String>,
    /// Who issued it.
    pub issued_by: String,
    /// When (RFC 3339).
    pub issued_at: String,
}

impl From<IssuedKey> for KeyOut {
    fn from(k: IssuedKey) -> Self {
        Self {
            issued_at: time(&k.issued_at),
            id: k.id,
            kind: k.kind,
            key: k.key,
            reference: k.reference,
            prefix_id: k.prefix_id,
            org_id: k.org_id,
            description: k.description,
            issued_by: k.issued_by,
        }
    }
}

/// A key just issued, with what its prefix has left.
#[derive(Debug, Serialize)]
pub struct IssuedOut {
    /// The key.
    #[serde(flatten)]
    pub key: KeyOut,
    /// The prefix's capacity for this kind after the issue.
    pub capacity: Capacity,
}

impl From<Issued> for IssuedOut {
    fn from(i: Issued) -> Self {
        Self {
            key: i.key.into(),
            capacity: i.capacity,
        }
    }
}
