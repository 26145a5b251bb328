//! Whatever a person or a scanner produces becomes one [`Identifiers`] value: the primary key,
//! its qualifiers, the other AIs, and warnings a checker should see.

use std::fmt;

use super::{DataStr, GS, ScanData, ScanError, Symbology};
use crate::{
    ai::Ai,
    date::Date,
    element::{AiString, ElementError, Options, Validations},
    keys::{Gln, Gtin, KeyClass, KeyError, Lot, Serial, Sscc},
};

/// How the input was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Scanner output with a symbology identifier.
    Scanner(Symbology),
    /// A GS1 Digital Link URI.
    DigitalLink,
    /// A bracketed or unbracketed element string (FNC1 as `^` or ASCII 29).
    ElementString,
    /// A bare GTIN-8/12/13/14 or SSCC, as typed or read from a linear barcode without identifier.
    BareKey,
}

/// The identification key the data is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrimaryKey {
    /// A trade item (AI 01).
    Gtin(Gtin),
    /// A logistic unit (AI 00).
    Sscc(Sscc),
    /// A location or party (AI 414 or 417).
    Gln(Gln),
    /// Any other GS1 key (GRAI, GIAI, GSRN, GDTI, ...).
    Other {
        /// The key's AI.
        ai: Ai,
        /// Its value.
        value: String,
    },
}

impl PrimaryKey {
    /// The key's AI.
    pub fn ai(&self) -> &str {
        match self {
            Self::Gtin(_) => "01",
            Self::Sscc(_) => "00",
            Self::Gln(_) => "414",
            Self::Other { ai, .. } => ai.as_str(),
        }
    }
    /// The key's value.
    pub fn value(&self) -> &str {
        match self {
            Self::Gtin(g) => g.as_str(),
            Self::Sscc(s) => s.as_str(),
            Self::Gln(g) => g.as_str(),
            Self::Other { value, .. } => value,
        }
    }
}

/// Something a checker should know about otherwise valid data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The expiry date (AI 17) has passed.
    Expired {
        /// The expiry date.
        expiry: Date,
    },
    /// The key is not an ordinary, globally unique number (restricted circulation, coupon,
    /// ISBN, demo...): it does not identify one product worldwide.
    KeyClass(KeyClass),
    /// The AIs on this one carrier do not meet the dictionary's mandatory associations; the
    /// standard applies them over all carriers on an item, so another label may supply them.
    MissingAssociation(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Expired { expiry } => write!(f, "expiry date {expiry} has passed"),
            Self::KeyClass(class) => write!(f, "not an ordinary globally unique key: {class}"),
            Self::MissingAssociation(m) => write!(f, "{m}"),
        }
    }
}

