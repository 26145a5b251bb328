//! GS1 EPCIS 2.0 events with the CBV 2.0 vocabularies: one model, read from and written to the
//! JSON-LD and XML bindings; identifiers as EPC URNs or GS1 Digital Link URIs; the CBV event hash.
//!
//! No I/O: documents come in as bytes or values and go out the same way.

pub mod hash;

pub use hash::event_hash_id;
