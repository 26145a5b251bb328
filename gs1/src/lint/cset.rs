//! Character-level linters: GS1 character sets 82, 39 and 64, digits only, and the checks that
//! look at characters rather than values (hasnondigit, hyphen, pcenc).

use super::{LintError, LintErrorKind, LintResult};

/// A set of ASCII characters as a 128-bit bitmap, built at compile time.
#[derive(Clone, Copy)]
pub(crate) struct AsciiSet(u128);

impl AsciiSet {
    /// The set holding exactly the bytes of `members` (all of which must be ASCII).
    pub(crate) const fn new(members: &[u8]) -> Self {
        let mut bits = 0u128;
        let mut i = 0;
        while i < members.len() {
            assert!(members[i] < 128, "AsciiSet members must be ASCII");
            bits |= 1 << members[i];
            i += 1;
        }
        Self(bits)
    }

    /// True if `c` is in the set; bytes outside ASCII never are.
    #[inline]
    pub(crate) const fn contains(self, c: u8) -> bool {
        c < 128 && (self.0 >> c) & 1 == 1
    }

    /// Offset of the first byte of `value` outside the set.
    #[inline]
    pub(crate) fn first_outside(self, value: &[u8]) -> Option<usize> {
        value.iter().position(|&c| !self.contains(c))
    }
}

/// GS1 AI encodable character set 82, in the order that gives each character its value in the
/// alphanumeric check-pair calculation.
pub(crate) const CSET82_ORDER: &[u8; 82] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// GS1 AI encodable character set 82.
pub(crate) const CSET82: AsciiSet = AsciiSet::new(CSET82_ORDER);

/// GS1 AI encodable character set 39.
pub(crate) const CSET39: AsciiSet = AsciiSet::new(b"#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

/// GS1 AI encodable character set 64 without its `=` padding: the URI- and filename-safe base64
/// alphabet of RFC 4648.
pub(crate) const CSET64: AsciiSet =
    AsciiSet::new(b"-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");

/// Fails on the first character of `value` outside `set`, reporting it as `kind`.
#[inline]
fn within(value: &[u8], set: AsciiSet, kind: LintErrorKind) -> LintResult {
    match set.first_outside(value) {
        Some(pos) => Err(LintError::new(kind, pos, 1)),
        None => Ok(()),
    }
}

/// `cset82`: every character is in GS1 character set 82 (component type `X`).
pub(crate) fn cset82(value: &[u8]) -> LintResult {
    within(value, CSET82, LintErrorKind::InvalidCset82Character)
}

/// `cset39`: every character is in GS1 character set 39 (component type `Y`).
pub(crate) fn cset39(value: &[u8]) -> LintResult {
    within(value, CSET39, LintErrorKind::InvalidCset39Character)
}

/// `cset64`: every character is in GS1 character set 64 (component type `Z`), with at most two
/// `=` padding characters, only at the end, and only when the length is a multiple of three.
pub(crate) fn cset64(value: &[u8]) -> LintResult {
    let pads = value.iter().rev().take_while(|&&c| c == b'=').count();
    let body = value.len() - pads;
    if pads > 2 || (pads > 0 && value.len() % 3 != 0) {
        return Err(LintError::new(
            LintErrorKind::InvalidCset64Padding,
            body,
            pads,
        ));
    }
    within(
        &value[..body],
        CSET64,
        LintErrorKind::InvalidCset64Character,
    )
}

/// `csetnumeric`: digits only (component type `N`). Also the shared "all digits" pre-check of the
/// numeric linters, which report the first non-digit the same way.
#[inline]
pub(crate) fn csetnumeric(value: &[u8]) -> LintResult {
    match value.iter().position(|c| !c.is_ascii_digit()) {
        Some(pos) => Err(LintError::new(LintErrorKind::NonDigitCharacter, pos, 1)),
        None => Ok(()),
    }
}

/// `hasnondigit`: at least one character is not a digit.
pub(crate) fn hasnondigit(value: &[u8]) -> LintResult {
    if value.iter().all(u8::is_ascii_digit) {
        return Err(LintError::new(
            LintErrorKind::RequiresNonDigitCharacter,
            0,
            value.len(),
        ));
    }
    Ok(())
}

/// `hyphen`: one or more characters, all `-`.
pub(crate) fn hyphen(value: &[u8]) -> LintResult {
    if value.is_empty() || value.iter().any(|&c| c != b'-') {
        return Err(LintError::new(LintErrorKind::NotHyphen, 0, value.len()));
    }
    Ok(())
}

/// `pcenc`: every `%` starts a `%hh` sequence of two hex digits.
pub(crate) fn pcenc(value: &[u8]) -> LintResult {
    let mut pos = 0;
    while pos < value.len() {
        if value[pos] != b'%' {
            pos += 1;
            continue;
        }
        match value.get(pos + 1..pos + 3) {
            Some(&[h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => pos += 3,
            // A cut-off sequence is highlighted up to the end, a bad one as its three bytes.
            Some(_) => {
                return Err(LintError::new(
                    LintErrorKind::InvalidPercentSequence,
                    pos,
                    3,
                ));
            }
            None => {
                return Err(LintError::new(
                    LintErrorKind::InvalidPercentSequence,
                    pos,
                    value.len() - pos,
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_have_their_documented_sizes() {
        let count = |s: AsciiSet| (0u8..128).filter(|&c| s.contains(c)).count();
        assert_eq!(count(CSET82), 82);
        assert_eq!(count(CSET39), 39);
        assert_eq!(count(CSET64), 64);
        assert!(!CSET82.contains(b' '));
        assert!(!CSET82.contains(0xC3));
    }

    #[test]
    fn cset64_padding() {
        assert!(cset64(b"ab==").is_err());
        assert!(cset64(b"abcd=").is_err());
        assert!(cset64(b"abcd==").is_ok());
        assert!(cset64(b"abcde=").is_ok());
        assert_eq!(
            cset64(b"a=b"),
            Err(LintError::new(LintErrorKind::InvalidCset64Character, 1, 1))
        );
    }

    #[test]
    fn pcenc_spans() {
        assert!(pcenc(b"a%20b%7e").is_ok());
        assert_eq!(
            pcenc(b"ab%2"),
            Err(LintError::new(LintErrorKind::InvalidPercentSequence, 2, 2))
        );
        assert_eq!(
            pcenc(b"%zz1"),
            Err(LintError::new(LintErrorKind::InvalidPercentSequence, 0, 3))
        );
    }
}
