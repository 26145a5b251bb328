//! A resolver request read into a typed item path, a link type and the client's preferences.

use gs1::{
    digital_link::{DigitalLink, DlOptions, UriPart, escape},
    link_type::LinkType,
};

use super::links::{Preferences, weighted};
use crate::error::ApiError;

/// The stem the request path is parsed under; only the path and query matter.
const PARSE_STEM: &str = "https://resolver.invalid";

/// The primary key and key qualifiers a request names, values decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemPath {
    /// `01`, `00`, `414`, ...
    pub key_ai: String,
    /// The key (a GTIN in its 14-digit form).
    pub key: String,
    /// Qualifiers in path order, e.g. `[("10", "L1"), ("21", "S1")]`.
    pub qualifiers: Vec<(String, String)>,
    /// Data attributes from the query (`17=261231`), kept for the verdict.
    pub attributes: Vec<(String, String)>,
}

impl ItemPath {
    /// The value of qualifier `ai`, if present.
    pub fn qualifier(&self, ai: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(a, _)| a == ai)
            .map(|(_, v)| v.as_str())
    }

    /// The URI path of the key with its first `n` qualifiers, percent-encoded.
    pub fn path(&self, n: usize) -> String {
        self.uri("", n)
    }

    /// `base` followed by [`Self::path`].
    pub fn uri(&self, base: &str, n: usize) -> String {
        let mut out = String::with_capacity(base.len() + 24 + 16 * n);
        for part in [base, "/", &self.key_ai, "/", &self.key] {
            out.push_str(part);
        }
        for (ai, v) in self.qualifiers.iter().take(n) {
            out.push('/');
            out.push_str(ai);
            out.push('/');
            out.push_str(&escape(v, UriPart::Path));
        }
        out
    }

    /// The element string of the key, qualifiers and attributes, for `gs1::scan::identify`.
    pub fn element_string(&self) -> String {
        let mut s = format!("({}){}", self.key_ai, self.key);
        for (ai, v) in self.qualifiers.iter().chain(&self.attributes) {
            s.push('(');
            s.push_str(ai);
            s.push(')');
            // Brackets inside a value are escaped in bracketed element strings.
            s.push_str(&v.replace('(', "\\("));
        }
        s
    }
}

/// What `linkType=` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// Nothing: the default link (or a linkset by content negotiation).
    Default,
    /// `linkset` or the legacy `all`.
    Linkset,
    /// One link type.
    Type(LinkType),
}

/// A parsed resolver request.
#[derive(Clone, Debug)]
pub struct ResolverRequest {
    /// The item.
    pub item: ItemPath,
    /// The request was a compressed Digital Link.
    pub compressed: bool,
    /// What `linkType=` asked for.
    pub wanted: Wanted,
    /// Client preferences.
    pub prefs: Preferences,
    /// The raw query string, passed through on redirects.
    pub query: Option<String>,
    /// `lang=` (the page's language override).
    pub lang: Option<String>,
    /// `place=`: a coarse place for the scan log, e.g. `VN-HN`.
    pub place: Option<String>,
}

