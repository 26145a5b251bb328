//! The "data string" that unifies what a barcode carries (GS1 element data starting with `^`, a
//! Digital Link URI, or plain data with an optional `|^...` composite part), and conversion to and
//! from scanner output.

use std::borrow::Cow;

use super::{GS, ScanError, Symbology};
use crate::{
    check_digit,
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, ElementError, MAX_DATA, Options},
};

/// What a barcode carries.
#[derive(Clone, Debug)]
pub enum DataStr {
    /// GS1 element data (`^01...`), possibly with a composite part.
    Ai(AiString),
    /// A GS1 Digital Link URI, with the AIs it carries.
    DigitalLink {
        /// The URI as given.
        uri: String,
        /// Its AIs.
        ais: AiString,
    },
    /// Plain (non-GS1) data, such as an EAN/UPC primary, a URL or text; a leading `^` is written
    /// `\^` to tell it from GS1 data. An EAN/UPC primary may carry a composite part.
    Plain {
        /// The data as written in the data string (escapes kept).
        text: String,
        /// The composite part's AIs, after `|`.
        composite: Option<AiString>,
    },
}

fn is_dl_uri(s: &str) -> bool {
    ["https://", "HTTPS://", "http://", "HTTP://"]
        .iter()
        .any(|p| s.starts_with(p))
}

impl DataStr {
    /// Classifies and validates a data string.
    ///
    /// ```
    /// use gs1::{element::Options, scan::DataStr};
    /// let d = DataStr::parse("^0109506000134352", &Options::default()).unwrap();
    /// assert!(matches!(d, DataStr::Ai(_)));
    /// assert!(matches!(DataStr::parse("hello", &Options::default()).unwrap(), DataStr::Plain { .. }));
    /// ```
    pub fn parse(s: &str, opts: &Options) -> Result<Self, ScanError> {
        if s.len() > MAX_DATA {
            return Err(ElementError::DataTooLong {
                len: s.len(),
                max: MAX_DATA,
            }
            .into());
        }
        if is_dl_uri(s) {
            let dl_opts = DlOptions {
                element: *opts,
                ..DlOptions::default()
            };
            let dl = DigitalLink::parse(s, &dl_opts)
                .map_err(|e| ScanError::DigitalLink(e.to_string()))?;
            return Ok(Self::DigitalLink {
                uri: s.into(),
                ais: dl.into_ai_string(),
            });
        }
        if s.starts_with('^') {
            return Ok(Self::Ai(AiString::parse_unbracketed(s, opts)?));
        }
        match s.split_once('|') {
            Some((text, cc)) => Ok(Self::Plain {
                text: text.into(),
                composite: Some(AiString::parse_unbracketed(cc, opts)?),
            }),
            None => Ok(Self::Plain {
                text: s.into(),
                composite: None,
            }),
        }
    }

    /// The data string, as the engine writes it.
    pub fn as_data_str(&self) -> Cow<'_, str> {
        match self {
            Self::Ai(m) => Cow::Borrowed(m.as_unbracketed()),
            Self::DigitalLink { uri, .. } => Cow::Borrowed(uri),
            Self::Plain {
                text,
                composite: Some(cc),
            } => Cow::Owned(format!("{text}|{}", cc.as_unbracketed())),
            Self::Plain {
                text,
                composite: None,
            } => Cow::Borrowed(text),
        }
    }

    /// The AIs carried, if any: the element data, the URI's AIs, or a plain primary's composite.
    pub fn ais(&self) -> Option<&AiString> {
        match self {
            Self::Ai(m) | Self::DigitalLink { ais: m, .. } => Some(m),
            Self::Plain { composite, .. } => composite.as_ref(),
        }
    }

    /// The bracketed element string of the AIs carried (`|` before a plain primary's composite).
    pub fn to_bracketed(&self) -> Option<String> {
        match self {
            Self::Plain {
                composite: Some(cc),
                ..
            } => Some(format!("|{}", cc.to_bracketed())),
            _ => self.ais().map(AiString::to_bracketed),
        }
    }
}

/// Scanner output: the symbology and what it carried.
#[derive(Clone, Debug)]
pub struct ScanData {
    /// The symbology the identifier named.
    pub symbology: Symbology,
    /// What the symbol carried.
    pub data: DataStr,
}

