//! The links of an identified item, level by level (serial → lot → GTIN), how one is chosen for
//! a request, and the RFC 9264 linkset that lists them all.

use std::borrow::Cow;

use gs1::link_type::LinkType;
use serde_json::{Map, Value, json};

/// Text that is a constant for the platform's own links and the brand owner's for theirs, so
/// building our links on a cache miss copies nothing.
pub type Text = Cow<'static, str>;

/// One link the resolver can answer with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The link type as a CURIE, e.g. `gs1:pip`.
    pub link_type: &'static str,
    /// Target (absolute).
    pub href: String,
    /// Title.
    pub title: Text,
    /// Languages of the target (BCP 47); empty when unknown.
    pub hreflang: Cow<'static, [Text]>,
    /// Media type of the target.
    pub media_type: Option<Text>,
    /// Resolver context, e.g. a market.
    pub context: Option<String>,
    /// Registered by the brand owner as the default of its level.
    pub is_default: bool,
    /// One of the platform's own links that gives way to any link the brand owner registered
    /// for the same type at any level (our consumer page as `gs1:pip`).
    pub fallback: bool,
}

/// The links of one level of the item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// Absolute URI of the level, e.g. `https://r.example/01/08934567890120/10/L1`.
    pub anchor: String,
    /// Its links.
    pub links: Vec<Link>,
}

/// What the resolver knows of a request's item: its levels, most specific first, and the
/// platform's own page at the most specific level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// Levels from the request's own (first) up to the primary key alone (last).
    pub levels: Vec<Level>,
    /// A description of the item (its product name).
    pub description: Option<String>,
    /// Our consumer page for the request's own level.
    pub page: Link,
}

/// What the client prefers, from the query and headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preferences {
    /// `context=` query value.
    pub context: Option<String>,
    /// Accept-Language tags, best first.
    pub languages: Vec<String>,
    /// Accept media ranges (not `*/*`), best first.
    pub media: Vec<String>,
}

/// Which links answer a request for one link type.
#[derive(Debug, PartialEq, Eq)]
pub enum Choice<'a> {
    /// Exactly one.
    One(&'a Link),
    /// Several tie after every preference: 300.
    Many(Vec<&'a Link>),
    /// The item has no link of that type at any level.
    None,
}

impl Resolution {
    /// The link for `link_type`, walking up the levels; a fallback link only when the brand
    /// owner registered none of that type anywhere.
    pub fn choose(&self, link_type: LinkType, prefs: &Preferences) -> Choice<'_> {
        let of_type = |fallback: bool| {
            self.levels.iter().find_map(|level| {
                let c: Vec<&Link> = level
                    .links
                    .iter()
                    .filter(|l| l.link_type == link_type.as_str() && l.fallback == fallback)
                    .collect();
                (!c.is_empty()).then_some(c)
            })
        };
        match of_type(false).or_else(|| of_type(true)) {
            Some(c) => narrow(c, prefs),
            None => Choice::None,
        }
    }

    /// The default link: the brand owner's default nearest the request's level, else our page.
    pub fn default_link(&self) -> &Link {
        self.levels
            .iter()
            .find_map(|level| level.links.iter().find(|l| l.is_default))
            .unwrap_or(&self.page)
    }

    /// The RFC 9264 linkset (`application/linkset+json`): one context object per level, each
    /// link type as its full URI, with the level's default link as `gs1:defaultLink`.
    pub fn linkset(&self) -> Value {
        let sets: Vec<Value> = self
            .levels
            .iter()
            .enumerate()
            .map(|(i, level)| {
                let mut obj = Map::new();
                obj.insert("anchor".into(), Value::String(level.anchor.clone()));
                if let Some(d) = &self.description {
                    obj.insert("description".into(), Value::String(d.clone()));
                    obj.insert("itemDescription".into(), Value::String(d.clone()));
                }
                let default = level.links.iter().find(|l| l.is_default).or_else(|| {
                    // Our page stands as the default of the request's own level and, when no
                    // level has a registered default, of the primary key's.
                    let own = i == 0 || i + 1 == self.levels.len();
                    own.then(|| self.default_link())
                });
                if let Some(d) = default {
                    obj.insert(
                        relation(LinkType::DEFAULT_LINK.as_str()),
                        json!([target(d)]),
                    );
                }
                for l in &level.links {
                    push(&mut obj, l);
                }
                Value::Object(obj)
            })
            .collect();
        json!({ "linkset": sets })
    }
}

/// A linkset of just `links` under `anchor`: the body of a 300, where they tie.
pub fn linkset_of(anchor: &str, links: &[&Link]) -> Value {
    let mut obj = Map::new();
    obj.insert("anchor".into(), Value::String(anchor.to_owned()));
    for l in links {
        push(&mut obj, l);
    }
    json!({ "linkset": [obj] })
}

