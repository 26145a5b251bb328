//! Parameter names of the families evaluated on the event ([`super::filter`]) and their
//! values, as the REST binding's query string gives them.

use chrono::{DateTime, FixedOffset};

use super::filter::{Cmp, Condition, Scalar, Site, Test, measurement_type};
use crate::error::{EventError, Path};
use crate::event::parse_time;

/// Sensor report attributes given with a unit: `EQ_value_CEL`, `GE_minParamKGM`, ...
const WITH_UOM: &[&str] = &[
    "value",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percValue",
];

/// Sensor attributes whose `EQ_` takes a list of strings or URIs.
const SENSOR_STRINGS: &[&str] = &[
    "type",
    "deviceID",
    "dataProcessingMethod",
    "microorganism",
    "chemicalSubstance",
    "bizRules",
    "stringValue",
    "hexBinaryValue",
    "uriValue",
];

/// Where extension-field parameters look, by the part of the name after the comparison.
/// Longer prefixes first: `INNER_ILMD_` before `INNER_`. `None`: not kept or not held here.
const SITES: &[(&str, Option<(Site, bool)>)] = &[
    ("INNER_ILMD_", Some((Site::Ilmd, true))),
    (
        "INNER_ERROR_DECLARATION_",
        Some((Site::ErrorDeclaration, true)),
    ),
    ("INNER_SENSORELEMENT_", Some((Site::SensorElement, true))),
    ("INNER_SENSORMETADATA_", Some((Site::SensorMetadata, true))),
    ("INNER_SENSORREPORT_", Some((Site::SensorReport, true))),
    ("INNER_readPoint_", None),
    ("INNER_bizLocation_", None),
    ("INNER_", Some((Site::Event, true))),
    ("ILMD_", Some((Site::Ilmd, false))),
    ("ERROR_DECLARATION_", Some((Site::ErrorDeclaration, false))),
    ("SENSORELEMENT_", Some((Site::SensorElement, false))),
    ("SENSORMETADATA_", Some((Site::SensorMetadata, false))),
    ("SENSORREPORT_", Some((Site::SensorReport, false))),
    ("readPoint_", None),
    ("bizLocation_", None),
    ("", Some((Site::Event, false))),
];

/// The comparison a parameter name starts with, and the rest; `None` for `EXISTS_`.
fn split_op(name: &str) -> Option<(Option<Cmp>, &str)> {
    for (prefix, cmp) in [
        ("EQ_", Some(Cmp::Eq)),
        ("GT_", Some(Cmp::Gt)),
        ("GE_", Some(Cmp::Ge)),
        ("LT_", Some(Cmp::Lt)),
        ("LE_", Some(Cmp::Le)),
        ("EXISTS_", None),
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return Some((cmp, rest));
        }
    }
    None
}

