//! Checking a passport draft: only the ProductPassport members an exporter may set, in the
//! shapes the UNTP DPP v0.6.0 schema requires, every problem named by its JSON path.

use serde_json::{Map, Value};

use crate::error::{DomainError, FieldError};

/// The ProductPassport members an exporter may set; `facility` becomes `product.producedAtFacility`.
const DRAFT_FIELDS: [&str; 8] = [
    "product",
    "conformityClaim",
    "materialsProvenance",
    "emissionsScorecard",
    "circularityScorecard",
    "dueDiligenceDeclaration",
    "traceabilityInformation",
    "facility",
];

/// A checked draft: a JSON object holding only [`DRAFT_FIELDS`] in the shapes UNTP requires.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft(Map<String, Value>);

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn require_str(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, key: &str) {
    if !obj.get(key).is_some_and(Value::is_string) {
        errors.push(FieldError::new(format!("{at}.{key}"), "required string"));
    }
}

/// The members of a UNTP `SecureLink`; its first four are those of a `Link`.
const SECURE_LINK: [&str; 7] = [
    "type",
    "linkURL",
    "linkName",
    "linkType",
    "hashDigest",
    "hashMethod",
    "encryptionMethod",
];

/// `EmissionsPerformance.operationalScope` values.
const SCOPES: [&str; 3] = ["None", "CradleToGate", "CradleToGrave"];

/// The UNTP conformity topics (`Claim.conformityTopic`).
const TOPICS: [&str; 15] = [
    "environment.energy",
    "environment.emissions",
    "environment.water",
    "environment.waste",
    "environment.deforestation",
    "environment.biodiversity",
    "circularity.content",
    "circularity.design",
    "social.labour",
    "social.rights",
    "social.community",
    "social.safety",
    "governance.ethics",
    "governance.compliance",
    "governance.transparency",
];

/// Requires `key` to be one of `allowed`, if `required` or present.
fn one_of(
    errors: &mut Vec<FieldError>,
    obj: &Map<String, Value>,
    at: &str,
    key: &str,
    allowed: &[&str],
    required: bool,
) {
    match obj.get(key) {
        None if !required => {}
        Some(Value::String(v)) if allowed.contains(&v.as_str()) => {}
        _ => errors.push(FieldError::new(
            format!("{at}.{key}"),
            format!("must be one of {}", allowed.join(", ")),
        )),
    }
}

/// Refuses members outside `allowed` (the schema's closed objects).
fn only(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, allowed: &[&str]) {
    for k in obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
        errors.push(FieldError::new(
            format!("{at}.{k}"),
            format!("unknown member; use {}", allowed.join(", ")),
        ));
    }
}

/// If `type` is given it must be an array of strings naming `class` (the schema's `contains`).
fn typed(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, class: &str) {
    let Some(t) = obj.get("type") else { return };
    let ok = t.as_array().is_some_and(|a| {
        a.iter().all(Value::is_string) && a.iter().any(|v| v.as_str() == Some(class))
    });
    if !ok {
        errors.push(FieldError::new(
            format!("{at}.type"),
            format!("must be an array of strings containing {class:?}"),
        ));
    }
}

/// The members in `keys`, where present, must be strings.
fn optional_str(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, keys: &[&str]) {
    for k in keys {
        if obj.get(*k).is_some_and(|v| !v.is_string()) {
            errors.push(FieldError::new(format!("{at}.{k}"), "must be a string"));
        }
    }
}

/// An ISO 8601 calendar date, `YYYY-MM-DD`.
fn date(errors: &mut Vec<FieldError>, v: &Value, at: &str) {
    let ok = v
        .as_str()
        .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() && d.len() == 10);
    if !ok {
        errors.push(FieldError::new(at, "must be a date, YYYY-MM-DD"));
    }
}

/// A Link (closed: type, linkURL, linkName, linkType; all strings but `type`).
fn link(errors: &mut Vec<FieldError>, v: &Value, at: &str) {
    if let Some(o) = object(errors, v, at) {
        only(errors, o, at, &SECURE_LINK[..4]);
        optional_str(errors, o, at, &SECURE_LINK[1..4]);
    }
}

