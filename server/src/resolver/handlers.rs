//! The resolver's HTTP answers: redirects, linksets, 300s, the consumer page, the lookup JSON
//! and the resolver description.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        StatusCode,
        header::{self, HeaderValue},
    },
    web,
};
use gs1::link_type::LinkType;
use serde::Deserialize;
use serde_json::json;

use std::sync::Arc;

use super::{
    item::{self, VERIFY_QUERY},
    links::{Choice, Link, Resolution},
    lookup::{Lookup, lookup as judge},
    page,
    request::{self, ResolverRequest, Wanted, is_coarse_place},
};
use crate::{cache::Entry, error::ApiError, state::AppState};
use db::{self, resolution::Detail};

/// Where the linkset's JSON-LD context lives (GS1-Conformant Resolver 1.2.0 artefact).
pub const LINKSET_CONTEXT: &str = "https://ref.gs1.org/standards/resolver/linkset-context";
/// Public answers may be cached a minute by browsers and CDNs.
static CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, max-age=60");
/// The longest code `lookup` reads (the syntax engine's own limit).
pub(super) const CODE_MAX: usize = 8191;

/// What the client wants back, from its `Accept` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rep {
    Html,
    Linkset,
    Json,
    Any,
}

fn header(req: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn representation(req: &HttpRequest) -> Rep {
    for m in super::links::weighted(header(req, header::ACCEPT)) {
        let m = m
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match m.as_str() {
            "text/html" | "application/xhtml+xml" => return Rep::Html,
            "application/linkset+json" => return Rep::Linkset,
            "application/json" | "application/ld+json" => return Rep::Json,
            _ => {}
        }
    }
    Rep::Any
}

/// `GET`/`HEAD /01/{gtin}[/22/..][/10/..][/21/..]`, `/00/{sscc}`, `/414/{gln}[/254/..]`.
pub async fn resolve(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &req, false).await
}

/// `GET`/`HEAD /{compressed}`: a compressed GS1 Digital Link answers like its uncompressed URI.
pub async fn resolve_compressed(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &req, true).await
}

/// `OPTIONS` on every public resolver path: what it allows (the CORS headers every answer
/// carries come from `middleware::observe`).
pub async fn options() -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((header::ALLOW, "GET, HEAD, OPTIONS"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"))
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "Accept, Accept-Language, If-None-Match, Content-Type",
        ))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"))
        .finish()
}

async fn answer(
    state: &AppState,
    req: &HttpRequest,
    compressed: bool,
) -> Result<HttpResponse, ApiError> {
    // The hot path: a path without a serial is answered from the cache by its raw shape, its
    // scope read off the path without parsing it; the full parse runs only on a miss.
    if !compressed && let Some(scope) = request::fast_scope(req.path()) {
        let entry = state
            .cache
            .get_or_load(&scope, &variant(req), || async {
                let r = parse(req, false)?;
                into_entry(build(state, req, &r, representation(req)).await?)
            })
            .await?;
        return Ok(serve(req, &entry));
    }
    let r = parse(req, compressed)?;
    let rep = representation(req);
    // A page or lookup naming a serial is a scan to log and judge afresh (its scan pattern
    // changes with every scan); everything else is cached per request shape.
    let judges_serial = r.item.qualifier("21").is_some()
        && match r.wanted {
            Wanted::Type(t) => t == LinkType::VERIFICATION_SERVICE,
            Wanted::Linkset => rep == Rep::Html,
            Wanted::Default => false,
        };
    let entry = if judges_serial {
        Arc::new(into_entry(build(state, req, &r, rep).await?)?)
    } else {
        state
            .cache
            .get_or_load(&r.item.key, &variant(req), || async {
                into_entry(build(state, req, &r, rep).await?)
            })
            .await?
    };
    Ok(serve(req, &entry))
}

