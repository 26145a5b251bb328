//! Accreditation as pure facts: arrangements, signatory scopes, accreditations, and the two
//! questions asked of them (does an accreditation cover this standard, is it internationally
//! recognised) answered without a database.

use crate::error::InvalidValue;
use crate::error::invalid;
use chrono::NaiveDate;

/// Declares a closed set of snake_case wire values with `as_str`, `ALL` and `FromStr`.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value, in a fixed order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stored and wire form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }
        impl std::str::FromStr for $name {
            type Err = $crate::error::InvalidValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::error::invalid!("unknown {} {s:?}: use {}", $what, all.join(", "))
                })
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// A mutual-recognition arrangement an accreditation body can sign.
    Arrangement, "arrangement" {
        /// ILAC Mutual Recognition Arrangement (laboratories, inspection).
        Ilac = "ilac_mra",
        /// IAF Multilateral Recognition Arrangement (certification).
        Iaf = "iaf_mla",
        /// Asia Pacific Accreditation Cooperation MRA (both families).
        Apac = "apac_mra",
    }
);

wire_enum!(
    /// The scope of a signature.
    SignatureScope, "scope" {
        /// ISO/IEC 17025 testing.
        Testing = "testing",
        /// ISO/IEC 17025 calibration.
        Calibration = "calibration",
        /// ISO 15189 medical testing.
        MedicalTesting = "medical_testing",
        /// ISO/IEC 17020 inspection.
        Inspection = "inspection",
        /// ISO/IEC 17043 proficiency testing providers.
        ProficiencyTestingProviders = "proficiency_testing_providers",
        /// ISO 17034 reference material producers.
        ReferenceMaterialProducers = "reference_material_producers",
        /// ISO/IEC 17065 product certification.
        ProductCertification = "product_certification",
        /// ISO/IEC 17021-1 management systems certification, all kinds.
        ManagementSystems = "management_systems",
        /// ISO/IEC 17021-1 quality management systems (ISO 9001).
        ManagementSystemsQms = "management_systems_qms",
        /// ISO/IEC 17021-1 environmental management systems (ISO 14001).
        ManagementSystemsEms = "management_systems_ems",
        /// ISO/IEC 17021-1 food safety management systems (ISO 22000).
        ManagementSystemsFsms = "management_systems_fsms",
        /// ISO/IEC 17024 certification of persons.
        Persons = "persons",
        /// ISO/IEC 17029 validation and verification.
        ValidationVerification = "validation_verification",
    }
);

impl SignatureScope {
    /// Whether the scope belongs to the ILAC family (laboratories and inspection).
    pub fn is_ilac_family(self) -> bool {
        matches!(
            self,
            Self::Testing
                | Self::Calibration
                | Self::MedicalTesting
                | Self::Inspection
                | Self::ProficiencyTestingProviders
                | Self::ReferenceMaterialProducers
        )
    }
}

impl Arrangement {
    /// Whether `scope` can be signed under this arrangement (APAC covers both families).
    pub fn admits(self, scope: SignatureScope) -> bool {
        match self {
            Self::Ilac => scope.is_ilac_family(),
            Self::Iaf => !scope.is_ilac_family(),
            Self::Apac => true,
        }
    }
}

wire_enum!(
    /// A body's standing in an arrangement.
    SignatureStatus, "signature status" {
        /// A signatory in good standing.
        Signatory = "signatory",
        /// Suspended by the arrangement.
        Suspended = "suspended",
        /// No longer a signatory.
        Withdrawn = "withdrawn",
    }
);

wire_enum!(
    /// The standard a CAB is accredited against.
    AccreditationStandard, "accreditation standard" {
        /// Product certification bodies.
        Iso17065 = "ISO/IEC 17065",
        /// Testing and calibration laboratories.
        Iso17025 = "ISO/IEC 17025",
        /// Inspection bodies.
        Iso17020 = "ISO/IEC 17020",
        /// Management system certification bodies.
        Iso17021 = "ISO/IEC 17021-1",
    }
);

wire_enum!(
    /// An accreditation's administrative state.
    AccreditationStatus, "accreditation status" {
        /// In force within its validity.
        Active = "active",
        /// Temporarily not in force.
        Suspended = "suspended",
        /// Ended by the body.
        Withdrawn = "withdrawn",
    }
);

/// A signature as the pure functions see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The signing accreditation body.
    pub body_org_id: String,
    /// Which arrangement.
    pub arrangement: Arrangement,
    /// Which scope.
    pub scope: SignatureScope,
    /// Current standing.
    pub status: SignatureStatus,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity, if bounded.
    pub valid_until: Option<NaiveDate>,
}

