//! Loads a status pack in one read: the scope's size first (a COUNT), then every product with
//! the facts the lookup would load for it, through the lookup's own conversions.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use db::{DbConn, models::Product, status_pack::Scope};
use verdict::{
    KeyHolder, PACK_FORMAT, PACK_INSPECTIONS, PackCertificate, PackInspection, PackOrg,
    PackProduct, PackScope, StatusPack,
};

use crate::{error::ApiError, resolver::lookup::facts};

/// The most products one pack carries.
pub const MAX_PRODUCTS: i64 = 100_000;
/// The most serials one pack carries.
pub const MAX_SERIALS: i64 = 1_000_000;

/// What a pack is asked for, checked.
#[derive(Clone, Debug)]
pub struct Request {
    /// Organisation and GTIN prefix.
    pub scope: Scope,
    /// Include serial states.
    pub serials: bool,
    /// Only products changed after this moment.
    pub since: Option<DateTime<Utc>>,
}

/// The size bounds a pack is held to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most products.
    pub products: i64,
    /// Most serials.
    pub serials: i64,
}

/// The bounds of every pack served.
pub const LIMITS: Limits = Limits {
    products: MAX_PRODUCTS,
    serials: MAX_SERIALS,
};

/// Refuses a pack of `products` products and `serials` serials beyond `limits`, naming the
/// field that narrows it.
pub fn check_size(
    r: &Request,
    products: i64,
    serials: i64,
    limits: Limits,
) -> Result<(), ApiError> {
    if products > limits.products || serials > limits.serials {
        let field = if r.scope.gtin_prefix.is_some() || r.scope.org_id.is_none() {
            "query.gtin_prefix"
        } else {
            "query.org"
        };
        return Err(ApiError::field(field, "too large: narrow the scope"));
    }
    Ok(())
}

/// Builds the pack for `r` at `now`.
pub fn pack(conn: &mut DbConn, r: &Request, now: DateTime<Utc>) -> Result<StatusPack, ApiError> {
    use diesel::OptionalExtension;
    if let Some(org) = &r.scope.org_id
        && db::orgs::get(conn, org).optional()?.is_none()
    {
        return Err(ApiError::field("query.org", "no organisation has this id"));
    }
    let changed = match r.since {
        Some(since) => Some(db::status_pack::changed_since(conn, since.naive_utc())?),
        None => None,
    };
    let products = match &changed {
        Some(gtins) => i64::try_from(gtins.len()).unwrap_or(i64::MAX),
        None => db::status_pack::count_products(conn, &r.scope)?,
    };
    let serials = if r.serials {
        db::status_pack::count_serials(conn, &r.scope, changed.as_deref())?
    } else {
        0
    };
    check_size(r, products, serials, LIMITS)?;
    let rows = db::status_pack::products(conn, &r.scope, changed.as_deref())?;
    let mut orgs = Orgs::default();
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        out.push(product(conn, &mut orgs, p, r.serials)?);
    }
    let key_holders = db::status_pack::prefixes(conn, r.scope.org_id.as_deref())?
        .into_iter()
        .map(|p| {
            Ok(KeyHolder {
                org: orgs.get(conn, &p.org_id)?,
                prefix: p.prefix,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(StatusPack {
        format: PACK_FORMAT.to_owned(),
        issued_at: now,
        since: r.since,
        scope: PackScope {
            org: r.scope.org_id.clone(),
            gtin_prefix: r.scope.gtin_prefix.clone(),
            serials: r.serials,
        },
        products: out,
        key_holders,
    })
}

/// Organisation names read once per pack.
#[derive(Default)]
struct Orgs(HashMap<String, PackOrg>);

impl Orgs {
    fn get(&mut self, conn: &mut DbConn, id: &str) -> Result<PackOrg, ApiError> {
        if let Some(o) = self.0.get(id) {
            return Ok(o.clone());
        }
        let row = db::orgs::get(conn, id)?;
        let o = PackOrg {
            id: row.id,
            name: row.name,
        };
        self.0.insert(id.to_owned(), o.clone());
        Ok(o)
    }
}

/// One product with the facts the lookup reads for it.
fn product(
    conn: &mut DbConn,
    orgs: &mut Orgs,
    p: Product,
    serials: bool,
) -> Result<PackProduct, ApiError> {
    let certificates = facts::certificates(conn, &p.gtin)?
        .into_iter()
        .map(|v| {
            Ok(PackCertificate {
                facts: v.facts(),
                cab: orgs.get(conn, &v.row.cab_org_id)?.name,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let alerts = facts::active_alerts(conn, &p.gtin)?
        .iter()
        .map(facts::ActiveAlert::facts)
        .collect();
    let shown = i64::try_from(PACK_INSPECTIONS).unwrap_or(5);
    let inspections = db::scans::latest_inspections(conn, &p.gtin, shown)?
        .into_iter()
        .filter_map(|i| {
            Some(PackInspection {
                facts: facts::inspection(&i)?,
                lot: i.lot,
                serial: i.serial,
            })
        })
        .collect();
    let serials = if serials {
        let states: BTreeMap<_, _> = db::status_pack::serial_states(conn, &p.gtin)?
            .into_iter()
            .filter_map(|(s, state)| Some((s, facts::serial_state(&state)?)))
            .collect();
        Some(states)
    } else {
        None
    };
    Ok(PackProduct {
        status: facts::product_status(&p.status),
        maker: orgs.get(conn, &p.org_id)?,
        name_en: Some(p.name_en).filter(|n| !n.is_empty()),
        name_vi: p.name_vi,
        gtin: p.gtin,
        certificates,
        alerts,
        inspections,
        serials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(org: Option<&str>, prefix: Option<&str>) -> Request {
        Request {
            scope: Scope {
                org_id: org.map(str::to_owned),
                gtin_prefix: prefix.map(str::to_owned),
            },
            serials: true,
            since: None,
        }
    }

    #[test]
    fn a_pack_over_either_bound_is_refused_naming_the_narrowing_field() {
        let tiny = Limits {
            products: 2,
            serials: 10,
        };
        let r = request(Some("o1"), None);
        assert!(check_size(&r, 2, 10, tiny).is_ok());
        for (products, serials) in [(3, 0), (1, 11)] {
            match check_size(&r, products, serials, tiny) {
                Err(ApiError::Validation(f)) => {
                    assert_eq!(f[0].field, "query.org");
                    assert_eq!(f[0].reason, "too large: narrow the scope");
                }
                other => panic!("{other:?}"),
            }
        }
        let r = request(Some("o1"), Some("893"));
        match check_size(&r, 3, 0, tiny) {
            Err(ApiError::Validation(f)) => assert_eq!(f[0].field, "query.gtin_prefix"),
            other => panic!("{other:?}"),
        }
    }
}
