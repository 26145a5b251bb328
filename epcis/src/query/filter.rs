//! The query parameters evaluated on the event itself rather than on a repository's indexed
//! columns (EPCIS 2.0 §8.2.7.1): transformation ids, persistent dispositions, quantities, error
//! declarations, business transactions, sources and destinations, sensor data, and extension
//! fields (`EQ_ex:field`, `EQ_ILMD_`, `EQ_INNER_`, `EXISTS_`, ...).
//!
//! Each condition holds when some part of the event satisfies it; the standard does not tie
//! two parameters to the same sensor report or quantity element, so neither do we
//! (`GE_value_CEL=2&LT_value_CEL=8` holds when one report is at least 2 °C and one, possibly
//! another, is below 8 °C). Values with a unit are compared only with values in the same unit:
//! no conversion between units is made.
//!
//! Extension fields are matched by the name as captured (`ex:field`): a query's prefix must be
//! the one the capturing document used, as the query string carries no JSON-LD context.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::epc::Epc;
use crate::event::{Event, parse_time};

/// A comparison of the query language: `EQ_`, `GT_`, `GE_`, `LT_`, `LE_`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// Equal.
    Eq,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
}

impl Cmp {
    fn holds(self, o: Option<Ordering>) -> bool {
        matches!(
            (self, o),
            (Cmp::Eq, Some(Ordering::Equal))
                | (Cmp::Gt, Some(Ordering::Greater))
                | (Cmp::Ge, Some(Ordering::Greater | Ordering::Equal))
                | (Cmp::Lt, Some(Ordering::Less))
                | (Cmp::Le, Some(Ordering::Less | Ordering::Equal))
        )
    }
}

/// A number or a time, the two kinds of value the ordering comparisons take.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A number.
    Number(f64),
    /// A time.
    Time(DateTime<FixedOffset>),
}

/// What a field's value must be.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// Present (`EXISTS_`).
    Exists,
    /// A string among these; identifiers compare in canonical form.
    Strings(Vec<String>),
    /// A number among these.
    Numbers(Vec<f64>),
    /// This boolean.
    Bool(bool),
    /// Compared with a number or time.
    Compare(Cmp, Scalar),
    /// An extension field's `EQ_`: equal as a string, a number or a time, whichever the stored
    /// value is (the XML binding brings every value in as a string).
    Loose(Vec<String>),
}

/// Where an extension field is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// The event's own fields.
    Event,
    /// `ilmd`.
    Ilmd,
    /// `errorDeclaration`.
    ErrorDeclaration,
    /// A `sensorElement`.
    SensorElement,
    /// A `sensorMetadata`.
    SensorMetadata,
    /// A `sensorReport`.
    SensorReport,
}

/// One condition on an event.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `EQ_transformationID`.
    TransformationId(Vec<String>),
    /// `EQ_persistentDisposition_set` (`set`) or `_unset`.
    PersistentDisposition {
        /// The `set` list, else the `unset` list.
        set: bool,
        /// CBV short names or URIs.
        values: Vec<String>,
    },
    /// `EQ_quantity`, `GT_quantity`, ..., and `EQ_quantity_{uom}`, ...: any quantity element
    /// of any list (with this unit, when one is named).
    Quantity {
        /// The unit the parameter names.
        uom: Option<String>,
        /// What the quantity must be.
        test: Test,
    },
    /// `GE_errorDeclarationTime`, `LT_errorDeclarationTime`.
    ErrorDeclarationTime(Cmp, DateTime<FixedOffset>),
    /// `EQ_errorReason` (CBV short names or URIs).
    ErrorReason(Vec<String>),
    /// `EQ_correctiveEventID`.
    CorrectiveEventId(Vec<String>),
    /// `EQ_bizTransaction_{type}`.
    BizTransaction {
        /// The transaction type.
        kind: String,
        /// The transaction ids.
        ids: Vec<String>,
    },
    /// `EQ_source_{type}`.
    Source {
        /// The source type.
        kind: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// `EQ_destination_{type}`.
    Destination {
        /// The destination type.
        kind: String,
        /// The ids.
        ids: Vec<String>,
    },
    /// `EXISTS_sensorElementList`.
    SensorElementList,
    /// A standard attribute of sensor metadata or reports: `EQ_type`, `EQ_deviceID`,
    /// `GE_time`, `GE_value_CEL`, `LT_percRank`, ...
    Sensor {
        /// The attribute (`type`, `deviceID`, `value`, ...).
        key: String,
        /// Only reports in this unit.
        uom: Option<String>,
        /// What the attribute must be.
        test: Test,
    },
    /// An extension field: `EQ_ex:f`, `EXISTS_ILMD_ex:f`, `GT_INNER_SENSORREPORT_ex:f`, ...
    Field {
        /// Where it is looked for.
        site: Site,
        /// `INNER_`: nested at any depth within a field of the site, not the site's own field.
        inner: bool,
        /// The field's name as captured (`ex:f`).
        name: String,
        /// What it must be.
        test: Test,
    },
}

