//! Why a string is not a valid GS1 key, and why a key cannot be allocated under a company prefix.

/// Why a string is not a valid GS1 key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key has the wrong number of digits.
    #[error("{key} must have {expected} digits, got {got}")]
    Length {
        /// Which key, e.g. "GLN".
        key: &'static str,
        /// The accepted lengths, e.g. "13" or "8, 12, 13 or 14".
        expected: &'static str,
        /// The length that was given.
        got: usize,
    },
    /// The key holds a character that is not a digit.
    #[error("{key} must be digits only, found {found:?} at position {position}")]
    NonDigit {
        /// Which key.
        key: &'static str,
        /// The offending character.
        found: char,
        /// Its 1-based position.
        position: usize,
    },
    /// The check digit does not match the rest of the key.
    #[error("{key} check digit is {found}, expected {expected}")]
    CheckDigit {
        /// Which key.
        key: &'static str,
        /// The check digit given.
        found: char,
        /// The correct check digit.
        expected: char,
    },
    /// A text key (serial number, lot) is empty or longer than its maximum.
    #[error("{key} must have 1 to {max} characters, got {got}")]
    TextLength {
        /// Which key, e.g. "serial number".
        key: &'static str,
        /// The most characters allowed.
        max: usize,
        /// The number of characters given.
        got: usize,
    },
    /// A text key holds a character outside GS1 character set 82.
    #[error("{key} may only use GS1 character set 82, found {found:?} at position {position}")]
    Character {
        /// Which key.
        key: &'static str,
        /// The offending character.
        found: char,
        /// Its 1-based position, counted in characters.
        position: usize,
    },
}

/// Why a reference number or digit cannot be turned into a key under a GS1 Company Prefix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocationError {
    /// The reference number needs more digits than the company prefix leaves free.
    #[error("{what} {reference} does not fit company prefix {prefix}, which holds 0 to {max}")]
    OutOfRange {
        /// Which reference, e.g. "item reference".
        what: &'static str,
        /// The reference number that was asked for.
        reference: u64,
        /// The company prefix.
        prefix: super::CompanyPrefix,
        /// The largest reference number the prefix holds.
        max: u64,
    },
    /// A GTIN-14 indicator digit outside 1 to 8 (9 is kept for variable measure items).
    #[error("indicator digit must be 1 to 8, got {0}")]
    Indicator(u8),
    /// An SSCC extension digit outside 0 to 9.
    #[error("extension digit must be 0 to 9, got {0}")]
    Extension(u8),
}

/// Checks that `s` is `len` digits with a correct GS1 check digit.
pub(crate) fn check_numeric_key(
    key: &'static str,
    s: &str,
    len: usize,
    expected: &'static str,
) -> Result<(), KeyError> {
    // Counted in characters, so a stray non-ASCII character is reported as itself.
    let got = s.chars().count();
    if got != len {
        return Err(KeyError::Length { key, expected, got });
    }
    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(KeyError::NonDigit {
            key,
            found: c,
            position: i + 1,
        });
    }
    let bytes = s.as_bytes();
    let want = crate::check_digit::compute(&bytes[..len - 1]).unwrap_or(b'0');
    if bytes[len - 1] != want {
        return Err(KeyError::CheckDigit {
            key,
            found: char::from(bytes[len - 1]),
            expected: char::from(want),
        });
    }
    Ok(())
}
