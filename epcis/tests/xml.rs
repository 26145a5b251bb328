//! The XML bindings against GS1's examples: every EPCIS document reads, validates against the
//! EPCIS 2.0 JSON schema, round-trips, and equals its JSON-LD twin where GS1 published one.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use epcis::xml::{XmlError, read_document, write_document, write_query_document};
use serde_json::{Value, json};

/// `shared/` sits beside the workspace checkout, here and in CI.
fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/epcis")
}

fn examples() -> PathBuf {
    reference().join("examples")
}

fn xml_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(examples().join("xml"))
        .expect("examples/xml")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

fn name(p: &Path) -> String {
    p.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The documents that are not EPCIS event documents, and the error each must give.
fn refused(name: &str) -> Option<fn(&XmlError) -> bool> {
    if name.starts_with("CaptureJob-") {
        Some(|e| matches!(e, XmlError::NotEpcis { .. }))
    } else if name == "Mimasu-Example-masterData.xml" {
        Some(|e| matches!(e, XmlError::MasterDataDocument))
    } else {
        None
    }
}

fn readable() -> Vec<(String, Value)> {
    xml_files()
        .iter()
        .filter(|p| refused(&name(p)).is_none())
        .map(|p| {
            let bytes = std::fs::read(p).expect("read example");
            let doc = read_document(&bytes).unwrap_or_else(|e| panic!("{}: {e}", name(p)));
            (name(p), doc)
        })
        .collect()
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(reference().join("epcis-json-schema.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// GS1's sensor XML writes two exception reports without the `type` their JSON-LD twin
/// (SensorDataExample9) gives; the XSD lets type be absent, the JSON schema does not. We do not
/// make one up.
fn known_schema_slip(file: &str, error: &str) -> bool {
    file == "WithSensorData-SensorDataExamples.xml"
        && error.starts_with("\"type\" is a required property at /epcisBody/eventList/8/sensorElementList/0/sensorReport/")
}

#[test]
fn every_event_document_reads_and_validates() {
    let validator = schema();
    let mut read = 0;
    for path in xml_files() {
        let n = name(&path);
        let bytes = std::fs::read(&path).expect("read example");
        let result = read_document(&bytes);
        if let Some(expected) = refused(&n) {
            let err = result.expect_err(&n);
            assert!(expected(&err), "{n}: wrong error {err}");
            continue;
        }
        let doc = result.unwrap_or_else(|e| panic!("{n}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .filter(|e| !known_schema_slip(&n, e))
            .collect();
        assert!(
            errors.is_empty(),
            "{n} is not schema-valid:\n{}",
            errors.join("\n")
        );
        read += 1;
    }
    // 27 files: 4 capture-job documents and 1 master-data document refused, 22 read.
    assert_eq!(read, 22, "event documents among the examples");
}

#[test]
fn xml_json_xml_json_is_a_fixed_point() {
    for (n, doc) in readable() {
        let xml = write_document(&doc).unwrap_or_else(|e| panic!("{n}: {e}"));
        let again = read_document(&xml).unwrap_or_else(|e| {
            panic!("{n}: {e}\n{}", String::from_utf8_lossy(&xml));
        });
        assert_eq!(again, doc, "{n}");
    }
}

/// Times as UTC instants, numbers as f64, JSON-LD-only keys dropped: what both bindings share.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "@context" && !(*k == "id" && map.contains_key("type")))
                .map(|(k, v)| (k.clone(), normalise(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Value::String(
                t.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
            ),
            Err(_) => v.clone(),
        },
        Value::Number(n) => json!(n.as_f64()),
        _ => v.clone(),
    }
}

fn jsonld(file: &str) -> Value {
    let text = std::fs::read_to_string(examples().join(file)).expect(file);
    serde_json::from_str(&text).expect(file)
}

fn events(doc: &Value) -> Vec<Value> {
    doc["epcisBody"]["eventList"]
        .as_array()
        .expect("eventList")
        .iter()
        .map(normalise)
        .collect()
}

/// Every path where `a` and `b` differ, for readable failures.
fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(l), Some(r)) => diff(l, r, &p, out),
                    (l, r) => out.push(format!("{p}: {l:?} vs {r:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                diff(l, r, &format!("{path}[{i}]"), out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: {a} vs {b}")),
    }
}

/// Applies `(pointer, value)` fixes to a JSON-LD event; `Value::Null` removes the key.
fn patch(event: &mut Value, fixes: &[(&str, Value)]) {
    for (pointer, value) in fixes {
        let (parent, key) = pointer.rsplit_once('/').expect("pointer has a key");
        let target = event
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent}"));
        let obj = target.as_object_mut().expect("patch an object");
        if value.is_null() {
            assert!(obj.remove(key).is_some(), "nothing at {pointer}");
        } else {
            obj.insert(key.to_owned(), value.clone());
        }
    }
}

/// A fix to a JSON-LD twin: event index, JSON pointer in it, value (`Null` removes).
type Fix<'a> = (usize, &'a str, Value);

/// How much of a JSON-LD twin the XML example carries.
#[derive(Clone, Copy, PartialEq)]
enum Twin {
    /// Same events, field for field.
    Whole,
    /// GS1's `WithFullCombinationOfFields` XML files hold fewer fields than their JSON-LD
    /// namesakes (no eventID, certificationInfo, errorDeclaration, ilmd or event-level
    /// extensions in some): each field the XML gives must match, missing ones are not compared.
    FieldsOfXml,
}

/// The `full/` JSON-LD files write a nested extension object `<a:o><b:s/></a:o>` as
/// `{"a:o": {"a:o": {"b:s": ...}}}`, its key doubled (a slip of the tool that made them).
fn collapse_doubled_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map.iter_mut() {
                loop {
                    let single = inner
                        .as_object()
                        .filter(|o| o.len() == 1)
                        .and_then(|o| o.get(k))
                        .filter(|x| x.is_object())
                        .cloned();
                    match single {
                        Some(x) => *inner = x,
                        None => break,
                    }
                }
                collapse_doubled_keys(inner);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(collapse_doubled_keys),
        _ => {}
    }
}

