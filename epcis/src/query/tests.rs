//! The query parameters evaluated on events, against GS1's example events.

use super::Query;
use crate::Event;

/// The events of one of GS1's example documents.
fn example(name: &str) -> Vec<Event> {
    let path = format!(
        "{}/../../shared/reference/epcis/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["epcisBody"]["eventList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Event::from_json(e).unwrap())
        .collect()
}

fn query(pairs: &[(&str, &str)]) -> Query {
    Query::parse(pairs.iter().copied()).unwrap_or_else(|e| panic!("{pairs:?}: {e}"))
}

/// Which of the events (by position) the query matches.
fn hits(events: &[Event], pairs: &[(&str, &str)]) -> Vec<usize> {
    let q = query(pairs);
    (0..events.len())
        .filter(|i| q.matches(&events[*i]))
        .collect()
}

fn refused(pairs: &[(&str, &str)]) -> String {
    match Query::parse(pairs.iter().copied()) {
        Ok(q) => panic!("{pairs:?} parsed: {q:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn transformation_id() {
    let mut json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../../shared/reference/epcis/examples/Example_9.6.4-TransformationEvent.jsonld",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let id = "urn:uuid:2a8a7b2e-0b5c-4b44-9b8b-0c1f3e4d5a6b";
    let event = &mut json["epcisBody"]["eventList"][0];
    event["transformationID"] = id.into();
    let e = vec![Event::from_json(event).unwrap()];
    assert_eq!(hits(&e, &[("EQ_transformationID", id)]), [0]);
    assert!(hits(&e, &[("EQ_transformationID", "urn:uuid:0-0")]).is_empty());
}

#[test]
fn persistent_disposition() {
    let e = example("PersistentDisposition-example.jsonld");
    let set = "EQ_persistentDisposition_set";
    assert_eq!(hits(&e, &[(set, "completeness_inferred")]), [0]);
    assert_eq!(hits(&e, &[(set, "completeness_verified")]), [1]);
    // The URN form names the same disposition.
    let urn = "urn:epcglobal:cbv:disp:completeness_inferred";
    assert_eq!(hits(&e, &[("EQ_persistentDisposition_unset", urn)]), [1]);
    assert!(refused(&[(set, "not a disposition")]).contains("EQ_persistentDisposition_set"));
}

#[test]
fn quantities() {
    let e = example("ErrorDeclarationAndCorrectiveEvent.jsonld");
    // Outputs: 452 KGM in the first event, 500 KGM in the second; inputs 500 KGM in both.
    assert_eq!(hits(&e, &[("EQ_quantity", "452")]), [0]);
    assert_eq!(hits(&e, &[("EQ_quantity_KGM", "452|1")]), [0]);
    assert!(hits(&e, &[("EQ_quantity_LTR", "452")]).is_empty());
    assert_eq!(hits(&e, &[("GE_quantity", "500")]), [0, 1]);
    assert!(hits(&e, &[("GT_quantity", "500")]).is_empty());
    assert_eq!(hits(&e, &[("LT_quantity", "500")]), [0]);
    assert_eq!(hits(&e, &[("LE_quantity_KGM", "452")]), [0]);
    assert!(refused(&[("GT_quantity", "many")]).contains("GT_quantity"));
}

#[test]
fn error_declarations() {
    let e = example("ErrorDeclarationAndCorrectiveEvent.jsonld");
    assert_eq!(hits(&e, &[("EQ_errorReason", "incorrect_data")]), [0]);
    assert_eq!(
        hits(
            &e,
            &[("EQ_errorReason", "urn:epcglobal:cbv:er:incorrect_data")]
        ),
        [0]
    );
    assert!(hits(&e, &[("EQ_errorReason", "did_not_occur")]).is_empty());
    let corrective = "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8";
    assert_eq!(hits(&e, &[("EQ_correctiveEventID", corrective)]), [0]);
    let at = "2020-01-15T00:00:00+01:00";
    assert_eq!(hits(&e, &[("GE_errorDeclarationTime", at)]), [0]);
    assert!(hits(&e, &[("LT_errorDeclarationTime", at)]).is_empty());
    assert!(query(&[("EQ_errorReason", "incorrect_data")]).needs_error_declaration());
    // The binding defines only GE_ and LT_ for the declaration time.
    assert!(refused(&[("GT_errorDeclarationTime", at)]).contains("not a parameter"));
}

#[test]
fn business_transactions_sources_destinations() {
    let e = example("PersistentDisposition-example.jsonld");
    let po = "urn:epcglobal:cbv:bt:9529999999991:XYZ567";
    assert_eq!(hits(&e, &[("EQ_bizTransaction_po", po)]), [0, 1]);
    assert!(hits(&e, &[("EQ_bizTransaction_inv", po)]).is_empty());
    // A PGLN as an EPC URN or its Digital Link.
    let owner = "urn:epc:id:pgln:9520001.11111";
    assert_eq!(hits(&e, &[("EQ_source_owning_party", owner)]), [0, 1]);
    let dl = crate::Epc::parse(owner).unwrap().canonical().to_owned();
    assert!(dl.starts_with("https://id.gs1.org/417/"));
    assert_eq!(hits(&e, &[("EQ_source_owning_party", &dl)]), [0, 1]);
    assert!(hits(&e, &[("EQ_source_possessing_party", owner)]).is_empty());
    let dest = "urn:epc:id:pgln:9520999.99999";
    assert_eq!(hits(&e, &[("EQ_destination_owning_party", dest)]), [0, 1]);
    assert!(hits(&e, &[("EQ_destination_owning_party", owner)]).is_empty());
}

#[test]
fn sensor_reports_and_metadata() {
    let e = example("sensor/SensorDataExample1.jsonld");
    assert_eq!(hits(&e, &[("EXISTS_sensorElementList", "")]), [0]);
    assert_eq!(hits(&e, &[("EQ_type", "Temperature|Speed")]), [0]);
    assert_eq!(hits(&e, &[("EQ_type", "gs1:Illuminance")]), [0]);
    assert!(hits(&e, &[("EQ_type", "Voltage")]).is_empty());
    assert_eq!(
        hits(&e, &[("EQ_deviceID", "urn:epc:id:giai:4000001.111")]),
        [0]
    );
    assert_eq!(hits(&e, &[("GE_value_CEL", "26.1")]), [0]);
    assert!(hits(&e, &[("GT_value_CEL", "27")]).is_empty());
    assert_eq!(hits(&e, &[("EQ_value_KMH", "160")]), [0]);
    // Same number, another unit: no match (units are not converted).
    assert!(hits(&e, &[("EQ_value_CEL", "160")]).is_empty());
    assert_eq!(hits(&e, &[("GE_time", "2019-04-02T14:30:00+01:00")]), [0]);
    assert!(hits(&e, &[("LT_time", "2019-04-02T14:00:00+01:00")]).is_empty());

    let e = example("Example-Type-sourceOrDestination,measurement,bizTransaction.jsonld");
    assert_eq!(hits(&e, &[("GE_minValue_A93", "12.1")]), [0]);
    assert!(hits(&e, &[("GT_maxValue_A93", "12.2")]).is_empty());
    assert_eq!(
        hits(&e, &[("LT_startTime", "2019-11-06T14:00:00+01:00")]),
        [0]
    );

    let e = example("full/object_event_all_possible_fields.jsonld");
    assert_eq!(
        hits(
            &e,
            &[(
                "EQ_microorganism",
                "https://www.ncbi.nlm.nih.gov/taxonomy/1126011"
            )]
        ),
        [0]
    );
    assert_eq!(
        hits(
            &e,
            &[("EQ_SENSORMETADATA_ext1:someFurtherMetadata", "someText")]
        ),
        [0]
    );
    assert!(refused(&[("EQ_booleanValue", "maybe")]).contains("EQ_booleanValue"));
}

#[test]
fn extension_fields() {
    let e = example("Example_9.6.4-TransformationEvent.jsonld");
    let my = "Example of a vendor/user extension";
    assert_eq!(hits(&e, &[("EQ_example:myField", my)]), [0]);
    assert_eq!(hits(&e, &[("EXISTS_example:myField", "")]), [0]);
    assert!(hits(&e, &[("EXISTS_example:other", "")]).is_empty());
    assert_eq!(hits(&e, &[("EQ_ILMD_example:batch", "XYZ|ABC")]), [0]);
    assert!(hits(&e, &[("EQ_example:batch", "XYZ")]).is_empty());
    // A date without a time is not a time: the comparison does not hold.
    assert!(
        hits(
            &e,
            &[("GE_ILMD_example:bestBeforeDate", "2014-12-01T00:00:00Z")]
        )
        .is_empty()
    );
    let e = example("ErrorDeclarationAndCorrectiveEvent.jsonld");
    let name = "EQ_ERROR_DECLARATION_example:vendorExtension";
    assert_eq!(hits(&e, &[(name, "Test1")]), [0]);
}

#[test]
fn inner_extension_fields() {
    let json = serde_json::json!({
        "type": "ObjectEvent", "action": "OBSERVE",
        "eventTime": "2024-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
        "ex:outer": {"ex:mid": [{"ex:temp": 5}, {"ex:temp": 9}]},
        "ilmd": {"ex:lot": {"ex:origin": "VN"}},
    });
    let e = vec![Event::from_json(&json).unwrap()];
    assert_eq!(hits(&e, &[("GT_INNER_ex:temp", "8")]), [0]);
    assert!(hits(&e, &[("GT_INNER_ex:temp", "9")]).is_empty());
    assert_eq!(hits(&e, &[("EQ_INNER_ex:temp", "5")]), [0]);
    assert_eq!(hits(&e, &[("EXISTS_INNER_ex:mid", "")]), [0]);
    // INNER_ looks below the event's own fields, not at them.
    assert!(hits(&e, &[("EXISTS_INNER_ex:outer", "")]).is_empty());
    assert_eq!(hits(&e, &[("EQ_INNER_ILMD_ex:origin", "VN")]), [0]);
}

#[test]
fn refused_by_name() {
    assert!(refused(&[("HASATTR_ex:colour", "red")]).contains("master data"));
    assert!(refused(&[("EQ_ATTR_ex:loc_ex:colour", "red")]).contains("master data"));
    assert!(refused(&[("EQ_readPoint_ex:room", "1")]).contains("location"));
    assert!(refused(&[("EQ_notAField", "1")]).contains("not a parameter"));
}

#[test]
fn with_descendants() {
    let urn = "urn:epc:id:sgln:0614141.00777.0";
    let gln = crate::Epc::parse(urn).unwrap().canonical().to_owned();
    let q = query(&[("WD_bizLocation", urn)]);
    let w = q.wd_biz_location.unwrap();
    assert!(w.contains(&gln));
    assert!(w.contains(&format!("{gln}/254/12")));
    let other = crate::Epc::parse("urn:epc:id:sgln:0614141.00778.0").unwrap();
    assert!(!w.contains(other.canonical()));
    // An SGLN with an extension has no descendants.
    let q = query(&[("WD_readPoint", &format!("{gln}/254/12"))]);
    let w = q.wd_read_point.unwrap();
    assert!(w.contains(&format!("{gln}/254/12")));
    assert!(!w.contains(&format!("{gln}/254/123")));
}

#[test]
fn max_event_count() {
    assert_eq!(query(&[("maxEventCount", "5")]).max_event_count, Some(5));
    let why = refused(&[("maxEventCount", "5"), ("eventCountLimit", "2")]);
    assert!(why.contains("maxEventCount") && why.contains("eventCountLimit"));
}