/// Reads a resolver path (`/01/...`, or a compressed `/{data}` when `compressed`) and query.
pub fn parse(
    path: &str,
    query: Option<&str>,
    compressed: bool,
    accept: Option<&str>,
    accept_language: Option<&str>,
) -> Result<ResolverRequest, ApiError> {
    let path = match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    };
    let query = query.filter(|q| !q.is_empty());
    let prefs = |context| Preferences {
        context,
        languages: weighted(accept_language),
        media: weighted(accept),
    };
    if !compressed
        && query.is_none()
        && let Some(item) = plain_gtin(path)
    {
        return Ok(ResolverRequest {
            item,
            compressed,
            wanted: Wanted::Default,
            prefs: prefs(None),
            query: None,
            lang: None,
            place: None,
        });
    }
    let uri = match query {
        Some(q) => format!("{PARSE_STEM}{path}?{q}"),
        None => format!("{PARSE_STEM}{path}"),
    };
    let opts = DlOptions {
        permit_zero_suppressed_gtin: true,
        ..DlOptions::default()
    };
    let dl = if compressed {
        DigitalLink::decompress(&uri, &opts).map_err(|_| ApiError::NotFound)?
    } else {
        DigitalLink::parse(&uri, &opts).map_err(|e| ApiError::BadRequest {
            detail: format!("not a valid GS1 Digital Link: {e}"),
            errors: vec![crate::error::FieldError::new("path", e.to_string())],
        })?
    };
    let item = link_item(&dl);
    let mut wanted = Wanted::Default;
    let mut context = None;
    let mut lang = None;
    let mut place = None;
    for p in dl.other_params() {
        let value = p.value().map(|v| v.into_owned()).unwrap_or_default();
        match p.name().as_ref() {
            "linkType" => {
                wanted = match value.as_str() {
                    "linkset" | "all" => Wanted::Linkset,
                    "" => Wanted::Default,
                    t => match LinkType::parse(t) {
                        Ok(lt)
                            if lt == LinkType::DEFAULT_LINK
                                || lt == LinkType::DEFAULT_LINK_MULTI =>
                        {
                            Wanted::Default
                        }
                        Ok(lt) => Wanted::Type(lt),
                        Err(_) => {
                            return Err(ApiError::NotFoundDetail(format!(
                                "unknown link type {t:?}: not in the GS1 Web Vocabulary"
                            )));
                        }
                    },
                }
            }
            "context" => context = Some(value),
            "lang" => lang = Some(value),
            "place" => place = Some(value).filter(|v| is_coarse_place(v)),
            _ => {}
        }
    }
    Ok(ResolverRequest {
        item,
        compressed,
        wanted,
        prefs: prefs(context),
        query: query.map(str::to_owned),
        lang,
        place,
    })
}

/// The item a parsed Digital Link names.
fn link_item(dl: &DigitalLink) -> ItemPath {
    let key = dl.primary_key();
    ItemPath {
        key_ai: key.ai.to_owned(),
        key: key.value.to_owned(),
        qualifiers: dl
            .qualifiers()
            .map(|e| (e.ai.to_owned(), e.value.to_owned()))
            .collect(),
        attributes: dl
            .attributes()
            .map(|e| (e.ai.to_owned(), e.value.to_owned()))
            .collect(),
    }
}

/// The item of `/01/{gtin}` alone, the commonest scan, read without the Digital Link parser (a
/// tenth of a cache miss): `None` for anything else, a bad check digit included, which the full
/// parse then reads or refuses with its reason.
fn plain_gtin(path: &str) -> Option<ItemPath> {
    let gtin = gs1::keys::Gtin::parse(path.strip_prefix("/01/")?).ok()?;
    Some(ItemPath {
        key_ai: "01".to_owned(),
        key: gtin.as_str().to_owned(),
        qualifiers: Vec::new(),
        attributes: Vec::new(),
    })
}

/// The cache scope of a resolver path without a serial, read without parsing it: the key as
/// the full parse would give it (a GTIN padded to 14 digits). `None` for anything else (a
/// serial, a compressed link, a key that is not digits), which takes the full parse first.
pub fn fast_scope(path: &str) -> Option<String> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let (ai, key) = (parts.next()?, parts.next()?);
    if parts.any(|p| p == "21") || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (ai, key.len()) {
        ("01", 14) | ("00", 18) | ("414", 13) => Some(key.to_owned()),
        ("01", 8 | 12 | 13) => Some(format!("{key:0>14}")),
        _ => None,
    }
}

