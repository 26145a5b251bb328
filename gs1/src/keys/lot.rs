//! Batch or lot number, AI (10): 1 to 20 characters of GS1 character set 82.

use std::{fmt, str::FromStr};

use super::{KeyError, cset82::check_text_key};

/// A batch or lot number (AI 10): 1 to 20 characters of GS1 character set 82.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lot(Box<str>);

impl Lot {
    /// The most characters AI (10) allows.
    pub const MAX_LEN: usize = 20;

    /// Parses a lot, checking its length and characters.
    ///
    /// ```
    /// use gs1::keys::{KeyError, Lot};
    /// assert_eq!(Lot::parse("L2024-07.A").unwrap().as_str(), "L2024-07.A");
    /// assert_eq!(
    ///     Lot::parse("A B"),
    ///     Err(KeyError::Character { key: "lot", found: ' ', position: 2 })
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        check_text_key("lot", s, Self::MAX_LEN)?;
        Ok(Self(s.into()))
    }

    /// The characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Lot {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Lot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Lot {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, KeyError>) {
        let got = Lot::parse(input);
        let got = got.as_ref().map(Lot::as_str).map_err(Clone::clone);
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn accepts_character_set_82() {
        check("1", Ok("1"));
        check("L2024-07.A", Ok("L2024-07.A"));
        check("abcdefghijABCDEFGHIJ", Ok("abcdefghijABCDEFGHIJ"));
        check("!\"%&'()*+,-./:;<=>?_", Ok("!\"%&'()*+,-./:;<=>?_"));
    }

    #[test]
    fn refuses_bad_input() {
        let len = |got| KeyError::TextLength {
            key: "lot",
            max: 20,
            got,
        };
        check("", Err(len(0)));
        check("abcdefghijABCDEFGHIJK", Err(len(21)));
        let bad = |found, position| KeyError::Character {
            key: "lot",
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
        let err = Lot::parse("x@y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "lot may only use GS1 character set 82, found '@' at position 2"
        );
        let err = Lot::parse("").unwrap_err();
        assert_eq!(err.to_string(), "lot must have 1 to 20 characters, got 0");
        let v = Lot::parse("L2024-07.A").unwrap();
        assert_eq!(
            (v.to_string(), v.as_ref()),
            ("L2024-07.A".to_string(), "L2024-07.A")
        );
    }
}
