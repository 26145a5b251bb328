//! Authentication: passwords, access tokens, API keys and the `Principal` and `Viewer` extractors.

pub mod api_key;
pub mod jwt;
pub mod password;
pub mod principal;
pub mod throttle;

pub use principal::{Principal, Subject, Viewer};
