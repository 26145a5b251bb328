//! Who performs an operation: a user or an API key, of an organisation, with a role.
//! How a caller proved it (a token, a key) is the server's business; rules see only this.

use crate::{Actor, Owner, Role, error::DomainError};

/// Who the caller is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A signed-in user, by id.
    User(String),
    /// A machine, by API key id.
    ApiKey(String),
}

/// The authenticated caller: subject, organisation and role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user or key.
    pub subject: Subject,
    /// The organisation it belongs to.
    pub org_id: String,
    /// What it may do.
    pub role: Role,
}

impl Caller {
    /// The audit log's name for the caller.
    pub fn actor(&self) -> Actor {
        match &self.subject {
            Subject::User(id) => Actor::user(id),
            Subject::ApiKey(id) => Actor::api_key(id),
        }
    }

    /// Whether the caller is a platform administrator.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Only platform administrators.
    pub fn require_admin(&self) -> Result<(), DomainError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(DomainError::Forbidden("requires the admin role"))
        }
    }

    /// Admins and certifiers: anyone else is refused before a request's body is looked at.
    pub fn require_certifying_role(&self) -> Result<(), DomainError> {
        if self.is_admin() || self.role == Role::Certifier {
            Ok(())
        } else {
            Err(DomainError::Forbidden(
                "requires the admin or certifier role",
            ))
        }
    }

    /// Administrators, or members of `org_id`.
    pub fn require_member_of(&self, org_id: &str) -> Result<(), DomainError> {
        if self.is_admin() || self.org_id == org_id {
            Ok(())
        } else {
            Err(DomainError::Forbidden("not a member of this organisation"))
        }
    }

    /// Whose keys, products and links the caller may write: admins anyone's, exporters their
    /// organisation's; forbidden for other roles.
    pub fn owner(&self) -> Result<Owner<'_>, DomainError> {
        match self.role {
            Role::Admin => Ok(Owner::Any),
            Role::Exporter => Ok(Owner::Org(&self.org_id)),
            _ => Err(DomainError::Forbidden("requires the exporter role")),
        }
    }

    /// Who may read serial states in bulk (a status pack with serials): admins, inspectors, and
    /// an exporter for its own organisation's products only.
    pub fn require_serials_of(&self, org_id: Option<&str>) -> Result<(), DomainError> {
        match self.role {
            Role::Admin | Role::Inspector => Ok(()),
            Role::Exporter if org_id == Some(self.org_id.as_str()) => Ok(()),
            Role::Exporter => Err(DomainError::Forbidden(
                "serials only for the exporter's own organisation: set org to it",
            )),
            Role::Certifier => Err(DomainError::Forbidden(
                "serials require the admin or inspector role, or an exporter's own org",
            )),
        }
    }

    /// Only people, not API keys.
    pub fn require_user(&self) -> Result<&str, DomainError> {
        match &self.subject {
            Subject::User(id) => Ok(id),
            Subject::ApiKey(_) => Err(DomainError::Forbidden("not available to API keys")),
        }
    }
}
