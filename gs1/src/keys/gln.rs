//! Global Location Number (GLN): 13 digits, the last a mod-10 check digit.

use std::{fmt, str::FromStr};

use super::{KeyClass, KeyError, error::check_numeric_key};

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

    /// Builds a GLN from its first 12 digits, computing the check digit.
    pub(crate) fn from_body(body: &[u8; 12]) -> Self {
        let mut digits = [b'0'; 13];
        digits[..12].copy_from_slice(body);
        digits[12] = crate::check_digit::compute(body).unwrap_or(b'0');
        Self(digits)
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// What the GS1 prefix table says about this GLN.
    ///
    /// ```
    /// let gln: gs1::keys::Gln = "9506000134352".parse().unwrap();
    /// assert_eq!(gln.class(), gs1::keys::KeyClass::GlobalOffice);
    /// ```
    pub fn class(&self) -> KeyClass {
        crate::prefix::class(self.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, KeyError>) {
        let got = Gln::parse(input);
        let got = got.as_ref().map(Gln::as_str).map_err(Clone::clone);
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn parses_and_refuses() {
        check("8934567000000", Ok("8934567000000"));
        check("9506000134352", Ok("9506000134352"));
        let len = |got| KeyError::Length {
            key: "GLN",
            expected: "13",
            got,
        };
        check("", Err(len(0)));
        check("893456700000", Err(len(12)));
        check("08934567000007", Err(len(14)));
        check(
            "89345670O0007",
            Err(KeyError::NonDigit {
                key: "GLN",
                found: 'O',
                position: 9,
            }),
        );
        check(
            "8934567000008",
            Err(KeyError::CheckDigit {
                key: "GLN",
                found: '8',
                expected: '0',
            }),
        );
    }

    #[test]
    fn display_and_class() {
        let gln = Gln::parse("8934567000000").unwrap();
        assert_eq!(gln.to_string(), "8934567000000");
        assert_eq!(gln.as_ref(), "8934567000000");
        assert_eq!(
            gln.class().member_organisation().map(|m| m.name()),
            Some("GS1 Vietnam")
        );
    }
}
