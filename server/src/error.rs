//! The one error type of the service and its rendering as `application/problem+json` (RFC 9457).
//! Under `/epcis` the problem `type` is the EPCIS 2.0 exception ([`EpcisException`]).

mod epcis;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, http::header};
use serde::Serialize;

pub use domain::error::chain;

use domain::DomainError;
pub use domain::FieldError;
pub use epcis::EpcisException;

/// Everything a request or command can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The request is malformed (unparsable JSON, bad query string).
    #[error("bad request: {detail}")]
    BadRequest {
        /// What is wrong.
        detail: String,
        /// The offending fields, when known.
        errors: Vec<FieldError>,
    },
    /// The request parses but its values are invalid.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// No or invalid credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Authenticated, but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The resource does not exist.
    #[error("not found")]
    NotFound,
    /// The resource does not exist, and why (e.g. an unknown link type).
    #[error("not found: {0}")]
    NotFoundDetail(String),
    /// The path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The write conflicts with existing data (a unique key).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many attempts; retry later.
    #[error("too many requests")]
    TooManyRequests,
    /// Over the client's request budget; sent with `Retry-After`.
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited {
        /// Seconds until the budget frees.
        retry_after_secs: u64,
    },
    /// A dependency (database, Redis) is not reachable.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The answer would be larger than the client allowed (`maxEventCount`: EPCIS 2.0's
    /// `QueryTooLargeException`), 413.
    #[error("query too large: {0}")]
    TooLarge(String),
    /// A capture beyond `GS1-EPCIS-Capture-Limit` or `GS1-EPCIS-Capture-File-Size-Limit`
    /// (EPCIS 2.0's `CaptureLimitExceededException`), 413 with both limits.
    #[error("capture too large: {0}")]
    CaptureTooLarge(String),
    /// The operation exists in a standard but not here, and why, 501.
    #[error("not implemented: {0}")]
    NotImplemented(String),
    /// An error a handler under `/epcis` classified as `exception` (say a
    /// `QueryParameterException` rather than the `ValidationException` any 422 would be);
    /// everything else about it is `error`'s.
    #[error("{}", exception.as_str())]
    Epcis {
        /// What the problem document's `type` says.
        exception: EpcisException,
        /// The error itself.
        #[source]
        error: Box<ApiError>,
    },
    /// Anything unexpected; logged with its cause chain, rendered without internals.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// Wraps any unexpected error.
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }

    /// A single-field validation error.
    pub fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, reason)])
    }

    /// This error reported as `exception` under `/epcis` when it is one of the kind
    /// `exception` refines (a refusal of the input for `QueryParameter`, a 404 for
    /// `NoSuchName`); any other error keeps its own.
    pub fn reported_as(self, exception: EpcisException) -> Self {
        let refines = match exception {
            EpcisException::QueryParameter | EpcisException::Validation => {
                matches!(self.base(), Self::BadRequest { .. } | Self::Validation(_))
            }
            EpcisException::NoSuchName | EpcisException::NoSuchResource => {
                matches!(self.base(), Self::NotFound | Self::NotFoundDetail(_))
            }
            _ => EpcisException::of(self.base()) == Some(exception),
        };
        if !refines {
            return self;
        }
        Self::Epcis {
            exception,
            error: Box::new(self),
        }
    }

    /// The error under any [`ApiError::Epcis`] classification.
    fn base(&self) -> &Self {
        match self {
            Self::Epcis { error, .. } => error.base(),
            other => other,
        }
    }

    fn title(&self) -> &'static str {
        match self.base() {
            Self::BadRequest { .. } => "Bad request",
            Self::Validation(_) => "Invalid input",
            Self::Unauthorized(_) => "Unauthorized",
            Self::Forbidden(_) => "Forbidden",
            Self::NotFound | Self::NotFoundDetail(_) => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::Conflict(_) => "Conflict",
            Self::TooManyRequests | Self::RateLimited { .. } => "Too many requests",
            Self::Unavailable(_) => "Service unavailable",
            Self::TooLarge(_) => "Query too large",
            Self::CaptureTooLarge(_) => "Capture too large",
            Self::NotImplemented(_) => "Not implemented",
            Self::Internal(_) | Self::Epcis { .. } => "Internal server error",
        }
    }

    fn slug(&self) -> &'static str {
        match self.base() {
            Self::BadRequest { .. } => "bad-request",
            Self::Validation(_) => "validation",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound | Self::NotFoundDetail(_) => "not-found",
            Self::MethodNotAllowed => "method-not-allowed",
            Self::Conflict(_) => "conflict",
            Self::TooManyRequests => "too-many-requests",
            Self::RateLimited { .. } => "rate-limited",
            Self::Unavailable(_) => "unavailable",
            Self::TooLarge(_) => "query-too-large",
            Self::CaptureTooLarge(_) => "capture-too-large",
            Self::NotImplemented(_) => "not-implemented",
            Self::Internal(_) | Self::Epcis { .. } => "internal",
        }
    }

    fn detail(&self) -> String {
        match self.base() {
            Self::BadRequest { detail, .. } => detail.clone(),
            Self::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                format!("invalid value for {}", fields.join(", "))
            }
            Self::Unauthorized(why) | Self::Forbidden(why) => (*why).to_owned(),
            Self::NotFound => "no such resource".to_owned(),
            Self::NotFoundDetail(why) => why.clone(),
            Self::MethodNotAllowed => "the resource does not support this method".to_owned(),
            Self::Conflict(what) => what.clone(),
            Self::TooManyRequests => "too many attempts, retry later".to_owned(),
            Self::RateLimited { retry_after_secs } => {
                format!("request rate limit reached; retry in {retry_after_secs} s")
            }
            Self::Unavailable(what)
            | Self::TooLarge(what)
            | Self::CaptureTooLarge(what)
            | Self::NotImplemented(what) => what.clone(),
            Self::Internal(_) | Self::Epcis { .. } => {
                "an unexpected error occurred; quote the request id".to_owned()
            }
        }
    }
}

