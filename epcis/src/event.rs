//! The EPCIS 2.0 event model (EPCIS 2.0 §7): the five event types in one struct, read from and
//! written to the JSON-LD binding's shape (`serde_json::Value`), which the XML binding maps onto.
//!
//! One struct rather than five because the types share most fields and a query filters across
//! them; [`Event::from_json`] refuses a field its type does not have, so a value of the struct is
//! always a valid event of its `kind`.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde_json::{Map, Value};

mod read;

use crate::epc::{Epc, GcpLength};
use crate::error::{EventError, Path};
use read::{Reader, Vocabulary, no_nul};
pub(crate) use read::{is_uri, parse_time, short_cbv};

/// The five event types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// Observations of objects.
    Object,
    /// Children packed into (or taken out of) a parent.
    Aggregation,
    /// Inputs consumed, outputs produced.
    Transformation,
    /// Objects associated with a parent (e.g. a sensor with an asset).
    Association,
    /// Objects tied to (or untied from) business transactions.
    Transaction,
}

impl EventType {
    /// Every type, in the standard's order.
    pub const ALL: [EventType; 5] = [
        EventType::Object,
        EventType::Aggregation,
        EventType::Transformation,
        EventType::Association,
        EventType::Transaction,
    ];

    /// The JSON-LD `type` value, e.g. `ObjectEvent`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Object => "ObjectEvent",
            EventType::Aggregation => "AggregationEvent",
            EventType::Transformation => "TransformationEvent",
            EventType::Association => "AssociationEvent",
            EventType::Transaction => "TransactionEvent",
        }
    }

    /// The type named `s`.
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    fn has(self, field: Field) -> bool {
        use EventType::*;
        use Field::*;
        match field {
            Action => self != Transformation,
            EpcList => matches!(self, Object | Transaction),
            QuantityList => matches!(self, Object | Transaction),
            Parent => matches!(self, Aggregation | Association | Transaction),
            Children => matches!(self, Aggregation | Association),
            Io => self == Transformation,
            Ilmd => matches!(self, Object | Transformation),
        }
    }
}

#[derive(Clone, Copy)]
enum Field {
    Action,
    EpcList,
    QuantityList,
    Parent,
    Children,
    Io,
    Ilmd,
}

/// What an event does to its objects (EPCIS 2.0 §7.3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Created or added.
    Add,
    /// Seen, unchanged.
    Observe,
    /// Removed or ended.
    Delete,
}

impl Action {
    /// `ADD`, `OBSERVE` or `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "ADD",
            Action::Observe => "OBSERVE",
            Action::Delete => "DELETE",
        }
    }

    /// The action named `s`.
    pub fn parse(s: &str) -> Option<Action> {
        [Action::Add, Action::Observe, Action::Delete]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// A class of objects and how much of it (EPCIS 2.0 §7.3.3.3).
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The class: a GTIN, an LGTIN, a pattern.
    pub epc_class: Epc,
    /// How many or how much; absent means "an unknown quantity".
    pub quantity: Option<f64>,
    /// UN/CEFACT Rec. 20 unit; absent means a count of instances.
    pub uom: Option<String>,
}

/// A business transaction and its type (EPCIS 2.0 §7.3.5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BizTransaction {
    /// CBV short name (`po`, `desadv`, ...) or a URI; absent when untyped.
    pub kind: Option<String>,
    /// The transaction's identifier (a URI).
    pub id: String,
}

/// A source or destination party or location (EPCIS 2.0 §7.3.5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `owning_party`, `possessing_party`, `location` or a URI.
    pub kind: String,
    /// The party or location.
    pub id: Epc,
}

/// A change of persistent disposition (EPCIS 2.0 §7.3.5.9).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersistentDisposition {
    /// Dispositions that now hold.
    pub set: Vec<String>,
    /// Dispositions that no longer hold.
    pub unset: Vec<String>,
}

