//! GS1 Web Vocabulary link types (`gs1-data/link-types.txt`, embedded at compile time): the
//! `linkType` values a GS1 Digital Link resolver answers with, such as `gs1:pip`.

use std::{fmt, str::FromStr, sync::LazyLock};

static TEXT: &str = include_str!("../../gs1-data/link-types.txt");

/// Parsed once. A unit test checks the embedded file, so the empty fallback is never reached in
/// a build whose tests pass; it exists so lookups cannot panic.
static TABLE: LazyLock<Vec<Entry>> = LazyLock::new(|| parse_table(TEXT).unwrap_or_default());

/// The namespace GS1 uses in link type URIs and resolver answers.
const NAMESPACE: &str = "https://gs1.org/voc/";

/// Spellings of the namespace found in the wild: the canonical one, GS1's reference site, the
/// plain-http form older resolvers declare, and the www form the vocabulary lists as equivalent.
const NAMESPACES: [&str; 5] = [
    "gs1:",
    NAMESPACE,
    "https://ref.gs1.org/voc/",
    "http://gs1.org/voc/",
    "https://www.gs1.org/voc/",
];

/// A link type from the GS1 Web Vocabulary, e.g. `gs1:pip` (product information page).
///
/// ```
/// use gs1::link_type::LinkType;
/// let pip: LinkType = "https://ref.gs1.org/voc/pip".parse().unwrap();
/// assert_eq!(pip, LinkType::PIP);
/// assert_eq!(pip.to_string(), "gs1:pip");
/// assert_eq!(pip.uri(), "https://gs1.org/voc/pip");
/// assert_eq!(pip.title(), "Product Information Page");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType {
    curie: &'static str,
}

/// Why a string is not a GS1 link type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkTypeError {
    /// The GS1 Web Vocabulary defines no such link type.
    #[error("unknown link type {0:?}")]
    Unknown(String),
}

impl LinkType {
    /// `gs1:defaultLink`: where a resolver sends a request that names no link type.
    pub const DEFAULT_LINK: Self = Self::new("gs1:defaultLink");
    /// `gs1:defaultLinkMulti`: one of several default links, chosen by language or context.
    pub const DEFAULT_LINK_MULTI: Self = Self::new("gs1:defaultLinkMulti");
    /// `gs1:pip`: the product information page.
    pub const PIP: Self = Self::new("gs1:pip");
    /// `gs1:certificationInfo`: certification information.
    pub const CERTIFICATION_INFO: Self = Self::new("gs1:certificationInfo");
    /// `gs1:recallStatus`: whether the item is recalled.
    pub const RECALL_STATUS: Self = Self::new("gs1:recallStatus");
    /// `gs1:traceability`: traceability information.
    pub const TRACEABILITY: Self = Self::new("gs1:traceability");
    /// `gs1:sustainabilityInfo`: sustainability and recycling.
    pub const SUSTAINABILITY_INFO: Self = Self::new("gs1:sustainabilityInfo");
    /// `gs1:dpp`: the digital product passport.
    pub const DPP: Self = Self::new("gs1:dpp");
    /// `gs1:epcis`: an EPCIS repository of event data.
    pub const EPCIS: Self = Self::new("gs1:epcis");
    /// `gs1:epil`: the electronic patient information leaflet.
    pub const EPIL: Self = Self::new("gs1:epil");
    /// `gs1:instructions`: instructions for use.
    pub const INSTRUCTIONS: Self = Self::new("gs1:instructions");
    /// `gs1:jws`: a JSON Web Signature over the item's data.
    pub const JWS: Self = Self::new("gs1:jws");
    /// `gs1:masterData`: the item's master data.
    pub const MASTER_DATA: Self = Self::new("gs1:masterData");
    /// `gs1:hasRetailers`: where the item is sold.
    pub const HAS_RETAILERS: Self = Self::new("gs1:hasRetailers");
    /// `gs1:verificationService`: a service that checks the item (our verdict page).
    pub const VERIFICATION_SERVICE: Self = Self::new("gs1:verificationService");
    /// `gs1:smartLabel`: the SmartLabel page.
    pub const SMART_LABEL: Self = Self::new("gs1:smartLabel");

    const fn new(curie: &'static str) -> Self {
        Self { curie }
    }

