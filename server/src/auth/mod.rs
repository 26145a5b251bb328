//! Authentication over HTTP: access tokens, the login throttle, and the `Authenticated` and
//! `Viewer` extractors, which yield the domain's `Caller`. Password and API-key hashing are
//! platform rules (`domain::password`, `domain::api_key`).

pub mod caller;
pub mod jwt;
pub mod throttle;

pub use caller::{Authenticated, Viewer};
