//! EPCIS identifiers (epcList, parentID, quantity classes, readPoint, bizLocation, source and
//! destination ids): EPC URNs (TDS 2.x) and GS1 Digital Link URIs read into one canonical form,
//! the Digital Link URI under `https://id.gs1.org`, and written back as EPC URNs.
//!
//! Any other absolute URI (`urn:uuid:...`, a private URN, a web address that is not a Digital
//! Link) is an identifier too, as EPCIS 2.0 allows, and is kept verbatim.

mod error;
mod gcp;
mod urn;

#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use gs1::digital_link::{DigitalLink, DlError, DlOptions};
use gs1::element::{AiString, Options};
use gs1::keys::{Gln, Gtin, Sscc};

pub use error::EpcError;
pub use gcp::{GcpLength, Gs1GcpTable, KnownPrefixes};

/// An EPCIS identifier in its canonical form; it cannot hold an invalid EPC URN or Digital Link.
///
/// ```
/// use epcis::{Epc, epc::Gs1GcpTable};
/// let epc = Epc::parse("urn:epc:id:sgtin:0614141.107346.2017")?;
/// assert_eq!(epc.canonical(), "https://id.gs1.org/01/10614141073464/21/2017");
/// assert_eq!(epc.serial(), Some("2017"));
/// let same = Epc::parse("https://example.com/shop/01/10614141073464/21/2017?17=251231")?;
/// assert_eq!(epc, same);
/// assert_eq!(same.to_urn(&Gs1GcpTable).as_deref(), Some("urn:epc:id:sgtin:0614141.107346.2017"));
/// # Ok::<(), epcis::EpcError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Epc {
    canonical: Box<str>,
    kind: EpcKind,
    /// The key and its qualifiers, for GS1 keys.
    ais: Option<AiString>,
}

/// What an identifier names: the EPC scheme, at instance or class level, or no GS1 key at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EpcKind {
    /// A serialised trade item: `urn:epc:id:sgtin:`, `/01/{gtin}/21/{serial}`.
    Sgtin,
    /// Every instance of a GTIN: `urn:epc:idpat:sgtin:CP.IR.*`, `/01/{gtin}`.
    GtinClass,
    /// A batch or lot of a GTIN: `urn:epc:class:lgtin:`, `/01/{gtin}/10/{lot}`.
    Lgtin,
    /// A logistic unit: `urn:epc:id:sscc:`, `/00/{sscc}`.
    Sscc,
    /// A location: `urn:epc:id:sgln:`, `/414/{gln}` with an optional `/254/{extension}`.
    Sgln,
    /// A party: `urn:epc:id:pgln:`, `/417/{gln}`.
    Pgln,
    /// A serialised returnable asset: `urn:epc:id:grai:`, `/8003/{grai with serial}`.
    Grai,
    /// Every instance of a returnable asset type: `urn:epc:idpat:grai:CP.AT.*`.
    GraiClass,
    /// An individual asset: `urn:epc:id:giai:`, `/8004/{giai}`.
    Giai,
    /// A service relation (recipient): `urn:epc:id:gsrn:`, `/8018/{gsrn}`.
    Gsrn,
    /// A service relation (provider): `urn:epc:id:gsrnp:`, `/8017/{gsrn}`.
    Gsrnp,
    /// A serialised document: `urn:epc:id:gdti:`, `/253/{gdti with serial}`.
    Gdti,
    /// Every document of a type: `urn:epc:idpat:gdti:CP.DT.*`.
    GdtiClass,
    /// A serialised coupon: `urn:epc:id:sgcn:`, `/255/{gcn with serial}`.
    Sgcn,
    /// Every coupon of a type: `urn:epc:idpat:sgcn:CP.CT.*`.
    SgcnClass,
    /// A serialised component or part: `urn:epc:id:cpi:`, `/8010/{cpi}/8011/{serial}`.
    Cpi,
    /// Every instance of a component or part: `urn:epc:idpat:cpi:CP.CPREF.*`.
    CpiClass,
    /// A consignment: `urn:epc:id:ginc:`, `/401/{ginc}`.
    Ginc,
    /// A shipment: `urn:epc:id:gsin:`, `/402/{gsin}`.
    Gsin,
    /// A serialised piece of a trade item: `urn:epc:id:itip:`, `/8006/{itip}/21/{serial}`.
    Itip,
    /// Every instance of a piece of a trade item: `urn:epc:idpat:itip:CP.IR.PL.PT.*`.
    ItipClass,
    /// A trade item with a third-party serial extension: `urn:epc:id:upui:`, `/01/{gtin}/235/{tpx}`.
    Upui,
    /// A Digital Link primary key with no EPC scheme (a GMN, a UIC, ...).
    OtherKey,
    /// Any other absolute URI, kept verbatim.
    Other,
}

