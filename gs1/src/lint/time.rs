//! Time-of-day linters: `hh`, `mi`, `ss` and `hhmi`.

use super::cset::csetnumeric;
use super::date::two_digits;
use super::{LintError, LintErrorKind, LintResult};

/// How one two-digit time field is checked and reported.
struct Field {
    max: u32,
    too_short: LintErrorKind,
    too_long: LintErrorKind,
    illegal: LintErrorKind,
}

const HOUR: Field = Field {
    max: 23,
    too_short: LintErrorKind::HourTooShort,
    too_long: LintErrorKind::HourTooLong,
    illegal: LintErrorKind::IllegalHour,
};

const MINUTE: Field = Field {
    max: 59,
    too_short: LintErrorKind::MinuteTooShort,
    too_long: LintErrorKind::MinuteTooLong,
    illegal: LintErrorKind::IllegalMinute,
};

const SECOND: Field = Field {
    max: 59,
    too_short: LintErrorKind::SecondTooShort,
    too_long: LintErrorKind::SecondTooLong,
    illegal: LintErrorKind::IllegalSecond,
};

impl Field {
    fn check(&self, value: &[u8]) -> LintResult {
        if value.len() != 2 {
            let kind = if value.len() < 2 {
                self.too_short
            } else {
                self.too_long
            };
            return Err(LintError::new(kind, 0, value.len()));
        }
        csetnumeric(value)?;
        if two_digits(value) > self.max {
            return Err(LintError::new(self.illegal, 0, 2));
        }
        Ok(())
    }
}

/// `hh`: an hour, 00 to 23.
pub(crate) fn hh(value: &[u8]) -> LintResult {
    HOUR.check(value)
}

/// `mi`: a minute, 00 to 59.
pub(crate) fn mi(value: &[u8]) -> LintResult {
    MINUTE.check(value)
}

/// `ss`: a second, 00 to 59.
pub(crate) fn ss(value: &[u8]) -> LintResult {
    SECOND.check(value)
}

/// `hhmi`: an hour and minute as HHMI.
pub(crate) fn hhmi(value: &[u8]) -> LintResult {
    if value.len() != 4 {
        let kind = if value.len() < 4 {
            LintErrorKind::HourWithMinuteTooShort
        } else {
            LintErrorKind::HourWithMinuteTooLong
        };
        return Err(LintError::new(kind, 0, value.len()));
    }
    HOUR.check(&value[..2])?;
    MINUTE.check(&value[2..]).map_err(|e| e.shifted(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert!(hhmi(b"2359").is_ok());
        assert_eq!(
            hhmi(b"2360"),
            Err(LintError::new(LintErrorKind::IllegalMinute, 2, 2))
        );
        assert_eq!(
            hhmi(b"2A00"),
            Err(LintError::new(LintErrorKind::NonDigitCharacter, 1, 1))
        );
        assert_eq!(
            hh(b"24"),
            Err(LintError::new(LintErrorKind::IllegalHour, 0, 2))
        );
        assert_eq!(
            ss(b"5"),
            Err(LintError::new(LintErrorKind::SecondTooShort, 0, 1))
        );
    }
}