/// A coarse place: an ISO 3166 country or subdivision code such as `VN` or `VN-HN`, nothing
/// finer, so the scan log never holds personal data.
pub fn is_coarse_place(s: &str) -> bool {
    let (country, sub) = s.split_once('-').unwrap_or((s, ""));
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && sub.len() <= 3
        && sub
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && (sub.is_empty() != s.contains('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str, query: Option<&str>) -> Result<ResolverRequest, ApiError> {
        parse(path, query, false, None, None)
    }

    #[test]
    fn short_gtins_read_as_fourteen_digits_and_qualifiers_in_order() {
        let r = req(
            "/01/8934567890120/10/L%2F1/21/S1/",
            Some("17=261231&linkType=gs1:pip"),
        )
        .expect("valid");
        assert_eq!(r.item.key, "08934567890120");
        assert_eq!(r.item.qualifier("10"), Some("L/1"));
        assert_eq!(r.item.path(1), "/01/08934567890120/10/L%2F1");
        assert_eq!(r.item.path(2), "/01/08934567890120/10/L%2F1/21/S1");
        assert_eq!(r.item.attributes, [("17".to_owned(), "261231".to_owned())]);
        assert_eq!(r.wanted, Wanted::Type(LinkType::PIP));
        assert_eq!(r.query.as_deref(), Some("17=261231&linkType=gs1:pip"));
    }

    #[test]
    fn link_types_parse_every_way_and_unknown_ones_are_refused() {
        for q in [
            "linkType=https://gs1.org/voc/certificationInfo",
            "linkType=gs1:certificationInfo",
            "linkType=certificationInfo",
        ] {
            let r = req("/01/08934567890120", Some(q)).expect("valid");
            assert_eq!(r.wanted, Wanted::Type(LinkType::CERTIFICATION_INFO), "{q}");
        }
        for q in ["linkType=linkset", "linkType=all"] {
            assert_eq!(
                req("/01/08934567890120", Some(q)).expect("valid").wanted,
                Wanted::Linkset
            );
        }
        assert!(matches!(
            req("/01/08934567890120", Some("linkType=gs1:teleport")),
            Err(ApiError::NotFoundDetail(_))
        ));
    }

    #[test]
    fn bad_check_digits_and_orders_are_bad_requests() {
        assert!(matches!(
            req("/01/08934567890121", None),
            Err(ApiError::BadRequest { .. })
        ));
        assert!(matches!(
            req("/01/08934567890120/21/S1/10/L1", None),
            Err(ApiError::BadRequest { .. })
        ));
    }

    #[test]
    fn fast_scopes_agree_with_the_full_parse() {
        for path in [
            "/01/8934567890120",
            "/01/08934567890120/10/L1",
            "/01/12345670",
            "/00/106141411234567897",
            "/414/8934567000017",
        ] {
            let full = req(path, None).expect("valid").item.key;
            assert_eq!(fast_scope(path), Some(full), "{path}");
        }
        assert_eq!(fast_scope("/01/08934567890120/10/L1/21/S1"), None);
        assert_eq!(fast_scope("/01/0893456789012X"), None);
        assert_eq!(fast_scope("/8004/ABC"), None);
    }

    #[test]
    fn plain_gtins_read_as_the_digital_link_parser_reads_them() {
        // Every length, a wrong check digit for each, and characters the parser would decode
        // or refuse: where the shortcut answers, the parser gives the same bare GTIN.
        let mut paths = vec![
            "/01/0893456789012%30".to_owned(),
            "/01/ 8934567890120".to_owned(),
            "/01/".to_owned(),
            "/01/08934567890120/10/L1".to_owned(),
        ];
        for (i, len) in [8usize, 12, 13, 14].iter().cycle().take(400).enumerate() {
            let body: String = (0..len - 1)
                .map(|k| char::from(b'0' + ((i * 7 + k * 13 + i * k) % 10) as u8))
                .collect();
            let check = gs1::check_digit::compute(body.as_bytes()).expect("digits");
            paths.push(format!("/01/{body}{}", char::from(check)));
            paths.push(format!(
                "/01/{body}{}",
                char::from(b'0' + (check - b'0' + 1) % 10)
            ));
        }
        let opts = DlOptions {
            permit_zero_suppressed_gtin: true,
            ..DlOptions::default()
        };
        let mut shortcuts = 0;
        for path in &paths {
            let full = DigitalLink::parse(&format!("{PARSE_STEM}{path}"), &opts)
                .ok()
                .map(|dl| link_item(&dl))
                .filter(|item| item.qualifiers.is_empty() && item.key_ai == "01");
            match plain_gtin(path) {
                Some(fast) => {
                    assert_eq!(Some(fast), full, "{path}");
                    shortcuts += 1;
                }
                // Digits the shortcut refuses are digits the parser refuses too.
                None if path[4..].bytes().all(|b| b.is_ascii_digit()) => {
                    assert_eq!(full, None, "{path}");
                }
                None => {}
            }
        }
        assert_eq!(shortcuts, 400, "every well-formed GTIN takes the shortcut");
    }

    #[test]
    fn places_are_coarse_codes_only() {
        assert!(is_coarse_place("VN"));
        assert!(is_coarse_place("VN-HN"));
        assert!(is_coarse_place("VN-01"));
        assert!(!is_coarse_place("vn"));
        assert!(!is_coarse_place("10.1.2.3"));
        assert!(!is_coarse_place("VN-"));
        assert!(!is_coarse_place("VN-HANOI"));
    }
}
