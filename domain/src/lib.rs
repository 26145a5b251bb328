//! gs1-dpp platform rules: validated inputs, who may do what, and the operations that write them,
//! each with its audit entry in the same transaction. No HTTP here: errors are [`DomainError`],
//! the caller is a plain [`Caller`]; the server maps both.

pub mod alerts;
pub mod api_key;
pub mod api_keys;
pub mod caller;
pub mod custody;
pub mod discovery;
pub mod dte;
pub mod error;
pub mod inspections;
pub mod journeys;
pub mod keys;
pub mod labels;
pub mod links;
pub mod lots;
pub mod named_queries;
pub mod orgs;
pub mod pagination;
pub mod passports;
pub mod password;
pub mod prefixes;
pub mod product_fields;
pub mod product_import;
pub mod products;
pub mod secret;
pub mod serials;
pub mod signing;
pub mod subscriptions;
pub mod traceability;
pub mod types;
pub mod users;
// certificates
pub mod accreditation;
pub mod accreditations;
pub mod certificate_view;
pub mod certificates;

pub use caller::{Caller, Subject};
pub use error::{DomainError, FieldError, InvalidValue};
pub use types::{Country, Email, OrgKind, OrgName, Password, Role};

/// Who performs a write, as recorded in the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// A signed-in user.
    pub fn user(id: &str) -> Self {
        Self(format!("user:{id}"))
    }
    /// A machine using an API key.
    pub fn api_key(id: &str) -> Self {
        Self(format!("api_key:{id}"))
    }
    /// The operator at the command line.
    pub fn cli() -> Self {
        Self("cli".to_owned())
    }
    /// The recorded form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whose keys, products and links a caller may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner<'a> {
    /// Any organisation's (platform admins).
    Any,
    /// Only this organisation's (its exporters).
    Org(&'a str),
}

impl Owner<'_> {
    /// Forbidden unless the caller may write what belongs to `org_id`.
    pub fn check(self, org_id: &str) -> Result<(), DomainError> {
        match self {
            Owner::Org(own) if own != org_id => {
                Err(DomainError::Forbidden("it belongs to another organisation"))
            }
            _ => Ok(()),
        }
    }
}

/// Appends the audit entry for a write of `state`; call inside the write's transaction.
pub fn record<T: serde::Serialize>(
    conn: &mut db::DbConn,
    actor: &Actor,
    org_id: Option<&str>,
    action: &str,
    entity: (&str, &str),
    state: &T,
) -> diesel::QueryResult<db::models::AuditEntry> {
    db::audit::append(conn, draft(actor, org_id, action, entity, state))
}

/// The audit entry [`record`] would append, for a bulk append with `db::audit::append_all`.
pub fn draft<'a, T: serde::Serialize>(
    actor: &'a Actor,
    org_id: Option<&'a str>,
    action: &'a str,
    entity: (&'a str, &'a str),
    state: &T,
) -> db::audit::Draft<'a> {
    db::audit::Draft {
        actor: actor.as_str(),
        org_id,
        action,
        entity_type: entity.0,
        entity_id: entity.1,
        state_digest: db::audit::state_digest(state),
    }
}
