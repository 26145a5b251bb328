//! GS1 EPCIS 2.0 events with the CBV 2.0 vocabularies: one model, read from and written to the
//! JSON-LD and XML bindings; identifiers as EPC URNs or GS1 Digital Link URIs; the CBV event hash.
//!
//! No I/O: documents come in as bytes or values and go out the same way.

pub mod document;
pub mod epc;
pub mod error;
pub mod event;
pub mod hash;
pub mod journey;
pub mod query;
pub mod untp;
pub mod xml;

pub use document::Document;
pub use epc::{Epc, EpcError, GcpLength};
pub use error::{EventError, Path};
pub use event::{Action, EpcFormat, Event, EventType};
pub use hash::event_hash_id;