/// An accreditation as the pure functions see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accreditation {
    /// Id.
    pub id: String,
    /// The accrediting body.
    pub body_org_id: String,
    /// The accredited CAB.
    pub cab_org_id: String,
    /// Standard accredited against.
    pub standard: AccreditationStandard,
    /// Normative documents in scope (TCVN, QCVN, ISO codes).
    pub scope_standards: Vec<String>,
    /// Product categories (GPC bricks) in scope; empty means not restricted by category.
    pub scope_categories: Vec<String>,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity.
    pub valid_until: NaiveDate,
    /// Administrative state.
    pub status: AccreditationStatus,
}

/// Normalises a standard's code for comparison: trimmed, inner spaces collapsed, upper case.
pub fn normalise_code(code: &str) -> String {
    code.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// The first accreditation that covers `standard` (and `category`, when the certificate names
/// one and the accreditation restricts categories) and is active on `date`.
pub fn covers<'a>(
    accreditations: &'a [Accreditation],
    standard: &str,
    category: Option<&str>,
    date: NaiveDate,
) -> Option<&'a Accreditation> {
    let wanted = normalise_code(standard);
    accreditations.iter().find(|a| {
        a.status == AccreditationStatus::Active
            && a.valid_from <= date
            && date <= a.valid_until
            && a.scope_standards
                .iter()
                .any(|s| normalise_code(s) == wanted)
            && match category {
                Some(c) if !a.scope_categories.is_empty() => {
                    a.scope_categories.iter().any(|k| k.trim() == c)
                }
                _ => true,
            }
    })
}

/// Whether `scope` is the signatory scope that recognises accreditations against `standard`.
pub fn scope_recognises(standard: AccreditationStandard, scope: SignatureScope) -> bool {
    use AccreditationStandard as A;
    use SignatureScope as S;
    match standard {
        A::Iso17025 => matches!(scope, S::Testing | S::Calibration),
        A::Iso17020 => scope == S::Inspection,
        A::Iso17065 => scope == S::ProductCertification,
        A::Iso17021 => matches!(
            scope,
            S::ManagementSystems
                | S::ManagementSystemsQms
                | S::ManagementSystemsEms
                | S::ManagementSystemsFsms
        ),
    }
}

/// The signature that makes `accreditation` internationally recognised on `date`: its body is an
/// ILAC (17025, 17020) or IAF (17065, 17021-1) signatory in good standing for the matching scope.
pub fn recognising_signature<'a>(
    signatures: &'a [Signature],
    accreditation: &Accreditation,
    date: NaiveDate,
) -> Option<&'a Signature> {
    let arrangement = match accreditation.standard {
        AccreditationStandard::Iso17025 | AccreditationStandard::Iso17020 => Arrangement::Ilac,
        AccreditationStandard::Iso17065 | AccreditationStandard::Iso17021 => Arrangement::Iaf,
    };
    signatures.iter().find(|s| {
        s.body_org_id == accreditation.body_org_id
            && s.arrangement == arrangement
            && scope_recognises(accreditation.standard, s.scope)
            && s.status == SignatureStatus::Signatory
            && s.valid_from <= date
            && s.valid_until.is_none_or(|u| date <= u)
    })
}

/// Whether `accreditation` is internationally recognised on `date`.
pub fn is_internationally_recognised(
    signatures: &[Signature],
    accreditation: &Accreditation,
    date: NaiveDate,
) -> bool {
    recognising_signature(signatures, accreditation, date).is_some()
}

