//! Tests of EPCIS identifiers: hand-picked cases, every id of GS1's EPCIS 2.0 examples, and
//! round trips of generated keys.

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;

use super::*;

/// Parses `input` and checks its canonical form and kind.
fn check(input: &str, canonical: &str, kind: EpcKind) {
    let epc = Epc::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    assert_eq!(epc.canonical(), canonical, "{input}");
    assert_eq!(epc.kind(), kind, "{input}");
}

/// Checks that `urn` parses and comes back unchanged through its canonical Digital Link.
fn round_trip(urn: &str) {
    let epc = Epc::parse(urn).unwrap_or_else(|e| panic!("{urn}: {e}"));
    let again = Epc::parse(epc.canonical()).unwrap();
    assert_eq!(again, epc);
    assert_eq!(again.to_urn(&Gs1GcpTable).as_deref(), Some(urn), "{urn}");
}

fn error(input: &str) -> String {
    match Epc::parse(input) {
        Ok(epc) => panic!("{input} parsed as {epc}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn epc_urns_become_digital_links() {
    use EpcKind::*;
    check(
        "urn:epc:id:sgtin:0614141.107346.2017",
        "https://id.gs1.org/01/10614141073464/21/2017",
        Sgtin,
    );
    check(
        "urn:epc:id:sgtin:0614141.812345.6789%2F%3F",
        "https://id.gs1.org/01/80614141123458/21/6789%2F%3F",
        Sgtin,
    );
    check(
        "urn:epc:id:sscc:0614141.1234567890",
        "https://id.gs1.org/00/106141412345678908",
        Sscc,
    );
    check(
        "urn:epc:id:sgln:0614141.00777.0",
        "https://id.gs1.org/414/0614141007776",
        Sgln,
    );
    check(
        "urn:epc:id:sgln:0614141.00888.1234",
        "https://id.gs1.org/414/0614141008889/254/1234",
        Sgln,
    );
    check(
        "urn:epc:id:pgln:0614141.00777",
        "https://id.gs1.org/417/0614141007776",
        Pgln,
    );
    check(
        "urn:epc:id:grai:0614141.12345.400",
        "https://id.gs1.org/8003/00614141123452400",
        Grai,
    );
    check(
        "urn:epc:idpat:grai:0614141.12345.*",
        "https://id.gs1.org/8003/00614141123452",
        GraiClass,
    );
    check(
        "urn:epc:id:giai:0614141.12345400",
        "https://id.gs1.org/8004/061414112345400",
        Giai,
    );
    check(
        "urn:epc:id:gsrn:0614141.1234567890",
        "https://id.gs1.org/8018/061414112345678902",
        Gsrn,
    );
    check(
        "urn:epc:id:gsrnp:0614141.1234567890",
        "https://id.gs1.org/8017/061414112345678902",
        Gsrnp,
    );
    check(
        "urn:epc:id:gdti:0614141.12345.400",
        "https://id.gs1.org/253/0614141123452400",
        Gdti,
    );
    check(
        "urn:epc:id:sgcn:4012345.67890.04711",
        "https://id.gs1.org/255/401234567890104711",
        Sgcn,
    );
    check(
        "urn:epc:id:cpi:0614141.123ABC.123456789",
        "https://id.gs1.org/8010/0614141123ABC/8011/123456789",
        Cpi,
    );
    check(
        "urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345",
        "https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345",
        Cpi,
    );
    check(
        "urn:epc:id:ginc:0614141.xyz47%2F11",
        "https://id.gs1.org/401/0614141xyz47%2F11",
        Ginc,
    );
    check(
        "urn:epc:id:gsin:0614141.123456789",
        "https://id.gs1.org/402/06141411234567890",
        Gsin,
    );
    check(
        "urn:epc:id:itip:4012345.012345.01.02.987",
        "https://id.gs1.org/8006/040123451234560102/21/987",
        Itip,
    );
    check(
        "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB",
        "https://id.gs1.org/01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB",
        Upui,
    );
    check(
        "urn:epc:class:lgtin:4012345.012345.998877",
        "https://id.gs1.org/01/04012345123456/10/998877",
        Lgtin,
    );
    check(
        "urn:epc:idpat:sgtin:4012345.044444.*",
        "https://id.gs1.org/01/04012345444445",
        GtinClass,
    );
}

#[test]
fn digital_links_are_canonicalised() {
    use EpcKind::*;
    check(
        "https://example.com/shop/01/10614141073464/21/2017?17=251231&linkType=gs1:pip",
        "https://id.gs1.org/01/10614141073464/21/2017",
        Sgtin,
    );
    check(
        "HTTPS://ID.GS1.ORG/01/04012345123456/10/998877",
        "https://id.gs1.org/01/04012345123456/10/998877",
        Lgtin,
    );
    check(
        "https://id.gs1.org/01/04012345666663",
        "https://id.gs1.org/01/04012345666663",
        GtinClass,
    );
    check(
        "https://id.gs1.org/414/9506000134307/254/0",
        "https://id.gs1.org/414/9506000134307",
        Sgln,
    );
    check(
        "https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K",
        "https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K",
        OtherKey,
    );
    // A lot with a serial is one Digital Link but no EPC URN.
    let both = Epc::parse("https://id.gs1.org/01/04012345123456/10/L1/21/S1").unwrap();
    assert_eq!(both.kind(), Sgtin);
    assert_eq!((both.lot(), both.serial()), (Some("L1"), Some("S1")));
    assert_eq!(both.to_urn(&Gs1GcpTable), None);
}

#[test]
fn other_uris_are_kept_verbatim() {
    for uri in [
        "urn:uuid:4e4f1ba6-5c7f-4c4e-9e24-6a2e4b6d7c10",
        "https://example.com/assets/forklift-7",
        "https://example.com/",
        "urn:example:my-private:id:1",
        "urn:epc:id:gid:95100000.12345.400",
        "urn:epc:class:lgtin-private:x",
        "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0",
    ] {
        check(uri, uri, EpcKind::Other);
        assert_eq!(Epc::parse(uri).unwrap().to_urn(&Gs1GcpTable), None);
    }
}

#[test]
fn bad_identifiers_say_what_is_wrong() {
    assert_eq!(
        error(""),
        "empty identifier: expected an epc urn, a gs1 digital link uri or another absolute uri"
    );
    assert!(error("not a uri").starts_with("\"not a uri\" is not an absolute uri"));
    assert!(error("0614141073467").contains("not an absolute uri"));
    assert_eq!(
        error("urn:epc:id:sgtin:0614141.1073460.2017"),
        "urn:epc:id:sgtin:0614141.1073460.2017: company prefix and item reference must have 13 digits together"
    );
    assert_eq!(
        error("urn:epc:id:sgtin:0614141.107346."),
        "urn:epc:id:sgtin:0614141.107346.: the serial is empty"
    );
    assert_eq!(
        error("urn:epc:id:sscc:0614141.12345678901"),
        "urn:epc:id:sscc:0614141.12345678901: company prefix and serial reference must have 17 digits together"
    );
    assert_eq!(
        error("urn:epc:id:sgtin:06141.1073460.1"),
        "urn:epc:id:sgtin:06141.1073460.1: the company prefix must be 6 to 12 digits"
    );
    assert_eq!(
        error("urn:epc:id:sgtin:0614141.107346"),
        "urn:epc:id:sgtin:0614141.107346: sgtin has three components: company prefix.item reference.serial"
    );
    assert!(error("urn:epc:id:sgtin:0614141.107346.20 17").contains("not an absolute uri"));
    assert_eq!(
        error("urn:epc:id:sgtin:0614141.107346.ab#c"),
        "urn:epc:id:sgtin:0614141.107346.ab#c: character '#' at position 35 is not allowed in an epc urn \
         (gs1 ai encodable character set 82, with \" % & / < > ? written %22 %25 %26 %2F %3C %3E %3F)"
    );
    assert!(error("urn:epc:id:sgtin:0614141.107346.a/b").contains("character '/' at position 34"));
    assert!(error("urn:epc:id:sgtin:0614141.107346.é").contains("character 'é'"));
    assert!(error("urn:epc:id:sgtin:0614141.107346.a%41").contains("bad escape at position 34"));
    assert!(error("urn:epc:id:sgtin:0614141.107346.a%2").contains("bad escape"));
    // '#' is escapable for CPI component references only; the AI dictionary refuses it in a serial.
    assert!(error("urn:epc:id:sgtin:0614141.107346.a%23").contains("(21)"));
    // Serial longer than the 20 characters of AI (21).
    assert!(
        error("urn:epc:id:sgtin:0614141.107346.123456789012345678901")
            .starts_with("urn:epc:id:sgtin:0614141.107346.123456789012345678901: ")
    );
    assert_eq!(
        error("URN:EPC:ID:SGTIN:0614141.107346.1"),
        "URN:EPC:ID:SGTIN:0614141.107346.1: an epc urn is written in lower case up to its components"
    );
    assert!(
        error("urn:epc:idpat:sgtin:0614141.*.*")
            .ends_with("only a pattern whose serial alone is \"*\" names a class of objects")
    );
    assert!(error("urn:epc:idpat:sscc:0614141.*").contains("only a pattern"));
    assert!(
        error("urn:epc:id:itip:4012345.012345.1.02.987")
            .ends_with("piece and total are two digits each")
    );
    // Digital Links: a bad check digit, an unknown AI on GS1's resolver, a key without value.
    assert!(
        error("https://id.gs1.org/01/10614141073465/21/2017")
            .starts_with("https://id.gs1.org/01/10614141073465/21/2017: ")
    );
    assert!(error("https://example.com/01/00614141073468").contains("example.com"));
    assert!(error("https://id.gs1.org/products/123").contains("no gs1 digital link primary key"));
}

#[test]
fn accessors() {
    let sgtin = Epc::parse("urn:epc:id:sgtin:0614141.107346.2017").unwrap();
    assert_eq!(sgtin.gtin().unwrap().as_str(), "10614141073464");
    assert_eq!(
        (sgtin.serial(), sgtin.lot(), sgtin.is_class()),
        (Some("2017"), None, false)
    );
    assert_eq!((sgtin.sscc(), sgtin.gln()), (None, None));
    let lgtin = Epc::parse("urn:epc:class:lgtin:4012345.012345.998877").unwrap();
    assert_eq!(
        (lgtin.lot(), lgtin.serial(), lgtin.is_class()),
        (Some("998877"), None, true)
    );
    let sscc = Epc::parse("urn:epc:id:sscc:0614141.1234567890").unwrap();
    assert_eq!(sscc.sscc().unwrap().as_str(), "106141412345678908");
    assert_eq!(sscc.gtin(), None);
    let sgln = Epc::parse("urn:epc:id:sgln:0614141.00888.1234").unwrap();
    assert_eq!(sgln.gln().unwrap().as_str(), "0614141008889");
    let pgln = Epc::parse("urn:epc:id:pgln:0614141.00777").unwrap();
    assert_eq!(pgln.gln().unwrap().as_str(), "0614141007776");
    let grai = Epc::parse("urn:epc:id:grai:0614141.12345.400").unwrap();
    assert_eq!(grai.serial(), Some("400"));
    let itip = Epc::parse("urn:epc:id:itip:4012345.012345.01.02.987").unwrap();
    assert_eq!(itip.gtin().unwrap().as_str(), "04012345123456");
    let other = Epc::parse("urn:uuid:1").unwrap();
    assert_eq!(
        (other.gtin(), other.serial(), other.ai_string().is_none()),
        (None, None, true)
    );
    assert_eq!(other.to_string(), "urn:uuid:1");
    assert_eq!(
        "urn:epc:id:sgtin:0614141.107346.2017"
            .parse::<Epc>()
            .unwrap(),
        sgtin
    );
}

#[test]
fn urns_round_trip_through_digital_links() {
    for urn in [
        "urn:epc:id:sgtin:0614141.107346.2017",
        "urn:epc:id:sgtin:0614141.812345.6789%2F%3F",
        "urn:epc:id:sscc:0614141.1234567890",
        "urn:epc:id:sgln:0614141.00777.0",
        "urn:epc:id:sgln:0614141.00888.1234",
        "urn:epc:id:pgln:0614141.00777",
        "urn:epc:id:grai:0614141.12345.400",
        "urn:epc:idpat:grai:0614141.12345.*",
        "urn:epc:id:giai:0614141.12345400",
        "urn:epc:id:gsrn:0614141.1234567890",
        "urn:epc:id:gsrnp:0614141.1234567890",
        "urn:epc:id:gdti:0614141.12345.400",
        "urn:epc:idpat:gdti:0614141.12345.*",
        "urn:epc:id:sgcn:4012345.67890.04711",
        "urn:epc:idpat:sgcn:4012345.67890.*",
        "urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345",
        "urn:epc:idpat:cpi:0614141.123ABC.*",
        "urn:epc:id:ginc:0614141.xyz47%2F11",
        "urn:epc:id:gsin:0614141.123456789",
        "urn:epc:id:itip:4012345.012345.01.02.987",
        "urn:epc:idpat:itip:4012345.012345.01.02.*",
        "urn:epc:class:lgtin:4012345.012345.998877",
        "urn:epc:idpat:sgtin:4012345.044444.*",
    ] {
        round_trip(urn);
    }
    // Without the table's help the caller's own prefixes decide.
    let demo = Epc::parse("urn:epc:id:sgtin:952000101.0234.1").unwrap();
    assert_eq!(demo.to_urn(&Gs1GcpTable), None);
    let known = KnownPrefixes::new(["952000101".parse().unwrap()]);
    assert_eq!(
        demo.to_urn(&known).as_deref(),
        Some("urn:epc:id:sgtin:952000101.0234.1")
    );
}

/// Every string of a JSON document that looks like an EPC URN or a GS1 Digital Link.
fn collect_ids(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s)
            if s.starts_with("urn:epc:") || s.starts_with("https://id.gs1.org/") =>
        {
            out.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

fn examples_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/epcis/examples"
    ))
}

