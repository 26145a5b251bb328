//! Loads what the resolver answers with for an item: the brand owner's registered links level
//! by level, and the platform's own links (consumer page, certificates, recalls, passport).

use std::borrow::Cow;

use gs1::link_type::LinkType;

use super::{
    links::{Level, Link, Resolution, Text},
    request::ItemPath,
};
use crate::error::ApiError;
use db::{self, DbConn, resolution::Detail};

/// The query that makes a resolver URI answer with our consumer page (or lookup JSON).
pub const VERIFY_QUERY: &str = "linkType=gs1:verificationService";
/// Our consumer page is in Vietnamese and English.
const PAGE_LANGS: &[Text] = &[Cow::Borrowed("vi"), Cow::Borrowed("en")];
/// Our API answers in English.
const API_LANGS: &[Text] = &[Cow::Borrowed("en")];

/// The item's links as far as `detail` needs them, or `None` when the key is valid but unknown
/// here (404). [`Detail::Default`] leaves out the platform's links to its API (certificates,
/// recalls, passports): none of them is ever a default link.
pub fn resolution(
    conn: &mut DbConn,
    item: &ItemPath,
    base: &str,
    detail: Detail,
) -> Result<Option<Resolution>, ApiError> {
    match item.key_ai.as_str() {
        "01" => trade_item(conn, item, base, detail),
        "00" | "414" => {
            let kind = if item.key_ai == "00" { "sscc" } else { "gln" };
            if db::prefixes::find_key(conn, kind, &item.key)?.is_none() {
                return Ok(None);
            }
            let levels = (0..=item.qualifiers.len())
                .rev()
                .map(|k| {
                    let anchor = item.uri(base, k);
                    Level {
                        links: vec![page_link(
                            page_href(&anchor),
                            LinkType::VERIFICATION_SERVICE,
                            false,
                        )],
                        anchor,
                    }
                })
                .collect::<Vec<_>>();
            let mut levels = levels;
            if item.key_ai == "00"
                && detail != Detail::Default
                && let Ok(epc) = epcis::Epc::parse(&format!("https://id.gs1.org/00/{}", item.key))
            {
                levels[0]
                    .links
                    .extend(traceability_links(conn, base, &epc)?);
            }
            let page = levels[0].links[0].clone();
            Ok(Some(Resolution {
                levels,
                description: None,
                page,
            }))
        }
        _ => Ok(None),
    }
}

/// Our consumer page for the level at `anchor`.
fn page_href(anchor: &str) -> String {
    [anchor, "?", VERIFY_QUERY].concat()
}

fn page_link(href: String, link_type: LinkType, fallback: bool) -> Link {
    Link {
        link_type: link_type.as_str(),
        href,
        title: Text::Borrowed("Kiểm tra chất lượng / Quality verification"),
        hreflang: Cow::Borrowed(PAGE_LANGS),
        media_type: Some(Text::Borrowed("text/html")),
        context: None,
        is_default: false,
        fallback,
    }
}

fn own(link_type: LinkType, href: String, title: impl Into<Text>, media: &'static str) -> Link {
    Link {
        link_type: link_type.as_str(),
        href,
        title: title.into(),
        hreflang: Cow::Borrowed(API_LANGS),
        media_type: Some(Text::Borrowed(media)),
        context: None,
        is_default: false,
        // The brand owner's own link of the same type, at any level, comes first.
        fallback: true,
    }
}

/// The trade item `gtin` qualified by a lot or serial, as an EPC.
fn gs1_epcis_of(gtin: &str, qualifier: (&str, &str)) -> Result<epcis::Epc, ApiError> {
    let gtin = gs1::keys::Gtin::parse(gtin).map_err(ApiError::internal)?;
    epcis::Epc::of_gtin(&gtin, Some(qualifier)).map_err(ApiError::internal)
}

/// `gs1:traceability` (the public journey) and `gs1:epcis` (the events, for those allowed to
/// read them) for an object that some stored event names; none for one no event names.
fn traceability_links(
    conn: &mut DbConn,
    base: &str,
    epc: &epcis::Epc,
) -> Result<Vec<Link>, ApiError> {
    if db::events::naming(conn, &[epc.canonical().to_owned()], 1)?.is_empty() {
        return Ok(Vec::new());
    }
    let q = gs1::digital_link::escape(epc.canonical(), gs1::digital_link::UriPart::Query);
    let field = if epc.is_class() {
        "MATCH_anyEPCClass"
    } else {
        "MATCH_anyEPC"
    };
    Ok(vec![
        own(
            LinkType::TRACEABILITY,
            [base, "/api/v1/journeys?epc=", &q].concat(),
            "Journey: where it went (chain of custody)",
            "application/json",
        ),
        own(
            LinkType::EPCIS,
            [base, "/epcis/events?", field, "=", &q].concat(),
            "EPCIS 2.0 events (sign-in required)",
            "application/ld+json",
        ),
    ])
}

