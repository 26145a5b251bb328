//! GS1 Digital Link URIs (ISO/IEC 18975): parsing into a validated message, generation from a
//! message, the canonical form, percent-encoding, and the compressed form.
//!
//! Parsing and generation follow GS1's Barcode Syntax Engine (`gs1_parseDLuri`,
//! `gs1_generateDLuri`) so that results agree with it byte for byte:
//!
//! ```
//! use gs1::digital_link::{DigitalLink, DlOptions};
//! let dl = DigitalLink::parse(
//!     "https://id.gs1.org/01/09506000134352/10/ABC123?17=201225",
//!     &DlOptions::default(),
//! )?;
//! assert_eq!(dl.ai_string().as_unbracketed(), "^010950600013435210ABC123^17201225");
//! assert_eq!(dl.ai_string().to_digital_link(Some("https://example.com"))?,
//!            "https://example.com/01/09506000134352/10/ABC123?17=201225");
//! # Ok::<(), gs1::digital_link::DlError>(())
//! ```

mod build;
mod compress;
mod error;
mod escape;
mod link;
mod parse;
mod path_seq;
mod uri;

use crate::element;

pub use compress::CompressOptions;
pub use error::DlError;
pub use escape::{UriPart, escape, escape_into, unescape};
pub use link::{DigitalLink, QueryParam};

/// The stem used when none is given: GS1's own resolver.
pub const CANONICAL_STEM: &str = "https://id.gs1.org";

/// Options for reading a Digital Link URI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DlOptions {
    /// How the extracted AIs are validated (unknown AIs, message-level checks). Its
    /// `validations.unknown_ai_not_dl_attr` also decides whether an unknown AI may be a query
    /// parameter.
    pub element: element::Options,
    /// Accept an 8, 12 or 13 digit GTIN in AI (01), left-padding it with zeros to 14 digits
    /// (legacy URIs; off by default, as in the engine).
    pub permit_zero_suppressed_gtin: bool,
    /// Accept the deprecated convenience alphas (`/gtin/`, `/ser/`, `/sscc/`, ...) in place of
    /// numeric AIs in the path.
    pub permit_convenience_alphas: bool,
}