/// Why input could not be read as GS1 identifiers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentifyError {
    /// Nothing was given.
    #[error("nothing to read: the input is empty")]
    Empty,
    /// The input is readable but is not GS1 data (e.g. a plain URL or text).
    #[error("not GS1 data: {0:?}")]
    NotGs1(String),
    /// GS1 data without any identification key (e.g. only a lot number).
    #[error("no GS1 identification key (GTIN, SSCC, GLN, ...) in the data")]
    NoPrimaryKey,
    /// The scanner output is invalid.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The element string is invalid.
    #[error(transparent)]
    Element(#[from] ElementError),
    /// A bare key is invalid.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Everything one scan or typed code says.
#[derive(Clone, Debug)]
pub struct Identifiers {
    /// How the input was written.
    pub source: Source,
    /// The identification key.
    pub primary: PrimaryKey,
    /// The batch or lot (AI 10), if given.
    pub lot: Option<Lot>,
    /// The serial number (AI 21), if given.
    pub serial: Option<Serial>,
    /// Key qualifiers present (AIs that may follow the key in a Digital Link path), in input order.
    pub qualifiers: Vec<(Ai, String)>,
    /// Every other AI, in input order.
    pub attributes: Vec<(Ai, String)>,
    /// The expiry date (AI 17), if given.
    pub expiry: Option<Date>,
    /// Warnings for a checker.
    pub warnings: Vec<Warning>,
    /// All AIs as one message.
    pub ais: Option<AiString>,
}

/// Reads anything scanned or typed: scanner output (`]d2...`), a Digital Link URI, a bracketed
/// or unbracketed element string (FNC1 as `^` or ASCII 29), or a bare GTIN-8/12/13/14 or SSCC.
/// `today` dates the expiry check.
///
/// ```
/// use gs1::{date::Date, scan::{identify, PrimaryKey}};
/// let today = Date::new(2026, 11, 22).unwrap();
/// let ids = identify("(01)08934567890120(10)LOT7(17)251231", today).unwrap();
/// assert_eq!(ids.primary.value(), "08934567890120");
/// assert_eq!(ids.lot.unwrap().as_str(), "LOT7");
/// assert!(!ids.warnings.is_empty()); // expired on 2025-12-31
/// let ids = identify("8934567890120", today).unwrap();
/// assert!(matches!(ids.primary, PrimaryKey::Gtin(_)));
/// ```
pub fn identify(input: &str, today: Date) -> Result<Identifiers, IdentifyError> {
    let text = input.trim_matches(|c: char| c.is_whitespace() && c != GS);
    if text.is_empty() {
        return Err(IdentifyError::Empty);
    }
    // One carrier may legitimately lack AIs another carrier on the item supplies, so the
    // association check becomes a warning here.
    let opts = Options {
        permit_unknown_ais: false,
        validations: Validations {
            requisites: false,
            ..Validations::default()
        },
    };
    let (source, data) = read(text, &opts)?;
    match data {
        Read::Ais(m) => from_ais(source, m, today),
        Read::Key(primary) => Ok(with_warnings(Identifiers::bare(source, primary), today)),
    }
}

impl Identifiers {
    /// A key with nothing else known yet.
    fn bare(source: Source, primary: PrimaryKey) -> Self {
        Self {
            source,
            primary,
            lot: None,
            serial: None,
            qualifiers: Vec::new(),
            attributes: Vec::new(),
            expiry: None,
            warnings: Vec::new(),
            ais: None,
        }
    }
}

enum Read {
    Ais(AiString),
    Key(PrimaryKey),
}

fn read(text: &str, opts: &Options) -> Result<(Source, Read), IdentifyError> {
    if text.starts_with(']') {
        let scan = ScanData::parse(text, opts)?;
        let source = Source::Scanner(scan.symbology);
        return match scan.data {
            DataStr::Ai(m) | DataStr::DigitalLink { ais: m, .. } => Ok((source, Read::Ais(m))),
            DataStr::Plain {
                text: primary,
                composite,
            } if matches!(scan.symbology, Symbology::Ean13 | Symbology::Ean8) => {
                let gtin = Gtin::parse(&primary)?;
                match composite {
                    // The composite part's AIs join the primary's GTIN as one message.
                    Some(cc) => {
                        let pairs: Vec<(String, String)> =
                            std::iter::once(("01".to_string(), gtin.as_str().to_string()))
                                .chain(cc.iter().map(|e| (e.ai.to_string(), e.value.to_string())))
                                .collect();
                        let m = AiString::from_pairs(
                            pairs.iter().map(|(a, v)| (a.as_str(), v.as_str())),
                            opts,
                        )?;
                        Ok((source, Read::Ais(m)))
                    }
                    None => Ok((source, Read::Key(PrimaryKey::Gtin(gtin)))),
                }
            }
            DataStr::Plain { text, .. } => Err(IdentifyError::NotGs1(text)),
        };
    }
    let lower = text
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        // People type schemes in any case; the Digital Link grammar wants all-lower.
        let split = text.find("://").unwrap_or(0);
        let uri = format!("{}{}", text[..split].to_ascii_lowercase(), &text[split..]);
        return match DataStr::parse(&uri, opts)? {
            DataStr::DigitalLink { ais, .. } => Ok((Source::DigitalLink, Read::Ais(ais))),
            _ => Err(IdentifyError::NotGs1(text.into())),
        };
    }
    if text.starts_with('(') {
        return Ok((
            Source::ElementString,
            Read::Ais(AiString::parse_bracketed(text, opts)?),
        ));
    }
    if text.starts_with('^') || text.contains(GS) {
        let mut data = String::with_capacity(text.len() + 1);
        if !text.starts_with(['^', GS]) {
            data.push('^');
        }
        data.extend(text.chars().map(|c| if c == GS { '^' } else { c }));
        return Ok((
            Source::ElementString,
            Read::Ais(AiString::parse_unbracketed(&data, opts)?),
        ));
    }
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        match digits.len() {
            8 | 12 | 13 | 14 => {
                return Ok((
                    Source::BareKey,
                    Read::Key(PrimaryKey::Gtin(Gtin::parse(&digits)?)),
                ));
            }
            18 => {
                return Ok((
                    Source::BareKey,
                    Read::Key(PrimaryKey::Sscc(Sscc::parse(&digits)?)),
                ));
            }
            _ => {}
        }
    }
    // Element data read by a scanner that sent neither identifier nor leading FNC1.
    match AiString::parse_unbracketed(&format!("^{text}"), opts) {
        Ok(m) => Ok((Source::ElementString, Read::Ais(m))),
        Err(_) => Err(IdentifyError::NotGs1(text.into())),
    }
}