impl EpcKind {
    /// True for identifiers of a class of objects (a GTIN, a lot, a pattern) rather than one object.
    pub fn is_class(self) -> bool {
        matches!(
            self,
            Self::GtinClass
                | Self::Lgtin
                | Self::GraiClass
                | Self::GdtiClass
                | Self::SgcnClass
                | Self::CpiClass
                | Self::ItipClass
        )
    }

    /// The AIs an EPC URN of this kind carries; a key with any other qualifier has no URN.
    fn urn_ais(self) -> &'static [&'static str] {
        match self {
            Self::Sgtin => &["01", "21"],
            Self::GtinClass => &["01"],
            Self::Lgtin => &["01", "10"],
            Self::Upui => &["01", "235"],
            Self::Sscc => &["00"],
            Self::Sgln => &["414", "254"],
            Self::Pgln => &["417"],
            Self::Grai | Self::GraiClass => &["8003"],
            Self::Giai => &["8004"],
            Self::Gsrn => &["8018"],
            Self::Gsrnp => &["8017"],
            Self::Gdti | Self::GdtiClass => &["253"],
            Self::Sgcn | Self::SgcnClass => &["255"],
            Self::Cpi => &["8010", "8011"],
            Self::CpiClass => &["8010"],
            Self::Ginc => &["401"],
            Self::Gsin => &["402"],
            Self::Itip => &["8006", "21"],
            Self::ItipClass => &["8006"],
            Self::OtherKey | Self::Other => &[],
        }
    }

    /// The kind of a GS1 key and its qualifiers.
    fn of(ais: &AiString) -> Self {
        let Some(key) = ais.iter().next() else {
            return Self::OtherKey;
        };
        let has = |ai| ais.get(ai).is_some();
        // Keys whose serial is part of the key value: without one they name a class.
        let serial_after = |n: usize| key.value.len() > n;
        match key.ai {
            "00" => Self::Sscc,
            "01" if has("21") => Self::Sgtin,
            "01" if has("235") => Self::Upui,
            "01" if has("10") => Self::Lgtin,
            "01" => Self::GtinClass,
            "414" => Self::Sgln,
            "417" => Self::Pgln,
            "8003" if serial_after(14) => Self::Grai,
            "8003" => Self::GraiClass,
            "8004" => Self::Giai,
            "8018" => Self::Gsrn,
            "8017" => Self::Gsrnp,
            "253" if serial_after(13) => Self::Gdti,
            "253" => Self::GdtiClass,
            "255" if serial_after(13) => Self::Sgcn,
            "255" => Self::SgcnClass,
            "8010" if has("8011") => Self::Cpi,
            "8010" => Self::CpiClass,
            "401" => Self::Ginc,
            "402" => Self::Gsin,
            "8006" if has("21") => Self::Itip,
            "8006" => Self::ItipClass,
            _ => Self::OtherKey,
        }
    }
}

