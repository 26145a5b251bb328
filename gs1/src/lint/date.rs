//! Calendar-date linters: `yymmdd`, `yyyymmdd`, and their `d0` variants that also accept day
//! `00` (meaning "day not specified").

use super::cset::csetnumeric;
use super::{LintError, LintErrorKind, LintResult};

/// `yymmdd`: a real calendar date as YYMMDD.
pub(crate) fn yymmdd(value: &[u8]) -> LintResult {
    short_date(value, false)
}

/// `yymmd0`: as [`yymmdd`], day `00` also allowed.
pub(crate) fn yymmd0(value: &[u8]) -> LintResult {
    short_date(value, true)
}

/// `yyyymmdd`: a real calendar date as YYYYMMDD.
pub(crate) fn yyyymmdd(value: &[u8]) -> LintResult {
    long_date(value, false)
}

/// `yyyymmd0`: as [`yyyymmdd`], day `00` also allowed.
pub(crate) fn yyyymmd0(value: &[u8]) -> LintResult {
    long_date(value, true)
}

/// True for Gregorian leap years.
pub(crate) const fn is_leap_year(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1-12) of `year`.
pub(crate) const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The reference year from which two-digit years are placed in a century.
///
/// GS1 places YY within a window of 49 years ahead and 50 behind the current year. The engine
/// pins "current" to 2021 so that results never depend on the clock; we do the same. Only leap
/// years hang on the century, and every window placement agrees on them except for `00`, which
/// this pin makes 2000 (a leap year).
const REFERENCE_YEAR: u32 = 2021;

/// The four-digit year of a two-digit year `yy`.
pub(crate) const fn expand_two_digit_year(yy: u32) -> u32 {
    let reference_yy = REFERENCE_YEAR % 100;
    let century = REFERENCE_YEAR - reference_yy;
    if yy >= reference_yy + 51 {
        century - 100 + yy
    } else if yy + 50 > reference_yy {
        century + yy
    } else {
        century + 100 + yy
    }
}

/// The value of two ASCII digits (already checked to be digits).
#[inline]
pub(crate) fn two_digits(pair: &[u8]) -> u32 {
    u32::from(pair[0] - b'0') * 10 + u32::from(pair[1] - b'0')
}

fn length_error(value: &[u8], expected: usize) -> LintError {
    let kind = if value.len() < expected {
        LintErrorKind::DateTooShort
    } else {
        LintErrorKind::DateTooLong
    };
    LintError::new(kind, 0, value.len())
}

fn short_date(value: &[u8], zero_day_ok: bool) -> LintResult {
    if value.len() != 6 {
        return Err(length_error(value, 6));
    }
    csetnumeric(value)?;
    let year = expand_two_digit_year(two_digits(&value[..2]));
    month_and_day(year, &value[2..], 2, zero_day_ok)
}

fn long_date(value: &[u8], zero_day_ok: bool) -> LintResult {
    if value.len() != 8 {
        return Err(length_error(value, 8));
    }
    csetnumeric(value)?;
    let year = two_digits(&value[..2]) * 100 + two_digits(&value[2..4]);
    month_and_day(year, &value[4..], 4, zero_day_ok)
}

/// Checks the MMDD digits found at offset `at` of the value.
fn month_and_day(year: u32, mmdd: &[u8], at: usize, zero_day_ok: bool) -> LintResult {
    let month = two_digits(&mmdd[..2]);
    if !(1..=12).contains(&month) {
        return Err(LintError::new(LintErrorKind::IllegalMonth, at, 2));
    }
    let day = two_digits(&mmdd[2..]);
    if day > days_in_month(year, month) || (day == 0 && !zero_day_ok) {
        return Err(LintError::new(LintErrorKind::IllegalDay, at + 2, 2));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 4), 30);
    }

    #[test]
    fn century_window() {
        assert_eq!(expand_two_digit_year(0), 2000);
        assert_eq!(expand_two_digit_year(71), 2071);
        assert_eq!(expand_two_digit_year(72), 1972);
        assert_eq!(expand_two_digit_year(99), 1999);
    }

    #[test]
    fn dates() {
        assert!(yymmdd(b"000229").is_ok());
        assert!(yymmdd(b"010229").is_err());
        assert!(yyyymmdd(b"19000229").is_err());
        assert!(yyyymmdd(b"20000229").is_ok());
        assert!(yymmd0(b"991200").is_ok());
        assert_eq!(
            yymmdd(b"991200"),
            Err(LintError::new(LintErrorKind::IllegalDay, 4, 2))
        );
        assert_eq!(
            yyyymmd0(b"20241300"),
            Err(LintError::new(LintErrorKind::IllegalMonth, 4, 2))
        );
        assert_eq!(
            yyyymmdd(b"2024123"),
            Err(LintError::new(LintErrorKind::DateTooShort, 0, 7))
        );
    }
}