/// The exporter's product members: identity is the server's; the rest in the schema's shapes.
fn check_product(e: &mut Vec<FieldError>, o: &Map<String, Value>) {
    for k in [
        "id",
        "registeredId",
        "idScheme",
        "type",
        "batchNumber",
        "serialNumber",
    ] {
        if o.contains_key(k) {
            e.push(FieldError::new(format!("product.{k}"), "set by the server"));
        }
    }
    optional_str(
        e,
        o,
        "product",
        &["name", "description", "countryOfProduction"],
    );
    if let Some(d) = o.get("productionDate") {
        date(e, d, "product.productionDate");
    }
    if let Some(l) = o.get("productImage") {
        link(e, l, "product.productImage");
    }
    if let Some(ls) = o.get("furtherInformation") {
        match ls.as_array() {
            Some(items) => {
                for (i, l) in items.iter().enumerate() {
                    link(e, l, &format!("product.furtherInformation[{i}]"));
                }
            }
            None => e.push(FieldError::new(
                "product.furtherInformation",
                "must be an array",
            )),
        }
    }
    if let Some(cats) = o.get("productCategory") {
        for (at, c) in objects(e, cats, "product.productCategory") {
            require_str(e, c, &at, "id");
            require_str(e, c, &at, "name");
            only(
                e,
                c,
                &at,
                &["type", "id", "code", "name", "schemeID", "schemeName"],
            );
        }
    }
    for party in ["producedByParty", "producedAtFacility"] {
        if let Some(p) = o.get(party) {
            let at = format!("product.{party}");
            if let Some(p) = object(e, p, &at) {
                optional_str(e, p, &at, &["id", "name", "registeredId"]);
            }
        }
    }
}

fn require_num(errors: &mut Vec<FieldError>, obj: &Map<String, Value>, at: &str, key: &str) {
    if !obj.get(key).is_some_and(Value::is_number) {
        errors.push(FieldError::new(format!("{at}.{key}"), "required number"));
    }
}

fn objects<'a>(
    errors: &mut Vec<FieldError>,
    v: &'a Value,
    at: &str,
) -> Vec<(String, &'a Map<String, Value>)> {
    let Some(items) = v.as_array() else {
        errors.push(FieldError::new(at, "must be an array"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_object() {
            Some(o) => out.push((format!("{at}[{i}]"), o)),
            None => errors.push(FieldError::new(format!("{at}[{i}]"), "must be an object")),
        }
    }
    out
}

fn object<'a>(
    errors: &mut Vec<FieldError>,
    v: &'a Value,
    at: &str,
) -> Option<&'a Map<String, Value>> {
    let o = v.as_object();
    if o.is_none() {
        errors.push(FieldError::new(at, "must be an object"));
    }
    o
}

