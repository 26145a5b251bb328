//! EPCIS 2.0 events as the events of a UN Transparency Protocol 0.6.1 Digital Traceability
//! Event credential (`untp-dte-schema.json`).
//!
//! The DTE model is close to EPCIS but not equal, so the mapping is explicit:
//! - `type` is `[eventType, "Event"]`; `id` is the event's CBV 2.0 hash id (a URI anyone holding
//!   the EPCIS event can recompute);
//! - `action` is lower case; `bizStep` and `disposition` are CBV web URIs, and `processType` is
//!   the step's CBV short name (the DTE's human-readable process);
//! - identifiers become `Item`s (`id`, `name`) and quantities `QuantityElement`s (`productId`,
//!   `productName`, `quantity`, `uom`); the DTE requires a name, which the caller supplies (the
//!   registered product's name, else the identifier itself);
//! - an aggregation's `parentID`/`childEPCs`/`childQuantityList` become `parentEPC`/
//!   `childEPCList`/`childQuantityList`; a transformation keeps its input/output lists under
//!   the DTE's names;
//! - a transaction's `sourceParty`/`destinationParty` (required by the DTE) are its first
//!   owning-party source and destination, else its first of any type, else its business location
//!   (EPCIS has no required party; an empty string when it names none);
//! - sensor elements map `deviceID` to `sensorMetadata.device`, each report's `type` to
//!   `sensorType`.
//!
//! Left out, for the DTE has no place for them: `readPoint`, `eventTimeZoneOffset`,
//! `recordTime`, persistent dispositions, ILMD, certification info, extensions, and every business
//! transaction of a non-transaction event. A [`Detail::Summary`] also leaves out the business
//! location, the parties, the transactions and the sensor data: the platform shows another
//! organisation's events to the public no more fully than its journey summary does.

use serde_json::{Map, Value, json};

use crate::epc::Epc;
use crate::event::{Event, EventType, Quantity};

/// The JSON-LD context of a UNTP 0.6.1 DTE credential.
pub const DTE_CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://test.uncefact.org/vocabulary/untp/dte/0.6.1/",
];

/// How much of an event a credential shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Everything the DTE model holds.
    Full,
    /// What happened to which objects, when: no places, parties, transactions or sensor data.
    Summary,
}

