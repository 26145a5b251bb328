//! The auth matrix: every route x caller x own/foreign organisation, with the expected status.

mod routes;

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, fresh_settings, gtin13, spawn_with};
use routes::ROUTES;

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Admin,
    Exporter,
    Certifier,
    Inspector,
    /// A live API key of organisation A with the exporter role.
    ApiKey,
    /// The exporter's token, expired.
    Expired,
    /// A revoked API key of organisation A.
    Revoked,
}

const CALLERS: [Caller; 8] = [
    Caller::Anonymous,
    Caller::Admin,
    Caller::Exporter,
    Caller::Certifier,
    Caller::Inspector,
    Caller::ApiKey,
    Caller::Expired,
    Caller::Revoked,
];

/// Which organisation the route's path points at, relative to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Own,
    Foreign,
}

/// Who may use a route, and the status a permitted caller gets.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, credentials or not.
    Public(u16),
    /// Any authenticated caller.
    Authenticated(u16),
    /// Platform admins only.
    Admin(u16),
    /// Admins, or any authenticated caller of the route's organisation.
    Member(u16),
    /// Admins, or people (not API keys) of the route's organisation.
    UserMember(u16),
    /// People only, not API keys.
    User(u16),
    /// Admins, or these callers.
    Role(&'static [Caller], u16),
    /// Admins, or these callers on their own organisation's resource.
    RoleOwn(&'static [Caller], u16),
    /// Admins and inspectors; exporters (and their keys) on their own products only.
    Surveillance(u16),
    /// Anyone without credentials or with valid ones; bad credentials are 401.
    Optional(u16),
    /// Admins, or exporters (people or keys) of the route's organisation.
    Exporter(u16),
    /// Admins, or exporters of any organisation (what belongs to whom is checked per row).
    ExporterRole(u16),
    /// Admins, or callers of the route's organisation; 404 for others (whether it exists is
    /// itself information).
    Visible(u16),
    /// Admins, or these callers of the route's organisation; 404 for these callers of
    /// others (the role is checked first).
    RoleVisible(&'static [Caller], u16),
}

/// Exporters: the exporter and organisation A's exporter API key.
const EXPORTERS: &[Caller] = &[Caller::Exporter, Caller::ApiKey];

fn expected(rule: Rule, caller: Caller, scope: Scope) -> u16 {
    let authenticated = !matches!(
        caller,
        Caller::Anonymous | Caller::Expired | Caller::Revoked
    );
    let admin = caller == Caller::Admin;
    let person = authenticated && caller != Caller::ApiKey;
    let exporter = matches!(caller, Caller::Exporter | Caller::ApiKey);
    match rule {
        Rule::Public(ok) => ok,
        Rule::Optional(ok) if caller == Caller::Anonymous => ok,
        _ if !authenticated => 401,
        Rule::Optional(ok) => ok,
        Rule::Exporter(ok) => {
            if admin || (exporter && scope == Scope::Own) {
                ok
            } else {
                403
            }
        }
        Rule::ExporterRole(ok) => {
            if admin || exporter {
                ok
            } else {
                403
            }
        }
        Rule::Authenticated(ok) => ok,
        Rule::Admin(ok) => {
            if admin {
                ok
            } else {
                403
            }
        }
        Rule::Member(ok) => {
            if admin || scope == Scope::Own {
                ok
            } else {
                403
            }
        }
        Rule::UserMember(ok) => {
            if admin || (person && scope == Scope::Own) {
                ok
            } else {
                403
            }
        }
        Rule::User(ok) => {
            if person {
                ok
            } else {
                403
            }
        }
        Rule::Role(callers, ok) => {
            if admin || callers.contains(&caller) {
                ok
            } else {
                403
            }
        }
        Rule::RoleOwn(callers, ok) => {
            if admin || (callers.contains(&caller) && scope == Scope::Own) {
                ok
            } else {
                403
            }
        }
        Rule::Visible(ok) => {
            if admin || scope == Scope::Own {
                ok
            } else {
                404
            }
        }
        Rule::RoleVisible(callers, ok) => {
            if admin {
                ok
            } else if !callers.contains(&caller) {
                403
            } else if scope == Scope::Own {
                ok
            } else {
                404
            }
        }
        Rule::Surveillance(ok) => match caller {
            Caller::Admin | Caller::Inspector => ok,
            Caller::Exporter | Caller::ApiKey if scope == Scope::Own => ok,
            _ => 403,
        },
    }
}

struct World {
    key: String,
    revoked: String,
    counter: u32,
    surveillance: crate::surveillance::Fixtures,
    /// Per organisation (A, B): a licensed prefix's id and digits, a product's GTIN, a link.
    prefixes: [(String, &'static str); 2],
    gtins: [String; 2],
    links: [String; 2],
}

/// Registers a link for `gtin` as the admin; returns its id.
async fn add_link(app: &TestApp, gtin: &str) -> String {
    let res = app
        .post(
            &format!("/api/v1/products/{gtin}/links"),
            &app.auth(&app.admin),
            json!({"link_type": "gs1:pip", "href": "https://example.vn/p", "title": "Page"}),
        )
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    res.body["id"].as_str().unwrap_or_default().to_owned()
}

impl World {
    async fn new(app: &TestApp) -> Self {
        let (_, key) = app.api_key(&app.exporter, &app.org_a).await;
        let (revoked_id, revoked) = app.api_key(&app.exporter, &app.org_a).await;
        let res = app
            .req(
                Method::DELETE,
                &format!("/api/v1/api-keys/{revoked_id}"),
                &app.auth(&app.admin),
                None,
            )
            .await;
        assert_eq!(res.status.as_u16(), 204);
        let mut prefixes = [(String::new(), "8930001"), (String::new(), "8930002")];
        let mut gtins = [String::new(), String::new()];
        let mut links = [String::new(), String::new()];
        for (i, org) in [&app.org_a, &app.org_b].into_iter().enumerate() {
            prefixes[i].0 = app.license(org, prefixes[i].1).await;
            gtins[i] = gtin13(prefixes[i].1, 1);
            let res = app
                .post(
                    "/api/v1/products",
                    &app.auth(&app.admin),
                    json!({"gtin": gtins[i], "name_vi": "Hàng", "name_en": "Goods"}),
                )
                .await;
            assert_eq!(res.status.as_u16(), 201, "{}", res.text);
            links[i] = add_link(app, &gtins[i]).await;
        }
        Self {
            key,
            revoked,
            counter: 0,
            surveillance: crate::surveillance::fixtures(app).await,
            prefixes,
            gtins,
            links,
        }
    }

    fn auth(&self, app: &TestApp, caller: Caller) -> Auth {
        match caller {
            Caller::Anonymous => Auth::None,
            Caller::Admin => app.auth(&app.admin),
            Caller::Exporter => app.auth(&app.exporter),
            Caller::Certifier => app.auth(&app.certifier),
            Caller::Inspector => app.auth(&app.inspector),
            Caller::ApiKey => Auth::Key(self.key.clone()),
            Caller::Expired => Auth::Bearer(app.token_with_exp(&app.exporter, -5)),
            Caller::Revoked => Auth::Bearer(self.revoked.clone()),
        }
    }

    /// The path with `{id}` filled for this caller and scope, and a body.
    async fn request(
        &mut self,
        app: &TestApp,
        method: &str,
        path: &str,
        caller: Caller,
        scope: Scope,
    ) -> (String, Option<Value>) {
        self.counter += 1;
        let n = self.counter;
        let own = scope == Scope::Own;
        let fx = &self.surveillance;
        if let Some(r) = crate::surveillance::matrix_request(app, fx, method, path, own, n).await {
            return r;
        }
        let (own_org, foreign_org) = if caller == Caller::Admin {
            (app.admin.org_id.clone(), app.org_b.clone())
        } else {
            (app.org_a.clone(), app.org_b.clone())
        };
        let org = if scope == Scope::Own {
            own_org
        } else {
            foreign_org
        };
        let user = match (caller, scope) {
            (Caller::Admin, Scope::Own) => app.admin.id.clone(),
            (_, Scope::Own) => app.exporter.id.clone(),
            (_, Scope::Foreign) => app.exporter_b.id.clone(),
        };
        let owner = match (caller, scope) {
            (Caller::Admin, Scope::Own) => &app.admin,
            (_, Scope::Own) => &app.exporter,
            (_, Scope::Foreign) => &app.exporter_b,
        };
        if let Some(r) = crate::epcis_queries::matrix_request(app, method, path, owner, n).await {
            return r;
        }
        if let Some((id, body)) = crate::cert_support::matrix_fixture(app, method, path, n).await {
            return (path.replace("{id}", &id).replace("{gtin}", &id), body);
        }
        if let Some(filled) =
            crate::serials::matrix_request(app, method, path, &org, &format!("{n}")).await
        {
            return filled;
        }
        let role = match caller {
            Caller::Certifier => "certifier",
            Caller::Inspector => "inspector",
            _ => "exporter",
        };
        // The products area's resources: organisation A's for Own (admins included), B's else.
        let ab = usize::from(scope == Scope::Foreign);
        let (prefix_id, prefix) = self.prefixes[ab].clone();
        let new_gtin = gtin13(prefix, 1000 + u64::from(n));
        let (id, body) = match (method, path) {
            ("POST", "/api/v1/prefixes") => (
                String::new(),
                Some(json!({"org_id": app.org_a, "prefix": format!("8935{n:03}")})),
            ),
            ("PATCH", "/api/v1/prefixes/{id}") => (prefix_id, Some(json!({"status": "active"}))),
            (m, p) if p.starts_with("/api/v1/prefixes/{id}") => {
                (prefix_id, (m == "POST").then(|| json!({})))
            }
            ("POST", "/api/v1/products") => (
                String::new(),
                Some(json!({"gtin": new_gtin, "name_vi": "Mới", "name_en": "New"})),
            ),
            ("POST", "/api/v1/labels/sheets") => (
                String::new(),
                Some(json!({"gtin": self.gtins[ab], "copies": 2})),
            ),
            ("POST", "/api/v1/products/import") => (
                String::new(),
                Some(json!([{"gtin": new_gtin, "name_vi": "Mới", "name_en": "New"}])),
            ),
            ("PATCH", "/api/v1/products/{gtin}") => (
                self.gtins[ab].clone(),
                Some(json!({"brand": format!("B{n}")})),
            ),
            ("POST", "/api/v1/products/{gtin}/links") => (
                self.gtins[ab].clone(),
                Some(json!({"link_type": "gs1:pip", "href": "https://example.vn", "title": "T"})),
            ),
            (
                _,
                "/api/v1/products/{gtin}"
                | "/api/v1/products/{gtin}/links"
                | "/api/v1/products/{gtin}/label",
            ) => (self.gtins[ab].clone(), None),
            ("PATCH", "/api/v1/links/{id}") => (
                self.links[ab].clone(),
                Some(json!({"title": format!("T{n}")})),
            ),
            ("DELETE", "/api/v1/links/{id}") => (add_link(app, &self.gtins[ab]).await, None),
            ("POST", "/api/v1/lookups") => (
                String::new(),
                Some(json!({"codes": ["09506000134352", "not gs1"]})),
            ),
            ("POST", "/api/v1/auth/login") => (
                String::new(),
                Some(json!({"email": format!("nobody{n}@x.vn"), "password": "wrong password"})),
            ),
            ("POST", "/api/v1/me/password") => (
                String::new(),
                Some(
                    json!({"current_password": "wrong", "new_password": "long enough new password"}),
                ),
            ),
            ("POST", "/api/v1/orgs") => (
                String::new(),
                Some(json!({"kind": "testing_lab", "name": format!("Lab {n}"), "country": "VN"})),
            ),
            ("PATCH", "/api/v1/orgs/{id}") => (org, Some(json!({"country": "VN"}))),
            ("POST", "/api/v1/orgs/{id}/users") => (
                org,
                Some(
                    json!({"email": format!("m{n}@x.vn"), "password": "long enough password", "role": "inspector"}),
                ),
            ),
            ("PATCH", "/api/v1/users/{id}") => (user, Some(json!({"disabled": false}))),
            ("GET", "/api/v1/users/{id}") => (user, None),
            ("POST", "/api/v1/orgs/{id}/api-keys") => {
                (org, Some(json!({"name": format!("k{n}"), "role": role})))
            }
            ("DELETE", "/api/v1/api-keys/{id}") => {
                let res = app
                    .post(
                        &format!("/api/v1/orgs/{org}/api-keys"),
                        &app.auth(&app.admin),
                        json!({"name": "victim", "role": "exporter"}),
                    )
                    .await;
                (res.body["id"].as_str().unwrap_or_default().to_owned(), None)
            }
            ("POST", "/epcis/capture") => (
                String::new(),
                Some(crate::epcis::document(vec![crate::epcis::observe(
                    n % 28 + 1,
                    &format!("urn:epc:id:sgtin:8934567.000058.M{n}"),
                    "shipping",
                )])),
            ),
            ("POST", "/epcis/events") => (
                String::new(),
                Some(crate::epcis::observe(
                    n % 28 + 1,
                    &format!("urn:epc:id:sgtin:8934567.000058.E{n}"),
                    "receiving",
                )),
            ),
            ("GET", "/epcis/capture/{id}" | "/epcis/events/{id}") => {
                let capturer = match (caller, scope) {
                    (Caller::Admin, Scope::Own) => &app.admin,
                    (_, Scope::Own) => &app.exporter,
                    (_, Scope::Foreign) => &app.exporter_b,
                };
                let (capture, event) = crate::epcis::captured(app, capturer, n).await;
                let id = if path.starts_with("/epcis/capture") {
                    capture
                } else {
                    event
                };
                (id, None)
            }
            _ => (org, None),
        };
        // The EPCIS resources' values, percent-encoded where they are URIs.
        let path = path
            .replace("{eventType}", "ObjectEvent")
            .replace("{epc}", "urn%3Aepc%3Aid%3Asgtin%3A8934567.000058.C1")
            .replace("{bizStep}", "shipping")
            .replace("{bizLocation}", "urn%3Aepc%3Aid%3Asgln%3A8934567.00001.0")
            .replace("{readPoint}", "urn%3Aepc%3Aid%3Asgln%3A8934567.00001.0")
            .replace("{disposition}", "in_transit")
            .replace("{token}", "MTIzfGFiYw");
        (path.replace("{id}", &id).replace("{gtin}", &id), body)
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    // Thousands of requests from one address: the public rate limit is tested on its own.
    let (mut settings, pg) = fresh_settings();
    settings.rate_limit_per_minute = 0;
    let app = spawn_with(settings, pg).await;
    let mut world = World::new(&app).await;

    let documented: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let registered: BTreeSet<(String, String)> =
        server::routes::registered_routes().into_iter().collect();
    assert_eq!(
        documented, registered,
        "the matrix must cover every registered route"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, path, rule) in ROUTES {
        for caller in CALLERS {
            for scope in [Scope::Own, Scope::Foreign] {
                let (url, body) = world.request(&app, method, path, caller, scope).await;
                let auth = world.auth(&app, caller);
                let method = Method::from_bytes(method.as_bytes()).expect("method");
                // Commissioning needs an Idempotency-Key; other routes ignore it.
                let key = format!("matrix-{checked}");
                let res = app
                    .req_with(
                        method.clone(),
                        &url,
                        &auth,
                        body,
                        &[("Idempotency-Key", &key)],
                    )
                    .await;
                let want = expected(*rule, caller, scope);
                checked += 1;
                if res.status.as_u16() != want {
                    failures.push(format!(
                        "{method} {path} as {caller:?} ({scope:?}): got {}, want {want}: {}",
                        res.status, res.text
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, ROUTES.len() * CALLERS.len() * 2);
}
