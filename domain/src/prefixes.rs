//! Licensing GS1 company prefixes and issuing GTINs, SSCCs and GLNs under them.
//!
//! Allocation runs in one write transaction with the prefix row locked; every issued key goes
//! into `issued_keys`, whose `(kind, key)` is unique and whose rows are never deleted, so a key
//! is never issued twice.
//!
//! - GTIN-13 and GLN: the cursor (`next_item_ref`, `next_location_ref`) has every reference
//!   below it in use; the next key takes the first free reference at or after it. A GTIN asked
//!   for by number may lie ahead of the cursor, which later skips it.
//! - SSCC: the reference is `extension digit x C + serial reference`, with C = 10^(16 - prefix
//!   length), so each extension digit is a band of C numbers. Bands fill from their start
//!   without gaps: the next SSCC of a band is its highest issued reference plus one. The cursor
//!   `next_serial_ref` walks the bands in order for callers that name no extension digit.

use crate::error::InvalidValue;
use crate::error::invalid;
use gs1::keys::{CompanyPrefix, Gtin, KeyClass};
use serde::Serialize;

use super::{Actor, record};
use crate::error::DomainError;
use db::{
    self, DbConn,
    models::{IssuedKey, Org, Prefix},
};

/// Whether keys may be issued from a prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrefixStatus {
    /// Keys may be issued.
    Active,
    /// The licence was withdrawn: nothing more is issued; issued keys stay valid.
    Revoked,
}

impl PrefixStatus {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Revoked => "revoked",
        }
    }
}

impl std::str::FromStr for PrefixStatus {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, InvalidValue> {
        match s {
            "active" => Ok(Self::Active),
            "revoked" => Ok(Self::Revoked),
            _ => Err(invalid!("unknown status {s:?}: use active or revoked")),
        }
    }
}

/// The kinds of key issued under a prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// GTIN (stored in its 14-digit form).
    Gtin,
    /// SSCC.
    Sscc,
    /// GLN.
    Gln,
}

impl KeyKind {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gtin => "gtin",
            Self::Sscc => "sscc",
            Self::Gln => "gln",
        }
    }

    /// How many references of this kind a prefix holds.
    pub fn capacity(self, prefix: &CompanyPrefix) -> u64 {
        match self {
            Self::Gtin => prefix.gtin13_capacity(),
            Self::Sscc => 10 * prefix.sscc_capacity(),
            Self::Gln => prefix.gln_capacity(),
        }
    }

    fn used(self, row: &Prefix) -> i64 {
        match self {
            Self::Gtin => row.gtin_refs_used,
            Self::Sscc => row.sscc_refs_used,
            Self::Gln => row.gln_refs_used,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::Gtin => "GTIN-13 item reference",
            Self::Sscc => "SSCC serial reference",
            Self::Gln => "GLN location reference",
        }
    }
}

impl std::str::FromStr for KeyKind {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, InvalidValue> {
        match s {
            "gtin" => Ok(Self::Gtin),
            "sscc" => Ok(Self::Sscc),
            "gln" => Ok(Self::Gln),
            _ => Err(invalid!("unknown key kind {s:?}: use gtin, sscc or gln")),
        }
    }
}

/// References of one kind: how many a prefix holds, how many are in use, how many are left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Capacity {
    /// References the prefix holds.
    pub total: u64,
    /// References in use.
    pub used: u64,
    /// References left.
    pub left: u64,
}

/// The capacity of `row` for keys of `kind`.
pub fn capacity(row: &Prefix, kind: KeyKind) -> Capacity {
    let total = digits(row).map_or(0, |p| kind.capacity(&p));
    let used = u64::try_from(kind.used(row)).unwrap_or(0);
    Capacity {
        total,
        used,
        left: total.saturating_sub(used),
    }
}

/// The stored prefix as a `CompanyPrefix`; only valid prefixes are ever stored.
fn digits(row: &Prefix) -> Result<CompanyPrefix, DomainError> {
    row.prefix.parse().map_err(DomainError::internal)
}

/// Why a prefix in this part of the GS1 prefix table cannot be licensed, if it cannot.
pub fn unlicensable(prefix: &CompanyPrefix) -> Option<String> {
    match prefix.class() {
        KeyClass::Ordinary(_) | KeyClass::GlobalOffice => None,
        class => Some(format!(
            "{prefix} lies in a range the GS1 prefix table marks as {class}, from which no company prefix is licensed"
        )),
    }
}

