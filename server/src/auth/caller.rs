//! The authenticated caller, extracted from `Authorization: Bearer` (JWT or API key) or `X-Api-Key`.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use domain::{Caller, Subject, api_key};

use crate::{auth::jwt, error::ApiError, state::AppState};

/// The authenticated caller of a route, as an extractor: a request without valid credentials
/// is refused with 401 before the handler runs. Handlers pass it on as a `&Caller`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated(pub Caller);

impl std::ops::Deref for Authenticated {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

/// Once a key was used this recently, its `last_used_at` is not rewritten on every request.
const TOUCH_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

enum Credential {
    Token(String),
    Key(String),
}

fn credential(req: &HttpRequest) -> Result<Credential, ApiError> {
    if let Some(v) = req.headers().get("x-api-key") {
        let key = v
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed X-Api-Key header"))?;
        return Ok(Credential::Key(key.trim().to_owned()));
    }
    let Some(v) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized("missing credentials"));
    };
    let v = v
        .to_str()
        .map_err(|_| ApiError::Unauthorized("malformed Authorization header"))?;
    let token = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized(
            "Authorization must be a Bearer token",
        ))?;
    if token.starts_with(api_key::PREFIX) {
        Ok(Credential::Key(token.to_owned()))
    } else {
        Ok(Credential::Token(token.to_owned()))
    }
}

fn authenticate(
    state: &AppState,
    conn: &mut db::DbConn,
    cred: Credential,
) -> Result<Caller, ApiError> {
    match cred {
        Credential::Key(secret) => {
            let key = db::api_keys::find_by_hash(conn, &api_key::hash(&secret))?
                .filter(|k| k.revoked_at.is_none())
                .ok_or(ApiError::Unauthorized("invalid or revoked API key"))?;
            let now = db::now();
            if key.last_used_at.is_none_or(|t| now - t >= TOUCH_INTERVAL) {
                db::api_keys::touch(conn, &key.id, now)?;
            }
            let role = key
                .role
                .parse()
                .map_err(|_| ApiError::Unauthorized("API key has an unknown role"))?;
            Ok(Caller {
                subject: Subject::ApiKey(key.id),
                org_id: key.org_id,
                role,
            })
        }
        Credential::Token(token) => {
            let claims = jwt::verify(state.keys.jwt_secret.expose(), &token)
                .ok_or(ApiError::Unauthorized("invalid or expired token"))?;
            // Role and organisation come from the database so changes apply at once.
            let user = match db::users::get(conn, &claims.sub) {
                Err(diesel::result::Error::NotFound) => {
                    return Err(ApiError::Unauthorized("unknown user"));
                }
                other => other?,
            };
            if user.disabled {
                return Err(ApiError::Unauthorized("user is disabled"));
            }
            let role = user
                .role
                .parse()
                .map_err(|_| ApiError::Unauthorized("user has an unknown role"))?;
            Ok(Caller {
                subject: Subject::User(user.id),
                org_id: user.org_id,
                role,
            })
        }
    }
}

/// A caller of a public route: `None` without credentials. Credentials that are present must
/// be valid (401 otherwise), so a client learns its key was revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer(pub Option<Caller>);

impl Viewer {
    /// Whether the caller is signed in.
    pub fn is_authenticated(&self) -> bool {
        self.0.is_some()
    }
}

impl FromRequest for Viewer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let has_credentials = req.headers().contains_key("x-api-key")
            || req.headers().contains_key(header::AUTHORIZATION);
        if !has_credentials {
            return Box::pin(std::future::ready(Ok(Self(None))));
        }
        let caller = Authenticated::from_request(req, payload);
        Box::pin(async move { caller.await.map(|c| Self(Some(c.0))) })
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cred = credential(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let cred = cred?;
            let state =
                state.ok_or_else(|| ApiError::Unavailable("application state missing".into()))?;
            let st = state.clone();
            state
                .run(move |conn| authenticate(&st, conn, cred))
                .await
                .map(Self)
        })
    }
}
