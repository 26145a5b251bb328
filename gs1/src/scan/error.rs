//! Why scanned data, or a request to render it, was refused.

use crate::element::ElementError;

/// Why scanned data, or a request to render it for a symbology, was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// Scanner output must start with a symbology identifier `]Xn`.
    #[error("missing symbology identifier: scanner output starts with ']' and two characters")]
    MissingSymbologyId,
    /// The symbology identifier is not one GS1 data is carried in.
    #[error("unsupported symbology identifier {0:?}")]
    UnsupportedSymbologyId(String),
    /// EAN/UPC primary data is shorter than the symbology carries.
    #[error("primary scan data is too short: {symbology} carries {expected} digits")]
    PrimaryTooShort {
        /// The symbology.
        symbology: &'static str,
        /// Digits it carries.
        expected: usize,
    },
    /// EAN/UPC primary data is longer than the symbology carries.
    #[error("primary message is too long: {symbology} carries {expected} digits")]
    PrimaryTooLong {
        /// The symbology.
        symbology: &'static str,
        /// Digits it carries.
        expected: usize,
    },
    /// EAN/UPC primary data holds a non-digit.
    #[error("primary message may only contain digits")]
    PrimaryNotDigits,
    /// EAN/UPC primary data has a wrong check digit.
    #[error("primary message check digit is incorrect, expected {expected}")]
    PrimaryCheckDigit {
        /// The correct check digit.
        expected: char,
    },
    /// The primary value is too large for GS1 DataBar Limited (it must start with 0 or 1).
    #[error("primary data is too large for GS1 DataBar Limited")]
    PrimaryTooLarge,
    /// A `^` in scanned GS1 data, where it would be taken for FNC1.
    #[error("scan data contains an illegal '^' character")]
    IllegalCaret,
    /// The symbology cannot carry this kind of data (e.g. plain data in GS1-128).
    #[error("{symbology} cannot carry this data: {reason}")]
    Unrenderable {
        /// The symbology.
        symbology: &'static str,
        /// Why not.
        reason: &'static str,
    },
    /// The GS1 element data is invalid.
    #[error(transparent)]
    Element(#[from] ElementError),
    /// The Digital Link URI is invalid.
    #[error("invalid GS1 Digital Link URI: {0}")]
    DigitalLink(String),
}