/// A validated licence request.
#[derive(Clone, Debug)]
pub struct NewPrefix {
    /// The licensee.
    pub org_id: String,
    /// The prefix, already checked with [`unlicensable`].
    pub prefix: CompanyPrefix,
}

/// Licenses a prefix to an exporter organisation.
#[tracing::instrument(skip(conn))]
pub fn license(conn: &mut DbConn, actor: &Actor, new: NewPrefix) -> Result<Prefix, DomainError> {
    let now = db::now();
    let row = Prefix {
        id: db::new_id(),
        org_id: new.org_id,
        prefix: new.prefix.to_string(),
        status: PrefixStatus::Active.as_str().to_owned(),
        next_item_ref: 0,
        next_serial_ref: 0,
        next_location_ref: 0,
        licensed_by: actor.as_str().to_owned(),
        created_at: now,
        updated_at: now,
        gtin_refs_used: 0,
        sscc_refs_used: 0,
        gln_refs_used: 0,
    };
    db::write_transaction(conn, |conn| {
        let org = match db::orgs::get(conn, &row.org_id) {
            Err(diesel::result::Error::NotFound) => {
                return Err(DomainError::field("org_id", "no such organisation"));
            }
            other => other?,
        };
        check_licensee(&org)?;
        if let Some(other) = db::prefixes::overlapping(conn, &row.prefix)?.first() {
            let how = if other.prefix == row.prefix {
                "is already licensed".to_owned()
            } else if other.prefix.starts_with(&row.prefix) {
                format!("would contain the licensed prefix {}", other.prefix)
            } else {
                format!("lies inside the licensed prefix {}", other.prefix)
            };
            return Err(DomainError::Conflict(format!(
                "company prefix {} {how}",
                row.prefix
            )));
        }
        db::prefixes::insert(conn, &row)?;
        record(
            conn,
            actor,
            Some(&row.org_id),
            "prefix.license",
            ("prefix", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

fn check_licensee(org: &Org) -> Result<(), DomainError> {
    if org.kind == super::OrgKind::Exporter.as_str() {
        Ok(())
    } else {
        Err(DomainError::field(
            "org_id",
            format!(
                "company prefixes are licensed to exporters and manufacturers, not to a {}",
                org.kind
            ),
        ))
    }
}

/// Activates or revokes a prefix.
#[tracing::instrument(skip(conn))]
pub fn set_status(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    status: PrefixStatus,
) -> Result<Prefix, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = db::prefixes::get_for_update(conn, id)?;
        row.status = status.as_str().to_owned();
        row.updated_at = db::now();
        db::prefixes::set_status(conn, &row)?;
        record(
            conn,
            actor,
            Some(&row.org_id),
            "prefix.update",
            ("prefix", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

/// Which GTIN to issue.
#[derive(Clone, Debug)]
pub enum GtinRequest {
    /// The next free GTIN-13.
    Next,
    /// This one, if it lies in the prefix and was never issued.
    Exactly(Gtin),
}

/// A key just issued and what its prefix has left.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The key.
    pub key: IssuedKey,
    /// The prefix's capacity for the key's kind, after this issue.
    pub capacity: Capacity,
}

/// Issues a GTIN under prefix `prefix_id`.
#[tracing::instrument(skip(conn))]
pub fn issue_gtin(
    conn: &mut DbConn,
    actor: &Actor,
    prefix_id: &str,
    request: GtinRequest,
    description: Option<String>,
) -> Result<Issued, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = active_for_update(conn, prefix_id)?;
        let key = match request {
            GtinRequest::Next => next_gtin(conn, &mut row)?,
            GtinRequest::Exactly(gtin) => issue_exact_gtin(conn, &mut row, &gtin)?,
        };
        finish_issue(conn, actor, row, KeyKind::Gtin, key, description)
    })
}

/// Issues `gtin` under `row` inside the caller's transaction (the prefix row locked, active):
/// refuses a GTIN outside the prefix or already issued.
pub fn issue_gtin_in(
    conn: &mut DbConn,
    actor: &Actor,
    mut row: Prefix,
    gtin: &Gtin,
) -> Result<IssuedKey, DomainError> {
    let key = issue_exact_gtin(conn, &mut row, gtin)?;
    Ok(finish_issue(conn, actor, row, KeyKind::Gtin, key, None)?.key)
}

/// Issues exactly these GTINs, none issued yet, all under `row` (locked by the caller): the
/// bulk form of [`issue_gtin_in`] for imports, with one write per table and the same audit
/// entries. A GTIN issued concurrently makes the insert fail on the keys' unique index.
pub(crate) fn issue_gtins_in(
    conn: &mut DbConn,
    actor: &Actor,
    mut row: Prefix,
    gtins: &[&Gtin],
) -> Result<Vec<IssuedKey>, DomainError> {
    let cp = digits(&row)?;
    let mut references = Vec::with_capacity(gtins.len());
    for gtin in gtins {
        let r = cp
            .item_reference(gtin)
            .and_then(|r| i64::try_from(r).ok())
            .ok_or_else(|| {
                DomainError::field(
                    "gtin",
                    format!("GTIN {gtin} does not lie in company prefix {cp}"),
                )
            })?;
        references.push(r);
    }
    let mut fresh: std::collections::HashSet<i64> = references.iter().copied().collect();
    for used in
        db::prefixes::references_in_use_among(conn, &row.id, KeyKind::Gtin.as_str(), &references)?
    {
        fresh.remove(&used);
    }
    row.gtin_refs_used += i64::try_from(fresh.len()).map_err(DomainError::internal)?;
    let now = db::now();
    row.updated_at = now;
    let keys: Vec<IssuedKey> = gtins
        .iter()
        .zip(references)
        .map(|(gtin, reference)| IssuedKey {
            id: db::new_id(),
            prefix_id: row.id.clone(),
            org_id: row.org_id.clone(),
            kind: KeyKind::Gtin.as_str().to_owned(),
            key: gtin.to_string(),
            reference,
            description: None,
            issued_by: actor.as_str().to_owned(),
            issued_at: now,
        })
        .collect();
    db::prefixes::insert_keys(conn, &keys)?;
    db::prefixes::save_allocation(conn, &row)?;
    let drafts = keys
        .iter()
        .map(|k| {
            crate::draft(
                actor,
                Some(&k.org_id),
                "key.issue",
                ("issued_key", &k.id),
                k,
            )
        })
        .collect();
    db::audit::append_all(conn, drafts)?;
    Ok(keys)
}

/// Issues the next SSCC, in extension digit `extension`'s band if given.
#[tracing::instrument(skip(conn))]
pub fn issue_sscc(
    conn: &mut DbConn,
    actor: &Actor,
    prefix_id: &str,
    extension: Option<u8>,
    description: Option<String>,
) -> Result<Issued, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = active_for_update(conn, prefix_id)?;
        let key = next_sscc(conn, &mut row, extension)?;
        finish_issue(conn, actor, row, KeyKind::Sscc, key, description)
    })
}