impl Draft {
    /// Checks the fields the UNTP DPP schema requires; every problem is named with its path.
    pub fn parse(v: Value) -> Result<Self, DomainError> {
        let Value::Object(map) = v else {
            return Err(DomainError::field(
                "body",
                "a passport draft must be a JSON object",
            ));
        };
        let mut e = Vec::new();
        for (key, value) in &map {
            match key.as_str() {
                "product" => {
                    if let Some(o) = object(&mut e, value, key) {
                        check_product(&mut e, o);
                    }
                }
                "facility" => {
                    if let Some(o) = object(&mut e, value, key) {
                        optional_str(&mut e, o, key, &["id", "name", "registeredId"]);
                    }
                }
                "conformityClaim" => {
                    for (at, claim) in objects(&mut e, value, key) {
                        typed(&mut e, claim, &at, "Claim");
                        optional_str(&mut e, claim, &at, &["description"]);
                        if let Some(d) = claim.get("assessmentDate") {
                            date(&mut e, d, &format!("{at}.assessmentDate"));
                        }
                        require_str(&mut e, claim, &at, "id");
                        one_of(&mut e, claim, &at, "conformityTopic", &TOPICS, true);
                        if !claim.get("conformance").is_some_and(Value::is_boolean) {
                            e.push(FieldError::new(
                                format!("{at}.conformance"),
                                "required boolean",
                            ));
                        }
                        if let Some(ev) = claim.get("conformityEvidence") {
                            let at = format!("{at}.conformityEvidence");
                            if let Some(ev) = object(&mut e, ev, &at) {
                                require_str(&mut e, ev, &at, "linkURL");
                                only(&mut e, ev, &at, &SECURE_LINK);
                                one_of(&mut e, ev, &at, "hashMethod", &["SHA-256"], false);
                                one_of(
                                    &mut e,
                                    ev,
                                    &at,
                                    "encryptionMethod",
                                    &["none", "AES"],
                                    false,
                                );
                                match ev.get("hashDigest").and_then(Value::as_str) {
                                    Some(h) if is_sha256_hex(h) => {}
                                    _ => e.push(FieldError::new(
                                        format!("{at}.hashDigest"),
                                        "required: the certificate document's SHA-256, 64 hex digits",
                                    )),
                                }
                            }
                        }
                    }
                }
                "materialsProvenance" => {
                    for (at, m) in objects(&mut e, value, key) {
                        typed(&mut e, m, &at, "Material");
                        optional_str(&mut e, m, &at, &["originCountry", "materialType", "symbol"]);
                        require_str(&mut e, m, &at, "name");
                    }
                }
                "emissionsScorecard" => {
                    if let Some(o) = object(&mut e, value, key) {
                        require_num(&mut e, o, key, "carbonFootprint");
                        require_str(&mut e, o, key, "declaredUnit");
                        one_of(&mut e, o, key, "operationalScope", &SCOPES, true);
                        require_num(&mut e, o, key, "primarySourcedRatio");
                    }
                }
                "dueDiligenceDeclaration" => {
                    if let Some(o) = object(&mut e, value, key) {
                        require_str(&mut e, o, key, "linkURL");
                        only(&mut e, o, key, &SECURE_LINK[..4]);
                    }
                }
                "circularityScorecard" => {
                    object(&mut e, value, key);
                }
                "traceabilityInformation" => {
                    objects(&mut e, value, key);
                }
                other => e.push(FieldError::new(
                    other,
                    format!("unknown passport field; use {}", DRAFT_FIELDS.join(", ")),
                )),
            }
        }
        if e.is_empty() {
            Ok(Self(map))
        } else {
            Err(DomainError::Invalid(e))
        }
    }

    /// The draft's members.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The draft as JSON.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(v: Value) -> Vec<String> {
        match Draft::parse(v) {
            Ok(_) => Vec::new(),
            Err(DomainError::Invalid(e)) => {
                let mut f: Vec<String> = e.into_iter().map(|f| f.field).collect();
                f.sort();
                f
            }
            Err(other) => vec![other.to_string()],
        }
    }

    #[test]
    fn drafts_name_every_bad_field() {
        assert!(fields(json!({"product": {"description": "x"}})).is_empty());
        assert_eq!(
            fields(json!({
                "colour": 1,
                "product": {"id": "x"},
                "conformityClaim": [{"id": "c1", "conformityTopic": "vibes", "conformityEvidence": {"linkURL": "u", "hashDigest": "zz", "hashMethod": "MD5", "x": 1}}],
                "emissionsScorecard": {"carbonFootprint": "lots"},
                "materialsProvenance": [{}],
            })),
            vec![
                "colour",
                "conformityClaim[0].conformance",
                "conformityClaim[0].conformityEvidence.hashDigest",
                "conformityClaim[0].conformityEvidence.hashMethod",
                "conformityClaim[0].conformityEvidence.x",
                "conformityClaim[0].conformityTopic",
                "emissionsScorecard.carbonFootprint",
                "emissionsScorecard.declaredUnit",
                "emissionsScorecard.operationalScope",
                "emissionsScorecard.primarySourcedRatio",
                "materialsProvenance[0].name",
                "product.id",
            ]
        );
        assert_eq!(fields(json!([1])), vec!["body"]);
        assert_eq!(
            fields(json!({
                "product": {"batchNumber": "L1", "name": 7, "productionDate": "2026-13-01",
                    "productImage": {"linkURL": "u", "size": 1},
                    "productCategory": [{"id": "x"}]},
                "conformityClaim": [{"type": ["Declaration"], "id": "c", "conformance": true,
                    "conformityTopic": "social.labour", "assessmentDate": "yesterday"}],
            })),
            vec![
                "conformityClaim[0].assessmentDate",
                "conformityClaim[0].type",
                "product.batchNumber",
                "product.name",
                "product.productCategory[0].name",
                "product.productImage.size",
                "product.productionDate",
            ]
        );
    }
}