/// Compares XML events with JSON-LD events after the fixes that undo the examples' own slips.
fn check_twin(xml_file: &str, json_events: Vec<Value>, twin: Twin, fixes: &[Fix]) {
    let bytes = std::fs::read(examples().join("xml").join(xml_file)).expect(xml_file);
    let from_xml = events(&read_document(&bytes).expect(xml_file));
    let mut from_json = json_events;
    for (i, pointer, value) in fixes {
        patch(&mut from_json[*i], &[(pointer, normalise(value))]);
    }
    assert_eq!(from_xml.len(), from_json.len(), "{xml_file}: event count");
    let mut out = Vec::new();
    for (i, (x, j)) in from_xml.iter().zip(from_json.iter_mut()).enumerate() {
        // The JSON-LD examples carry the CBV event hash (`ni:///sha-256;...`) as eventID where
        // the XML examples have none; a hash id is derived from the event, not part of it.
        if x.get("eventID").is_none()
            && j["eventID"]
                .as_str()
                .is_some_and(|id| id.starts_with("ni:///"))
            && let Some(obj) = j.as_object_mut()
        {
            obj.remove("eventID");
        }
        if twin == Twin::FieldsOfXml {
            collapse_doubled_keys(j);
            if let (Some(xo), Some(jo)) = (x.as_object(), j.as_object_mut()) {
                jo.retain(|k, _| xo.contains_key(k));
            }
        }
        diff(x, j, &format!("[{i}]"), &mut out);
    }
    assert!(out.is_empty(), "{xml_file} differs:\n{}", out.join("\n"));
}

#[test]
fn object_events_equal_their_jsonld_twin() {
    check_twin(
        "Example_9.6.1-ObjectEvent-2020_06_18a.xml",
        events(&jsonld("Example_9.6.1-ObjectEvent.jsonld")),
        Twin::Whole,
        &[],
    );
}

#[test]
fn transaction_events_equal_their_jsonld_twin() {
    check_twin(
        "Example-TransactionEvent-2020_07_03y.xml",
        events(&jsonld("Example-TransactionEvents-2020_07_03y.jsonld")),
        Twin::Whole,
        &[
            // The JSON-LD example writes sourceList and destinationList as single objects; the
            // JSON schema (and the XML) have lists.
            (
                1,
                "/sourceList",
                json!([{"type": "location", "source": "urn:epc:id:sgln:952005385.481.0"}]),
            ),
            (
                1,
                "/destinationList",
                json!([{"type": "location", "destination": "urn:epc:id:sgln:952005385.011.0"}]),
            ),
            // It drops the empty <rail:vehicleMasterGIAI/> of vehicle 2 and types one of three
            // vehicleUniquelyIdentified values as a boolean, the other two as strings.
            (1, "/rail:vehicle/1/rail:vehicleMasterGIAI", json!("")),
            (
                1,
                "/rail:vehicle/2/rail:vehicleUniquelyIdentified",
                json!("true"),
            ),
        ],
    );
}

