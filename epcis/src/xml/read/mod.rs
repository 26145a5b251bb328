//! XML (EPCIS 2.0 and 1.2) to the EPCIS 2.0 JSON-LD shape.

mod masterdata;

use serde_json::{Map, Number, Value, json};

use super::XmlError;
use super::dom::{Dom, Element};
use super::vocab::{
    Cbv, EPCIS1, EPCIS2, EPCISQ1, EPCISQ2, SENSOR_NUMBERS, STANDARD_CONTEXT, STANDARD_PREFIXES,
    SensorTerm, XSI, is_binding_namespace,
};

/// The event types of EPCIS 2.0, all read the same way.
const EVENT_TYPES: &[&str] = &[
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
];

/// Turns a parsed document into its JSON-LD value.
pub(crate) fn document(dom: &Dom) -> Result<Value, XmlError> {
    let root = &dom.root;
    let r = Reader { dom };
    let ns = root.ns.as_deref().unwrap_or("");
    match (ns, root.local.as_str()) {
        (EPCIS2 | EPCIS1, "EPCISDocument") => r.epcis_document(root),
        (EPCISQ2 | EPCISQ1, "EPCISQueryDocument") => r.query_document(root),
        (_, "EPCISMasterDataDocument") => Err(XmlError::MasterDataDocument),
        (_, "EPCISCaptureJob") => Err(XmlError::NotEpcis {
            root: root.qname(),
            hint: " (a capture job's status, not events)",
        }),
        _ => Err(XmlError::NotEpcis {
            root: root.qname(),
            hint: "",
        }),
    }
}

struct Reader<'d> {
    dom: &'d Dom,
}

fn invalid(el: &Element, path: &str, message: impl Into<String>) -> XmlError {
    XmlError::Invalid {
        line: el.line,
        path: path.to_owned(),
        message: message.into(),
    }
}

fn text(el: &Element) -> String {
    el.text.trim().to_owned()
}

/// Adds `value` under `key`; a key seen before turns into an array, as repeated XML elements do.
fn insert_repeated(obj: &mut Map<String, Value>, key: String, value: Value) {
    match obj.get_mut(&key) {
        // Extension values are strings or objects, so an array here is an earlier repetition.
        Some(Value::Array(items)) => items.push(value),
        Some(old) => {
            let first = old.take();
            *old = Value::Array(vec![first, value]);
        }
        None => {
            obj.insert(key, value);
        }
    }
}