impl Epc {
    /// Parses an EPC URN, a GS1 Digital Link URI (any domain, any query) or another absolute URI.
    ///
    /// ```
    /// use epcis::{Epc, EpcError, epc::EpcKind};
    /// let loc = Epc::parse("urn:epc:id:sgln:0614141.00777.0")?;
    /// assert_eq!(loc.canonical(), "https://id.gs1.org/414/0614141007776");
    /// assert_eq!(loc.kind(), EpcKind::Sgln);
    /// let other = Epc::parse("urn:uuid:4e4f1ba6-5c7f-4c4e-9e24-6a2e4b6d7c10")?;
    /// assert_eq!(other.kind(), EpcKind::Other);
    /// assert!(matches!(Epc::parse(""), Err(EpcError::Empty)));
    /// assert_eq!(
    ///     Epc::parse("urn:epc:id:sgtin:0614141.1073461.2017").unwrap_err().to_string(),
    ///     "urn:epc:id:sgtin:0614141.1073461.2017: \
    ///      company prefix and item reference must have 13 digits together"
    /// );
    /// # Ok::<(), EpcError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Self, EpcError> {
        if s.is_empty() {
            return Err(EpcError::Empty);
        }
        if !is_absolute_uri(s) {
            return Err(EpcError::NotUri {
                input: s.to_owned(),
            });
        }
        if s.get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:epc:"))
        {
            return match urn::parse(s)? {
                urn::Parsed::Key(pairs) => Self::from_pairs(s, &pairs),
                urn::Parsed::Foreign => Ok(Self::other(s)),
            };
        }
        let web = ["http://", "https://"]
            .iter()
            .any(|p| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)));
        if web {
            return Self::parse_digital_link(s);
        }
        Ok(Self::other(s))
    }

    fn parse_digital_link(s: &str) -> Result<Self, EpcError> {
        let fail = |source| EpcError::DigitalLink {
            input: s.to_owned(),
            source,
        };
        // The deprecated convenience alphas (`/gtin/.../lot/...`) of older Digital Links are
        // read (and written back numeric), as the CBV 2.0 hash algorithm reads them.
        let opts = DlOptions {
            permit_convenience_alphas: true,
            ..DlOptions::default()
        };
        let dl = match DigitalLink::parse(s, &opts) {
            Ok(dl) => dl,
            // A web address without a key is some other resource, unless GS1's resolver is
            // its host, where only Digital Links live.
            Err(DlError::NoPrimaryKey { .. } | DlError::MissingDomainOrPath)
                if !on_gs1_resolver(s) =>
            {
                return Ok(Self::other(s));
            }
            Err(e) => return Err(fail(e)),
        };
        let key = dl.primary_key();
        let path: Vec<(&str, &str)> = std::iter::once(key)
            .chain(dl.qualifiers())
            // TDS writes "no extension" as the sgln extension 0, so (254) 0 is no extension
            // here too and both spellings share a canonical form. The Digital Link standard
            // would keep `/254/0`.
            .filter(|e| !(key.ai == "414" && e.ai == "254" && e.value == "0"))
            .map(|e| (e.ai, e.value))
            .collect();
        Self::from_pairs(s, &path)
    }

    fn from_pairs<V: AsRef<str>>(input: &str, pairs: &[(&str, V)]) -> Result<Self, EpcError> {
        let ais = AiString::from_pairs(
            pairs.iter().map(|(a, v)| (*a, v.as_ref())),
            &Options::default(),
        )
        .map_err(|source| EpcError::Key {
            input: input.to_owned(),
            source,
        })?;
        let canonical = ais
            .to_digital_link(None)
            .map_err(|source| EpcError::DigitalLink {
                input: input.to_owned(),
                source,
            })?;
        Ok(Self {
            canonical: canonical.into(),
            kind: EpcKind::of(&ais),
            ais: Some(ais),
        })
    }

    fn other(s: &str) -> Self {
        Self {
            canonical: s.into(),
            kind: EpcKind::Other,
            ais: None,
        }
    }

    /// The trade item `gtin` itself, its lot `10`, or its serialised instance `21` (`ai`).
    pub fn of_gtin(gtin: &Gtin, qualifier: Option<(&str, &str)>) -> Result<Self, EpcError> {
        let mut uri = format!("https://id.gs1.org/01/{gtin}");
        if let Some((ai, value)) = qualifier {
            uri.push('/');
            uri.push_str(ai);
            uri.push('/');
            gs1::digital_link::escape_into(&mut uri, value, gs1::digital_link::UriPart::Path);
        }
        Self::parse(&uri)
    }

    /// The canonical form: the Digital Link URI under `https://id.gs1.org` (path only) for GS1
    /// keys, the identifier as given otherwise.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// What the identifier names.
    pub fn kind(&self) -> EpcKind {
        self.kind
    }

    /// True for a class of objects (a GTIN, a lot, a pattern) rather than one object.
    pub fn is_class(&self) -> bool {
        self.kind.is_class()
    }

    /// The key and its qualifiers as a GS1 message, for GS1 keys.
    pub fn ai_string(&self) -> Option<&AiString> {
        self.ais.as_ref()
    }

    fn get(&self, ai: &str) -> Option<&str> {
        self.ais.as_ref()?.get(ai)
    }

    /// The GTIN of a trade item, its class or lot, or of the trade item an ITIP is a piece of.
    pub fn gtin(&self) -> Option<Gtin> {
        let digits = self.get("01").or_else(|| self.get("8006")?.get(..14))?;
        Gtin::parse(digits).ok()
    }

    /// The serial of a serialised key (sgtin, itip, grai, gdti, sgcn, cpi; the TPX of a upui).
    pub fn serial(&self) -> Option<&str> {
        let tail = |ai, at| self.get(ai)?.get(at..).filter(|s| !s.is_empty());
        match self.kind {
            EpcKind::Sgtin | EpcKind::Itip => self.get("21"),
            EpcKind::Upui => self.get("235"),
            EpcKind::Cpi => self.get("8011"),
            EpcKind::Grai => tail("8003", 14),
            EpcKind::Gdti => tail("253", 13),
            EpcKind::Sgcn => tail("255", 13),
            _ => None,
        }
    }

    /// The batch or lot number, for an lgtin (or a Digital Link that has one).
    pub fn lot(&self) -> Option<&str> {
        self.get("10")
    }

    /// The SSCC of a logistic unit.
    pub fn sscc(&self) -> Option<Sscc> {
        Sscc::parse(self.get("00")?).ok()
    }

    /// The GLN of a location (sgln) or a party (pgln).
    pub fn gln(&self) -> Option<Gln> {
        Gln::parse(self.get("414").or_else(|| self.get("417"))?).ok()
    }

    /// The EPC URN (TDS 2.x) of a GS1 key; `None` for other URIs, when `gcp` does not know the
    /// company prefix length, or when the key has qualifiers no URN holds (a lot with a serial,
    /// a consumer product variant).
    pub fn to_urn(&self, gcp: &dyn GcpLength) -> Option<String> {
        let ais = self.ais.as_ref()?;
        let allowed = self.kind.urn_ais();
        if ais.iter().any(|e| !allowed.contains(&e.ai)) {
            return None;
        }
        urn::write(self.kind, |ai| ais.get(ai), gcp)
    }
}

/// True for a scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`), `:` and at least
/// one more character, with no spaces or control characters anywhere.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn on_gs1_resolver(s: &str) -> bool {
    let after = s.split_once("://").map_or("", |(_, a)| a);
    let host = after.split(['/', '?', '#']).next().unwrap_or("");
    host.eq_ignore_ascii_case("id.gs1.org")
}

impl FromStr for Epc {
    type Err = EpcError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Epc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl AsRef<str> for Epc {
    fn as_ref(&self) -> &str {
        &self.canonical
    }
}

// Identity is the canonical form alone: the rest is derived from it.
impl PartialEq for Epc {
    fn eq(&self, other: &Self) -> bool {
        self.canonical == other.canonical
    }
}

impl Eq for Epc {}

impl Hash for Epc {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical.hash(state);
    }
}

impl PartialOrd for Epc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Epc {
    fn cmp(&self, other: &Self) -> Ordering {
        self.canonical.cmp(&other.canonical)
    }
}
