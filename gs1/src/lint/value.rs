//! Linters on the value of short fields: `nonzero`, `zero`, `nozeroprefix`, `yesno` and
//! `winding`.

use super::cset::csetnumeric;
use super::{LintError, LintErrorKind, LintResult};

/// `nonzero`: digits, not all zero.
pub(crate) fn nonzero(value: &[u8]) -> LintResult {
    csetnumeric(value)?;
    if value.iter().all(|&c| c == b'0') {
        return Err(LintError::new(
            LintErrorKind::IllegalZeroValue,
            0,
            value.len(),
        ));
    }
    Ok(())
}

/// `zero`: one or more `0` characters and nothing else.
pub(crate) fn zero(value: &[u8]) -> LintResult {
    if value.is_empty() || value.iter().any(|&c| c != b'0') {
        return Err(LintError::new(LintErrorKind::NotZero, 0, value.len()));
    }
    Ok(())
}

/// `nozeroprefix`: digits without a leading `0`.
pub(crate) fn nozeroprefix(value: &[u8]) -> LintResult {
    // A leading zero is reported even when a later character is not a digit.
    if value.first() == Some(&b'0') {
        return Err(LintError::new(LintErrorKind::IllegalZeroPrefix, 0, 1));
    }
    csetnumeric(value)
}

/// `yesno`: `0` (no) or `1` (yes).
pub(crate) fn yesno(value: &[u8]) -> LintResult {
    match value {
        b"0" | b"1" => Ok(()),
        _ => Err(LintError::new(LintErrorKind::NotZeroOrOne, 0, value.len())),
    }
}

/// `winding`: roll winding direction `0` (face out), `1` (face in) or `9` (undetermined).
pub(crate) fn winding(value: &[u8]) -> LintResult {
    match value {
        b"0" | b"1" | b"9" => Ok(()),
        _ => Err(LintError::new(
            LintErrorKind::InvalidWindingDirection,
            0,
            value.len(),
        )),
    }
}
