//! One test per rule: each starts from a verified product and changes one fact.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cert(
    status: CertificateStatus,
    expiry: Option<NaiveDate>,
    accreditation: AccreditationAtIssue,
) -> CertificateFacts {
    CertificateFacts {
        number: "VN-QC-001".into(),
        status,
        issue_date: date(2025, 1, 10),
        expiry,
        accreditation,
    }
}

const RECOGNISED: AccreditationAtIssue = AccreditationAtIssue::Accredited {
    internationally_recognised: true,
};

/// A registered product with one valid, internationally recognised certificate.
fn verified() -> Facts {
    let mut f = Facts::registered(now());
    f.certificates.push(cert(
        CertificateStatus::Valid,
        Some(date(2028, 1, 1)),
        RECOGNISED,
    ));
    f
}

/// Applies `change` to verified facts and checks the verdict and that `code` is among the reasons.
fn check(change: impl FnOnce(&mut Facts), verdict: Verdict, code: &str) {
    let mut f = verified();
    change(&mut f);
    let a = evaluate(&f);
    assert_eq!(a.verdict, verdict, "{a:?}");
    assert!(
        a.reasons.iter().any(|r| r.code == code),
        "{code} missing from {a:?}"
    );
    assert!(
        a.reasons.windows(2).all(|w| w[0].severity >= w[1].severity),
        "not most severe first: {a:?}"
    );
}

#[test]
fn a_certified_product_is_verified_with_its_reasons() {
    let a = evaluate(&verified());
    assert_eq!(a.verdict, Verdict::Verified);
    let codes: Vec<_> = a.reasons.iter().map(|r| r.code).collect();
    assert_eq!(codes, ["certificate_valid", "internationally_recognised"]);
}

#[test]
fn invalid_syntax() {
    check(
        |f| f.invalid = Some("AI (01) check digit".into()),
        Verdict::Invalid,
        "invalid_code",
    );
}

#[test]
fn valid_but_unregistered() {
    check(|f| f.product = None, Verdict::Unknown, "unregistered");
}

#[test]
fn an_issued_logistic_unit_or_location_key_is_verified() {
    let f = Facts {
        product: None,
        key_holder: Some("Exporter A".into()),
        ..verified()
    };
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Verified);
    assert_eq!(a.reasons[0].code, "key_issued");
    assert!(a.reasons[0].detail.contains("Exporter A"));
}

#[test]
fn discontinued_product() {
    check(
        |f| f.product = Some(ProductStatus::Discontinued),
        Verdict::Warning,
        "product_discontinued",
    );
}

#[test]
fn no_certificate() {
    check(
        |f| f.certificates.clear(),
        Verdict::Warning,
        "no_certificate",
    );
}

#[test]
fn certificate_expiring_within_30_days() {
    check(
        |f| f.certificates[0].expiry = Some(date(2026, 12, 20)),
        Verdict::Warning,
        "certificate_expiring",
    );
    // 31 days ahead is not yet a warning.
    let mut f = verified();
    f.certificates[0].expiry = Some(date(2026, 12, 23));
    assert_eq!(evaluate(&f).verdict, Verdict::Verified);
}

#[test]
fn certificate_expired() {
    check(
        |f| f.certificates[0].expiry = Some(date(2026, 11, 21)),
        Verdict::Warning,
        "certificate_expired",
    );
}

#[test]
fn certificate_suspended() {
    check(
        |f| f.certificates[0].status = CertificateStatus::Suspended,
        Verdict::NonCompliant,
        "certificate_suspended",
    );
}

#[test]
fn certificate_withdrawn() {
    check(
        |f| f.certificates[0].status = CertificateStatus::Withdrawn,
        Verdict::NonCompliant,
        "certificate_withdrawn",
    );
}

#[test]
fn cab_not_accredited_on_issue_date() {
    check(
        |f| f.certificates[0].accreditation = AccreditationAtIssue::NotAccredited,
        Verdict::Warning,
        "cab_not_accredited",
    );
    check(
        |f| f.certificates[0].accreditation = AccreditationAtIssue::DeclaredUnaccredited,
        Verdict::Warning,
        "certificate_unaccredited",
    );
}

#[test]
fn accreditation_body_outside_ilac_iaf_is_accredited_but_not_recognised() {
    check(
        |f| {
            f.certificates[0].accreditation = AccreditationAtIssue::Accredited {
                internationally_recognised: false,
            }
        },
        Verdict::Verified,
        "accredited",
    );
}

