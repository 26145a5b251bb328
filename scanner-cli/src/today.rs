//! Today's date from the system clock, or from `--today`, as a GS1 civil date.

use anyhow::{Context, bail};
use gs1::date::Date;

/// Today in UTC.
pub fn utc_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Parses `YYYY-MM-DD`.
pub fn parse(s: &str) -> anyhow::Result<Date> {
    let mut parts = s.splitn(3, '-');
    let mut next = |what: &str| -> anyhow::Result<u16> {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("expected YYYY-MM-DD, the {what} is missing or not a number"))
    };
    let (y, m, d) = (next("year")?, next("month")?, next("day")?);
    match Date::new(y, m as u8, d as u8) {
        Some(date) if m <= 12 && d <= 31 => Ok(date),
        _ => bail!("{s} is not a calendar date"),
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date::new(year, month, day)
        .unwrap_or_else(|| Date::new(1970, 1, 1).unwrap_or_else(|| unreachable!()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(civil_from_days(20_414), Date::new(2025, 11, 22).unwrap());
        assert_eq!(civil_from_days(11_016), Date::new(2000, 2, 29).unwrap());
        assert_eq!(
            parse("2026-11-22").unwrap(),
            Date::new(2026, 11, 22).unwrap()
        );
        assert!(parse("2026-02-30").is_err());
        assert!(parse("yesterday").is_err());
    }
}
