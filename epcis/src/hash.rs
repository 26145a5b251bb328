//! The CBV 2.0 EPCIS event hash id: one event's canonical pre-hash string, hashed with SHA-256
//! into `ni:///sha-256;{hex}?ver=CBV2.0`, the same for every serialisation of the same event.
//!
//! The rules are CBV 2.0's "EPCIS Event Hash ID" algorithm as GS1's reference implementation
//! (github.com/RalphTro/epcis-event-hash-generator) applies them; `tests/hash.rs` checks its
//! published hashes. Where the two disagree, the comment at the spot says which one we follow.

use std::{borrow::Cow, collections::BTreeMap};

use chrono::{DateTime, Duration, Utc};
use gs1::cbv::{BizStep, Disposition};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

mod order;

use order::{EVENT, NOT_HASHED, Part, TYPED_LISTS, Vocab};

/// Why an event has no hash id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The event is a JSON array, string, number... rather than an object.
    #[error("an event is a JSON object, not {0}")]
    NotAnObject(&'static str),
    /// The event has no string `type` naming its event type.
    #[error("event has no type")]
    MissingType,
    /// A timestamp field does not hold a date and time with a UTC offset.
    #[error("{field} is not a timestamp with a time zone: {value:?}")]
    BadTimestamp {
        /// The field's name, e.g. `eventTime`.
        field: String,
        /// What it held.
        value: String,
    },
}

/// The event hash id of one EPCIS 2.0 JSON-LD event, resolving prefixes by its own `@context`.
///
/// ```
/// let event = serde_json::json!({
///     "type": "ObjectEvent",
///     "eventTime": "2020-03-04T11:00:30.000+01:00",
///     "eventTimeZoneOffset": "+01:00",
///     "epcList": ["urn:epc:id:sscc:4012345.0000000333"],
///     "action": "OBSERVE",
/// });
/// let id = epcis::event_hash_id(&event).unwrap();
/// assert!(id.starts_with("ni:///sha-256;") && id.ends_with("?ver=CBV2.0"));
/// ```
pub fn event_hash_id(event: &Value) -> Result<String, HashError> {
    event_hash_id_with_context(event, &Value::Null)
}

/// The event hash id of one event of a document whose `@context` is `document_context`
/// (`&document["@context"]`; `Value::Null` for none); the event's own `@context` wins.
pub fn event_hash_id_with_context(
    event: &Value,
    document_context: &Value,
) -> Result<String, HashError> {
    let pre = pre_hash(event, document_context, false)?;
    Ok(ni(&pre))
}

/// [`event_hash_id_with_context`] of JSON that `Event::to_json` wrote in Digital Link form: its
/// identifier lists hold canonical Digital Links already, so they are not parsed a second time
/// (a capture parses each identifier once, when it reads the event).
pub fn written_event_hash_id(event: &Value, document_context: &Value) -> Result<String, HashError> {
    let pre = pre_hash(event, document_context, true)?;
    Ok(ni(&pre))
}

fn ni(pre_hash: &str) -> String {
    let digest = Sha256::digest(pre_hash.as_bytes());
    format!("ni:///sha-256;{}?ver=CBV2.0", hex::encode(digest))
}

/// The canonical string [`event_hash_id`] hashes, for debugging and comparing implementations.
///
/// ```
/// let event = serde_json::json!({
///     "type": "ObjectEvent",
///     "eventTime": "2020-03-04T11:00:30+01:00",
///     "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
///     "action": "OBSERVE",
///     "bizStep": "shipping",
/// });
/// assert_eq!(
///     epcis::hash::pre_hash_string(&event).unwrap(),
///     "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000Z\
///      epcListepc=https://id.gs1.org/01/10614141073464/21/2017\
///      action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping"
/// );
/// ```
pub fn pre_hash_string(event: &Value) -> Result<String, HashError> {
    pre_hash_string_with_context(event, &Value::Null)
}

