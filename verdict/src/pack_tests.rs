//! The status pack: a scan judged from a pack gives the facts the resolver would load.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::*;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0)
        .single()
        .unwrap_or_default()
}

fn now() -> NaiveDateTime {
    at(22, 10).naive_utc()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn org(id: &str, name: &str) -> PackOrg {
    PackOrg {
        id: id.into(),
        name: name.into(),
    }
}

const COFFEE: &str = "08934567000017";
const TEA: &str = "08934567000024";

fn product(gtin: &str) -> PackProduct {
    PackProduct {
        gtin: gtin.into(),
        name_vi: "Cà phê".into(),
        name_en: Some("Coffee".into()),
        maker: org("o1", "Exporter A"),
        status: ProductStatus::Active,
        certificates: Vec::new(),
        alerts: Vec::new(),
        inspections: Vec::new(),
        serials: None,
    }
}

/// A pack issued an hour before `now`: the coffee with a recognised certificate, a recall of
/// lot L2, a lot inspection and serials; the tea with nothing; one licensed prefix.
fn pack() -> StatusPack {
    let mut coffee = product(COFFEE);
    coffee.certificates.push(PackCertificate {
        facts: CertificateFacts {
            number: "VN-QC-001".into(),
            status: CertificateStatus::Valid,
            issue_date: date(2025, 1, 10),
            expiry: Some(date(2028, 1, 1)),
            accreditation: AccreditationAtIssue::Accredited {
                internationally_recognised: true,
            },
        },
        cab: "Quacert".into(),
    });
    coffee.alerts.push(AlertFacts {
        title: "Recall 7".into(),
        kind: AlertKind::Recall,
        lots: vec!["L2".into()],
    });
    coffee.inspections.push(PackInspection {
        facts: InspectionFacts {
            outcome: InspectionOutcome::NonCompliant,
            at: at(20, 9).naive_utc(),
            place: "Hai Phong".into(),
        },
        lot: Some("L3".into()),
        serial: None,
    });
    coffee.serials = Some(BTreeMap::from([
        ("CF0001".to_owned(), SerialState::Commissioned),
        ("CF0002".to_owned(), SerialState::Destroyed),
    ]));
    StatusPack {
        format: PACK_FORMAT.into(),
        issued_at: at(22, 9),
        since: None,
        scope: PackScope {
            org: Some("o1".into()),
            gtin_prefix: None,
            serials: true,
        },
        products: vec![coffee, product(TEA)],
        key_holders: vec![
            KeyHolder {
                prefix: "893456".into(),
                org: org("o2", "Short Prefix Co"),
            },
            KeyHolder {
                prefix: "8934567".into(),
                org: org("o1", "Exporter A"),
            },
        ],
    }
}

fn gtin(g: &str) -> Scanned<'_> {
    Scanned {
        gtin: Some(g),
        ..Scanned::default()
    }
}

fn judge(p: &StatusPack, s: &Scanned<'_>) -> Assessment {
    evaluate(&p.facts(s, now(), 72))
}

fn codes(a: &Assessment) -> Vec<&'static str> {
    a.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn a_gtin_outside_the_pack_is_unregistered_and_offline() {
    let a = judge(&pack(), &gtin("09506000134352"));
    assert_eq!(a.verdict, Verdict::Unknown);
    assert_eq!(codes(&a), ["unregistered", "offline_status"]);
}

#[test]
fn a_certified_product_is_verified_offline() {
    let f = pack().facts(&gtin(COFFEE), now(), 72);
    assert_eq!(f.product, Some(ProductStatus::Active));
    assert_eq!(f.certificates.len(), 1);
    assert_eq!(f.serial, None);
    assert_eq!(
        f.offline,
        Some(Offline {
            as_of: at(22, 9).naive_utc(),
            stale_after_hours: 72
        })
    );
    // The lot inspection concerns only L3; the recall only L2 (a warning without a lot).
    assert!(f.inspections.is_empty());
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Warning);
    assert!(codes(&a).contains(&"recall_other_lots"));
    let lot1 = Scanned {
        lot: Some("L1"),
        ..gtin(COFFEE)
    };
    let a = judge(&pack(), &lot1);
    assert_eq!(a.verdict, Verdict::Verified, "{a:?}");
    assert_eq!(
        codes(&a),
        [
            "offline_status",
            "certificate_valid",
            "internationally_recognised"
        ]
    );
}

#[test]
fn a_recalled_lot_is_non_compliant_and_a_lot_inspection_concerns_its_lot() {
    let lot2 = Scanned {
        lot: Some("L2"),
        ..gtin(COFFEE)
    };
    let a = judge(&pack(), &lot2);
    assert_eq!(a.verdict, Verdict::NonCompliant);
    assert_eq!(a.reasons[0].code, "recall");
    let lot3 = Scanned {
        lot: Some("L3"),
        ..gtin(COFFEE)
    };
    let f = pack().facts(&lot3, now(), 72);
    assert_eq!(f.inspections.len(), 1);
    assert!(codes(&evaluate(&f)).contains(&"inspection_non_compliant"));
}

