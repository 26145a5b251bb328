//! GS1 element strings: parse and render the bracketed form `(01)...(10)...`, the unbracketed
//! form with `^` (or ASCII 29) for FNC1, and human-readable text; validate a whole message.

mod error;
mod parse;
mod render;
mod unknown;
mod validate;

use crate::ai::{Ai, AiEntry, Dictionary};

pub use error::ElementError;

/// The most AIs one message may hold.
pub const MAX_AIS: usize = 64;

/// The longest data, in bytes, that any parser here accepts (the engine's buffer size less one).
pub const MAX_DATA: usize = 8191;

/// Looks up an AI named explicitly (e.g. a Digital Link query parameter), giving a stand-in
/// entry for an unknown AI when `permit_unknown` allows it; the flag says whether it is known.
pub(crate) fn lookup_ai(ai: &[u8], permit_unknown: bool) -> Option<(&'static AiEntry, bool)> {
    unknown::lookup_exact(Dictionary::embedded(), ai, permit_unknown)
}

/// Message-level checks; each can be switched off (the engine only lets `requisites` be).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validations {
    /// `ex=`: AIs that must not be paired.
    pub mutex: bool,
    /// `req=`: AIs an AI requires (the standard applies it over all carriers on an item, so a
    /// single label may legitimately fail it).
    pub requisites: bool,
    /// Repeated AIs must carry identical values.
    pub repeats: bool,
    /// AI (8030) needs the serial component of (253), (255) or (8003).
    pub digsig_serial: bool,
    /// Unknown AIs may not be Digital Link data attributes.
    pub unknown_ai_not_dl_attr: bool,
}

impl Default for Validations {
    fn default() -> Self {
        Self {
            mutex: true,
            requisites: true,
            repeats: true,
            digsig_serial: true,
            unknown_ai_not_dl_attr: true,
        }
    }
}

impl Validations {
    /// Every message-level check off: syntax and linters only.
    pub const NONE: Self = Self {
        mutex: false,
        requisites: false,
        repeats: false,
        digsig_serial: false,
        unknown_ai_not_dl_attr: false,
    };
}

/// Parsing options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Accept AIs the dictionary does not define (where their length can be known).
    pub permit_unknown_ais: bool,
    /// Message-level checks.
    pub validations: Validations,
}

/// One AI and its value within a message.
#[derive(Clone, Copy, Debug)]
pub struct AiValue {
    entry: &'static AiEntry,
    known: bool,
    ai: Ai,
    value: (u16, u16),
}

/// A parsed, validated GS1 message: a sequence of AIs with values, in input order, possibly in
/// two parts (linear `|` composite).
#[derive(Clone, Debug)]
pub struct AiString {
    /// The canonical unbracketed form (`^` = FNC1, `|` between linear and composite parts).
    data: String,
    items: Vec<AiValue>,
    /// Index into `items` of the first AI of the composite part, if there is one.
    composite_at: Option<usize>,
}

/// A borrowed view of one AI in a message.
#[derive(Clone, Copy, Debug)]
pub struct Element<'a> {
    /// The AI digits.
    pub ai: &'a str,
    /// The value.
    pub value: &'a str,
    /// The dictionary entry (a stand-in for unknown AIs).
    pub entry: &'static AiEntry,
    /// Whether the dictionary defines this AI.
    pub known: bool,
}

impl AiString {
    /// Parses a bracketed element string such as `(01)09506000134352(10)ABC123`, with `\(` for a
    /// literal bracket, and `|` separating a composite part.
    ///
    /// ```
    /// use gs1::element::{AiString, Options};
    /// let m = AiString::parse_bracketed("(01)09506000134352(10)ABC123", &Options::default()).unwrap();
    /// assert_eq!(m.as_unbracketed(), "^010950600013435210ABC123");
    /// ```
    pub fn parse_bracketed(s: &str, opts: &Options) -> Result<Self, ElementError> {
        let m = parse::bracketed(Dictionary::embedded(), s, opts)?;
        validate::message(&m, &opts.validations)?;
        Ok(m)
    }

