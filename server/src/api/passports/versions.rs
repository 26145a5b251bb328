//! Signed versions (public, immutable), their JWS and the key set that verifies them.

use super::*;

/// Published versions never change: caches may keep them for a day without asking.
pub(super) const IMMUTABLE: &str = "public, max-age=86400, immutable";

/// `GET .../passport/versions`: published versions, oldest first (public).
#[tracing::instrument(skip(state))]
pub async fn versions(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = path.key()?;
    let page = q.into_inner().parse()?;
    let after = match &page.after {
        Some(a) => Some(
            a.parse::<i64>()
                .map_err(|_| ApiError::field("cursor", "not a cursor returned by this list"))?,
        ),
        None => None,
    };
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            let p = passports::public_passport(conn, &key)?;
            Ok(db::passports::versions(conn, &p.id, after, limit)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |v: &PassportVersion| v.version.to_string(),
        VersionSummary::from,
    )))
}

pub(super) async fn load_version(
    state: &AppState,
    path: &PassportPath,
) -> Result<PassportVersion, ApiError> {
    let key = path.key()?;
    let n = path.version()?;
    state
        .run(move |conn| {
            let p = passports::public_passport(conn, &key)?;
            Ok(db::passports::version(conn, &p.id, n)?)
        })
        .await
}

/// `GET .../passport/versions/{n}` (public).
#[tracing::instrument(skip(state, req))]
pub async fn version(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let v = load_version(&state, &path).await?;
    let mut res = with_etag(&req, &VersionOut::from(v))?;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(IMMUTABLE),
    );
    Ok(res)
}

/// `GET .../passport/versions/{n}/jws`: the compact JWS as `application/jose` (public).
#[tracing::instrument(skip(state))]
pub async fn version_jws(
    state: web::Data<AppState>,
    path: web::Path<PassportPath>,
) -> Result<HttpResponse, ApiError> {
    let v = load_version(&state, &path).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/jose")
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .body(v.jws))
}

/// `GET /.well-known/jwks.json` (public).
#[tracing::instrument(skip(state))]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let current = signing::public_jwk(&state.keys.signing_key.expose().verifying_key());
    let rows = state
        .run(|conn| Ok(db::passports::signing_keys(conn)?))
        .await?;
    let mut keys: Vec<PublicJwk> = rows
        .iter()
        .filter_map(|r| serde_json::from_str(&r.public_jwk).ok())
        .collect();
    if !keys.iter().any(|k| k.kid == current.kid) {
        keys.push(current);
    }
    Ok(HttpResponse::Ok()
        .content_type("application/jwk-set+json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(Jwks { keys }))
}