#[test]
fn recall_on_the_gtin_or_the_scanned_lot() {
    let recall = |lots: &[&str]| AlertFacts {
        title: "Listeria".into(),
        kind: AlertKind::Recall,
        lots: lots.iter().map(|l| l.to_string()).collect(),
    };
    check(
        |f| f.alerts.push(recall(&[])),
        Verdict::NonCompliant,
        "recall",
    );
    check(
        |f| {
            f.lot = Some("L7".into());
            f.alerts.push(recall(&["L7"]))
        },
        Verdict::NonCompliant,
        "recall",
    );
    // Another lot recalled, and the scan names its lot: nothing to say.
    let mut f = verified();
    f.lot = Some("L8".into());
    f.alerts.push(recall(&["L7"]));
    assert_eq!(evaluate(&f).verdict, Verdict::Verified);
    // The scan names no lot: it may be a recalled one.
    check(
        |f| f.alerts.push(recall(&["L7"])),
        Verdict::Warning,
        "recall_other_lots",
    );
}

#[test]
fn safety_warning() {
    check(
        |f| {
            f.alerts.push(AlertFacts {
                title: "G/TBT/N/VNM/123".into(),
                kind: AlertKind::SafetyWarning,
                lots: vec![],
            })
        },
        Verdict::Warning,
        "safety_warning",
    );
}

#[test]
fn expiry_date_in_the_code_has_passed() {
    check(
        |f| f.expiry = Some(date(2026, 11, 21)),
        Verdict::Warning,
        "expiry_passed",
    );
    let mut f = verified();
    f.expiry = Some(date(2026, 11, 22));
    assert_eq!(
        evaluate(&f).verdict,
        Verdict::Verified,
        "expires today: still good"
    );
}

#[test]
fn serial_never_commissioned() {
    check(
        |f| f.serial = Some(None),
        Verdict::Suspect,
        "serial_unknown",
    );
}

#[test]
fn serial_decommissioned_destroyed_or_recalled() {
    check(
        |f| f.serial = Some(Some(SerialState::Decommissioned)),
        Verdict::Suspect,
        "serial_decommissioned",
    );
    check(
        |f| f.serial = Some(Some(SerialState::Destroyed)),
        Verdict::Suspect,
        "serial_destroyed",
    );
    check(
        |f| f.serial = Some(Some(SerialState::Recalled)),
        Verdict::NonCompliant,
        "serial_recalled",
    );
    let mut f = verified();
    f.serial = Some(Some(SerialState::Shipped));
    assert_eq!(evaluate(&f).verdict, Verdict::Verified);
}

/// An item sold to a consumer and scanned again: a warning naming the sale's date; the dates
/// of decommissioning and destruction events are named too.
#[test]
fn serial_scanned_after_sale_decommissioning_or_destruction() {
    let sold_on = date(2026, 11, 2).and_hms_opt(9, 30, 0).unwrap();
    check(
        |f| {
            f.serial = Some(Some(SerialState::SoldDispensed));
            f.serial_since = Some(sold_on);
        },
        Verdict::Warning,
        "serial_sold",
    );
    let mut f = verified();
    f.serial = Some(Some(SerialState::SoldDispensed));
    f.serial_since = Some(sold_on);
    let a = evaluate(&f);
    assert!(a.reasons[0].detail.contains("2026-11-02"), "{a:?}");
    f.serial = Some(Some(SerialState::Destroyed));
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Suspect);
    assert!(a.reasons[0].detail.contains("2026-11-02"), "{a:?}");
}

/// Scanned in a country the journey never reached: a warning; in one it reached, or with no
/// journey known, nothing.
#[test]
fn scanned_where_the_journey_never_went() {
    let w = |scanned: &str, reached: &[&str]| Whereabouts {
        scanned_in: scanned.into(),
        journey_countries: reached.iter().map(|c| c.to_string()).collect(),
    };
    check(
        |f| f.whereabouts = Some(w("NG", &["VN", "DE"])),
        Verdict::Warning,
        "journey_elsewhere",
    );
    for ok in [w("DE", &["VN", "DE"]), w("NG", &[])] {
        let mut f = verified();
        f.whereabouts = Some(ok);
        assert_eq!(evaluate(&f).verdict, Verdict::Verified);
    }
}

/// A lot made from a recalled lot is non-compliant, naming the input.
#[test]
fn made_from_a_recalled_lot() {
    check(
        |f| {
            f.upstream_recalls.push(UpstreamRecall {
                gtin: "08934567000011".into(),
                lot: Some("BEANS-7".into()),
                title: "aflatoxin".into(),
            })
        },
        Verdict::NonCompliant,
        "recall_upstream",
    );
}

#[test]
fn same_serial_scanned_from_many_places() {
    check(
        |f| {
            f.scans = ScanPattern {
                distinct_places: 3,
                window_hours: 24,
            }
        },
        Verdict::Suspect,
        "scan_pattern",
    );
    let mut f = verified();
    f.scans = ScanPattern {
        distinct_places: 2,
        window_hours: 24,
    };
    assert_eq!(evaluate(&f).verdict, Verdict::Verified);
}