/// The one seam from platform rules to HTTP: each refusal keeps its meaning and its fields.
impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Malformed { detail, errors } => Self::BadRequest { detail, errors },
            DomainError::Invalid(errors) => Self::Validation(errors),
            DomainError::Forbidden(why) => Self::Forbidden(why),
            DomainError::NotFound => Self::NotFound,
            DomainError::Conflict(what) => Self::Conflict(what),
            DomainError::Unavailable(what) => Self::Unavailable(what),
            DomainError::TooLarge(what) => Self::TooLarge(what),
            DomainError::Internal(cause) => Self::Internal(cause),
            other => Self::internal(other),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        DomainError::from(e).into()
    }
}

impl From<db::DbError> for ApiError {
    fn from(e: db::DbError) -> Self {
        DomainError::from(e).into()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::internal(e)
    }
}

impl From<actix_web::error::JsonPayloadError> for ApiError {
    fn from(e: actix_web::error::JsonPayloadError) -> Self {
        use actix_web::error::JsonPayloadError as J;
        match e {
            J::Deserialize(de) if de.is_data() => {
                let msg = de.to_string();
                let field = backticked(&msg).unwrap_or("body").to_owned();
                Self::Validation(vec![FieldError::new(field, msg)])
            }
            J::Deserialize(de) => Self::BadRequest {
                detail: format!("malformed JSON: {de}"),
                errors: vec![FieldError::new("body", de.to_string())],
            },
            J::ContentType => Self::BadRequest {
                detail: "expected Content-Type: application/json".to_owned(),
                errors: Vec::new(),
            },
            J::Overflow { .. } | J::OverflowKnownLength { .. } => Self::BadRequest {
                detail: "request body too large".to_owned(),
                errors: Vec::new(),
            },
            other => Self::BadRequest {
                detail: other.to_string(),
                errors: Vec::new(),
            },
        }
    }
}

impl From<actix_web::error::QueryPayloadError> for ApiError {
    fn from(e: actix_web::error::QueryPayloadError) -> Self {
        let msg = e.to_string();
        let field = backticked(&msg).map_or_else(|| "query".to_owned(), |f| format!("query.{f}"));
        Self::BadRequest {
            detail: format!("invalid query string: {msg}"),
            errors: vec![FieldError::new(field, msg)],
        }
    }
}

/// The first `name` quoted in backticks in a serde message (`unknown field `x``).
fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// The problem document (RFC 9457) with our extension members.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the type.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The offending fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request id, to quote when reporting.
    pub request_id: String,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self.base() {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::NotFoundDetail(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests | Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooLarge(_) | Self::CaptureTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Self::Internal(_) | Self::Epcis { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let request = crate::middleware::current_request();
        if let Self::Internal(_) = self.base() {
            tracing::error!(request_id = %request.id, error = %chain(self), "request failed");
        }
        let status = self.status_code();
        let errors = match self.base() {
            Self::Validation(e) | Self::BadRequest { errors: e, .. } => e.clone(),
            _ => Vec::new(),
        };
        // The binding's paths answer the binding's exception types; the rest of the service
        // (and what the binding names none for) answers its own.
        let kind = EpcisException::of(self)
            .filter(|_| crate::api::epcis::is_binding_path(&request.path))
            .map_or_else(
                || format!("urn:gs1dpp:problem:{}", self.slug()),
                |e| e.as_str().to_owned(),
            );
        let body = Problem {
            kind,
            title: self.title(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: Some(request.path).filter(|p| !p.is_empty()),
            errors,
            request_id: request.id,
        };
        let mut res = HttpResponse::build(status);
        res.content_type("application/problem+json");
        if status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Self::RateLimited { retry_after_secs } = self.base() {
            res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::CaptureTooLarge(_) = self.base() {
            res.insert_header((
                "GS1-EPCIS-Capture-Limit",
                domain::traceability::CAPTURE_LIMIT.to_string(),
            ));
            res.insert_header((
                "GS1-EPCIS-Capture-File-Size-Limit",
                crate::api::epcis::CAPTURE_FILE_SIZE_LIMIT.to_string(),
            ));
        }
        res.json(body)
    }
}
