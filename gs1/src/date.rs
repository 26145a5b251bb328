//! Calendar dates as GS1 encodes them (`YYMMDD`, day `00` meaning the month's last day), with the
//! GS1 General Specifications' sliding century window. The caller supplies "today": no clock here.

use std::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, if it exists in the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Reads a GS1 `YYMMDD` value relative to `today`: a year more than 50 years ahead is taken
    /// as last century, one more than 49 years back as next century (GS1 General Specifications
    /// 7.12); day `00` is the month's last day.
    ///
    /// ```
    /// use gs1::date::Date;
    /// let today = Date::new(2026, 11, 22).unwrap();
    /// assert_eq!(Date::from_yymmdd("270200", today), Date::new(2027, 2, 28));
    /// assert_eq!(Date::from_yymmdd("991231", today), Date::new(1999, 12, 31));
    /// assert_eq!(Date::from_yymmdd("261331", today), None);
    /// ```
    pub fn from_yymmdd(s: &str, today: Date) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let two = |i: usize| u16::from(b[i] - b'0') * 10 + u16::from(b[i + 1] - b'0');
        let (yy, month, day) = (two(0), two(2) as u8, two(4) as u8);
        let century = today.year - today.year % 100;
        let diff = i32::from(yy) - i32::from(today.year % 100);
        let year = match diff {
            51..=99 => century.checked_sub(100)? + yy,
            -99..=-50 => century + 100 + yy,
            _ => century + yy,
        };
        if !(1..=12).contains(&month) {
            return None;
        }
        let day = if day == 0 {
            days_in_month(year, month)
        } else {
            day
        };
        Self::new(year, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn century_window_and_day_zero() {
        let today = Date::new(2026, 1, 1).unwrap();
        let check = |s: &str, want: Option<(u16, u8, u8)>| {
            assert_eq!(
                Date::from_yymmdd(s, today),
                want.and_then(|(y, m, d)| Date::new(y, m, d)),
                "{s}"
            );
        };
        check("760101", Some((2076, 1, 1)));
        check("770101", Some((1977, 1, 1)));
        check("240200", Some((2024, 2, 29)));
        check("250200", Some((2025, 2, 28)));
        check("250231", None);
        check("2502", None);
        assert!(Date::new(2026, 2, 29).is_none());
        assert_eq!(Date::new(2026, 3, 4).unwrap().to_string(), "2026-03-04");
    }
}
