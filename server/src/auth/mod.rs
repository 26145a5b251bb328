//! Authentication: passwords, access tokens, API keys and the `Principal` extractor.

pub mod api_key;
pub mod jwt;
pub mod password;
pub mod principal;
pub mod throttle;

pub use principal::{Principal, Subject};
