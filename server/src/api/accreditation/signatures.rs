//! An accreditation body's ILAC/IAF signatory status: record, list, change (certifiers of the body, or admins).

use super::*;

/// Body of `POST /accreditation-bodies/{id}/signatures`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureBody {
    /// Arrangement.
    pub arrangement: String,
    /// Scope.
    pub scope: String,
    /// Status.
    pub status: String,
    /// First day.
    pub valid_from: String,
    /// Last day.
    #[serde(default)]
    pub valid_until: Option<String>,
}

impl TryFrom<SignatureBody> for NewSignature {
    type Error = ApiError;
    fn try_from(b: SignatureBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let arrangement = f.check("arrangement", b.arrangement.parse());
        let scope = f.check("scope", b.scope.parse());
        let status = f.check("status", b.status.parse());
        let valid_from = f.check("valid_from", parse_date(&b.valid_from));
        let valid_until = b
            .valid_until
            .map(|u| f.check("valid_until", parse_date(&u)));
        f.finish()?;
        match (arrangement, scope, status, valid_from) {
            (Some(arrangement), Some(scope), Some(status), Some(valid_from)) => Ok(Self {
                arrangement,
                scope,
                status,
                valid_from,
                valid_until: valid_until.flatten(),
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// `POST /api/v1/accreditation-bodies/{id}/signatures` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create_signature(
    state: web::Data<AppState>,
    who: Authenticated,
    org: web::Path<String>,
    body: crate::api::Json<SignatureBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let new = NewSignature::try_from(body.into_inner())?;
    let org = org.into_inner();
    let row = state
        .apply(move |conn| accreditations::create_signature(conn, &who.actor(), &org, new))
        .await?;
    // Signatory and accreditation status feed every certificate verdict.
    state.cache.bump_all();
    Ok(created(
        &format!("/api/v1/signatures/{}", row.id),
        &SignatureOut::from(row),
    ))
}

/// `GET /api/v1/accreditation-bodies/{id}/signatures` (public).
#[tracing::instrument(skip(state))]
pub async fn list_signatures(
    state: web::Data<AppState>,
    org: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let org = org.into_inner();
    let rows = state
        .run(move |conn| {
            db::orgs::get(conn, &org)?;
            Ok(db::certificates::list_signatures(conn, &org, &page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |r: &SignatureRow| r.id.clone(),
        SignatureOut::from,
    )))
}

/// Body of `PATCH /signatures/{id}`; `valid_until: null` makes it open-ended.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignaturePatchBody {
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// First day.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last day, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub valid_until: Option<Option<String>>,
}

/// `PATCH /api/v1/signatures/{id}` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn update_signature(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<SignaturePatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let patch = SignaturePatch {
        status: b.status.and_then(|s| f.check("status", s.parse())),
        valid_from: b
            .valid_from
            .and_then(|d| f.check("valid_from", parse_date(&d))),
        valid_until: match b.valid_until {
            None => None,
            Some(None) => Some(None),
            Some(Some(d)) => f.check("valid_until", parse_date(&d)).map(Some),
        },
    };
    f.finish()?;
    let id = id.into_inner();
    let row = state
        .apply(move |conn| accreditations::update_signature(conn, &who.actor(), &id, patch))
        .await?;
    state.cache.bump_all();
    Ok(HttpResponse::Ok().json(SignatureOut::from(row)))
}