/// Issues the next GLN.
#[tracing::instrument(skip(conn))]
pub fn issue_gln(
    conn: &mut DbConn,
    actor: &Actor,
    prefix_id: &str,
    description: Option<String>,
) -> Result<Issued, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = active_for_update(conn, prefix_id)?;
        let cp = digits(&row)?;
        let r = next_free(conn, &row, KeyKind::Gln, row.next_location_ref)?;
        row.next_location_ref = r + 1;
        row.gln_refs_used += 1;
        let gln = cp.gln(as_u64(r)).map_err(DomainError::internal)?;
        let key = (gln.to_string(), r);
        finish_issue(conn, actor, row, KeyKind::Gln, key, description)
    })
}

/// The prefix, locked; 409 unless active.
pub fn active_for_update(conn: &mut DbConn, prefix_id: &str) -> Result<Prefix, DomainError> {
    let row = db::prefixes::get_for_update(conn, prefix_id)?;
    if row.status != PrefixStatus::Active.as_str() {
        return Err(DomainError::Conflict(format!(
            "company prefix {} is {}: no keys are issued from it",
            row.prefix, row.status
        )));
    }
    Ok(row)
}

/// The next free GTIN-13; moves the cursor past it and counts its reference.
fn next_gtin(conn: &mut DbConn, row: &mut Prefix) -> Result<(String, i64), DomainError> {
    let cp = digits(row)?;
    let r = next_free(conn, row, KeyKind::Gtin, row.next_item_ref)?;
    row.next_item_ref = r + 1;
    row.gtin_refs_used += 1;
    let gtin = cp.gtin13(as_u64(r)).map_err(DomainError::internal)?;
    Ok((gtin.to_string(), r))
}

