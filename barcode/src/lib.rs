//! gs1-barcode: GS1 symbols made from `gs1` values (never from raw text), to the size rules of
//! the GS1 General Specifications, drawn as SVG, PNG or PDF. No I/O: renderers return bytes.
//!
//! ```
//! use barcode::{Layout, Options, Symbol, Symbology, render};
//! let gtin = gs1::keys::Gtin::parse("08934567000017").unwrap();
//! let symbol = Symbol::gtin(Symbology::Ean13, &gtin).unwrap();
//! let layout = Layout::new(&symbol, &Options::default()).unwrap();
//! assert!(render::svg(&layout).starts_with("<svg"));
//! ```

mod code128;
mod datamatrix;
#[cfg(feature = "decode")]
pub mod decode;
mod error;
pub mod layout;
pub mod render;
pub mod symbol;
mod symbology;
pub mod text;

pub use error::LabelError;
pub use layout::{Layout, Options};
pub use symbol::{MatrixShape, Symbol};
pub use symbology::{Geometry, Symbology, UnknownSymbology};
