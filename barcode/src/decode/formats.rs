//! The barcode formats GS1 uses, their names on a command line, and rxing's names for them.

use std::{fmt, str::FromStr};

use rxing::BarcodeFormat;

/// The barcode formats GS1 uses; every one is on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// EAN-13.
    Ean13,
    /// EAN-8.
    Ean8,
    /// UPC-A.
    UpcA,
    /// UPC-E.
    UpcE,
    /// Interleaved 2 of 5 (ITF-14 when it carries 14 digits).
    Itf,
    /// Code 128 (GS1-128 when it starts with FNC1).
    Code128,
    /// GS1 DataBar Omnidirectional (and Truncated, Stacked).
    DataBar,
    /// GS1 DataBar Expanded (and Expanded Stacked).
    DataBarExpanded,
    /// GS1 DataBar Limited: rxing 0.9 has no reader for it, so asking for it finds nothing.
    DataBarLimited,
    /// Data Matrix (GS1 DataMatrix when it starts with FNC1).
    DataMatrix,
    /// QR Code (GS1 QR Code when it starts with FNC1).
    QrCode,
}

impl Format {
    /// Every format, in the order `name` lists them.
    pub const ALL: &'static [Format] = &[
        Format::Ean13,
        Format::Ean8,
        Format::UpcA,
        Format::UpcE,
        Format::Itf,
        Format::Code128,
        Format::DataBar,
        Format::DataBarExpanded,
        Format::DataBarLimited,
        Format::DataMatrix,
        Format::QrCode,
    ];

    /// The format's name on a command line, e.g. `ean-13` or `qr`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ean13 => "ean-13",
            Format::Ean8 => "ean-8",
            Format::UpcA => "upc-a",
            Format::UpcE => "upc-e",
            Format::Itf => "itf",
            Format::Code128 => "code-128",
            Format::DataBar => "databar",
            Format::DataBarExpanded => "databar-expanded",
            Format::DataBarLimited => "databar-limited",
            Format::DataMatrix => "datamatrix",
            Format::QrCode => "qr",
        }
    }

    /// rxing's format, or `None` for DataBar Limited, which rxing 0.9 cannot read.
    pub(crate) fn rxing(self) -> Option<BarcodeFormat> {
        Some(match self {
            Format::Ean13 => BarcodeFormat::EAN_13,
            Format::Ean8 => BarcodeFormat::EAN_8,
            Format::UpcA => BarcodeFormat::UPC_A,
            Format::UpcE => BarcodeFormat::UPC_E,
            Format::Itf => BarcodeFormat::ITF,
            Format::Code128 => BarcodeFormat::CODE_128,
            Format::DataBar => BarcodeFormat::RSS_14,
            Format::DataBarExpanded => BarcodeFormat::RSS_EXPANDED,
            Format::DataBarLimited => return None,
            Format::DataMatrix => BarcodeFormat::DATA_MATRIX,
            Format::QrCode => BarcodeFormat::QR_CODE,
        })
    }

    /// Ours for rxing's format, if it is one GS1 uses.
    pub(crate) fn from_rxing(f: BarcodeFormat) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|ours| ours.rxing() == Some(f))
    }

    /// Whether rxing reads it from one scan line (EAN/UPC, ITF, Code 128).
    pub(crate) fn is_row_read(self) -> bool {
        matches!(
            self,
            Format::Ean13
                | Format::Ean8
                | Format::UpcA
                | Format::UpcE
                | Format::Itf
                | Format::Code128
        )
    }

    /// Whether a read must be confirmed on a second scan line (see `confirm`).
    pub(crate) fn needs_second_line(self) -> bool {
        matches!(self, Format::Ean8 | Format::UpcE | Format::Itf)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of `Format::ALL`'s.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown barcode format {0:?}: expected one of {names}", names = names())]
pub struct UnknownFormat(pub String);

fn names() -> String {
    Format::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_lists_them() {
        for &f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.name());
        }
        let err = "pdf417".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.contains("pdf417") && err.contains("databar-expanded"),
            "{err}"
        );
    }

    #[test]
    fn every_readable_format_maps_back() {
        for &f in Format::ALL {
            if let Some(r) = f.rxing() {
                assert_eq!(Format::from_rxing(r), Some(f));
            }
        }
    }
}
