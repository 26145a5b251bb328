//! The registrar: collects routes, groups methods by path (405 with the rest), installs them
//! under scopes.

use actix_web::{
    FromRequest, Handler, Resource, Responder, Route,
    http::Method,
    web::{self, ServiceConfig},
};

use crate::error::ApiError;

/// Collects routes, grouping methods by path so an unsupported method gets 405.
#[derive(Default)]
pub struct Registrar {
    resources: Vec<(&'static str, Vec<Route>)>,
    routes: Vec<(Method, &'static str)>,
}

/// The route pattern a request matched, e.g. `/01/{gtin}`, for metrics. Carried as resource
/// data because `HttpRequest::match_pattern` matches the path against every route again.
#[derive(Clone, Copy, Debug)]
pub struct RoutePattern(pub &'static str);

/// Path prefixes installed as actix scopes. Actix tries a request against every resource in
/// turn, a regex each; a scope is one prefix comparison, so a resolver request never runs the
/// API's patterns (and vice versa). Resolver scopes come first: they carry the traffic.
const SCOPES: [&str; 4] = ["/01", "/00", "/414", "/api/v1"];

impl Registrar {
    /// Registers `handler` for `method` on `path` (actix and OpenAPI share the `{param}` syntax).
    pub fn add<F, Args>(&mut self, method: Method, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.routes.push((method.clone(), path));
        let route = web::method(method).to(handler);
        match self.resources.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push(route),
            None => self.resources.push((path, vec![route])),
        }
    }

    /// The (method, path) pairs registered so far.
    pub fn routes(&self) -> &[(Method, &'static str)] {
        &self.routes
    }

    /// Hands the resources to actix: those under a [`SCOPES`] prefix in that scope, the rest at
    /// the root, each group in registration order but for a root path that is a lone parameter,
    /// which goes last.
    pub fn install(self, cfg: &mut ServiceConfig) {
        let allowed = |pattern: &str| {
            let methods: Vec<&str> = self
                .routes
                .iter()
                .filter(|(_, p)| *p == pattern)
                .map(|(m, _)| m.as_str())
                .collect();
            methods.join(", ")
        };
        let resource = |pattern: &'static str, path: &str, routes: Vec<Route>| {
            let allow = allowed(pattern);
            routes
                .into_iter()
                .fold(web::resource(path), Resource::route)
                .app_data(RoutePattern(pattern))
                .default_service(web::to(move || method_not_allowed(allow.clone())))
        };
        let mut scopes: Vec<Option<actix_web::Scope>> =
            SCOPES.iter().map(|p| Some(web::scope(p))).collect();
        let mut root = Vec::new();
        for (path, routes) in self.resources {
            let slot = SCOPES.iter().position(|p| {
                path.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
            });
            match slot {
                Some(i) => {
                    let rest = &path[SCOPES[i].len()..];
                    scopes[i] = scopes[i]
                        .take()
                        .map(|s| s.service(resource(path, rest, routes)));
                }
                None => root.push((path, resource(path, path, routes))),
            }
        }
        // A root path that is one parameter (`/{compressed}`) would swallow every static one.
        root.sort_by_key(|(path, _)| path.starts_with("/{"));
        for scope in scopes.into_iter().flatten() {
            cfg.service(scope);
        }
        for (_, r) in root {
            cfg.service(r);
        }
    }
}

/// 405 with `Allow`, which RFC 9110 (15.5.6) requires: the methods the resource has.
async fn method_not_allowed(allow: String) -> actix_web::HttpResponse {
    let mut res = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allow) {
        res.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    res
}