/// A request's cache variant: path, query, and the headers the answer varies on.
///
/// Without a query the answer is the default link or the linkset, neither of which depends on
/// the language, so `Accept-Language` is left out: every phone scanning a pack shares one entry,
/// whatever its languages. With a query (a link type, `lang=`) the language may choose.
fn variant(req: &HttpRequest) -> [&str; 7] {
    let query = req.uri().query().unwrap_or("");
    let languages = match query {
        "" => "",
        _ => header(req, header::ACCEPT_LANGUAGE).unwrap_or(""),
    };
    [
        req.path(),
        "?",
        query,
        "|",
        header(req, header::ACCEPT).unwrap_or(""),
        "|",
        languages,
    ]
}

fn parse(req: &HttpRequest, compressed: bool) -> Result<ResolverRequest, ApiError> {
    request::parse(
        req.uri().path(),
        req.uri().query(),
        compressed,
        header(req, header::ACCEPT),
        header(req, header::ACCEPT_LANGUAGE),
    )
}

/// The answer to a parsed request, before caching.
async fn build(
    state: &AppState,
    req: &HttpRequest,
    r: &ResolverRequest,
    rep: Rep,
) -> Result<HttpResponse, ApiError> {
    let base = state.public_base_url.clone();
    let item = r.item.clone();
    // Only a linkset shows the item's description; a default redirect, or our page, which
    // needs only to know the item exists, reads no more than the default link needs.
    let detail = match (r.wanted, rep) {
        (Wanted::Linkset, Rep::Html) => Detail::Default,
        (Wanted::Linkset, _) | (Wanted::Default, Rep::Linkset | Rep::Json) => Detail::Described,
        (Wanted::Default, _) => Detail::Default,
        (Wanted::Type(t), _) if t == LinkType::VERIFICATION_SERVICE => Detail::Default,
        (Wanted::Type(_), _) => Detail::Links,
    };
    let resolution = state
        .read(move |conn| item::resolution(conn, &item, &base, detail))
        .await?
        .ok_or_else(|| {
            ApiError::NotFoundDetail(format!(
                "{} is a valid GS1 key but nothing is registered under it here",
                r.item.path(0)
            ))
        })?;
    let same_as = r.compressed.then(|| {
        format!(
            "<{}{}>; rel=\"owl:sameAs\"",
            state.public_base_url,
            r.item.path(r.item.qualifiers.len())
        )
    });
    let mut res = match r.wanted {
        Wanted::Type(t) if t == LinkType::VERIFICATION_SERVICE => {
            verification(state, req, r, rep).await?
        }
        Wanted::Type(t) => match resolution.choose(t, &r.prefs) {
            Choice::One(l) => redirect(&resolution, l, r, &state.public_base_url),
            Choice::Many(ls) => multiple(&resolution, &ls),
            Choice::None => {
                return Err(ApiError::NotFoundDetail(format!(
                    "{} has no {} link",
                    r.item.path(r.item.qualifiers.len()),
                    t.as_str()
                )));
            }
        },
        Wanted::Linkset if rep == Rep::Html => verification(state, req, r, rep).await?,
        Wanted::Linkset => linkset(&resolution, rep)?,
        Wanted::Default if matches!(rep, Rep::Linkset | Rep::Json) => linkset(&resolution, rep)?,
        Wanted::Default => redirect(
            &resolution,
            resolution.default_link(),
            r,
            &state.public_base_url,
        ),
    };
    let h = res.headers_mut();
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language"),
    );
    if let Some(v) = same_as.and_then(|s| {
        let linkset = h
            .get(header::LINK)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        HeaderValue::from_str(&match linkset {
            Some(l) => format!("{l}, {s}"),
            None => s,
        })
        .ok()
    }) {
        h.insert(header::LINK, v);
    }
    Ok(res)
}

/// A built answer as a cache entry (its body read whole).
fn into_entry(res: HttpResponse) -> Result<Entry, ApiError> {
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let body = actix_web::body::MessageBody::try_into_bytes(res.into_body()).map_err(|_| {
        ApiError::internal(std::io::Error::other(
            "a streamed body in a resolver answer",
        ))
    })?;
    Ok(Entry::from_parts(status, headers, body))
}