#[test]
fn persistent_disposition_equals_its_jsonld_twin() {
    check_twin(
        "Example-PersistentDisposition.xml",
        events(&jsonld("PersistentDisposition-example.jsonld")),
        Twin::Whole,
        &[],
    );
}

#[test]
fn error_declaration_equals_its_jsonld_twin() {
    // The XML gives the input quantity as xsi:nil (no quantity, no uom) where the JSON-LD says
    // 500 KGM, and a different readPoint in both events.
    let fixes: Vec<(usize, &str, Value)> = (0..2)
        .flat_map(|i| {
            [
                (i, "/inputQuantityList/0/quantity", Value::Null),
                (i, "/inputQuantityList/0/uom", Value::Null),
                (i, "/readPoint/id", json!("urn:epc:id:sgln:4012345.00000.0")),
            ]
        })
        .collect();
    check_twin(
        "WithErrorDeclaration-ErrorDeclarationAndCorrectiveEvent.xml",
        events(&jsonld("ErrorDeclarationAndCorrectiveEvent.jsonld")),
        Twin::Whole,
        &fixes,
    );
}

#[test]
fn association_events_equal_their_jsonld_twins() {
    let json: Vec<Value> = "abcdefgh"
        .chars()
        .flat_map(|c| events(&jsonld(&format!("AssociationEvent-{c}.jsonld"))))
        .collect();
    check_twin(
        "AssociationEvent-AssociationEventExamples.xml",
        json,
        Twin::Whole,
        // Case (g) names its corrective event (h) by h's urn:uuid eventID in XML; the JSON-LD
        // names a hash that is not h's eventID there either.
        &[(
            6,
            "/errorDeclaration/correctiveEventIDs",
            json!(["urn:uuid:fd338495-0e6d-41dd-afee-a862ecd32518"]),
        )],
    );
}

#[test]
fn full_combination_events_equal_their_jsonld_twins() {
    // The object event's XML says OBSERVE where its JSON-LD says ADD, and its sensorElement
    // carries a cut-down copy of the JSON-LD's extension fields.
    let object_fixes = [
        (0, "/action", json!("OBSERVE")),
        (
            0,
            "/sensorElementList/0/ext1:object",
            json!({
                "ext2:string": "stringInObject",
                "ext2:array": "11",
                "ext2:object": {"ext3:string": "stringInObjectInObject"}
            }),
        ),
        (0, "/sensorElementList/0/ext1:array", Value::Null),
        (0, "/sensorElementList/0/ext1:float", Value::Null),
        (0, "/sensorElementList/0/ext1:int", Value::Null),
        (0, "/sensorElementList/0/ext1:time", Value::Null),
    ];
    let weight = json!({"#text": "3.5", "measurementUnitCode": "KGM"});
    let weights = [
        (0, "/ilmd/cbvmda:drainedWeight", weight.clone()),
        (0, "/ilmd/cbvmda:grossWeight", weight.clone()),
        (0, "/ilmd/cbvmda:netWeight", weight),
    ];
    let cases: [(&str, &[Fix]); 5] = [
        ("object_event", &object_fixes),
        // Its XML sensor report says component example:x, the JSON-LD cbv:Comp-latitude.
        (
            "aggregation_event",
            &[(
                0,
                "/sensorElementList/0/sensorReport/0/component",
                json!("example:x"),
            )],
        ),
        ("association_event", &[]),
        ("transaction_event", &[]),
        // Its XML gives cbvmda weights a measurementUnitCode="KGM" attribute, which the
        // JSON-LD drops; we keep it (see extension_value: attributes become properties).
        ("transformation_event", &weights),
    ];
    for (kind, fixes) in cases {
        check_twin(
            &format!("WithFullCombinationOfFields-{kind}_all_possible_fields.xml"),
            events(&jsonld(&format!("full/{kind}_all_possible_fields.jsonld"))),
            Twin::FieldsOfXml,
            fixes,
        );
    }
}