impl ScanData {
    /// Parses scanner output: `]` + symbology identifier + data, with ASCII 29 for FNC1.
    ///
    /// ```
    /// use gs1::{element::Options, scan::{ScanData, Symbology}};
    /// let s = ScanData::parse("]d201095060001343521720122510ABC123\u{1d}21XYZ789", &Options::default()).unwrap();
    /// assert_eq!(s.symbology, Symbology::DataMatrix);
    /// assert_eq!(s.data.as_data_str(), "^01095060001343521720122510ABC123^21XYZ789");
    /// ```
    pub fn parse(s: &str, opts: &Options) -> Result<Self, ScanError> {
        let (id, rest) = match (s.strip_prefix(']'), s.get(1..3)) {
            (Some(_), Some(id)) => (id, &s[3..]),
            _ => return Err(ScanError::MissingSymbologyId),
        };
        if rest.len() >= MAX_DATA {
            return Err(ElementError::DataTooLong {
                len: rest.len(),
                max: MAX_DATA - 1,
            }
            .into());
        }
        let (symbology, gs1) = Symbology::from_identifier(id)
            .ok_or_else(|| ScanError::UnsupportedSymbologyId(id.into()))?;
        if let Symbology::Ean13 | Symbology::Ean8 = symbology {
            return Self::parse_primary(symbology, rest, opts);
        }
        let data = if gs1 {
            DataStr::Ai(parse_ai_scan(rest, opts)?)
        } else {
            DataStr::parse(&escape_plain(rest), opts)?
        };
        Ok(Self { symbology, data })
    }

    fn parse_primary(symbology: Symbology, rest: &str, opts: &Options) -> Result<Self, ScanError> {
        let len = if symbology == Symbology::Ean13 { 13 } else { 8 };
        let name = symbology.name();
        if rest.len() < len {
            return Err(ScanError::PrimaryTooShort {
                symbology: name,
                expected: len,
            });
        }
        // A multi-byte character inside the primary is simply not a digit.
        if !rest.is_char_boundary(len) {
            return Err(ScanError::PrimaryNotDigits);
        }
        let (primary, tail) = rest.split_at(len);
        let cc = match tail.strip_prefix("|]e0") {
            Some(cc) => Some(cc),
            None if tail.is_empty() => None,
            None => {
                return Err(ScanError::PrimaryTooLong {
                    symbology: name,
                    expected: len,
                });
            }
        };
        check_primary(primary)?;
        let composite = cc.map(|cc| parse_ai_scan(cc, opts)).transpose()?;
        Ok(Self {
            symbology,
            data: DataStr::Plain {
                text: primary.into(),
                composite,
            },
        })
    }

    /// Renders a data string as the scanner output of `symbology`; with `add_check_digit`, EAN,
    /// UPC and DataBar primaries are given without their check digit.
    ///
    /// ```
    /// use gs1::{element::Options, scan::{DataStr, ScanData, Symbology}};
    /// let d = DataStr::parse("^010950600013435210ABC", &Options::default()).unwrap();
    /// assert_eq!(ScanData::render(&d, Symbology::Qr, false).unwrap(), "]Q3010950600013435210ABC");
    /// ```
    pub fn render(
        data: &DataStr,
        symbology: Symbology,
        add_check_digit: bool,
    ) -> Result<String, ScanError> {
        super::render::render(data, symbology, add_check_digit)
    }
}

/// GS1 data after a symbology identifier: ASCII 29 becomes `^`, and `^` itself is illegal.
fn parse_ai_scan(rest: &str, opts: &Options) -> Result<AiString, ScanError> {
    if rest.contains('^') {
        return Err(ScanError::IllegalCaret);
    }
    let mut data = String::with_capacity(rest.len() + 1);
    for part in rest.split(GS) {
        data.push('^');
        data.push_str(part);
    }
    Ok(AiString::parse_unbracketed_owned(data, opts)?)
}

/// Plain data whose leading backslashes are followed by `^` gets one more backslash, so that it
/// is not read as GS1 data.
fn escape_plain(rest: &str) -> String {
    if rest.trim_start_matches('\\').starts_with('^') {
        format!("\\{rest}")
    } else {
        rest.into()
    }
}

pub(super) fn check_primary(digits: &str) -> Result<(), ScanError> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScanError::PrimaryNotDigits);
    }
    let (body, last) = digits.as_bytes().split_at(digits.len() - 1);
    let want = check_digit::compute(body).unwrap_or(b'0');
    if last[0] != want {
        return Err(ScanError::PrimaryCheckDigit {
            expected: char::from(want),
        });
    }
    Ok(())
}
