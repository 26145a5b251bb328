//! Tests for `CompanyPrefix`: parsing, classification, allocation and its inverse.

use proptest::prelude::*;

use super::*;

fn prefix(s: &str) -> CompanyPrefix {
    CompanyPrefix::parse(s).unwrap()
}

fn check(input: &str, expected: Result<(&str, usize, &str), KeyError>) {
    let got = CompanyPrefix::parse(input);
    let got = got
        .as_ref()
        .map(|p| (p.as_str(), p.len(), p.gs1_prefix()))
        .map_err(Clone::clone);
    assert_eq!(got, expected, "{input:?}");
}

#[test]
fn parses_and_refuses() {
    check("8934", Ok(("8934", 4, "893")));
    check("8934567", Ok(("8934567", 7, "893")));
    check("0614141", Ok(("0614141", 7, "061")));
    check("893456789012", Ok(("893456789012", 12, "893")));
    let len = |got| KeyError::Length {
        key: "GS1 Company Prefix",
        expected: "4 to 12",
        got,
    };
    check("", Err(len(0)));
    check("893", Err(len(3)));
    check("8934567890123", Err(len(13)));
    let non_digit = |found, position| KeyError::NonDigit {
        key: "GS1 Company Prefix",
        found,
        position,
    };
    check("893-4567", Err(non_digit('-', 4)));
    check("８９３４", Err(non_digit('８', 1))); // fullwidth digits: 4 characters, 12 bytes
    check("８９３４５６７８９０１２３", Err(len(13)));
}

#[test]
fn display_and_ordering() {
    assert_eq!(prefix("8934567").to_string(), "8934567");
    assert_eq!(prefix("8934567").as_ref(), "8934567");
    assert!(prefix("8934") < prefix("89345"));
    assert!(prefix("89345") < prefix("8935"));
    assert_ne!(prefix("8934"), prefix("89340"));
}

#[test]
fn classifies() {
    let mo = |s| prefix(s).class().member_organisation().map(|m| m.name());
    assert_eq!(mo("8934567"), Some("GS1 Vietnam"));
    assert_eq!(mo("0614141"), Some("GS1 US"));
    assert_eq!(mo("4006381"), Some("GS1 Germany"));
    assert_eq!(prefix("9520000").class(), KeyClass::Demo);
    assert_eq!(prefix("9501101").class(), KeyClass::GlobalOffice);
    assert_eq!(prefix("1500000").class(), KeyClass::Unassigned);
}

#[test]
fn capacities() {
    let caps = |s| {
        let p = prefix(s);
        (p.gtin13_capacity(), p.sscc_capacity(), p.gln_capacity())
    };
    assert_eq!(caps("8934"), (100_000_000, 1_000_000_000_000, 100_000_000));
    assert_eq!(caps("8934567"), (100_000, 1_000_000_000, 100_000));
    assert_eq!(caps("893456789012"), (1, 10_000, 1));
}

#[test]
fn allocates_keys() {
    let p = prefix("8934567");
    assert_eq!(p.gtin13(0).unwrap().as_short(), "8934567000000");
    assert_eq!(p.gtin13(89012).unwrap().as_short(), "8934567890120");
    assert_eq!(p.gtin13(99_999).unwrap().as_short(), "8934567999991");
    assert_eq!(p.gtin14(1, 89012).unwrap().as_str(), "18934567890127");
    assert_eq!(p.gtin14(8, 89012).unwrap().as_str(), "88934567890126");
    assert_eq!(p.sscc(0, 0).unwrap().as_str(), "089345670000000000");
    assert_eq!(p.sscc(3, 1).unwrap().as_str(), "389345670000000018");
    assert_eq!(
        p.sscc(9, 999_999_999).unwrap().as_str(),
        "989345679999999992"
    );
    assert_eq!(p.gln(0).unwrap().as_str(), "8934567000000");
    let upc = prefix("0614141");
    assert_eq!(upc.gtin13(3).unwrap().as_short(), "614141000036");
    let full = prefix("893456789012");
    assert_eq!(full.gtin13(0).unwrap().as_short(), "8934567890120");
    assert_eq!(full.item_reference(&full.gtin13(0).unwrap()), Some(0));
}

