//! Serial Shipping Container Code (SSCC): 18 digits, the last a mod-10 check digit.

use std::{fmt, str::FromStr};

use super::{KeyClass, KeyError, error::check_numeric_key};

/// A Serial Shipping Container Code, always 18 digits with a valid check digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sscc([u8; 18]);

impl Sscc {
    /// Parses an 18-digit SSCC, checking its check digit.
    ///
    /// ```
    /// let sscc: gs1::keys::Sscc = "389345678000000014".parse().unwrap();
    /// assert_eq!(sscc.extension_digit(), 3);
    /// assert!("389345678000000015".parse::<gs1::keys::Sscc>().is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        check_numeric_key("SSCC", s, 18, "18")?;
        let mut digits = [0u8; 18];
        digits.copy_from_slice(s.as_bytes());
        Ok(Self(digits))
    }

    /// Builds an SSCC from its first 17 digits, computing the check digit.
    pub(crate) fn from_body(body: &[u8; 17]) -> Self {
        let mut digits = [b'0'; 18];
        digits[..17].copy_from_slice(body);
        digits[17] = crate::check_digit::compute(body).unwrap_or(b'0');
        Self(digits)
    }

    /// The 18 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The extension digit (0 to 9) the company chose to widen its serial range.
    pub fn extension_digit(&self) -> u8 {
        self.0[0] - b'0'
    }

    /// What the GS1 prefix table says about this SSCC, read after the extension digit.
    pub fn class(&self) -> KeyClass {
        crate::prefix::class(&self.as_str()[1..])
    }
}

impl FromStr for Sscc {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Sscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Sscc {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, KeyError>) {
        let got = Sscc::parse(input);
        let got = got.as_ref().map(Sscc::as_str).map_err(Clone::clone);
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn parses_and_refuses() {
        check("389345678000000014", Ok("389345678000000014"));
        check("106141411234567897", Ok("106141411234567897"));
        check("000000000000000000", Ok("000000000000000000"));
        let len = |got| KeyError::Length {
            key: "SSCC",
            expected: "18",
            got,
        };
        check("", Err(len(0)));
        check("38934567800000001", Err(len(17)));
        check("3893456780000000144", Err(len(19)));
        check(
            "38934567800000001x",
            Err(KeyError::NonDigit {
                key: "SSCC",
                found: 'x',
                position: 18,
            }),
        );
        check(
            "389345678000000010",
            Err(KeyError::CheckDigit {
                key: "SSCC",
                found: '0',
                expected: '4',
            }),
        );
    }

    #[test]
    fn parts_and_class() {
        let sscc = Sscc::parse("389345678000000014").unwrap();
        assert_eq!(sscc.extension_digit(), 3);
        assert_eq!(sscc.to_string(), "389345678000000014");
        assert_eq!(sscc.as_ref(), "389345678000000014");
        assert_eq!(
            sscc.class().member_organisation().map(|m| m.name()),
            Some("GS1 Vietnam")
        );
        let demo = Sscc::parse("095200000000000004").unwrap();
        assert_eq!(demo.class(), KeyClass::Demo);
    }
}