/// A declaration that an earlier event was in error (EPCIS 2.0 §7.4.1.2).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDeclaration {
    /// When the error was declared.
    pub declaration_time: DateTime<FixedOffset>,
    /// CBV error reason (`did_not_occur`, `incorrect_data`) or a URI.
    pub reason: Option<String>,
    /// The events that correct this one.
    pub corrective_event_ids: Vec<String>,
    /// Extension fields, as given.
    pub extensions: Map<String, Value>,
}

/// One EPCIS event of any type.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The event type.
    pub kind: EventType,
    /// When it happened.
    pub event_time: DateTime<FixedOffset>,
    /// The local offset at the place it happened, `+07:00`.
    pub event_time_zone_offset: String,
    /// When a repository recorded it; set by the repository, ignored on capture.
    pub record_time: Option<DateTime<FixedOffset>>,
    /// The event's id: a UUID URN or the CBV hash id.
    pub event_id: Option<String>,
    /// `ADD`, `OBSERVE`, `DELETE`; none for transformations.
    pub action: Option<Action>,
    /// Business step, CBV short name or URI.
    pub biz_step: Option<String>,
    /// Disposition, CBV short name or URI.
    pub disposition: Option<String>,
    /// Persistent disposition changes.
    pub persistent_disposition: Option<PersistentDisposition>,
    /// Where it was observed.
    pub read_point: Option<Epc>,
    /// Where the objects are afterwards.
    pub biz_location: Option<Epc>,
    /// Business transactions.
    pub biz_transactions: Vec<BizTransaction>,
    /// Sources.
    pub sources: Vec<Endpoint>,
    /// Destinations.
    pub destinations: Vec<Endpoint>,
    /// Object and transaction events: the instances.
    pub epcs: Vec<Epc>,
    /// Object and transaction events: the quantities.
    pub quantities: Vec<Quantity>,
    /// Aggregation, association and transaction events: the parent.
    pub parent: Option<Epc>,
    /// Aggregation and association events: the children.
    pub child_epcs: Vec<Epc>,
    /// Aggregation and association events: the children by quantity.
    pub child_quantities: Vec<Quantity>,
    /// Transformation: instances consumed.
    pub input_epcs: Vec<Epc>,
    /// Transformation: quantities consumed.
    pub input_quantities: Vec<Quantity>,
    /// Transformation: instances produced.
    pub output_epcs: Vec<Epc>,
    /// Transformation: quantities produced.
    pub output_quantities: Vec<Quantity>,
    /// Transformation: ties transformation events of one process together.
    pub transformation_id: Option<String>,
    /// Sensor elements (metadata and reports), kept as given after a check of their shape.
    pub sensor_elements: Vec<Map<String, Value>>,
    /// Certification info: one URI or several.
    pub certification_info: Vec<String>,
    /// Set when the event declares an earlier event in error.
    pub error_declaration: Option<ErrorDeclaration>,
    /// Instance/lot master data, as given.
    pub ilmd: Option<Map<String, Value>>,
    /// Every other field: namespaced extensions and `@context`, as given.
    pub extensions: Map<String, Value>,
}

/// How identifiers are written out (the REST binding's `GS1-EPC-Format` header).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EpcFormat {
    /// Canonical GS1 Digital Link URIs (`No_Preference`, `Always_GS1_Digital_Link`).
    #[default]
    DigitalLink,
    /// EPC URNs where one exists for the identifier (`Always_EPC_URN`).
    Urn,
}

const STANDARD_FIELDS: &[&str] = &[
    "type",
    "eventTime",
    "eventTimeZoneOffset",
    "recordTime",
    "eventID",
    "action",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "epcList",
    "quantityList",
    "parentID",
    "childEPCs",
    "childQuantityList",
    "inputEPCList",
    "inputQuantityList",
    "outputEPCList",
    "outputQuantityList",
    "transformationID",
    "sensorElementList",
    "certificationInfo",
    "errorDeclaration",
    "ilmd",
];

