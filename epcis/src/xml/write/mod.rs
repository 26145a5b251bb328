//! The EPCIS 2.0 JSON-LD shape to EPCIS 2.0 XML.

mod masterdata;

use std::fmt::Write as _;

use quick_xml::escape::escape;
use serde_json::{Map, Value};

use super::XmlError;
use super::vocab::{Cbv, EPCIS2, EPCISQ2, STANDARD_PREFIXES, SensorTerm};

/// Which document `document` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Query,
}

const BASE: &[&str] = &[
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "errorDeclaration",
    "certificationInfo",
];

/// Child order per event type, as the EPCIS 2.0 XSD sequences them (and GS1's examples show).
fn field_order(ty: &str) -> Option<&'static [&'static str]> {
    Some(match ty {
        "ObjectEvent" => &[
            "epcList",
            "action",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "quantityList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "persistentDisposition",
            "ilmd",
        ],
        "AggregationEvent" => &[
            "parentID",
            "childEPCs",
            "action",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "childQuantityList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "persistentDisposition",
        ],
        "AssociationEvent" => &[
            "parentID",
            "childEPCs",
            "childQuantityList",
            "action",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "persistentDisposition",
        ],
        "TransactionEvent" => &[
            "bizTransactionList",
            "parentID",
            "epcList",
            "action",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "quantityList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "persistentDisposition",
        ],
        "TransformationEvent" => &[
            "inputEPCList",
            "inputQuantityList",
            "outputEPCList",
            "outputQuantityList",
            "transformationID",
            "bizStep",
            "disposition",
            "readPoint",
            "bizLocation",
            "bizTransactionList",
            "sourceList",
            "destinationList",
            "sensorElementList",
            "persistentDisposition",
            "ilmd",
        ],
        _ => return None,
    })
}

fn json_err(path: &str, message: impl Into<String>) -> XmlError {
    XmlError::Json {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>, XmlError> {
    v.as_object()
        .ok_or_else(|| json_err(path, "expected an object"))
}

fn array<'v>(v: &'v Value, path: &str) -> Result<&'v [Value], XmlError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| json_err(path, "expected an array"))
}

fn string<'v>(v: &'v Value, path: &str) -> Result<&'v str, XmlError> {
    v.as_str()
        .ok_or_else(|| json_err(path, "expected a string"))
}

/// A scalar as XML text: strings as they are, numbers and booleans in their JSON spelling.
fn scalar(v: &Value, path: &str) -> Result<String, XmlError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(json_err(path, "expected a string, number or boolean")),
    }
}

fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `prefix:localName` or `localName` keys are XML names; IRIs and JSON-LD keywords are not.
fn xml_name(key: &str) -> Option<(Option<&str>, &str)> {
    match key.split_once(':') {
        Some((p, l)) if is_ncname(p) && is_ncname(l) => Some((Some(p), l)),
        None if is_ncname(key) => Some((None, key)),
        _ => None,
    }
}

/// Prefixes from `@context` objects: string values whose key is a bare name.
fn context_prefixes(ctx: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let items: Vec<&Value> = match ctx {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for item in items {
        if let Value::Object(map) = item {
            for (k, v) in map {
                if let (Some(ns), true) = (v.as_str(), is_ncname(k)) {
                    out.push((k.clone(), ns.to_owned()));
                }
            }
        }
    }
    out
}

fn used_prefixes(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "@context" {
                    continue;
                }
                if let Some((Some(p), _)) = xml_name(k)
                    && !out.iter().any(|o| o == p)
                {
                    out.push(p.to_owned());
                }
                used_prefixes(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| used_prefixes(i, out)),
        _ => {}
    }
}

