//! Serial number, AI (21): 1 to 20 characters of GS1 character set 82, unique per GTIN.
//!
//! ```
//! use gs1::keys::{KeyError, Serial};
//! assert_eq!(Serial::parse("ABC-123/45").unwrap().as_str(), "ABC-123/45");
//! assert_eq!(
//!     Serial::parse("A B"),
//!     Err(KeyError::Character { key: "serial number", found: ' ', position: 2 })
//! );
//! ```

super::text_key::text_key!(
    /// A serial number (AI 21): 1 to 20 characters of GS1 character set 82.
    Serial, label: "serial number", ai: "21"
);