impl Condition {
    /// Whether the event satisfies this condition.
    pub fn holds(&self, e: &Event) -> bool {
        match self {
            Condition::TransformationId(ids) => e
                .transformation_id
                .as_deref()
                .is_some_and(|t| ids.iter().any(|i| i == t)),
            Condition::PersistentDisposition { set, values } => {
                e.persistent_disposition.as_ref().is_some_and(|p| {
                    let list = if *set { &p.set } else { &p.unset };
                    list.iter().any(|d| values.contains(d))
                })
            }
            Condition::Quantity { uom, test } => [
                &e.quantities,
                &e.child_quantities,
                &e.input_quantities,
                &e.output_quantities,
            ]
            .into_iter()
            .flatten()
            .any(|q| {
                let unit = uom.is_none() || q.uom.as_deref() == uom.as_deref();
                unit && q
                    .quantity
                    .is_some_and(|n| test_value(&Value::from(n), test))
            }),
            Condition::ErrorDeclarationTime(cmp, t) => e
                .error_declaration
                .as_ref()
                .is_some_and(|d| cmp.holds(d.declaration_time.partial_cmp(t))),
            Condition::ErrorReason(reasons) => e
                .error_declaration
                .as_ref()
                .and_then(|d| d.reason.as_deref())
                .is_some_and(|r| reasons.iter().any(|x| x == r)),
            Condition::CorrectiveEventId(ids) => e.error_declaration.as_ref().is_some_and(|d| {
                d.corrective_event_ids
                    .iter()
                    .any(|c| ids.iter().any(|i| i == c))
            }),
            Condition::BizTransaction { kind, ids } => e.biz_transactions.iter().any(|b| {
                b.kind.as_deref() == Some(kind.as_str()) && ids.iter().any(|i| same_id(i, &b.id))
            }),
            Condition::Source { kind, ids } => e
                .sources
                .iter()
                .any(|s| s.kind == *kind && ids.iter().any(|i| same_id(i, s.id.canonical()))),
            Condition::Destination { kind, ids } => e
                .destinations
                .iter()
                .any(|s| s.kind == *kind && ids.iter().any(|i| same_id(i, s.id.canonical()))),
            Condition::SensorElementList => !e.sensor_elements.is_empty(),
            Condition::Sensor { key, uom, test } => sensor_objects(e).any(|(o, is_report)| {
                if uom.is_some()
                    && (!is_report || o.get("uom").and_then(Value::as_str) != uom.as_deref())
                {
                    return false;
                }
                o.get(key).is_some_and(|v| {
                    if key == "type" {
                        // Measurement types may be written bare, as a CURIE or as the full URI.
                        let bare = v.as_str().map(measurement_type).map(Value::from);
                        test_value(bare.as_ref().unwrap_or(v), test)
                    } else {
                        test_value(v, test)
                    }
                })
            }),
            Condition::Field {
                site,
                inner,
                name,
                test,
            } => site_objects(e, *site).any(|o| {
                if *inner {
                    o.iter()
                        .filter(|(k, _)| !k.starts_with('@'))
                        .any(|(_, v)| nested(v, name, test))
                } else {
                    o.get(name).is_some_and(|v| test_value(v, test))
                }
            }),
        }
    }

