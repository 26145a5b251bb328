//! The demo coffee's journey as EPCIS events: serial CF0001 commissioned at the factory, packed
//! into a case, the case onto the pallet, the pallet shipped to an importer in Germany and
//! received there.

use domain::{
    Caller,
    traceability::{self, ErrorBehaviour},
};
use epcis::Document;
use gs1::keys::{Gln, Gtin, Sscc};
use serde_json::{Value, json};

use super::{LOT, SERIAL};

/// The importer's receiving dock: a GLN outside the platform's prefixes (GS1 Germany's example
/// company prefix 4012345), as a foreign importer's would be.
pub const IMPORTER_GLN: &str = "urn:epc:id:sgln:4012345.00001.0";

/// Records the journey of `serial` of `gtin` through `case` and `pallet`, from `factory`.
pub fn record(
    conn: &mut db::DbConn,
    exporter: &Caller,
    gtin: &Gtin,
    factory: &Gln,
    case: &Sscc,
    pallet: &Sscc,
) -> anyhow::Result<()> {
    let item = format!("https://id.gs1.org/01/{gtin}/21/{SERIAL}");
    let lot = format!("https://id.gs1.org/01/{gtin}/10/{LOT}");
    let factory = format!("https://id.gs1.org/414/{factory}");
    let case = format!("https://id.gs1.org/00/{case}");
    let pallet = format!("https://id.gs1.org/00/{pallet}");
    let at = |day: u32, hour: u32| format!("2026-11-{day:02}T{hour:02}:00:00+07:00");
    let place = |id: &str| json!({"id": id});
    let events: Vec<Value> = vec![
        json!({"type": "ObjectEvent", "action": "ADD", "eventTime": at(2, 8),
               "eventTimeZoneOffset": "+07:00", "epcList": [item],
               "bizStep": "commissioning", "disposition": "active",
               "readPoint": place(&factory), "bizLocation": place(&factory),
               "ilmd": {"cbvmda:lotNumber": LOT}}),
        json!({"type": "AggregationEvent", "action": "ADD", "eventTime": at(3, 9),
               "eventTimeZoneOffset": "+07:00", "parentID": case, "childEPCs": [item],
               "childQuantityList": [{"epcClass": lot, "quantity": 11, "uom": "H87"}],
               "bizStep": "packing", "disposition": "in_progress",
               "readPoint": place(&factory), "bizLocation": place(&factory)}),
        json!({"type": "AggregationEvent", "action": "ADD", "eventTime": at(3, 14),
               "eventTimeZoneOffset": "+07:00", "parentID": pallet, "childEPCs": [case],
               "bizStep": "packing", "disposition": "in_progress",
               "readPoint": place(&factory), "bizLocation": place(&factory)}),
        json!({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": at(5, 7),
               "eventTimeZoneOffset": "+07:00", "epcList": [pallet],
               "bizStep": "shipping", "disposition": "in_transit", "readPoint": place(&factory),
               "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO-2026-118"}],
               "sourceList": [{"type": "location", "source": factory}],
               "destinationList": [{"type": "location", "destination": IMPORTER_GLN}]}),
        json!({"type": "ObjectEvent", "action": "OBSERVE", "eventTime": "2026-11-29T10:00:00+01:00",
               "eventTimeZoneOffset": "+01:00", "epcList": [pallet],
               "bizStep": "receiving", "disposition": "in_progress",
               "readPoint": place(IMPORTER_GLN), "bizLocation": place(IMPORTER_GLN),
               "sourceList": [{"type": "location", "source": factory}],
               "destinationList": [{"type": "location", "destination": IMPORTER_GLN}]}),
    ];
    let doc = Document::from_json(&json!({
        "@context": [epcis::document::CONTEXT],
        "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-11-29T10:05:00+01:00",
        "epcisBody": {"eventList": events},
    }))
    .map_err(|e| anyhow::anyhow!("demo journey: {e}"))?;
    let captured = traceability::capture(conn, exporter, &doc, ErrorBehaviour::Rollback)?;
    if let Some(f) = captured.failures.first() {
        anyhow::bail!("demo journey event {}: {}: {}", f.index, f.path, f.reason);
    }
    Ok(())
}
