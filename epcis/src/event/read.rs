//! Reading an event's fields from JSON, each error carrying the field's path.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use super::{BizTransaction, Endpoint, ErrorDeclaration, PersistentDisposition, Quantity};
use crate::epc::Epc;
use crate::error::{EventError, Path};

/// Refuses U+0000 anywhere: the XML binding cannot carry it and PostgreSQL text cannot store
/// it, so an event holding one could be captured here but never exchanged.
pub(super) fn no_nul(v: &Value, path: &Path) -> Result<(), EventError> {
    match v {
        Value::String(s) if s.contains('\0') => Err(path.error("must not contain U+0000")),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| no_nul(v, &path.index(i))),
        Value::Object(o) => o.iter().try_for_each(|(k, v)| {
            if k.contains('\0') {
                Err(path.error("a field name must not contain U+0000"))
            } else {
                no_nul(v, &path.field(k))
            }
        }),
        _ => Ok(()),
    }
}

#[derive(Clone, Copy)]
pub(super) enum Vocabulary {
    BizStep,
    Disposition,
}

/// Reads the fields of one JSON object, each error carrying the field's path.
pub(super) struct Reader<'a> {
    pub(super) obj: &'a Map<String, Value>,
    pub(super) path: &'a Path,
}

impl Reader<'_> {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn optional_str(&self, key: &str) -> Result<Option<&str>, EventError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
            Some(_) => Err(self.path.field(key).error("must be a non-empty string")),
        }
    }

    pub(super) fn required_str(&self, key: &str) -> Result<&str, EventError> {
        self.optional_str(key)?
            .ok_or_else(|| self.path.field(key).error("is required"))
    }

    pub(super) fn optional_uri(&self, key: &str) -> Result<Option<String>, EventError> {
        match self.optional_str(key)? {
            Some(s) if is_uri(s) => Ok(Some(s.to_owned())),
            Some(s) => Err(self
                .path
                .field(key)
                .error(format!("{s:?} is not an absolute URI"))),
            None => Ok(None),
        }
    }

    pub(super) fn optional_time(
        &self,
        key: &str,
    ) -> Result<Option<DateTime<FixedOffset>>, EventError> {
        self.optional_str(key)?
            .map(|s| parse_time(s).map_err(|why| self.path.field(key).error(why)))
            .transpose()
    }

    pub(super) fn required_time(&self, key: &str) -> Result<DateTime<FixedOffset>, EventError> {
        self.optional_time(key)?
            .ok_or_else(|| self.path.field(key).error("is required"))
    }

    pub(super) fn offset(&self) -> Result<String, EventError> {
        let s = self.required_str("eventTimeZoneOffset")?;
        let b = s.as_bytes();
        let ok = b.len() == 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit())
            && s[1..3].parse::<u8>().is_ok_and(|h| h <= 14)
            && s[4..6].parse::<u8>().is_ok_and(|m| m < 60);
        if ok {
            Ok(s.to_owned())
        } else {
            Err(self
                .path
                .field("eventTimeZoneOffset")
                .error(format!("{s:?} is not an offset of the form +07:00")))
        }
    }

    pub(super) fn epc_at(path: &Path, v: &Value) -> Result<Epc, EventError> {
        let s = v
            .as_str()
            .ok_or_else(|| path.error("must be a string (an EPC URN or a GS1 Digital Link)"))?;
        Epc::parse(s).map_err(|e| path.error(e.to_string()))
    }

    pub(super) fn optional_epc(&self, key: &str) -> Result<Option<Epc>, EventError> {
        self.get(key)
            .map(|v| Self::epc_at(&self.path.field(key), v))
            .transpose()
    }

    pub(super) fn array(&self, key: &str) -> Result<&[Value], EventError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.path.field(key).error("must be an array")),
        }
    }

    pub(super) fn optional_object(
        &self,
        key: &str,
    ) -> Result<Option<&Map<String, Value>>, EventError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(_) => Err(self.path.field(key).error("must be an object")),
        }
    }

    pub(super) fn epc_list(&self, key: &str) -> Result<Vec<Epc>, EventError> {
        let path = self.path.field(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| Self::epc_at(&path.index(i), v))
            .collect()
    }

    /// Reads each object of the array at `key` with `f`, each under its own path.
    pub(super) fn each_object<T>(
        &self,
        key: &str,
        f: impl Fn(&Reader<'_>) -> Result<T, EventError>,
    ) -> Result<Vec<T>, EventError> {
        let path = self.path.field(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let path = path.index(i);
                let obj = v
                    .as_object()
                    .ok_or_else(|| path.error("must be an object"))?;
                f(&Reader { obj, path: &path })
            })
            .collect()
    }

    pub(super) fn quantity_list(&self, key: &str) -> Result<Vec<Quantity>, EventError> {
        self.each_object(key, |r| {
            let path = r.path;
            let epc_class = r
                .optional_epc("epcClass")?
                .ok_or_else(|| path.field("epcClass").error("is required"))?;
            let quantity =
                match r.get("quantity") {
                    None => None,
                    Some(q) => Some(q.as_f64().filter(|q| *q >= 0.0).ok_or_else(|| {
                        path.field("quantity").error("must be a number, at least 0")
                    })?),
                };
            let uom = r.optional_str("uom")?.map(str::to_owned);
            if uom.as_deref().is_some_and(|u| {
                !(2..=3).contains(&u.len())
                    || !u
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }) {
                return Err(path
                    .field("uom")
                    .error("must be a UN/CEFACT Recommendation 20 code, e.g. KGM"));
            }
            Ok(Quantity {
                epc_class,
                quantity,
                uom,
            })
        })
    }

    pub(super) fn vocabulary(
        &self,
        key: &str,
        vocabulary: Vocabulary,
    ) -> Result<Option<String>, EventError> {
        let Some(s) = self.optional_str(key)? else {
            return Ok(None);
        };
        let short = match vocabulary {
            Vocabulary::BizStep => gs1::cbv::BizStep::parse(s).ok().map(|b| b.as_str()),
            Vocabulary::Disposition => gs1::cbv::Disposition::parse(s).ok().map(|d| d.as_str()),
        };
        match short {
            Some(word) => Ok(Some(word.to_owned())),
            // A value outside CBV is allowed when it is a URI (EPCIS 2.0 §7.3.5.1).
            None if is_uri(s) && !is_cbv_uri(s) => Ok(Some(s.to_owned())),
            None => Err(self.path.field(key).error(format!(
                "{s:?} is not a CBV 2.0 {} nor a URI of its own",
                match vocabulary {
                    Vocabulary::BizStep => "business step",
                    Vocabulary::Disposition => "disposition",
                }
            ))),
        }
    }

    pub(super) fn persistent_disposition(
        &self,
    ) -> Result<Option<PersistentDisposition>, EventError> {
        let Some(obj) = self.optional_object("persistentDisposition")? else {
            return Ok(None);
        };
        let path = self.path.field("persistentDisposition");
        let r = Reader { obj, path: &path };
        let list = |key: &str| -> Result<Vec<String>, EventError> {
            let path = path.field(key);
            r.array(key)?
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let s = v.as_str().unwrap_or_default();
                    gs1::cbv::Disposition::parse(s)
                        .map(|d| d.as_str().to_owned())
                        .or_else(|_| {
                            if is_uri(s) && !is_cbv_uri(s) {
                                Ok(s.to_owned())
                            } else {
                                Err(path.index(i).error("must be a CBV disposition or a URI"))
                            }
                        })
                })
                .collect()
        };
        let pd = PersistentDisposition {
            set: list("set")?,
            unset: list("unset")?,
        };
        if pd.set.is_empty() && pd.unset.is_empty() {
            return Err(path.error("needs set or unset"));
        }
        Ok(Some(pd))
    }

    pub(super) fn location(&self, key: &str) -> Result<Option<Epc>, EventError> {
        let Some(obj) = self.optional_object(key)? else {
            return Ok(None);
        };
        let path = self.path.field(key);
        let r = Reader { obj, path: &path };
        if let Some(k) = obj.keys().find(|k| *k != "id" && !k.contains(':')) {
            return Err(path.field(k).error("not a field of a location"));
        }
        r.optional_epc("id")?
            .map(Some)
            .ok_or_else(|| path.field("id").error("is required"))
    }

    pub(super) fn biz_transactions(&self) -> Result<Vec<BizTransaction>, EventError> {
        self.each_object("bizTransactionList", |r| {
            Ok(BizTransaction {
                kind: r.optional_str("type")?.map(short_cbv),
                id: r
                    .optional_uri("bizTransaction")?
                    .ok_or_else(|| r.path.field("bizTransaction").error("is required (a URI)"))?,
            })
        })
    }

    pub(super) fn endpoints(&self, key: &str, name: &str) -> Result<Vec<Endpoint>, EventError> {
        self.each_object(key, |r| {
            Ok(Endpoint {
                kind: short_cbv(r.required_str("type")?),
                id: r
                    .optional_epc(name)?
                    .ok_or_else(|| r.path.field(name).error("is required"))?,
            })
        })
    }

    pub(super) fn sensor_elements(&self) -> Result<Vec<Map<String, Value>>, EventError> {
        self.each_object("sensorElementList", |r| {
            if r.array("sensorReport")?.is_empty() {
                return Err(r
                    .path
                    .field("sensorReport")
                    .error("needs at least one report"));
            }
            r.each_object("sensorReport", |report| {
                for key in [
                    "value",
                    "minValue",
                    "maxValue",
                    "meanValue",
                    "sDev",
                    "percRank",
                    "percValue",
                ] {
                    if report.get(key).is_some_and(|v| !v.is_number()) {
                        return Err(report.path.field(key).error("must be a number"));
                    }
                }
                for key in ["time", "startTime", "endTime"] {
                    report.optional_time(key)?;
                }
                Ok(())
            })?;
            if let Some(meta) = r.optional_object("sensorMetadata")? {
                let path = r.path.field("sensorMetadata");
                let r = Reader {
                    obj: meta,
                    path: &path,
                };
                for key in ["time", "startTime", "endTime"] {
                    r.optional_time(key)?;
                }
            }
            Ok(r.obj.clone())
        })
    }

    pub(super) fn certification_info(&self) -> Result<Vec<String>, EventError> {
        let path = self.path.field("certificationInfo");
        let uri = |p: &Path, v: &Value| match v.as_str() {
            Some(s) if is_uri(s) => Ok(s.to_owned()),
            _ => Err(p.error("must be a URI")),
        };
        match self.get("certificationInfo") {
            None => Ok(Vec::new()),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, v)| uri(&path.index(i), v))
                .collect(),
            Some(v) => Ok(vec![uri(&path, v)?]),
        }
    }

    pub(super) fn error_declaration(&self) -> Result<Option<ErrorDeclaration>, EventError> {
        let Some(obj) = self.optional_object("errorDeclaration")? else {
            return Ok(None);
        };
        let path = self.path.field("errorDeclaration");
        let r = Reader { obj, path: &path };
        let ids_path = path.field("correctiveEventIDs");
        let corrective_event_ids = r
            .array("correctiveEventIDs")?
            .iter()
            .enumerate()
            .map(|(i, v)| match v.as_str() {
                Some(s) if is_uri(s) => Ok(s.to_owned()),
                _ => Err(ids_path.index(i).error("must be an event id (a URI)")),
            })
            .collect::<Result<_, _>>()?;
        let extensions = obj
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "declarationTime" | "reason" | "correctiveEventIDs"
                )
            })
            .map(|(k, v)| {
                if k.contains(':') {
                    Ok((k.clone(), v.clone()))
                } else {
                    Err(path.field(k).error("not a field of an error declaration"))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Some(ErrorDeclaration {
            declaration_time: r.required_time("declarationTime")?,
            reason: r.optional_str("reason")?.map(short_cbv),
            corrective_event_ids,
            extensions,
        }))
    }
}

/// The CBV short word for a value written as a CBV URN, web URI or CURIE, else the value.
pub(crate) fn short_cbv(s: &str) -> String {
    const PREFIXES: &[&str] = &[
        "urn:epcglobal:cbv:btt:",
        "urn:epcglobal:cbv:sdt:",
        "urn:epcglobal:cbv:er:",
        "https://ref.gs1.org/cbv/BTT-",
        "https://ref.gs1.org/cbv/SDT-",
        "https://ref.gs1.org/cbv/ER-",
        "cbv:BTT-",
        "cbv:SDT-",
        "cbv:ER-",
    ];
    PREFIXES
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .to_owned()
}

fn is_cbv_uri(s: &str) -> bool {
    s.starts_with("urn:epcglobal:cbv:") || s.starts_with("https://ref.gs1.org/cbv/")
}

/// An absolute URI: a scheme (RFC 3986 §3.1), a colon, and no white space.
pub(crate) fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut b = scheme.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !s
            .bytes()
            .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
}

/// An EPCIS time: RFC 3339 / ISO 8601 with an offset (`Z` or `±hh:mm`).
pub(crate) fn parse_time(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|_| format!("{s:?} is not a time with an offset, e.g. 2026-12-03T08:00:00+07:00"))
}