    /// Parses an unbracketed element string starting with `^` (FNC1), `^` separating
    /// variable-length values, `|` separating a composite part. ASCII 29 (GS), as scanners send
    /// FNC1, is accepted wherever `^` is and read as `^`.
    ///
    /// ```
    /// use gs1::element::{AiString, Options};
    /// let m = AiString::parse_unbracketed("^010950600013435210ABC123", &Options::default()).unwrap();
    /// assert_eq!(m.to_bracketed(), "(01)09506000134352(10)ABC123");
    /// let m = AiString::parse_unbracketed("\u{1d}0109506000134352\u{1d}10ABC\u{1d}21X", &Options::default()).unwrap();
    /// assert_eq!(m.as_unbracketed(), "^0109506000134352^10ABC^21X");
    /// assert_eq!(m.to_gs_separated(), "0109506000134352\u{1d}10ABC\u{1d}21X");
    /// ```
    pub fn parse_unbracketed(s: &str, opts: &Options) -> Result<Self, ElementError> {
        let owned = if s.contains(crate::scan::GS) {
            s.replace(crate::scan::GS, "^")
        } else {
            s.into()
        };
        Self::parse_unbracketed_owned(owned, opts)
    }

    /// The data as a scanner transmits it after the symbology identifier: no leading FNC1,
    /// ASCII 29 (GS) between values, composite parts joined as GS1-128 composites are.
    pub fn to_gs_separated(&self) -> String {
        let body = self.data.strip_prefix('^').unwrap_or(&self.data);
        // The composite part follows the linear part directly unless the last linear AI needs
        // FNC1 to end it.
        let last_linear = self
            .composite_at
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| self.items.get(i));
        let join = if last_linear.is_some_and(|v| v.entry.fnc1_required()) {
            "^"
        } else {
            ""
        };
        body.replacen("|^", join, 1).replace('^', "\u{1d}")
    }

    /// As [`AiString::parse_unbracketed`], keeping the given buffer.
    pub(crate) fn parse_unbracketed_owned(s: String, opts: &Options) -> Result<Self, ElementError> {
        let m = parse::unbracketed(Dictionary::embedded(), s, opts)?;
        validate::message(&m, &opts.validations)?;
        Ok(m)
    }

    /// Builds a message from AI/value pairs (e.g. from a Digital Link URI), validating each value
    /// and the whole message.
    pub fn from_pairs<'p>(
        pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
        opts: &Options,
    ) -> Result<Self, ElementError> {
        let m = parse::pairs(Dictionary::embedded(), pairs, opts)?;
        validate::message(&m, &opts.validations)?;
        Ok(m)
    }

    /// Runs message-level checks again, e.g. the full set on a message parsed with some off.
    pub fn validate(&self, validations: &Validations) -> Result<(), ElementError> {
        validate::message(self, validations)
    }

    /// Like [`AiString::from_pairs`], for AIs whose dictionary entries the caller has already
    /// resolved (as [`lookup_ai`] gives them), so that they are not looked up again.
    pub(crate) fn from_resolved<'p>(
        items: impl IntoIterator<Item = (&'static AiEntry, bool, &'p str, &'p str)>,
        opts: &Options,
    ) -> Result<Self, ElementError> {
        let m = parse::resolved(items)?;
        validate::message(&m, &opts.validations)?;
        Ok(m)
    }

    /// The canonical unbracketed form, `^` for FNC1.
    pub fn as_unbracketed(&self) -> &str {
        &self.data
    }

    /// The AIs in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Element<'_>> + '_ {
        self.items.iter().map(|v| self.element(v))
    }

    /// Number of AIs.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if the message holds no AI.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The value of the first occurrence of `ai`.
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.iter().find(|e| e.ai == ai).map(|e| e.value)
    }

    /// Index of the first AI of the composite part, if the message has one.
    pub fn composite_at(&self) -> Option<usize> {
        self.composite_at
    }

    fn element<'a>(&'a self, v: &'a AiValue) -> Element<'a> {
        let (s, l) = (usize::from(v.value.0), usize::from(v.value.1));
        Element {
            ai: v.ai.as_str(),
            value: &self.data[s..s + l],
            entry: v.entry,
            known: v.known,
        }
    }
}
