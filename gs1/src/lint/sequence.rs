//! "n of total" linters: `pieceoftotal` (fixed-width PPTT) and `posinseqslash` (`pos/end`).

use super::cset::csetnumeric;
use super::{LintError, LintErrorKind, LintResult};

/// `pieceoftotal`: a piece number and a total of equal width, both non-zero, piece ≤ total.
pub(crate) fn pieceoftotal(value: &[u8]) -> LintResult {
    csetnumeric(value)?;
    let len = value.len();
    if len == 0 || len % 2 != 0 {
        return Err(LintError::new(
            LintErrorKind::InvalidLengthForPieceOfTotal,
            0,
            len,
        ));
    }
    let half = len / 2;
    let (piece, total) = value.split_at(half);
    let is_zero = |digits: &[u8]| digits.iter().all(|&c| c == b'0');
    if is_zero(piece) {
        return Err(LintError::new(LintErrorKind::ZeroPieceNumber, 0, half));
    }
    if is_zero(total) {
        return Err(LintError::new(LintErrorKind::ZeroTotalPieces, half, half));
    }
    // Equal-width digit strings compare numerically as they compare byte-wise.
    if piece > total {
        return Err(LintError::new(
            LintErrorKind::PieceNumberExceedsTotal,
            0,
            len,
        ));
    }
    Ok(())
}

/// `posinseqslash`: `pos/end`, both non-empty digit strings without a leading zero, pos ≤ end.
pub(crate) fn posinseqslash(value: &[u8]) -> LintResult {
    let len = value.len();
    let malformed = LintError::new(LintErrorKind::PositionInSequenceMalformed, 0, len);
    let slash = value.iter().position(|c| !c.is_ascii_digit());
    let Some(slash) = slash.filter(|&s| s > 0 && value[s] == b'/') else {
        return Err(malformed);
    };
    let (pos, end) = (&value[..slash], &value[slash + 1..]);
    if end.is_empty() || !end.iter().all(u8::is_ascii_digit) {
        return Err(malformed);
    }
    if pos[0] == b'0' {
        return Err(LintError::new(LintErrorKind::IllegalZeroPrefix, 0, slash));
    }
    if end[0] == b'0' {
        return Err(LintError::new(
            LintErrorKind::IllegalZeroPrefix,
            slash + 1,
            end.len(),
        ));
    }
    // Without leading zeros the longer number is the larger; equal widths compare byte-wise.
    if (pos.len(), pos) > (end.len(), end) {
        return Err(LintError::new(LintErrorKind::PositionExceedsEnd, 0, len));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces() {
        assert!(pieceoftotal(b"0102").is_ok());
        assert!(pieceoftotal(b"0202").is_ok());
        assert_eq!(
            pieceoftotal(b"0302"),
            Err(LintError::new(LintErrorKind::PieceNumberExceedsTotal, 0, 4))
        );
        assert_eq!(
            pieceoftotal(b"0100"),
            Err(LintError::new(LintErrorKind::ZeroTotalPieces, 2, 2))
        );
        assert_eq!(
            pieceoftotal(b"010"),
            Err(LintError::new(
                LintErrorKind::InvalidLengthForPieceOfTotal,
                0,
                3
            ))
        );
    }

    #[test]
    fn positions() {
        assert!(posinseqslash(b"1/1").is_ok());
        assert!(posinseqslash(b"9/10").is_ok());
        assert_eq!(
            posinseqslash(b"10/9"),
            Err(LintError::new(LintErrorKind::PositionExceedsEnd, 0, 4))
        );
        assert_eq!(
            posinseqslash(b"1/01"),
            Err(LintError::new(LintErrorKind::IllegalZeroPrefix, 2, 2))
        );
        assert!(posinseqslash(b"/1").is_err());
        assert!(posinseqslash(b"1/").is_err());
        assert!(posinseqslash(b"1/2/3").is_err());
    }
}
