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
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// [`num`] appended to `out`; whole numbers, most of a symbol's coordinates, without
/// formatting a float.
pub(crate) fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write;
    let milli = (v * 1000.0).round();
    if milli == 0.0 {
        out.push('0');
        return;
    }
    if milli % 1000.0 == 0.0 && milli.abs() < 1e15 {
        let _ = write!(out, "{}", (milli / 1000.0) as i64);
        return;
    }
    let start = out.len();
    let _ = write!(out, "{:.3}", milli / 1000.0);
    let trimmed = out[start..].trim_end_matches('0').len();
    out.truncate(start + trimmed);
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        for (v, s) in [
            (0.0, "0"),
            (-0.0001, "0"),
            (12.0, "12"),
            (-3.0, "-3"),
            (4.75, "4.75"),
            (0.1234, "0.123"),
            (69.242424, "69.242"),
            (2.9999, "3"),
        ] {
            assert_eq!(num(v), s, "{v}");
        }
    }
}