/// Writes `doc` as the XML document of `kind`.
pub(crate) fn document(doc: &Value, kind: Kind) -> Result<Vec<u8>, XmlError> {
    let obj = object(doc, "$")?;
    let want = match kind {
        Kind::Document => "EPCISDocument",
        Kind::Query => "EPCISQueryDocument",
    };
    match obj.get("type").and_then(Value::as_str) {
        Some(t) if t == want => {}
        other => {
            return Err(json_err(
                "$.type",
                format!("expected {want}, found {other:?}"),
            ));
        }
    }
    let mut decls = context_prefixes(obj.get("@context"));
    decls.retain(|(p, _)| !matches!(p.as_str(), "epcis" | "epcisq" | "xml" | "xmlns"));
    let mut used = Vec::new();
    used_prefixes(doc, &mut used);
    for p in used {
        if decls.iter().any(|(d, _)| *d == p) {
            continue;
        }
        match STANDARD_PREFIXES.iter().find(|(s, _)| *s == p) {
            Some((s, ns)) => decls.push(((*s).to_owned(), (*ns).to_owned())),
            None => {
                return Err(json_err(
                    "$.@context",
                    format!("prefix {p:?} is used but not declared"),
                ));
            }
        }
    }
    let mut w = Writer::default();
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let root = match kind {
        Kind::Document => "epcis:EPCISDocument",
        Kind::Query => "epcisq:EPCISQueryDocument",
    };
    let mut attrs: Vec<(String, String)> = vec![("xmlns:epcis".into(), EPCIS2.into())];
    if kind == Kind::Query {
        attrs.push(("xmlns:epcisq".into(), EPCISQ2.into()));
    }
    for (p, ns) in &decls {
        attrs.push((format!("xmlns:{p}"), ns.clone()));
    }
    attrs.push(("schemaVersion".into(), "2.0".into()));
    if let Some(cd) = obj.get("creationDate") {
        attrs.push((
            "creationDate".into(),
            string(cd, "$.creationDate")?.to_owned(),
        ));
    }
    w.open(root, &attrs);
    // `id`, `sender`, `receiver` and `instanceIdentifier` are JSON-only: the XML binding puts
    // sender and receiver in an SBDH, which we do not make up.
    if let Some(h) = obj.get("epcisHeader") {
        w.header(h, "$.epcisHeader")?;
    }
    let body = object(
        obj.get("epcisBody")
            .ok_or_else(|| json_err("$", "epcisBody is missing"))?,
        "$.epcisBody",
    )?;
    w.open("EPCISBody", &[]);
    match kind {
        Kind::Document => {
            let events = body
                .get("eventList")
                .ok_or_else(|| json_err("$.epcisBody", "eventList is missing"))?;
            w.event_list(events, "$.epcisBody.eventList")?;
        }
        Kind::Query => w.query_results(body)?,
    }
    w.close("EPCISBody");
    w.close(root);
    Ok(w.out.into_bytes())
}