impl Reader<'_> {
    fn context(&self) -> Value {
        let mut ctx = vec![Value::String(STANDARD_CONTEXT.to_owned())];
        let mut seen: Vec<&str> = Vec::new();
        for (prefix, ns) in &self.dom.namespaces {
            if is_binding_namespace(ns)
                || STANDARD_PREFIXES.contains(&(prefix.as_str(), ns.as_str()))
                || seen.contains(&prefix.as_str())
            {
                continue;
            }
            seen.push(prefix);
            ctx.push(json!({ prefix.clone(): ns }));
        }
        Value::Array(ctx)
    }

    /// The JSON key for a namespaced element or attribute: the prefix as written, or one
    /// declared for its namespace when it came in through a default namespace.
    fn key(&self, ns: Option<&str>, prefix: Option<&str>, local: &str) -> String {
        if let Some(p) = prefix {
            return format!("{p}:{local}");
        }
        let declared = ns.and_then(|ns| {
            self.dom
                .namespaces
                .iter()
                .find(|(_, u)| u == ns)
                .map(|(p, _)| p.as_str())
        });
        match declared {
            Some(p) => format!("{p}:{local}"),
            None => local.to_owned(),
        }
    }

    fn header_fields(&self, root: &Element, doc: &mut Map<String, Value>) {
        doc.insert("@context".into(), self.context());
        if let Some(v) = root.attr("creationDate") {
            doc.insert("creationDate".into(), Value::String(v.trim().to_owned()));
        }
        // Whatever schemaVersion a 1.x document states, what we return is the 2.0 binding.
        doc.insert("schemaVersion".into(), Value::String("2.0".into()));
    }

    fn epcis_document(&self, root: &Element) -> Result<Value, XmlError> {
        let path = root.local.as_str();
        let mut doc = Map::new();
        doc.insert("type".into(), Value::String("EPCISDocument".into()));
        self.header_fields(root, &mut doc);
        if !doc.contains_key("creationDate") {
            return Err(invalid(root, path, "creationDate attribute is missing"));
        }
        let mut body = None;
        for child in &root.children {
            match (child.ns.as_deref(), child.local.as_str()) {
                (None, "EPCISHeader") => {
                    let header = self.header(child, &format!("{path}/EPCISHeader"))?;
                    doc.insert("epcisHeader".into(), header);
                }
                (None, "EPCISBody") => body = Some(child),
                (None, "extension") => {}
                _ => {
                    return Err(invalid(
                        child,
                        path,
                        format!("unexpected {}", child.qname()),
                    ));
                }
            }
        }
        let body = body.ok_or_else(|| invalid(root, path, "EPCISBody is missing"))?;
        let path = format!("{path}/EPCISBody");
        let mut events = Vec::new();
        for child in &body.children {
            match (child.ns.as_deref(), child.local.as_str()) {
                (None, "EventList") => {
                    self.event_list(child, &format!("{path}/EventList"), &mut events)?;
                }
                (None, "extension") => {}
                _ => {
                    return Err(invalid(
                        child,
                        &path,
                        format!("unexpected {}", child.qname()),
                    ));
                }
            }
        }
        doc.insert("epcisBody".into(), json!({ "eventList": events }));
        Ok(Value::Object(doc))
    }

    fn query_document(&self, root: &Element) -> Result<Value, XmlError> {
        let path = root.local.as_str();
        let mut doc = Map::new();
        doc.insert("type".into(), Value::String("EPCISQueryDocument".into()));
        self.header_fields(root, &mut doc);
        if let Some(h) = root.child("EPCISHeader") {
            // The JSON query document has no epcisHeader; only master data could go anywhere
            // (resultsBody.vocabularyList), and a query response carries that in its body.
            return Err(invalid(
                h,
                path,
                "EPCISHeader in a query document has no JSON form",
            ));
        }
        let body = root
            .child("EPCISBody")
            .ok_or_else(|| invalid(root, path, "EPCISBody is missing"))?;
        let path = format!("{path}/EPCISBody");
        let results = body
            .children
            .iter()
            .find(|c| c.local == "QueryResults")
            .ok_or_else(|| invalid(body, &path, "QueryResults is missing"))?;
        let path = format!("{path}/QueryResults");
        let mut qr = Map::new();
        for child in &results.children {
            match (child.ns.as_deref(), child.local.as_str()) {
                (None, "queryName") => {
                    qr.insert("queryName".into(), Value::String(text(child)));
                }
                (None, "subscriptionID") => {
                    qr.insert("subscriptionID".into(), Value::String(text(child)));
                }
                (None, "resultsBody") => {
                    qr.insert(
                        "resultsBody".into(),
                        self.results_body(child, &format!("{path}/resultsBody"))?,
                    );
                }
                (None, "extension") => {}
                _ => {
                    return Err(invalid(
                        child,
                        &path,
                        format!("unexpected {}", child.qname()),
                    ));
                }
            }
        }
        if !qr.contains_key("queryName") {
            return Err(invalid(results, &path, "queryName is missing"));
        }
        if !qr.contains_key("resultsBody") {
            return Err(invalid(results, &path, "resultsBody is missing"));
        }
        doc.insert("epcisBody".into(), json!({ "queryResults": qr }));
        Ok(Value::Object(doc))
    }

    fn results_body(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut out = Map::new();
        for child in &el.children {
            match child.local.as_str() {
                "EventList" => {
                    let mut events = Vec::new();
                    self.event_list(child, &format!("{path}/EventList"), &mut events)?;
                    out.insert("eventList".into(), Value::Array(events));
                }
                "VocabularyList" => {
                    out.insert(
                        "vocabularyList".into(),
                        self.vocabulary_list(child, &format!("{path}/VocabularyList"))?,
                    );
                }
                _ => {
                    return Err(invalid(
                        child,
                        path,
                        format!("unexpected {}", child.qname()),
                    ));
                }
            }
        }
        // The JSON binding requires eventList even when a query returned master data only.
        out.entry("eventList").or_insert_with(|| json!([]));
        Ok(Value::Object(out))
    }

    fn header(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut out = Map::new();
        self.header_children(el, path, &mut out)?;
        Ok(Value::Object(out))
    }

    fn header_children(
        &self,
        el: &Element,
        path: &str,
        out: &mut Map<String, Value>,
    ) -> Result<(), XmlError> {
        for child in &el.children {
            match (child.ns.as_deref(), child.local.as_str()) {
                (None, "extension") => self.header_children(child, path, out)?,
                (None, "EPCISMasterData") => {
                    let p = format!("{path}/EPCISMasterData");
                    let list = child
                        .child("VocabularyList")
                        .map(|l| self.vocabulary_list(l, &format!("{p}/VocabularyList")))
                        .transpose()?
                        .unwrap_or_else(|| json!([]));
                    out.insert("epcisMasterData".into(), json!({ "vocabularyList": list }));
                }
                (Some(_), _) => self.extension(child, out),
                (None, _) => {
                    return Err(invalid(
                        child,
                        path,
                        format!("unexpected {}", child.qname()),
                    ));
                }
            }
        }
        Ok(())
    }

    fn event_list(&self, el: &Element, path: &str, out: &mut Vec<Value>) -> Result<(), XmlError> {
        for child in &el.children {
            let name = child.local.as_str();
            if child.ns.is_some() {
                return Err(invalid(
                    child,
                    path,
                    format!("unexpected {}", child.qname()),
                ));
            }
            let p = format!("{path}/{name}[{}]", out.len() + 1);
            if EVENT_TYPES.contains(&name) {
                out.push(self.event(child, name, &p)?);
            } else if name == "QuantityEvent" {
                out.push(self.quantity_event(child, &p)?);
            } else if name == "extension" {
                // EPCIS 1.2 puts TransformationEvent (and GS1's downgrade AssociationEvent one
                // level further) inside extension wrappers of EventList.
                self.event_list(child, &format!("{path}/extension"), out)?;
            } else {
                return Err(invalid(
                    child,
                    path,
                    format!("{name} is not an EPCIS event"),
                ));
            }
        }
        Ok(())
    }

    fn event(&self, el: &Element, ty: &str, path: &str) -> Result<Value, XmlError> {
        let mut obj = Map::new();
        obj.insert("type".into(), Value::String(ty.to_owned()));
        self.event_fields(el, path, &mut obj)?;
        for required in ["eventTime", "eventTimeZoneOffset"] {
            if !obj.contains_key(required) {
                return Err(invalid(el, path, format!("{required} is missing")));
            }
        }
        Ok(Value::Object(obj))
    }

    /// EPCIS 1.x QuantityEvent is deprecated; EPCIS 2.0 (section 7.4.1 note) maps it to an
    /// ObjectEvent with action OBSERVE and one quantity element, as we do.
    fn quantity_event(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let class = el
            .child("epcClass")
            .ok_or_else(|| invalid(el, path, "epcClass is missing"))?;
        let mut q = Map::new();
        q.insert("epcClass".into(), Value::String(text(class)));
        if let Some(n) = el.child("quantity") {
            q.insert("quantity".into(), number(n, path)?);
        }
        let mut rest = el.clone();
        rest.children
            .retain(|c| !(c.ns.is_none() && matches!(c.local.as_str(), "epcClass" | "quantity")));
        let mut event = self.event(&rest, "ObjectEvent", path)?;
        if let Value::Object(obj) = &mut event {
            obj.insert("action".into(), Value::String("OBSERVE".into()));
            obj.insert("quantityList".into(), json!([q]));
        }
        Ok(event)
    }

    fn event_fields(
        &self,
        el: &Element,
        path: &str,
        obj: &mut Map<String, Value>,
    ) -> Result<(), XmlError> {
        for child in &el.children {
            let Some(name) = child.ns.is_none().then_some(child.local.as_str()) else {
                self.extension(child, obj);
                continue;
            };
            let p = format!("{path}/{name}");
            let value = match name {
                // 1.2 puts eventID and errorDeclaration in baseExtension, and 2.0-era fields
                // (quantityList, sourceList, ilmd, ...) in extension: unwrap both.
                "extension" | "baseExtension" => {
                    self.event_fields(child, &p, obj)?;
                    continue;
                }
                "eventTime"
                | "recordTime"
                | "eventTimeZoneOffset"
                | "eventID"
                | "certificationInfo"
                | "action"
                | "parentID"
                | "transformationID" => Value::String(text(child)),
                "bizStep" => Value::String(Cbv::BizStep.short(&child.text)),
                "disposition" => Value::String(Cbv::Disposition.short(&child.text)),
                "epcList" | "childEPCs" | "inputEPCList" | "outputEPCList" => Value::Array(
                    child
                        .children
                        .iter()
                        .filter(|c| c.local == "epc")
                        .map(|c| Value::String(text(c)))
                        .collect(),
                ),
                "quantityList" | "childQuantityList" | "inputQuantityList"
                | "outputQuantityList" => quantity_list(child, &p)?,
                "readPoint" | "bizLocation" => self.location(child, &p)?,
                "bizTransactionList" => {
                    typed_list(child, "bizTransaction", Cbv::BizTransactionType)
                }
                "sourceList" => typed_list(child, "source", Cbv::SourceDestType),
                "destinationList" => typed_list(child, "destination", Cbv::SourceDestType),
                "sensorElementList" => self.sensor_elements(child, &p)?,
                "persistentDisposition" => {
                    let mut pd = Map::new();
                    for c in &child.children {
                        if matches!(c.local.as_str(), "set" | "unset") {
                            insert_list(&mut pd, &c.local, Cbv::Disposition.short(&c.text));
                        }
                    }
                    Value::Object(pd)
                }
                "ilmd" => {
                    let mut ilmd = Map::new();
                    self.extensions_unwrapped(child, &mut ilmd);
                    Value::Object(ilmd)
                }
                "errorDeclaration" => self.error_declaration(child, &p)?,
                _ => return Err(invalid(child, path, format!("unknown element {name}"))),
            };
            obj.insert(name.to_owned(), value);
        }
        Ok(())
    }

    /// Foreign children of `el` as extension keys, looking through 1.2 `extension` wrappers.
    fn extensions_unwrapped(&self, el: &Element, out: &mut Map<String, Value>) {
        for c in &el.children {
            if c.ns.is_none() && c.local == "extension" {
                self.extensions_unwrapped(c, out);
            } else {
                self.extension(c, out);
            }
        }
    }

    fn location(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut out = Map::new();
        for c in &el.children {
            match (c.ns.as_deref(), c.local.as_str()) {
                (None, "id") => {
                    out.insert("id".into(), Value::String(text(c)));
                }
                (None, "extension") => self.extensions_unwrapped(c, &mut out),
                _ => self.extension(c, &mut out),
            }
        }
        if !out.contains_key("id") {
            return Err(invalid(el, path, "id is missing"));
        }
        Ok(Value::Object(out))
    }

    fn error_declaration(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut out = Map::new();
        for c in &el.children {
            match (c.ns.as_deref(), c.local.as_str()) {
                (None, "declarationTime") => {
                    out.insert("declarationTime".into(), Value::String(text(c)));
                }
                (None, "reason") => {
                    out.insert(
                        "reason".into(),
                        Value::String(Cbv::ErrorReason.short(&c.text)),
                    );
                }
                (None, "correctiveEventIDs") => {
                    let ids = c
                        .children
                        .iter()
                        .filter(|i| i.local == "correctiveEventID")
                        .map(|i| Value::String(text(i)))
                        .collect();
                    out.insert("correctiveEventIDs".into(), Value::Array(ids));
                }
                (None, "extension") => self.extensions_unwrapped(c, &mut out),
                (None, other) => {
                    return Err(invalid(c, path, format!("unknown element {other}")));
                }
                _ => self.extension(c, &mut out),
            }
        }
        if !out.contains_key("declarationTime") {
            return Err(invalid(el, path, "declarationTime is missing"));
        }
        Ok(Value::Object(out))
    }

    fn sensor_elements(&self, el: &Element, path: &str) -> Result<Value, XmlError> {
        let mut list = Vec::new();
        for (i, se) in el
            .children
            .iter()
            .filter(|c| c.local == "sensorElement")
            .enumerate()
        {
            let p = format!("{path}/sensorElement[{}]", i + 1);
            let mut out = Map::new();
            let mut reports = Vec::new();
            for c in &se.children {
                match (c.ns.as_deref(), c.local.as_str()) {
                    (None, "sensorMetadata") => {
                        out.insert("sensorMetadata".into(), self.sensor_attrs(c, &p, false)?);
                    }
                    (None, "sensorReport") => reports.push(self.sensor_attrs(c, &p, true)?),
                    (None, "extension") => self.extensions_unwrapped(c, &mut out),
                    (None, other) => {
                        return Err(invalid(c, &p, format!("unknown element {other}")));
                    }
                    _ => self.extension(c, &mut out),
                }
            }
            out.insert("sensorReport".into(), Value::Array(reports));
            list.push(Value::Object(out));
        }
        Ok(Value::Array(list))
    }

    fn sensor_attrs(&self, el: &Element, path: &str, report: bool) -> Result<Value, XmlError> {
        let mut out = Map::new();
        for a in &el.attrs {
            if a.ns.as_deref() == Some(XSI) {
                continue;
            }
            if a.ns.is_some() {
                out.insert(
                    self.key(a.ns.as_deref(), a.prefix.as_deref(), &a.local),
                    Value::String(a.value.clone()),
                );
                continue;
            }
            let v = a.value.trim();
            let value = match a.local.as_str() {
                "type" if report => Value::String(SensorTerm::Type.short(v)),
                "exception" if report => Value::String(SensorTerm::Exception.short(v)),
                "component" if report => Value::String(SensorTerm::Component.short(v)),
                "booleanValue" if report => Value::Bool(parse_bool(v).ok_or_else(|| {
                    invalid(el, path, format!("booleanValue {v:?} is not a boolean"))
                })?),
                n if report && SENSOR_NUMBERS.contains(&n) => Value::Number(
                    parse_number(v)
                        .ok_or_else(|| invalid(el, path, format!("{n} {v:?} is not a number")))?,
                ),
                _ => Value::String(v.to_owned()),
            };
            out.insert(a.local.clone(), value);
        }
        Ok(Value::Object(out))
    }

    /// A foreign element as a JSON-LD extension property of `out`.
    fn extension(&self, el: &Element, out: &mut Map<String, Value>) {
        let key = self.key(el.ns.as_deref(), el.prefix.as_deref(), &el.local);
        insert_repeated(out, key, self.extension_value(el));
    }

    /// Nested elements become objects, repeated ones arrays, text a string.
    ///
    /// The JSON binding does not say how to carry XML attributes of extension elements; we make
    /// them properties beside the child elements (so `<ex:f ex:a="1"/>` reads as
    /// `{"ex:f": {"ex:a": "1"}}`, and is written back as a child element), with text beside
    /// attributes or children under `#text`. `xsi:type` is dropped: the JSON examples keep such
    /// values as strings.
    fn extension_value(&self, el: &Element) -> Value {
        let mut obj = Map::new();
        for a in &el.attrs {
            if a.ns.as_deref() == Some(XSI) {
                continue;
            }
            let key = self.key(a.ns.as_deref(), a.prefix.as_deref(), &a.local);
            obj.insert(key, Value::String(a.value.clone()));
        }
        for c in &el.children {
            self.extension(c, &mut obj);
        }
        let text = el.text.trim();
        if obj.is_empty() {
            return Value::String(text.to_owned());
        }
        if !text.is_empty() {
            obj.insert("#text".into(), Value::String(text.to_owned()));
        }
        Value::Object(obj)
    }
}