/// `[A-Z0-9]{2,4}`: a UN/CEFACT Rec. 20 unit code as the parameter names carry it.
fn is_uom(s: &str) -> bool {
    (2..=4).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// `[a-z][a-zA-Z0-9]*:\w+`: a namespaced field name.
fn is_field_name(s: &str) -> bool {
    let Some((prefix, local)) = s.split_once(':') else {
        return false;
    };
    let mut p = prefix.bytes();
    p.next().is_some_and(|b| b.is_ascii_lowercase())
        && p.all(|b| b.is_ascii_alphanumeric())
        && !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `[a-z][a-zA-Z0-9_]+`: a type word in `EQ_bizTransaction_{type}`.
fn is_type_word(s: &str) -> bool {
    let mut b = s.bytes();
    s.len() >= 2
        && b.next().is_some_and(|c| c.is_ascii_lowercase())
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A parameter's value as the pieces a condition needs, errors naming the parameter.
pub(super) struct Param<'a> {
    pub(super) at: &'a Path,
    pub(super) raw: &'a str,
}

impl Param<'_> {
    fn list(&self) -> Result<Vec<String>, EventError> {
        let items: Vec<String> = self.raw.split('|').map(str::to_owned).collect();
        if items.iter().any(String::is_empty) {
            return Err(self.at.error("has an empty item"));
        }
        Ok(items)
    }

    fn uris(&self) -> Result<Vec<String>, EventError> {
        let items = self.list()?;
        match items.iter().find(|s| !crate::event::is_uri(s)) {
            Some(s) => Err(self.at.error(format!("{s:?} is not a URI"))),
            None => Ok(items),
        }
    }

    fn number(&self) -> Result<f64, EventError> {
        self.raw
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| self.at.error("must be a number"))
    }

    fn numbers(&self) -> Result<Vec<f64>, EventError> {
        self.list()?
            .iter()
            .map(|s| {
                s.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| self.at.error(format!("{s:?} is not a number")))
            })
            .collect()
    }

    fn time(&self) -> Result<DateTime<FixedOffset>, EventError> {
        parse_time(self.raw).map_err(|why| self.at.error(why))
    }

    fn scalar(&self) -> Result<Scalar, EventError> {
        match self.raw.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Scalar::Number(n)),
            _ => parse_time(self.raw)
                .map(Scalar::Time)
                .map_err(|_| self.at.error("must be a number or a time")),
        }
    }

    fn exists(&self) -> Result<Test, EventError> {
        // The standard's EXISTS_ parameters take no value; an empty one or `true`.
        if self.raw.is_empty() || self.raw == "true" {
            Ok(Test::Exists)
        } else {
            Err(self.at.error("takes no value (or `true`)"))
        }
    }

    fn dispositions(&self) -> Result<Vec<String>, EventError> {
        self.list()?
            .into_iter()
            .map(|s| match gs1::cbv::Disposition::parse(&s) {
                Ok(d) => Ok(d.as_str().to_owned()),
                Err(_) if crate::event::is_uri(&s) => Ok(s),
                Err(_) => Err(self
                    .at
                    .error(format!("{s:?} is neither a CBV 2.0 disposition nor a URI"))),
            })
            .collect()
    }
}

/// The condition a parameter name and value give, if the name is one of the families here;
/// `Some(Err)` for a malformed value or a parameter this repository cannot evaluate.
pub(super) fn parse(name: &str, v: &Param) -> Option<Result<Condition, EventError>> {
    let (cmp, rest) = split_op(name)?;
    let ordering = cmp.filter(|c| *c != Cmp::Eq);
    let cond = match (cmp, rest) {
        (Some(Cmp::Eq), "transformationID") => v.uris().map(Condition::TransformationId),
        (Some(Cmp::Eq), "persistentDisposition_set" | "persistentDisposition_unset") => v
            .dispositions()
            .map(|values| Condition::PersistentDisposition {
                set: rest.ends_with("_set"),
                values,
            }),
        (Some(c), "quantity") => quantity(c, None, v),
        (Some(c), r) if r.strip_prefix("quantity_").is_some_and(is_uom) => {
            quantity(c, r.strip_prefix("quantity_").map(str::to_owned), v)
        }
        (Some(c @ (Cmp::Ge | Cmp::Lt)), "errorDeclarationTime") => {
            v.time().map(|t| Condition::ErrorDeclarationTime(c, t))
        }
        (Some(Cmp::Eq), "errorReason") => v.list().map(|l| {
            Condition::ErrorReason(l.iter().map(|r| crate::event::short_cbv(r)).collect())
        }),
        (Some(Cmp::Eq), "correctiveEventID") => v.uris().map(Condition::CorrectiveEventId),
        (None, "sensorElementList") => v.exists().map(|_| Condition::SensorElementList),
        (Some(Cmp::Eq), "booleanValue") => match v.raw {
            "true" | "false" => Ok(Condition::Sensor {
                key: "booleanValue".to_owned(),
                uom: None,
                test: Test::Bool(v.raw == "true"),
            }),
            _ => Err(v.at.error("must be true or false")),
        },
        (Some(Cmp::Eq), key) if SENSOR_STRINGS.contains(&key) => v.list().map(|l| {
            let l = if key == "type" {
                l.iter().map(|t| measurement_type(t).to_owned()).collect()
            } else {
                l
            };
            Condition::Sensor {
                key: key.to_owned(),
                uom: None,
                test: Test::Strings(l),
            }
        }),
        (Some(c @ (Cmp::Ge | Cmp::Lt)), key @ ("time" | "startTime" | "endTime")) => {
            v.time().map(|t| Condition::Sensor {
                key: key.to_owned(),
                uom: None,
                test: Test::Compare(c, Scalar::Time(t)),
            })
        }
        (Some(_), "percRank") if ordering.is_some() => sensor_number(ordering, "percRank", None, v),
        _ => {
            if let Some((key, uom)) = rest
                .split_once('_')
                .filter(|(k, u)| WITH_UOM.contains(k) && is_uom(u))
            {
                // Only `value` has an `EQ_` form (a list of numbers); the others compare.
                if cmp.is_none() || (cmp == Some(Cmp::Eq) && key != "value") {
                    return None;
                }
                return Some(sensor_number(ordering, key, Some(uom), v));
            }
            if let Some(kind) = ["bizTransaction_", "source_", "destination_"]
                .iter()
                .find_map(|p| rest.strip_prefix(p).map(|k| (*p, k)))
                .filter(|(_, k)| cmp == Some(Cmp::Eq) && is_type_word(k))
            {
                return Some(typed(kind.0, kind.1, v));
            }
            if cmp == Some(Cmp::Eq) && rest.starts_with("ATTR_") {
                return Some(Err(v.at.error(
                    "names a master data attribute; this repository holds no master data",
                )));
            }
            return field(cmp, rest, v);
        }
    };
    Some(cond)
}