const EPCIS_12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:ex="http://ns.example.com/epcis"
    schemaVersion="1.2" creationDate="2024-05-01T10:00:00.000+02:00">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2024-05-01T09:00:00.000+02:00</eventTime>
        <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
        <baseExtension>
          <eventID>urn:uuid:6d7c2c1e-6a57-4a1e-9a61-0b7f3c1f2a10</eventID>
          <errorDeclaration>
            <declarationTime>2024-05-02T09:00:00.000+02:00</declarationTime>
            <reason>urn:epcglobal:cbv:er:incorrect_data</reason>
            <correctiveEventIDs>
              <correctiveEventID>urn:uuid:0b3c1b7e-1f35-4a0e-8e2a-5b8f0a1c2d3e</correctiveEventID>
            </correctiveEventIDs>
            <extension><ex:why>typo</ex:why></extension>
          </errorDeclaration>
        </baseExtension>
        <epcList/>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        <disposition>urn:epcglobal:cbv:disp:active</disposition>
        <readPoint><id>urn:epc:id:sgln:4012345.00001.0</id><extension><ex:door>3</ex:door></extension></readPoint>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:4012345000009:PO-1</bizTransaction>
        </bizTransactionList>
        <extension>
          <quantityList>
            <quantityElement>
              <epcClass>urn:epc:class:lgtin:4012345.012345.LOT1</epcClass>
              <quantity>12.5</quantity>
              <uom>KGM</uom>
            </quantityElement>
          </quantityList>
          <sourceList>
            <source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00000</source>
          </sourceList>
          <ilmd><ex:bestBefore>2025-01-01</ex:bestBefore></ilmd>
        </extension>
        <ex:note>kept</ex:note>
      </ObjectEvent>
      <extension>
        <TransformationEvent>
          <eventTime>2024-05-01T11:00:00.000+02:00</eventTime>
          <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
          <inputEPCList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></inputEPCList>
          <outputQuantityList>
            <quantityElement>
              <epcClass>urn:epc:class:lgtin:4012345.022222.LOT2</epcClass>
              <quantity>3</quantity>
            </quantityElement>
          </outputQuantityList>
          <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
          <ilmd><ex:grade>A</ex:grade></ilmd>
        </TransformationEvent>
      </extension>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>"#;

const EPCIS_20: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="http://ns.example.com/epcis"
    schemaVersion="2.0" creationDate="2024-05-01T10:00:00.000+02:00">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2024-05-01T09:00:00.000+02:00</eventTime>
        <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
        <eventID>urn:uuid:6d7c2c1e-6a57-4a1e-9a61-0b7f3c1f2a10</eventID>
        <errorDeclaration>
          <declarationTime>2024-05-02T09:00:00.000+02:00</declarationTime>
          <reason>urn:epcglobal:cbv:er:incorrect_data</reason>
          <correctiveEventIDs>
            <correctiveEventID>urn:uuid:0b3c1b7e-1f35-4a0e-8e2a-5b8f0a1c2d3e</correctiveEventID>
          </correctiveEventIDs>
          <ex:why>typo</ex:why>
        </errorDeclaration>
        <epcList/>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        <disposition>urn:epcglobal:cbv:disp:active</disposition>
        <readPoint><id>urn:epc:id:sgln:4012345.00001.0</id><ex:door>3</ex:door></readPoint>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:po">urn:epcglobal:cbv:bt:4012345000009:PO-1</bizTransaction>
        </bizTransactionList>
        <quantityList>
          <quantityElement>
            <epcClass>urn:epc:class:lgtin:4012345.012345.LOT1</epcClass>
            <quantity>12.5</quantity>
            <uom>KGM</uom>
          </quantityElement>
        </quantityList>
        <sourceList>
          <source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00000</source>
        </sourceList>
        <ilmd><ex:bestBefore>2025-01-01</ex:bestBefore></ilmd>
        <ex:note>kept</ex:note>
      </ObjectEvent>
      <TransformationEvent>
        <eventTime>2024-05-01T11:00:00.000+02:00</eventTime>
        <eventTimeZoneOffset>+02:00</eventTimeZoneOffset>
        <inputEPCList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></inputEPCList>
        <outputQuantityList>
          <quantityElement>
            <epcClass>urn:epc:class:lgtin:4012345.022222.LOT2</epcClass>
            <quantity>3</quantity>
          </quantityElement>
        </outputQuantityList>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        <ilmd><ex:grade>A</ex:grade></ilmd>
      </TransformationEvent>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>"#;