fn insert_list(obj: &mut Map<String, Value>, key: &str, value: String) {
    if let Value::Array(items) = obj
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        items.push(Value::String(value));
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// An xsd:decimal as a JSON number: integers stay integers, the rest become f64.
pub(crate) fn parse_number(v: &str) -> Option<Number> {
    if let Ok(i) = v.parse::<i64>() {
        return Some(i.into());
    }
    let f: f64 = v.parse().ok()?;
    if !f.is_finite() || v.contains(['i', 'n', 'I', 'N']) {
        return None;
    }
    Number::from_f64(f)
}

fn number(el: &Element, path: &str) -> Result<Value, XmlError> {
    let v = text(el);
    parse_number(&v)
        .map(Value::Number)
        .ok_or_else(|| invalid(el, path, format!("quantity {v:?} is not a number")))
}

fn quantity_list(el: &Element, path: &str) -> Result<Value, XmlError> {
    let mut list = Vec::new();
    for (i, qe) in el
        .children
        .iter()
        .filter(|c| c.local == "quantityElement")
        .enumerate()
    {
        let p = format!("{path}/quantityElement[{}]", i + 1);
        let mut q = Map::new();
        for c in &qe.children {
            match c.local.as_str() {
                "epcClass" | "uom" => {
                    q.insert(c.local.clone(), Value::String(text(c)));
                }
                // `xsi:nil` quantity (GS1's examples use it) means no quantity given.
                "quantity" if c.is_nil() => {}
                "quantity" => {
                    q.insert("quantity".into(), number(c, &p)?);
                }
                other => return Err(invalid(c, &p, format!("unknown element {other}"))),
            }
        }
        if !q.contains_key("epcClass") {
            return Err(invalid(qe, &p, "epcClass is missing"));
        }
        list.push(Value::Object(q));
    }
    Ok(Value::Array(list))
}

/// bizTransactionList, sourceList, destinationList: `{type, <name>}` items.
fn typed_list(el: &Element, name: &str, vocab: Cbv) -> Value {
    Value::Array(
        el.children
            .iter()
            .filter(|c| c.local == name)
            .map(|c| {
                let mut item = Map::new();
                if let Some(t) = c.attr("type") {
                    item.insert("type".into(), Value::String(vocab.short(t)));
                }
                item.insert(name.to_owned(), Value::String(text(c)));
                Value::Object(item)
            })
            .collect(),
    )
}
