//! Global Location Number (GLN): 13 digits, the last a mod-10 check digit.

use std::{fmt, str::FromStr};

use super::{KeyError, error::check_numeric_key};

/// A Global Location Number, always 13 digits with a valid check digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gln([u8; 13]);

impl Gln {
    /// Parses a 13-digit GLN, checking its check digit.
    ///
    /// ```
    /// let gln: gs1::keys::Gln = "9506000134352".parse().unwrap();
    /// assert_eq!(gln.as_str(), "9506000134352");
    /// assert!("9506000134353".parse::<gs1::keys::Gln>().is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        check_numeric_key("GLN", s, 13, "13")?;
        let mut digits = [0u8; 13];
        digits.copy_from_slice(s.as_bytes());
        Ok(Self(digits))
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl FromStr for Gln {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Gln {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Gln {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}
