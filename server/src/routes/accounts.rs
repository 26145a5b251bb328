//! Accounts: sign-in, organisations, users, API keys and the audit log.

use actix_web::http::Method;

use super::Registrar;
use crate::api::{api_keys, audit, auth, orgs, users};

/// Sign-in, organisations, their users and API keys, the audit log.
pub(super) fn routes(r: &mut Registrar) {
    r.add(Method::POST, "/api/v1/auth/login", auth::login);
    r.add(Method::GET, "/api/v1/me", auth::me);
    r.add(Method::POST, "/api/v1/me/password", auth::change_password);

    r.add(Method::POST, "/api/v1/orgs", orgs::create);
    r.add(Method::GET, "/api/v1/orgs", orgs::list);
    r.add(Method::GET, "/api/v1/orgs/{id}", orgs::get);
    r.add(Method::PATCH, "/api/v1/orgs/{id}", orgs::update);

    r.add(Method::POST, "/api/v1/orgs/{id}/users", users::create);
    r.add(Method::GET, "/api/v1/orgs/{id}/users", users::list);
    r.add(Method::GET, "/api/v1/users/{id}", users::get);
    r.add(Method::PATCH, "/api/v1/users/{id}", users::update);

    r.add(Method::POST, "/api/v1/orgs/{id}/api-keys", api_keys::create);
    r.add(Method::GET, "/api/v1/orgs/{id}/api-keys", api_keys::list);
    r.add(Method::DELETE, "/api/v1/api-keys/{id}", api_keys::revoke);

    r.add(Method::GET, "/api/v1/audit", audit::list);
}
