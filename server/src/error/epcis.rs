//! The EPCIS 2.0 exceptions (the REST binding's `epcisException:*` problem types) that errors
//! under `/epcis` are reported as.

use super::ApiError;

/// An EPCIS 2.0 exception: the `type` of a problem document answered under `/epcis`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EpcisException {
    /// A body, header or path value is invalid (400, 422).
    Validation,
    /// A query parameter is invalid: unknown, malformed, or not allowed here (400, 422).
    QueryParameter,
    /// No or bad credentials (401), or not allowed (403).
    Security,
    /// The resource does not exist (404).
    NoSuchResource,
    /// The named query does not exist (404).
    NoSuchName,
    /// The resource exists already, e.g. a named query's name (409).
    ResourceAlreadyExists,
    /// More events match than `maxEventCount` allows (413).
    QueryTooLarge,
    /// A capture beyond `GS1-EPCIS-Capture-Limit` or `GS1-EPCIS-Capture-File-Size-Limit` (413).
    CaptureLimitExceeded,
    /// The server failed, or does not implement what was asked (5xx).
    Implementation,
}

impl EpcisException {
    /// The problem `type`: `epcisException:ValidationException`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "epcisException:ValidationException",
            Self::QueryParameter => "epcisException:QueryParameterException",
            Self::Security => "epcisException:SecurityException",
            Self::NoSuchResource => "epcisException:NoSuchResourceException",
            Self::NoSuchName => "epcisException:NoSuchNameException",
            Self::ResourceAlreadyExists => "epcisException:ResourceAlreadyExistsException",
            Self::QueryTooLarge => "epcisException:QueryTooLargeException",
            Self::CaptureLimitExceeded => "epcisException:CaptureLimitExceededException",
            Self::Implementation => "epcisException:ImplementationException",
        }
    }

    /// The exception `e` is reported as: the one a handler gave it, else the one its kind
    /// stands for. `None` for what the binding names no exception for (405, 429): those keep
    /// this service's own problem types.
    pub fn of(e: &ApiError) -> Option<Self> {
        Some(match e {
            ApiError::Epcis { exception, .. } => *exception,
            ApiError::BadRequest { .. } | ApiError::Validation(_) => Self::Validation,
            ApiError::Unauthorized(_) | ApiError::Forbidden(_) => Self::Security,
            ApiError::NotFound | ApiError::NotFoundDetail(_) => Self::NoSuchResource,
            ApiError::Conflict(_) => Self::ResourceAlreadyExists,
            ApiError::TooLarge(_) => Self::QueryTooLarge,
            ApiError::CaptureTooLarge(_) => Self::CaptureLimitExceeded,
            ApiError::Unavailable(_) | ApiError::NotImplemented(_) | ApiError::Internal(_) => {
                Self::Implementation
            }
            ApiError::MethodNotAllowed
            | ApiError::TooManyRequests
            | ApiError::RateLimited { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_an_exception_and_handlers_refine_only_their_own() {
        let internal = ApiError::internal(std::io::Error::other("disk"));
        assert_eq!(
            EpcisException::of(&internal),
            Some(EpcisException::Implementation)
        );
        assert_eq!(EpcisException::of(&ApiError::MethodNotAllowed), None);
        let bad = ApiError::field("perPage", "too big").reported_as(EpcisException::QueryParameter);
        assert_eq!(
            EpcisException::of(&bad),
            Some(EpcisException::QueryParameter)
        );
        // A query refinement leaves a server failure and a 413 alone.
        let still = ApiError::internal(std::io::Error::other("x"))
            .reported_as(EpcisException::QueryParameter);
        assert_eq!(
            EpcisException::of(&still),
            Some(EpcisException::Implementation)
        );
        let large =
            ApiError::TooLarge("maxEventCount".into()).reported_as(EpcisException::QueryParameter);
        assert_eq!(
            EpcisException::of(&large),
            Some(EpcisException::QueryTooLarge)
        );
        let name = ApiError::NotFound.reported_as(EpcisException::NoSuchName);
        assert_eq!(EpcisException::of(&name), Some(EpcisException::NoSuchName));
        assert_eq!(
            actix_web::ResponseError::status_code(&name),
            actix_web::http::StatusCode::NOT_FOUND
        );
    }
}
