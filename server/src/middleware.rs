//! Per-request plumbing: request ids, a tracing span, metrics and the access log line; the
//! rate limit of public requests.

use std::time::Instant;

use actix_web::{
    Error, ResponseError,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    web,
};
use tracing::Instrument;

use crate::{access_log::Level, error::ApiError, rate_limit::Decision, state::AppState};

/// The request id header, echoed or generated.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request being handled on this task: its id and path.
#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    /// The request id.
    pub id: String,
    /// The request path (the problem document's `instance`).
    pub path: String,
}

tokio::task_local! {
    static CURRENT: RequestInfo;
}

/// The request being handled on this task (empty outside a request).
pub fn current_request() -> RequestInfo {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// An incoming id is kept only if short and plain, so logs cannot be forged through it.
fn accept_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    let ok = (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    ok.then(|| s.to_owned())
}

/// Wraps every request: request id, CORS headers, metrics, the access log line.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(accept_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = crate::metrics::method_label(req.method());
    let span =
        tracing::info_span!("request", request_id = %id, method = %method, path = %req.path());
    let start = Instant::now();

    // No clone of the request may be alive here: routing needs it uniquely owned.
    // Handler and extractor errors arrive as responses (converted inside the scope, so their
    // problem documents carry the request id); only a failing inner middleware yields `Err`.
    let info = RequestInfo {
        id: id.clone(),
        path: req.path().to_owned(),
    };
    let mut res = CURRENT
        .scope(info, next.call(req))
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();

    let elapsed = start.elapsed();
    let route = res
        .request()
        .app_data::<crate::routes::RoutePattern>()
        .copied()
        .or_else(|| {
            actix_web::HttpMessage::extensions(res.request())
                .get::<crate::routes::RoutePattern>()
                .copied()
        })
        .map_or("unmatched", |p| p.0);
    let status = res.status().as_u16();
    let line = state.as_ref().and_then(|state| {
        state.metrics.record(method, route, status, elapsed);
        state
            .access_log
            .decide(res.request().path(), status, elapsed)
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    crate::resolver::cors_headers(res.headers_mut());
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    span.in_scope(|| match line {
        Some(Level::Info) => tracing::info!(status, route = %route, latency_ms, "request finished"),
        Some(Level::Warn) => tracing::warn!(status, route = %route, latency_ms, "request finished"),
        None => {}
    });
    Ok(res)
}

/// `RateLimit-Limit`: the client's budget per window.
const RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
/// `RateLimit-Remaining`: what is left of it.
const RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");

/// Counts public requests per client and refuses those over budget with 429 and `Retry-After`.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let limiter = &state.limiter;
    let ip = limiter
        .applies_to(req.path())
        .then(|| limiter.client_ip(req.request()))
        .flatten();
    let Some(ip) = ip else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let limit = HeaderValue::from(limiter.limit());
    match limiter.check(ip) {
        Decision::Deny { retry_after_secs } => {
            let mut res = ApiError::RateLimited { retry_after_secs }.error_response();
            res.headers_mut().insert(RATE_LIMIT_LIMIT, limit);
            res.headers_mut()
                .insert(RATE_LIMIT_REMAINING, HeaderValue::from(0u16));
            Ok(req.into_response(res))
        }
        Decision::Allow { remaining, flush } => {
            // The Redis update runs while the request is served, not before it.
            let flush = flush.map(|f| web::block(move || f.run()));
            let mut res = next.call(req).await?.map_into_boxed_body();
            if let Some(f) = flush {
                let _ = f.await;
            }
            res.headers_mut().insert(RATE_LIMIT_LIMIT, limit);
            res.headers_mut()
                .insert(RATE_LIMIT_REMAINING, HeaderValue::from(remaining));
            Ok(res)
        }
    }
}
