//! `scan::identify` over every input form a person or scanner produces.

use gs1::{
    date::Date,
    keys::KeyClass,
    scan::{IdentifyError, PrimaryKey, Source, Symbology, Warning, identify},
};

fn today() -> Date {
    Date::new(2026, 11, 22).unwrap()
}

/// Reads `input` and checks the source, primary key AI and value, lot and serial.
fn check(input: &str, source: Source, key: (&str, &str), lot: Option<&str>, serial: Option<&str>) {
    let ids = identify(input, today()).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    assert_eq!(ids.source, source, "{input:?}");
    assert_eq!((ids.primary.ai(), ids.primary.value()), key, "{input:?}");
    assert_eq!(ids.lot.as_ref().map(|l| l.as_str()), lot, "{input:?}");
    assert_eq!(ids.serial.as_ref().map(|s| s.as_str()), serial, "{input:?}");
}

#[test]
fn every_input_form_gives_the_same_identifiers() {
    let gtin = ("01", "09506000134352");
    check(
        "(01)09506000134352(10)ABC123(21)XYZ789",
        Source::ElementString,
        gtin,
        Some("ABC123"),
        Some("XYZ789"),
    );
    check(
        "^010950600013435210ABC123^21XYZ789",
        Source::ElementString,
        gtin,
        Some("ABC123"),
        Some("XYZ789"),
    );
    check(
        "010950600013435210ABC123\u{1d}21XYZ789",
        Source::ElementString,
        gtin,
        Some("ABC123"),
        Some("XYZ789"),
    );
    check(
        "\u{1d}010950600013435210ABC123\u{1d}21XYZ789",
        Source::ElementString,
        gtin,
        Some("ABC123"),
        Some("XYZ789"),
    );
    check(
        "]d2010950600013435210ABC123\u{1d}21XYZ789",
        Source::Scanner(Symbology::DataMatrix),
        gtin,
        Some("ABC123"),
        Some("XYZ789"),
    );
    check(
        "]C10109506000134352",
        Source::Scanner(Symbology::Gs1_128Cca),
        gtin,
        None,
        None,
    );
    check(
        "]E09506000134352",
        Source::Scanner(Symbology::Ean13),
        ("01", "09506000134352"),
        None,
        None,
    );
    check("  9506000134352\n", Source::BareKey, gtin, None, None);
    check("09506000134352", Source::BareKey, gtin, None, None);
    check("950-6000-134352", Source::BareKey, gtin, None, None);
    check(
        "106141411234567897",
        Source::BareKey,
        ("00", "106141411234567897"),
        None,
        None,
    );
    check(
        "(00)106141411234567897",
        Source::ElementString,
        ("00", "106141411234567897"),
        None,
        None,
    );
    check(
        "(414)9506000134352(254)A1",
        Source::ElementString,
        ("414", "9506000134352"),
        None,
        None,
    );
}

#[test]
fn qualifiers_and_attributes_are_separated() {
    let ids = identify("(01)09506000134352(17)291231(10)L1(3103)000250", today()).unwrap();
    let q: Vec<&str> = ids.qualifiers.iter().map(|(ai, _)| ai.as_str()).collect();
    let a: Vec<&str> = ids.attributes.iter().map(|(ai, _)| ai.as_str()).collect();
    assert_eq!(q, ["10"]);
    assert_eq!(a, ["17", "3103"]);
    assert_eq!(ids.expiry, Date::new(2029, 12, 31));
    assert!(ids.warnings.is_empty(), "{:?}", ids.warnings);
}

#[test]
fn warnings_for_expiry_restricted_numbers_and_missing_associations() {
    let ids = identify("(01)09506000134352(17)251231", today()).unwrap();
    assert_eq!(
        ids.warnings,
        [Warning::Expired {
            expiry: Date::new(2025, 12, 31).unwrap()
        }]
    );
    // Day 00 means the end of the month: not yet expired on the 22nd.
    assert!(
        identify("(01)09506000134352(17)261100", today())
            .unwrap()
            .warnings
            .is_empty()
    );
    // GS1 prefix 20-29: restricted circulation within a region.
    let ids = identify("2012345678903", today()).unwrap();
    assert!(
        matches!(
            ids.warnings.as_slice(),
            [Warning::KeyClass(KeyClass::RestrictedCirculation(_))]
        ),
        "{:?}",
        ids.warnings
    );
    // A book's ISBN in GTIN form is a worldwide identifier; GS1's demo range is not.
    assert!(
        identify("9780306406157", today())
            .unwrap()
            .warnings
            .is_empty()
    );
    let ids = identify("9521234543213", today()).unwrap();
    assert_eq!(ids.warnings, [Warning::KeyClass(KeyClass::Demo)]);
    // (250) needs (21) on the item.
    let ids = identify("(01)09506000134352(250)X", today()).unwrap();
    assert!(
        matches!(ids.warnings.as_slice(), [Warning::MissingAssociation(_)]),
        "{:?}",
        ids.warnings
    );
}

#[test]
fn refusals_say_why() {
    assert!(matches!(
        identify("   ", today()),
        Err(IdentifyError::Empty)
    ));
    assert!(matches!(
        identify("9506000134353", today()),
        Err(IdentifyError::Key(_))
    ));
    assert!(matches!(
        identify("(10)ABC", today()),
        Err(IdentifyError::NoPrimaryKey)
    ));
    assert!(matches!(
        identify("hello world", today()),
        Err(IdentifyError::NotGs1(_))
    ));
    assert!(matches!(
        identify("]Q1hello", today()),
        Err(IdentifyError::NotGs1(_))
    ));
    let e = identify("(01)09506000134353", today()).unwrap_err();
    assert!(e.to_string().contains("AI (01)"), "{e}");
    assert!(matches!(
        identify("]XXabc", today()),
        Err(IdentifyError::Scan(_))
    ));
    let other = identify("(8004)95060001343", today()).unwrap();
    assert!(matches!(other.primary, PrimaryKey::Other { .. }));
}

#[test]
fn multibyte_characters_never_panic() {
    // Found by fuzzing: a non-ASCII character where an EAN-13 primary's digits are expected.
    assert!(identify("]E00234567у]e09)44E98XYZ", today()).is_err());
    assert!(identify("]E4ééé", today()).is_err());
    assert!(identify("(01)é", today()).is_err());
    // A non-ASCII domain is outside the URI character set: refused, not a panic.
    assert!(identify("https://é/01/09506000134352", today()).is_err());
}

#[test]
fn gs_separated_rendering_matches_scanner_output() {
    use gs1::element::{AiString, Options};
    let o = Options::default();
    // A composite after a predefined-length AI needs no separator; after a variable one it does.
    let m =
        AiString::parse_unbracketed("^011231231231233310ABC123^11991225|^98COMPOSITE^97XYZ", &o)
            .unwrap();
    assert_eq!(
        m.to_gs_separated(),
        "011231231231233310ABC123\u{1d}1199122598COMPOSITE\u{1d}97XYZ"
    );
    let m =
        AiString::parse_unbracketed("^011231231231233310ABC123^99TESTING|^98COMPOSITE^97XYZ", &o)
            .unwrap();
    assert_eq!(
        m.to_gs_separated(),
        "011231231231233310ABC123\u{1d}99TESTING\u{1d}98COMPOSITE\u{1d}97XYZ"
    );
    // GS in the input is FNC1.
    let m = AiString::parse_unbracketed("\u{1d}0109506000134352\u{1d}10ABC", &o).unwrap();
    assert_eq!(m.to_bracketed(), "(01)09506000134352(10)ABC");
}