/// The DTE event of `event` (whose CBV hash id is `hash_id`); `name` names an identifier.
pub fn dte_event(
    event: &Event,
    hash_id: &str,
    detail: Detail,
    name: &dyn Fn(&Epc) -> String,
) -> Value {
    let mut o = Map::new();
    o.insert("type".into(), json!([event.kind.as_str(), "Event"]));
    o.insert("id".into(), json!(hash_id));
    if let Some(step) = &event.biz_step {
        let parsed = gs1::cbv::BizStep::parse(step).ok();
        if let Some(b) = &parsed {
            o.insert("processType".into(), json!(b.as_str()));
        }
        o.insert(
            "bizStep".into(),
            json!(parsed.map_or_else(|| step.clone(), |b| b.uri())),
        );
    }
    o.insert(
        "eventTime".into(),
        json!(
            event
                .event_time
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
    );
    if let Some(a) = event.action {
        o.insert("action".into(), json!(a.as_str().to_ascii_lowercase()));
    }
    if let Some(d) = &event.disposition {
        let uri = gs1::cbv::Disposition::parse(d).map_or_else(|_| d.clone(), |d| d.uri());
        o.insert("disposition".into(), json!(uri));
    }
    let full = detail == Detail::Full;
    if full && let Some(loc) = &event.biz_location {
        o.insert("bizLocation".into(), json!(loc.canonical()));
    }
    if full && !event.sensor_elements.is_empty() {
        let sensors: Vec<Value> = event.sensor_elements.iter().map(sensor).collect();
        o.insert("sensorElementList".into(), Value::Array(sensors));
    }
    let items = |list: &[Epc]| Value::Array(list.iter().map(|e| item(e, name)).collect());
    let quantities =
        |list: &[Quantity]| Value::Array(list.iter().map(|q| quantity(q, name)).collect());
    let mut put = |key: &str, v: Value| {
        if v.as_array().is_none_or(|a| !a.is_empty()) {
            o.insert(key.into(), v);
        }
    };
    match event.kind {
        EventType::Object | EventType::Transaction => {
            put("epcList", items(&event.epcs));
            put("quantityList", quantities(&event.quantities));
        }
        EventType::Aggregation | EventType::Association => {
            if let Some(p) = &event.parent {
                put("parentEPC", item(p, name));
            }
            put("childEPCList", items(&event.child_epcs));
            put("childQuantityList", quantities(&event.child_quantities));
        }
        EventType::Transformation => {
            put("inputEPCList", items(&event.input_epcs));
            put("inputQuantityList", quantities(&event.input_quantities));
            put("outputEPCList", items(&event.output_epcs));
            put("outputQuantityList", quantities(&event.output_quantities));
        }
    }
    if event.kind == EventType::Transaction {
        let party = |list: &[crate::event::Endpoint]| -> String {
            list.iter()
                .find(|p| p.kind == "owning_party")
                .or_else(|| list.first())
                .map(|p| p.id.canonical().to_owned())
                .or_else(|| {
                    event
                        .biz_location
                        .as_ref()
                        .map(|l| l.canonical().to_owned())
                })
                .filter(|_| full)
                .unwrap_or_default()
        };
        o.insert("sourceParty".into(), json!(party(&event.sources)));
        o.insert("destinationParty".into(), json!(party(&event.destinations)));
        if full && let Some(t) = event.biz_transactions.first() {
            o.insert("bizTransaction".into(), json!(t.id));
        }
    }
    Value::Object(o)
}

fn item(epc: &Epc, name: &dyn Fn(&Epc) -> String) -> Value {
    json!({"type": ["Item"], "id": epc.canonical(), "name": name(epc)})
}

fn quantity(q: &Quantity, name: &dyn Fn(&Epc) -> String) -> Value {
    let mut o = json!({
        "type": ["QuantityElement"],
        "productId": q.epc_class.canonical(),
        "productName": name(&q.epc_class),
        // EPCIS allows an unknown quantity; the DTE requires a number.
        "quantity": q.quantity.unwrap_or(0.0),
    });
    if let Some(uom) = &q.uom {
        o["uom"] = json!(uom);
    }
    o
}

/// An EPCIS sensor element (kept as captured) in the DTE's shape.
fn sensor(element: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(["SensorElement"]));
    if let Some(meta) = element.get("sensorMetadata").and_then(Value::as_object) {
        let mut m = Map::new();
        m.insert("type".into(), json!(["Sensor"]));
        if let Some(device) = meta.get("deviceID").and_then(Value::as_str) {
            m.insert(
                "device".into(),
                json!({"type": ["Item"], "id": device, "name": device}),
            );
        }
        if let Some(method) = meta.get("dataProcessingMethod") {
            m.insert("dataProcessingMethod".into(), method.clone());
        }
        out.insert("sensorMetadata".into(), Value::Object(m));
    }
    let reports: Vec<Value> = element
        .get("sensorReport")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|r| {
            let mut d = Map::new();
            d.insert("type".into(), json!(["SensorData"]));
            for key in ["time", "value", "uom"] {
                if let Some(v) = r.get(key) {
                    d.insert(key.into(), v.clone());
                }
            }
            // The DTE wants a URI; EPCIS names GS1's measurement types `gs1:Temperature` or,
            // under the EPCIS context's vocabulary, `Temperature`.
            if let Some(t) = r.get("type").and_then(Value::as_str) {
                let local = t.strip_prefix("gs1:").unwrap_or(t);
                let uri = if crate::event::is_uri(local) {
                    local.to_owned()
                } else {
                    format!("https://gs1.org/voc/{local}")
                };
                d.insert("sensorType".into(), json!(uri));
            }
            Value::Object(d)
        })
        .collect();
    out.insert("sensorReport".into(), Value::Array(reports));
    Value::Object(out)
}
