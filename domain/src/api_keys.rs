//! API keys: issuing (the secret is returned once) and revoking, both audited.

use super::{Actor, Role, record};
use crate::{api_key, caller::Caller, error::DomainError, secret::Secret};
use db::{self, DbConn, models::ApiKey};

/// Issues a key for `org_id` acting with `role`; returns the row and the secret.
#[tracing::instrument(skip(conn, name))]
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    org_id: &str,
    name: &str,
    role: Role,
) -> Result<(ApiKey, Secret<String>), DomainError> {
    let generated = api_key::generate().map_err(DomainError::internal)?;
    let key = ApiKey {
        id: db::new_id(),
        org_id: org_id.to_owned(),
        name: name.to_owned(),
        prefix: generated.display_prefix,
        secret_hash: generated.hash,
        role: role.as_str().to_owned(),
        created_by: actor.as_str().to_owned(),
        created_at: db::now(),
        last_used_at: None,
        revoked_at: None,
    };
    let key = db::write_transaction(conn, |conn| {
        db::orgs::get(conn, org_id)?;
        db::api_keys::insert(conn, &key)?;
        record(
            conn,
            actor,
            Some(org_id),
            "api_key.create",
            ("api_key", &key.id),
            &key,
        )?;
        Ok::<_, DomainError>(key)
    })?;
    Ok((key, generated.secret))
}

/// Revokes a key the caller may manage (an admin, or a member of the key's organisation).
#[tracing::instrument(skip(conn))]
pub fn revoke(conn: &mut DbConn, who: &Caller, id: &str) -> Result<ApiKey, DomainError> {
    let actor = who.actor();
    db::write_transaction(conn, |conn| {
        let mut key = db::api_keys::get(conn, id)?;
        who.require_member_of(&key.org_id)?;
        if key.revoked_at.is_none() {
            let now = db::now();
            db::api_keys::revoke(conn, id, now)?;
            key.revoked_at = Some(now);
            record(
                conn,
                &actor,
                Some(&key.org_id),
                "api_key.revoke",
                ("api_key", &key.id),
                &key,
            )?;
        }
        Ok(key)
    })
}