fn ids_of(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut ids = BTreeSet::new();
    collect_ids(&doc, &mut ids);
    ids
}

#[test]
fn every_id_of_the_epcis_examples_parses_and_round_trips() {
    let mut ids = BTreeSet::new();
    for dir in ["", "full", "sensor"] {
        let dir = examples_dir().join(dir);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "jsonld") {
                ids.extend(ids_of(&path));
            }
        }
    }
    assert!(ids.len() > 100, "only {} ids found", ids.len());
    let (mut urns, mut by_table) = (0, 0);
    for id in &ids {
        let epc = Epc::parse(id).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(epc.kind(), EpcKind::Other, "{id}");
        assert_eq!(Epc::parse(epc.canonical()).unwrap(), epc, "{id}");
        let Some(body) = id.strip_prefix("urn:epc:") else {
            continue;
        };
        urns += 1;
        // With its own company prefix known, every URN comes back unchanged.
        let cp = body
            .split(':')
            .nth(2)
            .and_then(|c| c.split('.').next())
            .unwrap();
        let known = KnownPrefixes::new([cp.parse().unwrap()]);
        assert_eq!(epc.to_urn(&known).as_deref(), Some(id.as_str()));
        // With GS1's table alone, whenever the table lists that prefix.
        if Gs1GcpTable.gcp_length(&format!("{cp}00000")) == Some(cp.len()) {
            assert_eq!(epc.to_urn(&Gs1GcpTable).as_deref(), Some(id.as_str()));
            by_table += 1;
        }
    }
    assert!(
        urns > 80 && by_table > 60,
        "{urns} urns, {by_table} by the table"
    );
}

