//! The demo data set as a fixture: an app seeded with `seed --demo`.

use serde_json::Value;

use crate::{
    helpers::{Auth, Res, TestApp, spawn_app},
    seed::seed,
};

/// A test app loaded with `seed --demo`, and the JSON the seed printed.
pub struct Demo {
    /// The app.
    pub app: TestApp,
    /// What `seed --demo` printed.
    pub v: Value,
}

impl Demo {
    /// A new app with the demo data set.
    pub async fn new() -> Self {
        let app = spawn_app().await;
        let v = seed(&app, &["--demo"]);
        Self { app, v }
    }
    /// The demo GTIN named `k`.
    pub fn gtin(&self, k: &str) -> String {
        self.v["gtins"][k].as_str().unwrap_or_default().to_owned()
    }
    /// The string the seed printed under `k`.
    pub fn s(&self, k: &str) -> String {
        self.v[k].as_str().unwrap_or_default().to_owned()
    }
    /// An anonymous GET with `headers`.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Res {
        self.app.get_with(path, &Auth::None, headers).await
    }
}