/// [`pre_hash_string`] of one event of a document whose `@context` is `document_context`.
pub fn pre_hash_string_with_context(
    event: &Value,
    document_context: &Value,
) -> Result<String, HashError> {
    pre_hash(event, document_context, false)
}

fn pre_hash(
    event: &Value,
    document_context: &Value,
    canonical_ids: bool,
) -> Result<String, HashError> {
    let event = match event {
        Value::Object(m) => m,
        Value::Array(_) => return Err(HashError::NotAnObject("an array")),
        Value::String(_) => return Err(HashError::NotAnObject("a string")),
        Value::Number(_) => return Err(HashError::NotAnObject("a number")),
        Value::Bool(_) => return Err(HashError::NotAnObject("a boolean")),
        Value::Null => return Err(HashError::NotAnObject("null")),
    };
    let mut ns = Namespaces::standard();
    ns.add(document_context);
    if let Some(own) = event.get("@context") {
        ns.add(own);
    }
    let kind = event
        .get("type")
        .and_then(Value::as_str)
        .ok_or(HashError::MissingType)?;
    let mut out = format!("eventType={kind}");
    Canon { ns, canonical_ids }.body(&mut out, event, EVENT, true)?;
    Ok(out)
}

const RDFS_COMMENT: &str = "{http://www.w3.org/2000/01/rdf-schema#}comment";

/// Prefix to namespace IRI, from the EPCIS context and the documents' `@context`s.
struct Namespaces(BTreeMap<String, String>);

impl Namespaces {
    /// The prefixes the standard EPCIS 2.0 JSON-LD context defines, which a document that
    /// names that context by URL may use without declaring them.
    fn standard() -> Self {
        let map = [
            ("epcis", "https://ref.gs1.org/epcis/"),
            ("cbv", "https://ref.gs1.org/cbv/"),
            ("cbvmda", "urn:epcglobal:cbv:mda:"),
            ("gs1", "https://gs1.org/voc/"),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
            ("owl", "http://www.w3.org/2002/07/owl#"),
            ("xsd", "http://www.w3.org/2001/XMLSchema#"),
            ("dcterms", "http://purl.org/dc/terms/"),
        ];
        Self(
            map.iter()
                .map(|&(p, iri)| (p.to_owned(), iri.to_owned()))
                .collect(),
        )
    }

    fn add(&mut self, context: &Value) {
        match context {
            Value::Array(items) => items.iter().for_each(|c| self.add(c)),
            Value::Object(terms) => {
                for (prefix, def) in terms {
                    let iri = match def {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(d) => d.get("@id").and_then(Value::as_str),
                        _ => None,
                    };
                    if let Some(iri) = iri.filter(|_| !prefix.starts_with('@')) {
                        self.0.insert(prefix.clone(), iri.to_owned());
                    }
                }
            }
            // A context URL: its prefixes are the standard ones, remote contexts are not read.
            _ => {}
        }
    }

    /// `(namespace, local name)` of a compact IRI whose prefix is known.
    fn split<'a>(&'a self, curie: &'a str) -> Option<(&'a str, &'a str)> {
        let (prefix, local) = curie.split_once(':')?;
        if local.starts_with("//") {
            return None;
        }
        self.0.get(prefix).map(|iri| (iri.as_str(), local))
    }

    /// A field name as the pre-hash string writes it: `{namespace}local` for a prefixed name.
    fn key<'a>(&self, key: &'a str) -> Cow<'a, str> {
        match self.split(key) {
            Some((ns, local)) => Cow::Owned(format!("{{{ns}}}{local}")),
            None => Cow::Borrowed(key),
        }
    }
}

/// Writes values and objects in their canonical form.
struct Canon {
    ns: Namespaces,
    /// Whether the identifier lists are canonical Digital Links already.
    canonical_ids: bool,
}

