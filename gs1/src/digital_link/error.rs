//! Why a Digital Link URI was refused, or could not be generated, compressed or decompressed.

use crate::element::ElementError;

/// Why a GS1 Digital Link URI was refused, or could not be built, compressed or decompressed.
///
/// Byte positions count from the start of the URI as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DlError {
    /// The URI holds a character that may not appear in a URI (space, `<`, `"`, `^`, non-ASCII..).
    #[error("uri contains illegal character {character:?} at byte {position}")]
    IllegalCharacter {
        /// The character.
        character: char,
        /// Byte offset in the URI.
        position: usize,
    },
    /// The scheme is not `http://` or `https://` written all lower case or all upper case.
    #[error("uri must start with http:// or https:// (all lower or all upper case): {uri:?}")]
    BadScheme {
        /// The start of the URI.
        uri: String,
    },
    /// The domain holds a character that may not appear in a host name.
    #[error("domain contains illegal character {character:?} at byte {position}")]
    BadDomain {
        /// The character.
        character: char,
        /// Byte offset in the URI.
        position: usize,
    },
    /// The URI has no domain, or nothing after it.
    #[error("uri must contain a domain and path info")]
    MissingDomainOrPath,
    /// No `/AI/value` pair whose AI is a Digital Link primary key ends the path (or, when
    /// generating, the message holds no primary key AI).
    #[error("no gs1 digital link primary key found in {input:?}")]
    NoPrimaryKey {
        /// The path info, or the message, searched.
        input: String,
    },
    /// An AI in the path or query has an empty value.
    #[error("ai ({ai}) at byte {position} has an empty value")]
    EmptyValue {
        /// The AI.
        ai: String,
        /// Byte offset of the AI in the URI.
        position: usize,
    },
    /// `%00` appeared in a percent-encoded string outside a URI.
    #[error("percent-encoded nul (%00) at byte {position}")]
    EncodedNul {
        /// Byte offset of the `%`.
        position: usize,
    },
    /// A value decodes to a NUL character (`%00`).
    #[error("value of ai ({ai}) at byte {position} decodes to a nul character")]
    NulInValue {
        /// The AI.
        ai: String,
        /// Byte offset of the value in the URI.
        position: usize,
    },
    /// A value decodes to bytes that are not UTF-8 (and so not GS1 AI characters).
    #[error("value of ai ({ai}) at byte {position} does not decode to utf-8 text")]
    NotUtf8 {
        /// The AI.
        ai: String,
        /// Byte offset of the value in the URI.
        position: usize,
    },
    /// A query parameter whose name is all digits is not a known AI (or unknown AIs are not
    /// permitted).
    #[error("unknown ai ({ai}) in query parameters at byte {position}")]
    UnknownAiInQuery {
        /// The parameter name.
        ai: String,
        /// Byte offset of the parameter in the URI.
        position: usize,
    },
    /// The AIs of the path are not the primary key followed by an ordered choice of its
    /// qualifiers.
    #[error("the path ais {path} are not a valid key-qualifier sequence")]
    InvalidKeyQualifierSequence {
        /// The path AIs, space separated.
        path: String,
    },
    /// The same AI appears twice in the URI.
    #[error("ai ({ai}) is duplicated")]
    DuplicateAi {
        /// The AI.
        ai: String,
    },
    /// The AI may not be a query parameter (the dictionary lacks its `?` flag, or it is unknown
    /// and the `unknown_ai_not_dl_attr` validation is on).
    #[error("ai ({ai}) is not a valid digital link data attribute")]
    NotDataAttribute {
        /// The AI.
        ai: String,
    },
    /// A query AI is a qualifier that would extend the path's key-qualifier sequence, so it
    /// belongs in the path.
    #[error("ai ({ai}) from the query parameters should be in the path info")]
    QualifierInQuery {
        /// The AI.
        ai: String,
    },
    /// An AI value or the whole message is invalid (length, characters, linters, message rules).
    #[error(transparent)]
    Element(#[from] ElementError),
    /// The compressed path element is not valid compressed data.
    #[error("bad compressed data at bit {bit}: {reason}")]
    BadCompressed {
        /// Bit offset in the decoded binary string.
        bit: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The compressed data starts an element with an optimisation code or AI prefix that GS1
    /// has not defined (or that this implementation does not support).
    #[error("unsupported compressed code {code:02X} at bit {bit}")]
    UnsupportedCode {
        /// The 8-bit code.
        code: u8,
        /// Bit offset in the decoded binary string.
        bit: usize,
    },
    /// The AI cannot be compressed: it is unknown, or its value does not fit the compressed
    /// format.
    #[error("ai ({ai}) cannot be compressed: {reason}")]
    NotCompressible {
        /// The AI.
        ai: String,
        /// Why not.
        reason: &'static str,
    },
}