#[test]
fn refuses_out_of_range() {
    let p = prefix("8934567");
    let out = |what, reference, max| AllocationError::OutOfRange {
        what,
        reference,
        prefix: p,
        max,
    };
    assert_eq!(
        p.gtin13(100_000),
        Err(out("item reference", 100_000, 99_999))
    );
    assert_eq!(
        p.gtin14(1, 100_000),
        Err(out("item reference", 100_000, 99_999))
    );
    assert_eq!(p.gtin14(0, 1), Err(AllocationError::Indicator(0)));
    assert_eq!(p.gtin14(9, 1), Err(AllocationError::Indicator(9)));
    assert_eq!(
        p.sscc(0, 1_000_000_000),
        Err(out("serial reference", 1_000_000_000, 999_999_999))
    );
    assert_eq!(p.sscc(10, 0), Err(AllocationError::Extension(10)));
    assert_eq!(
        p.gln(u64::MAX),
        Err(out("location reference", u64::MAX, 99_999))
    );
    assert_eq!(
        p.gtin13(100_000).unwrap_err().to_string(),
        "item reference 100000 does not fit company prefix 8934567, which holds 0 to 99999"
    );
    assert_eq!(
        prefix("893456789012").gln(1).unwrap_err().to_string(),
        "location reference 1 does not fit company prefix 893456789012, which holds 0 to 0"
    );
}

#[test]
fn finds_references_of_keys() {
    let p = prefix("8934567");
    let gtin = |s| Gtin::parse(s).unwrap();
    assert_eq!(p.item_reference(&gtin("8934567890120")), Some(89012));
    assert_eq!(p.item_reference(&gtin("28934567890124")), Some(89012));
    assert_eq!(p.item_reference(&gtin("8934568000009")), None);
    assert_eq!(
        prefix("8934").item_reference(&gtin("8934567890120")),
        Some(56_789_012)
    );
    // A GTIN-8 is never numbered under a company prefix, even one spelling its digits.
    assert_eq!(prefix("9638").item_reference(&gtin("96385074")), None);
    assert_eq!(prefix("96385").item_reference(&gtin("96385074")), None);
    let sscc = Sscc::parse("389345670000000018").unwrap();
    assert_eq!(p.serial_reference(&sscc), Some(1));
    assert_eq!(prefix("8934568").serial_reference(&sscc), None);
    let gln = Gln::parse("8934567000000").unwrap();
    assert_eq!(p.location_reference(&gln), Some(0));
    assert_eq!(prefix("89345670").location_reference(&gln), Some(0));
    assert_eq!(prefix("9506000").location_reference(&gln), None);
}

/// A company prefix of any allowed length.
fn any_prefix() -> impl Strategy<Value = CompanyPrefix> {
    "[0-9]{4,12}".prop_map(|s| prefix(&s))
}

/// A company prefix with a reference number below `capacity` for it.
fn prefix_and_reference(
    capacity: fn(&CompanyPrefix) -> u64,
) -> impl Strategy<Value = (CompanyPrefix, u64)> {
    any_prefix().prop_flat_map(move |p| (Just(p), 0..capacity(&p)))
}

proptest! {
    #[test]
    fn gtin_allocation_round_trips(
        (p, n) in prefix_and_reference(CompanyPrefix::gtin13_capacity),
        indicator in 1u8..=8,
    ) {
        let gtin13 = p.gtin13(n).unwrap();
        prop_assert_eq!(gtin13.indicator(), 0);
        prop_assert!(crate::check_digit::verify(gtin13.as_str().as_bytes()));
        prop_assert_eq!(p.item_reference(&gtin13), Some(n));
        let gtin14 = p.gtin14(indicator, n).unwrap();
        prop_assert_eq!(gtin14.indicator(), indicator);
        prop_assert_eq!(p.item_reference(&gtin14), Some(n));
        prop_assert_eq!(Gtin::parse(gtin14.as_str()), Ok(gtin14));
    }

    #[test]
    fn sscc_allocation_round_trips(
        (p, n) in prefix_and_reference(CompanyPrefix::sscc_capacity),
        extension in 0u8..=9,
    ) {
        let sscc = p.sscc(extension, n).unwrap();
        prop_assert_eq!(sscc.extension_digit(), extension);
        prop_assert_eq!(p.serial_reference(&sscc), Some(n));
        prop_assert_eq!(Sscc::parse(sscc.as_str()), Ok(sscc));
    }

    #[test]
    fn gln_allocation_round_trips((p, n) in prefix_and_reference(CompanyPrefix::gln_capacity)) {
        let gln = p.gln(n).unwrap();
        prop_assert_eq!(p.location_reference(&gln), Some(n));
        prop_assert_eq!(Gln::parse(gln.as_str()), Ok(gln));
    }

    #[test]
    fn references_past_capacity_are_refused(p in any_prefix(), over in 0u64..1000) {
        let too_big = p.gtin13_capacity() + over;
        let refused = matches!(p.gtin13(too_big), Err(AllocationError::OutOfRange { .. }));
        prop_assert!(refused);
        prop_assert!(p.sscc(0, p.sscc_capacity() + over).is_err());
        prop_assert!(p.gln(p.gln_capacity() + over).is_err());
    }

    #[test]
    fn parse_display_round_trips(p in any_prefix()) {
        prop_assert_eq!(CompanyPrefix::parse(&format!("{p}")), Ok(p));
    }
}
