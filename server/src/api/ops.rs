//! Operational endpoints: liveness, readiness, metrics and the OpenAPI document.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::{error::ApiError, state::AppState};

/// The HTTP contract, embedded from the repository root.
pub const OPENAPI_YAML: &str = include_str!("../../../openapi.yaml");

/// `GET /healthz`: the process is up.
#[tracing::instrument]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database (and Redis, when configured) answer.
#[tracing::instrument(skip(state))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // A probe must answer quickly: wait 2 s for a connection, not the pool's usual 10 s.
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool
            .get_timeout(Duration::from_secs(2))
            .map_err(db::DbError::Pool)?;
        db::ping(&mut conn).map_err(db::DbError::Query)
    })
    .await?
    .map_err(|e| {
        tracing::warn!(error = %crate::error::chain(&e), "database not ready");
        ApiError::Unavailable("database unavailable".to_owned())
    })?;
    let redis = match state.redis.clone() {
        None => "not configured",
        Some(kv) => {
            web::block(move || kv.ping()).await?.map_err(|e| {
                tracing::warn!(error = %crate::error::chain(&e), "redis ping failed");
                ApiError::Unavailable("redis unavailable".to_owned())
            })?;
            "ok"
        }
    };
    Ok(HttpResponse::Ok().json(json!({"status": "ok", "database": "ok", "redis": redis})))
}

/// `GET /metrics`: Prometheus text format.
#[tracing::instrument(skip(state))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render() + &state.cache.stats().render())
}

/// `GET /openapi.yaml`: the contract this server implements.
#[tracing::instrument]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(OPENAPI_YAML)
}