fn trade_item(
    conn: &mut DbConn,
    item: &ItemPath,
    base: &str,
    detail: Detail,
) -> Result<Option<Resolution>, ApiError> {
    let gtin = item.key.as_str();
    let own_links = detail != Detail::Default;
    let Some(facts) = db::resolution::gtin_facts(conn, gtin, detail)? else {
        return Ok(None);
    };
    let rows = if facts.has_links {
        db::links::for_gtin(conn, gtin)?
    } else {
        Vec::new()
    };
    let mut levels = Vec::with_capacity(item.qualifiers.len() + 1);
    for k in (0..=item.qualifiers.len()).rev() {
        let anchor = item.uri(base, k);
        let page = page_href(&anchor);
        let mut links = vec![
            page_link(page.clone(), LinkType::VERIFICATION_SERVICE, false),
            page_link(page, LinkType::PIP, true),
        ];
        // A level holds registered links only where its last qualifier is a lot or serial
        // (the table keys links by GTIN, lot and serial), or at the GTIN itself.
        let last = k.checked_sub(1).map(|i| item.qualifiers[i].0.as_str());
        let lot = item.qualifiers[..k]
            .iter()
            .find(|(a, _)| a == "10")
            .map(|(_, v)| v.as_str());
        let serial = item.qualifiers[..k]
            .iter()
            .find(|(a, _)| a == "21")
            .map(|(_, v)| v.as_str());
        // The (lot, serial) the links table and passports key this level by, '' for none.
        let keyed = match last {
            None => Some(("", "")),
            Some("10") => lot.map(|l| (l, "")),
            Some("21") => serial.map(|s| ("", s)),
            Some(_) => None,
        };
        if let Some((pl, ps)) = keyed {
            links.extend(
                rows.iter()
                    .filter(|r| {
                        r.serial == ps
                            && (r.lot == pl || (!ps.is_empty() && r.lot == lot.unwrap_or("")))
                    })
                    .map(|r| Link {
                        link_type: LinkType::parse(&r.link_type)
                            .map(|t| t.as_str())
                            .unwrap_or(LinkType::PIP.as_str()),
                        href: r.href.clone(),
                        title: r.title.clone().into(),
                        hreflang: r.lang.iter().map(|l| Text::from(l.clone())).collect(),
                        media_type: r.media_type.clone().map(Text::from),
                        context: r.context.clone(),
                        is_default: r.is_default,
                        fallback: false,
                    }),
            );
            let version = if !own_links {
                None
            } else if (pl, ps) == ("", "") {
                facts.passport_version
            } else {
                db::passports::published_version(conn, gtin, pl, ps)?
            };
            if own_links && (pl, ps) != ("", "") {
                let qualifier = if ps.is_empty() {
                    ("10", pl)
                } else {
                    ("21", ps)
                };
                if let Ok(epc) = gs1_epcis_of(gtin, qualifier) {
                    links.extend(traceability_links(conn, base, &epc)?);
                }
            }
            if let Some(v) = version {
                let url = passport_url(base, gtin, pl, ps, v);
                links.push(own(
                    LinkType::DPP,
                    url.clone(),
                    format!("Digital product passport, version {v} (UNTP)"),
                    "application/json",
                ));
                links.push(own(
                    LinkType::JWS,
                    passport_jws_url(&url),
                    format!("Signed digital product passport, version {v} (JWS)"),
                    "application/jose",
                ));
            }
        }
        if k == 0 && own_links {
            links.push(own(
                LinkType::CERTIFICATION_INFO,
                [base, "/api/v1/products/", gtin, "/certificates"].concat(),
                "Conformity certificates",
                "application/json",
            ));
            links.push(own(
                LinkType::RECALL_STATUS,
                [base, "/api/v1/alerts?gtin=", gtin, "&status=active"].concat(),
                "Recalls and safety warnings",
                "application/json",
            ));
        }
        levels.push(Level { anchor, links });
    }
    let page = page_link(page_href(&levels[0].anchor), LinkType::PIP, true);
    let description = facts.names.map(|(vi, en)| {
        if en.is_empty() || en == vi {
            vi
        } else {
            format!("{vi} / {en}")
        }
    });
    Ok(Some(Resolution {
        levels,
        description,
        page,
    }))
}

/// The API URL of passport version `v` of `gtin`, its lot or its serial ('' for none).
pub fn passport_url(base: &str, gtin: &str, lot: &str, serial: &str, v: i64) -> String {
    let segment = |x| gs1::digital_link::escape(x, gs1::digital_link::UriPart::Path).into_owned();
    let level = match (lot, serial) {
        (_, s) if !s.is_empty() => format!("/serials/{}", segment(s)),
        (l, _) if !l.is_empty() => format!("/lots/{}", segment(l)),
        _ => String::new(),
    };
    format!("{base}/api/v1/products/{gtin}{level}/passport/versions/{v}")
}

/// The compact JWS of the passport version at `passport_url`.
pub fn passport_jws_url(passport_url: &str) -> String {
    [passport_url, "/jws"].concat()
}
