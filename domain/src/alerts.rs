//! Alerts: recalls and safety warnings raised by authorities and certifiers against products or
//! lots, and lifting them; each write in one transaction with its audit entry.

use crate::error::InvalidValue;
use crate::error::invalid;
use std::{collections::BTreeSet, str::FromStr};

use gs1::keys::{Gtin, Lot};

use super::{OrgKind, Role, record};
use crate::{caller::Caller, error::DomainError};
use db::{
    self, DbConn,
    alerts::{Alert, Target},
};

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// The stored and wire form.
            pub fn as_str(self) -> &'static str { match self { $(Self::$v => $s),+ } }
        }
        impl FromStr for $name {
            type Err = InvalidValue;
            fn from_str(s: &str) -> Result<Self, InvalidValue> {
                match s {
                    $($s => Ok(Self::$v),)+
                    _ => Err(invalid!("unknown value {s:?}: use {}", [$($s),+].join(", "))),
                }
            }
        }
    };
}

wire_enum!(
    /// What kind of alert.
    AlertKind {
        /// Take the product off the market.
        Recall = "recall",
        /// Warn buyers.
        SafetyWarning = "safety_warning",
    }
);

wire_enum!(
    /// Who originated the alert.
    AlertSource {
        /// A public authority.
        Authority = "authority",
        /// A certification body.
        Certifier = "certifier",
        /// A WTO TBT/SPS notification.
        WtoNotification = "wto_notification",
    }
);

wire_enum!(
    /// Whether an alert is in force.
    AlertStatus {
        /// In force.
        Active = "active",
        /// Lifted.
        Lifted = "lifted",
    }
);

/// A validated new alert.
#[derive(Clone, Debug)]
pub struct NewAlert {
    /// Kind.
    pub kind: AlertKind,
    /// Source.
    pub source: AlertSource,
    /// External reference.
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Products, each with its lots (empty = every lot).
    pub targets: Vec<(Gtin, Vec<Lot>)>,
}

/// Inspectors of an authority, certifiers, and admins.
fn require_raiser(conn: &mut DbConn, who: &Caller) -> Result<(), DomainError> {
    match who.role {
        Role::Admin | Role::Certifier => Ok(()),
        Role::Inspector => {
            let org = db::orgs::get(conn, &who.org_id)?;
            if org.kind == OrgKind::Authority.as_str() {
                Ok(())
            } else {
                Err(DomainError::Forbidden(
                    "inspectors must belong to an authority",
                ))
            }
        }
        Role::Exporter => Err(DomainError::Forbidden(
            "alerts are raised by authorities and certifiers",
        )),
    }
}

/// Raises an alert with its targets.
#[tracing::instrument(skip(conn, new))]
pub fn raise(
    conn: &mut DbConn,
    who: &Caller,
    new: NewAlert,
) -> Result<(Alert, Vec<Target>), DomainError> {
    if who.role == Role::Certifier && new.source == AlertSource::Authority {
        return Err(DomainError::field(
            "source",
            "a certifier cannot raise an authority alert",
        ));
    }
    db::write_transaction(conn, |conn| {
        require_raiser(conn, who)?;
        let now = db::now();
        let alert = Alert {
            id: db::new_id(),
            org_id: who.org_id.clone(),
            kind: new.kind.as_str().to_owned(),
            source: new.source.as_str().to_owned(),
            reference: new.reference,
            title: new.title,
            description: new.description,
            status: AlertStatus::Active.as_str().to_owned(),
            raised_by: who.actor().as_str().to_owned(),
            raised_at: now,
            lifted_at: None,
            lift_reason: None,
            updated_at: now,
        };
        db::alerts::insert(conn, &alert)?;
        let mut seen = BTreeSet::new();
        for (gtin, lots) in new.targets {
            let lots: Vec<String> = if lots.is_empty() {
                vec![String::new()]
            } else {
                lots.into_iter().map(|l| l.to_string()).collect()
            };
            for lot in lots {
                if seen.insert((gtin.to_string(), lot.clone())) {
                    let t = Target {
                        alert_id: alert.id.clone(),
                        gtin: gtin.to_string(),
                        lot,
                    };
                    db::alerts::insert_target(conn, &t)?;
                }
            }
        }
        let targets = db::alerts::targets(conn, std::slice::from_ref(&alert.id))?;
        record(
            conn,
            &who.actor(),
            Some(&alert.org_id),
            "alert.raise",
            ("alert", &alert.id),
            &(&alert, &targets),
        )?;
        Ok((alert, targets))
    })
}

