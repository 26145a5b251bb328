//! The parsed Digital Link: its stem, primary key, qualifiers, data attributes and other query
//! parameters, over one validated message.

use std::borrow::Cow;
use std::fmt;

use super::escape::{UriPart, unescape_lossy};
use super::{CANONICAL_STEM, DlError, DlOptions, build, parse, path_seq};
use crate::ai::{Ai, Dictionary};
use crate::element::{AiString, Element};

/// A parsed, validated GS1 Digital Link URI.
///
/// It holds the URI as given, the extracted AIs as an [`AiString`] (path AIs in path order,
/// then query AIs in query order, as the engine extracts them), and the query parameters that
/// are not AIs. It can only be obtained from [`DigitalLink::parse`] or
/// [`DigitalLink::decompress`], so every value in it has passed the dictionary's checks.
#[derive(Clone, Debug)]
pub struct DigitalLink {
    pub(super) uri: Box<str>,
    pub(super) stem_len: usize,
    pub(super) ais: AiString,
    /// How many AIs of `ais` come from the path (the key and its qualifiers).
    pub(super) path_len: usize,
    /// Byte ranges in `uri` of the query parameters that are not AIs, in order.
    pub(super) others: Vec<(u32, u32)>,
}

/// A query parameter that is not an AI, e.g. `linkType=gs1:pip`, `lang=vi` or a bare
/// `singleton`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryParam<'a> {
    raw: &'a str,
}

impl<'a> QueryParam<'a> {
    /// The parameter exactly as in the URI, e.g. `linkType=gs1%3Apip`.
    pub fn raw(&self) -> &'a str {
        self.raw
    }
    /// The percent-decoded name (`+` read as a space).
    pub fn name(&self) -> Cow<'a, str> {
        let name = self.raw.split_once('=').map_or(self.raw, |(n, _)| n);
        unescape_lossy(name, UriPart::Query)
    }
    /// The percent-decoded value (`+` read as a space); `None` for a parameter without `=`.
    pub fn value(&self) -> Option<Cow<'a, str>> {
        let (_, v) = self.raw.split_once('=')?;
        Some(unescape_lossy(v, UriPart::Query))
    }
}

impl DigitalLink {
    /// Parses an uncompressed GS1 Digital Link URI and validates its AIs.
    ///
    /// The scheme must be `http` or `https` written all lower or all upper case; the primary
    /// key is the last `/AI/value` pair of the path whose AI is a Digital Link primary key, and
    /// anything before it is the stem. Path and query values are percent-decoded (`+` is a
    /// space only in the query). Query parameters named by digits must be AIs allowed as data
    /// attributes; other parameters are kept as [`QueryParam`]s. The fragment is ignored.
    /// Empty values, `%00`, duplicated AIs, a path that is not a key-qualifier sequence and a
    /// qualifier of the key moved to the query are refused, then the message is validated
    /// with `opts.element`.
    ///
    /// ```
    /// use gs1::digital_link::{DigitalLink, DlOptions};
    /// let dl = DigitalLink::parse(
    ///     "https://example.com/shop/01/09506000134352/10/ABC%2F1?17=201225&linkType=gs1:pip",
    ///     &DlOptions::default(),
    /// )?;
    /// assert_eq!(dl.stem(), "https://example.com/shop");
    /// assert_eq!(dl.primary_key().value, "09506000134352");
    /// assert_eq!(dl.qualifiers().next().unwrap().value, "ABC/1");
    /// assert_eq!(dl.attributes().next().unwrap().ai, "17");
    /// assert_eq!(dl.other_params().next().unwrap().raw(), "linkType=gs1:pip");
    /// assert_eq!(dl.ai_string().to_bracketed(), "(01)09506000134352(10)ABC/1(17)201225");
    /// assert_eq!(dl.to_canonical(None),
    ///            "https://id.gs1.org/01/09506000134352/10/ABC%2F1?17=201225");
    /// assert!(DigitalLink::parse("https://example.com/01/09506000134352?10=ABC",
    ///                            &DlOptions::default()).is_err());
    /// # Ok::<(), gs1::digital_link::DlError>(())
    /// ```
    pub fn parse(uri: &str, opts: &DlOptions) -> Result<Self, DlError> {
        parse::digital_link(uri, opts)
    }