#[test]
fn latest_inspection_decides() {
    let inspection = |outcome, day| InspectionFacts {
        outcome,
        at: date(2026, 11, day).and_hms_opt(9, 0, 0).unwrap(),
        place: "Cat Lai".into(),
    };
    check(
        |f| f.inspections = vec![inspection(InspectionOutcome::NonCompliant, 20)],
        Verdict::NonCompliant,
        "inspection_non_compliant",
    );
    check(
        |f| f.inspections = vec![inspection(InspectionOutcome::SuspectedCounterfeit, 20)],
        Verdict::Suspect,
        "inspection_counterfeit",
    );
    // A later compliant inspection supersedes an earlier failure (latest first).
    check(
        |f| {
            f.inspections = vec![
                inspection(InspectionOutcome::Compliant, 21),
                inspection(InspectionOutcome::NonCompliant, 20),
            ]
        },
        Verdict::Verified,
        "inspection_compliant",
    );
}

#[test]
fn the_worst_reason_wins() {
    let mut f = verified();
    f.certificates[0].status = CertificateStatus::Withdrawn;
    f.serial = Some(None);
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Suspect);
    assert_eq!(a.reasons[0].code, "serial_unknown");
    assert_eq!(a.reasons[1].code, "certificate_withdrawn");
}

#[test]
fn reason_codes_list_every_code_the_rules_write() {
    let src = include_str!("rules.rs");
    let body = &src[src.find("pub fn evaluate").unwrap_or(0)..];
    let written: std::collections::BTreeSet<&str> = body
        .match_indices("add(")
        .filter_map(|(i, m)| {
            let rest = body[i + m.len()..].trim_start().strip_prefix('"')?;
            rest.split_once('"').map(|(code, _)| code)
        })
        .collect();
    let listed: std::collections::BTreeSet<&str> = REASON_CODES.iter().copied().collect();
    assert_eq!(written, listed);
    assert_eq!(listed.len(), REASON_CODES.len(), "a code is listed twice");
}

/// A scanner loads facts from a file: every fact survives JSON, "named no serial" and "named
/// a serial nobody commissioned" stay apart, and the verdict is the same as from the original.
#[test]
fn facts_round_trip_through_json_and_judge_the_same() {
    let mut f = verified();
    f.lot = Some("L1".into());
    f.expiry = Some(date(2027, 1, 31));
    f.alerts = vec![AlertFacts {
        title: "Recall 1".into(),
        kind: AlertKind::Recall,
        lots: vec!["L2".into()],
    }];
    for serial in [None, Some(None), Some(Some(SerialState::Shipped))] {
        f.serial = serial;
        let json = serde_json::to_string(&f).unwrap_or_default();
        let back: Facts = match serde_json::from_str(&json) {
            Ok(back) => back,
            Err(e) => panic!("{json}: {e}"),
        };
        assert_eq!(back, f, "{json}");
        assert_eq!(evaluate(&back), evaluate(&f));
    }
    // A minimal file: only the moment and the product.
    let minimal: Facts =
        serde_json::from_str(r#"{"now":"2026-06-01T12:00:00","product":"active"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(minimal.serial, None);
    assert_eq!(evaluate(&minimal).verdict, Verdict::Warning);
    let v: Verdict = serde_json::from_str(r#""non_compliant""#).unwrap_or(Verdict::Verified);
    assert_eq!(v, Verdict::NonCompliant);
}

fn offline(as_of_hours_ago: i64, stale_after_hours: u32) -> Offline {
    Offline {
        as_of: now() - chrono::Duration::hours(as_of_hours_ago),
        stale_after_hours,
    }
}

#[test]
fn offline_facts_say_as_of_when() {
    check(
        |f| f.offline = Some(offline(2, 72)),
        Verdict::Verified,
        "offline_status",
    );
    let mut f = verified();
    f.offline = Some(offline(2, 72));
    let a = evaluate(&f);
    let r = a.reasons.iter().find(|r| r.code == "offline_status");
    assert_eq!(
        r.map(|r| r.detail.as_str()),
        Some("offline: status as of 2026-11-22 08:00 UTC")
    );
    assert!(!a.reasons.iter().any(|r| r.code == "offline_pack_stale"));
}

#[test]
fn an_offline_pack_older_than_its_limit_is_stale() {
    check(
        |f| f.offline = Some(offline(73, 72)),
        Verdict::Warning,
        "offline_pack_stale",
    );
    // Exactly at the limit is not yet stale.
    let mut f = verified();
    f.offline = Some(offline(72, 72));
    assert_eq!(evaluate(&f).verdict, Verdict::Verified);
}