fn quantity(c: Cmp, uom: Option<String>, v: &Param) -> Result<Condition, EventError> {
    let test = match c {
        Cmp::Eq => Test::Numbers(v.numbers()?),
        c => Test::Compare(c, Scalar::Number(v.number()?)),
    };
    Ok(Condition::Quantity { uom, test })
}

fn sensor_number(
    ordering: Option<Cmp>,
    key: &str,
    uom: Option<&str>,
    v: &Param,
) -> Result<Condition, EventError> {
    let test = match ordering {
        Some(c) => Test::Compare(c, Scalar::Number(v.number()?)),
        None => Test::Numbers(v.numbers()?),
    };
    Ok(Condition::Sensor {
        key: key.to_owned(),
        uom: uom.map(str::to_owned),
        test,
    })
}

/// `EQ_bizTransaction_{type}`, `EQ_source_{type}`, `EQ_destination_{type}`.
fn typed(which: &str, kind: &str, v: &Param) -> Result<Condition, EventError> {
    let kind = crate::event::short_cbv(kind);
    let ids = v.uris()?;
    Ok(match which {
        "bizTransaction_" => Condition::BizTransaction { kind, ids },
        "source_" => Condition::Source { kind, ids },
        _ => Condition::Destination { kind, ids },
    })
}

/// The extension-field families; `None` when the name is not one of them.
fn field(cmp: Option<Cmp>, rest: &str, v: &Param) -> Option<Result<Condition, EventError>> {
    let (prefix, site) = SITES
        .iter()
        .find(|(p, _)| rest.strip_prefix(p).is_some_and(is_field_name))?;
    let name = rest.strip_prefix(prefix)?.to_owned();
    let Some((site, inner)) = *site else {
        return Some(Err(v.at.error(
            "names an extension field of a location; this repository does not keep those",
        )));
    };
    let test = match cmp {
        None => v.exists(),
        Some(Cmp::Eq) => v.list().map(Test::Loose),
        Some(c) => v.scalar().map(|s| Test::Compare(c, s)),
    };
    Some(test.map(|test| Condition::Field {
        site,
        inner,
        name,
        test,
    }))
}
