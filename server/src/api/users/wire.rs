//! Users on the wire, and what a client sends.

use super::*;

/// A user on the wire (never the password hash).
#[derive(Debug, Serialize)]
pub struct UserOut {
    /// Id.
    pub id: String,
    /// Organisation.
    pub org_id: String,
    /// E-mail.
    pub email: String,
    /// Role.
    pub role: String,
    /// Whether sign-in is refused.
    pub disabled: bool,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            created_at: time(&u.created_at),
            updated_at: time(&u.updated_at),
            id: u.id,
            org_id: u.org_id,
            email: u.email,
            role: u.role,
            disabled: u.disabled,
        }
    }
}

/// Body of `POST /orgs/{id}/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// E-mail.
    pub email: String,
    /// Initial password.
    pub password: Secret<String>,
    /// Role.
    pub role: String,
}

/// Body of `PATCH /users/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// New role.
    #[serde(default)]
    pub role: Option<String>,
    /// Disable or re-enable.
    #[serde(default)]
    pub disabled: Option<bool>,
}