    /// Parses a link type written as a CURIE (`gs1:pip`), a full URI
    /// (`https://gs1.org/voc/pip`, `https://ref.gs1.org/voc/pip`) or the bare term (`pip`).
    ///
    /// ```
    /// use gs1::link_type::{LinkType, LinkTypeError};
    /// assert_eq!(LinkType::parse("pip"), Ok(LinkType::PIP));
    /// assert_eq!(LinkType::parse("gs1:recallStatus"), Ok(LinkType::RECALL_STATUS));
    /// assert_eq!(
    ///     LinkType::parse("gs1:teleport"),
    ///     Err(LinkTypeError::Unknown("gs1:teleport".into()))
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Self, LinkTypeError> {
        let term = NAMESPACES
            .iter()
            .find_map(|ns| s.strip_prefix(ns))
            .unwrap_or(s);
        TABLE
            .iter()
            .find(|e| e.term() == term)
            .map(|e| Self::new(e.curie))
            .ok_or_else(|| LinkTypeError::Unknown(s.to_owned()))
    }

    /// Every link type the vocabulary defines, deprecated ones included.
    pub fn all() -> impl Iterator<Item = Self> {
        TABLE.iter().map(|e| Self::new(e.curie))
    }

    /// The CURIE, e.g. `gs1:pip`.
    pub fn as_str(&self) -> &'static str {
        self.curie
    }

    /// The term without its namespace, e.g. `pip`.
    pub fn term(&self) -> &'static str {
        self.curie.strip_prefix("gs1:").unwrap_or(self.curie)
    }

    /// The full URI, e.g. `https://gs1.org/voc/pip`.
    pub fn uri(&self) -> String {
        format!("{NAMESPACE}{}", self.term())
    }

    /// GS1's English title, e.g. "Product Information Page".
    pub fn title(&self) -> &'static str {
        self.entry().map_or("", |e| e.title)
    }

    /// True if GS1 has deprecated this link type (it still resolves).
    pub fn is_deprecated(&self) -> bool {
        self.entry().is_some_and(|e| e.deprecated)
    }

    fn entry(&self) -> Option<&'static Entry> {
        TABLE.iter().find(|e| e.curie == self.curie)
    }
}

impl FromStr for LinkType {
    type Err = LinkTypeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.curie)
    }
}

impl AsRef<str> for LinkType {
    fn as_ref(&self) -> &str {
        self.curie
    }
}

#[derive(Debug)]
struct Entry {
    curie: &'static str,
    title: &'static str,
    deprecated: bool,
}

impl Entry {
    fn term(&self) -> &'static str {
        self.curie.strip_prefix("gs1:").unwrap_or(self.curie)
    }
}

/// A line of the embedded link type list that does not follow its format.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("link-types.txt line {line}: {reason}: {text:?}")]
struct TableError {
    line: usize,
    reason: &'static str,
    text: &'static str,
}

fn parse_table(text: &'static str) -> Result<Vec<Entry>, TableError> {
    let mut entries: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason| TableError {
            line: i + 1,
            reason,
            text: raw,
        };
        let (curie, rest) = next_field(line);
        let (status, title) = next_field(rest);
        let term = curie.strip_prefix("gs1:").ok_or(err("not a gs1: CURIE"))?;
        if term.is_empty() || !term.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(err("a term is letters and digits"));
        }
        let deprecated = match status {
            "stable" => false,
            "deprecated" => true,
            _ => return Err(err("status must be stable or deprecated")),
        };
        if title.is_empty() {
            return Err(err("missing title"));
        }
        if entries.iter().any(|e| e.curie == curie) {
            return Err(err("listed twice"));
        }
        entries.push(Entry {
            curie,
            title,
            deprecated,
        });
    }
    Ok(entries)
}

