//! GS1 identifier keys: types that cannot hold an invalid value.

mod class;
mod company_prefix;
mod cset82;
mod error;
mod gln;
mod gtin;
mod lot;
mod serial;
mod sscc;
mod text_key;

pub use class::{KeyClass, RcnScope};
pub use company_prefix::CompanyPrefix;
pub use error::{AllocationError, KeyError};
pub use gln::Gln;
pub use gtin::{Gtin, GtinFormat};
pub use lot::Lot;
pub use serial::Serial;
pub use sscc::Sscc;

#[cfg(test)]
mod proptests;