/// The ids of a JSON document in document order (keys sorted, as serde_json keeps them).
fn ids_in_order(path: &Path) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s)
                if s.starts_with("urn:epc:") || s.starts_with("https://id.gs1.org/") =>
            {
                out.push(s.clone());
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ids = Vec::new();
    walk(&doc, &mut ids);
    ids
}

#[test]
fn examples_in_both_forms_name_the_same_objects() {
    // GS1's Digital Link versions of the examples put the GTIN 70614141123451 where the URN
    // versions have sgtins of 0614141.107346 (GTIN 10614141073464) and, in 9.6.2, the lgtin
    // 4012345.012345.998877: different objects, not another spelling of the same ones.
    const SUBSTITUTE: &str = "/01/70614141123451/";
    let mut same = 0;
    for name in [
        "Example_9.6.1-ObjectEvent",
        "Example_9.6.2-ObjectEvent",
        "Example_9.6.3-AggregationEvent",
        "Example_9.6.4-TransformationEvent",
    ] {
        let urns = ids_in_order(&examples_dir().join(format!("{name}.jsonld")));
        let dls = ids_in_order(&examples_dir().join(format!("{name}WithDigitalLink.jsonld")));
        assert_eq!(urns.len(), dls.len(), "{name}");
        for (urn, dl) in urns.iter().zip(&dls) {
            let (a, b) = (Epc::parse(urn).unwrap(), Epc::parse(dl).unwrap());
            if dl.contains(SUBSTITUTE) {
                assert_ne!(a, b, "{name}: {urn} {dl}");
            } else {
                assert_eq!(a, b, "{name}: {urn} {dl}");
                same += 1;
            }
        }
    }
    assert!(same >= 10, "only {same} corresponding ids");
}

