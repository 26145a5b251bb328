//! Scanned and typed data: what a barcode scanner transmits (a symbology identifier such as `]d2`, then the
//! data with ASCII 29 for FNC1), the engine's "data string" that unifies GS1 element data, Digital
//! Link URIs and plain data, and turning either back into scanner output.

mod data_str;
mod error;
mod identify;
mod render;
mod symbology;

pub use data_str::{DataStr, ScanData};
pub use error::ScanError;
pub use identify::{Identifiers, IdentifyError, PrimaryKey, Source, Warning, identify};
pub use symbology::{Symbology, UnknownSymbology};

/// ASCII 29, Group Separator: how scanners transmit FNC1 between AI values.
pub const GS: char = '\u{1d}';
