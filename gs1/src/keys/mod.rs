//! GS1 identifier keys: types that cannot hold an invalid value.

mod error;
mod gln;

pub use error::KeyError;
pub use gln::Gln;
