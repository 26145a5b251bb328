//! Serial number, AI (21): 1 to 20 characters of GS1 character set 82, unique per GTIN.

use std::{fmt, str::FromStr};

use super::{KeyError, cset82::check_text_key};

/// A serial number (AI 21): 1 to 20 characters of GS1 character set 82.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serial(Box<str>);

impl Serial {
    /// The most characters AI (21) allows.
    pub const MAX_LEN: usize = 20;

    /// Parses a serial number, checking its length and characters.
    ///
    /// ```
    /// use gs1::keys::{KeyError, Serial};
    /// assert_eq!(Serial::parse("ABC-123/45").unwrap().as_str(), "ABC-123/45");
    /// assert_eq!(
    ///     Serial::parse("A B"),
    ///     Err(KeyError::Character { key: "serial number", found: ' ', position: 2 })
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        check_text_key("serial number", s, Self::MAX_LEN)?;
        Ok(Self(s.into()))
    }

    /// The characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Serial {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Serial {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, KeyError>) {
        let got = Serial::parse(input);
        let got = got.as_ref().map(Serial::as_str).map_err(Clone::clone);
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn accepts_character_set_82() {
        check("1", Ok("1"));
        check("ABC-123/45", Ok("ABC-123/45"));
        check("abcdefghijABCDEFGHIJ", Ok("abcdefghijABCDEFGHIJ"));
        check("!\"%&'()*+,-./:;<=>?_", Ok("!\"%&'()*+,-./:;<=>?_"));
    }

    #[test]
    fn refuses_bad_input() {
        let len = |got| KeyError::TextLength {
            key: "serial number",
            max: 20,
            got,
        };
        check("", Err(len(0)));
        check("abcdefghijABCDEFGHIJK", Err(len(21)));
        let bad = |found, position| KeyError::Character {
            key: "serial number",
            found,
            position,
        };
        check(" 12", Err(bad(' ', 1)));
        check("12#", Err(bad('#', 3)));
        check("lô", Err(bad('ô', 2)));
        check("a\u{1d}b", Err(bad('\u{1d}', 2)));
        check("a~", Err(bad('~', 2)));
        // Twenty characters but more than twenty bytes: counted in characters.
        check("ééééééééééééééééééé", Err(bad('é', 1)));
    }

    #[test]
    fn messages_name_the_input() {
        let err = Serial::parse("x@y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "serial number may only use GS1 character set 82, found '@' at position 2"
        );
        let err = Serial::parse("").unwrap_err();
        assert_eq!(
            err.to_string(),
            "serial number must have 1 to 20 characters, got 0"
        );
        let v = Serial::parse("ABC-123/45").unwrap();
        assert_eq!(
            (v.to_string(), v.as_ref()),
            ("ABC-123/45".to_string(), "ABC-123/45")
        );
    }
}