/// Parses a calendar date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, InvalidValue> {
    let ok =
        s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-');
    ok.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| invalid!("{s:?} is not a date written YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    fn acc(standard: AccreditationStandard, cats: &[&str]) -> Accreditation {
        Accreditation {
            id: "a1".into(),
            body_org_id: "boa".into(),
            cab_org_id: "cab".into(),
            standard,
            scope_standards: vec!["TCVN 7087:2013".into(), "QCVN 8-2:2011/BYT".into()],
            scope_categories: cats.iter().map(|c| (*c).to_owned()).collect(),
            valid_from: d("2025-01-01"),
            valid_until: d("2027-12-31"),
            status: AccreditationStatus::Active,
        }
    }

    fn sig(arr: Arrangement, scope: SignatureScope, status: SignatureStatus) -> Signature {
        Signature {
            body_org_id: "boa".into(),
            arrangement: arr,
            scope,
            status,
            valid_from: d("2020-01-01"),
            valid_until: Some(d("2026-12-31")),
        }
    }

    #[test]
    fn coverage_needs_standard_category_date_and_active_status() {
        let a = acc(AccreditationStandard::Iso17065, &["10000025"]);
        let list = [a.clone()];
        let check = |std: &str, cat: Option<&str>, date: &str, want: bool| {
            assert_eq!(
                covers(&list, std, cat, d(date)).is_some(),
                want,
                "{std} {cat:?} {date}"
            );
        };
        check("TCVN 7087:2013", None, "2026-06-01", true);
        check(" tcvn  7087:2013 ", Some("10000025"), "2025-01-01", true);
        check("TCVN 7087:2013", Some("10000025"), "2027-12-31", true);
        check("TCVN 7087:2013", Some("10000026"), "2026-06-01", false);
        check("TCVN 7087:2013", None, "2024-12-31", false);
        check("TCVN 7087:2013", None, "2028-01-01", false);
        check("ISO 22000:2018", None, "2026-06-01", false);
        let mut suspended = a;
        suspended.status = AccreditationStatus::Suspended;
        assert!(
            covers(
                &[suspended.clone()],
                "TCVN 7087:2013",
                None,
                d("2026-06-01")
            )
            .is_none()
        );
        let open = acc(AccreditationStandard::Iso17065, &[]);
        assert!(
            covers(
                &[suspended, open],
                "TCVN 7087:2013",
                Some("1"),
                d("2026-06-01")
            )
            .is_some()
        );
        assert!(covers(&[], "TCVN 7087:2013", None, d("2026-06-01")).is_none());
    }

    #[test]
    fn recognition_follows_the_matching_arrangement_and_scope() {
        use AccreditationStandard as A;
        use Arrangement as R;
        use SignatureScope as S;
        use SignatureStatus as T;
        let on = d("2026-06-01");
        let cases: &[(A, R, S, T, bool)] = &[
            (A::Iso17025, R::Ilac, S::Testing, T::Signatory, true),
            (A::Iso17025, R::Ilac, S::Calibration, T::Signatory, true),
            (A::Iso17025, R::Ilac, S::Inspection, T::Signatory, false),
            (A::Iso17025, R::Iaf, S::Testing, T::Signatory, false),
            (A::Iso17025, R::Ilac, S::Testing, T::Suspended, false),
            (A::Iso17025, R::Ilac, S::Testing, T::Withdrawn, false),
            (A::Iso17020, R::Ilac, S::Inspection, T::Signatory, true),
            (
                A::Iso17065,
                R::Iaf,
                S::ProductCertification,
                T::Signatory,
                true,
            ),
            (
                A::Iso17065,
                R::Apac,
                S::ProductCertification,
                T::Signatory,
                false,
            ),
            (
                A::Iso17065,
                R::Iaf,
                S::ManagementSystems,
                T::Signatory,
                false,
            ),
            (
                A::Iso17021,
                R::Iaf,
                S::ManagementSystemsQms,
                T::Signatory,
                true,
            ),
            (
                A::Iso17021,
                R::Iaf,
                S::ProductCertification,
                T::Signatory,
                false,
            ),
        ];
        for (std, arr, scope, status, want) in cases {
            let a = acc(*std, &[]);
            let sigs = [sig(*arr, *scope, *status)];
            assert_eq!(
                is_internationally_recognised(&sigs, &a, on),
                *want,
                "{std:?} {arr:?} {scope:?} {status:?}"
            );
        }
        let a = acc(A::Iso17025, &[]);
        let sigs = [sig(R::Ilac, S::Testing, T::Signatory)];
        assert!(!is_internationally_recognised(&sigs, &a, d("2019-12-31")));
        assert!(!is_internationally_recognised(&sigs, &a, d("2027-01-01")));
        let mut other = sigs[0].clone();
        other.body_org_id = "elsewhere".into();
        assert!(!is_internationally_recognised(&[other], &a, on));
    }

    #[test]
    fn dates_and_wire_values_parse_or_say_why() {
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2026-2-1").is_err());
        assert_eq!(
            parse_date("2026-11-22").map(|d| d.to_string()),
            Ok("2026-11-22".into())
        );
        assert_eq!("ilac_mra".parse::<Arrangement>(), Ok(Arrangement::Ilac));
        assert!("ISO/IEC 17021".parse::<AccreditationStandard>().is_err());
        assert!(Arrangement::Ilac.admits(SignatureScope::Testing));
        assert!(!Arrangement::Iaf.admits(SignatureScope::Testing));
        assert!(Arrangement::Apac.admits(SignatureScope::Persons));
    }
}
