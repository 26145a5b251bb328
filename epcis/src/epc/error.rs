//! Why a string is not an EPCIS identifier.

use gs1::digital_link::DlError;
use gs1::element::ElementError;

/// Why a string is not an EPC URN, a GS1 Digital Link URI or any other absolute URI.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EpcError {
    /// The identifier is the empty string.
    #[error(
        "empty identifier: expected an epc urn, a gs1 digital link uri or another absolute uri"
    )]
    Empty,
    /// The string is not an absolute URI (no scheme, or spaces and control characters).
    #[error(
        "{input:?} is not an absolute uri (scheme \":\" then at least one character, no spaces)"
    )]
    NotUri {
        /// The identifier as given.
        input: String,
    },
    /// An EPC URN breaks the TDS 2.x grammar of its scheme.
    #[error("{input}: {reason}")]
    Urn {
        /// The identifier as given.
        input: String,
        /// What is wrong, in words.
        reason: &'static str,
    },
    /// A component of an EPC URN holds a character TDS does not allow there.
    #[error(
        "{input}: character {found:?} at position {position} is not allowed in an epc urn \
         (gs1 ai encodable character set 82, with \" % & / < > ? written %22 %25 %26 %2F %3C %3E %3F)"
    )]
    Character {
        /// The identifier as given.
        input: String,
        /// The character.
        found: char,
        /// Its position in the identifier, counting characters from 1.
        position: usize,
    },
    /// A `%` in an EPC URN does not start one of the escapes TDS defines.
    #[error(
        "{input}: bad escape at position {position} (TDS allows only %22 %23 %25 %26 %2F %3C %3E %3F)"
    )]
    Escape {
        /// The identifier as given.
        input: String,
        /// Position of the `%`, counting characters from 1.
        position: usize,
    },
    /// An `urn:epc:idpat:` pattern matches more than one class, or its scheme has no classes.
    #[error("{input}: only a pattern whose serial alone is \"*\" names a class of objects")]
    Pattern {
        /// The identifier as given.
        input: String,
    },
    /// The GS1 key an EPC URN stands for is invalid (a serial too long, a character the AI
    /// does not allow, ...).
    #[error("{input}: {source}")]
    Key {
        /// The identifier as given.
        input: String,
        /// What the AI dictionary refused.
        #[source]
        source: ElementError,
    },
    /// A GS1 Digital Link URI is invalid (a bad check digit, an unknown AI, ...).
    #[error("{input}: {source}")]
    DigitalLink {
        /// The identifier as given.
        input: String,
        /// What the Digital Link parser refused.
        #[source]
        source: DlError,
    },
}