fn from_ais(source: Source, m: AiString, today: Date) -> Result<Identifiers, IdentifyError> {
    let key = m
        .iter()
        .find(|e| e.known && e.entry.attrs().dl_primary_key().is_some())
        .ok_or(IdentifyError::NoPrimaryKey)?;
    let key_ai = key.entry.ai();
    let primary = match key.ai {
        "01" => PrimaryKey::Gtin(Gtin::parse(key.value)?),
        "00" => PrimaryKey::Sscc(Sscc::parse(key.value)?),
        "414" | "417" => PrimaryKey::Gln(Gln::parse(key.value)?),
        _ => PrimaryKey::Other {
            ai: key_ai,
            value: key.value.into(),
        },
    };
    let paths = key.entry.attrs().dl_primary_key().unwrap_or_default();
    let is_qualifier = |ai: Ai| paths.iter().any(|p| p.contains(&ai));
    let mut ids = Identifiers::bare(source, primary);
    let mut seen_key = false;
    for e in m.iter() {
        let ai = e.entry.ai();
        if e.known && ai == key_ai && !seen_key {
            seen_key = true;
            continue;
        }
        match e.ai {
            "10" => ids.lot = Lot::parse(e.value).ok(),
            "21" => ids.serial = Serial::parse(e.value).ok(),
            "17" => ids.expiry = Date::from_yymmdd(e.value, today),
            _ => {}
        }
        let pair = (Ai::new(e.ai.as_bytes()).unwrap_or(ai), e.value.to_string());
        if e.known && is_qualifier(ai) {
            ids.qualifiers.push(pair)
        } else {
            ids.attributes.push(pair)
        }
    }
    if let Err(ElementError::Requisites { ai, required }) = m.validate(&Validations {
        requisites: true,
        ..Validations::NONE
    }) {
        ids.warnings.push(Warning::MissingAssociation(format!(
            "AI ({ai}) needs one of {required} on the item"
        )));
    }
    ids.ais = Some(m);
    Ok(with_warnings(ids, today))
}

fn with_warnings(mut ids: Identifiers, today: Date) -> Identifiers {
    let class = match &ids.primary {
        PrimaryKey::Gtin(g) => Some(g.class()),
        PrimaryKey::Sscc(s) => Some(s.class()),
        PrimaryKey::Gln(g) => Some(g.class()),
        PrimaryKey::Other { .. } => None,
    };
    // Books, serials and GS1 Global Office numbers are issued for worldwide use; the other
    // classes do not identify one product worldwide.
    let suspicious = |c: &KeyClass| {
        matches!(
            c,
            KeyClass::RestrictedCirculation(_)
                | KeyClass::Coupon
                | KeyClass::RefundReceipt
                | KeyClass::Demo
                | KeyClass::Reserved
                | KeyClass::Unassigned
        )
    };
    if let Some(class) = class.filter(suspicious) {
        ids.warnings.insert(0, Warning::KeyClass(class));
    }
    if let Some(expiry) = ids.expiry.filter(|&d| d < today) {
        ids.warnings.insert(0, Warning::Expired { expiry });
    }
    ids
}
