//! Why an element string was refused: each error names the AI, the position and the reason.

use crate::lint::LintErrorKind;

/// Why an element string (bracketed, `^`-separated or scanned) was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ElementError {
    /// Unbracketed data must start with `^` (FNC1 in first position).
    #[error("missing FNC1 in first position: GS1 data must start with '^'")]
    MissingFnc1,
    /// The data holds no AI at all.
    #[error("the AI data is empty")]
    Empty,
    /// The bracketed syntax is broken (no `(`, no `)`, or no value).
    #[error("failed to parse AI data at byte {position}: {reason}")]
    Syntax {
        /// Byte offset in the input.
        position: usize,
        /// What was expected.
        reason: &'static str,
    },
    /// The AI is not in the dictionary (and unknown AIs are not permitted or not possible here).
    #[error("AI ({ai}) at byte {position} is not recognised")]
    UnknownAi {
        /// The AI as given.
        ai: String,
        /// Byte offset in the input.
        position: usize,
    },
    /// No known AI starts the data at this point of an unbracketed string.
    #[error("no known AI at byte {position}: {rest:?}")]
    NoAiForPrefix {
        /// Byte offset in the input.
        position: usize,
        /// The data from there on.
        rest: String,
    },
    /// The AI has no value.
    #[error("AI ({ai}) at byte {position} has no value")]
    EmptyValue {
        /// The AI.
        ai: String,
        /// Byte offset of the AI in the input.
        position: usize,
    },
    /// The value is shorter than the AI allows.
    #[error("AI ({ai}) value is too short")]
    TooShort {
        /// The AI.
        ai: String,
    },
    /// The value is longer than the AI allows.
    #[error("AI ({ai}) value is too long")]
    TooLong {
        /// The AI.
        ai: String,
    },
    /// A component of the value is shorter than its minimum.
    #[error("AI ({ai}) value has a component of incorrect length")]
    IncorrectLength {
        /// The AI.
        ai: String,
    },
    /// A `^` appears inside a value, where it would be read as FNC1.
    #[error("AI ({ai}) value contains an illegal '^'")]
    IllegalCaret {
        /// The AI.
        ai: String,
    },
    /// A linter refused a component of the value.
    #[error("AI ({ai}): {kind} at value position {position}: {markup}")]
    Lint {
        /// The AI.
        ai: String,
        /// What the linter found.
        kind: LintErrorKind,
        /// Byte offset of the offending span within the AI's value.
        position: usize,
        /// The engine-style markup, e.g. `(8001)1|X|34`.
        markup: String,
    },
    /// The input is longer than any GS1 carrier can hold.
    #[error("data is too long: {len} bytes, at most {max} are accepted")]
    DataTooLong {
        /// The input's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More than 64 AIs.
    #[error("too many AIs: at most {max} are allowed")]
    TooManyAis {
        /// The limit.
        max: usize,
    },
    /// Two AIs that must not appear together do.
    #[error("it is invalid to pair AI ({ai}) with AI ({other})")]
    InvalidPair {
        /// The AI whose `ex=` rule fired.
        ai: String,
        /// The AI it excludes.
        other: String,
    },
    /// An AI lacks an AI it requires.
    #[error("required AIs for AI ({ai}) are not satisfied: {required}")]
    Requisites {
        /// The AI whose `req=` rule failed.
        ai: String,
        /// The rule as written in the dictionary, e.g. `01,02,8006`.
        required: String,
    },
    /// The same AI appears twice with different values.
    #[error("multiple instances of AI ({ai}) have different values")]
    Repeats {
        /// The AI.
        ai: String,
    },
    /// A key used with a digital signature (8030) lacks its serial component.
    #[error("serial component must be present for AI ({ai}) when used with AI (8030)")]
    SerialNotPresent {
        /// The key AI.
        ai: String,
    },
}

impl ElementError {
    /// The linter error code (`GS1_LINTER_...`), when a linter refused the data.
    pub fn lint_kind(&self) -> Option<LintErrorKind> {
        match self {
            Self::Lint { kind, .. } => Some(*kind),
            _ => None,
        }
    }
    /// The engine-style error markup, when a linter refused the data.
    pub fn markup(&self) -> Option<&str> {
        match self {
            Self::Lint { markup, .. } => Some(markup),
            _ => None,
        }
    }
}
