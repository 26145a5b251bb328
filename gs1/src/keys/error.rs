//! Why a string is not a valid GS1 key.

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
}

/// Checks that `s` is `len` digits with a correct GS1 check digit.
pub(crate) fn check_numeric_key(
    key: &'static str,
    s: &str,
    len: usize,
    expected: &'static str,
) -> Result<(), KeyError> {
    if s.len() != len {
        return Err(KeyError::Length {
            key,
            expected,
            got: s.chars().count(),
        });
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