#[derive(Default)]
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(String, String)]) {
        if !self.out.ends_with("?>\n") {
            self.indent();
        }
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", escape(v.as_str()));
        }
    }

    fn open(&mut self, name: &str, attrs: &[(String, String)]) {
        self.start_tag(name, attrs);
        self.out.push('>');
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = write!(self.out, "</{name}>");
    }

    fn empty(&mut self, name: &str, attrs: &[(String, String)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>");
    }

    fn leaf(&mut self, name: &str, attrs: &[(String, String)], text: &str) {
        self.start_tag(name, attrs);
        let _ = write!(self.out, ">{}</{name}>", escape(text));
    }

    fn header(&mut self, h: &Value, path: &str) -> Result<(), XmlError> {
        let h = object(h, path)?;
        self.open("EPCISHeader", &[]);
        for (k, v) in h {
            if k != "epcisMasterData" {
                self.extension(k, v, &format!("{path}.{k}"))?;
            }
        }
        if let Some(md) = h.get("epcisMasterData") {
            let p = format!("{path}.epcisMasterData");
            let md = object(md, &p)?;
            // GS1's 2.0 examples keep the 1.2 shape here: EPCISHeader/extension/EPCISMasterData.
            self.open("extension", &[]);
            self.open("EPCISMasterData", &[]);
            if let Some(list) = md.get("vocabularyList") {
                self.vocabulary_list(list, &format!("{p}.vocabularyList"))?;
            }
            self.close("EPCISMasterData");
            self.close("extension");
        }
        self.close("EPCISHeader");
        Ok(())
    }

    fn query_results(&mut self, body: &Map<String, Value>) -> Result<(), XmlError> {
        let path = "$.epcisBody.queryResults";
        let qr = object(
            body.get("queryResults")
                .ok_or_else(|| json_err("$.epcisBody", "queryResults is missing"))?,
            path,
        )?;
        self.open("epcisq:QueryResults", &[]);
        let name = qr
            .get("queryName")
            .ok_or_else(|| json_err(path, "queryName is missing"))?;
        self.leaf(
            "queryName",
            &[],
            string(name, &format!("{path}.queryName"))?,
        );
        if let Some(id) = qr.get("subscriptionID") {
            let id = string(id, &format!("{path}.subscriptionID"))?;
            self.leaf("subscriptionID", &[], id);
        }
        let rp = format!("{path}.resultsBody");
        let rb = object(
            qr.get("resultsBody")
                .ok_or_else(|| json_err(path, "resultsBody is missing"))?,
            &rp,
        )?;
        self.open("resultsBody", &[]);
        let events = rb.get("eventList").map(|e| array(e, &rp)).transpose()?;
        let vocab = rb.get("vocabularyList");
        // The XSD makes resultsBody a choice: events, or master data when there are none.
        match (events, vocab) {
            (Some([]) | None, Some(v)) => {
                self.vocabulary_list(v, &format!("{rp}.vocabularyList"))?;
            }
            (_, Some(v)) if v.as_array().is_some_and(|a| !a.is_empty()) => {
                return Err(json_err(
                    &rp,
                    "events and master data together have no XML form",
                ));
            }
            _ => {
                let empty = Value::Array(Vec::new());
                let events = rb.get("eventList").unwrap_or(&empty);
                self.event_list(events, &format!("{rp}.eventList"))?;
            }
        }
        self.close("resultsBody");
        self.close("epcisq:QueryResults");
        Ok(())
    }

    fn event_list(&mut self, events: &Value, path: &str) -> Result<(), XmlError> {
        self.open("EventList", &[]);
        for (i, ev) in array(events, path)?.iter().enumerate() {
            self.event(ev, &format!("{path}[{i}]"))?;
        }
        self.close("EventList");
        Ok(())
    }

    fn event(&mut self, ev: &Value, path: &str) -> Result<(), XmlError> {
        let ev = object(ev, path)?;
        let ty = ev.get("type").and_then(Value::as_str).unwrap_or_default();
        let order = field_order(ty)
            .ok_or_else(|| json_err(path, format!("{ty:?} is not an EPCIS event type")))?;
        self.open(ty, &[]);
        for &key in BASE.iter().chain(order) {
            if let Some(v) = ev.get(key) {
                self.field(key, v, &format!("{path}.{key}"))?;
            }
        }
        for (k, v) in ev {
            if k == "type"
                || k == "@context"
                || BASE.contains(&k.as_str())
                || order.contains(&k.as_str())
            {
                continue;
            }
            if !k.contains(':') {
                return Err(json_err(
                    path,
                    format!("{k} is not a field of {ty} in the XML binding"),
                ));
            }
            self.extension(k, v, &format!("{path}.{k}"))?;
        }
        self.close(ty);
        Ok(())
    }

    fn field(&mut self, key: &str, v: &Value, path: &str) -> Result<(), XmlError> {
        match key {
            "bizStep" => self.leaf(key, &[], &Cbv::BizStep.long(string(v, path)?)),
            "disposition" => self.leaf(key, &[], &Cbv::Disposition.long(string(v, path)?)),
            "epcList" | "childEPCs" | "inputEPCList" | "outputEPCList" => {
                self.open(key, &[]);
                for (i, e) in array(v, path)?.iter().enumerate() {
                    self.leaf("epc", &[], string(e, &format!("{path}[{i}]"))?);
                }
                self.close(key);
            }
            "quantityList" | "childQuantityList" | "inputQuantityList" | "outputQuantityList" => {
                self.open(key, &[]);
                for (i, q) in array(v, path)?.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let q = object(q, &p)?;
                    self.open("quantityElement", &[]);
                    for f in ["epcClass", "quantity", "uom"] {
                        if let Some(x) = q.get(f) {
                            self.leaf(f, &[], &scalar(x, &format!("{p}.{f}"))?);
                        }
                    }
                    self.close("quantityElement");
                }
                self.close(key);
            }
            "readPoint" | "bizLocation" => {
                let loc = object(v, path)?;
                self.open(key, &[]);
                if let Some(id) = loc.get("id") {
                    self.leaf("id", &[], string(id, &format!("{path}.id"))?);
                }
                for (k, x) in loc.iter().filter(|(k, _)| *k != "id") {
                    self.extension(k, x, &format!("{path}.{k}"))?;
                }
                self.close(key);
            }
            "bizTransactionList" => {
                self.typed_list(key, "bizTransaction", v, path, Cbv::BizTransactionType)?
            }
            "sourceList" => self.typed_list(key, "source", v, path, Cbv::SourceDestType)?,
            "destinationList" => {
                self.typed_list(key, "destination", v, path, Cbv::SourceDestType)?
            }
            "sensorElementList" => self.sensor_elements(v, path)?,
            "persistentDisposition" => {
                let pd = object(v, path)?;
                self.open(key, &[]);
                for f in ["unset", "set"] {
                    if let Some(list) = pd.get(f) {
                        for d in array(list, &format!("{path}.{f}"))? {
                            self.leaf(f, &[], &Cbv::Disposition.long(string(d, path)?));
                        }
                    }
                }
                self.close(key);
            }
            "ilmd" => {
                self.open(key, &[]);
                for (k, x) in object(v, path)? {
                    self.extension(k, x, &format!("{path}.{k}"))?;
                }
                self.close(key);
            }
            "errorDeclaration" => {
                let ed = object(v, path)?;
                self.open(key, &[]);
                if let Some(t) = ed.get("declarationTime") {
                    self.leaf("declarationTime", &[], string(t, path)?);
                }
                if let Some(r) = ed.get("reason") {
                    self.leaf("reason", &[], &Cbv::ErrorReason.long(string(r, path)?));
                }
                if let Some(ids) = ed.get("correctiveEventIDs") {
                    self.open("correctiveEventIDs", &[]);
                    for id in array(ids, path)? {
                        self.leaf("correctiveEventID", &[], string(id, path)?);
                    }
                    self.close("correctiveEventIDs");
                }
                for (k, x) in ed {
                    if !matches!(
                        k.as_str(),
                        "declarationTime" | "reason" | "correctiveEventIDs"
                    ) {
                        self.extension(k, x, &format!("{path}.{k}"))?;
                    }
                }
                self.close(key);
            }
            _ => self.leaf(key, &[], &scalar(v, path)?),
        }
        Ok(())
    }

    fn typed_list(
        &mut self,
        key: &str,
        item: &str,
        v: &Value,
        path: &str,
        vocab: Cbv,
    ) -> Result<(), XmlError> {
        self.open(key, &[]);
        for (i, x) in array(v, path)?.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let x = object(x, &p)?;
            let value = string(
                x.get(item)
                    .ok_or_else(|| json_err(&p, format!("{item} is missing")))?,
                &p,
            )?;
            let mut attrs = Vec::new();
            if let Some(t) = x.get("type") {
                attrs.push(("type".into(), vocab.long(string(t, &p)?)));
            }
            self.leaf(item, &attrs, value);
        }
        self.close(key);
        Ok(())
    }

    fn sensor_elements(&mut self, v: &Value, path: &str) -> Result<(), XmlError> {
        self.open("sensorElementList", &[]);
        for (i, se) in array(v, path)?.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let se = object(se, &p)?;
            self.open("sensorElement", &[]);
            if let Some(md) = se.get("sensorMetadata") {
                let attrs = sensor_attrs(md, &format!("{p}.sensorMetadata"), false)?;
                self.empty("sensorMetadata", &attrs);
            }
            if let Some(reports) = se.get("sensorReport") {
                for (j, r) in array(reports, &p)?.iter().enumerate() {
                    let attrs = sensor_attrs(r, &format!("{p}.sensorReport[{j}]"), true)?;
                    self.empty("sensorReport", &attrs);
                }
            }
            for (k, x) in se {
                if !matches!(k.as_str(), "sensorMetadata" | "sensorReport") {
                    self.extension(k, x, &format!("{p}.{k}"))?;
                }
            }
            self.close("sensorElement");
        }
        self.close("sensorElementList");
        Ok(())
    }

    /// An extension property as XML elements: arrays repeat the element, objects nest.
    fn extension(&mut self, key: &str, v: &Value, path: &str) -> Result<(), XmlError> {
        if xml_name(key).is_none() {
            return Err(json_err(
                path,
                format!("key {key:?} is not prefix:localName, so it has no XML element name"),
            ));
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.extension(key, item, &format!("{path}[{i}]"))?;
                }
            }
            Value::Null => self.empty(key, &[]),
            Value::Object(map) => {
                let text = map.get("#text").or_else(|| map.get("@value"));
                let children: Vec<_> = map
                    .iter()
                    .filter(|(k, _)| !k.starts_with(['#', '@']))
                    .collect();
                if children.is_empty() {
                    let text = text
                        .map(|t| scalar(t, path))
                        .transpose()?
                        .unwrap_or_default();
                    self.leaf(key, &[], &text);
                    return Ok(());
                }
                self.open(key, &[]);
                if let Some(t) = text {
                    self.indent();
                    self.out.push_str(&escape(scalar(t, path)?.as_str()));
                }
                for (k, x) in children {
                    self.extension(k, x, &format!("{path}.{k}"))?;
                }
                self.close(key);
            }
            other => self.leaf(key, &[], &scalar(other, path)?),
        }
        Ok(())
    }
}

fn sensor_attrs(v: &Value, path: &str, report: bool) -> Result<Vec<(String, String)>, XmlError> {
    let mut attrs = Vec::new();
    for (k, x) in object(v, path)? {
        let p = format!("{path}.{k}");
        if xml_name(k).is_none() {
            return Err(json_err(&p, "not an XML attribute name"));
        }
        let text = scalar(x, &p)?;
        let text = match k.as_str() {
            "type" if report => SensorTerm::Type.long(&text),
            "exception" if report => SensorTerm::Exception.long(&text),
            "component" if report => SensorTerm::Component.long(&text),
            _ => text,
        };
        attrs.push((k.clone(), text));
    }
    Ok(attrs)
}
