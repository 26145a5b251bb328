//! Creating and changing organisations, each write with its audit entry.

use gs1::keys::Gln;

use super::{Actor, Country, OrgKind, OrgName, record};
use crate::{
    error::{DomainError, InvalidValue, invalid},
    product_fields::HttpUrl,
};
use db::{self, DbConn, models::Org};

/// A validated new organisation.
#[derive(Clone, Debug)]
pub struct NewOrg {
    /// Kind.
    pub kind: OrgKind,
    /// Name.
    pub name: OrgName,
    /// Country.
    pub country: Country,
    /// GLN, if any.
    pub gln: Option<Gln>,
}

/// A validated change; `None` leaves a field as it is, `gln: Some(None)` clears the GLN.
#[derive(Clone, Debug, Default)]
pub struct OrgPatch {
    /// New kind.
    pub kind: Option<OrgKind>,
    /// New name.
    pub name: Option<OrgName>,
    /// New country.
    pub country: Option<Country>,
    /// New or cleared GLN.
    pub gln: Option<Option<Gln>>,
    /// New or cleared resolver root.
    pub resolver_root: Option<Option<ResolverRoot>>,
}

/// A brand owner's own GS1-conformant resolver: an `https` URL with a host and at most a path,
/// without a trailing slash; its labels' Digital Link URIs start with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverRoot(String);

impl ResolverRoot {
    /// Checks an `https` URL without query or fragment; drops trailing slashes.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let url = HttpUrl::parse(s)?;
        let url = url.as_str();
        if !url.starts_with("https://") {
            return Err(invalid!("{s:?}: a resolver root must be an https URL"));
        }
        if url.contains(['?', '#']) {
            return Err(invalid!("{s:?}: a resolver root has no query or fragment"));
        }
        Ok(Self(url.trim_end_matches('/').to_owned()))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Creates an organisation.
#[tracing::instrument(skip(conn, new))]
pub fn create(conn: &mut DbConn, actor: &Actor, new: NewOrg) -> Result<Org, DomainError> {
    let now = db::now();
    let org = Org {
        id: db::new_id(),
        kind: new.kind.as_str().to_owned(),
        name: new.name.as_str().to_owned(),
        country: new.country.as_str().to_owned(),
        gln: new.gln.map(|g| g.to_string()),
        created_at: now,
        updated_at: now,
        resolver_root: None,
    };
    db::write_transaction(conn, |conn| {
        db::orgs::insert(conn, &org).map_err(gln_conflict)?;
        record(
            conn,
            actor,
            Some(&org.id),
            "org.create",
            ("org", &org.id),
            &org,
        )?;
        Ok(org)
    })
}

/// Applies a change to an organisation.
#[tracing::instrument(skip(conn, patch))]
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    patch: OrgPatch,
) -> Result<Org, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut org = db::orgs::get(conn, id)?;
        if let Some(kind) = patch.kind {
            org.kind = kind.as_str().to_owned();
        }
        if let Some(name) = patch.name {
            org.name = name.as_str().to_owned();
        }
        if let Some(country) = patch.country {
            org.country = country.as_str().to_owned();
        }
        if let Some(root) = patch.resolver_root {
            org.resolver_root = root.map(|r| r.as_str().to_owned());
        }
        if let Some(gln) = patch.gln {
            org.gln = gln.map(|g| g.to_string());
        }
        org.updated_at = db::now();
        db::orgs::update(conn, &org).map_err(gln_conflict)?;
        record(
            conn,
            actor,
            Some(&org.id),
            "org.update",
            ("org", &org.id),
            &org,
        )?;
        Ok(org)
    })
}

fn gln_conflict(e: diesel::result::Error) -> DomainError {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            DomainError::Conflict("another organisation has this GLN".to_owned())
        }
        other => other.into(),
    }
}