/// Checks `gtin` lies in the prefix and was never issued; counts its reference if new.
fn issue_exact_gtin(
    conn: &mut DbConn,
    row: &mut Prefix,
    gtin: &Gtin,
) -> Result<(String, i64), DomainError> {
    let cp = digits(row)?;
    let Some(r) = cp.item_reference(gtin).and_then(|r| i64::try_from(r).ok()) else {
        return Err(DomainError::field(
            "gtin",
            format!("GTIN {gtin} does not lie in company prefix {cp}"),
        ));
    };
    if db::prefixes::find_key(conn, KeyKind::Gtin.as_str(), gtin.as_str())?.is_some() {
        return Err(DomainError::Conflict(format!(
            "GTIN {gtin} was already issued; a GTIN is never issued twice"
        )));
    }
    if !db::prefixes::reference_in_use(conn, &row.id, KeyKind::Gtin.as_str(), r)? {
        row.gtin_refs_used += 1;
    }
    Ok((gtin.to_string(), r))
}

/// The next SSCC (see the module documentation); moves the cursor when it was taken from it.
fn next_sscc(
    conn: &mut DbConn,
    row: &mut Prefix,
    extension: Option<u8>,
) -> Result<(String, i64), DomainError> {
    let cp = digits(row)?;
    let band = i64::try_from(cp.sscc_capacity()).map_err(DomainError::internal)?;
    let (from, to) = match extension {
        Some(e) => (i64::from(e) * band, (i64::from(e) + 1) * band),
        None => (0, 10 * band),
    };
    let start = row.next_serial_ref.max(from);
    let mut n = start;
    let found = loop {
        if n >= to {
            break None;
        }
        let band_start = n - n % band;
        match db::prefixes::max_reference_in(
            conn,
            &row.id,
            KeyKind::Sscc.as_str(),
            band_start,
            band_start + band,
        )? {
            Some(max) if max >= n => n = max + 1,
            _ => break Some(n),
        }
    };
    let Some(n) = found else {
        let which = extension.map_or_else(String::new, |e| format!(" with extension digit {e}"));
        return Err(exhausted(row, KeyKind::Sscc, &which));
    };
    // Only a number reached from the cursor keeps "everything below the cursor is used" true.
    if start == row.next_serial_ref {
        row.next_serial_ref = n + 1;
    }
    row.sscc_refs_used += 1;
    let (e, serial) = (n / band, n % band);
    let sscc = cp
        .sscc(
            u8::try_from(e).map_err(DomainError::internal)?,
            as_u64(serial),
        )
        .map_err(DomainError::internal)?;
    Ok((sscc.to_string(), n))
}

/// The first reference at or after `from` that no key of `kind` uses; 409 if none is left.
fn next_free(
    conn: &mut DbConn,
    row: &Prefix,
    kind: KeyKind,
    from: i64,
) -> Result<i64, DomainError> {
    let total = i64::try_from(kind.capacity(&digits(row)?)).map_err(DomainError::internal)?;
    let mut r = from;
    while r < total {
        if !db::prefixes::reference_in_use(conn, &row.id, kind.as_str(), r)? {
            return Ok(r);
        }
        r += 1;
    }
    Err(exhausted(row, kind, ""))
}

fn exhausted(row: &Prefix, kind: KeyKind, which: &str) -> DomainError {
    DomainError::Conflict(format!(
        "company prefix {} has no {} left{which}",
        row.prefix,
        kind.what()
    ))
}

fn as_u64(r: i64) -> u64 {
    u64::try_from(r).unwrap_or_default()
}

/// Records the key, saves the prefix's cursors and counters, appends the audit entry.
fn finish_issue(
    conn: &mut DbConn,
    actor: &Actor,
    mut row: Prefix,
    kind: KeyKind,
    (key, reference): (String, i64),
    description: Option<String>,
) -> Result<Issued, DomainError> {
    let now = db::now();
    row.updated_at = now;
    let issued = IssuedKey {
        id: db::new_id(),
        prefix_id: row.id.clone(),
        org_id: row.org_id.clone(),
        kind: kind.as_str().to_owned(),
        key,
        reference,
        description,
        issued_by: actor.as_str().to_owned(),
        issued_at: now,
    };
    db::prefixes::insert_key(conn, &issued)?;
    db::prefixes::save_allocation(conn, &row)?;
    record(
        conn,
        actor,
        Some(&issued.org_id),
        "key.issue",
        ("issued_key", &issued.id),
        &issued,
    )?;
    Ok(Issued {
        capacity: capacity(&row, kind),
        key: issued,
    })
}