/// Adds `l` to its relation's array in a linkset context object.
fn push(obj: &mut Map<String, Value>, l: &Link) {
    if let Value::Array(a) = obj
        .entry(relation(l.link_type))
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        a.push(target(l));
    }
}

/// The relation type of a link in a linkset: the link type's full URI.
fn relation(curie: &str) -> String {
    LinkType::parse(curie).map_or_else(|_| curie.to_owned(), |t| t.uri())
}

/// A link's target object in a linkset.
fn target(l: &Link) -> Value {
    let mut t = Map::new();
    t.insert("href".into(), Value::String(l.href.clone()));
    t.insert("title".into(), Value::String(l.title.clone().into_owned()));
    if !l.hreflang.is_empty() {
        t.insert("hreflang".into(), json!(l.hreflang));
    }
    if let Some(m) = &l.media_type {
        t.insert("type".into(), Value::String(m.clone().into_owned()));
    }
    if let Some(c) = &l.context {
        t.insert("context".into(), json!([c]));
    }
    Value::Object(t)
}

/// Narrows candidates by context, then language, then media type; each step keeps the
/// candidates that match when any do, so an unmet preference never empties the choice.
fn narrow<'a>(mut c: Vec<&'a Link>, prefs: &Preferences) -> Choice<'a> {
    if let Some(ctx) = &prefs.context {
        keep_if_any(&mut c, |l| {
            l.context
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(ctx))
        });
    }
    for lang in &prefs.languages {
        if keep_if_any(&mut c, |l| l.hreflang.iter().any(|h| lang_matches(h, lang))) {
            break;
        }
    }
    for range in &prefs.media {
        if keep_if_any(&mut c, |l| {
            l.media_type
                .as_deref()
                .is_some_and(|m| media_matches(m, range))
        }) {
            break;
        }
    }
    match c.len() {
        0 => Choice::None,
        1 => Choice::One(c[0]),
        _ => Choice::Many(c),
    }
}

/// Keeps the matching candidates if any match; says whether it narrowed.
fn keep_if_any(c: &mut Vec<&Link>, pred: impl Fn(&Link) -> bool) -> bool {
    if c.iter().any(|l| pred(l)) {
        c.retain(|l| pred(l));
        true
    } else {
        false
    }
}

/// `vi-VN` matches `vi` and `vi-VN`; `vi` matches `vi-VN` too (same primary language).
fn lang_matches(have: &str, want: &str) -> bool {
    let primary = |s: &str| s.split('-').next().unwrap_or(s).to_ascii_lowercase();
    have.eq_ignore_ascii_case(want) || primary(have) == primary(want)
}

/// `text/html` matches `text/html` and `text/*`.
fn media_matches(have: &str, range: &str) -> bool {
    let have = have.split(';').next().unwrap_or(have).trim();
    match range.strip_suffix("/*") {
        Some(ty) => have
            .split('/')
            .next()
            .is_some_and(|t| t.eq_ignore_ascii_case(ty)),
        None => have.eq_ignore_ascii_case(range),
    }
}

