//! The schedule of a scheduled subscription (the binding's `schedule`: `second`, `minute`,
//! `hour`, `dayOfMonth`, `month`, `dayOfWeek`), in UTC.
//!
//! Supported: each field absent, one number, or a comma-separated list of numbers
//! (`"0,15,30,45"`). Ranges (`"[1-5]"`) and steps (`"0/30"`) are refused by name rather than
//! misread. An absent field finer than the finest field given is its lowest value (`hour: 1`,
//! `minute: 5` runs at 01:05:00, once a day, as the binding's example means); an absent field
//! coarser than that matches every value. `dayOfWeek` counts from Monday = 1 to Sunday = 7.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde_json::{Map, Value};

use crate::error::DomainError;

/// The fields, coarsest last, with their ranges.
const FIELDS: [(&str, u32, u32); 6] = [
    ("second", 0, 59),
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("dayOfMonth", 1, 31),
    ("month", 1, 12),
    ("dayOfWeek", 1, 7),
];

/// Days searched ahead for the next run: leap-day schedules included.
const HORIZON_DAYS: i64 = 366 * 8;

/// A parsed schedule: for each field of [`FIELDS`], the values it matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    allowed: [Vec<u32>; 6],
}

impl Schedule {
    /// Parses the binding's `schedule` object; errors name `schedule.<field>`.
    pub fn parse(o: &Map<String, Value>) -> Result<Schedule, DomainError> {
        if let Some(k) = o.keys().find(|k| !FIELDS.iter().any(|(n, _, _)| n == k)) {
            return Err(DomainError::field(
                format!("schedule.{k}"),
                "is not a schedule field (second, minute, hour, dayOfMonth, month, dayOfWeek)",
            ));
        }
        let mut given: [Option<Vec<u32>>; 6] = Default::default();
        for (i, (name, lo, hi)) in FIELDS.iter().enumerate() {
            let Some(v) = o.get(*name) else { continue };
            let at = format!("schedule.{name}");
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(DomainError::field(at, "must be a string")),
            };
            let mut values = Vec::new();
            for part in text.split(',') {
                let n: u32 = part.trim().parse().map_err(|_| {
                    DomainError::field(
                        &at,
                        "must be a number or a comma-separated list of numbers \
                         (ranges and steps are not supported)",
                    )
                })?;
                if !(*lo..=*hi).contains(&n) {
                    return Err(DomainError::field(&at, format!("must be {lo} to {hi}")));
                }
                values.push(n);
            }
            values.sort_unstable();
            values.dedup();
            given[i] = Some(values);
        }
        let Some(finest) = given.iter().position(Option::is_some) else {
            return Err(DomainError::field(
                "schedule",
                "must name at least one field",
            ));
        };
        let allowed = std::array::from_fn(|i| match &given[i] {
            Some(v) => v.clone(),
            // Finer than the finest field given: its lowest value; day fields never get one
            // (only second, minute and hour can be finer than a field given).
            None if i < finest && i < 3 => vec![FIELDS[i].1],
            None => (FIELDS[i].1..=FIELDS[i].2).collect(),
        });
        Ok(Schedule { allowed })
    }

    /// The first time strictly after `t` (to the second) the schedule matches, if one comes
    /// within about eight years.
    pub fn next_after(&self, t: NaiveDateTime) -> Option<NaiveDateTime> {
        let [seconds, minutes, hours, days, months, weekdays] = &self.allowed;
        let start = t.with_nanosecond(0)? + Duration::seconds(1);
        let mut day: NaiveDate = start.date();
        for _ in 0..HORIZON_DAYS {
            let day_ok = days.contains(&day.day())
                && months.contains(&day.month())
                && weekdays.contains(&day.weekday().number_from_monday());
            if day_ok {
                for &h in hours {
                    for &m in minutes {
                        for &s in seconds {
                            let at = day.and_hms_opt(h, m, s)?;
                            if at >= start {
                                return Some(at);
                            }
                        }
                    }
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schedule(v: Value) -> Result<Schedule, DomainError> {
        match v {
            Value::Object(o) => Schedule::parse(&o),
            _ => panic!("not an object"),
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time")
    }

    #[test]
    fn the_bindings_example_runs_once_a_day_at_1_05() {
        let s = schedule(json!({"hour": "1", "minute": "5"})).expect("schedule");
        assert_eq!(
            s.next_after(at("2026-12-04 00:00:00")),
            Some(at("2026-12-04 01:05:00"))
        );
        assert_eq!(
            s.next_after(at("2026-12-04 01:05:00")),
            Some(at("2026-12-05 01:05:00"))
        );
    }

    #[test]
    fn lists_of_seconds_and_weekdays() {
        let s = schedule(json!({"second": "0,30"})).expect("schedule");
        assert_eq!(
            s.next_after(at("2026-12-04 10:00:10")),
            Some(at("2026-12-04 10:00:30"))
        );
        // 2026-12-04 is a Friday; Monday = 1.
        let s = schedule(json!({"dayOfWeek": "1", "hour": 6})).expect("schedule");
        assert_eq!(
            s.next_after(at("2026-12-04 10:00:00")),
            Some(at("2026-12-07 06:00:00"))
        );
    }

    #[test]
    fn unsupported_forms_are_refused_by_name() {
        for (v, field) in [
            (json!({"second": "0/30"}), "schedule.second"),
            (json!({"hour": "[1-5]"}), "schedule.hour"),
            (json!({"minute": "60"}), "schedule.minute"),
            (json!({"fortnight": "1"}), "schedule.fortnight"),
            (json!({}), "schedule"),
        ] {
            match schedule(v) {
                Err(DomainError::Invalid(errors)) => assert_eq!(errors[0].field, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_date_that_never_comes_has_no_next_run() {
        let s = schedule(json!({"dayOfMonth": "31", "month": "2"})).expect("schedule");
        assert_eq!(s.next_after(at("2026-12-04 00:00:00")), None);
    }
}
