//! Users: creation, changes, password changes and login checks, writes audited.

use super::{Actor, Email, Password, Role, record};
use crate::{error::DomainError, password};
use db::{self, DbConn, models::User};

/// A validated new user.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The organisation.
    pub org_id: String,
    /// E-mail (the login name).
    pub email: Email,
    /// Initial password.
    pub password: Password,
    /// Role.
    pub role: Role,
}

/// A validated change to a user.
#[derive(Clone, Debug, Default)]
pub struct UserPatch {
    /// New role.
    pub role: Option<Role>,
    /// Disable or re-enable.
    pub disabled: Option<bool>,
}

fn hash(pw: &Password) -> Result<String, DomainError> {
    password::hash(pw.expose()).map_err(DomainError::internal)
}

/// Creates a user in an existing organisation; the password is hashed before the transaction.
#[tracing::instrument(skip(conn, new))]
pub fn create(conn: &mut DbConn, actor: &Actor, new: NewUser) -> Result<User, DomainError> {
    let password_hash = hash(&new.password)?;
    let now = db::now();
    let user = User {
        id: db::new_id(),
        org_id: new.org_id,
        email: new.email.as_str().to_owned(),
        password_hash,
        role: new.role.as_str().to_owned(),
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    db::write_transaction(conn, |conn| {
        db::orgs::get(conn, &user.org_id)?;
        if db::users::find_by_email(conn, &user.email)?.is_some() {
            return Err(DomainError::Conflict(
                "a user with this e-mail exists".to_owned(),
            ));
        }
        db::users::insert(conn, &user)?;
        record(
            conn,
            actor,
            Some(&user.org_id),
            "user.create",
            ("user", &user.id),
            &user,
        )?;
        Ok(user)
    })
}

/// Changes a user's role or disabled flag.
#[tracing::instrument(skip(conn, patch))]
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    patch: UserPatch,
) -> Result<User, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut user = db::users::get(conn, id)?;
        if let Some(role) = patch.role {
            user.role = role.as_str().to_owned();
        }
        if let Some(disabled) = patch.disabled {
            user.disabled = disabled;
        }
        user.updated_at = db::now();
        db::users::update(conn, &user)?;
        record(
            conn,
            actor,
            Some(&user.org_id),
            "user.update",
            ("user", &user.id),
            &user,
        )?;
        Ok(user)
    })
}

/// Replaces a user's password after checking the current one.
#[tracing::instrument(skip(conn, current, new))]
pub fn change_password(
    conn: &mut DbConn,
    user_id: &str,
    current: &str,
    new: &Password,
) -> Result<(), DomainError> {
    let user = db::users::get(conn, user_id)?;
    if !password::verify(&user.password_hash, current) {
        return Err(DomainError::field("current_password", "does not match"));
    }
    let password_hash = hash(new)?;
    let actor = Actor::user(user_id);
    db::write_transaction(conn, |conn| {
        let mut user = db::users::get(conn, user_id)?;
        user.password_hash = password_hash;
        user.updated_at = db::now();
        db::users::update(conn, &user)?;
        record(
            conn,
            &actor,
            Some(&user.org_id),
            "user.password",
            ("user", &user.id),
            &user,
        )?;
        Ok(())
    })
}

/// The enabled user with these credentials; `None` for any mismatch, in the same time.
#[tracing::instrument(skip_all)]
pub fn check_login(
    conn: &mut DbConn,
    email: &str,
    password_given: &str,
) -> Result<Option<User>, DomainError> {
    let email = email.trim().to_lowercase();
    let user = db::users::find_by_email(conn, &email)?;
    let stored: &str = match &user {
        Some(u) => &u.password_hash,
        None => password::dummy_hash(),
    };
    let matches = password::verify(stored, password_given);
    Ok(user.filter(|u| matches && !u.disabled))
}
