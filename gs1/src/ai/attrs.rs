//! Entry attributes: mandatory associations (`req=`), invalid pairings (`ex=`) and Digital Link
//! primary-key qualifier paths (`dlpkey`).

use std::fmt;

use super::{DictError, MAX_AI_LEN, MIN_AI_LEN, entry::Ai};

/// An AI reference in an attribute: digits, then optional trailing `n` wildcards (`31nn`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AiPattern {
    text: [u8; MAX_AI_LEN],
    len: u8,
    fixed: u8,
}

impl AiPattern {
    /// Parses an AI reference such as `01`, `392n` or `0nnn`.
    ///
    /// ```
    /// use gs1::ai::AiPattern;
    /// assert!(AiPattern::parse("31nn").is_some());
    /// assert!(AiPattern::parse("n0").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if !(MIN_AI_LEN..=MAX_AI_LEN).contains(&b.len()) {
            return None;
        }
        let fixed = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if fixed == 0 || !b[fixed..].iter().all(|&c| c == b'n') {
            return None;
        }
        let mut text = [0; MAX_AI_LEN];
        text[..b.len()].copy_from_slice(b);
        Some(Self {
            text,
            len: b.len() as u8,
            fixed: fixed as u8,
        })
    }

    /// True if `ai` has the pattern's length and starts with its fixed digits.
    pub fn matches(&self, ai: Ai) -> bool {
        // Compare the fixed leading digits as one masked integer: this runs for every pair of
        // AIs in every message checked.
        let mask = u32::MAX
            .checked_shl(32 - 8 * u32::from(self.fixed))
            .unwrap_or(0);
        ai.len() == usize::from(self.len) && (ai.key() ^ u32::from_be_bytes(self.text)) & mask == 0
    }

    /// The pattern as written, e.g. `"392n"`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The AI, if the pattern has no wildcard.
    pub fn as_ai(&self) -> Option<Ai> {
        if self.fixed == self.len {
            Ai::new(&self.text[..usize::from(self.len)])
        } else {
            None
        }
    }
}

impl fmt::Debug for AiPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AiPattern({})", self.as_str())
    }
}

impl fmt::Display for AiPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ordered sequence of qualifier AIs that may follow a Digital Link primary key.
pub type QualifierPath = Vec<Ai>;

/// The attributes of a dictionary entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    raw: Box<str>,
    /// Every inner list must be satisfied (AND); within it any alternative (OR), whose members
    /// must all be present (AND).
    req: Vec<Vec<Vec<AiPattern>>>,
    ex: Vec<AiPattern>,
    dlpkey: Option<Vec<QualifierPath>>,
}

impl Attributes {
    /// The attributes as written in the dictionary, single-space separated.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
    /// `req=` rules: each must be satisfied by one of its alternatives (all members present).
    pub fn requisites(&self) -> &[Vec<Vec<AiPattern>>] {
        &self.req
    }
    /// `ex=` patterns: AIs that must not appear with this one.
    pub fn exclusions(&self) -> &[AiPattern] {
        &self.ex
    }
    /// `dlpkey`: `None` if the AI is not a Digital Link primary key, else its alternative
    /// qualifier sequences (empty when it takes no qualifiers).
    pub fn dl_primary_key(&self) -> Option<&[QualifierPath]> {
        self.dlpkey.as_deref()
    }
}

/// Parses the attribute tokens of one entry line.
pub(super) fn parse(tokens: &[&str], line: usize) -> Result<Attributes, DictError> {
    let mut attrs = Attributes {
        raw: tokens.join(" ").into(),
        ..Attributes::default()
    };
    for &tok in tokens {
        let bad = || DictError::BadAttribute {
            line,
            field: tok.into(),
        };
        let (name, value) = match tok.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (tok, None),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase()) || value == Some("") {
            return Err(bad());
        }
        match (name, value) {
            ("req", Some(v)) => {
                let alternatives = v
                    .split(',')
                    .map(|alt| {
                        alt.split('+')
                            .map(AiPattern::parse)
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(bad)?;
                attrs.req.push(alternatives);
            }
            ("ex", Some(v)) => {
                let pats = v
                    .split(',')
                    .map(AiPattern::parse)
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(bad)?;
                attrs.ex.extend(pats);
            }
            ("dlpkey", None) => attrs.dlpkey = Some(Vec::new()),
            ("dlpkey", Some(v)) => {
                let paths = v
                    .split('|')
                    .map(|seq| {
                        seq.split(',')
                            .map(|ai| Ai::new(ai.as_bytes()))
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(bad)?;
                attrs.dlpkey = Some(paths);
            }
            ("req" | "ex", None) => return Err(bad()),
            // Unknown attribute names are reserved for future dictionary releases: keep, ignore.
            _ => {}
        }
    }
    Ok(attrs)
}
