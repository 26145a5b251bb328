//! What a client sends: a new link or a change, checked field by field.

use super::*;

/// Longest title.
pub(super) const TITLE_MAX: usize = 200;

/// Longest context.
pub(super) const CONTEXT_MAX: usize = 100;

/// Body of `POST /products/{gtin}/links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// GS1 Web Vocabulary link type (`gs1:pip`, a full URI or the bare term).
    pub link_type: String,
    /// Target, http(s).
    pub href: String,
    /// Title.
    pub title: String,
    /// BCP 47 language tag.
    #[serde(default)]
    pub lang: Option<String>,
    /// Media type.
    #[serde(default)]
    pub media_type: Option<String>,
    /// Resolver context.
    #[serde(default)]
    pub context: Option<String>,
    /// Make it the default link.
    #[serde(default)]
    pub default: bool,
    /// Only for this lot.
    #[serde(default)]
    pub lot: Option<String>,
    /// Only for this serial.
    #[serde(default)]
    pub serial: Option<String>,
}

pub(super) fn context(s: &str) -> Result<String, InvalidValue> {
    text(s, CONTEXT_MAX, false)
}

impl TryFrom<CreateBody> for NewLink {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let link_type = f.check("link_type", LinkType::parse(b.link_type.trim()));
        let href = f.check("href", HttpUrl::parse(&b.href));
        let title = f.check("title", text(&b.title, TITLE_MAX, false));
        let lang = b.lang.and_then(|l| f.check("lang", LangTag::parse(&l)));
        let media_type = b
            .media_type
            .and_then(|m| f.check("media_type", MediaType::parse(&m)));
        let context = b.context.and_then(|c| f.check("context", context(&c)));
        let lot = b.lot.and_then(|l| f.check("lot", l.parse::<Lot>()));
        let serial = b
            .serial
            .and_then(|s| f.check("serial", s.parse::<Serial>()));
        f.finish()?;
        let (Some(link_type), Some(href), Some(title)) = (link_type, href, title) else {
            return Err(ApiError::field("body", "invalid"));
        };
        Ok(NewLink {
            link_type,
            href,
            title,
            lang,
            media_type,
            context,
            is_default: b.default,
            lot,
            serial,
        })
    }
}

/// Query of `GET /products/{gtin}/links`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Only links of this lot (empty: only links for every lot).
    pub lot: Option<String>,
    /// Only links of this serial (empty: only links for every serial).
    pub serial: Option<String>,
}

/// Body of `PATCH /links/{id}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Link type.
    #[serde(default)]
    pub link_type: Option<String>,
    /// Target.
    #[serde(default)]
    pub href: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Language, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub lang: Option<Option<String>>,
    /// Media type, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub media_type: Option<Option<String>>,
    /// Context, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub context: Option<Option<String>>,
    /// Make it the default, or not.
    #[serde(default)]
    pub default: Option<bool>,
}

impl TryFrom<PatchBody> for LinkPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let patch = LinkPatch {
            link_type: b
                .link_type
                .and_then(|t| f.check("link_type", LinkType::parse(t.trim()))),
            href: b.href.and_then(|h| f.check("href", HttpUrl::parse(&h))),
            title: b
                .title
                .and_then(|t| f.check("title", text(&t, TITLE_MAX, false))),
            lang: f.nullable("lang", b.lang, LangTag::parse),
            media_type: f.nullable("media_type", b.media_type, MediaType::parse),
            context: f.nullable("context", b.context, context),
            is_default: b.default,
        };
        f.finish()?;
        Ok(patch)
    }
}