#[test]
fn epcis_1_2_reads_like_its_2_0_equivalent() {
    let old = read_document(EPCIS_12.as_bytes()).expect("1.2");
    let new = read_document(EPCIS_20.as_bytes()).expect("2.0");
    assert_eq!(old, new);
    let event = &new["epcisBody"]["eventList"][0];
    assert_eq!(event["quantityList"][0]["quantity"], json!(12.5));
    assert_eq!(event["bizTransactionList"][0]["type"], "po");
    assert_eq!(event["sourceList"][0]["type"], "owning_party");
    assert_eq!(event["errorDeclaration"]["reason"], "incorrect_data");
    assert_eq!(event["readPoint"]["ex:door"], "3");
    assert_eq!(
        new["@context"],
        json!([
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            {"ex": "http://ns.example.com/epcis"}
        ])
    );
    let errors: Vec<String> = schema().iter_errors(&new).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_1_2_quantity_event_becomes_an_object_event() {
    let xml = r#"<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" schemaVersion="1.2"
        creationDate="2024-05-01T10:00:00Z"><EPCISBody><EventList><QuantityEvent>
        <eventTime>2024-05-01T09:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
        <epcClass>urn:epc:idpat:sgtin:4012345.012345.*</epcClass><quantity>40</quantity>
        <bizStep>urn:epcglobal:cbv:bizstep:stocking</bizStep>
        </QuantityEvent></EventList></EPCISBody></epcis:EPCISDocument>"#;
    let doc = read_document(xml.as_bytes()).expect("1.2 quantity event");
    assert_eq!(
        doc["epcisBody"]["eventList"][0],
        json!({
            "type": "ObjectEvent",
            "eventTime": "2024-05-01T09:00:00Z",
            "eventTimeZoneOffset": "+00:00",
            "action": "OBSERVE",
            "bizStep": "stocking",
            "quantityList": [{"epcClass": "urn:epc:idpat:sgtin:4012345.012345.*", "quantity": 40}]
        })
    );
}

#[test]
fn query_documents_read_and_write() {
    let doc = jsonld("EPCISQueryDocument.jsonld");
    let xml = write_query_document(&doc).expect("write query document");
    let back = read_document(&xml).expect("read query document");
    assert_eq!(back["type"], "EPCISQueryDocument");
    assert_eq!(
        back["epcisBody"]["queryResults"]["queryName"],
        doc["epcisBody"]["queryResults"]["queryName"]
    );
    assert_eq!(
        events(&json!({"epcisBody": back["epcisBody"]["queryResults"]["resultsBody"]})),
        events(&json!({"epcisBody": doc["epcisBody"]["queryResults"]["resultsBody"]}))
    );
    assert_eq!(
        read_document(&write_query_document(&back).expect("again")).expect("again"),
        back
    );
    let errors: Vec<String> = schema().iter_errors(&back).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(matches!(write_document(&back), Err(XmlError::Json { .. })));
}

fn refused_quickly(xml: &[u8]) -> XmlError {
    let start = Instant::now();
    let err = read_document(xml).expect_err("hostile input must be refused");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
    err
}

#[test]
fn entity_declarations_are_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">&lol3;</epcis:EPCISDocument>"#;
    let err = refused_quickly(laughs.as_bytes());
    assert!(matches!(err, XmlError::Doctype { line: 2 }), "{err}");
    let xxe = r#"<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>"#;
    assert!(matches!(
        refused_quickly(xxe.as_bytes()),
        XmlError::Doctype { .. }
    ));
    let undeclared = "<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:2\">\n&xxe;</epcis:EPCISDocument>";
    let err = refused_quickly(undeclared.as_bytes());
    assert_eq!(
        err.to_string(),
        "line 2: entity &xxe; is not predefined and no DTD is read"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let mut xml = String::from(r#"<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2">"#);
    xml.push_str(&"<a>".repeat(10_000));
    xml.push_str(&"</a>".repeat(10_000));
    xml.push_str("</epcis:EPCISDocument>");
    let err = refused_quickly(xml.as_bytes());
    assert!(matches!(err, XmlError::TooDeep { limit: 128, .. }), "{err}");
}

#[test]
fn errors_say_where() {
    let xml = r#"<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" creationDate="2024-01-01T00:00:00Z">
<EPCISBody><EventList><ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><action>ADD</action>
<quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.012345.1</epcClass>
<quantity>many</quantity></quantityElement></quantityList>
</ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"#;
    let err = read_document(xml.as_bytes()).expect_err("bad quantity");
    assert_eq!(
        err.to_string(),
        "line 5: EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/quantityList/quantityElement[1]: quantity \"many\" is not a number"
    );
    let err = read_document(b"<a><b></a>").expect_err("malformed");
    assert!(
        err.to_string().starts_with("line 1: malformed XML"),
        "{err}"
    );
}