impl Event {
    /// Reads one event of the JSON-LD binding; the error names the field and the reason.
    pub fn from_json(value: &Value) -> Result<Event, EventError> {
        let path = Path::root();
        let obj = value
            .as_object()
            .ok_or_else(|| path.error("an event must be a JSON object"))?;
        no_nul(value, &path)?;
        let r = Reader { obj, path: &path };
        let type_name = r.required_str("type")?;
        let kind = EventType::parse(type_name).ok_or_else(|| {
            path.field("type").error(format!(
                "{type_name:?} is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, \
                 TransformationEvent, AssociationEvent, TransactionEvent)"
            ))
        })?;
        for (key, field) in [
            ("action", Field::Action),
            ("epcList", Field::EpcList),
            ("quantityList", Field::QuantityList),
            ("parentID", Field::Parent),
            ("childEPCs", Field::Children),
            ("childQuantityList", Field::Children),
            ("inputEPCList", Field::Io),
            ("inputQuantityList", Field::Io),
            ("outputEPCList", Field::Io),
            ("outputQuantityList", Field::Io),
            ("transformationID", Field::Io),
            ("ilmd", Field::Ilmd),
        ] {
            if obj.contains_key(key) && !kind.has(field) {
                return Err(path
                    .field(key)
                    .error(format!("a {} has no {key}", kind.as_str())));
            }
        }
        let action = match r.optional_str("action")? {
            Some(a) => Some(Action::parse(a).ok_or_else(|| {
                path.field("action")
                    .error(format!("{a:?} is not ADD, OBSERVE or DELETE"))
            })?),
            None if kind.has(Field::Action) => {
                return Err(path
                    .field("action")
                    .error(format!("a {} needs an action", kind.as_str())));
            }
            None => None,
        };
        let parent = r.optional_epc("parentID")?;
        if parent.is_none() && kind == EventType::Association {
            return Err(path
                .field("parentID")
                .error("an AssociationEvent needs a parentID"));
        }
        let biz_transactions = r.biz_transactions()?;
        if kind == EventType::Transaction && biz_transactions.is_empty() {
            return Err(path
                .field("bizTransactionList")
                .error("a TransactionEvent needs at least one business transaction"));
        }
        let extensions = obj
            .iter()
            .filter(|(k, _)| !STANDARD_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| {
                // `id` is JSON-LD's alias of `@id` in the EPCIS context: a node name, kept.
                if k.contains(':') || k.starts_with('@') || k == "id" {
                    Ok((k.clone(), v.clone()))
                } else {
                    Err(path.field(k).error(
                        "not a field of EPCIS 2.0; an extension field needs a namespace prefix \
                         (`ex:field`)",
                    ))
                }
            })
            .collect::<Result<Map<_, _>, _>>()?;
        let event = Event {
            kind,
            event_time: r.required_time("eventTime")?,
            event_time_zone_offset: r.offset()?,
            record_time: r.optional_time("recordTime")?,
            event_id: r.optional_uri("eventID")?,
            action,
            biz_step: r.vocabulary("bizStep", Vocabulary::BizStep)?,
            disposition: r.vocabulary("disposition", Vocabulary::Disposition)?,
            persistent_disposition: r.persistent_disposition()?,
            read_point: r.location("readPoint")?,
            biz_location: r.location("bizLocation")?,
            biz_transactions,
            sources: r.endpoints("sourceList", "source")?,
            destinations: r.endpoints("destinationList", "destination")?,
            epcs: r.epc_list("epcList")?,
            quantities: r.quantity_list("quantityList")?,
            parent,
            child_epcs: r.epc_list("childEPCs")?,
            child_quantities: r.quantity_list("childQuantityList")?,
            input_epcs: r.epc_list("inputEPCList")?,
            input_quantities: r.quantity_list("inputQuantityList")?,
            output_epcs: r.epc_list("outputEPCList")?,
            output_quantities: r.quantity_list("outputQuantityList")?,
            transformation_id: r.optional_uri("transformationID")?,
            sensor_elements: r.sensor_elements()?,
            certification_info: r.certification_info()?,
            error_declaration: r.error_declaration()?,
            ilmd: r.optional_object("ilmd")?.cloned(),
            extensions,
        };
        Ok(event)
    }

