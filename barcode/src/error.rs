//! Why a symbol could not be made or drawn.

use crate::Symbology;

/// Why a symbol could not be made from a value, or drawn at a size.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LabelError {
    /// The symbology cannot carry this kind of data at all.
    #[error("{symbology} cannot carry {what}")]
    NotCarried {
        /// The symbology asked for.
        symbology: Symbology,
        /// What was offered, e.g. "a GS1 Digital Link URI".
        what: &'static str,
    },
    /// EAN/UPC carry a GTIN and nothing else.
    #[error("{symbology} carries only the GTIN (AI 01), not AI {ai}")]
    OnlyGtin {
        /// The symbology asked for.
        symbology: Symbology,
        /// The first other AI.
        ai: String,
    },
    /// The GTIN is of another length or has an indicator digit.
    #[error("{symbology} cannot carry the GTIN {gtin}: {why}")]
    GtinFormat {
        /// The symbology asked for.
        symbology: Symbology,
        /// The GTIN.
        gtin: String,
        /// Why, e.g. "a GTIN-14 with indicator digit 1 needs ITF-14 or GS1-128".
        why: &'static str,
    },
    /// GS1-128 carries at most 48 data characters (GenSpecs 5.4.4.2).
    #[error("GS1-128 carries at most 48 data characters; this has {count}")]
    TooManyCharacters {
        /// Data characters, FNC1 separators included.
        count: usize,
    },
    /// GS1-128 is at most 165.10 mm long with its quiet zones (GenSpecs 5.4.4.3).
    #[error("GS1-128 would be {length_mm:.1} mm long with its quiet zones; the limit is 165.1 mm")]
    TooLong {
        /// The length at the asked X-dimension.
        length_mm: f64,
    },
    /// The X-dimension is outside the symbology's range.
    #[error("X-dimension {x_mm} mm is outside {symbology}'s range {min_mm}–{max_mm} mm")]
    XDimension {
        /// The symbology.
        symbology: Symbology,
        /// Asked for.
        x_mm: f64,
        /// Smallest allowed.
        min_mm: f64,
        /// Largest allowed.
        max_mm: f64,
    },
    /// At this resolution a module would be printed too far from the asked X-dimension.
    #[error(
        "X-dimension {x_mm} mm cannot be printed at {dpi} dpi within 10%: the nearest is {printed_mm:.3} mm ({pixels} px)"
    )]
    Resolution {
        /// Asked for.
        x_mm: f64,
        /// The printer's resolution.
        dpi: u32,
        /// What whole pixels give.
        printed_mm: f64,
        /// Pixels per module.
        pixels: u32,
    },
    /// The 2D encoder refused the data (too long for any symbol size).
    #[error("{symbology} cannot encode this data: {reason}")]
    Encoder {
        /// The symbology.
        symbology: Symbology,
        /// The encoder's reason.
        reason: String,
    },
}