    /// True if `ais` (a primary key, then qualifiers) is a valid Digital Link path: the key is
    /// a `dlpkey` AI and the qualifiers are an ordered selection from one of its alternative
    /// qualifier sequences, e.g. `01 22 10 21`, `01 21` or `01 235`, but not `01 10 22`.
    ///
    /// ```
    /// use gs1::ai::Ai;
    /// use gs1::digital_link::DigitalLink;
    /// let ais = |s: &[&str]| s.iter().map(|a| Ai::new(a.as_bytes()).unwrap()).collect::<Vec<_>>();
    /// assert!(DigitalLink::is_key_qualifier_sequence(&ais(&["01", "22", "21"])));
    /// assert!(!DigitalLink::is_key_qualifier_sequence(&ais(&["01", "21", "22"])));
    /// ```
    pub fn is_key_qualifier_sequence(ais: &[Ai]) -> bool {
        let Some((key, quals)) = ais.split_first() else {
            return false;
        };
        Dictionary::embedded()
            .get_ai(*key)
            .is_some_and(|e| path_seq::is_valid_sequence(e, quals.iter().copied()))
    }

    /// The URI as given (for a decompressed link: its uncompressed equivalent).
    pub fn as_str(&self) -> &str {
        &self.uri
    }

    /// Scheme, domain and any path before the primary key, e.g. `https://example.com/shop`.
    pub fn stem(&self) -> &str {
        &self.uri[..self.stem_len]
    }

    /// The primary key AI and its value, e.g. `(01) 09506000134352`.
    pub fn primary_key(&self) -> Element<'_> {
        // A parsed link always has its key first; `iter()` is never empty here.
        self.ais
            .iter()
            .next()
            .unwrap_or_else(|| unreachable!("a digital link always has a primary key"))
    }

    /// The key qualifiers of the path, in path order (which is the dictionary's order).
    pub fn qualifiers(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        self.ais.iter().take(self.path_len).skip(1)
    }

    /// The AIs given as query parameters (data attributes), in query order.
    pub fn attributes(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        self.ais.iter().skip(self.path_len)
    }

    /// The query parameters that are not AIs, in order.
    pub fn other_params(&self) -> impl ExactSizeIterator<Item = QueryParam<'_>> + '_ {
        self.others.iter().map(|&(s, e)| QueryParam {
            raw: &self.uri[s as usize..e as usize],
        })
    }

    /// Every AI: the path's, then the query's.
    pub fn ai_string(&self) -> &AiString {
        &self.ais
    }

    /// Gives up the link, keeping its AIs.
    pub fn into_ai_string(self) -> AiString {
        self.ais
    }

    /// The canonical form of this link under `stem` (default [`CANONICAL_STEM`],
    /// `https://id.gs1.org`; one trailing `/` dropped):
    ///
    /// * the path is the primary key then its qualifiers, in the key-qualifier order of the
    ///   dictionary (the only order a valid path can have), with numeric AIs (never
    ///   convenience alphas) and a 14-digit GTIN;
    /// * the query holds the data attributes, predefined-length AIs first, then the others,
    ///   each group in the order of the original query;
    /// * values are percent-encoded leaving only `A-Z a-z 0-9 - . _ ~` (a space is `%20` in
    ///   the path, `+` in the query);
    /// * parameters that are not AIs and the fragment are dropped.
    ///
    /// This is exactly what the engine generates for a message read from a Digital Link URI.
    pub fn to_canonical(&self, stem: Option<&str>) -> String {
        build::write_uri(
            stem.unwrap_or(CANONICAL_STEM),
            &build::Items::new(&self.ais),
            build::PathChoice::first(self.path_len),
        )
    }
}

impl fmt::Display for DigitalLink {
    /// Writes the canonical form under [`CANONICAL_STEM`] (see [`DigitalLink::to_canonical`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical(None))
    }
}

impl AsRef<str> for DigitalLink {
    fn as_ref(&self) -> &str {
        &self.uri
    }
}

impl std::str::FromStr for DigitalLink {
    type Err = DlError;

    /// Parses with [`DlOptions::default`].
    fn from_str(s: &str) -> Result<Self, DlError> {
        Self::parse(s, &DlOptions::default())
    }
}
