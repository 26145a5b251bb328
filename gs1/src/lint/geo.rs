//! Coordinate linters: `latitude` and `longitude` as 10-digit encoded WGS84 values.

use super::cset::csetnumeric;
use super::{LintError, LintErrorKind, LintResult};

/// Encoded coordinates are exactly this many digits.
const COORDINATE_DIGITS: usize = 10;

/// Checks a 10-digit encoded coordinate against its upper bound.
fn coordinate(
    value: &[u8],
    max: u64,
    bad_length: LintErrorKind,
    out_of_range: LintErrorKind,
) -> LintResult {
    if value.len() != COORDINATE_DIGITS {
        return Err(LintError::new(bad_length, 0, value.len()));
    }
    csetnumeric(value)?;
    let n = value
        .iter()
        .fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
    if n > max {
        return Err(LintError::new(out_of_range, 0, COORDINATE_DIGITS));
    }
    Ok(())
}

/// `latitude`: (latitude + 90) × 10⁷, so 0000000000 to 1800000000.
pub(crate) fn latitude(value: &[u8]) -> LintResult {
    coordinate(
        value,
        1_800_000_000,
        LintErrorKind::LatitudeInvalidLength,
        LintErrorKind::InvalidLatitude,
    )
}

/// `longitude`: (longitude + 180) × 10⁷ modulo 360 × 10⁷, so 0000000000 to 3600000000.
pub(crate) fn longitude(value: &[u8]) -> LintResult {
    coordinate(
        value,
        3_600_000_000,
        LintErrorKind::LongitudeInvalidLength,
        LintErrorKind::InvalidLongitude,
    )
}