#[test]
fn serials_are_judged_only_when_the_pack_has_them() {
    let serial = |s| Scanned {
        lot: Some("L1"),
        serial: Some(s),
        ..gtin(COFFEE)
    };
    let p = pack();
    assert_eq!(
        p.facts(&serial("CF0001"), now(), 72).serial,
        Some(Some(SerialState::Commissioned))
    );
    let a = judge(&p, &serial("NOPE"));
    assert_eq!(a.verdict, Verdict::Suspect);
    assert_eq!(a.reasons[0].code, "serial_unknown");
    assert_eq!(
        judge(&p, &serial("CF0002")).reasons[0].code,
        "serial_destroyed"
    );
    // Without serials the pack cannot say a serial was never commissioned.
    let mut no_serials = pack();
    for p in &mut no_serials.products {
        p.serials = None;
    }
    assert_eq!(no_serials.facts(&serial("NOPE"), now(), 72).serial, None);
    assert_eq!(
        judge(&no_serials, &serial("NOPE")).verdict,
        Verdict::Verified
    );
}

#[test]
fn an_sscc_or_gln_is_held_by_the_longest_licensed_prefix() {
    let p = pack();
    // SSCC: extension digit 0, then 8934567...
    let sscc = Scanned {
        other_key: Some("089345670000000018"),
        ..Scanned::default()
    };
    let f = p.facts(&sscc, now(), 72);
    assert_eq!(f.key_holder.as_deref(), Some("Exporter A"));
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Verified);
    assert_eq!(codes(&a), ["offline_status", "key_issued"]);
    let gln = Scanned {
        other_key: Some("8934560000017"),
        ..Scanned::default()
    };
    assert_eq!(
        p.facts(&gln, now(), 72).key_holder.as_deref(),
        Some("Short Prefix Co")
    );
    let foreign = Scanned {
        other_key: Some("9506000134352"),
        ..Scanned::default()
    };
    assert_eq!(judge(&p, &foreign).verdict, Verdict::Unknown);
}

#[test]
fn a_stale_pack_warns() {
    let lot1 = Scanned {
        lot: Some("L1"),
        ..gtin(COFFEE)
    };
    let f = pack().facts(&lot1, at(26, 10).naive_utc(), 72);
    let a = evaluate(&f);
    assert_eq!(a.verdict, Verdict::Warning);
    assert!(codes(&a).contains(&"offline_pack_stale"), "{a:?}");
}

#[test]
fn a_newer_incremental_pack_replaces_products_and_holders() {
    let mut base = pack();
    let mut newer = pack();
    newer.issued_at = at(22, 11);
    newer.since = Some(at(22, 9));
    let mut tea = product(TEA);
    tea.status = ProductStatus::Discontinued;
    newer.products = vec![tea];
    newer.key_holders = vec![KeyHolder {
        prefix: "893456".into(),
        org: org("o2", "Renamed Co"),
    }];
    let kept = base.clone();
    assert_eq!(base.merge(newer.clone()), Ok(()));
    assert_eq!(base.issued_at, at(22, 11));
    assert_eq!(base.since, None);
    assert_eq!(base.products.len(), 2);
    assert_eq!(base.product(COFFEE), kept.product(COFFEE));
    assert_eq!(
        base.product(TEA).map(|p| p.status),
        Some(ProductStatus::Discontinued)
    );
    assert_eq!(base.key_holders.len(), 2);
    assert!(base.key_holders.iter().any(|k| k.org.name == "Renamed Co"));

    // Older, other scope, other format, or a gap: refused, and nothing changes.
    let mut p = kept.clone();
    let mut older = newer.clone();
    older.issued_at = at(21, 0);
    assert_eq!(p.merge(older), Err(PackError::Older));
    let mut other = newer.clone();
    other.scope.serials = false;
    assert_eq!(p.merge(other), Err(PackError::Scope));
    let mut v2 = newer.clone();
    v2.format = "gs1dpp-status-pack/2".into();
    assert!(matches!(p.merge(v2), Err(PackError::Format { .. })));
    let mut gap = newer;
    gap.since = Some(at(22, 10));
    assert_eq!(p.merge(gap), Err(PackError::Gap));
    assert_eq!(p, kept);
}

#[test]
fn a_pack_round_trips_through_json() {
    let p = pack();
    let json = serde_json::to_string(&p).unwrap_or_default();
    let back: StatusPack = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(back, p);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    // Certificate and inspection facts are flattened beside their extra fields.
    assert_eq!(v["products"][0]["certificates"][0]["cab"], "Quacert");
    assert_eq!(v["products"][0]["certificates"][0]["number"], "VN-QC-001");
    assert_eq!(v["products"][0]["inspections"][0]["place"], "Hai Phong");
    assert!(v["products"][1].get("serials").is_none());
}
