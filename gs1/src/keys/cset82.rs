//! GS1 character set 82 membership for text keys (serial numbers, lots). Kept small and private:
//! it will give way to the crate's `cset82` linter once that lands.

use super::KeyError;

/// True if `c` is in GS1 character set 82 (General Specifications, figure 7.11-1).
fn contains(c: char) -> bool {
    // 0x25 '%' through 0x3F '?' is one unbroken run of the set: % & ' ( ) * + , - . / 0-9 : ; < = > ?
    matches!(c, '!' | '"' | '%'..='?' | 'A'..='Z' | '_' | 'a'..='z')
}

/// Checks that `s` is 1 to `max` characters, all of character set 82.
pub(super) fn check_text_key(key: &'static str, s: &str, max: usize) -> Result<(), KeyError> {
    let got = s.chars().count();
    if got == 0 || got > max {
        return Err(KeyError::TextLength { key, max, got });
    }
    if let Some((i, c)) = s.chars().enumerate().find(|&(_, c)| !contains(c)) {
        return Err(KeyError::Character {
            key,
            found: c,
            position: i + 1,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_has_exactly_82_characters() {
        let members: String = (0u8..=127)
            .map(char::from)
            .filter(|&c| contains(c))
            .collect();
        assert_eq!(members.len(), 82);
        assert_eq!(
            members,
            "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
        );
        for c in [
            ' ', '#', '$', '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~', 'é', '\u{1d}',
        ] {
            assert!(!contains(c), "{c:?}");
        }
    }
}
