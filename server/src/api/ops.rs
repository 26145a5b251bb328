//! Operational endpoints: liveness, readiness, metrics and the OpenAPI document.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::{app::AppState, db, error::ApiError};

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
    state
        .run(|conn| {
            db::ping(conn).map_err(|e| {
                tracing::error!(error = %e, "database ping failed");
                ApiError::Unavailable("database unavailable".to_owned())
            })
        })
        .await?;
    let redis = match state.redis.clone() {
        None => "not configured",
        Some(kv) => {
            web::block(move || kv.ping()).await?.map_err(|e| {
                tracing::error!(error = %crate::error::chain(&e), "redis ping failed");
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
        .body(state.metrics.render())
}

/// `GET /openapi.yaml`: the contract this server implements.
#[tracing::instrument]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(OPENAPI_YAML)
}
