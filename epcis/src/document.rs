//! EPCIS documents (EPCIS 2.0 §9.3, JSON-LD binding): a header, then a list of events.
//!
//! Events are read one by one and each keeps its own result, so a capture can apply the good
//! ones (`GS1-Capture-Error-Behaviour: proceed`) or none (`rollback`) and say which failed.

use serde_json::{Map, Value};

use crate::epc::GcpLength;
use crate::error::{EventError, Path};
use crate::event::{EpcFormat, Event, parse_time};

/// The standard JSON-LD context of EPCIS 2.0 documents.
pub const CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// An EPCIS document read from the JSON-LD binding.
#[derive(Clone, Debug)]
pub struct Document {
    /// `@context` as given (the standard context and extension namespaces).
    pub context: Value,
    /// Every other top-level field (`schemaVersion`, `creationDate`, `epcisHeader`, `sender`...).
    pub header: Map<String, Value>,
    /// Each event of `eventList`, or why it was refused.
    pub events: Vec<Result<Event, EventError>>,
}

impl Document {
    /// Reads an `EPCISDocument`; fails only when the document itself is malformed, while each
    /// event's own problems are kept in [`Document::events`].
    pub fn from_json(value: &Value) -> Result<Document, EventError> {
        let root = Path::root();
        let obj = value
            .as_object()
            .ok_or_else(|| root.error("an EPCIS document must be a JSON object"))?;
        match obj.get("type").and_then(Value::as_str) {
            Some("EPCISDocument") => {}
            Some(other) => {
                return Err(root
                    .field("type")
                    .error(format!("{other:?}: only an EPCISDocument can be captured")));
            }
            None => return Err(root.field("type").error("is required (EPCISDocument)")),
        }
        match obj.get("schemaVersion").and_then(Value::as_str) {
            Some("2.0") => {}
            _ => {
                return Err(root
                    .field("schemaVersion")
                    .error("must be \"2.0\" (an EPCIS 2.0 document)"));
            }
        }
        match obj.get("creationDate").and_then(Value::as_str) {
            Some(t) => {
                parse_time(t).map_err(|why| root.field("creationDate").error(why))?;
            }
            None => return Err(root.field("creationDate").error("is required")),
        }
        let context = obj.get("@context").cloned().ok_or_else(|| {
            root.field("@context")
                .error(format!("is required (at least {CONTEXT:?})"))
        })?;
        let list_path = root.field("epcisBody").field("eventList");
        let list = obj
            .get("epcisBody")
            .and_then(|b| b.get("eventList"))
            .and_then(Value::as_array)
            .ok_or_else(|| list_path.error("is required (an array of events)"))?;
        let events = list
            .iter()
            .enumerate()
            .map(|(i, e)| Event::from_json(e).map_err(|err| err.under(&list_path.index(i))))
            .collect();
        let header = obj
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "@context" | "epcisBody"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Document {
            context,
            header,
            events,
        })
    }

    /// An `EPCISDocument` holding `events`, created at `creation_date`.
    pub fn write(
        context: Value,
        creation_date: &str,
        events: &[Event],
        format: EpcFormat,
        gcp: &dyn GcpLength,
    ) -> Value {
        serde_json::json!({
            "@context": context,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": creation_date,
            "epcisBody": {
                "eventList": events.iter().map(|e| e.to_json(format, gcp)).collect::<Vec<_>>(),
            },
        })
    }
}