    /// The event in the JSON-LD binding's shape, identifiers written as `format` asks.
    pub fn to_json(&self, format: EpcFormat, gcp: &dyn GcpLength) -> Value {
        let id = |e: &Epc| -> Value {
            match format {
                EpcFormat::Urn => e.to_urn(gcp).unwrap_or_else(|| e.canonical().to_owned()),
                EpcFormat::DigitalLink => e.canonical().to_owned(),
            }
            .into()
        };
        let ids = |list: &[Epc]| Value::Array(list.iter().map(id).collect());
        let quantities = |list: &[Quantity]| {
            Value::Array(
                list.iter()
                    .map(|q| {
                        let mut o = Map::new();
                        o.insert("epcClass".into(), id(&q.epc_class));
                        if let Some(n) = q.quantity {
                            o.insert("quantity".into(), number(n));
                        }
                        if let Some(u) = &q.uom {
                            o.insert("uom".into(), u.clone().into());
                        }
                        Value::Object(o)
                    })
                    .collect(),
            )
        };
        let mut o = Map::new();
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_owned(), v);
        };
        put("type", self.kind.as_str().into());
        put("eventTime", time(&self.event_time));
        put(
            "eventTimeZoneOffset",
            self.event_time_zone_offset.clone().into(),
        );
        if let Some(t) = &self.record_time {
            put("recordTime", time(t));
        }
        if let Some(e) = &self.event_id {
            put("eventID", e.clone().into());
        }
        if let Some(d) = &self.error_declaration {
            let mut e = d.extensions.clone();
            e.insert("declarationTime".into(), time(&d.declaration_time));
            if let Some(r) = &d.reason {
                e.insert("reason".into(), r.clone().into());
            }
            if !d.corrective_event_ids.is_empty() {
                e.insert(
                    "correctiveEventIDs".into(),
                    d.corrective_event_ids.clone().into(),
                );
            }
            put("errorDeclaration", Value::Object(e));
        }
        if let Some(p) = &self.parent {
            put("parentID", id(p));
        }
        // An event of quantities only leaves its empty epcList out, as GS1's examples do.
        if self.kind.has(Field::EpcList) && (!self.epcs.is_empty() || self.quantities.is_empty()) {
            put("epcList", ids(&self.epcs));
        }
        if !self.child_epcs.is_empty() {
            put("childEPCs", ids(&self.child_epcs));
        }
        for (key, list) in [
            ("inputEPCList", &self.input_epcs),
            ("outputEPCList", &self.output_epcs),
        ] {
            if !list.is_empty() {
                put(key, ids(list));
            }
        }
        for (key, list) in [
            ("quantityList", &self.quantities),
            ("childQuantityList", &self.child_quantities),
            ("inputQuantityList", &self.input_quantities),
            ("outputQuantityList", &self.output_quantities),
        ] {
            if !list.is_empty() {
                put(key, quantities(list));
            }
        }
        if let Some(t) = &self.transformation_id {
            put("transformationID", t.clone().into());
        }
        if let Some(a) = self.action {
            put("action", a.as_str().into());
        }
        if let Some(s) = &self.biz_step {
            put("bizStep", s.clone().into());
        }
        if let Some(s) = &self.disposition {
            put("disposition", s.clone().into());
        }
        if let Some(p) = &self.persistent_disposition {
            let mut pd = Map::new();
            if !p.set.is_empty() {
                pd.insert("set".into(), p.set.clone().into());
            }
            if !p.unset.is_empty() {
                pd.insert("unset".into(), p.unset.clone().into());
            }
            put("persistentDisposition", Value::Object(pd));
        }
        for (key, place) in [
            ("readPoint", &self.read_point),
            ("bizLocation", &self.biz_location),
        ] {
            if let Some(p) = place {
                let mut l = Map::new();
                l.insert("id".into(), id(p));
                put(key, Value::Object(l));
            }
        }
        if !self.biz_transactions.is_empty() {
            let list = self
                .biz_transactions
                .iter()
                .map(|t| {
                    let mut b = Map::new();
                    if let Some(k) = &t.kind {
                        b.insert("type".into(), k.clone().into());
                    }
                    b.insert("bizTransaction".into(), t.id.clone().into());
                    Value::Object(b)
                })
                .collect();
            put("bizTransactionList", Value::Array(list));
        }
        for (key, name, list) in [
            ("sourceList", "source", &self.sources),
            ("destinationList", "destination", &self.destinations),
        ] {
            if !list.is_empty() {
                let list = list
                    .iter()
                    .map(|e| {
                        let mut m = Map::new();
                        m.insert("type".into(), e.kind.clone().into());
                        m.insert(name.into(), id(&e.id));
                        Value::Object(m)
                    })
                    .collect();
                put(key, Value::Array(list));
            }
        }
        if !self.sensor_elements.is_empty() {
            put(
                "sensorElementList",
                Value::Array(
                    self.sensor_elements
                        .iter()
                        .cloned()
                        .map(Value::Object)
                        .collect(),
                ),
            );
        }
        match self.certification_info.as_slice() {
            [] => {}
            [one] => put("certificationInfo", one.clone().into()),
            many => put("certificationInfo", many.to_vec().into()),
        }
        if let Some(i) = &self.ilmd {
            put("ilmd", Value::Object(i.clone()));
        }
        for (k, v) in &self.extensions {
            put(k, v.clone());
        }
        Value::Object(o)
    }

    /// Each identifier the event names as an object, with its role: `epc`, `parent`, `child`,
    /// `input`, `output`, `quantity`, `child_quantity`, `input_quantity`, `output_quantity`
    /// (the roles [`crate::query::MatchField::roles`] look up).
    pub fn roles(&self) -> Vec<(&'static str, &Epc)> {
        let mut out: Vec<(&'static str, &Epc)> = Vec::new();
        out.extend(self.epcs.iter().map(|e| ("epc", e)));
        out.extend(self.parent.iter().map(|e| ("parent", e)));
        out.extend(self.child_epcs.iter().map(|e| ("child", e)));
        out.extend(self.input_epcs.iter().map(|e| ("input", e)));
        out.extend(self.output_epcs.iter().map(|e| ("output", e)));
        for (role, list) in [
            ("quantity", &self.quantities),
            ("child_quantity", &self.child_quantities),
            ("input_quantity", &self.input_quantities),
            ("output_quantity", &self.output_quantities),
        ] {
            out.extend(list.iter().map(|q| (role, &q.epc_class)));
        }
        out
    }

    /// Every identifier the event names as an object (instances, classes, parent, children,
    /// inputs, outputs): what `MATCH_anyEPC`/`MATCH_anyEPCClass` and the journey look at.
    pub fn objects(&self) -> impl Iterator<Item = &Epc> {
        let quantities = self
            .quantities
            .iter()
            .chain(&self.child_quantities)
            .chain(&self.input_quantities)
            .chain(&self.output_quantities)
            .map(|q| &q.epc_class);
        self.epcs
            .iter()
            .chain(&self.parent)
            .chain(&self.child_epcs)
            .chain(&self.input_epcs)
            .chain(&self.output_epcs)
            .chain(quantities)
    }
}

/// An RFC 3339 time with milliseconds when it has a fraction, in the offset it was given in.
fn time(t: &DateTime<FixedOffset>) -> Value {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true).into()
}

/// Whole quantities as integers, as GS1's examples write them.
fn number(n: f64) -> Value {
    // Exact below 2^53, where every integer an f64 holds is an i64 too.
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
