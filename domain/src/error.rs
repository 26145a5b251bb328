//! Why a platform rule refused an operation: the one error every write and read rule returns.
//! The server maps it onto HTTP (`From<DomainError> for ApiError`), the CLI onto a message.

use serde::Serialize;

/// One offending input field and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name (JSON pointer-ish: `email`, `gln`, `query.limit`).
    pub field: String,
    /// Why it was rejected.
    pub reason: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Why one input value was refused, in words its sender can act on ("must be 1 to 128
/// characters"); whoever knows the field's name turns it into a [`FieldError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(String);

impl InvalidValue {
    /// A refusal with its reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }

    /// The reason.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

/// `InvalidValue` with a `format!` reason.
macro_rules! invalid {
    ($($arg:tt)*) => {
        $crate::error::InvalidValue::new(format!($($arg)*))
    };
}
pub(crate) use invalid;

impl From<String> for InvalidValue {
    fn from(reason: String) -> Self {
        Self(reason)
    }
}

impl From<&str> for InvalidValue {
    fn from(reason: &str) -> Self {
        Self(reason.to_owned())
    }
}

impl From<InvalidValue> for String {
    fn from(e: InvalidValue) -> Self {
        e.0
    }
}

/// Everything a platform rule can refuse, or fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// The input is malformed as a whole (not one value of it), e.g. a request that names
    /// nothing to act on.
    #[error("malformed input: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// The offending fields, when known.
        errors: Vec<FieldError>,
    },
    /// Input values are invalid: each offending field with its reason.
    #[error("invalid {}", fields(.0))]
    Invalid(Vec<FieldError>),
    /// The caller may not do this (role, or another organisation's data).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The thing acted on does not exist (or the caller may not know it does).
    #[error("not found")]
    NotFound,
    /// It conflicts with what exists (a unique key, a state that forbids the change).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The answer would be larger than the caller allowed (EPCIS `QueryTooLargeException`).
    #[error("too large: {0}")]
    TooLarge(String),
    /// The database cannot be reached; the cause is logged, never shown.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected; its cause chain is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

fn fields(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.reason))
        .collect();
    parts.join("; ")
}

impl DomainError {
    /// Wraps any unexpected error.
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }

    /// A single-field validation error.
    pub fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, reason)])
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict("a resource with the same unique value exists".to_owned())
            }
            other => Self::internal(other),
        }
    }
}

impl From<db::DbError> for DomainError {
    fn from(e: db::DbError) -> Self {
        use db::DbError;
        match e {
            DbError::Query(q) => q.into(),
            // The cause is logged, not shown (it may name the database's address).
            DbError::Connect(_) | DbError::Pool(_) | DbError::Setup(_) => {
                tracing::error!(error = %chain(&e), "no database connection");
                Self::Unavailable("database unavailable".to_owned())
            }
            other => Self::internal(other),
        }
    }
}

/// Writes the cause chain of an error on one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_each_field_and_database_causes_stay_hidden() {
        let e = DomainError::Invalid(vec![
            FieldError::new("gtin", "bad check digit"),
            FieldError::new("name", "required"),
        ]);
        assert_eq!(
            e.to_string(),
            "invalid gtin: bad check digit; name: required"
        );
        let unique = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("duplicate key value violates unique constraint \"x\"".to_owned()),
        );
        assert!(matches!(
            DomainError::from(unique),
            DomainError::Conflict(_)
        ));
        assert!(matches!(
            DomainError::from(diesel::result::Error::NotFound),
            DomainError::NotFound
        ));
    }
}
