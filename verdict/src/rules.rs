//! The rules, each adding reasons; the worst reason decides the verdict.

use chrono::Duration;

use super::{
    AccreditationAtIssue, AlertKind, Assessment, CertificateStatus, Facts, InspectionOutcome,
    ProductStatus, Reason, SerialState, Verdict,
};

/// A certificate expiring within this many days gives a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// A serial scanned from at least this many distinct places within the window looks cloned.
pub const SUSPECT_DISTINCT_PLACES: u32 = 3;

/// Every reason code the rules can give, in the order the rules test them: what a client or a
/// translation table must know (a test keeps it equal to the codes written below).
pub const REASON_CODES: &[&str] = &[
    "invalid_code",
    "offline_status",
    "offline_pack_stale",
    "key_issued",
    "unregistered",
    "product_discontinued",
    "expiry_passed",
    "scan_pattern",
    "inspection_non_compliant",
    "inspection_counterfeit",
    "inspection_compliant",
    "no_certificate",
    "certificate_withdrawn",
    "certificate_suspended",
    "certificate_expired",
    "certificate_expiring",
    "certificate_valid",
    "internationally_recognised",
    "accredited",
    "certificate_unaccredited",
    "cab_not_accredited",
    "recall",
    "recall_other_lots",
    "recall_upstream",
    "safety_warning",
    "serial_unknown",
    "serial_decommissioned",
    "serial_destroyed",
    "serial_recalled",
    "serial_sold",
    "journey_elsewhere",
];

/// Judges one scan.
pub fn evaluate(f: &Facts) -> Assessment {
    let mut reasons = Vec::new();
    let mut add = |code, severity, detail: String| {
        reasons.push(Reason {
            code,
            severity,
            detail,
        })
    };
    if let Some(why) = &f.invalid {
        add("invalid_code", Verdict::Invalid, why.clone());
        return finish(reasons);
    }
    if let Some(o) = &f.offline {
        add(
            "offline_status",
            Verdict::Verified,
            format!(
                "offline: status as of {} UTC",
                o.as_of.format("%Y-%m-%d %H:%M")
            ),
        );
        if f.now - o.as_of > Duration::hours(i64::from(o.stale_after_hours)) {
            add(
                "offline_pack_stale",
                Verdict::Warning,
                format!(
                    "the status pack is older than {} hours: connect to refresh it",
                    o.stale_after_hours
                ),
            );
        }
    }
    let Some(status) = f.product else {
        if let Some(holder) = &f.key_holder {
            add(
                "key_issued",
                Verdict::Verified,
                format!("issued to {holder} under a company prefix licensed here"),
            );
            return finish(reasons);
        }
        add(
            "unregistered",
            Verdict::Unknown,
            "no product is registered under this code".into(),
        );
        return finish(reasons);
    };
    if status == ProductStatus::Discontinued {
        add(
            "product_discontinued",
            Verdict::Warning,
            "the product is discontinued".into(),
        );
    }
    certificates(f, &mut add);
    alerts(f, &mut add);
    let today = f.now.date();
    if let Some(expiry) = f.expiry.filter(|&d| d < today) {
        add(
            "expiry_passed",
            Verdict::Warning,
            format!("the expiry date {expiry} has passed"),
        );
    }
    serial(f, &mut add);
    whereabouts(f, &mut add);
    if f.scans.distinct_places >= SUSPECT_DISTINCT_PLACES {
        add(
            "scan_pattern",
            Verdict::Suspect,
            format!(
                "this serial was scanned from {} different places within {} hours",
                f.scans.distinct_places, f.scans.window_hours
            ),
        );
    }
    if let Some(latest) = f.inspections.first() {
        let at = format!("{} at {}", latest.at.date(), latest.place);
        match latest.outcome {
            InspectionOutcome::NonCompliant => add(
                "inspection_non_compliant",
                Verdict::NonCompliant,
                format!("the latest inspection ({at}) found it non-compliant"),
            ),
            InspectionOutcome::SuspectedCounterfeit => add(
                "inspection_counterfeit",
                Verdict::Suspect,
                format!("the latest inspection ({at}) suspected a counterfeit"),
            ),
            InspectionOutcome::Compliant => add(
                "inspection_compliant",
                Verdict::Verified,
                format!("the latest inspection ({at}) found it compliant"),
            ),
        }
    }
    finish(reasons)
}

