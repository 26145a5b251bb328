//! The consumer page: what a shopper sees after scanning a pack with a phone, in Vietnamese or
//! English, rendered on the server to one HTML document (no script, no external stylesheet).
//! The resolver fills a [`page::PageView`] and answers browsers with [`page::render`].

pub mod i18n;
pub mod journey;
pub mod page;
mod reasons;
#[cfg(test)]
mod tests;

pub use i18n::{Lang, negotiate};
pub use page::{PageView, render};
pub use reasons::REASON_CODES;