/// Answers from an entry: its status, headers and body, or 304 when `If-None-Match` has its
/// ETag (200s only).
fn serve(req: &HttpRequest, e: &Entry) -> HttpResponse {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // Only a 200 has an ETag (`Entry`), so only a 200 becomes a 304.
    let fresh = e
        .etag
        .as_deref()
        .is_some_and(|etag| crate::api::if_none_match(req, etag));
    // Straight into the header map: the builder's checks would only repeat the entry's.
    let mut res = if fresh {
        HttpResponse::new(StatusCode::NOT_MODIFIED)
    } else {
        HttpResponse::with_body(status, e.body.clone()).map_into_boxed_body()
    };
    let h = res.headers_mut();
    for (k, v) in &e.headers {
        h.append(k.clone(), v.clone());
    }
    if let Some(Ok(etag)) = e.etag.as_deref().map(HeaderValue::from_str) {
        h.insert(header::ETAG, etag);
    }
    res
}

/// The `Link` header naming the linkset of the request's own level.
fn linkset_link(resolution: &Resolution) -> String {
    let anchor = resolution.levels.first().map_or("", |l| l.anchor.as_str());
    [
        "<",
        anchor,
        "?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"",
    ]
    .concat()
}

/// 307 to `link`, with the request's query string: unchanged for another site, without
/// `linkType` for our own URIs (which would otherwise ask again for what they redirect to).
fn redirect(resolution: &Resolution, link: &Link, r: &ResolverRequest, base: &str) -> HttpResponse {
    let ours = link.href.starts_with(base);
    let query = r.query.as_deref().map(|q| {
        if ours {
            q.split('&')
                .filter(|p| !p.starts_with("linkType="))
                .collect::<Vec<_>>()
                .join("&")
        } else {
            q.to_owned()
        }
    });
    let location = match query.filter(|q| !q.is_empty()) {
        Some(q) if link.href.contains('?') => format!("{}&{q}", link.href),
        Some(q) => format!("{}?{q}", link.href),
        None => link.href.clone(),
    };
    HttpResponse::TemporaryRedirect()
        .insert_header((header::LOCATION, location))
        .insert_header((header::LINK, linkset_link(resolution)))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL.clone()))
        .finish()
}

/// 300 Multiple Choices: the tied links as a linkset, for the client to choose.
fn multiple(resolution: &Resolution, tied: &[&Link]) -> HttpResponse {
    let anchor = resolution.levels.first().map_or("", |l| l.anchor.as_str());
    HttpResponse::build(StatusCode::MULTIPLE_CHOICES)
        .content_type("application/linkset+json")
        .insert_header((header::LINK, linkset_link(resolution)))
        .json(super::links::linkset_of(anchor, tied))
}

/// 200 with the linkset (`application/linkset+json`, or `application/json` when asked so).
fn linkset(resolution: &Resolution, rep: Rep) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(&resolution.linkset()).map_err(ApiError::internal)?;
    let ct = if rep == Rep::Json {
        "application/json"
    } else {
        "application/linkset+json"
    };
    let mut res = ok(ct, body);
    res.headers_mut().insert(
        header::LINK,
        HeaderValue::from_str(&format!(
            "<{LINKSET_CONTEXT}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\", {}",
            linkset_link(resolution)
        ))
        .map_err(ApiError::internal)?,
    );
    Ok(res)
}

/// 200 with public caching (the ETag is the entry's, added when served).
fn ok(content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL.clone()))
        .content_type(content_type)
        .body(body)
}

/// 200 (or 304) with a strong ETag over the body, for answers built outside the cache.
fn cached_ok(req: &HttpRequest, content_type: &str, body: Vec<u8>) -> HttpResponse {
    match into_entry(ok(content_type, body)) {
        Ok(e) => serve(req, &e),
        Err(e) => actix_web::ResponseError::error_response(&e),
    }
}

/// Our verification service: the consumer page for browsers, the lookup JSON for programs.
async fn verification(
    state: &AppState,
    req: &HttpRequest,
    r: &ResolverRequest,
    rep: Rep,
) -> Result<HttpResponse, ApiError> {
    let code = r.item.element_string();
    let found = judged(state, code, r.place.clone()).await?;
    if matches!(rep, Rep::Json | Rep::Linkset) {
        let body = serde_json::to_vec(&found).map_err(ApiError::internal)?;
        return Ok(ok("application/json", body));
    }
    let lang = page::negotiate(r.lang.as_deref(), header(req, header::ACCEPT_LANGUAGE));
    let html = page::html(&found, lang);
    Ok(ok("text/html; charset=utf-8", html.into_bytes()))
}

