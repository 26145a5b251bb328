//! Short-lived HS256 access tokens.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The user's organisation.
    pub org: String,
    /// The user's role when the token was issued.
    pub role: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
#[error("cannot sign the access token")]
pub struct IssueError(#[source] jsonwebtoken::errors::Error);

/// Signs `claims` with the secret.
pub fn issue(secret: &[u8], claims: &Claims) -> Result<String, IssueError> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(IssueError)
}

/// Checks signature and expiry (no leeway) and returns the claims.
pub fn verify(secret: &[u8], token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub", "iat"]);
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .ok()
        .map(|data| data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_offset: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: "u".into(),
            org: "o".into(),
            role: "admin".into(),
            iat: now,
            exp: now + exp_offset,
        }
    }

    #[test]
    fn tokens_verify_until_they_expire() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let good = issue(secret, &claims(60)).unwrap_or_default();
        assert_eq!(verify(secret, &good).map(|c| c.sub), Some("u".into()));
        assert_eq!(verify(b"another secret of enough length!!", &good), None);
        let expired = issue(secret, &claims(-1)).unwrap_or_default();
        assert_eq!(verify(secret, &expired), None);
    }
}
