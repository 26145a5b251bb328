//! Why a syntax dictionary line or file was refused.

/// Why a line of the GS1 Barcode Syntax Dictionary was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DictError {
    /// The AI (or AI range) field is malformed.
    #[error("line {line}: invalid AI or AI range {field:?}")]
    BadAi {
        /// 1-based line number.
        line: usize,
        /// The offending field.
        field: String,
    },
    /// A flag field holds a character that is not punctuation.
    #[error("line {line}: invalid flags {field:?}")]
    BadFlags {
        /// 1-based line number.
        line: usize,
        /// The offending field.
        field: String,
    },
    /// A component specification is malformed.
    #[error("line {line}: invalid component {field:?}: {reason}")]
    BadComponent {
        /// 1-based line number.
        line: usize,
        /// The offending component.
        field: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A component names a linter that does not exist.
    #[error("line {line}: unknown linter {name:?}")]
    UnknownLinter {
        /// 1-based line number.
        line: usize,
        /// The unknown linter name.
        name: String,
    },
    /// The entry has no components.
    #[error("line {line}: entry has no components")]
    NoComponents {
        /// 1-based line number.
        line: usize,
    },
    /// The components break a structural rule (count, order of optional or variable parts).
    #[error("line {line}: {reason}")]
    BadSpecification {
        /// 1-based line number.
        line: usize,
        /// Which rule is broken.
        reason: &'static str,
    },
    /// An attribute is malformed.
    #[error("line {line}: invalid attribute {field:?}")]
    BadAttribute {
        /// 1-based line number.
        line: usize,
        /// The offending attribute.
        field: String,
    },
    /// The title holds a character outside the permitted set, or is empty.
    #[error("line {line}: invalid title {title:?}")]
    BadTitle {
        /// 1-based line number.
        line: usize,
        /// The offending title.
        title: String,
    },
    /// An AI is defined twice, or AIs sharing a two-digit prefix differ in length.
    #[error("line {line}: AI ({ai}) {reason}")]
    Conflict {
        /// 1-based line number.
        line: usize,
        /// The AI concerned.
        ai: String,
        /// What conflicts.
        reason: &'static str,
    },
}