proptest! {
    #[test]
    fn generated_sgtins_round_trip(
        cp_len in 6usize..=12,
        digits in "[0-9]{13}",
        serial in "[!\"%-?A-Z_a-z]{1,20}",
    ) {
        // Keep clear of prefixes GS1 reserves for restricted circulation and coupons.
        let digits = format!("{}{}", (b'1' + digits.as_bytes()[0] % 8) as char, &digits[1..]);
        let (cp, rest) = digits.split_at(cp_len);
        let ir = format!("{}{}", &rest[rest.len() - 1..], &rest[..rest.len() - 1]);
        let escaped: String = serial.chars().map(|c| match c {
            '"' => "%22".into(), '%' => "%25".into(), '&' => "%26".into(), '/' => "%2F".into(),
            '<' => "%3C".into(), '>' => "%3E".into(), '?' => "%3F".into(), c => c.to_string(),
        }).collect();
        let urn = format!("urn:epc:id:sgtin:{cp}.{ir}.{escaped}");
        let epc = Epc::parse(&urn).unwrap();
        prop_assert_eq!(epc.serial(), Some(serial.as_str()));
        let again = Epc::parse(epc.canonical()).unwrap();
        prop_assert_eq!(&again, &epc);
        let known = KnownPrefixes::new([cp.parse().unwrap()]);
        prop_assert_eq!(again.to_urn(&known), Some(urn));
    }
}
