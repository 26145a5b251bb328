//! Drawing a [`Layout`](crate::Layout): SVG and PDF as vectors in millimetres, PNG at a printer's
//! resolution with modules snapped to whole pixels.

mod pdf;
mod png;
mod svg;

pub use pdf::{PageSpec, SheetWriter, fits, pdf};
pub use png::{Bitmap, pixels_per_module, png, raster};
pub use svg::svg;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `image/svg+xml`.
    Svg,
    /// `image/png`.
    Png,
    /// `application/pdf`.
    Pdf,
}

impl Format {
    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }
}

/// A format name we do not write.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: use svg, png or pdf")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "svg" => Ok(Self::Svg),
            "png" => Ok(Self::Png),
            "pdf" => Ok(Self::Pdf),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// Millimetres in a PostScript point.
pub(crate) const MM_PER_PT: f64 = 25.4 / 72.0;

/// A number for a vector file: at most three decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}
