//! The JSON-LD binding over GS1's own example documents (`../shared/reference/epcis/examples/`):
//! every event reads, writes back schema-valid, and reads again to the same event, in both
//! identifier forms.

use std::path::{Path, PathBuf};

use epcis::epc::Gs1GcpTable;
use epcis::{Document, EpcFormat, Event, EventType};
use serde_json::{Value, json};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/epcis/examples")
}

/// Every `.jsonld` EPCIS document among the examples, by file name.
fn documents() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in ["", "full", "sensor"] {
        let dir = examples().join(dir);
        for entry in std::fs::read_dir(&dir).expect("examples folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "jsonld") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("read example");
            let doc: Value = serde_json::from_str(&text).expect("example is JSON");
            if doc["type"] == "EPCISDocument" {
                out.push((name, doc));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 40,
        "only {} example documents found",
        out.len()
    );
    out
}

fn validator() -> jsonschema::Validator {
    let path = examples().join("../epcis-json-schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    // GS1's examples name documents `_:document1` (a blank node), which is no `format: uri`;
    // formats are annotations in draft-07, as the reference README validated them.
    jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("schema compiles")
}

// GS1's own example is off here: its sourceList/destinationList are objects, not arrays (see
// ../shared/reference/epcis/README.md), so we refuse it as the schema does.
const OFF: &str = "Example-TransactionEvents-2020_07_03y.jsonld";

#[test]
fn every_example_event_reads_writes_schema_valid_and_reads_back_equal() {
    let validator = validator();
    let mut events = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (name, doc) in documents() {
        let given: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(
            given.is_empty() || name == OFF,
            "{name} as given: {given:#?}"
        );
        let read = Document::from_json(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed: Vec<Event> = match read.events.into_iter().collect::<Result<Vec<_>, _>>() {
            Ok(p) => p,
            Err(e) if name == OFF => {
                assert!(e.to_string().contains("sourceList"), "{name}: {e}");
                continue;
            }
            Err(e) => panic!("{name}: {e}"),
        };
        assert_ne!(name, OFF, "the off example now reads: drop it from OFF");
        for format in [EpcFormat::DigitalLink, EpcFormat::Urn] {
            let written = Document::write(
                read.context.clone(),
                "2026-12-03T08:00:00+07:00",
                &parsed,
                format,
                &Gs1GcpTable,
            );
            let errors: Vec<String> = validator
                .iter_errors(&written)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name} {format:?}: {errors:#?}");
            let again = Document::from_json(&written).expect("written document reads");
            for (i, (before, after)) in parsed.iter().zip(again.events).enumerate() {
                let after = after.unwrap_or_else(|e| panic!("{name}[{i}] {format:?}: {e}"));
                assert_eq!(*before, after, "{name}[{i}] {format:?}");
            }
        }
        for e in &parsed {
            kinds.insert(e.kind);
        }
        events += parsed.len();
    }
    assert_eq!(kinds.len(), 5, "every event type is exercised: {kinds:?}");
    assert!(events >= 50, "only {events} events read");
}

#[test]
fn identifiers_of_both_spellings_read_to_one_canonical_form() {
    let e = |epc: &str, loc: &str| {
        Event::from_json(&json!({
            "type": "ObjectEvent", "action": "OBSERVE",
            "eventTime": "2026-12-03T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
            "epcList": [epc], "readPoint": {"id": loc},
            "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
        }))
        .expect("event reads")
    };
    let urn = e(
        "urn:epc:id:sgtin:8934567.000058.S1",
        "urn:epc:id:sgln:8934567.00001.0",
    );
    let dl = e(
        "https://example.vn/01/08934567000581/21/S1",
        "https://id.gs1.org/414/8934567000017",
    );
    assert_eq!(urn, dl);
    assert_eq!(urn.biz_step.as_deref(), Some("shipping"));
    assert_eq!(
        urn.epcs[0].canonical(),
        "https://id.gs1.org/01/08934567000581/21/S1"
    );
}

type Change = fn(&mut Value);

#[test]
fn bad_events_are_refused_naming_the_field() {
    let base = json!({
        "type": "ObjectEvent", "action": "ADD",
        "eventTime": "2026-12-03T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
        "epcList": ["urn:epc:id:sgtin:8934567.000581.S1"],
    });
    assert!(Event::from_json(&base).is_ok());
    let cases: [(Change, &str); 15] = [
        (|v| v["type"] = json!("ShippingEvent"), "type:"),
        (
            |v| drop(v.as_object_mut().map(|o| o.remove("action"))),
            "action: a ObjectEvent needs",
        ),
        (|v| v["action"] = json!("MOVE"), "action:"),
        (|v| v["eventTime"] = json!("2026-12-03 08:00"), "eventTime:"),
        (
            |v| v["eventTimeZoneOffset"] = json!("+7"),
            "eventTimeZoneOffset:",
        ),
        (
            |v| v["epcList"] = json!(["urn:epc:id:sgtin:8934567.000581"]),
            "epcList[0]:",
        ),
        (
            |v| v["childEPCs"] = json!([]),
            "childEPCs: a ObjectEvent has no childEPCs",
        ),
        (
            |v| v["colour"] = json!("red"),
            "colour: not a field of EPCIS 2.0",
        ),
        (|v| v["bizStep"] = json!("teleporting"), "bizStep:"),
        (
            |v| v["readPoint"] = json!({"id": "urn:epc:id:sgln:8934567.00001.0", "x": 1}),
            "readPoint.x:",
        ),
        (
            |v| {
                v["quantityList"] = json!([{"epcClass": "urn:epc:class:lgtin:8934567.000581.L1",
                                           "quantity": 5, "uom": "kilograms"}])
            },
            "quantityList[0].uom:",
        ),
        (
            |v| v["quantityList"] = json!([{"quantity": 5}]),
            "quantityList[0].epcClass: is required",
        ),
        (
            |v| {
                v["sensorElementList"] =
                    json!([{"sensorReport": [{"type": "Temperature", "value": "hot"}]}])
            },
            "sensorElementList[0].sensorReport[0].value:",
        ),
        (
            |v| v["errorDeclaration"] = json!({"reason": "did_not_occur"}),
            "errorDeclaration.declarationTime",
        ),
        (
            |v| v["ex:note"] = json!({"text": ["a\u{0}b"]}),
            "ex:note.text[0]: must not contain U+0000",
        ),
    ];
    for (change, want) in cases {
        let mut v = base.clone();
        change(&mut v);
        let got = Event::from_json(&v).expect_err(want).to_string();
        assert!(got.starts_with(want), "{got:?} should start with {want:?}");
    }
}

#[test]
fn a_document_keeps_each_events_error_with_its_position() {
    let doc = json!({
        "@context": [epcis::document::CONTEXT], "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-12-03T08:00:00+07:00",
        "epcisBody": {"eventList": [
            {"type": "TransformationEvent", "eventTime": "2026-12-03T08:00:00Z",
             "eventTimeZoneOffset": "+00:00",
             "inputQuantityList": [{"epcClass": "urn:epc:class:lgtin:8934567.000581.L1",
                                    "quantity": 10, "uom": "KGM"}],
             "outputEPCList": ["urn:epc:id:sgtin:8934567.000598.1"]},
            {"type": "AggregationEvent", "eventTime": "2026-12-03T08:00:00Z",
             "eventTimeZoneOffset": "+00:00"},
        ]},
    });
    let read = Document::from_json(&doc).expect("document reads");
    assert_eq!(read.events.len(), 2);
    let first = read.events[0].as_ref().expect("first event is good");
    assert_eq!(first.kind, EventType::Transformation);
    assert_eq!(first.objects().count(), 2);
    let second = read.events[1]
        .as_ref()
        .expect_err("second event lacks its action");
    assert_eq!(second.path.as_str(), "epcisBody.eventList[1].action");
    let mut old = doc.clone();
    old["schemaVersion"] = json!("1.2");
    let refused = Document::from_json(&old).expect_err("1.2 in JSON is refused");
    assert!(refused.to_string().starts_with("schemaVersion"));
}

/// A capture hashes what `Event::to_json` wrote without parsing its identifiers again: that
/// shortcut gives the hash id of the full algorithm on every example event.
#[test]
fn the_written_form_hashes_like_the_full_algorithm() {
    use epcis::hash::{event_hash_id_with_context, written_event_hash_id};
    let mut checked = 0;
    for (name, doc) in documents() {
        let Ok(read) = Document::from_json(&doc) else {
            continue;
        };
        for event in read.events.into_iter().flatten() {
            let written = event.to_json(EpcFormat::DigitalLink, &Gs1GcpTable);
            assert_eq!(
                written_event_hash_id(&written, &doc["@context"]).unwrap(),
                event_hash_id_with_context(&written, &doc["@context"]).unwrap(),
                "{name}: {written}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} events checked");
}

/// Every example event, mapped to a UNTP 0.6.1 DTE event in both details, makes a credential
/// the DTE schema accepts (formats checked: the DTE's URIs and times must be real ones).
#[test]
fn every_example_event_maps_to_a_schema_valid_untp_dte() {
    use epcis::untp::{DTE_CONTEXT, Detail, dte_event};
    let path = examples().join("../../untp/0.6.1/untp-dte-schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("DTE schema")).expect("JSON");
    let dte = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let mut kinds = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (name, doc) in documents() {
        let Ok(read) = Document::from_json(&doc) else {
            continue;
        };
        for event in read.events.into_iter().flatten() {
            let hash =
                epcis::hash::event_hash_id(&event.to_json(EpcFormat::DigitalLink, &Gs1GcpTable))
                    .unwrap();
            for detail in [Detail::Full, Detail::Summary] {
                let subject = dte_event(&event, &hash, detail, &|e| e.canonical().to_owned());
                let credential = json!({
                    "@context": DTE_CONTEXT,
                    "type": ["DigitalTraceabilityEvent", "VerifiableCredential"],
                    "id": "https://dpp.example.vn/api/v1/traceability-credentials/1",
                    "issuer": {"type": ["CredentialIssuer"], "id": "did:web:dpp.example.vn", "name": "gs1-dpp"},
                    "validFrom": "2026-12-04T08:00:00Z",
                    "credentialSubject": [subject],
                });
                let errors: Vec<String> = dte
                    .iter_errors(&credential)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{name} ({detail:?}): {errors:#?}\n{credential:#}"
                );
                if detail == Detail::Summary {
                    assert!(
                        credential["credentialSubject"][0]
                            .get("bizLocation")
                            .is_none()
                    );
                    assert!(
                        credential["credentialSubject"][0]
                            .get("sensorElementList")
                            .is_none()
                    );
                }
            }
            kinds.insert(event.kind.as_str());
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} events");
    assert_eq!(kinds.len(), 5, "every event type: {kinds:?}");
}
