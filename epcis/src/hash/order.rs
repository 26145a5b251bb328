//! What the pre-hash string holds and in which order: the canonical property order of each
//! part of an event, and the fields that are not hashed.

/// How one field is written into the pre-hash string.
#[derive(Clone, Copy)]
pub(super) enum Part {
    /// A timestamp, normalised to UTC with milliseconds.
    Time,
    /// A value (or list of values), each `name=value`.
    Plain,
    /// A vocabulary value whose bare words stand for terms of the vocabulary.
    Vocab(Vocab),
    /// A list of identifiers: `name` then each as `{element}=id`, sorted.
    Ids(&'static str),
    /// An object: `name`, its fields in order, then the others sorted.
    Object(&'static [(&'static str, Part)]),
    /// A list of objects, each written as an [`Part::Object`] named `name`, sorted.
    Each(&'static [(&'static str, Part)]),
    /// A list of objects: `name`, then each as an object named `element`, sorted.
    List(&'static str, &'static [(&'static str, Part)]),
}

/// The CBV vocabularies whose bare words JSON-LD's EPCIS context expands.
#[derive(Clone, Copy)]
pub(super) enum Vocab {
    BizStep,
    Disposition,
    BizTransactionType,
    SourceDestType,
    Measurement,
    SensorException,
    Component,
}

impl Vocab {
    pub(super) fn prefix(self) -> &'static str {
        match self {
            Self::BizStep => "https://ref.gs1.org/cbv/BizStep-",
            Self::Disposition => "https://ref.gs1.org/cbv/Disp-",
            Self::BizTransactionType => "https://ref.gs1.org/cbv/BTT-",
            Self::SourceDestType => "https://ref.gs1.org/cbv/SDT-",
            Self::Measurement | Self::SensorException => "https://gs1.org/voc/",
            Self::Component => "https://ref.gs1.org/cbv/Comp-",
        }
    }
}

// The canonical property order. The reference implementation puts certificationInfo third,
// which the CBV table (written before EPCIS 2.0 added the field) does not list; we follow it.
pub(super) const EVENT: &[(&str, Part)] = &[
    ("eventTime", Part::Time),
    ("eventTimeZoneOffset", Part::Plain),
    ("certificationInfo", Part::Plain),
    ("parentID", Part::Plain),
    ("epcList", Part::Ids("epc")),
    ("inputEPCList", Part::Ids("epc")),
    ("childEPCs", Part::Ids("epc")),
    ("quantityList", Part::List("quantityElement", QUANTITY)),
    ("childQuantityList", Part::List("quantityElement", QUANTITY)),
    ("inputQuantityList", Part::List("quantityElement", QUANTITY)),
    ("outputEPCList", Part::Ids("epc")),
    (
        "outputQuantityList",
        Part::List("quantityElement", QUANTITY),
    ),
    ("action", Part::Plain),
    ("transformationID", Part::Plain),
    ("bizStep", Part::Vocab(Vocab::BizStep)),
    ("disposition", Part::Vocab(Vocab::Disposition)),
    ("persistentDisposition", Part::Object(PERSISTENT)),
    ("readPoint", Part::Object(LOCATION)),
    ("bizLocation", Part::Object(LOCATION)),
    (
        "sensorElementList",
        Part::List("sensorElement", SENSOR_ELEMENT),
    ),
];

pub(super) const QUANTITY: &[(&str, Part)] = &[
    ("epcClass", Part::Plain),
    ("quantity", Part::Plain),
    ("uom", Part::Plain),
];

pub(super) const PERSISTENT: &[(&str, Part)] = &[
    ("set", Part::Vocab(Vocab::Disposition)),
    ("unset", Part::Vocab(Vocab::Disposition)),
];

pub(super) const LOCATION: &[(&str, Part)] = &[("id", Part::Plain)];

pub(super) const SENSOR_ELEMENT: &[(&str, Part)] = &[
    ("sensorMetadata", Part::Object(SENSOR_METADATA)),
    ("sensorReport", Part::Each(SENSOR_REPORT)),
];

pub(super) const SENSOR_METADATA: &[(&str, Part)] = &[
    ("time", Part::Time),
    ("startTime", Part::Time),
    ("endTime", Part::Time),
    ("deviceID", Part::Plain),
    ("deviceMetadata", Part::Plain),
    ("rawData", Part::Plain),
    ("dataProcessingMethod", Part::Plain),
    ("bizRules", Part::Plain),
];

pub(super) const SENSOR_REPORT: &[(&str, Part)] = &[
    ("type", Part::Vocab(Vocab::Measurement)),
    ("exception", Part::Vocab(Vocab::SensorException)),
    ("deviceID", Part::Plain),
    ("deviceMetadata", Part::Plain),
    ("rawData", Part::Plain),
    ("dataProcessingMethod", Part::Plain),
    ("time", Part::Time),
    ("microorganism", Part::Plain),
    ("chemicalSubstance", Part::Plain),
    ("value", Part::Plain),
    ("component", Part::Vocab(Vocab::Component)),
    ("stringValue", Part::Plain),
    ("booleanValue", Part::Plain),
    ("hexBinaryValue", Part::Plain),
    ("uriValue", Part::Plain),
    ("minValue", Part::Plain),
    ("maxValue", Part::Plain),
    ("meanValue", Part::Plain),
    ("sDev", Part::Plain),
    ("percRank", Part::Plain),
    ("percValue", Part::Plain),
    ("uom", Part::Plain),
    ("coordinateReferenceSystem", Part::Plain),
];

// These lists are in the CBV order, but the reference implementation's published hashes put
// them among the remaining fields, sorted with the user extensions (its order table never
// matches them); we follow the published hashes. Each entry is `type=...` then the id, which
// is what the hashes hold whatever the JSON key order.
pub(super) const TYPED_LISTS: &[(&str, &str, Vocab)] = &[
    (
        "bizTransactionList",
        "bizTransaction",
        Vocab::BizTransactionType,
    ),
    ("sourceList", "source", Vocab::SourceDestType),
    ("destinationList", "destination", Vocab::SourceDestType),
];

// Not part of the event's identity: recordTime and eventID are set by whoever stores it, and
// an error declaration must keep the hash of the event it corrects so the two can be matched.
pub(super) const NOT_HASHED: &[&str] = &["type", "eventID", "recordTime", "errorDeclaration"];