/// Parses a weighted header (`Accept`, `Accept-Language`) into values, best first, dropping
/// `q=0` and the wildcards `*` and `*/*`.
pub fn weighted(header: Option<&str>) -> Vec<String> {
    let Some(h) = header else {
        return Vec::new();
    };
    let mut items: Vec<(String, u16, usize)> = h
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let value = bits.next()?.trim();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let q = (q.clamp(0.0, 1.0) * 1000.0) as u16;
            (q > 0 && !value.is_empty() && value != "*" && value != "*/*")
                .then(|| (value.to_owned(), q, i))
        })
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    items.into_iter().map(|(v, _, _)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(t: &'static str, href: &str, lang: &[&str], media: Option<&str>) -> Link {
        Link {
            link_type: t,
            href: href.into(),
            title: href.to_owned().into(),
            hreflang: lang.iter().map(|s| Text::from((*s).to_owned())).collect(),
            media_type: media.map(|m| Text::from(m.to_owned())),
            context: None,
            is_default: false,
            fallback: false,
        }
    }

    fn resolution(levels: Vec<Vec<Link>>) -> Resolution {
        let page = Link {
            fallback: true,
            ..link("gs1:pip", "page", &["vi", "en"], Some("text/html"))
        };
        Resolution {
            levels: levels
                .into_iter()
                .enumerate()
                .map(|(i, links)| Level {
                    anchor: format!("https://r/{i}"),
                    links,
                })
                .collect(),
            description: Some("Coffee".into()),
            page,
        }
    }

    fn prefs(langs: &[&str], media: &[&str], context: Option<&str>) -> Preferences {
        Preferences {
            context: context.map(str::to_owned),
            languages: langs.iter().map(|s| (*s).to_owned()).collect(),
            media: media.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn language_then_media_narrow_the_choice_and_ties_stay_many() {
        let r = resolution(vec![vec![
            link("gs1:pip", "vi-html", &["vi"], Some("text/html")),
            link("gs1:pip", "en-html", &["en"], Some("text/html")),
            link("gs1:pip", "en-json", &["en"], Some("application/json")),
        ]]);
        let href = |c: Choice<'_>| match c {
            Choice::One(l) => l.href.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            href(r.choose(LinkType::PIP, &prefs(&["vi-VN"], &[], None))),
            "vi-html"
        );
        assert_eq!(
            href(r.choose(LinkType::PIP, &prefs(&["en"], &["application/json"], None))),
            "en-json"
        );
        assert!(matches!(
            r.choose(LinkType::PIP, &prefs(&["en"], &[], None)),
            Choice::Many(v) if v.len() == 2
        ));
        // An unmet preference keeps every candidate rather than none.
        assert!(matches!(
            r.choose(LinkType::PIP, &prefs(&["fr"], &[], None)),
            Choice::Many(v) if v.len() == 3
        ));
    }

    #[test]
    fn context_narrows_first() {
        let mut a = link("gs1:pip", "vn", &["vi"], None);
        a.context = Some("VN".into());
        let b = link("gs1:pip", "any", &["vi"], None);
        let r = resolution(vec![vec![a, b]]);
        assert!(matches!(
            r.choose(LinkType::PIP, &prefs(&[], &[], Some("vn"))),
            Choice::One(l) if l.href == "vn"
        ));
    }

    #[test]
    fn walks_up_levels_and_fallbacks_give_way_anywhere() {
        let mut own_page = link("gs1:pip", "ours", &[], None);
        own_page.fallback = true;
        let r = resolution(vec![
            vec![own_page.clone(), link("gs1:dpp", "serial-dpp", &[], None)],
            vec![link("gs1:pip", "brand-pip", &[], None)],
        ]);
        assert!(
            matches!(r.choose(LinkType::PIP, &Preferences::default()), Choice::One(l) if l.href == "brand-pip")
        );
        assert!(
            matches!(r.choose(LinkType::DPP, &Preferences::default()), Choice::One(l) if l.href == "serial-dpp")
        );
        assert_eq!(
            r.choose(LinkType::EPIL, &Preferences::default()),
            Choice::None
        );
        let only_ours = resolution(vec![vec![own_page]]);
        assert!(
            matches!(only_ours.choose(LinkType::PIP, &Preferences::default()), Choice::One(l) if l.href == "ours")
        );
    }

    #[test]
    fn default_is_the_nearest_registered_default_else_our_page() {
        let mut d = link("gs1:pip", "brand-default", &[], None);
        d.is_default = true;
        let r = resolution(vec![vec![], vec![d]]);
        assert_eq!(r.default_link().href, "brand-default");
        assert_eq!(resolution(vec![vec![]]).default_link().href, "page");
    }

    #[test]
    fn linkset_lists_every_level_with_full_uri_relations() {
        let r = resolution(vec![
            vec![link("gs1:dpp", "d", &["en"], Some("application/json"))],
            vec![link("gs1:pip", "p", &["vi"], Some("text/html"))],
        ]);
        let ls = r.linkset();
        let sets = ls["linkset"].as_array().expect("array");
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0]["anchor"], "https://r/0");
        assert_eq!(sets[0]["https://gs1.org/voc/dpp"][0]["href"], "d");
        assert_eq!(sets[0]["https://gs1.org/voc/dpp"][0]["hreflang"][0], "en");
        assert_eq!(sets[1]["https://gs1.org/voc/pip"][0]["type"], "text/html");
        assert_eq!(
            sets[1]["https://gs1.org/voc/defaultLink"][0]["href"],
            "page"
        );
        assert_eq!(ls.as_object().map(Map::len), Some(1));
    }

    #[test]
    fn weighted_headers_sort_by_q_and_drop_wildcards() {
        assert_eq!(
            weighted(Some("en;q=0.5, vi-VN, fr;q=0, *;q=0.1")),
            ["vi-VN", "en"]
        );
        assert_eq!(
            weighted(Some("text/html,application/xhtml+xml,*/*;q=0.8")),
            ["text/html", "application/xhtml+xml"]
        );
        assert!(weighted(None).is_empty());
    }
}