impl Canon {
    /// Writes `obj`'s fields in `order`, then its other fields sorted.
    fn body(
        &self,
        out: &mut String,
        obj: &Map<String, Value>,
        order: &[(&str, Part)],
        event_level: bool,
    ) -> Result<(), HashError> {
        for &(name, part) in order {
            if let Some(v) = obj.get(name)
                && let Some(s) = self.part(name, part, v)?
            {
                out.push_str(&s);
            }
        }
        let mut rest = Vec::new();
        for (k, v) in obj {
            let skip = order.iter().any(|(name, _)| *name == k.as_str())
                || (event_level && (NOT_HASHED.contains(&k.as_str()) || k == "@context"))
                || self.is_comment(k);
            if skip {
                continue;
            }
            match TYPED_LISTS.iter().find(|(list, ..)| list == k) {
                Some(&(_, element, vocab)) => rest.extend(self.typed_list(k, element, vocab, v)),
                None => self.generic(k, v, &mut rest),
            }
        }
        rest.sort();
        out.push_str(&rest.concat());
        Ok(())
    }

    fn part(&self, name: &str, part: Part, v: &Value) -> Result<Option<String>, HashError> {
        let sorted = |mut items: Vec<String>| {
            items.sort();
            items.concat()
        };
        Ok(match part {
            Part::Time => match scalar(v) {
                Some(s) => Some(format!("{name}={}", timestamp(name, &s)?)),
                None => None,
            },
            Part::Plain => nonempty(sorted(
                values(v)
                    .filter_map(|s| self.assign(name, &self.value(&s)))
                    .collect(),
            )),
            Part::Vocab(vocab) => nonempty(sorted(
                values(v)
                    .filter_map(|s| self.assign(name, &self.vocab(vocab, &s)))
                    .collect(),
            )),
            Part::Ids(element) => {
                let ids: Vec<String> = values(v)
                    .filter_map(|s| {
                        // Other identifiers (URIs of no GS1 key, compact IRIs) still go
                        // through `value`.
                        let id = if self.canonical_ids && s.starts_with(CANONICAL_DL) {
                            as_hashed(&s).into_owned()
                        } else {
                            self.value(&s)
                        };
                        self.assign(element, &id)
                    })
                    .collect();
                nonempty(sorted(ids)).map(|ids| format!("{name}{ids}"))
            }
            Part::Object(order) => match v {
                Value::Object(obj) => {
                    let mut s = String::new();
                    self.body(&mut s, obj, order, false)?;
                    nonempty(s).map(|s| format!("{name}{s}"))
                }
                _ => None,
            },
            Part::Each(order) => {
                let mut items = Vec::new();
                for obj in objects(v) {
                    let mut s = String::new();
                    self.body(&mut s, obj, order, false)?;
                    items.push(format!("{name}{s}"));
                }
                nonempty(sorted(items))
            }
            Part::List(element, order) => {
                let mut items = Vec::new();
                for obj in objects(v) {
                    let mut s = String::new();
                    self.body(&mut s, obj, order, false)?;
                    items.push(format!("{element}{s}"));
                }
                nonempty(sorted(items)).map(|s| format!("{name}{s}"))
            }
        })
    }

    fn typed_list(&self, name: &str, element: &str, vocab: Vocab, v: &Value) -> Option<String> {
        let mut items: Vec<String> = objects(v)
            .map(|obj| {
                let mut s = String::new();
                if let Some(t) = obj.get("type").and_then(scalar) {
                    s.extend(self.assign("type", &self.vocab(vocab, &t)));
                }
                if let Some(id) = obj.get(element).and_then(scalar) {
                    s.extend(self.assign(element, &self.value(&id)));
                }
                let mut rest = Vec::new();
                for (k, v) in obj.iter().filter(|(k, _)| *k != "type" && *k != element) {
                    self.generic(k, v, &mut rest);
                }
                rest.sort();
                s + &rest.concat()
            })
            .collect();
        items.sort();
        nonempty(items.concat()).map(|s| format!("{name}{s}"))
    }

