//! The served contract equals `openapi.yaml`, and documents exactly the registered routes.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::helpers::{Auth, spawn_app};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn repo_file() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    std::fs::read_to_string(path).expect("openapi.yaml at the repository root")
}

#[tokio::test]
async fn the_served_document_is_the_repository_file() {
    let app = spawn_app().await;
    let res = app.get("/openapi.yaml", &Auth::None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/yaml"));
    assert_eq!(res.text, repo_file());
}

#[test]
fn documented_paths_and_methods_equal_the_registered_routes() {
    let doc: serde_yaml::Value = serde_yaml::from_str(&repo_file()).expect("valid YAML");
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true)
    );
    let mut documented = BTreeSet::new();
    let paths = doc["paths"].as_mapping().expect("paths");
    for (path, item) in paths {
        let path = path.as_str().expect("path key");
        for (method, op) in item.as_mapping().expect("path item") {
            let method = method.as_str().unwrap_or_default();
            if METHODS.contains(&method) {
                assert!(
                    op["responses"].as_mapping().is_some_and(|r| !r.is_empty()),
                    "{method} {path} has no responses"
                );
                assert!(
                    op["operationId"].as_str().is_some(),
                    "{method} {path} has no operationId"
                );
                documented.insert((method.to_uppercase(), path.to_owned()));
            }
        }
    }
    let registered: BTreeSet<(String, String)> =
        server::routes::registered_routes().into_iter().collect();
    let missing: Vec<_> = registered.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&registered).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "undocumented: {missing:?}\ndocumented but not served: {extra:?}"
    );
}

#[test]
fn every_reference_in_the_document_resolves() {
    let text = repo_file();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    for line in text.lines() {
        if let Some(r) = line.split("$ref: ").nth(1) {
            let r = r.trim_start_matches(['\'', '"']);
            let r = &r[..r.find(['\'', '"', '}']).unwrap_or(r.len())];
            let mut node = &doc;
            for part in r.trim_start_matches("#/").split('/') {
                node = &node[part];
            }
            assert!(!node.is_null(), "dangling $ref {r}");
        }
    }
}

/// Every key a schema object may carry: JSON Schema 2020-12's keywords and OpenAPI 3.1's own.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "$defs",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$comment",
    "$vocabulary",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "properties",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "items",
    "prefixItems",
    "contains",
    "propertyNames",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "discriminator",
    "xml",
    "externalDocs",
    "example",
];

/// Calls `f` with every schema object of the document and where it is.
fn each_schema(doc: &serde_yaml::Value, f: &mut impl FnMut(&str, &serde_yaml::Mapping)) {
    fn schema(s: &serde_yaml::Value, at: &str, f: &mut impl FnMut(&str, &serde_yaml::Mapping)) {
        let Some(map) = s.as_mapping() else { return };
        f(at, map);
        for (k, v) in map {
            let k = k.as_str().unwrap_or_default();
            match k {
                "properties" | "patternProperties" | "$defs" | "dependentSchemas" => {
                    for (name, sub) in v.as_mapping().into_iter().flatten() {
                        let name = name.as_str().unwrap_or_default();
                        schema(sub, &format!("{at}.{k}.{name}"), f);
                    }
                }
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                    for (i, sub) in v.as_sequence().into_iter().flatten().enumerate() {
                        schema(sub, &format!("{at}.{k}[{i}]"), f);
                    }
                }
                "items"
                | "additionalProperties"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "contains"
                | "propertyNames"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contentSchema" => schema(v, &format!("{at}.{k}"), f),
                _ => {}
            }
        }
    }
    // Outside components.schemas a schema is the value of a `schema` key (parameters, headers,
    // media types), wherever it sits.
    fn find(n: &serde_yaml::Value, at: &str, f: &mut impl FnMut(&str, &serde_yaml::Mapping)) {
        match n {
            serde_yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    let k = k.as_str().unwrap_or_default();
                    if k == "schema" {
                        schema(v, &format!("{at}.schema"), f);
                    } else {
                        find(v, &format!("{at}.{k}"), f);
                    }
                }
            }
            serde_yaml::Value::Sequence(s) => {
                for (i, v) in s.iter().enumerate() {
                    find(v, &format!("{at}[{i}]"), f);
                }
            }
            _ => {}
        }
    }
    find(&doc["paths"], "paths", f);
    for (kind, items) in doc["components"].as_mapping().into_iter().flatten() {
        let kind = kind.as_str().unwrap_or_default();
        if kind == "schemas" {
            for (name, s) in items.as_mapping().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                schema(s, &format!("components.schemas.{name}"), f);
            }
        } else {
            find(items, &format!("components.{kind}"), f);
        }
    }
}

