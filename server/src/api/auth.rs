//! `POST /auth/login`, `GET /me` and `POST /me/password`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{Fields, orgs::OrgOut, users::UserOut, with_etag};
use crate::{
    auth::{Authenticated, jwt, throttle::Admission},
    config::Secret,
    error::ApiError,
    state::AppState,
};
use domain::{Password, users};

/// Login body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: Secret<String>,
}

/// A granted access token.
#[derive(Debug, Serialize)]
pub struct TokenOut {
    /// The JWT.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// Who signed in.
    pub user: UserOut,
}

/// `POST /api/v1/auth/login`.
#[tracing::instrument(skip(state, body))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: crate::api::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let LoginBody { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    // Without a peer address (never over TCP) every such caller shares one budget.
    let ip = state
        .limiter
        .client_ip(&req)
        .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
    let throttle_err = |e: crate::redis_kv::RedisError| {
        tracing::error!(error = %crate::error::chain(&e), "login throttle unavailable");
        ApiError::Unavailable("redis unavailable".to_owned())
    };
    let st = state.clone();
    let em = email.clone();
    let admission = move || st.throttle.admit(&em, ip);
    match web::block(admission)
        .await
        .map_err(ApiError::internal)?
        .map_err(throttle_err)?
    {
        Admission::Blocked => return Err(ApiError::TooManyRequests),
        Admission::After(wait) if !wait.is_zero() => actix_web::rt::time::sleep(wait).await,
        Admission::After(_) => {}
    }
    let st = state.clone();
    let user = state
        .run(
            move |conn| match users::check_login(conn, &email, password.expose())? {
                Some(user) => {
                    st.throttle.reset(&email, ip).map_err(throttle_err)?;
                    Ok(user)
                }
                None => {
                    st.throttle
                        .record_failure(&email, ip)
                        .map_err(throttle_err)?;
                    Err(ApiError::Unauthorized("wrong e-mail or password"))
                }
            },
        )
        .await?;
    let now = chrono::Utc::now().timestamp();
    let claims = jwt::Claims {
        sub: user.id.clone(),
        org: user.org_id.clone(),
        role: user.role.clone(),
        iat: now,
        exp: now + state.token_ttl_secs,
    };
    let token = jwt::issue(state.keys.jwt_secret.expose(), &claims).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok().json(TokenOut {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.token_ttl_secs,
        user: user.into(),
    }))
}

/// The caller as `GET /me` shows it.
#[derive(Debug, Serialize)]
pub struct MeOut {
    /// `user` or `api_key`.
    pub kind: &'static str,
    /// The user's or key's id.
    pub id: String,
    /// The role.
    pub role: String,
    /// The user's e-mail (absent for keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The organisation.
    pub org: OrgOut,
}

/// `GET /api/v1/me`.
#[tracing::instrument(skip(state, req))]
pub async fn me(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let out = state
        .run(move |conn| {
            let org = db::orgs::get(conn, &who.org_id)?.into();
            Ok(match who.subject.clone() {
                domain::Subject::User(id) => {
                    let user = db::users::get(conn, &id)?;
                    MeOut {
                        kind: "user",
                        id,
                        role: user.role,
                        email: Some(user.email),
                        org,
                    }
                }
                domain::Subject::ApiKey(id) => MeOut {
                    kind: "api_key",
                    id,
                    role: who.role.to_string(),
                    email: None,
                    org,
                },
            })
        })
        .await?;
    with_etag(&req, &out)
}

/// Password change body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The current password.
    pub current_password: Secret<String>,
    /// The new one (12 to 1024 characters).
    pub new_password: Secret<String>,
}

/// `POST /api/v1/me/password`: a user changes their own password.
#[tracing::instrument(skip(state, body))]
pub async fn change_password(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<PasswordBody>,
) -> Result<HttpResponse, ApiError> {
    let user_id = who.require_user()?.to_owned();
    let body = body.into_inner();
    let mut fields = Fields::default();
    let new = fields.check(
        "new_password",
        Password::parse(body.new_password.expose().clone()),
    );
    fields.finish()?;
    let Some(new) = new else {
        return Err(ApiError::field("new_password", "missing"));
    };
    state
        .apply(move |conn| {
            users::change_password(conn, &user_id, body.current_password.expose(), &new)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
