//! The GS1 Barcode Syntax Dictionary as a table: every Application Identifier, its components,
//! linters and relationship rules (`req=`, `ex=`, `dlpkey`).

mod attrs;
mod dictionary;
mod entry;
mod error;

pub use attrs::{AiPattern, Attributes, QualifierPath};
pub use dictionary::Dictionary;
pub use entry::{Ai, AiEntry, Component, Cset, parse_entry_line};
pub use error::DictError;

/// The shortest Application Identifier, in digits.
pub const MIN_AI_LEN: usize = 2;
/// The longest Application Identifier, in digits.
pub const MAX_AI_LEN: usize = 4;