#[test]
fn schema_objects_carry_only_schema_keywords() {
    // A plain YAML scalar with ": " in it folds into a new key: `description: GTIN-8, -12: x`
    // would be a schema with an unknown keyword `-12`, which every validator ignores.
    let doc: serde_yaml::Value = serde_yaml::from_str(&repo_file()).expect("valid YAML");
    let mut stray = Vec::new();
    each_schema(&doc, &mut |at, map| {
        for k in map.keys() {
            let k = k
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{k:?}"));
            if !SCHEMA_KEYWORDS.contains(&k.as_str()) && !k.starts_with("x-") {
                stray.push(format!("{at}: {k}"));
            }
        }
    });
    assert!(
        stray.is_empty(),
        "keys that are no keyword:\n{}",
        stray.join("\n")
    );
}

#[test]
fn every_pattern_compiles_and_means_the_same_in_every_engine() {
    // JSON Schema patterns are ECMA-262, where `\d`, `\w`, `\s` and `\b` are ASCII; the regex
    // crate and Python (schemathesis) read them as Unicode classes, so `^\d{14}$` lets a client
    // generator send Arabic-Indic digits the server refuses. Spelled-out classes mean one thing.
    let doc: serde_yaml::Value = serde_yaml::from_str(&repo_file()).expect("valid YAML");
    let mut bad = Vec::new();
    let mut count = 0;
    each_schema(&doc, &mut |at, map| {
        let Some(p) = map.get("pattern") else { return };
        count += 1;
        let Some(p) = p.as_str() else {
            bad.push(format!("{at}: pattern {p:?} is not a string"));
            return;
        };
        if let Err(e) = regex::Regex::new(p) {
            bad.push(format!("{at}: {e}"));
        }
        let mut chars = p.chars();
        let mut escaped = Vec::new();
        while let Some(c) = chars.next() {
            if c == '\\' {
                escaped.extend(chars.next());
            }
        }
        if escaped.iter().any(|c| "dDwWsSbB".contains(*c)) {
            bad.push(format!(
                "{at}: {p} uses a class whose meaning depends on the engine"
            ));
        }
        if !(p.starts_with('^') && p.ends_with('$')) {
            bad.push(format!(
                "{at}: {p} is not anchored (a pattern matches anywhere)"
            ));
        }
    });
    assert!(count > 0, "no pattern found: the walk is broken");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_country_enum_is_the_set_the_server_accepts() {
    let doc: serde_yaml::Value = serde_yaml::from_str(&repo_file()).expect("valid YAML");
    let listed: BTreeSet<String> = doc["components"]["schemas"]["Country"]["enum"]
        .as_sequence()
        .expect("Country has an enum")
        .iter()
        .map(|v| v.as_str().expect("codes are strings").to_owned())
        .collect();
    let accepted: BTreeSet<String> = ('A'..='Z')
        .flat_map(|a| ('A'..='Z').map(move |b| format!("{a}{b}")))
        .filter(|c| domain::Country::parse(c).is_ok())
        .collect();
    assert_eq!(listed, accepted);
}
