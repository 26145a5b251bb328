//! Thin HTTP handlers per resource, and the wire helpers they share (ETag, time format, bodies).

pub mod alerts;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub(crate) mod body;
pub mod dte;
pub mod epcis;
pub mod epcis_discovery;
pub mod epcis_queries;
pub mod epcis_resources;
pub mod import;
pub mod inspections;
pub mod journeys;
pub mod labels;
pub mod links;
pub mod lots;
pub mod ops;
pub mod orgs;
pub mod passports;
pub mod prefixes;
pub mod products;
pub mod serials;
pub mod status_pack;
pub mod users;
// certificates
pub mod accreditation;
pub mod certificates;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use chrono::NaiveDateTime;
use domain::InvalidValue;
use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};

pub use body::Json;

use crate::error::{ApiError, FieldError};

/// The JSON body extractor settings: 64 KiB and problem+json errors.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|e, _| ApiError::from(e).into())
}

/// The query string extractor settings: problem+json errors.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|e, _| ApiError::from(e).into())
}

/// Times on the wire: RFC 3339, UTC, microseconds.
pub fn time(t: &NaiveDateTime) -> String {
    db::audit::format_time(t)
}

/// A JSON response with a strong `ETag`; `304` if `If-None-Match` already has it.
pub fn with_etag<T: Serialize>(req: &HttpRequest, value: &T) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&body)[..16]));
    if if_none_match(req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .content_type("application/json")
        .body(body))
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`): the client's copy is fresh.
pub fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// `201 Created` with a `Location`.
pub fn created<T: Serialize>(location: &str, value: &T) -> HttpResponse {
    HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, location))
        .json(value)
}

/// A JSON body that may be left out: an empty body reads as `T::default()`.
pub fn optional_json<T: DeserializeOwned + Default>(
    req: &HttpRequest,
    body: &web::Bytes,
) -> Result<T, ApiError> {
    use actix_web::error::JsonPayloadError;
    if body.is_empty() {
        return Ok(T::default());
    }
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<actix_web::mime::Mime>().ok())
        .is_some_and(|m| {
            m.subtype() == actix_web::mime::JSON || m.suffix() == Some(actix_web::mime::JSON)
        });
    if !json {
        return Err(JsonPayloadError::ContentType.into());
    }
    body::object_from_slice(body).map_err(|e| JsonPayloadError::Deserialize(e).into())
}

/// Collects field errors while parsing a body into domain types.
#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// Keeps the value or records why the field is wrong.
    pub fn check<T>(&mut self, field: &str, r: Result<T, impl ToString>) -> Option<T> {
        r.map_err(|e| self.0.push(FieldError::new(field, e.to_string())))
            .ok()
    }

    /// Checks a value that may be left out; a blank one counts as left out.
    pub fn optional<T>(
        &mut self,
        field: &str,
        v: Option<String>,
        parse: impl FnOnce(&str) -> Result<T, InvalidValue>,
    ) -> Option<T> {
        present(v).and_then(|s| self.check(field, parse(&s)))
    }

    /// Checks a PATCH value: absent stays `None`, null or blank clears (`Some(None)`).
    pub fn nullable<T>(
        &mut self,
        field: &str,
        v: Option<Option<String>>,
        parse: impl FnOnce(&str) -> Result<T, InvalidValue>,
    ) -> Option<Option<T>> {
        match v.map(present) {
            None => None,
            Some(None) => Some(None),
            Some(Some(s)) => self.check(field, parse(&s)).map(Some),
        }
    }

    /// Records an error.
    pub fn push(&mut self, field: &str, reason: &str) {
        self.0.push(FieldError::new(field, reason));
    }

    /// `422` naming every bad field, or `Ok` if none.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// `Some` if the value is not blank.
pub fn present(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// Deserializes a present-but-null field as `Some(None)` (absent stays `None`), for PATCH.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
