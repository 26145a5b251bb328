//! Issuing keys from a prefix: the next or a chosen GTIN, SSCC or GLN (the prefix's exporter, or admins).

use super::*;

/// A description of at most 200 characters, if given.
pub(super) fn description(f: &mut Fields, d: Option<String>) -> Option<String> {
    d.and_then(|d| f.check("description", product_fields::text(&d, 200, false)))
}

/// Runs an issue after checking the caller may issue from the prefix.
pub(super) async fn issue<F>(
    state: web::Data<AppState>,
    who: Authenticated,
    id: String,
    f: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut db::DbConn, &domain::Actor, &str) -> Result<Issued, domain::DomainError>
        + Send
        + 'static,
{
    let issued = state
        .apply(move |conn| {
            let row = db::prefixes::get(conn, &id)?;
            who.owner()?.check(&row.org_id)?;
            f(conn, &who.actor(), &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(IssuedOut::from(issued)))
}

/// Body of `POST /prefixes/{id}/gtins`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GtinBody {
    /// This GTIN (8, 12, 13 or 14 digits) instead of the next free one.
    #[serde(default)]
    pub gtin: Option<String>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/gtins`: the next free GTIN-13, or the one asked for.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_gtin(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: GtinBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    let request = match b.gtin {
        None => Some(GtinRequest::Next),
        Some(g) => f
            .check("gtin", g.trim().parse::<Gtin>())
            .map(GtinRequest::Exactly),
    };
    let description = description(&mut f, b.description);
    f.finish()?;
    let request = request.ok_or_else(|| ApiError::field("gtin", "invalid"))?;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_gtin(conn, actor, id, request, description)
    })
    .await
}

/// Body of `POST /prefixes/{id}/ssccs`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsccBody {
    /// Extension digit 0 to 9; the first band with room if absent.
    #[serde(default)]
    pub extension_digit: Option<u8>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/ssccs`: the next SSCC.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_sscc(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: SsccBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    if b.extension_digit.is_some_and(|e| e > 9) {
        f.push("extension_digit", "must be 0 to 9");
    }
    let description = description(&mut f, b.description);
    f.finish()?;
    let extension = b.extension_digit;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_sscc(conn, actor, id, extension, description)
    })
    .await
}

/// Body of `POST /prefixes/{id}/glns`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlnBody {
    /// The location.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/glns`: the next GLN.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_gln(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: GlnBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    let description = description(&mut f, b.description);
    f.finish()?;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_gln(conn, actor, id, description)
    })
    .await
}
