//! Barcode symbologies that carry GS1 data, and their ISO/IEC 15424 symbology identifiers.

use std::{fmt, str::FromStr};

/// A barcode symbology that can carry GS1 data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Symbology {
    /// No symbology chosen.
    None,
    /// GS1 DataBar Omnidirectional.
    DataBarOmni,
    /// GS1 DataBar Truncated.
    DataBarTruncated,
    /// GS1 DataBar Stacked.
    DataBarStacked,
    /// GS1 DataBar Stacked Omnidirectional.
    DataBarStackedOmni,
    /// GS1 DataBar Limited.
    DataBarLimited,
    /// GS1 DataBar Expanded (and Expanded Stacked).
    DataBarExpanded,
    /// UPC-A.
    UpcA,
    /// UPC-E.
    UpcE,
    /// EAN-13.
    Ean13,
    /// EAN-8.
    Ean8,
    /// GS1-128 with a CC-A or CC-B composite.
    Gs1_128Cca,
    /// GS1-128 with a CC-C composite.
    Gs1_128Ccc,
    /// QR Code (GS1 QR Code in GS1 mode).
    Qr,
    /// Data Matrix (GS1 DataMatrix in GS1 mode).
    DataMatrix,
    /// DotCode (GS1 DotCode in GS1 mode).
    DotCode,
}

const NAMES: &[(Symbology, &str)] = &[
    (Symbology::None, "NONE"),
    (Symbology::DataBarOmni, "DataBarOmni"),
    (Symbology::DataBarTruncated, "DataBarTruncated"),
    (Symbology::DataBarStacked, "DataBarStacked"),
    (Symbology::DataBarStackedOmni, "DataBarStackedOmni"),
    (Symbology::DataBarLimited, "DataBarLimited"),
    (Symbology::DataBarExpanded, "DataBarExpanded"),
    (Symbology::UpcA, "UPCA"),
    (Symbology::UpcE, "UPCE"),
    (Symbology::Ean13, "EAN13"),
    (Symbology::Ean8, "EAN8"),
    (Symbology::Gs1_128Cca, "GS1_128_CCA"),
    (Symbology::Gs1_128Ccc, "GS1_128_CCC"),
    (Symbology::Qr, "QR"),
    (Symbology::DataMatrix, "DM"),
    (Symbology::DotCode, "DotCode"),
];

impl Symbology {
    /// The name used by GS1's Barcode Syntax Engine, e.g. `"DM"`.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("NONE", |(_, n)| n)
    }

    /// The symbology a scanner's identifier (`]d2`, `]Q1`, `]E0`...) denotes, and whether the
    /// data that follows is GS1 element data (FNC1 in first position).
    pub fn from_identifier(id: &str) -> Option<(Self, bool)> {
        Some(match id {
            "C1" => (Self::Gs1_128Cca, true),
            "E0" => (Self::Ean13, false),
            "E4" => (Self::Ean8, false),
            "e0" => (Self::DataBarExpanded, true),
            "d1" => (Self::DataMatrix, false),
            "d2" => (Self::DataMatrix, true),
            "Q1" => (Self::Qr, false),
            "Q3" => (Self::Qr, true),
            "J0" => (Self::DotCode, false),
            "J1" => (Self::DotCode, true),
            _ => return None,
        })
    }

    /// The identifier (without `]`) a scanner sends for this symbology, for GS1 or plain data.
    pub fn identifier(self, gs1_data: bool) -> Option<&'static str> {
        Some(match (self, gs1_data) {
            (Self::Gs1_128Cca | Self::Gs1_128Ccc, true) => "C1",
            (Self::Ean13 | Self::UpcA | Self::UpcE, _) => "E0",
            (Self::Ean8, _) => "E4",
            (Self::DataBarExpanded, true) => "e0",
            (
                Self::DataBarOmni
                | Self::DataBarTruncated
                | Self::DataBarStacked
                | Self::DataBarStackedOmni
                | Self::DataBarLimited,
                _,
            ) => "e0",
            (Self::DataMatrix, false) => "d1",
            (Self::DataMatrix, true) => "d2",
            (Self::Qr, false) => "Q1",
            (Self::Qr, true) => "Q3",
            (Self::DotCode, false) => "J0",
            (Self::DotCode, true) => "J1",
            _ => return None,
        })
    }
}

impl fmt::Display for Symbology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A symbology name that none of ours carries.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown symbology {0:?}")]
pub struct UnknownSymbology(pub String);

impl FromStr for Symbology {
    type Err = UnknownSymbology;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(s, _)| *s)
            .ok_or_else(|| UnknownSymbology(s.to_owned()))
    }
}
