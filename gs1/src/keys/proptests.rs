//! Property tests shared by the key types: whatever parses prints back to itself, and every
//! well-formed input parses.

use proptest::prelude::*;

use super::*;

/// `body` followed by its check digit.
fn with_check_digit(body: &str) -> String {
    let check = crate::check_digit::compute(body.as_bytes()).unwrap_or(b'0');
    format!("{body}{}", char::from(check))
}

/// Any string of character set 82, 1 to 20 long.
const CSET82: &str = "[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{1,20}";

proptest! {
    #[test]
    fn gtin_of_any_length_parses_and_prints_14_digits(
        body in prop_oneof!["[0-9]{7}", "[0-9]{11}", "[0-9]{12}", "[0-9]{13}"],
    ) {
        let input = with_check_digit(&body);
        let gtin = Gtin::parse(&input).unwrap();
        prop_assert_eq!(gtin.as_str().len(), 14);
        prop_assert!(gtin.as_str().ends_with(&input));
        prop_assert_eq!(Gtin::parse(&format!("{gtin}")), Ok(gtin));
        // The short form parses back to the same GTIN and is no longer than the input.
        prop_assert_eq!(Gtin::parse(gtin.as_short()), Ok(gtin));
        prop_assert!(gtin.as_short().len() <= input.len());
    }

    #[test]
    fn gtin_with_a_wrong_check_digit_is_refused(body in "[0-9]{13}", delta in 1u8..=9) {
        let good = with_check_digit(&body);
        let last = good.as_bytes()[13] - b'0';
        let bad = format!("{body}{}", (last + delta) % 10);
        let refused = matches!(Gtin::parse(&bad), Err(KeyError::CheckDigit { .. }));
        prop_assert!(refused);
    }

    #[test]
    fn sscc_round_trips(body in "[0-9]{17}") {
        let sscc = Sscc::parse(&with_check_digit(&body)).unwrap();
        prop_assert_eq!(Sscc::parse(&format!("{sscc}")), Ok(sscc));
    }

    #[test]
    fn gln_round_trips(body in "[0-9]{12}") {
        let gln = Gln::parse(&with_check_digit(&body)).unwrap();
        prop_assert_eq!(Gln::parse(&format!("{gln}")), Ok(gln));
    }

    #[test]
    fn serial_and_lot_round_trip(text in CSET82) {
        let serial = Serial::parse(&text).unwrap();
        prop_assert_eq!(serial.as_str(), text.as_str());
        prop_assert_eq!(Serial::parse(&format!("{serial}")), Ok(serial));
        let lot = Lot::parse(&text).unwrap();
        prop_assert_eq!(Lot::parse(&format!("{lot}")), Ok(lot));
    }

    #[test]
    fn serial_refuses_anything_outside_the_set(
        head in "[A-Z0-9]{0,9}",
        bad in "[ #$@\\[\\\\\\]^`{|}~é\u{1d}]",
        tail in "[A-Z0-9]{0,9}",
    ) {
        let text = format!("{head}{bad}{tail}");
        let refused = matches!(Serial::parse(&text), Err(KeyError::Character { .. }));
        prop_assert!(refused);
    }

    #[test]
    fn every_gtin_has_a_class(body in "[0-9]{13}") {
        // Classification never panics and agrees with the prefix table's lookup.
        let gtin = Gtin::parse(&with_check_digit(&body)).unwrap();
        let class = gtin.class();
        if gtin.as_str()[1..].starts_with("00000") {
            return Ok(());
        }
        let expected = crate::prefix::lookup(&gtin.as_str()[1..])
            .map_or(KeyClass::Unassigned, |r| r.class());
        prop_assert_eq!(class, expected);
    }
}
