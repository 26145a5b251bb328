//! Batch or lot number, AI (10): 1 to 20 characters of GS1 character set 82.
//!
//! ```
//! use gs1::keys::{KeyError, Lot};
//! assert_eq!(Lot::parse("L2024-07.A").unwrap().as_str(), "L2024-07.A");
//! assert_eq!(Lot::parse("A B"), Err(KeyError::Character { key: "lot", found: ' ', position: 2 }));
//! ```

super::text_key::text_key!(
    /// A batch or lot number (AI 10): 1 to 20 characters of GS1 character set 82.
    Lot, label: "lot", ai: "10"
);