    /// Whether only events declared in error can satisfy it (the repository can then narrow
    /// the rows it reads to those).
    pub fn needs_error_declaration(&self) -> bool {
        matches!(
            self,
            Condition::ErrorDeclarationTime(..)
                | Condition::ErrorReason(_)
                | Condition::CorrectiveEventId(_)
                | Condition::Field {
                    site: Site::ErrorDeclaration,
                    ..
                }
        )
    }
}

/// Sensor metadata objects and sensor reports, each with whether it is a report.
fn sensor_objects(e: &Event) -> impl Iterator<Item = (&Map<String, Value>, bool)> {
    e.sensor_elements.iter().flat_map(|el| {
        let meta = el
            .get("sensorMetadata")
            .and_then(Value::as_object)
            .map(|m| (m, false));
        let reports = el
            .get("sensorReport")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|r| (r, true));
        meta.into_iter().chain(reports)
    })
}

/// The objects whose fields an extension-field parameter looks at.
fn site_objects(e: &Event, site: Site) -> Box<dyn Iterator<Item = &Map<String, Value>> + '_> {
    match site {
        Site::Event => Box::new(std::iter::once(&e.extensions)),
        Site::Ilmd => Box::new(e.ilmd.iter()),
        Site::ErrorDeclaration => Box::new(e.error_declaration.iter().map(|d| &d.extensions)),
        Site::SensorElement => Box::new(e.sensor_elements.iter()),
        Site::SensorMetadata => Box::new(
            sensor_objects(e)
                .filter(|(_, report)| !report)
                .map(|(o, _)| o),
        ),
        Site::SensorReport => Box::new(sensor_objects(e).filter(|(_, r)| *r).map(|(o, _)| o)),
    }
}

/// Whether a field `name` satisfying `test` is nested anywhere within `v`.
fn nested(v: &Value, name: &str, test: &Test) -> bool {
    match v {
        Value::Object(o) => o
            .iter()
            .any(|(k, x)| (k == name && test_value(x, test)) || nested(x, name, test)),
        Value::Array(a) => a.iter().any(|x| nested(x, name, test)),
        _ => false,
    }
}

/// Whether a stored value satisfies a test; a list satisfies it when one of its items does.
fn test_value(v: &Value, test: &Test) -> bool {
    if let Value::Array(items) = v {
        return items.iter().any(|i| test_value(i, test));
    }
    match test {
        Test::Exists => !v.is_null(),
        Test::Strings(list) => v
            .as_str()
            .is_some_and(|s| list.iter().any(|x| same_id(x, s))),
        Test::Numbers(list) => number(v).is_some_and(|n| list.contains(&n)),
        Test::Bool(b) => {
            v.as_bool() == Some(*b) || v.as_str() == Some(if *b { "true" } else { "false" })
        }
        Test::Compare(cmp, Scalar::Number(x)) => {
            number(v).is_some_and(|n| cmp.holds(n.partial_cmp(x)))
        }
        Test::Compare(cmp, Scalar::Time(t)) => v
            .as_str()
            .and_then(|s| parse_time(s).ok())
            .is_some_and(|s| cmp.holds(s.partial_cmp(t))),
        Test::Loose(list) => match v {
            Value::String(s) => list.iter().any(|x| {
                x == s
                    || matches!((parse_time(x), parse_time(s)), (Ok(a), Ok(b)) if a == b)
                    || matches!((x.parse::<f64>(), s.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
            }),
            Value::Number(_) => {
                number(v).is_some_and(|n| list.iter().any(|x| x.parse::<f64>() == Ok(n)))
            }
            Value::Bool(b) => list.iter().any(|x| x == if *b { "true" } else { "false" }),
            _ => false,
        },
    }
}

/// A number, or a string holding one (as the XML binding brings numbers in).
fn number(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Two identifiers are the same when equal as written or in canonical form (an EPC URN and
/// its Digital Link).
pub(crate) fn same_id(a: &str, b: &str) -> bool {
    a == b
        || matches!((Epc::parse(a), Epc::parse(b)), (Ok(x), Ok(y)) if x.canonical() == y.canonical())
}

/// A measurement type's bare word (`Temperature` for `gs1:Temperature`).
pub(super) fn measurement_type(s: &str) -> &str {
    ["gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
}
