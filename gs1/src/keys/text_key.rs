//! Text keys that are 1 to 20 characters of GS1 character set 82 (lot, serial): one definition
//! for both, since they differ only in name and AI.

/// Defines a newtype over `Box<str>` holding 1 to `MAX_LEN` characters of set 82.
macro_rules! text_key {
    ($(#[$doc:meta])* $name:ident, label: $label:literal, ai: $ai:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            #[doc = concat!("The most characters AI (", $ai, ") allows.")]
            pub const MAX_LEN: usize = 20;

            #[doc = concat!("Parses a ", $label, ", checking its length and characters.")]
            pub fn parse(s: &str) -> Result<Self, $crate::keys::KeyError> {
                $crate::keys::cset82::check_text_key($label, s, Self::MAX_LEN)?;
                Ok(Self(s.into()))
            }

            /// The characters.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::keys::KeyError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    };
}

pub(crate) use text_key;

#[cfg(test)]
mod tests {
    use crate::keys::{KeyError, Lot, Serial};

    /// Parses `input` as both a lot and a serial; `Err` carries the offending character and
    /// position, or the length.
    fn check(input: &str, expected: Result<&str, (Option<char>, usize)>) {
        for (label, got) in [
            ("lot", Lot::parse(input).map(|l| l.as_str().to_owned())),
            (
                "serial number",
                Serial::parse(input).map(|s| s.as_str().to_owned()),
            ),
        ] {
            let want = expected.map(str::to_owned).map_err(|(c, n)| match c {
                Some(found) => KeyError::Character {
                    key: label,
                    found,
                    position: n,
                },
                None => KeyError::TextLength {
                    key: label,
                    max: 20,
                    got: n,
                },
            });
            assert_eq!(got, want, "{label} {input:?}");
        }
    }

    #[test]
    fn accepts_character_set_82_and_refuses_the_rest() {
        check("1", Ok("1"));
        check("L2024-07.A", Ok("L2024-07.A"));
        check("abcdefghijABCDEFGHIJ", Ok("abcdefghijABCDEFGHIJ"));
        check("!\"%&'()*+,-./:;<=>?_", Ok("!\"%&'()*+,-./:;<=>?_"));
        check("", Err((None, 0)));
        check("abcdefghijABCDEFGHIJK", Err((None, 21)));
        check(" 12", Err((Some(' '), 1)));
        check("12#", Err((Some('#'), 3)));
        check("lô", Err((Some('ô'), 2)));
        check("a\u{1d}b", Err((Some('\u{1d}'), 2)));
        check("a~", Err((Some('~'), 2)));
        // Twenty characters but more than twenty bytes: counted in characters.
        check("ééééééééééééééééééé", Err((Some('é'), 1)));
    }

    #[test]
    fn messages_name_the_input() {
        let err = Lot::parse("x@y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "lot may only use GS1 character set 82, found '@' at position 2"
        );
        let err = Serial::parse("").unwrap_err();
        assert_eq!(
            err.to_string(),
            "serial number must have 1 to 20 characters, got 0"
        );
        let v = Lot::parse("L2024-07.A").unwrap();
        assert_eq!(
            (v.to_string(), v.as_ref()),
            ("L2024-07.A".to_string(), "L2024-07.A")
        );
    }
}