/// Lifts an active alert (the raising organisation, or admin); 409 if already lifted.
#[tracing::instrument(skip(conn, reason))]
pub fn lift(
    conn: &mut DbConn,
    who: &Caller,
    id: &str,
    reason: String,
) -> Result<(Alert, Vec<Target>), DomainError> {
    db::write_transaction(conn, |conn| {
        let alert = db::alerts::get(conn, id)?;
        if !who.is_admin() {
            require_raiser(conn, who)?;
            who.require_member_of(&alert.org_id)?;
        }
        if !db::alerts::lift(conn, id, &reason, db::now())? {
            return Err(DomainError::Conflict(
                "the alert is already lifted".to_owned(),
            ));
        }
        let alert = db::alerts::get(conn, id)?;
        let targets = db::alerts::targets(conn, std::slice::from_ref(&alert.id))?;
        record(
            conn,
            &who.actor(),
            Some(&alert.org_id),
            "alert.lift",
            ("alert", &alert.id),
            &alert,
        )?;
        Ok((alert, targets))
    })
}

/// How many active alerts on one GTIN are read.
const ALERTS_READ: i64 = 100;

/// An active alert on a GTIN and the lots it names there (empty: every lot).
pub struct ActiveAlert {
    /// The alert as stored.
    pub row: Alert,
    /// Lots concerned; empty means every lot.
    pub lots: Vec<String>,
}

impl ActiveAlert {
    /// The verdict's facts; which lots concern a scan is the verdict's rule to decide.
    pub fn facts(&self) -> verdict::AlertFacts {
        verdict::AlertFacts {
            title: self.row.title.clone(),
            kind: self.kind(),
            lots: self.lots.clone(),
        }
    }

    /// Recall or safety warning (an unknown stored form reads as a warning).
    pub fn kind(&self) -> verdict::AlertKind {
        match self.row.kind.parse() {
            Ok(AlertKind::Recall) => verdict::AlertKind::Recall,
            Ok(AlertKind::SafetyWarning) | Err(_) => verdict::AlertKind::SafetyWarning,
        }
    }

    /// Whether it concerns `lot` (`None`: the lot is not known, so only alerts on every lot).
    pub fn covers(&self, lot: Option<&str>) -> bool {
        self.lots.is_empty() || lot.is_some_and(|l| self.lots.iter().any(|x| x == l))
    }
}

/// The active alerts on `gtin`.
pub fn active(conn: &mut DbConn, gtin: &str) -> Result<Vec<ActiveAlert>, DomainError> {
    let filter = db::alerts::Filter {
        gtin: Some(gtin.to_owned()),
        status: Some(AlertStatus::Active.as_str().to_owned()),
        product_owner: None,
    };
    let page = db::page::PageRequest {
        after: None,
        limit: ALERTS_READ,
    };
    let rows = db::alerts::list(conn, &filter, &page)?;
    let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
    let targets = db::alerts::targets(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let lots: Vec<String> = targets
                .iter()
                .filter(|t| t.alert_id == row.id && t.gtin == gtin)
                .map(|t| t.lot.clone())
                .collect();
            // A target row with lot '' covers every lot.
            let lots = if lots.iter().any(String::is_empty) {
                Vec::new()
            } else {
                lots
            };
            ActiveAlert { row, lots }
        })
        .collect())
}