    /// Writes a field outside the order table (user extensions, ILMD...): `key=value`, or the
    /// key followed by its children sorted; every element of a list repeats the key.
    fn generic(&self, key: &str, v: &Value, out: &mut Vec<String>) {
        let key = self.ns.key(key);
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.generic(&key, i, out)),
            Value::Object(obj) => {
                let mut children = Vec::new();
                for (k, v) in obj.iter().filter(|(k, _)| !self.is_comment(k)) {
                    self.generic(k, v, &mut children);
                }
                children.sort();
                out.push(format!("{key}{}", children.concat()));
            }
            Value::Null => {}
            _ => {
                let value = scalar(v).map(|s| self.value(&s)).unwrap_or_default();
                out.push(
                    self.assign(&key, &value)
                        .unwrap_or_else(|| key.into_owned()),
                );
            }
        }
    }

    fn assign(&self, name: &str, value: &str) -> Option<String> {
        (!value.is_empty()).then(|| format!("{name}={value}"))
    }

    fn is_comment(&self, key: &str) -> bool {
        key == "comment" || key == "#text" || self.ns.key(key) == RDFS_COMMENT
    }

    /// A value in canonical form: compact IRIs expanded, CBV URNs as web URIs, numbers without
    /// trailing zeros, GS1 identifiers as canonical Digital Link URIs.
    fn value(&self, raw: &str) -> String {
        let s = raw.trim();
        let s = match self.ns.split(s) {
            Some((ns, local)) => Cow::Owned(format!("{ns}{local}")),
            None => Cow::Borrowed(s),
        };
        let s = cbv_web_uri(&s).map_or(s, Cow::Owned);
        if let Some(n) = canonical_number(&s) {
            return n;
        }
        canonical_id(&s).into_owned()
    }

    fn vocab(&self, vocab: Vocab, raw: &str) -> String {
        let s = raw.trim();
        match vocab {
            // An unknown bare word stays as it is: the EPCIS context only expands CBV terms.
            Vocab::BizStep => {
                if let Ok(step) = BizStep::parse(s) {
                    return step.uri();
                }
            }
            Vocab::Disposition => {
                if let Ok(disp) = Disposition::parse(s) {
                    return disp.uri();
                }
            }
            // gs1::cbv has no term lists for these, so every bare word is taken for a term.
            _ => {
                if !s.is_empty() && !s.contains([':', '/']) {
                    return format!("{}{s}", vocab.prefix());
                }
            }
        }
        self.value(s)
    }
}

