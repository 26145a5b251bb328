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
