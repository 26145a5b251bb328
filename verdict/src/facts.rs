//! What the resolver loads about a scanned code before judging it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A product's registry status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// On the market.
    Active,
    /// No longer made; its GTIN is never reissued.
    Discontinued,
}

/// A certificate's stored status (expiry is judged from its date).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Valid unless expired.
    Valid,
    /// Suspended by its CAB.
    Suspended,
    /// Withdrawn by its CAB; final.
    Withdrawn,
}

/// Whether the issuing CAB was accredited for the certificate's scope on its issue date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccreditationAtIssue {
    /// Accredited; `internationally_recognised` when its accreditation body signed the ILAC or
    /// IAF arrangement for that scope on that date.
    Accredited {
        /// The accreditation body is an ILAC/IAF signatory for the scope.
        internationally_recognised: bool,
    },
    /// Issued without a covering accreditation, and declared so by the CAB.
    DeclaredUnaccredited,
    /// No covering accreditation was found (e.g. it lapsed before the issue date).
    NotAccredited,
}

/// A certificate covering the product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFacts {
    /// Its number.
    pub number: String,
    /// Stored status.
    pub status: CertificateStatus,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Expiry date, if it has one.
    pub expiry: Option<NaiveDate>,
    /// Accreditation of the issuing CAB at the issue date.
    pub accreditation: AccreditationAtIssue,
}

/// Kind of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The product (or lots) must be taken off the market.
    Recall,
    /// A warning about a hazard, e.g. notified by a WTO member.
    SafetyWarning,
}

/// An active alert on the GTIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFacts {
    /// Its title or reference.
    pub title: String,
    /// Recall or safety warning.
    pub kind: AlertKind,
    /// Lots concerned; empty means every lot.
    pub lots: Vec<String>,
}

/// A serialised item's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SerialState {
    /// Made and registered.
    Commissioned,
    /// Left the producer.
    Shipped,
    /// Sold or dispensed to a consumer.
    SoldDispensed,
    /// Taken out of use.
    Decommissioned,
    /// Recalled.
    Recalled,
    /// Destroyed.
    Destroyed,
}

/// A lot this product was made from (through EPCIS transformations, any number of steps up)
/// that is under recall: a recall flows downstream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamRecall {
    /// The input's GTIN.
    pub gtin: String,
    /// The input's lot, when the transformation named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// The recall's title or reference.
    pub title: String,
}

/// Where the item was scanned, against where its recorded journey went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whereabouts {
    /// The scan's country (ISO 3166-1 alpha-2).
    pub scanned_in: String,
    /// The countries the journey's steps took place in; empty when none is known.
    pub journey_countries: Vec<String>,
}

/// Outcome of an inspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionOutcome {
    /// Conforms.
    Compliant,
    /// Does not conform.
    NonCompliant,
    /// Looks counterfeit.
    SuspectedCounterfeit,
}

/// An inspection of the product (or its lot or serial).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionFacts {
    /// Outcome.
    pub outcome: InspectionOutcome,
    /// When.
    pub at: NaiveDateTime,
    /// Where.
    pub place: String,
}

/// What public scans of the same serial show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanPattern {
    /// Distinct coarse places the serial was scanned from within the window.
    pub distinct_places: u32,
    /// The window, in hours.
    pub window_hours: u32,
}

/// Everything known about one scan. `registered` is false for a valid code nobody registered;
/// `invalid` carries the parser's reason for a code that is not valid GS1 data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The judging moment.
    pub now: NaiveDateTime,
    /// The parser's refusal, if the code is not valid GS1 data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The product, if registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductStatus>,
    /// For a key other than a GTIN (SSCC, GLN): the organisation it was issued to, if it was
    /// issued under a company prefix licensed here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_holder: Option<String>,
    /// The lot in the code, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// The expiry date (AI 17) in the code, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<NaiveDate>,
    /// Whether the code named a serial, and that serial's state if it is known.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub serial: Option<Option<SerialState>>,
    /// When the serial reached its state, if an EPCIS event set it (its event time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_since: Option<NaiveDateTime>,
    /// Recalled lots this product's lot or item was made from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream_recalls: Vec<UpstreamRecall>,
    /// The scan's country against the journey's, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whereabouts: Option<Whereabouts>,
    /// Certificates covering the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<CertificateFacts>,
    /// Active alerts on the GTIN.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<AlertFacts>,
    /// Inspections, latest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspections: Vec<InspectionFacts>,
    /// Scan pattern of the serial.
    #[serde(default)]
    pub scans: ScanPattern,
    /// Set when the facts come from a status pack rather than the live registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline: Option<Offline>,
}

/// Facts read from a status pack: how old the pack is and when it counts as stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offline {
    /// When the pack was issued (UTC).
    pub as_of: NaiveDateTime,
    /// A pack older than this many hours at `now` is stale.
    pub stale_after_hours: u32,
}

impl Facts {
    /// Facts for a registered, active product with nothing else known yet.
    pub fn registered(now: NaiveDateTime) -> Self {
        Self {
            now,
            invalid: None,
            product: Some(ProductStatus::Active),
            key_holder: None,
            lot: None,
            expiry: None,
            serial: None,
            serial_since: None,
            upstream_recalls: Vec::new(),
            whereabouts: None,
            certificates: Vec::new(),
            alerts: Vec::new(),
            inspections: Vec::new(),
            scans: ScanPattern::default(),
            offline: None,
        }
    }
}

/// `Option<Option<T>>` as a field that may be absent (`None`), `null` (`Some(None)`) or a value:
/// "the code named no serial" and "it named one nobody commissioned" must stay apart in a file.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