fn nonempty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// The text of a JSON scalar. Booleans are `true`/`false`, as in the XML binding (the
/// reference implementation writes Python's `True`; no published vector has one).
fn scalar(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The scalars of a value that may be one scalar or a list of them.
fn values(v: &Value) -> impl Iterator<Item = Cow<'_, str>> {
    let items = match v {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    items.iter().filter_map(scalar)
}

/// The objects of a value that may be one object or a list of them.
fn objects(v: &Value) -> impl Iterator<Item = &Map<String, Value>> {
    let items = match v {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    items.iter().filter_map(Value::as_object)
}

/// A timestamp in UTC with exactly three decimals.
fn timestamp(field: &str, raw: &str) -> Result<String, HashError> {
    let bad = || HashError::BadTimestamp {
        field: field.to_owned(),
        value: raw.to_owned(),
    };
    let t = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    let nanos = t.timestamp_subsec_nanos() % 1_000_000_000;
    let t = t - Duration::nanoseconds(i64::from(nanos % 1_000_000));
    // The spec rounds up when the 4th decimal is 5-9. The reference implementation rounds the
    // microseconds half to even, which differs only on an exact tie after an even millisecond
    // (.1425 -> .142); no published vector has one, so we follow the spec.
    let t = if (nanos / 100_000) % 10 >= 5 {
        t + Duration::milliseconds(1)
    } else {
        t
    };
    Ok(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// CBV 1.x URNs of the vocabularies CBV 2.0 gives web URIs.
fn cbv_web_uri(s: &str) -> Option<String> {
    const URNS: &[(&str, &str)] = &[
        ("urn:epcglobal:cbv:bizstep:", "BizStep-"),
        ("urn:epcglobal:cbv:disp:", "Disp-"),
        ("urn:epcglobal:cbv:btt:", "BTT-"),
        ("urn:epcglobal:cbv:sdt:", "SDT-"),
        ("urn:epcglobal:cbv:er:", "ER-"),
    ];
    URNS.iter().find_map(|(urn, term)| {
        s.strip_prefix(urn)
            .map(|word| format!("https://ref.gs1.org/cbv/{term}{word}"))
    })
}

/// A number as the reference implementation writes it (Python's `str(float)`, integers without
/// `.0`). It applies to every value that parses as a number, identifiers included, so a value
/// `"007"` is written `7`; the published hashes depend on that.
fn canonical_number(s: &str) -> Option<String> {
    // `f64::from_str` also takes "inf" and "NaN", which are not numbers here.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: f64 = s.parse().ok()?;
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() < 1e38 {
        // Exact: the integer the double holds, as Python's int(float) gives it.
        return Some((n as i128).to_string());
    }
    if n != 0.0 && n.abs() < 1e-4 {
        // Python switches to exponent notation below 1e-4, with at least two exponent digits.
        let e = format!("{n:e}");
        let (mantissa, exp) = e.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let sign = if exp < 0 { '-' } else { '+' };
        return Some(format!("{mantissa}e{sign}{:02}", exp.abs()));
    }
    Some(format!("{n}"))
}

// The hash needs each GS1 identifier as its canonical Digital Link URI, whichever way it is
// written; a value that is no GS1 identifier stays as it is.
/// How every canonical Digital Link starts.
const CANONICAL_DL: &str = "https://id.gs1.org/";

fn canonical_id(s: &str) -> Cow<'_, str> {
    match crate::epc::Epc::parse(s) {
        Ok(epc) if epc.canonical() != s => Cow::Owned(as_hashed(epc.canonical()).into_owned()),
        Ok(_) => as_hashed(s),
        _ => Cow::Borrowed(s),
    }
}

/// A canonical Digital Link as the hash writes it. GS1's syntax engine (and so `Epc`)
/// percent-encodes `'`; the reference hash implementation leaves it, an RFC 3986
/// sub-delimiter, as it is, and its published hashes depend on that.
fn as_hashed(canonical: &str) -> Cow<'_, str> {
    if canonical.contains("%27") {
        Cow::Owned(canonical.replace("%27", "'"))
    } else {
        Cow::Borrowed(canonical)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event() -> Value {
        json!({
            "type": "ObjectEvent",
            "eventTime": "2020-03-04T11:00:30.000+01:00",
            "eventTimeZoneOffset": "+01:00",
            "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
            "quantityList": [
                {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 200, "uom": "KGM"}
            ],
            "action": "OBSERVE",
            "bizStep": "shipping",
            "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
            "example:myField": {"example:b": "2", "example:a": "1"},
            "@context": {"example": "https://ns.example.com/epcis/"}
        })
    }

    fn id(v: &Value) -> String {
        event_hash_id(v).unwrap()
    }

    #[test]
    fn key_order_does_not_matter() {
        let text = event().to_string();
        let reversed = reverse_keys(&text);
        assert_ne!(reversed, text);
        let reordered: Value = serde_json::from_str(&reversed).unwrap();
        assert_eq!(id(&reordered), id(&event()));
    }

    /// The same JSON with every object's keys in reverse order.
    fn reverse_keys(json: &str) -> String {
        fn rev(v: &Value) -> String {
            match v {
                Value::Object(m) => {
                    let fields: Vec<String> = m
                        .iter()
                        .rev()
                        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), rev(v)))
                        .collect();
                    format!("{{{}}}", fields.join(","))
                }
                Value::Array(items) => {
                    format!("[{}]", items.iter().map(rev).collect::<Vec<_>>().join(","))
                }
                other => other.to_string(),
            }
        }
        rev(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn epc_urns_and_digital_links_hash_alike() {
        let mut dl = event();
        dl["epcList"] = json!(["https://example.com/01/10614141073464/21/2017?linkType=all"]);
        dl["quantityList"][0]["epcClass"] =
            json!("https://id.gs1.org/gtin/04012345123456/lot/998877");
        dl["readPoint"]["id"] = json!("https://id.gs1.org/414/0614141073467/254/1234");
        dl["bizStep"] = json!("urn:epcglobal:cbv:bizstep:shipping");
        assert_eq!(id(&dl), id(&event()));
    }

    #[test]
    fn the_same_instant_in_another_zone_hashes_alike() {
        let mut utc = event();
        utc["eventTime"] = json!("2020-03-04T10:00:30Z");
        assert_eq!(id(&utc), id(&event()));
        utc["eventTime"] = json!("2020-03-04T05:00:30.0001-05:00");
        assert_eq!(id(&utc), id(&event()));
        utc["eventTime"] = json!("2020-03-04T10:00:30.0005Z");
        assert_ne!(id(&utc), id(&event()));
    }

    #[test]
    fn a_changed_quantity_changes_the_hash() {
        let mut more = event();
        more["quantityList"][0]["quantity"] = json!(201);
        assert_ne!(id(&more), id(&event()));
        let mut same = event();
        same["quantityList"][0]["quantity"] = json!(200.0);
        assert_eq!(id(&same), id(&event()));
    }

    #[test]
    fn writes_the_canonical_pre_hash_string() {
        assert_eq!(
            pre_hash_string(&event()).unwrap(),
            "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00\
             epcListepc=https://id.gs1.org/01/10614141073464/21/2017\
             quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877\
             quantity=200uom=KGMaction=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping\
             readPointid=https://id.gs1.org/414/0614141073467/254/1234\
             {https://ns.example.com/epcis/}myField{https://ns.example.com/epcis/}a=1\
             {https://ns.example.com/epcis/}b=2"
        );
    }

    #[test]
    fn refuses_what_is_not_an_event() {
        assert_eq!(
            event_hash_id(&json!([])),
            Err(HashError::NotAnObject("an array"))
        );
        assert_eq!(
            event_hash_id(&json!({"action": "ADD"})),
            Err(HashError::MissingType)
        );
        let err = event_hash_id(&json!({"type": "ObjectEvent", "eventTime": "yesterday"}));
        assert_eq!(
            err.unwrap_err().to_string(),
            "eventTime is not a timestamp with a time zone: \"yesterday\""
        );
    }

    #[test]
    fn numbers_lose_trailing_zeros() {
        for (input, expected) in [
            ("1.0", Some("1")),
            ("0.3434", Some("0.3434")),
            ("452.0", Some("452")),
            ("+7", Some("7")),
            ("0.00001", Some("1e-05")),
            ("-0", Some("0")),
            ("inf", None),
            ("NaN", None),
            ("+01:00", None),
        ] {
            assert_eq!(canonical_number(input).as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn converts_epc_urns() {
        for (urn, dl) in [
            (
                "urn:epc:id:sgtin:0614141.107346.2017",
                "/01/10614141073464/21/2017",
            ),
            (
                "urn:epc:id:sscc:4012345.0000000333",
                "/00/040123450000003338",
            ),
            (
                "urn:epc:id:sgln:4012345.00011.987",
                "/414/4012345000115/254/987",
            ),
            ("urn:epc:id:sgln:4012345.00011.0", "/414/4012345000115"),
            ("urn:epc:idpat:sgtin:4054739.099914.*", "/01/04054739999148"),
            ("urn:epc:id:pgln:999999999999.", "/417/9999999999994"),
        ] {
            assert_eq!(
                canonical_id(urn),
                format!("https://id.gs1.org{dl}"),
                "{urn}"
            );
        }
        for other in [
            "urn:epc:id:sgtin:0614141.107346",
            "geo:47.5,11.1",
            "OBSERVE",
        ] {
            assert_eq!(canonical_id(other), other);
        }
    }
}