fn certificates(f: &Facts, add: &mut impl FnMut(&'static str, Verdict, String)) {
    let today = f.now.date();
    if f.certificates.is_empty() {
        add(
            "no_certificate",
            Verdict::Warning,
            "no conformity certificate covers this product".into(),
        );
    }
    for c in &f.certificates {
        let n = &c.number;
        match (c.status, c.expiry) {
            (CertificateStatus::Withdrawn, _) => add(
                "certificate_withdrawn",
                Verdict::NonCompliant,
                format!("certificate {n} was withdrawn"),
            ),
            (CertificateStatus::Suspended, _) => add(
                "certificate_suspended",
                Verdict::NonCompliant,
                format!("certificate {n} is suspended"),
            ),
            (CertificateStatus::Valid, Some(e)) if e < today => add(
                "certificate_expired",
                Verdict::Warning,
                format!("certificate {n} expired on {e}"),
            ),
            (CertificateStatus::Valid, Some(e))
                if e - today <= Duration::days(EXPIRY_WARNING_DAYS) =>
            {
                add(
                    "certificate_expiring",
                    Verdict::Warning,
                    format!("certificate {n} expires on {e}"),
                )
            }
            (CertificateStatus::Valid, _) => add(
                "certificate_valid",
                Verdict::Verified,
                format!("certificate {n} is valid"),
            ),
        }
        match c.accreditation {
            AccreditationAtIssue::Accredited {
                internationally_recognised: true,
            } => add(
                "internationally_recognised",
                Verdict::Verified,
                format!(
                    "certificate {n} was issued under an accreditation recognised through ILAC/IAF"
                ),
            ),
            AccreditationAtIssue::Accredited {
                internationally_recognised: false,
            } => add(
                "accredited",
                Verdict::Verified,
                format!(
                    "certificate {n} was issued under accreditation, by a body outside the ILAC/IAF arrangements"
                ),
            ),
            AccreditationAtIssue::DeclaredUnaccredited => add(
                "certificate_unaccredited",
                Verdict::Warning,
                format!("certificate {n} was issued without accreditation"),
            ),
            AccreditationAtIssue::NotAccredited => add(
                "cab_not_accredited",
                Verdict::Warning,
                format!(
                    "the body that issued certificate {n} was not accredited for its scope on {}",
                    c.issue_date
                ),
            ),
        }
    }
}

fn alerts(f: &Facts, add: &mut impl FnMut(&'static str, Verdict, String)) {
    for a in &f.alerts {
        let ours = a.lots.is_empty() || f.lot.as_ref().is_some_and(|l| a.lots.contains(l));
        let unknown_lot = !a.lots.is_empty() && f.lot.is_none();
        let t = &a.title;
        match (a.kind, ours, unknown_lot) {
            (AlertKind::Recall, true, _) => {
                add("recall", Verdict::NonCompliant, format!("recalled: {t}"))
            }
            (AlertKind::Recall, false, true) => add(
                "recall_other_lots",
                Verdict::Warning,
                format!("some lots are recalled ({}): {t}", a.lots.join(", ")),
            ),
            (AlertKind::SafetyWarning, true, _) | (AlertKind::SafetyWarning, false, true) => add(
                "safety_warning",
                Verdict::Warning,
                format!("safety warning: {t}"),
            ),
            (_, false, false) => {}
        }
    }
    for r in &f.upstream_recalls {
        let lot = r
            .lot
            .as_ref()
            .map(|l| format!(" lot {l}"))
            .unwrap_or_default();
        add(
            "recall_upstream",
            Verdict::NonCompliant,
            format!(
                "made from GTIN {}{lot}, which is recalled: {}",
                r.gtin, r.title
            ),
        );
    }
}

fn serial(f: &Facts, add: &mut impl FnMut(&'static str, Verdict, String)) {
    let Some(state) = f.serial else { return };
    let on = f
        .serial_since
        .map(|t| format!(" on {}", t.date()))
        .unwrap_or_default();
    match state {
        None => add(
            "serial_unknown",
            Verdict::Suspect,
            "this serial number was never commissioned".into(),
        ),
        Some(SerialState::Decommissioned) => add(
            "serial_decommissioned",
            Verdict::Suspect,
            format!("this serial number was decommissioned{on}"),
        ),
        Some(SerialState::Destroyed) => add(
            "serial_destroyed",
            Verdict::Suspect,
            format!("this serial number belongs to an item destroyed{on}"),
        ),
        Some(SerialState::Recalled) => add(
            "serial_recalled",
            Verdict::NonCompliant,
            format!("this item was recalled{on}"),
        ),
        // A sold item's code belongs to its buyer: seen again in the supply chain, or from
        // several buyers, the label may be a copy. Its own buyer sees a warning, not an alarm.
        Some(SerialState::SoldDispensed) => add(
            "serial_sold",
            Verdict::Warning,
            format!(
                "this item was already sold to a consumer{on}: if you did not buy it, its code may be copied"
            ),
        ),
        Some(SerialState::Commissioned | SerialState::Shipped) => {}
    }
}

/// A scan in a country the recorded journey never reached. A warning, not suspect: a journey
/// shows what its parties recorded, and a last leg may be missing.
fn whereabouts(f: &Facts, add: &mut impl FnMut(&'static str, Verdict, String)) {
    let Some(w) = &f.whereabouts else { return };
    if w.journey_countries.is_empty() || w.journey_countries.contains(&w.scanned_in) {
        return;
    }
    add(
        "journey_elsewhere",
        Verdict::Warning,
        format!(
            "scanned in {}, a country its recorded journey never reached ({})",
            w.scanned_in,
            w.journey_countries.join(", ")
        ),
    );
}

/// Orders reasons most severe first and takes the worst as the verdict.
fn finish(mut reasons: Vec<Reason>) -> Assessment {
    reasons.sort_by_key(|r| std::cmp::Reverse(r.severity));
    let verdict = reasons.first().map_or(Verdict::Verified, |r| r.severity);
    Assessment { verdict, reasons }
}
