//! The symbologies GS1 uses, and their geometry by the GS1 General Specifications (the figures
//! and their sources are in `../shared/reference/labels/README.md`).

use std::{fmt, str::FromStr};

/// A symbology we print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// EAN-13: a GTIN-13 (or a GTIN-12 with a leading zero) at retail point of sale.
    Ean13,
    /// EAN-8: a GTIN-8.
    Ean8,
    /// UPC-A: a GTIN-12.
    UpcA,
    /// ITF-14 with bearer bars: a GTIN-14 (or shorter, zero-padded) on outer cases.
    Itf14,
    /// GS1-128: any GS1 element string, FNC1 first.
    Gs1_128,
    /// GS1 DataMatrix (ECC 200, FNC1 first): a GS1 element string.
    Gs1DataMatrix,
    /// GS1 QR Code (FNC1 first): a GS1 element string.
    Gs1Qr,
    /// DataMatrix carrying a GS1 Digital Link URI as plain data.
    DataMatrix,
    /// QR Code carrying a GS1 Digital Link URI as plain data.
    Qr,
}

/// The names accepted on the command line and in URLs, and printed back.
const NAMES: [(Symbology, &str); 9] = [
    (Symbology::Ean13, "ean13"),
    (Symbology::Ean8, "ean8"),
    (Symbology::UpcA, "upca"),
    (Symbology::Itf14, "itf14"),
    (Symbology::Gs1_128, "gs1-128"),
    (Symbology::Gs1DataMatrix, "gs1-datamatrix"),
    (Symbology::Gs1Qr, "gs1-qr"),
    (Symbology::DataMatrix, "datamatrix"),
    (Symbology::Qr, "qr"),
];

/// A symbology name we do not print.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown symbology {0:?}: use ean13, ean8, upca, itf14, gs1-128, gs1-datamatrix, gs1-qr, datamatrix or qr"
)]
pub struct UnknownSymbology(pub String);

impl FromStr for Symbology {
    type Err = UnknownSymbology;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(sym, _)| *sym)
            .ok_or_else(|| UnknownSymbology(s.to_owned()))
    }
}

impl fmt::Display for Symbology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NAMES
            .iter()
            .find(|(s, _)| s == self)
            .map_or("?", |(_, n)| n);
        f.write_str(name)
    }
}

/// How big a symbology may be printed and what space it needs around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    /// Smallest X-dimension, mm.
    pub x_min_mm: f64,
    /// Default X-dimension, mm (the nominal one where GS1 names it).
    pub x_default_mm: f64,
    /// Largest X-dimension, mm.
    pub x_max_mm: f64,
    /// Quiet zone left (or all around for 2D), in modules.
    pub quiet_left: u32,
    /// Quiet zone right, in modules.
    pub quiet_right: u32,
    /// Linear symbols: bar height at the default X-dimension, mm; it scales with X for EAN/UPC
    /// and is a minimum for ITF-14 and GS1-128.
    pub bar_height_mm: f64,
    /// Whether the bar height scales with the X-dimension (EAN/UPC) or is a fixed minimum.
    pub height_scales: bool,
}

impl Symbology {
    /// Every symbology, in a fixed order.
    pub const ALL: [Symbology; 9] = [
        Symbology::Ean13,
        Symbology::Ean8,
        Symbology::UpcA,
        Symbology::Itf14,
        Symbology::Gs1_128,
        Symbology::Gs1DataMatrix,
        Symbology::Gs1Qr,
        Symbology::DataMatrix,
        Symbology::Qr,
    ];

    /// Whether it is a 2D matrix symbol.
    pub fn is_matrix(self) -> bool {
        matches!(
            self,
            Self::Gs1DataMatrix | Self::Gs1Qr | Self::DataMatrix | Self::Qr
        )
    }

    /// The symbology identifier a scanner sends before the data (ISO/IEC 15424).
    pub fn identifier(self) -> &'static str {
        match self {
            Self::Ean13 | Self::UpcA => "]E0",
            Self::Ean8 => "]E4",
            Self::Itf14 => "]I1",
            Self::Gs1_128 => "]C1",
            Self::Gs1DataMatrix => "]d2",
            Self::Gs1Qr => "]Q3",
            Self::DataMatrix => "]d1",
            Self::Qr => "]Q1",
        }
    }

    /// Size rules. EAN/UPC: GenSpecs 5.2.3.4 (nominal X 0.330 mm, bars 22.85 mm high at it);
    /// ITF-14 and GS1-128 as logistic symbols: X 0.495–1.016 mm, bars at least 31.75 mm, 10X
    /// quiet zones; DataMatrix 1X and QR 4X quiet zones. The 2D X-dimension ranges are marked
    /// "to confirm" in the reference: we allow 0.255–0.990 mm for DataMatrix and 0.255–1.500 mm
    /// for QR until GenSpecs table 5.12 is checked.
    pub fn geometry(self) -> Geometry {
        let ean = |left, right, height| Geometry {
            x_min_mm: 0.264,
            x_default_mm: 0.330,
            x_max_mm: 0.660,
            quiet_left: left,
            quiet_right: right,
            bar_height_mm: height,
            height_scales: true,
        };
        let logistic = Geometry {
            x_min_mm: 0.495,
            x_default_mm: 0.495,
            x_max_mm: 1.016,
            quiet_left: 10,
            quiet_right: 10,
            bar_height_mm: 31.75,
            height_scales: false,
        };
        let matrix = |quiet, max| Geometry {
            x_min_mm: 0.255,
            x_default_mm: 0.5,
            x_max_mm: max,
            quiet_left: quiet,
            quiet_right: quiet,
            bar_height_mm: 0.0,
            height_scales: false,
        };
        match self {
            Self::Ean13 => ean(11, 7, 22.85),
            Self::Ean8 => ean(7, 7, 18.23),
            Self::UpcA => ean(9, 9, 22.85),
            Self::Itf14 | Self::Gs1_128 => logistic,
            Self::Gs1DataMatrix | Self::DataMatrix => matrix(1, 0.990),
            Self::Gs1Qr | Self::Qr => matrix(4, 1.5),
        }
    }
}
