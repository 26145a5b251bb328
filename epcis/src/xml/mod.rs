//! The EPCIS XML bindings (2.0, and 1.2 on input) converted to and from the JSON-LD shape the
//! rest of the crate reads, so every binding lands in the same model.
//!
//! Reading takes an `epcis:EPCISDocument` in the EPCIS 2.0 (`urn:epcglobal:epcis:xsd:2`) or
//! 1.2 (`urn:epcglobal:epcis:xsd:1`) namespace, or an `epcisq:EPCISQueryDocument`, and gives
//! the document the EPCIS 2.0 JSON binding writes: CBV values in short form (`shipping`, `po`,
//! `owning_party`, `incorrect_data`, `Temperature`), numbers and booleans typed, extension
//! elements as `prefix:localName` keys with their prefixes in `@context`. 1.2's `extension` and
//! `baseExtension` wrappers are looked through. Master data inside `EPCISHeader` is kept
//! (`epcisHeader.epcisMasterData`); a standalone `EPCISMasterDataDocument` is refused, as the
//! JSON binding has no such document.
//!
//! Writing gives EPCIS 2.0 XML, CBV values as the URNs the 2.0 XML binding uses.
//!
//! ```
//! let xml = br#"<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
//!     schemaVersion="2.0" creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList>
//!   <ObjectEvent><eventTime>2024-01-01T00:00:00Z</eventTime>
//!     <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
//!     <epcList><epc>urn:epc:id:sgtin:0614141.107346.2017</epc></epcList>
//!     <action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
//!   </ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"#;
//! let doc = epcis::xml::read_document(xml)?;
//! assert_eq!(doc["epcisBody"]["eventList"][0]["bizStep"], "shipping");
//! let back = epcis::xml::write_document(&doc)?;
//! assert_eq!(epcis::xml::read_document(&back)?, doc);
//! # Ok::<(), epcis::xml::XmlError>(())
//! ```

mod dom;
mod read;
mod vocab;
mod write;

use serde_json::Value;

/// Why an XML document could not be read or a JSON document could not be written as XML.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The bytes are not UTF-8, the only encoding read.
    #[error("line {line}: the document is not UTF-8")]
    NotUtf8 {
        /// Line of the first bad byte.
        line: usize,
    },
    /// The XML is not well formed.
    #[error("line {line}: malformed XML: {message}")]
    Syntax {
        /// Line where the parser stopped.
        line: usize,
        /// What the parser found.
        message: String,
    },
    /// A DOCTYPE with an internal subset or an external DTD, which could declare entities.
    #[error("line {line}: DOCTYPE with an internal subset or external DTD is refused")]
    Doctype {
        /// Line of the DOCTYPE.
        line: usize,
    },
    /// An entity reference other than the five XML predefines.
    #[error("line {line}: entity &{name}; is not predefined and no DTD is read")]
    Entity {
        /// Line of the reference.
        line: usize,
        /// The entity's name.
        name: String,
    },
    /// Elements nest deeper than the limit.
    #[error("line {line}: elements nest deeper than {limit} levels")]
    TooDeep {
        /// Line of the element past the limit.
        line: usize,
        /// The nesting limit.
        limit: usize,
    },
    /// A namespace prefix used without a declaration.
    #[error("line {line}: namespace prefix {prefix:?} is not declared")]
    UndeclaredPrefix {
        /// Line of the element using it.
        line: usize,
        /// The prefix.
        prefix: String,
    },
    /// The root element is not an EPCIS document.
    #[error("root element {root} is not an EPCIS document or query document{hint}")]
    NotEpcis {
        /// The root element's name as written.
        root: String,
        /// Why, when known.
        hint: &'static str,
    },
    /// An `EPCISMasterDataDocument`: the JSON binding has no such document.
    #[error(
        "EPCISMasterDataDocument is refused: the EPCIS 2.0 JSON binding carries master data only in an EPCISDocument's header"
    )]
    MasterDataDocument,
    /// An EPCIS element is missing, unknown or holds a bad value.
    #[error("line {line}: {path}: {message}")]
    Invalid {
        /// Line of the element.
        line: usize,
        /// Element path from the root, `EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/...`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The JSON document has no EPCIS 2.0 XML form.
    #[error("{path}: {message}")]
    Json {
        /// JSON path, `$.epcisBody.eventList[0].quantityList`.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads an EPCIS 2.0 or 1.2 XML document (events or query results) into its JSON-LD value.
pub fn read_document(xml: &[u8]) -> Result<Value, XmlError> {
    read::document(&dom::parse(xml)?)
}

/// Writes an `EPCISDocument` JSON-LD value as EPCIS 2.0 XML.
pub fn write_document(doc: &Value) -> Result<Vec<u8>, XmlError> {
    write::document(doc, write::Kind::Document)
}

/// Writes an `EPCISQueryDocument` JSON-LD value as EPCIS 2.0 XML.
pub fn write_query_document(doc: &Value) -> Result<Vec<u8>, XmlError> {
    write::document(doc, write::Kind::Query)
}