/// Splits off the first whitespace-separated field; the rest comes back trimmed.
fn next_field(s: &'static str) -> (&'static str, &'static str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn embedded_list_parses() {
        let entries = parse_table(TEXT).unwrap();
        assert_eq!(entries.len(), 60);
        let deprecated: Vec<_> = entries.iter().filter(|e| e.deprecated).collect();
        assert_eq!(deprecated.len(), 1);
        assert_eq!(deprecated[0].curie, "gs1:productSustainabilityInfo");
    }

    fn check(input: &str, expected: Result<&str, LinkTypeError>) {
        let got = LinkType::parse(input).map(|t| t.as_str());
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn parses_every_spelling() {
        check("gs1:pip", Ok("gs1:pip"));
        check("pip", Ok("gs1:pip"));
        check("https://gs1.org/voc/pip", Ok("gs1:pip"));
        check("https://ref.gs1.org/voc/pip", Ok("gs1:pip"));
        check("http://gs1.org/voc/pip", Ok("gs1:pip"));
        check("https://www.gs1.org/voc/pip", Ok("gs1:pip"));
        check("gs1:certificationInfo", Ok("gs1:certificationInfo"));
        check("https://gs1.org/voc/epil", Ok("gs1:epil"));
        check("defaultLinkMulti", Ok("gs1:defaultLinkMulti"));
        check(
            "gs1:productSustainabilityInfo",
            Ok("gs1:productSustainabilityInfo"),
        );
    }

    #[test]
    fn refuses_unknown_types() {
        let unknown = |s: &str| Err(LinkTypeError::Unknown(s.to_owned()));
        for input in [
            "",
            "gs1:",
            "gs1:PIP",
            "Pip",
            "gs1:pip ",
            "schema:pip",
            "https://gs1.org/voc/Product",
            "https://example.com/voc/pip",
            "all",
            "linkType",
            "gs1:linkType",
        ] {
            check(input, unknown(input));
        }
        assert_eq!(
            LinkType::parse("gs1:teleport").unwrap_err().to_string(),
            "unknown link type \"gs1:teleport\""
        );
    }

    #[test]
    fn names_titles_and_uris() {
        let t = LinkType::CERTIFICATION_INFO;
        assert_eq!(t.to_string(), "gs1:certificationInfo");
        assert_eq!(t.as_ref(), "gs1:certificationInfo");
        assert_eq!(t.term(), "certificationInfo");
        assert_eq!(t.uri(), "https://gs1.org/voc/certificationInfo");
        assert_eq!(t.title(), "Certification Information");
        assert!(!t.is_deprecated());
        assert_eq!(LinkType::RECALL_STATUS.title(), "Recall status");
        assert_eq!(LinkType::DPP.title(), "Digital Product Passport");
        assert_eq!(
            LinkType::parse("relatedVideo").unwrap().title(),
            "Related video"
        );
        assert!(
            LinkType::parse("productSustainabilityInfo")
                .unwrap()
                .is_deprecated()
        );
    }

    #[test]
    fn constants_are_in_the_list() {
        for t in [
            LinkType::DEFAULT_LINK,
            LinkType::DEFAULT_LINK_MULTI,
            LinkType::PIP,
            LinkType::CERTIFICATION_INFO,
            LinkType::RECALL_STATUS,
            LinkType::TRACEABILITY,
            LinkType::SUSTAINABILITY_INFO,
            LinkType::DPP,
            LinkType::EPCIS,
            LinkType::EPIL,
            LinkType::INSTRUCTIONS,
            LinkType::JWS,
            LinkType::MASTER_DATA,
            LinkType::HAS_RETAILERS,
            LinkType::SMART_LABEL,
            LinkType::VERIFICATION_SERVICE,
        ] {
            assert_eq!(LinkType::parse(t.as_str()), Ok(t));
            assert!(!t.title().is_empty(), "{t}");
        }
        assert_eq!(LinkType::all().count(), 60);
    }

    fn check_table_err(text: &'static str, reason: &str) {
        assert_eq!(
            parse_table(text).map(|_| ()).map_err(|e| e.reason),
            Err(reason),
            "{text}"
        );
    }

    #[test]
    fn malformed_lists_are_refused() {
        check_table_err("pip stable Product", "not a gs1: CURIE");
        check_table_err("gs1:pi-p stable Product", "a term is letters and digits");
        check_table_err("gs1: stable Product", "a term is letters and digits");
        check_table_err("gs1:pip new Product", "status must be stable or deprecated");
        check_table_err("gs1:pip stable", "missing title");
        check_table_err("gs1:pip stable A\n# x\ngs1:pip stable B", "listed twice");
        let err = parse_table("gs1:pip stable").unwrap_err();
        assert_eq!(
            err.to_string(),
            "link-types.txt line 1: missing title: \"gs1:pip stable\""
        );
    }

    proptest! {
        #[test]
        fn every_spelling_of_every_type_round_trips(
            index in 0usize..60,
            ns in prop::sample::select(NAMESPACES.to_vec()),
        ) {
            let t = LinkType::all().nth(index).unwrap();
            prop_assert_eq!(LinkType::parse(&format!("{t}")), Ok(t));
            prop_assert_eq!(LinkType::parse(&t.uri()), Ok(t));
            prop_assert_eq!(LinkType::parse(t.term()), Ok(t));
            prop_assert_eq!(LinkType::parse(&format!("{ns}{}", t.term())), Ok(t));
        }
    }
}
