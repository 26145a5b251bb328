//! `iban`: International Bank Account Number (ISO 13616) structure and mod-97 check.

use super::iso::is_iso3166_alpha2;
use super::{LintError, LintErrorKind, LintResult};

/// Longest IBAN allowed by ISO 13616.
const IBAN_MAX_LENGTH: usize = 34;

/// IBANs are only accepted if longer than this. The standard sets no minimum, but every
/// national format is longer, and the country code plus check digits alone are four.
const IBAN_MIN_EXCLUSIVE: usize = 10;

/// The mod-97 value of an IBAN character: digits 0-9, capitals 10-35.
fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// `iban`: a country code, two check digits and a basic account number whose mod-97 check holds.
pub(crate) fn iban(value: &[u8]) -> LintResult {
    let len = value.len();
    if len < 4 {
        return Err(LintError::new(LintErrorKind::IbanTooShort, 0, len));
    }
    if !is_iso3166_alpha2(&value[..2]) {
        return Err(LintError::new(LintErrorKind::IllegalIbanCountryCode, 0, 2));
    }
    if len > IBAN_MAX_LENGTH {
        return Err(LintError::new(LintErrorKind::IbanTooLong, 0, len));
    }
    if len <= IBAN_MIN_EXCLUSIVE {
        return Err(LintError::new(LintErrorKind::IbanTooShort, 0, len));
    }
    // The check runs over the account number followed by the country code and check digits,
    // with letters expanded to two-digit numbers, so bad characters are found in that order too.
    let mut remainder = 0u32;
    for pos in (4..len).chain(0..4) {
        let Some(v) = char_value(value[pos]) else {
            return Err(LintError::new(LintErrorKind::InvalidIbanCharacter, pos, 1));
        };
        let scale = if v < 10 { 10 } else { 100 };
        remainder = (remainder * scale + v) % 97;
    }
    if remainder != 1 {
        return Err(LintError::new(LintErrorKind::IncorrectIbanChecksum, 2, 2));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans() {
        assert!(iban(b"GB82WEST12345698765432").is_ok());
        assert!(iban(b"DE89370400440532013000").is_ok());
        assert_eq!(
            iban(b"GB83WEST12345698765432"),
            Err(LintError::new(LintErrorKind::IncorrectIbanChecksum, 2, 2))
        );
        assert_eq!(
            iban(b"XX82WEST12345698765432"),
            Err(LintError::new(LintErrorKind::IllegalIbanCountryCode, 0, 2))
        );
        assert_eq!(
            iban(b"GB82WEST1234569876543a"),
            Err(LintError::new(LintErrorKind::InvalidIbanCharacter, 21, 1))
        );
        assert_eq!(
            iban(b"GB82WEST12"),
            Err(LintError::new(LintErrorKind::IbanTooShort, 0, 10))
        );
    }
}