/// Judges `code` now and logs the scan when it names a serial.
pub(super) async fn judged(
    state: &AppState,
    code: String,
    place: Option<String>,
) -> Result<Lookup, ApiError> {
    let base = state.public_base_url.clone();
    let at = place.clone();
    let found = state
        .run(move |conn| judge(conn, &code, db::now(), &base, at.as_deref()))
        .await?;
    if let Some(ids) = &found.identifiers
        && let Some(serial) = &ids.serial
        && ids.key_ai == "01"
    {
        state
            .scans
            .record(&ids.key, serial, place.as_deref().unwrap_or(""));
    }
    Ok(found)
}

/// Query of `GET /api/v1/lookup`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupQuery {
    /// Anything scanned or typed: element string, Digital Link URI, bare GTIN or SSCC,
    /// scanner output with a symbology identifier.
    pub code: Option<String>,
    /// A coarse place for the scan log, e.g. `VN-HN`.
    pub place: Option<String>,
}

/// `GET /api/v1/lookup?code=...`: the identifiers, the registry's facts and one verdict.
pub async fn lookup(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<LookupQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let code = match q.code {
        None => return Err(ApiError::field("query.code", "required: the code to check")),
        Some(c) if c.trim().is_empty() => {
            return Err(ApiError::field("query.code", "must not be blank"));
        }
        Some(c) if c.len() > CODE_MAX => {
            return Err(ApiError::field(
                "query.code",
                format!("longer than {CODE_MAX} bytes"),
            ));
        }
        Some(c) => c,
    };
    if let Some(p) = q.place.as_deref().filter(|p| !is_coarse_place(p)) {
        return Err(ApiError::field(
            "query.place",
            format!("{p:?} is not an ISO 3166 country or subdivision code such as VN or VN-HN"),
        ));
    }
    // The cache scope is the code's key; a code naming a serial is a scan, judged afresh.
    let today = db::now().date();
    let scope = gs1::scan::identify(&code, super::lookup::gs1_date(today))
        .ok()
        .filter(|ids| ids.serial.is_none())
        .map(|ids| ids.primary.value().to_owned());
    let place = q.place;
    let load = || async {
        let found = judged(&state, code.clone(), place.clone()).await?;
        let body = serde_json::to_vec(&found).map_err(ApiError::internal)?;
        let mut res = ok("application/json", body);
        // A verdict is about now: let shared caches keep it only briefly.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=10"),
        );
        into_entry(res)
    };
    let entry = match &scope {
        Some(scope) => {
            state
                .cache
                .get_or_load(scope, &["lookup|", &code], load)
                .await?
        }
        None => Arc::new(load().await?),
    };
    Ok(serve(&req, &entry))
}

/// `GET /.well-known/gs1resolver`: the resolver description (GS1-Conformant Resolver 1.2.0).
pub async fn description(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let body = json!({
        "name": "gs1-dpp national product resolver (Vietnam)",
        "resolverRoot": state.public_base_url,
        "supportedPrimaryKeys": ["01", "00", "414"],
        "supportedLinkType": [
            {"namespace": "https://gs1.org/voc/", "prefix": "gs1:"},
            {"namespace": "https://ref.gs1.org/voc/", "prefix": "gs1:"}
        ],
        "linkTypeDefaultCanBeLinkset": true,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "supportedContextValuesEnumerated": [],
        "contact": {
            "name": "gs1-dpp operations",
            "url": format!("{}/openapi.yaml", state.public_base_url)
        },
        "termsOfUse": format!("{}/openapi.yaml", state.public_base_url),
        "supportsCompressedURIs": true,
        "verificationService": format!("{}/api/v1/lookup", state.public_base_url),
        "vocabulary": LinkType::all().map(|t| t.as_str()).collect::<Vec<_>>(),
        "verifyQuery": VERIFY_QUERY,
    });
    match serde_json::to_vec(&body) {
        Ok(b) => cached_ok(&req, "application/json", b),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}
